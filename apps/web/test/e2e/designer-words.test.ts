import { readFile } from 'node:fs/promises';
import type { FlowDefinition } from '@lianxin/spec';
import type { Locator } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { choose, screenshot } from '../harness';
import { flowOf, newFlow, nodeOf, selectNode, servedApp, signInAdmin } from './designer-harness';

const app = servedApp();
const signIn = () => signInAdmin(app.browser, app.url);

/** Types a number the way a person does: into the field, then Enter. */
async function type(field: Locator, text: string) {
  await field.fill(text);
  await field.press('Enter');
}

/** What a person can read in a panel: its text and the values in its fields. */
async function readable(panel: Locator): Promise<string> {
  const text = await panel.innerText();
  const values = await panel
    .locator('input:visible, textarea:visible')
    .evaluateAll((els) => els.map((e) => (e as HTMLInputElement).value));
  return [text, ...values].join('\n');
}

/** ISO 8601 durations, node ids, role ids: codes a county admin should never have to read. */
const CODES =
  /\bP\d+[DWMY]\b|\bPT\d+H\b|\b(task|timer|start|end)\d*\b|\b(role\d+|receptionist|handler|leader|mediator|workingDays|natural)\b/;

describe('the designer speaks in words, not codes', () => {
  it('takes a deadline as 15 工作日, says why a wrong entry cannot be, and offers roles by name', async () => {
    const { page, errors } = await signIn();
    try {
      // given a new flow with a task after its start
      await newFlow(page, '时限与角色', 'words-test');
      await selectNode(page, 'start');
      await page.getByTestId('palette-task').click();
      const panel = await selectNode(page, 'task1');
      await panel.getByTestId('prop-deadline-switch').click();
      const duration = panel.getByTestId('prop-deadline-duration');
      await duration.waitFor();

      // when they type what is not a length, they are told why and nothing is written
      const before = (await nodeOf(page, 'task1'))?.deadline;
      for (const [typed, says] of [
        ['0', '时长须大于 0'],
        ['-5', '时长不能为负数'],
        ['1.5', '时长须为整数'],
        ['十五', '“十五”不是数字'],
        ['99999', '时长过长：最多 2500 工作日'],
      ] as const) {
        await type(duration, typed);
        await expect
          .poll(() => panel.getByTestId('prop-deadline-duration-error').textContent())
          .toBe(says);
        expect((await nodeOf(page, 'task1'))?.deadline).toEqual(before);
      }
      await screenshot(page, 'words-01-wrong-length');

      // and a length in natural days, then in working days, is written as the format's value
      await type(duration, '20');
      await choose(page, panel.getByTestId('prop-deadline-duration-unit'), '天');
      await expect
        .poll(async () => (await nodeOf(page, 'task1'))?.deadline)
        .toMatchObject({ duration: 'P20D', calendar: 'natural' });
      expect(await panel.getByTestId('prop-deadline-duration-error').count()).toBe(0);
      await choose(page, panel.getByTestId('prop-deadline-duration-unit'), '工作日');
      await type(duration, '15');
      await expect
        .poll(async () => (await nodeOf(page, 'task1'))?.deadline)
        .toMatchObject({ duration: 'P15D', calendar: 'workingDays' });
      // the warning counts in the deadline's calendar; a colour may count in its own
      await type(panel.getByTestId('prop-deadline-warning'), '2');
      await type(panel.getByTestId('prop-deadline-urgency-red'), '5');
      await type(panel.getByTestId('prop-deadline-urgency-yellow'), '4');
      await choose(page, panel.getByTestId('prop-deadline-urgency-yellow-unit'), '小时');
      await expect
        .poll(async () => (await nodeOf(page, 'task1'))?.deadline)
        .toEqual({
          duration: 'P15D',
          calendar: 'workingDays',
          warningBefore: 'P2D',
          rollOverHolidays: false,
          byUrgency: { red: 'P5D', yellow: { duration: 'PT4H', calendar: 'natural' } },
        });

      // then the task panel shows no code: no P15D, no task1, no role id
      await panel.getByTestId('prop-deadline-urgency-green').scrollIntoViewIfNeeded();
      await screenshot(page, 'words-02-task-panel');
      expect(await readable(panel)).not.toMatch(CODES);
      expect(await panel.innerText()).toContain('工作日');

      // a timer waits 2 小时
      await page.getByTestId('palette-timer').click();
      const timer = await selectNode(page, 'timer1');
      await type(timer.getByTestId('prop-timer-wait'), '2');
      await choose(page, timer.getByTestId('prop-timer-wait-unit'), '小时');
      await expect
        .poll(async () => (await nodeOf(page, 'timer1'))?.wait)
        .toEqual({ duration: 'PT2H', calendar: 'natural' });
      expect(await readable(timer)).not.toMatch(CODES);

      // a multi-instance task names the list it runs over by the field's title, not its code
      await page.getByTestId('palette-multiTask').click();
      const over = (await selectNode(page, 'multi1')).getByTestId('prop-over');
      await expect.poll(() => over.innerText()).toContain('表单中还没有这个列表字段');
      expect(await over.innerText()).not.toContain('departments');

      // an automatic step says what it does in words; its JSON waits under 以 JSON 编辑
      await page.getByTestId('palette-action').click();
      const actionPanel = await selectNode(page, 'action1');
      await expect
        .poll(() => actionPanel.getByTestId('operations-words').innerText())
        .toBe('通知信访人：“您的信访事项已受理”');
      expect(await actionPanel.innerText()).not.toMatch(/notify|petitioner|"op"/);
      await screenshot(page, 'words-04-action-panel');

      // 添加角色 offers the system's roles by name and creates no role1
      await page.locator('.lx-workspace .react-flow__pane').click({ position: { x: 30, y: 30 } });
      const flowPanel = page.getByTestId('flow-panel');
      await flowPanel.waitFor();
      const addRole = flowPanel.getByTestId('add-role');
      await addRole.scrollIntoViewIfNeeded();
      await addRole.click({ force: true });
      const offered = page.locator('.ant-select-dropdown:visible .ant-select-item-option');
      await offered.first().waitFor();
      const names = await offered.allInnerTexts();
      expect(names).toContain('调解员');
      expect(names).toContain('律师');
      expect(names).not.toContain('接访员'); // already the flow's
      expect(names.join()).not.toMatch(/[A-Za-z]/);
      await page.keyboard.press('Escape');
      await choose(page, addRole, '调解员');
      await expect
        .poll(async () => (await flowOf(page)).roles.at(-1))
        .toEqual({ id: 'mediator', name: { 'zh-CN': '调解员', en: 'Mediator' } });
      const called = flowPanel
        .locator('[data-testid="flow-role"][data-role-id="mediator"]')
        .getByRole('textbox');
      await type(called, '人民调解员');
      await expect
        .poll(async () => (await flowOf(page)).roles.at(-1)?.name['zh-CN'])
        .toBe('人民调解员');
      expect((await flowOf(page)).roles.map((r) => r.id)).not.toContain('role1');
      await flowPanel.getByTestId('flow-roles').scrollIntoViewIfNeeded();
      await screenshot(page, 'words-03-flow-panel');
      expect(await readable(flowPanel.getByTestId('flow-roles'))).not.toMatch(CODES);

      // the task's 办理角色 offers it by the flow's name for it (the canvas fitted: the
      // flow has grown past the screen)
      await page.getByTestId('fit').click();
      await choose(page, (await selectNode(page, 'task1')).getByTestId('prop-role'), '人民调解员');
      await expect
        .poll(async () => ((await nodeOf(page, 'task1'))?.assignee as { role?: string })?.role)
        .toBe('mediator');

      // the saved flow's JSON holds the format's values
      await page.getByTestId('save').click();
      await page.getByText('草稿已保存').waitFor();
      const [download] = await Promise.all([
        page.waitForEvent('download'),
        page.getByTestId('export').click(),
      ]);
      const saved = JSON.parse(
        await readFile((await download.path()) as string, 'utf8'),
      ) as FlowDefinition;
      expect(saved.nodes.find((n) => n.id === 'task1')).toMatchObject({
        deadline: {
          duration: 'P15D',
          calendar: 'workingDays',
          warningBefore: 'P2D',
          byUrgency: { red: 'P5D', yellow: { duration: 'PT4H', calendar: 'natural' } },
        },
        assignee: { role: 'mediator' },
      });
      expect(saved.nodes.find((n) => n.id === 'timer1')).toMatchObject({
        wait: { duration: 'PT2H', calendar: 'natural' },
      });
    } finally {
      await page.close();
    }
    expect(errors).toEqual([]);
  });
});
