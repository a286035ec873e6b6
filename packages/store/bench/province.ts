// Province scale on PostgreSQL (issue 18): 100 counties in 10 cities, a
// province's cases over four years, read the way the server reads them.
// Run: cd packages/store && npx tsx bench/province.ts [cases] [--events=<share>] [--open=<share>]
//      [--runs=<n>] [--keep | --reuse]; `--report=results/province.json` rewrites the .md from a .json.
//
// Seeds a few hundred real cases of the standard template through the store in
// Taishan (440781): walked to closing and rated, some still open at each task
// (most at 办理, the handlers' inbox), each with 0–59 comments so a history
// holds the tens of events a real one does. Then copies them in SQL
// (INSERT … SELECT over generate_series, foreign-key triggers and secondary
// indexes off while copying, indexes rebuilt after) until the province holds
// `cases` cases: ids, tracking codes, task ids and petitioners suffixed per
// copy, each copy in one of the 100 counties (its staff renamed to that
// county's), closed copies spread over the four years before, open ones over
// the last 60 days (one in eight of those flagged overdue). Case rows, tasks,
// petitioners and ratings are copied for every case; events and timers for
// every case up to `--events` of them (default: about 5 million events), the
// rest having no history in the database, as an archived case has none. The
// KPI counters are then rebuilt from the rows with `rebuildKpiCounters`.
//
// Measured with the store functions the API calls, `--runs` times each after a
// warm-up (p50 and p95): a county handler's inbox page 1 and page 100 (12 rows,
// page 100 read with the cursor the reader holds after paging on), the province
// dashboard (summary of all 111 jurisdictions over a year, the 10 cities side
// by side, the 8-week trend, the overdue list's first page), a case page
// (cases.get's reads: row, events, petitioner, tasks, rating, archive, and its
// audit record), every query of these and of test/pg-plans.test.ts's other lists
// EXPLAINed (ANALYZE) for large tables read whole, and the tables' sizes. Writes
// results/province.{md,json} (other sizes: province-<cases>.*); drops its
// database (`lx_province_bench`, or PROVINCE_DB) unless --keep. --reuse
// measures a database kept by an earlier run again, after migrating it.
import { writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import pg from 'pg';
import {
  appendAudit,
  awaitingApproval,
  CommandRejected,
  caseArchive,
  computeStats,
  computeStatsByPart,
  computeTrend,
  type InboxKey,
  openPostgres,
  rebuildKpiCounters,
  Store,
  searchAudit,
  supervisionStats,
  Vault,
} from '../src';
import { DAY, FakeClock } from '../test/helpers';
import { capture } from '../test/pg-capture';
import {
  complete,
  publishStandard,
  registration,
  staffOf,
  stateOf,
} from '../test/standard-petition';

const args = process.argv.slice(2);
const flag = (name: string) => args.find((a) => a.startsWith(`--${name}=`))?.split('=')[1];
const CASES = Number(args.find((a) => /^\d+$/.test(a)) ?? 2_000_000);
const RUNS = Number(flag('runs') ?? 30);
const REUSE = args.includes('--reuse');
const KEEP = REUSE || args.includes('--keep');
const EVENTS_SHARE = flag('events');
const OPEN_SHARE = Number(flag('open') ?? 0.1);
const BASE_CLOSED = 200;
const BASE_OPEN = 60;
const PAGE = 12;
const DEEP = 100;
const YEARS = 4;
const DB_NAME = process.env.PROVINCE_DB ?? 'lx_province_bench';
const ADMIN_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

const CITY_CODES = ['4401', '4402', '4403', '4404', '4405', '4406', '4407', '4408', '4409', '4412'];
const PROVINCE = '440000';
const CITIES = CITY_CODES.map((c) => `${c}00`);
const COUNTIES = CITY_CODES.flatMap((c) => Array.from({ length: 10 }, (_, i) => `${c}${81 + i}`));
const HOME = '440781';
/** Where the inbox is read: a county other than the one the base cases were seeded in. */
const COUNTY = '440583';

const WALK: Record<string, string> = {
  accept: 'accept',
  assign: 'assign',
  handle: 'submit',
  approve: 'approve',
  reply: 'send',
  visit: 'done',
};
/** Where the open base cases stop: most at 办理, the rest spread over the other tasks. */
const STOPS = [
  ...Array.from({ length: 8 }, () => 'handle'),
  'accept',
  'assign',
  'approve',
  'reply',
  'visit',
];

const log = (text: string) => console.error(`${new Date().toISOString().slice(11, 19)} ${text}`);

function stats(ms: number[]) {
  const s = [...ms].sort((a, b) => a - b);
  const at = (q: number) => s[Math.min(s.length - 1, Math.ceil(q * s.length) - 1)] as number;
  const r = (x: number) => Math.round(x * 10) / 10;
  return { p50: r(at(0.5)), p95: r(at(0.95)), max: r(s[s.length - 1] as number) };
}

async function timed(fn: () => Promise<unknown>, runs = RUNS) {
  await fn();
  const ms: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    await fn();
    ms.push(performance.now() - t);
  }
  return stats(ms);
}

interface PlanNode {
  'Node Type': string;
  'Relation Name'?: string;
  'Actual Rows'?: number;
  'Actual Total Time'?: number;
  'Rows Removed by Filter'?: number;
  'Actual Loops'?: number;
  'Parallel Aware'?: boolean;
  'Index Name'?: string;
  Plans?: PlanNode[];
}
const LARGE = new Set([
  'cases',
  'events',
  'tasks',
  'petitioners',
  'evaluations',
  'timers',
  'kpi_counters',
  'kpi_repeated_later',
  'audit_log',
]);
/**
 * Where a plan reads a large table (nearly) whole: a sequential scan, or an
 * index walked in order with more than 100,000 rows thrown away by its filter
 * (a top-N read whose N rows lie at the far end of the index).
 */
function wholeReads(node: PlanNode, out: string[] = []) {
  const table = node['Relation Name'];
  const time = `${node['Actual Total Time']?.toFixed(1)} ms`;
  // A parallel node's figures are per process (the leader and its workers): times loops.
  const loops = node['Parallel Aware'] ? (node['Actual Loops'] ?? 1) : 1;
  const removed = (node['Rows Removed by Filter'] ?? 0) * loops;
  const kept = (node['Actual Rows'] ?? 0) * loops;
  if (table && LARGE.has(table) && node['Node Type'] === 'Seq Scan')
    out.push(
      `${table} (${loops > 1 ? 'parallel ' : ''}顺序扫描: ${kept} rows kept, ${removed} filtered, ${time})`,
    );
  else if (table && LARGE.has(table) && removed > 100_000)
    out.push(
      `${table} (index ${node['Index Name']} walked: ${kept} rows kept, ${removed} filtered, ${time})`,
    );
  for (const child of node.Plans ?? []) wholeReads(child, out);
  return out;
}

async function main() {
  const startedAt = new Date().toISOString();
  const loadBefore = loadavg();
  const admin = new pg.Client({ connectionString: ADMIN_URL });
  await admin.connect();
  if (!REUSE) {
    await admin.query(`DROP DATABASE IF EXISTS ${DB_NAME} WITH (FORCE)`);
    await admin.query(`CREATE DATABASE ${DB_NAME}`);
  }
  const url = new URL(ADMIN_URL);
  url.pathname = `/${DB_NAME}`;
  const database = openPostgres(url.toString());
  await database.migrate();
  const clock = new FakeClock(Date.parse('2026-08-03T01:00:00Z'));
  const store = new Store(database, new Vault(Buffer.alloc(32, 7)), clock);
  const client = new pg.Client({ connectionString: url.toString() });
  await client.connect();
  const q = (text: string, values?: unknown[]) => client.query(text, values);

  try {
    // Seeded now, or (--reuse) by an earlier run with --keep; its migrations brought up to date above.
    const { nowMs, seed, totals } = REUSE
      ? ((await q('select doc from bench_meta')).rows[0].doc as Seeded)
      : await (async (): Promise<Seeded> => {
          // The province's tree.
          await store.upsertJurisdiction({
            code: PROVINCE,
            name: { 'zh-CN': '广东省' },
            level: 'province',
            parent: null,
          });
          for (const [i, city] of CITIES.entries()) {
            await store.upsertJurisdiction({
              code: city,
              name: { 'zh-CN': `第${i + 1}市` },
              level: 'city',
              parent: PROVINCE,
            });
            for (const county of COUNTIES.filter((c) => c.startsWith(city.slice(0, 4))))
              await store.upsertJurisdiction({
                code: county,
                name: { 'zh-CN': `第${i + 1}市${county.slice(4)}县` },
                level: 'county',
                parent: city,
              });
          }

          // A few hundred real cases, through the store.
          let t0 = performance.now();
          const flowId = await publishStandard(store);
          const staff = staffOf(HOME);
          const petitioners: string[] = [];
          for (let i = 0; i < 20; i++)
            petitioners.push(
              await store.createPetitioner({
                jurisdiction: HOME,
                name: '王某',
                phone: `1390000${String(i).padStart(4, '0')}`,
              }),
            );
          const start = async (i: number) => {
            const { caseId } = await store.startCase({
              flowId,
              version: 1,
              command: {
                type: 'case.start',
                channel: (['visit', 'letter', 'online'] as const)[i % 3] as 'visit',
                jurisdiction: HOME,
                data: registration,
                ...(i % 7 === 0 ? { repeat: true } : {}),
                ...(i % 5 === 0 ? { urgency: (['red', 'yellow', 'blue'] as const)[i % 3] } : {}),
                actor: staff.receptionist,
              },
              ...(i % 3 === 0 ? { petitionerId: petitioners[i % 20] as string } : {}),
            });
            return caseId;
          };
          const walk = async (caseId: string, i: number, stop?: string) => {
            for (let step = 0; ; step++) {
              const task = (await stateOf(store, caseId)).tasks[0];
              const action = task && WALK[task.node];
              if (!task || !action || task.node === stop) return;
              // Comments as a case gathers them, between the steps.
              for (let k = 0; k < ((i * 7 + step * 3) % 60) / 6; k++)
                await store.act(caseId, {
                  type: 'case.comment',
                  text: `第 ${step + 1}.${k + 1} 条批注：已电话联系信访人，约定下周二上门核实工资发放情况`,
                  actor: staff.receptionist,
                });
              await complete(
                store,
                caseId,
                task.node,
                action,
                task.node === 'visit' ? { satisfaction: (i % 5) + 1 } : {},
              );
            }
          };
          const closedIds: string[] = [];
          for (let i = 0; i < BASE_CLOSED; i++) {
            const id = await start(i);
            closedIds.push(id);
            clock.advance(DAY / 4);
            await walk(id, i);
          }
          // Review windows close; what was left unwalked runs late.
          clock.advance(40 * DAY);
          for (;;) {
            const due = await store.claimDueTimers('bench', 1000);
            if (!due.length) break;
            for (const timer of due)
              await store.fireTimer(timer).catch((e) => {
                if (!(e instanceof CommandRejected)) throw e;
              });
          }
          for (const [i, id] of closedIds.entries())
            if (i % 3 === 1) await store.evaluateOnce(id, (i % 5) + 1, null, 'online');
          for (let i = 0; i < BASE_OPEN; i++) {
            const id = await start(i + BASE_CLOSED);
            clock.advance(DAY / 12);
            await walk(id, i, STOPS[i % STOPS.length]);
          }
          // The few closed ones the scheduler left open (a deadline fired mid-walk) count as open.
          const base = (
            await q(`select status, count(*)::int as n, sum((select count(*) from events e where e.case_id = c.id))::int as events
                   from cases c group by status order by status`)
          ).rows as { status: string; n: number; events: number }[];
          const baseEvents = base.reduce((s, r) => s + r.events, 0);
          const baseCases = base.reduce((s, r) => s + r.n, 0);
          const baseOpen = base.filter((r) => r.status === 'active').reduce((s, r) => s + r.n, 0);
          const baseClosed = baseCases - baseOpen;
          const seedBaseS = (performance.now() - t0) / 1000;
          log(`base: ${JSON.stringify(base)} in ${seedBaseS.toFixed(0)} s`);
          const nowMs = clock.ms;

          // Copies.
          const openCopies = Math.ceil((CASES * OPEN_SHARE) / baseOpen);
          const closedCopies = Math.ceil((CASES - baseCases - openCopies * baseOpen) / baseClosed);
          const avgEvents = baseEvents / baseCases;
          const share = Math.min(
            1,
            EVENTS_SHARE !== undefined ? Number(EVENTS_SHARE) : 5_000_000 / (CASES * avgEvents),
          );
          const step = Math.max(1, Math.round(1 / share));
          log(
            `copies: ${closedCopies} closed × ${baseClosed}, ${openCopies} open × ${baseOpen}; events for 1 copy in ${step}`,
          );

          t0 = performance.now();
          await q('set session_replication_role = replica');
          await q('set synchronous_commit = off');
          await q("set maintenance_work_mem = '512MB'");
          const GROWN = ['petitioners', 'cases', 'tasks', 'events', 'timers', 'evaluations'];
          const indexes = (
            await q(
              `select indexname, indexdef from pg_indexes i where schemaname = 'public' and tablename = any($1)
             and not exists (select 1 from pg_constraint c where c.conname = i.indexname)`,
              [GROWN],
            )
          ).rows as { indexname: string; indexdef: string }[];
          for (const i of indexes) await q(`drop index "${i.indexname}"`);
          await q('create table bench_cases as select id, status from cases');
          await q('create table bench_petitioners as select id from petitioners');
          await q(`create or replace function bench_shift(t text, d bigint) returns text language sql immutable as $$
          select to_char((t::timestamptz - d * interval '1 millisecond') at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') $$`);
          const columns = async (table: string) =>
            (
              await q(
                `select column_name as c from information_schema.columns where table_schema = 'public'
               and table_name = $1 and is_generated = 'NEVER' order by ordinal_position`,
                [table],
              )
            ).rows.map((r) => r.c as string);
          const cols: Record<string, string[]> = {};
          for (const t of GROWN) cols[t] = await columns(t);
          // Every copied petitioner a different person: ids and look-up hashes suffixed too.
          const SUFFIXED = new Set([
            'id',
            'case_id',
            'petitioner_id',
            'task_id',
            'tracking_code',
            'phone_hash',
            'id_card_hash',
            'name_hash',
          ]);
          const TIMES = new Set([
            'created_at',
            'updated_at',
            'closed_at',
            'opened_at',
            'due',
            'at',
            'fired_at',
          ]);
          const MS = new Set(['created_at_ms', 'closed_at_ms', 'due_ms']);
          const STAFF = new Set([
            'assignee',
            'first_handler',
            'by',
            'preferred_user',
            'leader_owner',
          ]);
          // One statement per table and batch of copies: `k.n` the copy, `k.county` its county.
          const copy = async (
            table: string,
            kind: 'closed' | 'open',
            from: number,
            to: number,
            only?: string,
          ) => {
            const tag = kind === 'closed' ? "'-' || k.n" : "'-o' || k.n";
            // Closed copies over the four years before; open ones over the last 60 days.
            const span = kind === 'closed' ? YEARS * 365 * DAY : 60 * DAY;
            const total = kind === 'closed' ? closedCopies : openCopies;
            const shift = `(k.n::bigint * ${Math.floor(span / total)})`;
            const value = (c: string) => {
              if (SUFFIXED.has(c)) return `"${c}" || ${tag}`;
              if (c === 'jurisdiction' || c === 'received_jurisdiction')
                return table === 'petitioners' ? 'k.county' : `k.county`;
              if (MS.has(c)) return `"${c}" - ${shift}`;
              if (TIMES.has(c)) return `bench_shift("${c}", ${shift})`;
              if (STAFF.has(c)) return `replace("${c}", '${HOME}', k.county)`;
              if (c === 'overdue' && kind === 'open') return `(overdue or (k.n / 100) % 8 = 0)`;
              return `"${c}"`;
            };
            const key = table === 'cases' || table === 'petitioners' ? 'id' : 'case_id';
            const status = kind === 'closed' ? "<> 'active'" : "= 'active'";
            const ofBase =
              table === 'petitioners'
                ? `x.id in (select id from bench_petitioners)`
                : `x.${key} in (select id from bench_cases where status ${status})`;
            const counties = `(array[${COUNTIES.map((c) => `'${c}'`).join(',')}])`;
            await q(
              `insert into ${table} (${(cols[table] as string[]).map((c) => `"${c}"`).join(', ')})
             select ${(cols[table] as string[]).map(value).join(', ')}
             from ${table} x, (select n, ${counties}[1 + n % 100] as county from generate_series(${from}, ${to}) n) k
             where ${ofBase} ${only ?? ''}`,
            );
          };
          const batch = Math.max(1, Math.floor(200_000 / baseClosed));
          for (const [kind, total] of [
            ['open', openCopies],
            ['closed', closedCopies],
          ] as const) {
            for (let from = 1; from <= total; from += batch) {
              const to = Math.min(total, from + batch - 1);
              for (const table of ['petitioners', 'cases', 'tasks', 'evaluations'])
                await copy(table, kind, from, to);
              // Histories for one copy in `step`; the rest have none in the database.
              for (const table of ['events', 'timers'])
                await copy(table, kind, from, to, `and k.n % ${step} = 0`);
              log(`${kind} copies ${to}/${total}`);
            }
          }
          const copyS = (performance.now() - t0) / 1000;
          t0 = performance.now();
          for (const i of indexes) await q(i.indexdef);
          await q('drop function bench_shift');
          await q('drop table bench_cases, bench_petitioners');
          await q('set session_replication_role = origin');
          const indexS = (performance.now() - t0) / 1000;
          log(`copied in ${copyS.toFixed(0)} s, indexes rebuilt in ${indexS.toFixed(0)} s`);
          t0 = performance.now();
          const rebuilt = await rebuildKpiCounters(database);
          const rebuildS = (performance.now() - t0) / 1000;
          log(
            `counters: ${rebuilt.rows} rows over ${rebuilt.cases} cases in ${rebuildS.toFixed(0)} s`,
          );
          t0 = performance.now();
          await q('vacuum (analyze)');
          const vacuumS = (performance.now() - t0) / 1000;
          log(`vacuum analyze ${vacuumS.toFixed(0)} s`);

          const count = async (text: string) => Number((await q(text)).rows[0]?.n);
          const totals = {
            cases: await count('select count(*) as n from cases'),
            openCases: await count("select count(*) as n from cases where status = 'active'"),
            casesWithEvents: await count('select count(distinct case_id) as n from events'),
            events: await count('select count(*) as n from events'),
            tasks: await count('select count(*) as n from tasks'),
            openTasks: await count("select count(*) as n from tasks where status = 'open'"),
            petitioners: await count('select count(*) as n from petitioners'),
            counters: rebuilt.rows,
          };
          log(JSON.stringify(totals));
          const doc: Seeded = {
            nowMs,
            seed: {
              baseCases,
              baseOpen,
              baseEvents,
              avgEventsPerCase: Math.round(avgEvents * 10) / 10,
              closedCopies,
              openCopies,
              eventsForOneCopyIn: step,
              at: `${startedAt} → ${new Date().toISOString()}, load average ${loadBefore.map((x) => x.toFixed(2)).join(' ')} before`,
              seconds: {
                base: Math.round(seedBaseS),
                copy: Math.round(copyS),
                indexes: Math.round(indexS),
                kpiRebuild: Math.round(rebuildS),
                vacuumAnalyze: Math.round(vacuumS),
              },
            },
            totals,
          };
          // What --reuse reads back, to measure again without seeding again.
          await q('create table bench_meta (doc jsonb not null)');
          await q('insert into bench_meta (doc) values ($1)', [JSON.stringify(doc)]);
          return doc;
        })();

    // Reads.
    clock.ms = nowMs;
    const handler = {
      userId: `hand-${COUNTY}`,
      memberships: [{ jurisdiction: COUNTY, role: 'handler', department: 'hrss' }],
    };
    let after: InboxKey | undefined;
    let reached = 1;
    for (let page = 1; page < DEEP; page++) {
      const r = await store.inbox(handler, { limit: PAGE, ...(after ? { after } : {}) });
      if (!r.next) break;
      after = r.next;
      reached = page + 1;
    }
    const first = await store.inbox(handler, { limit: PAGE });
    const all = [PROVINCE, ...CITIES, ...COUNTIES];
    const midnight = (ms: number) => Math.floor((ms + 8 * 3_600_000) / DAY) * DAY - 8 * 3_600_000;
    const year = {
      from: new Date(midnight(nowMs - 365 * DAY)).toISOString(),
      to: new Date(midnight(nowMs + DAY)).toISOString(),
    };
    // Monday eight weeks back (1970-01-05 was a Monday).
    const today = midnight(nowMs);
    const monday = today - ((Math.floor((today + 8 * 3_600_000) / DAY) - 4) % 7) * DAY;
    const parts = [
      ...CITIES.map((city) => ({
        key: city,
        jurisdictions: [city, ...COUNTIES.filter((c) => c.startsWith(city.slice(0, 4)))],
      })),
      { key: PROVINCE, jurisdictions: [PROVINCE] },
    ];
    const overdue = () =>
      store.listCases({
        jurisdictions: all,
        status: ['active'],
        overdue: true,
        order: 'oldest',
        limit: 10,
      });
    const summary = () => computeStats(database, { jurisdictions: all, ...year });
    const byCity = () => computeStatsByPart(database, parts, year);
    const trend = () =>
      computeTrend(database, {
        jurisdictions: all,
        from: new Date(monday - 7 * 7 * DAY).toISOString(),
        bucketMs: 7 * DAY,
        buckets: 8,
      });
    // A case with a history, as cases.get reads it (less the engine's CPU for actions and masking).
    const [shown] = (
      await q(
        `select case_id, count(*)::int as n from events where case_id like '%-%'
         group by case_id having count(*) between 40 and 80 limit 1`,
      )
    ).rows as { case_id: string; n: number }[];
    const caseId =
      shown?.case_id ??
      ((await q('select case_id from events limit 1')).rows[0]?.case_id as string);
    const casePage = async () => {
      const row = await store.caseRow(caseId);
      if (!row) throw new Error(`no case ${caseId}`);
      await store.events(row.id);
      if (row.petitionerId) await store.petitioner(row.petitionerId);
      await appendAudit(database, clock, {
        action: 'case.read',
        actorId: handler.userId,
        caseId: row.id,
        petitionerId: row.petitionerId,
        jurisdiction: row.jurisdiction,
        detail: { procedure: 'cases.get', trackingCode: row.trackingCode },
      });
      await store.tasksOfCase(row.id);
      await store.evaluation(row.id);
      await caseArchive(database, row.id);
    };
    const queries: [string, () => Promise<unknown>][] = [
      ['inbox page 1 (county handler)', () => store.inbox(handler, { limit: PAGE })],
      [`inbox page ${reached} (keyset)`, () => store.inbox(handler, { limit: PAGE, after })],
      ['province summary, a year', summary],
      ['province by city (10 + 省本级), a year', byCity],
      ['province 8-week trend', trend],
      ['province overdue list, page 1 (oldest)', overdue],
      [
        'province dashboard, all four at once',
        () => Promise.all([summary(), byCity(), trend(), overdue()]),
      ],
      [`case page (${shown?.n ?? '?'} events)`, casePage],
    ];
    const timings: Record<string, ReturnType<typeof stats>> = {};
    for (const [name, fn] of queries) {
      timings[name] = await timed(fn);
      log(`${name}: ${JSON.stringify(timings[name])}`);
    }
    // The other lists and boards of test/pg-plans.test.ts, at this size: explained, not timed.
    const city = [CITIES[4] as string, ...COUNTIES.filter((c) => c.startsWith('4405'))];
    const county = [COUNTY];
    // 5,000 cases deep, or half way down a smaller county's list (a smaller run).
    const [deep] = (
      await q(
        `select created_at_ms as ms, id from cases where jurisdiction = $1
         order by created_at_ms desc, id desc
         offset least(5000, (select count(*) / 2 from cases where jurisdiction = $1)) limit 1`,
        [COUNTY],
      )
    ).rows;
    const deepCase = { createdAtMs: Number(deep?.ms), id: String(deep?.id ?? '') };
    const week = new Date(nowMs - 7 * DAY).toISOString();
    const others: [string, () => Promise<unknown>][] = [
      ['case list, county', () => store.listCases({ jurisdictions: county, limit: 50 })],
      [
        'case list, county, 5,000 cases deep',
        () => store.listCases({ jurisdictions: county, limit: 50, after: deepCase }),
      ],
      [
        'overdue list, city',
        () => store.listCases({ jurisdictions: city, overdue: true, order: 'oldest' }),
      ],
      [
        '一周一核, county',
        () => store.listCases({ jurisdictions: county, changedSinceOrOverdue: week }),
      ],
      [
        'open red cases, city',
        () => store.listCases({ jurisdictions: city, status: ['active'], urgency: ['red'] }),
      ],
      [
        'received in a year, county',
        () =>
          store.listCases({ jurisdictions: county, createdFrom: year.from, createdTo: year.to }),
      ],
      ['tracking code', () => store.listCases({ trackingCode: 'ABCD1234' })],
      [
        'search: text, county',
        () => store.searchCases({ jurisdictions: county, text: '工资', limit: 20, countCap: 1000 }),
      ],
      [
        'search: phone, county',
        () =>
          store.searchCases({
            jurisdictions: county,
            petitioner: { phone: '13900000001' },
            limit: 20,
            countCap: 1000,
          }),
      ],
      [
        'search: dates and department, city',
        () =>
          store.searchCases({
            jurisdictions: city,
            createdFrom: year.from,
            createdTo: year.to,
            department: 'hrss',
            limit: 20,
            countCap: 1000,
          }),
      ],
      ['inbox, newest, red', () => store.inbox(handler, { sort: 'newest', urgency: ['red'] })],
      [
        '待我审批, city',
        () => awaitingApproval(database, { jurisdictions: city, leaderOwner: 'nobody', limit: 20 }),
      ],
      [
        'supervision figures, province',
        () =>
          supervisionStats(database, {
            jurisdictions: all,
            fromMs: Date.parse(year.from),
            toMs: Date.parse(year.to),
            nowMs,
          }),
      ],
      ['audit log, county', () => searchAudit(database, { jurisdictions: county, limit: 50 })],
    ];
    const plans: Record<string, string[]> = {};
    for (const [name, fn] of [...queries, ...others]) {
      if (name.includes('all four')) continue;
      const found: string[] = [];
      for (const c of await capture(fn)) {
        const { rows } = await q(`EXPLAIN (ANALYZE, FORMAT JSON) ${c.text}`, c.values);
        const plan = (rows[0] as { 'QUERY PLAN': { Plan: PlanNode }[] })['QUERY PLAN'][0]?.Plan;
        if (plan)
          for (const s of wholeReads(plan))
            found.push(`${s}: ${c.text.replace(/\s+/g, ' ').slice(0, 300)}`);
      }
      plans[name] = found;
    }

    // Sizes.
    const sizes = (
      await q(
        `select c.relname as name, pg_total_relation_size(c.oid)::bigint as bytes
         from pg_class c join pg_namespace s on s.oid = c.relnamespace
         where s.nspname = 'public' and c.relkind = 'r' order by 2 desc`,
      )
    ).rows.map((r) => ({ name: r.name as string, bytes: Number(r.bytes) }));
    const total = sizes.reduce((s, r) => s + r.bytes, 0);
    const historyTables = new Set(['events', 'timers']);
    const history = sizes.filter((s) => historyTables.has(s.name)).reduce((s, r) => s + r.bytes, 0);
    const perMillion = 1_000_000 / totals.cases;
    const historyShare = totals.casesWithEvents / totals.cases;
    const size = {
      totalBytes: total,
      measuredPerMillionGB: (total * perMillion) / 1e9,
      rowsPerMillionGB: ((total - history) * perMillion) / 1e9,
      historyPerMillionGB: ((history / historyShare) * perMillion) / 1e9,
      extrapolatedPerMillionGB: ((total - history + history / historyShare) * perMillion) / 1e9,
      eventBytes: (sizes.find((s) => s.name === 'events')?.bytes ?? 0) / Math.max(1, totals.events),
      tables: sizes.filter((s) => s.bytes > 1_000_000),
    };

    const loadAfter = loadavg();
    const result = {
      startedAt,
      finishedAt: new Date().toISOString(),
      machine: {
        cpus: cpus().length,
        model: cpus()[0]?.model,
        loadBefore,
        loadAfter,
        postgres: (await q('show server_version')).rows[0]?.server_version,
      },
      seed,
      totals,
      inbox: {
        user: handler,
        rows: first.more ? `${first.total}+` : first.total,
        pageReached: reached,
      },
      runs: RUNS,
      timings,
      seqScans: plans,
      size,
    };
    const file = `results/province${CASES === 2_000_000 ? '' : `-${CASES}`}`;
    writeFileSync(new URL(`${file}.json`, import.meta.url), `${JSON.stringify(result, null, 2)}\n`);
    writeFileSync(new URL(`${file}.md`, import.meta.url), report(result));
    console.log(report(result));
  } finally {
    await client.end();
    await database.close().catch(() => {});
    if (!KEEP) await admin.query(`DROP DATABASE IF EXISTS ${DB_NAME} WITH (FORCE)`);
    await admin.end();
  }
}

type Seeded = Pick<Result, 'seed' | 'totals'> & { nowMs: number };

type Result = {
  startedAt: string;
  finishedAt: string;
  machine: {
    cpus: number;
    model?: string;
    loadBefore: number[];
    loadAfter: number[];
    postgres: string;
  };
  seed: {
    baseCases: number;
    baseOpen: number;
    baseEvents: number;
    avgEventsPerCase: number;
    closedCopies: number;
    openCopies: number;
    eventsForOneCopyIn: number;
    seconds: Record<string, number>;
    /** When the database was seeded (a --reuse run measures one seeded before), with the load then. */
    at?: string;
  };
  totals: Record<
    | 'cases'
    | 'openCases'
    | 'casesWithEvents'
    | 'events'
    | 'tasks'
    | 'openTasks'
    | 'petitioners'
    | 'counters',
    number
  >;
  inbox: { user: { userId: string }; rows: number | string; pageReached: number };
  runs: number;
  timings: Record<string, { p50: number; p95: number; max: number }>;
  seqScans: Record<string, string[]>;
  /** Findings about the plans, added by hand. */
  notes?: string[];
  /** Figures of an earlier run on the same seed (added by hand), e.g. before an index. */
  earlier?: { note: string; timings: Record<string, { p50: number; p95: number; max: number }> };
  size: {
    totalBytes: number;
    measuredPerMillionGB: number;
    rowsPerMillionGB: number;
    historyPerMillionGB: number;
    extrapolatedPerMillionGB: number;
    eventBytes: number;
    tables: { name: string; bytes: number }[];
  };
};

/** The results as Markdown, with the issue's goals beside the figures. */
function report(r: Result): string {
  const n = (x: number) => x.toLocaleString('en');
  const gb = (x: number) => `${x.toFixed(1)} GB`;
  const load = (l: number[]) => l.map((x) => x.toFixed(2)).join(' ');
  const t = Object.entries(r.timings);
  const find = (prefix: string) => t.find(([k]) => k.startsWith(prefix))?.[1];
  const page1 = find('inbox page 1');
  const deep = t.find(([k]) => k.startsWith('inbox page') && !k.startsWith('inbox page 1 '))?.[1];
  const dashboard = t.filter(([k]) => k.startsWith('province') && !k.includes('all four'));
  const worst = Math.max(...dashboard.map(([, v]) => v.p95));
  const together = find('province dashboard');
  const casePage = find('case page');
  const verdict = (ok: boolean) => (ok ? 'met' : '**missed**');
  const scans = Object.entries(r.seqScans).flatMap(([k, v]) => v.map((s) => `- ${k}: ${s}`));
  const s = r.seed;
  const share = r.totals.casesWithEvents / r.totals.cases;
  /** GB per million cases of a history table, from the cases that have histories. */
  const perMillion = (table: string) =>
    ((r.size.tables.find((x) => x.name === table)?.bytes ?? 0) / r.totals.casesWithEvents) *
    (1_000_000 / 1e9);
  return `# Province scale on PostgreSQL (\`bench/province.ts\`)

${r.startedAt} → ${r.finishedAt} · ${r.machine.cpus} × ${r.machine.model} · PostgreSQL ${r.machine.postgres} (default settings: shared_buffers 128 MB) · load average ${load(r.machine.loadBefore)} before, ${load(r.machine.loadAfter)} after (other work shares the machine) · ${r.runs} runs a query after one warm-up, in ms.

## What was seeded

- ${n(s.baseCases)} real cases of the standard template through the store (${s.baseOpen} left open at a task, most at 办理; ${n(s.baseEvents)} events, ${s.avgEventsPerCase} a case with their comments) in ${s.seconds.base} s.
- Copied in SQL to **${n(r.totals.cases)} cases** over 100 counties in 10 cities (${s.closedCopies} copies of the closed ones over four years, ${s.openCopies} of the open ones over the last 60 days): ${n(r.totals.openCases)} open, ${n(r.totals.tasks)} tasks (${n(r.totals.openTasks)} open), ${n(r.totals.petitioners)} petitioners, ${n(r.totals.counters)} KPI counter rows.
- Full histories (events and timers) for **${n(r.totals.casesWithEvents)} cases** (one copy in ${s.eventsForOneCopyIn}, ${(share * 100).toFixed(1)} %): ${n(r.totals.events)} events. The other cases have rows, tasks and counters but no events in the database (as if archived).
- Seeded ${s.at ?? 'in the same run'}. Seconds: copying ${s.seconds.copy}, rebuilding the secondary indexes ${s.seconds.indexes}, \`rebuildKpiCounters\` ${s.seconds.kpiRebuild}, \`VACUUM (ANALYZE)\` ${s.seconds.vacuumAnalyze}.

## Reads (store functions the API calls)

| request | p50 | p95 | max |
| --- | --- | --- | --- |
${t.map(([k, v]) => `| ${k} | ${v.p50} | ${v.p95} | ${v.max} |`).join('\n')}

The inbox is ${r.inbox.user.userId}'s (handler, department hrss, county 440583): ${r.inbox.rows} rows, 12 a page; page ${r.inbox.pageReached} is read with the cursor held after paging on from page 1. The province dashboard reads all 111 jurisdictions (province, 10 cities, 100 counties) over the last year from the KPI counters, the 10 cities side by side plus 省本级, 8 Monday-based weeks, and the first 10 overdue open cases, oldest first; "all four at once" sends them together as the dashboard page does. The case page is cases.get's reads (row, events, petitioner, tasks, rating, archive) and its audit record, without the API's CPU for actions and masking.

${
  r.earlier
    ? `${r.earlier.note}\n\n| request | p50 | p95 | max |\n| --- | --- | --- | --- |\n${Object.entries(
        r.earlier.timings,
      )
        .map(([k, v]) => `| ${k} | ${v.p50} | ${v.p95} | ${v.max} |`)
        .join('\n')}\n\n`
    : ''
}## Against the issue's goals

| goal | measured | |
| --- | --- | --- |
| inbox first page p95 < 100 ms | ${page1?.p95} ms | ${verdict((page1?.p95 ?? Infinity) < 100)} |
| page ${r.inbox.pageReached} within 2× of page 1 | p50 ${deep?.p50} vs ${page1?.p50} ms (${((deep?.p50 ?? 0) / (page1?.p50 ?? 1)).toFixed(2)}×) | ${verdict((deep?.p50 ?? Infinity) <= 2 * (page1?.p50 ?? 0))} |
| province dashboard p95 < 500 ms | each request ≤ ${worst} ms; all four at once ${together?.p95} ms | ${verdict(worst < 500 && (together?.p95 ?? Infinity) < 500)} |
| case page p95 < 100 ms | ${casePage?.p95} ms | ${verdict((casePage?.p95 ?? Infinity) < 100)} |

## Plans

Every SELECT these requests send, and those of the other lists and boards test/pg-plans.test.ts checks (case lists deep and shallow, overdue and 一周一核, search, 待我审批, supervision figures, the audit log; explained, not timed), was run again under \`EXPLAIN (ANALYZE)\` with the planner's default settings, looking for a large table (cases, events, tasks, petitioners, evaluations, timers, kpi_counters, kpi_repeated_later, audit_log) read whole: a sequential scan, or an index walked with more than 100,000 rows filtered out. ${scans.length ? `Found:\n\n${scans.join('\n')}` : 'None found.'}${
    scans.some((x) => x.includes(': kpi_counters ('))
      ? `\n\nThe KPI counters are read whole by the two requests that cover every jurisdiction of the province: they keep about a quarter of the rows (a year of four), and the planner rightly prefers one parallel pass over the table to 111 ranges of its primary key. The table grows with days × jurisdictions × (flow, channel, category, urgency, status) in use, not with cases: ${n(r.totals.counters)} rows here (${gb((r.size.tables.find((x) => x.name === 'kpi_counters')?.bytes ?? 0) / 1e9)}); ten years would be about 2.5 times that.`
      : ''
  }${r.notes?.length ? `\n\n${r.notes.join('\n\n')}` : ''}

## Size

\`pg_total_relation_size\` of every table (heap, TOAST, indexes): ${gb(r.size.totalBytes / 1e9)} in all.

| table | size |
| --- | --- |
${r.size.tables.map((x) => `| ${x.name} | ${gb(x.bytes / 1e9)} |`).join('\n')}

- Measured per million cases, rows without events and timers (cases, tasks, petitioners, ratings, counters, …, for all ${n(r.totals.cases)}): **${gb(r.size.rowsPerMillionGB)}**.
- Events and timers, measured for the ${n(r.totals.casesWithEvents)} cases that have them and scaled to every case: **${gb(r.size.historyPerMillionGB)}** per million cases (extrapolated): events ${gb(perMillion('events'))} (${r.size.eventBytes.toFixed(0)} bytes an event with its index), timers ${gb(perMillion('timers'))} (fired and cancelled ones are kept).
- So a million cases with their whole histories: about **${gb(r.size.extrapolatedPerMillionGB)}** (extrapolated). \`lianxin archive\` moves a closed case's events out, not its timers or tasks: about ${gb(r.size.rowsPerMillionGB + perMillion('timers'))} per million cases stay.
`;
}

const reportOf = flag('report');
if (reportOf) {
  const { readFileSync } = await import('node:fs');
  const r = JSON.parse(readFileSync(reportOf, 'utf8')) as Result;
  writeFileSync(reportOf.replace(/\.json$/, '.md'), report(r));
  process.exit(0);
}

main().then(
  () => process.exit(0),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
