import type { FlowDefinition, FlowEdge } from '@lianxin/spec';
import { actionEdges, indexFlow } from './definition';
import { canWork, isAdmin, isCandidate, isSupervisor, SUPERVISOR_ROLES } from './run';
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
