import {
  computeDue,
  computeWarning,
  type DueResult,
  instantMs,
  pauseShiftMs,
  shiftDue,
  shiftWorkingDue,
} from './calendar';
import {
  cancelClockTimers,
  clockTimers,
  deadlineTerms,
  followClock,
  rollsOverHolidays,
  taskTimers,
} from './clocks';
import { cancelTaskTimers, cancelTimers } from './movement';
import { byId, localTime, message, type Run } from './run';
import { taskRecipients, withinClock } from './tasks';
import type { ClockState, DueState, FlagSubject, Task, Timer } from './types';

/** The terms a clock's due date is counted from (its basis, or for an older clock the definition's). */
function clockBasis(run: Run, clock: ClockState): NonNullable<ClockState['basis']> | undefined {
  if (clock.basis) return clock.basis;
  // A clock started before calendars were versioned: the definition's terms for the case's
  // urgency colour, the only ones it can have had unless the colour changed since. Its
  // extensions' durations were not recorded, so an extended one is left as it is.
  const def = run.def.clocks.find((c) => c.id === clock.id);
  if (!def || clock.extensionsUsed > 0) return undefined;
  const { duration } = deadlineTerms(def.deadline, run.state.urgency);
  return { duration, rollOverHolidays: rollsOverHolidays(def), extensions: [] };
}

/** A due date counted again: the instant, its warning and the provisional years it passed. */
interface Recounted {
  due: DueResult;
  warnAt: string | undefined;
}

/**
 * A clock's due date counted again with the run's calendar from where it
 * started: the duration, then each approved extension from the due date as it
 * was then (shifted by the paused time before it, `shiftDue`), then the paused
 * time since the last extension. The warning is counted from the last counted
 * due date and shifted as far as the pauses after it shift it (`pauseShiftMs`).
 * A working-day clock that keeps its paused working time (`pausedWorkMs`) moves
 * by the whole working days of it (`shiftWorkingDue`) and counts its warning
 * back from the due date so moved. `clock.resume` counts its new due date with
 * this too (with the pause just ended in `pausedMs` and `pausedWorkMs`).
 */
export function recountClock(run: Run, clock: ClockState): Recounted | undefined {
  const basis = clockBasis(run, clock);
  if (!basis) return undefined;
  const warningBefore =
    run.def.clocks.find((c) => c.id === clock.id)?.deadline.warningBefore ?? basis.warningBefore;
  const years: number[] = [];
  const count = (startMs: number, duration: string) => {
    const due = computeDue(startMs, duration, clock.calendar, basis.rollOverHolidays, run.calendar);
    if (due) for (const y of due.provisionalYears) if (!years.includes(y)) years.push(y);
    return due;
  };
  // A working-day clock moves by the paused time on working days, once that is kept.
  const byWork = clock.calendar === 'workingDays' && clock.pausedWorkMs !== undefined;
  const shift = (counted: DueResult, ms: number, workMs: number, duration: string) => {
    const shifted = byWork
      ? shiftWorkingDue(counted, workMs, run.calendar)
      : shiftDue(counted, ms, duration, clock.calendar, basis.rollOverHolidays, run.calendar);
    for (const y of shifted.provisionalYears) if (!years.includes(y)) years.push(y);
    return shifted;
  };
  let due = count(instantMs(clock.startedAt), basis.duration);
  if (!due) return undefined;
  let duration = basis.duration;
  let applied = 0;
  let appliedWork = 0;
  for (const extension of basis.extensions) {
    const workBefore = extension.pausedWorkMsBefore ?? extension.pausedMsBefore;
    const from = shift(
      due,
      extension.pausedMsBefore - applied,
      workBefore - appliedWork,
      duration,
    ).dueMs;
    applied = extension.pausedMsBefore;
    appliedWork = workBefore;
    duration = extension.duration;
    due = count(from, duration);
    if (!due) return undefined;
  }
  const paused = clock.pausedMs - applied;
  const shifted = shift(due, paused, (clock.pausedWorkMs ?? 0) - appliedWork, duration);
  // Working days: the warning counts back from the due date as moved; else it moves as far.
  const warnAt = byWork
    ? computeWarning(shifted.dueMs, warningBefore, clock.calendar, run.calendar)
    : shiftedWarning(
        computeWarning(due.dueMs, warningBefore, clock.calendar, run.calendar),
        pauseShiftMs(paused, duration, clock.calendar),
      );
  return { due: { ...shifted, provisionalYears: years.sort((a, b) => a - b) }, warnAt };
}

/** A warning instant moved by `ms`. */
const shiftedWarning = (warning: string | undefined, ms: number) =>
  warning ? new Date(instantMs(warning) + ms).toISOString() : undefined;

/** A task's own deadline counted again from when it opened. */
function recountTask(run: Run, task: Task): Recounted | undefined {
  let terms = task.deadline;
  if (!terms) {
    // Opened before calendars were versioned: its node's terms for the case's colour.
    const node = run.ix.nodes.get(task.node);
    if ((node?.kind !== 'task' && node?.kind !== 'multiTask') || !node.deadline) return undefined;
    const { duration, calendar } = deadlineTerms(node.deadline, run.state.urgency);
    terms = { duration, calendar, rollOverHolidays: node.deadline.rollOverHolidays ?? false };
    if (node.deadline.warningBefore) terms.warningBefore = node.deadline.warningBefore;
  }
  let due = computeDue(
    instantMs(task.openedAt),
    terms.duration,
    terms.calendar,
    terms.rollOverHolidays,
    run.calendar,
  );
  // Approved extensions count from the due date as it then was, in order.
  for (const extension of terms.extensions ?? []) {
    if (!due) return undefined;
    const years = due.provisionalYears;
    due = computeDue(due.dueMs, extension, terms.calendar, terms.rollOverHolidays, run.calendar);
    if (due)
      due.provisionalYears = [...new Set([...years, ...due.provisionalYears])].sort(
        (a, b) => a - b,
      );
  }
  if (!due) return undefined;
  const capped = terms.within ? withinClock(run, terms.within, due.dueMs) : undefined;
  if (capped)
    return {
      due: { ...due, due: capped.due, dueMs: instantMs(capped.due) },
      warnAt: capped.warnAt,
    };
  return {
    due,
    warnAt: computeWarning(due.dueMs, terms.warningBefore, terms.calendar, run.calendar),
  };
}

/**
 * Keeps a deadline's calendar flag true to its new count: flagged while it
 * passes a provisional year, the flag (or a pre-versioning coverage flag)
 * cleared once it does not.
 */
function reconcileFlag(run: Run, subject: FlagSubject, due: DueResult): void {
  if (due.provisionalYears.length) {
    run.flagProvisional(subject, due);
    return;
  }
  const flagged = run.state.flags.some(
    (f) => f.subject.kind === subject.kind && f.subject.id === subject.id,
  );
  if (flagged) run.emit({ type: 'calendar.flagCleared', subject });
}

/** Clock ids in definition order, then any the definition no longer has, by id (as stopEverything). */
function clockIds(run: Run): string[] {
  const declared = run.def.clocks.map((c) => c.id);
  return [
    ...declared,
    ...Object.keys(run.state.clocks)
      .filter((id) => !declared.includes(id))
      .sort(),
  ];
}

function dueStateAfter(run: Run, task: Task, due: string, warnAt: string | undefined): DueState {
  const dueMs = instantMs(due);
  const warnMs = warnAt ? instantMs(warnAt) : dueMs;
  if (run.nowMs < warnMs) return 'onTime';
  if (run.nowMs < dueMs && task.dueState === 'overdue') return 'dueSoon';
  return task.dueState;
}

/**
 * `calendar.recompute`: counts every open deadline again with the run's
 * calendar (`env.calendar`), from its original start. Running and paused
 * clocks (and the tasks that follow them), tasks with their own deadline, and
 * pending timer-node waits; a clock already overdue or a task already overdue
 * keeps its date (what was missed stays missed). Each deadline that moves gets
 * its event (`clock.dueChanged`, `task.dueChanged`, or the wait's timer
 * cancelled and set again) with `reason: 'calendar'` and the calendar version,
 * its timers set again, and the people responsible a notice. Nothing moves,
 * nothing is emitted: safe to run on every open case.
 */
export function recomputeDeadlines(run: Run): void {
  for (const id of clockIds(run)) {
    const clock = run.state.clocks[id];
    if (!clock || (clock.status !== 'running' && clock.status !== 'paused')) continue;
    const counted = recountClock(run, clock);
    if (!counted) continue;
    if (counted.due.due !== clock.due || counted.warnAt !== clock.warnAt) {
      cancelClockTimers(run, id);
      run.emit({
        type: 'clock.dueChanged',
        clockId: id,
        from: clock.due,
        due: counted.due.due,
        ...(counted.warnAt ? { warnAt: counted.warnAt } : {}),
        reason: 'calendar',
        calendarVersion: run.calendar.version,
      });
      const updated = run.state.clocks[id] as ClockState;
      if (updated.status === 'running') {
        clockTimers(run, updated, { reason: 'calendar', skipPastWarning: true });
      }
      followClock(run, id, 'calendar');
      const name = clock.name['zh-CN'];
      run.notify({
        to: { kind: 'assignees' },
        clockId: id,
        message: message(
          `法定时限“${name}”因工作日历调整，期限由 ${localTime(clock.due)} 改为 ${localTime(counted.due.due)}`,
          `statutory deadline "${clock.name.en ?? name}" moved with the working calendar from ${localTime(clock.due)} to ${localTime(counted.due.due)}`,
        ),
      });
    }
    reconcileFlag(run, { kind: 'clock', id }, counted.due);
  }

  for (const task of run.state.tasks) {
    if (task.clock || !task.due || task.dueState === 'overdue') continue;
    const counted = recountTask(run, task);
    if (!counted) continue;
    if (counted.due.due !== task.due || counted.warnAt !== task.warnAt) {
      const dueState = dueStateAfter(run, task, counted.due.due, counted.warnAt);
      cancelTaskTimers(run, task.id);
      run.emit({
        type: 'task.dueChanged',
        taskId: task.id,
        due: counted.due.due,
        ...(counted.warnAt ? { warnAt: counted.warnAt } : {}),
        dueState,
        reason: 'calendar',
        calendarVersion: run.calendar.version,
      });
      taskTimers(run, task.id, counted.due.due, counted.warnAt, dueState, 'calendar');
      const name = task.name['zh-CN'];
      run.notify({
        to: taskRecipients(task),
        taskId: task.id,
        message: message(
          `任务“${name}”因工作日历调整，期限由 ${localTime(task.due)} 改为 ${localTime(counted.due.due)}`,
          `task "${task.name.en ?? name}" moved with the working calendar from ${localTime(task.due)} to ${localTime(counted.due.due)}`,
        ),
      });
    }
    reconcileFlag(run, { kind: 'task', id: task.id }, counted.due);
  }

  for (const timer of run.state.timers) {
    if (timer.purpose.kind !== 'node') continue;
    const { tokenId, node: nodeId } = timer.purpose;
    const node = run.ix.nodes.get(nodeId);
    const token = byId(run.state.tokens, tokenId);
    if (node?.kind !== 'timer' || !token) continue;
    // The wait started when the token arrived at the timer node: the token's `since`.
    const due = computeDue(
      instantMs(token.since),
      node.wait.duration,
      node.wait.calendar,
      false,
      run.calendar,
    );
    if (!due) continue;
    let subject: FlagSubject = { kind: 'timer', id: timer.id };
    if (due.due !== timer.due) {
      cancelTimers(run, (t) => t.id === timer.id);
      const moved: Timer = { id: run.newId(), due: due.due, purpose: timer.purpose };
      run.emit({
        type: 'timer.set',
        timer: moved,
        reason: 'calendar',
        calendarVersion: run.calendar.version,
      });
      if (run.state.flags.some((f) => f.subject.kind === 'timer' && f.subject.id === timer.id)) {
        run.emit({ type: 'calendar.flagCleared', subject });
      }
      subject = { kind: 'timer', id: moved.id };
    }
    reconcileFlag(run, subject, due);
  }
}
