import { readFile } from 'node:fs/promises';
import type { FlowDefinition } from '@lianxin/spec';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { bigFlow } from '../fixtures';
import { choose, connect, screenshot } from '../harness';
import {
  addAfter,
  flowOf,
  newFlow,
  canvasNode as node,
  rename,
  selectNode,
  servedApp,
  signInAdmin,
} from './designer-harness';

const app = servedApp();

const signIn = (seed: FlowDefinition[] = []) =>
  signInAdmin(app.browser, app.url, {
    viewport: { width: 1366, height: 768 },
    seed,
    ...(seed.length ? {} : { atLogin: (page: Page) => screenshot(page, '01-login') }),
  });

async function connectChoosing(page: Page, from: string, to: string, kind?: string) {
  await connect(page, from, to);
  if (kind) {
    await page.locator(`label:has([data-testid="edge-kind-${kind}"])`).click();
    await page
      .getByRole('button', { name: '连 接' })
      .or(page.getByRole('button', { name: '连接' }))
      .click();
    await page.locator('.ant-modal-wrap').waitFor({ state: 'hidden' });
  }
}

/**
 * The edges drawn whose path does not start at the bottom of its source's
 * handle or end at the top of its target's (in flow units, to half a pixel),
 * and how many were checked, `offScreen` of them with an end at a node not
 * drawn: where that node's handle would be comes from a drawn node of its
 * kind (React Flow measures the nodes it draws; for the others it has only
 * the handles the designer gave it).
 */
function edgeEndsOffHandles(
  page: Page,
  flow: FlowDefinition,
): Promise<{ checked: number; offScreen: number; off: string[] }> {
  const nodes = flow.nodes.map((n) => [n.id, n.kind, n.position ?? { x: 0, y: 0 }] as const);
  const ends = flow.edges.map((e) => [e.id, e.from, e.to] as const);
  return page.evaluate(
    ([nodes, ends]) => {
      const pane = document.querySelector('.lx-canvas .react-flow__pane')?.getBoundingClientRect();
      const vp = document.querySelector<HTMLElement>('.lx-canvas .react-flow__viewport');
      const m = /translate\(([-\d.]+)px, ([-\d.]+)px\) scale\(([\d.]+)\)/.exec(
        vp?.style.transform ?? '',
      );
      if (!pane || !m) return { checked: 0, offScreen: 0, off: ['no viewport'] };
      const [tx, ty, zoom] = [Number(m[1]), Number(m[2]), Number(m[3])];
      const nodeOf = new Map(nodes.map(([id, kind, at]) => [id, { kind, at }]));
      // Where each kind's handles are, from its node's corner, as drawn.
      const offsets = new Map<string, { source: number[]; target: number[] }>();
      for (const el of document.querySelectorAll<HTMLElement>('.lx-canvas .react-flow__node')) {
        const n = nodeOf.get(el.dataset.id ?? '');
        if (!n || offsets.has(n.kind)) continue;
        const at = (type: 'source' | 'target') => {
          const r = el.querySelector(`.react-flow__handle.${type}`)?.getBoundingClientRect();
          if (!r) return [Number.NaN, Number.NaN];
          const x = (r.left + r.width / 2 - pane.left - tx) / zoom - n.at.x;
          const y = ((type === 'source' ? r.bottom : r.top) - pane.top - ty) / zoom - n.at.y;
          return [x, y];
        };
        offsets.set(n.kind, { source: at('source'), target: at('target') });
      }
      const drawn = (id: string) =>
        document.querySelector(`.lx-canvas .react-flow__node[data-id="${id}"]`) !== null;
      const off: string[] = [];
      let checked = 0;
      let offScreen = 0;
      for (const [id, from, to] of ends) {
        const g = document.querySelector(`.lx-canvas .react-flow__edge[data-id="${id}"]`);
        const d = g?.querySelector('path.react-flow__edge-path')?.getAttribute('d');
        const a = nodeOf.get(from);
        const b = nodeOf.get(to);
        const oa = a && offsets.get(a.kind);
        const ob = b && offsets.get(b.kind);
        if (!d || !a || !b || !oa || !ob) continue;
        const nums = (d.match(/-?\d+(\.\d+)?/g) ?? []).map(Number);
        checked += 1;
        if (!drawn(from) || !drawn(to)) offScreen += 1;
        const near = (x: number, y: number, at: { x: number; y: number }, o: number[]) =>
          Math.abs(at.x + (o[0] ?? 0) - x) <= 0.5 && Math.abs(at.y + (o[1] ?? 0) - y) <= 0.5;
        const [sx = 0, sy = 0] = nums;
        const [ex = 0, ey = 0] = nums.slice(-2);
        if (!near(sx, sy, a.at, oa.source) || !near(ex, ey, b.at, ob.target))
          off.push(`${id}: ${d.slice(0, 40)}…`);
      }
      return { checked, offScreen, off };
    },
    [nodes, ends] as const,
  );
}

describe('a county admin in the designer', () => {
  it('builds, checks, simulates and publishes a flow from scratch', async () => {
    const { page, errors } = await signIn();
    try {
      await screenshot(page, '02-flow-list');

      // given a new flow
      await newFlow(page, '来访登记与答复', 'visit-reply');

      // when they draw start → register → decision → two tasks → join → end
      await addAfter(page, 'start', 'task');
      await rename(page, 'task1', '登记受理');
      await addAfter(page, 'task1', 'decision');
      await rename(page, 'decision1', '是否受理');
      await addAfter(page, 'decision1', 'task');
      await rename(page, 'task2', '办理答复');
      await addAfter(page, 'decision1', 'task');
      await rename(page, 'task3', '告知不予受理');
      await addAfter(page, 'task2', 'join');
      await addAfter(page, 'join1', 'end');
      await page.getByTestId('fit').click();
      await page.waitForTimeout(400);

      // each step added after the selected one is connected to it (a decision's first
      // branch by a condition, its second by the default); the second branch joins by hand
      await connectChoosing(page, 'task3', 'join1', 'action');
      let flow = await flowOf(page);
      expect(flow.edges.map((e) => `${e.from}>${e.to}:${e.kind}`)).toEqual([
        'start>task1:next',
        'task1>decision1:action',
        'decision1>task2:condition',
        'decision1>task3:default',
        'task2>join1:action',
        'join1>end1:next',
        'task3>join1:action',
      ]);
      await page.getByTestId('layout').click();
      await page.waitForTimeout(800);
      await screenshot(page, '03-flow-drawn');

      // and a registration form with a conditional field
      await page.getByRole('tab', { name: /表单/ }).click();
      await page.getByTestId('add-form').first().click();
      const title = page.getByTestId('form-title');
      await title.fill('来访登记表');
      await title.press('Enter');
      const addField = async (type: string, label: string, key: string) => {
        await page.getByTestId(`add-field-${type}`).click();
        await page.getByTestId('field-title').fill(label);
        await page.getByTestId('field-title').press('Enter');
        await page.getByTestId('field-key').fill(key);
        await page.getByTestId('field-key').press('Enter');
      };
      await addField('text', '姓名', 'name');
      await page.getByTestId('field-required').click();
      await addField('idCard', '身份证号', 'idCard');
      await addField('mobile', '手机号码', 'mobile');
      await addField('address', '住址', 'address');
      await addField('select', '诉求类别', 'category');
      await page.locator('#field-options').fill('土地征收\n劳资纠纷\n其他');
      await page.locator('#field-options').blur();
      await addField('textarea', '其他诉求说明', 'otherDetail');
      await choose(page, page.getByTestId('field-visible-field'), '诉求类别');
      await choose(page, page.getByTestId('field-visible-value'), '为 其他');
      await addField('boolean', '是否受理', 'accepted');
      await page.getByTestId('field-required').click();
      const preview = page.getByTestId('form-preview');
      await expect.poll(() => preview.locator('#root_otherDetail').count()).toBe(0);
      await choose(page, preview.locator('#root_category'), '其他');
      await preview.locator('#root_otherDetail').waitFor();
      await preview.locator('#root_idCard').fill('110105194912310021');
      await preview.getByText('校验位不符（应为 X）').waitFor();
      await page.keyboard.press('Escape');
      await screenshot(page, '04-form-builder');
      await page.getByRole('tab', { name: 'JSON Schema' }).click();
      expect(await page.getByTestId('json-schema').textContent()).toContain('"cn-id-card"');
      flow = await flowOf(page);
      expect(Object.keys(flow.dataSchema.properties as object)).toEqual([
        'name',
        'idCard',
        'mobile',
        'address',
        'category',
        'otherDetail',
        'accepted',
      ]);

      // the register task uses the form; the condition reads 是否受理
      await page.getByRole('tab', { name: '流程图' }).click();
      const task1 = await selectNode(page, 'task1');
      await choose(page, task1.getByTestId('prop-form'), '来访登记表');
      await task1.getByTestId('prop-deadline-switch').click();
      await page.locator('.react-flow__edge-textwrapper', { hasText: '条件' }).click();
      const builder = page.getByTestId('condition-builder');
      await builder.getByRole('button', { name: '+ 条件', exact: true }).click();
      await choose(page, builder.locator('.rule-fields'), '是否受理');
      await expect
        .poll(() => page.getByTestId('condition-json').textContent())
        .toContain('"accepted"');
      await page.waitForTimeout(600);
      flow = await flowOf(page);
      expect(flow.edges.find((e) => e.id === 'e3')).toMatchObject({
        condition: { and: [{ '==': [{ var: 'accepted' }, true] }] },
      });

      // then the checker reports the join after an exclusive decision, and publishing is off
      const problem = page.getByTestId('problem-row').filter({ hasText: '永远不会触发' });
      await problem.waitFor();
      expect(await page.getByTestId('publish').isDisabled()).toBe(true);
      await screenshot(page, '05-checker-problem');
      await problem.click();
      await page.getByText('任一到达即继续').click();
      await page
        .getByTestId('problems-none')
        .or(page.locator('[data-testid=problem-count]', { hasText: '0 个错误' }))
        .first()
        .waitFor();
      await expect.poll(() => page.getByTestId('publish').isDisabled()).toBe(false);

      // simulate: register a case, watch the deadline, answer it, close it
      await page.getByRole('tab', { name: '模拟运行' }).click();
      // received on Monday 2 March 2026, 09:00 Beijing time (the picker starts at today 09:00)
      const startAt = page.getByTestId('sim-start-at');
      await startAt.click();
      await startAt.fill('2026-03-02 09:00');
      await startAt.press('Enter');
      await page.getByTestId('sim-start').click();
      const card = page.getByTestId('sim-task-task1');
      await card.waitFor();
      // 15 working days from Monday 2 March: due-soon from 19 March (3 working days left), overdue after 23 March
      for (const d of [7, 7, 7]) await page.getByTestId(`sim-advance-${d}`).click();
      await expect.poll(() => card.getByTestId('sim-due-state').textContent()).toBe('临期');
      await screenshot(page, '06a-simulation-due-soon');
      await page.getByTestId('sim-advance-1').click();
      await expect.poll(() => card.getByTestId('sim-due-state').textContent()).toBe('超期');
      await card.locator('#root_name').fill('张三');
      await card.locator('#root_idCard').fill('11010519491231002X');
      await card.locator('#root_mobile').fill('13800138000');
      await choose(page, card.locator('#root_category'), '劳资纠纷');
      await card.getByText('是', { exact: true }).click();
      await screenshot(page, '06-simulation-task');
      await card.getByTestId('sim-action-submit').click();
      const answer = page.getByTestId('sim-task-task2');
      await answer.waitFor();
      await answer.getByTestId('sim-action-submit').click();
      await page.getByTestId('sim-closed').waitFor();
      await screenshot(page, '07-simulation-closed');
      expect(
        await page
          .locator('.react-flow__node.lx-path-visited, .react-flow__node .lx-path-visited')
          .count(),
      ).toBeGreaterThan(0);

      // publish through the backend, and see the version listed
      await page.getByRole('tab', { name: '流程图' }).click();
      await page.getByTestId('publish').click();
      await page.getByTestId('publish-note').fill('首次发布：来访登记、受理与答复');
      await page.getByRole('button', { name: '确认发布' }).click();
      await page.getByText('已发布第 1 版').waitFor();
      await page.getByRole('tab', { name: '版本' }).click();
      await page.getByRole('cell', { name: 'v1' }).waitFor();
      await page.waitForTimeout(400);
      await screenshot(page, '08-versions');

      // a later change shows in the visual diff against version 1
      await page.getByRole('tab', { name: '流程图' }).click();
      await rename(page, 'task3', '告知不予受理并释法');
      await page.getByRole('tab', { name: '版本' }).click();
      await page.getByTestId('diff-run').click();
      await page.getByTestId('diff-summary').getByText('告知不予受理并释法').waitFor();
      expect(
        await page.locator('.react-flow__node[data-id="task3"] .lx-diff-changed').count(),
      ).toBe(1);
      await page.waitForTimeout(400);
      await screenshot(page, '08b-versions-diff');
      expect(errors).toEqual([]);
    } catch (e) {
      await screenshot(page, 'failure-scenario');
      throw e;
    }
  });
});

describe('editing', () => {
  it('undoes and redoes every edit, from the toolbar and the keyboard', async () => {
    const { page, errors } = await signIn();
    await newFlow(page, '撤销测试', 'undo-test');
    // added after start, the new step comes connected to it (one edit)
    await addAfter(page, 'start', 'task');
    await rename(page, 'task1', '受理');
    const ids = async () => (await flowOf(page)).nodes.map((n) => `${n.id}:${n.name['zh-CN']}`);
    const edges = async () => (await flowOf(page)).edges.length;
    await expect.poll(ids).toEqual(['start:登记', 'task1:受理']);
    await expect.poll(edges).toBe(1);

    await page.getByTestId('undo').click(); // the rename
    await expect.poll(ids).toEqual(['start:登记', 'task1:人工任务']);
    await page.locator('.react-flow__pane').click({ position: { x: 20, y: 20 } });
    await page.keyboard.press('Control+z'); // the new node and its connection
    await expect.poll(ids).toEqual(['start:登记']);
    await expect.poll(edges).toBe(0);
    await page.keyboard.press('Control+Shift+z');
    await page.keyboard.press('Control+y');
    await expect.poll(ids).toEqual(['start:登记', 'task1:受理']);
    await expect.poll(edges).toBe(1);

    // delete, copy and paste are edits too
    await selectNode(page, 'task1');
    await page.keyboard.press('Delete');
    await expect.poll(ids).toEqual(['start:登记']);
    await page.keyboard.press('Control+z');
    await expect.poll(ids).toEqual(['start:登记', 'task1:受理']);
    await expect.poll(edges).toBe(1);
    await selectNode(page, 'task1');
    await page.keyboard.press('Control+c');
    await page.keyboard.press('Control+v');
    await expect.poll(ids).toEqual(['start:登记', 'task1:受理', 'task2:受理']);
    await page.keyboard.press('Control+z');
    await expect.poll(ids).toEqual(['start:登记', 'task1:受理']);
    await screenshot(page, '09-undo-redo');
    expect(errors).toEqual([]);
  });

  it('edits who may give each case-level command in the flow properties, starting from the defaults', async () => {
    const { page, errors } = await signIn();
    try {
      await newFlow(page, '撤回权限', 'withdraw-rules');
      const withdraw = page.getByTestId('case-command-case.withdraw');
      await withdraw.scrollIntoViewIfNeeded();
      // The safe default, shown as it is: admins anywhere, receptionists of the registering office.
      await expect.poll(() => withdraw.textContent()).toContain('管理员');
      expect(await withdraw.textContent()).toContain('接访员');
      expect(await withdraw.textContent()).not.toContain('admin');
      await screenshot(page, '13-case-commands-default');
      await withdraw.getByText('在办人员').click();
      await expect
        .poll(async () => (await flowOf(page)).caseCommands?.['case.withdraw'])
        .toEqual({
          anyone: false,
          roles: ['admin'],
          registeringOffice: ['receptionist'],
          workers: true,
          leaderOwner: false,
        });
      await page.getByTestId('case-command-case.comment').getByText('所有可办理本案的人').click();
      await expect
        .poll(async () => (await flowOf(page)).caseCommands?.['case.comment']?.anyone)
        .toBe(false);
      await screenshot(page, '14-case-commands-edited');
    } finally {
      await page.close();
    }
    expect(errors).toEqual([]);
  });

  it('opens a 500-node flow and switches to English', async () => {
    const big = bigFlow(500);
    const { page, errors } = await signIn([big]);
    await screenshot(page, '10-flow-list-seeded');
    await page.getByText('大型流程（500 个节点）').click();
    await node(page, 'start').waitFor();
    expect(await page.locator('.react-flow__node').count()).toBeGreaterThan(10);
    // Only what is on screen was ever drawn (React Flow is told each node's size and handles)…
    expect(await page.locator('.react-flow__node').count()).toBeLessThan(100);
    // …and the edges on screen start and end exactly at the handles drawn.
    const ends = await edgeEndsOffHandles(page, big);
    expect(ends.off).toEqual([]);
    expect(ends.checked).toBeGreaterThan(5);
    expect(ends.offScreen).toBeGreaterThan(0);
    await page.getByTestId('problems-none').waitFor();
    await screenshot(page, '11-big-flow');
    await page.getByTestId('lang-switch').click();
    await page.getByRole('tab', { name: 'Flow' }).waitFor();
    await page.getByTestId('fit').click();
    await (await selectNode(page, 't0')).getByText('Name (Chinese)').waitFor();
    await screenshot(page, '12-big-flow-english');
    expect(errors).toEqual([]);
  });

  it('exports and imports a flow as JSON, refuses a broken file, and reorders form fields by dragging', async () => {
    const { page, errors } = await signIn();
    await newFlow(page, '导入导出', 'io-test');

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByTestId('export').click(),
    ]);
    expect(download.suggestedFilename()).toBe('io-test-v1.json');
    const exported = JSON.parse(
      await readFile((await download.path()) as string, 'utf8'),
    ) as FlowDefinition;
    expect(exported.nodes.map((n) => n.id)).toEqual(['start']);

    const imported = bigFlow(12, 'io-test');
    await page.getByTestId('import-file').setInputFiles({
      name: 'flow.json',
      mimeType: 'application/json',
      buffer: Buffer.from(JSON.stringify(imported)),
    });
    await node(page, 't9').waitFor();
    expect((await flowOf(page)).nodes).toHaveLength(12);
    await page.getByTestId('undo').click();
    await expect.poll(async () => (await flowOf(page)).nodes.length).toBe(1);

    await page.getByTestId('import-file').setInputFiles({
      name: 'broken.json',
      mimeType: 'application/json',
      buffer: Buffer.from(JSON.stringify({ formatVersion: 1, key: 'x', nodes: [] })),
    });
    await page.locator('.ant-modal-confirm-title', { hasText: '无法导入：文件格式不符' }).waitFor();
    await page.waitForTimeout(500);
    await screenshot(page, '15-import-refused');
    await page.getByRole('button', { name: /知道了|OK|确 定/ }).click();

    await page.getByRole('tab', { name: /表单/ }).click();
    await page.getByTestId('add-form').first().click();
    for (const t of ['text', 'mobile', 'date']) await page.getByTestId(`add-field-${t}`).click();
    const order = async () => {
      const f = (await flowOf(page)).forms[0];
      return ((f?.uiSchema?.['ui:order'] ?? []) as string[]).filter((k) => k !== '*');
    };
    await expect.poll(order).toEqual(['field1', 'field2', 'field3']);
    await page.getByTestId('field-field3').dragTo(page.getByTestId('field-field1'));
    await expect.poll(order).toEqual(['field3', 'field1', 'field2']);
    await screenshot(page, '16-fields-reordered');
    expect(errors).toEqual([]);
  });
});
