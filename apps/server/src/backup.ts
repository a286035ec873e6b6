import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  chmodSync,
  copyFileSync,
  createReadStream,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import pg from 'pg';

/**
 * Backups (`lianxin backup`, `lianxin restore`): the database (a consistent
 * SQLite copy, or `pg_dump` in custom format from one snapshot), the
 * attachments, and `manifest.json` with the time, row counts, the key
 * fingerprints the data needs and the SHA-256 of every file. Never the key:
 * it is kept apart, and a restore refuses a key that does not match.
 */

export const MANIFEST = 'manifest.json';
export const COUNTED = [
  'cases',
  'events',
  'petitioners',
  'attachments',
  'users',
  'audit_log',
] as const;

export interface BackupFile {
  /** Relative to the backup folder, with '/' separators. */
  path: string;
  size: number;
  sha256: string;
}

export interface Manifest {
  format: 'lianxin-backup';
  version: 1;
  createdAt: string;
  dialect: 'sqlite' | 'pg';
  /** The database's description (no credentials). */
  source: string;
  /** The database file among `files`: `lianxin.db` or `lianxin.pgdump`. */
  database: string;
  counts: Record<(typeof COUNTED)[number], number>;
  /** The keys the data was written with, by id and fingerprint; `retired` ones hold no data any more. */
  keys: Array<{ kid: string; fingerprint: string; retired: boolean }>;
  files: BackupFile[];
}

export function sha256File(path: string): Promise<string> {
  return new Promise((resolvePromise, rejectPromise) => {
    const hash = createHash('sha256');
    createReadStream(path)
      .on('data', (chunk) => hash.update(chunk))
      .on('error', rejectPromise)
      .on('end', () => resolvePromise(hash.digest('hex')));
  });
}

/** Files under `dir`, relative, sorted; unfinished uploads (`*.part`) left out. */
export function listFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  const out: string[] = [];
  const walk = (d: string) => {
    for (const entry of readdirSync(d, { withFileTypes: true })) {
      const path = join(d, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.isFile() && !entry.name.endsWith('.part')) out.push(relative(dir, path));
    }
  };
  walk(dir);
  return out.sort();
}

/**
 * Runs pg_dump or pg_restore against `url`: a password travels in
 * PGPASSWORD, not on the command line where `ps` shows it.
 */
function run(command: string, args: string[], url: string): Promise<void> {
  const target = new URL(url);
  const password = decodeURIComponent(target.password);
  target.password = '';
  const env = { ...process.env, ...(password ? { PGPASSWORD: password } : {}) };
  return new Promise((resolvePromise, rejectPromise) => {
    const child = spawn(command, [...args, `--dbname=${target.toString()}`], {
      stdio: ['ignore', 'ignore', 'pipe'],
      env,
    });
    let stderr = '';
    child.stderr.on('data', (d) => {
      stderr += d;
    });
    child.on('error', rejectPromise);
    child.on('close', (code) =>
      code === 0
        ? resolvePromise()
        : rejectPromise(new Error(`${command} exited with ${code}: ${stderr.trim()}`)),
    );
  });
}

type Facts = Pick<Manifest, 'counts' | 'keys'>;

async function factsOf(
  query: (sql: string) => Promise<Array<Record<string, unknown>>>,
): Promise<Facts> {
  const counts = {} as Manifest['counts'];
  for (const table of COUNTED) {
    const [row] = await query(`SELECT count(*) AS n FROM ${table}`);
    counts[table] = Number(row?.n ?? 0);
  }
  const keys = (
    await query('SELECT kid, fingerprint, retired_at FROM key_ring ORDER BY added_at')
  ).map((r) => ({
    kid: String(r.kid),
    fingerprint: String(r.fingerprint),
    retired: r.retired_at != null,
  }));
  return { counts, keys };
}

/** A consistent copy of a live SQLite database (VACUUM INTO reads one snapshot), and its facts. */
export async function backupSqlite(source: BetterSqlite3.Database, target: string): Promise<Facts> {
  source.prepare('VACUUM INTO ?').run(target);
  chmodSync(target, 0o600);
  const copy = new BetterSqlite3(target, { readonly: true });
  try {
    return await factsOf(async (sql) => copy.prepare(sql).all() as Array<Record<string, unknown>>);
  } finally {
    copy.close();
  }
}

/**
 * `pg_dump` (custom format) of one exported snapshot, with the facts read in
 * that same snapshot, so the counts describe exactly what was dumped.
 */
export async function backupPostgres(url: string, target: string): Promise<Facts> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    const { rows } = await client.query<{ id: string }>('SELECT pg_export_snapshot() AS id');
    const facts = await factsOf(async (sql) => (await client.query(sql)).rows);
    await run(
      'pg_dump',
      ['--format=custom', `--snapshot=${rows[0]?.id}`, '--no-owner', `--file=${target}`],
      url,
    );
    await client.query('COMMIT');
    chmodSync(target, 0o600);
    return facts;
  } finally {
    await client.end();
  }
}

/** Copies the attachments into the backup, hashing each. */
export async function copyTree(from: string, to: string, prefix: string): Promise<BackupFile[]> {
  const files: BackupFile[] = [];
  for (const rel of listFiles(from)) {
    const target = join(to, rel);
    mkdirSync(dirname(target), { recursive: true });
    copyFileSync(join(from, rel), target);
    files.push({
      path: [prefix, ...rel.split(sep)].join('/'),
      size: statSync(target).size,
      sha256: await sha256File(target),
    });
  }
  return files;
}

export function writeManifest(dir: string, manifest: Manifest): void {
  writeFileSync(join(dir, MANIFEST), `${JSON.stringify(manifest, null, 2)}\n`, { mode: 0o600 });
}

/** The manifest of a backup folder, or a located reason it is not one. */
export function readManifest(dir: string): Manifest | { problem: { 'zh-CN': string; en: string } } {
  const path = join(dir, MANIFEST);
  let value: Partial<Manifest>;
  try {
    value = JSON.parse(readFileSync(path, 'utf8')) as Partial<Manifest>;
  } catch (error) {
    const detail = (error as Error).message;
    return {
      problem: {
        'zh-CN': `${path} 不是可读的备份清单（${detail}）`,
        en: `${path} is not a readable backup manifest (${detail})`,
      },
    };
  }
  if (value.format !== 'lianxin-backup' || value.version !== 1 || !Array.isArray(value.files))
    return {
      problem: {
        'zh-CN': `${path} 不是连心备份清单（format lianxin-backup，version 1）`,
        en: `${path} is not a Lianxin backup manifest (format lianxin-backup, version 1)`,
      },
    };
  return value as Manifest;
}

/** Every file of the manifest checked against its size and hash; the first problems, located. */
export async function checkBackupFiles(dir: string, manifest: Manifest) {
  const problems: Array<{ 'zh-CN': string; en: string }> = [];
  for (const file of manifest.files) {
    const path = join(dir, ...file.path.split('/'));
    if (!existsSync(path)) {
      problems.push({ 'zh-CN': `缺少文件 ${path}`, en: `file ${path} is missing` });
      continue;
    }
    const sha256 = await sha256File(path);
    if (sha256 !== file.sha256 || statSync(path).size !== file.size)
      problems.push({
        'zh-CN': `文件 ${path} 与清单不符（SHA-256 ${sha256}，清单记录 ${file.sha256}）`,
        en: `file ${path} does not match the manifest (SHA-256 ${sha256}, recorded ${file.sha256})`,
      });
  }
  if (!manifest.files.some((f) => f.path === manifest.database))
    problems.push({
      'zh-CN': `清单没有列出数据库文件 ${manifest.database}`,
      en: `the manifest does not list the database file ${manifest.database}`,
    });
  return problems;
}

export { run as runTool };
