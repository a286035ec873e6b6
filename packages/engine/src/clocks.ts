import {
  CLOCK_STOPPED_WHILE_PAUSED,
  type ClockDeadline,
  type Deadline,
  type StatutoryClock,
  type UrgencyColour,
} from '@lianxin/spec';
import {
  type CalendarKind,
  computeDue,
  computeWarning,
  instantMs,
  workingMsBetween,
} from './calendar';
import { cancelTaskTimers, cancelTimers } from './movement';
import { recountClock } from './recompute';
import { fail, type Run } from './run';
import type { ClockState, DueState, Task } from './types';

/**
 * The duration and calendar a deadline gives a case of this urgency colour:
 * a `byUrgency` entry first (with its own calendar when it has one).
 */
export function deadlineTerms(
  deadline: Deadline | ClockDeadline,
  urgency: UrgencyColour | null | undefined,
): { duration: string; calendar: CalendarKind } {
  const entry = urgency ? deadline.byUrgency?.[urgency] : undefined;
  if (typeof entry === 'object') return entry;
  return { duration: entry || deadline.duration, calendar: deadline.calendar ?? 'natural' };
}

/**
 * How far a clock may be extended. 信访工作条例 第三十二条 allows one approved
 * extension of at most 30 days; those are also the limits when a stored
 * definition lacks the schema's defaults, so the engine never allows more
 * than the flow or the statute says.
 */
export function extensionLimits(extension: Partial<NonNullable<StatutoryClock['extension']>>): {
  max: string;
  times: number;
} {
  return { max: extension.max ?? 'P30D', times: extension.times ?? 1 };
}

/** A statutory clock rolls a last day off a holiday unless the flow says not to (民法典 第二百零三条). */
export function rollsOverHolidays(def: StatutoryClock): boolean {
  return def.deadline.rollOverHolidays ?? true;
}

export function clockTimers(
  run: Run,
  clock: ClockState,
  options: { reason?: 'calendar'; skipPastWarning?: boolean } = {},
): void {
  const stamp = {
    calendarVersion: run.calendar.version,
    ...(options.reason ? { reason: options.reason } : {}),
  };
  if (clock.warnAt && !(options.skipPastWarning && instantMs(clock.warnAt) <= run.nowMs)) {
    run.emit({
      type: 'timer.set',
      timer: {
        id: run.newId(),
        due: clock.warnAt,
        purpose: { kind: 'clockWarning', clockId: clock.id },
      },
      ...stamp,
    });
  }
  run.emit({
    type: 'timer.set',
    timer: {
      id: run.newId(),
      due: clock.due,
      purpose: { kind: 'clockOverdue', clockId: clock.id },
    },
    ...stamp,
  });
}

export function cancelClockTimers(run: Run, clockId: string): void {
  cancelTimers(
    run,
    (t) =>
      (t.purpose.kind === 'clockWarning' || t.purpose.kind === 'clockOverdue') &&
      t.purpose.clockId === clockId,
  );
}

export function matchesPoint(
  point: StatutoryClock['start'],
  on: 'caseStart' | 'enter' | 'leave',
  node?: string,
): boolean {
  if (point.on === 'caseStart') return on === 'caseStart';
  return point.on === on && point.node === node;
}

export function clockHooks(run: Run, on: 'caseStart' | 'enter' | 'leave', node?: string): void {
  for (const def of run.def.clocks) {
    const clock = run.state.clocks[def.id];
    if (clock && clock.status !== 'stopped' && matchesPoint(def.stop, on, node)) {
      settlePauseBeforeStop(run, def.id);
      cancelClockTimers(run, def.id);
      run.emit({ type: 'clock.stopped', clockId: def.id });
    } else if (!clock && matchesPoint(def.start, on, node)) {
      startClock(run, def);
    }
  }
}

export function startClock(run: Run, def: StatutoryClock): void {
  const { duration, calendar } = deadlineTerms(def.deadline, run.state.urgency);
  const rollOverHolidays = rollsOverHolidays(def);
  const due = computeDue(run.nowMs, duration, calendar, rollOverHolidays, run.calendar);
  if (!due) return;
  const clock: ClockState = {
    id: def.id,
    name: def.name,
    status: 'running',
    startedAt: run.env.now,
    due: due.due,
    calendar,
    pausedMs: 0,
    extensionsUsed: 0,
    overdue: false,
    basis: { duration, rollOverHolidays, extensions: [] },
  };
  if (def.deadline.warningBefore && clock.basis)
    clock.basis.warningBefore = def.deadline.warningBefore;
  const warnAt = computeWarning(due.dueMs, def.deadline.warningBefore, calendar, run.calendar);
  if (warnAt) clock.warnAt = warnAt;
  run.emit({ type: 'clock.started', clock, calendarVersion: run.calendar.version });
  run.flagProvisional({ kind: 'clock', id: def.id }, due);
  clockTimers(run, clock);
  // Tasks that opened before their clock started take its deadline now.
  followClock(run, def.id);
}

/**
 * Stops a running clock counting (a leader's pause, or the case entering one
 * of its pause steps, `step`): its timers and its tasks' timers are cancelled
 * until it resumes.
 */
export function pauseClock(run: Run, clockId: string, reason: string, step?: string): void {
  cancelClockTimers(run, clockId);
  pauseBoundTasks(run, clockId);
  run.emit({
    type: 'clock.paused',
    clockId,
    reason,
    ...(step !== undefined ? { step } : {}),
  });
}

/**
 * Lets a paused clock count again: the time it stood still joins `pausedMs`
 * and the due date is counted again with it (`recountClock`): later by that
 * time (in whole days for a period of days, `pauseShiftMs`), rolled to the end
 * of the next working day if it then falls on a rest day and the deadline
 * rolls off them (`shiftDue`); the warning moves as far. A clock counting
 * working days moves by the whole working days of the time that fell on
 * working days (`pausedWorkMs`, `shiftWorkingDue`). Its timers and its tasks'
 * deadlines follow.
 */
export function resumeClock(
  run: Run,
  clock: ClockState,
  reason?: string,
  step?: string,
  options: { stopping?: boolean } = {},
): void {
  const pausedAt = instantMs(clock.pausedAt as string);
  const paused = run.nowMs - pausedAt;
  const pausedMs = clock.pausedMs + paused;
  // A working-day clock counts the paused time on working days (its pauses from before that
  // was kept count whole, as working time).
  const pausedWorkMs =
    clock.calendar === 'workingDays'
      ? (clock.pausedWorkMs ?? clock.pausedMs) + workingMsBetween(pausedAt, run.nowMs, run.calendar)
      : undefined;
  const work = pausedWorkMs !== undefined ? { pausedWorkMs } : {};
  // (a clock from before due dates kept their terms, extended, can only move exactly)
  const counted = recountClock(run, { ...clock, pausedMs, ...work });
  const due = counted?.due.due ?? new Date(instantMs(clock.due) + paused).toISOString();
  const warnAt = counted
    ? counted.warnAt
    : clock.warnAt && new Date(instantMs(clock.warnAt) + paused).toISOString();
  run.emit({
    type: 'clock.resumed',
    clockId: clock.id,
    due,
    pausedMs,
    ...work,
    ...(warnAt ? { warnAt } : {}),
    ...(reason ? { reason } : {}),
    ...(step !== undefined ? { step } : {}),
    ...(options.stopping ? { stopping: true as const } : {}),
    calendarVersion: run.calendar.version,
  });
  if (counted) run.flagProvisional({ kind: 'clock', id: clock.id }, counted.due);
  // A clock about to stop needs no timers and moves no task.
  if (options.stopping) return;
  clockTimers(run, run.state.clocks[clock.id] as ClockState);
  followClock(run, clock.id);
}

/**
 * Before a clock stops: one standing still (at a pause step, or paused by a
 * leader) resumes first, so its due date (against which 按期办结 is judged)
 * counts the time it stood still, as it does when it resumes later.
 */
export function settlePauseBeforeStop(run: Run, clockId: string): void {
  const clock = run.state.clocks[clockId];
  if (clock?.status !== 'paused') return;
  if (clock.pauseStep === undefined) {
    resumeClock(run, clock, CLOCK_STOPPED_WHILE_PAUSED['zh-CN'], undefined, { stopping: true });
    return;
  }
  const name = run.ix.nodes.get(clock.pauseStep)?.name['zh-CN'] ?? clock.pauseStep;
  resumeClock(run, clock, `离开“${name}”，恢复计时`, clock.pauseStep, { stopping: true });
}

/**
 * Pause steps (`clocks[].pause`), run once a command has moved the case: a
 * running clock stands still while any branch of the case is at one of its
 * pause steps (named by the first such branch), and a clock that stood still
 * that way resumes once none is. A clock a leader paused by hand stays paused
 * until a leader resumes it (the case may enter and leave pause steps
 * meanwhile: no time counts either way); if the case is at a pause step when
 * the leader resumes, the clock stands still again at once, so no moment is
 * counted twice or left out. An overdue clock stays overdue: what was missed
 * stays missed.
 */
export function holdClocks(run: Run): void {
  for (const def of run.def.clocks) {
    const steps = def.pause ?? [];
    if (steps.length === 0) continue;
    const clock = run.state.clocks[def.id];
    if (!clock) continue;
    const at = run.state.tokens.find((t) => steps.includes(t.node))?.node;
    if (clock.status === 'running' && at !== undefined) {
      const name = run.ix.nodes.get(at)?.name['zh-CN'] ?? at;
      pauseClock(run, def.id, `进入“${name}”，期限暂停`, at);
    } else if (clock.status === 'paused' && clock.pauseStep !== undefined && at === undefined) {
      const step = clock.pauseStep;
      const name = run.ix.nodes.get(step)?.name['zh-CN'] ?? step;
      resumeClock(run, clock, `离开“${name}”，恢复计时`, step);
    }
  }
}

/** Open tasks whose deadline follows this clock. */
function boundTasks(run: Run, clockId: string): Task[] {
  return run.state.tasks.filter((t) => t.clock === clockId);
}

/** A paused clock stops its tasks' timers too; `followClock` sets them again on resume. */
export function pauseBoundTasks(run: Run, clockId: string): void {
  for (const task of boundTasks(run, clockId)) cancelTaskTimers(run, task.id);
}

/**
 * Gives the tasks bound to a clock the clock's current due and warning
 * instants (after a start, an extension or a resume), as `task.dueChanged`
 * events so replay reproduces them, and sets their timers again while the
 * clock runs. A task moved past its warning is on time again; one whose new
 * due instant has already passed keeps its state and its overdue timer fires.
 */
export function followClock(run: Run, clockId: string, reason?: 'calendar'): void {
  const clock = run.state.clocks[clockId];
  if (!clock || clock.status === 'stopped') return;
  const dueMs = instantMs(clock.due);
  const warnMs = clock.warnAt ? instantMs(clock.warnAt) : dueMs;
  for (const task of boundTasks(run, clockId)) {
    cancelTaskTimers(run, task.id);
    let dueState: DueState = task.dueState;
    if (run.nowMs < warnMs) dueState = 'onTime';
    else if (run.nowMs < dueMs && task.dueState === 'overdue') dueState = 'dueSoon';
    const stamp = { calendarVersion: run.calendar.version, ...(reason ? { reason } : {}) };
    run.emit({
      type: 'task.dueChanged',
      taskId: task.id,
      due: clock.due,
      ...(clock.warnAt ? { warnAt: clock.warnAt } : {}),
      dueState,
      ...stamp,
    });
    if (clock.status === 'paused') continue;
    taskTimers(run, task.id, clock.due, clock.warnAt, dueState, reason);
  }
}

/** A task's warning (while it is on time) and overdue (until it is overdue) timers. */
export function taskTimers(
  run: Run,
  taskId: string,
  due: string,
  warnAt: string | undefined,
  dueState: DueState,
  reason?: 'calendar',
): void {
  const stamp = { calendarVersion: run.calendar.version, ...(reason ? { reason } : {}) };
  if (warnAt && dueState === 'onTime') {
    run.emit({
      type: 'timer.set',
      timer: { id: run.newId(), due: warnAt, purpose: { kind: 'taskWarning', taskId } },
      ...stamp,
    });
  }
  if (dueState !== 'overdue') {
    run.emit({
      type: 'timer.set',
      timer: { id: run.newId(), due, purpose: { kind: 'taskOverdue', taskId } },
      ...stamp,
    });
  }
}

export function clockDef(run: Run, clockId: string): StatutoryClock {
  const def = run.def.clocks.find((c) => c.id === clockId);
  if (!def || !run.state.clocks[clockId]) fail('clock.notFound', { clockId });
  return def;
}
