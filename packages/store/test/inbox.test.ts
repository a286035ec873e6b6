import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { InboxScope, Store } from '../src';
import { DAY, DIALECTS, type FakeClock, receptionist, setupStore, startCommand } from './helpers';

// The workbench inbox on both databases: paging, deadline order, filters, counts.
describe.each(DIALECTS)('inbox on %s', (dialect) => {
  let store: Store;
  let clock: FakeClock;
  let drop: () => Promise<void>;
  let flowId: string;
  const codes: string[] = [];
  const desk: InboxScope = {
    userId: 'u-desk',
    memberships: [{ jurisdiction: '440781', role: 'receptionist', department: null }],
  };

  beforeAll(async () => {
    const s = await setupStore(dialect);
    store = s.store;
    clock = s.clock;
    drop = () => s.test.drop();
    flowId = s.flowId;
    // Seven cases a day apart: their review tasks fall due at 24:00 of the 15th day after each opened.
    for (let i = 0; i < 7; i++) {
      const started = await store.startCase({
        flowId: s.flowId,
        version: 1,
        command: { ...startCommand(`第 ${i} 件`), urgency: i % 2 ? 'red' : 'blue' },
      });
      codes.push(started.trackingCode);
      clock.advance(DAY);
    }
    // The desk clerk claims the newest case's task.
    const newest = await store.listCases({ jurisdictions: ['440781'], limit: 1 });
    const row = await store.caseRow(newest.rows[0]?.id ?? '');
    await store.act(row?.id ?? '', {
      type: 'task.claim',
      taskId: row?.state.tasks[0]?.id ?? '',
      actor: { ...receptionist, id: 'u-desk' },
    });
  });
  afterAll(async () => {
    await drop();
  });

  it('pages through every task once, earliest deadline first, with the total', async () => {
    const first = await store.inbox(desk, { limit: 3 });
    const second = await store.inbox(desk, { limit: 3, after: first.next ?? undefined });
    const third = await store.inbox(desk, { limit: 3, after: second.next ?? undefined });
    expect([first.total, second.total, third.total]).toEqual([7, 7, 7]);
    expect(third.next).toBeNull();
    const all = [...first.rows, ...second.rows, ...third.rows];
    expect(all.map((r) => r.trackingCode)).toEqual(codes);
    const due = all.map((r) => r.task.dueMs ?? 0);
    expect(due).toEqual([...due].sort((a, b) => a - b));
  });

  it('sorts the newest task first when asked', async () => {
    const newest = await store.inbox(desk, { sort: 'newest', limit: 4 });
    expect(newest.rows.map((r) => r.trackingCode)).toEqual([...codes].reverse().slice(0, 4));
    const next = await store.inbox(desk, {
      sort: 'newest',
      limit: 4,
      after: newest.next ?? undefined,
    });
    expect(next.rows.map((r) => r.trackingCode)).toEqual([...codes].reverse().slice(4));
  });

  it('splits my claimed tasks from those my group may claim', async () => {
    const mine = await store.inbox(desk, { which: 'mine' });
    expect(mine.rows.map((r) => r.trackingCode)).toEqual([codes[6]]);
    expect(mine.total).toBe(1);
    const claimable = await store.inbox(desk, { which: 'claimable' });
    expect(claimable.total).toBe(6);
    expect(claimable.rows.every((r) => r.task.assignee === null)).toBe(true);
    // A colleague sees the claimed task nowhere.
    const colleague = await store.inbox({ ...desk, userId: 'u-other' });
    expect(colleague.total).toBe(6);
  });

  it('filters by colour, deadline state and tracking code', async () => {
    const red = await store.inbox(desk, { urgency: ['red'] });
    expect(red.total).toBe(3);
    expect(red.rows.every((r) => r.urgency === 'red')).toBe(true);
    // The clock stands a day after the 7th case (10 March, 09:00). Case i opened on 3+i March;
    // its review is due at 24:00 on 18+i March (the inbox's 'due soon' means within two days).
    expect((await store.inbox(desk, { dueState: ['overdue'] })).total).toBe(0);
    clock.advance(9 * DAY + 3_600_000);
    // 19 March, 10:00: the first case is overdue, the next two are due within two days.
    const overdue = await store.inbox(desk, { dueState: ['overdue'] });
    expect(overdue.rows.map((r) => r.trackingCode)).toEqual([codes[0]]);
    const soon = await store.inbox(desk, { dueState: ['dueSoon'] });
    expect(soon.rows.map((r) => r.trackingCode)).toEqual([codes[1], codes[2]]);
    const onTime = await store.inbox(desk, { dueState: ['onTime'] });
    expect(onTime.total).toBe(4);
    const one = await store.inbox(desk, { trackingCode: (codes[3] ?? '').toLowerCase() });
    expect(one.rows.map((r) => r.trackingCode)).toEqual([codes[3]]);
    expect(one.total).toBe(1);
  });

  it('lists cases not yet triaged, and the weekly review (changed lately, or overdue)', async () => {
    const since = clock.now().toISOString();
    expect((await store.listCases({ jurisdictions: ['440781'], urgency: ['none'] })).total).toBe(0);
    const { caseId } = await store.startCase({
      flowId,
      version: 1,
      command: startCommand('来访登记后尚未研判颜色'),
    });
    const untriaged = await store.listCases({ jurisdictions: ['440781'], urgency: ['none'] });
    expect(untriaged.rows.map((r) => r.id)).toEqual([caseId]);
    expect(
      (await store.listCases({ jurisdictions: ['440781'], urgency: ['red', 'none'] })).total,
    ).toBe(4);
    const weekly = await store.listCases({
      jurisdictions: ['440781'],
      changedSinceOrOverdue: since,
    });
    expect(weekly.rows.map((r) => r.id)).toEqual([caseId]);
    // The first case's acceptance deadline fires: it joins the list, however old.
    for (const timer of await store.claimDueTimers('test', 100)) await store.fireTimer(timer);
    const later = await store.listCases({
      jurisdictions: ['440781'],
      changedSinceOrOverdue: since,
    });
    expect(later.rows.map((r) => r.trackingCode)).toContain(codes[0]);
    expect(later.rows.every((r) => r.overdue || r.updatedAt >= since)).toBe(true);
    expect(later.total).toBeLessThan(8);
  });

  it('lists open overdue cases only, oldest first: a cancelled one is no one’s to finish', async () => {
    const overdue = () =>
      store.listCases({ jurisdictions: ['440781'], overdue: true, order: 'oldest' });
    const before = await overdue();
    expect(before.rows[0]?.trackingCode).toBe(codes[0]);
    expect(before.rows.every((r) => r.status === 'active' && r.overdue)).toBe(true);
    const first = before.rows[0]?.id ?? '';
    await store.act(first, { type: 'case.cancel', reason: '重复登记', actor: receptionist });
    const row = await store.caseRow(first);
    expect(row?.status).toBe('cancelled');
    expect((await overdue()).rows.map((r) => r.id)).not.toContain(first);
  });

  it('shows nothing to a member of another county', async () => {
    const other = await store.inbox({
      userId: 'u-kp',
      memberships: [{ jurisdiction: '440783', role: 'receptionist', department: null }],
    });
    expect(other).toEqual({ rows: [], total: 0, more: false, next: null });
  });
});
