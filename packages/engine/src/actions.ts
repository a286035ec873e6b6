import { type CheckedFlow, containsSealed, type FlowEdge, sensitiveVariables } from '@lianxin/spec';
import { actionEdges, indexFlow } from './definition';
import {
  type ActorCommandType,
  type Guard,
  type GuardInput,
  type GuardScope,
  guards,
  REDISPATCH_ACTION,
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
    /** Joint handling: the share this task is (主办 lead, 协办 assist, member). */
    share?: Task['share'];
    /** A re-dispatch task: the refusal it answers (the refused department is `item`). */
    redispatch?: Task['redispatch'];
    /** The lead's task: how many other shares (or re-dispatches) the merged reply waits for. */
    waitingFor?: number;
    /**
     * What the task's form opens with, for a step done again after 退回 or
     * 拒签 and for a re-dispatch: the case data already entered at its
     * fields. Fields marked sensitive are left out.
     */
    prefill?: Record<string, unknown>;
  }[];
  /** Case-level commands. */
  case: CommandType[];
}

/**
 * The case data at a form's top-level fields, for the form to open with;
 * sensitive fields and sealed values stay out (a form never shows ciphertext).
 */
export function prefillFor(
  definition: CheckedFlow,
  formId: string,
  data: Record<string, unknown>,
): Record<string, unknown> | undefined {
  const form = definition.forms.find((f) => f.id === formId);
  const properties = (form?.schema as { properties?: Record<string, unknown> } | undefined)
    ?.properties;
  if (!properties) return undefined;
  const sensitive = sensitiveVariables(form?.schema);
  for (const [v] of sensitiveVariables(definition.dataSchema)) sensitive.set(v, 'text');
  const out: Record<string, unknown> = {};
  for (const field of Object.keys(properties)) {
    const value = data[field];
    if (value === undefined || value === null) continue;
    if ([...sensitive.keys()].some((v) => v === field || v.startsWith(`${field}.`))) continue;
    if (containsSealed(value)) continue;
    out[field] = value;
  }
  return Object.keys(out).length ? out : undefined;
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
    const redispatch = node.kind === 'multiTask' ? node.refusal?.redispatch : undefined;
    const actions: AvailableActions['tasks'][number]['actions'] =
      task.redispatch && redispatch
        ? may('task.complete', { taskId, action: REDISPATCH_ACTION })
          ? [
              {
                action: REDISPATCH_ACTION,
                label: redispatch.label ?? { 'zh-CN': '重新分派', en: 'Re-dispatch' },
                style: 'primary',
              },
            ]
          : []
        : actionEdges(scope.ix, node.id)
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
    if (may('task.requestExtension', { taskId })) commands.push('task.requestExtension');
    if (!commands.length) continue;
    const waitingFor =
      task.share === 'lead'
        ? state.tasks.filter((t) => t.tokenId === task.tokenId && t.id !== taskId).length
        : 0;
    // A step done again (after 退回 or 拒签) and a re-dispatch keep what was entered.
    const prefill =
      task.form && (task.again || task.redispatch)
        ? prefillFor(definition, task.form, state.data)
        : undefined;
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
      ...(task.share ? { share: task.share } : {}),
      ...(task.redispatch ? { redispatch: task.redispatch } : {}),
      ...(waitingFor ? { waitingFor } : {}),
      ...(prefill ? { prefill } : {}),
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
  if (may('case.supervise', {})) caseCommands.push('case.supervise');
  const orders = (state.supervisions ?? []).map((o) => o.id);
  for (const type of ['case.answerSupervision', 'case.closeSupervision'] as const) {
    if (orders.some((supervisionId) => may(type, { supervisionId }))) caseCommands.push(type);
  }
  return { tasks, case: caseCommands };
}
