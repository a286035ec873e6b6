import { eq } from 'drizzle-orm';
import { afterEach, describe, expect, it } from 'vitest';
import {
  appendAudit,
  createTestDatabase,
  openDatabase,
  pruneAudit,
  searchAudit,
  type TestDatabase,
  verifyAudit,
} from '../src';
import { DAY, DIALECTS, FakeClock } from './helpers';

describe.each(DIALECTS)('audit log on %s', (dialect) => {
  let test: TestDatabase;
  const clock = new FakeClock();
  afterEach(async () => {
    await test?.drop();
  });

  async function fill(n: number) {
    test = await createTestDatabase(dialect);
    for (let i = 1; i <= n; i++) {
      await appendAudit(test.database, clock, {
        action: 'case.read',
        actorId: i % 2 ? 'u-rec' : 'u-hand',
        jurisdiction: i % 3 ? '440781' : '440783',
        caseId: `c-${i}`,
        ip: '10.0.0.1',
        detail: { procedure: 'cases.get' },
      });
      clock.advance(60_000);
    }
    return test.database;
  }

  it('verifies an untouched chain and reports its head hash', async () => {
    const database = await fill(5);
    const result = await verifyAudit(database, { batch: 2 });
    expect(result).toMatchObject({ ok: true, count: 5, firstSeq: 1, lastSeq: 5 });
    const rows = await database.db.select().from(database.t.auditLog);
    const last = rows.find((r) => r.seq === 5);
    expect(result.ok && result.headHash).toBe(last?.hash);
  });

  it('names the record whose content was altered', async () => {
    const database = await fill(5);
    const t = database.t.auditLog;
    await database.db.update(t).set({ actorId: 'u-admin' }).where(eq(t.seq, 3));
    const result = await verifyAudit(database);
    expect(result).toMatchObject({ ok: false, count: 2, broken: { seq: 3, reason: 'content' } });
    expect(!result.ok && result.broken.message['zh-CN']).toContain('审计记录 3');
  });

  it('names the next record when an altered record was re-hashed to hide it', async () => {
    const database = await fill(5);
    const t = database.t.auditLog;
    const [row] = await database.db.select().from(t).where(eq(t.seq, 3));
    if (!row) throw new Error('no record 3');
    const { auditHash } = await import('../src');
    const forged = { ...row, caseId: 'c-other' };
    await database.db
      .update(t)
      .set({ caseId: 'c-other', hash: auditHash(row.prevHash, forged) })
      .where(eq(t.seq, 3));
    expect(await verifyAudit(database)).toMatchObject({
      ok: false,
      broken: { seq: 4, reason: 'link' },
    });
  });

  it('names a deleted middle record as missing', async () => {
    const database = await fill(5);
    const t = database.t.auditLog;
    await database.db.delete(t).where(eq(t.seq, 3));
    expect(await verifyAudit(database)).toMatchObject({
      ok: false,
      count: 2,
      broken: { seq: 3, reason: 'missing' },
    });
  });

  it('names the first record when the start of the log was deleted without retention', async () => {
    const database = await fill(3);
    const t = database.t.auditLog;
    await database.db.delete(t).where(eq(t.seq, 1));
    expect(await verifyAudit(database)).toMatchObject({
      ok: false,
      broken: { seq: 1, reason: 'missing' },
    });
  });

  it('notices records cut from the end of the log', async () => {
    const database = await fill(4);
    const t = database.t.auditLog;
    await database.db.delete(t).where(eq(t.seq, 4));
    expect(await verifyAudit(database)).toMatchObject({
      ok: false,
      count: 3,
      broken: { seq: 4, reason: 'missing' },
    });
  });

  // Two SQLite connections in one process would wait on each other's lock while
  // blocking the event loop; SQLite has one writer (one server) by design.
  it.runIf(dialect === 'pg')(
    'keeps one chain when two servers append at the same time',
    async () => {
      test = await createTestDatabase(dialect);
      const other = openDatabase(test.url);
      try {
        const writes = [test.database, other].flatMap((database, server) =>
          Array.from({ length: 40 }, (_, i) =>
            appendAudit(database, clock, {
              action: 'case.list',
              actorId: `u-${server}`,
              detail: { i },
            }),
          ),
        );
        const records = await Promise.all(writes);
        expect(new Set(records.map((r) => r.seq)).size).toBe(80);
        expect(await verifyAudit(test.database)).toMatchObject({
          ok: true,
          count: 80,
          lastSeq: 80,
        });
      } finally {
        await other.close();
      }
    },
  );

  it('refuses a retention shorter than 180 days', async () => {
    const database = await fill(1);
    await expect(pruneAudit(database, clock, { retentionDays: 90 })).rejects.toThrow(
      /at least 180 days/,
    );
  });

  it('removes only expired records, records the removal, and the rest still verifies', async () => {
    test = await createTestDatabase(dialect);
    const database = test.database;
    const old = new FakeClock(Date.parse('2024-01-10T02:00:00Z'));
    for (let i = 0; i < 3; i++) await appendAudit(database, old, { action: 'auth.signIn' });
    const recent = new FakeClock(Date.parse('2024-08-01T02:00:00Z'));
    await appendAudit(database, recent, { action: 'auth.signIn', actorId: 'u-recent' });
    const now = new FakeClock(Date.parse('2024-08-01T02:00:00Z') + 10 * DAY);
    expect(await pruneAudit(database, now, { retentionDays: 180 })).toEqual({
      deleted: 3,
      through: 3,
    });
    const rows = await database.db.select().from(database.t.auditLog);
    expect(rows.map((r) => [r.seq, r.action]).sort()).toEqual([
      [4, 'auth.signIn'],
      [5, 'audit.pruned'],
    ]);
    expect(await verifyAudit(database)).toMatchObject({ ok: true, count: 2, firstSeq: 4 });
    // Nothing more has expired: no second removal record.
    expect(await pruneAudit(database, now, { retentionDays: 180 })).toEqual({
      deleted: 0,
      through: null,
    });
    // A deletion after the retention run is still caught.
    await database.db.delete(database.t.auditLog).where(eq(database.t.auditLog.seq, 4));
    expect(await verifyAudit(database)).toMatchObject({
      ok: false,
      broken: { seq: 4, reason: 'missing' },
    });
  });

  it('searches by user, case, time and scope, newest first, paged by key', async () => {
    const database = await fill(9);
    const byUser = await searchAudit(database, { actorId: 'u-rec', limit: 2 });
    expect(byUser.records.map((r) => r.seq)).toEqual([9, 7]);
    const next = await searchAudit(database, {
      actorId: 'u-rec',
      limit: 2,
      beforeSeq: byUser.nextBefore ?? 0,
    });
    expect(next.records.map((r) => r.seq)).toEqual([5, 3]);
    expect((await searchAudit(database, { caseId: 'c-4' })).records.map((r) => r.seq)).toEqual([4]);
    const first = (await searchAudit(database, { caseId: 'c-2' })).records[0];
    const window = await searchAudit(database, {
      fromMs: first?.atMs ?? 0,
      toMs: (first?.atMs ?? 0) + 60_000,
    });
    expect(window.records.map((r) => r.seq)).toEqual([3, 2]);
    const kaiping = await searchAudit(database, { jurisdictions: ['440783'] });
    expect(kaiping.records.map((r) => r.seq)).toEqual([9, 6, 3]);
    expect((await searchAudit(database, { jurisdictions: [] })).records).toEqual([]);
  });
});
