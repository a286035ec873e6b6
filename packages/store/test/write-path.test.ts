import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type CaseState, caseNotes } from '@lianxin/engine';
import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { caseColumns, MIGRATIONS, type Store, verifyStore } from '../src';
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
    await expectRowsEqualState(caseId);
    expect(caseNotes(await store.events(caseId)).comments.map((c) => c.text)).toEqual([
      '第一条',
      '第二条',
    ]);
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

  it('keeps comments and attachments in the events, and migration 0018 takes them out of older rows', async () => {
    const { caseId } = await store.startCase({ flowId, version: 1, command: startCommand() });
    const review = (await store.caseRow(caseId))?.state.tasks[0]?.id ?? '';
    for (let i = 0; i < 30; i++)
      await store.act(caseId, { type: 'case.comment', text: `批注 ${i}`, actor: receptionist });
    await store.act(caseId, {
      type: 'case.attach',
      ref: 'attachment:a1',
      name: '现场照片.jpg',
      actor: receptionist,
    });
    const small = await expectRowsEqualState(caseId);
    expect(small).not.toHaveProperty('comments');
    // A claim writes a state whose size does not depend on the comments.
    await store.act(caseId, { type: 'task.claim', taskId: review, actor: receptionist });
    const events = await store.events(caseId);
    const notes = caseNotes(events);
    expect(await store.notes(caseId)).toEqual(notes);
    expect(notes.comments.map((c) => c.text)).toEqual(
      Array.from({ length: 30 }, (_, i) => `批注 ${i}`),
    );
    expect(notes.attachments).toEqual([
      expect.objectContaining({ by: receptionist.id, ref: 'attachment:a1', name: '现场照片.jpg' }),
    ]);

    // given a row as the code before issue 18 wrote it, lists in the state
    const { database, vault } = store;
    const row = await store.caseRow(caseId);
    await database.tx((tx) =>
      tx
        .update(database.t.cases)
        .set({ state: { ...(row?.state as CaseState), ...notes } })
        .where(eq(database.t.cases.id, caseId)),
    );
    expect((await verifyStore(database, vault)).problems[0]?.where).toContain('state/attachments');
    // when the migration runs
    const text = readFileSync(join(MIGRATIONS[dialect], '0018_small_case_state.sql'), 'utf8');
    if (database.sqlite) database.sqlite.exec(text);
    else await database.tx((tx) => tx.execute(sql.raw(text)));
    // then the row equals the replay again
    expect((await verifyStore(database, vault)).problems).toEqual([]);
    await expectRowsEqualState(caseId);
  });
});
