import { rmSync } from 'node:fs';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// The real server (HTTP, tRPC, SQLite), started from its source as the template test does.
import { type RunningServer, startServer } from '../../../server/src/app';
import { silentLogger } from '../../../server/src/log';
import { launchChromium, screenshot } from '../harness';
import { openServerStore } from '../server';

const PASSWORD = 'designer-e2e-password';
let browser: Browser;
let running: RunningServer;
let dataDir: string;

beforeAll(async () => {
  const opened = await openServerStore('lianxin-designer-e2e-');
  dataDir = opened.dataDir;
  const { store, config } = opened;
  for (const [code, name, level, parent] of [
    ['440000', '广东省', 'province', null],
    ['440700', '江门市', 'city', '440000'],
    ['440781', '台山市', 'county', '440700'],
  ] as const)
    await store.upsertJurisdiction({ code, name: { 'zh-CN': name }, level, parent });
  await store.createUser({
    username: 'taishan-admin',
    displayName: '台山市管理员',
    password: PASSWORD,
    memberships: [{ jurisdiction: '440781', role: 'admin' }],
  });
  running = await startServer(store, config, silentLogger, { scheduler: false });
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await running?.close();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

describe('the designer against the real server', () => {
  it('signs in, draws a flow, saves the draft and publishes version 1 through tRPC', async () => {
    const page = await browser.newPage({ viewport: { width: 1366, height: 768 } });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(running.url);
    await page.getByTestId('login-username').fill('taishan-admin');
    await page.getByTestId('login-password').fill('wrong-password');
    await page.getByTestId('login-submit').click();
    await page.getByTestId('login-error').waitFor();
    await page.getByTestId('login-password').fill(PASSWORD);
    await page.getByTestId('login-submit').click();
    await page.getByTestId('new-flow').click();
    await page.getByTestId('new-flow-name').fill('简易受理流程');
    await page.getByTestId('new-flow-key').fill('simple-intake');
    await page.getByTestId('new-flow-create').click();

    const node = (id: string) => page.locator(`.react-flow__node[data-id="${id}"]`);
    await node('start').click();
    await page.getByTestId('palette-task').click();
    await node('task1').click();
    await page.getByTestId('palette-end').click();
    await page.getByTestId('fit').click();
    await page.waitForTimeout(400);
    // Each step added after the selected one comes connected (start → task1 → end1).
    await expect.poll(() => page.getByTestId('publish').isDisabled()).toBe(false);

    await page.getByTestId('save').click();
    await page.getByText('草稿已保存').waitFor();
    await page.getByTestId('publish').click();
    await page.getByTestId('publish-note').fill('首次发布');
    await page.getByRole('button', { name: '确认发布' }).click();
    await page.getByText('已发布第 1 版').waitFor();
    await page.getByRole('tab', { name: '版本' }).click();
    await page.getByRole('cell', { name: 'v1' }).waitFor();
    await screenshot(page, '13-real-server-published');

    await page.goto(`${running.url}/#/flows`);
    await page.getByText('简易受理流程').waitFor();
    expect(
      await page
        .getByRole('row', { name: /简易受理流程/ })
        .getByText('v1')
        .count(),
    ).toBe(1);
    await screenshot(page, '14-real-server-flow-list');
    expect(errors).toEqual([]);
  });
});
