/**
 * The simulator is the store's path without the database (DESIGN.md,
 * "One path"): every template scenario, and random command sequences, run
 * through the engine's `Simulator` and through the real store on SQLite and
 * PostgreSQL, with the same simulated clock and the same ids, must leave the
 * same events, case rows, task rows, timer rows, notifications and KPIs.
 */
import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  type Actor,
  availableActions,
  type CaseState,
  type Command,
  counterIds,
  parseScript,
  replay,
  runScript,
  type Script,
  SimulatedClock,
  Simulator,
  type SimulatorDefinition,
  type Task,
} from '@lianxin/engine';
import { type SensitiveKind, sealValue } from '@lianxin/spec';
import { and, asc, eq, inArray, like, lte } from 'drizzle-orm';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type CaseRow,
  CommandRejected,
  canonicalJson,
  caseColumns,
  computeStats,
  type KpiRow,
  recountKpis,
  Store,
  StoreError,
  type TestDatabase,
  type TimerRow,
  Vault,
} from '../src';
import { createTestDatabase } from '../src/testing';
import { DIALECTS } from './helpers';

const templatesDir = join(import.meta.dirname, '../../../templates');

/** A deterministic stand-in for the key's sealing, the same on the store and the simulator. */
const testSeal = (kind: SensitiveKind, plain: string) =>
  sealValue(kind, `t:${Buffer.from(plain).toString('base64')}`);

interface Template {
  key: string;
  jurisdiction: string;
  name: { 'zh-CN': string; en?: string };
  /** flow.json with the forms kept in forms/*.json joined to its own, as `lianxin simulate` reads it. */
  draft: Record<string, unknown>;
  scenarios: { file: string; raw: unknown }[];
}

const readJson = (path: string): unknown => JSON.parse(readFileSync(path, 'utf8'));

const templates: Template[] = readdirSync(templatesDir, { withFileTypes: true })
  .filter((e) => e.isDirectory())
  .map((e) => e.name)
  .sort()
  .map((name) => {
    const dir = join(templatesDir, name);
    const flow = readJson(join(dir, 'flow.json')) as Record<string, unknown>;
    const forms = readdirSync(join(dir, 'forms'))
      .filter((f) => f.endsWith('.json'))
      .sort()
      .map((f) => readJson(join(dir, 'forms', f)));
    const own = Array.isArray(flow.forms) ? flow.forms : [];
    const { $schema: _schema, ...rest } = flow;
    return {
      key: flow.key as string,
      jurisdiction: flow.jurisdiction as string,
      name: flow.name as Template['name'],
      draft: { ...rest, forms: [...own, ...forms] },
      scenarios: readdirSync(join(dir, 'scenarios'))
        .filter((f) => f.endsWith('.json'))
        .sort()
        .map((file) => ({ file, raw: readJson(join(dir, 'scenarios', file)) })),
    };
  });

/**
 * No bundled template starts a child case today without a broken contract,
 * so a small chain does: a parent whose subflow node calls the example flow
 * (docs/examples), with scripts that work the child case to its end.
 */
const exampleDir = join(import.meta.dirname, '../../../docs/examples');
const receptionistActor = { id: 'li', roles: ['receptionist'], jurisdiction: '440781' };
const waterHandler = {
  id: 'wang',
  roles: ['handler'],
  jurisdiction: '440781',
  department: 'water',
};
const example = readJson(join(exampleDir, 'minimal-flow.json')) as Record<string, unknown>;
const { $schema: _exampleSchema, ...exampleDraft } = example;
templates.push(
  {
    key: example.key as string,
    jurisdiction: example.jurisdiction as string,
    name: example.name as Template['name'],
    draft: exampleDraft,
    scenarios: [
      {
        file: 'minimal-flow.script.json',
        raw: readJson(join(exampleDir, 'minimal-flow.script.json')),
      },
    ],
  },
  {
    key: 'parent-chain',
    jurisdiction: '440781',
    name: { 'zh-CN': '调处链', en: 'Resolution chain' },
    draft: {
      formatVersion: 1,
      key: 'parent-chain',
      version: 1,
      name: { 'zh-CN': '调处链', en: 'Resolution chain' },
      jurisdiction: '440781',
      roles: [{ id: 'receptionist', name: { 'zh-CN': '接访员', en: 'Receptionist' } }],
      dataSchema: {
        type: 'object',
        properties: { summary: { type: 'string' }, petitionOutcome: { type: 'string' } },
      },
      nodes: [
        {
          id: 'register',
          kind: 'start',
          name: { 'zh-CN': '登记', en: 'Register' },
          channels: ['visit'],
        },
        {
          id: 'petition',
          kind: 'subflow',
          name: { 'zh-CN': '信访办理', en: 'Petition' },
          flow: { key: example.key },
          input: { summary: { var: 'summary' } },
          outcomeVar: 'petitionOutcome',
        },
        {
          id: 'review',
          kind: 'task',
          name: { 'zh-CN': '结果复核', en: 'Review the outcome' },
          assignee: { role: 'receptionist' },
          deadline: { duration: 'P5D' },
        },
        { id: 'done', kind: 'end', name: { 'zh-CN': '办结', en: 'Done' }, outcome: 'resolved' },
      ],
      edges: [
        { id: 'e1', kind: 'next', from: 'register', to: 'petition' },
        { id: 'e2', kind: 'next', from: 'petition', to: 'review' },
        {
          id: 'e3',
          kind: 'action',
          from: 'review',
          to: 'done',
          action: 'confirm',
          label: { 'zh-CN': '确认', en: 'Confirm' },
        },
      ],
    },
    scenarios: [
      {
        file: 'child-worked-to-the-end.json',
        raw: {
          start: {
            at: '2025-09-30T09:00:00+08:00',
            channel: 'visit',
            data: { summary: '小区门口道路积水，影响出行' },
            actor: receptionistActor,
          },
          steps: [
            {
              at: '2025-09-30T10:30:00+08:00',
              case: 'child:petition',
              actor: receptionistActor,
              complete: {
                node: 'review',
                action: 'submit',
                data: { accepted: true, department: 'water' },
              },
            },
            { advanceTo: '2026-01-05T09:00:00+08:00' },
            {
              at: '2026-01-05T10:00:00+08:00',
              case: 'child:petition',
              actor: waterHandler,
              complete: { node: 'handle', action: 'reply', data: { reply: '已疏通排水管道' } },
            },
            {
              at: '2026-01-20T10:00:00+08:00',
              actor: receptionistActor,
              complete: { node: 'review', action: 'confirm' },
            },
          ],
        },
      },
      {
        file: 'cancelled-with-its-child.json',
        raw: {
          start: {
            at: '2025-09-30T09:00:00+08:00',
            channel: 'visit',
            data: { summary: '小区门口道路积水，影响出行' },
            actor: receptionistActor,
          },
          steps: [
            {
              at: '2025-10-20T09:00:00+08:00',
              actor: { id: 'root', roles: ['admin'], jurisdiction: '440781' },
              cancel: { reason: '重复登记' },
            },
            { advanceTo: '2025-12-31T09:00:00+08:00' },
          ],
        },
      },
    ],
  },
);

const scenarios = templates.flatMap((template) =>
  template.scenarios.map((s) => ({ template: template.key, file: s.file, raw: s.raw })),
);

/** The store's clock and ids for the run in progress: the same as the simulator's. */
class RunClock {
  clock = new SimulatedClock('2025-01-01T00:00:00Z');
  ids = counterIds('setup-');
  now() {
    return this.clock.now();
  }
  newId() {
    return this.ids();
  }
}

interface World {
  store: Store;
  test: TestDatabase;
  run: RunClock;
  /** Published flows by key, as the store runs them. */
  flows: Map<string, { flowId: string; definition: SimulatorDefinition }>;
  /** Templates the store refused to publish, with why. */
  unpublished: Map<string, string>;
  /** Every simulated case so far, for the KPI recount. */
  simulated: KpiRow[];
  runs: number;
}

async function setupWorld(dialect: (typeof DIALECTS)[number]): Promise<World> {
  const test = await createTestDatabase(dialect);
  const run = new RunClock();
  const store = new Store(test.database, new Vault(randomBytes(32)), run);
  // Sensitive fields are sealed on both paths alike (the key's sealing is random, so not here).
  store.writer.seal = testSeal;
  const chain = [
    { code: '440000', name: '广东省', level: 'province', parent: null },
    { code: '440700', name: '江门市', level: 'city', parent: '440000' },
    { code: '440781', name: '台山市', level: 'county', parent: '440700' },
  ] as const;
  for (const j of chain) await store.upsertJurisdiction({ ...j, name: { 'zh-CN': j.name } });
  const flows = new Map<string, { flowId: string; definition: SimulatorDefinition }>();
  const unpublished = new Map<string, string>();
  for (const template of templates) {
    const saved = await store.saveDraft({
      jurisdiction: template.jurisdiction,
      key: template.key,
      name: template.name,
      draft: template.draft,
      by: null,
    });
    try {
      await store.publish(saved.id, null);
    } catch (error) {
      unpublished.set(template.key, error instanceof Error ? error.message : String(error));
      continue;
    }
    const definition = await store.database.read((db) => store.definition(db, saved.id, 1));
    flows.set(template.key, { flowId: saved.id, definition });
  }
  return { store, test, run, flows, unpublished, simulated: [], runs: 0 };
}

/** A fresh simulator and a fresh store run, both at `startMs` with ids `prefix…`. */
function begin(world: World, startMs: number) {
  const prefix = `r${++world.runs}-`;
  world.run.clock = new SimulatedClock(startMs);
  world.run.ids = counterIds(prefix);
  const simulator = new Simulator({
    clock: new SimulatedClock(startMs),
    newId: counterIds(prefix),
    resolveSubflow: (ref) => world.flows.get(ref.key)?.definition,
    seal: testSeal,
  });
  return { prefix, simulator };
}

/** What a run stopped on: the step (or `start`) and the refusal's code. */
type Stop = { step: number | 'start'; code: string } | undefined;

function refusalCode(error: unknown): string {
  if (error instanceof CommandRejected) return error.rejection.code;
  if (error instanceof StoreError) return error.code;
  throw error;
}

/** The store's timers of one run, earliest first, ties by id: the order the simulator fires them in. */
function storeTimers(world: World, prefix: string) {
  const { t } = world.store.database;
  return {
    next: (untilMs: number): Promise<TimerRow | undefined> =>
      world.store.database.read(async (db) => {
        const [row] = await db
          .select()
          .from(t.timers)
          .where(
            and(
              eq(t.timers.status, 'pending'),
              lte(t.timers.dueMs, untilMs),
              like(t.timers.id, `${prefix}%`),
            ),
          )
          .orderBy(asc(t.timers.dueMs), asc(t.timers.id))
          .limit(1);
        return row && { ...row, dueMs: Number(row.dueMs) };
      }),
  };
}

/** Moves the store's clock as the simulator's moves, firing through `Store.fireTimer` as the scheduler does. */
async function advanceStore(
  world: World,
  prefix: string,
  by: Date | number,
): Promise<string | undefined> {
  let refused: string | undefined;
  const timers = storeTimers(world, prefix);
  await world.run.clock.advanceAsync(by, {
    next: timers.next,
    fire: async (timer) => {
      try {
        await world.store.fireTimer(timer);
        return true;
      } catch (error) {
        refused = refusalCode(error);
        return false;
      }
    },
  });
  return refused;
}

/** The store's cases of one run in the order they were made. */
async function storeCases(world: World, prefix: string) {
  const { t } = world.store.database;
  const rows = await world.store.database.read((db) =>
    db
      .select({ id: t.cases.id, flowKey: t.cases.flowKey, state: t.cases.state })
      .from(t.cases)
      .where(like(t.cases.id, `${prefix}%`)),
  );
  return sortedBy(rows, (r) => r.id);
}

/** The child case a case's subflow node started, found in the store as the simulator finds it. */
async function storeChild(world: World, parentId: string, node: string) {
  const events = await world.store.events(parentId);
  const started = events.filter((e) => e.type === 'child.started' && e.child.node === node).at(-1);
  if (started?.type !== 'child.started') return undefined;
  const { t } = world.store.database;
  const [row] = await world.store.database.read((db) =>
    db
      .select({ id: t.cases.id })
      .from(t.cases)
      .where(and(eq(t.cases.parentCaseId, parentId), eq(t.cases.parentChildId, started.child.id))),
  );
  return row?.id;
}

/** The script through the real store: the same reading of it as `runScript`. */
async function runScriptOnStore(world: World, flowId: string, script: Script, prefix: string) {
  let caseId: string;
  try {
    caseId = (await world.store.startCase({ flowId, version: 1, command: script.start })).caseId;
  } catch (error) {
    return { step: 'start', code: refusalCode(error) } satisfies Stop;
  }
  for (const step of script.steps) {
    const to = step.advanceToMs ?? step.atMs;
    if (to !== undefined) {
      const refused = await advanceStore(world, prefix, new Date(to));
      if (refused) return { step: step.index, code: refused } satisfies Stop;
    }
    if (!step.command) continue;
    let target: string | undefined = caseId;
    for (const node of step.case) target = target && (await storeChild(world, target, node));
    if (!target) return { step: step.index, code: 'case.notFound' } satisfies Stop;
    const row = await world.store.caseRow(target);
    try {
      await world.store.act(target, step.command(row?.state as CaseState));
    } catch (error) {
      return { step: step.index, code: refusalCode(error) } satisfies Stop;
    }
  }
  return undefined;
}

/**
 * Ids by rank: each id of the run becomes `#n`, its place among the run's
 * ids. Both sides count from the same counter, but on its fast paths the
 * store runs a transition once, finds it needs child cases (the slow path)
 * and runs it again, so it skips the ids of the first try; the ranks, and
 * so the order things were made in, stay the same.
 */
function byRank<T>(value: T, prefix: string): T {
  const text = JSON.stringify(value);
  const pattern = new RegExp(`${prefix}\\d{6}`, 'g');
  const ranks = new Map(
    [...new Set(text.match(pattern) ?? [])].sort().map((id, n) => [id, `#${n + 1}`]),
  );
  return JSON.parse(text.replace(pattern, (id) => ranks.get(id) ?? id));
}

const sortedBy = <T>(rows: T[], key: (row: T) => string) =>
  [...rows].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));

/**
 * Both worlds of one run, side by side. Normalised, because they must
 * differ: the ids skipped by the store's retried transitions (`byRank`),
 * the tracking code (random, for citizens), the notification ids (made by
 * the database, not the engine), the scheduler's claim columns (the test
 * fires timers without claiming them), and the key order of JSON that
 * PostgreSQL keeps as jsonb (it sorts keys; values are compared as data).
 */
async function compareWorlds(world: World, prefix: string, simulator: Simulator) {
  const { t } = world.store.database;
  const read = world.store.database.read.bind(world.store.database);
  const simCases = simulator.cases();
  for (const c of simCases) {
    world.simulated.push({
      ...caseColumns(c.state),
      createdAt: c.state.createdAt,
      petitionerId: null,
      rating: null,
    });
  }
  const rows = (await read((db) =>
    db
      .select()
      .from(t.cases)
      .where(like(t.cases.id, `${prefix}%`)),
  )) as CaseRow[];
  const ids = rows.map((r) => r.id);
  const inRun = <C>(column: C) => inArray(column as never, ids.length ? ids : ['']);
  const flowIds = new Map([...world.flows].map(([key, f]) => [key, f.flowId]));

  const stored = byRank(
    {
      cases: await Promise.all(
        sortedBy(rows, (r) => r.id).map(async ({ trackingCode: _code, ...row }) => ({
          row: {
            ...row,
            createdAtMs: Number(row.createdAtMs),
            closedAtMs: row.closedAtMs === null ? null : Number(row.closedAtMs),
          },
          events: await world.store.events(row.id),
        })),
      ),
      tasks: sortedBy(
        await read((db) => db.select().from(t.tasks).where(inRun(t.tasks.caseId))),
        (x) => x.id,
      ).map((x) => ({ ...x, dueMs: x.dueMs === null ? null : Number(x.dueMs) })),
      timers: sortedBy(
        await read((db) => db.select().from(t.timers).where(inRun(t.timers.caseId))),
        (x) => x.id,
      ).map(({ claimedBy: _by, claimedUntilMs: _until, attempts: _n, lastError: _e, ...x }) => ({
        ...x,
        dueMs: Number(x.dueMs),
      })),
      notifications: (
        await read((db) => db.select().from(t.notifications).where(inRun(t.notifications.caseId)))
      ).map(({ caseId, createdAt, taskId, recipient, message }) => ({
        caseId,
        createdAt,
        taskId,
        recipient,
        message,
      })),
    },
    prefix,
  );
  const simulated = byRank(
    {
      cases: sortedBy(simCases, (c) => c.id).map((c) => ({
        row: {
          ...caseColumns(c.state),
          id: c.id,
          flowId: flowIds.get(c.state.flow.key),
          petitionerId: null,
          parentCaseId: c.parentCaseId,
          parentChildId: c.parentChildId,
          createdAt: c.state.createdAt,
          createdAtMs: Date.parse(c.state.createdAt),
        },
        events: c.events,
      })),
      tasks: sortedBy(simulator.tasks(), (x) => x.id),
      timers: sortedBy(simulator.timers(), (x) => x.id),
      notifications: simulator
        .notifications()
        .map(({ caseId, createdAt, taskId, recipient, message }) => ({
          caseId,
          createdAt,
          taskId,
          recipient,
          message,
        })),
    },
    prefix,
  );

  expect(stored.cases.map((c) => c.row.id)).toEqual(simulated.cases.map((c) => c.row.id));
  for (const [n, c] of stored.cases.entries()) {
    const sim = simulated.cases[n];
    // Events, case by case, in order; then the row: every column the engine decides.
    expect(c.events, `events of ${c.row.id}`).toEqual(sim?.events);
    expect(c.row, `case row ${c.row.id}`).toEqual({ ...c.row, ...sim?.row });
    // The stored row is the fold of its stored events (replay equals the stored case).
    const flow = [...world.flows.values()].find(
      (f) => f.flowId === c.row.flowId && f.definition.version === c.row.flowVersion,
    );
    expect(flow, `flow of ${c.row.id}`).toBeDefined();
    if (flow)
      expect(replay(flow.definition, c.events), `replay of ${c.row.id}`).toEqual(c.row.state);
    expect({ overdue: c.row.overdue, late: c.row.late }).toEqual({
      overdue: simCases[n]?.overdue,
      late: simCases[n]?.late,
    });
  }
  expect(stored.tasks, 'task rows').toEqual(simulated.tasks);
  expect(stored.timers, 'timer rows').toEqual(simulated.timers);
  // The outbox has no order of its own: compared as a multiset.
  expect(stored.notifications.map(canonicalJson).sort(), 'notifications').toEqual(
    simulated.notifications.map(canonicalJson).sort(),
  );
}

describe.each(DIALECTS)('the simulator and the store on %s', (dialect) => {
  let world: World;
  beforeAll(async () => {
    world = await setupWorld(dialect);
  }, 120_000);
  afterAll(async () => {
    await world?.test.drop();
  });

  it('publish every template', () => {
    expect(Object.fromEntries(world.unpublished)).toEqual({});
  });

  it.each(scenarios)(
    '$template/$file: the same events, case rows, tasks, timers and notifications',
    async ({ template, raw }) => {
      const flow = world.flows.get(template);
      if (!flow)
        throw new Error(`${template} was not published: ${world.unpublished.get(template)}`);
      // given the scenario read once, and both worlds at its start
      const script = parseScript(raw);
      const { prefix, simulator } = begin(world, script.startMs);
      // when it runs through the simulator and through the store
      const simulated = runScript(simulator, flow.definition, script);
      const stored = await runScriptOnStore(world, flow.flowId, script, prefix);
      // then both stopped at the same place (or ran to the end) and left the same rows
      expect(stored).toEqual(
        simulated.ok
          ? undefined
          : { step: simulated.refusal.step, code: simulated.refusal.rejection.code },
      );
      await compareWorlds(world, prefix, simulator);
    },
  );

  it('random command sequences leave the same rows', { timeout: 240_000 }, async () => {
    const withScenarios = templates.filter((t) => world.flows.has(t.key) && t.scenarios.length);
    // Form data the scenarios use, by node and action: random picks from it reach deep into a flow.
    const samples = new Map<string, unknown[]>();
    for (const t of withScenarios)
      for (const s of t.scenarios) {
        for (const step of (s.raw as { steps?: Record<string, unknown>[] }).steps ?? []) {
          const body = step.complete as { node?: string; data?: unknown } | undefined;
          // A step on a child case holds the child flow's data; that flow's own scripts give it.
          if (!body?.node || step.case !== undefined) continue;
          const key = `${t.key}/${body.node}`;
          samples.set(key, [...(samples.get(key) ?? []), body.data ?? {}]);
        }
      }
    // Weighted so a run goes deep: mostly work and time, seldom the cancel that ends it.
    const intent = fc.oneof(
      {
        weight: 6,
        arbitrary: fc.record({
          kind: fc.constant('complete' as const),
          on: fc.nat(),
          task: fc.nat(),
          action: fc.nat(),
          data: fc.nat(),
        }),
      },
      {
        weight: 2,
        arbitrary: fc.record({ kind: fc.constant('claim' as const), on: fc.nat(), task: fc.nat() }),
      },
      {
        weight: 3,
        arbitrary: fc.record({
          kind: fc.constant('advance' as const),
          on: fc.nat(),
          hours: fc.integer({ min: 1, max: 24 * 45 }),
        }),
      },
      {
        weight: 1,
        arbitrary: fc.record({
          kind: fc.constant('pause' as const),
          on: fc.nat(),
          clock: fc.nat(),
        }),
      },
      {
        weight: 1,
        arbitrary: fc.record({
          kind: fc.constant('resume' as const),
          on: fc.nat(),
          clock: fc.nat(),
        }),
      },
      {
        weight: 1,
        arbitrary: fc.record({
          kind: fc.constant('extend' as const),
          on: fc.nat(),
          clock: fc.nat(),
        }),
      },
      { weight: 1, arbitrary: fc.record({ kind: fc.constant('approve' as const), on: fc.nat() }) },
      {
        weight: 1,
        arbitrary: fc.record({
          kind: fc.constant('urgency' as const),
          on: fc.nat(),
          colour: fc.constantFrom('red', 'yellow', 'blue', 'green'),
        }),
      },
      { weight: 1, arbitrary: fc.record({ kind: fc.constant('cancel' as const), on: fc.nat() }) },
      // 拒签 (a share alone goes back for re-dispatch) and a task's own extension.
      {
        weight: 1,
        arbitrary: fc.record({
          kind: fc.constant('refuse' as const),
          on: fc.nat(),
          task: fc.nat(),
        }),
      },
      {
        weight: 1,
        arbitrary: fc.record({
          kind: fc.constant('extendTask' as const),
          on: fc.nat(),
          task: fc.nat(),
        }),
      },
    );
    type Intent = typeof intent extends fc.Arbitrary<infer I> ? I : never;
    const leader = (state: CaseState): Actor => ({
      id: 'zhao',
      roles: ['leader', 'admin'],
      jurisdiction: state.jurisdiction,
    });
    const worker = (task: Task): Actor => ({
      id: `w-${task.candidates.role}`,
      roles: [task.candidates.role],
      jurisdiction: task.candidates.jurisdiction,
      ...(task.candidates.department ? { department: task.candidates.department } : {}),
      groups: task.candidates.group ? [task.candidates.group] : [],
    });
    const pick = <T>(list: readonly T[], n: number): T | undefined =>
      list[n % Math.max(1, list.length)];

    /** The command an intent stands for, judged on the root case as the simulator holds it. */
    const commandOf = (
      key: string,
      def: SimulatorDefinition,
      state: CaseState,
      i: Intent,
    ): Command | undefined => {
      // Sorted: PostgreSQL keeps the state as jsonb, which orders object keys its own way.
      const clocks = Object.keys(state.clocks).sort();
      switch (i.kind) {
        case 'complete': {
          const task = pick(state.tasks, i.task);
          if (!task) return undefined;
          const actor = worker(task);
          const actions =
            availableActions(def, state, actor).tasks.find((x) => x.taskId === task.id)?.actions ??
            [];
          const action = pick(actions, i.action);
          const data = pick(samples.get(`${key}/${task.node}`) ?? [{}], i.data) as Record<
            string,
            unknown
          >;
          return {
            type: 'task.complete',
            taskId: task.id,
            action: action?.action ?? 'done',
            data,
            actor,
          };
        }
        case 'claim': {
          const task = pick(state.tasks, i.task);
          return task && { type: 'task.claim', taskId: task.id, actor: worker(task) };
        }
        case 'refuse': {
          const task = pick(state.tasks, i.task);
          return (
            task && {
              type: 'task.refuse',
              taskId: task.id,
              reason: '不属本部门职责',
              actor: worker(task),
            }
          );
        }
        case 'extendTask': {
          const task = pick(state.tasks, i.task);
          return (
            task && {
              type: 'task.requestExtension',
              taskId: task.id,
              duration: 'P1D',
              reason: '需要协调',
              actor: worker(task),
            }
          );
        }
        case 'pause': {
          const clockId = pick(clocks, i.clock);
          return clockId === undefined
            ? undefined
            : { type: 'clock.pause', clockId, reason: '等待鉴定', actor: leader(state) };
        }
        case 'resume': {
          const clockId = pick(clocks, i.clock);
          return clockId === undefined
            ? undefined
            : { type: 'clock.resume', clockId, actor: leader(state) };
        }
        case 'extend': {
          const clockId = pick(clocks, i.clock);
          return clockId === undefined
            ? undefined
            : {
                type: 'deadline.requestExtension',
                clockId,
                duration: 'P30D',
                reason: '情况复杂',
                actor: leader(state),
              };
        }
        case 'approve': {
          const requestId = Object.keys(state.extensionRequests).sort()[0];
          return requestId === undefined
            ? undefined
            : { type: 'deadline.approveExtension', requestId, actor: leader(state) };
        }
        case 'urgency':
          return { type: 'case.setUrgency', urgency: i.colour, actor: leader(state) };
        case 'cancel':
          return {
            type: 'case.cancel',
            reason: '重复登记',
            actor: { id: 'root', roles: ['admin'], jurisdiction: state.jurisdiction },
          };
        case 'advance':
          return undefined;
      }
    };

    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...withScenarios.map((t) => t.key)),
        fc.nat(),
        fc.array(intent, { minLength: 1, maxLength: 16 }),
        async (key, which, intents) => {
          const template = withScenarios.find((t) => t.key === key);
          const flow = world.flows.get(key);
          if (!flow || !template) return;
          const script = parseScript(pick(template.scenarios, which)?.raw);
          const { prefix, simulator } = begin(world, script.startMs);
          const started = simulator.start(flow.definition, script.start);
          let storeStart: string | undefined;
          try {
            await world.store.startCase({ flowId: flow.flowId, version: 1, command: script.start });
          } catch (error) {
            storeStart = refusalCode(error);
          }
          expect(storeStart).toEqual(started.ok ? undefined : started.rejection.code);
          if (!started.ok) return;
          for (const i of intents) {
            if (i.kind === 'advance') {
              const moved = simulator.advance(i.hours * 3_600_000);
              const refused = await advanceStore(world, prefix, i.hours * 3_600_000);
              expect(refused).toEqual(moved.ok ? undefined : moved.rejection.code);
              continue;
            }
            // Any case of the run: the root or a child case its subflow started. Each
            // side judges the intent on its own case and state (the same case by
            // creation order), since their ids may differ by the store's skipped ones.
            const target = pick(
              sortedBy(simulator.cases(), (c) => c.id),
              i.on,
            );
            const command =
              target && commandOf(target.state.flow.key, target.definition, target.state, i);
            const rows = await storeCases(world, prefix);
            const row = pick(rows, i.on);
            const rowDefinition = row && world.flows.get(row.flowKey)?.definition;
            const storeCommand =
              row && rowDefinition && commandOf(row.flowKey, rowDefinition, row.state, i);
            expect(storeCommand === undefined).toBe(command === undefined);
            if (!target || !command || !row || !storeCommand) continue;
            const simulated = simulator.act(target.id, command);
            let stored: string | undefined;
            try {
              await world.store.act(row.id, storeCommand);
            } catch (error) {
              stored = refusalCode(error);
            }
            expect(stored).toEqual(simulated.ok ? undefined : simulated.rejection.code);
          }
          await compareWorlds(world, prefix, simulator);
        },
      ),
      { numRuns: 25 },
    );
  });

  it('count the same KPIs from the simulated cases as the store does from its rows', async () => {
    const q = {
      jurisdictions: ['440000', '440700', '440781'],
      from: '2000-01-01T00:00:00Z',
      to: '2100-01-01T00:00:00Z',
    };
    expect(world.simulated.length).toBeGreaterThan(0);
    expect(await computeStats(world.store.database, q)).toEqual(recountKpis(world.simulated, q));
  });
});
