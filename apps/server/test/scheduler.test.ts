import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { createTestDatabase, Store, Vault } from '@lianxin/store';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { flow, seedBasics } from './server-helpers';

const run = promisify(execFile);
const DAY = 86_400_000;
const worker = fileURLToPath(new URL('./scheduler-worker.ts', import.meta.url));

describe('scheduler with two server processes on one PostgreSQL', () => {
  let test: Awaited<ReturnType<typeof createTestDatabase>>;
  let store: Store;
  const key = randomBytes(32);

  beforeAll(async () => {
    test = await createTestDatabase('pg');
    // Cases made forty days ago, so their deadlines and waits are all due now, even when the
    // statutory acceptance clock's 15 days end in a holiday and roll past it (up to nine days at 春节).
    const past = { now: () => new Date(Date.now() - 40 * DAY) };
    store = new Store(test.database, new Vault(key), past);
    await seedBasics(store);
    const saved = await store.saveDraft({
      jurisdiction: '440781',
      key: flow.key,
      name: { 'zh-CN': '测试' },
      draft: flow,
      by: null,
    });
    await store.publish(saved.id, null);
    const rec = { id: 'r', roles: ['receptionist'], jurisdiction: '440781' };
    const handler = { id: 'h', roles: ['handler'], jurisdiction: '440781', department: 'civil' };
    for (let i = 0; i < 40; i++) {
      const { caseId, state } = await store.startCase({
        flowId: saved.id,
        version: 1,
        command: {
          type: 'case.start',
          channel: 'visit',
          data: { summary: `定时器测试事项 ${i}` },
          actor: rec,
        },
      });
      if (i % 2 === 0) continue; // left at review: warning, overdue and clock timers
      const review = state.tasks[0]?.id ?? '';
      const next = await store.act(caseId, {
        type: 'task.complete',
        taskId: review,
        action: 'submit',
        data: { accepted: true, department: 'civil' },
        actor: rec,
      });
      await store.act(caseId, {
        type: 'task.complete',
        taskId: next.state.tasks[0]?.id ?? '',
        action: 'reply',
        data: { reply: '已答复' },
        actor: handler,
      });
    }
  });
  afterAll(async () => {
    await test.drop();
  });

  it('fires every due timer exactly once', async () => {
    const t = test.database.t;
    const due = await test.database.db.select().from(t.timers);
    const pending = due.filter((r) => r.status === 'pending' && r.dueMs <= Date.now());
    expect(pending.length).toBeGreaterThan(60);
    const results = await Promise.all(
      [1, 2].map(() =>
        run(process.execPath, ['--import', 'tsx', worker, test.url, key.toString('hex')], {
          timeout: 120_000,
        }),
      ),
    );
    const reports = results.map(
      (r) =>
        JSON.parse(r.stdout.trim().split('\n').pop() ?? '{}') as {
          fired: number;
          delivered: number;
        },
    );
    const events = await test.database.db.select().from(t.events);
    const firedEvents = events.filter((e) => e.type === 'timer.fired');
    const perTimer = new Map<string, number>();
    for (const e of firedEvents) {
      const id = (e.body as { timerId: string }).timerId;
      perTimer.set(id, (perTimer.get(id) ?? 0) + 1);
    }
    expect([...perTimer.values()].every((n) => n === 1)).toBe(true);
    const after = await test.database.db.select().from(t.timers);
    expect(after.filter((r) => r.status === 'pending' && r.dueMs <= Date.now())).toEqual([]);
    // Every timer that fired is marked fired, and the two processes' counts add up.
    const firedRows = after.filter((r) => r.status === 'fired');
    expect(firedRows.map((r) => r.id).sort()).toEqual([...perTimer.keys()].sort());
    expect(reports.reduce((a, r) => a + r.fired, 0)).toBe(firedEvents.length);
    for (const p of pending) expect(after.find((r) => r.id === p.id)?.status).not.toBe('pending');
    // The notifications those timers made reached the receptionist in-app, each once.
    const outbox = await test.database.db.select().from(t.notifications);
    expect(outbox.length).toBeGreaterThan(20);
    expect(outbox.filter((n) => n.deliveredAt === null)).toEqual([]);
    const delivered = await test.database.db.select().from(t.userNotifications);
    expect(reports.reduce((a, r) => a + r.delivered, 0)).toBe(delivered.length);
    const receptionist = (await store.userByUsername('receptionist'))?.id;
    const mine = delivered.filter((d) => d.userId === receptionist);
    expect(mine.length).toBeGreaterThan(0);
    expect(new Set(mine.map((d) => d.notificationId)).size).toBe(mine.length);
  });
});
