import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { replay } from '@lianxin/engine';
import { createTestDatabase, openDatabase, Store, Vault } from '@lianxin/store';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { client, flow, freePort, PASSWORD, seedBasics, spawnServer } from './server-helpers';

describe.each(['sqlite', 'pg'] as const)(
  'kill -9 during a stream of transitions (%s)',
  (dialect) => {
    let test: Awaited<ReturnType<typeof createTestDatabase>>;
    let flowId: string;
    const key = randomBytes(32).toString('hex');
    const dataDir = mkdtempSync(join(tmpdir(), 'lianxin-crash-'));

    beforeAll(async () => {
      test = await createTestDatabase(dialect);
      const store = new Store(test.database, new Vault(Buffer.from(key, 'hex')));
      await seedBasics(store);
      const saved = await store.saveDraft({
        jurisdiction: '440781',
        key: flow.key,
        name: { 'zh-CN': '崩溃测试' },
        draft: flow,
        by: null,
      });
      await store.publish(saved.id, null);
      flowId = saved.id;
      if (dialect === 'sqlite') await test.database.close();
    });
    afterAll(async () => {
      await test.drop();
    });

    it('keeps every acknowledged transition, and every case row equals the replay of its events', async () => {
      const port = await freePort();
      const env = {
        LIANXIN_KEY: key,
        LIANXIN_DATA_DIR: dataDir,
        DATABASE_URL: test.url,
        LIANXIN_LOG_LEVEL: 'info',
        LIANXIN_SCHEDULER_MS: '100000',
      };
      const server = await spawnServer(env, port);
      const url = `http://127.0.0.1:${port}`;
      const acknowledged = { cases: new Set<string>(), comments: new Map<string, Set<string>>() };
      let stop = false;
      let count = 0;
      // Sign in first (scrypt is slow on a busy machine), then stream.
      const sessions = await Promise.all(
        [0, 1, 2, 3].map(async () => {
          const rec = client(url);
          await rec.auth.login.mutate({ username: 'receptionist', password: PASSWORD });
          return rec;
        }),
      );
      const workers = sessions.map(async (rec, w) => {
        let caseId = '';
        for (let i = 0; !stop; i++) {
          try {
            if (i % 5 === 0) {
              const r = await rec.cases.register.mutate({
                flowId,
                channel: 'visit',
                data: { summary: `崩溃测试事项 ${w}-${i}` },
              });
              caseId = r.caseId;
              acknowledged.cases.add(caseId);
            } else {
              const text = `备注 ${w}-${i}`;
              await rec.cases.act.mutate({ caseId, command: { type: 'case.comment', text } });
              const set = acknowledged.comments.get(caseId) ?? new Set();
              set.add(text);
              acknowledged.comments.set(caseId, set);
            }
            count++;
          } catch {
            return; // the server is gone
          }
        }
      });
      // Kill mid-stream: after a second and at least 40 acknowledged transitions.
      const started = Date.now();
      while (Date.now() - started < 1000 || count < 40) {
        await new Promise((r) => setTimeout(r, 20));
      }
      server.kill('SIGKILL');
      stop = true;
      await Promise.all(workers);
      expect(acknowledged.cases.size).toBeGreaterThan(4);

      // Restart on the same database: it must come up and answer.
      const again = await spawnServer(env, port);
      const rec = client(url);
      // A pooled connection to the killed process may still be handed out once.
      for (let attempt = 0; ; attempt++) {
        try {
          await rec.auth.login.mutate({ username: 'receptionist', password: PASSWORD });
          break;
        } catch (error) {
          if (attempt >= 3) throw error;
        }
      }
      expect((await rec.cases.list.query({ limit: 1 })).total).toBeGreaterThanOrEqual(
        acknowledged.cases.size,
      );
      const exited = new Promise<number | null>((r) => again.on('exit', (code) => r(code)));
      again.kill('SIGTERM');
      expect(await exited).toBe(0);

      const database = openDatabase(test.url);
      const store = new Store(database, new Vault(Buffer.from(key, 'hex')));
      try {
        const definition = await store.publishedDefinition(flowId, 1);
        const all = await store.listCases({ jurisdictions: ['440781'], limit: 1000 });
        for (const id of acknowledged.cases) expect(all.rows.map((r) => r.id)).toContain(id);
        for (const row of all.rows) {
          const events = await store.events(row.id);
          const stored = await store.caseRow(row.id);
          expect(stored?.state).toEqual(replay(definition, events));
          expect(events.length).toBe(stored?.version);
          const texts = new Set((await store.notes(row.id)).comments.map((c) => c.text));
          for (const text of acknowledged.comments.get(row.id) ?? [])
            expect(texts.has(text)).toBe(true);
        }
      } finally {
        await database.close();
      }
    });
  },
);
