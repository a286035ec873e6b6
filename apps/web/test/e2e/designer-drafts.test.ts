import { describe, expect, it } from 'vitest';
import {
  countyFlow,
  dispatchEdit,
  flowOf,
  openFlow,
  rename,
  selectNode,
  serverWithDraft,
  signInAdmin,
} from './designer-harness';

const PASSWORD = 'designer-drafts-password';
const SHOTS = '/tmp/shots/designer';
const KEY = 'overseas-chinese-mediation';

/** The county's flow two admins will edit: 登记 → 调解 → 办结. */
const flow = countyFlow({
  key: KEY,
  name: '涉侨纠纷调解',
  roles: [
    { id: 'receptionist', name: '接访员' },
    { id: 'mediator', name: '调解员' },
  ],
  task: { id: 'mediate', name: '调解', role: 'mediator' },
  action: { id: 'agree', label: '达成协议' },
});

const nodeName = (flow: { nodes: { id: string; name: { 'zh-CN': string } }[] }, id: string) =>
  flow.nodes.find((n) => n.id === id)?.name['zh-CN'];

const world = serverWithDraft(
  'lianxin-designer-drafts-',
  [
    ['taishan-admin', '台山市管理员'],
    ['taishan-deputy', '台山市副管理员'],
  ],
  PASSWORD,
  flow,
);

describe('two admins and one flow: nothing is overwritten or lost', () => {
  it('refuses a new flow with a taken key, saves with Ctrl+S from a field, shows a conflict in words, keeps or reloads, pastes, checks as the server does, publishes with a note and restores a version', async () => {
    const as = (username: string) =>
      signInAdmin(world.browser, world.url, {
        username,
        password: PASSWORD,
        viewport: { width: 1366, height: 768 },
      });
    const a = await as('taishan-admin');
    const page = a.page;

    // 新建流程 with the key of the county's flow: refused on the form, nothing replaced.
    await page.getByTestId('new-flow').click();
    await page.getByTestId('new-flow-name').fill('另一个流程');
    await page.getByTestId('new-flow-key').fill(KEY);
    await page.getByTestId('new-flow-create').click();
    await page.getByText(`本辖区已有标识为 ${KEY} 的流程“涉侨纠纷调解”`).waitFor();
    expect(await page.getByTestId('designer').count()).toBe(0);

    // Admin A opens the flow; so does admin B.
    await openFlow(page, world.url, world.flowId);
    const b = await as('taishan-deputy');
    await openFlow(b.page, world.url, world.flowId);

    // A renames 调解 and presses Ctrl+S without leaving the field: the name is saved.
    const mediateName = (await selectNode(page, 'mediate')).getByTestId('prop-name-zh');
    await mediateName.fill('涉侨调解');
    await mediateName.press('Control+s');
    await page.getByText('草稿已保存').waitFor();
    expect(
      nodeName(
        (await world.api.flows.get.query({ flowId: world.flowId })).draft as never,
        'mediate',
      ),
    ).toBe('涉侨调解');

    // B, still on the first draft, renames 办结 and saves: refused, told who and what differs.
    // typed once the panel shows 办结 (CI once typed into the panel as it switched)
    const doneName = (await selectNode(b.page, 'done')).getByTestId('prop-name-zh');
    await doneName.fill('调解结案');
    await doneName.press('Enter');
    await b.page.getByTestId('save').click();
    await b.page.getByTestId('conflict-reason').waitFor();
    expect(await b.page.getByTestId('conflict-reason').innerText()).toMatch(
      /^台山市管理员于 \d{4}-\d\d-\d\d \d\d:\d\d 保存了这个流程的草稿，您的修改尚未保存$/,
    );
    const words = await b.page.getByTestId('conflict-diff').innerText();
    expect(words).toContain('修改 步骤“调解” › 名称：涉侨调解 → 调解');
    expect(words).toContain('修改 步骤“调解结案” › 名称：办结 → 调解结案');
    expect(words).not.toMatch(/mediate|"id"|\bdone\b/);
    await b.page.screenshot({ path: `${SHOTS}/conflict.png` });
    // B keeps theirs: saved over A's, knowingly.
    await b.page.getByTestId('conflict-keep').click();
    await b.page.getByText('草稿已保存').waitFor();
    const kept = (await world.api.flows.get.query({ flowId: world.flowId })).draft as never;
    expect(nodeName(kept, 'done')).toBe('调解结案');

    // A edits again on the draft B replaced: refused; A loads B's version (Undo would bring A's back).
    const startName = (await selectNode(page, 'start')).getByTestId('prop-name-zh');
    await startName.fill('来访登记');
    await startName.press('Enter');
    await page.getByTestId('save').click();
    await page.getByTestId('conflict-reload').click();
    await expect.poll(async () => nodeName(await flowOf(page), 'done')).toBe('调解结案');
    expect(nodeName(await flowOf(page), 'start')).toBe('登记');
    await page.getByTestId('undo').click();
    await expect.poll(async () => nodeName(await flowOf(page), 'start')).toBe('来访登记');
    await page.getByTestId('redo').click();

    // Copy, paste, Delete: the copy goes, the original stays.
    await selectNode(page, 'mediate');
    await page.keyboard.press('Control+c');
    await page.keyboard.press('Control+v');
    await expect.poll(async () => (await flowOf(page)).nodes.length).toBe(4);
    await page.keyboard.press('Delete');
    await expect
      .poll(async () => (await flowOf(page)).nodes.map((n) => n.id))
      .toEqual(['start', 'mediate', 'done']);

    // A 子流程 to a flow published nowhere: the local check passes, the server's does not.
    await dispatchEdit(page, {
      type: 'node.add',
      node: {
        id: 'confirm',
        kind: 'subflow',
        name: { 'zh-CN': '司法确认' },
        flow: { key: 'judicial-confirmation' },
        position: { x: 560, y: 180 },
      },
    });
    // Only the server knows no flow judicial-confirmation is published here or above.
    await page
      .getByTestId('problem-row')
      .filter({ hasText: '找不到子流程 “judicial-confirmation”' })
      .waitFor();
    expect(await page.getByTestId('publish').isDisabled()).toBe(true);
    await page.screenshot({ path: `${SHOTS}/server-check.png` });
    await page.getByTestId('undo').click();
    await page.getByTestId('problems-none').waitFor();

    // 发布 asks for a note and confirmation; the note is kept in 版本.
    await page.getByTestId('publish').click();
    await page.getByRole('button', { name: '确认发布' }).click();
    await page.getByTestId('publish-note-error').waitFor();
    await page.getByTestId('publish-note').fill('结案节点更名为调解结案');
    await page.screenshot({ path: `${SHOTS}/publish-note.png` });
    await page.getByRole('button', { name: '确认发布' }).click();
    await page.getByText('已发布第 1 版').waitFor();
    expect((await world.api.flows.versions.query({ flowId: world.flowId }))[0]?.note).toBe(
      '结案节点更名为调解结案',
    );

    // After more edits, version 1 comes back as the draft.
    await rename(page, 'done', '结束');
    await page.getByRole('tab', { name: '版本' }).click();
    await page.getByTestId('versions').getByText('结案节点更名为调解结案').waitFor();
    await page.getByTestId('diff-run').click();
    await page.getByText('修改 步骤“结束” › 名称：调解结案 → 结束').waitFor();
    await page.screenshot({ path: `${SHOTS}/versions-diff.png` });
    await page.getByTestId('restore-1').click();
    await page.locator('.ant-popconfirm button.ant-btn-primary').click();
    await page.getByText('已将第 1 版恢复为草稿').waitFor();
    await expect.poll(async () => nodeName(await flowOf(page), 'done')).toBe('调解结案');
    expect(a.errors).toEqual([]);
    expect(b.errors).toEqual([]);
  });
});
