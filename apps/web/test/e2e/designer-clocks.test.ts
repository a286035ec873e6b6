import { rmSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// The real server (HTTP, tRPC, SQLite) and its demo seed, started from their source.
import { type RunningServer, startServer } from '../../../server/src/app';
import { silentLogger } from '../../../server/src/log';
import { DEMO_PASSWORD, seedDemo } from '../../../server/src/seed';
import { client } from '../../../server/test/server-helpers';
import { choose, launchChromium, screenshot, signIn, webRoot } from '../harness';
import { openServerStore } from '../server';
import { canvasNode, chain, flowOf, newFlow, selectNode } from './designer-harness';

let browser: Browser;
let running: RunningServer;
let dataDir: string;

beforeAll(async () => {
  const opened = await openServerStore('lianxin-designer-clocks-e2e-');
  dataDir = opened.dataDir;
  // Every template published by the province and adopted by every county; no cases needed.
  await seedDemo(opened.store, {
    templatesDir: resolve(webRoot, '../../templates'),
    log: silentLogger,
    casesPerFlow: 0,
  });
  running = await startServer(opened.store, opened.config, silentLogger, { scheduler: false });
  browser = await launchChromium();
}, 300_000);
afterAll(async () => {
  await browser?.close();
  await running?.close();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

/** Nothing selected: the properties show the flow's own panel, with its clocks. */
async function flowPanel(page: Page) {
  await page.keyboard.press('Escape');
  await page.getByTestId('flow-panel').waitFor();
  return page.getByTestId('clocks-panel');
}

/** Adds the flow's first clock, 办理时限 of 60 days, running from `start` until `stop`. */
async function addClock(page: Page, start: string, stop: string): Promise<Locator> {
  const clocks = await flowPanel(page);
  await clocks.getByTestId('clock-add').click();
  const card = clocks.locator('[data-testid="clock-clock1"]');
  await card.waitFor();
  await card.getByTestId('clock-name').fill('办理时限');
  await card.getByTestId('clock-name').press('Enter');
  await card.getByTestId('clock-length').fill('60');
  await card.getByTestId('clock-length').press('Enter');
  await choose(page, card.getByTestId('clock-start'), start);
  await choose(page, card.getByTestId('clock-stop'), stop);
  return card;
}

describe('statutory clocks in the designer', () => {
  it('a county admin adds a 60-day clock to a new flow; a 90-day task inside it is warned of, by the designer and the server', async () => {
    const { page, errors } = await signIn(
      browser,
      running.url,
      'taishan-admin',
      DEMO_PASSWORD,
      'nav-admin',
    );
    // given a new flow 受理 → 答复 → end
    await page.goto(`${running.url}/#/flows`);
    await newFlow(page, '来信办理', 'letter-clock');
    await chain(page, ['受理', '答复']);

    // when the admin adds a clock of 60 天 from entering 受理 until leaving 答复
    const card = await addClock(page, '进入“受理”时', '离开“答复”时');
    await expect
      .poll(async () => (await flowOf(page)).clocks)
      .toEqual([
        {
          id: 'clock1',
          name: { 'zh-CN': '办理时限' },
          start: { on: 'enter', node: 'task1' },
          stop: { on: 'leave', node: 'task2' },
          deadline: { duration: 'P60D', calendar: 'natural', rollOverHolidays: true },
        },
      ]);
    // a wrong length is refused where it was typed, saying why
    await card.getByTestId('clock-length').fill('-5');
    await card.getByTestId('clock-length').press('Enter');
    await expect
      .poll(() => card.getByTestId('clock-length-error').innerText())
      .toBe('时长不能为负数');
    await card.getByTestId('clock-length').fill('60');
    await card.getByTestId('clock-length').press('Enter');
    await card.getByTestId('clock-length-error').waitFor({ state: 'detached' });
    await screenshot(page, 'designer-clock-added');

    // and gives 答复 a deadline of its own of 90 天
    const panel = await selectNode(page, 'task2');
    await panel.getByTestId('prop-deadline-switch').click();
    const duration = panel.getByTestId('prop-deadline-duration');
    await duration.fill('90');
    await choose(page, panel.getByTestId('prop-deadline-duration-unit'), '天');
    await duration.press('Enter');
    await expect
      .poll(async () => {
        const n = (await flowOf(page)).nodes.find((x) => x.id === 'task2') as {
          deadline?: { duration: string; calendar: string };
        };
        return n.deadline && { duration: n.deadline.duration, calendar: n.deadline.calendar };
      })
      .toEqual({ duration: 'P90D', calendar: 'natural' });

    // then the live check warns, naming both the step and the clock
    const warning = '任务“答复”的办理时限 90 天 长于管辖它的法定时限“办理时限”（60 天）';
    const row = page.getByTestId('problem-row').filter({ hasText: warning });
    await row.waitFor();
    await screenshot(page, 'designer-clock-warning');
    // and the server's own check (the one saving and publishing use) says the same
    const api = client(running.url);
    await api.auth.login.mutate({ username: 'taishan-admin', password: DEMO_PASSWORD });
    const server = await api.flows.checkDefinition.mutate({
      jurisdiction: '440781',
      definition: (await flowOf(page)) as unknown as Record<string, unknown>,
    });
    expect(
      server.problems
        .filter((p) => p.code === 'deadline.exceedsClock')
        .map((p) => [p.pointer, p.message['zh-CN'].slice(0, warning.length)]),
    ).toEqual([['/nodes/2/deadline/duration', warning]]);

    // and shortening the deadline to 60 天 clears it
    await duration.fill('60');
    await duration.press('Enter');
    await expect.poll(() => row.count()).toBe(0);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('a county admin makes the clock stand still at 补正材料; the simulation pauses there and moves the due date by the days spent', async () => {
    const { page, errors } = await signIn(
      browser,
      running.url,
      'taishan-admin',
      DEMO_PASSWORD,
      'nav-admin',
    );
    // given a new flow 受理 → 补正材料 → 答复 → end
    await page.goto(`${running.url}/#/flows`);
    await newFlow(page, '补正材料不计时', 'supplement-pause');
    await chain(page, ['受理', '补正材料', '答复']);

    // when the admin adds a 60-day clock from registration to leaving 答复, standing still at 补正材料
    const card = await addClock(page, '案件登记时', '离开“答复”时');
    // the pause steps are offered by name
    await choose(page, card.getByTestId('clock-pause'), '补正材料');
    await page.keyboard.press('Escape');
    await expect.poll(async () => (await flowOf(page)).clocks[0]?.pause).toEqual(['task2']);
    await card
      .getByTestId('clock-pause')
      .locator('.ant-select-selection-item-content', { hasText: '补正材料' })
      .waitFor();
    await screenshot(page, 'designer-clock-pause-step');

    // and runs the simulation: registered on Monday 2 March 2026, 09:00
    await page.getByRole('tab', { name: '模拟运行' }).click();
    const startAt = page.getByTestId('sim-start-at');
    await expect
      .poll(async () => {
        await startAt.click();
        await startAt.fill('2026-03-02 09:00');
        await startAt.press('Enter');
        await page.getByText('登记一个模拟案件').click();
        return startAt.inputValue();
      })
      .toBe('2026-03-02 09:00');
    await page.getByTestId('sim-start').click();
    const clock = page.getByTestId('sim-clock-clock1');
    await clock.waitFor();
    const dueDate = async () => /(\d{4}-\d{2}-\d{2})（/.exec(await clock.innerText())?.[1];
    const before = await dueDate();
    expect(before).toBeDefined();
    // 受理 asks for documents: the case enters 补正材料 and the clock stands still, saying why
    const accept = page.getByTestId('sim-task-task1');
    await accept.waitFor();
    await accept.getByTestId('sim-action-submit').click();
    await page.getByTestId('sim-task-task2').waitFor();
    await expect
      .poll(() => clock.getByTestId('sim-clock-paused').innerText())
      .toBe('暂停中：进入“补正材料”，期限暂停');
    await page
      .getByTestId('sim-event-clock')
      .filter({ hasText: '进入“补正材料”，期限暂停' })
      .waitFor();
    // ten days pass while the petitioner gathers the documents
    await page.getByTestId('sim-advance-7').click();
    await expect.poll(() => page.getByTestId('sim-now').innerText()).toBe('2026-03-09 09:00');
    await page.getByTestId('sim-advance-3').click();
    await expect.poll(() => page.getByTestId('sim-now').innerText()).toBe('2026-03-12 09:00');
    await screenshot(page, 'designer-clock-pause-simulated');
    // then the documents come in: the clock counts again, due ten days later than before (6 May,
    // after 劳动节), Saturday 16 May: a rest day, so the end of Monday 18 May (民法典 第二百零三条)
    await page.getByTestId('sim-task-task2').getByTestId('sim-action-submit').click();
    await page.getByTestId('sim-task-task3').waitFor();
    await clock.getByTestId('sim-clock-paused').waitFor({ state: 'detached' });
    expect(before).toBe('2026-05-06');
    await expect.poll(dueDate).toBe('2026-05-18');
    await page
      .getByTestId('sim-event-clock')
      .filter({ hasText: '离开“补正材料”，恢复计时' })
      .waitFor();
    await screenshot(page, 'designer-clock-pause-resumed');
    expect(errors).toEqual([]);
    await page.close();
  });

  it('an adopted template flow shows the clocks the province locked greyed, with a lock, who locked it and the reason, and cannot edit them', async () => {
    const api = client(running.url);
    await api.auth.login.mutate({ username: 'taishan-admin', password: DEMO_PASSWORD });
    const flows = (await api.flows.list.query({})) as Array<{
      id: string;
      key: string;
      jurisdiction: string;
    }>;
    const adopted = flows.find((f) => f.key === 'standard-petition' && f.jurisdiction === '440781');
    expect(adopted).toBeDefined();
    const { page, errors } = await signIn(
      browser,
      running.url,
      'taishan-admin',
      DEMO_PASSWORD,
      'nav-admin',
    );
    await page.goto(`${running.url}/#/flows/${encodeURIComponent(adopted?.id ?? '')}`);
    await canvasNode(page, 'accept').waitFor();
    const clocks = await flowPanel(page);
    // 受理期限: its length is locked (greyed, disabled, the lock and who locked it); its name is not
    const acceptance = clocks.locator('[data-clock-name="受理期限"]');
    await acceptance.scrollIntoViewIfNeeded();
    const locked = acceptance.getByTestId('clock-deadline-locked');
    await locked.waitFor();
    await expect
      .poll(() => locked.getByTestId('lock-note').innerText())
      .toContain('由省级模板“信访事项办理标准流程”（第 2 版）锁定，县级不能修改');
    // with the reason the province gave (template.json lockReasons)
    expect(await locked.getByTestId('lock-reason').innerText()).toBe(
      '理由：《信访工作条例》规定的受理期限：收到信访事项之日起 15 日内决定是否受理并告知信访人',
    );
    expect(await locked.getByTestId('clock-length').isDisabled()).toBe(true);
    expect(await acceptance.getByTestId('clock-name').isDisabled()).toBe(false);
    expect(await acceptance.getByTestId('clock-remove').isDisabled()).toBe(true);
    await acceptance.getByTestId('lock-icon').first().waitFor();
    await screenshot(page, 'designer-clock-locked');
    expect(errors).toEqual([]);
    await page.close();
  });
});
