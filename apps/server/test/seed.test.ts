import { randomBytes } from 'node:crypto';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { replay } from '@lianxin/engine';
import {
  computeStats,
  createTestDatabase,
  Departments,
  Store,
  supervisionStats,
  Vault,
} from '@lianxin/store';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../src/log';
import { DEMO_ACCOUNTS, loadTemplateFolders, type SeedReport, seedDemo } from '../src/seed';

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

  it('publishes each template with the scenario files of its folder, named by file, so a county can run them', async () => {
    const folders = loadTemplateFolders(templatesDir, silentLogger);
    for (const key of report.templates.filter((k) => !report.skippedTemplates.includes(k))) {
      const folder = folders.find((f) => f.manifest.key === key);
      const files = readdirSync(join(folder?.dir ?? '', 'scenarios'))
        .filter((f) => f.endsWith('.json'))
        .map((f) => f.replace(/\.json$/, ''))
        .sort();
      const stored = await store.templateVersion(key, folder?.manifest.version ?? 0);
      expect(files.length, key).toBeGreaterThanOrEqual(2);
      expect((stored?.scenarios ?? []).map((s) => s.name).sort(), key).toEqual(files);
      for (const s of stored?.scenarios ?? [])
        expect((s.script as { description?: unknown }).description, `${key}/${s.name}`).toEqual(
          expect.any(String),
        );
    }
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

  it('every department a demo account works in, or a published flow sends a step to, is on the list of its county, by name', async () => {
    const departments = new Departments(store.database);
    const counties = ['440703', '440704', '440705', '440781', '440783', '440784', '440785'];
    const listed = new Set(
      (await departments.list(counties)).map((d) => `${d.jurisdiction}/${d.code}`),
    );
    const missing: string[] = [];
    for (const { memberships } of await store.listUsers(counties))
      for (const m of memberships)
        if (m.department && !listed.has(`${m.jurisdiction}/${m.department}`))
          missing.push(`membership ${m.jurisdiction}/${m.department}`);
    for (const flow of await store.listFlows(['440781'])) {
      if (flow.latestVersion < 1) continue;
      const version = await store.flowVersion(flow.id, flow.latestVersion);
      const definition = version?.definition as
        | { nodes?: { assignee?: { department?: unknown } }[] }
        | undefined;
      const nodes = definition?.nodes;
      for (const n of nodes ?? [])
        if (
          typeof n.assignee?.department === 'string' &&
          !listed.has(`440781/${n.assignee.department}`)
        )
          missing.push(`${flow.key} ${n.assignee.department}`);
    }
    expect(missing).toEqual([]);
    expect((await departments.get('440781', 'housing'))?.name['zh-CN']).toBe('住建局');
  });

  it('looks like a county office at work: coloured, categorised, answered and rated, some 督办, some overdue', async () => {
    const all = (await store.listJurisdictions()).map((j) => j.code);
    const period = { jurisdictions: all, from: '2000-01-01T00:00:00Z', to: '2100-01-01T00:00:00Z' };
    const s = await computeStats(store.database, period);
    const uncoloured = s.byUrgency.none ?? 0;
    expect(uncoloured / s.received).toBeLessThan(0.3);
    expect(s.received - (s.byCategory.none ?? 0)).toBeGreaterThan(s.received / 3);
    expect(s.closed / s.received).toBeGreaterThan(0.3);
    expect(s.evaluated).toBeGreaterThan(0);
    expect(s.overdueOpen).toBeGreaterThan(0);
    expect(s.overdueOpen).toBeLessThan(s.received / 2);
    const supervision = await supervisionStats(store.database, {
      jurisdictions: all,
      fromMs: 0,
      toMs: Date.now() + 86_400_000,
      nowMs: Date.now(),
    });
    expect(supervision.issued).toBeGreaterThan(0);
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
