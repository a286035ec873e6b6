import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import {
  addAfter,
  canvasNode,
  countyFlow,
  flowOf,
  nodeOf,
  openFlow,
  rename,
  serverWithDraft,
  signInAdmin,
} from './designer-harness';

const PASSWORD = 'designer-leave-password';
const SHOTS = '/tmp/shots/designer';

const flow = countyFlow({
  key: 'visit-reply',
  name: '来访登记与答复',
  roles: [{ id: 'receptionist', name: '接访员' }],
  task: { id: 'reply', name: '答复', role: 'receptionist' },
  action: { id: 'reply', label: '答复' },
});

const nameOf = async (page: Page, id: string) => (await nodeOf(page, id))?.name['zh-CN'];

const world = serverWithDraft(
  'lianxin-designer-leave-',
  [['taishan-admin', '台山市管理员']],
  PASSWORD,
  flow,
);

describe('leaving the designer with unsaved edits', () => {
  // Three reloads and two trips through the menu against the real server: once, on a
  // machine running several browser suites, the whole took longer than the default 120 s.
  it('asks before the menu takes the admin away, asks before a reload, and offers the edits back after it', async () => {
    const { page, errors } = await signInAdmin(world.browser, world.url, {
      password: PASSWORD,
      viewport: { width: 1366, height: 768 },
    });
    const designer = `${world.url}/#/flows/${world.flowId}`;
    await openFlow(page, world.url, world.flowId);
    await rename(page, 'reply', '书面答复');

    // The menu: the designer stays until the admin decides.
    await page.getByRole('button', { name: '流程' }).first().click();
    await page.getByText('有未保存的修改').last().waitFor();
    expect(page.url()).toBe(designer);
    await page.screenshot({ path: `${SHOTS}/leave-ask.png` });
    await page.getByRole('button', { name: '留在此页' }).click();
    expect(await nameOf(page, 'reply')).toBe('书面答复');
    expect(page.url()).toBe(designer);

    // Reload: the browser asks first (beforeunload); reloaded, the edits are offered back.
    const asked: string[] = [];
    page.on('dialog', (d) => {
      asked.push(d.type());
      void d.accept();
    });
    await page.reload();
    expect(asked).toEqual(['beforeunload']);
    await page.getByTestId('local-copy').waitFor();
    expect(await nameOf(page, 'reply')).toBe('答复');
    expect(await page.getByTestId('local-copy').innerText()).toContain('1 处不同');
    await page.screenshot({ path: `${SHOTS}/local-copy.png` });
    await page.getByTestId('local-copy-restore').click();
    expect(await nameOf(page, 'reply')).toBe('书面答复');
    await page.getByTestId('save').click();
    await page.getByText('草稿已保存').waitFor();
    const saved = (await world.api.flows.get.query({ flowId: world.flowId })).draft as typeof flow;
    expect(saved.nodes.find((n) => n.id === 'reply')?.name['zh-CN']).toBe('书面答复');

    // Leaving without saving keeps a copy this browser offers next time; discarding drops it.
    // (at once: the copy is written when the designer closes, not only a moment after the edit)
    await rename(page, 'done', '结案');
    await page.getByRole('button', { name: '流程' }).first().click();
    await page.getByTestId('leave-discard').click();
    await page.getByTestId('new-flow').waitFor();
    await page.goto(designer);
    await page.getByTestId('local-copy').waitFor();
    await page.getByTestId('local-copy-discard').click();
    expect(await nameOf(page, 'done')).toBe('办结');
    await page.reload();
    await page.getByTestId('designer').waitFor();
    await page.waitForTimeout(300);
    expect(await page.getByTestId('local-copy').count()).toBe(0);

    // A new flow never saved: after a reload the new-flow page offers it back.
    await page.goto(`${world.url}/#/flows/new`);
    await page.getByTestId('new-flow-name').fill('网格上报处置');
    await page.getByTestId('new-flow-key').fill('grid-report');
    await page.getByTestId('new-flow-create').click();
    await addAfter(page, 'start', 'task');
    await canvasNode(page, 'task1').waitFor();
    await page.reload(); // at once: the page writes the copy as it goes
    await page.getByTestId('unsaved-new-flows').getByText('网格上报处置').waitFor();
    await page.screenshot({ path: `${SHOTS}/unsaved-new-flow.png` });
    await page.getByTestId('unsaved-resume').click();
    await page.getByTestId('designer').waitFor();
    await expect.poll(async () => (await flowOf(page)).nodes.length).toBe(2);
    expect(errors).toEqual([]);
  }, 240_000);
});
