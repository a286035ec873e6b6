import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Store } from '../src';
import { DIALECTS, type FakeClock, setupStore } from './helpers';
import {
  complete,
  fireDue,
  publishStandard,
  registration,
  staffOf,
  stateOf,
} from './standard-petition';

// The standard template's department handling follows the 办理期限 clock
// (deadlineClock). An approved extension must reach the task row and its
// timers in the same transaction, or the inbox shows the old due date and the
// scheduler marks the task (and the case) overdue at it.
describe.each(DIALECTS)('a handling task bound to its clock on %s', (dialect) => {
  let store: Store;
  let clock: FakeClock;
  let drop: () => Promise<void>;
  let flowId: string;

  beforeAll(async () => {
    const s = await setupStore(dialect);
    store = s.store;
    clock = s.clock;
    drop = () => s.test.drop();
    flowId = await publishStandard(store);
  });
  afterAll(async () => {
    await drop();
  });

  it('moves the task row with an approved extension and is not overdue at the old date', async () => {
    // given a case assigned to a department
    const staff = staffOf('440781');
    const { caseId } = await store.startCase({
      flowId,
      version: 1,
      command: {
        type: 'case.start',
        channel: 'visit',
        jurisdiction: '440781',
        data: registration,
        actor: staff.receptionist,
      },
    });
    await complete(store, caseId, 'accept', 'accept');
    await complete(store, caseId, 'assign', 'assign');
    const before = await stateOf(store, caseId);
    const handling = before.clocks.handling;
    const handle = before.tasks.find((t) => t.node === 'handle');
    expect(handle?.due).toBe(handling?.due);
    // when a leader approves a 30-day extension
    await store.act(caseId, {
      type: 'deadline.requestExtension',
      clockId: 'handling',
      duration: 'P30D',
      reason: '需要补充调查工资发放凭证',
      actor: staff.handler,
    });
    await store.act(caseId, {
      type: 'deadline.approveExtension',
      requestId: Object.keys((await stateOf(store, caseId)).extensionRequests)[0] ?? '',
      actor: staff.leader,
    });
    // then the task row carries the extended due date, and only timers at the new dates are pending
    const after = await stateOf(store, caseId);
    const extended = after.clocks.handling?.due ?? '';
    expect(Date.parse(extended)).toBeGreaterThan(Date.parse(handling?.due ?? ''));
    const row = (await store.tasksOfCase(caseId)).find((t) => t.id === handle?.id);
    expect(row).toMatchObject({ due: extended, dueMs: Date.parse(extended), dueState: 'onTime' });
    const pending = (await store.timersOfCase(caseId)).filter((t) => t.status === 'pending');
    expect(pending.map((t) => t.due)).not.toContain(handle?.due);
    // when the old due date passes
    clock.ms = Date.parse(handling?.due ?? '') + 86_400_000;
    await fireDue(store);
    // then neither the task nor the case is overdue
    const later = await stateOf(store, caseId);
    expect(later.tasks.find((t) => t.id === handle?.id)?.dueState).not.toBe('overdue');
    expect(later.late).toBeUndefined();
    expect((await store.caseRow(caseId))?.overdue).toBe(false);
  });
});
