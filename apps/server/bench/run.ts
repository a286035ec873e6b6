// `pnpm bench`: case transitions per second through HTTP (real tRPC client:
// session, load, engine, one transaction) at 1 / 10 / 50 clients, on SQLite
// and PostgreSQL, beside two ceilings measured in the same run: an empty
// tRPC procedure on the same server, and raw better-sqlite3 writing the same
// rows one transaction each. Results: bench/results/latest.{json,md}.
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createTestDatabase, type Dialect, Store, Vault } from '@lianxin/store';
import BetterSqlite3 from 'better-sqlite3';
import { flow, freePort, PASSWORD, seedBasics, spawnServer } from '../test/server-helpers';
import { benchClient, keepAliveAgent, type Transport } from './transport';

const LEVELS = (process.env.BENCH_LEVELS ?? '1,10,50').split(',').map(Number);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 3);
/** Each measurement is repeated, interleaved, and the median run reported: the machine is shared. */
const REPEATS = Number(process.env.BENCH_REPEATS ?? 3);
const CASES_PER_CLIENT = 4;
/** `http`: the tRPC client's fetch is a small one over node:http (keep-alive); `fetch`: Node's global fetch (undici). */
const TRANSPORT: Transport = process.env.BENCH_TRANSPORT === 'fetch' ? 'fetch' : 'http';
const TRANSPORT_TEXT =
  TRANSPORT === 'http'
    ? 'real tRPC client (@trpc/client httpLink) over real HTTP, its fetch a small one over node:http with a keep-alive Agent (bench/transport.ts), one session each'
    : "real tRPC client (@trpc/client httpLink) over real HTTP with Node's global fetch (undici), one session each";
const CLOCK_TICK_MS = (() => {
  try {
    return 1000 / Number(execFileSync('getconf', ['CLK_TCK']).toString().trim());
  } catch {
    return 10;
  }
})();

/** CPU milliseconds a process has used so far (Linux /proc), or NaN elsewhere. */
function processCpuMs(pid: number | undefined): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) * CLOCK_TICK_MS;
  } catch {
    return Number.NaN;
  }
}
function ownCpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

interface Run {
  name: string;
  dialect: Dialect | 'raw';
  clients: number;
  requests: number;
  seconds: number;
  perSecond: number;
  p50ms: number;
  p99ms: number;
  errors: number;
  /** CPU time per request of the server process and of the bench (client) process, in ms. */
  serverCpuMs?: number;
  clientCpuMs?: number;
  /** Requests per second of every repetition; the row shows the median one. */
  repeats?: number[];
}

function median(runs: Run[]): Run {
  const sorted = [...runs].sort((a, b) => a.perSecond - b.perSecond);
  const mid = sorted[Math.floor(sorted.length / 2)] as Run;
  return { ...mid, repeats: runs.map((r) => r.perSecond) };
}

function percentile(sorted: number[], p: number): number {
  if (!sorted.length) return 0;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] as number;
}

/** Runs `op` from `clients` loops for SECONDS; latency of every call. */
async function measure(
  name: string,
  dialect: Run['dialect'],
  clients: number,
  op: (client: number, i: number) => Promise<unknown>,
  serverPid?: number,
): Promise<Run> {
  const latencies: number[] = [];
  let errors = 0;
  const until = performance.now() + SECONDS * 1000;
  const serverCpu0 = processCpuMs(serverPid);
  const clientCpu0 = ownCpuMs();
  const started = performance.now();
  await Promise.all(
    Array.from({ length: clients }, async (_, c) => {
      for (let i = 0; performance.now() < until; i++) {
        const t0 = performance.now();
        try {
          await op(c, i);
          latencies.push(performance.now() - t0);
        } catch {
          errors++;
        }
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  const serverCpu = processCpuMs(serverPid) - serverCpu0;
  const clientCpu = ownCpuMs() - clientCpu0;
  latencies.sort((a, b) => a - b);
  const perRequest = (ms: number) =>
    latencies.length && Number.isFinite(ms)
      ? Math.round((ms / latencies.length) * 1000) / 1000
      : undefined;
  const run: Run = {
    name,
    dialect,
    clients,
    requests: latencies.length,
    seconds: Math.round(seconds * 100) / 100,
    perSecond: Math.round(latencies.length / seconds),
    p50ms: Math.round(percentile(latencies, 50) * 100) / 100,
    p99ms: Math.round(percentile(latencies, 99) * 100) / 100,
    errors,
    serverCpuMs: perRequest(serverCpu),
    clientCpuMs: perRequest(clientCpu),
  };
  console.log(JSON.stringify(run));
  return run;
}

async function benchDialect(dialect: Dialect): Promise<Run[]> {
  const test = await createTestDatabase(dialect);
  const key = randomBytes(32).toString('hex');
  const store = new Store(test.database, new Vault(Buffer.from(key, 'hex')));
  await seedBasics(store);
  const saved = await store.saveDraft({
    jurisdiction: '440781',
    key: flow.key,
    name: { 'zh-CN': '基准' },
    draft: flow,
    by: null,
  });
  await store.publish(saved.id, null);
  const maxClients = Math.max(...LEVELS);
  // Each client works its own cases: claim, release, claim, … on the review task.
  const cases: { caseId: string; taskId: string }[] = [];
  const actor = { id: 'seed', roles: ['receptionist'], jurisdiction: '440781' };
  for (let i = 0; i < maxClients * CASES_PER_CLIENT; i++) {
    const s = await store.startCase({
      flowId: saved.id,
      version: 1,
      command: {
        type: 'case.start',
        channel: 'visit',
        data: { summary: `基准测试事项 ${i}` },
        actor,
      },
    });
    cases.push({ caseId: s.caseId, taskId: s.state.tasks[0]?.id ?? '' });
  }
  if (dialect === 'sqlite') await test.database.close();
  const port = await freePort();
  const dataDir = mkdtempSync(join(tmpdir(), 'lianxin-bench-'));
  // BENCH_PROFILE=<dir> writes a CPU profile of the server process there.
  const profile = process.env.BENCH_PROFILE
    ? ['--cpu-prof', '--cpu-prof-dir', process.env.BENCH_PROFILE]
    : [];
  const server = await spawnServer(
    {
      DATABASE_URL: test.url,
      LIANXIN_KEY: key,
      LIANXIN_DATA_DIR: dataDir,
      LIANXIN_LOG_LEVEL: 'info',
      LIANXIN_SCHEDULER_MS: '60000',
    },
    port,
    profile,
  );
  const url = `http://127.0.0.1:${port}`;
  const agent = keepAliveAgent();
  // One after another: all from one address, 50 sign-ins at once would meet the
  // sign-in limit (10 unfinished attempts per address), as a burst from one NAT would.
  const clients: ReturnType<typeof benchClient>[] = [];
  for (let i = 0; i < maxClients; i++) {
    const c = benchClient(url, TRANSPORT, agent);
    await c.auth.login.mutate({ username: 'receptionist', password: PASSWORD });
    clients.push(c);
  }
  const runs: Run[] = [];
  const claimed = new Map<string, boolean>();
  const transition = (c: number, i: number) => {
    const target = cases[c * CASES_PER_CLIENT + (i % CASES_PER_CLIENT)] as (typeof cases)[number];
    const held = claimed.get(target.taskId) ?? false;
    claimed.set(target.taskId, !held);
    return (clients[c] as (typeof clients)[number]).cases.act.mutate({
      caseId: target.caseId,
      command: { type: held ? 'task.release' : 'task.claim', taskId: target.taskId },
    });
  };
  try {
    // Warm-up: JIT, connection pools, definition cache.
    await measure('warmup', dialect, 10, transition, server.pid).catch(() => undefined);
    const rounds = new Map<string, Run[]>();
    const keep = (run: Run) => {
      const key = `${run.name}@${run.clients}`;
      rounds.set(key, [...(rounds.get(key) ?? []), run]);
    };
    for (let r = 0; r < REPEATS; r++) {
      for (const n of LEVELS) {
        keep(await measure('transition', dialect, n, transition, server.pid));
      }
      for (const n of process.env.BENCH_SKIP_EMPTY ? [] : LEVELS) {
        keep(
          await measure(
            'empty procedure',
            dialect,
            n,
            (c) => (clients[c] as (typeof clients)[number]).health.query(),
            server.pid,
          ),
        );
      }
    }
    for (const list of rounds.values()) runs.push(median(list));
  } finally {
    agent.destroy();
    server.kill('SIGTERM');
    await new Promise((r) => server.once('exit', r));
    await test.drop();
  }
  return runs;
}

/** The same rows (event insert, case row update, task row update) straight into better-sqlite3. */
function rawSqlite(): Run {
  const dir = mkdtempSync(join(tmpdir(), 'lianxin-raw-'));
  const db = new BetterSqlite3(join(dir, 'raw.db'));
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.exec(`create table cases (id text primary key, version integer not null, state text not null, updated_at text not null);
    create table events (case_id text not null, seq integer not null, type text not null, at text not null, by text, body text not null, primary key (case_id, seq));
    create table tasks (id text primary key, case_id text not null, assignee text)`);
  const state = JSON.stringify({ ...flow, padding: 'x'.repeat(1500) }).slice(0, 3000);
  db.prepare('insert into cases values (?, 0, ?, ?)').run('c1', state, new Date().toISOString());
  db.prepare('insert into tasks values (?, ?, null)').run('t1', 'c1');
  const update = db.prepare(
    'update cases set version = ?, state = ?, updated_at = ? where id = ? and version = ?',
  );
  const insert = db.prepare('insert into events values (?, ?, ?, ?, ?, ?)');
  const task = db.prepare('update tasks set assignee = ? where id = ?');
  const apply = db.transaction((v: number) => {
    const at = new Date().toISOString();
    update.run(v, state, at, 'c1', v - 1);
    insert.run(
      'c1',
      v,
      'task.claimed',
      at,
      'u',
      JSON.stringify({ type: 'task.claimed', taskId: 't1', userId: 'u', at }),
    );
    task.run(v % 2 ? 'u' : null, 't1');
  });
  const latencies: number[] = [];
  const until = performance.now() + SECONDS * 1000;
  const started = performance.now();
  for (let v = 1; performance.now() < until; v++) {
    const t0 = performance.now();
    apply(v);
    latencies.push(performance.now() - t0);
  }
  const seconds = (performance.now() - started) / 1000;
  db.close();
  latencies.sort((a, b) => a - b);
  const run: Run = {
    name: 'raw better-sqlite3',
    dialect: 'raw',
    clients: 1,
    requests: latencies.length,
    seconds: Math.round(seconds * 100) / 100,
    perSecond: Math.round(latencies.length / seconds),
    p50ms: Math.round(percentile(latencies, 50) * 1000) / 1000,
    p99ms: Math.round(percentile(latencies, 99) * 1000) / 1000,
    errors: 0,
  };
  console.log(JSON.stringify(run));
  return run;
}

const load = () => loadavg().map((l) => Math.round(l * 100) / 100);
const loadBefore = load();
const runs: Run[] = [median(Array.from({ length: REPEATS }, () => rawSqlite()))];
for (const dialect of ['sqlite', 'pg'] as const) {
  if (dialect === 'pg' && process.env.BENCH_SKIP_PG) continue;
  if (dialect === 'sqlite' && process.env.BENCH_SKIP_SQLITE) continue;
  runs.push(...(await benchDialect(dialect)));
}

const find = (name: string, dialect: string, clients: number) =>
  runs.find((r) => r.name === name && r.dialect === dialect && r.clients === clients);
const at50 = find('transition', 'sqlite', 50);
const empty50 = find('empty procedure', 'sqlite', 50);
const raw = find('raw better-sqlite3', 'raw', 1);
const summary = {
  sqliteTransitionsPerSecondAt50: at50?.perSecond ?? null,
  sqliteP99At50ms: at50?.p99ms ?? null,
  ratioToEmptyProcedure:
    at50 && empty50 ? Math.round((at50.perSecond / empty50.perSecond) * 1000) / 1000 : null,
  ratioToRawSqlite: at50 && raw ? Math.round((at50.perSecond / raw.perSecond) * 1000) / 1000 : null,
  targets: {
    transitionsPerSecondAt50: { target: 2000, met: (at50?.perSecond ?? 0) >= 2000 },
    ratioToEmptyProcedure: {
      target: 0.4,
      met: at50 && empty50 ? at50.perSecond / empty50.perSecond >= 0.4 : false,
    },
    p99At50ms: { target: 50, met: (at50?.p99ms ?? Infinity) < 50 },
  },
};
const machine = {
  cpus: cpus().length,
  cpu: cpus()[0]?.model ?? 'unknown',
  node: process.version,
  secondsPerRun: SECONDS,
  transport: TRANSPORT_TEXT,
  repeats: REPEATS,
  loadAverageBefore: loadBefore,
  loadAverageAfter: load(),
};
const results = { date: new Date().toISOString(), machine, summary, runs };
const out = fileURLToPath(new URL('./results/', import.meta.url));
writeFileSync(join(out, 'latest.json'), `${JSON.stringify(results, null, 2)}\n`);
const rows = runs.map(
  (r) =>
    `| ${r.name} | ${r.dialect} | ${r.clients} | ${r.perSecond} | ${r.p50ms} | ${r.p99ms} | ${r.requests} | ${r.errors} | ${r.serverCpuMs ?? ''} | ${r.clientCpuMs ?? ''} |`,
);
writeFileSync(
  join(out, 'latest.md'),
  [
    `# Server benchmark (${results.date})`,
    '',
    `Each row is the median of ${REPEATS} interleaved runs (requests per second of each run in latest.json).`,
    '',
    `Machine: ${machine.cpus} × ${machine.cpu}, Node ${machine.node}; load average (1/5/15 min) ${machine.loadAverageBefore.join(' / ')} before and ${machine.loadAverageAfter.join(' / ')} after the run (the machine is shared with other work); ${SECONDS} s per run; server in its own process, clients in the bench process (${TRANSPORT_TEXT}). CPU ms per request: the server process's and the bench process's CPU time during the run divided by the requests.`,
    '',
    '| what | database | clients | per second | p50 ms | p99 ms | requests | errors | server CPU ms/req | client CPU ms/req |',
    '| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |',
    ...rows,
    '',
    `SQLite at 50 clients: ${summary.sqliteTransitionsPerSecondAt50} transitions/s (target ≥ 2,000: ${summary.targets.transitionsPerSecondAt50.met ? 'met' : 'NOT met'}), ` +
      `${summary.ratioToEmptyProcedure} of the empty-procedure rate (target ≥ 0.4: ${summary.targets.ratioToEmptyProcedure.met ? 'met' : 'NOT met'}), ` +
      `p99 ${summary.sqliteP99At50ms} ms (target < 50: ${summary.targets.p99At50ms.met ? 'met' : 'NOT met'}); ${summary.ratioToRawSqlite} of raw better-sqlite3.`,
    '',
  ].join('\n'),
);
// Keep the committed results in the repository's format (biome ci checks them).
try {
  execFileSync('npx', ['biome', 'format', '--write', join(out, 'latest.json')], {
    stdio: 'ignore',
  });
} catch {
  // Formatting is cosmetic; the numbers are written either way.
}
