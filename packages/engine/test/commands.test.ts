import { describe, expect, it } from 'vitest';
import { availableActions, caseNotes, fold, initialState, transition } from '../src/index';
import {
  admin,
  COUNTY,
  edge,
  handler,
  leader,
  makeFlow,
  node,
  receptionist,
  Sim,
  types,
} from './helpers';

const forms = [
  {
    id: 'acceptance',
    title: { 'zh-CN': '受理' },
    schema: {
      type: 'object',
      required: ['accepted'],
      properties: { accepted: { type: 'boolean' }, department: { type: 'string', minLength: 2 } },
    },
  },
  {
    id: 'reason',
    title: { 'zh-CN': '理由' },
    schema: { type: 'object', required: ['reply'], properties: { reply: { type: 'string' } } },
  },
];

/** 受理 → 办理 (department from case data) → 回访; handling may be returned or refused. */
const petitionParts = {
  forms,
  clocks: [
    {
      id: 'handling',
      name: { 'zh-CN': '办理期限', en: 'Handling deadline' },
      start: { on: 'leave', node: 'review' },
      stop: { on: 'enter', node: 'end' },
      deadline: { duration: 'P60D' },
      extension: { max: 'P30D', times: 1 },
    },
  ],
  nodes: [
    node.start(),
    node.task('review', { assignee: { role: 'receptionist' }, form: 'acceptance' }),
    node.task('handle', {
      assignee: { role: 'handler', department: { var: 'department' } },
      returnTo: ['review'],
      refusal: { backTo: 'review' },
    }),
    node.task('visit', { assignee: { role: 'receptionist', prefer: 'firstHandler' } }),
    node.end(),
    node.end('declined', 'declined'),
  ],
  edges: [
    edge.next('start', 'review'),
    edge.action('review', 'handle', 'accept'),
    edge.action('review', 'declined', 'decline', { form: 'reason', roles: ['receptionist'] }),
    edge.action('handle', 'visit', 'reply'),
    edge.action('visit', 'end'),
  ],
} satisfies Parameters<typeof makeFlow>[0];
const petition = makeFlow(petitionParts);

const police = { ...handler, department: 'police' };

function accepted(): Sim {
  const sim = new Sim(petition);
  sim.start({ summary: '噪音扰民' });
  sim.complete('review', 'accept', { accepted: true, department: 'police' }, receptionist);
  return sim;
}

describe('command guards', () => {
  it('rejects a command made against a stale version of the case', () => {
    // given
    const sim = accepted();
    const seen = sim.state.version - 1;
    // when
    const rejection = sim.rejects({
      type: 'case.comment',
      text: '请尽快',
      actor: leader,
      expectedVersion: seen,
    });
    // then
    expect(rejection.code).toBe('state.stale');
    expect(rejection.message['zh-CN']).toContain('刷新');
    expect(rejection.message.en).toContain('reload');
  });

  it('accepts a command made against the current version', () => {
    const sim = accepted();
    sim.do({
      type: 'case.comment',
      text: '请尽快',
      actor: leader,
      expectedVersion: sim.state.version,
    });
    expect(caseNotes(sim.events).comments).toEqual([
      expect.objectContaining({ by: 'zhao', text: '请尽快' }),
    ]);
  });

  it('refuses a user without the task role', () => {
    const sim = new Sim(petition);
    sim.start();
    const rejection = sim.rejects({
      type: 'task.complete',
      taskId: sim.task('review').id,
      action: 'accept',
      data: { accepted: true },
      actor: handler,
    });
    expect(rejection.code).toBe('actor.notAllowed');
  });

  it('refuses a user from another county', () => {
    const sim = new Sim(petition);
    sim.start();
    const rejection = sim.rejects({
      type: 'task.complete',
      taskId: sim.task('review').id,
      action: 'accept',
      data: { accepted: true },
      actor: { ...receptionist, jurisdiction: '440703' },
    });
    expect(rejection.code).toBe('actor.notAllowed');
  });

  it('points at the bad fields when form data is invalid', () => {
    const sim = new Sim(petition);
    sim.start();
    const rejection = sim.rejects({
      type: 'task.complete',
      taskId: sim.task('review').id,
      action: 'accept',
      data: { department: 'x' },
      actor: receptionist,
    });
    expect(rejection.code).toBe('form.invalid');
    expect(rejection.errors?.map((e) => e.pointer).sort()).toEqual(['/accepted', '/department']);
    expect(rejection.errors?.[0]?.message['zh-CN']).toBeTruthy();
  });

  it('validates the small form of the pressed button too', () => {
    const sim = new Sim(petition);
    sim.start();
    const rejection = sim.rejects({
      type: 'task.complete',
      taskId: sim.task('review').id,
      action: 'decline',
      data: { accepted: false },
      actor: receptionist,
    });
    expect(rejection.errors?.map((e) => e.pointer)).toEqual(['/reply']);
  });

  it('rejects an action the task does not have', () => {
    const sim = new Sim(petition);
    sim.start();
    const rejection = sim.rejects({
      type: 'task.complete',
      taskId: sim.task('review').id,
      action: 'approve',
      actor: receptionist,
    });
    expect(rejection).toMatchObject({ code: 'action.unknown' });
    expect(rejection.message.en).toContain('accept, decline');
  });

  it('rejects a button limited to other roles', () => {
    const def = makeFlow({
      nodes: [node.start(), node.task('t'), node.end()],
      edges: [edge.next('start', 't'), edge.action('t', 'end', 'sign', { roles: ['leader'] })],
    });
    const sim = new Sim(def);
    sim.start();
    expect(
      sim.rejects({
        type: 'task.complete',
        taskId: sim.task('t').id,
        action: 'sign',
        actor: handler,
      }).code,
    ).toBe('actor.notAllowed');
  });

  it('rejects work on a task that does not exist', () => {
    const sim = accepted();
    expect(sim.rejects({ type: 'task.claim', taskId: 'ghost', actor: police }).code).toBe(
      'task.notFound',
    );
  });

  it('rejects commands on a closed case', () => {
    const sim = new Sim(petition);
    sim.start();
    sim.do({ type: 'case.withdraw', reason: '信访人撤回', actor: receptionist });
    expect(sim.rejects({ type: 'case.comment', text: 'x', actor: leader }).code).toBe(
      'case.closed',
    );
  });

  it('rejects commands before the case is started and a second start', () => {
    const r = transition(
      petition,
      initialState(),
      { type: 'case.comment', text: 'x', actor: leader },
      {
        now: '2025-01-01T00:00:00Z',
        newId: () => 'x',
      },
    );
    expect(r.ok ? undefined : r.rejection.code).toBe('case.notStarted');
    const sim = new Sim(petition);
    sim.start();
    expect(sim.rejects({ type: 'case.start', channel: 'visit', actor: receptionist }).code).toBe(
      'case.alreadyStarted',
    );
  });

  it('checks online submissions against the public intake form, staff registrations against the register form', () => {
    const def = makeFlow({
      forms: [
        {
          id: 'register',
          title: { 'zh-CN': '登记' },
          schema: {
            type: 'object',
            required: ['summary', 'department'],
            properties: { summary: { type: 'string' }, department: { type: 'string' } },
          },
        },
        {
          id: 'intake',
          title: { 'zh-CN': '网上提交' },
          schema: {
            type: 'object',
            required: ['summary'],
            properties: { summary: { type: 'string' } },
          },
        },
      ],
      nodes: [
        node.start('start', { form: 'register', intakeForm: 'intake' } as never),
        node.task('t'),
        node.end(),
      ],
      edges: [edge.next('start', 't'), edge.action('t', 'end')],
    });
    const online = new Sim(def);
    online.do({ type: 'case.start', channel: 'online', data: { summary: '网上反映噪音' } });
    expect(online.state.status).toBe('active');
    const visit = new Sim(def);
    const rejection = visit.rejects({
      type: 'case.start',
      channel: 'visit',
      data: { summary: '来访' },
      actor: receptionist,
    });
    expect(rejection.errors?.map((e) => e.pointer)).toEqual(['/department']);
  });

  it('refuses a channel the start node does not take', () => {
    const sim = new Sim(petition);
    expect(sim.rejects({ type: 'case.start', channel: 'grid', actor: receptionist }).code).toBe(
      'channel.notAllowed',
    );
  });

  it('rejects a state produced by another flow version', () => {
    const sim = accepted();
    const other = { ...petition, version: 2 };
    const r = transition(
      other,
      sim.state,
      { type: 'case.comment', text: 'x', actor: leader },
      sim.env(),
    );
    expect(r.ok ? undefined : r.rejection.code).toBe('definition.mismatch');
  });
});

describe('assignment', () => {
  it('routes the task to the department named in the case data', () => {
    const sim = accepted();
    expect(sim.task('handle').candidates).toEqual({
      role: 'handler',
      jurisdiction: COUNTY,
      department: 'police',
    });
  });

  it('lets a candidate claim a task, and only the claimant complete it', () => {
    // given
    const sim = accepted();
    const taskId = sim.task('handle').id;
    // when
    sim.do({ type: 'task.claim', taskId, actor: police });
    // then
    expect(sim.task('handle').assignee).toBe('wang');
    const colleague = { ...police, id: 'chen' };
    expect(sim.rejects({ type: 'task.claim', taskId, actor: colleague }).code).toBe(
      'task.alreadyClaimed',
    );
    expect(
      sim.rejects({ type: 'task.complete', taskId, action: 'reply', actor: colleague }).code,
    ).toBe('actor.notAllowed');
  });

  it('only lets candidates claim', () => {
    const sim = accepted();
    const taskId = sim.task('handle').id;
    expect(sim.rejects({ type: 'task.claim', taskId, actor: handler }).code).toBe(
      'actor.notAllowed',
    );
  });

  it('gives a released task back to the candidate pool', () => {
    const sim = accepted();
    const taskId = sim.task('handle').id;
    sim.do({ type: 'task.claim', taskId, actor: police });
    sim.do({ type: 'task.release', taskId, actor: police });
    expect(sim.task('handle').assignee).toBeUndefined();
    expect(sim.rejects({ type: 'task.release', taskId, actor: police }).code).toBe(
      'task.notClaimed',
    );
  });

  it('lets a leader reassign, but not a colleague', () => {
    const sim = accepted();
    const taskId = sim.task('handle').id;
    sim.do({ type: 'task.claim', taskId, actor: police });
    expect(
      sim.rejects({ type: 'task.reassign', taskId, to: 'chen', actor: { ...police, id: 'liu' } })
        .code,
    ).toBe('actor.notAllowed');
    sim.do({ type: 'task.reassign', taskId, to: 'chen', actor: leader });
    expect(sim.task('handle').assignee).toBe('chen');
  });

  it('records who delegated a task', () => {
    const sim = accepted();
    const taskId = sim.task('handle').id;
    sim.do({ type: 'task.claim', taskId, actor: police });
    sim.do({ type: 'task.delegate', taskId, to: 'chen', actor: police });
    expect(sim.task('handle')).toMatchObject({ assignee: 'chen', delegatedBy: 'wang' });
    expect(sim.lastEffects).toContainEqual({ type: 'task.update', task: sim.task('handle') });
  });

  it('pre-assigns the return visit to the first handler (首办责任制)', () => {
    const sim = accepted();
    expect(sim.state.firstHandler).toBe('li');
    sim.complete('handle', 'reply', {}, police);
    expect(sim.task('visit').assignee).toBe('li');
    expect(sim.task('visit').candidates.preferredUser).toBe('li');
  });

  it('gives the owning leader tasks that prefer them (包案)', () => {
    const def = makeFlow({
      nodes: [
        node.start(),
        node.task('first'),
        node.task('talk', { assignee: { role: 'leader', prefer: 'leaderOwner', level: 'city' } }),
        node.end(),
      ],
      edges: [
        edge.next('start', 'first'),
        edge.action('first', 'talk'),
        edge.action('talk', 'end'),
      ],
    });
    const sim = new Sim(def);
    sim.start();
    sim.do({ type: 'case.setLeader', userId: 'secretary-zhou', actor: leader });
    sim.complete('first');
    expect(sim.state.leaderOwner).toBe('secretary-zhou');
    expect(sim.task('talk')).toMatchObject({
      assignee: 'secretary-zhou',
      candidates: { role: 'leader', jurisdiction: '440700' },
    });
    expect(sim.rejects({ type: 'case.setLeader', userId: 'x', actor: handler }).code).toBe(
      'actor.notAllowed',
    );
  });
});

describe('return (退回) and refusal (拒签)', () => {
  it('returns a task to an earlier step with a reason', () => {
    // given
    const sim = accepted();
    // when
    const events = sim.do({
      type: 'task.return',
      taskId: sim.task('handle').id,
      to: 'review',
      reason: '材料不全',
      actor: police,
    });
    // then
    expect(events[0]).toMatchObject({ type: 'task.returned', to: 'review', reason: '材料不全' });
    expect(sim.activeNodes()).toEqual(['review']);
  });

  it('refuses a return to a step not listed in returnTo', () => {
    const sim = accepted();
    const rejection = sim.rejects({
      type: 'task.return',
      taskId: sim.task('handle').id,
      to: 'start',
      reason: 'x',
      actor: police,
    });
    expect(rejection.code).toBe('return.notAllowed');
  });

  it('names the steps and the clock in its refusals, not their ids', () => {
    const named = makeFlow({
      ...petitionParts,
      nodes: petitionParts.nodes.map((n) =>
        n.id === 'handle'
          ? { ...n, name: { 'zh-CN': '办理答复', en: 'Handle and reply' } }
          : n.id === 'start'
            ? { ...n, name: { 'zh-CN': '来访登记', en: 'Registration' } }
            : n,
      ),
    });
    const sim = new Sim(named);
    sim.start({ summary: '噪音扰民' });
    sim.complete('review', 'accept', { accepted: true, department: 'police' }, receptionist);
    const back = sim.rejects({
      type: 'task.return',
      taskId: sim.task('handle').id,
      to: 'start',
      reason: 'x',
      actor: police,
    });
    expect(back.message['zh-CN']).toContain('任务 “办理答复” 不能退回到 “来访登记”');
    expect(back.message.en).toContain(
      'task "Handle and reply" cannot be returned to "Registration"',
    );
    const action = sim.rejects({
      type: 'task.complete',
      taskId: sim.task('handle').id,
      action: 'nope',
      data: {},
      actor: police,
    });
    expect(action.code).toBe('action.unknown');
    expect(action.message['zh-CN']).toContain('任务 “办理答复” 没有操作 “nope”（可用：reply）');
  });

  it('refuses a return to a step that does not come before the task', () => {
    const def = makeFlow({
      nodes: [
        node.start(),
        node.task('first', { returnTo: ['second'] }),
        node.task('second'),
        node.end(),
      ],
      edges: [
        edge.next('start', 'first'),
        edge.action('first', 'second'),
        edge.action('second', 'end'),
      ],
    });
    const sim = new Sim(def);
    sim.start();
    const rejection = sim.rejects({
      type: 'task.return',
      taskId: sim.task('first').id,
      to: 'second',
      reason: '往后退',
      actor: handler,
    });
    expect(rejection.code).toBe('return.notEarlier');
  });

  it('sends a refused dispatch back to the node in refusal.backTo (拒签)', () => {
    const sim = accepted();
    const events = sim.do({
      type: 'task.refuse',
      taskId: sim.task('handle').id,
      reason: '不属本部门职责',
      actor: police,
    });
    expect(events[0]).toMatchObject({
      type: 'task.refused',
      backTo: 'review',
      reason: '不属本部门职责',
    });
    expect(sim.activeNodes()).toEqual(['review']);
    expect(
      sim.rejects({
        type: 'task.refuse',
        taskId: sim.task('review').id,
        reason: 'x',
        actor: receptionist,
      }).code,
    ).toBe('refusal.notAllowed');
  });

  it('requires a reason', () => {
    const sim = accepted();
    expect(
      sim.rejects({
        type: 'task.refuse',
        taskId: sim.task('handle').id,
        reason: ' ',
        actor: police,
      }).code,
    ).toBe('text.empty');
  });

  it('returns out of one branch of a parallel split and restarts every branch', () => {
    // given
    const def = makeFlow({
      nodes: [
        node.start(),
        node.task('assign'),
        node.of('split', 'parallel'),
        node.task('a', { returnTo: ['assign', 'a0'] }),
        node.task('a0'),
        node.task('b'),
        node.of('join', 'join'),
        node.end(),
      ],
      edges: [
        edge.next('start', 'assign'),
        edge.action('assign', 'split'),
        edge.next('split', 'a0'),
        edge.next('split', 'b'),
        edge.action('a0', 'a'),
        edge.action('a', 'join'),
        edge.action('b', 'join'),
        edge.next('join', 'end'),
      ],
    });
    const sim = new Sim(def);
    sim.start();
    sim.complete('assign');
    sim.complete('a0');
    // when
    sim.do({
      type: 'task.return',
      taskId: sim.task('a').id,
      to: 'assign',
      reason: '重新交办',
      actor: handler,
    });
    // then
    expect(sim.activeNodes()).toEqual(['assign']);
    expect(sim.tasks().map((t) => t.node)).toEqual(['assign']);
    // and the branches run again from the start
    sim.complete('assign');
    expect(sim.activeNodes()).toEqual(['a0', 'b']);
  });

  it('returns from after the join into one branch, and only that branch works again', () => {
    // given
    const def = makeFlow({
      nodes: [
        node.start(),
        node.of('split', 'parallel'),
        node.task('police'),
        node.task('housing'),
        node.of('join', 'join'),
        node.task('reply', { returnTo: ['police'] }),
        node.end(),
      ],
      edges: [
        edge.next('start', 'split'),
        edge.next('split', 'police'),
        edge.next('split', 'housing'),
        edge.action('police', 'join'),
        edge.action('housing', 'join'),
        edge.next('join', 'reply'),
        edge.action('reply', 'end'),
      ],
    });
    const sim = new Sim(def);
    sim.start();
    sim.complete('police');
    sim.complete('housing');
    // when
    sim.do({
      type: 'task.return',
      taskId: sim.task('reply').id,
      to: 'police',
      reason: '公安意见不明确',
      actor: handler,
    });
    // then
    expect(sim.activeNodes()).toEqual(['police']);
    // when
    sim.complete('police');
    // then
    expect(sim.activeNodes()).toEqual(['reply']);
  });

  it('returns within a branch without touching the other branch', () => {
    const def = makeFlow({
      nodes: [
        node.start(),
        node.of('split', 'parallel'),
        node.task('a0'),
        node.task('a', { returnTo: ['a0'] }),
        node.task('b'),
        node.of('join', 'join'),
        node.end(),
      ],
      edges: [
        edge.next('start', 'split'),
        edge.next('split', 'a0'),
        edge.next('split', 'b'),
        edge.action('a0', 'a'),
        edge.action('a', 'join'),
        edge.action('b', 'join'),
        edge.next('join', 'end'),
      ],
    });
    const sim = new Sim(def);
    sim.start();
    sim.complete('b');
    sim.complete('a0');
    sim.do({
      type: 'task.return',
      taskId: sim.task('a').id,
      to: 'a0',
      reason: '补充材料',
      actor: handler,
    });
    expect(sim.activeNodes()).toEqual(['a0']);
    expect(sim.state.joins).toEqual({ join: ['a_b_done'] });
    sim.complete('a0');
    sim.complete('a');
    expect(sim.state.status).toBe('closed');
  });
});

describe('case-level commands', () => {
  it('adds comments and attachment references', () => {
    const sim = accepted();
    sim.do({ type: 'case.attach', ref: 'uploads/abc.pdf', name: '现场照片', actor: police });
    expect(caseNotes(sim.events).attachments).toEqual([
      expect.objectContaining({ by: 'wang', ref: 'uploads/abc.pdf', name: '现场照片' }),
    ]);
    // The lists stay out of the state: a transition's cost does not grow with them.
    expect(sim.state).not.toHaveProperty('comments');
    expect(sim.state).not.toHaveProperty('attachments');
    expect(sim.rejects({ type: 'case.comment', text: '', actor: police }).code).toBe('text.empty');
  });

  it('lets leaders and admins set the colour by default, and workers where the flow says so', () => {
    const sim = accepted();
    expect(sim.rejects({ type: 'case.setUrgency', urgency: 'red', actor: police }).code).toBe(
      'actor.notAllowed',
    );
    sim.do({ type: 'case.setUrgency', urgency: 'yellow', actor: leader });
    expect(sim.state.urgency).toBe('yellow');
    const triage = new Sim(
      makeFlow({ ...petitionParts, caseCommands: { 'case.setUrgency': { workers: true } } }),
    );
    triage.start({ summary: '噪音扰民' });
    triage.complete('review', 'accept', { accepted: true, department: 'police' }, receptionist);
    triage.do({ type: 'case.setUrgency', urgency: 'yellow', actor: police });
    expect(triage.state.urgency).toBe('yellow');
    expect(
      triage.rejects({
        type: 'case.setUrgency',
        urgency: 'red',
        actor: { ...police, id: 'x', department: 'tax' },
      }).code,
    ).toBe('actor.notAllowed');
    // The flow's rule replaces the default: a leader is no longer named.
    expect(triage.rejects({ type: 'case.setUrgency', urgency: 'red', actor: leader }).code).toBe(
      'actor.notAllowed',
    );
  });

  it('refuses a withdrawal from a housing handler, a lawyer and a city supervisor, and changes nothing', () => {
    const sim = accepted();
    const housing = {
      id: 'housing-1',
      roles: ['handler'],
      jurisdiction: COUNTY,
      department: 'housing',
    };
    const lawyer = { id: 'lawyer-1', roles: ['lawyer'], jurisdiction: COUNTY };
    const citySupervisor = { id: 'city-1', roles: ['supervisor'], jurisdiction: '440700' };
    const before = sim.state;
    for (const actor of [housing, police, lawyer, citySupervisor]) {
      const rejection = sim.rejects({ type: 'case.withdraw', reason: '信访人撤回', actor });
      expect(rejection.code).toBe('actor.notAllowed');
      expect(rejection.message['zh-CN']).toContain('登记机关的接访员');
      expect(rejection.message.en).toContain('of the registering office');
      expect(availableActions(petition, sim.state, actor).case).not.toContain('case.withdraw');
    }
    expect(sim.state).toBe(before);
    // A receptionist of another office, or one whose receptionist role is held only upstairs.
    const elsewhere = { ...receptionist, id: 'kaiping', jurisdiction: '440783' };
    const upstairs = {
      id: 'mixed',
      roles: ['handler', 'receptionist'],
      officeRoles: ['handler'],
      jurisdiction: COUNTY,
    };
    for (const actor of [elsewhere, upstairs])
      expect(sim.rejects({ type: 'case.withdraw', reason: '信访人撤回', actor }).code).toBe(
        'actor.notAllowed',
      );
    expect(availableActions(petition, sim.state, receptionist).case).toContain('case.withdraw');
    expect(availableActions(petition, sim.state, admin).case).toContain('case.withdraw');
  });

  it('honours a flow that lets the workers withdraw and not the receptionist', () => {
    const def = makeFlow({
      ...petitionParts,
      caseCommands: { 'case.withdraw': { workers: true } },
    });
    const sim = new Sim(def);
    sim.start({ summary: '噪音扰民' });
    sim.complete('review', 'accept', { accepted: true, department: 'police' }, receptionist);
    expect(sim.rejects({ type: 'case.withdraw', reason: '撤回', actor: receptionist }).code).toBe(
      'actor.notAllowed',
    );
    expect(availableActions(def, sim.state, receptionist).case).not.toContain('case.withdraw');
    expect(availableActions(def, sim.state, police).case).toContain('case.withdraw');
    sim.do({ type: 'case.withdraw', reason: '信访人撤回', actor: police });
    expect(sim.state).toMatchObject({ status: 'closed', outcome: 'withdrawn' });
  });

  it('closes a withdrawn case and cancels its open work', () => {
    const sim = accepted();
    const taskId = sim.task('handle').id;
    const events = sim.do({ type: 'case.withdraw', reason: '信访人撤回', actor: receptionist });
    expect(sim.state).toMatchObject({
      status: 'closed',
      outcome: 'withdrawn',
      tasks: [],
      timers: [],
    });
    expect(types(events)).toContain('task.cancelled');
    expect(sim.lastEffects).toContainEqual({ type: 'task.close', taskId, reason: 'ended' });
  });

  it('lets the registering receptionist or an admin cancel a case, not a leader', () => {
    const sim = accepted();
    expect(sim.rejects({ type: 'case.cancel', reason: '重复登记', actor: leader }).code).toBe(
      'actor.notAllowed',
    );
    expect(availableActions(petition, sim.state, receptionist).case).toContain('case.cancel');
    sim.do({ type: 'case.cancel', reason: '重复登记', actor: admin });
    expect(sim.state).toMatchObject({ status: 'cancelled', cancelReason: '重复登记', tokens: [] });
  });
});

describe('statutory clocks and extensions', () => {
  it('starts the handling clock when acceptance is done', () => {
    const sim = accepted();
    // Accepted Monday 3 March 2025: 60 days end on Friday 2 May, inside the Labour Day holiday
    // (1–5 May 2025), so the statutory clock rolls to the end of Tuesday 6 May.
    expect(sim.state.clocks.handling).toMatchObject({
      status: 'running',
      due: '2025-05-06T15:59:59.999Z',
    });
  });

  it('extends the handling deadline once, by at most 30 days, with a leader approval', () => {
    // given
    const sim = accepted();
    // when
    const tooLong = sim.rejects({
      type: 'deadline.requestExtension',
      clockId: 'handling',
      duration: 'P45D',
      reason: '需要鉴定',
      actor: police,
    });
    sim.do({
      type: 'deadline.requestExtension',
      clockId: 'handling',
      duration: 'P30D',
      reason: '需要鉴定',
      actor: police,
    });
    const [request] = Object.values(sim.state.extensionRequests);
    const byHandler = sim.rejects({
      type: 'deadline.approveExtension',
      requestId: request!.id,
      actor: police,
    });
    sim.do({ type: 'deadline.approveExtension', requestId: request!.id, actor: leader });
    // then
    expect(tooLong.code).toBe('extension.tooLong');
    expect(byHandler.code).toBe('actor.notAllowed');
    // 30 more days after 6 May: 7 May – 5 June 2025 (a Thursday, a working day).
    expect(sim.state.clocks.handling).toMatchObject({
      due: '2025-06-05T15:59:59.999Z',
      extensionsUsed: 1,
    });
    expect(
      sim.rejects({
        type: 'deadline.requestExtension',
        clockId: 'handling',
        duration: 'P5D',
        reason: '再延',
        actor: police,
      }).code,
    ).toBe('extension.exhausted');
  });

  it('lets a leader refuse an extension, leaving the deadline as it was', () => {
    const sim = accepted();
    sim.do({
      type: 'deadline.requestExtension',
      clockId: 'handling',
      duration: 'P10D',
      reason: '需要鉴定',
      actor: police,
    });
    const [request] = Object.values(sim.state.extensionRequests);
    sim.do({
      type: 'deadline.refuseExtension',
      requestId: request!.id,
      reason: '理由不足',
      actor: leader,
    });
    expect(sim.state.extensionRequests).toEqual({});
    expect(sim.state.clocks.handling).toMatchObject({
      due: '2025-05-06T15:59:59.999Z',
      extensionsUsed: 0,
    });
  });

  it('moves the due date by the paused time and records the reason', () => {
    // given
    const sim = accepted();
    // when
    sim
      .at('2025-03-10T01:00:00.000Z')
      .do({ type: 'clock.pause', clockId: 'handling', reason: '质量鉴定', actor: leader });
    // then
    expect(sim.state.clocks.handling).toMatchObject({ status: 'paused', pauseReason: '质量鉴定' });
    expect(sim.state.timers.filter((t) => t.purpose.kind === 'clockOverdue')).toEqual([]);
    // when
    sim
      .at('2025-03-20T01:00:00.000Z')
      .do({ type: 'clock.resume', clockId: 'handling', actor: leader });
    // then
    expect(sim.state.clocks.handling).toMatchObject({
      status: 'running',
      due: '2025-05-16T15:59:59.999Z',
      pausedMs: 10 * 86_400_000,
    });
    expect(sim.rejects({ type: 'clock.resume', clockId: 'handling', actor: leader }).code).toBe(
      'clock.notPaused',
    );
  });

  it('flags the clock overdue when its deadline passes', () => {
    const sim = accepted();
    sim.advanceTo('2025-05-06T15:00:00.000Z');
    expect(sim.state.clocks.handling?.status).toBe('running');
    sim.advanceTo('2025-05-06T16:00:00.000Z');
    expect(sim.state.clocks.handling).toMatchObject({ status: 'overdue', overdue: true });
    expect(sim.lastEffects).toContainEqual(
      expect.objectContaining({ type: 'notify', clockId: 'handling' }),
    );
  });

  it('keeps the case marked late after an extension approved past the missed deadline', () => {
    // given a case whose handling clock ran out
    const sim = accepted();
    expect(sim.state.late).toBeUndefined();
    sim.advanceTo('2025-05-07T00:00:00.000Z');
    // when the extension is approved afterwards
    sim.do({
      type: 'deadline.requestExtension',
      clockId: 'handling',
      duration: 'P30D',
      reason: '补充鉴定',
      actor: police,
    });
    const [request] = Object.values(sim.state.extensionRequests);
    sim.do({ type: 'deadline.approveExtension', requestId: request!.id, actor: leader });
    sim.complete('handle', 'reply', {}, police);
    sim.complete('visit', 'done', {}, receptionist);
    // then the clock runs again and the case still closes late
    expect(sim.state.clocks.handling).toMatchObject({ overdue: false, status: 'stopped' });
    expect(sim.state).toMatchObject({ status: 'closed', late: true });
  });

  it('stops the clock when the case reaches the end', () => {
    const sim = accepted();
    sim.complete('handle', 'reply', {}, police);
    sim.complete('visit', 'done', {}, receptionist);
    expect(sim.state.clocks.handling?.status).toBe('stopped');
    expect(sim.state.timers).toEqual([]);
  });
});

describe('tasks whose deadline follows a statutory clock', () => {
  /** The petition flow with the department's handling task bound to the 办理期限 clock. */
  const bound = makeFlow({
    ...petition,
    clocks: [
      {
        ...petition.clocks[0]!,
        deadline: { ...petition.clocks[0]!.deadline, warningBefore: 'P5D' },
      },
    ],
    nodes: petition.nodes.map((n) =>
      n.id === 'handle' && n.kind === 'task' ? { ...n, deadlineClock: 'handling' } : n,
    ),
  });
  const acceptedBound = () => {
    const sim = new Sim(bound);
    sim.start({ summary: '噪音扰民' });
    sim.complete('review', 'accept', { accepted: true, department: 'police' }, receptionist);
    return sim;
  };
  const extend = (sim: Sim, duration: string) => {
    sim.do({
      type: 'deadline.requestExtension',
      clockId: 'handling',
      duration,
      reason: '需要鉴定',
      actor: police,
    });
    const [request] = Object.values(sim.state.extensionRequests);
    return sim.do({ type: 'deadline.approveExtension', requestId: request!.id, actor: leader });
  };

  it("gives the task the clock's due date and warning", () => {
    const sim = acceptedBound();
    expect(sim.task('handle')).toMatchObject({
      clock: 'handling',
      due: '2025-05-06T15:59:59.999Z',
      warnAt: '2025-05-01T15:59:59.999Z',
    });
  });

  it('moves the task with an approved extension, so it is not overdue or late at the old date', () => {
    // given
    const sim = acceptedBound();
    const taskId = sim.task('handle').id;
    // when
    const events = extend(sim, 'P30D');
    // then the task row is updated in the same transition
    expect(events).toContainEqual(
      expect.objectContaining({
        type: 'task.dueChanged',
        taskId,
        due: '2025-06-05T15:59:59.999Z',
        dueState: 'onTime',
      }),
    );
    expect(sim.lastEffects).toContainEqual({
      type: 'task.update',
      task: expect.objectContaining({ id: taskId, due: '2025-06-05T15:59:59.999Z' }),
    });
    // when the old due date passes
    sim.advanceTo('2025-05-10T00:00:00.000Z');
    // then
    expect(sim.task('handle').dueState).toBe('onTime');
    sim.complete('handle', 'reply', {}, police);
    sim.complete('visit', 'done', {}, receptionist);
    expect(sim.state.status).toBe('closed');
    expect(sim.state.late).toBeUndefined();
  });

  it('puts a due-soon task back on time when the extension moves its warning past now', () => {
    const sim = acceptedBound();
    sim.advanceTo('2025-05-02T00:00:00.000Z');
    expect(sim.task('handle').dueState).toBe('dueSoon');
    extend(sim, 'P30D');
    expect(sim.task('handle')).toMatchObject({
      dueState: 'onTime',
      warnAt: '2025-05-31T15:59:59.999Z',
    });
  });

  it("stops the task's timers while the clock is paused and moves it on resume", () => {
    // given
    const sim = acceptedBound();
    const taskId = sim.task('handle').id;
    // when
    sim
      .at('2025-03-10T01:00:00.000Z')
      .do({ type: 'clock.pause', clockId: 'handling', reason: '质量鉴定', actor: leader });
    // then
    expect(
      sim.state.timers.filter((t) => 'taskId' in t.purpose && t.purpose.taskId === taskId),
    ).toEqual([]);
    // when
    sim
      .at('2025-03-20T01:00:00.000Z')
      .do({ type: 'clock.resume', clockId: 'handling', actor: leader });
    // then
    expect(sim.task('handle').due).toBe('2025-05-16T15:59:59.999Z');
    expect(
      sim.state.timers
        .filter((t) => 'taskId' in t.purpose && t.purpose.taskId === taskId)
        .map((t) => t.due),
    ).toEqual(['2025-05-11T15:59:59.999Z', '2025-05-16T15:59:59.999Z']);
    // and replaying the events gives the same state
    expect(fold(sim.events)).toEqual(sim.state);
  });
});

describe('extension limits (信访工作条例: once, at most 30 days)', () => {
  it('allows one extension even when a stored definition lacks the schema defaults', () => {
    // given a flow stored before the defaults were filled in: no `times`
    const stored = {
      ...petition,
      clocks: [{ ...petition.clocks[0]!, extension: { max: 'P30D' } }],
    } as typeof petition;
    const sim = new Sim(stored);
    sim.start({ summary: '噪音扰民' });
    sim.complete('review', 'accept', { accepted: true, department: 'police' }, receptionist);
    const ask = (duration: string) =>
      sim.try({
        type: 'deadline.requestExtension',
        clockId: 'handling',
        duration,
        reason: '需要鉴定',
        actor: police,
      });
    // when
    sim.do({
      type: 'deadline.requestExtension',
      clockId: 'handling',
      duration: 'P20D',
      reason: '需要鉴定',
      actor: police,
    });
    const [request] = Object.values(sim.state.extensionRequests);
    sim.do({ type: 'deadline.approveExtension', requestId: request!.id, actor: leader });
    // then a second one is refused, in both languages
    const second = ask('P5D');
    expect(second.ok).toBe(false);
    if (second.ok) return;
    expect(second.rejection.code).toBe('extension.exhausted');
    expect(second.rejection.message['zh-CN']).toMatch(/[\u4e00-\u9fff]/);
    expect(second.rejection.message.en).toMatch(/already been extended/);
  });

  it('caps an extension at 30 days when the flow gives no maximum', () => {
    const stored = {
      ...petition,
      clocks: [{ ...petition.clocks[0]!, extension: {} }],
    } as typeof petition;
    const sim = new Sim(stored);
    sim.start({ summary: '噪音扰民' });
    sim.complete('review', 'accept', { accepted: true, department: 'police' }, receptionist);
    expect(
      sim.rejects({
        type: 'deadline.requestExtension',
        clockId: 'handling',
        duration: 'P31D',
        reason: '需要鉴定',
        actor: police,
      }).code,
    ).toBe('extension.tooLong');
  });

  it('refuses to approve a request longer than the maximum the flow now allows', () => {
    // given a request for 45 days under a flow that allowed 60
    const generous = {
      ...petition,
      clocks: [{ ...petition.clocks[0]!, extension: { max: 'P60D', times: 1 } }],
    };
    const sim = new Sim(generous);
    sim.start({ summary: '噪音扰民' });
    sim.complete('review', 'accept', { accepted: true, department: 'police' }, receptionist);
    sim.do({
      type: 'deadline.requestExtension',
      clockId: 'handling',
      duration: 'P45D',
      reason: '需要鉴定',
      actor: police,
    });
    const [request] = Object.values(sim.state.extensionRequests);
    // when the flow is corrected to the statutory 30 days before the leader approves
    sim.def = petition;
    const refused = sim.rejects({
      type: 'deadline.approveExtension',
      requestId: request!.id,
      actor: leader,
    });
    // then
    expect(refused.code).toBe('extension.tooLong');
    expect(sim.state.clocks.handling?.extensionsUsed).toBe(0);
  });
});

describe('migration to a newer flow version', () => {
  const v2 = makeFlow({
    ...petition,
    version: 2,
    nodes: [
      node.start(),
      node.task('review', { assignee: { role: 'receptionist' }, form: 'acceptance' }),
      node.task('handle2', { assignee: { role: 'handler', department: { var: 'department' } } }),
      node.task('visit', { assignee: { role: 'receptionist', prefer: 'firstHandler' } }),
      node.end(),
      node.end('declined', 'declined'),
    ],
    edges: [
      edge.next('start', 'review'),
      edge.action('review', 'handle2', 'accept'),
      edge.action('review', 'declined', 'decline', { form: 'reason', roles: ['receptionist'] }),
      edge.action('handle2', 'visit', 'reply'),
      edge.action('visit', 'end'),
    ],
  } as never);

  it('moves a running case onto the new version with a node mapping', () => {
    // given
    const sim = accepted();
    // when
    const r = transition(
      v2,
      sim.state,
      { type: 'case.migrate', mapping: { handle: 'handle2' }, actor: admin },
      sim.env(),
    );
    // then
    if (!r.ok) throw new Error(r.rejection.message.en);
    expect(r.events).toEqual([expect.objectContaining({ type: 'case.migrated', from: 1, to: 2 })]);
    expect(r.state.flow.version).toBe(2);
    expect(r.state.tasks.map((t) => t.node)).toEqual(['handle2']);
    // and the case carries on under v2
    sim.def = v2;
    sim.state = r.state;
    sim.events.push(...r.events);
    sim.complete('handle2', 'reply', {}, police);
    expect(sim.activeNodes()).toEqual(['visit']);
  });

  it('refuses to map a waiting task onto a node of another kind, and refuses non-admins', () => {
    const sim = accepted();
    const r = transition(
      v2,
      sim.state,
      { type: 'case.migrate', mapping: { handle: 'end' }, actor: admin },
      sim.env(),
    );
    expect(r.ok ? undefined : r.rejection.code).toBe('migration.incompatibleNode');
    const byLeader = transition(
      v2,
      sim.state,
      { type: 'case.migrate', mapping: { handle: 'handle2' }, actor: leader },
      sim.env(),
    );
    expect(byLeader.ok ? undefined : byLeader.rejection.code).toBe('actor.notAllowed');
  });

  it('refuses a migration that leaves a node unmapped', () => {
    const sim = accepted();
    const r = transition(v2, sim.state, { type: 'case.migrate', actor: admin }, sim.env());
    expect(r.ok ? undefined : r.rejection.code).toBe('migration.unmappedNode');
    const same = transition(petition, sim.state, { type: 'case.migrate', actor: admin }, sim.env());
    expect(same.ok ? undefined : same.rejection.code).toBe('migration.notNewer');
  });
});

describe('availableActions', () => {
  it('shows each user only the buttons they may press', () => {
    const sim = new Sim(petition);
    sim.start();
    const forReceptionist = availableActions(petition, sim.state, receptionist);
    expect(forReceptionist.tasks).toHaveLength(1);
    expect(forReceptionist.tasks[0]?.actions.map((a) => a.action)).toEqual(['accept', 'decline']);
    expect(forReceptionist.tasks[0]?.commands).toEqual(['task.complete', 'task.claim']);
    expect(availableActions(petition, sim.state, handler).tasks).toEqual([]);
  });

  it('offers return and refusal on a handling task, and supervision to a leader', () => {
    const sim = accepted();
    const mine = availableActions(petition, sim.state, police);
    expect(mine.tasks[0]?.commands).toEqual([
      'task.complete',
      'task.claim',
      'task.return',
      'task.refuse',
    ]);
    expect(mine.tasks[0]?.returnTo).toEqual(['review']);
    expect(mine.case).toContain('deadline.requestExtension');
    const lead = availableActions(petition, sim.state, leader);
    expect(lead.tasks[0]?.commands).toEqual(['task.reassign', 'task.delegate']);
    expect(lead.case).toEqual(
      expect.arrayContaining(['clock.pause', 'case.setLeader', 'case.setUrgency']),
    );
    expect(lead.case).not.toContain('case.cancel');
  });

  it('offers nothing on a closed case', () => {
    const sim = new Sim(petition);
    sim.start();
    sim.do({ type: 'case.withdraw', reason: '撤回', actor: receptionist });
    expect(availableActions(petition, sim.state, admin)).toEqual({ tasks: [], case: [] });
  });
});

describe('clock warnings and robustness', () => {
  it('warns before a statutory deadline and notifies', () => {
    // given
    const def = makeFlow({
      clocks: [
        {
          id: 'acceptance',
          name: { 'zh-CN': '受理期限' },
          start: { on: 'caseStart' },
          stop: { on: 'leave', node: 'review' },
          deadline: { duration: 'P15D', warningBefore: 'P3D' },
        },
      ],
      nodes: [node.start(), node.task('review'), node.end()],
      edges: [edge.next('start', 'review'), edge.action('review', 'end')],
    });
    const sim = new Sim(def);
    sim.start();
    // when
    // due at the end of Tuesday 18 March (4–18 March), so due-soon from the end of the 15th
    sim.advanceTo('2025-03-15T16:00:00.000Z');
    // then
    expect(types(sim.lastEvents)).toEqual(['timer.fired', 'clock.dueSoon']);
    expect(sim.lastEffects).toContainEqual(
      expect.objectContaining({ type: 'notify', clockId: 'acceptance' }),
    );
  });

  it('rejects a clock time that is not an instant', () => {
    const r = transition(
      petition,
      initialState(),
      { type: 'case.start', channel: 'visit', actor: receptionist },
      {
        now: 'yesterday',
        newId: () => 'x',
      },
    );
    expect(r.ok ? undefined : r.rejection.code).toBe('env.invalidTime');
  });

  it('reports a broken, unchecked definition as a rejection instead of throwing', () => {
    const broken = { ...petition, edges: [] };
    const r = transition(
      broken,
      initialState(),
      { type: 'case.start', channel: 'visit', actor: receptionist },
      {
        now: '2025-01-01T00:00:00Z',
        newId: () => 'x',
      },
    );
    expect(r.ok ? undefined : r.rejection.code).toBe('engine.internal');
  });
});
