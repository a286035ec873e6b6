import { randomBytes } from 'node:crypto';
import {
  appendAudit,
  createTestDatabase,
  Store,
  searchAudit,
  type TestDatabase,
  Vault,
  verifyAudit,
} from '@lianxin/store';
import { afterEach, describe, expect, it } from 'vitest';
import { configFromEnv } from '../src/config';
import { silentLogger } from '../src/log';
import { Scheduler } from '../src/scheduler';

const DAY = 86_400_000;

describe('audit retention', () => {
  let test: TestDatabase | undefined;
  afterEach(async () => {
    await test?.drop();
  });

  it('removes records past the retention on the scheduler, records it, and the chain still verifies', async () => {
    test = await createTestDatabase('sqlite');
    let now = Date.parse('2025-01-06T02:00:00Z');
    const clock = { now: () => new Date(now) };
    const store = new Store(test.database, new Vault(randomBytes(32)), clock);
    await appendAudit(store.database, clock, { action: 'auth.signIn', actorId: 'u-old' });
    await appendAudit(store.database, clock, {
      action: 'case.read',
      actorId: 'u-old',
      caseId: 'c-1',
    });
    now += 200 * DAY;
    await appendAudit(store.database, clock, {
      action: 'case.read',
      actorId: 'u-new',
      caseId: 'c-2',
    });
    const scheduler = new Scheduler(store, silentLogger, { auditRetentionDays: 180 });
    await scheduler.tick();
    const left = (await searchAudit(store.database, {})).records;
    expect(left.map((r) => [r.seq, r.action, r.actorId])).toEqual([
      [4, 'audit.pruned', 'system'],
      [3, 'case.read', 'u-new'],
    ]);
    expect(left[0]?.detail).toMatchObject({ through: 2, deleted: 2, retentionDays: 180 });
    expect(await verifyAudit(store.database)).toMatchObject({ ok: true, count: 2, firstSeq: 3 });
  });

  it('refuses to start with a retention under 180 days', () => {
    expect(() => configFromEnv({ LIANXIN_AUDIT_RETENTION_DAYS: '90' }, '/tmp')).toThrow(
      /至少保存 180 天/,
    );
    expect(configFromEnv({}, '/tmp').auditRetentionDays).toBe(180);
  });
});
