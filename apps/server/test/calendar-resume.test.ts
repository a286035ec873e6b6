import { randomBytes } from 'node:crypto';
import { createTestDatabase, type Dialect, Store, type TestDatabase, Vault } from '@lianxin/store';
import { afterEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../src/log';
import { Scheduler } from '../src/scheduler';

describe.each(['sqlite', 'pg'] as Dialect[])(
  'calendar recomputation on the scheduler (%s)',
  (dialect) => {
    let test: TestDatabase | undefined;
    afterEach(async () => {
      await test?.drop();
    });

    it('finishes a recomputation whose server stopped in the middle, once its progress stood still', async () => {
      test = await createTestDatabase(dialect);
      let now = Date.parse('2026-11-26T02:00:00Z');
      const clock = { now: () => new Date(now) };
      const store = new Store(test.database, new Vault(randomBytes(32)), clock);
      store.calendars.settleMs = 0;
      await store.upsertJurisdiction({
        code: '440000',
        name: { 'zh-CN': '广东省' },
        level: 'province',
        parent: null,
      });
      // Revision 1 of 2027 was stored, and its server stopped before recomputing.
      const k = store.database.t.calendarYears;
      await store.database.tx(async (tx) => {
        await tx.insert(k).values({
          jurisdiction: '440000',
          year: 2027,
          revision: 1,
          status: 'official',
          holidays: { '2027-01-01': '元旦' },
          workdays: {},
          enteredBy: 'u-prov',
          enteredAt: clock.now().toISOString(),
        });
      });
      const scheduler = new Scheduler(store, silentLogger);
      const finished = async () =>
        (await store.database.read((db) => db.select().from(k)))[0]?.recomputedAt ?? null;
      await scheduler.tick();
      expect(await finished()).toBeNull();
      now += 61_000;
      await scheduler.tick();
      expect(await finished()).toBeNull();
      now += 61_000;
      await scheduler.tick();
      expect(await finished()).not.toBeNull();
      expect(scheduler.resumedRecomputations).toBe(1);
    });
  },
);
