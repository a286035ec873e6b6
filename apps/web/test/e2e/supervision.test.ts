import { mkdirSync, rmSync } from 'node:fs';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// The real server (HTTP, tRPC, SQLite), started from its source like its own tests do.
import { type RunningServer, startServer } from '../../../server/src/app';
import { silentLogger } from '../../../server/src/log';
import { client } from '../../../server/test/server-helpers';
import { launchChromium, screenshot, signIn } from '../harness';
import { addPeople, publishAndAdopt, TAISHAN_CHAIN } from '../people';
import { openServerStore } from '../server';

const PASSWORD = 'supervision-e2e-password-2025';
let browser: Browser;
let running: RunningServer;
let dataDir: string;
let deliver: () => Promise<unknown>;
let caseId = '';
let trackingCode = '';

beforeAll(async () => {
  const opened = await openServerStore('lianxin-supervision-e2e-');
  dataDir = opened.dataDir;
  deliver = () => opened.store.deliverNotifications();
  await addPeople(
    opened.store,
    TAISHAN_CHAIN,
    [
      ['guangdong-admin', '广东省管理员', '440000', 'admin'],
      ['taishan-admin', '台山市管理员', '440781', 'admin'],
      ['taishan-receptionist', '台山接访员 李敏', '440781', 'receptionist'],
      ['taishan-housing', '台山住建局 何伟', '440781', 'handler', 'housing'],
      ['taishan-leader', '台山分管领导 周强', '440781', 'leader'],
      ['jiangmen-supervisor', '江门市督查 吴敏', '440700', 'supervisor'],
    ],
    PASSWORD,
  );
  running = await startServer(opened.store, opened.config, silentLogger, { scheduler: false });
  const { flowId } = await publishAndAdopt(running.url, 'standard-petition', PASSWORD);
  const desk = client(running.url);
  await desk.auth.login.mutate({ username: 'taishan-receptionist', password: PASSWORD });
  ({ caseId, trackingCode } = await desk.cases.register.mutate({
    flowId,
    channel: 'visit',
    data: {
      petitioner: { name: '伍某' },
      category: 'housing',
      summary: '小区电梯停运一个月，物业拒不维修',
    },
  }));
  const task = async (node: string) =>
    (await desk.tasks.inbox.query()).rows.find((t) => t.caseId === caseId && t.node === node);
  await desk.tasks.complete.mutate({
    taskId: (await task('accept'))?.id ?? '',
    action: 'accept',
    data: { category: 'housing', acceptanceNote: '属于本机关职权范围，予以受理' },
  });
  await desk.tasks.complete.mutate({
    taskId: (await task('assign'))?.id ?? '',
    action: 'assign',
    data: { department: 'housing', assignNote: '请住建局督促物业维修' },
  });
  browser = await launchChromium();
  mkdirSync('/tmp/shots/supervision', { recursive: true });
});
afterAll(async () => {
  await browser?.close();
  await running?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

const shot = async (page: Parameters<typeof screenshot>[0], name: string) => {
  await screenshot(page, name);
  await page.screenshot({ path: `/tmp/shots/supervision/${name}.png`, fullPage: true });
};

describe('督办 against the real server', () => {
  it('the city supervisor orders housing; the handler is told, sees the tag and banner, answers; the leader approves from 待我审批; the dashboard counts it', async () => {
    // The city's supervisor issues the order from the case page.
    const city = await signIn(browser, running.url, 'jiangmen-supervisor', PASSWORD);
    await city.page.goto(`${running.url}/#/workbench/case/${encodeURIComponent(caseId)}`);
    await city.page.getByTestId('supervise-open').click();
    await city.page.getByTestId('supervise-reason').fill('群众多次来电反映，请三日内处理并反馈');
    await city.page.getByTestId('supervise-to').click();
    await city.page.getByText('部门：台山市 住房和城乡建设局').click();
    await shot(city.page, 'supervision-01-issue');
    await city.page.getByTestId('supervise-ok').click();
    await city.page.getByTestId('supervision-open').waitFor();
    const banner = await city.page.getByTestId('supervision-banner').innerText();
    expect(banner).toContain('督办：群众多次来电反映，请三日内处理并反馈');
    expect(banner).toContain('台山市 住房和城乡建设局');
    expect(banner).toContain('江门市督查 吴敏');
    // The end of the chosen day in Beijing, whatever the browser's zone.
    expect(banner).toMatch(/期限：\d{4}-\d{2}-\d{2} 23:59/);
    expect(banner).not.toMatch(/housing|assignees|supervisor/);
    await shot(city.page, 'supervision-02-banner');
    expect(city.errors).toEqual([]);

    // The housing handler: two notifications (the dispatch and the order), the tag, the banner.
    await deliver();
    const housing = await signIn(browser, running.url, 'taishan-housing', PASSWORD);
    const row = housing.page.getByTestId(`inbox-row-${trackingCode}`);
    await row.getByTestId('supervised-tag').waitFor();
    expect(await row.innerText()).toContain('督办');
    await shot(housing.page, 'supervision-03-inbox-tag');
    await housing.page.getByTestId('nav-notifications').click();
    const notices = housing.page.getByTestId('notifications');
    await notices.getByText('督办：群众多次来电反映').waitFor();
    const list = await notices.innerText();
    expect(list).toMatch(/新交办：/);
    expect(list).not.toMatch(/\d{4}-\d{2}-\d{2}T/);
    await shot(housing.page, 'supervision-04-notifications');
    await notices.getByText('督办：群众多次来电反映').click();
    await housing.page.getByTestId('supervision-answer-open').click();
    await housing.page
      .getByTestId('supervision-answer-text')
      .fill('已约谈物业公司，明日恢复电梯运行');
    await housing.page.getByTestId('supervision-answer-ok').click();
    await housing.page.getByTestId('supervision-answered').waitFor();
    expect(await housing.page.getByTestId('supervision-answer').innerText()).toContain(
      '已约谈物业公司，明日恢复电梯运行',
    );
    await shot(housing.page, 'supervision-05-answered');
    expect(housing.errors).toEqual([]);

    // The handler asks for more time: the leader is told and finds it under 待我审批.
    const handler = client(running.url);
    await handler.auth.login.mutate({ username: 'taishan-housing', password: PASSWORD });
    const view = await handler.cases.get.query({ caseId });
    const clockId = Object.keys(view.state.clocks).find(
      (id) => view.state.clocks[id]?.status === 'running',
    );
    await handler.cases.act.mutate({
      caseId,
      command: {
        type: 'deadline.requestExtension',
        clockId: clockId ?? '',
        duration: 'P30D',
        reason: '需要等待电梯配件',
      },
    });
    await deliver();
    const leader = await signIn(browser, running.url, 'taishan-leader', PASSWORD);
    const approvals = leader.page.getByTestId('approvals');
    await approvals.waitFor();
    expect(await approvals.innerText()).toContain('延长 30 天：需要等待电梯配件');
    await shot(leader.page, 'supervision-06-approvals');
    await leader.page.getByTestId('nav-notifications').click();
    await leader.page.getByText('延期申请待审批').first().waitFor();
    await shot(leader.page, 'supervision-07-leader-notice');
    expect(leader.errors).toEqual([]);

    // The city dashboard: 督办件 1, all answered on time; the 市本级 row beside Taishan.
    await city.page.goto(`${running.url}/#/dashboard`);
    await city.page.getByTestId('kpi-supervised').waitFor();
    expect(await city.page.getByTestId('kpi-supervised').innerText()).toContain('1');
    expect(await city.page.getByTestId('kpi-supervision-ontime').innerText()).toContain('100.0%');
    expect(await city.page.getByTestId('own-level').innerText()).toBe('市本级');
    await shot(city.page, 'supervision-08-dashboard');
    expect(city.errors).toEqual([]);
  });
});
