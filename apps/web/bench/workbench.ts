// `pnpm bench` (web package, after the designer bench): with BENCH_CASES (default
// 100,000) cases in a SQLite database, the time the workbench inbox's first page
// and the county dashboard take through the real HTTP tRPC API (p50/p95).
// Cases are written through the store (the same transaction as a registration,
// without HTTP) with creation times spread over the last 180 days, two counties,
// all channels and colours. Every case is open at its first step, so the
// receptionist's inbox holds ~50,000 claimable tasks: a worst case for the inbox.
// Results: bench/results/workbench.{json,md}.
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openStore, startServer } from '../../server/src/app';
import { configFromEnv } from '../../server/src/config';
import { silentLogger } from '../../server/src/log';
import { client } from '../../server/test/server-helpers';

const CASES = Number(process.env.BENCH_CASES ?? 100_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 40);
const here = fileURLToPath(new URL('.', import.meta.url));
const folder = resolve(here, '../../../templates/four-colour-triage');
const read = (f: string) => JSON.parse(readFileSync(join(folder, f), 'utf8'));
const PASSWORD = 'bench-password-1';
const CHANNELS = ['visit', 'letter', 'phone', 'hotline', 'grid', 'online'] as const;
const COLOURS = ['red', 'yellow', 'blue', 'green'] as const;
const CATEGORIES = ['labour', 'housing', 'land', 'legal', 'agriculture', 'other'];

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
  const dataDir = mkdtempSync(join(tmpdir(), 'lianxin-workbench-bench-'));
  const config = configFromEnv({ LIANXIN_DATA_DIR: dataDir, PORT: '0', HOST: '127.0.0.1' });
  // A movable clock: each case is created at its own instant in the last 180 days.
  let now = new Date();
  const store = await openStore(config, { clock: { now: () => now } });
  for (const [code, name, level, parent] of [
    ['440000', '广东省', 'province', null],
    ['440700', '江门市', 'city', '440000'],
    ['440781', '台山市', 'county', '440700'],
    ['440783', '开平市', 'county', '440700'],
  ] as const)
    await store.upsertJurisdiction({ code, name: { 'zh-CN': name }, level, parent });
  for (const [username, jurisdiction, role] of [
    ['guangdong-admin', '440000', 'admin'],
    ['taishan-admin', '440781', 'admin'],
    ['taishan-receptionist', '440781', 'receptionist'],
    ['taishan-leader', '440781', 'leader'],
  ] as const)
    await store.createUser({
      username,
      displayName: username,
      password: PASSWORD,
      memberships: [{ jurisdiction, role }],
    });
  let running = await startServer(store, config, silentLogger, { scheduler: false });
  const province = client(running.url);
  await province.auth.login.mutate({ username: 'guangdong-admin', password: PASSWORD });
  await province.templates.publish.mutate({
    manifest: read('template.json'),
    flow: read('flow.json'),
    forms: readdirSync(join(folder, 'forms')).map((f) => read(`forms/${f}`)),
    readme: '# bench',
  } as never);
  const admin = client(running.url);
  await admin.auth.login.mutate({ username: 'taishan-admin', password: PASSWORD });
  const { flowId } = await admin.templates.adopt.mutate({
    templateKey: 'four-colour-triage',
    version: 1,
    jurisdiction: '440781',
  });
  const { version } = await admin.flows.publish.mutate({ flowId });

  const t0 = performance.now();
  const end = Date.now();
  for (let i = 0; i < CASES; i++) {
    now = new Date(end - Math.floor(((CASES - i) / CASES) * 180 * 86_400_000));
    await store.startCase({
      flowId,
      version,
      command: {
        type: 'case.start',
        channel: CHANNELS[i % CHANNELS.length] as 'visit',
        jurisdiction: i % 2 ? '440783' : '440781',
        urgency: COLOURS[i % 4] as 'red',
        data: {
          petitioner: { name: '测试', phone: '13800138000' },
          category: CATEGORIES[i % CATEGORIES.length],
          summary: `基准测试事项 ${i}`,
        },
      },
    });
    if (i % 10_000 === 9_999)
      console.log(`${i + 1} cases, ${Math.round((i + 1) / ((performance.now() - t0) / 1000))}/s`);
  }
  now = new Date();
  const seedSeconds = Math.round((performance.now() - t0) / 100) / 10;
  // A fresh server: the set-up clients' idle keep-alive sockets are long closed.
  await running.close(); // also closes the database
  running = await startServer(await openStore(config), config, silentLogger, {
    scheduler: false,
  });

  const desk = client(running.url);
  await desk.auth.login.mutate({ username: 'taishan-receptionist', password: PASSWORD });
  const leader = client(running.url);
  await leader.auth.login.mutate({ username: 'taishan-leader', password: PASSWORD });
  const from = new Date(Date.UTC(new Date().getUTCFullYear() - 1, 0, 1)).toISOString();
  const to = new Date(Date.now() + 86_400_000).toISOString();
  const period = { jurisdiction: '440781', from, to };
  const week = 7 * 86_400_000;
  const inboxSize = (await desk.tasks.inbox.query({ limit: 500 })).length;

  const results = {
    inboxFirstPage: await time(RUNS, () => desk.tasks.inbox.query({ limit: 50 })),
    caseListFirstPage: await time(RUNS, () => desk.cases.list.query({ limit: 50 })),
    statsSummary: await time(Math.max(5, RUNS / 4), () => leader.stats.summary.query(period)),
    // What the dashboard page requests when it opens (issued together, as the page does).
    dashboardLoad: await time(Math.max(5, RUNS / 4), () =>
      Promise.all([
        leader.stats.summary.query(period),
        leader.stats.byJurisdiction.query(period),
        ...Array.from({ length: 8 }, (_, i) =>
          leader.stats.summary.query({
            jurisdiction: '440781',
            from: new Date(Date.now() - (8 - i) * week).toISOString(),
            to: new Date(Date.now() - (7 - i) * week).toISOString(),
          }),
        ),
        leader.cases.list.query({
          jurisdiction: '440781',
          status: ['active'],
          overdue: true,
          limit: 100,
        }),
      ]),
    ),
  };
  await running.close();
  rmSync(dataDir, { recursive: true, force: true });

  const targets = { inboxFirstPage: 100, dashboardLoad: 500 };
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
    casesPerCounty: CASES / 2,
    openInboxTasksForReceptionist: `${inboxSize}${inboxSize === 500 ? '+' : ''} (limit 500 shown)`,
    seedSeconds,
    results,
    targets: {
      inboxFirstPageP95ms: targets.inboxFirstPage,
      dashboardLoadP95ms: targets.dashboardLoad,
      inboxMet: results.inboxFirstPage.p95ms < targets.inboxFirstPage,
      dashboardMet: results.dashboardLoad.p95ms < targets.dashboardLoad,
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
    `${CASES.toLocaleString('en')} cases (SQLite, two counties, created over 180 days, every case open at its first step; seeded in ${seedSeconds} s). Times are one request after another through the real HTTP tRPC client, server in the same process.`,
    '',
    '| request | runs | p50 ms | p95 ms | max ms | target p95 |',
    '| --- | --- | --- | --- | --- | --- |',
    row(
      'inbox first page (`tasks.inbox`, 50 rows)',
      results.inboxFirstPage,
      targets.inboxFirstPage,
    ),
    row('case list first page (`cases.list`, 50 rows)', results.caseListFirstPage),
    row('county KPIs (`stats.summary`)', results.statsSummary),
    row(
      'county dashboard load (summary + byJurisdiction + 8 weekly summaries + overdue list)',
      results.dashboardLoad,
      targets.dashboardLoad,
    ),
    '',
  ].join('\n');
  writeFileSync(join(dir, 'workbench.md'), md);
  console.log(md);
}

await main();
