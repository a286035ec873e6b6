import { rmSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// The real server (HTTP, tRPC, SQLite), started from its source like its own tests do.
import { type RunningServer, startServer } from '../../../server/src/app';
import { silentLogger } from '../../../server/src/log';
import { client } from '../../../server/test/server-helpers';
import { launchChromium, screenshot, signIn as signInAs } from '../harness';
import { addPeople, publishAndAdopt } from '../people';
import { openServerStore } from '../server';

const PASSWORD = 'workbench-e2e-password';
const KEY = 'four-colour-triage';
const PHONE = '13800138000';

let browser: Browser;
let running: RunningServer;
let dataDir: string;
let flowKey: string;
let caseId = '';
let trackingCode = '';

beforeAll(async () => {
  const opened = await openServerStore('lianxin-workbench-e2e-');
  dataDir = opened.dataDir;
  const { store, config } = opened;
  await addPeople(
    store,
    [
      ['440000', '广东省', 'province', null, 'Guangdong'],
      ['440700', '江门市', 'city', '440000', 'Jiangmen'],
      ['440781', '台山市', 'county', '440700', 'Taishan'],
      ['440783', '开平市', 'county', '440700', 'Kaiping'],
    ],
    [
      ['guangdong-admin', '广东省管理员', '440000', 'admin'],
      ['taishan-admin', '台山市管理员', '440781', 'admin'],
      ['taishan-receptionist', '台山接访员 李敏', '440781', 'receptionist'],
      ['taishan-housing', '台山住建局 何伟', '440781', 'handler', 'housing'],
      ['taishan-hrss', '台山人社局 王芳', '440781', 'handler', 'hrss'],
      ['jiangmen-supervisor', '江门市督查 陈刚', '440700', 'supervisor'],
      ['kaiping-receptionist', '开平接访员 梁静', '440783', 'receptionist'],
    ],
    PASSWORD,
  );
  running = await startServer(store, config, silentLogger, { scheduler: false });
  // The province publishes the four-colour template; Taishan adopts and publishes it.
  ({ flowKey } = await publishAndAdopt(running.url, KEY, PASSWORD));
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await running?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

const signIn = (username: string) => signInAs(browser, running.url, username, PASSWORD);

/** Opens the case from the inbox row of the tracking code. */
async function openFromInbox(page: Page) {
  await page.goto(`${running.url}/#/workbench`);
  const row = page.getByTestId(`inbox-row-${trackingCode}`);
  await row.waitFor();
  await row.getByTestId('open-case').click();
  await page.getByTestId('case-page').waitFor();
}

/** Fills the textarea of the open task's form and presses an action button. */
async function completeText(page: Page, node: string, field: string, text: string, action: string) {
  const task = page.locator(`[data-testid="task-${node}"][data-mine="true"]`);
  await task.waitFor();
  await task.locator(`textarea[id$="${field}"]`).fill(text);
  await task.getByTestId(`action-${action}`).click();
  await expect.poll(() => task.count()).toBe(0);
}

describe('workbench, public intake and dashboard against the real server', () => {
  it('a citizen submits online; staff triage, two departments reply, feedback, return visit; the citizen rates; the dashboard counts it', async () => {
    // 1. The citizen, on a phone, with no account.
    const phone = await browser.newPage({ viewport: { width: 375, height: 812 }, isMobile: true });
    const phoneErrors: string[] = [];
    phone.on('pageerror', (e) => phoneErrors.push(e.message));
    await phone.goto(`${running.url}/#/intake/${flowKey}?j=440781`);
    await phone.getByTestId('intake-submit').waitFor();
    await phone.locator('input[id$="petitioner_name"]').fill('陈伯');
    await phone.locator('input[id$="petitioner_phone"]').pressSequentially(PHONE);
    await expect(phone.locator('input[id$="petitioner_phone"]').inputValue()).resolves.toBe(PHONE);
    await phone
      .locator('textarea[id$="summary"], input[id$="summary"]')
      .first()
      .fill('安置房漏水，补偿款迟迟未发放');
    await phone.locator('textarea[id$="requests"]').fill('请求开发商维修漏水，并按协议发放补偿款');
    await screenshot(phone, 'workbench-01-intake-phone');
    await phone.getByTestId('intake-submit').click();
    const codeEl = phone.getByTestId('tracking-code');
    await codeEl.waitFor();
    trackingCode = ((await codeEl.textContent()) ?? '').trim().slice(0, 10);
    expect(trackingCode).toMatch(/^[0-9A-Z]{10}$/);
    await screenshot(phone, 'workbench-02-intake-code');

    // 2. The receptionist triages it blue (繁事) for housing and human resources.
    const { page: desk, errors } = await signIn('taishan-receptionist');
    await desk.goto(`${running.url}/#/workbench`);
    await desk.getByTestId(`inbox-row-${trackingCode}`).waitFor();
    // The inbox says what each case is about (the flow's title field, 诉求摘要).
    await expect(
      desk.getByTestId(`inbox-row-${trackingCode}`).getByTestId('row-title').textContent(),
    ).resolves.toBe('安置房漏水，补偿款迟迟未发放');
    await screenshot(desk, 'workbench-00-inbox');
    await openFromInbox(desk);
    caseId = decodeURIComponent(desk.url().split('/case/')[1] ?? '');
    await expect(desk.getByTestId('case-code').textContent()).resolves.toBe(trackingCode);
    // Staff see the petitioner; the header shows the statutory clocks.
    await expect(desk.getByTestId('petitioner-name').textContent()).resolves.toBe('陈伯');
    // What the petitioner asked for, at the top of the case.
    await expect(desk.getByTestId('complaint-title').textContent()).resolves.toBe(
      '安置房漏水，补偿款迟迟未发放',
    );
    await expect(desk.getByTestId('complaint-summary').textContent()).resolves.toBe(
      '请求开发商维修漏水，并按协议发放补偿款',
    );
    const box = async (id: string) => (await desk.getByTestId(id).boundingBox())?.y ?? 0;
    expect(await box('complaint')).toBeLessThan(await box('timeline'));
    expect(await desk.getByTestId('case-jurisdiction').textContent()).toBe('台山市');
    await screenshot(desk, 'workbench-02b-case-top');
    const triage = desk.getByTestId('task-triage');
    await triage.getByRole('radio', { name: '蓝：繁事' }).check();
    await triage.locator('textarea[id$="triageReason"]').fill('涉及住建、人社两个部门');
    const dept = triage.locator('input[id$="_department"]');
    await dept.click({ force: true });
    await triage.locator('.ant-select-item-option').filter({ hasText: '住房和城乡建设局' }).click();
    await expect
      .poll(() => triage.locator('.ant-select-selector').first().textContent())
      .toContain('住房和城乡建设局');
    await triage.getByRole('checkbox', { name: '住房和城乡建设局' }).check();
    await triage.getByRole('checkbox', { name: '人力资源和社会保障局' }).check();
    await expect(triage.getByRole('radio', { name: '蓝：繁事' }).isChecked()).resolves.toBe(true);
    await screenshot(desk, 'workbench-03-case-triage');
    await triage.locator('[data-testid^="action-"]').first().click();
    await triage.waitFor({ state: 'detached' });
    // The timeline says it in words: the colour from → to, the options chosen, by whom.
    const timeline = desk.getByTestId('timeline');
    const colour = timeline.getByTestId('event-urgency.set').first();
    await colour.waitFor();
    expect(await colour.innerText()).toContain('未定色 → 蓝色');
    const triaged = await timeline.getByTestId('event-task.completed').first().innerText();
    expect(triaged).toContain('合力办部门（繁事）：住房和城乡建设局、人力资源和社会保障局');
    expect(triaged).toContain('台山接访员 李敏（接访员）');
    await expect
      .poll(() => timeline.getByTestId('event-case.started').innerText())
      .toContain('诉求摘要：安置房漏水');
    const registered = await timeline.getByTestId('event-case.started').innerText();
    expect(registered).toContain('信访人（网上提交）');
    // The registration says who, how and what: not only 渠道：网上.
    expect(registered).toContain('信访人网上提交');
    expect(registered).toContain('渠道：网上');
    expect(registered).toContain('诉求摘要：安置房漏水，补偿款迟迟未发放');
    expect(registered).toContain('具体诉求：请求开发商维修漏水');
    await screenshot(desk, 'workbench-04-case-after-triage');

    // 3. Housing meets the petitioner, then both departments reply (合力办).
    const { page: housing } = await signIn('taishan-housing');
    await openFromInbox(housing);
    await completeText(housing, 'meet', 'meetingNote', '见面约谈，了解安置房漏水情况', 'met');
    await housing.getByTestId('joint-shares').waitFor();
    await completeText(housing, 'joint', 'handlingOpinion', '已责成开发商限期维修', 'report');
    const { page: hrss } = await signIn('taishan-hrss');
    await openFromInbox(hrss);
    await screenshot(hrss, 'workbench-05-joint-handling');
    await completeText(hrss, 'joint', 'handlingOpinion', '补偿款已核发到账', 'report');

    // 4. The receptionist sends the reply, then does the return visit.
    await openFromInbox(desk);
    await completeText(desk, 'feedback', 'feedbackText', '维修和补偿均已落实', 'sent');
    const close = desk.getByTestId('task-close');
    await close.waitFor();
    await close.getByText('非常满意').click();
    await close.getByTestId('action-close').click();
    await desk.getByTestId('case-status').getByText('已办结').waitFor();
    await desk.getByTestId('joint-shares').waitFor();
    await screenshot(desk, 'workbench-06-case-closed');
    expect(await desk.getByTestId('joint-shares').getByText('已反馈').count()).toBe(2);
    expect(errors).toEqual([]);

    // 5. The citizen follows the progress and rates the reply.
    await phone.goto(`${running.url}/#/track?code=${trackingCode}`);
    await phone.getByTestId('track-phone').fill(PHONE);
    await phone.getByTestId('track-submit').click();
    await phone.getByTestId('track-status').getByText('已办结').waitFor();
    // Progress and the notices addressed to the petitioner (who proved the phone), never the phone itself.
    const tracked = (await phone.locator('body').textContent()) ?? '';
    expect(tracked).not.toContain(PHONE);
    expect(tracked).toContain('安置房漏水，补偿款迟迟未发放');
    await phone.getByTestId('rate-stars').locator('li').nth(4).click();
    await screenshot(phone, 'workbench-07-track-rate');
    await phone.getByTestId('rate-submit').click();
    await phone.getByTestId('rated').waitFor();
    expect(phoneErrors).toEqual([]);

    // 6. The city supervisor's dashboard counts the closed, rated case; drill down to Taishan.
    const { page: boss, errors: bossErrors } = await signIn('jiangmen-supervisor');
    await boss.getByTestId('nav-dashboard').click();
    await boss.getByTestId('drill-440781').click();
    await boss.getByTestId('crumb-440781').waitFor();
    await expect.poll(async () => boss.getByTestId('kpi-sat').textContent()).toContain('100.0%');
    await expect(boss.getByTestId('kpi-part').textContent()).resolves.toContain('100.0%');
    await boss.waitForTimeout(600); // ECharts animations settle before the screenshot
    await screenshot(boss, 'workbench-08-dashboard');
    await boss.getByTestId('nav-workbench').click();
    await boss.getByText('四色看板').click();
    await boss.getByTestId('colour-board').waitFor();
    await screenshot(boss, 'workbench-09-board');
    // The case search lists it with its title and flow by name; no code on the screen.
    await boss.getByText('案件查询').click();
    const listed = boss.getByTestId(`case-row-${trackingCode}`);
    await listed.waitFor();
    expect(await listed.getByTestId('row-title').textContent()).toBe(
      '安置房漏水，补偿款迟迟未发放',
    );
    const text = await boss.getByTestId('case-table').innerText();
    expect(text).toContain('台山市');
    expect(text).not.toMatch(/four-colour-triage|440781|online|blue/);
    await screenshot(boss, 'workbench-10-case-list');
    expect(bossErrors).toEqual([]);
  });

  it('a receptionist registers a walk-in petition and is told the person petitioned before', async () => {
    const { page, errors } = await signIn('taishan-receptionist');
    await page.getByTestId('nav-workbench').click();
    await page.getByTestId('register-case').click();
    await page.getByTestId('register-page').waitFor();
    await page.locator('input[id$="petitioner_name"]').fill('陈伯');
    await page.locator('input[id$="petitioner_phone"]').pressSequentially(PHONE);
    await page
      .locator('textarea[id$="summary"], input[id$="summary"]')
      .first()
      .fill('再次来访：补偿款发放进度');
    const hint = page.getByTestId('repeat-hint');
    await hint.waitFor();
    expect(await hint.textContent()).toContain(trackingCode);
    await screenshot(page, 'workbench-11-register-repeat-hint');
    await page.getByTestId('register-submit').click();
    await page.getByTestId('registered-code').waitFor();
    await page.getByText('打开事项').click();
    await page.getByTestId('case-page').waitFor();
    await page.getByText('重信重访').first().waitFor();
    await page.getByTestId('lang-switch').click();
    await page.getByText('Current work').waitFor();
    await screenshot(page, 'workbench-12-case-english');
    await page.getByTestId('lang-switch').click();
    expect(errors).toEqual([]);
  });

  it('a receptionist of another county cannot open the case, by link or through the API', async () => {
    expect(caseId).not.toBe('');
    const { page } = await signIn('kaiping-receptionist');
    await page.goto(`${running.url}/#/workbench/case/${caseId}`);
    await page.getByTestId('case-denied').waitFor();
    expect(await page.locator('body').textContent()).not.toContain(trackingCode);
    await screenshot(page, 'workbench-10-other-county-denied');
    const other = client(running.url);
    await other.auth.login.mutate({ username: 'kaiping-receptionist', password: PASSWORD });
    await expect(other.cases.get.query({ caseId })).rejects.toMatchObject({
      data: { code: 'FORBIDDEN' },
    });
    const inbox = await other.tasks.inbox.query();
    expect(inbox.rows.some((t) => t.trackingCode === trackingCode)).toBe(false);
  });
});
