import { describe, expect, it } from 'vitest';
import { semantics } from '../src/index';
import { edge, handler, leader, makeFlow, node, Sim, types } from './helpers';

describe('sequence: start → task → end', () => {
  const def = makeFlow({
    nodes: [node.start(), node.task('handle'), node.end('done')],
    edges: [edge.next('start', 'handle'), edge.action('handle', 'done', 'reply')],
  });

  it('opens the first task when a case is registered', () => {
    // given
    const sim = new Sim(def);
    // when
    const events = sim.start({ summary: '道路积水' });
    // then
    expect(types(events)).toEqual(['case.started', 'token.created', 'token.moved', 'task.opened']);
    expect(sim.state.status).toBe('active');
    expect(sim.task('handle').candidates).toEqual({ role: 'handler', jurisdiction: '440781' });
    expect(sim.lastEffects).toContainEqual({ type: 'task.open', task: sim.task('handle') });
  });

  it('closes the case with the end node outcome when the last task is done', () => {
    // given
    const sim = new Sim(def);
    sim.start();
    // when
    const events = sim.complete('handle', 'reply', { reply: '已疏通' });
    // then
    expect(types(events)).toEqual([
      'task.completed',
      'firstHandler.set',
      'data.merged',
      'token.moved',
      'token.consumed',
      'case.closed',
    ]);
    expect(sim.state).toMatchObject({
      status: 'closed',
      outcome: 'resolved',
      data: { reply: '已疏通' },
    });
    expect(sim.state.tokens).toEqual([]);
    expect(sim.lastEffects).toContainEqual({ type: 'case.close', outcome: 'resolved' });
  });

  it('bumps the state version once per event', () => {
    // given
    const sim = new Sim(def);
    // when
    sim.start();
    // then
    expect(sim.state.version).toBe(sim.events.length);
  });
});

describe('decision', () => {
  const def = makeFlow({
    nodes: [
      node.start(),
      node.task('review'),
      node.of('d', 'decision'),
      node.end('big', 'transferred'),
      node.end('letter', 'resolved'),
      node.end('other', 'declined'),
    ],
    edges: [
      edge.next('start', 'review'),
      edge.action('review', 'd'),
      edge.when('d', 'big', { '>': [{ var: 'score' }, 80] }),
      edge.when('d', 'letter', { '==': [{ var: '$case.channel' }, 'letter'] }),
      edge.otherwise('d', 'other'),
    ],
  });

  it('takes the first condition that holds, in edge order', () => {
    // given
    const sim = new Sim(def);
    sim.start({}, { channel: 'letter' });
    // when
    sim.complete('review', 'done', { score: 90 });
    // then
    expect(sim.state.outcome).toBe('transferred');
  });

  it('lets conditions read the case channel', () => {
    // given
    const sim = new Sim(def);
    sim.start({}, { channel: 'letter' });
    // when
    sim.complete('review', 'done', { score: 10 });
    // then
    expect(sim.state.outcome).toBe('resolved');
  });

  it('takes the default edge when no condition holds', () => {
    // given
    const sim = new Sim(def);
    sim.start();
    // when
    sim.complete('review', 'done', { score: 10 });
    // then
    expect(sim.state.outcome).toBe('declined');
  });
});

function parallelFlow(mode: 'all' | 'any') {
  return makeFlow({
    nodes: [
      node.start(),
      node.of('split', 'parallel'),
      node.task('police'),
      node.task('court'),
      node.of('join', 'join', { mode }),
      node.task('reply'),
      node.end(),
    ],
    edges: [
      edge.next('start', 'split'),
      edge.next('split', 'police'),
      edge.next('split', 'court'),
      edge.action('police', 'join'),
      edge.action('court', 'join'),
      edge.next('join', 'reply'),
      edge.action('reply', 'end'),
    ],
  });
}

describe('parallel split and join', () => {
  it('opens one task per branch', () => {
    // given
    const sim = new Sim(parallelFlow('all'));
    // when
    sim.start();
    // then
    expect(sim.activeNodes()).toEqual(['court', 'police']);
  });

  it('waits at an all-join until every branch has arrived', () => {
    // given
    const sim = new Sim(parallelFlow('all'));
    sim.start();
    // when
    const first = sim.complete('police');
    // then
    expect(types(first)).toContain('join.arrived');
    expect(sim.activeNodes()).toEqual(['court']);
    expect(sim.tasks('reply')).toEqual([]);
    // when
    sim.complete('court');
    // then
    expect(sim.activeNodes()).toEqual(['reply']);
    expect(sim.state.joins).toEqual({});
  });

  it('lets the first branch through an any-join and cancels the others', () => {
    // given
    const sim = new Sim(parallelFlow('any'));
    sim.start();
    const court = sim.task('court');
    // when
    const events = sim.complete('police');
    // then
    expect(events).toContainEqual(
      expect.objectContaining({
        type: 'task.cancelled',
        taskId: court.id,
        reason: 'branchCancelled',
      }),
    );
    expect(sim.activeNodes()).toEqual(['reply']);
    expect(sim.lastEffects).toContainEqual({
      type: 'task.close',
      taskId: court.id,
      reason: 'branchCancelled',
    });
  });

  it('cancels the other branches when one reaches an end node (terminate)', () => {
    // given
    const def = makeFlow({
      nodes: [
        node.start(),
        node.of('split', 'parallel'),
        node.task('a'),
        node.task('b'),
        node.of('join', 'join'),
        node.end('end'),
        node.end('stop', 'declined'),
      ],
      edges: [
        edge.next('start', 'split'),
        edge.next('split', 'a'),
        edge.next('split', 'b'),
        edge.action('a', 'join'),
        edge.action('a', 'stop', 'stop'),
        edge.action('b', 'join'),
        edge.next('join', 'end'),
      ],
    });
    const sim = new Sim(def);
    sim.start();
    // when
    sim.complete('a', 'stop');
    // then
    expect(sim.state).toMatchObject({
      status: 'closed',
      outcome: 'declined',
      tokens: [],
      tasks: [],
    });
  });
});

describe('multi-instance task (合力办)', () => {
  const def = makeFlow({
    nodes: [
      node.start(),
      node.of('joint', 'multiTask', {
        assignee: { role: 'handler', department: { var: 'dept' } },
        over: 'departments',
        itemVar: 'dept',
        collect: 'answers',
        deadline: { duration: 'P5D' },
      }),
      node.end(),
    ],
    edges: [edge.next('start', 'joint'), edge.action('joint', 'end', 'answer')],
  });

  it('opens one task per department, each with its own department and deadline', () => {
    // given
    const sim = new Sim(def);
    // when
    sim.start({ departments: ['police', 'housing', 'water'] });
    // then
    const tasks = sim.tasks('joint');
    expect(tasks.map((t) => t.candidates.department)).toEqual(['police', 'housing', 'water']);
    expect(tasks.map((t) => t.item?.index)).toEqual([0, 1, 2]);
    // Received Monday 3 March 2025, 09:00 Beijing time: 5 days are 4–8 March, due at 24:00 of the 8th.
    expect(tasks.every((t) => t.due === '2025-03-08T15:59:59.999Z')).toBe(true);
  });

  it('moves on only when every department has answered, collecting each answer', () => {
    // given
    const sim = new Sim(def);
    sim.start({ departments: ['police', 'housing'] });
    const [police, housing] = sim.tasks('joint');
    // when
    sim.do({
      type: 'task.complete',
      taskId: housing!.id,
      action: 'answer',
      data: { answer: '住建意见' },
      actor: { ...handler, department: 'housing' },
    });
    // then
    expect(sim.state.status).toBe('active');
    expect(sim.state.data.answers).toEqual([{ answer: '住建意见' }]);
    // when
    sim.do({
      type: 'task.complete',
      taskId: police!.id,
      action: 'answer',
      data: { answer: '公安意见' },
      actor: { ...handler, department: 'police' },
    });
    // then
    expect(sim.state.data.answers).toEqual([{ answer: '住建意见' }, { answer: '公安意见' }]);
    expect(sim.state.outcome).toBe('resolved');
  });

  it('refuses a handler from another department', () => {
    // given
    const sim = new Sim(def);
    sim.start({ departments: ['police'] });
    // when
    const rejection = sim.rejects({
      type: 'task.complete',
      taskId: sim.task('joint').id,
      action: 'answer',
      actor: { ...handler, department: 'housing' },
    });
    // then
    expect(rejection.code).toBe('actor.notAllowed');
  });

  it('passes straight through when the list is empty', () => {
    // given
    const sim = new Sim(def);
    // when
    sim.start({ departments: [] });
    // then
    expect(sim.state.outcome).toBe('resolved');
  });
});

describe('timer node', () => {
  const def = makeFlow({
    nodes: [
      node.start(),
      node.of('wait', 'timer', { wait: { duration: 'P3D' } }),
      node.task('visit'),
      node.end(),
    ],
    edges: [edge.next('start', 'wait'), edge.next('wait', 'visit'), edge.action('visit', 'end')],
  });

  it('waits the duration, then moves on when the timer fires', () => {
    // given
    const sim = new Sim(def);
    sim.start();
    const [timer] = sim.state.timers;
    // then
    // A wait in days counts like a period: 4, 5 and 6 March, to the end of the 6th (Beijing time).
    expect(timer?.due).toBe('2025-03-06T15:59:59.999Z');
    expect(sim.lastEffects).toContainEqual({
      type: 'timer.set',
      timerId: timer!.id,
      due: timer!.due,
    });
    // when
    const early = sim.rejects({ type: 'timer.fire', timerId: timer!.id });
    // then
    expect(early.code).toBe('timer.notDue');
    // when
    sim.advanceTo('2025-03-07T00:00:00.000Z');
    // then
    expect(sim.activeNodes()).toEqual(['visit']);
  });
});

describe('automatic action node', () => {
  const def = makeFlow({
    nodes: [
      node.start(),
      node.of('auto', 'action', {
        operations: [
          { op: 'set', var: 'flagged', value: { '>': [{ var: 'score' }, 50] } },
          { op: 'setUrgency', value: { if: [{ var: 'flagged' }, 'red', 'green'] } },
          { op: 'notify', to: 'petitioner', message: { 'zh-CN': '已受理', en: 'Accepted' } },
          { op: 'escalate', level: 'city' },
        ],
      }),
      node.task('handle'),
      node.end(),
    ],
    edges: [edge.next('start', 'auto'), edge.next('auto', 'handle'), edge.action('handle', 'end')],
  });

  it('sets data, urgency, notifies and escalates without anyone pressing a button', () => {
    // given
    const sim = new Sim(def);
    // when
    sim.start({ score: 70 });
    // then
    expect(sim.state.data.flagged).toBe(true);
    expect(sim.state.urgency).toBe('red');
    expect(sim.state.jurisdiction).toBe('440700');
    expect(sim.state.escalatedTo).toBe('city');
    expect(sim.task('handle').candidates.jurisdiction).toBe('440700');
    expect(sim.lastEffects).toContainEqual({
      type: 'notify',
      to: { kind: 'petitioner' },
      message: { 'zh-CN': '已受理', en: 'Accepted' },
    });
  });
});

describe('subflow', () => {
  const def = makeFlow({
    nodes: [
      node.start(),
      node.of('confirm', 'subflow', {
        flow: { key: 'judicial-confirmation', version: 2 },
        input: { text: { var: 'summary' } },
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

  it('starts a child case and waits for it', () => {
    // given
    const sim = new Sim(def);
    // when
    sim.start({ summary: '邻里纠纷' });
    // then
    const [child] = sim.state.children;
    expect(sim.lastEffects).toContainEqual({
      type: 'child.start',
      childId: child!.id,
      flow: { key: 'judicial-confirmation', version: 2 },
      input: { text: '邻里纠纷' },
    });
    expect(sim.activeNodes()).toEqual(['confirm']);
  });

  it('resumes the parent and records the outcome when the child finishes', () => {
    // given
    const sim = new Sim(def);
    sim.start({ summary: '邻里纠纷' });
    const [child] = sim.state.children;
    // when
    sim.do({ type: 'child.complete', childId: child!.id, outcome: 'resolved' });
    // then
    expect(sim.state.data.mediation).toBe('resolved');
    expect(sim.activeNodes()).toEqual(['close']);
  });

  it('rejects an unknown child case', () => {
    // given
    const sim = new Sim(def);
    sim.start();
    // when
    const rejection = sim.rejects({ type: 'child.complete', childId: 'nope', outcome: 'resolved' });
    // then
    expect(rejection.code).toBe('child.notFound');
  });
});

describe('task deadlines', () => {
  const escalating = makeFlow({
    nodes: [
      node.start(),
      node.task('handle', { deadline: { duration: 'P10D', warningBefore: 'P2D' } }),
      node.task('leaderReview', { assignee: { role: 'leader' } }),
      node.end(),
    ],
    edges: [
      edge.next('start', 'handle'),
      edge.action('handle', 'end'),
      edge.deadline('handle', 'leaderReview', 'overdue'),
      edge.action('leaderReview', 'end'),
    ],
  });

  it('escalates to a leader along the overdue edge when the task runs late', () => {
    // given
    const sim = new Sim(escalating);
    sim.start();
    const handle = sim.task('handle');
    // when
    const warned = sim.advanceTo('2025-03-12T00:00:00.000Z');
    // then: the warning has no edge, so it only marks and notifies
    expect(types(warned)).toEqual(['timer.fired', 'task.dueSoon']);
    expect(sim.task('handle').dueState).toBe('dueSoon');
    // when
    const overdue = sim.advanceTo('2025-03-14T00:00:00.000Z');
    // then
    expect(overdue).toContainEqual(
      expect.objectContaining({ type: 'task.cancelled', taskId: handle.id, reason: 'deadline' }),
    );
    expect(sim.activeNodes()).toEqual(['leaderReview']);
    sim.complete('leaderReview', 'done', {}, leader);
    expect(sim.state.status).toBe('closed');
  });

  it('marks a task overdue and notifies when there is no deadline edge', () => {
    // given
    const def = makeFlow({
      nodes: [node.start(), node.task('handle', { deadline: { duration: 'PT4H' } }), node.end()],
      edges: [edge.next('start', 'handle'), edge.action('handle', 'end')],
    });
    const sim = new Sim(def);
    sim.start();
    // when
    sim.advanceTo('2025-03-03T06:00:00.000Z');
    // then
    expect(sim.task('handle').dueState).toBe('overdue');
    expect(sim.state.late).toBe(true);
    expect(types(sim.lastEvents)).toEqual(['timer.fired', 'task.overdue']);
    expect(sim.lastEffects).toContainEqual(
      expect.objectContaining({ type: 'notify', taskId: sim.task('handle').id }),
    );
  });

  it('gives red cases a shorter deadline than green ones', () => {
    // given
    const def = makeFlow({
      nodes: [
        node.start(),
        node.task('handle', { deadline: { duration: 'P15D', byUrgency: { red: 'P3D' } } }),
        node.end(),
      ],
      edges: [edge.next('start', 'handle'), edge.action('handle', 'end')],
    });
    const red = new Sim(def);
    const green = new Sim(def);
    // when
    red.start({}, { urgency: 'red' });
    green.start({}, { urgency: 'green' });
    // then
    // From Monday 3 March 2025: red 4–6 March, green 4–18 March, each to 24:00 Beijing time.
    expect(red.task('handle').due).toBe('2025-03-06T15:59:59.999Z');
    expect(green.task('handle').due).toBe('2025-03-18T15:59:59.999Z');
  });

  it('counts a byUrgency entry in its own calendar, warning included', () => {
    // given red: 1 working day, the others 15 natural days, warned 1 day ahead
    const def = makeFlow({
      nodes: [
        node.start(),
        node.task('handle', {
          deadline: {
            duration: 'P15D',
            warningBefore: 'P1D',
            byUrgency: { red: { duration: 'P1D', calendar: 'workingDays' } },
          },
        }),
        node.end(),
      ],
      edges: [edge.next('start', 'handle'), edge.action('handle', 'end')],
    });
    // when received on Tuesday 30 September 2025, before the National Day holiday (1–8 October)
    const red = new Sim(def, '2025-09-30T02:00:00.000Z');
    red.start({}, { urgency: 'red' });
    const blue = new Sim(def, '2025-09-30T02:00:00.000Z');
    blue.start({}, { urgency: 'blue' });
    // then red is due on the first working day after the holiday, warned from its start
    expect(red.task('handle')).toMatchObject({
      due: '2025-10-09T15:59:59.999Z',
      warnAt: '2025-10-08T16:00:00.000Z',
    });
    // and blue counts 15 natural days (1–15 October), not rolled: a task deadline by default
    expect(blue.task('handle')).toMatchObject({
      due: '2025-10-15T15:59:59.999Z',
      warnAt: '2025-10-14T15:59:59.999Z',
    });
  });

  it('rolls a task deadline past a holiday when the flow asks for it', () => {
    const def = makeFlow({
      nodes: [
        node.start(),
        node.task('handle', { deadline: { duration: 'P15D', rollOverHolidays: true } }),
        node.end(),
      ],
      edges: [edge.next('start', 'handle'), edge.action('handle', 'end')],
    });
    // 16 September 2026 + 15 days = 1 October 2026 (National Day): due at the end of 8 October.
    const sim = new Sim(def, '2026-09-16T02:00:00.000Z');
    sim.start();
    expect(sim.task('handle').due).toBe('2026-10-08T15:59:59.999Z');
  });
});

describe('node-kind registry', () => {
  it('handles every node kind', () => {
    expect(Object.keys(semantics).sort()).toEqual(
      [
        'action',
        'decision',
        'end',
        'join',
        'multiTask',
        'parallel',
        'start',
        'subflow',
        'task',
        'timer',
      ].sort(),
    );
  });
});

describe('deadline edge on warning', () => {
  it('moves the case along the warning edge as soon as the task turns due-soon', () => {
    // given
    const def = makeFlow({
      nodes: [
        node.start(),
        node.task('handle', { deadline: { duration: 'P5D', warningBefore: 'P1D' } }),
        node.task('supervise', { assignee: { role: 'leader' } }),
        node.end(),
      ],
      edges: [
        edge.next('start', 'handle'),
        edge.action('handle', 'end'),
        edge.deadline('handle', 'supervise', 'warning'),
        edge.action('supervise', 'end'),
      ],
    });
    const sim = new Sim(def);
    sim.start();
    // when
    // due at the end of 8 March, so due-soon from the end of 7 March (Beijing time)
    sim.advanceTo('2025-03-07T16:00:00.000Z');
    // then
    expect(sim.activeNodes()).toEqual(['supervise']);
    expect(sim.state.timers).toEqual([]);
  });
});

describe('conditions on case variables', () => {
  it('routes red cases differently using $case.urgency', () => {
    // given
    const def = makeFlow({
      nodes: [
        node.start(),
        node.of('d', 'decision'),
        node.end('fast', 'resolved'),
        node.end('slow', 'declined'),
      ],
      edges: [
        edge.next('start', 'd'),
        edge.when('d', 'fast', { '==': [{ var: '$case.urgency' }, 'red'] }),
        edge.otherwise('d', 'slow'),
      ],
    });
    const red = new Sim(def);
    const green = new Sim(def);
    // when
    red.start({}, { urgency: 'red' });
    green.start({}, { urgency: 'green' });
    // then
    expect(red.state.outcome).toBe('resolved');
    expect(green.state.outcome).toBe('declined');
  });
});

describe('candidate groups', () => {
  it('lets only members of the group (e.g. the lawyer pool) claim the task', () => {
    // given
    const def = makeFlow({
      groups: [{ id: 'lawyers', name: { 'zh-CN': '律师库' }, role: 'lawyer' }],
      nodes: [
        node.start(),
        node.task('consult', { assignee: { role: 'lawyer', group: 'lawyers' } }),
        node.end(),
      ],
      edges: [edge.next('start', 'consult'), edge.action('consult', 'end')],
    });
    const sim = new Sim(def);
    sim.start();
    const taskId = sim.task('consult').id;
    const lawyer = { id: 'lu', roles: ['lawyer'], jurisdiction: '440781' };
    // when
    const outsider = sim.rejects({ type: 'task.claim', taskId, actor: lawyer });
    sim.do({ type: 'task.claim', taskId, actor: { ...lawyer, groups: ['lawyers'] } });
    // then
    expect(outsider.code).toBe('actor.notAllowed');
    expect(sim.task('consult').assignee).toBe('lu');
  });
});
