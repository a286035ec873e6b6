import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { replay } from '@lianxin/engine';
import { createTestDatabase, Store, Vault } from '@lianxin/store';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../src/log';
import { DEMO_ACCOUNTS, type SeedReport, seedDemo } from '../src/seed';

const templatesDir = fileURLToPath(new URL('../../../templates', import.meta.url));

describe('seed --demo', () => {
  let test: Awaited<ReturnType<typeof createTestDatabase>>;
  let store: Store;
  let report: SeedReport;

  beforeAll(async () => {
    test = await createTestDatabase('sqlite');
    store = new Store(test.database, new Vault(randomBytes(32)));
    report = await seedDemo(store, { templatesDir, log: silentLogger, casesPerFlow: 2 });
  }, 120_000);
  afterAll(async () => {
    await test.drop();
  });

  it('creates the Jiangmen jurisdictions, the demo accounts and every template adopted by each county', async () => {
    const codes = (await store.listJurisdictions()).map((j) => j.code);
    expect(codes).toEqual([
      '440000',
      '440700',
      '440703',
      '440704',
      '440705',
      '440781',
      '440783',
      '440784',
      '440785',
    ]);
    for (const account of DEMO_ACCOUNTS)
      expect(await store.userByUsername(account.username)).toBeDefined();
    expect(report.templates.length).toBeGreaterThan(0);
    const flows = await store.listFlows(['440781']);
    expect(
      flows
        .filter((f) => f.latestVersion > 0)
        .map((f) => f.key)
        .sort(),
    ).toEqual(report.templates.filter((k) => !report.skippedTemplates.includes(k)).sort());
  });

  it('names the demo accounts by place, department and role in Chinese; usernames unchanged', async () => {
    const names = async (u: string) => (await store.userByUsername(u))?.displayName;
    expect(await names('taishan-receptionist')).toBe('台山市 信访接待员');
    expect(await names('taishan-handler')).toBe('台山市住建局 部门办理人');
    expect(await names('taishan-admin')).toBe('台山市 县级管理员');
    expect(await names('jiangmen-supervisor')).toBe('江门市 督查专员');
    expect(await names('guangdong-admin')).toBe('广东省 省级管理员');
    const codes = (await store.listJurisdictions()).map((j) => j.code);
    const all = await store.listUsers(codes);
    expect(all.length).toBeGreaterThan(40);
    // No English role or department code left in any display name (e.g. "台山市 receptionist").
    for (const { user } of all) expect(user.displayName).not.toMatch(/[A-Za-z]/);
  });

  it('drives cases into many states through the engine, each row equal to its replayed events', async () => {
    const { rows, total } = await store.listCases({ limit: 1000 });
    expect(total).toBeGreaterThan(50);
    expect(new Set(rows.map((r) => r.status)).size).toBeGreaterThanOrEqual(2);
    for (const row of rows) {
      const full = await store.caseRow(row.id);
      const definition = await store.publishedDefinition(full?.flowId ?? '', row.flowVersion);
      expect(full?.state).toEqual(replay(definition, await store.events(row.id)));
    }
  });
});
