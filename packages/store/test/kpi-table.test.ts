import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CommandRejected, computeStats, type Stats, type Store } from '../src';
import { DAY, DIALECTS, type FakeClock, setupStore } from './helpers';
import {
  complete,
  fireDue,
  publishStandard,
  registration,
  staffOf,
  standardFlow,
  stateOf,
} from './standard-petition';

// docs/stats.md's worked examples are the KPI definition people read; this
// test keeps them true by building each row's case through the real store and
// the standard petition template, and comparing computeStats with the table.

const markdown = readFileSync(
  fileURLToPath(new URL('../../../docs/stats.md', import.meta.url)),
  'utf8',
);

/** The body rows of the first markdown table whose header starts with `header`. */
function table(header: string): string[][] {
  const lines = markdown.split('\n');
  const start = lines.findIndex((l) => l.startsWith(header));
  if (start < 0) throw new Error(`docs/stats.md has no table starting with "${header}"`);
  const rows: string[][] = [];
  for (const line of lines.slice(start + 2)) {
    if (!line.startsWith('|')) break;
    rows.push(
      line
        .slice(1, -1)
        .split('|')
        .map((cell) => cell.trim()),
    );
  }
  return rows;
}

const MARKS: Record<string, boolean | null> = { '✓': true, '✗': false, '—': null };
function mark(cell: string | undefined): boolean | null {
  const value = MARKS[cell ?? ''];
  if (value === undefined) throw new Error(`unknown mark "${cell}" in docs/stats.md`);
  return value;
}

interface Step {
  day: number;
  word: string;
  arg?: string;
}
interface Row {
  n: number;
  history: string;
  steps: Step[];
  closed: boolean | null;
  resolved: boolean | null;
  rated: boolean | null;
  satisfied: boolean | null;
  onTime: boolean | null;
}

const rows: Row[] = table('| # | history |').map(([n, history = '', ...marks]) => ({
  n: Number(n),
  history,
  steps: history.split(' · ').map((step) => {
    const [day, word = '', arg] = step.split(' ');
    return { day: Number(day), word, ...(arg !== undefined ? { arg } : {}) };
  }),
  closed: mark(marks[0]),
  resolved: mark(marks[1]),
  rated: mark(marks[2]),
  satisfied: mark(marks[3]),
  onTime: mark(marks[4]),
}));
const totals = Object.fromEntries(
  table('| figure | value |').map(([figure = '', value = '']) => {
    const [a, b] = value.split('/').map(Number);
    return [figure, b === undefined ? a : (a as number) / b];
  }),
);

const CHANNELS = { 来访: 'visit', 来信: 'letter', 网上: 'online' } as const;
/** Each row's case lives in a county of its own under 江门市, so a row can be counted alone. */
const county = (n: number) => String(440_700 + n);
const period = { from: '2025-03-01T00:00:00Z', to: '2026-01-01T00:00:00Z' };

describe.each(DIALECTS)('the worked examples of docs/stats.md on %s', (dialect) => {
  let store: Store;
  let clock: FakeClock;
  let drop: () => Promise<void>;
  const caseOf = new Map<number, string>();

  async function perform(flowId: string, row: Row, step: Step) {
    const who = staffOf(county(row.n));
    if (step.word in CHANNELS) {
      const started = await store.startCase({
        flowId,
        version: 1,
        command: {
          type: 'case.start',
          channel: CHANNELS[step.word as keyof typeof CHANNELS],
          jurisdiction: county(row.n),
          data: registration,
          actor: who.receptionist,
        },
      });
      caseOf.set(row.n, started.caseId);
      return;
    }
    const caseId = caseOf.get(row.n) as string;
    const commands: Record<string, () => Promise<unknown>> = {
      受理: () => complete(store, caseId, 'accept', 'accept'),
      不予受理: () => complete(store, caseId, 'accept', 'decline'),
      转送: () => complete(store, caseId, 'accept', 'transfer'),
      交办: () => complete(store, caseId, 'assign', 'assign'),
      办理: () => complete(store, caseId, 'handle', 'submit'),
      退回: () => complete(store, caseId, 'approve', 'sendBack'),
      同意: () => complete(store, caseId, 'approve', 'approve'),
      答复: () => complete(store, caseId, 'reply', 'send'),
      回访: () =>
        complete(
          store,
          caseId,
          'visit',
          'done',
          step.arg !== undefined
            ? { satisfaction: Number(step.arg) }
            : { visitNote: '电话多次无人接听' },
        ),
      申请延期: () =>
        store.act(caseId, {
          type: 'deadline.requestExtension',
          clockId: 'handling',
          duration: 'P30D',
          reason: '需要补充调查工资发放凭证',
          actor: who.handler,
        }),
      批准延期: async () =>
        store.act(caseId, {
          type: 'deadline.approveExtension',
          requestId: Object.keys((await stateOf(store, caseId)).extensionRequests)[0] ?? '',
          actor: who.leader,
        }),
      评价: () => store.evaluate(caseId, Number(step.arg), null, 'online'),
      期满: async () => {},
    };
    const command = commands[step.word];
    if (!command) throw new Error(`row ${row.n}: unknown step "${step.word}" in docs/stats.md`);
    await command();
  }

  beforeAll(async () => {
    const s = await setupStore(dialect);
    store = s.store;
    clock = s.clock;
    drop = () => s.test.drop();
    for (const row of rows)
      await store.upsertJurisdiction({
        code: county(row.n),
        name: { 'zh-CN': `例${row.n}县` },
        level: 'county',
        parent: '440700',
      });
    const flowId = await publishStandard(store);
    // Every row starts on day 0; their steps run day by day, timers firing in between.
    const day0 = clock.ms;
    const agenda = rows
      .flatMap((row) => row.steps.map((step) => ({ row, step })))
      .sort((a, b) => a.step.day - b.step.day);
    for (const { row, step } of agenda) {
      clock.ms = day0 + step.day * DAY;
      await fireDue(store);
      await perform(flowId, row, step).catch((error: unknown) => {
        const detail = error instanceof CommandRejected ? JSON.stringify(error.rejection) : '';
        throw new Error(`row ${row.n}, day ${step.day} ${step.word}: ${error} ${detail}`);
      });
    }
  }, 120_000);
  afterAll(async () => {
    await drop();
  });

  it('reads thirteen rows and the totals from docs/stats.md', () => {
    expect(rows.map((r) => r.n)).toEqual(Array.from({ length: 13 }, (_, i) => i + 1));
    expect(Object.keys(totals)).toContain('satisfactionRate');
  });

  it.each(rows)('row $n: $history', async (row) => {
    const stats = await computeStats(store.database, { jurisdictions: [county(row.n)], ...period });
    const count = (v: boolean | null) => (v ? 1 : 0);
    expect({
      received: stats.received,
      closed: stats.closed,
      resolved: stats.resolved,
      evaluated: stats.evaluated,
      satisfied: stats.satisfied,
      onTime: stats.onTimeClosureRate,
    }).toEqual({
      received: 1,
      closed: count(row.closed),
      resolved: count(row.resolved),
      evaluated: count(row.rated),
      satisfied: count(row.satisfied),
      onTime: row.closed ? count(row.onTime) : null,
    });
  });

  it('gives the documented totals for all rows together', async () => {
    const stats: Stats = await computeStats(store.database, {
      jurisdictions: rows.map((r) => county(r.n)),
      ...period,
    });
    const figures = Object.fromEntries(
      Object.keys(totals).map((k) => [k, stats[k as keyof Stats]]),
    );
    expect(figures).toEqual(totals);
  });
});

// The template's department handling has a 45-day deadline of its own. A
// county may instead bind it to the statutory handling clock (deadlineClock):
// then an extension approved in time moves the task's deadline as well, and
// the case stays on time (docs/stats.md, "On time").
const clockBound = (() => {
  const flow = structuredClone(standardFlow);
  flow.key = 'standard-petition-clock-bound';
  flow.nodes = flow.nodes.map((n) => {
    if (n.id !== 'handle' || n.kind !== 'task') return n;
    const { deadline: _own, ...rest } = n;
    return { ...rest, deadlineClock: 'handling' };
  });
  return flow;
})();

describe.each(DIALECTS)('on time with a task bound to its clock on %s', (dialect) => {
  let store: Store;
  let drop: () => Promise<void>;
  // The department works 68 days: past the 60-day clock, within its extension.
  const histories = {
    '440784': { extend: 51, expected: 1 },
    '440785': { extend: undefined, expected: 0 },
    '440703': { extend: 67, expected: 0 },
  } as const;

  beforeAll(async () => {
    const s = await setupStore(dialect);
    store = s.store;
    drop = () => s.test.drop();
    for (const code of Object.keys(histories))
      await store.upsertJurisdiction({
        code,
        name: { 'zh-CN': code },
        level: 'county',
        parent: '440700',
      });
    const flowId = await publishStandard(store, clockBound);
    const day0 = s.clock.ms;
    const cases = new Map<string, string>();
    for (const [jurisdiction] of Object.entries(histories)) {
      const started = await store.startCase({
        flowId,
        version: 1,
        command: {
          type: 'case.start',
          channel: 'visit',
          jurisdiction,
          data: registration,
          actor: staffOf(jurisdiction).receptionist,
        },
      });
      cases.set(jurisdiction, started.caseId);
    }
    const day = async (n: number) => {
      s.clock.ms = day0 + n * DAY;
      await fireDue(store);
    };
    const each = async (fn: (caseId: string, jurisdiction: string) => Promise<unknown>) => {
      for (const [jurisdiction, caseId] of cases) await fn(caseId, jurisdiction);
    };
    await day(1);
    await each((id) => complete(store, id, 'accept', 'accept'));
    await day(2);
    await each((id) => complete(store, id, 'assign', 'assign'));
    for (const n of [50, 51, 66, 67]) {
      await day(n);
      for (const [jurisdiction, h] of Object.entries(histories)) {
        const caseId = cases.get(jurisdiction) as string;
        const who = staffOf(jurisdiction);
        if (h.extend === undefined) continue;
        if (n === h.extend - 1)
          await store.act(caseId, {
            type: 'deadline.requestExtension',
            clockId: 'handling',
            duration: 'P30D',
            reason: '需要补充调查',
            actor: who.handler,
          });
        if (n === h.extend)
          await store.act(caseId, {
            type: 'deadline.approveExtension',
            requestId: Object.keys((await stateOf(store, caseId)).extensionRequests)[0] ?? '',
            actor: who.leader,
          });
      }
    }
    await day(70);
    await each((id) => complete(store, id, 'handle', 'submit'));
    await day(71);
    await each((id) => complete(store, id, 'approve', 'approve'));
    await day(72);
    await each((id) => complete(store, id, 'reply', 'send'));
    await day(73);
    await each((id) => complete(store, id, 'visit', 'done', { satisfaction: 5 }));
    await day(104);
  }, 60_000);
  afterAll(async () => {
    await drop();
  });

  it.each(Object.entries(histories))(
    'counts the case of %s as on time only when the extension came in time',
    async (jurisdiction, h) => {
      const stats = await computeStats(store.database, {
        jurisdictions: [jurisdiction],
        ...period,
      });
      expect({ closed: stats.closed, onTime: stats.onTimeClosureRate }).toEqual({
        closed: 1,
        onTime: h.expected,
      });
    },
  );
});
