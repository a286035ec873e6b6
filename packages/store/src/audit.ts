import { createHash } from 'node:crypto';
import type { Bilingual } from '@lianxin/spec';
import { and, asc, desc, eq, gte, inArray, isNull, lt, lte, or, type SQL } from 'drizzle-orm';
import type { Clock } from './cases';
import type { Database, Db } from './db';
import { StoreError } from './errors';
import { canonicalJson } from './store';

/**
 * The security audit log (等保 2.0 安全审计). Every record carries the SHA-256
 * of the record before it plus its own content, so changing or removing a
 * record breaks the chain at that record; `verifyAudit` walks it. Appends lock
 * the one-row `audit_head`, so several servers on one PostgreSQL database
 * extend one chain instead of forking it.
 */

/** The `prevHash` of the first record ever written. */
export const AUDIT_GENESIS = '0'.repeat(64);
/** 等保 2.0 asks for at least six months of audit records. */
export const MIN_AUDIT_RETENTION_DAYS = 180;
const DAY_MS = 86_400_000;

export const AUDIT_ACTIONS = {
  'case.read': { 'zh-CN': '查看信访事项', en: 'read a case' },
  'case.list': { 'zh-CN': '查询信访事项列表', en: 'listed cases' },
  'case.export': { 'zh-CN': '导出信访事项', en: 'exported cases' },
  'petitioner.read': { 'zh-CN': '查看信访人', en: 'read a petitioner' },
  'case.reveal': {
    'zh-CN': '查看信访事项联系方式原文（附理由）',
    en: "revealed a case's contact details (with a reason)",
  },
  'petitioner.reveal': { 'zh-CN': '查看信访人敏感信息原文', en: 'revealed petitioner details' },
  'auth.signIn': { 'zh-CN': '登录', en: 'signed in' },
  'auth.signInFailed': { 'zh-CN': '登录失败', en: 'failed sign-in' },
  'auth.signOut': { 'zh-CN': '退出登录', en: 'signed out' },
  'access.refused': { 'zh-CN': '越权访问被拒绝', en: 'access refused' },
  'admin.userCreated': { 'zh-CN': '创建用户', en: 'created a user' },
  'admin.userUpdated': { 'zh-CN': '修改用户', en: 'changed a user' },
  'admin.membershipsChanged': { 'zh-CN': '修改用户角色或辖区', en: 'changed roles or memberships' },
  'admin.departmentCreated': { 'zh-CN': '新增承办部门', en: 'added a department' },
  'admin.departmentUpdated': {
    'zh-CN': '修改或停用承办部门',
    en: 'renamed or deactivated a department',
  },
  'flow.published': { 'zh-CN': '发布流程', en: 'published a flow' },
  'audit.read': { 'zh-CN': '查询审计日志', en: 'searched the audit log' },
  'audit.pruned': { 'zh-CN': '清理过期审计记录', en: 'removed expired audit records' },
  'calendar.published': { 'zh-CN': '发布节假日安排', en: 'published a holiday arrangement' },
  'calendar.localDays': { 'zh-CN': '设置本地假日', en: 'set local days off' },
  'document.templateSaved': { 'zh-CN': '修改文书模板', en: 'changed a document template' },
  'calendar.localGrant': {
    'zh-CN': '准许或取消本地假日',
    en: 'allowed or withdrew local days off',
  },
} as const satisfies Record<string, Bilingual>;
export type AuditAction = keyof typeof AUDIT_ACTIONS;

/** What a caller states about one audited action; time, sequence and hashes are added here. */
export interface AuditEntry {
  action: AuditAction;
  actorId?: string | null;
  actorName?: string | null;
  /** The jurisdiction the action concerns (the case's, or the actor's own); admins see their scope's. */
  jurisdiction?: string | null;
  caseId?: string | null;
  petitionerId?: string | null;
  ip?: string | null;
  /** Small, non-sensitive facts (query, count, changed fields): never names, phone or ID numbers. */
  detail?: Record<string, unknown>;
}

export type AuditRecord = Database['t']['auditLog']['$inferSelect'];

/** The hashed content of a record: every column except the hashes themselves. */
function content(record: Omit<AuditRecord, 'hash' | 'prevHash'>) {
  return {
    seq: record.seq,
    at: record.at,
    atMs: record.atMs,
    actorId: record.actorId,
    actorName: record.actorName,
    action: record.action,
    jurisdiction: record.jurisdiction,
    caseId: record.caseId,
    petitionerId: record.petitionerId,
    ip: record.ip,
    detail: record.detail,
  };
}

/** SHA-256 (hex) of the previous record's hash followed by this record's canonical content. */
export function auditHash(
  prevHash: string,
  record: Omit<AuditRecord, 'hash' | 'prevHash'>,
): string {
  return createHash('sha256')
    .update(prevHash)
    .update('\n')
    .update(canonicalJson(content(record)))
    .digest('hex');
}

/** Reads the head row; on PostgreSQL with a row lock held to the end of the transaction. */
async function lockHead(database: Database, tx: Db) {
  const t = database.t;
  const query = tx.select().from(t.auditHead).where(eq(t.auditHead.id, 1));
  const [head] = database.dialect === 'pg' ? await query.for('update') : await query;
  // Migration 0004 seeds the row; a database restored without it is repaired here.
  if (head) return head;
  await tx.insert(t.auditHead).values({ id: 1, seq: 0, hash: AUDIT_GENESIS });
  return { id: 1, seq: 0, hash: AUDIT_GENESIS };
}

async function appendIn(database: Database, tx: Db, now: Date, entry: AuditEntry) {
  const t = database.t;
  const head = await lockHead(database, tx);
  const base = {
    seq: head.seq + 1,
    at: now.toISOString(),
    atMs: now.getTime(),
    actorId: entry.actorId ?? null,
    actorName: entry.actorName ?? null,
    action: entry.action,
    jurisdiction: entry.jurisdiction ?? null,
    caseId: entry.caseId ?? null,
    petitionerId: entry.petitionerId ?? null,
    ip: entry.ip ?? null,
    // Stored as JSON and read back: hash what the database will give back (no undefined, no Dates).
    detail: JSON.parse(JSON.stringify(entry.detail ?? {})) as Record<string, unknown>,
  };
  const record: AuditRecord = { ...base, prevHash: head.hash, hash: auditHash(head.hash, base) };
  await tx.insert(t.auditLog).values(record);
  await tx
    .update(t.auditHead)
    .set({ seq: record.seq, hash: record.hash })
    .where(eq(t.auditHead.id, 1));
  return record;
}

/** Appends one record in its own transaction: one insert and the head update. */
export function appendAudit(
  database: Database,
  clock: Clock,
  entry: AuditEntry,
): Promise<AuditRecord> {
  return database.tx((tx) => appendIn(database, tx, clock.now(), entry));
}

export interface AuditQuery {
  /** Only records of these jurisdictions (the admin's scope). */
  jurisdictions?: string[];
  /** With `jurisdictions`: also records naming no jurisdiction (failed sign-ins of unknown names). */
  includeUnscoped?: boolean;
  actorId?: string;
  caseId?: string;
  action?: AuditAction;
  fromMs?: number;
  toMs?: number;
  /** Keyset paging: records with a smaller sequence number than this. */
  beforeSeq?: number;
  limit?: number;
}

/** Newest first, paged by sequence number; `nextBefore` is the cursor for the next page. */
export async function searchAudit(
  database: Database,
  query: AuditQuery,
): Promise<{ records: AuditRecord[]; nextBefore: number | null }> {
  const t = database.t.auditLog;
  const limit = Math.min(Math.max(query.limit ?? 50, 1), 200);
  const where: SQL[] = [];
  if (query.jurisdictions) {
    const inScope = query.jurisdictions.length
      ? inArray(t.jurisdiction, query.jurisdictions)
      : undefined;
    const scoped = query.includeUnscoped
      ? inScope
        ? or(inScope, isNull(t.jurisdiction))
        : isNull(t.jurisdiction)
      : inScope;
    // An empty scope sees nothing rather than everything.
    where.push(scoped ?? eq(t.seq, -1));
  }
  if (query.actorId) where.push(eq(t.actorId, query.actorId));
  if (query.caseId) where.push(eq(t.caseId, query.caseId));
  if (query.action) where.push(eq(t.action, query.action));
  if (query.fromMs !== undefined) where.push(gte(t.atMs, query.fromMs));
  if (query.toMs !== undefined) where.push(lte(t.atMs, query.toMs));
  if (query.beforeSeq !== undefined) where.push(lt(t.seq, query.beforeSeq));
  const rows = await database.read((db) =>
    db
      .select()
      .from(t)
      .where(and(...where))
      .orderBy(desc(t.seq))
      .limit(limit + 1),
  );
  const records = rows.slice(0, limit);
  const last = records.at(-1);
  return { records, nextBefore: rows.length > limit && last ? last.seq : null };
}

export type AuditBreak =
  /** The stored hash is not the hash of the record's content: the record was altered. */
  | 'content'
  /** The record does not continue from the hash of the one before it. */
  | 'link'
  /** A sequence number is missing: the record was removed. */
  | 'missing'
  /** The head row names another last record than the log ends with. */
  | 'head';

export type AuditVerification =
  | {
      ok: true;
      /** Records checked. */
      count: number;
      firstSeq: number | null;
      lastSeq: number;
      /** Write this down elsewhere now and then: a later verify must end at or after it. */
      headHash: string;
    }
  | {
      ok: false;
      count: number;
      broken: { seq: number; reason: AuditBreak; message: Bilingual };
    };

const BREAK_TEXT: Record<AuditBreak, Bilingual> = {
  content: {
    'zh-CN': '审计记录 {seq} 的内容与其哈希不符，已被篡改',
    en: 'audit record {seq} does not match its hash: it was altered',
  },
  link: {
    'zh-CN': '审计记录 {seq} 未接续前一条记录的哈希，链已断开',
    en: 'audit record {seq} does not continue from the previous record: the chain is broken',
  },
  missing: {
    'zh-CN': '审计记录 {seq} 缺失（被删除）',
    en: 'audit record {seq} is missing (deleted)',
  },
  head: {
    'zh-CN': '审计链头记录为 {seq}，与日志末尾不符',
    en: 'the audit head names record {seq}, which is not the end of the log',
  },
};

function broken(count: number, seq: number, reason: AuditBreak): AuditVerification {
  const fill = (s: string) => s.replace('{seq}', String(seq));
  const text = BREAK_TEXT[reason];
  return {
    ok: false,
    count,
    broken: { seq, reason, message: { 'zh-CN': fill(text['zh-CN']), en: fill(text.en) } },
  };
}

/**
 * Walks the whole chain in sequence order and proves it intact, or names the
 * first broken record. A log that retention has shortened starts where the
 * latest `audit.pruned` record says, from the hash it names.
 */
export async function verifyAudit(
  database: Database,
  options: { batch?: number; onProgress?: (checked: number, lastSeq: number) => void } = {},
): Promise<AuditVerification> {
  const t = database.t;
  const batch = options.batch ?? 2000;
  // The walk stops at the head read here, so records appended meanwhile are left for next time.
  const [head] = await database.read((db) =>
    db.select().from(t.auditHead).where(eq(t.auditHead.id, 1)),
  );
  const headSeq = head?.seq ?? 0;
  const headHash = head?.hash ?? AUDIT_GENESIS;
  const [pruned] = await database.read((db) =>
    db
      .select()
      .from(t.auditLog)
      .where(eq(t.auditLog.action, 'audit.pruned'))
      .orderBy(desc(t.auditLog.seq))
      .limit(1),
  );
  const anchor = pruned?.detail as { through?: number; hash?: string } | undefined;
  let expectedSeq = (anchor?.through ?? 0) + 1;
  let prevHash = anchor?.hash ?? AUDIT_GENESIS;
  let firstSeq: number | null = null;
  let count = 0;
  for (;;) {
    const after = expectedSeq - 1;
    const rows = await database.read((db) =>
      db
        .select()
        .from(t.auditLog)
        .where(and(gte(t.auditLog.seq, after + 1), lte(t.auditLog.seq, headSeq)))
        .orderBy(asc(t.auditLog.seq))
        .limit(batch),
    );
    for (const row of rows) {
      if (row.seq !== expectedSeq) return broken(count, expectedSeq, 'missing');
      if (row.prevHash !== prevHash) return broken(count, row.seq, 'link');
      const { hash, prevHash: _, ...rest } = row;
      if (auditHash(row.prevHash, rest) !== hash) return broken(count, row.seq, 'content');
      firstSeq ??= row.seq;
      prevHash = hash;
      expectedSeq++;
      count++;
    }
    options.onProgress?.(count, expectedSeq - 1);
    if (rows.length < batch) break;
  }
  const lastSeq = expectedSeq - 1;
  // Records cut from the end leave the head pointing past them.
  if (headSeq > lastSeq) return broken(count, lastSeq + 1, 'missing');
  if (headSeq !== lastSeq || headHash !== prevHash) return broken(count, headSeq, 'head');
  return { ok: true, count, firstSeq, lastSeq, headHash: prevHash };
}

/**
 * Removes records older than the retention period (never less than 180
 * days) and appends an `audit.pruned` record naming the last removed
 * sequence number and its hash, from which the shortened chain verifies.
 */
export async function pruneAudit(
  database: Database,
  clock: Clock,
  options: { retentionDays: number },
): Promise<{ deleted: number; through: number | null }> {
  if (!(options.retentionDays >= MIN_AUDIT_RETENTION_DAYS))
    throw new StoreError('audit.retentionTooShort', {
      days: options.retentionDays,
      min: MIN_AUDIT_RETENTION_DAYS,
    });
  const t = database.t;
  const now = clock.now();
  const cutoffMs = now.getTime() - options.retentionDays * DAY_MS;
  return database.tx(async (tx) => {
    // Under the head lock, so no append interleaves with the removal.
    await lockHead(database, tx);
    const [last] = await tx
      .select({ seq: t.auditLog.seq, hash: t.auditLog.hash })
      .from(t.auditLog)
      .where(lt(t.auditLog.atMs, cutoffMs))
      .orderBy(desc(t.auditLog.seq))
      .limit(1);
    if (!last) return { deleted: 0, through: null };
    const gone = await tx
      .delete(t.auditLog)
      .where(lte(t.auditLog.seq, last.seq))
      .returning({ seq: t.auditLog.seq });
    await appendIn(database, tx, now, {
      action: 'audit.pruned',
      actorId: 'system',
      detail: {
        through: last.seq,
        hash: last.hash,
        deleted: gone.length,
        retentionDays: options.retentionDays,
        before: new Date(cutoffMs).toISOString(),
      },
    });
    return { deleted: gone.length, through: last.seq };
  });
}
