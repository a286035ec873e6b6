import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTestDatabase, openPostgres, Store, Vault } from '@lianxin/store';
import { TRPCClientError } from '@trpc/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningServer, startServer } from '../src/app';
import { configFromEnv } from '../src/config';
import { silentLogger } from '../src/log';
import { client, flow, PASSWORD, seedBasics } from './server-helpers';

const DAY = 86_400_000;

function appCode(error: unknown): string | undefined {
  return error instanceof TRPCClientError
    ? (error.data as { appCode?: string } | undefined)?.appCode
    : String(error);
}
const CASES_WITH_DUE_TIMERS = 6;

/** A server of its own (own connection pool, own services, own data folder, own scheduler). */
async function serverOn(url: string, key: Buffer) {
  const dataDir = mkdtempSync(join(tmpdir(), 'lianxin-two-'));
  const webDist = join(dataDir, 'web');
  mkdirSync(webDist, { recursive: true });
  writeFileSync(join(webDist, 'index.html'), '<!doctype html><title>连心</title>');
  const store = new Store(openPostgres(url), new Vault(key));
  const config = {
    ...configFromEnv({ LIANXIN_DATA_DIR: dataDir, PORT: '0', HOST: '127.0.0.1' }),
    webDist,
    maxUploadBytes: 1024 * 1024,
    schedulerIntervalMs: 100,
  };
  return { dataDir, running: await startServer(store, config, silentLogger) };
}

// Two servers behind one PostgreSQL database, as a province runs them behind a
// reverse proxy: nothing a request leaves behind may stay on the server that took it.
describe('two servers on one PostgreSQL database', () => {
  let test: Awaited<ReturnType<typeof createTestDatabase>>;
  let a: { dataDir: string; running: RunningServer };
  let b: { dataDir: string; running: RunningServer };
  let flowId = '';
  const key = randomBytes(32);

  beforeAll(async () => {
    test = await createTestDatabase('pg');
    // Cases registered forty days ago wait at review: their deadlines and warnings are due now.
    const past = new Store(test.database, new Vault(key), {
      now: () => new Date(Date.now() - 40 * DAY),
    });
    await seedBasics(past);
    const saved = await past.saveDraft({
      jurisdiction: '440781',
      key: flow.key,
      name: { 'zh-CN': '两台服务器' },
      draft: flow,
      by: null,
    });
    await past.publish(saved.id, null);
    flowId = saved.id;
    for (let i = 0; i < CASES_WITH_DUE_TIMERS; i++) {
      await past.startCase({
        flowId,
        version: 1,
        command: {
          type: 'case.start',
          channel: 'visit',
          data: { summary: `到期提醒测试事项 ${i}` },
          actor: { id: 'r', roles: ['receptionist'], jurisdiction: '440781' },
        },
      });
    }
    // Both schedulers start at once on the same due timers.
    [a, b] = await Promise.all([serverOn(test.url, key), serverOn(test.url, key)]);
  }, 60_000);
  afterAll(async () => {
    await Promise.all([a?.running.close(), b?.running.close()]);
    await test.drop();
  });

  it('fires each due timer once across both schedulers and delivers each notification once', async () => {
    const t = test.database.t;
    const db = test.database.db;
    await expect
      .poll(
        async () =>
          (await db.select().from(t.timers)).filter(
            (r) => r.status === 'pending' && r.dueMs <= Date.now(),
          ).length,
        { timeout: 30_000, interval: 200 },
      )
      .toBe(0);
    const fired = (await db.select().from(t.events)).filter((e) => e.type === 'timer.fired');
    const timerIds = fired.map((e) => (e.body as { timerId: string }).timerId);
    expect(timerIds.length).toBeGreaterThanOrEqual(CASES_WITH_DUE_TIMERS);
    expect(new Set(timerIds).size).toBe(timerIds.length);
    expect([a, b].every((s) => s.running.scheduler !== undefined)).toBe(true);
    await expect
      .poll(
        async () =>
          (await db.select().from(t.notifications)).filter((n) => n.deliveredAt === null).length,
        { timeout: 30_000, interval: 200 },
      )
      .toBe(0);
    const outbox = await db.select().from(t.notifications);
    expect(outbox.length).toBeGreaterThan(0);
    const inbox = await db.select().from(t.userNotifications);
    const pairs = inbox.map((n) => `${n.userId}/${n.notificationId}`);
    expect(new Set(pairs).size).toBe(pairs.length);
    expect((a.running.scheduler?.delivered ?? 0) + (b.running.scheduler?.delivered ?? 0)).toBe(
      inbox.length,
    );
    // The receptionist reads them through either server, each once.
    const jar = { cookie: '' };
    await client(a.running.url, 'zh-CN', jar).auth.login.mutate({
      username: 'receptionist',
      password: PASSWORD,
    });
    const throughA = await client(a.running.url, 'zh-CN', jar).notifications.mine.query({
      limit: 100,
    });
    const throughB = await client(b.running.url, 'zh-CN', jar).notifications.mine.query({
      limit: 100,
    });
    expect(throughB).toEqual(throughA);
  }, 60_000);

  it('keeps a session signed in on one server valid on the other, and its sign-out too', async () => {
    const jar = { cookie: '' };
    await client(a.running.url, 'zh-CN', jar).auth.login.mutate({
      username: 'receptionist',
      password: PASSWORD,
    });
    const onB = client(b.running.url, 'zh-CN', jar);
    expect((await onB.auth.me.query()).username).toBe('receptionist');
    const registered = await onB.cases.register.mutate({
      flowId,
      channel: 'visit',
      data: { summary: '在另一台服务器上登记的事项' },
      petitioner: { name: '甄某', phone: '13612345678' },
    });
    const read = await client(a.running.url, 'zh-CN', jar).cases.get.query({
      caseId: registered.caseId,
    });
    expect(read.state.status).toBe('active');
    const cookie = jar.cookie;
    await client(a.running.url, 'zh-CN', jar).auth.logout.mutate();
    // B may have cached the session for a few seconds (SESSION_CACHE_MS); then it refuses it.
    await expect
      .poll(
        () =>
          client(b.running.url, 'zh-CN', { cookie })
            .auth.me.query()
            .then(
              () => 'signed in',
              (error: unknown) => appCode(error),
            ),
        { timeout: 15_000, interval: 250 },
      )
      .toBe('auth.required');
  }, 60_000);

  it('serves an upload taken by one server from the other, with no file on either disk', async () => {
    const jar = { cookie: '' };
    const onA = client(a.running.url, 'zh-CN', jar);
    await onA.auth.login.mutate({ username: 'receptionist', password: PASSWORD });
    const { caseId } = await onA.cases.register.mutate({
      flowId,
      channel: 'visit',
      data: { summary: '附件跨服务器' },
      petitioner: { name: '关某', phone: '13500000000' },
    });
    const pdf = Buffer.concat([Buffer.from('%PDF-1.4\n'), randomBytes(5000)]);
    const up = await fetch(
      `${a.running.url}/api/attachments?caseId=${caseId}&name=${encodeURIComponent('证据.pdf')}`,
      {
        method: 'POST',
        headers: { cookie: jar.cookie, 'x-lianxin-csrf': '1' },
        body: pdf,
      },
    );
    expect(up.status).toBe(201);
    const { id } = (await up.json()) as { id: string };
    const down = await fetch(`${b.running.url}/api/attachments/${id}`, {
      headers: { cookie: jar.cookie },
    });
    expect(down.status).toBe(200);
    expect(down.headers.get('content-type')).toBe('application/pdf');
    expect(Buffer.from(await down.arrayBuffer()).equals(pdf)).toBe(true);
    for (const s of [a, b]) expect(existsSync(join(s.dataDir, 'attachments'))).toBe(false);

    // A petitioner's photo sent to B, opened by staff through A.
    const submitted = await client(b.running.url).intake.submit.mutate({
      jurisdiction: '440781',
      flowKey: flow.key,
      data: { summary: '网上反映：路面塌陷' },
      petitioner: { name: '甄某', phone: '13612345678' },
    });
    const photo = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), randomBytes(3000)]);
    const sent = await fetch(
      `${b.running.url}/api/intake/photos?token=${encodeURIComponent(submitted.photos.token)}&name=${encodeURIComponent('路面.jpg')}`,
      { method: 'POST', headers: { 'x-lianxin-csrf': '1' }, body: photo },
    );
    expect(sent.status).toBe(201);
    const photoId = ((await sent.json()) as { id: string }).id;
    const opened = await fetch(`${a.running.url}/api/attachments/${photoId}`, {
      headers: { cookie: jar.cookie },
    });
    expect(opened.status).toBe(200);
    expect(Buffer.from(await opened.arrayBuffer()).equals(photo)).toBe(true);
  }, 60_000);

  it("serves a file kept on one server's disk before attachments moved into the database, then from both", async () => {
    const jar = { cookie: '' };
    const onA = client(a.running.url, 'zh-CN', jar);
    await onA.auth.login.mutate({ username: 'receptionist', password: PASSWORD });
    const { caseId } = await onA.cases.register.mutate({
      flowId,
      channel: 'visit',
      data: { summary: '升级前的附件' },
      petitioner: { name: '关某', phone: '13500000000' },
    });
    // As an older version left it: the bytes under A's data/attachments/, only the row in the database.
    const bytes = Buffer.concat([Buffer.from('%PDF-1.4 升级前的答复\n'), randomBytes(2000)]);
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    const storagePath = `${sha256.slice(0, 2)}/${sha256}.pdf`;
    mkdirSync(join(a.dataDir, 'attachments', sha256.slice(0, 2)), { recursive: true });
    writeFileSync(join(a.dataDir, 'attachments', storagePath), bytes);
    const id = randomUUID();
    await a.running.store.addAttachment({
      id,
      caseId,
      name: '升级前的答复.pdf',
      mime: 'application/pdf',
      size: bytes.length,
      sha256,
      storagePath,
      scan: null,
      uploadedBy: null,
    });
    const get = (url: string) =>
      fetch(`${url}/api/attachments/${id}`, { headers: { cookie: jar.cookie } });
    const missing = await get(b.running.url);
    expect(missing.status).toBe(404);
    const refusal = (await missing.json()) as { code: string; messages: Record<string, string> };
    expect(refusal.code).toBe('attachment.fileMissing');
    expect(refusal.messages['zh-CN']).toContain('升级前的答复.pdf');
    const fromDisk = await get(a.running.url);
    expect(fromDisk.status).toBe(200);
    expect(Buffer.from(await fromDisk.arrayBuffer()).equals(bytes)).toBe(true);
    // Read once through A, the file is in the database: B serves it now.
    const fromDatabase = await get(b.running.url);
    expect(fromDatabase.status).toBe(200);
    expect(Buffer.from(await fromDatabase.arrayBuffer()).equals(bytes)).toBe(true);
  }, 60_000);

  it('counts public petitions from one address on both servers against one limit', async () => {
    const submit = (url: string, i: number) =>
      client(url)
        .intake.submit.mutate({
          jurisdiction: '440781',
          flowKey: flow.key,
          data: { summary: `同一地址的第 ${i} 件网上信访` },
          petitioner: { name: '甄某', phone: '13612345678' },
        })
        .then(
          () => 'accepted',
          (error: unknown) => appCode(error),
        );
    // Thirty per address an hour (createServices), whichever server takes them.
    const answers: Array<string | undefined> = [];
    for (let i = 0; answers.at(-1) !== 'auth.rateLimited' && i < 40; i++)
      answers.push(await submit(i % 2 ? b.running.url : a.running.url, i));
    expect(answers.slice(0, -1).every((x) => x === 'accepted')).toBe(true);
    expect(await submit(a.running.url, 99)).toBe('auth.rateLimited');
    const t = test.database.t;
    const online = (await test.database.db.select().from(t.cases)).filter(
      (c) => c.channel === 'online',
    );
    expect(online).toHaveLength(30);
  }, 60_000);

  // Last: it leaves this address limited for the window.
  it('counts failed sign-ins on both servers against one limit', async () => {
    const wrong = (url: string) =>
      client(url)
        .auth.login.mutate({ username: 'handler', password: 'not-the-password' })
        .then(
          () => 'signed in',
          (error: unknown) => appCode(error),
        );
    // Ten tries per address in five minutes (createServices): five through each server.
    const answers: Array<string | undefined> = [];
    for (let i = 0; i < 10; i++) answers.push(await wrong(i % 2 ? b.running.url : a.running.url));
    expect(answers).toEqual(Array(10).fill('auth.invalid'));
    expect(await wrong(a.running.url)).toBe('auth.rateLimited');
    expect(await wrong(b.running.url)).toBe('auth.rateLimited');
  }, 60_000);
});
