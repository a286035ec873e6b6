// A transition on a case with a long history (issue 18, small case state): a
// claim and a release of the case's open task, on a case with 10, 1,000 and
// 5,000 comments, on SQLite and PostgreSQL.
// Run: cd packages/store && npx tsx bench/comments.ts [runs] [sizes] (or `pnpm bench`;
// BENCH_DIALECTS=pg for one database)
//
// One real case of the test flow per size gathers its comments through
// `store.act` (as staff add them); then the claim and the release of each
// case's task are timed `runs` times each, the sizes in turns (after 300
// pairs on another case, to warm up): the median wall time and the median CPU time of the
// process (the database's own work on PostgreSQL is in another process, so
// the wall time is the figure to compare there). Writes bench/results/comments.{json,md}.
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import type { Dialect } from '../src';
import { receptionist, setupStore, startCommand } from '../test/helpers';

const RUNS = Number(process.argv[2] ?? 101);
const SIZES = (process.argv[3] ?? '10,1000,5000').split(',').map(Number);

function median(xs: number[]): number {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] as number;
}

async function bench(dialect: Dialect) {
  const { store, flowId, test } = await setupStore(dialect);
  try {
    // Warm up on another case first, so the first size is not timed while the code is cold.
    const warm = await store.startCase({ flowId, version: 1, command: startCommand() });
    const warmTask = (await store.caseRow(warm.caseId))?.state.tasks[0]?.id ?? '';
    for (let i = 0; i < 300; i++)
      for (const type of ['task.claim', 'task.release'] as const)
        await store.act(warm.caseId, { type, taskId: warmTask, actor: receptionist });
    // One case per size; the sizes are timed in turns, so a change of load
    // beside the bench (two cores, a CI run) falls on every size alike.
    const cases: { size: number; caseId: string; taskId: string; fillMs: number }[] = [];
    for (const size of SIZES) {
      const { caseId } = await store.startCase({ flowId, version: 1, command: startCommand() });
      const taskId = (await store.caseRow(caseId))?.state.tasks[0]?.id ?? '';
      const fill = performance.now();
      for (let n = 0; n < size; n++)
        await store.act(caseId, {
          type: 'case.comment',
          text: `第 ${n + 1} 条批注：已电话联系信访人，约定下周二上门核实情况`,
          actor: receptionist,
        });
      const fillMs = performance.now() - fill;
      console.error(`${dialect}: ${size} comments added in ${(fillMs / 1000).toFixed(1)} s`);
      cases.push({ size, caseId, taskId, fillMs });
    }
    const wall = new Map<number, number[]>(SIZES.map((s) => [s, []]));
    const cpu = new Map<number, number[]>(SIZES.map((s) => [s, []]));
    for (let i = 0; i < RUNS + 1; i++)
      for (const { size, caseId, taskId } of cases)
        for (const type of ['task.claim', 'task.release'] as const) {
          const c = process.cpuUsage();
          const t = performance.now();
          await store.act(caseId, { type, taskId, actor: receptionist });
          const ms = performance.now() - t;
          const used = process.cpuUsage(c);
          // The first turn reads each case's rows into the caches.
          if (i === 0) continue;
          wall.get(size)?.push(ms);
          cpu.get(size)?.push((used.user + used.system) / 1000);
        }
    const rows: {
      comments: number;
      wall: number;
      cpu: number;
      stateKb: number;
      fillS: number;
    }[] = [];
    for (const { size, caseId, fillMs } of cases) {
      const row = await store.caseRow(caseId);
      rows.push({
        comments: size,
        wall: median(wall.get(size) ?? []),
        cpu: median(cpu.get(size) ?? []),
        stateKb: Buffer.byteLength(JSON.stringify(row?.state)) / 1024,
        fillS: fillMs / 1000,
      });
    }
    return rows;
  } finally {
    await test.drop();
  }
}

const lines: string[] = [];
const result: Record<string, unknown>[] = [];
for (const dialect of (process.env.BENCH_DIALECTS ?? 'sqlite,pg').split(',') as Dialect[]) {
  const rows = await bench(dialect);
  const base = rows[0] as (typeof rows)[number];
  for (const r of rows) {
    result.push({ dialect, ...r, wallRatio: r.wall / base.wall, cpuRatio: r.cpu / base.cpu });
    lines.push(
      `| ${dialect} | ${r.comments} | ${r.wall.toFixed(3)} | ${r.cpu.toFixed(3)} | ${r.stateKb.toFixed(1)} | ${(r.wall / base.wall).toFixed(2)}× | ${(r.cpu / base.cpu).toFixed(2)}× | ${r.fillS.toFixed(1)} |`,
    );
  }
}
const load = loadavg().map((l) => l.toFixed(2));
const markdown = [
  `# A transition on a case with many comments (${new Date().toISOString().slice(0, 10)})`,
  '',
  `Node ${process.version}, ${cpus().length} cores, load average ${load.join(' ')}; claim and release, median of ${RUNS * 2} transitions a size, sizes in turns. \`npx tsx bench/comments.ts\`; no thresholds.`,
  '',
  '| database | comments | wall ms | CPU ms | state KB | wall vs first | CPU vs first | adding the comments, s |',
  '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
  ...lines,
  '',
].join('\n');
const dir = join(import.meta.dirname, 'results');
mkdirSync(dir, { recursive: true });
writeFileSync(
  join(dir, 'comments.json'),
  `${JSON.stringify({ node: process.version, cores: cpus().length, load: load.join(' '), runs: RUNS, result }, null, 2)}\n`,
);
writeFileSync(join(dir, 'comments.md'), markdown);
console.log(markdown);
