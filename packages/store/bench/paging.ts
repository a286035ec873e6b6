// Keyset paging (issue 18): the inbox's and the case list's page 1 and page 100
// (12 rows a page, as the workbench pages), on SQLite and PostgreSQL.
// Run: cd packages/store && npx tsx bench/paging.ts [copies] [runs]
//
// Starts six real cases of the test flow (each opens a task the county's
// receptionists may claim), then copies the cases and their tasks `copies`
// times in SQL (ids suffixed, creation times and deadlines shifted a minute a
// copy), so the receptionist's inbox holds 6 × (copies + 1) tasks. Page 100 is
// read with the cursor a reader holds after paging on from page 1.
import { cpus, loadavg } from 'node:os';
import pg from 'pg';
import type { CaseKey, Dialect, InboxKey } from '../src';
import { setupStore, startCommand } from '../test/helpers';

const COPIES = Number(process.argv[2] ?? 2000);
const RUNS = Number(process.argv[3] ?? 30);
const PAGE = 12;
const DEEP = 100;

const KEYS = new Set(['id', 'case_id', 'tracking_code']);

async function median(fn: () => Promise<unknown>): Promise<number> {
  await fn();
  const ms: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const t = performance.now();
    await fn();
    ms.push(performance.now() - t);
  }
  ms.sort((a, b) => a - b);
  return Math.round((ms[Math.floor(ms.length / 2)] ?? 0) * 10) / 10;
}

async function run(dialect: Dialect) {
  const s = await setupStore(dialect);
  const store = s.store;
  for (let i = 0; i < 6; i++) {
    await store.startCase({
      flowId: s.flowId,
      version: 1,
      command: { ...startCommand(`第 ${i} 件：村道路灯损坏多日`), urgency: i % 2 ? 'red' : 'blue' },
    });
    s.clock.advance(3_600_000);
  }
  const grow = async (
    exec: (text: string) => Promise<unknown>,
    columns: (t: string) => Promise<string[]>,
  ) => {
    for (const table of ['cases', 'tasks']) {
      const cols = await columns(table);
      const values = cols.map((c) =>
        KEYS.has(c)
          ? `"${c}" || '-' || g.n`
          : c === 'created_at_ms' || c === 'due_ms'
            ? `"${c}" + g.n * 60000`
            : `"${c}"`,
      );
      await exec(
        `insert into ${table} (${cols.map((c) => `"${c}"`).join(', ')}) select ${values.join(', ')} from ${table}, g`,
      );
    }
  };
  const t0 = performance.now();
  if (dialect === 'sqlite') {
    const db = store.database.sqlite;
    if (!db) throw new Error('no SQLite handle');
    await grow(
      async (text) =>
        db.exec(
          `with recursive g(n) as (select 1 union all select n + 1 from g where n < ${COPIES}) ${text}`,
        ),
      async (t) =>
        (db.prepare(`pragma table_info(${t})`).all() as { name: string }[]).map((r) => r.name),
    );
    db.exec('analyze');
  } else {
    const client = new pg.Client({ connectionString: s.test.url });
    await client.connect();
    await grow(
      (text) =>
        client.query(
          text
            .replace(' from ', ' from ')
            .replace(/, g$/, `, generate_series(1, ${COPIES}) as g(n)`),
        ),
      async (t) =>
        (
          await client.query<{ column_name: string }>(
            `select column_name from information_schema.columns
             where table_schema = 'public' and table_name = $1 and is_generated = 'NEVER'
             order by ordinal_position`,
            [t],
          )
        ).rows.map((r) => r.column_name),
    );
    await client.query('analyze');
    await client.end();
  }
  const grown = Math.round(performance.now() - t0);
  const desk = {
    userId: 'u-desk',
    memberships: [{ jurisdiction: '440781', role: 'receptionist', department: null }],
  };
  let after: InboxKey | undefined;
  for (let page = 1; page < DEEP; page++) {
    const r = await store.inbox(desk, { limit: PAGE, ...(after ? { after } : {}) });
    after = r.next ?? after;
  }
  let caseAfter: CaseKey | undefined;
  for (let page = 1; page < DEEP; page++) {
    const r = await store.listCases({
      jurisdictions: ['440781'],
      limit: PAGE,
      ...(caseAfter ? { after: caseAfter } : {}),
    });
    caseAfter = r.next ?? caseAfter;
  }
  const first = await store.inbox(desk, { limit: PAGE });
  const result = {
    dialect,
    tasks: 6 * (COPIES + 1),
    grownMs: grown,
    count: first.more ? `${first.total}+` : first.total,
    inboxPage1: await median(() => store.inbox(desk, { limit: PAGE })),
    inboxPage100: await median(() => store.inbox(desk, { limit: PAGE, after })),
    inboxNewestPage1: await median(() => store.inbox(desk, { limit: PAGE, sort: 'newest' })),
    casesPage1: await median(() => store.listCases({ jurisdictions: ['440781'], limit: PAGE })),
    casesPage100: await median(() =>
      store.listCases({ jurisdictions: ['440781'], limit: PAGE, after: caseAfter }),
    ),
  };
  await s.test.drop();
  return result;
}

const results = [];
for (const dialect of ['sqlite', 'pg'] as Dialect[]) results.push(await run(dialect));
console.log(
  `${new Date().toISOString()} · ${cpus().length} × ${cpus()[0]?.model} · load ${loadavg()
    .map((x) => x.toFixed(2))
    .join(' ')} · ${RUNS} runs, medians in ms, ${PAGE} rows a page`,
);
for (const r of results)
  console.log(
    `${r.dialect}: ${r.tasks} tasks (count ${r.count}; grown in ${r.grownMs} ms): inbox page 1 ${r.inboxPage1}, page ${DEEP} ${r.inboxPage100} (${(r.inboxPage100 / r.inboxPage1).toFixed(2)}×), newest page 1 ${r.inboxNewestPage1}; cases page 1 ${r.casesPage1}, page ${DEEP} ${r.casesPage100} (${(r.casesPage100 / r.casesPage1).toFixed(2)}×)`,
  );
process.exit(0);
