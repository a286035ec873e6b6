import { mapSealed, parseSealed, sealValue } from '@lianxin/spec';
import { and, asc, type Column, eq, gt, isNull, or, type SQL, sql } from 'drizzle-orm';
import type { Clock } from './cases';
import type { KeySource, Vault } from './crypto';
import type { Database, Db } from './db';
import { StoreError } from './errors';

/**
 * The key ring's record in the database (`key_ring`): which keys the data was
 * written with, by fingerprint. A server refuses to start unless its ring
 * holds every key not yet retired there, so a backup restored without its
 * key file, or a wrong LIANXIN_KEY, stops at the door instead of mixing keys.
 */

export type KeyRingRow = Database['t']['keyRing']['$inferSelect'];

function sourceText(source: KeySource | undefined) {
  if (!source) return { source: '配置', sourceEn: 'the configuration' };
  return source.kind === 'env'
    ? { source: 'LIANXIN_KEY ', sourceEn: 'LIANXIN_KEY' }
    : { source: `密钥文件 ${source.path} `, sourceEn: `the key file ${source.path}` };
}

/** JSON columns as text, for a cheap "does any row hold a sealed value" probe. */
function jsonText(database: Database, column: unknown): SQL {
  return database.dialect === 'pg' ? sql`${column}::text` : sql`${column}`;
}

const LEGACY = 'v1';

/**
 * Keys the database needs, by id: those recorded and not retired, or `v1`
 * when it holds ciphertexts from before fingerprints were recorded; empty for
 * a database with no encrypted data.
 */
export async function keysNeeded(database: Database): Promise<string[]> {
  const t = database.t;
  const rows = await database.read((db) => db.select().from(t.keyRing));
  if (rows.length) return rows.filter((r) => !r.retiredAt).map((r) => r.kid);
  return (await legacyCiphertext(database)) ? [LEGACY] : [];
}

/** One ciphertext written before the key ring was recorded, if there is any. */
async function legacyCiphertext(database: Database): Promise<string | undefined> {
  const t = database.t;
  const [p] = await database.read((db) =>
    db
      .select({
        name: t.petitioners.nameEnc,
        idCard: t.petitioners.idCardEnc,
        phone: t.petitioners.phoneEnc,
      })
      .from(t.petitioners)
      .where(
        or(
          sql`${t.petitioners.nameEnc} IS NOT NULL`,
          sql`${t.petitioners.idCardEnc} IS NOT NULL`,
          sql`${t.petitioners.phoneEnc} IS NOT NULL`,
        ),
      )
      .limit(1),
  );
  const fromPetitioner = p?.name ?? p?.idCard ?? p?.phone;
  if (fromPetitioner) return fromPetitioner;
  const [c] = await database.read((db) =>
    db
      .select({ state: t.cases.state })
      .from(t.cases)
      .where(sql`${jsonText(database, t.cases.state)} LIKE ${'%lx:s1:%'}`)
      .limit(1),
  );
  let found: string | undefined;
  if (c)
    mapSealed(c.state, (s) => {
      found ??= parseSealed(s).ciphertext;
      return s;
    });
  return found;
}

/**
 * Checks the configured key ring against the database and records keys it
 * has not seen (the first start records the first key). Refuses, writing
 * nothing, when a key the data needs is not in the ring, when a database from
 * before fingerprints holds data the ring cannot open, or when the ring's
 * newest key was retired by a rotation.
 */
export async function checkKeyRing(
  database: Database,
  vault: Vault,
  clock: Clock,
  source?: KeySource,
): Promise<{ added: string[] }> {
  const t = database.t;
  const where = sourceText(source);
  const configured = vault.keys.map((k) => k.kid).join(', ');
  const rows = await database.read((db) => db.select().from(t.keyRing));
  if (!rows.length) {
    const sample = await legacyCiphertext(database);
    if (sample !== undefined) {
      try {
        vault.decrypt(sample);
      } catch {
        throw new StoreError('key.mismatch', { needed: LEGACY, configured, ...where });
      }
    }
  }
  const fingerprints = new Set(vault.keys.map((k) => k.fingerprint));
  const missing = rows.filter((r) => !r.retiredAt && !fingerprints.has(r.fingerprint));
  if (missing.length)
    throw new StoreError('key.mismatch', {
      needed: missing.map((r) => r.kid).join(', '),
      configured,
      ...where,
    });
  const newest = vault.keys[0];
  const recorded = rows.find((r) => r.fingerprint === newest?.fingerprint);
  if (recorded?.retiredAt) throw new StoreError('key.retired', { kid: recorded.kid, ...where });
  const known = new Set(rows.map((r) => r.fingerprint));
  const added = vault.keys.filter((k) => !known.has(k.fingerprint));
  if (added.length) {
    const addedAt = clock.now().toISOString();
    await database.tx((tx) =>
      tx
        .insert(t.keyRing)
        .values(added.map((k) => ({ kid: k.kid, fingerprint: k.fingerprint, addedAt })))
        .onConflictDoNothing(),
    );
  }
  return { added: added.map((k) => k.kid) };
}

export function keyRingRows(database: Database): Promise<KeyRingRow[]> {
  const t = database.t;
  return database.read((db) => db.select().from(t.keyRing).orderBy(asc(t.keyRing.addedAt)));
}

export interface RotationProgress {
  pass: number;
  table: 'petitioners' | 'cases' | 'events' | 'notifications' | 'documents';
  /** Rows read so far in this table in this pass. */
  done: number;
  /** Rows rewritten so far in this pass (all tables). */
  changed: number;
}

export interface RotationResult {
  /** The key everything is now under. */
  kid: string;
  passes: number;
  /** Rows rewritten, summed over the passes. */
  rewritten: number;
  /** Keys retired (no ciphertext left under them). */
  retired: string[];
  /** False when writes under an old key kept coming (a server that has not loaded the new key). */
  complete: boolean;
}

/** Every sealed string of a JSON value re-encrypted under the newest key (same object when none changes). */
function resealJson<T>(vault: Vault, json: T): T {
  return mapSealed(json, (s) => {
    const { kind, ciphertext } = parseSealed(s);
    const next = vault.reseal(ciphertext);
    return next === ciphertext ? s : sealValue(kind, next);
  }) as T;
}

/**
 * Re-encrypts every ciphertext under the vault's newest key, in batches, while
 * servers keep running: petitioners (their repeat-detection hashes are
 * recomputed under the new key too), sealed values in case data and state,
 * event bodies and notifications. Re-encryption is deterministic (see
 * `Vault.reseal`), so a case row and the events it caches stay equal however
 * the passes and the servers' writes interleave. Passes repeat until one
 * finds nothing to do, then, after `settleMs` (long enough for servers to
 * load the new key), once more; only then are the older keys retired.
 */
export async function rotateKeys(
  database: Database,
  vault: Vault,
  clock: Clock,
  options: {
    batch?: number;
    maxPasses?: number;
    settleMs?: number;
    onProgress?: (p: RotationProgress) => void;
  } = {},
): Promise<RotationResult> {
  const batch = options.batch ?? 500;
  const maxPasses = options.maxPasses ?? 8;
  const settleMs = options.settleMs ?? 2000;
  let rewritten = 0;
  let passes = 0;
  let clean = 0;
  while (passes < maxPasses && clean < 2) {
    passes++;
    const changed = await rotationPass(database, vault, batch, passes, options.onProgress);
    rewritten += changed;
    clean = changed === 0 ? clean + 1 : 0;
    if (clean === 1 && passes < maxPasses) await new Promise((r) => setTimeout(r, settleMs));
  }
  const complete = clean >= 2;
  let retired: string[] = [];
  if (complete) {
    const t = database.t;
    const primary = vault.keys[0]?.fingerprint ?? '';
    const at = clock.now().toISOString();
    retired = await database.tx(async (tx) => {
      const rows = await tx
        .update(t.keyRing)
        .set({ retiredAt: at })
        .where(and(isNull(t.keyRing.retiredAt), sql`${t.keyRing.fingerprint} <> ${primary}`))
        .returning({ kid: t.keyRing.kid });
      return rows.map((r) => r.kid);
    });
  }
  return { kid: vault.primaryKid, passes, rewritten, retired, complete };
}

async function rotationPass(
  database: Database,
  vault: Vault,
  batch: number,
  pass: number,
  onProgress?: (p: RotationProgress) => void,
): Promise<number> {
  const t = database.t;
  let changed = 0;
  const report = (table: RotationProgress['table'], done: number) =>
    onProgress?.({ pass, table, done, changed });

  // Petitioners: ciphertexts and the hashes beside them, compared and set, so
  // a row someone changed meanwhile is left for the next pass.
  let done = 0;
  for (let after = ''; ; ) {
    const n = await database.tx(async (tx) => {
      const rows = await tx
        .select()
        .from(t.petitioners)
        .where(gt(t.petitioners.id, after))
        .orderBy(asc(t.petitioners.id))
        .limit(batch);
      for (const row of rows) {
        const reseal = (s: string | null) => (s === null ? null : vault.reseal(s));
        const hashOf = (s: string | null) => (s === null ? null : vault.hash(vault.decrypt(s)));
        const next = {
          nameEnc: reseal(row.nameEnc),
          idCardEnc: reseal(row.idCardEnc),
          phoneEnc: reseal(row.phoneEnc),
          idCardHash: hashOf(row.idCardEnc),
          phoneHash: hashOf(row.phoneEnc),
          nameHash: hashOf(row.nameEnc),
        };
        if (
          next.nameEnc === row.nameEnc &&
          next.idCardEnc === row.idCardEnc &&
          next.phoneEnc === row.phoneEnc &&
          next.idCardHash === row.idCardHash &&
          next.phoneHash === row.phoneHash &&
          next.nameHash === row.nameHash
        )
          continue;
        const same = (column: Column, value: string | null) =>
          value === null ? isNull(column) : eq(column, value);
        await tx
          .update(t.petitioners)
          .set(next)
          .where(
            and(
              eq(t.petitioners.id, row.id),
              same(t.petitioners.nameEnc, row.nameEnc),
              same(t.petitioners.idCardEnc, row.idCardEnc),
              same(t.petitioners.phoneEnc, row.phoneEnc),
            ),
          );
        changed++;
      }
      after = rows.at(-1)?.id ?? after;
      return rows.length;
    });
    done += n;
    report('petitioners', done);
    if (n < batch) break;
  }

  // Cases: data and state, set only if no transition wrote the row meanwhile
  // (the version did not move); otherwise the next pass takes it.
  done = 0;
  for (let after = ''; ; ) {
    const n = await database.tx(async (tx) => {
      const rows = await tx
        .select({
          id: t.cases.id,
          version: t.cases.version,
          data: t.cases.data,
          state: t.cases.state,
        })
        .from(t.cases)
        .where(gt(t.cases.id, after))
        .orderBy(asc(t.cases.id))
        .limit(batch);
      for (const row of rows) {
        const data = resealJson(vault, row.data);
        const state = resealJson(vault, row.state);
        if (data === row.data && state === row.state) continue;
        await tx
          .update(t.cases)
          .set({ data, state })
          .where(and(eq(t.cases.id, row.id), eq(t.cases.version, row.version)));
        changed++;
      }
      after = rows.at(-1)?.id ?? after;
      return rows.length;
    });
    done += n;
    report('cases', done);
    if (n < batch) break;
  }

  // Events never change once written, except here.
  done = 0;
  for (let afterCase = '', afterSeq = 0; ; ) {
    const n = await database.tx(async (tx) => {
      const rows = await tx
        .select()
        .from(t.events)
        .where(
          or(
            gt(t.events.caseId, afterCase),
            and(eq(t.events.caseId, afterCase), gt(t.events.seq, afterSeq)),
          ),
        )
        .orderBy(asc(t.events.caseId), asc(t.events.seq))
        .limit(batch);
      for (const row of rows) {
        const body = resealJson(vault, row.body);
        if (body === row.body) continue;
        await tx
          .update(t.events)
          .set({ body })
          .where(and(eq(t.events.caseId, row.caseId), eq(t.events.seq, row.seq)));
        changed++;
      }
      const last = rows.at(-1);
      if (last) {
        afterCase = last.caseId;
        afterSeq = last.seq;
      }
      return rows.length;
    });
    done += n;
    report('events', done);
    if (n < batch) break;
  }

  done = 0;
  for (let after = ''; ; ) {
    const n = await database.tx(async (tx) => {
      const rows = await tx
        .select({
          id: t.notifications.id,
          message: t.notifications.message,
          recipient: t.notifications.recipient,
        })
        .from(t.notifications)
        .where(gt(t.notifications.id, after))
        .orderBy(asc(t.notifications.id))
        .limit(batch);
      for (const row of rows) {
        const message = resealJson(vault, row.message);
        const recipient = resealJson(vault, row.recipient);
        if (message === row.message && recipient === row.recipient) continue;
        await tx
          .update(t.notifications)
          .set({ message, recipient })
          .where(eq(t.notifications.id, row.id));
        changed++;
      }
      after = rows.at(-1)?.id ?? after;
      return rows.length;
    });
    done += n;
    report('notifications', done);
    if (n < batch) break;
  }

  // Statutory documents keep their issued text sealed (documents.ts).
  done = 0;
  for (let after = ''; ; ) {
    const n = await database.tx(async (tx) => {
      const rows = await tx
        .select({ id: t.documents.id, content: t.documents.content })
        .from(t.documents)
        .where(gt(t.documents.id, after))
        .orderBy(asc(t.documents.id))
        .limit(batch);
      for (const row of rows) {
        const content = resealJson(vault, row.content) as string;
        if (content === row.content) continue;
        await tx.update(t.documents).set({ content }).where(eq(t.documents.id, row.id));
        changed++;
      }
      after = rows.at(-1)?.id ?? after;
      return rows.length;
    });
    done += n;
    report('documents', done);
    if (n < batch) break;
  }
  return changed;
}

/** Counts of ciphertexts by key id (`v1` for those from before the ring), for `lianxin key status`. */
export async function ciphertextsByKey(
  database: Database,
  vault: Vault,
): Promise<Record<string, number>> {
  const t = database.t;
  const counts: Record<string, number> = {};
  const count = (ciphertext: string | null) => {
    if (!ciphertext) return;
    const kid = vault.kidOf(ciphertext);
    counts[kid] = (counts[kid] ?? 0) + 1;
  };
  const walk = (json: unknown) =>
    mapSealed(json, (s) => {
      count(parseSealed(s).ciphertext);
      return s;
    });
  await pageAll(database, (db, after, limit) =>
    db
      .select()
      .from(t.petitioners)
      .where(gt(t.petitioners.id, after))
      .orderBy(asc(t.petitioners.id))
      .limit(limit)
      .then((rows) => {
        for (const r of rows) for (const c of [r.nameEnc, r.idCardEnc, r.phoneEnc]) count(c);
        return rows.at(-1)?.id;
      }),
  );
  await pageAll(database, (db, after, limit) =>
    db
      .select({ id: t.cases.id, state: t.cases.state })
      .from(t.cases)
      .where(gt(t.cases.id, after))
      .orderBy(asc(t.cases.id))
      .limit(limit)
      .then((rows) => {
        for (const r of rows) walk(r.state);
        return rows.at(-1)?.id;
      }),
  );
  await pageAll(database, (db, after, limit) =>
    db
      .select({ id: t.documents.id, content: t.documents.content })
      .from(t.documents)
      .where(gt(t.documents.id, after))
      .orderBy(asc(t.documents.id))
      .limit(limit)
      .then((rows) => {
        for (const r of rows) walk(r.content);
        return rows.at(-1)?.id;
      }),
  );
  return counts;
}

/** Pages through a table by a text key: `step` reads one page after the key and returns its last key. */
async function pageAll(
  database: Database,
  step: (db: Db, after: string, limit: number) => Promise<string | undefined>,
  limit = 1000,
): Promise<void> {
  for (let after: string | undefined = ''; after !== undefined; ) {
    const from: string = after;
    after = await database.read((db) => step(db, from, limit));
  }
}
