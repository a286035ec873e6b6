import { rmSync } from 'node:fs';
import ExcelJS from 'exceljs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningServer, startServer } from '../../../server/src/app';
import { silentLogger } from '../../../server/src/log';
import { launchChromium, screenshot, signIn as signInAs } from '../harness';
import { addPeople, publishAndAdopt } from '../people';
import { openServerStore } from '../server';

// The workbench's lists page and count on the server: more tasks than a page,
// deadline order, filters, the four-colour board's counts and the overdue list.
const PASSWORD = 'lists-e2e-password';
const DAY = 86_400_000;
const COLOURS = ['red', 'red', 'red', 'yellow', undefined, undefined] as const;

let browser: Browser;
let running: RunningServer;
let dataDir: string;
/** Tracking codes in registration order: the first ten are two days old. */
const codes: string[] = [];

beforeAll(async () => {
  let now = Date.now() - 2 * DAY;
  const opened = await openServerStore('lianxin-lists-e2e-', { now: () => new Date(now) });
  dataDir = opened.dataDir;
  const { store, config } = opened;
  await addPeople(
    store,
    [
      ['440000', '广东省', 'province', null],
      ['440700', '江门市', 'city', '440000'],
      ['440781', '台山市', 'county', '440700'],
    ],
    [
      ['guangdong-admin', '广东省管理员', '440000', 'admin'],
      ['taishan-admin', '台山市管理员', '440781', 'admin'],
      ['taishan-receptionist', '台山接访员 李敏', '440781', 'receptionist'],
      ['jiangmen-supervisor', '江门市督查 陈刚', '440700', 'supervisor'],
    ],
    PASSWORD,
  );
  running = await startServer(store, config, silentLogger, { scheduler: false });
  const { flowId, version } = await publishAndAdopt(running.url, 'four-colour-triage', PASSWORD);
  // Thirty registrations a minute apart, the first ten two days ago (their one-day
  // triage deadline has passed), colours preset on some: 15 red, 5 yellow, 10 none.
  for (let i = 0; i < 30; i++) {
    if (i === 10) now = Date.now() - 60 * 60_000;
    now += 60_000;
    const urgency = COLOURS[i % COLOURS.length];
    const started = await store.startCase({
      flowId,
      version,
      command: {
        type: 'case.start',
        channel: 'visit',
        ...(urgency ? { urgency } : {}),
        data: {
          petitioner: { name: '陈伯' },
          category: 'housing',
          summary: `列表测试事项 ${i + 1}：楼道照明损坏`,
        },
        actor: { id: 'seed', roles: ['receptionist'], jurisdiction: '440781' },
      },
    });
    codes.push(started.trackingCode);
  }
  // The scheduler's work: the old cases' deadlines fire, so they count as overdue.
  now = Date.now();
  for (const timer of await store.claimDueTimers('lists-e2e', 1000)) await store.fireTimer(timer);
  await store.deliverNotifications();
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await running?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

/** Presses an export button and reads the workbook the browser saved. */
async function workbook(page: Page, testId: string): Promise<ExcelJS.Workbook> {
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByTestId(testId).click(),
  ]);
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.readFile(await download.path());
  return wb;
}

async function signIn(username: string) {
  const signedIn = await signInAs(browser, running.url, username, PASSWORD);
  await signedIn.page.goto(`${running.url}/#/workbench`);
  return signedIn;
}

const dropdownsClosed = (page: Page) =>
  expect
    .poll(() => page.locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden)').count())
    .toBe(0);

const rowCodes = (page: Page, table: string) =>
  page
    .getByTestId(table)
    .locator('tbody tr[data-row-key] .wb-code')
    .allTextContents()
    .then((t) => t.map((x) => x.trim()));

describe('workbench lists against the real server', () => {
  it('pages the inbox in deadline order, and filters it by deadline state and tracking code', async () => {
    const { page, errors } = await signIn('taishan-receptionist');
    const total = page.getByTestId('inbox-total');
    await expect.poll(() => total.textContent()).toContain('共 30 项');
    // Page 1: the twelve earliest deadlines, the oldest registration first.
    await expect.poll(() => rowCodes(page, 'inbox-table')).toEqual(codes.slice(0, 12));
    await screenshot(page, 'lists-01-inbox');
    // The pager reads on from the last row shown (keyset pages), in Chinese.
    await expect(page.getByTestId('inbox-prev').textContent()).resolves.toBe('上一页');
    await expect(page.getByTestId('inbox-prev').isDisabled()).resolves.toBe(true);
    await page.getByTestId('inbox-next').click();
    await expect.poll(() => rowCodes(page, 'inbox-table')).toEqual(codes.slice(12, 24));
    await page.getByTestId('inbox-next').click();
    await expect.poll(() => rowCodes(page, 'inbox-table')).toEqual(codes.slice(24));
    await expect(page.getByTestId('inbox-page').textContent()).resolves.toBe('第 3 页');
    await expect(page.getByTestId('inbox-next').isDisabled()).resolves.toBe(true);
    await screenshot(page, 'lists-07-inbox-page-3');
    // 上一页 goes back to the page before.
    await page.getByTestId('inbox-prev').click();
    await expect.poll(() => rowCodes(page, 'inbox-table')).toEqual(codes.slice(12, 24));
    // Newest first: back to page 1, the last registration on top.
    await page.getByTestId('inbox-sort').click();
    await page.locator('.ant-select-item-option', { hasText: '最新接收在前' }).click();
    await expect
      .poll(() => rowCodes(page, 'inbox-table'))
      .toEqual([...codes].reverse().slice(0, 12));
    await page.getByTestId('inbox-sort').click();
    await page.locator('.ant-select-item-option', { hasText: '时限最近在前' }).click();
    await dropdownsClosed(page);
    // Only overdue: the ten two-day-old triage tasks.
    await page.getByTestId('inbox-due').click();
    await page.locator('.ant-select-item-option', { hasText: '已超期' }).click();
    await page.keyboard.press('Escape');
    await dropdownsClosed(page);
    await expect.poll(() => total.textContent()).toContain('共 10 项');
    await expect.poll(() => rowCodes(page, 'inbox-table')).toEqual(codes.slice(0, 10));
    // About a day past the deadline: said as time over, never as time left.
    const tags = await page.getByTestId('due-overdue').allTextContents();
    expect(tags).toHaveLength(10);
    for (const tag of tags) expect(tag).toMatch(/^已超期 超 \d+ (小时|天)$/);
    await screenshot(page, 'lists-02-inbox-overdue');
    // A tracking code typed in lower case finds its one task.
    const search = page
      .locator('input[data-testid="inbox-search"], [data-testid="inbox-search"] input')
      .first();
    await search.fill((codes[3] ?? '').toLowerCase());
    await search.press('Enter');
    await expect.poll(() => rowCodes(page, 'inbox-table')).toEqual([codes[3]]);
    // The receptionist holds the weekly review too (not the supervisors' four-colour board).
    await page.getByRole('tab', { name: '一周一核' }).click();
    await expect.poll(() => page.getByTestId('weekly-table').textContent()).toContain('共 30 件');
    await expect(page.getByTestId('weekly-table-print').isVisible()).resolves.toBe(true);
    await page.waitForTimeout(400); // the tab's slide
    await screenshot(page, 'lists-06-weekly-receptionist');
    await expect(page.getByRole('tab', { name: '四色看板' }).count()).resolves.toBe(0);
    expect(errors).toEqual([]);
  });

  it('rings the bell for missed deadlines; a notification opens its case and is then read', async () => {
    const { page, errors } = await signIn('taishan-receptionist');
    const bell = page.getByTestId('nav-notifications');
    const badge = () => bell.locator('.ant-badge-count').textContent();
    // The ten old cases' triage deadlines were missed (and warned about before).
    await expect.poll(badge).toMatch(/^\d+$/);
    const unread = Number(await badge());
    expect(unread).toBeGreaterThanOrEqual(10);
    await bell.click();
    const list = page.getByTestId('notifications');
    await list.waitFor();
    await expect(list.textContent()).resolves.toContain('已超期');
    await screenshot(page, 'lists-04-notifications');
    const first = list.locator('[data-testid^="notification-"]').first();
    const code = ((await first.getAttribute('data-testid')) ?? '').replace('notification-', '');
    expect(codes.slice(0, 10)).toContain(code);
    await first.click();
    await page.getByTestId('case-page').waitFor();
    await expect(page.getByTestId('case-code').textContent()).resolves.toContain(code);
    await expect.poll(badge).toBe(String(unread - 1));
    await bell.click();
    await page.getByTestId('notifications-read-all').click();
    await expect.poll(() => bell.locator('.ant-badge-count').count()).toBe(0);
    expect(errors).toEqual([]);
  });

  it('counts every open case on the four-colour board, and lists the overdue ones', async () => {
    const { page, errors } = await signIn('jiangmen-supervisor');
    await page.getByRole('tab', { name: '四色看板' }).click();
    const red = page.getByTestId('board-red');
    await expect.poll(() => red.locator('.ant-card-head').textContent()).toContain('15');
    // Eight shown, the rest counted.
    await expect.poll(() => red.locator('.wb-board-item').count()).toBe(8);
    await expect(red.textContent()).resolves.toContain('另 7 件');
    // 另 7 件 opens all fifteen below the board.
    await red.getByTestId('board-more-red').click();
    await expect(page.getByTestId('board-opened').textContent()).resolves.toBe('红色在办事项');
    await expect
      .poll(() => page.getByTestId('board-colour-table-total').textContent())
      .toBe('共 15 件');
    await expect
      .poll(() => page.getByTestId('board-none').locator('.ant-card-head').textContent())
      .toContain('10');
    await expect
      .poll(() => page.getByTestId('board-yellow').locator('.ant-card-head').textContent())
      .toContain('5');
    const overdue = page.getByTestId('overdue-table');
    await expect.poll(() => overdue.textContent()).toContain('共 10 件');
    await screenshot(page, 'lists-03-board');
    await page.getByRole('tab', { name: '一周一核' }).click();
    await expect.poll(() => page.getByTestId('weekly-table').textContent()).toContain('共 30 件');

    // The export holds all 30, not the 12 of the page shown: titles and names, dates as dates.
    const weekly = await workbook(page, 'weekly-table-export');
    const sheet = weekly.worksheets[0];
    expect(sheet?.name).toBe('一周一核');
    expect(sheet?.rowCount).toBe(31);
    const header = ((sheet?.getRow(1).values ?? []) as unknown[]).slice(1);
    expect(header.slice(0, 4)).toEqual(['查询码', '诉求', '诉求摘要', '流程']);
    const codesOut = new Set<unknown>();
    sheet?.eachRow((row, n) => {
      if (n === 1) return;
      codesOut.add(row.getCell(1).value);
      expect(String(row.getCell(2).value)).toMatch(/^列表测试事项 \d+：楼道照明损坏$/);
      expect(row.getCell(4).value).toBe('四色预警分级办理');
      expect(row.getCell(5).value).toBe('台山市');
      expect(row.getCell(13).value).toBeInstanceOf(Date);
    });
    expect(codesOut).toEqual(new Set(codes));
    expect(header).toContain('承办部门');
    expect(header).toContain('包案领导');

    // 打印 lays out all 30 (not the page shown) under the same columns.
    await page.getByTestId('weekly-table-print').click();
    const printed = page.frameLocator('iframe[data-testid="weekly-table-print-frame"]');
    await expect.poll(() => printed.locator('tbody tr').count()).toBe(30);
    await expect(printed.locator('h1').textContent()).resolves.toBe('一周一核');
    const printedHeader = await printed.locator('thead').textContent();
    expect(printedHeader).toContain('承办部门');
    expect(printedHeader).toContain('包案领导');
    await expect(printed.locator('body').textContent()).resolves.toContain('共 30 件');

    // The dashboard's workbook: KPIs as numbers, and every overdue case.
    await page.getByTestId('nav-dashboard').click();
    await page.getByTestId('kpi-sat').waitFor();
    const board = await workbook(page, 'export-xlsx');
    const [kpis, overdueSheet] = board.worksheets;
    expect(typeof kpis?.getRow(2).getCell(2).value).toBe('number');
    expect(kpis?.getRow(2).getCell(2).value).toBe(30);
    expect(overdueSheet?.rowCount).toBe(11);
    const body = await page.locator('body').innerText();
    expect(body).not.toMatch(/\/ page|440781|housing/);
    await screenshot(page, 'lists-05-dashboard');
    expect(errors).toEqual([]);
  });
});
