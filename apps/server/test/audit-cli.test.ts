import { appendAudit, createTestDatabase, systemClock, type TestDatabase } from '@lianxin/store';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { lianxin } from './cli';

describe.each(['sqlite', 'pg'] as const)('lianxin audit on %s', (dialect) => {
  let test: TestDatabase | undefined;
  afterEach(async () => {
    await test?.drop();
  });

  it('proves an intact chain, then names the record someone altered', async () => {
    test = await createTestDatabase(dialect);
    for (const caseId of ['c-1', 'c-2', 'c-3'])
      await appendAudit(test.database, systemClock, {
        action: 'case.read',
        actorId: 'u-1',
        caseId,
      });
    const env = { DATABASE_URL: test.url };
    const intact = lianxin(['audit', 'verify'], { env });
    expect(intact.stderr).toBe('');
    expect(intact.status).toBe(0);
    expect(intact.stdout).toMatch(/审计日志完整：3 条记录（第 1–3 条），链头哈希 [0-9a-f]{64}/);

    const alter = "UPDATE audit_log SET case_id = 'c-9' WHERE seq = 2";
    if (test.database.sqlite) test.database.sqlite.exec(alter);
    else {
      const client = new pg.Client({ connectionString: test.url });
      await client.connect();
      await client.query(alter);
      await client.end();
    }
    const tampered = lianxin(['audit', 'verify', '--lang', 'en'], { env });
    expect(tampered.status).toBe(1);
    expect(tampered.stderr).toContain('audit record 2 does not match its hash: it was altered');
  }, 120_000);

  it('refuses a retention shorter than 180 days', async () => {
    test = await createTestDatabase(dialect);
    const result = lianxin(['audit', 'prune', '--days', '30'], { env: { DATABASE_URL: test.url } });
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('至少 180 天');
  }, 120_000);
});
