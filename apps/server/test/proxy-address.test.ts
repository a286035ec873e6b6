import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTestDatabase, Store, Vault } from '@lianxin/store';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningServer, startServer } from '../src/app';
import { configFromEnv } from '../src/config';
import { silentLogger } from '../src/log';
import { PASSWORD, seedBasics } from './server-helpers';

// Behind one proxy (LIANXIN_TRUST_PROXY=1), over real HTTP: the proxy appends
// the address it saw to X-Forwarded-For; whatever the client wrote to the left
// of it is the attacker's own text.
describe('the sign-in limit behind a proxy', () => {
  let server: RunningServer;
  let drop: () => Promise<void>;

  beforeAll(async () => {
    const test = await createTestDatabase('sqlite');
    const store = new Store(test.database, new Vault(randomBytes(32)));
    await seedBasics(store);
    const dataDir = mkdtempSync(join(tmpdir(), 'lianxin-proxy-'));
    const config = configFromEnv({
      LIANXIN_DATA_DIR: dataDir,
      PORT: '0',
      HOST: '127.0.0.1',
      LIANXIN_TRUST_PROXY: '1',
    });
    server = await startServer(store, config, silentLogger, { scheduler: false });
    drop = () => test.drop();
  });
  afterAll(async () => {
    await server.close();
    await drop();
  });

  const login = (forwardedFor: string, username: string, password: string) =>
    fetch(`${server.url}/trpc/auth.login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-forwarded-for': forwardedFor },
      body: JSON.stringify({ username, password }),
    });

  it('counts a forged leftmost X-Forwarded-For against the real client address', async () => {
    // Ten wrong passwords (the per-address limit), each with a fresh forged address.
    for (let i = 0; i < 10; i++) {
      const res = await login(`10.9.${i}.1, 203.0.113.5`, 'handler', 'guess');
      expect(res.status).toBe(401);
    }
    const next = await login('10.9.99.1, 203.0.113.5', 'handler', 'guess');
    expect(next.status).toBe(429);
    expect(JSON.stringify(await next.json())).toContain('尝试次数过多');
    // Forging an office's address does not lock that office out.
    expect((await login('203.0.113.5, 198.51.100.20', 'admin', PASSWORD)).status).toBe(200);
  });

  it('reads the proxy hops and the idle timeout from the environment', () => {
    expect(configFromEnv({}).trustProxy).toBe(0);
    expect(configFromEnv({ LIANXIN_TRUST_PROXY: '2' }).trustProxy).toBe(2);
    expect(configFromEnv({}).sessionIdleMs).toBe(30 * 60_000);
    expect(configFromEnv({ LIANXIN_SESSION_IDLE_MINUTES: '45' }).sessionIdleMs).toBe(45 * 60_000);
    expect(() => configFromEnv({ LIANXIN_SESSION_IDLE_MINUTES: '0' })).toThrow();
  });
});
