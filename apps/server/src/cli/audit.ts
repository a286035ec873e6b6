import {
  MIN_AUDIT_RETENTION_DAYS,
  pruneAudit,
  StoreError,
  systemClock,
  verifyAudit,
} from '@lianxin/store';
import { configFromEnv } from '../config';
import type { CommandContext } from './main';
import { openChecked } from './open';
import { fail, parseCommandArgs } from './output';

/**
 * `audit verify`: walks the audit log's hash chain and proves it intact
 * (exit 0, printing the head hash to keep elsewhere) or names the first
 * broken record (exit 1). `audit prune --days N`: removes records older than
 * N ≥ 180 days, leaving a record of the removal the chain continues from.
 */
export async function run(ctx: CommandContext): Promise<number> {
  const parsed = parseCommandArgs(ctx, {
    json: { type: 'boolean' },
    days: { type: 'string' },
  });
  if (!parsed) return 2;
  const [sub] = parsed.positionals;
  const zh = ctx.lang !== 'en';
  if (sub !== 'verify' && sub !== 'prune') {
    fail(
      ctx.lang,
      '用法：lianxin audit verify [--json] | lianxin audit prune --days 180',
      'usage: lianxin audit verify [--json] | lianxin audit prune --days 180',
    );
    return 2;
  }
  const config = configFromEnv(process.env, ctx.cwd);
  const { database } = await openChecked(config);
  try {
    if (sub === 'prune') {
      const days = Number(parsed.values.days ?? MIN_AUDIT_RETENTION_DAYS);
      try {
        const result = await pruneAudit(database, systemClock, { retentionDays: days });
        console.log(
          zh
            ? `已删除 ${result.deleted} 条超过 ${days} 天的审计记录${result.through ? `（至第 ${result.through} 条）` : ''}`
            : `removed ${result.deleted} audit record(s) older than ${days} days${result.through ? ` (through #${result.through})` : ''}`,
        );
        return 0;
      } catch (error) {
        if (!(error instanceof StoreError)) throw error;
        fail(ctx.lang, error.bilingual['zh-CN'], error.bilingual.en);
        return 2;
      }
    }
    const interactive = !parsed.values.json && process.stderr.isTTY;
    const result = await verifyAudit(database, {
      onProgress: (checked, lastSeq) => {
        if (interactive)
          process.stderr.write(
            zh
              ? `\r已核验 ${checked} 条（至第 ${lastSeq} 条）`
              : `\rchecked ${checked} (to #${lastSeq})`,
          );
      },
    });
    if (interactive) process.stderr.write('\n');
    if (parsed.values.json) console.log(JSON.stringify(result, null, 2));
    else if (result.ok)
      console.log(
        zh
          ? `审计日志完整：${result.count} 条记录（第 ${result.firstSeq ?? '-'}–${result.lastSeq} 条），链头哈希 ${result.headHash}`
          : `audit log intact: ${result.count} record(s) (#${result.firstSeq ?? '-'}–${result.lastSeq}), head hash ${result.headHash}`,
      );
    else
      fail(
        ctx.lang,
        `审计日志已被改动：${result.broken.message['zh-CN']}（此前 ${result.count} 条完好）`,
        `audit log tampered with: ${result.broken.message.en} (${result.count} record(s) before it intact)`,
      );
    return result.ok ? 0 : 1;
  } finally {
    await database.close();
  }
}
