import {
  type AssigneeRule,
  containsSealed,
  type DataError,
  type Deadline,
  type NodeOfKind,
  relaxedForSealed,
  sealSensitive,
} from '@lianxin/spec';
import { computeDue, computeWarning, type DueResult, instantMs } from './calendar';
import { deadlineTerms, taskTimers } from './clocks';
import { forwardReach, jurisdictionAt, nodesReaching } from './definition';
import { getPath } from './evolve';
import { cancelTaskTimers, cancelToken, jumpToken, moveToken } from './movement';
import { byId, fail, message, type Run, validate } from './run';
import type { CandidateRule, Notification, Task, Token } from './types';

export function candidatesFor(
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

/** What differs from the node's own task when one is opened for a share or a re-dispatch. */
export interface TaskVariant {
  share?: Task['share'];
  redispatch?: Task['redispatch'];
  name?: Task['name'];
  form?: string;
  assignee?: AssigneeRule;
  deadline?: Deadline;
  /** A clock the deadline may not pass (`joint.within`). */
  within?: string;
  /** The step is done again (the token jumped back to it). */
  again?: boolean;
}

/** The variant of a multi-instance node's task for one share (主办 / 协办 / 成员). */
export function shareVariant(node: NodeOfKind<'multiTask'>, share: Task['share']): TaskVariant {
  const joint = node.joint;
  if (!share) return {};
  const variant: TaskVariant = { share };
  if (joint?.within) variant.within = joint.within;
  if (share === 'lead' && joint?.leadForm) variant.form = joint.leadForm;
  if (share === 'assist' && joint?.assistDeadline) variant.deadline = joint.assistDeadline;
  return variant;
}

export function openTask(
  run: Run,
  token: Token,
  node: NodeOfKind<'task'> | NodeOfKind<'multiTask'>,
  item?: { index: number; value: unknown },
  variant: TaskVariant = {},
): Task {
  const itemVar = node.kind === 'multiTask' ? node.itemVar : undefined;
  const candidates = candidatesFor(run, variant.assignee ?? node.assignee, item, itemVar);
  const task: Task = {
    id: run.newId(),
    tokenId: token.id,
    node: node.id,
    name: variant.name ?? node.name,
    candidates,
    openedAt: run.env.now,
    dueState: 'onTime',
  };
  const form = variant.form ?? node.form;
  if (form) task.form = form;
  if (candidates.preferredUser) task.assignee = candidates.preferredUser;
  if (item) task.item = item;
  if (variant.share) task.share = variant.share;
  if (variant.redispatch) task.redispatch = variant.redispatch;
  if (variant.again) task.again = true;
  let counted: DueResult | undefined;
  let timed = true;
  const ownDeadline = variant.redispatch ? variant.deadline : (variant.deadline ?? node.deadline);
  // A variant with a deadline of its own (an assisting share, a re-dispatch) counts that instead.
  if (node.deadlineClock && !variant.redispatch && !variant.deadline) {
    // The task is due when its clock is; a clock not yet started gives it a due date when it starts.
    task.clock = node.deadlineClock;
    const clock = run.state.clocks[node.deadlineClock];
    if (clock && clock.status !== 'stopped') {
      task.due = clock.due;
      if (clock.warnAt) task.warnAt = clock.warnAt;
      timed = clock.status !== 'paused';
    }
  } else if (ownDeadline) {
    const { duration, calendar } = deadlineTerms(ownDeadline, run.state.urgency);
    const rollOverHolidays = ownDeadline.rollOverHolidays ?? false;
    counted = computeDue(run.nowMs, duration, calendar, rollOverHolidays, run.calendar);
    if (counted) {
      task.due = counted.due;
      const warnAt = computeWarning(
        counted.dueMs,
        ownDeadline.warningBefore,
        calendar,
        run.calendar,
      );
      if (warnAt) task.warnAt = warnAt;
      task.deadline = { duration, calendar, rollOverHolidays };
      if (ownDeadline.warningBefore) task.deadline.warningBefore = ownDeadline.warningBefore;
      const capped = variant.within ? withinClock(run, variant.within, counted.dueMs) : undefined;
      if (variant.within) task.deadline.within = variant.within;
      if (capped) {
        // Due no later than the case's clock: a share's deadline lies inside the case's.
        task.due = capped.due;
        if (capped.warnAt) task.warnAt = capped.warnAt;
        else delete task.warnAt;
        counted = undefined;
      }
    }
  }
  run.emit({
    type: 'task.opened',
    task,
    ...(task.due ? { calendarVersion: run.calendar.version } : {}),
  });
  if (counted) run.flagProvisional({ kind: 'task', id: task.id }, counted);
  if (!timed || !task.due) return task;
  taskTimers(run, task.id, task.due, task.warnAt, 'onTime');
  return task;
}

/**
 * The clock's due date and warning when the clock runs and is due before
 * `dueMs` (the deadline would pass it), else undefined.
 */
export function withinClock(
  run: Run,
  clockId: string,
  dueMs: number,
): { due: string; warnAt?: string } | undefined {
  const clock = run.state.clocks[clockId];
  if (!clock || clock.status === 'stopped' || clock.status === 'paused') return undefined;
  if (instantMs(clock.due) >= dueMs) return undefined;
  return { due: clock.due, ...(clock.warnAt ? { warnAt: clock.warnAt } : {}) };
}

export function findTask(run: Run, taskId: string): Task {
  const task = byId(run.state.tasks, taskId);
  if (!task) fail('task.notFound', { taskId });
  return task;
}

export function humanNode(run: Run, task: Task): NodeOfKind<'task'> | NodeOfKind<'multiTask'> {
  const node = run.node(task.node);
  if (node.kind !== 'task' && node.kind !== 'multiTask')
    throw new Error(`"${node.id}" is not a task`);
  return node;
}

export function validateForm(
  run: Run,
  formId: string | undefined,
  data: unknown,
  errors: DataError[],
): void {
  if (!formId) return;
  const form = run.ix.forms.get(formId);
  if (!form) return;
  // A child case starts with its parent's sealed values: its sensitive fields accept them.
  const schema = form.schema as object;
  errors.push(...validate(containsSealed(data) ? relaxedForSealed(schema) : schema, data));
}

/**
 * Form data as events will hold it: each value at a field the forms or the
 * case schema mark `x-sensitive` sealed through `env.seal` (after
 * validation, which reads the plain values). Without `env.seal`, unchanged.
 */
export function sealFormData(
  run: Run,
  formIds: ReadonlyArray<string | undefined>,
  data: Record<string, unknown>,
): Record<string, unknown> {
  const seal = run.env.seal;
  if (!seal) return data;
  let out: unknown = sealSensitive(run.def.dataSchema, data, seal);
  for (const id of formIds) {
    const form = id === undefined ? undefined : run.ix.forms.get(id);
    if (form) out = sealSensitive(form.schema, out, seal);
  }
  return out as Record<string, unknown>;
}

/**
 * Re-runs work from `target`: other tokens on nodes reachable from `target`
 * are cancelled (that work will be done again) and join arrivals from those
 * nodes are forgotten, so returning out of one branch of a parallel split to
 * a node before the split restarts every branch, while a return within one
 * branch leaves its sibling branches alone.
 */
export function rewindTo(run: Run, keepToken: string, target: string): void {
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

export function sendBack(run: Run, task: Task, target: string): void {
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

export function taskRecipients(task: Task): Notification['to'] {
  return task.assignee
    ? { kind: 'user', userId: task.assignee }
    : { kind: 'candidates', candidates: task.candidates };
}

export function deadlineReached(run: Run, task: Task, on: 'warning' | 'overdue'): void {
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
