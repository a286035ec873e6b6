import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { FlowDefinition } from '@lianxin/spec';
import { describe, expect, it } from 'vitest';
import { choose, screenshot } from '../harness';
import { canvasNode, flowOf, newFlow, servedApp, signInAdmin } from './designer-harness';

const fixture = join(
  import.meta.dirname,
  '../../../../packages/interchange/test/fixtures/bpmn/camunda7-petition.bpmn',
);

const formFixture = join(
  import.meta.dirname,
  '../../../../packages/interchange/test/fixtures/forms/formjs-petition.form',
);

const app = servedApp();

describe('the designer’s BPMN menu', () => {
  it('imports a Camunda file after the admin maps its groups and reads its problems, and exports BPMN', async () => {
    const { page, errors } = await signInAdmin(app.browser, app.url, { acceptDownloads: true });
    try {
      await newFlow(page, 'BPMN 导入', 'bpmn-import');
      await page.getByTestId('bpmn-menu').waitFor();
      const before = await flowOf(page);
      const role = before.roles[0] as FlowDefinition['roles'][number];

      // given the menu, as a person opens it
      await page.getByTestId('bpmn-menu').click();
      await page.getByRole('menuitem', { name: '导入 BPMN…' }).waitFor();
      await screenshot(page, 'bpmn-01-menu');
      await page.keyboard.press('Escape');

      // when a Camunda Modeler file is chosen
      await page.getByTestId('bpmn-file').setInputFiles(fixture);
      const dialog = page.getByTestId('bpmn-import-dialog');
      await dialog.waitFor();
      // then every problem is listed by the element's name, in Chinese
      await expect.poll(() => dialog.innerText()).toContain('计算补偿');
      const text = await dialog.innerText();
      expect(text).toContain('脚本任务没有对应的连心节点');
      expect(text).toContain('这条条件连线还没有条件');
      expect(text).not.toMatch(/\bbpmn\.|schema\.invalid/);

      // when the admin maps the group “reception” to the flow's first role
      await screenshot(page, 'bpmn-02a-before-mapping');
      await choose(page, page.getByTestId('bpmn-role-reception'), localName(role));
      await expect
        .poll(() => page.getByTestId('bpmn-role-map').innerText())
        .toContain(localName(role));
      await screenshot(page, 'bpmn-02-import-dialog');
      await page.locator('#bpmn-import-ok').click();
      await dialog.waitFor({ state: 'hidden' });

      // then the flow is replaced, keeping its own key, and the task goes to the mapped role
      await expect.poll(async () => (await flowOf(page)).nodes.length).toBeGreaterThan(10);
      const after = await flowOf(page);
      expect(after.key).toBe('bpmn-import');
      expect(after.nodes.find((n) => n.id === 'Task_Accept')).toMatchObject({
        assignee: { role: role.id },
      });
      await canvasNode(page, 'Task_Script').waitFor();
      await screenshot(page, 'bpmn-03-imported');

      // when the admin exports BPMN
      await page.getByTestId('bpmn-menu').click();
      const download = page.waitForEvent('download');
      await page.getByRole('menuitem', { name: '导出 BPMN' }).click();
      const file = await (await download).path();
      const xml = await readFile(file, 'utf8');
      expect(xml).toContain('<bpmn:userTask id="Task_Accept" name="受理审查"');
      expect(xml).toContain('<bpmndi:BPMNShape');
      expect(errors).toEqual([]);
    } finally {
      await page.close();
    }
  });

  it('imports a form-js form into the open flow after showing what each component lost, undoably', async () => {
    const { page, errors } = await signInAdmin(app.browser, app.url);
    try {
      await newFlow(page, '表单导入', 'form-import');
      await page.getByTestId('bpmn-menu').waitFor();
      const before = await flowOf(page);

      // given the menu, as a person opens it, offers the form import
      await page.getByTestId('bpmn-menu').click();
      await page.getByRole('menuitem', { name: '导入表单（form-js / Form.io）…' }).waitFor();
      await page.keyboard.press('Escape');

      // when a file that is no form is chosen, it is refused with the reason and nothing changes
      await page.getByTestId('form-import-file').setInputFiles({
        name: 'not-a-form.json',
        mimeType: 'application/json',
        buffer: Buffer.from('{"title": "随便"}'),
      });
      const dialog = page.getByTestId('form-import-dialog');
      await expect.poll(() => dialog.innerText()).toContain('这不是 form-js 或 Form.io 表单');
      expect(await page.locator('#form-import-ok').isDisabled()).toBe(true);
      // cancelled (again, if the click landed while the dialog was still opening)
      const cancel = page
        .getByRole('button', { name: '取 消' })
        .or(page.getByRole('button', { name: '取消' }));
      await expect
        .poll(async () => {
          if (await dialog.isVisible()) await cancel.click().catch(() => undefined);
          return dialog.isHidden();
        })
        .toBe(true);
      expect((await flowOf(page)).forms).toEqual(before.forms);

      // when the Camunda form-js file is chosen
      await page.getByTestId('form-import-file').setInputFiles(formFixture);
      await dialog.waitFor();
      // then every component is listed with what it lost, in Chinese
      await expect.poll(() => dialog.innerText()).toContain('信访人姓名');
      const text = await dialog.innerText();
      for (const label of ['诉求类别', '征收批文号', '代理人姓名', '已导入', '部分导入', '未导入'])
        expect(text).toContain(label);
      expect(text).not.toMatch(/form\.(lost|component|parse)/);
      expect(text).toContain('无标题组件（text）');
      expect(text).not.toContain('Field_intro');
      // the dialog has finished opening, as a person sees it
      await expect.poll(() => page.evaluate(() => document.getAnimations().length)).toBe(0);
      await screenshot(page, 'bpmn-04-form-import-dialog');
      await page.locator('#form-import-ok').click();
      await dialog.waitFor({ state: 'hidden' });

      // then the 表单 tab shows the new form with its fields, all of them case data
      await page.getByTestId('form-petitionRegister').click();
      await page.getByTestId('field-petitionerName').waitFor();
      await page.getByTestId('field-category').waitFor();
      const after = await flowOf(page);
      expect(after.forms.map((f) => f.id)).toEqual([
        ...before.forms.map((f) => f.id),
        'petitionRegister',
      ]);
      expect(Object.keys(after.dataSchema.properties ?? {})).toEqual(
        expect.arrayContaining(['petitionerName', 'category', 'approvalNo']),
      );
      await screenshot(page, 'bpmn-05-form-imported');

      // when the same file is imported again, the copy gets a fresh id
      await page.getByTestId('form-import-file').setInputFiles(formFixture);
      await expect.poll(() => dialog.innerText()).toContain('信访人姓名');
      await page.locator('#form-import-ok').click();
      await dialog.waitFor({ state: 'hidden' });
      await page.getByTestId('form-petitionRegister_1').waitFor();

      // when the admin presses Ctrl+Z twice on the canvas, both imports are gone
      await page.getByRole('tab', { name: '流程图' }).click();
      await page.locator('.lx-workspace').waitFor();
      await page.keyboard.press('Control+z');
      await expect.poll(async () => (await flowOf(page)).forms.length).toBe(after.forms.length);
      await page.keyboard.press('Control+z');
      await expect.poll(async () => (await flowOf(page)).forms).toEqual(before.forms);
      expect((await flowOf(page)).dataSchema).toEqual(before.dataSchema);
      expect(errors).toEqual([]);
    } finally {
      await page.close();
    }
  });
});

const localName = (r: FlowDefinition['roles'][number]) => r.name['zh-CN'];
