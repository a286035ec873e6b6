import { copyFileSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// The real server (HTTP, tRPC, SQLite), started from its source like its own tests do.
import { type RunningServer, startServer } from '../../../server/src/app';
import { silentLogger } from '../../../server/src/log';
import { client } from '../../../server/test/server-helpers';
import { artifacts, launchChromium, screenshot, signIn as signInAs } from '../harness';
import { addPeople, publishAndAdopt } from '../people';
import { openServerStore } from '../server';

// 合力办 as offices do it, in the browser: one department's 拒签 sends only its
// share back; the receptionist's re-dispatch form opens with what was
// entered; the lead waits for the contributions, then writes the merged reply.

const PASSWORD = 'joint-e2e-password';

let browser: Browser;
let running: RunningServer;
let dataDir: string;
let caseId = '';

type Api = ReturnType<typeof client>;
const as = async (username: string): Promise<Api> => {
  const c = client(running.url);
  await c.auth.login.mutate({ username, password: PASSWORD });
  return c;
};
/** The one task of `node` (and department) the user is offered, as the API lists it. */
async function offered(api: Api, node: string, department?: string) {
  const { tasks } = await api.cases.availableActions.query({ caseId });
  const task = tasks.find(
    (t) => t.node === node && (department === undefined || t.item?.value === department),
  );
  if (!task) throw new Error(`no ${node} ${department ?? ''} offered`);
  return task;
}

beforeAll(async () => {
  const opened = await openServerStore('lianxin-joint-e2e-');
  dataDir = opened.dataDir;
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
      ['taishan-leader', '台山市领导 赵强', '440781', 'leader'],
    ],
    PASSWORD,
  );
  running = await startServer(opened.store, opened.config, silentLogger, { scheduler: false });
  const { flowId } = await publishAndAdopt(running.url, 'four-colour-triage', PASSWORD);
  // Registration, triage (blue: housing leads, human resources and natural
  // resources assist) and the meeting go through the API: the story is what follows.
  const desk = await as('taishan-receptionist');
  ({ caseId } = await desk.cases.register.mutate({
    flowId,
    channel: 'visit',
    data: {
      summary: '安置房漏水、补偿款未发放、商铺占道经营',
      category: 'housing',
      petitioner: { name: '陈伯' },
    },
    petitioner: { name: '陈伯', phone: '13800138000' },
  }));
  await desk.cases.act.mutate({
    caseId,
    command: {
      type: 'task.complete',
      taskId: (await offered(desk, 'triage')).taskId,
      action: 'classify',
      data: {
        colour: 'blue',
        triageReason: '涉及住建、人社、自然资源三个部门',
        department: 'housing',
        departments: ['housing', 'hrss', 'natres'],
        leadDepartment: 'housing',
      },
    },
  });
  const housing = await as('taishan-housing');
  await housing.cases.act.mutate({
    caseId,
    command: {
      type: 'task.complete',
      taskId: (await offered(housing, 'meet')).taskId,
      action: 'met',
      data: { meetingNote: '见面约谈，了解漏水、补偿和占道情况' },
    },
  });
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await running?.close();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

const signIn = (username: string) => signInAs(browser, running.url, username, PASSWORD);
async function openCase(page: Page) {
  await page.goto(`${running.url}/#/workbench/case/${encodeURIComponent(caseId)}`);
  await page.getByTestId('case-page').waitFor();
}
/** Also kept where the reviewer of this helper's work looks. */
async function shot(page: Page, name: string) {
  await screenshot(page, name);
  mkdirSync('/tmp/shots/joint', { recursive: true });
  copyFileSync(join(artifacts, `${name}.png`), `/tmp/shots/joint/${name}.png`);
}

describe('joint handling in the browser against the real server', () => {
  it('natural resources refuses; only its share goes back, prefilled; market is asked, human resources is not asked again; the lead merges', async () => {
    // 1. Natural resources refuses its share with a reason.
    const { page: natres, errors } = await signIn('taishan-natres');
    await openCase(natres);
    const share = natres.locator('[data-testid="task-joint"][data-mine="true"]');
    await share.waitFor();
    await share.getByTestId('refuse').click();
    await natres.getByTestId('dialog-reason').fill('占道经营不属自然资源局职责，建议交市场监管局');
    await natres.getByTestId('dialog-ok').click();
    await expect.poll(() => share.count()).toBe(0);
    await shot(natres, 'joint-01-natres-refused');

    // 2. The receptionist's re-dispatch form opens with what was entered.
    const { page: desk } = await signIn('taishan-receptionist');
    await openCase(desk);
    const redispatch = desk.locator('[data-testid="task-joint"][data-mine="true"]');
    await redispatch.waitFor();
    const box = (name: string) => redispatch.getByRole('checkbox', { name });
    await expect.poll(() => box('住房和城乡建设局').isChecked()).toBe(true);
    expect(await box('人力资源和社会保障局').isChecked()).toBe(true);
    expect(await box('自然资源局').isChecked()).toBe(true);
    expect(await redispatch.innerText()).toContain('住房和城乡建设局');
    await shot(desk, 'joint-02-redispatch-prefilled');

    // Meanwhile human resources keeps working: it asks 3 more days for its own share,
    // a leader approves on the 合力办 card, then it replies.
    const { page: hrssPage } = await signIn('taishan-hrss');
    await openCase(hrssPage);
    const hrssShare = hrssPage.locator('[data-testid="task-joint"][data-mine="true"]');
    await hrssShare.getByTestId('request-task-extension').click();
    await hrssPage.getByTestId('extension-days').fill('3');
    await hrssPage.getByTestId('dialog-reason').fill('补偿款需财政复核');
    await hrssPage.getByTestId('dialog-ok').click();
    const { page: leader } = await signIn('taishan-leader');
    await openCase(leader);
    const request = leader.getByTestId('joint-extension-request');
    await request.waitFor();
    expect(await request.innerText()).toContain('申请延期 3 天，待审批');
    await leader.getByTestId('joint-handling').scrollIntoViewIfNeeded();
    await shot(leader, 'joint-02b-leader-approves-extension');
    await leader.getByTestId('joint-approve-extension').click();
    await expect.poll(() => request.count()).toBe(0);
    expect(await leader.getByTestId('joint-share-hrss').innerText()).toContain('已延期 3 天');
    const hrss = await as('taishan-hrss');
    await hrss.cases.act.mutate({
      caseId,
      command: {
        type: 'task.complete',
        taskId: (await offered(hrss, 'joint', 'hrss')).taskId,
        action: 'report',
        data: { handlingOpinion: '补偿款已核发到账' },
      },
    });

    // 3. Natural resources out, market in; submitted with the flow's own button.
    await desk.reload();
    await redispatch.waitFor();
    await desk.waitForLoadState('networkidle');
    // The page may render the form again while it loads; set each box until it holds.
    const setBox = (name: string, checked: boolean) =>
      expect
        .poll(async () => {
          await box(name)
            .setChecked(checked, { force: true })
            .catch(() => {});
          return box(name).isChecked();
        })
        .toBe(checked);
    await setBox('自然资源局', false);
    await setBox('市场监督管理局', true);
    expect(await box('自然资源局').isChecked()).toBe(false);
    await redispatch.getByTestId('action-redispatch').click();
    await expect.poll(() => redispatch.count()).toBe(0);
    // Human resources replied already: it is not asked again; market is.
    expect((await hrss.cases.availableActions.query({ caseId })).tasks).toEqual([]);
    const market = await as('taishan-market');
    const marketShare = await offered(market, 'joint', 'market');
    expect(marketShare.share).toBe('assist');

    // 4. The lead waits for market's contribution.
    const { page: lead } = await signIn('taishan-housing');
    await openCase(lead);
    await lead.getByTestId('lead-waiting').waitFor();
    expect(await lead.getByTestId('lead-waiting').innerText()).toContain('还有 1 项未完成');
    await shot(lead, 'joint-03-lead-waiting');
    await market.cases.act.mutate({
      caseId,
      command: {
        type: 'task.complete',
        taskId: marketShare.taskId,
        action: 'report',
        data: { handlingOpinion: '已责令商铺退回店内经营' },
      },
    });

    // 5. The merged reply: the lead's own form, then the case moves on to feedback.
    await lead.reload();
    const merged = lead.locator('[data-testid="task-joint"][data-mine="true"]');
    await merged.waitFor();
    expect(await merged.innerText()).toContain('合并答复意见');
    await merged
      .locator('textarea[id$="handlingOpinion"]')
      .fill('开发商限期维修，补偿款已发放，占道经营已整治');
    await shot(lead, 'joint-04-merged-reply');
    await merged.getByTestId('action-report').click();
    await expect.poll(() => merged.count()).toBe(0);
    const desk2 = await as('taishan-receptionist');
    expect((await offered(desk2, 'feedback')).node).toBe('feedback');
    const view = await desk2.cases.get.query({ caseId });
    const record = view.state.data.jointMerged as {
      department: string;
      contributions: { department: string }[];
    };
    expect(record.department).toBe('housing');
    expect(record.contributions.map((c) => c.department)).toEqual(['hrss', 'market']);
    // 6. The case page's 合力办 card tells it all: lead, assisting, the refusal and its
    //    re-dispatch, each contribution and the merged reply, in words (no department codes).
    await desk.reload();
    const card = desk.getByTestId('joint-handling');
    await card.getByTestId('joint-merged').waitFor();
    await card.scrollIntoViewIfNeeded();
    const refusal = await card.getByTestId('joint-refusal').innerText();
    expect(refusal).toContain('自然资源局拒签：占道经营不属自然资源局职责');
    expect(refusal).toContain(
      '已重新分派：人力资源和社会保障局、住房和城乡建设局、市场监督管理局（主办：住房和城乡建设局）',
    );
    const contributions = await card.getByTestId('joint-contributions').innerText();
    expect(contributions).toContain('人力资源和社会保障局：补偿款已核发到账');
    expect(contributions).toContain('市场监督管理局：已责令商铺退回店内经营');
    expect(await card.getByTestId('joint-lead').innerText()).toBe('主办：住房和城乡建设局');
    expect(await card.innerText()).not.toMatch(/\b(housing|hrss|natres|market|lead|assist)\b/);
    mkdirSync(artifacts, { recursive: true });
    await card.screenshot({ path: join(artifacts, 'joint-05-card-after-merged-reply.png') });
    copyFileSync(
      join(artifacts, 'joint-05-card-after-merged-reply.png'),
      '/tmp/shots/joint/joint-05-card-after-merged-reply.png',
    );
    expect(errors).toEqual([]);
  });
});
