import type { FlowDefinition } from '@lianxin/spec';
import { describe, expect, it } from 'vitest';
import { bigFlow } from '../fixtures';
import { choose, screenshot } from '../harness';
import {
  addAfter,
  canvasNode,
  flowOf,
  newFlow,
  nodeOf,
  selectNode,
  servedApp,
  signInAdmin,
} from './designer-harness';

const app = servedApp();

/** start → 合力办理 (one task per department, its replies collected into a list the case lacks) → 办结. */
function jointFlow(): FlowDefinition {
  const flow = bigFlow(3, 'joint-confirm', { name: '合力办理与司法确认' });
  flow.dataSchema = {
    type: 'object',
    properties: {
      petitionerName: { type: 'string', title: '信访人姓名' },
      departments: { type: 'array', title: '合力办理部门', items: { type: 'string' } },
      replies: { type: 'array', title: '各部门答复', items: { type: 'object' } },
    },
  };
  flow.nodes[1] = {
    id: 'joint',
    kind: 'multiTask',
    name: { 'zh-CN': '合力办理' },
    assignee: { role: 'handler' },
    over: 'departments',
    itemVar: 'item',
    collect: 'departmentReplies',
    position: { x: 0, y: 120 },
  } as FlowDefinition['nodes'][number];
  flow.edges = flow.edges.map((e) =>
    e.from === 't0' ? { ...e, from: 'joint' } : e.to === 't0' ? { ...e, to: 'joint' } : e,
  );
  return flow;
}

/** A draft saved before the checker knew widget names: its one form draws a field with a misspelt widget. */
function brokenFormFlow(): FlowDefinition {
  const flow = bigFlow(3, 'broken-form', { name: '表单出错' });
  flow.dataSchema = {
    type: 'object',
    properties: { petitionerName: { type: 'string', title: '信访人姓名' } },
  };
  flow.forms = [
    {
      id: 'register',
      title: { 'zh-CN': '登记表' },
      schema: {
        type: 'object',
        properties: { petitionerName: { type: 'string', title: '信访人姓名' } },
      },
      uiSchema: { petitionerName: { 'ui:widget': 'textarae' } },
    },
  ];
  return flow;
}

describe('a form the browser cannot draw', () => {
  it('编辑 JSON refuses a widget that does not exist, in Chinese, at its place', async () => {
    const { page, errors } = await signInAdmin(app.browser, app.url);
    try {
      // given a new flow with a form of one field
      await newFlow(page, '控件拼错', 'widget-typo');
      await page.getByRole('tab', { name: /表单/ }).click();
      await page.getByTestId('add-form').first().click();
      await page.getByTestId('add-field-text').click();
      await page.getByTestId('field-title').fill('信访人姓名');
      await page.getByTestId('field-title').press('Enter');
      await page.getByTestId('field-key').fill('petitionerName');
      await page.getByTestId('field-key').press('Enter');
      await page.getByTestId('form-preview').locator('#root_petitionerName').waitFor();
      const before = await flowOf(page);

      // when the admin's own JSON names a widget that does not exist
      await page.getByRole('tab', { name: '编辑 JSON' }).click();
      const raw = page.getByTestId('raw-json');
      await expect.poll(() => raw.inputValue()).toContain('"petitionerName"');
      const form = JSON.parse(await raw.inputValue()) as Record<string, unknown>;
      form.uiSchema = {
        ...(form.uiSchema as object),
        petitionerName: { 'ui:widget': 'textarae' },
      };
      await raw.fill(JSON.stringify(form, null, 2));
      await page.getByTestId('raw-apply').click();

      // then it is not applied, and the message says which field and which widget
      await page.getByText('未应用：').waitFor();
      await page
        .getByText('/uiSchema/petitionerName/ui:widget：', { exact: false })
        .filter({ hasText: '字段“信访人姓名”使用了不存在的控件“textarae”' })
        .waitFor();
      await screenshot(page, 'designer-survives-00-widget-refused');
      expect((await flowOf(page)).forms).toEqual(before.forms);
      expect(errors).toEqual([]);
    } finally {
      await page.close();
    }
  });

  it('says so in Chinese where the form was, keeps the rest of the designer and the unsaved draft, which can be saved and undone', async () => {
    const { page, errors } = await signInAdmin(app.browser, app.url, {
      seed: [brokenFormFlow()],
    });
    try {
      // given a draft whose form names a widget that does not exist (saved before the checker knew)
      await page.getByText('表单出错').first().click();
      await canvasNode(page, 't0').waitFor();

      // then the checker locates it, and the preview says in Chinese that the form cannot be shown
      await page
        .getByTestId('problem-row')
        .filter({ hasText: '使用了不存在的控件“textarae”' })
        .waitFor();
      await page.getByRole('tab', { name: /表单/ }).click();
      await page.getByRole('tab', { name: '实时预览' }).click();
      const preview = page.getByTestId('form-preview');
      const failed = preview.getByTestId('form-crashed');
      await failed.waitFor();
      const said = await failed.innerText();
      expect(said).toContain('表单显示出错');
      expect(said).toContain('页面上其他内容不受影响');
      expect(said).not.toMatch(/[A-Za-z]{4,}/);
      // and the rest of the form builder stays: its fields, its tabs
      await page.getByTestId('field-petitionerName').waitFor();
      await screenshot(page, 'designer-survives-01-form-fails');

      // the rest of the designer works, and the draft with the broken form is saved
      await page.getByRole('tab', { name: '流程图' }).click();
      const nodes = (await flowOf(page)).nodes.length;
      await addAfter(page, 'start', 'task');
      await expect.poll(async () => (await flowOf(page)).nodes.length).toBe(nodes + 1);
      await page.getByTestId('save').click();
      await page.getByText('草稿已保存').waitFor();

      // it opens again from the list as it was left, and 编辑 JSON mends it
      await page.getByRole('button', { name: '流程' }).first().click();
      await page.getByText('表单出错').first().click();
      await canvasNode(page, 't0').waitFor();
      expect((await flowOf(page)).nodes.length).toBe(nodes + 1);
      await page.getByRole('tab', { name: /表单/ }).click();
      await failed.waitFor();
      await page.getByRole('tab', { name: '编辑 JSON' }).click();
      const raw = page.getByTestId('raw-json');
      await expect.poll(() => raw.inputValue()).toContain('textarae');
      await raw.fill((await raw.inputValue()).replace('textarae', 'textarea'));
      await page.getByTestId('raw-apply').click();
      await page.getByRole('tab', { name: '实时预览' }).click();
      await preview.locator('textarea#root_petitionerName').waitFor();
      expect(await failed.count()).toBe(0);
      await screenshot(page, 'designer-survives-02-mended');

      // Undo brings the broken form back; Redo mends it again
      await page.getByTestId('undo').click();
      await failed.waitFor();
      await page.getByTestId('redo').click();
      await preview.locator('textarea#root_petitionerName').waitFor();
      expect(await failed.count()).toBe(0);
      expect(errors).toEqual([]);
    } finally {
      await page.close();
    }
  });
});

describe('fields a step writes are picked by title', () => {
  it('汇总到 and 结果写入字段 offer the case data by title, say when a field is missing, and add a new one in one undoable edit', async () => {
    const { page, errors } = await signInAdmin(app.browser, app.url, { seed: [jointFlow()] });
    try {
      await page.getByText('合力办理与司法确认').click();
      await canvasNode(page, 'joint').waitFor();

      // given 合力办理 collects into a list the case data lacks: the panel and the checker say so
      const joint = await selectNode(page, 'joint');
      const collect = joint.getByTestId('prop-collect');
      await expect.poll(() => collect.innerText()).toContain('案件数据中没有这个字段');
      await joint.getByText('案件数据中没有字段 “departmentReplies”').waitFor();
      const problem = page
        .getByTestId('problem-row')
        .filter({ hasText: '“departmentReplies” 不在案件数据结构' });
      await problem.waitFor();
      await screenshot(page, 'designer-survives-03-collect-missing');

      // when the admin picks 各部门答复 by its title
      await choose(page, collect, '各部门答复');
      await expect.poll(async () => (await nodeOf(page, 'joint'))?.collect).toBe('replies');
      // then the panel shows the title and the problem is gone
      await expect
        .poll(() => collect.locator('.ant-select-selection-item').innerText())
        .toBe('各部门答复');
      await expect.poll(() => problem.count()).toBe(0);

      // given a 子流程 after it, whose outcome can be written into the case data
      const before = await flowOf(page);
      await addAfter(page, 'joint', 'subflow');
      await expect.poll(async () => (await flowOf(page)).nodes.length).toBe(4);
      const sub = (await flowOf(page)).nodes.find((n) => n.kind === 'subflow');
      if (!sub) throw new Error('no subflow added');
      const panel = await selectNode(page, sub.id);
      const outcome = panel.getByTestId('prop-outcome-var');
      // text fields are offered by title; lists are not
      await outcome.click();
      const list = page.locator('.ant-select-dropdown:visible .ant-select-item-option');
      await expect.poll(() => list.allInnerTexts()).toEqual(['信访人姓名']);

      // a name that cannot be a field is explained
      await page.keyboard.type('确认结果');
      await panel.getByText('新字段名只能用英文字母、数字和下划线').waitFor();
      await page.keyboard.press('Escape');

      // when a new name is typed, it is offered as a new field and taken
      await outcome.click();
      await page.keyboard.type('confirmOutcome');
      await choose(page, outcome, '新建字段 “confirmOutcome”（加入案件数据）');
      await expect
        .poll(async () => (await nodeOf(page, sub.id))?.outcomeVar)
        .toBe('confirmOutcome');
      const added = await flowOf(page);
      expect((added.dataSchema.properties as Record<string, unknown>).confirmOutcome).toEqual({
        type: 'string',
        title: '子流程结果',
      });
      await expect
        .poll(() => outcome.locator('.ant-select-selection-item').innerText())
        .toBe('子流程结果');
      await screenshot(page, 'designer-survives-04-outcome-new-field');

      // one undo takes back both the field and the step's use of it
      await page.getByTestId('undo').click();
      await expect.poll(async () => (await flowOf(page)).dataSchema).toEqual(before.dataSchema);
      expect((await nodeOf(page, sub.id))?.outcomeVar).toBeUndefined();
      expect(errors).toEqual([]);
    } finally {
      await page.close();
    }
  });
});
