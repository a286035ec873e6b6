import { readFileSync, rmSync } from 'node:fs';
import dayjs from 'dayjs';
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// The real server (HTTP, tRPC, SQLite), started from its source like its own tests do.
import { type RunningServer, startServer } from '../../../server/src/app';
import { silentLogger } from '../../../server/src/log';
import { choose, clickUntil, launchChromium, screenshot, signIn as signInAs } from '../harness';
import { addPeople, publishAndAdopt } from '../people';
import { openServerStore } from '../server';

const PASSWORD = 'case-handling-e2e-password';
const KEY = 'standard-petition';

let browser: Browser;
let running: RunningServer;
let serverStore: Awaited<ReturnType<typeof openServerStore>>['store'];
let dataDir: string;

beforeAll(async () => {
  const opened = await openServerStore('lianxin-case-handling-e2e-');
  dataDir = opened.dataDir;
  const { store, config } = opened;
  serverStore = store;
  await addPeople(
    store,
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
      ['taishan-leader', '台山分管领导 赵强', '440781', 'leader'],
    ],
    PASSWORD,
  );
  running = await startServer(store, config, silentLogger, { scheduler: false });
  // The province publishes the standard petition template; Taishan adopts and publishes it.
  await publishAndAdopt(running.url, KEY, PASSWORD);
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await running?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

const pages: { page: Page; errors: string[] }[] = [];
async function signIn(username: string): Promise<Page> {
  const signedIn = await signInAs(browser, running.url, username, PASSWORD);
  pages.push(signedIn);
  return signedIn.page;
}

let caseUrl = '';
async function openCase(page: Page) {
  await page.goto(caseUrl);
  await page.reload(); // the same hash would not reload the case
  await page.getByTestId('case-page').waitFor();
}
/** The open task of `node` that this user may work (its form and buttons). */
const myTask = (page: Page, node: string) =>
  page.locator(`[data-testid="task-${node}"][data-mine="true"]`);
/** The newest timeline entry of an event type. */
/** Waits until no select dropdown is open (before a screenshot). */
const dropdownsClosed = (page: Page) =>
  expect.poll(() => page.locator('.ant-select-dropdown:visible').count()).toBe(0);
const lastEvent = (page: Page, type: string): Locator =>
  page.getByTestId('timeline').getByTestId(`event-${type}`).first();

describe('case page against the real server: refusal, reassignment, extension, return, attachments', () => {
  it('admins land on the flow list, staff on their inbox', async () => {
    const admin = await signIn('taishan-admin');
    await expect.poll(() => new URL(admin.url()).hash).toBe('#/flows');
    const desk = await signIn('taishan-receptionist');
    await expect.poll(() => new URL(desk.url()).hash).toBe('#/workbench');
    await desk.getByText('我的待办').first().waitFor();
    await admin.close();
    await desk.close();
  });

  it('a department refuses, another handles with an approved extension, the reply is returned, files are attached', async () => {
    // 1. The receptionist registers a walk-in; the form checks the phone number while typing.
    const desk = await signIn('taishan-receptionist');
    await desk.getByTestId('nav-workbench').click();
    await desk.getByTestId('register-case').click();
    await desk.getByTestId('register-page').waitFor();
    await desk.locator('input[id$="petitioner_name"]').fill('黄阿婆');
    const phone = desk.locator('input[id$="petitioner_phone"]');
    await phone.pressSequentially('1380');
    const phoneError = desk.locator(
      '.ant-form-item:has(input[id$="petitioner_phone"]) .ant-form-item-explain-error',
    );
    // Shown while typing, not only on submit, in plain words.
    await phoneError.filter({ hasText: '手机号码应为 11 位数字，以 1 开头' }).waitFor();
    await screenshot(desk, 'case-01-register-live-error');
    // The live error did not reset what was typed; typing on completes the number.
    await expect(phone.inputValue()).resolves.toBe('1380');
    await phone.pressSequentially('0138000');
    await expect(phone.inputValue()).resolves.toBe('13800138000');
    await expect.poll(() => phoneError.count()).toBe(0);
    await choose(desk, desk.locator('input[id$="_category"]'), '劳动社保');
    await desk
      .locator('textarea[id$="summary"]')
      .fill('拖欠工资三个月，用人单位拒不支付，要求协调追讨');
    await desk.getByTestId('register-submit').click();
    await desk.getByTestId('registered-code').waitFor();
    await desk.getByText('打开事项').click();
    await desk.getByTestId('case-page').waitFor();
    caseUrl = desk.url();

    // Accept it (category 劳动社保) and assign it — by mistake — to housing.
    const accept = myTask(desk, 'accept');
    await choose(desk, accept.locator('input[id$="_category"]'), '劳动社保');
    await accept.getByTestId('action-accept').click();
    await accept.waitFor({ state: 'detached' });
    const assign = myTask(desk, 'assign');
    await choose(desk, assign.locator('input[id$="_department"]'), '住房和城乡建设局');
    await assign.getByTestId('action-assign').click();
    await assign.waitFor({ state: 'detached' });

    // 2. Housing refuses the task with a reason: it goes back to the assignment step.
    const housing = await signIn('taishan-housing');
    await openCase(housing);
    const handleHousing = myTask(housing, 'handle');
    await handleHousing.getByTestId('refuse').click();
    await housing.getByTestId('dialog-reason').fill('欠薪问题不属于住建部门职责，请交人社局办理');
    await housing.getByTestId('dialog-ok').click();
    await handleHousing.waitFor({ state: 'detached' });
    const refused = lastEvent(housing, 'task.refused');
    await refused.waitFor();
    const refusedText = await refused.innerText();
    expect(refusedText).toContain('拒签：部门办理');
    expect(refusedText).toContain('理由：欠薪问题不属于住建部门职责，请交人社局办理');
    expect(refusedText).toContain('退回“交办”重新办理');
    expect(refusedText).toContain('台山住建局 何伟（部门办理人）');
    await screenshot(housing, 'case-02-refused-by-housing');

    // The category shows by its name, not its code.
    expect(await housing.getByTestId('case-category').innerText()).toBe('劳动社保');

    // 3. The receptionist sees the refusal and assigns it to human resources.
    await openCase(desk);
    expect(await lastEvent(desk, 'task.refused').innerText()).toContain(
      '欠薪问题不属于住建部门职责',
    );
    const reassign = myTask(desk, 'assign');
    await choose(desk, reassign.locator('input[id$="_department"]'), '人力资源和社会保障局');
    await reassign.getByTestId('action-assign').click();
    await reassign.waitFor({ state: 'detached' });
    // What was filled shows in words: the department's name, not its code.
    expect(await lastEvent(desk, 'task.completed').innerText()).toContain(
      '承办部门：人力资源和社会保障局',
    );

    // 4. Human resources asks for 30 more days, then reports.
    const hrss = await signIn('taishan-hrss');
    await openCase(hrss);
    const dueBefore = await hrss.getByTestId('clock-handling').getByTestId('clock-due').innerText();
    await clickUntil(hrss.getByTestId('request-extension'), hrss.getByTestId('extension-clock'));
    await choose(hrss, hrss.getByTestId('extension-clock'), '办理期限');
    await hrss.getByTestId('extension-reason').fill('需要劳动监察大队现场核查用工记录');
    await dropdownsClosed(hrss);
    await screenshot(hrss, 'case-03-extension-request-dialog');
    await hrss.getByTestId('extension-ok').click();
    const request = hrss.getByTestId('extension-request');
    await request.waitFor();
    expect(await request.innerText()).toContain('办理期限 延长 30 天');
    expect(await request.innerText()).toContain('台山人社局 王芳（部门办理人）');
    // A handler may ask, not approve.
    expect(await hrss.getByTestId('approve-extension').count()).toBe(0);
    // Only a leader pauses a statutory clock.
    expect(await hrss.getByTestId('clock-pause').count()).toBe(0);
    const handle = myTask(hrss, 'handle');
    await handle
      .locator('textarea[id$="handlingOpinion"]')
      .fill('已责令用人单位十日内足额支付拖欠工资，劳动监察大队跟踪落实');
    await handle.getByTestId('action-submit').click();
    await handle.waitFor({ state: 'detached' });

    // 5. The leader approves the extension (the deadline moves by 30 days), then the reply draft.
    const leader = await signIn('taishan-leader');
    await openCase(leader);
    await leader.getByTestId('extension-request').waitFor();
    await screenshot(leader, 'case-04-extension-pending');
    await leader.getByTestId('approve-extension').click();
    await leader.getByTestId('extension-request').waitFor({ state: 'detached' });
    const clock = leader.getByTestId('clock-handling');
    await clock.getByText('已延期').waitFor();
    const dueAfter = await clock.getByTestId('clock-due').innerText();
    // 30 days after the old last day, rolled past a rest day (民法典 第二百零三条): the page
    // shows the engine's date, which docs/engine.md's rules table checks day by day.
    const caseId = decodeURIComponent(new URL(caseUrl).hash.split('/').pop() ?? '');
    const handling = (await serverStore.caseRow(caseId))?.state.clocks.handling;
    // (in Beijing time, as the page shows every time whatever the browser's zone)
    const beijing = new Date(Date.parse(handling?.due ?? '') + 8 * 3_600_000).toISOString();
    expect(dueAfter).toBe(beijing.slice(0, 16).replace('T', ' '));
    const moved = dayjs(dueAfter).diff(dayjs(dueBefore), 'day');
    expect(moved).toBeGreaterThanOrEqual(30);
    expect(moved).toBeLessThanOrEqual(30 + 9); // the longest rest is 春节's nine days
    const approved = await lastEvent(leader, 'extension.approved').innerText();
    expect(approved).toContain('批准延期：办理期限');
    expect(approved).toContain(`期限由 ${dueBefore} 延至 ${dueAfter}`);
    expect(approved).toContain('台山分管领导 赵强（分管领导）');
    await screenshot(leader, 'case-05-extension-approved');
    // The leader pauses the clock while an appraisal is awaited (resumed in step 8).
    await clickUntil(clock.getByTestId('clock-pause'), leader.getByTestId('clock-pause-reason'));
    await leader.getByTestId('clock-pause-reason').fill('等待劳动能力鉴定结论');
    await screenshot(leader, 'case-05b-clock-pause-dialog');
    await leader.getByTestId('clock-pause-ok').click();
    await clock.getByTestId('clock-paused').waitFor();
    expect(await lastEvent(leader, 'clock.paused').innerText()).toContain(
      '理由：等待劳动能力鉴定结论',
    );
    await screenshot(leader, 'case-05c-clock-paused');
    const approve = myTask(leader, 'approve');
    await approve.getByTestId('action-approve').click();
    await approve.waitFor({ state: 'detached' });

    // 6. The receptionist finds the reply thin and returns it to the handling step.
    await openCase(desk);
    const reply = myTask(desk, 'reply');
    // The flow is wider than its card: the diagram opens scrolled to where the case is.
    const diagram = await desk.getByTestId('flow-diagram').boundingBox();
    const here = await desk.getByTestId('diagram-current-reply').boundingBox();
    expect(
      here && diagram && here.x >= diagram.x && here.x + here.width <= diagram.x + diagram.width,
    ).toBe(true);
    await reply.getByTestId('return').click();
    await choose(desk, desk.getByTestId('return-to'), '部门办理');
    await desk.getByTestId('dialog-reason').fill('答复未写明政策依据，请补充后重新办理');
    await dropdownsClosed(desk);
    await screenshot(desk, 'case-06-return-dialog');
    await desk.getByTestId('dialog-ok').click();
    await reply.waitFor({ state: 'detached' });
    const returned = await lastEvent(desk, 'task.returned').innerText();
    expect(returned).toContain('退回：出具答复意见书 → 部门办理');
    expect(returned).toContain('理由：答复未写明政策依据，请补充后重新办理');
    expect(returned).toContain('台山接访员 李敏（接访员）');

    // 7. Attachments: upload a file on the case page, see it listed, download the same bytes.
    const content = '用工合同及工资条复印件说明：共 3 页。\n';
    await desk.locator('input[type="file"]').setInputFiles({
      name: '工资条说明.txt',
      mimeType: 'text/plain',
      buffer: Buffer.from(content),
    });
    const link = desk.getByTestId('attachment-link').filter({ hasText: '工资条说明.txt' });
    await link.waitFor();
    const [download] = await Promise.all([desk.waitForEvent('download'), link.click()]);
    const saved = await download.path();
    expect(readFileSync(saved, 'utf8')).toBe(content);
    expect(await lastEvent(desk, 'attachment.added').innerText()).toContain('工资条说明.txt');
    expect(await link.locator('..').innerText()).toContain('台山接访员 李敏（接访员）');
    await desk.getByTestId('case-code').scrollIntoViewIfNeeded();
    await screenshot(desk, 'case-07-attachment-and-timeline');

    // The timeline speaks Chinese: no event type names or user ids.
    const timeline = await desk.getByTestId('timeline').innerText();
    expect(timeline).not.toMatch(/task\.|clock\.|extension\.|[0-9a-f]{8}-[0-9a-f]{4}/);
    expect(timeline).toContain('登记信访事项');
    expect(timeline).toContain('完成：受理审查 · 受理');

    // 8. Human resources has the handling step back, with the reason in the timeline; its
    // deadline follows the paused clock, so no days run out.
    await openCase(hrss);
    const again = myTask(hrss, 'handle');
    await again.waitFor();
    expect(await lastEvent(hrss, 'task.returned').innerText()).toContain('答复未写明政策依据');
    await again.getByTestId('due-paused').waitFor();
    await screenshot(hrss, 'case-07b-task-clock-paused');
    // The leader resumes the clock: back within the minutes, a period counted in days does
    // not move (docs/engine.md, pauses).
    await openCase(leader);
    await clock.getByTestId('clock-resume').click();
    await clock.getByTestId('clock-paused').waitFor({ state: 'detached' });
    expect(await lastEvent(leader, 'clock.resumed').innerText()).toContain(
      `期限仍为 ${dueAfter}（暂停不足一日，不顺延）`,
    );
    expect(await clock.getByTestId('clock-due').innerText()).toBe(dueAfter);
    await openCase(hrss);
    await again.getByTestId('due-ontime').waitFor();

    // 9. The same history in English.
    await desk.getByTestId('lang-switch').click();
    await desk.getByText('Current work').waitFor();
    const english = await desk.getByTestId('timeline').innerText();
    expect(english).toContain('Returned: ');
    expect(english).toContain('Extension approved: ');
    await screenshot(desk, 'case-08-timeline-english');
    await desk.getByTestId('lang-switch').click();

    for (const { errors } of pages) expect(errors).toEqual([]);
  });
});
