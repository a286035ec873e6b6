import { mkdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { archiveClosedCases, archiveYearRefusal, systemClock } from '@lianxin/store';
import { configFromEnv } from '../config';
import type { CommandContext } from './main';
import { openCheckedStore } from './open';
import { fail, parseCommandArgs } from './output';

const PHASES = {
  write: { zh: '正在写入归档文件', en: 'writing the archive' },
  check: { zh: '正在读回核对', en: 'reading it back' },
  delete: { zh: '正在从数据库删除', en: 'deleting from the database' },
} as const;

/**
 * `archive --year 2024 [--out dir] [--force]`: moves the events, attachments
 * and documents of the cases closed in that year (Beijing time) to one gzip
 * JSON-lines file (docs/deploy.md, 归档), checked by reading it back before
 * the rows are deleted in one transaction. The case rows stay.
 */
export async function run(ctx: CommandContext): Promise<number> {
  const parsed = parseCommandArgs(ctx, {
    year: { type: 'string' },
    out: { type: 'string' },
    force: { type: 'boolean' },
  });
  if (!parsed) return 2;
  const zh = ctx.lang !== 'en';
  const year = Number(parsed.values.year);
  if (!parsed.values.year || !/^\d{4}$/.test(parsed.values.year)) {
    fail(
      ctx.lang,
      '用法：lianxin archive --year <年份> [--out <目录>] [--force]',
      'usage: lianxin archive --year <year> [--out <dir>] [--force]',
    );
    return 2;
  }
  const now = systemClock.now();
  const refusal = archiveYearRefusal(year, now.getTime(), parsed.values.force === true);
  if (refusal) {
    fail(ctx.lang, refusal['zh-CN'], refusal.en);
    return 2;
  }
  const config = configFromEnv(process.env, ctx.cwd);
  const dir = resolve(ctx.cwd, parsed.values.out ?? join(config.dataDir, 'archives'));
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const stamp = now
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z');
  const path = join(dir, `lianxin-archive-${year}-${stamp}.jsonl.gz`);
  const store = await openCheckedStore(config);
  try {
    const interactive = process.stderr.isTTY;
    const result = await archiveClosedCases(store.database, store.vault, {
      year,
      path,
      now,
      onProgress: (phase, done, total) => {
        if (interactive)
          process.stderr.write(
            `\r${zh ? PHASES[phase].zh : PHASES[phase].en} ${done}/${total}      `,
          );
      },
    });
    if (interactive) process.stderr.write('\n');
    const { manifest } = result;
    if (!manifest || !result.file) {
      console.log(
        zh
          ? `${year} 年没有待归档的信访事项（办结或撤销且尚未归档的）`
          : `no case closed or cancelled in ${year} is left to archive`,
      );
      return 0;
    }
    const c = manifest.counts;
    const size = statSync(result.file).size;
    const keys = manifest.sealedWith.join(', ') || (zh ? '（无密文）' : '(no ciphertexts)');
    console.log(
      zh
        ? `归档完成：${result.file}（${size} 字节）\n${c.cases} 件 ${year} 年办结的信访事项：${c.events} 个事件、${c.attachments} 个附件（${c.attachmentFiles} 个文件）、${c.documents} 份文书已移入归档并从数据库删除；案件记录、统计和检索不变。\n内容 SHA-256 ${manifest.sha256}。文件中的密文未解密，恢复时需要密钥 ${keys}。\n恢复：lianxin restore-archive ${result.file}`
        : `archive done: ${result.file} (${size} bytes)\n${c.cases} case(s) closed in ${year}: ${c.events} event(s), ${c.attachments} attachment(s) (${c.attachmentFiles} file(s)) and ${c.documents} document(s) moved to the archive and deleted from the database; case rows, statistics and search are unchanged.\nContent SHA-256 ${manifest.sha256}. Its ciphertexts were not decrypted; a restore needs key ${keys}.\nRestore: lianxin restore-archive ${result.file}`,
    );
    return 0;
  } finally {
    await store.database.close();
  }
}
