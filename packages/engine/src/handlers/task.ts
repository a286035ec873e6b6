import type { DataError } from '@lianxin/spec';
import type { ActionEdge } from '../definition';
import { actionEdgeFor, guards } from '../guards';
import { cancelTaskTimers, moveToken } from '../movement';
import { byId, enforce, fail, type Handlers, needActor } from '../run';
import { extendedTaskDue, recordShareReply, redispatchShare, refuseShare } from '../shares';
import { findTask, humanNode, sealFormData, sendBack, validateForm } from '../tasks';

export const taskHandlers = {
  'task.complete'(run, c) {
    const actor = needActor(run);
    enforce(guards['task.complete'](run, actor, c));
    const task = findTask(run, c.taskId);
    const node = humanNode(run, task);
    if (task.redispatch && node.kind === 'multiTask') {
      redispatchShare(run, task, node, c.data ?? {});
      return;
    }
    // The guard has accepted this action, so this is its edge, not a rejection.
    const edge = actionEdgeFor(run, node, actor, c.action) as ActionEdge;
    // A share may have a form of its own (the lead's merged reply).
    const form = task.share ? task.form : node.form;
    const errors: DataError[] = [];
    validateForm(run, form, c.data ?? {}, errors);
    validateForm(run, edge.form, c.data ?? {}, errors);
    if (errors.length) fail('form.invalid', { count: errors.length }, { errors });
    const data = sealFormData(run, [form, edge.form], c.data ?? {});
    run.emit({ type: 'task.completed', taskId: task.id, action: c.action, edge: edge.id, data });
    cancelTaskTimers(run, task.id);
    if (!run.state.firstHandler) run.emit({ type: 'firstHandler.set', userId: actor.id });
    if (node.kind === 'multiTask' && task.share) {
      recordShareReply(run, task, node, data);
      const token = byId(run.state.tokens, task.tokenId);
      if (token?.multi && token.multi.open <= 0) {
        const last = run.def.edges.find((e) => e.id === token.multi?.lastEdge) ?? edge;
        moveToken(run, token.id, last);
      }
      return;
    }
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
    const node = humanNode(run, task);
    if (node.kind === 'multiTask' && node.refusal?.redispatch && task.share) {
      refuseShare(run, task, node, c.reason);
      return;
    }
    const backTo = node.refusal?.backTo;
    if (!backTo) throw new Error(`"${task.node}" takes no refusal`);
    cancelTaskTimers(run, task.id);
    run.emit({ type: 'task.refused', taskId: task.id, backTo, reason: c.reason });
    sendBack(run, task, backTo);
  },

  'task.requestExtension'(run, c) {
    const actor = needActor(run);
    enforce(guards['task.requestExtension'](run, actor, c));
    const task = findTask(run, c.taskId);
    const node = humanNode(run, task);
    // Refused now when it could never be approved (too long, past the case's clock).
    extendedTaskDue(run, task, node, c.duration);
    if (!c.reason?.trim()) fail('text.empty', { field: '延期理由', fieldEn: 'the reason' });
    run.emit({
      type: 'extension.requested',
      request: {
        id: run.newId(),
        clockId: '',
        taskId: task.id,
        duration: c.duration,
        reason: c.reason,
        requestedBy: actor.id,
        requestedAt: run.env.now,
      },
    });
  },
} satisfies Handlers<
  | 'task.complete'
  | 'task.claim'
  | 'task.release'
  | 'task.reassign'
  | 'task.delegate'
  | 'task.return'
  | 'task.refuse'
  | 'task.requestExtension'
>;
