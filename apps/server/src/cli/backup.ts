import { existsSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { systemClock } from '@lianxin/store';
import {
  type BackupFile,
  backupPostgres,
  backupSqlite,
  copyTree,
  MANIFEST,
  type Manifest,
  sha256File,
  writeManifest,
} from '../backup';
import { configFromEnv } from '../config';
import type { CommandContext } from './main';
import { openChecked } from './open';
import { fail, parseCommandArgs } from './output';

/**
 * `backup <dir>`: the database (consistent copy or pg_dump), the attachments
 * and a manifest (counts, key fingerprints, SHA-256 of every file) into a new
 * or empty folder, while the server keeps running. The key is not copied.
 */
export async function run(ctx: CommandContext): Promise<number> {
  const parsed = parseCommandArgs(ctx, {});
  if (!parsed) return 2;
  const [target] = parsed.positionals;
  const zh = ctx.lang !== 'en';
  if (!target) {
    fail(ctx.lang, '用法：lianxin backup <目录>', 'usage: lianxin backup <dir>');
    return 2;
  }
  const dir = resolve(ctx.cwd, target);
  if (existsSync(dir) && (!statSync(dir).isDirectory() || readdirSync(dir).length > 0)) {
    fail(
      ctx.lang,
      `备份目录 ${dir} 已存在且不为空：请指定新的或空的目录`,
      `backup folder ${dir} exists and is not empty: give a new or empty folder`,
    );
    return 2;
  }
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const config = configFromEnv(process.env, ctx.cwd);
  // The same key check as a start: a backup of a database the configured key cannot open is refused.
  const { database } = await openChecked(config);
  try {
    const say = (zhText: string, enText: string) => {
      if (process.stderr.isTTY) process.stderr.write(`${zh ? zhText : enText}\n`);
    };
    const createdAt = systemClock.now().toISOString();
    const name = database.dialect === 'sqlite' ? 'lianxin.db' : 'lianxin.pgdump';
    say(`正在备份数据库 ${database.description} …`, `backing up ${database.description} …`);
    const facts =
      database.dialect === 'sqlite' && database.sqlite
        ? await database.read(async () => backupSqlite(database.sqlite as never, join(dir, name)))
        : await backupPostgres(config.databaseUrl, join(dir, name));
    const files: BackupFile[] = [
      {
        path: name,
        size: statSync(join(dir, name)).size,
        sha256: await sha256File(join(dir, name)),
      },
    ];
    say('正在复制附件 …', 'copying attachments …');
    // After the database: an attachment's file is written before its row, so
    // every row in the copy has its file here.
    files.push(
      ...(await copyTree(
        join(config.dataDir, 'attachments'),
        join(dir, 'attachments'),
        'attachments',
      )),
    );
    const manifest: Manifest = {
      format: 'lianxin-backup',
      version: 1,
      createdAt,
      dialect: database.dialect,
      source: database.description,
      database: name,
      ...facts,
      files,
    };
    writeManifest(dir, manifest);
    const c = manifest.counts;
    console.log(
      zh
        ? `备份完成：${dir}（${c.cases} 件信访事项，${c.events} 个事件，${c.attachments} 个附件，${files.length} 个文件，清单 ${MANIFEST}）。密钥未包含在备份中，请另行保管：恢复时需要密钥 ${
            manifest.keys
              .filter((k) => !k.retired)
              .map((k) => k.kid)
              .join(', ') || '（无）'
          }`
        : `backup done: ${dir} (${c.cases} case(s), ${c.events} event(s), ${c.attachments} attachment(s), ${files.length} file(s), manifest ${MANIFEST}). The key is not in the backup; keep it apart: a restore needs key ${
            manifest.keys
              .filter((k) => !k.retired)
              .map((k) => k.kid)
              .join(', ') || '(none)'
          }`,
    );
    return 0;
  } finally {
    await database.close();
  }
}
