// Dashboard queries before and after the KPI counters (issue 18), on SQLite
// and PostgreSQL: `npx tsx bench/kpi-dashboard.ts [copies] [old-stats.ts]`.
//
// Seeds a few hundred real cases of the standard template through the store
// (registrations, repeats, work to closing, ratings), copies them `copies`
// times over the year before (ids and tracking codes suffixed, times shifted
// by whole days; their data and state left empty, which stats never read;
// closed and cancelled ones only, as a county's open cases stay few), counts them with `rebuildKpiCounters` (timed: what
// `lianxin kpi rebuild` costs), then times the county summary, the city's
// counties side by side and the 8-week trend with this checkout's stats.ts
// (counters) and, when given, an older stats.ts that scans the case rows.
// Both must give the same figures.
import { isDeepStrictEqual } from 'node:util';
import { sql } from 'drizzle-orm';
import {
  CommandRejected,
  computeStats,
  computeStatsByPart,
  computeTrend,
  type Dialect,
  rebuildKpiCounters,
} from '../src';
import { DAY, setupStore } from '../test/helpers';
import {
  complete,
  publishStandard,
  registration,
  staffOf,
  stateOf,
} from '../test/standard-petition';

type StatsModule = {
  computeStats: typeof computeStats;
  computeStatsByPart: typeof computeStatsByPart;
  computeTrend: typeof computeTrend;
};

const COPIES = Number(process.argv[2] ?? 200);
const OLD = process.argv[3];
const BASE = Number(process.env.KPI_BENCH_BASE ?? 150);
const COUNTIES = ['440781', '440783'];
const WALK: Record<string, string> = {
  accept: 'accept',
  assign: 'assign',
  handle: 'submit',
  approve: 'approve',
  reply: 'send',
  visit: 'done',
};

async function time(runs: number, fn: () => Promise<unknown>) {
  const ms: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    await fn();
    ms.push(performance.now() - t);
  }
  ms.sort((a, b) => a - b);
  return { p50: ms[Math.floor(ms.length / 2)] as number, min: ms[0] as number };
}

async function bench(dialect: Dialect, old: StatsModule | undefined) {
  const { store, clock, test } = await setupStore(dialect);
  const flowId = await publishStandard(store);
  const petitioners: string[] = [];
  for (let i = 0; i < 20; i++)
    petitioners.push(
      await store.createPetitioner({
        jurisdiction: '440781',
        name: '王某',
        phone: `1390000${String(i).padStart(4, '0')}`,
      }),
    );
  const ids: string[] = [];
  for (let i = 0; i < BASE; i++) {
    const jurisdiction = COUNTIES[i % 2] as string;
    const { caseId } = await store.startCase({
      flowId,
      version: 1,
      command: {
        type: 'case.start',
        channel: (['visit', 'letter', 'online'] as const)[i % 3] as 'visit',
        jurisdiction,
        data: registration,
        ...(i % 7 === 0 ? { repeat: true } : {}),
        actor: staffOf(jurisdiction).receptionist,
      },
      ...(i % 3 === 0 ? { petitionerId: petitioners[i % 20] as string } : {}),
    });
    ids.push(caseId);
    clock.advance(DAY / 10);
    // Three in four are worked to the return visit; their review windows close below.
    if (i % 4 === 0) continue;
    for (;;) {
      const task = (await stateOf(store, caseId)).tasks[0];
      const action = task && WALK[task.node];
      if (!task || !action) break;
      await complete(
        store,
        caseId,
        task.node,
        action,
        task.node === 'visit' ? { satisfaction: (i % 5) + 1 } : {},
      );
    }
  }
  clock.advance(40 * DAY);
  for (;;) {
    const due = await store.claimDueTimers('bench', 1000);
    if (!due.length) break;
    for (const timer of due)
      await store.fireTimer(timer).catch((e) => {
        if (!(e instanceof CommandRejected)) throw e;
      });
  }
  for (const [i, id] of ids.entries())
    if (i % 3 === 1) await store.evaluateOnce(id, (i % 5) + 1, null, 'online');

  // Copies over the year before, whole days apart, so every day holds cases.
  const { database } = store;
  const columns = database.sqlite
    ? (database.sqlite.prepare('pragma table_info(cases)').all() as { name: string }[]).map(
        (c) => c.name,
      )
    : (
        (await database.db.execute(
          sql.raw(
            "select column_name as name from information_schema.columns where table_name = 'cases' order by ordinal_position",
          ),
        )) as unknown as { rows: { name: string }[] }
      ).rows.map((c) => c.name);
  const run = async (text: string) => {
    if (database.sqlite) database.sqlite.exec(text);
    else await database.db.execute(sql.raw(text));
  };
  const seeded = performance.now();
  const batch = 50;
  for (let from = 1; from <= COPIES; from += batch) {
    const to = Math.min(COPIES, from + batch - 1);
    const series =
      dialect === 'pg'
        ? `generate_series(${from}, ${to}) as k(n)`
        : `(with recursive k(n) as (select ${from} union all select n + 1 from k where n < ${to}) select n from k) as k`;
    const shift = `(cast(k.n as bigint) * ${Math.floor((365 * DAY) / COPIES / DAY) || 1} * ${DAY})`;
    const value = (c: string) => {
      if (c === 'id' || c === 'tracking_code') return `${c} || '-' || k.n`;
      if (c === 'created_at_ms' || c === 'closed_at_ms') return `${c} - ${shift}`;
      // Stats never read the case data: copies keep it small.
      if (c === 'state' || c === 'data') return `'{}'`;
      if (c === 'search_text') return `''`;
      return c;
    };
    await run(
      `insert into cases (${columns.join(', ')}) select ${columns.map(value).join(', ')} from cases, ${series} where cases.id not like '%-%-%-%-%-%' and cases.status <> 'active'`,
    );
  }
  const seedSeconds = (performance.now() - seeded) / 1000;
  const rebuilt = performance.now();
  const { rows, cases } = await rebuildKpiCounters(database);
  const rebuildSeconds = (performance.now() - rebuilt) / 1000;

  const now = clock.ms;
  const year = {
    from: new Date(now - 365 * DAY).toISOString(),
    to: new Date(now + DAY).toISOString(),
  };
  // Beijing midnights: a dashboard's month-like period and a Monday-based trend.
  const midnight = (ms: number) => Math.floor((ms + 8 * 3_600_000) / DAY) * DAY - 8 * 3_600_000;
  const aligned = {
    from: new Date(midnight(now - 365 * DAY)).toISOString(),
    to: new Date(midnight(now + DAY)).toISOString(),
  };
  const trendFrom = new Date(midnight(now - 56 * DAY)).toISOString();
  const queries = (m: StatsModule) => ({
    'county summary, a year (Beijing midnights)': () =>
      m.computeStats(database, { jurisdictions: ['440781'], ...aligned }),
    'county summary, a year (any instants)': () =>
      m.computeStats(database, { jurisdictions: ['440781'], ...year }),
    "city's counties side by side, a year": () =>
      m.computeStatsByPart(
        database,
        COUNTIES.map((j) => ({ key: j, jurisdictions: [j] })),
        aligned,
      ),
    '8-week trend (weeks from a Beijing midnight)': () =>
      m.computeTrend(database, {
        jurisdictions: COUNTIES,
        from: trendFrom,
        bucketMs: 7 * DAY,
        buckets: 8,
      }),
  });
  const now_ = queries({ computeStats, computeStatsByPart, computeTrend });
  const before = old ? queries(old) : undefined;
  const lines: string[] = [];
  for (const [name, fn] of Object.entries(now_)) {
    const oldFn = before?.[name as keyof typeof before];
    if (oldFn) {
      const [a, b] = [await fn(), await oldFn()];
      if (!isDeepStrictEqual(a, b))
        throw new Error(
          `${name}: counters and scan disagree\n${JSON.stringify(a)}\n${JSON.stringify(b)}`,
        );
    }
    const after = await time(7, fn);
    const scan = oldFn ? await time(5, oldFn) : undefined;
    lines.push(
      `| ${dialect} | ${name} | ${scan ? scan.p50.toFixed(1) : '—'} | ${after.p50.toFixed(1)} | ${scan ? `${(scan.p50 / after.p50).toFixed(1)}×` : '—'} |`,
    );
  }
  console.log(
    `${dialect}: ${cases.toLocaleString('en')} cases (copied in ${seedSeconds.toFixed(1)} s), ${rows.toLocaleString('en')} counter rows, rebuild ${rebuildSeconds.toFixed(1)} s`,
  );
  for (const l of lines) console.log(l);
  await test.drop();
}

async function main() {
  const old = OLD ? ((await import(OLD)) as StatsModule) : undefined;
  console.log('| database | query | scan p50 ms | counters p50 ms | ratio |');
  console.log('| --- | --- | --- | --- | --- |');
  for (const dialect of ['sqlite', 'pg'] as const) await bench(dialect, old);
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
