import { createHash } from 'node:crypto';
import { existsSync, readdirSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { appRouter } from '@lianxin/api';
import fc from 'fast-check';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configFromEnv } from '../src/config';
import { addressOf, createHttpServer } from '../src/http/server';
import { createLogger, silentLogger } from '../src/log';
import { client, flow, PASSWORD, startTestServer } from './server-helpers';

type Server = Awaited<ReturnType<typeof startTestServer>>;
const MB = 1024 * 1024;

/**
 * Streams `total` bytes (`head`, then filler) as one POST and stops as soon
 * as an answer arrives: how much was sent before the server answered shows
 * whether it refused the body while it streamed or buffered it whole.
 */
function streamPost(
  url: string,
  path: string,
  headers: Record<string, string>,
  total: number,
  head = '',
): Promise<{ status: number; sent: number; body: string }> {
  return new Promise((resolve, reject) => {
    let sent = 0;
    let answered = false;
    const req = request(`${url}${path}`, { method: 'POST', headers }, (res) => {
      answered = true;
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => {
        body += c;
      });
      res.on('end', () => {
        resolve({ status: res.statusCode ?? 0, sent, body });
        req.destroy();
      });
      res.on('error', () => resolve({ status: res.statusCode ?? 0, sent, body }));
    });
    req.on('error', (error) => {
      if (!answered) reject(error);
    });
    const filler = Buffer.alloc(64 * 1024, 'a');
    const pump = () => {
      while (!answered && sent < total) {
        const chunk = sent === 0 && head ? Buffer.concat([Buffer.from(head), filler]) : filler;
        sent += chunk.length;
        if (!req.write(chunk)) {
          req.once('drain', pump);
          return;
        }
      }
      if (!answered) req.end();
    };
    pump();
  });
}

async function signIn(url: string, username: string): Promise<string> {
  const res = await fetch(`${url}/trpc/auth.login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password: PASSWORD }),
  });
  expect(res.status).toBe(200);
  return (res.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
}

const TABLES = ['cases', 'petitioners', 'events', 'attachments'] as const;

/** Row counts of the tables a refused request must leave alone, read beside the server. */
function rowCounter(server: Server) {
  let pgClient: pg.Client | undefined;
  return {
    async counts(): Promise<Record<(typeof TABLES)[number], number>> {
      const out = { cases: 0, petitioners: 0, events: 0, attachments: 0 };
      const sqlite = server.store.database.sqlite;
      if (!sqlite) {
        if (!pgClient) {
          pgClient = new pg.Client({ connectionString: server.test.url });
          await pgClient.connect();
        }
      }
      for (const table of TABLES) {
        out[table] = sqlite
          ? (sqlite.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n
          : Number((await pgClient?.query(`SELECT count(*) AS n FROM ${table}`))?.rows[0].n);
      }
      return out;
    },
    /**
     * Every table's row count and a hash of its content, except those a refused
     * request is meant to write: the audit chain (refusals are recorded),
     * attempt counters (a refused guess still counts) and sessions (a request
     * extends its session's idle time).
     */
    async snapshot(): Promise<Record<string, { rows: number; hash: string }>> {
      const out: Record<string, { rows: number; hash: string }> = {};
      const sqlite = server.store.database.sqlite;
      const rowsOf = async (table: string): Promise<string[]> => {
        if (sqlite)
          return (sqlite.prepare(`SELECT * FROM "${table}"`).all() as unknown[]).map((r) =>
            JSON.stringify(r),
          );
        if (!pgClient) {
          pgClient = new pg.Client({ connectionString: server.test.url });
          await pgClient.connect();
        }
        const res = await pgClient.query(`SELECT t::text AS row FROM "${table}" t`);
        return res.rows.map((r: { row: string }) => r.row);
      };
      let tables: string[];
      if (sqlite) {
        tables = (
          sqlite
            .prepare(
              "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'",
            )
            .all() as { name: string }[]
        ).map((r) => r.name);
      } else {
        if (!pgClient) {
          pgClient = new pg.Client({ connectionString: server.test.url });
          await pgClient.connect();
        }
        tables = (
          await pgClient.query(
            'SELECT tablename FROM pg_tables WHERE schemaname = current_schema()',
          )
        ).rows.map((r: { tablename: string }) => r.tablename);
      }
      for (const table of tables.sort()) {
        if (SNAPSHOT_EXEMPT.includes(table)) continue;
        const rows = (await rowsOf(table)).sort();
        out[table] = {
          rows: rows.length,
          hash: createHash('sha256').update(rows.join('\n')).digest('hex').slice(0, 16),
        };
      }
      return out;
    },
    async end() {
      await pgClient?.end();
    },
  };
}

/** Tables a refused request may write by design (see `snapshot`). */
const SNAPSHOT_EXEMPT = ['audit_log', 'audit_head', 'login_attempts', 'sessions'];

const post = (url: string, path: string, body: string, headers: Record<string, string> = {}) =>
  fetch(`${url}/trpc/${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body,
  });

const intake = (data: unknown) =>
  JSON.stringify({
    jurisdiction: '440781',
    data,
    petitioner: { name: '甄某', phone: '13612345678' },
  });

type ErrorBody = {
  error: {
    message: string;
    data: {
      appCode: string;
      httpStatus: number;
      messages: { 'zh-CN': string; en: string } | null;
      details: Record<string, unknown> | null;
    };
  };
};

// Attacks a tester reproduced, each against a real server on both databases.
describe.each(['sqlite', 'pg'] as const)('hostile requests on %s', (dialect) => {
  let server: Server;
  let rows: ReturnType<typeof rowCounter>;
  let flowId: string;
  /** A case the receptionist registered, to upload to. */
  let caseId: string;
  const lines: string[] = [];

  beforeAll(async () => {
    const log = createLogger({ level: 'info', write: (line) => lines.push(line) });
    server = await startTestServer(dialect, { scheduler: false, log });
    rows = rowCounter(server);
    const admin = client(server.url);
    await admin.auth.login.mutate({ username: 'admin', password: PASSWORD });
    const saved = await admin.flows.saveDraft.mutate({
      jurisdiction: '440781',
      key: flow.key,
      definition: flow,
    });
    await admin.flows.publish.mutate({ flowId: saved.flowId });
    flowId = saved.flowId;
    const rec = client(server.url);
    await rec.auth.login.mutate({ username: 'receptionist', password: PASSWORD });
    caseId = (
      await rec.cases.register.mutate({
        flowId,
        channel: 'visit',
        data: { summary: '反映宅基地纠纷问题' },
        petitioner: { name: '甄某', phone: '13612345678' },
      })
    ).caseId;
  });
  afterAll(async () => {
    await rows.end();
    await server.stop();
  });

  it('refuses an endless anonymous tRPC body with 413 while it streams, and stays up', async () => {
    const before = await rows.counts();
    const answer = await streamPost(
      server.url,
      '/trpc/intake.submit',
      { 'content-type': 'application/json' },
      256 * MB,
      '{"jurisdiction":"440781","data":{"summary":"',
    );
    expect(answer.status).toBe(413);
    // Answered after about the 1 MB limit, not after reading the 256 MB.
    expect(answer.sent).toBeLessThan(16 * MB);
    const error = (JSON.parse(answer.body) as ErrorBody).error;
    expect(error.data.appCode).toBe('request.tooLarge');
    expect(error.data.messages?.en).toContain('1 MB');
    expect(error.data.messages?.['zh-CN']).toContain('1 MB');
    // A declared length over the limit is refused before a byte of body is read.
    const declared = await streamPost(
      server.url,
      '/trpc/intake.submit',
      { 'content-type': 'application/json', 'content-length': String(545 * MB) },
      0,
    );
    expect(declared.status).toBe(413);
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
    expect(await rows.counts()).toEqual(before);
  });

  it('refuses an endless upload with 413 while it streams', async () => {
    const cookie = await signIn(server.url, 'receptionist');
    const before = await rows.counts();
    const answer = await streamPost(
      server.url,
      `/api/attachments?caseId=${caseId}&name=big.txt`,
      { cookie, 'x-lianxin-csrf': '1', 'content-type': 'application/octet-stream' },
      256 * MB,
    );
    expect(answer.status).toBe(413);
    expect(answer.sent).toBeLessThan(16 * MB);
    expect((JSON.parse(answer.body) as { code: string }).code).toBe('attachment.tooLarge');
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
    expect(await rows.counts()).toEqual(before);
  });

  it('refuses JSON nested 10,000 deep with a bilingual 400 and creates no petitioner', async () => {
    const before = await rows.counts();
    const deep = `${'['.repeat(10_000)}${']'.repeat(10_000)}`;
    const res = await post(
      server.url,
      'intake.submit',
      intake({ summary: '宅基地纠纷' }).replace('"宅基地纠纷"', deep),
      { 'x-lianxin-lang': 'en' },
    );
    expect(res.status).toBe(400);
    const { error } = (await res.json()) as ErrorBody;
    expect(error.data.appCode).toBe('input.tooDeep');
    expect(error.message).toContain('64 levels');
    expect(error.data.messages?.['zh-CN']).toContain('64 层');
    expect(error.data.details?.pointer).toMatch(/^\/data\/summary(\/0)+$/);
    expect(await rows.counts()).toEqual(before);
  });

  it('refuses a text over 20,000 characters, naming where it is', async () => {
    const before = await rows.counts();
    const res = await post(server.url, 'intake.submit', intake({ summary: '诉'.repeat(20_001) }));
    expect(res.status).toBe(400);
    const { error } = (await res.json()) as ErrorBody;
    expect(error.data.appCode).toBe('input.tooLong');
    expect(error.data.details?.pointer).toBe('/data/summary');
    expect(error.message).toContain('20000');
    expect(await rows.counts()).toEqual(before);
    // The same text at the limit is the procedure's business, not the boundary's.
    const atLimit = await post(
      server.url,
      'intake.submit',
      intake({ summary: 'x'.repeat(20_000) }),
    );
    expect(((await atLimit.json()) as ErrorBody).error?.data.appCode).not.toBe('input.tooLong');
  });

  it('leaves no petitioner behind when the engine refuses the petition', async () => {
    const before = await rows.counts();
    // Valid for the API, refused by the flow's form (the summary needs 5 characters).
    const res = await post(server.url, 'intake.submit', intake({ summary: '短' }));
    expect(res.status).toBe(400);
    expect(((await res.json()) as ErrorBody).error.data.appCode).toBe('engine.form.invalid');
    expect(await rows.counts()).toEqual(before);
    const cookie = await signIn(server.url, 'receptionist');
    const registered = await post(
      server.url,
      'cases.register',
      JSON.stringify({
        flowId,
        channel: 'visit',
        data: { summary: '短' },
        petitioner: { name: '甄某', phone: '13612345678' },
      }),
      { cookie },
    );
    expect(registered.status).toBe(400);
    expect(await rows.counts()).toEqual(before);
  });

  it('refuses a batch of more than 20 calls', async () => {
    const paths = Array.from({ length: 21 }, () => 'health').join(',');
    const res = await fetch(`${server.url}/trpc/${paths}?batch=1`);
    expect(res.status).toBe(400);
    const [first] = (await res.json()) as ErrorBody[];
    expect(first?.error.data.appCode).toBe('request.batchTooLarge');
    const twenty = Array.from({ length: 20 }, () => 'health').join(',');
    expect((await fetch(`${server.url}/trpc/${twenty}?batch=1`)).status).toBe(200);
  });

  it('refuses NUL and lone surrogates with 400 on both databases, before the database', async () => {
    const before = await rows.counts();
    for (const bad of ['a\u0000b', 'a\ud800b', '\udc00', 'end\ud83d']) {
      const res = await post(server.url, 'intake.submit', intake({ summary: bad }));
      expect(res.status).toBe(400);
      const { error } = (await res.json()) as ErrorBody;
      expect(error.data.appCode).toBe('input.badText');
      expect(error.data.details?.pointer).toBe('/data/summary');
    }
    // In a key, and in a query's input (GET) too.
    const key = await post(server.url, 'intake.submit', intake({ 'a\u0000': 'x' }));
    expect(((await key.json()) as ErrorBody).error.data.appCode).toBe('input.badText');
    const input = encodeURIComponent(JSON.stringify({ trackingCode: 'A\u0000', phone: '1361234' }));
    const query = await fetch(`${server.url}/trpc/intake.track?input=${input}`);
    expect(query.status).toBe(400);
    // A well-formed pair (an emoji) is ordinary text.
    const emoji = await post(server.url, 'intake.submit', intake({ summary: '水渠被堵求助😀' }));
    expect(emoji.status).toBe(200);
    expect((await rows.counts()).cases).toBe(before.cases + 1);
  });

  it('answers an unexpected error with a generic bilingual 500 and an id that is logged', async () => {
    const cookie = await signIn(server.url, 'receptionist');
    const original = server.store.caseRow.bind(server.store);
    server.store.caseRow = async () => {
      throw new Error('relation "secret_cases_idx" violates constraint on value 13612345678');
    };
    try {
      const input = encodeURIComponent(JSON.stringify({ caseId: 'c1' }));
      const res = await fetch(`${server.url}/trpc/cases.get?input=${input}`, {
        headers: { cookie, 'x-lianxin-lang': 'en' },
      });
      expect(res.status).toBe(500);
      const text = await res.text();
      expect(text).not.toContain('secret_cases_idx');
      expect(text).not.toContain('13612345678');
      const { error } = JSON.parse(text) as ErrorBody;
      expect(error.data.appCode).toBe('internal');
      const errorId = error.data.details?.errorId as string;
      expect(errorId).toMatch(/^[0-9a-f]{8}$/);
      expect(error.message).toContain(errorId);
      expect(error.data.messages?.['zh-CN']).toContain(errorId);
      const logged = lines.find((l) => l.includes(errorId));
      expect(logged).toContain('secret_cases_idx');
    } finally {
      server.store.caseRow = original;
    }
  });

  it('puts security headers on every answer', async () => {
    for (const path of ['/', '/healthz', '/trpc/health', '/nothing.js', '/assets/app.js']) {
      const res = await fetch(`${server.url}${path}`);
      const csp = res.headers.get('content-security-policy') ?? '';
      expect(csp).toContain("frame-ancestors 'none'");
      expect(csp).toContain("script-src 'self'");
      expect(csp).not.toMatch(/script-src[^;]*unsafe-inline/);
      expect(res.headers.get('x-frame-options')).toBe('DENY');
      expect(res.headers.get('referrer-policy')).toBe('same-origin');
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    }
  });

  it('refuses writes a cross-site form could send: text/plain tRPC and uploads without the header', async () => {
    const login = await fetch(`${server.url}/trpc/auth.login`, {
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
      body: JSON.stringify({ username: 'admin', password: PASSWORD }),
    });
    expect(login.status).toBe(415);
    expect(login.headers.get('set-cookie')).toBeNull();
    expect(((await login.json()) as ErrorBody).error.data.appCode).toBe('request.notJson');

    const cookie = await signIn(server.url, 'receptionist');
    const before = await rows.counts();
    const forged = await fetch(`${server.url}/api/attachments?caseId=${caseId}&name=a.txt`, {
      method: 'POST',
      headers: { cookie, 'content-type': 'text/plain' },
      body: 'hello',
    });
    expect(forged.status).toBe(403);
    expect(((await forged.json()) as { code: string }).code).toBe('request.csrf');
    expect(await rows.counts()).toEqual(before);
    const real = await fetch(`${server.url}/api/attachments?caseId=${caseId}&name=a.txt`, {
      method: 'POST',
      headers: { cookie, 'content-type': 'text/plain', 'x-lianxin-csrf': '1' },
      body: 'hello',
    });
    expect(real.status).toBe(201);
    expect((await rows.counts()).attachments).toBe(before.attachments + 1);
    const badName = await fetch(`${server.url}/api/attachments?caseId=${caseId}&name=a%00.txt`, {
      method: 'POST',
      headers: { cookie, 'content-type': 'text/plain', 'x-lianxin-csrf': '1' },
      body: 'hello',
    });
    expect(badName.status).toBe(400);
  });

  it('answers random hostile bodies without a 500, stays up, and leaves the tables unchanged when it refuses', async () => {
    const cookie = await signIn(server.url, 'receptionist');
    const edgeText = fc.oneof(
      fc.string(),
      fc.constantFrom(
        '\u0000',
        '\ud800',
        '\udfff',
        'a\u0000',
        '\ufeff',
        '\u202e',
        '😀'.slice(0, 1),
      ),
      fc.string({ unit: 'binary', maxLength: 40 }),
      fc.integer({ min: 19_990, max: 20_010 }).map((n) => 'x'.repeat(n)),
    );
    const hostile = fc.letrec((tie) => ({
      value: fc.oneof(
        { depthSize: 'small' },
        edgeText,
        fc.integer(),
        fc.double(),
        fc.boolean(),
        fc.constant(null),
        fc.array(tie('value'), { maxLength: 4 }),
        fc.dictionary(edgeText, tie('value'), { maxKeys: 4 }),
        fc
          .integer({ min: 60, max: 3000 })
          .map((n) => JSON.parse(`${'['.repeat(n)}${']'.repeat(n)}`)),
      ),
    })).value;
    const procedures = ['intake.submit', 'cases.register', 'tasks.complete', 'auth.login'];
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...procedures),
        fc.oneof(
          hostile,
          hostile.map((data) => ({
            jurisdiction: '440781',
            data,
            petitioner: { name: data, phone: '13612345678' },
          })),
        ),
        async (path, body) => {
          const before = await rows.counts();
          const res = await post(server.url, path, JSON.stringify(body), { cookie });
          expect(res.status).not.toBe(500);
          expect(res.status).toBeLessThan(500);
          await res.arrayBuffer();
          if (res.status >= 400) expect(await rows.counts()).toEqual(before);
        },
      ),
      { numRuns: 40 },
    );
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
  });
  it('refuses an upload naming no case, and a refused attach leaves no row and no file', async () => {
    const cookie = await signIn(server.url, 'receptionist');
    const upload = (path: string, body: string, who = cookie) =>
      fetch(`${server.url}${path}`, {
        method: 'POST',
        headers: { cookie: who, 'content-type': 'text/plain', 'x-lianxin-csrf': '1' },
        body,
      });
    const dir = join(server.dataDir, 'attachments');
    // Kept anywhere: in the database (attachment_files) or, as before it, on disk.
    const stored = async (text: string) => {
      const sha = createHash('sha256').update(text).digest('hex');
      const sub = join(dir, sha.slice(0, 2));
      const f = server.store.database.t.attachmentFiles;
      const rows = await server.store.database.read((db) =>
        db.select({ path: f.storagePath }).from(f),
      );
      return (
        rows.some((r) => r.path.startsWith(`${sha.slice(0, 2)}/${sha}.`)) ||
        (existsSync(sub) && readdirSync(sub).some((name) => name.startsWith(sha)))
      );
    };
    const before = await rows.snapshot();
    const caseless = await upload('/api/attachments?name=a.txt', '无主附件');
    expect(caseless.status).toBe(400);
    const refusal = (await caseless.json()) as { code: string; messages: Record<string, string> };
    expect(refusal.code).toBe('attachment.caseRequired');
    expect(refusal.messages['zh-CN']).toContain('信访事项');
    expect(refusal.messages.en).toContain('case');
    expect(await stored('无主附件')).toBe(false);
    // Another county's receptionist may not attach to this county's case.
    const other = await signIn(server.url, 'other');
    expect((await upload(`/api/attachments?caseId=${caseId}`, '外县附件', other)).status).toBe(403);
    expect(await stored('外县附件')).toBe(false);
    expect(await rows.snapshot()).toEqual(before);

    // The case closes while the file is on its way: the engine refuses inside the
    // transaction, so neither the row nor the event is written and the file goes.
    const rec = client(server.url);
    await rec.auth.login.mutate({ username: 'receptionist', password: PASSWORD });
    const racing = (
      await rec.cases.register.mutate({
        flowId,
        channel: 'visit',
        data: { summary: '即将撤回的事项' },
      })
    ).caseId;
    const kept = await upload(`/api/attachments?caseId=${caseId}`, '共用的证据材料');
    expect(kept.status).toBe(201);
    const store = server.store;
    const original = store.attachToCase.bind(store);
    store.attachToCase = async (row, command) => {
      await rec.cases.act.mutate({
        caseId: racing,
        command: { type: 'case.withdraw', reason: '信访人撤回' },
      });
      return original(row, command);
    };
    try {
      const racedBefore = await rows.snapshot();
      const raced = await upload(`/api/attachments?caseId=${racing}`, '撤回前的附件');
      expect(raced.status).toBe(409);
      expect(((await raced.json()) as { code: string }).code).toBe('engine.case.closed');
      expect(await stored('撤回前的附件')).toBe(false);
      const after = await rows.snapshot();
      // Only the withdrawal itself was written (its event and the case row).
      expect(after.attachments).toEqual(racedBefore.attachments);
      // A refused upload of a file another attachment already uses leaves that file alone.
      store.attachToCase = async (row, command) => {
        await rec.cases.act
          .mutate({ caseId: racing, command: { type: 'case.comment', text: '再试' } })
          .catch(() => undefined);
        return original({ ...row, caseId: racing }, command);
      };
      const shared = await upload(`/api/attachments?caseId=${caseId}`, '共用的证据材料');
      expect(shared.status).toBe(409);
      expect(await stored('共用的证据材料')).toBe(true);
    } finally {
      store.attachToCase = original;
    }
    // Closed cases refuse before the body is read, with the engine's bilingual reason.
    const closed = await upload(`/api/attachments?caseId=${racing}`, '结案后的附件');
    expect(closed.status).toBe(409);
    expect(await stored('结案后的附件')).toBe(false);
  });

  it('answers hostile inputs to every procedure without a 500, and a refusal changes no table', async () => {
    const cookies = {
      admin: await signIn(server.url, 'admin'),
      receptionist: await signIn(server.url, 'receptionist'),
      anonymous: '',
    };
    const procedures = Object.entries(
      (appRouter as unknown as { _def: { procedures: Record<string, { _def: { type: string } }> } })
        ._def.procedures,
    )
      // Signing out would end the session the rest of the run uses.
      .filter(([path]) => path !== 'auth.logout')
      .map(([path, p]) => ({ path, type: p._def.type }));
    expect(procedures.length).toBeGreaterThan(40);
    const text = fc.oneof(
      fc.string({ maxLength: 30 }),
      fc.constantFrom(
        '\u0000',
        '\ud800',
        'a\udfff',
        '\ufeff',
        '\u202e',
        '../../etc/passwd',
        "' OR 1=1 --",
        '440781',
        caseId,
        flowId,
      ),
      fc.string({ unit: 'grapheme', maxLength: 20 }),
      fc.integer({ min: 19_995, max: 20_005 }).map((n) => '诉'.repeat(n)),
    );
    const value = fc.letrec((tie) => ({
      v: fc.oneof(
        { depthSize: 'small' },
        text,
        fc.integer(),
        fc.double(),
        fc.boolean(),
        fc.constant(null),
        fc.array(tie('v'), { maxLength: 3 }),
        fc.dictionary(text, tie('v'), { maxKeys: 3 }),
        fc
          .integer({ min: 60, max: 200 })
          .map((n) => JSON.parse(`${'['.repeat(n)}${']'.repeat(n)}`)),
        fc.constant(Array.from({ length: 10_001 }, () => 0)),
      ),
    })).v;
    const KEYS = [
      'caseId',
      'flowId',
      'taskId',
      'jurisdiction',
      'key',
      'version',
      'data',
      'petitioner',
      'command',
      'trackingCode',
      'phone',
      'idCard',
      'username',
      'password',
      'definition',
      'bundle',
      'text',
      'reason',
      'action',
      'limit',
      'from',
      'to',
      'userId',
      'channel',
      'templateKey',
      'toVersion',
      'score',
      'currentPassword',
      'newPassword',
      'year',
      'name',
      // Statutory document templates.
      'kind',
      'serialPrefix',
      'issuer',
      'title',
      'body',
      'expectedRevision',
      // Supervision orders (督办).
      'deadline',
      'supervisionId',
    ];
    // Either any value, or an object with the keys procedures take, each hostile.
    const input = fc.oneof(
      value,
      fc.dictionary(fc.constantFrom(...KEYS), value, { minKeys: 1, maxKeys: 5 }),
    );
    let refused = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...procedures),
        fc.constantFrom('admin', 'receptionist', 'anonymous'),
        input,
        async ({ path, type }, who, body) => {
          const before = await rows.snapshot();
          const headers = { cookie: cookies[who as keyof typeof cookies] };
          const res =
            type === 'query'
              ? await fetch(
                  `${server.url}/trpc/${path}?input=${encodeURIComponent(JSON.stringify(body))}`,
                  { headers },
                )
              : await post(server.url, path, JSON.stringify(body), headers);
          const answer = await res.text();
          expect(res.status, `${path} as ${who}: ${answer.slice(0, 300)}`).toBeLessThan(500);
          if (res.status >= 400) {
            refused++;
            expect(await rows.snapshot(), `${path} as ${who}`).toEqual(before);
          }
        },
      ),
      { numRuns: 120 },
    );
    expect(refused).toBeGreaterThan(60);
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
  });

  it('leaves every table as it was when a registration or an online petition is refused', async () => {
    const cookie = await signIn(server.url, 'receptionist');
    const petitioner = fc.record(
      {
        name: fc.oneof(fc.constantFrom('甄某', '欧阳某某'), fc.string({ maxLength: 60 })),
        phone: fc.oneof(fc.constant('13612345678'), fc.string({ maxLength: 25 })),
        idCard: fc.oneof(fc.constant('44078119800101001X'), fc.string({ maxLength: 20 })),
      },
      { requiredKeys: [] },
    );
    // Near-valid bodies: the shape passes, the flow's form or the petitioner may not.
    const data = fc.record(
      {
        summary: fc.oneof(fc.string({ maxLength: 8 }), fc.integer(), fc.constant(null)),
        category: fc.oneof(fc.constantFrom('land', 'labour', '??'), fc.integer()),
      },
      { requiredKeys: [] },
    );
    let refused = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('cases.register', 'intake.submit'),
        data,
        petitioner,
        fc.constantFrom('visit', 'letter', 'online', 'fax'),
        async (path, formData, who, channel) => {
          const body =
            path === 'cases.register'
              ? { flowId, channel, data: formData, petitioner: who }
              : { jurisdiction: '440781', data: formData, petitioner: who };
          const before = await rows.snapshot();
          const res = await post(server.url, path, JSON.stringify(body), { cookie });
          expect(res.status).toBeLessThan(500);
          await res.arrayBuffer();
          if (res.status >= 400) {
            refused++;
            expect(await rows.snapshot()).toEqual(before);
          }
        },
      ),
      { numRuns: 40 },
    );
    expect(refused).toBeGreaterThan(10);
  });
});

describe('PostgreSQL connections ended under the server', () => {
  let server: Server;
  beforeAll(async () => {
    server = await startTestServer('pg', { scheduler: false });
  });
  afterAll(async () => {
    await server.stop();
  });

  it('survives a backend terminated while idle in transaction, and the next request succeeds', async () => {
    const admin = new pg.Client({ connectionString: server.test.url });
    await admin.connect();
    try {
      const db = server.store.database;
      let inside!: () => void;
      const opened = new Promise<void>((resolve) => {
        inside = resolve;
      });
      const held = db.tx(async (tx) => {
        await tx.select().from(db.t.cases).limit(1);
        inside();
        // Idle in transaction until the backend is gone.
        await new Promise((resolve) => setTimeout(resolve, 500));
        await tx.select().from(db.t.cases).limit(1);
      });
      await opened;
      const terminated = await admin.query(
        `SELECT pg_terminate_backend(pid) FROM pg_stat_activity
         WHERE datname = current_database() AND pid <> pg_backend_pid()`,
      );
      expect(terminated.rowCount).toBeGreaterThan(0);
      // The transaction in flight fails; the process does not.
      await expect(held).rejects.toThrow();
      const res = await fetch(`${server.url}/trpc/auth.login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username: 'admin', password: PASSWORD }),
      });
      expect(res.status).toBe(200);
      // Idle pooled connections ended too: the pool connects anew.
      await admin.query(
        `SELECT pg_terminate_backend(pid) FROM pg_stat_activity
         WHERE datname = current_database() AND pid <> pg_backend_pid()`,
      );
      await new Promise((resolve) => setTimeout(resolve, 100));
      const again = client(server.url);
      await again.auth.login.mutate({ username: 'admin', password: PASSWORD });
      expect((await again.auth.me.query()).username).toBe('admin');
    } finally {
      await admin.end();
    }
  });
});

describe('limits from the environment', () => {
  it('reads each limit, and refuses a value that would turn a limit off', () => {
    const config = configFromEnv({
      LIANXIN_MAX_JSON_KB: '64',
      LIANXIN_MAX_TEXT_CHARS: '100',
      LIANXIN_MAX_DEPTH: '8',
      LIANXIN_MAX_ITEMS: '50',
      LIANXIN_MAX_BATCH: '5',
    });
    expect(config.limits).toEqual({
      maxJsonBytes: 64 * 1024,
      maxStringChars: 100,
      maxDepth: 8,
      maxItems: 50,
      maxBatch: 5,
    });
    expect(configFromEnv({}).limits.maxJsonBytes).toBe(MB);
    expect(() => configFromEnv({ LIANXIN_MAX_TEXT_CHARS: '20k' })).toThrow(/20k/);
    expect(() => configFromEnv({ LIANXIN_MAX_DEPTH: '0' })).toThrow();
  });

  it('applies configured limits to requests', async () => {
    const server = await startTestServer('sqlite', { scheduler: false });
    const { limits, trustProxy } = configFromEnv({
      LIANXIN_MAX_TEXT_CHARS: '100',
      LIANXIN_MAX_ITEMS: '3',
    });
    const http = createHttpServer({
      services: server.services,
      log: silentLogger,
      dataDir: server.dataDir,
      webDist: join(server.dataDir, 'web'),
      maxUploadBytes: MB,
      secureCookies: false,
      trustProxy,
      limits,
    });
    await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
    try {
      const url = addressOf(http);
      const long = await post(url, 'intake.submit', intake({ summary: 'x'.repeat(101) }));
      expect(((await long.json()) as ErrorBody).error.data.appCode).toBe('input.tooLong');
      const many = await post(url, 'intake.submit', intake({ list: [1, 2, 3, 4] }));
      expect(((await many.json()) as ErrorBody).error.data.details?.pointer).toBe('/data/list');
    } finally {
      await new Promise((resolve) => http.close(resolve));
      await server.stop();
    }
  });
});
