import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
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

/** A loopback port free at the time of asking. */
export function freePort(): Promise<number> {
  return new Promise((resolvePromise) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolvePromise(port));
    });
  });
}

const main = fileURLToPath(new URL('../src/cli/main.ts', import.meta.url));

/**
 * `lianxin serve --port <port>` as a process of its own, with `env` over ours; resolves once it
 * logs that it listens, and fails with what it printed if it exits or is silent for a minute
 * first. `node` adds Node options (a CPU profile, say). The server's stderr shows on ours.
 */
export function spawnServer(
  env: NodeJS.ProcessEnv,
  port: number,
  node: string[] = [],
): Promise<ChildProcess> {
  const child = spawn(
    process.execPath,
    [...node, '--import', 'tsx', main, 'serve', '--port', String(port)],
    { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  return new Promise((resolvePromise, rejectPromise) => {
    let out = '';
    let started = false;
    const timer = setTimeout(
      () => rejectPromise(new Error(`server did not start: ${out}`)),
      60_000,
    );
    child.stdout?.on('data', (chunk: Buffer) => {
      if (started) return; // read on, so a full pipe never stops the server
      out += chunk.toString();
      if (out.includes('"msg":"listening"')) {
        started = true;
        clearTimeout(timer);
        resolvePromise(child);
      }
    });
    child.stderr?.on('data', (chunk: Buffer) => {
      process.stderr.write(chunk);
      if (!started) out += chunk.toString();
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      rejectPromise(new Error(`server exited ${code}: ${out}`));
    });
  });
}
