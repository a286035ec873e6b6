import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { computeStats, computeStatsByPart, computeTrend, type Store } from '../src';
import {
  DAY,
  DIALECTS,
  type FakeClock,
  handler,
  receptionist,
  setupStore,
  startCommand,
} from './helpers';

// Every KPI of docs/stats.md checked exactly on a small, known history, on
// both databases: the dashboard's numbers are what leaders are judged by.
describe.each(DIALECTS)('KPIs on %s', (dialect) => {
  let store: Store;
  let clock: FakeClock;
  let drop: () => Promise<void>;
  const ids: Record<string, string> = {};
  // Monday 2025-03-03 00:00 in Asia/Shanghai; the fake clock starts at 09:00 that day.
  const MONDAY = '2025-03-02T16:00:00.000Z';
  const period = { from: '2025-03-01T00:00:00Z', to: '2025-07-01T00:00:00Z' };

  async function fireDue() {
    for (const timer of await store.claimDueTimers('stats-test', 1000))
      await store.fireTimer(timer);
  }
  async function task(caseId: string) {
    const row = await store.caseRow(caseId);
    return row?.state.tasks[0]?.id ?? '';
  }
  const inKaiping = (actor: typeof receptionist) => ({ ...actor, jurisdiction: '440783' });
  async function accept(caseId: string, accepted = true, actor = receptionist) {
    await store.act(caseId, {
      type: 'task.complete',
      taskId: await task(caseId),
      action: 'submit',
      data: { accepted, department: 'civil' },
      actor,
    });
  }
  async function reply(caseId: string, actor = handler) {
    await store.act(caseId, {
      type: 'task.complete',
      taskId: await task(caseId),
      action: 'reply',
      data: { reply: '已答复' },
      actor,
    });
  }

  beforeAll(async () => {
    const s = await setupStore(dialect);
    store = s.store;
    clock = s.clock;
    drop = () => s.test.drop();
    const petitioner = await store.createPetitioner({
      jurisdiction: '440781',
      name: '陈某',
      phone: '13800138000',
    });
    const start = async (
      channel: 'visit' | 'letter' | 'online',
      more: { petitionerId?: string; repeat?: boolean; jurisdiction?: string } = {},
    ) =>
      (
        await store.startCase({
          flowId: s.flowId,
          version: 1,
          command: {
            ...startCommand(),
            channel,
            ...(more.repeat ? { repeat: true } : {}),
            ...(more.jurisdiction ? { jurisdiction: more.jurisdiction } : {}),
          },
          ...(more.petitionerId ? { petitionerId: more.petitionerId } : {}),
        })
      ).caseId;
    // Week 1: A resolved on time and rated 5 (but the same person petitions again later);
    // C declined at once; E never accepted (goes overdue); F resolved in Kaiping.
    ids.A = await start('visit', { petitionerId: petitioner });
    ids.B = await start('letter');
    ids.C = await start('online');
    ids.E = await start('visit');
    ids.F = await start('visit', { jurisdiction: '440783' });
    await accept(ids.A);
    await reply(ids.A);
    await accept(ids.B);
    await accept(ids.C, false);
    await accept(ids.F, true, inKaiping(receptionist));
    await reply(ids.F, inKaiping(handler));
    clock.advance(3 * DAY + 1000);
    await fireDue(); // A and F close after the 3-day wait
    await store.evaluate(ids.A, 5, '满意', 'online');
    // E's acceptance deadline (15 days) passes.
    clock.advance(13 * DAY);
    await fireDue();
    // B's handling deadline (60 days) passes before the reply: B closes late.
    clock.advance(45 * DAY);
    await fireDue();
    await reply(ids.B);
    clock.advance(3 * DAY + 1000);
    await fireDue();
    await store.evaluate(ids.B, 2, '太慢', 'phone');
    // Week 10: the petitioner of A comes back with the same matter.
    ids.D = await start('visit', { petitionerId: petitioner, repeat: true });
  });
  afterAll(async () => {
    await drop();
  });

  it('counts a county exactly', async () => {
    expect((await store.caseRow(ids.B as string))?.late).toBe(true);
    expect((await store.caseRow(ids.A as string))?.late).toBe(false);
    const stats = await computeStats(store.database, { jurisdictions: ['440781'], ...period });
    expect(stats).toEqual({
      period,
      received: 5,
      closed: 3,
      resolved: 2,
      evaluated: 2,
      satisfied: 1,
      // B only: A's petitioner came back (D), C was declined.
      firstTimeResolutionRate: 1 / 3,
      satisfactionRate: 1 / 2,
      participationRate: 2 / 3,
      // B missed its handling deadline.
      onTimeClosureRate: 2 / 3,
      byChannel: { visit: 3, letter: 1, online: 1 },
      byCategory: { none: 5 },
      byUrgency: { none: 5 },
      byStatus: { active: 2, closed: 3 },
      overdueOpen: 1,
    });
  });

  it('counts only what falls in the period, and nothing for a period without cases', async () => {
    const week1 = { from: MONDAY, to: '2025-03-09T16:00:00.000Z' };
    const early = await computeStats(store.database, { jurisdictions: ['440781'], ...week1 });
    expect(early).toMatchObject({ received: 4, closed: 2, resolved: 1, evaluated: 1 });
    const none = await computeStats(store.database, {
      jurisdictions: ['440781'],
      from: '2024-01-01T00:00:00Z',
      to: '2024-02-01T00:00:00Z',
    });
    expect(none).toMatchObject({
      received: 0,
      closed: 0,
      firstTimeResolutionRate: null,
      satisfactionRate: null,
      onTimeClosureRate: null,
      byChannel: {},
      // Open overdue cases are a snapshot of now, whatever the period.
      overdueOpen: 1,
    });
  });

  it('splits a city into its counties in one pass, and the parts add up to the whole', async () => {
    const parts = await computeStatsByPart(
      store.database,
      [
        { key: '440781', jurisdictions: ['440781'] },
        { key: '440783', jurisdictions: ['440783'] },
      ],
      period,
    );
    expect(parts.get('440783')).toMatchObject({
      received: 1,
      closed: 1,
      firstTimeResolutionRate: 1,
      onTimeClosureRate: 1,
      overdueOpen: 0,
    });
    expect(parts.get('440781')).toEqual(
      await computeStats(store.database, { jurisdictions: ['440781'], ...period }),
    );
    const city = await computeStats(store.database, {
      jurisdictions: ['440700', '440781', '440783'],
      ...period,
    });
    expect(city).toMatchObject({ received: 6, closed: 4, resolved: 3, overdueOpen: 1 });
    expect(city.onTimeClosureRate).toBe(3 / 4);
  });

  it('gives a weekly trend in buckets from a Monday', async () => {
    const trend = await computeTrend(store.database, {
      jurisdictions: ['440781'],
      from: MONDAY,
      bucketMs: 7 * DAY,
      buckets: 10,
    });
    expect(trend).toHaveLength(10);
    expect(trend[0]).toMatchObject({
      period: { from: MONDAY, to: '2025-03-09T16:00:00.000Z' },
      received: 4,
      closed: 2,
      onTimeClosureRate: 1,
      satisfactionRate: 1,
    });
    expect(trend.slice(1, 9).every((w) => w.received === 0 && w.closed === 0)).toBe(true);
    expect(trend[9]).toMatchObject({
      received: 1,
      closed: 1,
      onTimeClosureRate: 0,
      satisfactionRate: 0,
    });
  });
});
