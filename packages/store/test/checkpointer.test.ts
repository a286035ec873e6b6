import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openSqlite } from '../src';

// The WAL is copied back into the database file by a worker thread, not by the
// commit that happens to cross SQLite's 1,000-page mark on the event loop.
describe('SQLite background checkpointer', () => {
  const dir = mkdtempSync(join(tmpdir(), 'lianxin-checkpoint-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('moves committed pages into the database file without the server connection checkpointing', async () => {
    const file = join(dir, 'wal.db');
    const database = openSqlite(file);
    const sqlite = database.sqlite;
    if (!sqlite) throw new Error('no SQLite handle');
    expect(sqlite.pragma('wal_autocheckpoint', { simple: true })).toBe(0);
    sqlite.exec('create table t (id integer primary key, body text)');
    const before = statSync(file).size;
    const insert = sqlite.prepare('insert into t (body) values (?)');
    for (let i = 0; i < 2_000; i++) insert.run('连心'.repeat(200));
    // The rows are committed to the WAL; within a second or so the worker copies them over.
    await expect
      .poll(() => statSync(file).size, { timeout: 10_000, interval: 100 })
      .toBeGreaterThan(before + 1_000_000);
    await database.close();
    const reopened = openSqlite(file);
    expect(reopened.sqlite?.prepare('select count(*) as n from t').get()).toEqual({ n: 2_000 });
    await reopened.close();
  });
});
