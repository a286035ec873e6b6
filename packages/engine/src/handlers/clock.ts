import { approximateSeconds, type DurationParts, parseDuration } from '@lianxin/spec';
import { computeDue, computeWarning, instantMs } from '../calendar';
import {
  cancelClockTimers,
  clockDef,
  clockTimers,
  extensionLimits,
  followClock,
  pauseClock,
  resumeClock,
  rollsOverHolidays,
} from '../clocks';
import { guards } from '../guards';
import { enforce, fail, type Handlers, needActor } from '../run';
import { approveTaskExtension } from '../shares';
import type { ClockState, ExtensionRequest } from '../types';

export const clockHandlers = {
  'deadline.requestExtension'(run, c) {
    const actor = needActor(run);
    enforce(guards['deadline.requestExtension'](run, actor, c));
    const def = clockDef(run, c.clockId);
    if (!def.extension) fail('extension.notAllowed', { clockId: c.clockId });
    const asked = parseDuration(c.duration);
    if (!asked) fail('duration.invalid', { value: c.duration });
    const { max } = extensionLimits(def.extension);
    if (tooLong(asked, max)) fail('extension.tooLong', { duration: c.duration, max });
    if (!c.reason?.trim()) fail('text.empty', { field: '延期理由', fieldEn: 'the reason' });
    run.emit({
      type: 'extension.requested',
      request: {
        id: run.newId(),
        clockId: c.clockId,
        duration: c.duration,
        reason: c.reason,
        requestedBy: actor.id,
        requestedAt: run.env.now,
      },
    });
  },

  'deadline.approveExtension'(run, c) {
    enforce(guards['deadline.approveExtension'](run, needActor(run), c));
    const request = run.state.extensionRequests[c.requestId] as ExtensionRequest;
    if (request.taskId !== undefined) {
      approveTaskExtension(run, request);
      return;
    }
    const def = clockDef(run, request.clockId);
    const clock = run.state.clocks[request.clockId] as ClockState;
    const asked = parseDuration(request.duration);
    if (!asked) fail('duration.invalid', { value: request.duration });
    // The maximum holds at approval too: the request may predate a stricter version of the flow.
    const { max } = extensionLimits(def.extension ?? {});
    if (tooLong(asked, max)) fail('extension.tooLong', { duration: request.duration, max });
    const due = computeDue(
      instantMs(clock.due),
      request.duration,
      clock.calendar,
      clock.basis?.rollOverHolidays ?? rollsOverHolidays(def),
      run.calendar,
    );
    if (!due) fail('duration.invalid', { value: request.duration });
    const warnAt = computeWarning(
      due.dueMs,
      def.deadline.warningBefore,
      clock.calendar,
      run.calendar,
    );
    cancelClockTimers(run, clock.id);
    run.emit({
      type: 'extension.approved',
      requestId: request.id,
      clockId: clock.id,
      due: due.due,
      ...(warnAt ? { warnAt } : {}),
      duration: request.duration,
      calendarVersion: run.calendar.version,
    });
    run.flagProvisional({ kind: 'clock', id: clock.id }, due);
    const updated = run.state.clocks[clock.id] as ClockState;
    if (updated.status === 'running') clockTimers(run, updated);
    followClock(run, clock.id);
  },

  'deadline.refuseExtension'(run, c) {
    enforce(guards['deadline.refuseExtension'](run, needActor(run), c));
    if (!c.reason?.trim()) fail('text.empty', { field: '驳回理由', fieldEn: 'the reason' });
    run.emit({ type: 'extension.refused', requestId: c.requestId, reason: c.reason });
  },

  'clock.pause'(run, c) {
    enforce(guards['clock.pause'](run, needActor(run), c));
    const clock = run.state.clocks[c.clockId] as ClockState;
    if (!c.reason?.trim()) fail('text.empty', { field: '暂停理由', fieldEn: 'the reason' });
    pauseClock(run, clock.id, c.reason);
  },

  'clock.resume'(run, c) {
    enforce(guards['clock.resume'](run, needActor(run), c));
    resumeClock(run, run.state.clocks[c.clockId] as ClockState, c.reason);
  },
} satisfies Handlers<
  | 'deadline.requestExtension'
  | 'deadline.approveExtension'
  | 'deadline.refuseExtension'
  | 'clock.pause'
  | 'clock.resume'
>;

/** Whether an asked extension is longer than the flow's maximum (months count 30 days). */
function tooLong(asked: DurationParts, max: string): boolean {
  const limit = parseDuration(max);
  return limit !== undefined && approximateSeconds(asked) > approximateSeconds(limit);
}
