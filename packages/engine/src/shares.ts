import { approximateSeconds, type DataError, type NodeOfKind, parseDuration } from '@lianxin/spec';
import { computeDue, computeWarning, type DueResult, instantMs } from './calendar';
import { taskTimers } from './clocks';
import { actionEdges } from './definition';
import { getPath } from './evolve';
import { cancelTaskTimers, moveToken } from './movement';
import { byId, fail, localTime, message, needActor, type Run } from './run';
import { openTask, sealFormData, shareVariant, taskRecipients, validateForm } from './tasks';
import type { ExtensionRequest, Task, Token } from './types';

// Joint handling by shares (合力办): each department of a multi-instance
// node's list holds a share. With `joint`, one share is the lead's (主办),
// the others assist (协办); with `refusal.redispatch`, a refused share goes
// back alone to whoever re-dispatches it, and the others keep working.

type MultiNode = NodeOfKind<'multiTask'>;

/** Whether the node hands out shares (lead/assist, or re-dispatch of one refused share). */
export function handsOutShares(node: MultiNode): boolean {
  return node.joint !== undefined || node.refusal?.redispatch !== undefined;
}

/** Items are compared by value: department codes, or any JSON the list holds. */
export function sameItem(a: unknown, b: unknown): boolean {
  return a === b || JSON.stringify(a) === JSON.stringify(b);
}

/** The lead department (主办) the case data names now, if the node has one. */
export function leadOf(run: Run, node: MultiNode): unknown {
  if (!node.joint) return undefined;
  const lead = getPath(run.state.data, node.joint.lead);
  return lead === null || lead === '' ? undefined : lead;
}

/** The departments holding a share: the list, without repeats, the lead first when it is missing. */
export function shareList(run: Run, node: MultiNode): unknown[] {
  const list = getPath(run.state.data, node.over);
  const items: unknown[] = [];
  for (const value of Array.isArray(list) ? list : []) {
    if (!items.some((v) => sameItem(v, value))) items.push(value);
  }
  const lead = leadOf(run, node);
  if (lead !== undefined && !items.some((v) => sameItem(v, lead))) items.unshift(lead);
  return items;
}

function roleOf(node: MultiNode, lead: unknown, value: unknown): NonNullable<Task['share']> {
  if (!node.joint || lead === undefined) return 'member';
  return sameItem(value, lead) ? 'lead' : 'assist';
}

/** Opens one share per department (`multiTask.started` first). */
export function openShares(run: Run, token: Token, node: MultiNode, items: unknown[]): void {
  const lead = leadOf(run, node);
  run.emit({ type: 'multiTask.started', tokenId: token.id, count: items.length });
  items.forEach((value, index) => {
    openTask(run, token, node, { index, value }, shareVariant(node, roleOf(node, lead, value)));
  });
}

/**
 * A share's reply: appended to `collect` with who said it; the lead's reply
 * is the merged reply, recorded in `joint.merged` with every contribution of
 * this round, and merged into the case data as the case's answer.
 */
export function recordShareReply(
  run: Run,
  task: Task,
  node: MultiNode,
  data: Record<string, unknown>,
): void {
  const by = run.actor?.id ?? '';
  const at = run.env.now;
  const department = task.item?.value ?? null;
  run.emit({
    type: 'data.appended',
    var: node.collect,
    value: { department, role: task.share, by, at, data },
  });
  if (task.share !== 'lead' || !node.joint) return;
  const token = byId(run.state.tokens, task.tokenId);
  const replied = token?.multi?.done ?? [];
  const list = getPath(run.state.data, node.collect);
  const entries = Array.isArray(list) ? (list as Record<string, unknown>[]) : [];
  const contributions: Record<string, unknown>[] = [];
  for (const value of replied) {
    if (sameItem(value, department)) continue;
    // The department's latest reply: an earlier round's is not this one's.
    for (let i = entries.length - 1; i >= 0; i--) {
      const e = entries[i];
      if (e && e.role !== 'lead' && sameItem(e.department, value)) {
        contributions.push({ department: value, by: e.by, at: e.at, data: e.data });
        break;
      }
    }
  }
  run.emit({
    type: 'data.set',
    var: node.joint.merged,
    value: { department, by, at, data, contributions },
  });
  if (Object.keys(data).length) run.emit({ type: 'data.merged', values: data });
}

/** 拒签 of one share: it goes back alone to whoever re-dispatches; the other shares go on. */
export function refuseShare(run: Run, task: Task, node: MultiNode, reason: string): void {
  const actor = needActor(run);
  const rule = node.refusal?.redispatch;
  const token = byId(run.state.tokens, task.tokenId);
  if (!rule || !token) throw new Error(`"${node.id}" takes no re-dispatch`);
  cancelTaskTimers(run, task.id);
  run.emit({ type: 'task.refused', taskId: task.id, backTo: node.id, reason, redispatch: true });
  const name = node.name['zh-CN'];
  const nameEn = node.name.en ?? name;
  const opened = openTask(run, token, node, task.item, {
    redispatch: { refusedTask: task.id, reason, refusedBy: actor.id },
    name: { 'zh-CN': `${name}：重新分派`, en: `${nameEn}: re-dispatch` },
    form: rule.form,
    assignee: rule.assignee,
    ...(rule.deadline ? { deadline: rule.deadline } : {}),
  });
  run.notify({
    to: taskRecipients(opened),
    taskId: opened.id,
    message: message(
      `“${name}”有一个部门拒签（理由：${reason}），请重新分派`,
      `a department refused its share of "${nameEn}" (reason: ${reason}); please re-dispatch it`,
    ),
  });
}

/**
 * The re-dispatch form is in: its data (the list, the lead) is merged, shares
 * no longer listed stop, departments newly listed get a share, those still
 * working keep theirs, and those that replied are not asked again.
 */
export function redispatchShare(
  run: Run,
  task: Task,
  node: MultiNode,
  input: Record<string, unknown>,
): void {
  const errors: DataError[] = [];
  validateForm(run, task.form, input, errors);
  if (errors.length) fail('form.invalid', { count: errors.length }, { errors });
  const data = sealFormData(run, [task.form], input);
  run.emit({ type: 'task.redispatched', taskId: task.id, data });
  cancelTaskTimers(run, task.id);
  if (Object.keys(data).length) run.emit({ type: 'data.merged', values: data });
  const token = byId(run.state.tokens, task.tokenId);
  if (!token) return;
  const items = shareList(run, node);
  const lead = leadOf(run, node);
  const replied = token.multi?.done ?? [];
  const onToken = () => run.state.tasks.filter((t) => t.tokenId === token.id);
  for (const t of onToken()) {
    const listed = t.item !== undefined && items.some((v) => sameItem(v, t.item?.value));
    // A share dropped from the list stops, and so does a lead that is no longer the lead or
    // a department that becomes it (its form and deadline change); the others keep working.
    const role = t.item ? roleOf(node, lead, t.item.value) : undefined;
    if (t.share && (!listed || (role === 'lead') !== (t.share === 'lead'))) {
      cancelTaskTimers(run, t.id);
      run.emit({ type: 'task.cancelled', taskId: t.id, reason: 'branchCancelled' });
    }
  }
  items.forEach((value, index) => {
    const role = roleOf(node, lead, value);
    if (onToken().some((t) => t.item !== undefined && sameItem(t.item.value, value))) return;
    if (role !== 'lead' && replied.some((v) => sameItem(v, value))) return;
    openTask(run, token, node, { index, value }, shareVariant(node, role));
  });
  const open = onToken().length;
  run.emit({ type: 'multiTask.resized', tokenId: token.id, open });
  if (open > 0) return;
  const moved = byId(run.state.tokens, token.id);
  const edge =
    run.def.edges.find((e) => e.id === moved?.multi?.lastEdge) ?? actionEdges(run.ix, node.id)[0];
  if (edge) moveToken(run, token.id, edge);
}

/** A task's own deadline after an extension of `duration`, or the rejection. */
export function extendedTaskDue(
  run: Run,
  task: Task,
  node: NodeOfKind<'task'> | MultiNode,
  duration: string,
): { due: DueResult; warnAt?: string } {
  const asked = parseDuration(duration);
  // An extension of nothing is no extension: refused like a duration that does not parse.
  if (!asked || approximateSeconds(asked) <= 0) fail('duration.invalid', { value: duration });
  const max = node.extension?.max ?? 'P15D';
  const limit = parseDuration(max);
  if (limit && approximateSeconds(asked) > approximateSeconds(limit))
    fail('extension.tooLong', { duration, max });
  const terms = task.deadline;
  if (!terms || !task.due) fail('taskExtension.notAllowed', { task: task.name['zh-CN'] });
  const due = computeDue(
    instantMs(task.due),
    duration,
    terms.calendar,
    terms.rollOverHolidays,
    run.calendar,
  );
  if (!due) fail('duration.invalid', { value: duration });
  const clock = terms.within ? run.state.clocks[terms.within] : undefined;
  if (clock && clock.status !== 'stopped' && instantMs(clock.due) < due.dueMs)
    fail('extension.beyondClock', {
      due: localTime(due.due),
      clock: clock.name['zh-CN'],
      clockDue: localTime(clock.due),
    });
  const warnAt = computeWarning(due.dueMs, terms.warningBefore, terms.calendar, run.calendar);
  return { due, ...(warnAt ? { warnAt } : {}) };
}

/** An approved extension of a task's own deadline: new due date, timers reset. */
export function approveTaskExtension(run: Run, request: ExtensionRequest): void {
  const task = byId(run.state.tasks, request.taskId ?? '');
  const node = task ? run.node(task.node) : undefined;
  if (!task || (node?.kind !== 'task' && node?.kind !== 'multiTask'))
    fail('extension.notFound', { requestId: request.id });
  const { due, warnAt } = extendedTaskDue(run, task, node, request.duration);
  cancelTaskTimers(run, task.id);
  run.emit({
    type: 'extension.approved',
    requestId: request.id,
    clockId: '',
    taskId: task.id,
    due: due.due,
    ...(warnAt ? { warnAt } : {}),
    duration: request.duration,
    calendarVersion: run.calendar.version,
  });
  run.flagProvisional({ kind: 'task', id: task.id }, due);
  taskTimers(run, task.id, due.due, warnAt, 'onTime');
  run.notify({
    to: { kind: 'user', userId: request.requestedBy },
    taskId: task.id,
    message: message(
      `任务“${task.name['zh-CN']}”的延期申请已批准，期限改为 ${localTime(due.due)}`,
      `the extension of "${task.name.en ?? task.name['zh-CN']}" was approved; now due ${localTime(due.due)}`,
    ),
  });
}
