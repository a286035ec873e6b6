import { approximateSeconds, parseDuration } from '@lianxin/spec';
import { computeDue, computeWarning, instantMs } from '../calendar';
import { cancelClockTimers, clockDef, clockTimers } from '../clocks';
import { canWork, fail, type Handlers, isSupervisor, needActor, notAllowed } from '../run';
import type { ClockState } from '../types';

export const clockHandlers = {
  'deadline.requestExtension'(run, c) {
    const actor = needActor(run);
    const def = clockDef(run, c.clockId);
    const clock = run.state.clocks[c.clockId] as ClockState;
    if (clock.status === 'stopped') fail('clock.notRunning', { clockId: c.clockId });
    const working = run.state.tasks.some((t) => canWork(actor, t));
    if (!working && !isSupervisor(actor, run.state)) {
      notAllowed(
        actor,
        '只有在办人员或领导可以申请延期',
        'only someone working the case or a leader may ask',
      );
    }
    if (!def.extension) fail('extension.notAllowed', { clockId: c.clockId });
    const asked = parseDuration(c.duration);
    if (!asked) fail('duration.invalid', { value: c.duration });
    const max = parseDuration(def.extension.max);
    if (max && approximateSeconds(asked) > approximateSeconds(max)) {
      fail('extension.tooLong', { duration: c.duration, max: def.extension.max });
    }
    if (clock.extensionsUsed >= def.extension.times) {
      fail('extension.exhausted', { clockId: c.clockId, times: clock.extensionsUsed });
    }
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
    const actor = needActor(run);
    const request = run.state.extensionRequests[c.requestId];
    if (!request) fail('extension.notFound', { requestId: c.requestId });
    if (!isSupervisor(actor, run.state))
      notAllowed(actor, '只有领导可以批准延期', 'only a leader may approve an extension');
    const def = clockDef(run, request.clockId);
    const clock = run.state.clocks[request.clockId] as ClockState;
    if (clock.status === 'stopped') fail('clock.notRunning', { clockId: clock.id });
    if (def.extension && clock.extensionsUsed >= def.extension.times) {
      fail('extension.exhausted', { clockId: clock.id, times: clock.extensionsUsed });
    }
    const due = computeDue(instantMs(clock.due), request.duration, clock.calendar);
    if (!due) fail('duration.invalid', { value: request.duration });
    const warnAt = computeWarning(due.dueMs, def.deadline.warningBefore);
    cancelClockTimers(run, clock.id);
    run.emit({
      type: 'extension.approved',
      requestId: request.id,
      clockId: clock.id,
      due: due.due,
      ...(warnAt ? { warnAt } : {}),
    });
    if (due.beyondCoverage) run.flag({ kind: 'clock', id: clock.id }, due.due);
    const updated = run.state.clocks[clock.id] as ClockState;
    if (updated.status === 'running') clockTimers(run, updated);
  },

  'deadline.refuseExtension'(run, c) {
    const actor = needActor(run);
    const request = run.state.extensionRequests[c.requestId];
    if (!request) fail('extension.notFound', { requestId: c.requestId });
    if (!isSupervisor(actor, run.state))
      notAllowed(actor, '只有领导可以驳回延期', 'only a leader may refuse an extension');
    if (!c.reason?.trim()) fail('text.empty', { field: '驳回理由', fieldEn: 'the reason' });
    run.emit({ type: 'extension.refused', requestId: request.id, reason: c.reason });
  },

  'clock.pause'(run, c) {
    const actor = needActor(run);
    clockDef(run, c.clockId);
    const clock = run.state.clocks[c.clockId] as ClockState;
    if (!isSupervisor(actor, run.state))
      notAllowed(actor, '只有领导可以暂停法定时限', 'only a leader may pause a statutory clock');
    if (clock.status !== 'running') fail('clock.notRunning', { clockId: c.clockId });
    if (!c.reason?.trim()) fail('text.empty', { field: '暂停理由', fieldEn: 'the reason' });
    cancelClockTimers(run, clock.id);
    run.emit({ type: 'clock.paused', clockId: clock.id, reason: c.reason });
  },

  'clock.resume'(run, c) {
    const actor = needActor(run);
    clockDef(run, c.clockId);
    const clock = run.state.clocks[c.clockId] as ClockState;
    if (!isSupervisor(actor, run.state))
      notAllowed(actor, '只有领导可以恢复法定时限', 'only a leader may resume a statutory clock');
    if (clock.status !== 'paused' || !clock.pausedAt)
      fail('clock.notPaused', { clockId: c.clockId });
    const paused = run.nowMs - instantMs(clock.pausedAt);
    const due = new Date(instantMs(clock.due) + paused).toISOString();
    const warnAt = clock.warnAt
      ? new Date(instantMs(clock.warnAt) + paused).toISOString()
      : undefined;
    run.emit({
      type: 'clock.resumed',
      clockId: clock.id,
      due,
      pausedMs: clock.pausedMs + paused,
      ...(warnAt ? { warnAt } : {}),
      ...(c.reason ? { reason: c.reason } : {}),
    });
    clockTimers(run, run.state.clocks[clock.id] as ClockState);
  },
} satisfies Handlers<
  | 'deadline.requestExtension'
  | 'deadline.approveExtension'
  | 'deadline.refuseExtension'
  | 'clock.pause'
  | 'clock.resume'
>;
