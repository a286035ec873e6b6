// Database size per 1,000 closed cases before and after `lianxin archive`, and
// the archive file's size, on SQLite and PostgreSQL (docs/deploy.md, 归档).
// Run: cd packages/store && npx tsx bench/archive-size.ts [cases]
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import {
  archiveClosedCases,
  checkKeyRing,
  createTestDatabase,
  type Dialect,
  putAttachmentFile,
  Store,
  Vault,
} from '../src';
import flowJson from '../test/fixtures/flow.json' with { type: 'json' };

const CASES = Number(process.argv[2] ?? 1000);
const actor = { id: 'u-rec', roles: ['receptionist'], jurisdiction: '440781' };
const summary = { ...(flowJson.dataSchema.properties.summary as object), 'x-sensitive': 'text' };
const flow = {
  ...flowJson,
  dataSchema: {
    ...flowJson.dataSchema,
    properties: { ...flowJson.dataSchema.properties, summary },
  },
};

const TABLES = ['cases', 'events', 'attachments', 'attachment_files', 'documents', 'case_archives'];

async function size(store: Store, dialect: Dialect, file?: string) {
  const { database } = store;
  if (dialect === 'sqlite') {
    const s = database.sqlite;
    if (!s || !file) throw new Error('sqlite');
    s.pragma('wal_checkpoint(TRUNCATE)');
    const inUse =
      ((s.pragma('page_count', { simple: true }) as number) -
        (s.pragma('freelist_count', { simple: true }) as number)) *
      (s.pragma('page_size', { simple: true }) as number);
    return { file: statSync(file).size, inUse };
  }
  const rows = await database.read((db) =>
    db.execute(
      sql.raw(
        `select sum(pg_total_relation_size(c.oid))::bigint as n from pg_class c where c.relname in (${TABLES.map((t) => `'${t}'`).join(',')}) and c.relkind = 'r'`,
      ),
    ),
  );
  return { tables: Number((rows as unknown as { rows: { n: string }[] }).rows[0]?.n) };
}

async function run(dialect: Dialect) {
  const test = await createTestDatabase(dialect);
  let ms = Date.parse('2024-03-01T02:00:00Z');
  const clock = { now: () => new Date(ms) };
  const vault = new Vault(randomBytes(32));
  await checkKeyRing(test.database, vault, clock);
  const store = new Store(test.database, vault, clock);
  await store.upsertJurisdiction({
    code: '440781',
    name: { 'zh-CN': '台山市' },
    level: 'county',
    parent: null,
  });
  const saved = await store.saveDraft({
    jurisdiction: '440781',
    key: flow.key,
    name: flow.name,
    draft: flow as unknown as Record<string, unknown>,
    by: null,
  });
  await store.publish(saved.id, null);
  for (let i = 0; i < CASES; i++) {
    const { caseId } = await store.startCase({
      flowId: saved.id,
      version: 1,
      command: {
        type: 'case.start',
        channel: 'visit',
        data: { summary: `第 ${i} 件：村道路灯损坏多日无人维修，夜间出行不便，请求尽快修复` },
        actor,
      },
    });
    // One case in ten carries a 20 KB photo.
    if (i % 10 === 0) {
      const bytes = randomBytes(20_000);
      const storagePath = `bench/${i}.jpg`;
      await putAttachmentFile(test.database, storagePath, bytes, clock.now().toISOString());
      await store.attachToCase(
        {
          id: `att-${i}`,
          caseId,
          name: '现场照片.jpg',
          mime: 'image/jpeg',
          size: bytes.length,
          sha256: 'bench',
          storagePath,
          scan: null,
          uploadedBy: null,
        },
        { type: 'case.attach', ref: `attachment:att-${i}`, actor },
      );
    }
    ms += 3_600_000;
    const row = await store.caseRow(caseId);
    await store.act(caseId, {
      type: 'task.complete',
      taskId: row?.state.tasks[0]?.id ?? '',
      action: 'submit',
      data: { accepted: false },
      actor,
    });
  }
  const events = (await test.database.read((db) => db.$count(test.database.t.events))) as number;
  const before = await size(store, dialect, test.url);
  const dir = mkdtempSync(join(tmpdir(), 'lianxin-archive-bench-'));
  const path = join(dir, 'archive.jsonl.gz');
  const started = performance.now();
  await archiveClosedCases(test.database, vault, { year: 2024, path, now: new Date() });
  const took = performance.now() - started;
  const after = await size(store, dialect, test.url);
  if (dialect === 'sqlite') test.database.sqlite?.exec('VACUUM');
  else await test.database.read((db) => db.execute(sql.raw(`VACUUM FULL ${TABLES.join(', ')}`)));
  const vacuumed = await size(store, dialect, test.url);
  console.log(
    JSON.stringify({
      dialect,
      cases: CASES,
      events,
      before,
      afterDelete: after,
      afterVacuum: vacuumed,
      archiveFileBytes: statSync(path).size,
      archiveMs: Math.round(took),
    }),
  );
  rmSync(dir, { recursive: true, force: true });
  await test.drop();
}

for (const dialect of ['sqlite', 'pg'] as const) await run(dialect);
