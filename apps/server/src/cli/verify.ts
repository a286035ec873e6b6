import { join } from 'node:path';
import { type VerifyPhase, verifyStore } from '@lianxin/store';
import { configFromEnv } from '../config';
import type { CommandContext } from './main';
import { openCheckedStore } from './open';
import { fail, parseCommandArgs } from './output';

const PHASES: Record<VerifyPhase, { zh: string; en: string }> = {
  cases: { zh: '信访事项', en: 'cases' },
  petitioners: { zh: '信访人', en: 'petitioners' },
  attachments: { zh: '附件', en: 'attachments' },
  audit: { zh: '审计记录', en: 'audit records' },
};

/**
 * `verify [--json]`: every case row equals the replay of its events, every
 * attachment's file matches its hash, the audit chain is intact and every
 * ciphertext opens. Exit 0 when all hold, 1 with a located report otherwise.
 */
export async function run(ctx: CommandContext): Promise<number> {
  const parsed = parseCommandArgs(ctx, { json: { type: 'boolean' } });
  if (!parsed) return 2;
  const zh = ctx.lang !== 'en';
  const config = configFromEnv(process.env, ctx.cwd);
  const store = await openCheckedStore(config);
  try {
    const interactive = !parsed.values.json && process.stderr.isTTY;
    const report = await verifyStore(store.database, store.vault, {
      attachmentsDir: join(config.dataDir, 'attachments'),
      onProgress: (phase, done, total) => {
        if (interactive)
          process.stderr.write(
            `\r${zh ? `正在核验${PHASES[phase].zh}` : `checking ${PHASES[phase].en}`} ${done}/${total}      `,
          );
      },
    });
    if (interactive) process.stderr.write('\n');
    const c = report.checked;
    if (parsed.values.json) console.log(JSON.stringify(report, null, 2));
    else if (report.ok)
      console.log(
        zh
          ? `核验通过：${c.cases} 件信访事项与 ${c.events} 个事件的重放一致，${c.attachments} 个附件完好，${c.audit} 条审计记录的哈希链完整，${c.petitioners} 位信访人的密文可解密`
          : `verified: ${c.cases} case(s) equal the replay of their ${c.events} event(s), ${c.attachments} attachment(s) intact, the hash chain of ${c.audit} audit record(s) intact, ${c.petitioners} petitioner(s)' ciphertexts open`,
      );
    if (!report.ok && !parsed.values.json) {
      const count = report.problems.length + report.more;
      fail(
        ctx.lang,
        [
          `核验发现 ${count} 处问题：`,
          ...report.problems.map((p) => `  ${p.message['zh-CN']}`),
          ...(report.more ? [`  ……另有 ${report.more} 处`] : []),
        ].join('\n'),
        [
          `verify found ${count} problem(s):`,
          ...report.problems.map((p) => `  ${p.message.en}`),
          ...(report.more ? [`  … and ${report.more} more`] : []),
        ].join('\n'),
      );
    }
    return report.ok ? 0 : 1;
  } finally {
    await store.database.close();
  }
}
