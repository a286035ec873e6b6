import { checkedFlow, type FlowDefinition } from '@lianxin/spec';
import { describe, expect, it } from 'vitest';
import { advanceClock, pressAction, simTasks, startSimulation } from '../src/simulation';
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
