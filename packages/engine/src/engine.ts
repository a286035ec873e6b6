import {
  type AssigneeRule,
  approximateSeconds,
  compileSchema,
  type DataError,
  describeErrors,
  evaluateCondition,
  evaluateExpression,
  type FlowDefinition,
  type FlowEdge,
  type FlowNode,
  NODE_KINDS,
  type NodeKind,
  type NodeOfKind,
  parseDuration,
  type StatutoryClock,
  URGENCY_COLOURS,
  type UrgencyColour,
} from '@lianxin/spec';
import { computeDue, computeWarning, HOLIDAY_COVERAGE, instantMs } from './calendar';
import {
  actionEdges,
  type FlowIndex,
  forwardReach,
  indexFlow,
  jurisdictionAt,
  nodesReaching,
} from './definition';
import { evolve, getPath, initialState } from './evolve';
import { RejectionSignal, reject } from './rejections';
import type {
  Actor,
  CandidateRule,
  CaseFlag,
  CaseState,
  ClockState,
  Command,
  CommandOf,
  CommandType,
  Effect,
  Env,
  Event,
  EventBody,
  Notification,
  RejectionCode,
  Task,
  Timer,
  Token,
  TransitionResult,
} from './types';

/** Automatic steps one command may take before the flow is judged to loop. */
const STEP_LIMIT = 10_000;
const SUPERVISOR_ROLES = ['leader', 'admin'];

/** The item with this id in one of the state's lists. */
function byId<T extends { id: string }>(list: readonly T[], id: string): T | undefined {
  for (const item of list) if (item.id === id) return item;
  return undefined;
}

function fail(
  code: RejectionCode,
  params?: Record<string, string | number>,
  extra?: { errors?: DataError[] },
): never {
  throw new RejectionSignal(reject(code, params, extra));
}

const validators = new WeakMap<object, ReturnType<typeof compileSchema>>();
/** Validates with the shared ajv setup; compiled once per schema object. */
function validate(schema: object, data: unknown): DataError[] {
  let fn = validators.get(schema);
  if (!fn) {
    fn = compileSchema(schema);
    validators.set(schema, fn);
  }
  return fn(data) ? [] : describeErrors(fn.errors);
}

/** One transition in progress: the state so far, the events and effects it produced. */
class Run {
  state: CaseState;
  readonly events: Event[] = [];
  readonly effects: Effect[] = [];
  private steps = 0;
  readonly nowMs: number;

  constructor(
    readonly def: FlowDefinition,
    readonly ix: FlowIndex,
    state: CaseState,
    readonly env: Env,
    readonly actor: Actor | undefined,
  ) {
    this.state = state;
    this.nowMs = instantMs(env.now);
  }

  emit(body: EventBody): void {
    // Callers pass a fresh literal, so stamping it in place saves a copy per event.
    const event = body as Event;
    event.at = this.env.now;
    if (this.actor) event.by = this.actor.id;
    this.state = evolve(this.state, event);
    this.events.push(event);
    const effect = effectOf(event, this.state);
    if (effect) this.effects.push(effect);
  }

  notify(n: Omit<Notification, 'type'>): void {
    this.effects.push({ type: 'notify', ...n });
  }

  newId(): string {
    return this.env.newId();
  }

  step(): void {
    if (++this.steps > STEP_LIMIT) fail('flow.automaticLoop', { limit: STEP_LIMIT });
  }

  get active(): boolean {
    return this.state.status === 'active';
  }

  node(id: string): FlowNode {
    const node = this.ix.nodes.get(id);
    // Definitions are checked before they run; a missing node is a broken definition.
    if (!node) throw new Error(`node "${id}" is not in flow ${this.def.key}@${this.def.version}`);
    return node;
  }

  conditionData(extra?: Record<string, unknown>): Record<string, unknown> {
    const s = this.state;
    return {
      ...s.data,
      ...extra,
      $case: {
        channel: s.channel,
        urgency: s.urgency,
        repeat: s.repeat,
        jurisdiction: s.jurisdiction,
      },
    };
  }

  flag(subject: CaseFlag['subject'], due: string): void {
    const flag: CaseFlag = {
      code: 'calendar.beyondCoverage',
      subject,
      coveredUntil: HOLIDAY_COVERAGE.until,
      message: {
        'zh-CN': `工作日期限 ${due} 超出节假日数据覆盖范围（至 ${HOLIDAY_COVERAGE.until} 年），按周一至周五估算，请人工核对`,
        en: `working-day deadline ${due} is beyond the holiday data (covers up to ${HOLIDAY_COVERAGE.until}); estimated as Monday–Friday, check it by hand`,
      },
    };
    this.emit({ type: 'calendar.beyondCoverage', flag });
  }
}

function effectOf(event: Event, state: CaseState): Effect | undefined {
  switch (event.type) {
    case 'task.opened':
      return { type: 'task.open', task: event.task };
    case 'task.claimed':
    case 'task.released':
    case 'task.reassigned':
    case 'task.delegated':
    case 'task.dueSoon':
    case 'task.overdue': {
      const task = byId(state.tasks, event.taskId);
      return task ? { type: 'task.update', task } : undefined;
    }
    case 'task.completed':
      return { type: 'task.close', taskId: event.taskId, reason: 'completed' };
    case 'task.returned':
      return { type: 'task.close', taskId: event.taskId, reason: 'returned' };
    case 'task.refused':
      return { type: 'task.close', taskId: event.taskId, reason: 'refused' };
    case 'task.cancelled':
      return { type: 'task.close', taskId: event.taskId, reason: event.reason };
    case 'timer.set':
      return { type: 'timer.set', timerId: event.timer.id, due: event.timer.due };
    case 'timer.cancelled':
      return { type: 'timer.cancel', timerId: event.timerId };
    case 'child.started':
      return {
        type: 'child.start',
        childId: event.child.id,
        flow: event.child.flow,
        input: event.child.input,
      };
    case 'child.cancelled':
      return { type: 'child.cancel', childId: event.childId };
    case 'calendar.beyondCoverage':
      return { type: 'case.flag', flag: event.flag };
    case 'case.closed':
      return { type: 'case.close', outcome: event.outcome };
    case 'case.cancelled':
      return { type: 'case.close', cancelled: true };
    default:
      return undefined;
  }
}

// ---------------------------------------------------------------------------
// Token movement and the node-kind registry

interface NodeSemantics<K extends NodeKind> {
  /** A token has arrived at the node (via the edge, when it came along one). */
  enter(run: Run, token: Token, node: NodeOfKind<K>, via: FlowEdge | undefined): void;
}
type Semantics = { [K in NodeKind]: NodeSemantics<K> };

function onlyNext(run: Run, node: FlowNode): FlowEdge {
  const edge = (run.ix.outgoing.get(node.id) ?? []).find((e) => e.kind === 'next');
  if (!edge) throw new Error(`node "${node.id}" has no next edge`);
  return edge;
}

function safeCondition(run: Run, logic: unknown, extra?: Record<string, unknown>): boolean {
  try {
    return evaluateCondition(logic, run.conditionData(extra));
  } catch {
    return false;
  }
}

function safeExpression(run: Run, logic: unknown): unknown {
  try {
    return evaluateExpression(logic, run.conditionData());
  } catch {
    return null;
  }
}

/** What each kind of node does when a token arrives. */
export const semantics = {
  start: {
    enter(run, token, node) {
      moveToken(run, token.id, onlyNext(run, node));
    },
  },
  task: {
    enter(run, token, node) {
      openTask(run, token, node);
    },
  },
  multiTask: {
    enter(run, token, node) {
      const list = getPath(run.state.data, node.over);
      const items = Array.isArray(list) ? list : [];
      if (items.length === 0) {
        // Nothing to hand out: the node is done at once, along its first button.
        const edge = actionEdges(run.ix, node.id)[0];
        if (edge) moveToken(run, token.id, edge);
        return;
      }
      run.emit({ type: 'multiTask.started', tokenId: token.id, count: items.length });
      items.forEach((value, index) => {
        openTask(run, token, node, { index, value });
      });
    },
  },
  decision: {
    enter(run, token, node) {
      const out = run.ix.outgoing.get(node.id) ?? [];
      const chosen =
        out.find((e) => e.kind === 'condition' && safeCondition(run, e.condition)) ??
        out.find((e) => e.kind === 'default');
      if (!chosen) throw new Error(`decision "${node.id}" has no default edge`);
      moveToken(run, token.id, chosen);
    },
  },
  parallel: {
    enter(run, token, node) {
      const out = (run.ix.outgoing.get(node.id) ?? []).filter((e) => e.kind === 'next');
      const [first, ...rest] = out;
      if (!first) return;
      // Create every branch's token before any moves, so an early end cancels them all.
      const spawned = rest.map((edge) => {
        const tokenId = run.newId();
        run.emit({ type: 'token.created', tokenId, node: node.id });
        return { tokenId, edge };
      });
      moveToken(run, token.id, first);
      for (const { tokenId, edge } of spawned) {
        if (run.active && byId(run.state.tokens, tokenId)) moveToken(run, tokenId, edge);
      }
    },
  },
  join: {
    enter(run, token, node, via) {
      if (node.mode === 'any') {
        // First token wins: cancel every other token still on its way here.
        const upstream = nodesReaching(run.ix, node.id);
        for (const other of run.state.tokens) {
          if (other.id !== token.id && upstream.has(other.node)) cancelToken(run, other.id);
        }
        if (run.state.joins[node.id]) {
          run.emit({ type: 'join.reset', node: node.id, edges: run.state.joins[node.id] ?? [] });
        }
        moveToken(run, token.id, onlyNext(run, node));
        return;
      }
      const incoming = (run.ix.incoming.get(node.id) ?? []).map((e) => e.id);
      const arrived = run.state.joins[node.id] ?? [];
      if (via && !arrived.includes(via.id))
        run.emit({ type: 'join.arrived', node: node.id, edge: via.id });
      const now = run.state.joins[node.id] ?? [];
      if (incoming.every((e) => now.includes(e))) {
        run.emit({ type: 'join.reset', node: node.id, edges: incoming });
        moveToken(run, token.id, onlyNext(run, node));
      } else {
        run.emit({ type: 'token.consumed', tokenId: token.id, reason: 'joined' });
      }
    },
  },
  timer: {
    enter(run, token, node) {
      const due = computeDue(run.nowMs, node.wait.duration, node.wait.calendar);
      if (!due) throw new Error(`timer "${node.id}" has an invalid duration`);
      const timer: Timer = {
        id: run.newId(),
        due: due.due,
        purpose: { kind: 'node', tokenId: token.id, node: node.id },
      };
      run.emit({ type: 'timer.set', timer });
      if (due.beyondCoverage) run.flag({ kind: 'timer', id: timer.id }, due.due);
    },
  },
  action: {
    enter(run, token, node) {
      for (const op of node.operations) {
        switch (op.op) {
          case 'set':
            run.emit({
              type: 'data.set',
              var: op.var,
              value: safeExpression(run, op.value) ?? null,
            });
            break;
          case 'setUrgency': {
            const value = safeExpression(run, op.value);
            if (URGENCY_COLOURS.includes(value as UrgencyColour) && value !== run.state.urgency) {
              run.emit({ type: 'urgency.set', urgency: value as UrgencyColour });
            }
            break;
          }
          case 'notify': {
            const message = {
              'zh-CN': op.message['zh-CN'],
              en: op.message.en ?? op.message['zh-CN'],
            };
            if (typeof op.to === 'string') run.notify({ to: { kind: op.to }, message });
            else
              run.notify({
                to: { kind: 'candidates', candidates: candidatesFor(run, op.to) },
                message,
              });
            break;
          }
          case 'escalate': {
            const jurisdiction = jurisdictionAt(run.state.receivedJurisdiction, op.level);
            run.emit({ type: 'case.escalated', level: op.level, jurisdiction });
            break;
          }
        }
      }
      moveToken(run, token.id, onlyNext(run, node));
    },
  },
  subflow: {
    enter(run, token, node) {
      const input: Record<string, unknown> = {};
      for (const [key, logic] of Object.entries(node.input ?? {})) {
        input[key] = safeExpression(run, logic) ?? null;
      }
      run.emit({
        type: 'child.started',
        child: { id: run.newId(), tokenId: token.id, node: node.id, flow: node.flow, input },
      });
    },
  },
  end: {
    enter(run, token, node) {
      run.emit({ type: 'token.consumed', tokenId: token.id, reason: 'ended' });
      closeCase(run, node.outcome, node.id);
    },
  },
} satisfies Semantics;

function enterNode(run: Run, token: Token, nodeId: string, via: FlowEdge | undefined): void {
  run.step();
  clockHooks(run, 'enter', nodeId);
  if (!run.active) return;
  const node = run.node(nodeId);
  (semantics[node.kind] as NodeSemantics<NodeKind>).enter(run, token, node, via);
}

/** Moves a token along an edge (leaving its node) and lets the next node act. */
function moveToken(run: Run, tokenId: string, edge: FlowEdge): void {
  if (!run.active) return;
  const token = byId(run.state.tokens, tokenId);
  if (!token) return;
  clockHooks(run, 'leave', token.node);
  if (!run.active) return;
  run.emit({ type: 'token.moved', tokenId, node: edge.to, via: edge.id });
  enterNode(run, byId(run.state.tokens, tokenId) as Token, edge.to, edge);
}

/** Puts a token back on an earlier node (退回 / 拒签) without an edge. */
function jumpToken(run: Run, tokenId: string, nodeId: string, via: string): void {
  const token = byId(run.state.tokens, tokenId);
  if (!token) return;
  clockHooks(run, 'leave', token.node);
  if (!run.active) return;
  run.emit({ type: 'token.moved', tokenId, node: nodeId, via });
  enterNode(run, byId(run.state.tokens, tokenId) as Token, nodeId, undefined);
}

function cancelTimers(run: Run, match: (t: Timer) => boolean): void {
  for (const timer of run.state.timers) {
    if (match(timer)) run.emit({ type: 'timer.cancelled', timerId: timer.id });
  }
}

function cancelTaskTimers(run: Run, taskId: string): void {
  cancelTimers(
    run,
    (t) =>
      (t.purpose.kind === 'taskWarning' || t.purpose.kind === 'taskOverdue') &&
      t.purpose.taskId === taskId,
  );
}

/** Cancels a token with everything it waits on: tasks, timers, child cases. */
function cancelToken(
  run: Run,
  tokenId: string,
  reason: 'ended' | 'branchCancelled' = 'branchCancelled',
): void {
  for (const task of run.state.tasks) {
    if (task.tokenId !== tokenId) continue;
    cancelTaskTimers(run, task.id);
    run.emit({ type: 'task.cancelled', taskId: task.id, reason });
  }
  cancelTimers(run, (t) => t.purpose.kind === 'node' && t.purpose.tokenId === tokenId);
  for (const child of run.state.children) {
    if (child.tokenId === tokenId) run.emit({ type: 'child.cancelled', childId: child.id });
  }
  run.emit({ type: 'token.consumed', tokenId, reason: reason === 'ended' ? 'ended' : 'cancelled' });
}

/** Terminate semantics: other tokens, tasks, timers and clocks stop, then the case closes. */
function closeCase(run: Run, outcome: NodeOfKind<'end'>['outcome'], node?: string): void {
  for (const token of run.state.tokens) cancelToken(run, token.id, 'ended');
  stopEverything(run);
  run.emit({ type: 'case.closed', outcome, ...(node ? { node } : {}) });
}

function stopEverything(run: Run): void {
  cancelTimers(run, () => true);
  for (const clock of Object.values(run.state.clocks)) {
    if (clock.status !== 'stopped') run.emit({ type: 'clock.stopped', clockId: clock.id });
  }
}

// ---------------------------------------------------------------------------
// Tasks, assignment and deadlines

function candidatesFor(
  run: Run,
  rule: AssigneeRule,
  item?: { value: unknown },
  itemVar?: string,
): CandidateRule {
  const candidates: CandidateRule = {
    role: rule.role,
    jurisdiction: jurisdictionAt(run.state.jurisdiction, rule.level),
  };
  if (typeof rule.department === 'string') candidates.department = rule.department;
  else if (rule.department) {
    const scope = item && itemVar ? { ...run.state.data, [itemVar]: item.value } : run.state.data;
    const value = getPath(scope, rule.department.var);
    if (typeof value === 'string' || typeof value === 'number')
      candidates.department = String(value);
  }
  if (rule.group) candidates.group = rule.group;
  const preferred =
    rule.prefer === 'firstHandler'
      ? run.state.firstHandler
      : rule.prefer === 'leaderOwner'
        ? run.state.leaderOwner
        : undefined;
  if (preferred) candidates.preferredUser = preferred;
  return candidates;
}

function openTask(
  run: Run,
  token: Token,
  node: NodeOfKind<'task'> | NodeOfKind<'multiTask'>,
  item?: { index: number; value: unknown },
): void {
  const itemVar = node.kind === 'multiTask' ? node.itemVar : undefined;
  const candidates = candidatesFor(run, node.assignee, item, itemVar);
  const task: Task = {
    id: run.newId(),
    tokenId: token.id,
    node: node.id,
    name: node.name,
    candidates,
    openedAt: run.env.now,
    dueState: 'onTime',
  };
  if (node.form) task.form = node.form;
  if (candidates.preferredUser) task.assignee = candidates.preferredUser;
  if (item) task.item = item;
  let beyondCoverage = false;
  if (node.deadline) {
    const urgency = run.state.urgency;
    const duration = (urgency && node.deadline.byUrgency?.[urgency]) || node.deadline.duration;
    const due = computeDue(run.nowMs, duration, node.deadline.calendar);
    if (due) {
      task.due = due.due;
      const warnAt = computeWarning(due.dueMs, node.deadline.warningBefore);
      if (warnAt) task.warnAt = warnAt;
      beyondCoverage = due.beyondCoverage;
    }
  }
  run.emit({ type: 'task.opened', task });
  if (beyondCoverage && task.due) run.flag({ kind: 'task', id: task.id }, task.due);
  if (task.warnAt) {
    run.emit({
      type: 'timer.set',
      timer: {
        id: run.newId(),
        due: task.warnAt,
        purpose: { kind: 'taskWarning', taskId: task.id },
      },
    });
  }
  if (task.due) {
    run.emit({
      type: 'timer.set',
      timer: { id: run.newId(), due: task.due, purpose: { kind: 'taskOverdue', taskId: task.id } },
    });
  }
}

function isSupervisor(actor: Actor, state: CaseState): boolean {
  return actor.roles.some((r) => SUPERVISOR_ROLES.includes(r)) || actor.id === state.leaderOwner;
}

function isAdmin(actor: Actor): boolean {
  return actor.roles.includes('admin');
}

/** Whether the actor matches the task's candidate rule (role, jurisdiction, department, group). */
export function isCandidate(actor: Actor, task: Task): boolean {
  const c = task.candidates;
  return (
    actor.roles.includes(c.role) &&
    actor.jurisdiction === c.jurisdiction &&
    (c.department === undefined || actor.department === c.department) &&
    (c.group === undefined || (actor.groups ?? []).includes(c.group))
  );
}

/** Whether the actor may work on (complete, return, refuse) the task. */
export function canWork(actor: Actor, task: Task): boolean {
  return task.assignee !== undefined ? task.assignee === actor.id : isCandidate(actor, task);
}

function needActor(run: Run): Actor {
  if (!run.actor) fail('actor.missing');
  return run.actor;
}

function notAllowed(actor: Actor, why: string, whyEn: string): never {
  fail('actor.notAllowed', { actor: actor.id, why, whyEn });
}

function findTask(run: Run, taskId: string): Task {
  const task = byId(run.state.tasks, taskId);
  if (!task) fail('task.notFound', { taskId });
  return task;
}

function requireWorker(run: Run, task: Task): Actor {
  const actor = needActor(run);
  if (!canWork(actor, task)) {
    if (task.assignee)
      notAllowed(
        actor,
        `任务已由 ${task.assignee} 签收`,
        `the task is assigned to ${task.assignee}`,
      );
    notAllowed(actor, '不是该任务的候选办理人', 'not a candidate for this task');
  }
  return actor;
}

function humanNode(run: Run, task: Task): NodeOfKind<'task'> | NodeOfKind<'multiTask'> {
  const node = run.node(task.node);
  if (node.kind !== 'task' && node.kind !== 'multiTask')
    throw new Error(`"${node.id}" is not a task`);
  return node;
}

function validateForm(
  run: Run,
  formId: string | undefined,
  data: unknown,
  errors: DataError[],
): void {
  if (!formId) return;
  const form = run.ix.forms.get(formId);
  if (!form) return;
  errors.push(...validate(form.schema as object, data));
}

/**
 * Re-runs work from `target`: other tokens on nodes reachable from `target`
 * are cancelled (that work will be done again) and join arrivals from those
 * nodes are forgotten, so returning out of one branch of a parallel split to
 * a node before the split restarts every branch, while a return within one
 * branch leaves its sibling branches alone.
 */
function rewindTo(run: Run, keepToken: string, target: string): void {
  const redo = forwardReach(run.ix, target);
  for (const other of run.state.tokens) {
    if (other.id !== keepToken && redo.has(other.node)) cancelToken(run, other.id);
  }
  for (const [join, arrived] of Object.entries(run.state.joins)) {
    const edges = arrived.filter((edgeId) => {
      const edge = run.def.edges.find((e) => e.id === edgeId);
      return edge !== undefined && redo.has(edge.from) && edge.from !== join;
    });
    if (edges.length) run.emit({ type: 'join.reset', node: join, edges });
  }
  // Returning into one branch after its join has fired: the other branches are
  // done and will not run again, so the join counts them as arrived.
  for (const join of redo) {
    const node = run.ix.nodes.get(join);
    if (join === target || node?.kind !== 'join' || node.mode !== 'all') continue;
    const upstream = nodesReaching(run.ix, join);
    const pending = run.state.tokens.some((t) => t.id !== keepToken && upstream.has(t.node));
    if (pending) continue;
    const arrived = run.state.joins[join] ?? [];
    for (const edge of run.ix.incoming.get(join) ?? []) {
      if (!redo.has(edge.from) && !arrived.includes(edge.id)) {
        run.emit({ type: 'join.arrived', node: join, edge: edge.id });
      }
    }
  }
}

function sendBack(run: Run, task: Task, target: string): void {
  // A multi-instance node goes back as a whole: its other tasks close too.
  for (const sibling of run.state.tasks) {
    if (sibling.tokenId === task.tokenId) {
      cancelTaskTimers(run, sibling.id);
      run.emit({ type: 'task.cancelled', taskId: sibling.id, reason: 'branchCancelled' });
    }
  }
  rewindTo(run, task.tokenId, target);
  jumpToken(run, task.tokenId, target, `return:${task.id}`);
}

// ---------------------------------------------------------------------------
// Statutory clocks

function clockTimers(run: Run, clock: ClockState): void {
  if (clock.warnAt) {
    run.emit({
      type: 'timer.set',
      timer: {
        id: run.newId(),
        due: clock.warnAt,
        purpose: { kind: 'clockWarning', clockId: clock.id },
      },
    });
  }
  run.emit({
    type: 'timer.set',
    timer: {
      id: run.newId(),
      due: clock.due,
      purpose: { kind: 'clockOverdue', clockId: clock.id },
    },
  });
}

function cancelClockTimers(run: Run, clockId: string): void {
  cancelTimers(
    run,
    (t) =>
      (t.purpose.kind === 'clockWarning' || t.purpose.kind === 'clockOverdue') &&
      t.purpose.clockId === clockId,
  );
}

function matchesPoint(
  point: StatutoryClock['start'],
  on: 'caseStart' | 'enter' | 'leave',
  node?: string,
): boolean {
  if (point.on === 'caseStart') return on === 'caseStart';
  return point.on === on && point.node === node;
}

function clockHooks(run: Run, on: 'caseStart' | 'enter' | 'leave', node?: string): void {
  for (const def of run.def.clocks) {
    const clock = run.state.clocks[def.id];
    if (clock && clock.status !== 'stopped' && matchesPoint(def.stop, on, node)) {
      cancelClockTimers(run, def.id);
      run.emit({ type: 'clock.stopped', clockId: def.id });
    } else if (!clock && matchesPoint(def.start, on, node)) {
      startClock(run, def);
    }
  }
}

function startClock(run: Run, def: StatutoryClock): void {
  const urgency = run.state.urgency;
  const duration = (urgency && def.deadline.byUrgency?.[urgency]) || def.deadline.duration;
  const due = computeDue(run.nowMs, duration, def.deadline.calendar);
  if (!due) return;
  const clock: ClockState = {
    id: def.id,
    name: def.name,
    status: 'running',
    startedAt: run.env.now,
    due: due.due,
    calendar: def.deadline.calendar,
    pausedMs: 0,
    extensionsUsed: 0,
    overdue: false,
  };
  const warnAt = computeWarning(due.dueMs, def.deadline.warningBefore);
  if (warnAt) clock.warnAt = warnAt;
  run.emit({ type: 'clock.started', clock });
  if (due.beyondCoverage) run.flag({ kind: 'clock', id: def.id }, due.due);
  clockTimers(run, clock);
}

function clockDef(run: Run, clockId: string): StatutoryClock {
  const def = run.def.clocks.find((c) => c.id === clockId);
  if (!def || !run.state.clocks[clockId]) fail('clock.notFound', { clockId });
  return def;
}

// ---------------------------------------------------------------------------
// Commands

type Handler<T extends CommandType> = (run: Run, command: CommandOf<T>) => void;

function message(zh: string, en: string) {
  return { 'zh-CN': zh, en };
}

function taskRecipients(task: Task): Notification['to'] {
  return task.assignee
    ? { kind: 'user', userId: task.assignee }
    : { kind: 'candidates', candidates: task.candidates };
}

function deadlineReached(run: Run, task: Task, on: 'warning' | 'overdue'): void {
  const edge = (run.ix.outgoing.get(task.node) ?? []).find(
    (e) => e.kind === 'deadline' && e.on === on,
  );
  if (edge) {
    // Escalation: the task (and a multi-instance node's other tasks) close and the case moves on.
    for (const t of run.state.tasks) {
      if (t.tokenId !== task.tokenId) continue;
      cancelTaskTimers(run, t.id);
      run.emit({ type: 'task.cancelled', taskId: t.id, reason: 'deadline' });
    }
    moveToken(run, task.tokenId, edge);
    return;
  }
  const name = task.name['zh-CN'];
  if (on === 'warning') {
    run.emit({ type: 'task.dueSoon', taskId: task.id });
    run.notify({
      to: taskRecipients(task),
      taskId: task.id,
      message: message(
        `任务“${name}”即将到期（${task.due}）`,
        `task "${task.name.en ?? name}" is due soon (${task.due})`,
      ),
    });
  } else {
    run.emit({ type: 'task.overdue', taskId: task.id });
    run.notify({
      to: taskRecipients(task),
      taskId: task.id,
      message: message(
        `任务“${name}”已超期（${task.due}）`,
        `task "${task.name.en ?? name}" is overdue (${task.due})`,
      ),
    });
    if (run.state.leaderOwner) {
      run.notify({
        to: { kind: 'leaderOwner' },
        taskId: task.id,
        message: message(
          `包案事项的任务“${name}”已超期`,
          `a task of your case is overdue: "${task.name.en ?? name}"`,
        ),
      });
    }
  }
}

const handlers: { [T in CommandType]: Handler<T> } = {
  'case.start'(run, c) {
    if (run.state.status !== 'new') fail('case.alreadyStarted');
    const start = run.ix.start;
    if (!start) throw new Error('flow has no start node');
    if (!start.channels.includes(c.channel)) {
      fail('channel.notAllowed', { channel: c.channel, allowed: start.channels.join(', ') });
    }
    const jurisdiction = c.jurisdiction ?? run.def.jurisdiction;
    if (!/^\d{6}$/.test(jurisdiction)) fail('jurisdiction.invalid', { code: jurisdiction });
    const data = c.data ?? {};
    const errors: DataError[] = [];
    // Citizens submitting online fill the public intake form; staff fill the registration form.
    const formId = c.channel === 'online' && start.intakeForm ? start.intakeForm : start.form;
    validateForm(run, formId, data, errors);
    if (errors.length) fail('form.invalid', { count: errors.length }, { errors });
    run.emit({
      type: 'case.started',
      caseId: run.newId(),
      flow: { key: run.def.key, version: run.def.version },
      channel: c.channel,
      data,
      jurisdiction,
      urgency: c.urgency ?? null,
      repeat: c.repeat ?? false,
      ...(c.petitioner !== undefined ? { petitioner: c.petitioner } : {}),
    });
    clockHooks(run, 'caseStart');
    const tokenId = run.newId();
    run.emit({ type: 'token.created', tokenId, node: start.id });
    enterNode(run, byId(run.state.tokens, tokenId) as Token, start.id, undefined);
  },

  'task.complete'(run, c) {
    const task = findTask(run, c.taskId);
    const actor = requireWorker(run, task);
    const node = humanNode(run, task);
    const edges = actionEdges(run.ix, node.id);
    const edge = edges.find((e) => e.action === c.action);
    if (!edge) {
      fail('action.unknown', {
        node: node.id,
        action: c.action,
        allowed: edges.map((e) => e.action).join(', '),
      });
    }
    if (edge.roles && !edge.roles.some((r) => actor.roles.includes(r))) {
      notAllowed(
        actor,
        `操作“${edge.label['zh-CN']}”仅限角色 ${edge.roles.join('、')}`,
        `action "${c.action}" is for roles ${edge.roles.join(', ')}`,
      );
    }
    const data = c.data ?? {};
    const errors: DataError[] = [];
    validateForm(run, node.form, data, errors);
    validateForm(run, edge.form, data, errors);
    if (errors.length) fail('form.invalid', { count: errors.length }, { errors });
    run.emit({ type: 'task.completed', taskId: task.id, action: c.action, edge: edge.id, data });
    cancelTaskTimers(run, task.id);
    if (!run.state.firstHandler) run.emit({ type: 'firstHandler.set', userId: actor.id });
    if (node.kind === 'multiTask') {
      run.emit({ type: 'data.appended', var: node.collect, value: data });
      const token = byId(run.state.tokens, task.tokenId);
      if (token?.multi && token.multi.open <= 0) {
        const last = run.def.edges.find((e) => e.id === token.multi?.lastEdge) ?? edge;
        moveToken(run, token.id, last);
      }
      return;
    }
    if (Object.keys(data).length) run.emit({ type: 'data.merged', values: data });
    moveToken(run, task.tokenId, edge);
  },

  'task.claim'(run, c) {
    const task = findTask(run, c.taskId);
    const actor = needActor(run);
    if (task.assignee) fail('task.alreadyClaimed', { assignee: task.assignee });
    if (!isCandidate(actor, task))
      notAllowed(actor, '不是该任务的候选办理人', 'not a candidate for this task');
    run.emit({ type: 'task.claimed', taskId: task.id, userId: actor.id });
  },

  'task.release'(run, c) {
    const task = findTask(run, c.taskId);
    const actor = needActor(run);
    if (!task.assignee) fail('task.notClaimed');
    if (task.assignee !== actor.id && !isSupervisor(actor, run.state)) {
      notAllowed(actor, '只有签收人或领导可以退签', 'only the assignee or a leader may release it');
    }
    run.emit({ type: 'task.released', taskId: task.id });
  },

  'task.reassign'(run, c) {
    const task = findTask(run, c.taskId);
    const actor = needActor(run);
    if (task.assignee !== actor.id && !isSupervisor(actor, run.state)) {
      notAllowed(
        actor,
        '只有签收人、领导或管理员可以改派',
        'only the assignee, a leader or an admin may reassign',
      );
    }
    run.emit({ type: 'task.reassigned', taskId: task.id, to: c.to });
  },

  'task.delegate'(run, c) {
    const task = findTask(run, c.taskId);
    const actor = needActor(run);
    if (task.assignee !== actor.id && !isSupervisor(actor, run.state)) {
      notAllowed(
        actor,
        '只有签收人、领导或管理员可以委托',
        'only the assignee, a leader or an admin may delegate',
      );
    }
    run.emit({ type: 'task.delegated', taskId: task.id, to: c.to });
  },

  'task.return'(run, c) {
    const task = findTask(run, c.taskId);
    requireWorker(run, task);
    const node = humanNode(run, task);
    if (!node.returnTo?.includes(c.to)) {
      fail('return.notAllowed', {
        node: node.id,
        to: c.to,
        allowed: node.returnTo?.join(', ') || '—',
      });
    }
    if (!forwardReach(run.ix, c.to).has(node.id)) {
      fail('return.notEarlier', { node: node.id, to: c.to });
    }
    if (!c.reason?.trim()) fail('text.empty', { field: '退回理由', fieldEn: 'the reason' });
    cancelTaskTimers(run, task.id);
    run.emit({ type: 'task.returned', taskId: task.id, to: c.to, reason: c.reason });
    sendBack(run, task, c.to);
  },

  'task.refuse'(run, c) {
    const task = findTask(run, c.taskId);
    requireWorker(run, task);
    const node = humanNode(run, task);
    if (!node.refusal) fail('refusal.notAllowed', { node: node.id });
    if (!forwardReach(run.ix, node.refusal.backTo).has(node.id)) {
      fail('return.notEarlier', { node: node.id, to: node.refusal.backTo });
    }
    if (!c.reason?.trim()) fail('text.empty', { field: '拒签理由', fieldEn: 'the reason' });
    cancelTaskTimers(run, task.id);
    run.emit({
      type: 'task.refused',
      taskId: task.id,
      backTo: node.refusal.backTo,
      reason: c.reason,
    });
    sendBack(run, task, node.refusal.backTo);
  },

  'timer.fire'(run, c) {
    const timer = byId(run.state.timers, c.timerId);
    if (!timer) fail('timer.notFound', { timerId: c.timerId });
    if (instantMs(timer.due) > run.nowMs) fail('timer.notDue', { due: timer.due });
    run.emit({ type: 'timer.fired', timerId: timer.id });
    const p = timer.purpose;
    switch (p.kind) {
      case 'node': {
        const token = byId(run.state.tokens, p.tokenId);
        if (token) moveToken(run, token.id, onlyNext(run, run.node(p.node)));
        return;
      }
      case 'taskWarning':
      case 'taskOverdue': {
        const task = byId(run.state.tasks, p.taskId);
        if (task) deadlineReached(run, task, p.kind === 'taskWarning' ? 'warning' : 'overdue');
        return;
      }
      case 'clockWarning':
      case 'clockOverdue': {
        const clock = run.state.clocks[p.clockId];
        if (!clock) return;
        const name = clock.name['zh-CN'];
        if (p.kind === 'clockWarning') {
          run.emit({ type: 'clock.dueSoon', clockId: clock.id });
          run.notify({
            to: { kind: 'assignees' },
            clockId: clock.id,
            message: message(
              `法定时限“${name}”即将到期（${clock.due}）`,
              `statutory deadline "${clock.name.en ?? name}" is due soon (${clock.due})`,
            ),
          });
        } else {
          run.emit({ type: 'clock.overdue', clockId: clock.id });
          run.notify({
            to: { kind: 'leaderOwner' },
            clockId: clock.id,
            message: message(
              `法定时限“${name}”已超期（${clock.due}）`,
              `statutory deadline "${clock.name.en ?? name}" is overdue (${clock.due})`,
            ),
          });
        }
        return;
      }
    }
  },

  'deadline.requestExtension'(run, c) {
    const actor = needActor(run);
    const def = clockDef(run, c.clockId);
    const clock = run.state.clocks[c.clockId] as ClockState;
    if (clock.status === 'stopped') fail('clock.notRunning', { clockId: c.clockId });
    const working = run.state.tasks.some((t) => canWork(actor, t));
    if (!working && !isSupervisor(actor, run.state)) {
      notAllowed(
        actor,
        '只有在办人员或领导可以申请延期',
        'only someone working the case or a leader may ask',
      );
    }
    if (!def.extension) fail('extension.notAllowed', { clockId: c.clockId });
    const asked = parseDuration(c.duration);
    if (!asked) fail('duration.invalid', { value: c.duration });
    const max = parseDuration(def.extension.max);
    if (max && approximateSeconds(asked) > approximateSeconds(max)) {
      fail('extension.tooLong', { duration: c.duration, max: def.extension.max });
    }
    if (clock.extensionsUsed >= def.extension.times) {
      fail('extension.exhausted', { clockId: c.clockId, times: clock.extensionsUsed });
    }
    if (!c.reason?.trim()) fail('text.empty', { field: '延期理由', fieldEn: 'the reason' });
    run.emit({
      type: 'extension.requested',
      request: {
        id: run.newId(),
        clockId: c.clockId,
        duration: c.duration,
        reason: c.reason,
        requestedBy: actor.id,
        requestedAt: run.env.now,
      },
    });
  },

  'deadline.approveExtension'(run, c) {
    const actor = needActor(run);
    const request = run.state.extensionRequests[c.requestId];
    if (!request) fail('extension.notFound', { requestId: c.requestId });
    if (!isSupervisor(actor, run.state))
      notAllowed(actor, '只有领导可以批准延期', 'only a leader may approve an extension');
    const def = clockDef(run, request.clockId);
    const clock = run.state.clocks[request.clockId] as ClockState;
    if (clock.status === 'stopped') fail('clock.notRunning', { clockId: clock.id });
    if (def.extension && clock.extensionsUsed >= def.extension.times) {
      fail('extension.exhausted', { clockId: clock.id, times: clock.extensionsUsed });
    }
    const due = computeDue(instantMs(clock.due), request.duration, clock.calendar);
    if (!due) fail('duration.invalid', { value: request.duration });
    const warnAt = computeWarning(due.dueMs, def.deadline.warningBefore);
    cancelClockTimers(run, clock.id);
    run.emit({
      type: 'extension.approved',
      requestId: request.id,
      clockId: clock.id,
      due: due.due,
      ...(warnAt ? { warnAt } : {}),
    });
    if (due.beyondCoverage) run.flag({ kind: 'clock', id: clock.id }, due.due);
    const updated = run.state.clocks[clock.id] as ClockState;
    if (updated.status === 'running') clockTimers(run, updated);
  },

  'deadline.refuseExtension'(run, c) {
    const actor = needActor(run);
    const request = run.state.extensionRequests[c.requestId];
    if (!request) fail('extension.notFound', { requestId: c.requestId });
    if (!isSupervisor(actor, run.state))
      notAllowed(actor, '只有领导可以驳回延期', 'only a leader may refuse an extension');
    if (!c.reason?.trim()) fail('text.empty', { field: '驳回理由', fieldEn: 'the reason' });
    run.emit({ type: 'extension.refused', requestId: request.id, reason: c.reason });
  },

  'clock.pause'(run, c) {
    const actor = needActor(run);
    clockDef(run, c.clockId);
    const clock = run.state.clocks[c.clockId] as ClockState;
    if (!isSupervisor(actor, run.state))
      notAllowed(actor, '只有领导可以暂停法定时限', 'only a leader may pause a statutory clock');
    if (clock.status !== 'running') fail('clock.notRunning', { clockId: c.clockId });
    if (!c.reason?.trim()) fail('text.empty', { field: '暂停理由', fieldEn: 'the reason' });
    cancelClockTimers(run, clock.id);
    run.emit({ type: 'clock.paused', clockId: clock.id, reason: c.reason });
  },

  'clock.resume'(run, c) {
    const actor = needActor(run);
    clockDef(run, c.clockId);
    const clock = run.state.clocks[c.clockId] as ClockState;
    if (!isSupervisor(actor, run.state))
      notAllowed(actor, '只有领导可以恢复法定时限', 'only a leader may resume a statutory clock');
    if (clock.status !== 'paused' || !clock.pausedAt)
      fail('clock.notPaused', { clockId: c.clockId });
    const paused = run.nowMs - instantMs(clock.pausedAt);
    const due = new Date(instantMs(clock.due) + paused).toISOString();
    const warnAt = clock.warnAt
      ? new Date(instantMs(clock.warnAt) + paused).toISOString()
      : undefined;
    run.emit({
      type: 'clock.resumed',
      clockId: clock.id,
      due,
      pausedMs: clock.pausedMs + paused,
      ...(warnAt ? { warnAt } : {}),
      ...(c.reason ? { reason: c.reason } : {}),
    });
    clockTimers(run, run.state.clocks[clock.id] as ClockState);
  },

  'case.comment'(run, c) {
    needActor(run);
    if (!c.text?.trim()) fail('text.empty', { field: '意见内容', fieldEn: 'the comment' });
    run.emit({ type: 'comment.added', id: run.newId(), text: c.text });
  },

  'case.attach'(run, c) {
    needActor(run);
    if (!c.ref?.trim())
      fail('text.empty', { field: '附件引用', fieldEn: 'the attachment reference' });
    run.emit({
      type: 'attachment.added',
      id: run.newId(),
      ref: c.ref,
      ...(c.name ? { name: c.name } : {}),
    });
  },

  'case.setLeader'(run, c) {
    const actor = needActor(run);
    if (!actor.roles.some((r) => SUPERVISOR_ROLES.includes(r))) {
      notAllowed(
        actor,
        '只有领导或管理员可以指定包案领导',
        'only a leader or an admin may set the owning leader',
      );
    }
    if (!c.userId?.trim()) fail('text.empty', { field: '包案领导', fieldEn: 'the leader' });
    run.emit({ type: 'leaderOwner.set', userId: c.userId });
  },

  'case.setUrgency'(run, c) {
    const actor = needActor(run);
    const working = run.state.tasks.some((t) => canWork(actor, t));
    if (!working && !isSupervisor(actor, run.state)) {
      notAllowed(
        actor,
        '只有在办人员或领导可以设置预警颜色',
        'only someone working the case or a leader may set the colour',
      );
    }
    if (!URGENCY_COLOURS.includes(c.urgency))
      fail('text.empty', { field: '预警颜色', fieldEn: 'the colour' });
    run.emit({ type: 'urgency.set', urgency: c.urgency });
  },

  'case.withdraw'(run, c) {
    needActor(run);
    if (!c.reason?.trim()) fail('text.empty', { field: '撤回理由', fieldEn: 'the reason' });
    closeCase(run, 'withdrawn');
  },

  'case.cancel'(run, c) {
    const actor = needActor(run);
    if (!isAdmin(actor))
      notAllowed(actor, '只有管理员可以作废案件', 'only an admin may cancel a case');
    if (!c.reason?.trim()) fail('text.empty', { field: '作废理由', fieldEn: 'the reason' });
    for (const token of run.state.tokens) cancelToken(run, token.id, 'ended');
    stopEverything(run);
    run.emit({ type: 'case.cancelled', reason: c.reason });
  },

  'child.complete'(run, c) {
    const child = byId(run.state.children, c.childId);
    if (!child) fail('child.notFound', { childId: c.childId });
    const node = run.node(child.node);
    run.emit({ type: 'child.completed', childId: child.id, outcome: c.outcome });
    if (node.kind === 'subflow' && node.outcomeVar) {
      run.emit({ type: 'data.set', var: node.outcomeVar, value: c.outcome });
    }
    if (byId(run.state.tokens, child.tokenId)) moveToken(run, child.tokenId, onlyNext(run, node));
  },

  'case.migrate'() {
    // Handled in `transition`, which knows both versions.
  },
};

function migrate(
  def: FlowDefinition,
  state: CaseState,
  command: CommandOf<'case.migrate'>,
  run: Run,
): void {
  const actor = needActor(run);
  if (!isAdmin(actor))
    notAllowed(actor, '只有管理员可以迁移案件', 'only an admin may migrate a case');
  if (def.key !== state.flow.key || def.version <= state.flow.version) {
    fail('migration.notNewer', {
      from: `${state.flow.key}@${state.flow.version}`,
      to: `${def.key}@${def.version}`,
    });
  }
  const given = command.mapping ?? {};
  const mapping: Record<string, string> = {};
  const need = (node: string, kinds: readonly NodeKind[]) => {
    const to = given[node] ?? node;
    const target = run.ix.nodes.get(to);
    if (!target) fail('migration.unmappedNode', { node });
    if (!kinds.includes(target.kind))
      fail('migration.incompatibleNode', { node, to, kind: target.kind });
    mapping[node] = to;
  };
  for (const token of state.tokens) {
    const waitsOnTask = state.tasks.some((t) => t.tokenId === token.id);
    const waitsOnTimer = state.timers.some(
      (t) => t.purpose.kind === 'node' && t.purpose.tokenId === token.id,
    );
    const waitsOnChild = state.children.some((c) => c.tokenId === token.id);
    const kind: readonly NodeKind[] = waitsOnTask
      ? ['task', 'multiTask']
      : waitsOnTimer
        ? ['timer']
        : waitsOnChild
          ? ['subflow']
          : NODE_KINDS;
    need(token.node, kind);
  }
  for (const join of Object.keys(state.joins)) need(join, ['join']);
  run.emit({ type: 'case.migrated', from: state.flow.version, to: def.version, mapping });
}

/**
 * Decides what a command does to a case: the events it causes (already folded
 * into the returned state), the effects the store must carry out, or a
 * rejection. Pure: time and ids come from `env` only.
 */
export function transition(
  definition: FlowDefinition,
  state: CaseState,
  command: Command,
  env: Env,
): TransitionResult {
  try {
    if (Number.isNaN(instantMs(env.now))) fail('env.invalidTime', { now: String(env.now) });
    if (command.expectedVersion !== undefined && command.expectedVersion !== state.version) {
      fail('state.stale', { expected: command.expectedVersion, actual: state.version });
    }
    const handler = handlers[command.type] as Handler<CommandType> | undefined;
    if (!handler) fail('command.unknown', { type: String(command.type) });
    const run = new Run(definition, indexFlow(definition), state, env, command.actor);
    if (command.type === 'case.start') {
      handler(run, command);
      return { ok: true, state: run.state, events: run.events, effects: run.effects };
    }
    if (state.status === 'new') fail('case.notStarted');
    if (state.status !== 'active') fail('case.closed');
    if (command.type === 'case.migrate') {
      migrate(definition, state, command, run);
      return { ok: true, state: run.state, events: run.events, effects: run.effects };
    }
    if (definition.key !== state.flow.key || definition.version !== state.flow.version) {
      fail('definition.mismatch', {
        caseFlow: `${state.flow.key}@${state.flow.version}`,
        given: `${definition.key}@${definition.version}`,
      });
    }
    handler(run, command);
    return { ok: true, state: run.state, events: run.events, effects: run.effects };
  } catch (error) {
    if (error instanceof RejectionSignal) return { ok: false, rejection: error.rejection };
    // Never throw at the caller: a definition that skipped the checker, or a bug, becomes
    // a rejection with its own code (the property tests assert it never happens).
    const detail = error instanceof Error ? error.message : String(error);
    return { ok: false, rejection: reject('engine.internal', { detail }) };
  }
}

/** Rebuilds the state from events (the definition is only checked, never needed). */
export function replay(definition: FlowDefinition, events: readonly Event[]): CaseState {
  void definition;
  let state = initialState();
  for (const e of events) state = evolve(state, e);
  return state;
}

/** The commands and buttons one actor may use now, for UIs. */
export interface AvailableActions {
  tasks: {
    taskId: string;
    node: string;
    name: Task['name'];
    item?: Task['item'];
    assignee?: string;
    due?: string;
    /** Buttons (action edges) this actor may press. */
    actions: {
      action: string;
      label: FlowEdge['label'];
      style?: 'primary' | 'default' | 'danger';
      form?: string;
    }[];
    commands: CommandType[];
    returnTo?: string[];
  }[];
  /** Case-level commands. */
  case: CommandType[];
}

/** Which commands and buttons `actor` may use on which open tasks. */
export function availableActions(
  definition: FlowDefinition,
  state: CaseState,
  actor: Actor,
): AvailableActions {
  if (state.status !== 'active') return { tasks: [], case: [] };
  const ix = indexFlow(definition);
  const supervisor = isSupervisor(actor, state);
  const tasks: AvailableActions['tasks'] = [];
  let working = false;
  for (const task of state.tasks) {
    const node = ix.nodes.get(task.node);
    if (!node || (node.kind !== 'task' && node.kind !== 'multiTask')) continue;
    const commands: CommandType[] = [];
    const worker = canWork(actor, task);
    if (worker) working = true;
    const actions = worker
      ? actionEdges(ix, node.id)
          .filter((e) => !e.roles || e.roles.some((r) => actor.roles.includes(r)))
          .map((e) => ({
            action: e.action,
            label: e.label,
            ...(e.style ? { style: e.style } : {}),
            ...(e.form ? { form: e.form } : {}),
          }))
      : [];
    if (actions.length) commands.push('task.complete');
    if (!task.assignee && isCandidate(actor, task)) commands.push('task.claim');
    if (task.assignee && (task.assignee === actor.id || supervisor)) commands.push('task.release');
    if (task.assignee === actor.id || supervisor) commands.push('task.reassign', 'task.delegate');
    if (worker && node.returnTo?.length) commands.push('task.return');
    if (worker && node.refusal) commands.push('task.refuse');
    if (!commands.length) continue;
    tasks.push({
      taskId: task.id,
      node: task.node,
      name: task.name,
      ...(task.item ? { item: task.item } : {}),
      ...(task.assignee ? { assignee: task.assignee } : {}),
      ...(task.due ? { due: task.due } : {}),
      actions,
      commands,
      ...(worker && node.returnTo?.length ? { returnTo: node.returnTo } : {}),
    });
  }
  const caseCommands: CommandType[] = ['case.comment', 'case.attach', 'case.withdraw'];
  if (working || supervisor) caseCommands.push('case.setUrgency');
  const extendable = definition.clocks.some(
    (c) => c.extension && state.clocks[c.id] && state.clocks[c.id]?.status !== 'stopped',
  );
  if (extendable && (working || supervisor)) caseCommands.push('deadline.requestExtension');
  if (supervisor) {
    if (Object.keys(state.extensionRequests).length) {
      caseCommands.push('deadline.approveExtension', 'deadline.refuseExtension');
    }
    if (Object.values(state.clocks).some((c) => c.status === 'running'))
      caseCommands.push('clock.pause');
    if (Object.values(state.clocks).some((c) => c.status === 'paused'))
      caseCommands.push('clock.resume');
  }
  if (actor.roles.some((r) => SUPERVISOR_ROLES.includes(r))) caseCommands.push('case.setLeader');
  if (isAdmin(actor)) caseCommands.push('case.cancel', 'case.migrate');
  return { tasks, case: caseCommands };
}
