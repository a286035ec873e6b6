import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningServer, startServer } from '../../../server/src/app';
import { silentLogger } from '../../../server/src/log';
import { client } from '../../../server/test/server-helpers';
import { clickUntil, launchChromium, screenshot, signIn, webRoot } from '../harness';
import { addPeople, TAISHAN_CHAIN } from '../people';
import { openServerStore } from '../server';

const PASSWORD = 'calendar-e2e-Password-2026';
/** The server's clock: Monday 23 November 2026, 09:00 in Beijing (the issue's own example). */
const NOW = new Date('2026-11-23T09:00:00+08:00');

let browser: Browser;
let running: RunningServer;
let dataDir: string;
let trackingCode = '';
let caseId = '';

/** start → one task (`deadline`) → end, with an optional statutory clock from the start to the end. */
function flow(
  key: string,
  name: string,
  deadline: { duration: string; calendar: string },
  clock?: { name: string; duration: string; calendar: string },
) {
  return {
    formatVersion: 1,
    key,
    version: 1,
    name: { 'zh-CN': name },
    jurisdiction: '440781',
    roles: [{ id: 'handler', name: { 'zh-CN': '办理人' } }],
    dataSchema: { type: 'object', properties: {} },
    forms: [],
    clocks: clock
      ? [
          {
            id: 'statutory',
            name: { 'zh-CN': clock.name },
            start: { on: 'caseStart' },
            stop: { on: 'enter', node: 'end' },
            deadline: { duration: clock.duration, calendar: clock.calendar },
          },
        ]
      : [],
    nodes: [
      { id: 'start', kind: 'start', name: { 'zh-CN': '登记' }, channels: ['visit'] },
      {
        id: 'work',
        kind: 'task',
        name: { 'zh-CN': '部门办理' },
        assignee: { role: 'handler' },
        deadline,
      },
      { id: 'end', kind: 'end', name: { 'zh-CN': '办结' }, outcome: 'resolved' },
    ],
    edges: [
      { id: 'e1', kind: 'next', from: 'start', to: 'work' },
      {
        id: 'e2',
        kind: 'action',
        from: 'work',
        to: 'end',
        action: 'done',
        label: { 'zh-CN': '办理完毕' },
      },
    ],
  };
}

/** 60 working days to handle: started 2026-11-23 it reaches 2027, a year no notice has fixed yet. */
const LONG = flow(
  'workdays-e2e',
  '六十个工作日办理',
  { duration: 'P60D', calendar: 'workingDays' },
  { name: '办理期限', duration: 'P60D', calendar: 'workingDays' },
);
/** 3 working days, and a 7-day statutory clock that rolls past holidays: tried across 国庆 2026. */
const SHORT = flow(
  'national-day-e2e',
  '国庆前后办理',
  { duration: 'P3D', calendar: 'workingDays' },
  { name: '告知期限', duration: 'P7D', calendar: 'natural' },
);

/**
 * A 2027 arrangement in the State Council's form, made up for this test (the
 * real notice is not out yet): 春节 2月5日–13日 with 1月31日 and 2月20日 worked,
 * 国庆 10月1日–7日 with 9月26日 and 10月9日 worked, the rest as the 放假办法 says.
 */
const NOTICE_2027 = `国务院办公厅关于2027年部分节假日安排的通知
国办发明电〔2026〕9号
各省、自治区、直辖市人民政府，国务院各部委、各直属机构：
经国务院批准，现将2027年元旦、春节、清明节、劳动节、端午节、中秋节和国庆节放假调休日期的具体安排通知如下。
一、元旦：1月1日（周五）至3日（周日）放假，共3天。
二、春节：2月5日（农历除夕、周五）至13日（农历正月初八、周六）放假调休，共9天。1月31日（周日）、2月20日（周六）上班。
三、清明节：4月3日（周六）至5日（周一）放假，共3天。
四、劳动节：5月1日（周六）至5日（周三）放假调休，共5天。4月25日（周日）、5月8日（周六）上班。
五、端午节：6月9日（周三）放假1天，不调休。
六、中秋节：9月15日（周三）放假1天，不调休。
七、国庆节：10月1日（周五）至7日（周四）放假调休，共7天。9月26日（周日）、10月9日（周六）上班。
节假日期间，各地区、各部门要妥善安排好值班和安全、保卫、疫情防控等工作，遇有重大突发事件，要按规定及时报告并妥善处置，确保人民群众祥和平安度过节日假期。
国务院办公厅
2026年11月10日`;

/** The State Council's published notice for 2025, as the engine's notice reader is tested on it. */
const NOTICE_2025 = readFileSync(
  join(webRoot, '../../packages/engine/test/fixtures/notices/2025.txt'),
  'utf8',
);

beforeAll(async () => {
  const opened = await openServerStore('lianxin-calendar-e2e-', { now: () => NOW });
  dataDir = opened.dataDir;
  const { store, config } = opened;
  await addPeople(
    store,
    // 开平市: 台山's neighbour, which keeps no local days
    [...TAISHAN_CHAIN, ['440783', '开平市', 'county', '440700']],
    [
      ['guangdong-admin', '广东省管理员', '440000', 'admin'],
      ['taishan-admin', '台山市管理员', '440781', 'admin'],
      ['taishan-clerk', '台山接访员 李敏', '440781', 'receptionist'],
      ['taishan-handler', '台山办理人 何伟', '440781', 'handler'],
    ],
    PASSWORD,
  );
  running = await startServer(store, config, silentLogger, { scheduler: false });
  const admin = client(running.url);
  await admin.auth.login.mutate({ username: 'taishan-admin', password: PASSWORD });
  const ids: Record<string, string> = {};
  for (const f of [LONG, SHORT]) {
    const saved = await admin.flows.saveDraft.mutate({
      jurisdiction: '440781',
      key: f.key,
      definition: f as unknown as Record<string, unknown>,
    });
    await admin.flows.publish.mutate({ flowId: saved.flowId });
    ids[f.key] = saved.flowId;
  }
  const clerk = client(running.url);
  await clerk.auth.login.mutate({ username: 'taishan-clerk', password: PASSWORD });
  ({ caseId, trackingCode } = await clerk.cases.register.mutate({
    flowId: ids[LONG.key] ?? '',
    channel: 'visit',
    data: {},
  }));
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await running?.close();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

/** Text a person reads on a Chinese screen: no English words, no codes. */
async function chineseOnly(region: Locator, allowed: RegExp[] = []) {
  let text = await region.innerText();
  for (const a of allowed) text = text.replace(a, '');
  expect(text.match(/[A-Za-z_]{2,}/g) ?? []).toEqual([]);
}

/** The handler, on a laptop set to California time (deadlines must still read in Beijing time). */
async function californian(): Promise<{
  page: Page;
  errors: string[];
  close: () => Promise<void>;
}> {
  const context = await browser.newContext({
    viewport: { width: 1366, height: 768 },
    timezoneId: 'America/Los_Angeles',
  });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(`${running.url}/#/login`);
  await page.getByTestId('login-username').fill('taishan-handler');
  await page.getByTestId('login-password').fill(PASSWORD);
  await page.getByTestId('login-submit').click();
  await page.getByTestId('nav-calendar').waitFor();
  return { page, errors, close: () => context.close() };
}

async function openCase(page: Page) {
  await page.goto(`${running.url}/#/workbench/case/${encodeURIComponent(caseId)}`);
  await page.getByTestId('case-page').waitFor();
}

const day = (page: Page, grid: string, date: string) =>
  page.getByTestId(grid).getByTestId(`day-${date}`);

describe('the working-day calendar against the real server', () => {
  it('before 2027 is published, a deadline reaching it says 临时 on the case and in the case list', async () => {
    const { page, errors, close } = await californian();
    await openCase(page);
    // 60 working days from 23 November 2026 on the provisional 2027: Thursday 18 February,
    // 23:59 in Beijing (07:59 that morning in California, which the page must not show)
    const clock = page.getByTestId('clock-statutory');
    await expect.poll(() => clock.getByTestId('clock-due').innerText()).toBe('2027-02-18 23:59');
    await clock.getByTestId('provisional').getByText('临时').waitFor();
    await page.getByTestId('task-work').getByTestId('provisional').waitFor();
    await screenshot(page, 'calendar-00a-case-provisional');
    await page.goto(`${running.url}/#/workbench`);
    await page.getByRole('tab', { name: '案件查询' }).click();
    const row = page.getByTestId('case-table').locator('tr', { hasText: trackingCode });
    await row.getByTestId('provisional').waitFor();
    expect(errors).toEqual([]);
    await close();
  });

  it('a provincial admin reads notices, previews the deadlines 2027 moves and publishes it', async () => {
    const { page, errors } = await signIn(browser, running.url, 'guangdong-admin', PASSWORD);

    // the dashboard: 2026 official (the bundled data), 2027 provisional, one open case counted on it
    await page.getByTestId('nav-dashboard').click();
    const coverage = page.getByTestId('calendar-coverage-card');
    await coverage.getByTestId('coverage-2027').getByText('2027 临时').waitFor();
    await coverage.getByTestId('coverage-2026').getByText('2026 官方（内置）').waitFor();
    await coverage.getByText('1 件在办事项的期限为临时推算').waitFor();
    await chineseOnly(coverage, [/\d+/g]);
    await screenshot(page, 'calendar-01-dashboard-provisional');

    // the year view of 2027: provisional, statutory days only
    await coverage.getByTestId('coverage-link').click();
    await page.getByTestId('calendar-page').waitFor();
    await page.getByTestId('calendar-year').click();
    await page.locator('.ant-select-item-option', { hasText: '2027 年' }).click();
    await page.getByTestId('status-provisional').waitFor();
    expect(await day(page, 'year-grid', '2027-02-06').getAttribute('data-kind')).toBe('holiday');
    expect(await day(page, 'year-grid', '2027-02-09').getAttribute('data-kind')).toBe('workday');
    await chineseOnly(page.getByTestId('calendar-year-view'));
    await page.mouse.move(0, 300);
    await screenshot(page, 'calendar-02-year-2027-provisional');

    // a past year's published notice reads into exactly that year's arrangement
    await page.getByTestId('tab-notice').click();
    await page.getByTestId('notice-text').fill(NOTICE_2025);
    await page.getByTestId('notice-parse').click();
    await page.getByTestId('draft-title').getByText('2025 年').waitFor();
    expect(await page.getByTestId('notice-problems').count()).toBe(0);
    for (const date of ['2025-10-01', '2025-10-08', '2025-01-28', '2025-02-04'])
      expect(await day(page, 'draft-grid', date).getAttribute('data-kind')).toBe('holiday');
    for (const date of ['2025-09-28', '2025-10-11', '2025-01-26', '2025-02-08'])
      expect(await day(page, 'draft-grid', date).getAttribute('data-kind')).toBe('makeUp');
    await screenshot(page, 'calendar-03-notice-2025');

    // the 2027 notice: read, previewed (the open case's deadlines move), published
    await page.getByTestId('notice-text').fill(NOTICE_2027);
    await page.getByTestId('notice-parse').click();
    await page.getByTestId('draft-title').getByText('2027 年').waitFor();
    await page.getByTestId('draft-source').getByText('国办发明电〔2026〕9号').waitFor();
    expect(await page.getByTestId('notice-problems').count()).toBe(0);
    expect(await day(page, 'draft-grid', '2027-02-20').getAttribute('data-kind')).toBe('makeUp');
    // a slip while correcting the draft: a Monday marked as a make-up working day is refused, located
    await page.getByTestId('draft-mark').getByText('调休上班').click();
    await day(page, 'draft-grid', '2027-02-15').click();
    expect(await day(page, 'draft-grid', '2027-02-15').getAttribute('data-kind')).toBe('makeUp');
    await page.getByTestId('notice-preview').click();
    const problems = page.getByTestId('notice-problems');
    await problems.getByText('2027-02-15（周一）', { exact: false }).waitFor();
    await chineseOnly(problems, [/\d{4}-\d{2}-\d{2}/g]);
    expect(await page.getByTestId('notice-publish').isDisabled()).toBe(true);
    await problems.scrollIntoViewIfNeeded();
    await screenshot(page, 'calendar-03b-draft-problem');
    await page.getByTestId('draft-mark').getByText('恢复平常').click();
    await day(page, 'draft-grid', '2027-02-15').click();
    expect(await day(page, 'draft-grid', '2027-02-15').getAttribute('data-kind')).toBe('workday');
    await page.getByTestId('notice-preview').click();
    await expect.poll(() => page.getByTestId('notice-problems').count()).toBe(0);
    const preview = page.getByTestId('notice-preview-result');
    await preview.getByText('在办事项 1 件').waitFor();
    const rows = preview.locator('tbody tr.ant-table-row');
    // the task and the statutory clock: 60 working days from 23 November 2026, counted by
    // hand: provisional 2027 (元旦 1 day, 春节 5–8 Feb) ends on Thursday 18 February; with
    // the notice (1–3 Jan, 5–13 Feb off, 31 Jan worked) on Monday 22 February.
    await expect.poll(() => rows.count()).toBe(2);
    for (const row of await rows.all()) {
      expect(await row.innerText()).toContain(trackingCode);
      expect(await row.getByTestId('preview-from').innerText()).toBe('2027-02-18（周四）23:59');
      expect(await row.getByTestId('preview-to').innerText()).toBe('2027-02-22（周一）23:59');
    }
    await chineseOnly(preview, [new RegExp(trackingCode, 'g')]);
    await preview.scrollIntoViewIfNeeded();
    await screenshot(page, 'calendar-04-preview');
    await page.getByTestId('notice-publish').click();
    await page.getByTestId('notice-reason').fill('国务院办公厅通知发布');
    await page.getByTestId('notice-publish-confirm').click();
    const done = page.getByTestId('notice-published');
    await done.getByText('2027 年放假安排已发布（第 1 版）').waitFor();
    await done.getByText('已重新计算 1 件在办事项，2 个期限变动').waitFor();
    await done.scrollIntoViewIfNeeded();
    await screenshot(page, 'calendar-05-published');

    // the year view now says official, with the notice it rests on
    await page.getByRole('tab', { name: '年历' }).click();
    await page.getByTestId('status-official').waitFor();
    await page.getByTestId('year-source').getByText('国办发明电〔2026〕9号').waitFor();
    expect(await day(page, 'year-grid', '2027-02-09').getAttribute('data-kind')).toBe('holiday');
    await screenshot(page, 'calendar-06-year-2027-official');

    // and the dashboard no longer counts a provisional deadline
    await page.getByTestId('nav-dashboard').click();
    await coverage.getByTestId('coverage-2027').getByText('2027 官方').waitFor();
    await coverage.getByText('在办事项的期限均按官方安排计算').waitFor();
    expect(errors).toEqual([]);
  });

  it('staff see the year view (not the editor), and deadlines in Beijing time from any time zone', async () => {
    const { page, errors, close } = await californian();
    await page.getByTestId('nav-calendar').click();
    await page.getByTestId('calendar-page').waitFor();
    expect(await page.getByTestId('tab-notice').count()).toBe(0);
    await page.getByTestId('calendar-year').click();
    await page.locator('.ant-select-item-option', { hasText: '2027 年' }).click();
    await page.getByTestId('status-official').waitFor();
    // (a county's staff cannot read the province's record: it is named as the office above)
    await page.getByTestId('year-inherited').getByText('沿用上级机关发布的安排').waitFor();
    await chineseOnly(page.getByTestId('calendar-year-view'), [/国办发明电〔\d+〕\d+号/]);
    await screenshot(page, 'calendar-07-staff-year-view');

    // the recomputed deadline reads 22 February 23:59, Beijing time, no longer provisional,
    // and the case's history says why it moved
    await openCase(page);
    const clock = page.getByTestId('clock-statutory');
    await expect.poll(() => clock.getByTestId('clock-due').innerText()).toBe('2027-02-22 23:59');
    expect(await page.getByTestId('provisional').count()).toBe(0);
    await page.getByText('由 2027-02-18 23:59 改为 2027-02-22 23:59').first().waitFor();
    await screenshot(page, 'calendar-08-case-recomputed');
    expect(errors).toEqual([]);
    await close();
  });

  it('the designer simulation starts on 2026-09-28 and rolls the deadlines past 国庆', async () => {
    const { page, errors } = await signIn(
      browser,
      running.url,
      'taishan-admin',
      PASSWORD,
      'new-flow',
    );
    await page.getByText('国庆前后办理').first().click();
    await page.getByRole('tab', { name: '模拟运行' }).click();
    const picker = page.getByTestId('sim-start-at');
    // a person types the date, presses Enter and reads the field back before starting
    await expect
      .poll(async () => {
        await picker.click();
        await picker.fill('2026-09-28 09:00');
        await picker.press('Enter');
        await page.getByText('登记一个模拟案件').click();
        return picker.inputValue();
      })
      .toBe('2026-09-28 09:00');
    await page.getByTestId('sim-start').click();
    const task = page.getByTestId('sim-task-work');
    await task.waitFor();
    // 3 working days from Monday 28 September: 29th, 30th, then 1–7 October off: Thursday 8 October
    const due = task.getByTestId('sim-due');
    await expect.poll(() => due.innerText()).toContain('2026-10-08（周四）23:59');
    expect(await due.getByTestId('sim-due-day').innerText()).toBe('工作日');
    // 7 natural days end on 5 October, a holiday: the clock rolls to the same Thursday
    const clock = page.getByTestId('sim-clock-statutory');
    expect(await clock.innerText()).toContain('2026-10-08（周四）23:59');
    expect(await page.getByTestId('sim-now').innerText()).toBe('2026-09-28 09:00');
    await chineseOnly(page.getByTestId('sim-task-work'));
    await screenshot(page, 'calendar-09-simulation-national-day');

    // jump to the morning after: the task is overdue
    const jump = page.getByTestId('sim-jump');
    await jump.click();
    await jump.fill('2026-10-09 09:00');
    await jump.press('Enter');
    await expect.poll(() => page.getByTestId('sim-now').innerText()).toBe('2026-10-09 09:00');
    await expect.poll(() => task.getByTestId('sim-due-state').innerText()).toBe('超期');
    await screenshot(page, 'calendar-10-simulation-jumped');

    // the 60-working-day flow counts on 台山's calendar: 2027 is published, so the start of
    // 23 November 2026 gives the official 22 February; a start a year later reaches 2028,
    // which nobody has published, and says 临时日历
    await page.goto(`${running.url}/#/flows`);
    await page.getByText('六十个工作日办理').first().click();
    await page.getByRole('tab', { name: '模拟运行' }).click();
    const simulate = async (start: string) => {
      // read back as above: under load the typed date can fail to take, and the simulation
      // then starts today (seen in fresh-clone CI runs: 60 working days from 1 December)
      await expect
        .poll(async () => {
          await picker.click();
          await picker.fill(start);
          await picker.press('Enter');
          await page.getByText('登记一个模拟案件').click();
          return picker.inputValue();
        })
        .toBe(start);
      await page.getByTestId('sim-start').click();
      await task.waitFor();
    };
    await simulate('2026-11-23 09:00');
    await expect.poll(() => due.innerText()).toContain('2027-02-22（周一）23:59');
    expect(await task.getByTestId('sim-due-provisional').count()).toBe(0);
    await page.getByTestId('sim-reset').click();
    await simulate('2027-11-22 09:00');
    await task.getByTestId('sim-due-provisional').getByText('临时日历').waitFor();
    await screenshot(page, 'calendar-11-simulation-provisional-2028');
    expect(errors).toEqual([]);
  });

  // Last: a local day off in April 2027 is after every deadline the tests above read.
  it('the province allows 台山 local days; 台山 adds 三月三 on a weekday of 2027; 开平 keeps none', async () => {
    const pickYear = async (page: Page, select: string, year: number) => {
      await page.getByTestId(select).click();
      await page
        .locator('.ant-select-dropdown:visible .ant-select-item-option', { hasText: `${year} 年` })
        .click();
      await page.locator('.ant-select-dropdown:visible').waitFor({ state: 'hidden' });
    };
    const pickJurisdiction = async (page: Page, name: string) => {
      await page.getByTestId('calendar-jurisdiction').click();
      await page
        .locator('.ant-select-dropdown:visible .ant-select-item-option', { hasText: name })
        .click();
      await page.locator('.ant-select-dropdown:visible').waitFor({ state: 'hidden' });
    };

    // without a grant, 台山's admin is offered no editor and told who may allow it
    const county = await signIn(browser, running.url, 'taishan-admin', PASSWORD, 'nav-calendar');
    await county.page.getByTestId('nav-calendar').click();
    await county.page.getByTestId('tab-local').click();
    await county.page
      .getByTestId('local-not-allowed')
      .getByText('上级管理员', { exact: false })
      .waitFor();
    expect(await county.page.getByTestId('local-editor').count()).toBe(0);
    await chineseOnly(county.page.getByTestId('calendar-page'));
    await screenshot(county.page, 'calendar-12-local-not-allowed');

    // the provincial admin, looking at 台山市, allows it with a note
    const province = await signIn(
      browser,
      running.url,
      'guangdong-admin',
      PASSWORD,
      'nav-calendar',
    );
    await province.page.getByTestId('nav-calendar').click();
    await pickJurisdiction(province.page, '台山市');
    await province.page.getByTestId('tab-local').click();
    const grant = province.page.getByTestId('local-grant');
    await grant.getByText('台山市未获准设置本地假日').waitFor();
    await grant.getByTestId('local-grant-note').fill('试点：侨乡传统节日');
    await grant.getByTestId('local-grant-switch').click();
    await grant.getByText('台山市已获准设置本地假日').waitFor();
    expect(await grant.getByTestId('local-grant-switch').getAttribute('aria-checked')).toBe('true');
    expect(await province.page.getByTestId('local-editor').count()).toBe(0);
    await chineseOnly(province.page.getByTestId('calendar-page'));
    await screenshot(province.page, 'calendar-13-local-allowed');

    // 台山's admin (after a reload) adds 三月三 on Friday 9 April 2027 and saves it with a reason
    const page = county.page;
    await page.reload();
    await page.getByTestId('tab-local').click();
    await pickYear(page, 'local-year', 2027);
    const grid = 'local-grid';
    expect(await day(page, grid, '2027-04-09').getAttribute('data-kind')).toBe('workday');
    const dialog = page.getByTestId('local-day-name');
    await clickUntil(day(page, grid, '2027-04-09'), dialog);
    await dialog.fill('三月三');
    await clickUntil(page.getByTestId('local-day-ok'), dialog, 'hidden');
    expect(await day(page, grid, '2027-04-09').getAttribute('data-kind')).toBe('local');
    await page.getByTestId('local-draft').getByText('2027-04-09（周五）三月三').waitFor();
    // a slip corrected: a second day added, then removed again
    await clickUntil(day(page, grid, '2027-04-12'), dialog);
    await dialog.fill('误点');
    await clickUntil(page.getByTestId('local-day-ok'), dialog, 'hidden');
    await clickUntil(day(page, grid, '2027-04-12'), dialog);
    await clickUntil(page.getByTestId('local-day-remove'), dialog, 'hidden');
    expect(await day(page, grid, '2027-04-12').getAttribute('data-kind')).toBe('workday');
    await page.getByTestId('local-reason').fill('侨乡传统节日，经江门市批准');
    await page.getByTestId('local-save').click();
    const saved = page.getByTestId('local-saved');
    await saved.getByText('2027 年本地假日已保存（第 1 版）').waitFor();
    // the open case's deadlines end in February: nothing moves
    await saved.getByText('已重新计算 1 件在办事项，0 个期限变动', { exact: false }).waitFor();
    await chineseOnly(page.getByTestId('calendar-page'), [/\d{4}-\d{2}-\d{2}/g]);
    await saved.scrollIntoViewIfNeeded();
    await screenshot(page, 'calendar-14-local-saved');

    // the year view shows it as a local day off, with its name
    await page.getByRole('tab', { name: '年历' }).click();
    await pickYear(page, 'calendar-year', 2027);
    expect(await day(page, 'year-grid', '2027-04-09').getAttribute('data-kind')).toBe('local');
    await page.getByTestId('local-days').getByText('2027-04-09 三月三').waitFor();
    await page.mouse.move(0, 300);
    await screenshot(page, 'calendar-15-year-local-day');

    // the province sees it on 台山's calendar, and not on 开平's, its neighbour
    await province.page.reload();
    await pickJurisdiction(province.page, '台山市');
    await pickYear(province.page, 'calendar-year', 2027);
    expect(await day(province.page, 'year-grid', '2027-04-09').getAttribute('data-kind')).toBe(
      'local',
    );
    await pickJurisdiction(province.page, '开平市');
    await province.page.getByTestId('calendar-year-view').waitFor();
    await pickYear(province.page, 'calendar-year', 2027);
    await expect
      .poll(() => day(province.page, 'year-grid', '2027-04-09').getAttribute('data-kind'))
      .toBe('workday');
    expect(await province.page.getByTestId('local-days').count()).toBe(0);
    await chineseOnly(province.page.getByTestId('calendar-year-view'), [/国办发明电〔\d+〕\d+号/]);
    await screenshot(province.page, 'calendar-16-neighbour-no-local-day');
    expect(county.errors).toEqual([]);
    expect(province.errors).toEqual([]);
    await page.close();
    await province.page.close();
  });
});
