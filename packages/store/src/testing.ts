import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { type Database, type Dialect, openPostgres, openSqlite } from './db';

export interface TestDatabase {
  database: Database;
  /** The URL another process can open (a file path or a postgres:// URL). */
  url: string;
  drop(): Promise<void>;
}

/**
 * A fresh, migrated database for one test run: a temporary SQLite file, or a
 * uniquely named PostgreSQL database created beside `DATABASE_URL` and dropped after.
 */
export async function createTestDatabase(dialect: Dialect): Promise<TestDatabase> {
  if (dialect === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'lianxin-test-'));
    const url = join(dir, 'test.db');
    const database = openSqlite(url);
    await database.migrate();
    return {
      database,
      url,
      async drop() {
        await database.close().catch(() => {});
        rmSync(dir, { recursive: true, force: true });
      },
    };
  }
  const base = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
  const name = `lianxin_test_${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: base });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const target = new URL(base);
  target.pathname = `/${name}`;
  const url = target.toString();
  const database = openPostgres(url);
  await database.migrate();
  return {
    database,
    url,
    async drop() {
      await database.close().catch(() => {});
      const cleanup = new pg.Client({ connectionString: base });
      await cleanup.connect();
      await cleanup.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await cleanup.end();
    },
  };
}
