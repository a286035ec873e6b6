import { mkdirSync, rmSync } from 'node:fs';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import flowJson from '../../../../packages/api/test/fixtures/flow.json' with { type: 'json' };
// The store as the server uses it (the web app itself never imports it).
import { Departments } from '../../../../packages/store/src';
import { type RunningServer, startServer } from '../../../server/src/app';
import { silentLogger } from '../../../server/src/log';
import { client } from '../../../server/test/server-helpers';
import { launchChromium, screenshot } from '../harness';
import { addPeople, TAISHAN_CHAIN } from '../people';
import { openServerStore } from '../server';
import { nodeOf, openFlow, selectNode, signInAdmin } from './designer-harness';

const PASSWORD = 'designer-dept-Password-2026';
const SHOTS = '/tmp/shots/admin';
let browser: Browser;
let running: RunningServer;
let dataDir: string;
let flowId: string;

beforeAll(async () => {
  const opened = await openServerStore('lianxin-designer-dept-e2e-');
  dataDir = opened.dataDir;
  const store = opened.store;
  await addPeople(
    store,
    TAISHAN_CHAIN,
    [['taishan-admin', '台山市管理员', '440781', 'admin']],
    PASSWORD,
  );
  const departments = new Departments(store.database, store.clock);
  await departments.create({
    jurisdiction: '440781',
    code: 'housing',
    name: { 'zh-CN': '住建局' },
  });
  await departments.create({
    jurisdiction: '440781',
    code: 'justice',
    name: { 'zh-CN': '司法局' },
  });
  running = await startServer(store, opened.config, silentLogger, { scheduler: false });
  // A draft whose 办理答复 step is sent to "sifa", a code the county's list does not hold.
  const admin = client(running.url);
  await admin.auth.login.mutate({ username: 'taishan-admin', password: PASSWORD });
  const nodes = structuredClone(flowJson.nodes) as Array<Record<string, unknown>>;
  (nodes[3] as { assignee: unknown }).assignee = { role: 'handler', department: 'sifa' };
  const saved = await admin.flows.saveDraft.mutate({
    jurisdiction: '440781',
    key: 'dept-pick',
    definition: { ...flowJson, key: 'dept-pick', jurisdiction: '440781', nodes },
  });
  flowId = saved.flowId;
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await running?.close();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

const OPEN = '.ant-select-dropdown:not(.ant-select-dropdown-hidden) .ant-select-item-option';

describe('承办部门 in the designer against the real server', () => {
  it('an unlisted department is a located problem; the admin picks 司法局 by name from the county list and the check passes', async () => {
    const { page, errors } = await signInAdmin(browser, running.url, {
      password: PASSWORD,
      ready: 'nav-admin',
    });
    await openFlow(page, running.url, flowId);
    // The server's live check names the unknown department.
    await page
      .getByTestId('problem-row')
      .filter({ hasText: '承办部门 “sifa” 不在本辖区的部门列表中' })
      .waitFor();
    const picker = (await selectNode(page, 'handle')).getByTestId('prop-department');
    await expect.poll(() => picker.innerText()).toContain('未登记的部门（sifa）');
    await picker.click();
    await page.locator(OPEN).first().waitFor();
    expect(await page.locator(OPEN).allInnerTexts()).toEqual([
      '住建局',
      '司法局',
      '未登记的部门（sifa）',
    ]);
    mkdirSync(SHOTS, { recursive: true });
    // The list's opening animation, for the picture only.
    await page.waitForTimeout(400);
    await page.screenshot({ path: `${SHOTS}/5-designer-department.png` });
    await page.locator(OPEN, { hasText: '司法局' }).click();
    await expect.poll(() => picker.innerText()).toContain('司法局');
    // The error is gone (the fixture's own warning about refusals stays).
    await expect
      .poll(() => page.getByTestId('problem-row').filter({ hasText: '承办部门' }).count())
      .toBe(0);
    await page.getByTestId('problem-row').first().waitFor();
    await page.screenshot({ path: `${SHOTS}/6-designer-department-picked.png` });
    await screenshot(page, 'designer-department-picked');
    // The definition holds the code, not the name.
    expect(await nodeOf(page, 'handle')).toMatchObject({ assignee: { department: 'justice' } });
    expect(errors).toEqual([]);
    await page.close();
  });
});
