import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServices } from '@lianxin/api';
import { createTestDatabase, Store, type TestDatabase, Vault } from '@lianxin/store';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addressOf, createHttpServer } from '../src/http/server';
import { silentLogger } from '../src/log';
import { flow, PASSWORD, seedBasics } from './server-helpers';

interface Answer {
  status: number;
  headers: Record<string, string | null>;
  body: unknown;
}

// The direct tRPC path (src/http/trpc.ts) must answer every request exactly
// as tRPC's own adapter does: the same status, headers and JSON. Two servers
// over one store, one with each, get the same requests.
describe('direct tRPC path and tRPC adapter answer alike', () => {
  let test: TestDatabase;
  const urls: Record<'direct' | 'standard', string> = { direct: '', standard: '' };
  const servers: Server[] = [];
  let cookie = '';
  let caseId = '';
  let taskId = '';

  beforeAll(async () => {
    test = await createTestDatabase('sqlite');
    const store = new Store(test.database, new Vault(randomBytes(32)));
    await seedBasics(store);
    const saved = await store.saveDraft({
      jurisdiction: '440781',
      key: flow.key,
      name: { 'zh-CN': '测试' },
      draft: flow,
      by: null,
    });
    await store.publish(saved.id, null);
    const started = await store.startCase({
      flowId: saved.id,
      version: 1,
      command: {
        type: 'case.start',
        channel: 'visit',
        data: { summary: '村道路灯损坏多日无人维修' },
        actor: { id: 'seed', roles: ['receptionist'], jurisdiction: '440781' },
      },
    });
    caseId = started.caseId;
    taskId = started.state.tasks[0]?.id ?? '';
    const services = createServices(store);
    const dataDir = mkdtempSync(join(tmpdir(), 'lianxin-trpc-'));
    for (const trpcAdapter of ['direct', 'standard'] as const) {
      const server = createHttpServer({
        services,
        log: silentLogger,
        dataDir,
        webDist: join(dataDir, 'web'),
        maxUploadBytes: 1024,
        secureCookies: false,
        trustProxy: 0,
        trpcAdapter,
      });
      await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
      servers.push(server);
      urls[trpcAdapter] = addressOf(server);
    }
    const login = await fetch(`${urls.standard}/trpc/auth.login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'receptionist', password: PASSWORD }),
    });
    cookie = (login.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
  });
  afterAll(async () => {
    for (const s of servers) await new Promise((r) => s.close(r));
    await test.drop();
  });

  async function ask(base: string, path: string, init: RequestInit): Promise<Answer> {
    const res = await fetch(`${base}${path}`, init);
    const text = await res.text();
    let body: unknown = text;
    try {
      body = JSON.parse(text);
    } catch {
      // Not JSON: compared as text.
    }
    return {
      status: res.status,
      headers: {
        'content-type': res.headers.get('content-type'),
        vary: res.headers.get('vary'),
        allow: res.headers.get('allow'),
        'set-cookie': res.headers.get('set-cookie')?.replace(/=[^;]+;/, '=…;') ?? null,
      },
      body,
    };
  }

  async function both(path: string, init: RequestInit = {}) {
    const standard = await ask(urls.standard, path, init);
    const direct = await ask(urls.direct, path, init);
    expect(direct).toEqual(standard);
    return direct;
  }

  const json = (body: unknown, headers: Record<string, string> = {}): RequestInit => ({
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
  const q = (v: unknown) => encodeURIComponent(JSON.stringify(v));

  it('answers queries, single and batched, with and without input', async () => {
    expect((await both('/trpc/health')).body).toEqual({ result: { data: { ok: true } } });
    await both(`/trpc/health?input=${q({})}`);
    await both(`/trpc/health,health?batch=1&input=${q({})}`);
    await both('/trpc/health,auth.me?batch=1', { headers: { 'x-lianxin-lang': 'en' } });
    expect((await both('/trpc/auth.me', { headers: { cookie } })).status).toBe(200);
    await both(`/trpc/cases.get?input=${q({ caseId })}`, { headers: { cookie } });
    await both(`/trpc/cases.get?input=${q({ caseId: 'nope' })}`, { headers: { cookie } });
    await both(`/trpc/cases.get,auth.me?batch=1&input=${q({ 0: { caseId } })}`, {
      headers: { cookie },
    });
  });

  it('answers mutations and their errors alike', async () => {
    const login = await both(
      '/trpc/auth.login',
      json({ username: 'receptionist', password: PASSWORD }),
    );
    expect(login.headers['set-cookie']).toMatch(/^lianxin_session=…; Path=\/; HttpOnly/);
    await both('/trpc/auth.login', json({ username: 'receptionist', password: 'wrong' }));
    await both('/trpc/auth.login', json({ username: '' }, { 'x-lianxin-lang': 'en' }));
    await both('/trpc/auth.login?batch=1', json({ 0: { username: 'nobody', password: 'x' } }));
    await both('/trpc/cases.act', json({ caseId, command: { type: 'task.claim', taskId } }));
    // An engine refusal (nothing to release) and a bad command.
    await both(
      '/trpc/cases.act',
      json({ caseId, command: { type: 'task.release', taskId } }, { cookie }),
    );
    await both('/trpc/cases.act', json({ caseId, command: { type: 'timer.fire' } }, { cookie }));
    await both('/trpc/cases.act', json({ caseId, command: {} }, { cookie }));
    // A transition changes the case, so each server makes its own: claim and release.
    const act = (base: string, type: string, batch: boolean) =>
      ask(
        base,
        `/trpc/cases.act${batch ? '?batch=1' : ''}`,
        json(
          batch
            ? { 0: { caseId, command: { type, taskId } } }
            : { caseId, command: { type, taskId } },
          { cookie },
        ),
      );
    const versionless = (a: Answer) => JSON.stringify(a).replace(/"version":\d+/g, '"version":0');
    for (const batch of [false, true]) {
      const standard = [
        await act(urls.standard, 'task.claim', batch),
        await act(urls.standard, 'task.release', batch),
      ];
      const direct = [
        await act(urls.direct, 'task.claim', batch),
        await act(urls.direct, 'task.release', batch),
      ];
      expect(standard[0]?.status).toBe(200);
      expect(direct.map(versionless)).toEqual(standard.map(versionless));
    }
  });

  it('hands everything else to tRPC adapter unchanged', async () => {
    await both('/trpc/auth.login', { method: 'POST', body: '{not json' });
    await both('/trpc/auth.login', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{not json',
    });
    await both('/trpc/auth.login', { method: 'GET' });
    await both('/trpc/health', json({}));
    await both('/trpc/nothing.here');
    await both('/trpc/health,nothing?batch=1');
    await both('/trpc/health', { method: 'HEAD' });
    await both('/trpc/health', { method: 'PUT' });
    await both(`/trpc/health?input=${encodeURIComponent('{bad')}`);
    await both('/trpc/health?batch=1&input=%5B1%5D');
    await both('/trpc/auth.login', {
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
      body: '{}',
    });
  });
});
