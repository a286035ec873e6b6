import { copyFileSync, existsSync, mkdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { loadKeyRing, StoreError, Vault } from '@lianxin/store';
import pg from 'pg';
import { checkBackupFiles, listFiles, readManifest, runTool } from '../backup';
import { configFromEnv } from '../config';
import type { CommandContext } from './main';
import { openChecked } from './open';
import { fail, parseCommandArgs } from './output';

/**
 * `restore <dir> [--force]`: checks the manifest's hashes and that the
 * configured key is the one the backup needs, then restores the database and
 * the attachments into an empty target (a non-empty one only with --force).
 * Stop the servers first.
 */
export async function run(ctx: CommandContext): Promise<number> {
  const parsed = parseCommandArgs(ctx, { force: { type: 'boolean' } });
  if (!parsed) return 2;
  const [source] = parsed.positionals;
  const zh = ctx.lang !== 'en';
  const force = parsed.values.force === true;
  if (!source) {
    fail(
      ctx.lang,
      '用法：lianxin restore <备份目录> [--force]',
      'usage: lianxin restore <backup-dir> [--force]',
    );
    return 2;
  }
  const dir = resolve(ctx.cwd, source);
  const manifest = readManifest(dir);
  if ('problem' in manifest) {
    fail(ctx.lang, manifest.problem['zh-CN'], manifest.problem.en);
    return 2;
  }
  const problems = await checkBackupFiles(dir, manifest);
  if (problems.length) {
    fail(
      ctx.lang,
      `备份 ${dir} 已损坏，未恢复：\n${problems.map((p) => `  ${p['zh-CN']}`).join('\n')}`,
      `backup ${dir} is damaged; nothing restored:\n${problems.map((p) => `  ${p.en}`).join('\n')}`,
    );
    return 1;
  }
  const config = configFromEnv(process.env, ctx.cwd);

  // The key, before anything is written.
  const needed = manifest.keys.filter((k) => !k.retired);
  const ring = loadKeyRing({ env: process.env, keyFile: config.keyFile });
  if (needed.length && !ring)
    throw new StoreError('key.missing', {
      needed: needed.map((k) => k.kid).join(', '),
      keyFile: config.keyFile,
    });
  if (ring) {
    const have = new Set(new Vault(ring.keys).keys.map((k) => k.fingerprint));
    const missing = needed.filter((k) => !have.has(k.fingerprint));
    if (missing.length) {
      const where =
        ring.source.kind === 'env'
          ? { source: 'LIANXIN_KEY ', sourceEn: 'LIANXIN_KEY' }
          : {
              source: `密钥文件 ${ring.source.path} `,
              sourceEn: `the key file ${ring.source.path}`,
            };
      throw new StoreError('key.mismatch', {
        needed: missing.map((k) => k.kid).join(', '),
        configured: new Vault(ring.keys).keys.map((k) => k.kid).join(', '),
        ...where,
      });
    }
  }

  const postgres = /^postgres(ql)?:\/\//.test(config.databaseUrl);
  if ((manifest.dialect === 'pg') !== postgres) {
    fail(
      ctx.lang,
      `备份来自 ${manifest.dialect === 'pg' ? 'PostgreSQL' : 'SQLite'}，而目标是 ${postgres ? 'PostgreSQL' : 'SQLite'}：请设置相应的 DATABASE_URL`,
      `the backup is of ${manifest.dialect === 'pg' ? 'PostgreSQL' : 'SQLite'} but the target is ${postgres ? 'PostgreSQL' : 'SQLite'}: set DATABASE_URL to match`,
    );
    return 2;
  }

  // The target must be empty, unless --force.
  const attachmentsDir = join(config.dataDir, 'attachments');
  const sqliteFile = config.databaseUrl.replace(/^sqlite:/, '');
  let occupied: string | undefined;
  if (postgres) {
    const client = new pg.Client({ connectionString: config.databaseUrl });
    await client.connect();
    const { rows } = await client.query<{ n: string }>(
      "SELECT count(*) AS n FROM information_schema.tables WHERE table_schema IN ('public', 'drizzle')",
    );
    await client.end();
    if (Number(rows[0]?.n) > 0) occupied = config.databaseUrl.replace(/\/\/[^@/]*@/, '//');
  } else if (existsSync(sqliteFile) && statSync(sqliteFile).size > 0) occupied = sqliteFile;
  if (!occupied && listFiles(attachmentsDir).length) occupied = attachmentsDir;
  if (occupied && !force) {
    fail(
      ctx.lang,
      `恢复目标 ${occupied} 不是空的，未恢复：请恢复到空的数据库和数据目录，或确认覆盖后加 --force`,
      `the restore target ${occupied} is not empty; nothing restored: restore into an empty database and data folder, or add --force to overwrite it`,
    );
    return 2;
  }

  if (postgres) {
    await runTool(
      'pg_restore',
      ['--no-owner', ...(force ? ['--clean', '--if-exists'] : []), join(dir, manifest.database)],
      config.databaseUrl,
    );
  } else {
    mkdirSync(dirname(resolve(sqliteFile)), { recursive: true });
    const temp = `${sqliteFile}.restore`;
    copyFileSync(join(dir, manifest.database), temp);
    for (const suffix of ['-wal', '-shm']) rmSync(`${sqliteFile}${suffix}`, { force: true });
    renameSync(temp, sqliteFile);
  }
  const from = join(dir, 'attachments');
  if (existsSync(from))
    for (const rel of listFiles(from)) {
      mkdirSync(dirname(join(attachmentsDir, rel)), { recursive: true });
      copyFileSync(join(from, rel), join(attachmentsDir, rel));
    }

  // Opened as a server would: migrated to this version and the key checked against it.
  const { database } = await openChecked(config);
  await database.close();
  const c = manifest.counts;
  console.log(
    zh
      ? `已从 ${dir}（${manifest.createdAt}）恢复：${c.cases} 件信访事项，${c.events} 个事件，${c.attachments} 个附件。请运行 lianxin verify 核验`
      : `restored from ${dir} (${manifest.createdAt}): ${c.cases} case(s), ${c.events} event(s), ${c.attachments} attachment(s). Run lianxin verify to check it`,
  );
  return 0;
}
