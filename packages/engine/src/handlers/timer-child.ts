import { instantMs } from '../calendar';
import { moveToken } from '../movement';
import { onlyNext } from '../nodes';
import { byId, fail, type Handlers, message } from '../run';
import { deadlineReached } from '../tasks';
import { supervisionOverdue } from './supervision';

export const waitHandlers = {
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
      case 'supervisionOverdue':
        supervisionOverdue(run, p.supervisionId);
        return;
    }
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
} satisfies Handlers<'timer.fire' | 'child.complete'>;
