import {
  CASE_COMMAND_NAMES,
  type CaseCommand,
  type FlowDefinition,
  isHumanStep,
  type NodeOfKind,
  OFFICE_ROLES,
} from '@lianxin/spec';
import { extensionLimits } from './clocks';
import { type ActionEdge, actionEdges, type FlowIndex, forwardReach } from './definition';
import { reject } from './rejections';
import type {
  Actor,
  CaseState,
  CommandOf,
  CommandType,
  Rejection,
  SupervisionOrder,
  Task,
} from './types';

// "May this actor do this, now?" answered once per command. A command's handler
// rejects with its guard's answer, and `availableActions` offers exactly the
// commands whose guard has no objection, so the two cannot drift apart. Checks
// of what the actor typed (a reason, a form, a duration) stay in the handlers.

/** The part of a running transition a guard reads; a `Run` is one. */
export interface GuardScope {
  readonly def: FlowDefinition;
  readonly ix: FlowIndex;
  readonly state: CaseState;
}

/**
 * Commands only the system gives: case.start (no case yet, the store starts it),
 * timer.fire, child.complete and calendar.recompute. An API that takes commands
 * from people refuses these.
 */
export const SYSTEM_COMMANDS = [
  'case.start',
  'timer.fire',
  'child.complete',
  'calendar.recompute',
] as const satisfies readonly CommandType[];
type SystemCommandType = (typeof SYSTEM_COMMANDS)[number];

/**
 * Command fields that pick what a command acts on: the guard's arguments.
 * Extending the record gives every command a person gives a key here, so `guards`
 * does not compile until a new command has its guard.
 */
interface GuardTargets extends Record<Exclude<CommandType, SystemCommandType>, string> {
  'task.complete': 'taskId' | 'action';
  'task.claim': 'taskId';
  'task.release': 'taskId';
  'task.reassign': 'taskId';
  'task.delegate': 'taskId';
  'task.return': 'taskId' | 'to';
  'task.refuse': 'taskId';
  'task.requestExtension': 'taskId';
  'deadline.requestExtension': 'clockId';
  'deadline.approveExtension': 'requestId';
  'deadline.refuseExtension': 'requestId';
  'clock.pause': 'clockId';
  'clock.resume': 'clockId';
  'case.comment': never;
  'case.attach': never;
  'case.withdraw': never;
  'case.setLeader': never;
  'case.setUrgency': never;
  'case.cancel': never;
  'case.supervise': never;
  'case.answerSupervision': 'supervisionId';
  'case.closeSupervision': 'supervisionId';
  'case.migrate': never;
}

/** Commands a person gives; availableActions offers only these. */
export type ActorCommandType = keyof GuardTargets;
export type GuardInput<T extends ActorCommandType> = Pick<
  CommandOf<T>,
  GuardTargets[T] & keyof CommandOf<T>
>;
/** Why `actor` may not give this command now, or undefined when it may. */
export type Guard<T extends ActorCommandType> = (
  scope: GuardScope,
  actor: Actor,
  input: GuardInput<T>,
) => Rejection | undefined;

const SUPERVISOR_ROLES = ['leader', 'admin'];

/** The one button of a re-dispatch task (a refused share of joint handling). */
export const REDISPATCH_ACTION = 'redispatch';

/** A leader or admin by role (may set the owning leader). */
export function hasSupervisorRole(actor: Actor): boolean {
  return actor.roles.some((r) => SUPERVISOR_ROLES.includes(r));
}

/** A leader or admin, or the leader who owns this case (包案领导). */
export function isSupervisor(actor: Actor, state: CaseState): boolean {
  return hasSupervisorRole(actor) || actor.id === state.leaderOwner;
}

/** An administrator (may cancel and migrate cases). */
export function isAdmin(actor: Actor): boolean {
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

/** Someone who can work one of the case's open tasks. */
function isWorking(actor: Actor, state: CaseState): boolean {
  return state.tasks.some((t) => canWork(actor, t));
}

function notAllowed(actor: Actor, why: string, whyEn: string): Rejection {
  return reject('actor.notAllowed', { actor: actor.id, why, whyEn });
}

function findTask(state: CaseState, taskId: string): Task | undefined {
  for (const task of state.tasks) if (task.id === taskId) return task;
  return undefined;
}

function humanNode(
  scope: GuardScope,
  task: Task,
): NodeOfKind<'task'> | NodeOfKind<'multiTask'> | undefined {
  const node = scope.ix.nodes.get(task.node);
  return isHumanStep(node) ? node : undefined;
}

function workerRejection(actor: Actor, task: Task): Rejection | undefined {
  if (canWork(actor, task)) return undefined;
  if (task.assignee)
    return notAllowed(
      actor,
      // The holder's id is in the task; a person reads that someone else holds it.
      '任务已由他人签收',
      'the task is claimed by someone else',
    );
  return notAllowed(actor, '不是该任务的候选办理人', 'not a candidate for this task');
}

/** The task a worker command acts on, or why the actor may not work it. */
function workedTask(
  scope: GuardScope,
  actor: Actor,
  taskId: string,
): { task: Task; node: NodeOfKind<'task'> | NodeOfKind<'multiTask'> } | Rejection {
  const task = findTask(scope.state, taskId);
  if (!task) return reject('task.notFound', { taskId });
  const refused = workerRejection(actor, task);
  if (refused) return refused;
  const node = humanNode(scope, task);
  // A task on a node that is not a human task means a broken definition, not a "no".
  if (!node) throw new Error(`"${task.node}" is not a task`);
  return { task, node };
}

function assigneeOrSupervisor(
  scope: GuardScope,
  actor: Actor,
  taskId: string,
  why: string,
  whyEn: string,
): Rejection | undefined {
  const task = findTask(scope.state, taskId);
  if (!task) return reject('task.notFound', { taskId });
  if (task.assignee !== actor.id && !isSupervisor(actor, scope.state))
    return notAllowed(actor, why, whyEn);
  return undefined;
}

function findSupervision(state: CaseState, id: string): SupervisionOrder | undefined {
  for (const order of state.supervisions ?? []) if (order.id === id) return order;
  return undefined;
}

/** Whether the actor is whom the supervision order is addressed to. */
export function isAddressee(actor: Actor, state: CaseState, order: SupervisionOrder): boolean {
  const to = order.to;
  switch (to.kind) {
    case 'user':
      return actor.id === to.userId;
    case 'department':
      return actor.jurisdiction === to.jurisdiction && actor.department === to.department;
    case 'assignees':
      return isWorking(actor, state);
  }
}

/** A step named for a refusal, under `key` (Chinese) and `${key}En`: 受理, not task2. */
function stepWords<K extends string>(scope: GuardScope, id: string, key: K) {
  const name = scope.ix.nodes.get(id)?.name;
  const zh = name?.['zh-CN'] ?? id;
  return { [key]: zh, [`${key}En`]: name?.en ?? zh } as Record<K | `${K}En`, string>;
}

/** A statutory clock named for a refusal: 办理期限, not handling. */
function clockWords(def: { id: string; name?: { 'zh-CN': string; en?: string } }) {
  const zh = def.name?.['zh-CN'] ?? def.id;
  return { clockId: zh, clockIdEn: def.name?.en ?? zh };
}

function pausedAtStepWords(
  scope: GuardScope,
  def: { id: string; name?: { 'zh-CN': string; en?: string } },
  step: string,
) {
  const name = scope.ix.nodes.get(step)?.name;
  const zh = name?.['zh-CN'] ?? step;
  return { ...clockWords(def), step: zh, stepEn: name?.en ?? zh };
}

function openClock(scope: GuardScope, clockId: string) {
  const def = scope.def.clocks.find((c) => c.id === clockId);
  const clock = scope.state.clocks[clockId];
  return def && clock ? { def, clock } : undefined;
}

function supervisorOnly(actor: Actor, state: CaseState, why: string, whyEn: string) {
  return isSupervisor(actor, state) ? undefined : notAllowed(actor, why, whyEn);
}

function roleName(scope: GuardScope, role: string): { 'zh-CN': string; en: string } {
  const declared = scope.def.roles.find((r) => r.id === role)?.name;
  if (declared) return { 'zh-CN': declared['zh-CN'], en: declared.en ?? role };
  return Object.hasOwn(OFFICE_ROLES, role)
    ? OFFICE_ROLES[role as keyof typeof OFFICE_ROLES]
    : { 'zh-CN': role, en: role };
}

/**
 * Whether the flow's `caseCommands` rule lets `actor` give a case-level
 * command: any matching entry is enough.
 */
export function mayGiveCaseCommand(scope: GuardScope, actor: Actor, command: CaseCommand): boolean {
  const rule = scope.def.caseCommands[command];
  const { state } = scope;
  const officeRoles = actor.officeRoles ?? actor.roles;
  return (
    rule.anyone ||
    rule.roles.some((r) => actor.roles.includes(r)) ||
    (actor.jurisdiction === state.receivedJurisdiction &&
      rule.registeringOffice.some((r) => officeRoles.includes(r))) ||
    (rule.workers && isWorking(actor, state)) ||
    (rule.leaderOwner && state.leaderOwner !== undefined && actor.id === state.leaderOwner)
  );
}

/** The case-level command's guard: the flow's rule, worded for the refusal. */
function caseCommandGuard(scope: GuardScope, actor: Actor, command: CaseCommand) {
  if (mayGiveCaseCommand(scope, actor, command)) return undefined;
  const rule = scope.def.caseCommands[command];
  const zh: string[] = [];
  const en: string[] = [];
  for (const r of rule.roles) {
    const name = roleName(scope, r);
    zh.push(name['zh-CN']);
    en.push(name.en);
  }
  for (const r of rule.registeringOffice) {
    const name = roleName(scope, r);
    zh.push(`登记机关的${name['zh-CN']}`);
    en.push(`${name.en} of the registering office`);
  }
  if (rule.workers) {
    zh.push('在办人员');
    en.push('someone working the case');
  }
  if (rule.leaderOwner) {
    zh.push('包案领导');
    en.push('the owning leader');
  }
  const name = CASE_COMMAND_NAMES[command];
  return notAllowed(
    actor,
    zh.length ? `“${name['zh-CN']}”仅限${zh.join('、')}` : `本流程不允许任何人“${name['zh-CN']}”`,
    en.length
      ? `${name.en} is for ${en.join(', ')} only`
      : `this flow lets nobody ${name.en.toLowerCase()}`,
  );
}

/** The action edge a worker presses, or why they may not. */
export function actionEdgeFor(
  scope: GuardScope,
  node: { id: string },
  actor: Actor,
  action: string,
): ActionEdge | Rejection {
  const edges = actionEdges(scope.ix, node.id);
  const edge = edges.find((e) => e.action === action);
  if (!edge)
    return reject('action.unknown', {
      ...stepWords(scope, node.id, 'node'),
      action,
      allowed: edges.map((e) => e.label['zh-CN']).join('、') || '无',
      allowedEn: edges.map((e) => e.label.en ?? e.label['zh-CN']).join(', ') || 'none',
    });
  if (edge.roles && !edge.roles.some((r) => actor.roles.includes(r)))
    return notAllowed(
      actor,
      `操作“${edge.label['zh-CN']}”仅限角色 ${edge.roles.join('、')}`,
      `action "${action}" is for roles ${edge.roles.join(', ')}`,
    );
  return edge;
}

function isRejection(value: object): value is Rejection {
  return 'code' in value && 'message' in value;
}

/** One guard per command a person gives; see `GuardTargets` for their arguments. */
export const guards: { [T in ActorCommandType]: Guard<T> } = {
  'task.complete'(scope, actor, c) {
    const worked = workedTask(scope, actor, c.taskId);
    if (isRejection(worked)) return worked;
    const { task, node } = worked;
    // A re-dispatch task has one button of its own, not the node's.
    if (task.redispatch)
      return c.action === REDISPATCH_ACTION
        ? undefined
        : reject('action.unknown', { node: node.id, action: c.action, allowed: REDISPATCH_ACTION });
    const edge = actionEdgeFor(scope, node, actor, c.action);
    if (isRejection(edge)) return edge;
    if (task.share === 'lead') {
      // The merged reply waits for every other share (and every pending re-dispatch).
      const pending = scope.state.tasks.filter(
        (t) => t.tokenId === task.tokenId && t.id !== task.id,
      ).length;
      if (pending) return reject('joint.contributionsPending', { count: pending });
    }
    return undefined;
  },

  'task.claim'(scope, actor, c) {
    const task = findTask(scope.state, c.taskId);
    if (!task) return reject('task.notFound', { taskId: c.taskId });
    if (task.assignee) return reject('task.alreadyClaimed', { assignee: task.assignee });
    if (!isCandidate(actor, task))
      return notAllowed(actor, '不是该任务的候选办理人', 'not a candidate for this task');
    return undefined;
  },

  'task.release'(scope, actor, c) {
    const task = findTask(scope.state, c.taskId);
    if (!task) return reject('task.notFound', { taskId: c.taskId });
    if (!task.assignee) return reject('task.notClaimed');
    if (task.assignee !== actor.id && !isSupervisor(actor, scope.state))
      return notAllowed(
        actor,
        '只有签收人或领导可以退签',
        'only the assignee or a leader may release it',
      );
    return undefined;
  },

  'task.reassign'(scope, actor, c) {
    return assigneeOrSupervisor(
      scope,
      actor,
      c.taskId,
      '只有签收人、领导或管理员可以改派',
      'only the assignee, a leader or an admin may reassign',
    );
  },

  'task.delegate'(scope, actor, c) {
    return assigneeOrSupervisor(
      scope,
      actor,
      c.taskId,
      '只有签收人、领导或管理员可以委托',
      'only the assignee, a leader or an admin may delegate',
    );
  },

  'task.return'(scope, actor, c) {
    const worked = workedTask(scope, actor, c.taskId);
    if (isRejection(worked)) return worked;
    const { node } = worked;
    if (!node.returnTo?.includes(c.to))
      return reject('return.notAllowed', {
        ...stepWords(scope, node.id, 'node'),
        ...stepWords(scope, c.to, 'to'),
        allowed: (node.returnTo ?? []).map((id) => stepWords(scope, id, 'x').x).join('、') || '无',
        allowedEn:
          (node.returnTo ?? []).map((id) => stepWords(scope, id, 'x').xEn).join(', ') || 'none',
      });
    if (!forwardReach(scope.ix, c.to).has(node.id))
      return reject('return.notEarlier', {
        ...stepWords(scope, node.id, 'node'),
        ...stepWords(scope, c.to, 'to'),
      });
    return undefined;
  },

  'task.refuse'(scope, actor, c) {
    const worked = workedTask(scope, actor, c.taskId);
    if (isRejection(worked)) return worked;
    const { node, task } = worked;
    if (!node.refusal || task.redispatch)
      return reject('refusal.notAllowed', stepWords(scope, node.id, 'node'));
    const { backTo } = node.refusal;
    // A share refused goes back for re-dispatch on this node: nothing earlier to reach.
    if (node.kind === 'multiTask' && node.refusal.redispatch && task.share) return undefined;
    if (backTo === undefined)
      return reject('refusal.notAllowed', stepWords(scope, node.id, 'node'));
    if (!forwardReach(scope.ix, backTo).has(node.id))
      return reject('return.notEarlier', {
        ...stepWords(scope, node.id, 'node'),
        ...stepWords(scope, backTo, 'to'),
      });
    return undefined;
  },

  'task.requestExtension'(scope, actor, c) {
    const worked = workedTask(scope, actor, c.taskId);
    if (isRejection(worked)) return worked;
    const { task, node } = worked;
    const name = task.name['zh-CN'];
    if (!node.extension || task.clock || !task.due || !task.deadline || task.redispatch)
      return reject('taskExtension.notAllowed', { task: name });
    const used = task.deadline.extensions?.length ?? 0;
    if (used >= (node.extension.times ?? 1))
      return reject('taskExtension.exhausted', { task: name, times: used });
    if (Object.values(scope.state.extensionRequests).some((r) => r.taskId === task.id))
      return reject('taskExtension.pending', { task: name });
    return undefined;
  },

  'deadline.requestExtension'(scope, actor, c) {
    const found = openClock(scope, c.clockId);
    if (!found) return reject('clock.notFound', { clockId: c.clockId });
    const { def, clock } = found;
    if (clock.status === 'stopped') return reject('clock.notRunning', clockWords(def));
    if (!isWorking(actor, scope.state) && !isSupervisor(actor, scope.state))
      return notAllowed(
        actor,
        '只有在办人员或领导可以申请延期',
        'only someone working the case or a leader may ask',
      );
    if (!def.extension) return reject('extension.notAllowed', clockWords(def));
    if (clock.extensionsUsed >= extensionLimits(def.extension).times)
      return reject('extension.exhausted', { ...clockWords(def), times: clock.extensionsUsed });
    return undefined;
  },

  'deadline.approveExtension'(scope, actor, c) {
    const request = scope.state.extensionRequests[c.requestId];
    if (!request) return reject('extension.notFound', { requestId: c.requestId });
    const refused = supervisorOnly(
      actor,
      scope.state,
      '只有领导可以批准延期',
      'only a leader may approve an extension',
    );
    if (refused) return refused;
    if (request.taskId !== undefined) {
      const task = findTask(scope.state, request.taskId);
      if (!task?.deadline) return reject('extension.notFound', { requestId: c.requestId });
      const node = humanNode(scope, task);
      const used = task.deadline.extensions?.length ?? 0;
      if (!node?.extension) return reject('taskExtension.notAllowed', { task: task.name['zh-CN'] });
      if (used >= (node.extension.times ?? 1))
        return reject('taskExtension.exhausted', { task: task.name['zh-CN'], times: used });
      return undefined;
    }
    const found = openClock(scope, request.clockId);
    if (!found) return reject('clock.notFound', { clockId: request.clockId });
    const { def, clock } = found;
    if (clock.status === 'stopped') return reject('clock.notRunning', clockWords(def));
    if (!def.extension) return reject('extension.notAllowed', clockWords(def));
    if (clock.extensionsUsed >= extensionLimits(def.extension).times)
      return reject('extension.exhausted', { ...clockWords(def), times: clock.extensionsUsed });
    return undefined;
  },

  'deadline.refuseExtension'(scope, actor, c) {
    const request = scope.state.extensionRequests[c.requestId];
    if (!request) return reject('extension.notFound', { requestId: c.requestId });
    return supervisorOnly(
      actor,
      scope.state,
      '只有领导可以驳回延期',
      'only a leader may refuse an extension',
    );
  },

  'clock.pause'(scope, actor, c) {
    const found = openClock(scope, c.clockId);
    if (!found) return reject('clock.notFound', { clockId: c.clockId });
    const refused = supervisorOnly(
      actor,
      scope.state,
      '只有领导可以暂停法定时限',
      'only a leader may pause a statutory clock',
    );
    if (refused) return refused;
    if (found.clock.pauseStep !== undefined)
      return reject(
        'clock.pausedAtStep',
        pausedAtStepWords(scope, found.def, found.clock.pauseStep),
      );
    if (found.clock.status !== 'running') return reject('clock.notRunning', clockWords(found.def));
    return undefined;
  },

  'clock.resume'(scope, actor, c) {
    const found = openClock(scope, c.clockId);
    if (!found) return reject('clock.notFound', { clockId: c.clockId });
    const refused = supervisorOnly(
      actor,
      scope.state,
      '只有领导可以恢复法定时限',
      'only a leader may resume a statutory clock',
    );
    if (refused) return refused;
    // A pause step holds the clock by law: a leader cannot count the time the case waits there.
    if (found.clock.pauseStep !== undefined)
      return reject(
        'clock.pausedAtStep',
        pausedAtStepWords(scope, found.def, found.clock.pauseStep),
      );
    if (found.clock.status !== 'paused' || !found.clock.pausedAt)
      return reject('clock.notPaused', clockWords(found.def));
    return undefined;
  },

  'case.comment'(scope, actor) {
    return caseCommandGuard(scope, actor, 'case.comment');
  },

  'case.attach'(scope, actor) {
    return caseCommandGuard(scope, actor, 'case.attach');
  },

  'case.withdraw'(scope, actor) {
    return caseCommandGuard(scope, actor, 'case.withdraw');
  },

  'case.setLeader'(scope, actor) {
    return caseCommandGuard(scope, actor, 'case.setLeader');
  },

  'case.setUrgency'(scope, actor) {
    return caseCommandGuard(scope, actor, 'case.setUrgency');
  },

  'case.cancel'(scope, actor) {
    return caseCommandGuard(scope, actor, 'case.cancel');
  },

  'case.supervise'(scope, actor) {
    return caseCommandGuard(scope, actor, 'case.supervise');
  },

  // The order's own addressee may always answer it; otherwise the flow's rule.
  'case.answerSupervision'(scope, actor, c) {
    const order = findSupervision(scope.state, c.supervisionId);
    if (!order) return reject('supervision.notFound', { supervisionId: c.supervisionId });
    if (order.status !== 'open') return reject('supervision.notOpen', { status: order.status });
    if (isAddressee(actor, scope.state, order)) return undefined;
    return caseCommandGuard(scope, actor, 'case.answerSupervision');
  },

  // Whoever issued it may close it, and whoever the flow lets issue orders.
  'case.closeSupervision'(scope, actor, c) {
    const order = findSupervision(scope.state, c.supervisionId);
    if (!order) return reject('supervision.notFound', { supervisionId: c.supervisionId });
    if (order.status === 'closed') return reject('supervision.notOpen', { status: order.status });
    if (order.issuedBy === actor.id) return undefined;
    return caseCommandGuard(scope, actor, 'case.closeSupervision');
  },

  // Moving a case to a newer version is about the flow's versions, not its handling: admins.
  'case.migrate'(_scope, actor) {
    return isAdmin(actor)
      ? undefined
      : notAllowed(actor, '只有管理员可以迁移案件', 'only an admin may migrate a case');
  },
};
