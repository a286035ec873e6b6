import { spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  appendAudit,
  type Dialect,
  type Store,
  type StoreError,
  systemClock,
  verifyStore,
} from '@lianxin/store';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { openStore, startServer } from '../src/app';
import { configFromEnv } from '../src/config';
import { silentLogger } from '../src/log';
import { lianxin, repoRoot } from './cli';
import flowJson from './fixtures/flow.json' with { type: 'json' };
import { client } from './server-helpers';

const FLOW = sensitiveSummary(flowJson);

/** The test flow with the summary marked sensitive: the store seals it in case data, state and events. */
function sensitiveSummary(flow: typeof flowJson) {
  const mark = (schema: { properties?: Record<string, unknown> }) => ({
    ...schema,
    properties: {
      ...schema.properties,
      summary: { ...(schema.properties?.summary as object), 'x-sensitive': 'text' },
    },
  });
  return {
    ...flow,
    dataSchema: mark(flow.dataSchema),
    forms: flow.forms.map((f) => (f.id === 'register' ? { ...f, schema: mark(f.schema) } : f)),
  };
}

const BASE = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

/** An empty database (no tables) for each dialect, dropped afterwards. */
async function emptyDatabase(dialect: Dialect, dir: string) {
  if (dialect === 'sqlite') return { url: join(dir, 'lianxin.db'), drop: async () => {} };
  const name = `lianxin_keys_${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
  const admin = new pg.Client({ connectionString: BASE });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(BASE);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const c = new pg.Client({ connectionString: BASE });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}

async function sqlOn(url: string, statement: string) {
  if (!url.startsWith('postgres')) {
    const { default: Sqlite } = await import('better-sqlite3');
    const db = new Sqlite(url);
    db.exec(statement);
    db.close();
    return;
  }
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  await c.query(statement);
  await c.end();
}

/**
 * A database as a running office leaves it: a key file made on first start
 * (given for PostgreSQL), two petitioners with cases carrying a sealed value,
 * an attachment on disk and audit records.
 */
async function office(dialect: Dialect) {
  const dataDir = mkdtempSync(join(tmpdir(), 'lianxin-keys-'));
  const target = await emptyDatabase(dialect, dataDir);
  const keyFile = join(dataDir, 'lianxin.key');
  if (dialect === 'pg')
    writeFileSync(keyFile, `${randomBytes(32).toString('hex')}\n`, { mode: 0o600 });
  const env = { DATABASE_URL: target.url, LIANXIN_DATA_DIR: dataDir };
  const config = configFromEnv(env, dataDir);
  const store = await openStore(config, { env: {} });
  expect(existsSync(keyFile)).toBe(true);
  await store.upsertJurisdiction({
    code: '440781',
    name: { 'zh-CN': '台山市' },
    level: 'county',
    parent: null,
  });
  const flow = await store.saveDraft({
    jurisdiction: '440781',
    key: FLOW.key,
    name: FLOW.name,
    draft: FLOW as unknown as Record<string, unknown>,
    by: null,
  });
  await store.publish(flow.id, null);
  const cases: string[] = [];
  for (const [name, phone] of [
    ['陈伯', '13800138000'],
    ['欧阳小明', '13912345678'],
  ] as const) {
    const started = await store.startCase({
      flowId: flow.id,
      version: 1,
      command: {
        type: 'case.start',
        channel: 'visit',
        data: { summary: `${name}反映村道路灯损坏` },
        actor: { id: 'u-rec', roles: ['receptionist'], jurisdiction: '440781' },
      },
      petitioner: { jurisdiction: '440781', name, phone },
    });
    cases.push(started.caseId);
  }
  const bytes = Buffer.from('%PDF-1.4 答复意见书\n');
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  const storagePath = join(sha256.slice(0, 2), `${sha256}.pdf`);
  mkdirSync(join(dataDir, 'attachments', sha256.slice(0, 2)), { recursive: true });
  writeFileSync(join(dataDir, 'attachments', storagePath), bytes);
  await store.addAttachment({
    id: 'att-1',
    caseId: cases[0] as string,
    name: '答复意见书.pdf',
    mime: 'application/pdf',
    size: bytes.length,
    sha256,
    storagePath,
    scan: null,
    uploadedBy: null,
  });
  for (const caseId of cases)
    await appendAudit(store.database, systemClock, {
      action: 'case.read',
      actorId: 'u-rec',
      caseId,
    });
  const key = readFileSync(keyFile, 'utf8')
    .split('\n')
    .find((l) => /^[0-9a-f]{64}$/.test(l)) as string;
  return {
    store,
    dataDir,
    keyFile,
    key,
    env,
    cases,
    url: target.url,
    drop: target.drop,
    storagePath,
  };
}

type Office = Awaited<ReturnType<typeof office>>;

describe.each(['sqlite', 'pg'] as const)('keys, backup, restore and verify on %s', (dialect) => {
  const cleanup: Array<() => Promise<void> | void> = [];
  afterEach(async () => {
    for (const step of cleanup.splice(0).reverse()) await step();
  });
  async function start(): Promise<Office> {
    const o = await office(dialect);
    cleanup.push(
      () => rmSync(o.dataDir, { recursive: true, force: true }),
      o.drop,
      () => o.store.database.close().catch(() => {}),
    );
    return o;
  }
  function scratch() {
    const dir = mkdtempSync(join(tmpdir(), 'lianxin-keys-'));
    cleanup.push(() => rmSync(dir, { recursive: true, force: true }));
    return dir;
  }

  it('refuses to start on a database whose key is not there or not the one configured', async () => {
    const o = await start();
    const ring = async () => {
      const rows = await o.store.database.read((db) =>
        db.select().from(o.store.database.t.keyRing),
      );
      return rows.map((r) => r.kid);
    };
    const before = await ring();
    expect(before).toHaveLength(1);
    // The database moved to a data folder without its key file (a restore that
    // forgot it): the server used to make a new key here and start.
    const elsewhere = scratch();
    const env = { DATABASE_URL: o.url, LIANXIN_DATA_DIR: elsewhere };
    const missing = lianxin(['serve', '--port', '0'], { env });
    expect(missing.status).toBe(2);
    expect(missing.stderr).toContain(`没有配置密钥，而数据库中已有加密数据（密钥 ${before[0]}）`);
    expect(missing.stderr).toContain(join(elsewhere, 'lianxin.key'));
    expect(existsSync(join(elsewhere, 'lianxin.key'))).toBe(false);
    // A wrong LIANXIN_KEY.
    const wrong = lianxin(['migrate', '--lang', 'en'], {
      env: { ...env, LIANXIN_KEY: randomBytes(32).toString('hex') },
    });
    expect(wrong.status).toBe(2);
    expect(wrong.stderr).toContain(
      `the configured key does not match the database: its data is encrypted under key ${before[0]}, but LIANXIN_KEY holds only`,
    );
    expect(await ring()).toEqual(before);
    // The right key, given as LIANXIN_KEY, is accepted.
    expect(lianxin(['migrate'], { env: { ...env, LIANXIN_KEY: o.key } }).status).toBe(0);
  }, 180_000);

  it('backs up, refuses a restore without the key or into a non-empty target, restores and verifies', async () => {
    const o = await start();
    const backupDir = join(scratch(), 'backup');
    const backup = lianxin(['backup', backupDir], { env: o.env });
    expect(backup.stderr).toBe('');
    expect(backup.status).toBe(0);
    const manifest = JSON.parse(readFileSync(join(backupDir, 'manifest.json'), 'utf8'));
    expect(manifest).toMatchObject({
      format: 'lianxin-backup',
      dialect,
      counts: { cases: 2, petitioners: 2, attachments: 1, audit_log: 2 },
      keys: [{ kid: o.store.vault.primaryKid, retired: false }],
    });
    expect(manifest.files.map((f: { path: string }) => f.path)).toEqual([
      manifest.database,
      `attachments/${o.storagePath}`,
    ]);
    // Never the key.
    const everything = listAll(backupDir).map((f) => readFileSync(f));
    expect(everything.some((b) => b.includes(o.key))).toBe(false);
    expect(everything.some((b) => b.includes(Buffer.from(o.key, 'hex')))).toBe(false);

    const restoredDir = scratch();
    const target = await emptyDatabase(dialect, restoredDir);
    cleanup.push(target.drop);
    const env = { DATABASE_URL: target.url, LIANXIN_DATA_DIR: restoredDir };
    const noKey = lianxin(['restore', backupDir], { env });
    expect(noKey.status).toBe(2);
    expect(noKey.stderr).toContain('没有配置密钥');
    const wrongKey = lianxin(['restore', backupDir, '--lang', 'en'], {
      env: { ...env, LIANXIN_KEY: randomBytes(32).toString('hex') },
    });
    expect(wrongKey.status).toBe(2);
    expect(wrongKey.stderr).toContain('the configured key does not match the database');
    expect(existsSync(join(restoredDir, 'attachments'))).toBe(false);

    const keyed = { ...env, LIANXIN_KEY: o.key };
    const restore = lianxin(['restore', backupDir], { env: keyed });
    expect(restore.stderr).toBe('');
    expect(restore.status).toBe(0);
    const verify = lianxin(['verify'], { env: keyed });
    expect(verify.stderr).toBe('');
    expect(verify.status).toBe(0);
    expect(verify.stdout).toContain('核验通过：2 件信访事项');
    expect(verify.stdout).toContain('1 个附件完好');

    const again = lianxin(['restore', backupDir], { env: keyed });
    expect(again.status).toBe(2);
    expect(again.stderr).toContain('不是空的');

    // A damaged backup is refused, naming the file.
    writeFileSync(join(backupDir, 'attachments', o.storagePath), 'altered');
    const damaged = lianxin(['restore', backupDir, '--force'], { env: keyed });
    expect(damaged.status).toBe(1);
    expect(damaged.stderr).toContain(`${join(backupDir, 'attachments', o.storagePath)} 与清单不符`);
  }, 240_000);

  it('verify names a tampered case row, attachment file and audit record', async () => {
    const o = await start();
    await o.store.database.close();
    expect(lianxin(['verify'], { env: o.env }).status).toBe(0);
    const state =
      dialect === 'pg'
        ? `UPDATE cases SET state = jsonb_set(state, '{status}', '"closed"') WHERE id = '${o.cases[1]}'`
        : `UPDATE cases SET state = json_set(state, '$.status', 'closed') WHERE id = '${o.cases[1]}'`;
    await sqlOn(o.url, state);
    writeFileSync(join(o.dataDir, 'attachments', o.storagePath), '%PDF-1.4 改过的答复\n');
    await sqlOn(o.url, "UPDATE audit_log SET actor_id = 'u-other' WHERE seq = 2");
    const result = lianxin(['verify', '--lang', 'en'], { env: o.env });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('verify found 3 problem(s)');
    expect(result.stderr).toContain(`case ${o.cases[1]}`);
    expect(result.stderr).toContain('state/status differs from the replay of its');
    expect(result.stderr).toContain('attachment att-1 (答复意见书.pdf)');
    expect(result.stderr).toContain('was changed');
    expect(result.stderr).toContain('audit record 2');
  }, 180_000);

  it.runIf(dialect === 'pg')(
    'rotates keys given in LIANXIN_KEY: the new key first, then the old one dropped',
    async () => {
      const o = await start();
      await o.store.database.close();
      // LIANXIN_KEY wins over the key file in the data folder.
      const env = o.env;
      const same = lianxin(['key', 'rotate'], { env: { ...env, LIANXIN_KEY: o.key } });
      expect(same.status).toBe(2);
      expect(same.stderr).toContain('密钥来自 LIANXIN_KEY，无法自动添加新密钥');
      const fresh = randomBytes(32).toString('hex');
      const rotate = lianxin(['key', 'rotate'], {
        env: { ...env, LIANXIN_KEY: `${fresh},${o.key}` },
      });
      expect(rotate.stderr).toBe('');
      expect(rotate.status).toBe(0);
      expect(rotate.stdout).toContain(`已停用：${o.store.vault.primaryKid}`);
      const verify = lianxin(['verify'], { env: { ...env, LIANXIN_KEY: fresh } });
      expect(verify.stderr).toBe('');
      expect(verify.status).toBe(0);
    },
    180_000,
  );

  it('rotates the key while the server serves reads; the old key can then be removed', async () => {
    const o = await start();
    const config = configFromEnv(o.env, o.dataDir);
    await o.store.database.close();
    const store: Store = await openStore(config, { env: {} });
    const running = await startServer(store, { ...config, port: 0 }, silentLogger, {
      scheduler: false,
    });
    cleanup.push(() => running.close());
    const petitioners = await Promise.all(
      o.cases.map(async (id) => (await running.store.caseRow(id))?.petitionerId as string),
    );
    const oldKid = running.store.vault.primaryKid;
    await running.store.createUser({
      username: 'taishan-rec',
      displayName: '台山接访员',
      password: 'Lianxin-keys-2026!',
      memberships: [{ jurisdiction: '440781', role: 'receptionist' }],
    });
    const rec = client(running.url);
    await rec.auth.login.mutate({ username: 'taishan-rec', password: 'Lianxin-keys-2026!' });
    // cases.get goes on, case after case, while `lianxin key rotate` runs in another process.
    let reads = 0;
    let stop = false;
    const reading = (async () => {
      while (!stop) {
        for (const [i, caseId] of o.cases.entries()) {
          const detail = await rec.cases.get.query({ caseId });
          expect(detail.petitioner?.name).toBe(i === 0 ? '陈伯' : '欧阳小明');
          reads++;
        }
      }
    })();
    const rotate = await new Promise<{ status: number | null; stdout: string; stderr: string }>(
      (resolvePromise) => {
        const child = spawn(
          process.execPath,
          [
            '--import',
            'tsx',
            join(repoRoot, 'apps/server/src/cli/main.ts'),
            'key',
            'rotate',
            '--batch',
            '1',
          ],
          {
            cwd: repoRoot,
            env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...o.env },
          },
        );
        let stdout = '';
        let stderr = '';
        child.stdout.on('data', (d) => {
          stdout += d;
        });
        child.stderr.on('data', (d) => {
          stderr += d;
        });
        child.on('close', (status) => resolvePromise({ status, stdout, stderr }));
      },
    );
    stop = true;
    await reading;
    expect(rotate.stderr).toBe('');
    expect(rotate.status).toBe(0);
    expect(rotate.stdout).toContain('密钥轮换完成');
    expect(rotate.stdout).toContain(`已停用：${oldKid}`);
    expect(reads).toBeGreaterThan(4);
    // The running server followed the key file and now writes with the new key.
    expect(running.store.vault.primaryKid).not.toBe(oldKid);
    expect(running.store.vault.encrypt('x')).toMatch(
      new RegExp(`^v2:${running.store.vault.primaryKid}:`),
    );

    const prune = lianxin(['key', 'prune'], { env: o.env });
    expect(prune.status).toBe(0);
    const newKid = running.store.vault.primaryKid;
    const status = lianxin(['key', 'status'], { env: o.env });
    expect(status.status).toBe(0);
    expect(status.stdout).toContain(`新数据用密钥 ${newKid} 加密`);
    expect(status.stdout).toMatch(new RegExp(`${newKid}  使用中  已配置  密文 6 个`));
    expect(status.stdout).toMatch(new RegExp(`${oldKid}  已停用（[^）]+）  未配置  密文 0 个`));
    expect(readFileSync(o.keyFile, 'utf8').match(/^[0-9a-f]{64}$/gm)).toHaveLength(1);
    expect(readFileSync(o.keyFile, 'utf8')).not.toContain(o.key);
    // The server, now on the pruned key file, still answers for every case.
    for (const caseId of o.cases)
      expect((await rec.cases.get.query({ caseId })).petitioner?.name).toMatch(/陈伯|欧阳小明/);
    expect((await running.store.petitioner(petitioners[0] as string))?.phone).toBe('13800138000');
    expect(await running.store.repeatHints({ phone: '13912345678' })).toHaveLength(1);
    // A fresh start with the pruned key file opens and proves every row…
    const fresh = await openStore(config, { env: {} });
    cleanup.push(() => fresh.database.close());
    expect((await verifyStore(fresh.database, fresh.vault)).problems).toEqual([]);
    // …and the old key alone is refused.
    const old = await openStore(config, { env: { LIANXIN_KEY: o.key } }).catch((e: unknown) => e);
    expect((old as StoreError).code).toBe('key.mismatch');
  }, 240_000);
});

function listAll(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? listAll(path) : [path];
  });
}
