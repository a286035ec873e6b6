import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { createTestDatabase, type TestDatabase } from '@lianxin/store';
import { afterEach, describe, expect, it } from 'vitest';
import { openStore } from '../src/app';
import { configFromEnv } from '../src/config';
import { lianxin } from './cli';
import flowJson from './fixtures/flow.json' with { type: 'json' };

const receptionist = { id: 'u-rec', roles: ['receptionist'], jurisdiction: '440781' };

/** The test flow with the summary sealed, so the archive carries ciphertexts. */
function sensitiveSummary(flow: typeof flowJson) {
  const mark = (schema: { properties?: Record<string, unknown> }) => ({
    ...schema,
    properties: {
      ...schema.properties,
      summary: { ...(schema.properties?.summary as object), 'x-sensitive': 'text' },
    },
  });
  return {
    ...flow,
    dataSchema: mark(flow.dataSchema),
    forms: flow.forms.map((f) => (f.id === 'register' ? { ...f, schema: mark(f.schema) } : f)),
  };
}
const FLOW = sensitiveSummary(flowJson);

describe.each(['sqlite', 'pg'] as const)('lianxin archive and restore-archive on %s', (dialect) => {
  const cleanup: Array<() => Promise<void> | void> = [];
  afterEach(async () => {
    for (const step of cleanup.splice(0).reverse()) await step();
  });

  /** An office's database with three cases closed in 2024 and one still open. */
  async function office() {
    const dataDir = mkdtempSync(join(tmpdir(), 'lianxin-archive-cli-'));
    cleanup.push(() => rmSync(dataDir, { recursive: true, force: true }));
    let test: TestDatabase | undefined;
    let url = join(dataDir, 'lianxin.db');
    if (dialect === 'pg') {
      test = await createTestDatabase('pg');
      await test.database.close();
      url = test.url;
      writeFileSync(join(dataDir, 'lianxin.key'), `${randomBytes(32).toString('hex')}\n`, {
        mode: 0o600,
      });
      cleanup.push(() => test?.drop());
    }
    const env = { DATABASE_URL: url, LIANXIN_DATA_DIR: dataDir };
    let ms = Date.parse('2024-04-01T02:00:00Z');
    const store = await openStore(configFromEnv(env, dataDir), {
      clock: { now: () => new Date(ms) },
      env: {},
    });
    await store.upsertJurisdiction({
      code: '440781',
      name: { 'zh-CN': '台山市' },
      level: 'county',
      parent: null,
    });
    const flow = await store.saveDraft({
      jurisdiction: '440781',
      key: FLOW.key,
      name: FLOW.name,
      draft: FLOW as unknown as Record<string, unknown>,
      by: null,
    });
    await store.publish(flow.id, null);
    const cases: string[] = [];
    for (const [i, summary] of [
      '陈伯反映路灯损坏',
      '欧阳小明反映噪音',
      '李阿姨反映漏水',
      '张先生反映道路施工扰民',
    ].entries()) {
      const started = await store.startCase({
        flowId: flow.id,
        version: 1,
        command: { type: 'case.start', channel: 'visit', data: { summary }, actor: receptionist },
      });
      cases.push(started.caseId);
      ms += 86_400_000;
      if (i === 3) break;
      const row = await store.caseRow(started.caseId);
      await store.act(started.caseId, {
        type: 'task.complete',
        taskId: row?.state.tasks[0]?.id ?? '',
        action: 'submit',
        data: { accepted: false },
        actor: receptionist,
      });
    }
    const count = async () =>
      (await store.database.read((db) => db.$count(store.database.t.events))) as number;
    return { store, env, dataDir, cases, count };
  }

  it('archives 2024, verify passes, restores it twice, and refuses a changed file', async () => {
    const { store, env, dataDir, cases, count } = await office();
    const eventsBefore = await count();
    const out = join(dataDir, 'out');

    const current = lianxin(['archive', '--year', String(new Date().getFullYear())], { env });
    expect(current.status).toBe(2);
    expect(current.stderr).toContain('本年度');
    expect(await count()).toBe(eventsBefore);

    const archived = lianxin(['archive', '--year', '2024', '--out', out], { env });
    expect(archived.stderr).toBe('');
    expect(archived.status).toBe(0);
    expect(archived.stdout).toContain('3 件 2024 年办结的信访事项');
    const [file] = readdirSync(out);
    expect(file).toMatch(/^lianxin-archive-2024-\d{8}T\d{6}Z\.jsonl\.gz$/);
    const path = join(out, file as string);
    expect(gunzipSync(readFileSync(path)).toString()).not.toContain('陈伯');
    expect(await store.events(cases[0] as string)).toEqual([]);
    expect((await store.events(cases[3] as string)).length).toBeGreaterThan(0);
    const marks = await store.database.read((db) =>
      db.select().from(store.database.t.caseArchives),
    );
    expect(marks.map((m) => m.file)).toEqual([file, file, file]);

    const verified = lianxin(['verify', '--lang', 'en'], { env });
    expect(verified.stderr).toBe('');
    expect(verified.status).toBe(0);

    // A changed archive: refused, exit 2, nothing restored.
    const lines = gunzipSync(readFileSync(path)).toString().split('\n');
    const changed = join(dataDir, 'changed.jsonl.gz');
    writeFileSync(
      changed,
      gzipSync(lines.map((l) => l.replace('"channel":"visit"', '"channel":"letter"')).join('\n')),
    );
    const refused = lianxin(['restore-archive', changed, '--lang', 'en'], { env });
    expect(refused.status).toBe(2);
    expect(refused.stderr).toContain('was changed');
    expect(await store.events(cases[0] as string)).toEqual([]);

    const restored = lianxin(['restore-archive', path], { env });
    expect(restored.stderr).toBe('');
    expect(restored.status).toBe(0);
    expect(restored.stdout).toContain('本次恢复 3 件');
    expect(await count()).toBe(eventsBefore);
    const again = lianxin(['restore-archive', path], { env });
    expect(again.status).toBe(0);
    expect(again.stdout).toContain('本次恢复 0 件，3 件已在数据库中未改动');
    expect(await count()).toBe(eventsBefore);
    expect(lianxin(['verify'], { env }).status).toBe(0);
    await store.database.close();
  }, 400_000);
});
