import { type CheckedFlow, checkedFlow, checkFlow, type FlowDefinitionInput } from '@lianxin/spec';
import fc from 'fast-check';
import { expect } from 'vitest';
import type { Actor, CaseState, Command, Task } from '../src/index';

// Random flows and random sessions over them, shared by the property tests.

type NodeInput = FlowDefinitionInput['nodes'][number];
type EdgeInput = FlowDefinitionInput['edges'][number];

/** A process shape: blocks in sequence, nested decisions and parallel splits. */
export type Block =
  | { kind: 'task'; deadline: 0 | 1 | 2 | 3; alt: boolean; working: boolean }
  | { kind: 'multi' }
  | { kind: 'timer'; days: number }
  | { kind: 'action' }
  | { kind: 'subflow' }
  | { kind: 'decision'; yes: Block[]; no: Block[] }
  | { kind: 'parallel'; any: boolean; branches: Block[][] };

const leaf: fc.Arbitrary<Block> = fc.oneof(
  {
    arbitrary: fc.record({
      kind: fc.constant('task' as const),
      deadline: fc.constantFrom(0 as const, 1 as const, 2 as const, 3 as const),
      alt: fc.boolean(),
      working: fc.boolean(),
    }),
    weight: 5,
  },
  { arbitrary: fc.constant({ kind: 'multi' as const }), weight: 1 },
  {
    arbitrary: fc.record({
      kind: fc.constant('timer' as const),
      days: fc.integer({ min: 1, max: 5 }),
    }),
    weight: 1,
  },
  { arbitrary: fc.constant({ kind: 'action' as const }), weight: 1 },
  { arbitrary: fc.constant({ kind: 'subflow' as const }), weight: 1 },
);

export const blocks: fc.Arbitrary<Block[]> = fc.letrec<{ seq: Block[]; block: Block }>((tie) => ({
  block: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    { arbitrary: leaf, weight: 6 },
    {
      arbitrary: fc.record({
        kind: fc.constant('decision' as const),
        yes: tie('seq'),
        no: tie('seq'),
      }),
      weight: 1,
    },
    {
      arbitrary: fc.record({
        kind: fc.constant('parallel' as const),
        any: fc.boolean(),
        branches: fc.array(tie('seq'), { minLength: 2, maxLength: 3 }),
      }),
      weight: 1,
    },
  ),
  seq: fc.array(tie('block'), { minLength: 0, maxLength: 3 }),
})).seq;

export const text = (s: string) => ({ 'zh-CN': s });

/**
 * Builds a flow from blocks; every generated flow must pass checkFlow. With
 * `pauseSteps`, the clock stands still at every other step where a case
 * waits (tasks, timers, subflows).
 */
export function buildFlow(
  seq: Block[],
  withClock: boolean,
  options: { pauseSteps?: boolean } = {},
): CheckedFlow {
  const nodes: NodeInput[] = [];
  const edges: EdgeInput[] = [];
  let n = 0;
  const id = (p: string) => `${p}${++n}`;
  const humans: string[] = [];
  let multis = 0;
  const ends = { overdue: false, declined: false };

  const task = (b: Extract<Block, { kind: 'task' }>, next: string): string => {
    const t = id('t');
    humans.push(t);
    const calendar = b.working ? 'workingDays' : 'natural';
    const deadline =
      b.deadline === 0
        ? undefined
        : {
            duration: `P${b.deadline * 2}D`,
            calendar,
            ...(b.deadline === 3 ? { warningBefore: 'P1D' } : {}),
          };
    nodes.push({
      id: t,
      kind: 'task',
      name: text(t),
      assignee: { role: b.deadline === 2 ? 'leader' : 'handler' },
      ...(deadline ? { deadline } : {}),
    } as NodeInput);
    edges.push({
      id: id('e'),
      kind: 'action',
      from: t,
      to: next,
      action: 'done',
      label: text('办结'),
    });
    if (b.alt) {
      ends.declined = true;
      edges.push({
        id: id('e'),
        kind: 'action',
        from: t,
        to: 'declined',
        action: 'decline',
        label: text('不予受理'),
      });
    }
    if (b.deadline === 1) {
      ends.overdue = true;
      edges.push({ id: id('e'), kind: 'deadline', from: t, to: 'overdueEnd', on: 'overdue' });
    }
    return t;
  };

  const block = (b: Block, next: string): string => {
    switch (b.kind) {
      case 'task':
        return task(b, next);
      case 'multi': {
        const m = id('m');
        humans.push(m);
        // Without changing the random stream, multi-instance nodes take turns being plain,
        // handing out shares that a refusal re-dispatches, and 主办/协办 joint handling.
        const mode = ++multis % 3;
        nodes.push({
          id: m,
          kind: 'multiTask',
          name: text(m),
          assignee: { role: 'handler', department: { var: 'dept' } },
          over: 'departments',
          itemVar: 'dept',
          collect: 'answers',
          deadline: { duration: 'P3D' },
          ...(mode === 0
            ? {}
            : {
                refusal: {
                  redispatch: { assignee: { role: 'leader' }, form: 'redispatch' },
                },
                extension: { max: 'P5D' },
              }),
          ...(mode === 2
            ? {
                joint: {
                  lead: 'lead',
                  merged: 'merged',
                  assistDeadline: { duration: 'P2D' },
                  ...(withClock ? { within: 'acceptance' } : {}),
                },
              }
            : {}),
        } as NodeInput);
        edges.push({
          id: id('e'),
          kind: 'action',
          from: m,
          to: next,
          action: 'answer',
          label: text('答复'),
        });
        return m;
      }
      case 'timer': {
        const t = id('w');
        nodes.push({
          id: t,
          kind: 'timer',
          name: text(t),
          wait: { duration: `P${b.days}D` },
        } as NodeInput);
        edges.push({ id: id('e'), kind: 'next', from: t, to: next });
        return t;
      }
      case 'action': {
        const a = id('a');
        nodes.push({
          id: a,
          kind: 'action',
          name: text(a),
          operations: [
            { op: 'set', var: 'flag', value: { '!': [{ var: 'flag' }] } },
            { op: 'setUrgency', value: { if: [{ var: 'flag' }, 'red', 'green'] } },
          ],
        } as NodeInput);
        edges.push({ id: id('e'), kind: 'next', from: a, to: next });
        return a;
      }
      case 'subflow': {
        const s = id('s');
        nodes.push({
          id: s,
          kind: 'subflow',
          name: text(s),
          flow: { key: 'child' },
          outcomeVar: 'childOutcome',
        } as NodeInput);
        edges.push({ id: id('e'), kind: 'next', from: s, to: next });
        return s;
      }
      case 'decision': {
        const d = id('d');
        nodes.push({ id: d, kind: 'decision', name: text(d) } as NodeInput);
        const yes = sequence(b.yes, next);
        const no = sequence(b.no, next);
        edges.push({
          id: id('e'),
          kind: 'condition',
          from: d,
          to: yes,
          condition: { '==': [{ var: 'flag' }, true] },
        });
        edges.push({ id: id('e'), kind: 'default', from: d, to: no });
        return d;
      }
      case 'parallel': {
        const p = id('p');
        const j = id('j');
        nodes.push({ id: p, kind: 'parallel', name: text(p) } as NodeInput);
        nodes.push({
          id: j,
          kind: 'join',
          name: text(j),
          mode: b.any ? 'any' : 'all',
        } as NodeInput);
        edges.push({ id: id('e'), kind: 'next', from: j, to: next });
        for (const branch of b.branches) {
          // Each branch reaches the join along exactly one edge: it ends with a plain task.
          const last = task({ kind: 'task', deadline: 0, alt: false, working: false }, j);
          const entry = sequence(branch, last);
          edges.push({ id: id('e'), kind: 'next', from: p, to: entry });
        }
        return p;
      }
    }
  };

  const sequence = (seq: Block[], next: string): string => {
    let entry = next;
    for (let i = seq.length - 1; i >= 0; i--) entry = block(seq[i] as Block, entry);
    return entry;
  };

  nodes.push({ id: 'end', kind: 'end', name: text('办结'), outcome: 'resolved' } as NodeInput);
  const first = sequence(seq, 'end');
  nodes.push({ id: 'start', kind: 'start', name: text('登记'), channels: ['visit'] } as NodeInput);
  edges.push({ id: 'e0', kind: 'next', from: 'start', to: first });
  if (ends.declined)
    nodes.push({
      id: 'declined',
      kind: 'end',
      name: text('不予受理'),
      outcome: 'declined',
    } as NodeInput);
  if (ends.overdue)
    nodes.push({
      id: 'overdueEnd',
      kind: 'end',
      name: text('超期移交'),
      outcome: 'transferred',
    } as NodeInput);
  // Returns and refusals point anywhere human: the engine must cope with all of them.
  nodes.forEach((node, i) => {
    if ((node.kind === 'task' || node.kind === 'multiTask') && humans.length > 1 && !node.refusal) {
      // Blocks are built back to front, so the last human node built comes first in the flow.
      const earliest = humans[humans.length - 1] as string;
      const target = humans[(i * 7) % humans.length] as string;
      Object.assign(node, { returnTo: [...new Set([target, earliest])] });
      if (i % 2 === 0)
        Object.assign(node, { refusal: { backTo: humans[(i * 3) % humans.length] } });
    }
  });
  const input: FlowDefinitionInput = {
    formatVersion: 1,
    key: 'random',
    version: 1,
    name: text('随机流程'),
    jurisdiction: '440781',
    roles: [
      { id: 'handler', name: text('办理人') },
      { id: 'leader', name: text('领导') },
    ],
    dataSchema: {
      type: 'object',
      properties: {
        flag: { type: 'boolean' },
        departments: { type: 'array', items: { type: 'string' } },
        answers: { type: 'array' },
        childOutcome: { type: 'string' },
        lead: { type: 'string' },
        merged: { type: 'object' },
      },
    },
    forms: [
      {
        formatVersion: 1,
        id: 'redispatch',
        title: text('重新分派'),
        schema: {
          type: 'object',
          properties: {
            departments: { type: 'array', items: { type: 'string' } },
            lead: { type: 'string' },
          },
        },
      },
    ],
    clocks: withClock
      ? [
          {
            id: 'acceptance',
            name: text('受理期限'),
            start: { on: 'caseStart' },
            stop: { on: 'enter', node: 'end' },
            deadline: { duration: 'P15D', calendar: 'workingDays' },
            extension: { max: 'P30D' },
            ...(options.pauseSteps ? { pause: pauseSteps(nodes) } : {}),
          },
        ]
      : [],
    nodes,
    edges,
  };
  const errors = checkFlow(input).filter((p) => p.severity === 'error');
  expect(errors).toEqual([]);
  return checkedFlow(input);
}

/** Every other node where a case waits, in the order they were built. */
function pauseSteps(nodes: NodeInput[]): string[] {
  return nodes
    .filter((n) => ['task', 'multiTask', 'timer', 'subflow'].includes(n.kind))
    .filter((_n, i) => i % 2 === 0)
    .map((n) => n.id);
}

/** One step of a random session, interpreted against the current state. */
export type Step = { op: number; pick: number; flag: boolean };
export const step: fc.Arbitrary<Step> = fc.record({
  op: fc.integer({ min: 0, max: 22 }),
  pick: fc.nat({ max: 1000 }),
  flag: fc.boolean(),
});

export function workerFor(task: Task): Actor {
  const c = task.candidates;
  return {
    id: task.assignee ?? `user-${c.role}`,
    roles: [c.role],
    jurisdiction: c.jurisdiction,
    ...(c.department ? { department: c.department } : {}),
  };
}

export const leaderActor: Actor = { id: 'boss', roles: ['leader'], jurisdiction: '440781' };
export const adminActor: Actor = { id: 'root', roles: ['admin'], jurisdiction: '440781' };

export function commandFor(
  def: CheckedFlow,
  state: CaseState,
  s: Step,
  now: number,
): { command?: Command; now: number } {
  const tasks = state.tasks;
  const task = tasks.length ? tasks[s.pick % tasks.length] : undefined;
  const at = (ms: number) => ms;
  switch (s.op) {
    case 0:
    case 1:
    case 2:
    case 3:
    case 4: {
      if (!task) return { now };
      if (task.redispatch) {
        // Re-dispatch: the list rotated by one, sometimes without the refused department.
        const list = Array.isArray(state.data.departments)
          ? (state.data.departments as string[])
          : [];
        const rotated = [...list.slice(1), ...list.slice(0, 1)].filter(
          (_d, i) => s.flag || i !== s.pick % Math.max(1, list.length),
        );
        return {
          now,
          command: {
            type: 'task.complete',
            taskId: task.id,
            action: 'redispatch',
            data: {
              departments: rotated.length ? rotated : ['water'],
              ...(rotated[0] ? { lead: rotated[s.pick % rotated.length] } : {}),
            },
            actor: workerFor(task),
          },
        };
      }
      const actions = def.edges.filter((e) => e.kind === 'action' && e.from === task.node);
      const action = actions[s.pick % actions.length];
      if (action?.kind !== 'action') return { now };
      return {
        now,
        command: {
          type: 'task.complete',
          taskId: task.id,
          action: action.action,
          data: { flag: s.flag },
          actor: workerFor(task),
        },
      };
    }
    case 5:
    case 6: {
      const timers = [...state.timers].sort((a, b) => (a.due < b.due ? -1 : 1));
      const timer = timers[0];
      if (!timer) return { now };
      return {
        now: Math.max(now, Date.parse(timer.due)),
        command: { type: 'timer.fire', timerId: timer.id },
      };
    }
    case 7: {
      const child = state.children[s.pick % Math.max(1, state.children.length)];
      if (!child) return { now };
      return {
        now,
        command: {
          type: 'child.complete',
          childId: child.id,
          outcome: s.flag ? 'resolved' : 'declined',
        },
      };
    }
    case 8: {
      if (!task) return { now };
      const node = def.nodes.find((n) => n.id === task.node);
      const targets = node && 'returnTo' in node ? (node.returnTo ?? []) : [];
      const to = targets[s.pick % Math.max(1, targets.length)];
      return {
        now,
        command: {
          type: 'task.return',
          taskId: task.id,
          to: to ?? 'start',
          reason: '退回',
          actor: workerFor(task),
        },
      };
    }
    case 9:
      if (!task) return { now };
      return {
        now,
        command: { type: 'task.refuse', taskId: task.id, reason: '拒签', actor: workerFor(task) },
      };
    case 10:
      if (!task) return { now };
      return { now, command: { type: 'task.claim', taskId: task.id, actor: workerFor(task) } };
    case 11:
      if (!task) return { now };
      return { now, command: { type: 'task.release', taskId: task.id, actor: workerFor(task) } };
    case 12:
      if (!task) return { now };
      return {
        now,
        command: {
          type: 'task.reassign',
          taskId: task.id,
          to: `user-${s.pick}`,
          actor: leaderActor,
        },
      };
    case 13:
      return {
        now,
        command: { type: 'case.setUrgency', urgency: s.flag ? 'red' : 'blue', actor: leaderActor },
      };
    case 14:
      return {
        now,
        command: s.flag
          ? { type: 'clock.pause', clockId: 'acceptance', reason: '鉴定', actor: leaderActor }
          : { type: 'clock.resume', clockId: 'acceptance', actor: leaderActor },
      };
    case 15:
      return { now: at(now + (s.pick % 72) * 3_600_000) };
    case 16:
      return {
        now,
        command: {
          type: 'case.comment',
          text: s.flag ? '意见' : '',
          actor: leaderActor,
          expectedVersion: state.version - (s.pick % 2),
        },
      };
    case 17: {
      const request = Object.values(state.extensionRequests)[0];
      if (!request && task?.share && s.flag)
        return {
          now,
          command: {
            type: 'task.requestExtension',
            taskId: task.id,
            duration: `P${(s.pick % 7) + 1}D`,
            reason: '需要协调',
            actor: workerFor(task),
          },
        };
      if (request)
        return {
          now,
          command: { type: 'deadline.approveExtension', requestId: request.id, actor: leaderActor },
        };
      return {
        now,
        command: {
          type: 'deadline.requestExtension',
          clockId: 'acceptance',
          duration: `P${s.pick % 40}D`,
          reason: '延期',
          actor: leaderActor,
        },
      };
    }
    case 20:
      return {
        now,
        command: { type: 'case.setLeader', userId: `leader-${s.pick % 3}`, actor: leaderActor },
      };
    case 21:
      return {
        now,
        command: { type: 'case.attach', ref: `uploads/${s.pick}.pdf`, actor: leaderActor },
      };
    case 22: {
      const request = Object.values(state.extensionRequests)[0];
      if (!request) return { now };
      return {
        now,
        command: {
          type: 'deadline.refuseExtension',
          requestId: request.id,
          reason: '理由不足',
          actor: leaderActor,
        },
      };
    }
    case 18:
      return {
        now,
        command: {
          type: 'task.complete',
          taskId: `ghost-${s.pick}`,
          action: 'done',
          actor: leaderActor,
        },
      };
    default:
      if (s.pick % 50 === 0)
        return { now, command: { type: 'case.withdraw', reason: '撤回', actor: adminActor } };
      if (!task) return { now };
      return {
        now,
        command: { type: 'task.delegate', taskId: task.id, to: 'deputy', actor: leaderActor },
      };
  }
}
