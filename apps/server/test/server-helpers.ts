import { randomBytes } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AppRouter } from '@lianxin/api';
import { createTestDatabase, type Dialect, Store, Vault } from '@lianxin/store';
import { createTRPCClient, httpLink } from '@trpc/client';
import { startServer } from '../src/app';
import { configFromEnv } from '../src/config';
import { type Logger, silentLogger } from '../src/log';
import flowJson from './fixtures/flow.json' with { type: 'json' };

export const flow = flowJson as unknown as Record<string, unknown> & { key: string };
export const PASSWORD = 'server-test-password';

/** A tRPC client over real HTTP that keeps its own session cookie, like one browser. */
export function client(url: string, lang = 'zh-CN', jar: { cookie: string } = { cookie: '' }) {
  const trpc = createTRPCClient<AppRouter>({
    links: [
      httpLink({
        url: `${url}/trpc`,
        headers: () => ({ ...(jar.cookie ? { cookie: jar.cookie } : {}), 'x-lianxin-lang': lang }),
        fetch: async (input, init) => {
          const res = await fetch(input, init);
          const set = res.headers.getSetCookie();
          for (const c of set) {
            const pair = c.split(';')[0] ?? '';
            jar.cookie = pair.endsWith('=') ? '' : pair;
          }
          return res;
        },
      }),
    ],
  });
  return trpc;
}

export async function seedBasics(store: Store) {
  for (const [code, name, level, parent] of [
    ['440000', '广东省', 'province', null],
    ['440700', '江门市', 'city', '440000'],
    ['440781', '台山市', 'county', '440700'],
    ['440783', '开平市', 'county', '440700'],
  ] as const) {
    await store.upsertJurisdiction({ code, name: { 'zh-CN': name }, level, parent });
  }
  const users = {
    admin: { jurisdiction: '440781', role: 'admin' },
    receptionist: { jurisdiction: '440781', role: 'receptionist' },
    handler: { jurisdiction: '440781', role: 'handler', department: 'civil' },
    other: { jurisdiction: '440783', role: 'receptionist' },
  };
  for (const [username, m] of Object.entries(users)) {
    await store.createUser({
      username,
      displayName: username,
      password: PASSWORD,
      memberships: [m],
    });
  }
}

/** A server on a fresh database, listening on a free loopback port. */
export async function startTestServer(
  dialect: Dialect,
  options: { scheduler?: boolean; log?: Logger } = {},
) {
  const test = await createTestDatabase(dialect);
  const dataDir = mkdtempSync(join(tmpdir(), 'lianxin-server-'));
  const webDist = join(dataDir, 'web');
  const { mkdirSync } = await import('node:fs');
  mkdirSync(join(webDist, 'assets'), { recursive: true });
  writeFileSync(
    join(webDist, 'index.html'),
    '<!doctype html><title>连心</title><div id="root"></div>',
  );
  writeFileSync(join(webDist, 'assets', 'app.js'), 'console.log("lianxin")');
  const store = new Store(test.database, new Vault(randomBytes(32)));
  await seedBasics(store);
  const config = {
    ...configFromEnv({ LIANXIN_DATA_DIR: dataDir, PORT: '0', HOST: '127.0.0.1' }),
    webDist,
    maxUploadBytes: 1024 * 1024,
    schedulerIntervalMs: 200,
  };
  const running = await startServer(store, config, options.log ?? silentLogger, options);
  return {
    ...running,
    test,
    dataDir,
    async stop() {
      await running.close();
      await test.drop();
    },
  };
}
