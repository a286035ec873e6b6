import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Store } from '../src';
import { DIALECTS, type FakeClock, setupStore } from './helpers';

const MIN = 60_000;

// Sign-in limits and sessions, on both databases: what an attacker with many
// requests at once, or a stolen cookie, runs into.
describe.each(DIALECTS)('attempt limits and sessions on %s', (dialect) => {
  let store: Store;
  let clock: FakeClock;
  let drop: () => Promise<void>;
  let userId: string;

  beforeAll(async () => {
    const s = await setupStore(dialect);
    store = s.store;
    clock = s.clock;
    drop = () => s.test.drop();
    const user = await store.createUser({
      username: `desk-${dialect}`,
      displayName: '接访员',
      password: 'Old-password-1',
      memberships: [{ jurisdiction: '440781', role: 'receptionist' }],
    });
    userId = user.id;
  });
  afterAll(async () => drop());

  it('lets exactly max of forty racing attempts through, and frees a slot as the window moves', async () => {
    const limits = [
      { key: `ip:race-${dialect}`, max: 5, windowMs: 5 * MIN },
      { key: `user:race-${dialect}`, max: 8, windowMs: 5 * MIN },
    ];
    const verdicts = await Promise.all(Array.from({ length: 40 }, () => store.takeAttempt(limits)));
    expect(verdicts.filter((v) => v.ok)).toHaveLength(5);
    const refused = verdicts.find((v) => !v.ok);
    expect(refused && !refused.ok && refused.retryAfterMs).toBe(5 * MIN);
    clock.advance(5 * MIN + 1);
    expect((await store.takeAttempt(limits)).ok).toBe(true);
  });

  it('takes back an attempt that turned out right, so honest sign-ins never lock anyone', async () => {
    const limits = [{ key: `user:honest-${dialect}`, max: 2, windowMs: 5 * MIN }];
    for (let i = 0; i < 5; i++) {
      const v = await store.takeAttempt(limits);
      expect(v.ok).toBe(true);
      if (v.ok) await store.releaseAttempt([limits[0]?.key ?? ''], v.atMs);
      clock.advance(1000);
    }
  });

  it('remembers where an account signed in for thirty days', async () => {
    const key = `desk-${dialect}@10.1.1.1`;
    expect(await store.isKnown(key)).toBe(false);
    await store.markKnown(key);
    clock.advance(29 * 24 * 60 * MIN);
    expect(await store.isKnown(key)).toBe(true);
    clock.advance(2 * 24 * 60 * MIN);
    expect(await store.isKnown(key)).toBe(false);
  });

  it('refuses a session unused for the idle time, and extends one that is used', async () => {
    const policy = { idleMs: 30 * MIN, maxAgeMs: 12 * 60 * MIN };
    await store.createSession(userId, `busy-${dialect}`, 30 * MIN);
    await store.createSession(userId, `idle-${dialect}`, 30 * MIN);
    // Used every 20 minutes for two hours: still alive, though each gap plus
    // the first half hour is longer than the idle time.
    for (let i = 0; i < 6; i++) {
      clock.advance(20 * MIN);
      expect(await store.session(`busy-${dialect}`, policy)).toBeDefined();
    }
    expect(await store.session(`idle-${dialect}`, policy)).toBeUndefined();
    // Never past the longest a session may live, however busy.
    for (let i = 0; i < 32; i++) {
      clock.advance(20 * MIN);
      await store.session(`busy-${dialect}`, policy);
    }
    expect(await store.session(`busy-${dialect}`, policy)).toBeUndefined();
  });

  it('ends every session of a user whose password is reset or who is deactivated', async () => {
    await store.createSession(userId, `a-${dialect}`, 30 * MIN);
    await store.createSession(userId, `b-${dialect}`, 30 * MIN);
    await store.updateUser(userId, { password: 'New-password-22' });
    expect(await store.session(`a-${dialect}`)).toBeUndefined();
    expect(await store.session(`b-${dialect}`)).toBeUndefined();
    await store.createSession(userId, `c-${dialect}`, 30 * MIN);
    await store.updateUser(userId, { displayName: '接访员甲' });
    expect(await store.session(`c-${dialect}`)).toBeDefined();
    await store.updateUser(userId, { active: false });
    expect(await store.session(`c-${dialect}`)).toBeUndefined();
  });
});
