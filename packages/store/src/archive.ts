import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream, existsSync, renameSync, rmSync } from 'node:fs';
import { basename } from 'node:path';
import { createInterface } from 'node:readline';
import { createGunzip, createGzip } from 'node:zlib';
import { type CaseState, fold } from '@lianxin/engine';
import type { Bilingual } from '@lianxin/spec';
import { isSealed, mapSealed, parseSealed, sealValue } from '@lianxin/spec';
import { and, asc, eq, gt, gte, inArray, lt, notExists, sql } from 'drizzle-orm';
import { caseColumns, withoutLegacyNotes } from './cases';
import type { Vault } from './crypto';
import type { Database, Db } from './db';
import { keyRingRows } from './keys';
import { canonicalJson } from './store';

/**
 * `lianxin archive` and `lianxin restore-archive` (docs/deploy.md, 归档):
 * the events, attachments (with their bytes) and documents of the cases
 * closed in one year (Beijing time) move to one gzip JSON-lines file, and
 * back. The case row stays, so lists, search, the KPIs and the dashboards
 * are unchanged; a `case_archives` row says where the rest went. Ciphertexts
 * are copied as they are: nothing is decrypted into the file.
 *
 * The file: one JSON object a line, `{"t":"case",…}` for each case (its
 * tracking code, the SHA-256 of its events and of its row) followed by its
 * `event`, `attachment`, `attachment_file` and `document` lines, and last a
 * `manifest` line with the counts, the key ids and the SHA-256 of every line
 * before it.
 */

export const ARCHIVE_FORMAT = 'lianxin-archive';
const BEIJING_MS = 8 * 3_600_000;
const PAGE = 200;
const CHUNK = 500;

type EventRow = Database['t']['events']['$inferSelect'];
type AttachmentRow = Database['t']['attachments']['$inferSelect'];
type AttachmentFileRow = Database['t']['attachmentFiles']['$inferSelect'];
type DocumentRow = Database['t']['documents']['$inferSelect'];
type CaseRow = Database['t']['cases']['$inferSelect'];

export interface ArchivedCaseLine {
  t: 'case';
  id: string;
  trackingCode: string;
  jurisdiction: string;
  closedAtMs: number;
  events: number;
  attachments: number;
  eventsSha256: string;
  rowSha256: string;
}

export interface ArchiveCounts {
  cases: number;
  events: number;
  attachments: number;
  attachmentFiles: number;
  documents: number;
}

export interface ArchiveManifest {
  t: 'manifest';
  format: typeof ARCHIVE_FORMAT;
  version: 1;
  year: number;
  createdAt: string;
  dialect: Database['dialect'];
  source: string;
  /** The database's keys when archived (id and fingerprint, never the key). */
  keys: { kid: string; fingerprint: string }[];
  /** The key ids the archived ciphertexts were sealed with: a restore needs these. */
  sealedWith: string[];
  counts: ArchiveCounts;
  /** SHA-256 of every line before this one (each with its newline), uncompressed. */
  sha256: string;
}

type Line =
  | ArchivedCaseLine
  | { t: 'event'; row: EventRow }
  | { t: 'attachment'; row: AttachmentRow }
  | { t: 'attachment_file'; row: Omit<AttachmentFileRow, 'bytes'> & { bytes: string } }
  | { t: 'document'; row: DocumentRow };

/** A refusal a person can act on; nothing was changed. */
export class ArchiveRefused extends Error {
  constructor(readonly bilingual: Bilingual) {
    super(bilingual.en);
  }
}
const refuse = (zh: string, en: string): never => {
  throw new ArchiveRefused({ 'zh-CN': zh, en });
};

/** The calendar year of an instant in Beijing time. */
export function beijingYear(ms: number): number {
  return new Date(ms + BEIJING_MS).getUTCFullYear();
}

/** [from, to) of a Beijing-time calendar year, in milliseconds. */
export function beijingYearRange(year: number): { fromMs: number; toMs: number } {
  return { fromMs: Date.UTC(year, 0, 1) - BEIJING_MS, toMs: Date.UTC(year + 1, 0, 1) - BEIJING_MS };
}

/**
 * Why a year may not be archived now, or undefined: the current year never;
 * by default the office keeps online the cases closed this year and last
 * year (a petitioner may still ask for a review, a leader for last year's
 * report); `force` allows last year.
 */
export function archiveYearRefusal(
  year: number,
  nowMs: number,
  force = false,
): Bilingual | undefined {
  const current = beijingYear(nowMs);
  if (!Number.isInteger(year) || year < 2000)
    return { 'zh-CN': `年份 “${year}” 无效`, en: `"${year}" is not a valid year` };
  if (year >= current)
    return {
      'zh-CN': `不能归档 ${year} 年：本年度（${current} 年）及以后办结的信访事项必须在线保存`,
      en: `cannot archive ${year}: cases closed in the current year (${current}) or later stay online`,
    };
  if (!force && year > current - 2)
    return {
      'zh-CN': `${year} 年办结的信访事项默认在线保存到 ${year + 1} 年底（保存期：办结当年和次年）；确需现在归档，请加 --force`,
      en: `cases closed in ${year} stay online until the end of ${year + 1} by default (kept online: the year closed and the next); add --force to archive them now`,
    };
  return undefined;
}

const sha256 = (text: string | Buffer) => createHash('sha256').update(text).digest('hex');

/** Opens every sealed value, so a digest does not change when a key rotation re-encrypts. */
function opened(vault: Vault, json: unknown): unknown {
  return mapSealed(json, (s) => {
    const { kind, ciphertext } = parseSealed(s);
    return `${kind}:${vault.decrypt(ciphertext)}`;
  });
}

/**
 * The digest of what replay decides in a case row (the columns of
 * `caseColumns`, sealed values opened): while the events are archived,
 * `verify` checks the row still has it.
 */
export function caseRowDigest(vault: Vault, row: CaseRow): string {
  const stored: Record<string, unknown> = row;
  const keys = Object.keys(caseColumns(row.state as unknown as CaseState)).sort();
  const picked: Record<string, unknown> = { id: row.id };
  for (const key of keys) picked[key] = stored[key];
  return sha256(canonicalJson(opened(vault, JSON.parse(JSON.stringify(picked)))));
}

/** The digest of a case's events as stored (ciphertexts as they are). */
export function eventsDigest(events: Pick<EventRow, 'caseId' | 'seq' | 'body'>[]): string {
  return sha256(canonicalJson(events.map((e) => ({ caseId: e.caseId, seq: e.seq, body: e.body }))));
}

/** Every ciphertext's key id in a JSON value (event bodies, sealed document text). */
function kidsIn(vault: Vault, json: unknown, into: Set<string>): void {
  mapSealed(json, (s) => {
    into.add(vault.kidOf(parseSealed(s).ciphertext));
    return s;
  });
}

/** Re-encrypts under the vault's newest key, deterministically, as a key rotation does. */
function resealed<T>(vault: Vault, json: T): T {
  return mapSealed(json, (s) => {
    const { kind, ciphertext } = parseSealed(s);
    const next = vault.reseal(ciphertext);
    return next === ciphertext ? s : sealValue(kind, next);
  }) as T;
}

function chunks<T>(list: T[], size = CHUNK): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < list.length; i += size) out.push(list.slice(i, i + size));
  return out;
}

function encodeLine(line: Line | ArchiveManifest): string {
  return `${JSON.stringify(line)}\n`;
}

/** Writes lines to a gzip file, waiting when the compressor's buffer is full. */
function gzipWriter(path: string) {
  const gzip = createGzip({ level: 6 });
  const file = createWriteStream(path, { mode: 0o600 });
  gzip.pipe(file);
  const done = new Promise<void>((resolve, reject) => {
    file.on('finish', () => resolve());
    file.on('error', reject);
    gzip.on('error', reject);
  });
  return {
    async write(text: string) {
      if (!gzip.write(text)) await new Promise((resolve) => gzip.once('drain', resolve));
    },
    async end() {
      gzip.end();
      await done;
    },
  };
}

/** Reads an archive's lines; throws ArchiveRefused on a file that is not one. */
async function* readLines(path: string): AsyncGenerator<string> {
  if (!existsSync(path)) refuse(`归档文件 ${path} 不存在`, `archive file ${path} does not exist`);
  const gunzip = createGunzip();
  const stream = createReadStream(path).pipe(gunzip);
  const lines = createInterface({ input: stream, crlfDelay: Number.POSITIVE_INFINITY });
  try {
    for await (const line of lines) yield line;
  } catch (error) {
    refuse(
      `${path} 不是完整的归档文件（gzip 解压失败：${(error as Error).message}）`,
      `${path} is not a whole archive file (gzip: ${(error as Error).message})`,
    );
  }
}

export interface ReadArchive {
  manifest: ArchiveManifest;
}

/**
 * Reads a whole archive file, checking it against its manifest (the SHA-256
 * of its lines and the counts); calls `onLine` for each line in order.
 */
export async function readArchive(
  path: string,
  onLine?: (line: Line) => void | Promise<void>,
): Promise<ArchiveManifest> {
  const hash = createHash('sha256');
  const counts: ArchiveCounts = {
    cases: 0,
    events: 0,
    attachments: 0,
    attachmentFiles: 0,
    documents: 0,
  };
  let manifest: ArchiveManifest | undefined;
  let number = 0;
  const bad = (why: string, whyEn: string) =>
    refuse(
      `${path} 第 ${number} 行：${why}，不是有效的归档文件`,
      `${path} line ${number}: ${whyEn}; not a valid archive file`,
    );
  for await (const text of readLines(path)) {
    number++;
    if (manifest) bad('清单之后还有内容', 'content after the manifest');
    let line: Line | ArchiveManifest;
    try {
      line = JSON.parse(text) as Line | ArchiveManifest;
    } catch {
      return bad('不是 JSON', 'not JSON');
    }
    if (line.t === 'manifest') {
      manifest = line;
      continue;
    }
    hash.update(`${text}\n`);
    if (line.t === 'case') counts.cases++;
    else if (line.t === 'event') counts.events++;
    else if (line.t === 'attachment') counts.attachments++;
    else if (line.t === 'attachment_file') counts.attachmentFiles++;
    else if (line.t === 'document') counts.documents++;
    else bad('未知的记录类型', 'unknown record type');
    await onLine?.(line);
  }
  if (!manifest || manifest.format !== ARCHIVE_FORMAT || manifest.version !== 1)
    return refuse(
      `${path} 没有归档清单（文件不完整，或不是 lianxin archive 写的文件）`,
      `${path} has no archive manifest (the file is cut short, or was not written by lianxin archive)`,
    );
  const digest = hash.digest('hex');
  if (digest !== manifest.sha256)
    refuse(
      `${path} 的内容已被改动：SHA-256 为 ${digest}，清单记录的是 ${manifest.sha256}`,
      `${path} was changed: its content's SHA-256 is ${digest}, the manifest records ${manifest.sha256}`,
    );
  for (const key of Object.keys(counts) as (keyof ArchiveCounts)[])
    if (counts[key] !== manifest.counts[key])
      refuse(
        `${path} 的 ${key} 记录数为 ${counts[key]}，清单记录的是 ${manifest.counts[key]}`,
        `${path} holds ${counts[key]} ${key} record(s), the manifest says ${manifest.counts[key]}`,
      );
  return manifest;
}

export interface ArchiveResult {
  /** The archive file written, or undefined when no case was due. */
  file?: string;
  manifest?: ArchiveManifest;
}

/**
 * Archives the cases closed or cancelled in `year` (Beijing time) and not yet
 * archived: writes `path`, reads it back against what was written, then in
 * one transaction deletes those rows and records each case in
 * `case_archives`. A case whose row is not its events' replay is refused (run
 * `lianxin verify`); on any refusal the database is unchanged and no file is left.
 */
export async function archiveClosedCases(
  database: Database,
  vault: Vault,
  options: {
    year: number;
    path: string;
    now: Date;
    onProgress?: (phase: 'write' | 'check' | 'delete', done: number, total: number) => void;
  },
): Promise<ArchiveResult> {
  const t = database.t;
  const { fromMs, toMs } = beijingYearRange(options.year);
  const due = and(
    inArray(t.cases.status, ['closed', 'cancelled']),
    gte(t.cases.closedAtMs, fromMs),
    lt(t.cases.closedAtMs, toMs),
    notExists(
      database.db
        .select({ one: sql`1` })
        .from(t.caseArchives)
        .where(eq(t.caseArchives.caseId, t.cases.id)),
    ),
  );
  const total = (await database.read((db) => db.$count(t.cases, due))) as number;
  if (!total) return {};
  if (existsSync(options.path))
    refuse(`归档文件 ${options.path} 已存在`, `archive file ${options.path} already exists`);
  const partial = `${options.path}.partial`;
  const out = gzipWriter(partial);
  const hash = createHash('sha256');
  const counts: ArchiveCounts = {
    cases: 0,
    events: 0,
    attachments: 0,
    attachmentFiles: 0,
    documents: 0,
  };
  const sealedWith = new Set<string>();
  const archived: ArchivedCaseLine[] = [];
  const attachmentIds: string[] = [];
  const storagePaths = new Set<string>();
  const put = async (line: Line) => {
    const text = encodeLine(line);
    hash.update(text);
    await out.write(text);
  };
  try {
    for (let after = ''; ; ) {
      const from = after;
      const rows = await database.read((db) =>
        db
          .select()
          .from(t.cases)
          .where(and(due, gt(t.cases.id, from)))
          .orderBy(asc(t.cases.id))
          .limit(PAGE),
      );
      if (!rows.length) break;
      const ids = rows.map((r) => r.id);
      const [events, attachments, documents] = await database.read(async (db) => [
        await db
          .select()
          .from(t.events)
          .where(inArray(t.events.caseId, ids))
          .orderBy(asc(t.events.caseId), asc(t.events.seq)),
        await db
          .select()
          .from(t.attachments)
          .where(inArray(t.attachments.caseId, ids))
          .orderBy(asc(t.attachments.id)),
        await db
          .select()
          .from(t.documents)
          .where(inArray(t.documents.caseId, ids))
          .orderBy(asc(t.documents.id)),
      ]);
      const group = <R>(list: R[], key: (r: R) => string | null) => {
        const map = new Map<string, R[]>();
        for (const r of list) {
          const k = key(r);
          if (k !== null) map.set(k, [...(map.get(k) ?? []), r]);
        }
        return map;
      };
      const eventsOf = group(events, (e) => e.caseId);
      const attachmentsOf = group(attachments, (a) => a.caseId);
      const documentsOf = group(documents, (d) => d.caseId);
      for (const row of rows) {
        const own = eventsOf.get(row.id) ?? [];
        // Only a case the events prove: the archive must hold what the row says.
        const { state, ...columns } = caseColumns(fold(own.map((e) => e.body)));
        const stored: Record<string, unknown> = row;
        const differs =
          canonicalJson(row.state) !== canonicalJson(state) ||
          Object.entries(columns).some(
            ([k, v]) => canonicalJson(stored[k]) !== canonicalJson(JSON.parse(JSON.stringify(v))),
          );
        if (!own.length || differs)
          refuse(
            `信访事项 ${row.trackingCode} 的案件记录与其事件的重放不一致，未归档任何数据；请先运行 lianxin verify`,
            `case ${row.trackingCode}: its row differs from the replay of its events; nothing was archived. Run lianxin verify first`,
          );
        const files = attachmentsOf.get(row.id) ?? [];
        const line: ArchivedCaseLine = {
          t: 'case',
          id: row.id,
          trackingCode: row.trackingCode,
          jurisdiction: row.jurisdiction,
          closedAtMs: row.closedAtMs as number,
          events: own.length,
          attachments: files.length,
          eventsSha256: eventsDigest(own),
          rowSha256: caseRowDigest(vault, row),
        };
        await put(line);
        archived.push(line);
        counts.cases++;
        for (const e of own) {
          kidsIn(vault, e.body, sealedWith);
          await put({ t: 'event', row: e });
          counts.events++;
        }
        for (const a of files) {
          await put({ t: 'attachment', row: a });
          attachmentIds.push(a.id);
          counts.attachments++;
          if (storagePaths.has(a.storagePath)) continue;
          const [file] = await database.read((db) =>
            db
              .select()
              .from(t.attachmentFiles)
              .where(eq(t.attachmentFiles.storagePath, a.storagePath)),
          );
          if (!file) continue;
          storagePaths.add(a.storagePath);
          await put({
            t: 'attachment_file',
            row: { ...file, bytes: Buffer.from(file.bytes).toString('base64') },
          });
          counts.attachmentFiles++;
        }
        for (const d of documentsOf.get(row.id) ?? []) {
          kidsIn(vault, d.content, sealedWith);
          await put({ t: 'document', row: d });
          counts.documents++;
        }
      }
      options.onProgress?.('write', counts.cases, total);
      after = rows.at(-1)?.id ?? after;
    }
    const manifest: ArchiveManifest = {
      t: 'manifest',
      format: ARCHIVE_FORMAT,
      version: 1,
      year: options.year,
      createdAt: options.now.toISOString(),
      dialect: database.dialect,
      source: database.description,
      keys: (await keyRingRows(database))
        .filter((k) => !k.retiredAt)
        .map((k) => ({ kid: k.kid, fingerprint: k.fingerprint })),
      sealedWith: [...sealedWith].sort(),
      counts,
      sha256: hash.digest('hex'),
    };
    await out.write(encodeLine(manifest));
    await out.end();

    // Read it back: the same lines, the same digests, before anything is deleted.
    const expected = new Map(archived.map((a) => [a.id, a]));
    const readEvents = new Map<string, EventRow[]>();
    let checked = 0;
    await readArchive(partial, (line) => {
      if (line.t === 'event') {
        readEvents.set(line.row.caseId, [...(readEvents.get(line.row.caseId) ?? []), line.row]);
      } else if (line.t === 'case') {
        const wrote = expected.get(line.id);
        if (!wrote || canonicalJson(wrote) !== canonicalJson(line))
          refuse(
            `归档文件读回时与写入的内容不同（信访事项 ${line.trackingCode}），未删除任何数据`,
            `the archive file read back differs from what was written (case ${line.trackingCode}); nothing was deleted`,
          );
        options.onProgress?.('check', ++checked, total);
      }
    });
    for (const a of archived)
      if (eventsDigest(readEvents.get(a.id) ?? []) !== a.eventsSha256)
        refuse(
          `归档文件读回时信访事项 ${a.trackingCode} 的事件与写入的不同，未删除任何数据`,
          `the archive file read back holds other events for case ${a.trackingCode} than were written; nothing was deleted`,
        );
    readEvents.clear();

    const name = basename(options.path);
    const archivedAt = options.now.toISOString();
    let deleted = 0;
    await database.tx(async (tx) => {
      let deletedEvents = 0;
      for (const part of chunks(archived)) {
        const ids = part.map((a) => a.id);
        deletedEvents += (
          await tx
            .delete(t.events)
            .where(inArray(t.events.caseId, ids))
            .returning({ seq: t.events.seq })
        ).length;
        await tx.delete(t.documents).where(inArray(t.documents.caseId, ids));
        await tx.insert(t.caseArchives).values(
          part.map((a) => ({
            caseId: a.id,
            year: options.year,
            file: name,
            archivedAt,
            events: a.events,
            attachments: a.attachments,
            rowSha256: a.rowSha256,
            eventsSha256: a.eventsSha256,
          })),
        );
        deleted += ids.length;
        options.onProgress?.('delete', deleted, total);
      }
      // A closed case takes no events; if one was written meanwhile, it is not in the file.
      if (deletedEvents !== counts.events)
        refuse(
          `归档期间有信访事项被写入了新的事件（文件 ${counts.events} 个，数据库 ${deletedEvents} 个），未删除任何数据，请重试`,
          `events were written to the cases while archiving (${counts.events} in the file, ${deletedEvents} in the database); nothing was deleted, try again`,
        );
      for (const part of chunks(attachmentIds))
        await tx.delete(t.attachments).where(inArray(t.attachments.id, part));
      // The bytes go only when no attachment left in the database uses them.
      for (const part of chunks([...storagePaths]))
        await tx
          .delete(t.attachmentFiles)
          .where(
            and(
              inArray(t.attachmentFiles.storagePath, part),
              notExists(
                tx
                  .select({ one: sql`1` })
                  .from(t.attachments)
                  .where(eq(t.attachments.storagePath, t.attachmentFiles.storagePath)),
              ),
            ),
          );
    });
    renameSync(partial, options.path);
    return { file: options.path, manifest };
  } catch (error) {
    await out.end().catch(() => {});
    rmSync(partial, { force: true });
    throw error;
  }
}

export interface RestoreResult {
  manifest: ArchiveManifest;
  /** Cases put back by this run; the rest were already in the database. */
  restored: number;
  alreadyThere: number;
}

/**
 * Puts an archive's rows back: first the whole file is checked (its
 * manifest's SHA-256 and counts, every ciphertext opens with the configured
 * keys, every case is this database's and its archive record names the same
 * events), then one transaction inserts the rows (ciphertexts re-encrypted
 * under the newest key, as a rotation since would have), checks each case's
 * replay equals its row, and removes its `case_archives` record. A case
 * already restored is left alone, so a second run changes nothing; any
 * refusal changes nothing.
 */
export async function restoreArchive(
  database: Database,
  vault: Vault,
  path: string,
  options: { onProgress?: (phase: 'check' | 'restore', done: number, total: number) => void } = {},
): Promise<RestoreResult> {
  const t = database.t;
  const cases: ArchivedCaseLine[] = [];
  const byId = new Map<string, ArchivedCaseLine>();
  const unopened = new Set<string>();
  const opens = (json: unknown) =>
    mapSealed(json, (s) => {
      if (!isSealed(s)) return s;
      const { ciphertext } = parseSealed(s);
      try {
        vault.decrypt(ciphertext);
      } catch {
        let kid = '?';
        try {
          kid = vault.kidOf(ciphertext);
        } catch {}
        unopened.add(kid);
      }
      return s;
    });
  const manifest = await readArchive(path, (line) => {
    if (line.t === 'case') {
      cases.push(line);
      byId.set(line.id, line);
    } else if (line.t === 'event') opens(line.row.body);
    else if (line.t === 'document') opens(line.row.content);
  });
  if (unopened.size)
    refuse(
      `归档文件 ${path} 中的密文无法用配置的密钥解开：需要密钥 ${[...unopened].join('、')}（归档时数据库的密钥：${manifest.keys.map((k) => `${k.kid}，指纹 ${k.fingerprint}`).join('；') || '无'}）；未恢复任何数据`,
      `the ciphertexts in ${path} do not open with the configured keys: they need key ${[...unopened].join(', ')} (the database's keys when archived: ${manifest.keys.map((k) => `${k.kid}, fingerprint ${k.fingerprint}`).join('; ') || 'none'}); nothing was restored`,
    );

  // Which cases this database still has archived, and whether the file is theirs.
  const pending = new Set<string>();
  for (const part of chunks(cases)) {
    const ids = part.map((c) => c.id);
    const [rows, marks] = await database.read(async (db) => [
      await db.select({ id: t.cases.id }).from(t.cases).where(inArray(t.cases.id, ids)),
      await db.select().from(t.caseArchives).where(inArray(t.caseArchives.caseId, ids)),
    ]);
    const present = new Set(rows.map((r) => r.id));
    const marked = new Map(marks.map((m) => [m.caseId, m]));
    for (const c of part) {
      if (!present.has(c.id))
        refuse(
          `归档文件中的信访事项 ${c.trackingCode} 不在这个数据库里（文件来自别的数据库？）；未恢复任何数据`,
          `case ${c.trackingCode} of the archive is not in this database (is the file from another database?); nothing was restored`,
        );
      const mark = marked.get(c.id);
      if (!mark) continue;
      if (mark.eventsSha256 !== c.eventsSha256 || mark.rowSha256 !== c.rowSha256)
        refuse(
          `归档文件中信访事项 ${c.trackingCode} 的内容与数据库的归档记录（${mark.file}）不符；未恢复任何数据`,
          `case ${c.trackingCode} in the archive does not match the database's archive record (${mark.file}); nothing was restored`,
        );
      pending.add(c.id);
    }
  }
  if (!pending.size) return { manifest, restored: 0, alreadyThere: cases.length };

  await database.tx(async (tx) => {
    const events = new Map<string, EventRow[]>();
    let done = 0;
    const flush = async () => {
      for (const [caseId, own] of events) {
        const mark = byId.get(caseId);
        if (!mark || eventsDigest(own) !== mark.eventsSha256)
          return refuse(
            `归档文件中信访事项 ${mark?.trackingCode ?? caseId} 的事件与归档记录不符；未恢复任何数据`,
            `the events of case ${mark?.trackingCode ?? caseId} in the archive do not match its archive record; nothing was restored`,
          );
        const rows = own.map((e) => ({ ...e, body: resealed(vault, e.body) }));
        for (const part of chunks(rows, 200))
          await tx.insert(t.events).values(part).onConflictDoNothing();
        await checkReplay(database, tx, vault, caseId, mark);
        await tx.delete(t.caseArchives).where(eq(t.caseArchives.caseId, caseId));
        options.onProgress?.('restore', ++done, pending.size);
      }
      events.clear();
    };
    await readArchive(path, async (line) => {
      if (line.t === 'case') {
        if (events.size >= PAGE) await flush();
        return;
      }
      const caseId =
        line.t === 'attachment_file' ? undefined : (line.row as { caseId: string | null }).caseId;
      if (caseId !== undefined && (caseId === null || !pending.has(caseId))) return;
      if (line.t === 'event')
        events.set(line.row.caseId, [...(events.get(line.row.caseId) ?? []), line.row]);
      else if (line.t === 'attachment')
        await tx.insert(t.attachments).values(line.row).onConflictDoNothing();
      else if (line.t === 'attachment_file')
        await tx
          .insert(t.attachmentFiles)
          .values({ ...line.row, bytes: Buffer.from(line.row.bytes, 'base64') })
          .onConflictDoNothing();
      else if (line.t === 'document')
        await tx
          .insert(t.documents)
          .values({ ...line.row, content: resealed(vault, line.row.content) })
          .onConflictDoNothing();
    });
    await flush();
  });
  return { manifest, restored: pending.size, alreadyThere: cases.length - pending.size };
}

/** Inside the restore's transaction: the case row must equal the replay of the events put back. */
async function checkReplay(
  database: Database,
  tx: Db,
  vault: Vault,
  caseId: string,
  mark: ArchivedCaseLine,
): Promise<void> {
  const t = database.t;
  const [row] = await tx.select().from(t.cases).where(eq(t.cases.id, caseId));
  const events = await tx
    .select({ body: t.events.body })
    .from(t.events)
    .where(eq(t.events.caseId, caseId))
    .orderBy(asc(t.events.seq));
  // A row archived before comments and attachments left the state still holds them.
  const state = row && withoutLegacyNotes(row.state);
  const ok =
    row &&
    events.length === mark.events &&
    canonicalJson(state) === canonicalJson(caseColumns(fold(events.map((e) => e.body))).state) &&
    caseRowDigest(vault, row) === mark.rowSha256;
  if (!ok)
    refuse(
      `恢复后信访事项 ${mark.trackingCode} 的案件记录与事件重放不一致；未恢复任何数据`,
      `after restoring, case ${mark.trackingCode}'s row would differ from the replay of its events; nothing was restored`,
    );
  if (row && state !== row.state)
    await tx.update(t.cases).set({ state }).where(eq(t.cases.id, caseId));
}

/** Where a case's events went, for the case page's 已归档 banner; null when they are in the database. */
export async function caseArchive(
  database: Database,
  caseId: string,
): Promise<{ year: number; file: string; archivedAt: string; events: number } | null> {
  const t = database.t.caseArchives;
  const [row] = await database.read((db) =>
    db
      .select({ year: t.year, file: t.file, archivedAt: t.archivedAt, events: t.events })
      .from(t)
      .where(eq(t.caseId, caseId)),
  );
  return row ?? null;
}
