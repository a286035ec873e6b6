import { readFileSync } from 'node:fs';
import { replay } from '@lianxin/engine';
import { sql } from 'drizzle-orm';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CommandRejected,
  caseColumns,
  computeStats,
  computeStatsByPart,
  computeTrend,
  type KpiRow,
  recountKpis,
  returnVisitScore,
  type Store,
} from '../src';
import {
  DAY,
  DIALECTS,
  type FakeClock,
  handler,
  receptionist,
  setupStore,
  startCommand,
} from './helpers';
import {
  complete,
  fireDue,
  publishStandard,
  registration,
  staffOf,
  stateOf,
} from './standard-petition';

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
    // The 3-day wait ends at 24:00 of its third day (the day it starts is not counted).
    clock.advance(4 * DAY);
    await fireDue(); // A and F close after the 3-day wait
    await store.evaluate(ids.A, 5, '满意', 'online');
    // E's acceptance deadline (15 days) passes.
    clock.advance(13 * DAY);
    await fireDue();
    // B's handling deadline (60 days) passes before the reply: B closes late.
    clock.advance(45 * DAY);
    await fireDue();
    await reply(ids.B);
    clock.advance(4 * DAY);
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

const JIANGMEN = ['440781', '440783'] as const;
type Op =
  | {
      kind: 'start';
      channel: 'visit' | 'letter' | 'online';
      county: 0 | 1;
      petitioner: number;
      repeat: boolean;
    }
  /** Works one case through several steps in a row, one choice per step. */
  | { kind: 'work'; pick: number; choices: number[] }
  | { kind: 'extend'; pick: number; approve: boolean }
  | { kind: 'rate'; pick: number; score: number }
  | { kind: 'wait'; days: number; hours: number };

const startArbitrary: fc.Arbitrary<Op> = fc.record({
  kind: fc.constant('start' as const),
  channel: fc.constantFrom('visit' as const, 'letter' as const, 'online' as const),
  county: fc.constantFrom(0 as const, 1 as const),
  petitioner: fc.nat(3),
  repeat: fc.boolean(),
});

const opArbitrary: fc.Arbitrary<Op> = fc.oneof(
  { arbitrary: startArbitrary, weight: 2 },
  {
    arbitrary: fc.record({
      kind: fc.constant('work' as const),
      // Mostly the oldest open cases, so that many histories run to their end.
      pick: fc.nat(3),
      choices: fc.array(fc.nat(), { minLength: 1, maxLength: 8 }),
    }),
    weight: 5,
  },
  {
    arbitrary: fc.record({
      kind: fc.constant('extend' as const),
      pick: fc.nat(),
      approve: fc.boolean(),
    }),
    weight: 1,
  },
  {
    arbitrary: fc.record({
      kind: fc.constant('rate' as const),
      pick: fc.nat(),
      score: fc.integer({ min: 1, max: 5 }),
    }),
    weight: 1,
  },
  {
    arbitrary: fc.record({
      kind: fc.constant('wait' as const),
      days: fc.integer({ min: 0, max: 40 }),
      hours: fc.integer({ min: 0, max: 23 }),
    }),
    weight: 2,
  },
);

/** The actions a random walk may take at each task of the standard template (repeats weigh them). */
const WALK: Record<string, string[]> = {
  accept: ['accept', 'accept', 'accept', 'decline', 'transfer'],
  assign: ['assign'],
  handle: ['submit'],
  approve: ['approve', 'approve', 'sendBack'],
  reply: ['send'],
  visit: ['done'],
  // Mostly let the review window run out (the case closes); sometimes ask for a review.
  awaitReview: ['requestReview', 'wait', 'wait'],
  review: ['decide'],
};

// The SQL counters (three grouped passes over covering indexes) against
// recountKpis, a case-by-case count over the replayed states: any random
// history of the standard template must give the same figures, for any
// period and any set of jurisdictions, on both databases.
describe.each(DIALECTS)('counters equal a recount on %s', (dialect) => {
  let store: Store;
  let clock: FakeClock;
  let drop: () => Promise<void>;
  let flowId: string;
  const petitioners: string[] = [];
  const caseIds: string[] = [];

  beforeAll(async () => {
    const s = await setupStore(dialect);
    store = s.store;
    clock = s.clock;
    drop = () => s.test.drop();
    flowId = await publishStandard(store);
    for (const phone of ['13800138001', '13800138002', '13800138003'])
      petitioners.push(
        await store.createPetitioner({ jurisdiction: '440781', name: '黄某', phone }),
      );
  });
  afterAll(async () => {
    await drop();
  });

  async function apply(op: Op) {
    const pickFrom = async (pick: number, status: 'active' | 'closed') => {
      const rows = await Promise.all(caseIds.map((id) => store.caseRow(id)));
      const found = rows.filter((r) => r?.status === status);
      return found.length ? found[pick % found.length] : undefined;
    };
    switch (op.kind) {
      case 'start': {
        const jurisdiction = JIANGMEN[op.county];
        const petitionerId = petitioners[op.petitioner - 1];
        const started = await store.startCase({
          flowId,
          version: 1,
          command: {
            type: 'case.start',
            channel: op.channel,
            jurisdiction,
            data: registration,
            ...(op.repeat ? { repeat: true } : {}),
            actor: staffOf(jurisdiction).receptionist,
          },
          ...(petitionerId ? { petitionerId } : {}),
        });
        caseIds.push(started.caseId);
        return;
      }
      case 'work': {
        const row = await pickFrom(op.pick, 'active');
        if (!row) return;
        for (const choice of op.choices) {
          const task = (await stateOf(store, row.id)).tasks[0];
          const actions = task ? (WALK[task.node] ?? []) : [];
          const action = actions[choice % actions.length];
          if (!task || !action || action === 'wait') return;
          // A return visit may record no score (nobody reached): 0 stands for that.
          const score = choice % 6;
          const more = task.node === 'visit' && score > 0 ? { satisfaction: score } : {};
          await complete(store, row.id, task.node, action, more);
        }
        return;
      }
      case 'extend': {
        const row = await pickFrom(op.pick, 'active');
        if (!row?.state.clocks.handling) return;
        const leader = staffOf(row.state.jurisdiction).leader;
        try {
          await store.act(row.id, {
            type: 'deadline.requestExtension',
            clockId: 'handling',
            duration: 'P30D',
            reason: '需要补充调查',
            actor: leader,
          });
          const requestId = Object.keys((await stateOf(store, row.id)).extensionRequests)[0];
          if (op.approve && requestId)
            await store.act(row.id, {
              type: 'deadline.approveExtension',
              requestId,
              actor: leader,
            });
        } catch (error) {
          // Used up, or the clock stopped: the walk simply goes on.
          if (!(error instanceof CommandRejected)) throw error;
        }
        return;
      }
      case 'rate': {
        const row = await pickFrom(op.pick, 'closed');
        if (row) await store.evaluate(row.id, op.score, null, 'online');
        return;
      }
      case 'wait':
        clock.advance(op.days * DAY + op.hours * 3_600_000);
        await fireDue(store);
        return;
    }
  }

  /** Every case as the recount sees it: columns of the replayed events, not the stored row. */
  async function recountRows(): Promise<KpiRow[]> {
    const definition = await store.publishedDefinition(flowId, 1);
    return Promise.all(
      caseIds.map(async (id) => {
        const row = await store.caseRow(id);
        if (!row) throw new Error(`case ${id} vanished`);
        const replayed = replay(definition, await store.events(id));
        return {
          ...caseColumns(replayed),
          createdAt: row.createdAt,
          petitionerId: row.petitionerId,
          rating: (await store.evaluation(id))?.score ?? null,
        };
      }),
    );
  }

  it('for any random history, period and jurisdictions', async () => {
    await fc.assert(
      fc.asyncProperty(
        // Each history ends with a new case, so some case is still open when the KPIs are compared.
        fc
          .tuple(fc.array(opArbitrary, { minLength: 10, maxLength: 30 }), startArbitrary)
          .map(([ops, last]) => [...ops, last]),
        fc.integer({ min: -30, max: 200 }),
        fc.integer({ min: 1, max: 200 }),
        async (ops, startDay, days) => {
          const runStart = clock.ms;
          for (const op of ops) await apply(op);
          const rows = await recountRows();
          const from = new Date(runStart + startDay * DAY).toISOString();
          const to = new Date(runStart + (startDay + days) * DAY).toISOString();
          for (const period of [
            { from, to },
            { from: '2025-01-01T00:00:00.000Z', to: new Date(clock.ms + DAY).toISOString() },
          ]) {
            for (const jurisdictions of [['440781'], ['440783'], [...JIANGMEN]]) {
              const q = { jurisdictions, ...period };
              expect(await computeStats(store.database, q)).toEqual(recountKpis(rows, q));
            }
            const parts = await computeStatsByPart(
              store.database,
              JIANGMEN.map((j) => ({ key: j, jurisdictions: [j] })),
              period,
            );
            for (const j of JIANGMEN)
              expect(parts.get(j)).toEqual(recountKpis(rows, { jurisdictions: [j], ...period }));
          }
          const trend = await computeTrend(store.database, {
            jurisdictions: [...JIANGMEN],
            from,
            bucketMs: 7 * DAY,
            buckets: 4,
          });
          for (const point of trend) {
            const { byChannel, byCategory, byUrgency, byStatus, overdueOpen, ...flow } =
              recountKpis(rows, { jurisdictions: [...JIANGMEN], ...point.period });
            expect(point).toEqual(flow);
          }
        },
      ),
      { numRuns: 8, endOnFailure: true },
    );
    // The walk reached what the KPIs distinguish, so the comparison meant something.
    const rows = await recountRows();
    expect(rows.some((r) => r.status === 'closed' && r.outcome === 'resolved')).toBe(true);
    expect(rows.some((r) => r.visitSatisfaction !== null)).toBe(true);
    expect(rows.some((r) => r.status === 'active')).toBe(true);
  }, 240_000);

  it('scores a return visit in migration 0003 exactly as a transition does', async () => {
    const migration = readFileSync(
      new URL(`../migrations/${dialect}/0003_kpi_return_visit.sql`, import.meta.url),
      'utf8',
    );
    const backfill = migration.split('--> statement-breakpoint').at(-1) as string;
    const { sqlite, db } = store.database;
    const run = (text: string) => (sqlite ? sqlite.exec(text) : db.execute(sql.raw(text)));
    const { caseId } = await store.startCase({
      flowId,
      version: 1,
      command: {
        type: 'case.start',
        channel: 'visit',
        data: registration,
        actor: staffOf('440781').receptionist,
      },
    });
    const values = [1, 2, 3, 4, 5, 0, 6, 4.5, '5', '满意', '基本满意', '不满意', 'satisfied']
      .concat(['basicallySatisfied', 'dissatisfied', '很满意'])
      .concat([true, null, [4], { score: 4 }] as never[]);
    // The mapping of docs/stats.md: integers 1–5 as they are, the three answers
    // to 5 / 4 / 2, anything else not rated.
    expect(values.map(returnVisitScore)).toEqual([
      1,
      2,
      3,
      4,
      5,
      null,
      null,
      null,
      null,
      5,
      4,
      2,
      5,
      4,
      2,
      null,
      null,
      null,
      null,
      null,
    ]);
    for (const value of values) {
      const data = JSON.stringify({ ...registration, satisfaction: value });
      await run(
        `update cases set data = '${data}', visit_satisfaction = null where id = '${caseId}'`,
      );
      await run(backfill);
      const row = await store.caseRow(caseId);
      expect({ value, score: row?.visitSatisfaction }).toEqual({
        value,
        score: returnVisitScore(value),
      });
    }
    // Run over every case of the random histories, it changes none of them.
    for (const id of caseIds) {
      const row = await store.caseRow(id);
      expect(row?.visitSatisfaction).toBe(returnVisitScore(row?.state.data.satisfaction));
    }
  });
});
