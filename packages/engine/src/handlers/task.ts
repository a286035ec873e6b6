import type { DataError } from '@lianxin/spec';
import { actionEdges, forwardReach } from '../definition';
import { cancelTaskTimers, moveToken } from '../movement';
import {
  byId,
  fail,
  type Handlers,
  isCandidate,
  isSupervisor,
  needActor,
  notAllowed,
} from '../run';
import { findTask, humanNode, requireWorker, sendBack, validateForm } from '../tasks';

export const taskHandlers = {
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
} satisfies Handlers<
  | 'task.complete'
  | 'task.claim'
  | 'task.release'
  | 'task.reassign'
  | 'task.delegate'
  | 'task.return'
  | 'task.refuse'
>;
