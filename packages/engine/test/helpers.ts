import {
  type CheckedFlow,
  checkedFlow,
  checkFlow,
  type FlowDefinitionInput,
  type UrgencyColour,
} from '@lianxin/spec';
import { expect } from 'vitest';
import {
  type Actor,
  type CaseState,
  type Command,
  type Effect,
  type Event,
  initialState,
  type Rejection,
  replay,
  SimulatedClock,
  type Task,
  transition,
  type WorkCalendar,
} from '../src/index';

type NodeInput = FlowDefinitionInput['nodes'][number];
type EdgeInput = FlowDefinitionInput['edges'][number];

const name = (zh: string) => ({ 'zh-CN': zh, en: zh });

/**
 * A small test flow: defaults for everything but nodes and edges. The flow
 * must pass `checkFlow` without errors, so test flows stay honest.
 */
export function makeFlow(
  parts: Partial<FlowDefinitionInput> & { nodes: NodeInput[]; edges: EdgeInput[] },
): CheckedFlow {
  const input: FlowDefinitionInput = {
    formatVersion: 1,
    key: 'test-flow',
    version: 1,
    name: name('测试流程'),
    jurisdiction: '440781',
    roles: [
      { id: 'receptionist', name: name('接访员') },
      { id: 'handler', name: name('办理人') },
      { id: 'leader', name: name('领导') },
      { id: 'lawyer', name: name('律师') },
    ],
    dataSchema: {
      type: 'object',
      properties: {
        summary: { type: 'string' },
        accepted: { type: 'boolean' },
        department: { type: 'string' },
        reply: { type: 'string' },
        score: { type: 'number' },
        departments: { type: 'array', items: { type: 'string' } },
        answers: { type: 'array', items: { type: 'object' } },
        answer: { type: 'string' },
        mediation: { type: 'string' },
        flagged: { type: 'boolean' },
      },
    },
    ...parts,
  };
  const errors = checkFlow(input).filter((p) => p.severity === 'error');
  expect(errors, 'test flow must pass checkFlow').toEqual([]);
  return checkedFlow(input);
}

export const node = {
  start: (id = 'start', extra: Partial<NodeInput> = {}): NodeInput =>
    ({
      id,
      kind: 'start',
      name: name(id),
      channels: ['visit', 'letter', 'online'],
      ...extra,
    }) as NodeInput,
  task: (id: string, extra: Record<string, unknown> = {}): NodeInput =>
    ({ id, kind: 'task', name: name(id), assignee: { role: 'handler' }, ...extra }) as NodeInput,
  end: (id = 'end', outcome = 'resolved'): NodeInput =>
    ({ id, kind: 'end', name: name(id), outcome }) as NodeInput,
  of: (id: string, kind: string, extra: Record<string, unknown> = {}): NodeInput =>
    ({ id, kind, name: name(id), ...extra }) as NodeInput,
};

let edgeCounter = 0;
export const edge = {
  next: (from: string, to: string, id = `n_${from}_${to}`): EdgeInput => ({
    id,
    kind: 'next',
    from,
    to,
  }),
  action: (
    from: string,
    to: string,
    action = 'done',
    extra: Record<string, unknown> = {},
  ): EdgeInput =>
    ({
      id: `a_${from}_${action}`,
      kind: 'action',
      from,
      to,
      action,
      label: name(action),
      ...extra,
    }) as EdgeInput,
  when: (from: string, to: string, condition: Record<string, unknown>): EdgeInput => ({
    id: `c${++edgeCounter}_${from}_${to}`,
    kind: 'condition',
    from,
    to,
    condition,
  }),
  otherwise: (from: string, to: string): EdgeInput => ({
    id: `d_${from}_${to}`,
    kind: 'default',
    from,
    to,
  }),
  deadline: (from: string, to: string, on: 'warning' | 'overdue'): EdgeInput => ({
    id: `dl_${from}_${on}`,
    kind: 'deadline',
    from,
    to,
    on,
  }),
};

export const COUNTY = '440781';
export const handler: Actor = { id: 'wang', roles: ['handler'], jurisdiction: COUNTY };
export const receptionist: Actor = { id: 'li', roles: ['receptionist'], jurisdiction: COUNTY };
export const leader: Actor = { id: 'zhao', roles: ['leader'], jurisdiction: COUNTY };
export const admin: Actor = { id: 'root', roles: ['admin'], jurisdiction: COUNTY };

/**
 * Drives one case through the engine with a fake clock and counting ids,
 * and checks after every command that replaying all events so far
 * reproduces the state exactly.
 */
export class Sim {
  state: CaseState = initialState();
  events: Event[] = [];
  lastEvents: Event[] = [];
  lastEffects: Effect[] = [];
  now: string;
  /** The working-day calendar the next commands count with (default: the engine's bundled one). */
  calendar: WorkCalendar | undefined;
  private counter = 0;

  constructor(
    public def: CheckedFlow,
    start = '2025-03-03T01:00:00.000Z',
  ) {
    this.now = start;
  }

  env() {
    return {
      now: this.now,
      newId: () => `id${++this.counter}`,
      ...(this.calendar ? { calendar: this.calendar } : {}),
    };
  }

  try(command: Command): ReturnType<typeof transition> {
    const result = transition(this.def, this.state, command, this.env());
    if (result.ok) {
      // Frozen, so any in-place change to an earlier state by the engine throws.
      deepFreeze(result.state);
      deepFreeze(result.events);
      this.state = result.state;
      this.events.push(...result.events);
      this.lastEvents = result.events;
      this.lastEffects = result.effects;
      expect(replay(this.def, this.events)).toEqual(this.state);
    }
    return result;
  }

  do(command: Command): Event[] {
    const result = this.try(command);
    if (!result.ok)
      throw new Error(`rejected: ${result.rejection.code} ${result.rejection.message.en}`);
    return result.events;
  }

  rejects(command: Command): Rejection {
    const result = this.try(command);
    if (result.ok) throw new Error(`expected a rejection, got ${result.events.map((e) => e.type)}`);
    return result.rejection;
  }

  start(
    data: Record<string, unknown> = {},
    extra: { urgency?: UrgencyColour; jurisdiction?: string; channel?: 'visit' | 'letter' } = {},
  ): Event[] {
    return this.do({
      type: 'case.start',
      channel: extra.channel ?? 'visit',
      data,
      actor: receptionist,
      ...(extra.urgency ? { urgency: extra.urgency } : {}),
      ...(extra.jurisdiction ? { jurisdiction: extra.jurisdiction } : {}),
    });
  }

  /** The open tasks on a node, in opening order. */
  tasks(nodeId?: string): Task[] {
    return this.state.tasks.filter((t) => nodeId === undefined || t.node === nodeId);
  }

  task(nodeId: string): Task {
    const task = this.tasks(nodeId)[0];
    if (!task)
      throw new Error(`no open task on ${nodeId}; open: ${this.tasks().map((t) => t.node)}`);
    return task;
  }

  complete(
    nodeId: string,
    action = 'done',
    data: Record<string, unknown> = {},
    actor = handler,
  ): Event[] {
    return this.do({ type: 'task.complete', taskId: this.task(nodeId).id, action, data, actor });
  }

  /** Moves the clock and fires every timer due by then, in due order. */
  advanceTo(instant: string): Event[] {
    const fired: Event[] = [];
    // The engine's own clock: each due timer fires in due order at its due time.
    new SimulatedClock(this.now).advance(instant, {
      next: (untilMs) =>
        this.state.timers
          .map((t) => ({ id: t.id, dueMs: Date.parse(t.due) }))
          .filter((t) => t.dueMs <= untilMs)
          .sort((a, b) => a.dueMs - b.dueMs)[0],
      fire: (timer, now) => {
        this.now = now.toISOString();
        fired.push(...this.do({ type: 'timer.fire', timerId: timer.id }));
        return true;
      },
    });
    this.now = instant;
    return fired;
  }

  at(instant: string): this {
    this.now = instant;
    return this;
  }

  activeNodes(): string[] {
    return this.state.tokens.map((t) => t.node).sort();
  }
}

export function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}

export const types = (events: Event[]) => events.map((e) => e.type);
