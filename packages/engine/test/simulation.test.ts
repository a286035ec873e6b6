import { describe, expect, it } from 'vitest';
import {
  parseScript,
  runScript,
  SimulatedClock,
  Simulator,
  type SimulatorOptions,
  type TimerQueue,
} from '../src/index';
import { admin, COUNTY, edge, handler, makeFlow, node, receptionist } from './helpers';

const T0 = '2025-03-03T01:00:00.000Z'; // Monday 09:00 in Beijing
const DAY = 86_400_000;

const parent = makeFlow({
  key: 'parent-flow',
  nodes: [
    node.start(),
    node.of('confirm', 'subflow', {
      flow: { key: 'child-flow' },
      input: { summary: { var: 'summary' }, department: { var: 'department' } },
      outcomeVar: 'mediation',
    }),
    node.task('close'),
    node.end(),
  ],
  edges: [
    edge.next('start', 'confirm'),
    edge.next('confirm', 'close'),
    edge.action('close', 'end'),
  ],
});

const child = makeFlow({
  key: 'child-flow',
  nodes: [
    node.start(),
    node.task('review', { deadline: { duration: 'P2D', calendar: 'natural' } }),
    node.end('end', 'declined'),
  ],
  edges: [edge.next('start', 'review'), edge.action('review', 'end')],
});

function world(options: Partial<SimulatorOptions> = {}) {
  return new Simulator({
    clock: new SimulatedClock(T0),
    resolveSubflow: (ref) => (ref.key === child.key ? child : undefined),
    ...options,
  });
}

const startParent = (sim: Simulator, extra: Record<string, unknown> = {}) => {
  const started = sim.start(parent, {
    type: 'case.start',
    channel: 'letter',
    data: { summary: '宅基地纠纷', department: 'civil' },
    jurisdiction: COUNTY,
    urgency: 'yellow',
    actor: receptionist,
    ...extra,
  });
  if (!started.ok) throw new Error(started.rejection.message.en);
  return started.caseId;
};

describe('SimulatedClock', () => {
  it('moves by an ISO 8601 duration or to an instant, never backwards', () => {
    // given a clock on Monday morning
    const clock = new SimulatedClock(T0);
    // when it advances three days, then "to" an earlier instant
    clock.advance('P3D');
    const afterDuration = clock.iso();
    clock.advance('2025-03-01T00:00:00Z');
    // then it stands three days on and stays there
    expect(afterDuration).toBe('2025-03-06T01:00:00.000Z');
    expect(clock.iso()).toBe(afterDuration);
  });

  it('fires each due timer in due order at its own due time, and stops when one is refused', () => {
    // given three timers, the third refused when fired
    const clock = new SimulatedClock(T0);
    const pending = [
      { id: 'b', dueMs: Date.parse(T0) + 2 * DAY },
      { id: 'a', dueMs: Date.parse(T0) + DAY },
      { id: 'c', dueMs: Date.parse(T0) + 3 * DAY },
      { id: 'later', dueMs: Date.parse(T0) + 30 * DAY },
    ];
    const fired: string[] = [];
    const queue: TimerQueue<(typeof pending)[number]> = {
      next: (until) => pending.filter((t) => t.dueMs <= until).sort((x, y) => x.dueMs - y.dueMs)[0],
      fire: (timer, now) => {
        fired.push(`${timer.id}@${now.toISOString()}`);
        pending.splice(pending.indexOf(timer), 1);
        return timer.id !== 'c';
      },
    };
    // when it advances ten days
    const finished = clock.advance('P10D', queue);
    // then a and b fired at their due times, c was refused and the clock stopped there
    expect(fired).toEqual([
      'a@2025-03-04T01:00:00.000Z',
      'b@2025-03-05T01:00:00.000Z',
      'c@2025-03-06T01:00:00.000Z',
    ]);
    expect(finished).toBe(false);
    expect(clock.iso()).toBe('2025-03-06T01:00:00.000Z');
  });

  it('refuses an instant it cannot read, in both languages', () => {
    const clock = new SimulatedClock(T0);
    expect(() => clock.advance('next tuesday')).toThrow(/not an ISO 8601 instant/);
    expect(() => clock.advance('P3X')).toThrow(/not an ISO 8601 duration/);
  });
});

describe('Simulator: the store path without the database', () => {
  it('starts a child case with the parent’s channel, jurisdiction, urgency and mapped input', () => {
    // given a world that knows the child flow
    const sim = world();
    // when the parent reaches its subflow node
    const parentId = startParent(sim);
    // then a child case runs with what the store would give it
    const kid = sim.childCase(parentId, 'confirm');
    expect(kid?.parentCaseId).toBe(parentId);
    expect(kid?.state).toMatchObject({
      status: 'active',
      channel: 'letter',
      jurisdiction: COUNTY,
      urgency: 'yellow',
      data: { summary: '宅基地纠纷', department: 'civil' },
      flow: { key: 'child-flow', version: 1 },
    });
    expect(sim.tasks(kid?.id).map((t) => [t.node, t.status])).toEqual([['review', 'open']]);
  });

  it('gives the parent the child’s outcome when the child closes', () => {
    // given a running child case
    const sim = world();
    const parentId = startParent(sim);
    const kid = sim.childCase(parentId, 'confirm');
    const review = sim.tasks(kid?.id)[0];
    // when the child's task is completed and the child ends as declined
    const done = sim.act(kid?.id ?? '', {
      type: 'task.complete',
      taskId: review?.id ?? '',
      action: 'done',
      actor: handler,
    });
    // then the parent recorded the outcome and moved on to its own task
    expect(done.ok).toBe(true);
    const after = sim.case(parentId);
    expect(after?.state.data.mediation).toBe('declined');
    expect(after?.state.children).toEqual([]);
    expect(sim.tasks(parentId).map((t) => [t.node, t.status])).toEqual([['close', 'open']]);
    expect(sim.tasks(kid?.id)).toMatchObject([
      { node: 'review', status: 'closed', closeReason: 'completed' },
    ]);
    expect(after?.events.map((e) => e.type)).toContain('child.completed');
  });

  it('cancels the running child when the parent is cancelled, without reporting back', () => {
    // given a parent waiting for its child
    const sim = world();
    const parentId = startParent(sim);
    const kidId = sim.childCase(parentId, 'confirm')?.id ?? '';
    // when an admin cancels the parent
    const cancelled = sim.act(parentId, { type: 'case.cancel', reason: '重复登记', actor: admin });
    // then the child is cancelled too, detached from the parent
    expect(cancelled.ok).toBe(true);
    const kid = sim.case(kidId);
    expect(kid?.state.status).toBe('cancelled');
    expect(kid?.state.cancelReason).toBe('parent cancelled');
    expect(kid?.parentChildId).toBeNull();
    expect(sim.case(parentId)?.events.some((e) => e.type === 'child.completed')).toBe(false);
    expect(sim.timers(kidId).map((t) => t.status)).not.toContain('pending');
    // and the detached child can still be found from the node that started it
    expect(sim.childCase(parentId, 'confirm')?.id).toBe(kidId);
  });

  it('refuses a command whose subflow is not published and changes nothing', () => {
    // given a world that does not know the child flow
    const sim = world({ resolveSubflow: () => undefined });
    // when the parent would start its child
    const started = sim.start(parent, {
      type: 'case.start',
      channel: 'visit',
      data: { summary: '宅基地纠纷' },
      actor: receptionist,
    });
    // then the start is refused, bilingually, and no case, task or timer was written
    expect(started.ok).toBe(false);
    if (!started.ok) {
      expect(started.rejection.code).toBe('subflow.notFound');
      expect(started.rejection.message['zh-CN']).toContain('child-flow');
      expect(started.rejection.message.en).toContain('child-flow');
    }
    expect(sim.cases()).toEqual([]);
    expect(sim.tasks()).toEqual([]);
    expect(sim.timers()).toEqual([]);
  });

  it('moves the parent on at once when its child case closes as it starts', () => {
    // given a child flow that ends as soon as it is registered
    const instant = makeFlow({
      key: 'child-flow',
      nodes: [node.start(), node.end('end', 'resolved')],
      edges: [edge.next('start', 'end')],
    });
    const sim = world({ resolveSubflow: (ref) => (ref.key === instant.key ? instant : undefined) });
    // when the parent starts and reaches its subflow node
    const parentId = startParent(sim);
    // then the child is closed and the parent already holds its outcome and waits at its own task
    const kid = sim.cases().find((c) => c.parentCaseId === parentId);
    expect(kid?.state.status).toBe('closed');
    expect(sim.case(parentId)?.state.data.mediation).toBe('resolved');
    expect(sim.case(parentId)?.state.children).toEqual([]);
    expect(sim.tasks(parentId).map((t) => [t.node, t.status])).toEqual([['close', 'open']]);
  });

  it('refuses child cases nested deeper than the store allows, writing nothing', () => {
    // given a flow whose subflow node calls the flow itself
    const recursive = makeFlow({
      key: 'recursive-flow',
      nodes: [
        node.start(),
        node.of('again', 'subflow', { flow: { key: 'recursive-flow' } }),
        node.end(),
      ],
      edges: [edge.next('start', 'again'), edge.next('again', 'end')],
    });
    const sim = world({
      resolveSubflow: (ref) => (ref.key === recursive.key ? recursive : undefined),
    });
    // when a case of it starts
    const started = sim.start(recursive, {
      type: 'case.start',
      channel: 'visit',
      actor: receptionist,
    });
    // then the chain is refused at the depth limit and no case was kept
    expect(started).toMatchObject({ ok: false, rejection: { code: 'case.tooDeep' } });
    expect(sim.cases()).toEqual([]);
  });

  it('fires a missed deadline at its due time: the task row turns overdue and the case late', () => {
    // given a child whose review is due in two days
    const sim = world();
    const parentId = startParent(sim);
    const kidId = sim.childCase(parentId, 'confirm')?.id ?? '';
    // when five days pass
    const passed = sim.advance('P5D');
    // then the deadline timer fired at its own due time and stays recorded as fired
    expect(passed.ok).toBe(true);
    const kid = sim.case(kidId);
    expect(kid?.late).toBe(true);
    expect(kid?.overdue).toBe(true);
    expect(kid?.state.late).toBe(true);
    const [review] = sim.tasks(kidId);
    expect(review?.dueState).toBe('overdue');
    const fired = sim.timers(kidId).filter((t) => t.status === 'fired');
    expect(fired.length).toBeGreaterThan(0);
    for (const t of fired) expect(t.firedAt).toBe(t.due);
    expect(sim.clock.iso()).toBe('2025-03-08T01:00:00.000Z');
    // and the parent, which has no deadline of its own, is neither late nor overdue
    expect(sim.case(parentId)?.late).toBe(false);
  });

  it('makes ids from the injected counter, so two runs are identical', () => {
    const run = () => {
      const sim = world();
      const id = startParent(sim);
      sim.advance('P5D');
      return { cases: sim.cases().map((c) => c.events), tasks: sim.tasks(), id };
    };
    expect(run()).toEqual(run());
    expect(run().id).toBe('id-000001');
  });
});

describe('runScript', () => {
  it('lets a step act on a child case by the subflow node that started it', () => {
    // given a script that completes the child's review, then the parent's task
    const script = parseScript({
      start: {
        at: '2025-03-03T09:00:00+08:00',
        channel: 'visit',
        data: { summary: '宅基地纠纷' },
        actor: receptionist,
      },
      steps: [
        {
          at: '2025-03-04T09:00:00+08:00',
          case: 'child:confirm',
          actor: handler,
          complete: { node: 'review', action: 'done' },
        },
        {
          at: '2025-03-04T10:00:00+08:00',
          actor: handler,
          complete: { node: 'close', action: 'done' },
        },
      ],
    });
    const sim = world();
    // when it runs
    const run = runScript(sim, parent, script);
    // then both cases closed, the parent with the child's outcome recorded
    expect(run).toMatchObject({ ok: true });
    const root = run.ok ? sim.case(run.caseId) : undefined;
    expect(root?.state).toMatchObject({ status: 'closed', data: { mediation: 'declined' } });
    expect(sim.cases().map((c) => c.state.status)).toEqual(['closed', 'closed']);
  });

  it('says which step addressed a child case that never started', () => {
    const script = parseScript({
      start: { at: T0, channel: 'visit', actor: receptionist },
      steps: [{ case: 'child:close', actor: handler, complete: { node: 'review' } }],
    });
    const run = runScript(world(), parent, script);
    expect(run).toMatchObject({
      ok: false,
      refusal: { step: 0, rejection: { code: 'case.notFound' } },
    });
  });

  it('refuses a malformed case address in both languages', () => {
    expect(() =>
      parseScript({ start: { at: T0, channel: 'visit' }, steps: [{ case: 'kid', comment: {} }] }),
    ).toThrow(/child:<subflow node>/);
  });
});
