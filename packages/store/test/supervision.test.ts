import type { Actor } from '@lianxin/engine';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  awaitingApproval,
  computeStats,
  computeStatsByPart,
  type Store,
  supervisedAmong,
  supervisionStats,
} from '../src';
import { DAY, DIALECTS, type FakeClock, setupStore } from './helpers';
import { complete, publishStandard, registration, staffOf, stateOf } from './standard-petition';

// 督办 through the real store on both databases: the order's row is written in
// the transition's transaction, its notices reach the department, the answer
// reaches the issuer, and the dashboard counts orders done by their deadline.
// Dispatches and extension requests notify too, and a waiting extension puts
// the case on the leaders' 待我审批 list until it is decided.
describe.each(DIALECTS)('supervision orders on %s', (dialect) => {
  let store: Store;
  let clock: FakeClock;
  let flowId: string;
  let drop: () => Promise<void>;
  const staff = staffOf('440781');
  const users: Record<string, string> = {};
  const cityInspector: Actor = { id: '', roles: ['supervisor'], jurisdiction: '440700' };

  async function user(name: string, jurisdiction: string, role: string, department?: string) {
    const created = await store.createUser({
      username: `${name}-${dialect}`,
      displayName: name,
      password: 'supervision-test-password',
      memberships: [{ jurisdiction, role, department: department ?? null }],
    });
    users[name] = created.id;
    return created.id;
  }
  const notices = async (name: string) =>
    (await store.notificationsFor(users[name] as string, { limit: 50 })).rows.map(
      (r) => r.message['zh-CN'],
    );

  async function assigned() {
    const { caseId } = await store.startCase({
      flowId,
      version: 1,
      command: {
        type: 'case.start',
        channel: 'visit',
        data: registration,
        actor: staff.receptionist,
      },
    });
    await complete(store, caseId, 'accept', 'accept');
    await complete(store, caseId, 'assign', 'assign');
    return caseId;
  }

  beforeAll(async () => {
    const s = await setupStore(dialect);
    store = s.store;
    clock = s.clock;
    drop = () => s.test.drop();
    flowId = await publishStandard(store);
    await user('hrss', '440781', 'handler', 'hrss');
    await user('civil', '440781', 'handler', 'civil');
    await user('leader', '440781', 'leader');
    cityInspector.id = await user('inspector', '440700', 'supervisor');
  });
  afterAll(async () => {
    await drop();
  });

  it('issues, notifies, answers and counts an order; the row follows each step', async () => {
    const caseId = await assigned();
    await store.deliverNotifications();
    expect(await notices('hrss')).toEqual([expect.stringMatching(/^新交办：/)]);
    expect(await notices('civil')).toEqual([]);
    const from = clock.now().toISOString();
    await store.act(caseId, {
      type: 'case.supervise',
      reason: '群众反映拖欠工资久拖未决',
      deadline: new Date(clock.ms + 5 * DAY).toISOString(),
      to: { kind: 'department', jurisdiction: '440781', department: 'hrss' },
      actor: cityInspector,
    });
    const order = (await stateOf(store, caseId)).supervisions?.[0];
    expect(order?.status).toBe('open');
    expect(await supervisedAmong(store.database, [caseId, 'other'])).toEqual(new Set([caseId]));
    await store.deliverNotifications();
    expect(await notices('hrss')).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^督办：群众反映拖欠工资久拖未决（请于 .* 前办理并反馈）$/),
      ]),
    );
    expect(await notices('civil')).toEqual([]);
    // Answered on day 3 by the department's handler: on time.
    clock.advance(3 * DAY);
    await store.act(caseId, {
      type: 'case.answerSupervision',
      supervisionId: order?.id as string,
      text: '已约谈施工单位，本周内发放',
      actor: staff.handler,
    });
    await store.deliverNotifications();
    expect(await notices('inspector')).toEqual(['督办已反馈：已约谈施工单位，本周内发放']);
    expect(await supervisedAmong(store.database, [caseId])).toEqual(new Set());
    // A second order, never answered, runs past its deadline.
    await store.act(caseId, {
      type: 'case.supervise',
      reason: '请加快',
      deadline: new Date(clock.ms + DAY).toISOString(),
      to: { kind: 'assignees' },
      actor: staff.leader,
    });
    clock.advance(2 * DAY);
    const to = new Date(clock.ms + DAY).toISOString();
    const figures = await supervisionStats(store.database, {
      jurisdictions: ['440781'],
      fromMs: Date.parse(from),
      toMs: Date.parse(to),
      nowMs: clock.ms,
    });
    expect(figures).toEqual({
      supervisedCases: 1,
      issued: 2,
      done: 1,
      doneOnTime: 1,
      onTimeRate: 1,
      open: 1,
      openOverdue: 1,
    });
    // Once the case is cancelled, its open order no longer counts as open or overdue.
    await store.act(caseId, { type: 'case.cancel', reason: '重复登记', actor: staff.receptionist });
    expect(
      await supervisionStats(store.database, {
        jurisdictions: ['440781'],
        fromMs: Date.parse(from),
        toMs: Date.parse(to),
        nowMs: clock.ms,
      }),
    ).toMatchObject({ issued: 2, done: 1, open: 0, openOverdue: 0 });
    // Kaiping's figures hold nothing of Taishan's.
    expect(
      await supervisionStats(store.database, {
        jurisdictions: ['440783'],
        fromMs: Date.parse(from),
        toMs: Date.parse(to),
        nowMs: clock.ms,
      }),
    ).toMatchObject({ issued: 0, open: 0, onTimeRate: null });
  });

  it('a refused order writes nothing', async () => {
    const caseId = await assigned();
    const before = await stateOf(store, caseId);
    await expect(
      store.act(caseId, {
        type: 'case.supervise',
        reason: '请加快',
        deadline: new Date(clock.ms + DAY).toISOString(),
        to: { kind: 'assignees' },
        actor: staff.receptionist,
      }),
    ).rejects.toThrow(/督办|supervision/i);
    expect(await stateOf(store, caseId)).toEqual(before);
    expect(await supervisedAmong(store.database, [caseId])).toEqual(new Set());
  });

  it('puts a case with an extension request on 待我审批 and notifies the leader, until decided', async () => {
    const caseId = await assigned();
    const state = await stateOf(store, caseId);
    const clockId = Object.keys(state.clocks).find((id) => state.clocks[id]?.status === 'running');
    await store.act(caseId, {
      type: 'deadline.requestExtension',
      clockId: clockId as string,
      duration: 'P30D',
      reason: '需要现场核实',
      actor: staff.handler,
    });
    const list = await awaitingApproval(store.database, {
      jurisdictions: ['440781'],
      leaderOwner: 'nobody',
      limit: 50,
    });
    expect(list.rows.map((r) => r.id)).toContain(caseId);
    expect(list.rows.find((r) => r.id === caseId)?.requests).toEqual([
      expect.objectContaining({ duration: 'P30D', reason: '需要现场核实' }),
    ]);
    // Not for a Kaiping leader's scope.
    expect(
      (
        await awaitingApproval(store.database, {
          jurisdictions: ['440783'],
          leaderOwner: 'nobody',
          limit: 50,
        })
      ).total,
    ).toBe(0);
    await store.deliverNotifications();
    expect(await notices('leader')).toContain(
      '延期申请待审批：办理期限延长 30 天，理由：需要现场核实',
    );
    const requestId = Object.keys((await stateOf(store, caseId)).extensionRequests)[0] as string;
    await store.act(caseId, { type: 'deadline.approveExtension', requestId, actor: staff.leader });
    expect(
      (
        await awaitingApproval(store.database, {
          jurisdictions: ['440781'],
          leaderOwner: 'nobody',
          limit: 50,
        })
      ).rows.map((r) => r.id),
    ).not.toContain(caseId);
  });

  it('a petitioner’s low rating tells the leader once; a good one tells nobody', async () => {
    const caseId = await assigned();
    const before = (await notices('leader')).length;
    await store.evaluateOnce(caseId, 5, '满意', 'online');
    await store.deliverNotifications();
    expect(await notices('leader')).toHaveLength(before);
    const other = await assigned();
    await store.evaluateOnce(other, 1, '拖了三个月', 'online');
    // A second rating is refused and tells nobody again.
    await store.evaluateOnce(other, 1, '再评一次', 'online');
    await store.deliverNotifications();
    const now = await notices('leader');
    expect(now.filter((m) => m.startsWith('信访人评价不满意'))).toEqual([
      '信访人评价不满意（1 分）：拖了三个月',
    ]);
  });

  it('a city’s own cases make its 市本级 part, and the parts add up to the city', async () => {
    await store.startCase({
      flowId,
      version: 1,
      command: {
        type: 'case.start',
        channel: 'visit',
        data: registration,
        jurisdiction: '440700',
        actor: staffOf('440700').receptionist,
      },
    });
    const period = { from: '2025-01-01T00:00:00Z', to: '2026-01-01T00:00:00Z' };
    const parts = await computeStatsByPart(
      store.database,
      [
        { key: '440781', jurisdictions: ['440781'] },
        { key: '440783', jurisdictions: ['440783'] },
        { key: '440700', jurisdictions: ['440700'] },
      ],
      period,
    );
    const city = await computeStats(store.database, {
      jurisdictions: ['440700', '440781', '440783'],
      ...period,
    });
    expect(parts.get('440700')?.received).toBe(1);
    expect([...parts.values()].reduce((n, p) => n + p.received, 0)).toBe(city.received);
  });
});
