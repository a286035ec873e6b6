import { inArray } from 'drizzle-orm';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { InboxKey, InboxScope, Store } from '../src';
import { DAY, DIALECTS, type FakeClock, receptionist, setupStore, startCommand } from './helpers';

// Keyset paging (issue 18) on both databases: walking any list a page at a time,
// with page sizes chosen at random and cases registered between the pages, visits
// every row that was there when the walk began exactly once, in the list's order.
describe.each(DIALECTS)('keyset paging on %s', (dialect) => {
  let store: Store;
  let clock: FakeClock;
  let flowId: string;
  let drop: () => Promise<void>;
  let registered = 0;
  const desk: InboxScope = {
    userId: 'u-desk',
    memberships: [{ jurisdiction: '440781', role: 'receptionist', department: null }],
  };

  const register = async () =>
    store.startCase({
      flowId,
      version: 1,
      command: { ...startCommand(`第 ${registered++} 件：路灯损坏`), urgency: 'red' },
    });

  beforeAll(async () => {
    const s = await setupStore(dialect);
    store = s.store;
    clock = s.clock;
    flowId = s.flowId;
    drop = () => s.test.drop();
    // Twelve cases, three at each instant: equal creation times, opening times and
    // deadlines, which only the id tells apart.
    const started: string[] = [];
    for (let i = 0; i < 12; i++) {
      started.push((await register()).caseId);
      if (i % 3 === 2) clock.advance(DAY / 2);
    }
    // The desk clerk claims two tasks (a second branch to merge), and two tasks lose their
    // deadline (the part read after every dated one).
    for (const caseId of started.slice(0, 2)) {
      const row = await store.caseRow(caseId);
      await store.act(caseId, {
        type: 'task.claim',
        taskId: row?.state.tasks[0]?.id ?? '',
        actor: { ...receptionist, id: 'u-desk' },
      });
    }
    const k = store.database.t.tasks;
    const undated = (await Promise.all(started.slice(4, 6).map((id) => store.tasksOfCase(id))))
      .flat()
      .map((t) => t.id);
    await store.database.tx((tx) =>
      tx.update(k).set({ dueMs: null, due: null }).where(inArray(k.id, undated)),
    );
  });
  afterAll(async () => {
    await drop();
  });

  /** The walk's steps: a page size each, and whether a case is registered before that page. */
  const walk = fc.array(fc.record({ size: fc.integer({ min: 1, max: 5 }), insert: fc.boolean() }), {
    minLength: 1,
    maxLength: 8,
  });

  it('walks the inbox (both sorts) visiting each task once, in order', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom('due', 'newest'), walk, async (sort, steps) => {
        const before = await store.inbox(desk, { sort, limit: 200 });
        const seen: InboxKey[] = [];
        let after: InboxKey | undefined;
        for (let i = 0; ; i++) {
          const step = steps[i % steps.length] ?? { size: 3, insert: false };
          // Cases come in while the first pages are read (not for ever: the walk must end).
          if (step.insert && i < steps.length) await register();
          const page = await store.inbox(desk, {
            sort,
            limit: step.size,
            ...(after ? { after } : {}),
          });
          seen.push(
            ...page.rows.map((r) => ({
              dueMs: r.task.dueMs ?? null,
              openedAt: r.task.openedAt,
              id: r.task.id,
            })),
          );
          if (!page.next) break;
          after = page.next;
        }
        const ids = seen.map((s) => s.id);
        expect(new Set(ids).size).toBe(ids.length);
        for (const r of before.rows) expect(ids).toContain(r.task.id);
        const end = Number.MAX_SAFE_INTEGER;
        const key = (s: InboxKey) =>
          sort === 'newest'
            ? [s.openedAt, s.id]
            : [String(s.dueMs ?? end).padStart(16, '0'), s.openedAt, s.id];
        for (let i = 1; i < seen.length; i++) {
          const [a, b] = [
            key(seen[i - 1] as InboxKey).join('|'),
            key(seen[i] as InboxKey).join('|'),
          ];
          expect(sort === 'newest' ? a > b : a < b).toBe(true);
        }
      }),
      { numRuns: 10 },
    );
  }, 120_000);

  it('walks the case list (newest and oldest first) visiting each case once, in order', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom('newest', 'oldest'), walk, async (order, steps) => {
        const before = await store.listCases({ jurisdictions: ['440781'], order, limit: 200 });
        const seen: { ms: number; id: string }[] = [];
        let after: { createdAtMs: number; id: string } | undefined;
        for (let i = 0; ; i++) {
          const step = steps[i % steps.length] ?? { size: 3, insert: false };
          if (step.insert && i < steps.length) {
            clock.advance(1000);
            await register();
          }
          const page = await store.listCases({
            jurisdictions: ['440781'],
            order,
            limit: step.size,
            ...(after ? { after } : {}),
          });
          for (const r of page.rows) seen.push({ ms: Date.parse(r.createdAt), id: r.id });
          if (!page.next) break;
          after = page.next;
        }
        const ids = seen.map((s) => s.id);
        expect(new Set(ids).size).toBe(ids.length);
        for (const r of before.rows) expect(ids).toContain(r.id);
        for (let i = 1; i < seen.length; i++) {
          const a = seen[i - 1] as { ms: number; id: string };
          const b = seen[i] as { ms: number; id: string };
          const ascending = a.ms < b.ms || (a.ms === b.ms && a.id < b.id);
          expect(order === 'oldest' ? ascending : !ascending).toBe(true);
        }
      }),
      { numRuns: 10 },
    );
  }, 120_000);

  it('counts what matches, and a cursor of one county shows nothing of another', async () => {
    const page = await store.listCases({ jurisdictions: ['440781'], limit: 1 });
    expect(page.more).toBe(false);
    expect(page.total).toBeGreaterThan(12);
    // Another county's rows never come through a cursor taken from this one.
    const other = await store.listCases({
      jurisdictions: ['440783'],
      after: page.next ?? undefined,
    });
    expect(other.rows).toEqual([]);
  });
});
