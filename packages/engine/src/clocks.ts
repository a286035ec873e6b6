import type { StatutoryClock } from '@lianxin/spec';
import { computeDue, computeWarning } from './calendar';
import { cancelTimers } from './movement';
import { fail, type Run } from './run';
import type { ClockState } from './types';

export function clockTimers(run: Run, clock: ClockState): void {
  if (clock.warnAt) {
    run.emit({
      type: 'timer.set',
      timer: {
        id: run.newId(),
        due: clock.warnAt,
        purpose: { kind: 'clockWarning', clockId: clock.id },
      },
    });
  }
  run.emit({
    type: 'timer.set',
    timer: {
      id: run.newId(),
      due: clock.due,
      purpose: { kind: 'clockOverdue', clockId: clock.id },
    },
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
      cancelClockTimers(run, def.id);
      run.emit({ type: 'clock.stopped', clockId: def.id });
    } else if (!clock && matchesPoint(def.start, on, node)) {
      startClock(run, def);
    }
  }
}

export function startClock(run: Run, def: StatutoryClock): void {
  const urgency = run.state.urgency;
  const duration = (urgency && def.deadline.byUrgency?.[urgency]) || def.deadline.duration;
  const due = computeDue(run.nowMs, duration, def.deadline.calendar);
  if (!due) return;
  const clock: ClockState = {
    id: def.id,
    name: def.name,
    status: 'running',
    startedAt: run.env.now,
    due: due.due,
    calendar: def.deadline.calendar,
    pausedMs: 0,
    extensionsUsed: 0,
    overdue: false,
  };
  const warnAt = computeWarning(due.dueMs, def.deadline.warningBefore);
  if (warnAt) clock.warnAt = warnAt;
  run.emit({ type: 'clock.started', clock });
  if (due.beyondCoverage) run.flag({ kind: 'clock', id: def.id }, due.due);
  clockTimers(run, clock);
}

export function clockDef(run: Run, clockId: string): StatutoryClock {
  const def = run.def.clocks.find((c) => c.id === clockId);
  if (!def || !run.state.clocks[clockId]) fail('clock.notFound', { clockId });
  return def;
}
