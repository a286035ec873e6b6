import { existsSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { restoreArchive } from '@lianxin/store';
import { configFromEnv } from '../config';
import type { CommandContext } from './main';
import { openCheckedStore } from './open';
import { fail, parseCommandArgs } from './output';

/**
 * `restore-archive <file>`: puts an archive's rows back (docs/deploy.md,
 * 归档). The whole file is checked first; a refusal changes nothing, and a
 * second run of the same file changes nothing.
 */
export async function run(ctx: CommandContext): Promise<number> {
  const parsed = parseCommandArgs(ctx, {});
  if (!parsed) return 2;
  const [given] = parsed.positionals;
  const zh = ctx.lang !== 'en';
  if (!given) {
    fail(
      ctx.lang,
      '用法：lianxin restore-archive <归档文件>',
      'usage: lianxin restore-archive <file>',
    );
    return 2;
  }
  const config = configFromEnv(process.env, ctx.cwd);
  // The case page names the file; look for a bare name in the data folder's archives.
  const inArchives = join(config.dataDir, 'archives', basename(given));
  const path =
    existsSync(resolve(ctx.cwd, given)) || basename(given) !== given || !existsSync(inArchives)
      ? resolve(ctx.cwd, given)
      : inArchives;
  const store = await openCheckedStore(config);
  try {
    const interactive = process.stderr.isTTY;
    const result = await restoreArchive(store.database, store.vault, path, {
      onProgress: (_phase, done, total) => {
        if (interactive)
          process.stderr.write(`\r${zh ? '正在恢复' : 'restoring'} ${done}/${total}      `);
      },
    });
    if (interactive) process.stderr.write('\n');
    const c = result.manifest.counts;
    console.log(
      zh
        ? `恢复完成：${path}（${result.manifest.year} 年，${c.cases} 件信访事项，${c.events} 个事件，${c.attachments} 个附件，${c.documents} 份文书）：本次恢复 ${result.restored} 件，${result.alreadyThere} 件已在数据库中未改动`
        : `restore done: ${path} (${result.manifest.year}, ${c.cases} case(s), ${c.events} event(s), ${c.attachments} attachment(s), ${c.documents} document(s)): ${result.restored} case(s) restored now, ${result.alreadyThere} already in the database and left unchanged`,
    );
    return 0;
  } finally {
    await store.database.close();
  }
}
