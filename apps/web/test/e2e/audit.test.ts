import { rmSync } from 'node:fs';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// The store as the server uses it (the web app itself never imports it).
import { appendAudit, type Store } from '../../../../packages/store/src';
import { type RunningServer, startServer } from '../../../server/src/app';
import { silentLogger } from '../../../server/src/log';
import { launchChromium, screenshot } from '../harness';
import { addPeople } from '../people';
import { openServerStore } from '../server';

const PASSWORD = 'audit-e2e-Password-2025';
let browser: Browser;
let running: RunningServer;
let dataDir: string;
let store: Store;

beforeAll(async () => {
  const opened = await openServerStore('lianxin-audit-e2e-');
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
      ['taishan-handler', '台山市办理人', '440781', 'handler'],
      ['kaiping-clerk', '开平市接访员', '440783', 'receptionist'],
    ],
    PASSWORD,
  );
  const handler = await store.userByUsername('taishan-handler');
  const clerk = await store.userByUsername('kaiping-clerk');
  // What the API writes when a handler opens two cases and lists the inbox,
  // and a Kaiping clerk reads a case of their own county (not Taishan's admin's business).
  for (const caseId of ['c-0001', 'c-0002'])
    await appendAudit(store.database, store.clock, {
      action: 'case.read',
      actorId: handler?.id ?? null,
      actorName: 'taishan-handler',
      jurisdiction: '440781',
      caseId,
      ip: '10.1.2.3',
      detail: { procedure: 'cases.get' },
    });
  await appendAudit(store.database, store.clock, {
    action: 'case.read',
    actorId: clerk?.id ?? null,
    actorName: 'kaiping-clerk',
    jurisdiction: '440783',
    caseId: 'c-kp-0001',
    ip: '10.7.7.7',
    detail: { procedure: 'cases.get' },
  });
  running = await startServer(store, opened.config, silentLogger, { scheduler: false });
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await running?.close();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

describe('the audit log page against the real server', () => {
  it('shows a county admin their county’s records, searches by user and proves the chain', async () => {
    const page = await browser.newPage({ viewport: { width: 1366, height: 768 } });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(running.url);
    // A failed sign-in first: it must show up in the log.
    await page.getByTestId('login-username').fill('taishan-admin');
    await page.getByTestId('login-password').fill('wrong-password');
    await page.getByTestId('login-submit').click();
    await page.getByTestId('login-error').waitFor();
    await page.getByTestId('login-password').fill(PASSWORD);
    await page.getByTestId('login-submit').click();
    await page.getByTestId('nav-audit').click();
    await page.getByTestId('audit-page').waitFor();
    const table = page.getByTestId('audit-table');
    await table.getByText('登录失败').waitFor();
    await expect.poll(() => table.getByText('查看信访事项', { exact: true }).count()).toBe(2);
    expect(await table.getByText('c-kp-0001').count()).toBe(0);
    // In words: the reason, the place and the procedure, never their codes.
    await table.getByText('原因：密码错误').waitFor();
    await table.getByText('接口：查看信访事项详情').first().waitFor();
    const text = await table.innerText();
    expect(text).toContain('台山市');
    expect(text).not.toMatch(/wrongPassword|cases\.get|procedure=|\b440781\b/);
    await screenshot(page, 'audit-01-log');

    await page.getByTestId('audit-user').fill('taishan-handler');
    await page.getByTestId('audit-search').click();
    await expect.poll(() => table.locator('tbody tr.ant-table-row').count()).toBe(2);
    await table.getByText('c-0002').waitFor();

    await page.getByTestId('audit-verify').click();
    const verdict = page.getByTestId('audit-verification');
    await verdict.getByText(/审计日志完整：共 \d+ 条记录/).waitFor();
    await screenshot(page, 'audit-02-verified');
    expect(errors).toEqual([]);
  });

  it('does not show the page to a handler', async () => {
    const page = await browser.newPage({ viewport: { width: 1366, height: 768 } });
    await page.goto(running.url);
    await page.getByTestId('login-username').fill('taishan-handler');
    await page.getByTestId('login-password').fill(PASSWORD);
    await page.getByTestId('login-submit').click();
    await page.getByTestId('nav-workbench').waitFor();
    expect(await page.getByTestId('nav-audit').count()).toBe(0);
    await page.goto(`${running.url}/#/admin/audit`);
    await page.getByText('仅管理员可查看审计日志').waitFor();
  });
});
