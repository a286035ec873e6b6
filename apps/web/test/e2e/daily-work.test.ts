import { copyFileSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// The real server (HTTP, tRPC, SQLite), started from its source like its own tests do.
import { type RunningServer, startServer } from '../../../server/src/app';
import { silentLogger } from '../../../server/src/log';
import { artifacts, choose, launchChromium, screenshot, signIn as signInAs } from '../harness';
import { addPeople, publishAndAdopt } from '../people';
import { openServerStore } from '../server';

// A county office's day, in the browser, against the real server: a citizen's
// online complaint with a photo → triage (受理告知书) → joint handling, 主办
// housing, one 协办 refusing → re-dispatch → 督办 from the city → contributions
// → an extension asked by a department and approved in 待我审批 → merged reply →
// reply sent (处理意见书) → an unhappy return visit the leader hears of → 查找 by
// phone → the petitioner reads the reply and rates → the city dashboard (its
// 市本级 row) counts it; notifications along the way.

const PASSWORD = 'daily-work-e2e-password';
const PHONE = '13800138000';
const TITLE = '安置房漏水，补偿款迟迟未发放，商铺占道经营';
const REQUESTS = '请求开发商维修漏水，按协议发放补偿款，清理占道商铺';
const SHOTS = '/tmp/shots/casepage';

let browser: Browser;
let running: RunningServer;
let dataDir: string;
let deliver: () => Promise<unknown>;

beforeAll(async () => {
  const opened = await openServerStore('lianxin-daily-work-e2e-');
  dataDir = opened.dataDir;
  deliver = () => opened.store.deliverNotifications();
  await addPeople(
    opened.store,
    [
      ['440000', '广东省', 'province', null, 'Guangdong'],
      ['440700', '江门市', 'city', '440000', 'Jiangmen'],
      ['440781', '台山市', 'county', '440700', 'Taishan'],
    ],
    [
      ['guangdong-admin', '广东省管理员', '440000', 'admin'],
      ['taishan-admin', '台山市管理员', '440781', 'admin'],
      ['taishan-receptionist', '台山接访员 李敏', '440781', 'receptionist'],
      ['taishan-housing', '台山住建局 何伟', '440781', 'handler', 'housing'],
      ['taishan-hrss', '台山人社局 王芳', '440781', 'handler', 'hrss'],
      ['taishan-natres', '台山自然资源局 林涛', '440781', 'handler', 'natres'],
      ['taishan-market', '台山市场监管局 马兰', '440781', 'handler', 'market'],
      ['taishan-leader', '台山分管领导 黄强', '440781', 'leader'],
      ['jiangmen-supervisor', '江门市督查 吴敏', '440700', 'supervisor'],
    ],
    PASSWORD,
  );
  running = await startServer(opened.store, opened.config, silentLogger, { scheduler: false });
  await publishAndAdopt(running.url, 'four-colour-triage', PASSWORD);
  browser = await launchChromium();
  mkdirSync(SHOTS, { recursive: true });
});
afterAll(async () => {
  await browser?.close();
  await running?.close();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

const signIn = (username: string) => signInAs(browser, running.url, username, PASSWORD);
async function shot(page: Page, name: string) {
  await screenshot(page, name);
  copyFileSync(join(artifacts, `${name}.png`), join(SHOTS, `${name}.png`));
}
/** The user's open step `node` on the case page (the one offered to them). */
const mine = (page: Page, node: string) =>
  page.locator(`[data-testid="task-${node}"][data-mine="true"]`);
/** Sets a checkbox until it holds (the form may render again while the page loads). */
const tick = (box: Locator, checked: boolean) =>
  expect
    .poll(async () => {
      await box.setChecked(checked, { force: true }).catch(() => {});
      return box.isChecked();
    })
    .toBe(checked);
/** Opens the case afresh (a hash route to the page already shown would not reload it). */
async function open(page: Page, url: string) {
  if (page.url() === url) await page.reload();
  else await page.goto(url);
  await page.getByTestId('case-page').waitFor();
}
/** The bell's list, after the deliveries the scheduler would make. */
async function notices(page: Page): Promise<string> {
  await deliver();
  await page.reload();
  await page.getByTestId('nav-notifications').click();
  const list = page.getByTestId('notifications');
  await list.waitFor();
  const text = await list.innerText();
  await page.keyboard.press('Escape');
  return text;
}

describe('a day of case work in the browser against the real server', () => {
  it('online complaint → triage → joint handling with a refusal → 督办 → merged reply → documents → return visit → rating → dashboard', async () => {
    // 1. The citizen, on a phone, complains online with a photo.
    const phone = await browser.newPage({ viewport: { width: 375, height: 812 }, isMobile: true });
    const phoneErrors: string[] = [];
    phone.on('pageerror', (e) => phoneErrors.push(e.message));
    await phone.goto(`${running.url}/#/intake/four-colour-triage?j=440781`);
    await phone.getByTestId('intake-submit').waitFor();
    await phone.locator('input[id$="petitioner_name"]').fill('陈伯');
    await phone.locator('input[id$="petitioner_phone"]').pressSequentially(PHONE);
    await phone.locator('select[id$="_category"]').selectOption({ label: '城乡建设' });
    await phone.locator('textarea[id$="summary"]').fill(TITLE);
    await phone.locator('textarea[id$="requests"]').fill(REQUESTS);
    const png = await phone.evaluate(() => {
      const c = document.createElement('canvas');
      c.width = 320;
      c.height = 240;
      const g = c.getContext('2d');
      if (!g) return '';
      g.fillStyle = '#90a4ae';
      g.fillRect(0, 0, 320, 240);
      g.fillStyle = '#1e88e5';
      g.fillRect(100, 60, 120, 120);
      return c.toDataURL('image/png').split(',')[1] ?? '';
    });
    await phone.getByTestId('intake-photo-input').setInputFiles({
      name: '漏水.png',
      mimeType: 'image/png',
      buffer: Buffer.from(png, 'base64'),
    });
    await phone.getByTestId('intake-photo').first().waitFor();
    await phone.getByTestId('intake-submit').click();
    const trackingCode = ((await phone.getByTestId('tracking-code').textContent()) ?? '')
      .trim()
      .slice(0, 10);
    expect(trackingCode).toMatch(/^[0-9A-Z]{10}$/);
    await expect(phone.getByTestId('intake-photo-result').textContent()).resolves.toContain(
      '已附照片 1 张',
    );
    await shot(phone, 'daily-01-online-complaint');

    // 2. The receptionist sees it in the inbox by its title, opens it: the complaint on top,
    //    the photo attached, the registration in words; triages it blue for three departments,
    //    housing leading. The 受理告知书 is issued with its 文号.
    const { page: desk, errors: deskErrors } = await signIn('taishan-receptionist');
    const row = desk.getByTestId(`inbox-row-${trackingCode}`);
    await row.waitFor();
    expect(await row.getByTestId('row-title').textContent()).toBe(TITLE);
    await row.getByTestId('open-case').click();
    await desk.getByTestId('case-page').waitFor();
    const caseUrl = desk.url();
    expect(await desk.getByTestId('complaint-title').textContent()).toBe(TITLE);
    expect(await desk.getByTestId('complaint-summary').textContent()).toBe(REQUESTS);
    await expect
      .poll(() => desk.getByTestId('attachment-link').allInnerTexts())
      .toEqual([expect.stringContaining('漏水.png')]);
    // The registration in the flow's words (they come with its definition).
    await expect
      .poll(() => desk.getByTestId('event-case.started').innerText())
      .toContain(`诉求摘要：${TITLE}`);
    const registered = await desk.getByTestId('event-case.started').innerText();
    expect(registered).toContain('信访人网上提交');
    expect(registered).toContain(`诉求摘要：${TITLE}`);
    expect(registered).toContain('问题类别：城乡建设');
    await shot(desk, 'daily-02-case-opened');
    const triage = mine(desk, 'triage');
    await triage.getByRole('radio', { name: '蓝：繁事' }).check();
    await triage.locator('textarea[id$="triageReason"]').fill('涉及住建、人社、自然资源三个部门');
    await choose(desk, triage.locator('input[id$="_department"]'), '住房和城乡建设局');
    for (const d of ['住房和城乡建设局', '人力资源和社会保障局', '自然资源局'])
      await tick(triage.getByRole('checkbox', { name: d }), true);
    await choose(desk, triage.locator('input[id$="_leadDepartment"]'), '住房和城乡建设局');
    await triage.getByTestId('action-classify').click();
    await expect.poll(() => triage.count()).toBe(0);
    const documents = desk.getByTestId('documents-card');
    await expect.poll(() => documents.innerText()).toMatch(/受理告知书[\s\S]*台信受〔\d{4}〕1号/);
    expect(deskErrors).toEqual([]);

    // 3. Housing is told of the new dispatch, meets the petitioner.
    const { page: housing, errors: housingErrors } = await signIn('taishan-housing');
    expect(await notices(housing)).toContain('新交办');
    await open(housing, caseUrl);
    const meet = mine(housing, 'meet');
    await meet.locator('textarea[id$="meetingNote"]').fill('见面约谈，了解漏水、补偿和占道情况');
    await meet.getByTestId('action-met').click();
    await expect.poll(() => meet.count()).toBe(0);

    // 4. Natural resources refuses its share with a reason; the receptionist is told
    //    and re-dispatches it to market regulation, the form opening with what was entered.
    const { page: natres, errors: natresErrors } = await signIn('taishan-natres');
    await open(natres, caseUrl);
    const share = mine(natres, 'joint');
    await share.getByTestId('refuse').click();
    await natres.getByTestId('dialog-reason').fill('占道经营不属自然资源局职责，建议交市场监管局');
    await natres.getByTestId('dialog-ok').click();
    await expect.poll(() => share.count()).toBe(0);
    expect(natresErrors).toEqual([]);
    expect(await notices(desk)).toContain('拒签');
    await open(desk, caseUrl);
    const redispatch = mine(desk, 'joint');
    await redispatch.waitFor();
    await desk.waitForLoadState('networkidle');
    const box = (name: string) => redispatch.getByRole('checkbox', { name });
    await expect.poll(() => box('自然资源局').isChecked()).toBe(true);
    await tick(box('自然资源局'), false);
    await tick(box('市场监督管理局'), true);
    await shot(desk, 'daily-03-redispatch');
    await redispatch.getByTestId('action-redispatch').click();
    await expect.poll(() => redispatch.count()).toBe(0);

    // 5. The city supervisor issues a 督办 order to housing; housing is told, answers it.
    const { page: city, errors: cityErrors } = await signIn('jiangmen-supervisor');
    await open(city, caseUrl);
    await city.getByTestId('supervise-open').click();
    await city.getByTestId('supervise-reason').fill('群众反映强烈，请主办部门三日内反馈');
    await city.getByTestId('supervise-to').click();
    await city.getByText('部门：台山市 住房和城乡建设局').click();
    await city.getByTestId('supervise-ok').click();
    await city.getByTestId('supervision-open').waitFor();
    expect(await notices(housing)).toContain('督办：群众反映强烈');
    await open(housing, caseUrl);
    await housing.getByTestId('supervision-answer-open').click();
    await housing.getByTestId('supervision-answer-text').fill('已约谈开发商，本周内完成维修');
    await housing.getByTestId('supervision-answer-ok').click();
    await housing.getByTestId('supervision-answered').waitFor();
    await shot(housing, 'daily-04-supervision-answered');

    // 6. Human resources asks for 3 more days on its share; the leader is told, finds it
    //    in 待我审批 and approves it: the share's deadline moves.
    const { page: hrss, errors: hrssErrors } = await signIn('taishan-hrss');
    await open(hrss, caseUrl);
    const hrssShare = mine(hrss, 'joint');
    // The share's deadline as the 合力办 card lists it (Beijing time).
    const shareDue = async (page: Page) =>
      /\d{4}-\d\d-\d\d \d\d:\d\d/.exec(await page.getByTestId('joint-share-hrss').innerText())?.[0];
    const dueBefore = await shareDue(hrss);
    expect(dueBefore).toBeTruthy();
    await hrssShare.getByTestId('request-task-extension').click();
    await hrss.getByTestId('extension-days').fill('3');
    await hrss.getByTestId('dialog-reason').fill('补偿款需财政复核');
    await hrss.getByTestId('dialog-ok').click();
    await hrss.getByTestId('joint-extension-request').waitFor();
    const { page: leader, errors: leaderErrors } = await signIn('taishan-leader');
    expect(await notices(leader)).toContain('延期申请待审批');
    const approval = leader.getByTestId(`approval-${trackingCode}`);
    await approval.waitFor();
    expect(await approval.innerText()).toContain('补偿款需财政复核');
    await shot(leader, 'daily-05a-approvals');
    await approval.getByText('去审批').click();
    await leader.getByTestId('case-page').waitFor();
    await leader.getByTestId('joint-approve-extension').click();
    await expect.poll(() => leader.getByTestId('joint-extension-request').count()).toBe(0);
    await expect
      .poll(() => leader.getByTestId('timeline').innerText())
      .toContain('批准延期：繁事合力办（人力资源和社会保障局）');
    await open(hrss, caseUrl);
    await expect.poll(() => shareDue(hrss)).not.toBe(dueBefore);
    const dueAfter = (await shareDue(hrss)) ?? '';
    expect(dueAfter > (dueBefore ?? '')).toBe(true);
    expect(await hrss.getByTestId('joint-share-hrss').innerText()).toContain('正常');
    expect(hrssErrors).toEqual([]);
    await hrss.close();

    // 7. Human resources and market contribute; housing, the lead, writes the merged reply.
    for (const [user, text] of [
      ['taishan-hrss', '补偿款已核发到账'],
      ['taishan-market', '已责令商铺退回店内经营'],
    ] as const) {
      const { page, errors } = await signIn(user);
      expect(await notices(page)).toContain('新交办');
      await open(page, caseUrl);
      const contribution = mine(page, 'joint');
      await contribution.locator('textarea[id$="handlingOpinion"]').fill(text);
      await contribution.getByTestId('action-report').click();
      await expect.poll(() => contribution.count()).toBe(0);
      expect(errors).toEqual([]);
      await page.close();
    }
    await housing.reload();
    const merged = mine(housing, 'joint');
    await merged.waitFor();
    // The lead's form (loaded with the page's form code) asks for the merged reply.
    await expect.poll(() => merged.innerText()).toContain('合并答复意见');
    await merged
      .locator('textarea[id$="handlingOpinion"]')
      .fill('开发商限期维修，补偿款已发放，占道经营已整治');
    await merged.getByTestId('action-report').click();
    await expect.poll(() => merged.count()).toBe(0);
    const card = housing.getByTestId('joint-handling');
    await card.getByTestId('joint-merged').waitFor();
    expect(await card.getByTestId('joint-refusal').innerText()).toContain(
      '自然资源局拒签：占道经营不属自然资源局职责',
    );
    await card.scrollIntoViewIfNeeded();
    await shot(housing, 'daily-05-joint-merged');
    expect(housingErrors).toEqual([]);

    // 8. The receptionist sends the reply (处理意见书 with its 文号), then the return visit.
    await open(desk, caseUrl);
    const feedback = mine(desk, 'feedback');
    await feedback.locator('textarea[id$="feedbackText"]').fill('维修、补偿和占道整治均已落实');
    await feedback.getByTestId('action-sent').click();
    await expect.poll(() => feedback.count()).toBe(0);
    await expect.poll(() => documents.innerText()).toMatch(/处理意见书[\s\S]*台信处〔\d{4}〕1号/);
    const close = mine(desk, 'close');
    // The return visit finds the petitioner unhappy: the leader hears of it.
    await close.getByText('不满意', { exact: true }).click();
    await close.getByTestId('action-close').click();
    await desk.getByTestId('case-status').getByText('已办结').waitFor();
    await shot(desk, 'daily-06-case-closed');
    const timeline = await desk.getByTestId('timeline').innerText();
    expect(timeline).not.toMatch(/\b(housing|hrss|natres|market|blue|online)\b/);
    expect(await notices(leader)).toContain('回访不满意');
    await shot(leader, 'daily-06a-leader-bell');
    expect(leaderErrors).toEqual([]);

    // 9. 查找: the receptionist finds the case by the petitioner's whole phone number.
    await desk.getByTestId('nav-search').click();
    await desk.getByTestId('search-page').waitFor();
    await choose(desk, desk.getByTestId('search-by'), '手机号');
    await desk.getByTestId('search-who').fill(PHONE);
    await desk.getByTestId('search-submit').click();
    await desk.getByTestId(`search-row-${trackingCode}`).waitFor();
    expect(await desk.getByTestId('search-count').innerText()).toContain('1');
    await shot(desk, 'daily-06b-search-by-phone');
    expect(deskErrors).toEqual([]);

    // 10. The petitioner reads the reply and the notices on the phone, and rates it.
    await phone.goto(`${running.url}/#/track?code=${trackingCode}`);
    await phone.getByTestId('track-phone').fill(PHONE);
    await phone.getByTestId('track-submit').click();
    await phone.getByTestId('track-answer').waitFor();
    const answer = await phone.getByTestId('track-answer').innerText();
    expect(answer).toContain('处理意见书');
    expect(answer).toMatch(/台信处〔\d{4}〕1号/);
    expect(answer).toContain('维修、补偿和占道整治均已落实');
    expect(await phone.getByTestId('track-document').innerText()).toContain('受理告知书');
    await phone.getByTestId('rate-stars').locator('li').nth(4).click();
    await phone.getByTestId('rate-submit').click();
    await phone.getByTestId('rated').waitFor();
    await shot(phone, 'daily-07-petitioner-rated');
    expect(phoneErrors).toEqual([]);

    // 11. The city dashboard counts it: received, closed, rated, one 督办 answered on time;
    //     its district table has the 市本级 row (cases registered at the city itself).
    await city.goto(`${running.url}/#/dashboard`);
    await expect.poll(() => city.getByTestId('own-level').innerText()).toContain('市本级');
    await city.getByTestId('own-level').scrollIntoViewIfNeeded();
    await city.waitForTimeout(600); // ECharts animations settle before the screenshot
    await shot(city, 'daily-08a-city-dashboard');
    await city.getByTestId('drill-440781').click();
    await city.getByTestId('crumb-440781').waitFor();
    await expect.poll(() => city.getByTestId('kpi-closed').innerText()).toContain('1');
    await expect.poll(() => city.getByTestId('kpi-sat').innerText()).toContain('100.0%');
    expect(await city.getByTestId('kpi-supervised').innerText()).toContain('1');
    expect(await city.getByTestId('kpi-supervision-ontime').innerText()).toContain('100.0%');
    await city.waitForTimeout(600); // ECharts animations settle before the screenshot
    await shot(city, 'daily-08-dashboard');
    expect(await city.locator('body').innerText()).not.toMatch(/440781|four-colour|\/ page/);
    expect(cityErrors).toEqual([]);
  });
});
