import type { DataError } from '@lianxin/spec';
import type { ActionEdge } from '../definition';
import { actionEdgeFor, guards } from '../guards';
import { cancelTaskTimers, moveToken } from '../movement';
import { byId, enforce, fail, type Handlers, needActor } from '../run';
import { findTask, humanNode, sealFormData, sendBack, validateForm } from '../tasks';

export const taskHandlers = {
  'task.complete'(run, c) {
    const actor = needActor(run);
    enforce(guards['task.complete'](run, actor, c));
    const task = findTask(run, c.taskId);
    const node = humanNode(run, task);
    // The guard has accepted this action, so this is its edge, not a rejection.
    const edge = actionEdgeFor(run, node, actor, c.action) as ActionEdge;
    const errors: DataError[] = [];
    validateForm(run, node.form, c.data ?? {}, errors);
    validateForm(run, edge.form, c.data ?? {}, errors);
    if (errors.length) fail('form.invalid', { count: errors.length }, { errors });
    const data = sealFormData(run, [node.form, edge.form], c.data ?? {});
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
    const actor = needActor(run);
    enforce(guards['task.claim'](run, actor, c));
    run.emit({ type: 'task.claimed', taskId: c.taskId, userId: actor.id });
  },

  'task.release'(run, c) {
    enforce(guards['task.release'](run, needActor(run), c));
    run.emit({ type: 'task.released', taskId: c.taskId });
  },

  'task.reassign'(run, c) {
    enforce(guards['task.reassign'](run, needActor(run), c));
    run.emit({ type: 'task.reassigned', taskId: c.taskId, to: c.to });
  },

  'task.delegate'(run, c) {
    enforce(guards['task.delegate'](run, needActor(run), c));
    run.emit({ type: 'task.delegated', taskId: c.taskId, to: c.to });
  },

  'task.return'(run, c) {
    enforce(guards['task.return'](run, needActor(run), c));
    if (!c.reason?.trim()) fail('text.empty', { field: '退回理由', fieldEn: 'the reason' });
    const task = findTask(run, c.taskId);
    cancelTaskTimers(run, task.id);
    run.emit({ type: 'task.returned', taskId: task.id, to: c.to, reason: c.reason });
    sendBack(run, task, c.to);
  },

  'task.refuse'(run, c) {
    enforce(guards['task.refuse'](run, needActor(run), c));
    if (!c.reason?.trim()) fail('text.empty', { field: '拒签理由', fieldEn: 'the reason' });
    const task = findTask(run, c.taskId);
    const backTo = humanNode(run, task).refusal?.backTo;
    if (!backTo) throw new Error(`"${task.node}" takes no refusal`);
    cancelTaskTimers(run, task.id);
    run.emit({ type: 'task.refused', taskId: task.id, backTo, reason: c.reason });
    sendBack(run, task, backTo);
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
