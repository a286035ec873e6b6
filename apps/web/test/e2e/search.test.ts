import { copyFileSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// The real server (HTTP, tRPC, SQLite), started from its source like its own tests do.
import { type RunningServer, startServer } from '../../../server/src/app';
import { silentLogger } from '../../../server/src/log';
import { client } from '../../../server/test/server-helpers';
import { artifacts, choose, launchChromium, screenshot, signIn } from '../harness';
import { addPeople, publishAndAdopt, TAISHAN_CHAIN } from '../people';
import { openServerStore } from '../server';

const PASSWORD = 'search-e2e-password-2025';
const SHOTS = '/tmp/shots/search';

let browser: Browser;
let running: RunningServer;
let dataDir: string;
const codes: Record<string, string> = {};

/** A screenshot in the test artifacts and, to look at, in /tmp/shots/search. */
async function shot(page: Page, name: string) {
  await screenshot(page, name);
  mkdirSync(SHOTS, { recursive: true });
  copyFileSync(join(artifacts, `${name}.png`), join(SHOTS, `${name}.png`));
}

beforeAll(async () => {
  const opened = await openServerStore('lianxin-search-e2e-');
  dataDir = opened.dataDir;
  await addPeople(
    opened.store,
    [...TAISHAN_CHAIN, ['440783', '开平市', 'county', '440700']],
    [
      ['guangdong-admin', '广东省管理员', '440000', 'admin'],
      ['taishan-admin', '台山市管理员', '440781', 'admin'],
      ['taishan-receptionist', '台山接访员 李敏', '440781', 'receptionist'],
      ['taishan-leader', '台山市分管领导 周强', '440781', 'leader'],
      ['kaiping-admin', '开平市管理员', '440783', 'admin'],
      ['kaiping-receptionist', '开平接访员 梁静', '440783', 'receptionist'],
    ],
    PASSWORD,
  );
  running = await startServer(opened.store, opened.config, silentLogger, { scheduler: false });
  const { flowId } = await publishAndAdopt(running.url, 'standard-petition', PASSWORD);
  // 开平市 adopts the same template the province published.
  const kaipingAdmin = client(running.url);
  await kaipingAdmin.auth.login.mutate({ username: 'kaiping-admin', password: PASSWORD });
  const { version: templateVersion } = JSON.parse(
    readFileSync(
      new URL('../../../../templates/standard-petition/template.json', import.meta.url),
      'utf8',
    ),
  ) as { version: number };
  const kaiping = await kaipingAdmin.templates.adopt.mutate({
    templateKey: 'standard-petition',
    version: templateVersion,
    jurisdiction: '440783',
  });
  await kaipingAdmin.flows.publish.mutate({ flowId: kaiping.flowId });
  const register = async (
    as: ReturnType<typeof client>,
    flow: string,
    key: string,
    summary: string,
    petitioner?: { name: string; phone: string },
  ) => {
    const r = await as.cases.register.mutate({
      flowId: flow,
      channel: 'visit',
      data: {
        petitioner: { name: petitioner?.name ?? '梁先生' },
        category: 'labour',
        summary,
        requests: '要求依法处理',
      },
      ...(petitioner ? { petitioner } : {}),
    });
    codes[key] = r.trackingCode;
    return r.caseId;
  };
  const desk = client(running.url);
  await desk.auth.login.mutate({ username: 'taishan-receptionist', password: PASSWORD });
  await register(desk, flowId, 'wages', '工地老板拖欠工资八个月', {
    name: '黄阿婆',
    phone: '13912341835',
  });
  await register(desk, flowId, 'wages2', '包工头拖欠工资三个月未付');
  const lights = await register(desk, flowId, 'lights', '村道路灯损坏多日无人维修');
  const other = client(running.url);
  await other.auth.login.mutate({ username: 'kaiping-receptionist', password: PASSWORD });
  await register(other, kaiping.flowId, 'kaiping', '工厂拖欠工资半年');
  // The county admin names the leader who owns (包案) the lights case.
  const admin = client(running.url);
  await admin.auth.login.mutate({ username: 'taishan-admin', password: PASSWORD });
  const leader = await opened.store.userByUsername('taishan-leader');
  await admin.cases.act.mutate({
    caseId: lights,
    command: { type: 'case.setLeader', userId: leader?.id ?? '' },
  });
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await running?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

const rowCodes = async (page: Page) =>
  (
    await page
      .locator('[data-testid^="search-row-"]')
      .evaluateAll((rows) => rows.map((r) => r.getAttribute('data-testid') ?? ''))
  )
    .filter((t) => t !== 'search-row-title')
    .map((t) => t.replace('search-row-', ''))
    .sort();

describe('finding cases against the real server', () => {
  it('a receptionist finds cases by complaint words and by phone in her county only, and exports them; a leader lists the cases he owns', async () => {
    const { page, errors } = await signIn(browser, running.url, 'taishan-receptionist', PASSWORD);
    await page.getByTestId('nav-search').click();
    await page.getByTestId('search-page').waitFor();
    await shot(page, 'search-01-empty');

    // Words of the complaint, in Chinese: both 台山 wage cases, never 开平's.
    await page.getByTestId('search-text').fill('拖欠工资');
    await page.getByTestId('search-submit').click();
    await expect.poll(() => rowCodes(page)).toEqual([codes.wages, codes.wages2].sort());
    expect(await page.getByTestId('search-count').innerText()).toBe('共 2 件');
    const body = await page.locator('body').innerText();
    expect(body).toContain('工地老板拖欠工资八个月');
    expect(body).toContain('台山市');
    expect(body).not.toContain(codes.kaiping as string);
    expect(body).not.toContain('standard-petition');
    expect(body).not.toContain('440781');
    await shot(page, 'search-02-words');

    // Excel: every match, dates as dates.
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByTestId('search-export').click(),
    ]);
    const file = join(tmpdir(), `search-e2e-${Date.now()}.xlsx`);
    await download.saveAs(file);
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(readFileSync(file) as never);
    const sheet = book.worksheets[0];
    expect(sheet?.name).toBe('查找结果');
    expect(sheet?.getRow(1).getCell(1).value).toBe('查询码');
    const exported = [2, 3].map((r) => String(sheet?.getRow(r).getCell(1).value)).sort();
    expect(exported).toEqual([codes.wages, codes.wages2].sort());
    expect(sheet?.getRow(2).getCell(11).value).toBeInstanceOf(Date);
    expect(sheet?.rowCount).toBe(3);
    rmSync(file, { force: true });

    // The petitioner's phone however it is typed (matched by keyed hash, never as text).
    await page.getByTestId('search-text').fill('');
    await choose(page, page.getByTestId('search-by'), '手机号');
    await page.getByTestId('search-who').fill('+86 139-1234-1835');
    await page.getByTestId('search-submit').click();
    await expect.poll(() => rowCodes(page)).toEqual([codes.wages]);
    await shot(page, 'search-03-phone');
    // A part of a number finds nothing: no one can list petitioners by prefix.
    await page.getByTestId('search-who').fill('1391234');
    await page.getByTestId('search-submit').click();
    await expect.poll(() => page.getByTestId('search-count').innerText()).toBe('共 0 件');
    expect(errors).toEqual([]);
    await page.close();

    const leader = await signIn(browser, running.url, 'taishan-leader', PASSWORD);
    await leader.page.getByTestId('nav-search').click();
    // A leader sees petitioners masked, so is offered no look-up by name or number.
    await leader.page.getByTestId('search-mine').waitFor();
    expect(await leader.page.getByTestId('search-who').count()).toBe(0);
    await leader.page.getByTestId('search-mine').check();
    await leader.page.getByTestId('search-submit').click();
    await expect.poll(() => rowCodes(leader.page)).toEqual([codes.lights]);
    await shot(leader.page, 'search-04-mine');
    expect(leader.errors).toEqual([]);
    await leader.page.close();
  });
});
