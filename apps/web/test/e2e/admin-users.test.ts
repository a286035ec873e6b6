import { mkdirSync, rmSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// The store as the server uses it (the web app itself never imports it).
import { Departments, type Store } from '../../../../packages/store/src';
import { type RunningServer, startServer } from '../../../server/src/app';
import { silentLogger } from '../../../server/src/log';
import { launchChromium, screenshot } from '../harness';
import { addPeople } from '../people';
import { openServerStore } from '../server';

const PASSWORD = 'admin-e2e-Password-2026';
const SHOTS = '/tmp/shots/admin';
let browser: Browser;
let running: RunningServer;
let dataDir: string;
let store: Store;

beforeAll(async () => {
  const opened = await openServerStore('lianxin-admin-e2e-');
  dataDir = opened.dataDir;
  store = opened.store;
  await addPeople(
    store,
    [
      ['440000', '广东省', 'province', null],
      ['440700', '江门市', 'city', '440000'],
      ['440781', '台山市', 'county', '440700'],
      ['440783', '开平市', 'county', '440700'],
    ],
    [
      ['taishan-admin', '台山市管理员', '440781', 'admin'],
      ['taishan-housing', '台山市住建局办理人', '440781', 'handler', 'housing'],
      ['taishan-clerk', '台山市接访员', '440781', 'receptionist'],
      ['kaiping-clerk', '开平市接访员', '440783', 'receptionist'],
    ],
    PASSWORD,
  );
  const departments = new Departments(store.database, store.clock);
  for (const [code, zh] of [
    ['housing', '住建局'],
    ['hrss', '人社局'],
  ] as const)
    await departments.create({ jurisdiction: '440781', code, name: { 'zh-CN': zh } });
  await departments.create({
    jurisdiction: '440783',
    code: 'market',
    name: { 'zh-CN': '开平市场监管局' },
  });
  running = await startServer(store, opened.config, silentLogger, { scheduler: false });
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await running?.close();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

async function shot(page: Page, name: string) {
  mkdirSync(SHOTS, { recursive: true });
  await page.screenshot({ path: `${SHOTS}/${name}.png`, fullPage: true });
  await screenshot(page, `admin-${name}`);
}

const OPEN = '.ant-select-dropdown:not(.ant-select-dropdown-hidden) .ant-select-item-option';
/** Waits until no select's list is open (antd keeps closed ones in the page). */
async function closed(page: Page) {
  await expect.poll(() => page.locator(OPEN).count()).toBe(0);
}
/** Opens an antd select and returns its options' texts. */
async function optionsOf(page: Page, testId: string) {
  await closed(page);
  await page.getByTestId(testId).click();
  await page.locator(OPEN).first().waitFor();
  return page.locator(OPEN).allInnerTexts();
}
/** Picks an option of an antd select by its visible text. */
async function choose(page: Page, testId: string, text: string) {
  await optionsOf(page, testId);
  await page.locator(OPEN, { hasText: text }).first().click();
  await closed(page);
}

describe('用户与部门 against the real server', () => {
  it('a county admin adds 司法局, deactivates 人社局, creates a 司法局 handler (a weak password refused first) and disables a user; roles, places and departments in words', async () => {
    const page = await browser.newPage({ viewport: { width: 1366, height: 900 } });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(running.url);
    await page.getByTestId('login-username').fill('taishan-admin');
    await page.getByTestId('login-password').fill(PASSWORD);
    await page.getByTestId('login-submit').click();
    await page.getByTestId('nav-admin').click();
    const users = page.getByTestId('user-table');
    await users.getByText('台山市住建局办理人').waitFor();
    // Roles, places and departments by name; Kaiping's clerk is not Taishan's admin's business.
    await expect.poll(() => users.innerText()).toContain('台山市 · 部门办理人 · 住建局');
    expect(await users.innerText()).not.toContain('开平市接访员');
    await shot(page, '1-users');

    // 承办部门: add 司法局, deactivate 人社局.
    await page.getByTestId('tab-departments').click();
    await page.getByTestId('dept-add').click();
    await page.getByTestId('dept-zh').fill('司法局');
    await page.getByTestId('dept-en').fill('Justice Bureau');
    await page.getByTestId('dept-code').fill('1 bad code');
    await page.getByRole('button', { name: '保 存' }).click();
    await page.getByText('代码须以字母开头').waitFor();
    await page.getByTestId('dept-code').fill('justice');
    await page.getByRole('button', { name: '保 存' }).click();
    const depts = page.getByTestId('dept-table');
    await depts.getByText('Justice Bureau').waitFor();
    await page.getByTestId('dept-toggle-hrss').click();
    await expect
      .poll(() => depts.locator('tr', { hasText: '人社局' }).innerText())
      .toContain('已停用');
    await shot(page, '2-departments');

    // A new 司法局 handler: the department list offers 司法局, not the deactivated 人社局.
    await page.getByTestId('tab-users').click();
    await page.getByTestId('user-add').click();
    await page.getByTestId('user-username').fill('taishan-justice');
    await page.getByTestId('user-display').fill('台山市司法局办理人');
    await page.getByTestId('user-password').fill('short1');
    await choose(page, 'm-role-0', '部门办理人');
    expect(await optionsOf(page, 'm-department-0')).toEqual(['住建局', '司法局']);
    await page.locator(OPEN, { hasText: '司法局' }).click();
    // Only the jurisdictions this admin administers are offered.
    expect(await optionsOf(page, 'm-jurisdiction-0')).toEqual(['台山市']);
    await page.keyboard.press('Escape');
    await page.getByRole('button', { name: '保 存' }).click();
    // The password policy refuses, in Chinese; nothing is created.
    await page.locator('.ant-message').getByText('密码不符合要求').waitFor();
    // …and under the password field itself.
    await page.locator('.ant-form-item-explain-error', { hasText: '密码不符合要求' }).waitFor();
    await shot(page, '3-weak-password');
    expect(await store.userByUsername('taishan-justice')).toBeUndefined();
    await page.getByTestId('user-password').fill('Justice-Office-2026!');
    await page.getByRole('button', { name: '保 存' }).click();
    await users.getByText('台山市司法局办理人').waitFor();
    await expect.poll(() => users.innerText()).toContain('台山市 · 部门办理人 · 司法局');
    const created = await store.userByUsername('taishan-justice');
    expect((await store.memberships(created?.id ?? '')).map((m) => m.department)).toEqual([
      'justice',
    ]);

    // Disable the receptionist: their row says so and the store agrees.
    await page.getByTestId('user-toggle-taishan-clerk').click();
    await expect
      .poll(() => users.locator('tr', { hasText: '台山市接访员' }).innerText())
      .toContain('已停用');
    expect((await store.userByUsername('taishan-clerk'))?.active).toBe(false);
    await shot(page, '4-users-after');

    // No role, department or jurisdiction code on the Chinese screen (usernames and the code column aside).
    const text = await users.innerText();
    for (const code of ['handler', 'receptionist', 'admin ·', '440781', 'role1', 'undefined'])
      expect(text).not.toContain(code);
    // In English the same people read in English: roles and departments by their English names.
    await page.getByTestId('lang-switch').click();
    await expect.poll(() => users.innerText()).toContain('Department handler');
    expect(await users.innerText()).toContain('Disabled');
    await shot(page, '5-users-english');
    expect(errors).toEqual([]);
    await page.close();
  });
});
