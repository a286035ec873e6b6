import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import BetterSqlite3 from 'better-sqlite3';
import { drizzle as drizzleSqlite } from 'drizzle-orm/better-sqlite3';
import { migrate as migrateSqlite } from 'drizzle-orm/better-sqlite3/migrator';
import { drizzle as drizzlePg, type NodePgDatabase } from 'drizzle-orm/node-postgres';
import { migrate as migratePg } from 'drizzle-orm/node-postgres/migrator';
import pg from 'pg';
import { fillStoredFlowDefaults } from './flow-defaults';
import * as pgSchema from './schema/pg';
import * as sqliteSchema from './schema/sqlite';
import { indexUnindexedCases } from './search';

export type Dialect = 'sqlite' | 'pg';
/**
 * Repositories are written once against the PostgreSQL table objects; the
 * SQLite ones have the same names, columns and TypeScript types (see the
 * parity test), so the SQLite handle is used through the same type.
 */
export type Tables = typeof pgSchema;
export type Db = NodePgDatabase<Tables>;

export interface Database {
  readonly dialect: Dialect;
  readonly db: Db;
  readonly t: Tables;
  /** Runs `fn` in one transaction: everything it writes commits together or not at all. */
  tx<T>(fn: (tx: Db) => Promise<T>): Promise<T>;
  /** Runs a read; on SQLite it waits for a running transaction so it never sees half of one. */
  read<T>(fn: (db: Db) => Promise<T>): Promise<T>;
  migrate(): Promise<void>;
  close(): Promise<void>;
  /** A short description without credentials, for logs. */
  readonly description: string;
  /** The raw connection on SQLite, for the transition fast path (`sqlite-writes.ts`). */
  readonly sqlite?: BetterSqlite3.Database;
  /**
   * SQLite only: runs `fn` synchronously in one IMMEDIATE transaction when no
   * async transaction is queued; returns undefined when it cannot (then use `tx`).
   */
  readonly txSync?: <T>(fn: () => T | undefined) => T | undefined;
}

const here = dirname(fileURLToPath(import.meta.url));
export const MIGRATIONS = {
  sqlite: resolve(here, '../migrations/sqlite'),
  pg: resolve(here, '../migrations/pg'),
} as const;

/** Serialises async work on one SQLite connection (one writer, no interleaved statements). */
class Mutex {
  private last: Promise<void> = Promise.resolve();
  private pending = 0;
  get idle(): boolean {
    return this.pending === 0;
  }
  run<T>(fn: () => Promise<T>): Promise<T> {
    this.pending++;
    const result = this.last.then(fn).finally(() => {
      this.pending--;
    });
    this.last = result.then(
      () => undefined,
      () => undefined,
    );
    return result;
  }
}

/**
 * Drizzle prepares every query anew; reusing better-sqlite3 statements by SQL
 * text saves that work on the hot path. Drizzle switches some statements to
 * raw (array) mode, so a reused reader is switched back first.
 */
function cachePreparedStatements(sqlite: BetterSqlite3.Database, max = 500): void {
  const cache = new Map<string, BetterSqlite3.Statement>();
  const prepare = sqlite.prepare.bind(sqlite);
  sqlite.prepare = ((source: string) => {
    let statement = cache.get(source);
    if (statement) {
      if (statement.reader) statement.raw(false);
      return statement;
    }
    statement = prepare(source);
    if (cache.size >= max) cache.delete(cache.keys().next().value as string);
    cache.set(source, statement);
    return statement;
  }) as typeof sqlite.prepare;
}

export function openSqlite(file: string): Database {
  if (file !== ':memory:') mkdirSync(dirname(resolve(file)), { recursive: true });
  const sqlite = new BetterSqlite3(file);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = NORMAL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  // SQLite's default page cache is 2 MB; a county's year of cases is hundreds of
  // MB, and every transition touches a dozen index pages. 64 MB per connection.
  sqlite.pragma('cache_size = -65536');
  sqlite.pragma('temp_store = MEMORY');
  cachePreparedStatements(sqlite);
  const db = drizzleSqlite(sqlite, { schema: sqliteSchema }) as unknown as Db;
  const lock = new Mutex();
  return {
    dialect: 'sqlite',
    db,
    sqlite,
    txSync(fn) {
      if (!lock.idle || sqlite.inTransaction) return undefined;
      return sqlite.transaction(fn).immediate();
    },
    t: sqliteSchema as unknown as Tables,
    description: `sqlite:${file}`,
    tx(fn) {
      return lock.run(async () => {
        sqlite.exec('BEGIN IMMEDIATE');
        try {
          const result = await fn(db);
          sqlite.exec('COMMIT');
          return result;
        } catch (error) {
          if (sqlite.inTransaction) sqlite.exec('ROLLBACK');
          throw error;
        }
      });
    },
    read(fn) {
      return lock.run(() => fn(db));
    },
    async migrate() {
      await lock.run(async () => {
        migrateSqlite(db as never, { migrationsFolder: MIGRATIONS.sqlite });
      });
      // The data step after the SQL files (see flow-defaults.ts for why it is TypeScript).
      await fillStoredFlowDefaults(this);
      // Cases written before the search index existed get their search tokens (search.ts).
      await indexUnindexedCases(this);
    },
    async close() {
      await lock.run(async () => {
        sqlite.close();
      });
    },
  };
}

export function openPostgres(url: string, options: { max?: number } = {}): Database {
  const pool = new pg.Pool({ connectionString: url, max: options.max ?? 10 });
  // A dropped connection (failover, network blip, pg_terminate_backend) must
  // not crash the process. An idle client's error reaches the pool's handler;
  // a checked-out client (a request mid-transaction) emits on itself, and
  // with no listener Node would throw. Its query in flight fails on its own,
  // the pool discards the dead client on release and connects a new one.
  pool.on('error', () => {});
  pool.on('connect', (client) => {
    client.on('error', () => {});
  });
  const db = drizzlePg(pool, { schema: pgSchema });
  const safe = new URL(url);
  safe.password = '';
  return {
    dialect: 'pg',
    db,
    t: pgSchema,
    description: `postgres://${safe.host}${safe.pathname}`,
    tx(fn) {
      return db.transaction((tx) => fn(tx as unknown as Db));
    },
    read(fn) {
      return fn(db);
    },
    async migrate() {
      // Several servers may start at once: one migrates, the others wait.
      const client = await pool.connect();
      try {
        await client.query('SELECT pg_advisory_lock(7461001)');
        await migratePg(drizzlePg(client), { migrationsFolder: MIGRATIONS.pg });
        // The data step after the SQL files (see flow-defaults.ts), still under the lock.
        await fillStoredFlowDefaults(this);
        await indexUnindexedCases(this);
      } finally {
        await client.query('SELECT pg_advisory_unlock(7461001)').catch(() => {});
        client.release();
      }
    },
    async close() {
      await pool.end();
    },
  };
}

/** `postgres://…` opens PostgreSQL; anything else is a SQLite file path. */
export function openDatabase(url: string): Database {
  return /^postgres(ql)?:\/\//.test(url)
    ? openPostgres(url)
    : openSqlite(url.replace(/^sqlite:/, ''));
}
