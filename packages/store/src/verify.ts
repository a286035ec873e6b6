import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { join } from 'node:path';
import { fold } from '@lianxin/engine';
import type { Bilingual } from '@lianxin/spec';
import { mapSealed, parseSealed } from '@lianxin/spec';
import { asc, gt, inArray } from 'drizzle-orm';
import { caseRowDigest } from './archive';
import { attachmentFileBytes } from './attachment-files';
import { verifyAudit } from './audit';
import { caseColumns } from './cases';
import type { Vault } from './crypto';
import type { Database } from './db';
import { canonicalJson } from './store';

/**
 * `lianxin verify`: proves a database (a live one, or one just restored)
 * whole. Every case row equals the replay of its events; every attachment's
 * file is there with the hash and size its row records; the audit chain is
 * intact; every ciphertext opens with the configured keys.
 */

export interface VerifyProblem {
  kind: 'case' | 'attachment' | 'audit' | 'ciphertext';
  /** What is wrong where: a case id and JSON pointer, an attachment id and path, an audit record. */
  where: string;
  message: Bilingual;
}

export type VerifyPhase = 'cases' | 'petitioners' | 'attachments' | 'audit';

export interface VerifyReport {
  ok: boolean;
  checked: {
    cases: number;
    events: number;
    petitioners: number;
    attachments: number;
    audit: number;
  };
  /** At most `maxProblems` problems, in the order found; `more` counts the rest. */
  problems: VerifyProblem[];
  more: number;
}

/** The first place two JSON values differ, as a JSON pointer ('' for the whole value). */
export function firstDifference(a: unknown, b: unknown, pointer = ''): string | undefined {
  if (canonicalJson(a) === canonicalJson(b)) return undefined;
  if (
    a &&
    b &&
    typeof a === 'object' &&
    typeof b === 'object' &&
    Array.isArray(a) === Array.isArray(b)
  ) {
    const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
    for (const key of keys) {
      const found = firstDifference(
        (a as Record<string, unknown>)[key],
        (b as Record<string, unknown>)[key],
        `${pointer}/${key.replace(/~/g, '~0').replace(/\//g, '~1')}`,
      );
      if (found !== undefined) return found;
    }
  }
  return pointer;
}

function sha256File(path: string): Promise<{ sha256: string; size: number } | undefined> {
  return new Promise((resolvePromise) => {
    const hash = createHash('sha256');
    let size = 0;
    createReadStream(path)
      .on('data', (chunk) => {
        hash.update(chunk);
        size += chunk.length;
      })
      .on('error', () => resolvePromise(undefined))
      .on('end', () => resolvePromise({ sha256: hash.digest('hex'), size }));
  });
}

export async function verifyStore(
  database: Database,
  vault: Vault,
  options: {
    /**
     * The attachments folder, read for files the database does not hold
     * (written before attachment_files); attachments are not checked without it.
     */
    attachmentsDir?: string;
    batch?: number;
    maxProblems?: number;
    onProgress?: (phase: VerifyPhase, done: number, total: number) => void;
  } = {},
): Promise<VerifyReport> {
  const t = database.t;
  const batch = options.batch ?? 200;
  const maxProblems = options.maxProblems ?? 100;
  const report: VerifyReport = {
    ok: true,
    checked: { cases: 0, events: 0, petitioners: 0, attachments: 0, audit: 0 },
    problems: [],
    more: 0,
  };
  const problem = (p: VerifyProblem) => {
    report.ok = false;
    if (report.problems.length < maxProblems) report.problems.push(p);
    else report.more++;
  };
  const total = async (table: typeof t.cases | typeof t.petitioners | typeof t.attachments) =>
    (await database.read((db) => db.$count(table))) as number;
  const opens = (ciphertext: string, where: string) => {
    try {
      vault.decrypt(ciphertext);
    } catch (error) {
      const detail = error instanceof Error ? error.message : String(error);
      problem({
        kind: 'ciphertext',
        where,
        message: {
          'zh-CN': `${where} 的密文无法用配置的密钥解开（${detail}）`,
          en: `the ciphertext at ${where} does not open with the configured keys (${detail})`,
        },
      });
    }
  };
  const sealedIn = (json: unknown, where: string) =>
    mapSealed(json, (s) => {
      opens(parseSealed(s).ciphertext, where);
      return s;
    });

  // Cases, a page at a time with their events.
  const cases = await total(t.cases);
  for (let after = ''; ; ) {
    const from = after;
    const rows = await database.read((db) =>
      db.select().from(t.cases).where(gt(t.cases.id, from)).orderBy(asc(t.cases.id)).limit(batch),
    );
    if (!rows.length) break;
    const ids = rows.map((r) => r.id);
    const events = await database.read((db) =>
      db
        .select({ caseId: t.events.caseId, body: t.events.body })
        .from(t.events)
        .where(inArray(t.events.caseId, ids))
        .orderBy(asc(t.events.caseId), asc(t.events.seq)),
    );
    // A case archived by `lianxin archive` has no events here: its row must be as archived.
    const archived = new Map(
      (
        await database.read((db) =>
          db.select().from(t.caseArchives).where(inArray(t.caseArchives.caseId, ids)),
        )
      ).map((a) => [a.caseId, a]),
    );
    const byCase = new Map<string, (typeof events)[number]['body'][]>();
    for (const e of events) {
      const list = byCase.get(e.caseId) ?? [];
      list.push(e.body);
      byCase.set(e.caseId, list);
    }
    for (const row of rows) {
      const own = byCase.get(row.id) ?? [];
      report.checked.events += own.length;
      const archive = archived.get(row.id);
      if (archive) {
        let digest: string | undefined;
        try {
          digest = caseRowDigest(vault, row);
        } catch {}
        if (own.length || digest !== archive.rowSha256)
          problem({
            kind: 'case',
            where: `case ${row.id} (${row.trackingCode}) archive ${archive.file}`,
            message: own.length
              ? {
                  'zh-CN': `信访事项 ${row.id}（查询码 ${row.trackingCode}）已归档到 ${archive.file}，数据库里却还有 ${own.length} 个事件`,
                  en: `case ${row.id} (tracking code ${row.trackingCode}) is archived in ${archive.file}, yet the database holds ${own.length} event(s) of it`,
                }
              : {
                  'zh-CN': `信访事项 ${row.id}（查询码 ${row.trackingCode}）的案件记录在归档（${archive.file}）后被改动`,
                  en: `case ${row.id} (tracking code ${row.trackingCode}): its row was changed after it was archived (${archive.file})`,
                },
          });
        sealedIn(row.state, `cases/${row.id}/state`);
        continue;
      }
      const replayed = fold(own);
      const { state, ...columns } = caseColumns(replayed);
      const stored: Record<string, unknown> = row;
      const where = `case ${row.id} (${row.trackingCode})`;
      const statePointer = firstDifference(row.state, state);
      if (statePointer !== undefined)
        problem({
          kind: 'case',
          where: `${where} state${statePointer}`,
          message: {
            'zh-CN': `信访事项 ${row.id}（查询码 ${row.trackingCode}）的 state${statePointer || ''} 与事件重放的结果不同（共 ${own.length} 个事件）`,
            en: `case ${row.id} (tracking code ${row.trackingCode}): state${statePointer || ''} differs from the replay of its ${own.length} event(s)`,
          },
        });
      else
        for (const [column, value] of Object.entries(columns)) {
          const pointer = firstDifference(stored[column], JSON.parse(JSON.stringify(value)));
          if (pointer === undefined) continue;
          problem({
            kind: 'case',
            where: `${where} ${column}${pointer}`,
            message: {
              'zh-CN': `信访事项 ${row.id}（查询码 ${row.trackingCode}）的 ${column}${pointer} 列与事件重放的结果不同`,
              en: `case ${row.id} (tracking code ${row.trackingCode}): column ${column}${pointer} differs from the replay of its events`,
            },
          });
          break;
        }
      sealedIn(row.state, `cases/${row.id}/state`);
      own.forEach((body, i) => {
        sealedIn(body, `events/${row.id}/${i + 1}`);
      });
    }
    report.checked.cases += rows.length;
    options.onProgress?.('cases', report.checked.cases, cases);
    after = rows.at(-1)?.id ?? after;
  }

  const petitioners = await total(t.petitioners);
  for (let after = ''; ; ) {
    const from = after;
    const rows = await database.read((db) =>
      db
        .select()
        .from(t.petitioners)
        .where(gt(t.petitioners.id, from))
        .orderBy(asc(t.petitioners.id))
        .limit(batch * 5),
    );
    if (!rows.length) break;
    for (const row of rows)
      for (const [column, value] of [
        ['name', row.nameEnc],
        ['idCard', row.idCardEnc],
        ['phone', row.phoneEnc],
      ] as const)
        if (value) opens(value, `petitioners/${row.id}/${column}`);
    report.checked.petitioners += rows.length;
    options.onProgress?.('petitioners', report.checked.petitioners, petitioners);
    after = rows.at(-1)?.id ?? after;
  }

  if (options.attachmentsDir !== undefined) {
    const dir = options.attachmentsDir;
    const attachments = await total(t.attachments);
    for (let after = ''; ; ) {
      const from = after;
      const rows = await database.read((db) =>
        db
          .select()
          .from(t.attachments)
          .where(gt(t.attachments.id, from))
          .orderBy(asc(t.attachments.id))
          .limit(batch),
      );
      if (!rows.length) break;
      for (const row of rows) {
        // The bytes in the database (attachment_files); a file from before that table on disk.
        const stored = await attachmentFileBytes(database, row.storagePath);
        const path = stored ? `attachment_files/${row.storagePath}` : join(dir, row.storagePath);
        const file = stored
          ? { sha256: createHash('sha256').update(stored).digest('hex'), size: stored.length }
          : await sha256File(path);
        const where = `attachment ${row.id} (${row.name}) ${path}`;
        if (!file)
          problem({
            kind: 'attachment',
            where,
            message: {
              'zh-CN': `附件 ${row.id}（${row.name}）的文件 ${path} 不存在或无法读取`,
              en: `attachment ${row.id} (${row.name}): file ${path} is missing or unreadable`,
            },
          });
        else if (file.sha256 !== row.sha256 || file.size !== row.size)
          problem({
            kind: 'attachment',
            where,
            message: {
              'zh-CN': `附件 ${row.id}（${row.name}）的文件 ${path} 已被改动：SHA-256 ${file.sha256}（${file.size} 字节），登记的是 ${row.sha256}（${row.size} 字节）`,
              en: `attachment ${row.id} (${row.name}): file ${path} was changed: SHA-256 ${file.sha256} (${file.size} bytes), recorded ${row.sha256} (${row.size} bytes)`,
            },
          });
      }
      report.checked.attachments += rows.length;
      options.onProgress?.('attachments', report.checked.attachments, attachments);
      after = rows.at(-1)?.id ?? after;
    }
  }

  const audit = await verifyAudit(database, {
    onProgress: (checked) => options.onProgress?.('audit', checked, checked),
  });
  report.checked.audit = audit.count;
  if (!audit.ok)
    problem({
      kind: 'audit',
      where: `audit_log ${audit.broken.seq}`,
      message: audit.broken.message,
    });
  return report;
}
