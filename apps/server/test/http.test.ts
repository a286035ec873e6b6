import { TRPCClientError } from '@trpc/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { client, flow, PASSWORD, startTestServer } from './server-helpers';

function appCode(error: unknown): string | undefined {
  return error instanceof TRPCClientError
    ? (error.data as { appCode?: string } | undefined)?.appCode
    : undefined;
}

// The API through a real HTTP tRPC client against a started server, on both databases.
describe.each(['sqlite', 'pg'] as const)('HTTP API on %s', (dialect) => {
  let server: Awaited<ReturnType<typeof startTestServer>>;
  let flowId: string;

  beforeAll(async () => {
    server = await startTestServer(dialect, { scheduler: false });
  });
  afterAll(async () => {
    await server.stop();
  });

  it('signs in with an httpOnly session cookie, answers me, and signs out', async () => {
    const res = await fetch(`${server.url}/trpc/auth.login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'admin', password: PASSWORD }),
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('set-cookie')).toMatch(
      /lianxin_session=.+; Path=\/; HttpOnly; SameSite=Lax/,
    );
    const admin = client(server.url);
    await expect(admin.auth.me.query()).rejects.toSatisfy((e) => appCode(e) === 'auth.required');
    await admin.auth.login.mutate({ username: 'admin', password: PASSWORD });
    expect((await admin.auth.me.query()).username).toBe('admin');
    await admin.auth.logout.mutate();
    await expect(admin.auth.me.query()).rejects.toSatisfy((e) => appCode(e) === 'auth.required');
    const bad = await client(server.url, 'en')
      .auth.login.mutate({ username: 'admin', password: 'wrong' })
      .catch((e: unknown) => e);
    expect(appCode(bad)).toBe('auth.invalid');
    expect((bad as Error).message).toBe('wrong user name or password');
  });

  it('publishes a flow, registers a case, works it through the inbox, and tracks it publicly', async () => {
    const admin = client(server.url);
    await admin.auth.login.mutate({ username: 'admin', password: PASSWORD });
    const saved = await admin.flows.saveDraft.mutate({
      jurisdiction: '440781',
      key: flow.key,
      definition: flow,
    });
    expect(saved.errors).toBe(0);
    const published = await admin.flows.publish.mutate({ flowId: saved.flowId });
    flowId = saved.flowId;
    expect(published.version).toBe(1);
    expect((await admin.flows.versions.query({ flowId })).map((v) => v.version)).toEqual([1]);

    const rec = client(server.url);
    await rec.auth.login.mutate({ username: 'receptionist', password: PASSWORD });
    const registered = await rec.cases.register.mutate({
      flowId,
      channel: 'visit',
      data: { summary: '农田灌溉渠被堵，影响春耕' },
      petitioner: { name: '甄某', phone: '13612345678' },
    });
    const [review] = (await rec.tasks.inbox.query()).rows.filter(
      (t) => t.caseId === registered.caseId,
    );
    await rec.tasks.complete.mutate({
      taskId: review?.id ?? '',
      action: 'submit',
      data: { accepted: true, department: 'civil' },
    });
    const handler = client(server.url);
    await handler.auth.login.mutate({ username: 'handler', password: PASSWORD });
    const [handle] = (await handler.tasks.inbox.query()).rows.filter(
      (t) => t.caseId === registered.caseId,
    );
    const conflict = await handler.tasks.complete
      .mutate({
        taskId: handle?.id ?? '',
        action: 'reply',
        data: { reply: '已清淤' },
        expectedVersion: 0,
      })
      .catch((e: unknown) => e);
    expect(appCode(conflict)).toBe('engine.state.stale');
    await handler.tasks.complete.mutate({
      taskId: handle?.id ?? '',
      action: 'reply',
      data: { reply: '已组织清淤' },
    });
    const detail = await rec.cases.get.query({ caseId: registered.caseId });
    expect(detail.timeline.some((e) => e.type === 'task.completed')).toBe(true);

    const other = client(server.url);
    await other.auth.login.mutate({ username: 'other', password: PASSWORD });
    const denied = await other.cases.get
      .query({ caseId: registered.caseId })
      .catch((e: unknown) => e);
    expect(appCode(denied)).toBe('permission.jurisdiction');

    const citizen = client(server.url);
    const tracked = await citizen.intake.track.query({
      trackingCode: registered.trackingCode,
      phone: '13612345678',
    });
    expect(tracked.status).toBe('active');
    expect(JSON.stringify(tracked)).not.toContain('甄某');
    const submitted = await citizen.intake.submit.mutate({
      jurisdiction: '440781',
      data: { summary: '网上反映：路灯损坏' },
      petitioner: { name: '关某', phone: '13500000000' },
    });
    expect(submitted.trackingCode).toMatch(/^[0-9A-Z]{10}$/);
  });

  it('uploads and downloads attachments, checking size and type', async () => {
    const jar = { cookie: '' };
    const rec = client(server.url, 'zh-CN', jar);
    await rec.auth.login.mutate({ username: 'receptionist', password: PASSWORD });
    const caseId = (await rec.cases.list.query({})).rows[0]?.id ?? '';
    const pdf = Buffer.concat([Buffer.from('%PDF-1.4\n'), Buffer.alloc(200, 32)]);
    const up = await fetch(
      `${server.url}/api/attachments?caseId=${caseId}&name=${encodeURIComponent('证据.pdf')}`,
      {
        method: 'POST',
        headers: { cookie: jar.cookie, 'content-type': 'application/pdf', 'x-lianxin-csrf': '1' },
        body: pdf,
      },
    );
    expect(up.status).toBe(201);
    const uploaded = (await up.json()) as { id: string; mime: string };
    expect(uploaded.mime).toBe('application/pdf');
    const down = await fetch(`${server.url}/api/attachments/${uploaded.id}`, {
      headers: { cookie: jar.cookie },
    });
    expect(Buffer.from(await down.arrayBuffer())).toEqual(pdf);
    expect((await rec.cases.get.query({ caseId })).state.attachments).toHaveLength(1);
    const exe = await fetch(`${server.url}/api/attachments?caseId=${caseId}`, {
      method: 'POST',
      headers: { cookie: jar.cookie, 'x-lianxin-csrf': '1' },
      body: Buffer.from([0x4d, 0x5a, 0x90, 0x00, 0xff, 0xfe]),
    });
    expect(exe.status).toBe(415);
    const big = await fetch(`${server.url}/api/attachments?caseId=${caseId}`, {
      method: 'POST',
      headers: { cookie: jar.cookie, 'x-lianxin-csrf': '1' },
      body: Buffer.alloc(2 * 1024 * 1024, 0x41),
    });
    expect(big.status).toBe(413);
    const anonymous = await fetch(`${server.url}/api/attachments/${uploaded.id}`);
    expect(anonymous.status).toBe(401);
  });

  it('serves the web app with an SPA fallback', async () => {
    const page = await fetch(`${server.url}/workbench/cases/123`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<div id="root">');
    const asset = await fetch(`${server.url}/assets/app.js`);
    expect(asset.headers.get('cache-control')).toContain('immutable');
    expect((await fetch(`${server.url}/assets/missing.js`)).status).toBe(404);
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
  });
});
