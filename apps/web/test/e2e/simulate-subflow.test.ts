import { rmSync } from 'node:fs';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningServer, startServer } from '../../../server/src/app';
import { silentLogger } from '../../../server/src/log';
import { launchChromium, screenshot, signIn } from '../harness';
import { addPeople, TAISHAN_CHAIN } from '../people';
import { openServerStore } from '../server';

const PASSWORD = 'subflow-e2e-password';
let browser: Browser;
let running: RunningServer;
let dataDir: string;

/** start → one task (role `role`, button `action`) → [subflow calling `calls`] → end. */
function flow(key: string, name: string, role: [string, string], calls?: string) {
  const end = { id: 'end', kind: 'end', name: { 'zh-CN': '办结' }, outcome: 'resolved' };
  return {
    formatVersion: 1,
    key,
    version: 1,
    name: { 'zh-CN': name },
    jurisdiction: '440781',
    roles: [{ id: role[0], name: { 'zh-CN': role[1] } }],
    dataSchema: { type: 'object', properties: {} },
    forms: [],
    clocks: [],
    nodes: [
      { id: 'start', kind: 'start', name: { 'zh-CN': '登记' }, channels: ['visit'] },
      { id: 'work', kind: 'task', name: { 'zh-CN': `${name}办理` }, assignee: { role: role[0] } },
      ...(calls
        ? [{ id: 'child', kind: 'subflow', name: { 'zh-CN': '司法确认' }, flow: { key: calls } }]
        : []),
      end,
    ],
    edges: [
      { id: 'e1', kind: 'next', from: 'start', to: 'work' },
      {
        id: 'e2',
        kind: 'action',
        from: 'work',
        to: calls ? 'child' : 'end',
        action: 'done',
        label: { 'zh-CN': '办理完毕' },
      },
      ...(calls ? [{ id: 'e3', kind: 'next', from: 'child', to: 'end' }] : []),
    ],
  };
}

beforeAll(async () => {
  const opened = await openServerStore('lianxin-subflow-e2e-');
  dataDir = opened.dataDir;
  const { store, config } = opened;
  await addPeople(
    store,
    TAISHAN_CHAIN,
    [['taishan-admin', '台山市管理员', '440781', 'admin']],
    PASSWORD,
  );
  const child = flow('confirm-e2e', '司法确认', ['courtLiaison', '法院联络员']);
  const parent = flow('mediate-e2e', '行业调解', ['mediator', '调解员'], 'confirm-e2e');
  for (const f of [child, parent]) {
    const row = await store.saveDraft({
      jurisdiction: '440781',
      key: f.key,
      name: f.name,
      draft: f,
      by: null,
    });
    await store.publish(row.id, null);
  }
  running = await startServer(store, config, silentLogger, { scheduler: false });
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await running?.close();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

describe('模拟运行 with a subflow, against the real server', () => {
  it("runs the child case: its task appears under the child's role, and finishing it closes the parent", async () => {
    const { page, errors } = await signIn(
      browser,
      running.url,
      'taishan-admin',
      PASSWORD,
      'new-flow',
    );
    await page.getByText('行业调解').first().click();
    await page.getByRole('tab', { name: '模拟运行' }).click();
    await page.getByTestId('sim-start').click();
    await page.getByTestId('sim-task-work').getByTestId('sim-action-done').click();
    // the child case waits for its own role, which the parent flow does not have
    await page.getByTestId('sim-switch-courtLiaison').click();
    const childTask = page.getByTestId('sim-task-work');
    expect(await childTask.getByTestId('sim-child-case').innerText()).toBe('子案件 司法确认');
    await screenshot(page, '15-simulation-child-case');
    await childTask.getByTestId('sim-action-done').click();
    await page.getByTestId('sim-closed').waitFor();
    expect(errors).toEqual([]);
  });

  it('names the called flow in the 子流程 panel and offers the published flows by name', async () => {
    const { page, errors } = await signIn(
      browser,
      running.url,
      'taishan-admin',
      PASSWORD,
      'new-flow',
    );
    await page.getByText('行业调解').first().click();
    await page.locator('.lx-workspace .react-flow__node[data-id="child"]').click();
    const picker = page
      .locator('[data-testid="node-panel"][data-node-id="child"]')
      .getByTestId('prop-subflow');
    await expect.poll(() => picker.innerText()).toBe('司法确认');
    await picker.click();
    // the published flows by name; the open flow cannot call itself
    const options = page.locator('.ant-select-dropdown:visible .ant-select-item-option');
    await expect.poll(() => options.allInnerTexts()).toEqual(['司法确认']);
    await screenshot(page, '15b-subflow-picker');
    expect(await page.getByTestId('node-panel').innerText()).not.toContain('confirm-e2e');
    // the canvas names the called flow too, not its key
    const onCanvas = page.locator('.lx-workspace .react-flow__node[data-id="child"]');
    await expect.poll(() => onCanvas.innerText()).not.toContain('confirm-e2e');
    expect(errors).toEqual([]);
  });
});
