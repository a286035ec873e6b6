import { readFileSync } from 'node:fs';
import { replay } from '@lianxin/engine';
import { sql } from 'drizzle-orm';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  beijingDay,
  CommandRejected,
  caseColumns,
  computeStats,
  computeStatsByPart,
  computeTrend,
  type KpiRow,
  rebuildKpiCounters,
  recountKpis,
  type Store,
} from '../src';
import { DAY, DIALECTS, type FakeClock, setupStore } from './helpers';
import {
  complete,
  fireDue,
  publishStandard,
  registration,
  staffOf,
  stateOf,
} from './standard-petition';

// The dashboards read kpi_counters, kept by every write in its own
// transaction. Random histories of the standard template (registrations,
// repeats, work to closing, declines and transfers, ratings given and
// changed, urgency changes, cancellations and withdrawals, time passing)
// must leave counters that give the figures a case-by-case recount gives,
// for day-aligned and arbitrary periods, and equal what a rebuild from the
// case rows (and migration 0015) writes.

const COUNTIES = ['440781', '440783'] as const;
const CATEGORIES = ['labour', 'housing', 'land'] as const;
const COLOURS = ['red', 'yellow', 'blue', 'green'] as const;
const HOUR = 3_600_000;

type Op =
  | {
      kind: 'start';
      channel: 'visit' | 'letter' | 'online';
      county: 0 | 1;
      petitioner: number;
      repeat: boolean;
      category: number;
      urgency: number;
    }
  | { kind: 'work'; pick: number; choices: number[] }
  | { kind: 'rate'; pick: number; score: number; once: boolean }
  | { kind: 'urgency'; pick: number; colour: number }
  | { kind: 'stop'; pick: number; cancel: boolean }
  | { kind: 'wait'; days: number; hours: number };

const opArbitrary: fc.Arbitrary<Op> = fc.oneof(
  {
    arbitrary: fc.record({
      kind: fc.constant('start' as const),
      channel: fc.constantFrom('visit' as const, 'letter' as const, 'online' as const),
      county: fc.constantFrom(0 as const, 1 as const),
      petitioner: fc.nat(3),
      repeat: fc.boolean(),
      category: fc.nat(CATEGORIES.length),
      urgency: fc.nat(COLOURS.length),
    }),
    weight: 3,
  },
  {
    arbitrary: fc.record({
      kind: fc.constant('work' as const),
      pick: fc.nat(3),
      choices: fc.array(fc.nat(), { minLength: 1, maxLength: 8 }),
    }),
    weight: 5,
  },
  {
    arbitrary: fc.record({
      kind: fc.constant('rate' as const),
      pick: fc.nat(),
      score: fc.integer({ min: 1, max: 5 }),
      once: fc.boolean(),
    }),
    weight: 2,
  },
  {
    arbitrary: fc.record({
      kind: fc.constant('urgency' as const),
      pick: fc.nat(),
      colour: fc.nat(COLOURS.length - 1),
    }),
    weight: 1,
  },
  {
    arbitrary: fc.record({
      kind: fc.constant('stop' as const),
      pick: fc.nat(),
      cancel: fc.boolean(),
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

const WALK: Record<string, string[]> = {
  accept: ['accept', 'accept', 'accept', 'decline', 'transfer'],
  assign: ['assign'],
  handle: ['submit'],
  approve: ['approve', 'approve', 'sendBack'],
  reply: ['send'],
  visit: ['done'],
  awaitReview: ['requestReview', 'wait', 'wait'],
  review: ['decide'],
};

/** A case worked to its closing, rated, then repeated, cancelled, recoloured. */
const LIFE: Op[] = [
  {
    kind: 'start',
    channel: 'visit',
    county: 0,
    petitioner: 1,
    repeat: false,
    category: 0,
    urgency: 0,
  },
  {
    kind: 'start',
    channel: 'letter',
    county: 1,
    petitioner: 2,
    repeat: false,
    category: 1,
    urgency: 4,
  },
  // accept, assign, submit, approve, send, return visit 5, let the review window close
  { kind: 'work', pick: 0, choices: [0, 0, 0, 0, 0, 5, 1] },
  { kind: 'wait', days: 35, hours: 2 },
  { kind: 'rate', pick: 0, score: 2, once: false },
  {
    kind: 'start',
    channel: 'online',
    county: 1,
    petitioner: 1,
    repeat: true,
    category: 2,
    urgency: 2,
  },
  { kind: 'urgency', pick: 1, colour: 1 },
  { kind: 'stop', pick: 0, cancel: true },
  { kind: 'stop', pick: 0, cancel: false },
  { kind: 'wait', days: 1, hours: 3 },
];

const admin = (jurisdiction: string) => ({
  id: `adm-${jurisdiction}`,
  roles: ['admin'],
  jurisdiction,
});

describe.each(DIALECTS)('KPI counters on %s', (dialect) => {
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
    for (const phone of ['13800138011', '13800138012', '13800138013'])
      petitioners.push(
        await store.createPetitioner({ jurisdiction: '440781', name: '李某', phone }),
      );
  });
  afterAll(async () => {
    await drop();
  });

  const rejected = (error: unknown) => {
    if (!(error instanceof CommandRejected)) throw error;
  };

  async function pickFrom(pick: number, status: 'active' | 'closed') {
    const rows = await Promise.all(caseIds.map((id) => store.caseRow(id)));
    const found = rows.filter((r) => r?.status === status);
    return found.length ? found[pick % found.length] : undefined;
  }

  async function apply(op: Op) {
    switch (op.kind) {
      case 'start': {
        const jurisdiction = COUNTIES[op.county];
        const petitionerId = petitioners[op.petitioner - 1];
        const category = CATEGORIES[op.category];
        const urgency = COLOURS[op.urgency];
        const started = await store.startCase({
          flowId,
          version: 1,
          command: {
            type: 'case.start',
            channel: op.channel,
            jurisdiction,
            data: { ...registration, category: category ?? 'legal' },
            ...(urgency ? { urgency } : {}),
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
          const score = choice % 6;
          const more = task.node === 'visit' && score > 0 ? { satisfaction: score } : {};
          await complete(store, row.id, task.node, action, more);
        }
        return;
      }
      case 'rate': {
        const row = await pickFrom(op.pick, 'closed');
        if (!row) return;
        if (op.once) await store.evaluateOnce(row.id, op.score, null, 'online');
        else await store.evaluate(row.id, op.score, null, 'online');
        return;
      }
      case 'urgency': {
        const row = await pickFrom(op.pick, 'active');
        if (!row) return;
        await store
          .act(row.id, {
            type: 'case.setUrgency',
            urgency: COLOURS[op.colour] ?? 'red',
            actor: admin(row.jurisdiction),
          })
          .catch(rejected);
        return;
      }
      case 'stop': {
        const row = await pickFrom(op.pick, 'active');
        if (!row) return;
        await store
          .act(row.id, {
            type: op.cancel ? 'case.cancel' : 'case.withdraw',
            reason: op.cancel ? '重复登记' : '信访人撤回',
            actor: admin(row.jurisdiction),
          })
          .catch(rejected);
        return;
      }
      case 'wait':
        clock.advance(op.days * DAY + op.hours * HOUR);
        await fireDue(store);
        return;
    }
  }

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

  const query = async <R>(text: string): Promise<R[]> => {
    const { sqlite, db } = store.database;
    if (sqlite) return sqlite.prepare(text).all() as R[];
    return ((await db.execute(sql.raw(text))) as unknown as { rows: R[] }).rows;
  };
  const exec = async (text: string) => {
    const { sqlite, db } = store.database;
    if (sqlite) sqlite.exec(text);
    else await db.execute(sql.raw(text));
  };

  /** Every counter row that counts something, and the cases marked repeated later, in order. */
  async function snapshot() {
    const counters = await query<Record<string, unknown>>(
      `select jurisdiction, day, flow_key, channel, category, urgency, status, received, closed, resolved, first_time, on_time, evaluated, satisfied
       from kpi_counters
       where received <> 0 or closed <> 0 or resolved <> 0 or first_time <> 0 or on_time <> 0 or evaluated <> 0 or satisfied <> 0
       order by jurisdiction, day, flow_key, channel, category, urgency, status`,
    );
    const repeated = await query<{ case_id: string }>(
      'select case_id from kpi_repeated_later order by case_id',
    );
    return {
      counters: counters.map((r) => JSON.stringify(Object.values(r).map((v) => String(v)))),
      repeated: repeated.map((r) => r.case_id),
    };
  }

  it('give the recount for any random history and period, and equal a rebuild', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(opArbitrary, { minLength: 10, maxLength: 30 }),
        fc.integer({ min: -10, max: 120 }),
        fc.integer({ min: 1, max: 120 }),
        fc.integer({ min: 1, max: 23 }),
        async (ops, startDay, days, hours) => {
          const runStart = clock.ms;
          for (const op of ops) await apply(op);
          const rows = await recountRows();
          const midnight = (day: number) => day * DAY - 8 * HOUR;
          const first = beijingDay(runStart) + startDay;
          const aligned = {
            from: new Date(midnight(first)).toISOString(),
            to: new Date(midnight(first + days)).toISOString(),
          };
          const ragged = {
            from: new Date(midnight(first) + hours * HOUR).toISOString(),
            to: new Date(midnight(first + days) + (hours % 7) * HOUR + 1).toISOString(),
          };
          const within = {
            from: new Date(midnight(first) + HOUR).toISOString(),
            to: new Date(midnight(first) + hours * HOUR).toISOString(),
          };
          const always = {
            from: '2025-01-01T00:00:00.000Z',
            to: new Date(clock.ms + DAY).toISOString(),
          };
          for (const period of [aligned, ragged, within, always]) {
            for (const jurisdictions of [['440781'], ['440783'], [...COUNTIES]]) {
              const q = { jurisdictions, ...period };
              expect(await computeStats(store.database, q)).toEqual(recountKpis(rows, q));
            }
            const parts = await computeStatsByPart(
              store.database,
              COUNTIES.map((j) => ({ key: j, jurisdictions: [j] })),
              period,
            );
            for (const j of COUNTIES)
              expect(parts.get(j)).toEqual(recountKpis(rows, { jurisdictions: [j], ...period }));
          }
          for (const [from, bucketMs] of [
            [aligned.from, DAY],
            [aligned.from, 7 * DAY],
            [ragged.from, 7 * DAY],
          ] as const) {
            const trend = await computeTrend(store.database, {
              jurisdictions: [...COUNTIES],
              from,
              bucketMs,
              buckets: 6,
            });
            for (const point of trend) {
              const { byChannel, byCategory, byUrgency, byStatus, overdueOpen, ...flow } =
                recountKpis(rows, { jurisdictions: [...COUNTIES], ...point.period });
              expect(point).toEqual(flow);
            }
          }
          // What the writes kept equals what a rebuild from the case rows writes.
          const kept = await snapshot();
          await rebuildKpiCounters(store.database);
          expect(await snapshot()).toEqual(kept);
        },
      ),
      {
        numRuns: 6,
        endOnFailure: true,
        // First a history known to reach everything the counters distinguish.
        examples: [[LIFE, 0, 60, 9]],
      },
    );
    // The histories reached what the counters distinguish.
    const rows = await recountRows();
    expect(rows.some((r) => r.status === 'closed' && r.outcome === 'resolved')).toBe(true);
    expect(rows.some((r) => r.status === 'cancelled' || r.outcome === 'withdrawn')).toBe(true);
    expect(rows.some((r) => r.repeat && r.petitionerId !== null)).toBe(true);
    expect((await snapshot()).repeated.length).toBeGreaterThan(0);
  }, 400_000);

  it('reads whole days from the counters and partial days from the case rows', async () => {
    // An open case of its own: the random histories before may have closed every case.
    await apply({
      kind: 'start',
      channel: 'visit',
      county: 0,
      petitioner: 7,
      repeat: false,
      category: 1,
      urgency: 0,
    });
    const all = { jurisdictions: [...COUNTIES] };
    const [row] = await query<{ jurisdiction: string; day: number; key: string }>(
      "select jurisdiction, day, flow_key || '/' || channel || '/' || category || '/' || urgency as key from kpi_counters where received > 0 and status = 'active' order by day limit 1",
    );
    expect(row).toBeDefined();
    if (!row) return;
    const day = Number(row.day);
    const start = day * DAY - 8 * HOUR;
    const wholeDay = {
      ...all,
      from: new Date(start).toISOString(),
      to: new Date(start + DAY).toISOString(),
    };
    const partDay = {
      ...all,
      from: new Date(start).toISOString(),
      to: new Date(start + DAY - 1).toISOString(),
    };
    const before = await computeStats(store.database, wholeDay);
    const beforePart = await computeStats(store.database, partDay);
    await exec(
      `update kpi_counters set received = received + 5 where jurisdiction = '${row.jurisdiction}' and day = ${day} and status = 'active' and flow_key || '/' || channel || '/' || category || '/' || urgency = '${row.key}'`,
    );
    try {
      const after = await computeStats(store.database, wholeDay);
      expect(after.received).toBe(before.received + 5);
      expect(after.byStatus.active).toBe((before.byStatus.active ?? 0) + 5);
      // A period that is not whole days counts its partial day from the rows.
      expect(await computeStats(store.database, partDay)).toEqual(beforePart);
    } finally {
      await rebuildKpiCounters(store.database);
    }
    expect(await computeStats(store.database, wholeDay)).toEqual(before);
  });

  it('migration 0015 fills the counters exactly as a rebuild does', async () => {
    await rebuildKpiCounters(store.database);
    const rebuilt = await snapshot();
    const migration = readFileSync(
      new URL(`../migrations/${dialect}/0015_kpi_counters.sql`, import.meta.url),
      'utf8',
    );
    const backfill = migration
      .split('--> statement-breakpoint')
      .filter((s) => /^\s*(--.*\n)*\s*insert into/i.test(s));
    expect(backfill).toHaveLength(3);
    await exec('delete from kpi_counters');
    await exec('delete from kpi_repeated_later');
    for (const statement of backfill) await exec(statement);
    expect(await snapshot()).toEqual(rebuilt);
    expect(rebuilt.counters.length).toBeGreaterThan(0);
  });
});
