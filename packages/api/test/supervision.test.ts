import type { Clock } from '@lianxin/store';
import { TRPCError } from '@trpc/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppError, Services } from '../src';
import { PASSWORD, publishFixture, setupApi, signIn } from './helpers';

async function failure(p: Promise<unknown>): Promise<{ code: string; error: AppError }> {
  try {
    await p;
  } catch (e) {
    if (!(e instanceof TRPCError)) throw e;
    return { code: e.code, error: e.cause as AppError };
  }
  throw new Error('expected a refusal');
}

const WEEK = 7 * 86_400_000;

// 督办 through the API: who may issue (leaders, supervisors, admins of the case's
// jurisdiction or above), to whom (someone where the case is handled), the tag in
// the addressee's inbox, the dashboard's figures; and the city's district table
// with its 市本级 row adding up to the city.
describe.each(['sqlite', 'pg'] as const)('supervision orders through the api on %s', (dialect) => {
  let services: Services;
  let api: Awaited<ReturnType<typeof setupApi>>;
  let flowId: string;

  beforeAll(async () => {
    api = await setupApi(dialect);
    services = api.services;
    await api.store.createUser({
      username: 'housing',
      displayName: '住建局办理人',
      password: PASSWORD,
      memberships: [{ jurisdiction: '440781', role: 'handler', department: 'housing' }],
    });
    flowId = await publishFixture(services);
  });
  afterAll(async () => api.test.drop());

  async function dispatched() {
    const rec = await signIn(services, 'receptionist');
    const { caseId } = await rec.cases.register({
      flowId,
      channel: 'visit',
      data: { summary: '小区电梯停运一个月无人维修' },
    });
    const { state } = await rec.cases.get({ caseId });
    await rec.tasks.complete({
      taskId: state.tasks[0]?.id ?? '',
      action: 'submit',
      data: { accepted: true, department: 'housing' },
    });
    return caseId;
  }

  it('a city supervisor orders the housing department; its handler sees the tag and the notice, answers; the dashboard counts it', async () => {
    const caseId = await dispatched();
    const city = await signIn(services, 'city');
    const deadline = new Date(Date.now() + WEEK).toISOString();
    await city.supervision.issue({
      caseId,
      reason: '群众多次反映，请三日内处理',
      deadline,
      to: { kind: 'department', jurisdiction: '440781', department: 'housing' },
    });
    const housing = await signIn(services, 'housing' as never);
    const inbox = await housing.tasks.inbox();
    expect(inbox.rows.find((r) => r.caseId === caseId)?.supervised).toBe(true);
    await services.store.deliverNotifications();
    const mine = await housing.notifications.mine();
    expect(mine.rows.map((r) => r.message['zh-CN'])).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^新交办：/),
        expect.stringMatching(/^督办：群众多次反映，请三日内处理/),
      ]),
    );
    const { state, actions } = await housing.cases.get({ caseId });
    expect(actions.case).toContain('case.answerSupervision');
    const order = state.supervisions?.[0];
    await housing.cases.act({
      caseId,
      command: {
        type: 'case.answerSupervision',
        supervisionId: order?.id ?? '',
        text: '已联系物业，明日恢复',
      },
    });
    expect((await housing.tasks.inbox()).rows.find((r) => r.caseId === caseId)?.supervised).toBe(
      false,
    );
    const figures = await city.stats.supervision({
      jurisdiction: '440700',
      from: new Date(Date.now() - WEEK).toISOString(),
      to: new Date(Date.now() + WEEK).toISOString(),
    });
    expect(figures).toMatchObject({ supervisedCases: 1, issued: 1, done: 1, onTimeRate: 1 });
    // The timeline has all of it.
    const timeline = (await city.cases.get({ caseId })).timeline.map((e) => e.type);
    expect(timeline).toEqual(
      expect.arrayContaining(['supervision.issued', 'supervision.answered']),
    );
  });

  it('refuses a receptionist, another county’s admin and an unknown addressee, changing nothing', async () => {
    const caseId = await dispatched();
    const before = await api.store.caseRow(caseId);
    const order = {
      caseId,
      reason: '请加快',
      deadline: new Date(Date.now() + WEEK).toISOString(),
      to: { kind: 'assignees' as const },
    };
    const rec = await failure((await signIn(services, 'receptionist')).supervision.issue(order));
    expect(rec.error.code).toBe('permission.role');
    const other = await failure((await signIn(services, 'otherAdmin')).supervision.issue(order));
    expect(other.error.code).toBe('permission.jurisdiction');
    const leader = await signIn(services, 'leader');
    const unknown = await failure(
      leader.supervision.issue({
        ...order,
        to: { kind: 'department', jurisdiction: '440781', department: 'nosuch' },
      }),
    );
    expect(unknown.code).toBe('BAD_REQUEST');
    expect(unknown.error.localized('zh-CN')).toContain('督办对象无效');
    const past = await failure(
      leader.supervision.issue({ ...order, deadline: '2020-01-01T00:00:00Z' }),
    );
    expect(past.error.localized('zh-CN')).toContain('督办期限');
    // Through the generic command too: a receptionist is refused by the flow's rule.
    const generic = await failure(
      (await signIn(services, 'receptionist')).cases.act({
        caseId,
        command: { type: 'case.supervise', ...order, caseId: undefined } as never,
      }),
    );
    expect(generic.code).toBe('FORBIDDEN');
    // Nor can the generic command address someone of another county.
    const stranger = (await api.store.userByUsername('otherReceptionist'))?.id ?? '';
    const elsewhere = await failure(
      leader.cases.act({
        caseId,
        command: { ...order, type: 'case.supervise', to: { kind: 'user', userId: stranger } },
      } as never),
    );
    expect(elsewhere.error.code).toBe('supervision.addressee');
    expect(await api.store.caseRow(caseId)).toEqual(before);
  });

  it('lists departments and staff to address for a supervisor, and nothing for a receptionist', async () => {
    const caseId = await dispatched();
    const list = await (await signIn(services, 'supervisor')).supervision.addressees({ caseId });
    expect(list.departments).toEqual(
      expect.arrayContaining([{ jurisdiction: '440781', department: 'housing' }]),
    );
    const refused = await failure(
      (await signIn(services, 'receptionist')).supervision.addressees({ caseId }),
    );
    expect(refused.error.code).toBe('permission.role');
  });

  it('the city’s district table has a 市本级 row and its rows add up to the city', async () => {
    const cityAdmin = await signIn(services, 'cityAdmin');
    // A case the city registers itself, on the county's flow.
    await cityAdmin.cases.register({
      flowId,
      jurisdiction: '440700',
      channel: 'visit',
      data: { summary: '市本级登记的事项' },
    });
    const period = {
      jurisdiction: '440700',
      from: new Date(Date.now() - WEEK).toISOString(),
      to: new Date(Date.now() + WEEK).toISOString(),
    };
    const rows = await cityAdmin.stats.byJurisdiction(period);
    const total = await cityAdmin.stats.summary(period);
    const own = rows.find((r) => r.own);
    expect(own).toMatchObject({ jurisdiction: '440700', name: { 'zh-CN': '市本级' } });
    expect(own?.stats.received).toBeGreaterThan(0);
    expect(rows.reduce((n, r) => n + r.stats.received, 0)).toBe(total.received);
    expect(rows.reduce((n, r) => n + r.stats.closed, 0)).toBe(total.closed);
  });
});

class TestClock implements Clock {
  constructor(public ms = Date.now()) {}
  now() {
    return new Date(this.ms);
  }
}

// The reminder when an order's deadline passes unanswered: a timer the engine
// sets with the order, claimed and fired as every timer is (SKIP LOCKED on
// PostgreSQL), so two servers' schedulers deliver it once.
describe.each(['sqlite', 'pg'] as const)('the overdue 督办 reminder on %s', (dialect) => {
  let api: Awaited<ReturnType<typeof setupApi>>;
  const clock = new TestClock();
  beforeAll(async () => {
    api = await setupApi(dialect, clock);
    for (const [username, displayName] of [
      ['housing', '住建局办理人'],
      ['housing2', '住建局办理人二'],
    ] as const)
      await api.store.createUser({
        username,
        displayName,
        password: PASSWORD,
        memberships: [{ jurisdiction: '440781', role: 'handler', department: 'housing' }],
      });
  });
  afterAll(async () => api.test.drop());

  /** Two schedulers' passes at once: each claims what is due, then fires what it claimed. */
  async function twoSchedulers() {
    const claims = await Promise.all(
      ['server-a', 'server-b'].map((owner) => api.store.claimDueTimers(owner, 50)),
    );
    const results = await Promise.all(claims.flat().map((t) => api.store.fireTimer(t)));
    await api.store.deliverNotifications();
    return { claimed: claims.map((c) => c.map((t) => t.id)), results };
  }
  const reminders = async (username: 'housing' | 'housing2' | 'city' | 'leader') => {
    const rows = (await (await signIn(api.services, username as never)).notifications.mine()).rows;
    return rows.filter((r) => r.message['zh-CN'].startsWith('督办逾期未反馈'));
  };

  it('reminds the department’s handlers and the supervisor once when the deadline passes; an answered order stays quiet', async () => {
    const flowId = await publishFixture(api.services);
    const rec = await signIn(api.services, 'receptionist');
    const dispatch = async (summary: string) => {
      const { caseId } = await rec.cases.register({ flowId, channel: 'visit', data: { summary } });
      const { state } = await rec.cases.get({ caseId });
      await rec.tasks.complete({
        taskId: state.tasks[0]?.id ?? '',
        action: 'submit',
        data: { accepted: true, department: 'housing' },
      });
      return caseId;
    };
    const late = await dispatch('路灯损坏两个月无人修');
    const answered = await dispatch('小区垃圾无人清运');
    const city = await signIn(api.services, 'city');
    const deadline = new Date(clock.ms + 86_400_000).toISOString();
    for (const caseId of [late, answered])
      await city.supervision.issue({
        caseId,
        reason: `请一日内反馈（${caseId === late ? '路灯' : '垃圾'}）`,
        deadline,
        to: { kind: 'department', jurisdiction: '440781', department: 'housing' },
      });
    const housing = await signIn(api.services, 'housing' as never);
    const order = (await housing.cases.get({ caseId: answered })).state.supervisions?.[0];
    await housing.cases.act({
      caseId: answered,
      command: { type: 'case.answerSupervision', supervisionId: order?.id ?? '', text: '已清运' },
    });
    // Before the deadline nothing is due.
    await twoSchedulers();
    expect(await reminders('housing')).toEqual([]);

    clock.ms += 86_400_000 + 60_000;
    const first = await twoSchedulers();
    // Each due timer was claimed by one server only.
    const [a = [], b = []] = first.claimed;
    expect(a.filter((id) => b.includes(id))).toEqual([]);
    for (const username of ['housing', 'housing2', 'city'] as const) {
      const got = await reminders(username);
      expect(got.map((r) => r.message['zh-CN'])).toEqual([
        expect.stringContaining('请一日内反馈（路灯）'),
      ]);
    }
    expect(await reminders('leader')).toEqual([]);
    // Another pass, on either server, finds nothing more to tell.
    await twoSchedulers();
    await twoSchedulers();
    for (const username of ['housing', 'housing2', 'city'] as const)
      expect(await reminders(username)).toHaveLength(1);
    const en = await signIn(api.services, 'city', 'en');
    const mine = (await en.notifications.mine()).rows.map((r) => r.message.en);
    expect(mine).toContainEqual(
      expect.stringMatching(/^Supervision order not answered by its deadline/),
    );
  });
});
