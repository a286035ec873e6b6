import { randomBytes, scrypt } from 'node:crypto';
import { hashPassword, verifyPassword } from '@lianxin/store';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { client, PASSWORD, startTestServer } from './server-helpers';

const SIGN_INS = 5;

/**
 * A stored hash with 32 times the default work (N = 2^15, p = 16: about half a second a check
 * here), so each check is plainly longer than a cheap request even on a loaded machine (at twice
 * the work a CI run at load 5 saw a sign-in finish first).
 */
async function slowHash(password: string): Promise<string> {
  const salt = randomBytes(16);
  const options = { N: 32768, r: 8, p: 16, maxmem: 64 * 1024 * 1024 };
  const key = await new Promise<Buffer>((resolvePromise, rejectPromise) =>
    scrypt(password, salt, 32, options, (error, derived) =>
      error ? rejectPromise(error) : resolvePromise(derived),
    ),
  );
  return `scrypt$32768$8$16$${salt.toString('base64')}$${key.toString('base64')}`;
}

/** Lets every queued promise callback run, but not the event loop's next turn. */
async function microtasks() {
  for (let i = 0; i < 20; i++) await Promise.resolve();
}

// 5,000 staff sign in at 8:30: each check costs ~32 ms of CPU (scrypt). It runs on
// libuv's thread pool (crypto.scrypt with a callback), never on the event loop.
describe('password hashing off the event loop', () => {
  it('returns before the hash is computed: nothing settles until the loop turns', async () => {
    const stored = await hashPassword('一个足够长的密码');
    const settled: string[] = [];
    const checks = Array.from({ length: SIGN_INS }, (_, i) =>
      verifyPassword('一个足够长的密码', stored).then((ok) => settled.push(`verify ${i} ${ok}`)),
    );
    const hashing = hashPassword('另一个足够长的密码').then(() => settled.push('hash'));
    await microtasks();
    // A synchronous scrypt would have finished (and settled these) before this line.
    expect(settled).toEqual([]);
    await Promise.all([...checks, hashing]);
    expect(settled).toHaveLength(SIGN_INS + 1);
    expect(settled.filter((s) => s.endsWith('true'))).toHaveLength(SIGN_INS);
  });

  describe('through HTTP', () => {
    let server: Awaited<ReturnType<typeof startTestServer>>;
    beforeAll(async () => {
      server = await startTestServer('sqlite', { scheduler: false });
    });
    afterAll(async () => {
      await server.stop();
    });

    it('answers a cheap request while five sign-ins are hashing, before any of them completes', async () => {
      const store = server.store;
      const users = store.database.t.users;
      const slow = await slowHash(PASSWORD);
      await store.database.tx((tx) => tx.update(users).set({ passwordHash: slow }));
      // The sign-ins' user look-ups come right before their password checks.
      let lookedUp = 0;
      let allLookedUp: () => void = () => {};
      const hashing = new Promise<void>((resolvePromise) => {
        allLookedUp = resolvePromise;
      });
      const lookup = store.userByUsername.bind(store);
      store.userByUsername = async (username) => {
        const user = await lookup(username);
        if (++lookedUp === SIGN_INS) allLookedUp();
        return user;
      };
      const order: string[] = [];
      try {
        const signIns = Array.from({ length: SIGN_INS }, (_, i) =>
          client(server.url)
            .auth.login.mutate({ username: 'receptionist', password: PASSWORD })
            .then((me) => order.push(`sign-in ${i} ${me.username}`)),
        );
        await hashing;
        const cheap = [
          fetch(`${server.url}/healthz`).then((r) => order.push(`healthz ${r.status}`)),
          client(server.url)
            .intake.forms.query({ jurisdiction: '440781' })
            .then(() => order.push('intake.forms')),
        ];
        await Promise.all([...signIns, ...cheap]);
      } finally {
        store.userByUsername = lookup;
      }
      // All five signed in, and both cheap answers came before the first of them.
      expect(order.filter((o) => o.startsWith('sign-in'))).toHaveLength(SIGN_INS);
      expect(order.slice(0, 2).sort()).toEqual(['healthz 200', 'intake.forms']);
    }, 60_000);
  });
});
