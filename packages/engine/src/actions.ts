import type { CheckedFlow, FlowEdge } from '@lianxin/spec';
import { actionEdges, indexFlow } from './definition';
import {
  type ActorCommandType,
  type Guard,
  type GuardInput,
  type GuardScope,
  guards,
} from './guards';
import type { Actor, CaseState, CommandType, Task } from './types';

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

/**
 * Which commands and buttons `actor` may use on which open tasks: exactly those
 * whose guard (the same one the command's handler enforces) has no objection.
 */
export function availableActions(
  definition: CheckedFlow,
  state: CaseState,
  actor: Actor,
): AvailableActions {
  if (state.status !== 'active') return { tasks: [], case: [] };
  const scope: GuardScope = { def: definition, ix: indexFlow(definition), state };
  const may = <T extends ActorCommandType>(type: T, input: GuardInput<T>): boolean =>
    (guards[type] as Guard<T>)(scope, actor, input) === undefined;
  const tasks: AvailableActions['tasks'] = [];
  for (const task of state.tasks) {
    const node = scope.ix.nodes.get(task.node);
    if (!node || (node.kind !== 'task' && node.kind !== 'multiTask')) continue;
    const taskId = task.id;
    const commands: CommandType[] = [];
    const actions = actionEdges(scope.ix, node.id)
      .filter((e) => may('task.complete', { taskId, action: e.action }))
      .map((e) => ({
        action: e.action,
        label: e.label,
        ...(e.style ? { style: e.style } : {}),
        ...(e.form ? { form: e.form } : {}),
      }));
    if (actions.length) commands.push('task.complete');
    for (const type of ['task.claim', 'task.release', 'task.reassign', 'task.delegate'] as const) {
      if (may(type, { taskId })) commands.push(type);
    }
    const returnTo = (node.returnTo ?? []).filter((to) => may('task.return', { taskId, to }));
    if (returnTo.length) commands.push('task.return');
    if (may('task.refuse', { taskId })) commands.push('task.refuse');
    if (!commands.length) continue;
    tasks.push({
      taskId,
      node: task.node,
      name: task.name,
      ...(task.item ? { item: task.item } : {}),
      ...(task.assignee ? { assignee: task.assignee } : {}),
      ...(task.due ? { due: task.due } : {}),
      actions,
      commands,
      ...(returnTo.length ? { returnTo } : {}),
    });
  }
  const caseCommands: CommandType[] = [];
  for (const type of ['case.comment', 'case.attach', 'case.withdraw', 'case.setUrgency'] as const) {
    if (may(type, {})) caseCommands.push(type);
  }
  const clockIds = definition.clocks.map((c) => c.id);
  const requestIds = Object.keys(state.extensionRequests);
  if (clockIds.some((clockId) => may('deadline.requestExtension', { clockId })))
    caseCommands.push('deadline.requestExtension');
  for (const type of ['deadline.approveExtension', 'deadline.refuseExtension'] as const) {
    if (requestIds.some((requestId) => may(type, { requestId }))) caseCommands.push(type);
  }
  for (const type of ['clock.pause', 'clock.resume'] as const) {
    if (clockIds.some((clockId) => may(type, { clockId }))) caseCommands.push(type);
  }
  for (const type of ['case.setLeader', 'case.cancel', 'case.migrate'] as const) {
    if (may(type, {})) caseCommands.push(type);
  }
  return { tasks, case: caseCommands };
}
