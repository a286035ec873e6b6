// Case transitions per second with two server processes on one PostgreSQL
// database against one, in the same run: the same clients claim and release
// their own cases through one server, then spread over two, interleaved
// BENCH_REPEATS times; the median of each and their ratio go to
// bench/results/two-servers.{json,md}. Run: pnpm --filter @lianxin/server exec tsx bench/two-servers.ts
// The ratio says what a second server adds on THIS machine: with both servers,
// PostgreSQL and the clients sharing its cores, it cannot show what two
// machines would.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createTestDatabase, Store, Vault } from '@lianxin/store';
import { flow, freePort, PASSWORD, seedBasics, spawnServer } from '../test/server-helpers';
import { benchClient, keepAliveAgent } from './transport';

const CLIENTS = Number(process.env.BENCH_CLIENTS ?? 20);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 3);
const REPEATS = Number(process.env.BENCH_REPEATS ?? 3);
const CASES_PER_CLIENT = 4;

/** CPU milliseconds a process has used so far (Linux /proc, 10 ms ticks), or NaN elsewhere. */
function processCpuMs(pid: number | undefined): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return Number.NaN;
  }
}

interface Run {
  servers: 1 | 2;
  requests: number;
  perSecond: number;
  p50ms: number;
  p99ms: number;
  errors: number;
  serverCpuMsPerRequest: number;
}

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;

const test = await createTestDatabase('pg');
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
const cases: { caseId: string; taskId: string }[] = [];
for (let i = 0; i < CLIENTS * CASES_PER_CLIENT; i++) {
  const s = await store.startCase({
    flowId: saved.id,
    version: 1,
    command: {
      type: 'case.start',
      channel: 'visit',
      data: { summary: `两台服务器基准事项 ${i}` },
      actor: { id: 'seed', roles: ['receptionist'], jurisdiction: '440781' },
    },
  });
  cases.push({ caseId: s.caseId, taskId: s.state.tasks[0]?.id ?? '' });
}
await test.database.close();

const env = (dataDir: string) => ({
  DATABASE_URL: test.url,
  LIANXIN_KEY: key,
  LIANXIN_DATA_DIR: dataDir,
  LIANXIN_LOG_LEVEL: 'info',
  LIANXIN_SCHEDULER_MS: '60000',
});
const ports = [await freePort(), await freePort()];
const processes = await Promise.all(
  ports.map((port) => spawnServer(env(mkdtempSync(join(tmpdir(), 'lianxin-two-bench-'))), port)),
);
const urls = ports.map((port) => `http://127.0.0.1:${port}`);
const agent = keepAliveAgent();
// One session per client, signed in once; a session is good on either server.
const clientsOn = urls.map(() => [] as ReturnType<typeof benchClient>[]);
for (const [s, url] of urls.entries())
  for (let c = 0; c < CLIENTS; c++) {
    const client = benchClient(url, 'http', agent);
    await client.auth.login.mutate({ username: 'receptionist', password: PASSWORD });
    clientsOn[s]?.push(client);
  }
const claimed = new Map<string, boolean>();

/** Every client claims and releases its own cases for SECONDS, through one server or spread over two. */
async function measure(servers: 1 | 2): Promise<Run> {
  const latencies: number[] = [];
  let errors = 0;
  const pids = servers === 1 ? [processes[0]?.pid] : processes.map((p) => p.pid);
  const cpu0 = pids.map(processCpuMs);
  const until = performance.now() + SECONDS * 1000;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: CLIENTS }, async (_, c) => {
      const client = clientsOn[servers === 1 ? 0 : c % 2]?.[c];
      for (let i = 0; client && performance.now() < until; i++) {
        const target = cases[c * CASES_PER_CLIENT + (i % CASES_PER_CLIENT)];
        if (!target) break;
        const held = claimed.get(target.taskId) ?? false;
        const t0 = performance.now();
        try {
          await client.cases.act.mutate({
            caseId: target.caseId,
            command: { type: held ? 'task.release' : 'task.claim', taskId: target.taskId },
          });
          claimed.set(target.taskId, !held);
          latencies.push(performance.now() - t0);
        } catch {
          errors++;
        }
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  const cpu = pids.reduce<number>((sum, pid, i) => sum + processCpuMs(pid) - (cpu0[i] ?? 0), 0);
  latencies.sort((a, b) => a - b);
  const run: Run = {
    servers,
    requests: latencies.length,
    perSecond: Math.round(latencies.length / seconds),
    p50ms: Math.round(percentile(latencies, 50) * 100) / 100,
    p99ms: Math.round(percentile(latencies, 99) * 100) / 100,
    errors,
    serverCpuMsPerRequest: Math.round((cpu / Math.max(1, latencies.length)) * 1000) / 1000,
  };
  console.log(JSON.stringify(run));
  return run;
}

const load = () => loadavg().map((l) => Math.round(l * 100) / 100);
const loadBefore = load();
const runs: Run[] = [];
try {
  await measure(2); // warm-up: JIT, pools and caches of both servers
  for (let r = 0; r < REPEATS; r++) runs.push(await measure(1), await measure(2));
} finally {
  agent.destroy();
  for (const p of processes) p.kill('SIGTERM');
  await Promise.all(processes.map((p) => new Promise((r) => p.once('exit', r))));
  await test.drop();
}
const median = (n: 1 | 2) => {
  const sorted = runs.filter((r) => r.servers === n).sort((a, b) => a.perSecond - b.perSecond);
  return sorted[Math.floor(sorted.length / 2)] as Run;
};
const one = median(1);
const two = median(2);
const ratio = Math.round((two.perSecond / one.perSecond) * 100) / 100;
const machine = {
  cpus: cpus().length,
  cpu: cpus()[0]?.model ?? 'unknown',
  node: process.version,
  clients: CLIENTS,
  secondsPerRun: SECONDS,
  repeats: REPEATS,
  loadAverageBefore: loadBefore,
  loadAverageAfter: load(),
};
const results = { date: new Date().toISOString(), machine, ratio, one, two, runs };
const out = fileURLToPath(new URL('./results/', import.meta.url));
writeFileSync(join(out, 'two-servers.json'), `${JSON.stringify(results, null, 2)}\n`);
writeFileSync(
  join(out, 'two-servers.md'),
  [
    `# Two servers on one PostgreSQL (${results.date})`,
    '',
    `${CLIENTS} clients claim and release their own cases (cases.act over real HTTP), through one server process, then spread over two on the same database; ${REPEATS} interleaved runs of ${SECONDS} s each, the median shown. Machine: ${machine.cpus} × ${machine.cpu}, Node ${machine.node}; load average (1/5/15 min) ${loadBefore.join(' / ')} before, ${machine.loadAverageAfter.join(' / ')} after (shared with other work). Both servers, PostgreSQL and the clients share these cores, so the ratio is what a second process adds here, not what a second machine would.`,
    '',
    '| servers | transitions/s | p50 ms | p99 ms | errors | server CPU ms/transition |',
    '| --- | --- | --- | --- | --- | --- |',
    ...[one, two].map(
      (r) =>
        `| ${r.servers} | ${r.perSecond} | ${r.p50ms} | ${r.p99ms} | ${r.errors} | ${r.serverCpuMsPerRequest} |`,
    ),
    '',
    `Ratio two servers / one: **${ratio}** (the issue's goal, on separate machines: ≥ 1.6).`,
    '',
  ].join('\n'),
);
