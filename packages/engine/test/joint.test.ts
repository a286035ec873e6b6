import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type Actor,
  availableActions,
  type CaseState,
  type Event,
  initialState,
  replay,
  type Task,
  transition,
} from '../src/index';
import { COUNTY, deepFreeze, edge, leader, makeFlow, node, receptionist, Sim } from './helpers';

// 合力办 as offices do it: 主办/协办 shares, a refusal that sends back only
// its own share for re-dispatch, and a department's own deadline extended.

const name = (zh: string) => ({ 'zh-CN': zh, en: zh });

const flow = makeFlow({
  forms: [
    {
      formatVersion: 1,
      id: 'dispatch',
      title: name('研判'),
      schema: {
        type: 'object',
        properties: {
          departments: { type: 'array', items: { type: 'string' } },
          lead: { type: 'string' },
          summary: { type: 'string' },
        },
      },
    },
    {
      formatVersion: 1,
      id: 'redispatch',
      title: name('重新分派'),
      schema: {
        type: 'object',
        properties: {
          departments: { type: 'array', items: { type: 'string' }, minItems: 1 },
          lead: { type: 'string' },
        },
        required: ['departments'],
      },
    },
    {
      formatVersion: 1,
      id: 'opinion',
      title: name('协办意见'),
      schema: {
        type: 'object',
        properties: { answer: { type: 'string', minLength: 2 } },
        required: ['answer'],
      },
    },
    {
      formatVersion: 1,
      id: 'merged',
      title: name('合并答复'),
      schema: {
        type: 'object',
        properties: { reply: { type: 'string', minLength: 2 } },
        required: ['reply'],
      },
    },
  ],
  dataSchema: {
    type: 'object',
    properties: {
      summary: { type: 'string' },
      departments: { type: 'array', items: { type: 'string' } },
      lead: { type: 'string' },
      answer: { type: 'string' },
      reply: { type: 'string' },
      answers: { type: 'array', items: { type: 'object' } },
      mergedReply: { type: 'object' },
    },
  },
  clocks: [
    {
      id: 'close',
      name: name('办结期限'),
      start: { on: 'caseStart' },
      stop: { on: 'enter', node: 'end' },
      deadline: { duration: 'P21D', calendar: 'natural' },
    },
  ],
  nodes: [
    node.start(),
    node.task('triage', { assignee: { role: 'receptionist' }, form: 'dispatch' }),
    node.of('joint', 'multiTask', {
      assignee: { role: 'handler', department: { var: 'dept' } },
      over: 'departments',
      itemVar: 'dept',
      collect: 'answers',
      form: 'opinion',
      deadline: { duration: 'P15D', warningBefore: 'P3D' },
      joint: {
        lead: 'lead',
        leadForm: 'merged',
        assistDeadline: { duration: 'P10D', warningBefore: 'P2D' },
        within: 'close',
        merged: 'mergedReply',
      },
      refusal: {
        redispatch: {
          assignee: { role: 'receptionist' },
          form: 'redispatch',
          label: name('改派'),
        },
      },
      extension: { max: 'P15D', times: 1 },
    }),
    node.task('feedback', { assignee: { role: 'receptionist' } }),
    node.end(),
  ],
  edges: [
    edge.next('start', 'triage'),
    edge.action('triage', 'joint', 'dispatch'),
    edge.action('joint', 'feedback', 'report'),
    edge.action('feedback', 'end', 'close'),
  ],
});

const dept = (id: string, department: string): Actor => ({
  id,
  roles: ['handler'],
  jurisdiction: COUNTY,
  department,
});
const housing = dept('he', 'housing');
const hrss = dept('wang', 'hrss');
const natres = dept('lin', 'natres');
const market = dept('ma', 'market');

const shareOf = (s: Sim, value: string): Task => {
  const task = s.state.tasks.find((t) => t.item?.value === value);
  if (!task) throw new Error(`no open task for ${value}`);
  return task;
};

/** Triaged to housing (lead), hrss and natres (assisting). */
function dispatched(): Sim {
  const s = new Sim(flow, '2025-06-02T01:00:00.000Z');
  s.start({ summary: '安置房质量问题' });
  const triage = s.state.tasks[0] as Task;
  s.do({
    type: 'task.complete',
    taskId: triage.id,
    action: 'dispatch',
    data: { departments: ['hrss', 'natres'], lead: 'housing' },
    actor: receptionist,
  });
  return s;
}

describe('主办/协办 joint handling', () => {
  it('opens the lead first (added to the list), then each assisting department with its own deadline inside the case clock', () => {
    const s = dispatched();
    expect(s.state.tasks.map((t) => [t.item?.value, t.share, t.form])).toEqual([
      ['housing', 'lead', 'merged'],
      ['hrss', 'assist', 'opinion'],
      ['natres', 'assist', 'opinion'],
    ]);
    // 协办 P10D, 主办 P15D, both before the 21-day clock.
    expect(shareOf(s, 'hrss').due).toBe('2025-06-12T15:59:59.999Z');
    expect(shareOf(s, 'housing').due).toBe('2025-06-17T15:59:59.999Z');
  });

  it('a share dispatched late is due when the case clock is, not after it, also when counted again', () => {
    const s = new Sim(flow, '2025-06-02T01:00:00.000Z');
    s.start({ summary: '安置房质量问题' });
    s.now = '2025-06-16T01:00:00.000Z';
    s.do({
      type: 'task.complete',
      taskId: s.state.tasks[0]?.id ?? '',
      action: 'dispatch',
      data: { departments: ['hrss'], lead: 'housing' },
      actor: receptionist,
    });
    const clockDue = s.state.clocks.close?.due;
    expect(clockDue).toBe('2025-06-23T15:59:59.999Z');
    // 主办 P15D would end on 1 July, 协办 P10D on 26 June: both are due with the clock.
    expect(s.state.tasks.map((t) => t.due)).toEqual([clockDue, clockDue]);
    s.do({ type: 'calendar.recompute' });
    expect(s.state.tasks.map((t) => t.due)).toEqual([clockDue, clockDue]);
  });

  it('keeps the lead from writing the merged reply until every contribution is in, and says how many are missing', () => {
    const s = dispatched();
    const lead = shareOf(s, 'housing');
    const offered = availableActions(flow, s.state, housing).tasks.find(
      (t) => t.taskId === lead.id,
    );
    expect(offered?.actions).toEqual([]);
    expect(offered?.waitingFor).toBe(2);
    const refused = s.rejects({
      type: 'task.complete',
      taskId: lead.id,
      action: 'report',
      data: { reply: '合并答复' },
      actor: housing,
    });
    expect(refused.code).toBe('joint.contributionsPending');
    expect(refused.message['zh-CN']).toContain('还有 2 个协办部门');
  });

  it('a refusal sends only that share back to the receptionist with its reason, prefilled; the others keep working', () => {
    const s = dispatched();
    const others = [shareOf(s, 'housing').id, shareOf(s, 'hrss').id];
    const events = s.do({
      type: 'task.refuse',
      taskId: shareOf(s, 'natres').id,
      reason: '不属本局职责，建议交市场监管局',
      actor: natres,
    });
    expect(events.map((e) => e.type)).not.toContain('task.cancelled');
    expect(events.map((e) => e.type)).not.toContain('token.moved');
    expect(s.state.tasks.map((t) => t.id).slice(0, 2)).toEqual(others);
    const redispatch = s.state.tasks[2] as Task;
    expect(redispatch).toMatchObject({
      node: 'joint',
      form: 'redispatch',
      item: { index: 2, value: 'natres' },
      candidates: { role: 'receptionist' },
      redispatch: { reason: '不属本局职责，建议交市场监管局', refusedBy: 'lin' },
    });
    expect(s.lastEffects).toContainEqual(
      expect.objectContaining({ type: 'notify', taskId: redispatch.id }),
    );
    // The receptionist's form opens with what was entered, and one button of its own.
    const offered = availableActions(flow, s.state, receptionist).tasks[0];
    expect(offered?.actions).toEqual([
      { action: 'redispatch', label: name('改派'), style: 'primary' },
    ]);
    expect(offered?.prefill).toEqual({ departments: ['hrss', 'natres'], lead: 'housing' });
    // A re-dispatch task takes neither the node's buttons nor a refusal.
    expect(
      s.rejects({
        type: 'task.complete',
        taskId: redispatch.id,
        action: 'report',
        data: {},
        actor: receptionist,
      }).code,
    ).toBe('action.unknown');
    expect(
      s.rejects({ type: 'task.refuse', taskId: redispatch.id, reason: '不改', actor: receptionist })
        .code,
    ).toBe('refusal.notAllowed');
  });

  it('does not ask again a department that replied; the merged reply records who said what', () => {
    const s = dispatched();
    s.do({
      type: 'task.refuse',
      taskId: shareOf(s, 'natres').id,
      reason: '不属本局职责',
      actor: natres,
    });
    s.now = '2025-06-03T02:00:00.000Z';
    s.do({
      type: 'task.complete',
      taskId: shareOf(s, 'hrss').id,
      action: 'report',
      data: { answer: '补偿款已核发' },
      actor: hrss,
    });
    const redispatch = s.state.tasks.find((t) => t.redispatch) as Task;
    const bad = s.rejects({
      type: 'task.complete',
      taskId: redispatch.id,
      action: 'redispatch',
      data: { departments: [] },
      actor: receptionist,
    });
    expect(bad.code).toBe('form.invalid');
    s.do({
      type: 'task.complete',
      taskId: redispatch.id,
      action: 'redispatch',
      data: { departments: ['hrss', 'market'], lead: 'housing' },
      actor: receptionist,
    });
    // hrss replied already: only market is asked.
    expect(s.state.tasks.map((t) => [t.item?.value, t.share])).toEqual([
      ['housing', 'lead'],
      ['market', 'assist'],
    ]);
    s.do({
      type: 'task.complete',
      taskId: shareOf(s, 'market').id,
      action: 'report',
      data: { answer: '已整治占道经营' },
      actor: market,
    });
    s.now = '2025-06-04T02:00:00.000Z';
    s.do({
      type: 'task.complete',
      taskId: shareOf(s, 'housing').id,
      action: 'report',
      data: { reply: '维修、补偿和整治均已落实' },
      actor: housing,
    });
    expect(s.state.tokens[0]?.node).toBe('feedback');
    expect(s.state.data.reply).toBe('维修、补偿和整治均已落实');
    expect(s.state.data.mergedReply).toEqual({
      department: 'housing',
      by: 'he',
      at: '2025-06-04T02:00:00.000Z',
      data: { reply: '维修、补偿和整治均已落实' },
      contributions: [
        {
          department: 'hrss',
          by: 'wang',
          at: '2025-06-03T02:00:00.000Z',
          data: { answer: '补偿款已核发' },
        },
        {
          department: 'market',
          by: 'ma',
          at: '2025-06-03T02:00:00.000Z',
          data: { answer: '已整治占道经营' },
        },
      ],
    });
  });

  it('a refused lead is replaced on re-dispatch; an assisting department named lead gets the merged reply', () => {
    const s = dispatched();
    s.do({
      type: 'task.refuse',
      taskId: shareOf(s, 'housing').id,
      reason: '应由人社主办',
      actor: housing,
    });
    const redispatch = s.state.tasks.find((t) => t.redispatch) as Task;
    s.do({
      type: 'task.complete',
      taskId: redispatch.id,
      action: 'redispatch',
      data: { departments: ['hrss', 'natres'], lead: 'hrss' },
      actor: receptionist,
    });
    expect(s.state.tasks.map((t) => [t.item?.value, t.share, t.form])).toEqual([
      ['natres', 'assist', 'opinion'],
      ['hrss', 'lead', 'merged'],
    ]);
    expect(s.state.tokens[0]?.multi?.open).toBe(2);
  });

  it('a re-dispatch that names no lead keeps every assisting department at work, untouched', () => {
    const s = dispatched();
    const working = shareOf(s, 'hrss');
    const lead = shareOf(s, 'housing');
    s.do({
      type: 'task.refuse',
      taskId: shareOf(s, 'natres').id,
      reason: '不属本局',
      actor: natres,
    });
    const redispatch = s.state.tasks.find((t) => t.redispatch) as Task;
    s.do({
      type: 'task.complete',
      taskId: redispatch.id,
      action: 'redispatch',
      data: { departments: ['housing', 'hrss', 'market'], lead: '' },
      actor: receptionist,
    });
    // Without a lead, housing's lead share stops; hrss keeps its task, deadline and all.
    expect(s.lastEvents.filter((e) => e.type === 'task.cancelled')).toEqual([
      expect.objectContaining({ taskId: lead.id }),
    ]);
    expect(shareOf(s, 'hrss')).toEqual(working);
    expect(s.state.tasks.map((t) => [t.item?.value, t.share])).toEqual([
      ['hrss', 'assist'],
      ['housing', 'member'],
      ['market', 'member'],
    ]);
  });

  it('a department extends its own deadline once, approved by a leader, never past the case clock', () => {
    const s = dispatched();
    const task = shareOf(s, 'hrss');
    const tooFar = s.rejects({
      type: 'task.requestExtension',
      taskId: task.id,
      duration: 'P12D',
      reason: '需财政复核',
      actor: hrss,
    });
    expect(tooFar.code).toBe('extension.beyondClock');
    expect(
      s.rejects({
        type: 'task.requestExtension',
        taskId: task.id,
        duration: 'P16D',
        reason: '需财政复核',
        actor: hrss,
      }).code,
    ).toBe('extension.tooLong');
    expect(tooFar.message['zh-CN']).toContain('办结期限');
    expect(
      s.rejects({
        type: 'task.requestExtension',
        taskId: task.id,
        duration: 'P3D',
        reason: '需财政复核',
        actor: natres,
      }).code,
    ).toBe('actor.notAllowed');
    expect(
      s.rejects({
        type: 'task.requestExtension',
        taskId: task.id,
        duration: 'P0D',
        reason: '需财政复核',
        actor: hrss,
      }).code,
    ).toBe('duration.invalid');
    s.do({
      type: 'task.requestExtension',
      taskId: task.id,
      duration: 'P3D',
      reason: '需财政复核',
      actor: hrss,
    });
    // One request at a time: a second waits for the first to be decided.
    expect(
      s.rejects({
        type: 'task.requestExtension',
        taskId: task.id,
        duration: 'P2D',
        reason: '再申请',
        actor: hrss,
      }).code,
    ).toBe('taskExtension.pending');
    const request = Object.values(s.state.extensionRequests)[0];
    expect(request).toMatchObject({ taskId: task.id, requestedBy: 'wang' });
    expect(availableActions(flow, s.state, leader).case).toContain('deadline.approveExtension');
    expect(
      s.rejects({ type: 'deadline.approveExtension', requestId: request?.id ?? '', actor: hrss })
        .code,
    ).toBe('actor.notAllowed');
    s.do({ type: 'deadline.approveExtension', requestId: request?.id ?? '', actor: leader });
    expect(shareOf(s, 'hrss').due).toBe('2025-06-15T15:59:59.999Z');
    expect(
      s.state.timers.filter((t) => 'taskId' in t.purpose && t.purpose.taskId === task.id),
    ).toHaveLength(2);
    expect(
      s.rejects({
        type: 'task.requestExtension',
        taskId: task.id,
        duration: 'P1D',
        reason: '再延',
        actor: hrss,
      }).code,
    ).toBe('taskExtension.exhausted');
    expect(availableActions(flow, s.state, hrss).tasks[0]?.commands).not.toContain(
      'task.requestExtension',
    );
    // Counting every deadline again keeps the extension (and moves nothing on the same calendar).
    s.do({ type: 'calendar.recompute' });
    expect(s.lastEvents.filter((e) => e.type === 'task.dueChanged')).toEqual([]);
    expect(shareOf(s, 'hrss').due).toBe('2025-06-15T15:59:59.999Z');
  });
});

describe('a step done again keeps what was entered', () => {
  it('the triage a department refused back opens with its earlier answers; the first triage opens blank', () => {
    const back = makeFlow({
      forms: [
        {
          formatVersion: 1,
          id: 'dispatch',
          title: name('研判'),
          schema: {
            type: 'object',
            properties: { department: { type: 'string' }, summary: { type: 'string' } },
          },
        },
      ],
      nodes: [
        node.start(),
        node.task('triage', { assignee: { role: 'receptionist' }, form: 'dispatch' }),
        node.task('handle', {
          assignee: { role: 'handler', department: { var: 'department' } },
          refusal: { backTo: 'triage' },
        }),
        node.end(),
      ],
      edges: [
        edge.next('start', 'triage'),
        edge.action('triage', 'handle', 'dispatch'),
        edge.action('handle', 'end', 'done'),
      ],
    });
    const s = new Sim(back);
    s.start({ summary: '道路积水' });
    const first = availableActions(back, s.state, receptionist).tasks[0];
    expect(first?.prefill).toBeUndefined();
    s.do({
      type: 'task.complete',
      taskId: first?.taskId ?? '',
      action: 'dispatch',
      data: { department: 'housing' },
      actor: receptionist,
    });
    s.do({
      type: 'task.refuse',
      taskId: s.state.tasks[0]?.id ?? '',
      reason: '不属本局职责',
      actor: housing,
    });
    expect(s.state.tasks[0]).toMatchObject({ node: 'triage', again: true });
    expect(availableActions(back, s.state, receptionist).tasks[0]?.prefill).toEqual({
      department: 'housing',
      summary: '道路积水',
    });
  });
});

describe('joint handling on random sessions', () => {
  const departments = ['housing', 'hrss', 'natres', 'market'];
  const worker = (task: Task): Actor =>
    task.candidates.department
      ? dept(`u-${task.candidates.department}`, task.candidates.department)
      : receptionist;
  type Op =
    | { kind: 'refuse' | 'reply' | 'extend' | 'approve'; pick: number }
    | { kind: 'redispatch'; pick: number; list: string[]; lead: number }
    | { kind: 'wait'; hours: number };
  const op: fc.Arbitrary<Op> = fc.oneof(
    fc.record({
      kind: fc.constantFrom('refuse' as const, 'reply' as const, 'extend' as const),
      pick: fc.nat(20),
    }),
    fc.record({ kind: fc.constant('approve' as const), pick: fc.nat(20) }),
    fc.record({
      kind: fc.constant('redispatch' as const),
      pick: fc.nat(20),
      list: fc.uniqueArray(fc.constantFrom(...departments), { minLength: 1, maxLength: 4 }),
      lead: fc.nat(4),
    }),
    fc.record({ kind: fc.constant('wait' as const), hours: fc.integer({ min: 1, max: 200 }) }),
  );

  it('replays to the same state; a replied department is never asked again in the round; the lead replies last with every contribution', () => {
    const seen = new Set<string>();
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.constantFrom(...departments), { minLength: 1, maxLength: 4 }),
        fc.nat(4),
        fc.array(op, { maxLength: 30 }),
        (list, leadPick, ops) => {
          let n = 0;
          let now = Date.parse('2025-06-02T01:00:00Z');
          const env = () => ({ now: new Date(now).toISOString(), newId: () => `id${++n}` });
          const events: Event[] = [];
          let state: CaseState = initialState();
          const apply = (command: Parameters<typeof transition>[2]) => {
            const r = transition(flow, state, command, env());
            if (!r.ok) {
              expect(r.rejection.code).not.toBe('engine.internal');
              return false;
            }
            state = deepFreeze(r.state);
            events.push(...deepFreeze(r.events));
            for (const e of r.events)
              seen.add(e.type === 'data.set' ? `data.set:${e.var}` : e.type);
            return true;
          };
          apply({ type: 'case.start', channel: 'visit', data: {}, actor: receptionist });
          apply({
            type: 'task.complete',
            taskId: state.tasks[0]?.id ?? '',
            action: 'dispatch',
            data: { departments: list, lead: list[leadPick % list.length] },
            actor: receptionist,
          });
          const replied = new Set<unknown>();
          for (const o of ops) {
            if (state.tokens[0]?.node !== 'joint') break;
            const open = state.tasks;
            const task = 'pick' in o ? open[o.pick % open.length] : undefined;
            if (o.kind === 'wait') {
              now += o.hours * 3_600_000;
              for (const timer of [...state.timers].sort((a, b) => (a.due < b.due ? -1 : 1)))
                if (Date.parse(timer.due) <= now && state.timers.some((t) => t.id === timer.id))
                  apply({ type: 'timer.fire', timerId: timer.id });
              continue;
            }
            if (!task) continue;
            if (o.kind === 'refuse')
              apply({
                type: 'task.refuse',
                taskId: task.id,
                reason: '不属本部门',
                actor: worker(task),
              });
            else if (o.kind === 'extend')
              apply({
                type: 'task.requestExtension',
                taskId: task.id,
                duration: 'P2D',
                reason: '协调',
                actor: worker(task),
              });
            else if (o.kind === 'approve') {
              const request = Object.values(state.extensionRequests)[0];
              if (request)
                apply({ type: 'deadline.approveExtension', requestId: request.id, actor: leader });
            } else if (o.kind === 'redispatch' && task.redispatch)
              apply({
                type: 'task.complete',
                taskId: task.id,
                action: 'redispatch',
                data: { departments: o.list, lead: o.list[o.lead % o.list.length] },
                actor: receptionist,
              });
            else if (o.kind === 'reply' && !task.redispatch) {
              const lead = task.share === 'lead';
              const others = state.tasks.filter((t) => t.id !== task.id).length;
              const before = state.data.answers;
              const ok = apply({
                type: 'task.complete',
                taskId: task.id,
                action: 'report',
                data: lead ? { reply: '合并答复' } : { answer: '协办意见' },
                actor: worker(task),
              });
              // The lead replies last, or not at all.
              expect(ok).toBe(!lead || others === 0);
              if (ok && !lead) {
                expect(replied.has(task.item?.value)).toBe(false);
                replied.add(task.item?.value);
              }
              if (ok && lead) {
                const merged = state.data.mergedReply as {
                  contributions: { department: string }[];
                };
                expect(merged.contributions.map((c) => c.department).sort()).toEqual(
                  [...replied].filter((d) => d !== task.item?.value).sort(),
                );
                expect(Array.isArray(before)).toBe(replied.size > 0);
              }
            }
            // Nobody who replied in this round holds an open share again.
            for (const t of state.tasks)
              if (t.share && t.share !== 'lead') expect(replied.has(t.item?.value)).toBe(false);
            // The token waits on exactly its open tasks.
            if (state.tokens[0]?.node === 'joint')
              expect(state.tokens[0]?.multi?.open).toBe(state.tasks.length);
          }
          expect(replay(flow, events)).toEqual(state);
        },
      ),
      { numRuns: 150, seed: 20261130 },
    );
    // The sessions reach every part: refusals, re-dispatches, extensions, deadlines, merged replies.
    expect([...seen]).toEqual(
      expect.arrayContaining([
        'task.refused',
        'task.redispatched',
        'multiTask.resized',
        'extension.approved',
        'task.overdue',
        'data.set:mergedReply',
        'task.cancelled',
      ]),
    );
  });
});
