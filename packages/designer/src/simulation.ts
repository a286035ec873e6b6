import {
  type Actor,
  type AvailableActions,
  availableActions,
  type CaseState,
  type Command,
  type Event,
  type SimulatedCase,
  SimulatedClock,
  Simulator,
  type SimulatorDefinition,
  type SimulatorRejection,
  type Task,
  WorkCalendar,
} from '@lianxin/engine';
import {
  type Channel,
  type FlowDefinition,
  FlowNotChecked,
  parseFlow,
  type UrgencyColour,
} from '@lianxin/spec';

/**
 * A case run in the browser against the flow being drawn, on the engine's
 * Simulator: the store's path without the database, child cases included,
 * with a clock the admin moves. `state` and `events` are the case's as they
 * were when this session value was made.
 */
export interface SimSession {
  flow: FlowDefinition;
  simulator: Simulator;
  /** The case the admin registered (child cases hang off it). */
  caseId: string;
  state: CaseState;
  events: Event[];
  /** Whether a deadline was missed at some point (the store's `late` column). */
  late: boolean;
  /** Every case of the run: the registered one and the child cases its subflows started. */
  cases: SimulatedCase[];
  /** Simulated time, ISO 8601 with +08:00. */
  now: string;
  /** The working-day calendar the run's deadlines are counted on. */
  calendar: WorkCalendar;
}

export type SimResult =
  | { ok: true; session: SimSession }
  | { ok: false; rejection: SimulatorRejection };

/** The flow a subflow node calls, by key (and version); none: the subflow is refused, as on the server. */
export type SubflowResolver = (ref: {
  key: string;
  version?: number;
}) => SimulatorDefinition | undefined;

const DAY = 86_400_000;

function iso(ms: number): string {
  // Beijing time, as offices read it.
  const d = new Date(ms + 8 * 3_600_000);
  return `${d.toISOString().slice(0, 19)}+08:00`;
}

/** A fresh session value over the simulator as it is now. */
function snapshot(
  flow: FlowDefinition,
  simulator: Simulator,
  caseId: string,
  calendar: WorkCalendar,
): SimSession {
  const root = simulator.case(caseId);
  if (!root) throw new Error(`simulated case ${caseId} is missing`);
  return {
    flow,
    simulator,
    caseId,
    state: root.state,
    events: root.events,
    late: root.late,
    cases: simulator.cases(),
    now: iso(simulator.clock.ms),
    calendar,
  };
}

/**
 * A new case at `now` (default: a Monday morning), registered through the
 * start node; a flow with checker errors is refused (`flow.invalid`).
 * `calendar` is the working-day calendar deadlines count on (default: the
 * bundled one, provisional past it, as on a server where nothing is published).
 */
export function startSimulation(
  flow: FlowDefinition,
  input: {
    channel: Channel;
    data?: Record<string, unknown>;
    urgency?: UrgencyColour;
    now?: string;
    resolveSubflow?: SubflowResolver;
    calendar?: WorkCalendar;
  },
): SimResult {
  // As on the server, only a definition without checker errors runs.
  const parsed = parseFlow(flow);
  if (!parsed.ok) {
    return {
      ok: false,
      rejection: { code: 'flow.invalid', message: new FlowNotChecked(parsed.problems).bilingual },
    };
  }
  const resolve = input.resolveSubflow;
  const calendar = input.calendar ?? WorkCalendar.bundled();
  const simulator = new Simulator({
    clock: new SimulatedClock(input.now ?? '2026-03-02T09:00:00+08:00'),
    calendar,
    ...(resolve ? { resolveSubflow: (ref) => resolve(ref) } : {}),
  });
  const started = simulator.start(parsed.flow, {
    type: 'case.start',
    channel: input.channel,
    data: input.data ?? {},
    ...(input.urgency ? { urgency: input.urgency } : {}),
    actor: { id: 'sim-admin', roles: ['admin'], jurisdiction: flow.jurisdiction },
  });
  if (!started.ok) return started;
  return { ok: true, session: snapshot(flow, simulator, started.caseId, calendar) };
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

/** A task a role sees, with its buttons and the case it belongs to (a child case's tasks too). */
export type SimTask = AvailableActions['tasks'][number] & {
  caseId: string;
  /** The child case's flow, for a task of a child case. */
  childFlow?: string;
};

/** Open tasks a person with `role` sees across the run's active cases, with their buttons. */
export function simTasks(session: SimSession, role: string): SimTask[] {
  const out: SimTask[] = [];
  for (const c of session.cases) {
    if (c.state.status !== 'active') continue;
    for (const task of c.state.tasks) {
      if (task.candidates.role !== role) continue;
      const mine = availableActions(c.definition, c.state, actorFor(task, role)).tasks;
      for (const t of mine.filter((x) => x.taskId === task.id)) {
        out.push({
          ...t,
          caseId: c.id,
          ...(c.id === session.caseId ? {} : { childFlow: c.state.flow.key }),
        });
      }
    }
  }
  return out;
}

function act(session: SimSession, caseId: string, command: Command): SimResult {
  const result = session.simulator.act(caseId, command);
  if (!result.ok) return result;
  return {
    ok: true,
    session: snapshot(session.flow, session.simulator, session.caseId, session.calendar),
  };
}

/** Presses a button: claims the task if needed, then completes it with the form data. */
export function pressAction(
  session: SimSession,
  taskId: string,
  action: string,
  role: string,
  data: Record<string, unknown>,
): SimResult {
  const owner = session.cases.find((c) => c.state.tasks.some((t) => t.id === taskId));
  const task = owner?.state.tasks.find((t) => t.id === taskId);
  if (!owner || !task)
    return act(session, session.caseId, { type: 'task.complete', taskId, action, data });
  const actor = actorFor(task, role);
  let current = session;
  if (!task.assignee) {
    const claimed = act(current, owner.id, { type: 'task.claim', taskId, actor });
    if (!claimed.ok) return claimed;
    current = claimed.session;
  }
  return act(current, owner.id, { type: 'task.complete', taskId, action, data, actor });
}

/**
 * Moves the clock to an instant (ISO 8601; never backwards), firing every
 * timer of every case that falls due on the way, as `advanceClock` does.
 */
export function advanceTo(session: SimSession, instant: string): SimResult {
  const moved = session.simulator.advance(instant);
  if (!moved.ok) return moved;
  return {
    ok: true,
    session: snapshot(session.flow, session.simulator, session.caseId, session.calendar),
  };
}

/**
 * Moves the clock forward by whole days, firing every timer of every case
 * that falls due on the way, each at its own due time, as the server's
 * scheduler does.
 */
export function advanceClock(session: SimSession, days: number): SimResult {
  const moved = session.simulator.advance(days * DAY);
  if (!moved.ok) return moved;
  return {
    ok: true,
    session: snapshot(session.flow, session.simulator, session.caseId, session.calendar),
  };
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
  const current = session.state.tokens.map((t) => t.node);
  return { nodes: [...nodes], edges: [...edges], current };
}
