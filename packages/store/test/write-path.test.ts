import type { CaseState } from '@lianxin/engine';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { caseColumns, type Store } from '../src';
import { taskColumns } from '../src/sqlite-writes';
import {
  admin,
  DAY,
  DIALECTS,
  type FakeClock,
  handler,
  receptionist,
  setupStore,
  startCommand,
} from './helpers';

// Transitions write only the columns that changed (SQLite) or in one
// statement (PostgreSQL); after every step the rows must still equal what
// the state says, column by column.
describe.each(DIALECTS)('transition write path on %s', (dialect) => {
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

  async function expectRowsEqualState(caseId: string): Promise<CaseState> {
    const row = await store.caseRow(caseId);
    if (!row) throw new Error('no case row');
    const { state, ...columns } = caseColumns(row.state);
    expect(row).toMatchObject(JSON.parse(JSON.stringify(columns)));
    expect(row.version).toBe((await store.events(caseId)).length);
    const tasks = await store.tasksOfCase(caseId);
    const open = tasks.filter((t) => t.status === 'open');
    expect(open.map((t) => t.id).sort()).toEqual(state.tasks.map((t) => t.id).sort());
    for (const task of state.tasks) {
      expect(open.find((t) => t.id === task.id)).toMatchObject(
        JSON.parse(JSON.stringify(taskColumns(task))),
      );
    }
    return state;
  }

  it('keeps case and task rows equal to the state through claims, reassignments, data and deadlines', async () => {
    const { caseId } = await store.startCase({ flowId, version: 1, command: startCommand() });
    let state = await expectRowsEqualState(caseId);
    const review = state.tasks[0]?.id ?? '';
    for (const command of [
      { type: 'task.claim', taskId: review },
      { type: 'task.release', taskId: review },
      { type: 'task.claim', taskId: review },
      { type: 'case.comment', text: '已电话联系信访人' },
      { type: 'task.reassign', taskId: review, to: 'u-other' },
      { type: 'task.reassign', taskId: review, to: receptionist.id, actor: admin },
    ] as const) {
      await store.act(caseId, { actor: receptionist, ...command } as never);
      state = await expectRowsEqualState(caseId);
    }
    expect(state.tasks[0]?.assignee).toBe(receptionist.id);
    // Deadlines pass: timers mark the task due soon and overdue (task and case columns change).
    for (const days of [13, 3]) {
      clock.advance(days * DAY);
      const due = (await store.claimDueTimers('test', 100)).filter((t) => t.caseId === caseId);
      for (const timer of due) await store.fireTimer(timer);
      state = await expectRowsEqualState(caseId);
      expect(state.tasks[0]?.dueState).toBe(days === 13 ? 'dueSoon' : 'overdue');
    }
    expect((await store.caseRow(caseId))?.overdue).toBe(true);
    await store.act(caseId, {
      type: 'task.complete',
      taskId: review,
      action: 'submit',
      data: { accepted: true, department: 'civil', category: 'roads' },
      actor: receptionist,
    });
    state = await expectRowsEqualState(caseId);
    expect(state.data.category).toBe('roads');
    const handle = state.tasks[0]?.id ?? '';
    await store.act(caseId, { type: 'task.claim', taskId: handle, actor: handler });
    await store.act(caseId, {
      type: 'task.complete',
      taskId: handle,
      action: 'reply',
      data: { reply: '已协调供电所于三日内修复' },
      actor: handler,
    });
    await expectRowsEqualState(caseId);
    // The three-day cooling-off wait ends at 24:00 of its third day.
    clock.advance(4 * DAY);
    for (const timer of (await store.claimDueTimers('test', 100)).filter(
      (t) => t.caseId === caseId,
    )) {
      await store.fireTimer(timer);
    }
    state = await expectRowsEqualState(caseId);
    expect(state.status).toBe('closed');
  });

  it('redoes a command read from a row that has moved on, in the transaction, against the fresh row', async () => {
    const { caseId } = await store.startCase({ flowId, version: 1, command: startCommand() });
    const v0 = (await store.caseRow(caseId))?.version ?? 0;
    const base = await store.caseForCommand(caseId);
    expect(base).toMatchObject({ id: caseId, jurisdiction: '440781' });
    if (dialect === 'pg') expect(base?.row?.version).toBe(v0);
    await store.act(caseId, { type: 'case.comment', text: '第一条', actor: receptionist });
    const out = await store.act(
      caseId,
      { type: 'case.comment', text: '第二条', actor: receptionist },
      base,
    );
    expect(out.state.version).toBe(v0 + 2);
    const state = await expectRowsEqualState(caseId);
    expect(state.comments.map((c) => c.text)).toEqual(['第一条', '第二条']);
    // With the version named, a command from the old row is refused and writes nothing.
    await expect(
      store.act(
        caseId,
        { type: 'case.comment', text: '第三条', actor: receptionist, expectedVersion: v0 },
        base,
      ),
    ).rejects.toMatchObject({ rejection: { code: 'state.stale' } });
    expect((await expectRowsEqualState(caseId)).version).toBe(v0 + 2);
  });
});
