import { parseDuration, returnVisitScore } from '@lianxin/spec';
import { localTime, message, type Run } from './run';
import type { CaseState, Notification, Task } from './types';

// Notifications for what now waits on someone, read off the events of one
// transition: a task dispatched to a department, a refusal sent back, an
// extension to approve, an unhappy return visit. They are effects like the
// flow's own `notify` steps, so the store writes them in the transition's
// transaction and the scheduler delivers each once.

/** The return visit's answer at or below this score tells the leader (2 不满意, 1 非常不满意). */
const UNHAPPY_FROM = 2;

const named = (t: Task) => t.name['zh-CN'];
const namedEn = (t: Task) => t.name.en ?? t.name['zh-CN'];

const UNITS = [
  ['years', '年', 'year'],
  ['months', '个月', 'month'],
  ['weeks', '周', 'week'],
  ['days', '天', 'day'],
  ['hours', '小时', 'hour'],
  ['minutes', '分钟', 'minute'],
] as const;

/** `P30D` as people say it: 30 天 / 30 days (the text itself if it is no duration). */
function durationWords(text: string): { zh: string; en: string } {
  const d = parseDuration(text);
  if (!d) return { zh: text, en: text };
  const parts = UNITS.filter(([k]) => d[k] > 0);
  return {
    zh: parts.map(([k, zh]) => `${d[k]} ${zh}`).join(' '),
    en: parts.map(([k, , en]) => `${d[k]} ${en}${d[k] === 1 ? '' : 's'}`).join(' '),
  };
}

/** Whoever may approve an extension or hears of a complaint: the 包案 leader, else the case's leaders. */
function leaders(state: CaseState): Notification['to'] {
  return state.leaderOwner
    ? { kind: 'leaderOwner' }
    : { kind: 'candidates', candidates: { role: 'leader', jurisdiction: state.jurisdiction } };
}

/** Appends the notifications the run's events call for (after the handler, before returning). */
export function alert(run: Run, before: CaseState): void {
  const { events, state } = run;
  events.forEach((e, i) => {
    if (e.type === 'task.opened') {
      const refusal = events.slice(0, i).findLast((x) => x.type === 'task.refused');
      // A share refused in joint handling (redispatch) is announced by shares.ts itself.
      if (refusal?.type === 'task.refused' && refusal.redispatch) return;
      if (refusal?.type === 'task.refused' && refusal.backTo === e.task.node) {
        run.notify({
          to: { kind: 'candidates', candidates: e.task.candidates },
          taskId: e.task.id,
          message: message(
            `拒签退回（${named(e.task)}）：${refusal.reason}`,
            `Refused and sent back (${namedEn(e.task)}): ${refusal.reason}`,
          ),
        });
      } else if (e.task.candidates.department !== undefined) {
        const due = e.task.due ? `，${localTime(e.task.due)} 前办结` : '';
        const dueEn = e.task.due ? `, due ${localTime(e.task.due)}` : '';
        run.notify({
          to: { kind: 'candidates', candidates: e.task.candidates },
          taskId: e.task.id,
          message: message(
            `新交办：${named(e.task)}${due}`,
            `New dispatch: ${namedEn(e.task)}${dueEn}`,
          ),
        });
      }
    }
    if (e.type === 'extension.requested') {
      // A statutory clock's extension, or (task.requestExtension) one task's own deadline.
      const task = e.request.taskId
        ? state.tasks.find((t) => t.id === e.request.taskId)
        : undefined;
      const clock = state.clocks[e.request.clockId];
      const clockName = task
        ? `任务“${named(task)}”的期限`
        : (clock?.name['zh-CN'] ?? e.request.clockId);
      const by = durationWords(e.request.duration);
      run.notify({
        to: leaders(state),
        clockId: e.request.clockId,
        message: message(
          `延期申请待审批：${clockName}延长 ${by.zh}，理由：${e.request.reason}`,
          `Extension awaiting approval: ${task ? `the deadline of "${namedEn(task)}"` : (clock?.name.en ?? clockName)} by ${by.en}, because ${e.request.reason}`,
        ),
      });
    }
  });
  const was = returnVisitScore(before.data.satisfaction);
  const now = returnVisitScore(state.data.satisfaction);
  if (now !== null && now <= UNHAPPY_FROM && now !== was)
    run.notify({
      to: leaders(state),
      message: message(
        `回访不满意（${now} 分）：请关注处理`,
        `Return visit: dissatisfied (${now} of 5); please look into it`,
      ),
    });
}
