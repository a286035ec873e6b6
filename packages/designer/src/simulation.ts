import {
  type Actor,
  type AvailableActions,
  availableActions,
  type CaseState,
  type Command,
  type Event,
  initialState,
  type Rejection,
  type Task,
  transition,
} from '@lianxin/engine';
import type { Channel, FlowDefinition, UrgencyColour } from '@lianxin/spec';

/** A case run in the browser against the flow being drawn, with a clock the admin moves. */
export interface SimSession {
  flow: FlowDefinition;
  state: CaseState;
  events: Event[];
  /** Simulated time, ISO 8601 with +08:00. */
  now: string;
  nextId: number;
}

export type SimResult = { ok: true; session: SimSession } | { ok: false; rejection: Rejection };

const DAY = 86_400_000;

function iso(ms: number): string {
  // Beijing time, as offices read it.
  const d = new Date(ms + 8 * 3_600_000);
  return `${d.toISOString().slice(0, 19)}+08:00`;
}

function run(session: SimSession, command: Command): SimResult {
  let n = session.nextId;
  const result = transition(session.flow, session.state, command, {
    now: session.now,
    newId: () => `s${n++}`,
  });
  if (!result.ok) return result;
  return {
    ok: true,
    session: {
      ...session,
      state: result.state,
      events: [...session.events, ...result.events],
      nextId: n,
    },
  };
}

/** A new case at `now` (default: a Monday morning), registered through the start node. */
export function startSimulation(
  flow: FlowDefinition,
  input: {
    channel: Channel;
    data?: Record<string, unknown>;
    urgency?: UrgencyColour;
    now?: string;
  },
): SimResult {
  const session: SimSession = {
    flow,
    state: initialState(),
    events: [],
    now: input.now ?? '2026-03-02T09:00:00+08:00',
    nextId: 1,
  };
  return run(session, {
    type: 'case.start',
    channel: input.channel,
    data: input.data ?? {},
    ...(input.urgency ? { urgency: input.urgency } : {}),
    actor: { id: 'sim-admin', roles: ['admin'], jurisdiction: flow.jurisdiction },
  });
}

/** Someone with `role` who may work this task (its jurisdiction, department and group). */
export function actorFor(task: Task, role: string): Actor {
  const c = task.candidates;
  return {
    id: `sim-${role}`,
    roles: [role],
    jurisdiction: c.jurisdiction,
    ...(c.department ? { department: c.department } : {}),
    groups: c.group ? [c.group] : [],
  };
}

/** Open tasks a person with `role` sees, with their buttons. */
export function simTasks(session: SimSession, role: string): AvailableActions['tasks'] {
  const out: AvailableActions['tasks'] = [];
  for (const task of Object.values(session.state.tasks)) {
    if (task.candidates.role !== role) continue;
    const mine = availableActions(session.flow, session.state, actorFor(task, role)).tasks;
    out.push(...mine.filter((t) => t.taskId === task.id));
  }
  return out;
}

/** Presses a button: claims the task if needed, then completes it with the form data. */
export function pressAction(
  session: SimSession,
  taskId: string,
  action: string,
  role: string,
  data: Record<string, unknown>,
): SimResult {
  // Works whether the engine keys tasks by id or lists them.
  const task = Object.values(session.state.tasks).find((t) => t.id === taskId);
  if (!task) return run(session, { type: 'task.complete', taskId, action, data });
  const actor = actorFor(task, role);
  let current = session;
  if (!task.assignee) {
    const claimed = run(current, { type: 'task.claim', taskId, actor });
    if (!claimed.ok) return claimed;
    current = claimed.session;
  }
  return run(current, { type: 'task.complete', taskId, action, data, actor });
}

/** Moves the clock forward and fires every timer that falls due, in order. */
export function advanceClock(session: SimSession, days: number): SimResult {
  let current: SimSession = { ...session, now: iso(Date.parse(session.now) + days * DAY) };
  const nowMs = Date.parse(current.now);
  for (let guard = 0; guard < 1000; guard++) {
    const due = Object.values(current.state.timers)
      .filter((t) => Date.parse(t.due) <= nowMs)
      .sort((a, b) => Date.parse(a.due) - Date.parse(b.due))[0];
    if (!due || current.state.status !== 'active') break;
    const fired = run(current, { type: 'timer.fire', timerId: due.id });
    if (!fired.ok) return fired;
    current = fired.session;
  }
  return { ok: true, session: current };
}

/** Nodes and edges the case has passed through, and the nodes where it is now. */
export function simulationPath(session: SimSession): {
  nodes: string[];
  edges: string[];
  current: string[];
} {
  const nodes = new Set<string>();
  const edges = new Set<string>();
  for (const e of session.events) {
    if (e.type === 'token.created') {
      nodes.add(e.node);
      if (e.via) edges.add(e.via);
    } else if (e.type === 'token.moved') {
      nodes.add(e.node);
      edges.add(e.via);
    } else if (e.type === 'task.completed') {
      edges.add(e.edge);
    } else if (e.type === 'case.closed' && e.node) {
      nodes.add(e.node);
    }
  }
  const current = Object.values(session.state.tokens).map((t) => t.node);
  return { nodes: [...nodes], edges: [...edges], current };
}
