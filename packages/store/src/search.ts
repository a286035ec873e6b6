// Finding cases (查找信访事项): words of the complaint through a full-text index
// that works for Chinese on both databases, petitioners through their keyed
// hashes, and the case columns (dates, flow, department, 包案 leader).
//
// Chinese has no spaces between words, so the text is indexed as overlapping
// pairs of characters (拖欠工资 → 拖欠 欠工 工资, plus the last character of each
// run alone, so every character begins some token) and other words whole,
// lower-cased. A query is cut the same way and every token must occur (a run
// of one character matches as a prefix). The tokens live in `cases.search_text`,
// written with the rest of the case row by every transition (`caseColumns`);
// SQLite indexes them in the FTS5 table `cases_fts` (kept by triggers on the
// row, so inside the transition's transaction), PostgreSQL in a GIN index over
// `to_tsvector('simple', search_text)`. The tokens are a set: the index says
// which cases hold a word, never the text in order.
import { isSealed } from '@lianxin/spec';
import { and, desc, eq, gte, inArray, isNotNull, isNull, lt, or, type SQL, sql } from 'drizzle-orm';
import { caseListColumns } from './case-title';
import type { Vault } from './crypto';
import type { Database } from './db';

/** At most this many tokens are kept per case (the longest complaints stay searchable at their start). */
export const MAX_CASE_TOKENS = 4000;
/** A query has at most this many tokens (a long pasted paragraph is cut). */
export const MAX_QUERY_TOKENS = 32;
/** Words longer than this (hashes, ids, base64) are not indexed. */
const MAX_WORD = 32;

const HAN = /\p{Script=Han}/u;
/** Runs of Chinese characters, or of other letters and digits. */
const RUNS = /\p{Script=Han}+|(?:(?!\p{Script=Han})[\p{L}\p{N}])+/gu;
/** Values that are not words anyone searches for: ids, instants, dates. */
const NOT_TEXT = [
  /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i,
  /^\d{4}-\d{2}-\d{2}(T[\d:.]+(Z|[+-]\d{2}:?\d{2})?)?$/,
];

/** Keys of case data whose values are never text-indexed: the petitioner is found by keyed hash. */
const NOT_INDEXED = new Set(['petitioner', 'petitioners', 'attachments']);

interface Run {
  text: string;
  han: boolean;
}

function runsOf(text: string): Run[] {
  const out: Run[] = [];
  for (const m of text.normalize('NFKC').matchAll(RUNS)) {
    const t = m[0];
    // A run of letters may hold Han characters only when RUNS matched Han first.
    out.push({ text: HAN.test(t[0] ?? '') ? t : t.toLowerCase(), han: HAN.test(t[0] ?? '') });
  }
  return out;
}

function hanTokens(run: string, into: Set<string>): void {
  const chars = [...run];
  for (let i = 0; i + 1 < chars.length; i++) into.add(`${chars[i]}${chars[i + 1]}`);
  into.add(chars[chars.length - 1] as string);
}

/** Every string of `value` that is indexable: not sealed, not under `petitioner`, not an id or date. */
function textsOf(value: unknown, out: string[], depth: number): void {
  if (depth > 8) return;
  if (typeof value === 'string') {
    if (!value || isSealed(value) || NOT_TEXT.some((r) => r.test(value))) return;
    out.push(value);
  } else if (Array.isArray(value)) {
    for (const v of value) textsOf(v, out, depth + 1);
  } else if (value !== null && typeof value === 'object') {
    // Keys in a fixed order: PostgreSQL's jsonb gives them back in its own order,
    // and the row must equal what replaying the events computes.
    const record = value as Record<string, unknown>;
    for (const k of Object.keys(record).sort()) {
      if (!NOT_INDEXED.has(k)) textsOf(record[k], out, depth + 1);
    }
  }
}

/**
 * The search tokens of a case's data, space-separated (what `cases.search_text`
 * holds; empty when it has no text, null only on rows not indexed yet). Sealed values (x-sensitive fields) and
 * everything under `petitioner` are never indexed.
 */
export function searchTokens(data: Record<string, unknown>): string {
  const texts: string[] = [];
  textsOf(data, texts, 0);
  const tokens = new Set<string>();
  for (const text of texts) {
    for (const run of runsOf(text)) {
      if (run.han) hanTokens(run.text, tokens);
      else if (run.text.length <= MAX_WORD) tokens.add(run.text);
      if (tokens.size >= MAX_CASE_TOKENS) break;
    }
    if (tokens.size >= MAX_CASE_TOKENS) break;
  }
  return [...tokens].slice(0, MAX_CASE_TOKENS).join(' ');
}

export interface QueryTokens {
  /** Tokens that must occur as they are. */
  exact: string[];
  /** Tokens that must begin some indexed token (a single Chinese character, a word being typed). */
  prefix: string[];
}

/** The tokens a search for `text` needs, cut as the index cuts: every one must match. */
export function queryTokens(text: string): QueryTokens {
  const exact = new Set<string>();
  const prefix = new Set<string>();
  for (const run of runsOf(text)) {
    if (run.han) {
      const chars = [...run.text];
      if (chars.length === 1) prefix.add(run.text);
      else for (let i = 0; i + 1 < chars.length; i++) exact.add(`${chars[i]}${chars[i + 1]}`);
    } else if (run.text.length <= MAX_WORD) {
      prefix.add(run.text);
    }
  }
  return {
    exact: [...exact].slice(0, MAX_QUERY_TOKENS),
    prefix: [...prefix].slice(0, Math.max(0, MAX_QUERY_TOKENS - exact.size)),
  };
}

/** The FTS5 MATCH expression (SQLite): tokens quoted, all required. */
export function ftsMatch(q: QueryTokens): string {
  return [...q.exact.map((t) => `"${t}"`), ...q.prefix.map((t) => `"${t}"*`)].join(' AND ');
}

/** The tsquery text (PostgreSQL, 'simple' configuration): all required, prefixes as `:*`. */
export function tsQuery(q: QueryTokens): string {
  return [...q.exact.map((t) => `'${t}'`), ...q.prefix.map((t) => `'${t}':*`)].join(' & ');
}

export interface CaseSearch {
  /** The jurisdictions the reader may read (already resolved); nothing outside them is ever returned. */
  jurisdictions: string[];
  /** Words of the complaint (any text of the case data except sensitive fields). */
  text?: string;
  /** Keyed hashes (every key of the ring) of the petitioner's name, phone or ID-card number. */
  petitionerHashes?: { name?: string[]; phone?: string[]; idCard?: string[] };
  createdFrom?: string;
  createdTo?: string;
  flowKey?: string;
  /** A department that has (or had) a task on the case. */
  department?: string;
  /** The case's 包案 leader. */
  leaderOwner?: string;
  status?: string[];
  /** After this row (the `next` of the page before). */
  after?: { createdAtMs: number; id: string };
  limit: number;
  /** Matches are counted up to this; beyond it the count says "more than". */
  countCap: number;
}

/**
 * One page of the cases that match, newest first (creation time, then id:
 * a stable key, so a page never repeats or skips a case when cases are
 * added), with `next` for the page after and a count capped at `countCap`.
 * A search with no token (only punctuation) matches nothing.
 */
export async function searchCases(database: Database, s: CaseSearch) {
  const c = database.t.cases;
  const p = database.t.petitioners;
  const sqlite = database.dialect === 'sqlite';
  // SQLite chooses an index by its rules, not by how many rows match (it keeps
  // no statistics), so the query says which should drive (`+x` and `rowid + 0`
  // hide an index): given a petitioner or a leader, theirs (a handful of rows);
  // given words only, the cases newest first (cases_created), keeping those the
  // FTS index matched and stopping at a page — from the jurisdiction's index it
  // would sort the whole county, from the FTS side read every match's row.
  const selective = Boolean(
    s.leaderOwner ||
      s.petitionerHashes?.name?.length ||
      s.petitionerHashes?.phone?.length ||
      s.petitionerHashes?.idCard?.length,
  );
  const scope = s.jurisdictions.length ? s.jurisdictions : [''];
  const jurisdiction =
    sqlite && (selective || s.text !== undefined) ? sql`+${c.jurisdiction}` : c.jurisdiction;
  const where: SQL[] = [sql`${jurisdiction} in ${scope}`];
  /** SQLite: the FTS5 query, for counting from the index's side. */
  let match: string | undefined;
  let textCondition: SQL | undefined;
  if (s.text !== undefined) {
    const q = queryTokens(s.text);
    if (!q.exact.length && !q.prefix.length) return { rows: [], next: null, count: 0, more: false };
    if (database.dialect === 'sqlite') match = ftsMatch(q);
    textCondition = match
      ? sql`${c}.rowid + 0 in (select rowid from cases_fts where cases_fts match ${match})`
      : sql`to_tsvector('simple', ${c.searchText}) @@ to_tsquery('simple', ${tsQuery(q)})`;
  }
  const h = s.petitionerHashes;
  if (h) {
    const by: SQL[] = [];
    if (h.name?.length) by.push(inArray(p.nameHash, h.name));
    if (h.phone?.length) by.push(inArray(p.phoneHash, h.phone));
    if (h.idCard?.length) by.push(inArray(p.idCardHash, h.idCard));
    if (by.length)
      where.push(
        inArray(
          c.petitionerId,
          database.db
            .select({ id: p.id })
            .from(p)
            .where(and(...by)),
        ),
      );
  }
  if (s.createdFrom) where.push(gte(c.createdAtMs, Date.parse(s.createdFrom)));
  if (s.createdTo) where.push(lt(c.createdAtMs, Date.parse(s.createdTo)));
  if (s.flowKey) where.push(eq(c.flowKey, s.flowKey));
  if (s.leaderOwner) where.push(eq(c.leaderOwner, s.leaderOwner));
  if (s.status?.length) where.push(inArray(c.status, s.status));
  if (s.department) {
    const k = database.t.tasks;
    where.push(
      sql`exists (select 1 from ${k} where ${k.caseId} = ${c.id} and ${k.department} = ${s.department})`,
    );
  }
  const filter = and(...where, ...(textCondition ? [textCondition] : []));
  const after = s.after;
  const page = after
    ? and(
        filter,
        or(
          lt(c.createdAtMs, after.createdAtMs),
          and(eq(c.createdAtMs, after.createdAtMs), lt(c.id, after.id)),
        ),
      )
    : filter;
  return database.read(async (db) => {
    const rows = await db
      // The columns cases.list reads, and the keyset's own sort key.
      .select({ ...caseListColumns(c), createdAtMs: c.createdAtMs })
      .from(c)
      .where(page)
      .orderBy(desc(c.createdAtMs), desc(c.id))
      .limit(s.limit + 1);
    const more = rows.length > s.limit;
    const shown = rows.slice(0, s.limit);
    const last = shown[shown.length - 1];
    // Counting stops at the cap: an exact count of a common word would read every match.
    const counted = await countUpTo(database, db, filter, where, match, s.countCap + 1);
    return {
      /** The rows as `cases.list` reads them, with their data for the caller to take title and summary from. */
      rows: shown.map(({ createdAtMs: _, ...r }) => r),
      next: more && last ? { createdAtMs: last.createdAtMs, id: last.id } : null,
      count: Math.min(counted, s.countCap),
      /** More than `count` match. */
      more: counted > s.countCap,
    };
  });
}

/**
 * The matching rows, up to `cap`. On SQLite a text search counts from the
 * FTS5 index's side (its matches joined to their cases, stopping at the cap):
 * from the cases' side SQLite would first read every match into a list, then
 * walk the reader's jurisdictions, which costs the county's size even for a
 * common word; a page still reads in creation order from the cases' side.
 */
async function countUpTo(
  database: Database,
  db: Database['db'],
  filter: SQL | undefined,
  rest: SQL[],
  match: string | undefined,
  cap: number,
): Promise<number> {
  const c = database.t.cases;
  const sqlite = database.sqlite;
  if (match && sqlite) {
    const q = db
      .select({ one: sql<number>`1` })
      .from(c)
      .where(and(sql`"cases_fts" match ${match}`, ...rest))
      .limit(cap)
      .toSQL();
    const from = 'select 1 from "cases" ';
    if (q.sql.startsWith(from)) {
      const text = `select 1 from "cases_fts" cross join "cases" on "cases".rowid = "cases_fts".rowid ${q.sql.slice(from.length)}`;
      return sqlite.prepare(text).all(...(q.params as unknown[])).length;
    }
  }
  const rows = await db.select({ one: sql<number>`1` }).from(c).where(filter).limit(cap);
  return rows.length;
}

/**
 * Indexes the cases written before the search index existed (`search_text`
 * null), a batch per transaction; run after the migrations. Returns how many.
 */
export async function indexUnindexedCases(database: Database, batch = 500): Promise<number> {
  const c = database.t.cases;
  let done = 0;
  for (;;) {
    const n = await database.tx(async (tx) => {
      const rows = await tx
        .select({ id: c.id, data: c.data })
        .from(c)
        .where(isNull(c.searchText))
        .limit(batch);
      for (const r of rows)
        await tx
          .update(c)
          .set({ searchText: searchTokens(r.data) })
          .where(eq(c.id, r.id));
      return rows.length;
    });
    done += n;
    if (n < batch) return done;
  }
}

/**
 * Keyed hashes of the names of petitioners recorded before names were
 * searchable (`name_hash` null), a batch per transaction; returns how many.
 * Run when the server opens the store with its key.
 */
export async function hashPetitionerNames(
  database: Database,
  vault: Vault,
  batch = 500,
): Promise<number> {
  const p = database.t.petitioners;
  let done = 0;
  for (;;) {
    const n = await database.tx(async (tx) => {
      const rows = await tx
        .select({ id: p.id, nameEnc: p.nameEnc })
        .from(p)
        .where(and(isNull(p.nameHash), isNotNull(p.nameEnc)))
        .limit(batch);
      for (const r of rows)
        await tx
          .update(p)
          .set({ nameHash: vault.hash(vault.decrypt(r.nameEnc as string)) })
          .where(eq(p.id, r.id));
      return rows.length;
    });
    done += n;
    if (n < batch) return done;
  }
}
