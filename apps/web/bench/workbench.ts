// `pnpm bench` (web package, after the designer bench): with BENCH_CASES (default
// 100,000) cases in a SQLite database, the time the workbench inbox's first page
// and the county dashboard take through the real HTTP tRPC API (p50/p95), and
// the full-text search of complaints (cases.search) in the same run.
// The cases have real histories (bench/seed-cases.ts): two counties, 180 days,
// most older cases closed (some late, most rated), newer ones open at every
// step, so the receptionist's inbox holds thousands of tasks.
// Results: bench/results/workbench.{json,md}.
import { writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openStore, startServer } from '../../server/src/app';
import { configFromEnv } from '../../server/src/config';
import { silentLogger } from '../../server/src/log';
import { client } from '../../server/test/server-helpers';
import { cachedDataDir, PASSWORD, seedWorkbench } from './seed-cases';

const CASES = Number(process.env.BENCH_CASES ?? 100_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 40);
/** The workbench's page size, and the page read after paging on by cursor (issue 18). */
const PAGE = 12;
const DEEP_PAGE = 100;
const here = fileURLToPath(new URL('.', import.meta.url));

/** What the search bench types, in turn (see the phrase pools in seed-cases.ts). */
const SEARCH_WORDS = [
  '拖欠工资',
  '安置房',
  '漏水',
  '宅基地',
  '台风 农田',
  '川岛镇 噪音',
  '补偿',
  '电梯',
  '欠',
  '物业管理混乱',
];
let turn = 0;
const next = (words: readonly string[]) => words[turn++ % words.length] as string;

const pct = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;

async function time(n: number, fn: () => Promise<unknown>) {
  await fn(); // warm-up (also fills caches a real user would hit on the second load)
  const ms: number[] = [];
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    await fn();
    ms.push(performance.now() - t);
  }
  ms.sort((a, b) => a - b);
  const r = (x: number) => Math.round(x * 10) / 10;
  return {
    runs: n,
    p50ms: r(pct(ms, 50)),
    p95ms: r(pct(ms, 95)),
    maxms: r(ms[ms.length - 1] ?? 0),
  };
}

async function main() {
  const cache = cachedDataDir(CASES);
  let seeded: { seconds: number; transitions: number } | undefined;
  if (!cache.ready) {
    console.log(`seeding ${CASES} cases into ${cache.dir} (kept for later runs)`);
    seeded = await seedWorkbench(CASES, console.log);
  }
  const config = configFromEnv({ LIANXIN_DATA_DIR: cache.dir, PORT: '0', HOST: '127.0.0.1' });
  const store = await openStore(config);
  const running = await startServer(store, config, silentLogger, { scheduler: false });

  const desk = client(running.url);
  await desk.auth.login.mutate({ username: 'taishan-receptionist', password: PASSWORD });
  const leader = client(running.url);
  await leader.auth.login.mutate({ username: 'taishan-leader', password: PASSWORD });
  const province = client(running.url);
  await province.auth.login.mutate({ username: 'guangdong-admin', password: PASSWORD });
  const from = new Date(Date.UTC(new Date().getUTCFullYear() - 1, 0, 1)).toISOString();
  const to = new Date(Date.now() + 86_400_000).toISOString();
  const period = { jurisdiction: '440781', from, to };
  const week = 7 * 86_400_000;
  // The inbox's size, read to its end by cursor (its count stops at 1,000).
  let inboxSize = 0;
  /** The cursor of each page of 12 (the workbench's page), up to page 100. */
  const inboxCursors: (string | undefined)[] = [undefined];
  for (let cursor: string | undefined; ; ) {
    const page = await desk.tasks.inbox.query({ limit: 200, ...(cursor ? { cursor } : {}) });
    inboxSize += page.rows.length;
    if (!page.next) break;
    cursor = page.next;
  }
  for (let cursor: string | undefined; inboxCursors.length < DEEP_PAGE; ) {
    const page = await desk.tasks.inbox.query({ limit: PAGE, ...(cursor ? { cursor } : {}) });
    if (!page.next) break;
    cursor = page.next;
    inboxCursors.push(cursor);
  }
  const deepPage = inboxCursors.length;
  const deepCursor = inboxCursors[deepPage - 1];
  const caseCursors: (string | undefined)[] = [undefined];
  for (let cursor: string | undefined; caseCursors.length < DEEP_PAGE; ) {
    const page = await desk.cases.list.query({ limit: PAGE, ...(cursor ? { cursor } : {}) });
    if (!page.next) break;
    cursor = page.next;
    caseCursors.push(cursor);
  }
  const deepCaseCursor = caseCursors[caseCursors.length - 1];
  // What the database holds, as the city's KPIs over all time count it.
  const all = await province.stats.summary.query({
    jurisdiction: '440700',
    from: '2000-01-01T00:00:00Z',
    to,
  });
  const mix = {
    received: all.received,
    byStatus: all.byStatus,
    closedLate: Math.round(all.closed * (1 - (all.onTimeClosureRate ?? 1))),
    rated: all.evaluated,
    overdueOpen: all.overdueOpen,
  };
  // The dashboard's trend starts on the Monday seven weeks before this week's.
  const monday = new Date();
  monday.setHours(0, 0, 0, 0);
  monday.setDate(monday.getDate() - ((monday.getDay() + 6) % 7));
  const trendFrom = new Date(monday.getTime() - 7 * week).toISOString();

  const dashboard = (as: typeof leader, jurisdiction: string) =>
    Promise.all([
      as.stats.summary.query({ ...period, jurisdiction }),
      as.stats.byJurisdiction.query({ ...period, jurisdiction }),
      as.stats.trend.query({ jurisdiction, from: trendFrom, bucket: 'week', buckets: 8 }),
      as.cases.list.query({ jurisdiction, status: ['active'], overdue: true, limit: 100 }),
    ]);

  const results = {
    inboxFirstPage: await time(RUNS, () => desk.tasks.inbox.query({ limit: 50 })),
    inboxOverdueFirstPage: await time(RUNS, () =>
      desk.tasks.inbox.query({ limit: 50, dueState: ['overdue'] }),
    ),
    caseListFirstPage: await time(RUNS, () => desk.cases.list.query({ limit: 50 })),
    // Keyset pages (issue 18): page 1 and page 100 of 12 rows, as the workbench pages.
    inboxPage1: await time(RUNS, () => desk.tasks.inbox.query({ limit: PAGE })),
    inboxDeepPage: await time(RUNS, () =>
      desk.tasks.inbox.query({ limit: PAGE, ...(deepCursor ? { cursor: deepCursor } : {}) }),
    ),
    caseListPage1: await time(RUNS, () => desk.cases.list.query({ limit: PAGE })),
    caseListDeepPage: await time(RUNS, () =>
      desk.cases.list.query({ limit: PAGE, ...(deepCaseCursor ? { cursor: deepCaseCursor } : {}) }),
    ),
    statsSummary: await time(Math.max(5, RUNS / 4), () => leader.stats.summary.query(period)),
    // What the dashboard page requests when it opens (issued together, as the page does).
    dashboardLoad: await time(Math.max(5, RUNS / 4), () => dashboard(leader, '440781')),
    cityDashboardLoad: await time(Math.max(5, RUNS / 4), () => dashboard(province, '440700')),
    // Full-text search of the complaint (cases.search), first page of 50, one word after another:
    // common words (thousands of matches), rarer ones, a single character, two words at once.
    fullTextSearch: await time(RUNS, () =>
      desk.cases.search.query({ text: next(SEARCH_WORDS), limit: 50 }),
    ),
    fullTextSearchCity: await time(Math.max(5, RUNS / 4), () =>
      province.cases.search.query({ text: next(SEARCH_WORDS), limit: 50 }),
    ),
    // A petitioner's phone (keyed hash): one of the seeded pool.
    petitionerSearch: await time(Math.max(5, RUNS / 4), () =>
      desk.cases.search.query({
        petitioner: { phone: `139${String(Math.floor(Math.random() * 5000)).padStart(8, '0')}` },
        limit: 50,
      }),
    ),
  };
  await running.close();

  const targets = { inboxFirstPage: 100, dashboardLoad: 500, fullTextSearch: 300 };
  const out = {
    date: new Date().toISOString(),
    machine: {
      cpus: cpus().length,
      model: cpus()[0]?.model,
      loadavg: loadavg()
        .map((x) => x.toFixed(2))
        .join(' '),
    },
    database: 'SQLite (WAL), server in the benchmark process, HTTP tRPC client',
    cases: CASES,
    mix,
    openInboxTasksForReceptionist: inboxSize,
    deepPages: { inbox: deepPage, cases: caseCursors.length, pageSize: PAGE },
    ...(seeded ? { seeded } : { seeded: 'reused from bench/.cache' }),
    results,
    targets: {
      inboxFirstPageP95ms: targets.inboxFirstPage,
      dashboardLoadP95ms: targets.dashboardLoad,
      inboxMet: results.inboxFirstPage.p95ms < targets.inboxFirstPage,
      dashboardMet: results.dashboardLoad.p95ms < targets.dashboardLoad,
      fullTextSearchP95ms: targets.fullTextSearch,
      fullTextSearchMet: results.fullTextSearch.p95ms < targets.fullTextSearch,
      // Page 100 within 2× of page 1 (medians).
      inboxDeepPageRatio:
        Math.round((results.inboxDeepPage.p50ms / results.inboxPage1.p50ms) * 100) / 100,
      inboxDeepPageMet: results.inboxDeepPage.p50ms <= 2 * results.inboxPage1.p50ms,
    },
  };
  const dir = join(here, 'results');
  writeFileSync(join(dir, 'workbench.json'), `${JSON.stringify(out, null, 2)}\n`);
  const row = (
    name: string,
    r: { runs: number; p50ms: number; p95ms: number; maxms: number },
    target?: number,
  ) =>
    `| ${name} | ${r.runs} | ${r.p50ms} | ${r.p95ms} | ${r.maxms} | ${target ? `< ${target} ${r.p95ms < target ? '✅ met' : '❌ not met'}` : '—'} |`;
  const md = [
    '# Workbench and dashboard through the API',
    '',
    `${out.date} · ${out.machine.cpus} × ${out.machine.model} · load ${out.machine.loadavg}`,
    '',
    `${CASES.toLocaleString('en')} cases (SQLite, two counties, created over 180 days with real histories: ${Object.entries(
      mix.byStatus,
    )
      .map(([k, n]) => `${n.toLocaleString('en')} ${k}`)
      .join(
        ', ',
      )}, ${mix.closedLate.toLocaleString('en')} of the closed ones late, ${mix.rated.toLocaleString('en')} rated, ${mix.overdueOpen.toLocaleString('en')} open and overdue; ${seeded ? `seeded in ${seeded.seconds} s, ${seeded.transitions.toLocaleString('en')} transitions` : 'database reused from bench/.cache'}). The receptionist's inbox holds ${inboxSize.toLocaleString('en')} tasks. Times are one request after another through the real HTTP tRPC client, server in the same process.`,
    '',
    '| request | runs | p50 ms | p95 ms | max ms | target p95 |',
    '| --- | --- | --- | --- | --- | --- |',
    row(
      'inbox first page (`tasks.inbox`, 50 rows)',
      results.inboxFirstPage,
      targets.inboxFirstPage,
    ),
    row('inbox, overdue only (`dueState: overdue`)', results.inboxOverdueFirstPage),
    row('case list first page (`cases.list`, 50 rows)', results.caseListFirstPage),
    row(`inbox page 1 of ${PAGE} rows`, results.inboxPage1),
    row(
      `inbox page ${deepPage} of ${PAGE} rows (by cursor; ${out.targets.inboxDeepPageRatio}× page 1, target ≤ 2× ${out.targets.inboxDeepPageMet ? '✅ met' : '❌ not met'})`,
      results.inboxDeepPage,
    ),
    row(`case list page 1 of ${PAGE} rows`, results.caseListPage1),
    row(
      `case list page ${caseCursors.length} of ${PAGE} rows (by cursor)`,
      results.caseListDeepPage,
    ),
    row('county KPIs (`stats.summary`)', results.statsSummary),
    row(
      'county dashboard load (summary + byJurisdiction + 8-week trend + overdue list)',
      results.dashboardLoad,
      targets.dashboardLoad,
    ),
    row('city dashboard load (Jiangmen: the same four requests)', results.cityDashboardLoad),
    row(
      `full-text search (\`cases.search\`, 50 rows; ${SEARCH_WORDS.join(' / ')} in turn)`,
      results.fullTextSearch,
      targets.fullTextSearch,
    ),
    row('full-text search as the province (both counties)', results.fullTextSearchCity),
    row('search by petitioner phone (keyed hash)', results.petitionerSearch),
    '',
  ].join('\n');
  writeFileSync(join(dir, 'workbench.md'), md);
  console.log(md);
}

await main();
