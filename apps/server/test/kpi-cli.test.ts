import { createTestDatabase, type TestDatabase } from '@lianxin/store';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { lianxin } from './cli';

describe.each(['sqlite', 'pg'] as const)('lianxin kpi on %s', (dialect) => {
  let test: TestDatabase | undefined;
  afterEach(async () => {
    await test?.drop();
  });

  async function sql<R>(text: string): Promise<R[]> {
    if (!test) throw new Error('no database');
    const { sqlite } = test.database;
    if (sqlite) {
      const statement = sqlite.prepare(text);
      if (statement.reader) return statement.all() as R[];
      statement.run();
      return [];
    }
    const client = new pg.Client({ connectionString: test.url });
    await client.connect();
    try {
      return (await client.query(text)).rows as R[];
    } finally {
      await client.end();
    }
  }

  it('rebuilds the counters from the cases, dropping what no case accounts for', async () => {
    test = await createTestDatabase(dialect);
    // A counter edited by hand: 7 received in a county that has no case.
    await sql(
      `insert into kpi_counters (jurisdiction, day, flow_key, channel, category, urgency, status, received)
       values ('440781', 20150, 'petition', 'visit', '', '', 'active', 7)`,
    );
    const env = { DATABASE_URL: test.url };
    const rebuilt = lianxin(['kpi', 'rebuild'], { env });
    expect(rebuilt.stderr).toBe('');
    expect(rebuilt.status).toBe(0);
    expect(rebuilt.stdout).toMatch(/已按 0 件信访事项重新计算 KPI 计数：0 行，用时 [\d.]+ 秒/);
    expect(await sql('select * from kpi_counters')).toEqual([]);
    const english = lianxin(['kpi', 'rebuild', '--lang', 'en'], { env });
    expect(english.stdout).toMatch(/KPI counters rebuilt from 0 case\(s\): 0 counter row\(s\)/);
  }, 120_000);

  it('says how to use it when the subcommand is missing or unknown', async () => {
    test = await createTestDatabase(dialect);
    const env = { DATABASE_URL: test.url };
    for (const args of [['kpi'], ['kpi', 'rebuid']]) {
      const result = lianxin(args, { env });
      expect(result.status).toBe(2);
      expect(result.stderr).toContain('用法：lianxin kpi rebuild');
    }
  }, 120_000);
});
