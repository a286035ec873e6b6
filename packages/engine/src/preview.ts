import type { CheckedFlow, LocalizedText } from '@lianxin/spec';
import { byId } from './run';
import { transition } from './transition';
import type { CaseState, Env, Timer } from './types';

/** One deadline `calendar.recompute` would move. */
export interface RecomputeChange {
  kind: 'clock' | 'task' | 'timer';
  /** The clock id, the task id, or the waiting timer's id (it gets a new id when it moves). */
  id: string;
  name?: LocalizedText;
  /** ISO instants before and after. */
  from: string;
  to: string;
}

/**
 * What `calendar.recompute` would move in this case with `env.calendar`, for
 * an admin to review before publishing a year: a dry run of the command
 * itself (the same code path, its result thrown away), so the list cannot
 * disagree with what confirming does. A closed case, or one whose deadlines do
 * not move, lists nothing.
 */
export function previewRecompute(
  definition: CheckedFlow,
  state: CaseState,
  env: Env,
): { changes: RecomputeChange[] } {
  const result = transition(definition, state, { type: 'calendar.recompute' }, env);
  if (!result.ok) return { changes: [] };
  const changes: RecomputeChange[] = [];
  const cancelled = new Map<string, Timer>();
  for (const event of result.events) {
    if (event.type === 'clock.dueChanged') {
      const clock = state.clocks[event.clockId];
      changes.push({
        kind: 'clock',
        id: event.clockId,
        ...(clock ? { name: clock.name } : {}),
        from: event.from,
        to: event.due,
      });
    } else if (event.type === 'task.dueChanged' && event.reason === 'calendar') {
      const task = byId(state.tasks, event.taskId);
      if (task?.due && task.due !== event.due)
        changes.push({ kind: 'task', id: task.id, name: task.name, from: task.due, to: event.due });
    } else if (event.type === 'timer.cancelled') {
      const timer = byId(state.timers, event.timerId);
      if (timer?.purpose.kind === 'node') cancelled.set(timer.purpose.tokenId, timer);
    } else if (
      event.type === 'timer.set' &&
      event.reason === 'calendar' &&
      event.timer.purpose.kind === 'node'
    ) {
      const before = cancelled.get(event.timer.purpose.tokenId);
      if (!before) continue;
      const node = definition.nodes.find(
        (n) => event.timer.purpose.kind === 'node' && n.id === event.timer.purpose.node,
      );
      changes.push({
        kind: 'timer',
        id: before.id,
        ...(node ? { name: node.name } : {}),
        from: before.due,
        to: event.timer.due,
      });
    }
  }
  return { changes };
}
