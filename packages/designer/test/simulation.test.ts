import { type CalendarYear, WorkCalendar } from '@lianxin/engine';
import { checkedFlow, type FlowDefinition } from '@lianxin/spec';
import { describe, expect, it } from 'vitest';
import { beijingText, dayInfo } from '../src/days';
import { advanceClock, advanceTo, pressAction, simTasks, startSimulation } from '../src/simulation';
import { smallFlow } from './fixtures';

/** The small flow with a subflow node before its end, calling `child` (the small flow under another key). */
function parentFlow(): FlowDefinition {
  const flow = smallFlow();
  return {
    ...flow,
    key: 'parent-flow',
    dataSchema: {
      type: 'object',
      properties: { summary: { type: 'string' }, childOutcome: { type: 'string' } },
    },
    nodes: [
      ...flow.nodes.filter((n) => n.id !== 'done'),
      {
        id: 'child',
        kind: 'subflow',
        name: { 'zh-CN': '子流程' },
        flow: { key: 'child-flow' },
        input: { summary: { var: 'summary' } },
        outcomeVar: 'childOutcome',
      },
      ...flow.nodes.filter((n) => n.id === 'done'),
    ],
    edges: flow.edges
      .map((e) => (e.to === 'done' ? { ...e, to: 'child' } : e))
      .concat({
        id: 'e-child-done',
        kind: 'next',
        from: 'child',
        to: 'done',
      }),
  } as FlowDefinition;
}

const childFlow = checkedFlow({ ...smallFlow(), key: 'child-flow' });

describe('designer simulation on the Simulator', () => {
  it('runs the child case a subflow starts and shows its tasks beside the parent’s', () => {
    // given a parent whose subflow calls a flow the designer knows
    const started = startSimulation(parentFlow(), {
      channel: 'visit',
      resolveSubflow: (ref) => (ref.key === 'child-flow' ? childFlow : undefined),
    });
    if (!started.ok) throw new Error(started.rejection.message.en);
    const [own] = simTasks(started.session, 'receptionist');
    // when the parent's task is done
    const handed = pressAction(started.session, own?.taskId ?? '', 'submit', 'receptionist', {
      summary: '路灯坏了',
    });
    if (!handed.ok) throw new Error(handed.rejection.message.en);
    // then the child case's task is offered, marked as the child's
    const [childTask] = simTasks(handed.session, 'receptionist');
    expect(childTask).toMatchObject({ node: 'register', childFlow: 'child-flow' });
    expect(handed.session.cases.map((c) => c.state.data.summary)).toEqual(['路灯坏了', '路灯坏了']);
    // and when the child's task is done, the parent gets the outcome and closes
    const done = pressAction(handed.session, childTask?.taskId ?? '', 'submit', 'receptionist', {});
    if (!done.ok) throw new Error(done.rejection.message.en);
    expect(done.session.state).toMatchObject({
      status: 'closed',
      data: { childOutcome: 'resolved' },
    });
  });

  it('refuses, as the server would, a subflow whose flow it does not have', () => {
    const started = startSimulation(parentFlow(), { channel: 'visit' });
    if (!started.ok) throw new Error(started.rejection.message.en);
    const [own] = simTasks(started.session, 'receptionist');
    const pressed = pressAction(started.session, own?.taskId ?? '', 'submit', 'receptionist', {});
    expect(pressed).toMatchObject({
      ok: false,
      rejection: { code: 'subflow.notFound', subflow: { node: 'child', flow: 'child-flow' } },
    });
    // and the refused press changed nothing: the task is still there to press
    expect(simTasks(started.session, 'receptionist').map((t) => t.taskId)).toEqual([own?.taskId]);
  });

  it('refuses a drawn flow with checker errors, saying how many', () => {
    const broken = { ...smallFlow(), edges: [] };
    const started = startSimulation(broken, { channel: 'visit' });
    expect(started.ok).toBe(false);
    if (!started.ok) {
      expect(started.rejection.code).toBe('flow.invalid');
      expect(started.rejection.message['zh-CN']).toMatch(/流程定义有 \d+ 个错误/);
      expect(started.rejection.message.en).toMatch(/has \d+ error/);
    }
  });

  it('fires a deadline at its own due time, not when the clock stops, and marks the case late', () => {
    // given a task due five days after registration
    const flow = smallFlow();
    flow.nodes[1] = {
      ...(flow.nodes[1] as Extract<(typeof flow.nodes)[number], { kind: 'task' }>),
      deadline: { duration: 'PT120H', calendar: 'natural', rollOverHolidays: false },
    };
    const started = startSimulation(flow, { channel: 'visit' });
    if (!started.ok) throw new Error(started.rejection.message.en);
    const due = started.session.state.tasks[0]?.due;
    // when a week passes
    const later = advanceClock(started.session, 7);
    if (!later.ok) throw new Error(later.rejection.message.en);
    // then the task went overdue at its deadline, and the case remembers it
    const overdue = later.session.events.find((e) => e.type === 'task.overdue');
    expect(overdue?.at).toBe(due);
    expect(later.session.late).toBe(true);
    expect(later.session.now).toBe('2026-03-09T09:00:00+08:00');
  });
});

/** The small flow whose register task is due in `duration` working days. */
function dueIn(duration: string): FlowDefinition {
  const flow = smallFlow();
  return {
    ...flow,
    nodes: flow.nodes.map((n) =>
      n.id === 'register' ? { ...n, deadline: { duration, calendar: 'workingDays' } } : n,
    ),
  } as FlowDefinition;
}

/** A made-up official 2027 (the real notice is not out): 春节 5–13 Feb off, 31 Jan and 20 Feb worked. */
const OFFICIAL_2027: CalendarYear = {
  year: 2027,
  status: 'official',
  holidays: Object.fromEntries([
    ['2027-01-01', '元旦'],
    ['2027-01-02', '元旦'],
    ['2027-01-03', '元旦'],
    ...[5, 6, 7, 8, 9, 10, 11, 12, 13].map((d) => [
      `2027-02-${String(d).padStart(2, '0')}`,
      '春节',
    ]),
    ['2027-04-05', '清明节'],
    ['2027-05-01', '劳动节'],
    ['2027-05-02', '劳动节'],
    ['2027-06-09', '端午节'],
    ['2027-09-15', '中秋节'],
    ['2027-10-01', '国庆节'],
    ['2027-10-02', '国庆节'],
    ['2027-10-03', '国庆节'],
  ]),
  workdays: { '2027-01-31': '春节', '2027-02-20': '春节' },
};

describe('simulation with a start date and a calendar', () => {
  it('starts on the chosen instant and counts working days across 国庆', () => {
    // given a case received on Monday 28 September 2026 with 3 working days to register it
    const started = startSimulation(dueIn('P3D'), {
      channel: 'visit',
      now: '2026-09-28T09:00:00+08:00',
    });
    if (!started.ok) throw new Error(started.rejection.message.en);
    // then 29 and 30 September count, 1–7 October are off, and it is due at the end of the 8th
    const [task] = simTasks(started.session, 'receptionist');
    expect(beijingText(task?.due ?? '')).toBe('2026-10-08 23:59');
    expect(dayInfo(started.session.calendar, '2026-10-05')).toMatchObject({ kind: 'holiday' });
    // when the clock jumps to the morning of the 9th, the task is overdue
    const jumped = advanceTo(started.session, '2026-10-09T09:00:00+08:00');
    if (!jumped.ok) throw new Error(jumped.rejection.message.en);
    expect(jumped.session.now).toBe('2026-10-09T09:00:00+08:00');
    expect(jumped.session.state.tasks[0]?.dueState).toBe('overdue');
    // and a jump backwards does not move time
    const back = advanceTo(jumped.session, '2026-10-01T09:00:00+08:00');
    expect(back.ok && back.session.now).toBe('2026-10-09T09:00:00+08:00');
  });

  it('counts into 2027 on the provisional year by default, and on an official year when given one', () => {
    // 60 working days from Monday 23 November 2026, by hand: provisional 2027 (1 Jan, 5–8 Feb off)
    // ends Thursday 18 February; the made-up notice (1–3 Jan, 5–13 Feb off, 31 Jan worked) Monday 22nd
    const provisional = startSimulation(dueIn('P60D'), {
      channel: 'visit',
      now: '2026-11-23T09:00:00+08:00',
    });
    if (!provisional.ok) throw new Error(provisional.rejection.message.en);
    const [guess] = simTasks(provisional.session, 'receptionist');
    expect(beijingText(guess?.due ?? '')).toBe('2027-02-18 23:59');
    expect(dayInfo(provisional.session.calendar, '2027-02-18').status).toBe('provisional');
    expect(provisional.session.state.flags.map((f) => f.code)).toEqual(['calendar.provisional']);

    const official = startSimulation(dueIn('P60D'), {
      channel: 'visit',
      now: '2026-11-23T09:00:00+08:00',
      calendar: WorkCalendar.of([OFFICIAL_2027]),
    });
    if (!official.ok) throw new Error(official.rejection.message.en);
    const [exact] = simTasks(official.session, 'receptionist');
    expect(beijingText(exact?.due ?? '')).toBe('2027-02-22 23:59');
    expect(dayInfo(official.session.calendar, '2027-02-22')).toMatchObject({
      status: 'official',
      kind: 'workday',
    });
    expect(official.session.state.flags).toEqual([]);
  });
});
