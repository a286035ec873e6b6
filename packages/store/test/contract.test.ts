import { caseNotes, replay } from '@lianxin/engine';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CommandRejected, caseColumns, computeStats, contentHash, type Store } from '../src';
import {
  admin,
  DAY,
  DIALECTS,
  type FakeClock,
  flow,
  handler,
  receptionist,
  setupStore,
  startCommand,
} from './helpers';

// One repository contract, run against SQLite and a real PostgreSQL.
describe.each(DIALECTS)('store contract on %s', (dialect) => {
  let store: Store;
  let clock: FakeClock;
  let flowId: string;
  let drop: () => Promise<void>;

  beforeAll(async () => {
    const s = await setupStore(dialect);
    store = s.store;
    clock = s.clock;
    flowId = s.flowId;
    drop = () => s.test.drop();
  });
  afterAll(async () => {
    await drop();
  });

  async function expectRowEqualsReplay(caseId: string) {
    const row = await store.caseRow(caseId);
    const events = await store.events(caseId);
    const replayed = replay(flow, events);
    expect(row?.state).toEqual(replayed);
    const { state: _s, ...columns } = caseColumns(replayed);
    expect(row).toMatchObject(JSON.parse(JSON.stringify(columns)));
    expect(events.length).toBe(row?.version);
    // Open tasks in the table are exactly the tasks of the state.
    const open = (await store.tasksOfCase(caseId)).filter((t) => t.status === 'open');
    expect(open.map((t) => t.id).sort()).toEqual(replayed.tasks.map((t) => t.id).sort());
    const pending = (await store.timersOfCase(caseId)).filter((t) => t.status === 'pending');
    expect(pending.map((t) => t.id).sort()).toEqual(replayed.timers.map((t) => t.id).sort());
    return row;
  }

  it('starts a case: events, case row, tasks and timers written together', async () => {
    const started = await store.startCase({ flowId, version: 1, command: startCommand() });
    expect(started.trackingCode).toMatch(/^[0-9A-Z]{10}$/);
    const row = await expectRowEqualsReplay(started.caseId);
    expect(row?.status).toBe('active');
    const tasks = await store.tasksOfCase(started.caseId);
    expect(tasks).toHaveLength(1);
    expect(tasks[0]).toMatchObject({
      node: 'review',
      role: 'receptionist',
      jurisdiction: '440781',
    });
    expect(await store.timersOfCase(started.caseId)).not.toHaveLength(0);
  });

  it('drives a case to the end and the row always equals the replayed events', async () => {
    const { caseId } = await store.startCase({ flowId, version: 1, command: startCommand() });
    let row = await store.caseRow(caseId);
    const review = row?.state.tasks[0];
    await store.act(caseId, {
      type: 'task.complete',
      taskId: review?.id ?? '',
      action: 'submit',
      data: { accepted: true, department: 'civil' },
      actor: receptionist,
    });
    row = await expectRowEqualsReplay(caseId);
    const handle = row?.state.tasks[0];
    expect(handle?.node).toBe('handle');
    await store.act(caseId, {
      type: 'task.complete',
      taskId: handle?.id ?? '',
      action: 'reply',
      data: { reply: '已协调供电所于三日内修复' },
      actor: handler,
    });
    row = await expectRowEqualsReplay(caseId);
    expect(row?.state.tokens).not.toEqual([]);
    // The cooling-off timer node waits three natural days: it ends at 24:00 of the third day after today.
    clock.advance(4 * DAY);
    const claimed = await store.claimDueTimers('test', 100);
    const mine = claimed.filter((t) => t.caseId === caseId);
    expect(mine.length).toBeGreaterThan(0);
    for (const timer of mine) await store.fireTimer(timer);
    row = await expectRowEqualsReplay(caseId);
    expect(row?.status).toBe('closed');
    expect(row?.outcome).toBe('resolved');
    expect(row?.closedAt).toBeTruthy();
    // Firing again changes nothing: each timer fires once.
    const before = (await store.events(caseId)).length;
    for (const timer of mine) expect(await store.fireTimer(timer)).toBe('gone');
    expect(await store.events(caseId)).toHaveLength(before);
  });

  it('refuses a stale state version and writes nothing', async () => {
    const { caseId } = await store.startCase({ flowId, version: 1, command: startCommand() });
    const row = await store.caseRow(caseId);
    const version = row?.version ?? 0;
    await store.act(caseId, {
      type: 'case.comment',
      text: '第一条',
      actor: receptionist,
      expectedVersion: version,
    });
    await expect(
      store.act(caseId, {
        type: 'case.comment',
        text: '第二条',
        actor: receptionist,
        expectedVersion: version,
      }),
    ).rejects.toMatchObject({ rejection: { code: 'state.stale' } });
    expect(await store.events(caseId)).toHaveLength(version + 1);
    await expectRowEqualsReplay(caseId);
  });

  it('applies concurrent commands each exactly once, in sequence', async () => {
    const { caseId } = await store.startCase({ flowId, version: 1, command: startCommand() });
    const before = (await store.caseRow(caseId))?.version ?? 0;
    await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        store.act(caseId, { type: 'case.comment', text: `并发备注 ${i}`, actor: receptionist }),
      ),
    );
    const row = await expectRowEqualsReplay(caseId);
    expect(row?.version).toBe(before + 12);
    expect(
      caseNotes(await store.events(caseId))
        .comments.map((c) => c.text)
        .sort(),
    ).toEqual(Array.from({ length: 12 }, (_, i) => `并发备注 ${i}`).sort());
  });

  it('writes nothing when the engine refuses a command', async () => {
    const { caseId } = await store.startCase({ flowId, version: 1, command: startCommand() });
    const row = await store.caseRow(caseId);
    const review = row?.state.tasks[0];
    const error = await store
      .act(caseId, {
        type: 'task.complete',
        taskId: review?.id ?? '',
        action: 'submit',
        data: {},
        actor: receptionist,
      })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CommandRejected);
    expect((error as CommandRejected).rejection.code).toBe('form.invalid');
    expect(await store.caseRow(caseId)).toEqual(row);
    await expect(
      store.startCase({ flowId, version: 1, command: { ...startCommand('短'), channel: 'visit' } }),
    ).rejects.toBeInstanceOf(CommandRejected);
  });

  it('keeps published versions immutable and content-hashed', async () => {
    const v1 = await store.flowVersion(flowId, 1);
    expect(v1?.contentHash).toBe(contentHash(v1?.definition));
    await expect(store.publish(flowId, null)).rejects.toMatchObject({ code: 'flow.unchanged' });
    const changed = { ...flow, name: { 'zh-CN': '改名后的流程', en: 'Renamed' } };
    await store.saveDraft({
      jurisdiction: '440781',
      key: flow.key,
      name: changed.name,
      draft: changed as never,
      by: null,
    });
    const v2 = await store.publish(flowId, admin.id);
    expect(v2.version).toBe(2);
    expect(await store.flowVersion(flowId, 1)).toEqual(v1);
    expect((await store.flowVersions(flowId)).map((v) => v.version)).toEqual([2, 1]);
  });

  it('encrypts ID-card numbers and phones and finds repeat petitions by keyed hash', async () => {
    const petitionerId = await store.createPetitioner({
      jurisdiction: '440781',
      name: '陈某',
      idCard: '440781199001011234',
      phone: '13800138000',
    });
    const raw = await store.database.read(async (db) =>
      db.select().from(store.database.t.petitioners),
    );
    const text = JSON.stringify(raw);
    expect(text).not.toContain('440781199001011234');
    expect(text).not.toContain('13800138000');
    expect(text).not.toContain('陈某');
    expect(await store.petitioner(petitionerId)).toMatchObject({
      idCard: '440781199001011234',
      phone: '13800138000',
    });
    const first = await store.startCase({
      flowId,
      version: 2,
      command: startCommand(),
      petitionerId,
    });
    const hints = await store.repeatHints({ phone: '138 0013 8000' });
    expect(hints.map((h) => h.caseId)).toContain(first.caseId);
    expect(await store.repeatHints({ phone: '13900000000' })).toEqual([]);
  });

  it('lists cases by filters and an inbox by membership', async () => {
    const all = await store.listCases({ jurisdictions: ['440781'] });
    expect(all.total).toBeGreaterThanOrEqual(5);
    const closed = await store.listCases({ jurisdictions: ['440781'], status: ['closed'] });
    expect(closed.rows.every((r) => r.status === 'closed')).toBe(true);
    expect((await store.listCases({ jurisdictions: ['440000'] })).total).toBe(0);
    const inbox = await store.inbox({
      userId: 'someone',
      memberships: [{ jurisdiction: '440781', role: 'receptionist', department: null }],
    });
    expect(inbox.rows.length).toBeGreaterThan(0);
    expect(
      inbox.rows.every((r) => r.task.role === 'receptionist' && r.task.status === 'open'),
    ).toBe(true);
  });

  it('computes KPIs for a period', async () => {
    const stats = await computeStats(store.database, {
      jurisdictions: ['440781'],
      from: '2025-01-01T00:00:00Z',
      to: '2026-01-01T00:00:00Z',
    });
    expect(stats.received).toBeGreaterThanOrEqual(5);
    expect(stats.closed).toBeGreaterThanOrEqual(1);
    expect(stats.onTimeClosureRate).toBe(1);
    expect(stats.byChannel.visit).toBe(stats.received);
  });

  it('stores users, memberships and sessions', async () => {
    const user = await store.createUser({
      username: `rec-${dialect}`,
      displayName: '接访员',
      password: 'demo-password',
      memberships: [{ jurisdiction: '440781', role: 'receptionist' }],
    });
    await store.createSession(user.id, 'hash-1', DAY);
    expect((await store.session('hash-1'))?.memberships).toHaveLength(1);
    clock.advance(2 * DAY);
    expect(await store.session('hash-1')).toBeUndefined();
    await store.deleteSession('hash-1');
  });
});
