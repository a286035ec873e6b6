import { rmSync } from 'node:fs';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningServer, startServer } from '../../../server/src/app';
import { silentLogger } from '../../../server/src/log';
import { launchChromium, screenshot, signIn } from '../harness';
import { addPeople, TAISHAN_CHAIN } from '../people';
import { openServerStore } from '../server';

const PASSWORD = 'account-e2e-password';
const NEW_PASSWORD = 'Taishan-river-2026';
let browser: Browser;
let running: RunningServer;
let dataDir: string;

beforeAll(async () => {
  const opened = await openServerStore('lianxin-account-e2e-');
  dataDir = opened.dataDir;
  const { store, config } = opened;
  await addPeople(
    store,
    TAISHAN_CHAIN,
    [['taishan-reception', '台山市接访员', '440781', 'receptionist']],
    PASSWORD,
  );
  running = await startServer(store, config, silentLogger, { scheduler: false });
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await running?.close();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

describe('changing one’s own password in the browser', () => {
  it('shows the rules, refuses a weak password in Chinese, and signs the old session out', async () => {
    // The same person signed in on a second computer.
    const other = await signIn(browser, running.url, 'taishan-reception', PASSWORD);
    const { page, errors } = await signIn(browser, running.url, 'taishan-reception', PASSWORD);
    await page.getByTestId('user-menu').hover();
    await page.getByTestId('menu-change-password').waitFor();
    await page.waitForTimeout(400); // the menu's opening animation
    await screenshot(page, 'account-00-user-menu');
    await page.getByTestId('menu-change-password').click();
    await page.getByTestId('change-password').waitFor();
    const rules = page.getByTestId('password-rules');
    await expect.poll(() => rules.textContent()).toContain('至少 10 个字符');
    expect(await rules.textContent()).toContain('不能包含用户名');

    await page.getByTestId('password-current').fill(PASSWORD);
    await page.getByTestId('password-new').fill('11111111');
    await page.getByTestId('password-confirm').fill('11111111');
    await page.getByTestId('password-submit').click();
    const error = page.getByTestId('password-error');
    await error.waitFor();
    expect(await error.textContent()).toContain('密码不符合要求');
    expect(await error.textContent()).toContain('常见密码');
    await screenshot(page, 'account-01-weak-password');

    await page.getByTestId('password-new').fill(NEW_PASSWORD);
    await page.getByTestId('password-confirm').fill(NEW_PASSWORD);
    await page.getByTestId('password-submit').click();
    await page.getByText('密码已修改').waitFor();
    await screenshot(page, 'account-02-changed');
    // This browser stays signed in …
    await page.getByTestId('password-done').click();
    await page.getByTestId('nav-workbench').waitFor();
    // … the other computer is out (after the server's five-second session cache).
    await other.page.waitForTimeout(5_500);
    await other.page.goto(`${running.url}/#/workbench`);
    await other.page.reload();
    await other.page.getByTestId('login').waitFor();
    // The sign-in page says where the rules are and whom to ask when locked out.
    await other.page.getByText('密码要求').click();
    await other.page.getByTestId('password-rules').waitFor();
    await other.page.waitForTimeout(300); // the panel's opening animation
    await screenshot(other.page, 'account-03-sign-in-rules');
    // Only the new password signs in now.
    await other.page.getByTestId('login-username').fill('taishan-reception');
    await other.page.getByTestId('login-password').fill(PASSWORD);
    await other.page.getByTestId('login-submit').click();
    await other.page.getByTestId('login-error').waitFor();
    await other.page.getByTestId('login-password').fill(NEW_PASSWORD);
    await other.page.getByTestId('login-submit').click();
    await other.page.getByTestId('nav-workbench').waitFor();
    expect([...errors, ...other.errors]).toEqual([]);
  });
});
