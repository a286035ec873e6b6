import { and, desc, eq, gte, inArray, lt, sql } from 'drizzle-orm';
import type { Database } from './db';

/** At most `max` attempts counted under `key` within the last `windowMs`. */
export interface AttemptLimit {
  key: string;
  max: number;
  windowMs: number;
}

export type AttemptVerdict = { ok: true; atMs: number } | { ok: false; retryAfterMs: number };

const DAY_MS = 24 * 3_600_000;
/** How long a "signed in from here before" mark lasts. */
export const KNOWN_FOR_MS = 30 * DAY_MS;

/**
 * Counts one attempt under every limit, or none when one is used up, in one
 * transaction that first locks the keys (PostgreSQL advisory locks; SQLite
 * writes one at a time anyway). So forty requests racing each other are
 * counted one after the other: exactly `max` of them get through, on every
 * server that shares the database.
 */
export async function takeAttempt(
  database: Database,
  limits: AttemptLimit[],
  nowMs: number,
): Promise<AttemptVerdict> {
  const a = database.t.loginAttempts;
  return database.tx(async (tx) => {
    if (database.dialect === 'pg') {
      // Sorted, so two requests locking the same keys cannot deadlock.
      for (const key of [...new Set(limits.map((l) => l.key))].sort()) {
        await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${key}))`);
      }
    }
    let retryAfterMs = 0;
    for (const limit of limits) {
      await tx.delete(a).where(and(eq(a.key, limit.key), lt(a.atMs, nowMs - limit.windowMs)));
      // The max-th newest attempt: once it leaves the window, a slot is free.
      const [nth] = await tx
        .select({ atMs: a.atMs })
        .from(a)
        .where(and(eq(a.key, limit.key), gte(a.atMs, nowMs - limit.windowMs)))
        .orderBy(desc(a.atMs))
        .limit(1)
        .offset(limit.max - 1);
      if (nth) retryAfterMs = Math.max(retryAfterMs, nth.atMs + limit.windowMs - nowMs);
    }
    if (retryAfterMs > 0) return { ok: false, retryAfterMs };
    if (limits.length) await tx.insert(a).values(limits.map((l) => ({ key: l.key, atMs: nowMs })));
    // Keys nobody tries again would stay forever: a day is longer than any window.
    await tx.delete(a).where(and(lt(a.atMs, nowMs - DAY_MS), sql`${a.key} not like 'known:%'`));
    return { ok: true, atMs: nowMs };
  });
}

/** Takes back an attempt that turned out right (a correct password, a matching phone). */
export async function releaseAttempt(database: Database, keys: string[], atMs: number) {
  if (!keys.length) return;
  const a = database.t.loginAttempts;
  await database.tx(async (tx) => {
    await tx.delete(a).where(and(inArray(a.key, keys), eq(a.atMs, atMs)));
  });
}

/** Remembers that `key` (an account at an address) succeeded, for `KNOWN_FOR_MS`. */
export async function markKnown(database: Database, key: string, nowMs: number) {
  const a = database.t.loginAttempts;
  const known = `known:${key}`;
  await database.tx(async (tx) => {
    await tx.delete(a).where(eq(a.key, known));
    await tx.delete(a).where(and(sql`${a.key} like 'known:%'`, lt(a.atMs, nowMs - KNOWN_FOR_MS)));
    await tx.insert(a).values({ key: known, atMs: nowMs });
  });
}

export async function isKnown(database: Database, key: string, nowMs: number): Promise<boolean> {
  const a = database.t.loginAttempts;
  return database.read(async (db) => {
    const [row] = await db
      .select({ atMs: a.atMs })
      .from(a)
      .where(and(eq(a.key, `known:${key}`), gte(a.atMs, nowMs - KNOWN_FOR_MS)))
      .limit(1);
    return row !== undefined;
  });
}
