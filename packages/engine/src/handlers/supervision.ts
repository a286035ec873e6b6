import { instantMs } from '../calendar';
import { guards } from '../guards';
import { cancelTimers } from '../movement';
import {
  byId,
  enforce,
  fail,
  type Handlers,
  localTime,
  message,
  needActor,
  type Run,
} from '../run';
import type { Notification, SupervisionAddressee, SupervisionOrder } from '../types';

/** A supervision order may ask for an answer at most this far ahead. */
const MAX_AHEAD_MS = 366 * 86_400_000;

function recipient(to: SupervisionAddressee): Notification['to'] {
  switch (to.kind) {
    case 'user':
      return { kind: 'user', userId: to.userId };
    case 'department':
      return { kind: 'department', jurisdiction: to.jurisdiction, department: to.department };
    case 'assignees':
      return { kind: 'assignees' };
  }
}

function order(run: Run, id: string): SupervisionOrder {
  const found = byId(run.state.supervisions ?? [], id);
  if (!found) fail('supervision.notFound', { supervisionId: id });
  return found;
}

function cancelReminder(run: Run, supervisionId: string): void {
  cancelTimers(
    run,
    (t) => t.purpose.kind === 'supervisionOverdue' && t.purpose.supervisionId === supervisionId,
  );
}

/**
 * The deadline of an order passed without an answer: its addressee (the
 * supervised department's handlers, the person, or the case's assignees) and
 * the supervisor who issued it each hear of it once.
 */
export function supervisionOverdue(run: Run, supervisionId: string): void {
  const o = byId(run.state.supervisions ?? [], supervisionId);
  if (o?.status !== 'open') return;
  const text = message(
    `督办逾期未反馈：${o.reason}（期限 ${localTime(o.deadline)}）`,
    `Supervision order not answered by its deadline (${localTime(o.deadline)}): ${o.reason}`,
  );
  run.notify({ to: recipient(o.to), message: text });
  run.notify({ to: { kind: 'user', userId: o.issuedBy }, message: text });
}

/** 督办: issue, answer (反馈) and close (结束) supervision orders; each notifies the other side. */
export const supervisionHandlers = {
  'case.supervise'(run, c) {
    const actor = needActor(run);
    enforce(guards['case.supervise'](run, actor, c));
    if (!c.reason?.trim()) fail('text.empty', { field: '督办事由', fieldEn: 'the reason' });
    let deadlineMs = Number.NaN;
    try {
      deadlineMs = instantMs(c.deadline);
    } catch {
      // Reported below, in the command's own words.
    }
    if (!(deadlineMs > run.nowMs && deadlineMs <= run.nowMs + MAX_AHEAD_MS))
      fail('supervision.deadlineInvalid', { deadline: String(c.deadline).slice(0, 64) });
    const to = c.to;
    if (to.kind === 'department' && !/^\d{6}$/.test(to.jurisdiction))
      fail('jurisdiction.invalid', { code: to.jurisdiction });
    if (to.kind === 'department' && !to.department.trim())
      fail('text.empty', { field: '督办部门', fieldEn: 'the department' });
    if (to.kind === 'user' && !to.userId.trim())
      fail('text.empty', { field: '督办对象', fieldEn: 'the addressee' });
    const deadline = new Date(deadlineMs).toISOString();
    const id = run.newId();
    run.emit({
      type: 'supervision.issued',
      order: {
        id,
        reason: c.reason,
        deadline,
        to,
        issuedBy: actor.id,
        issuedAt: run.env.now,
        status: 'open',
      },
    });
    run.notify({
      to: recipient(to),
      message: message(
        `督办：${c.reason}（请于 ${localTime(deadline)} 前办理并反馈）`,
        `Supervision order: ${c.reason} (handle it and answer by ${localTime(deadline)})`,
      ),
    });
    // Fired once by the scheduler (claimed like every timer); answering or closing cancels it.
    run.emit({
      type: 'timer.set',
      timer: {
        id: run.newId(),
        due: deadline,
        purpose: { kind: 'supervisionOverdue', supervisionId: id },
      },
    });
  },

  'case.answerSupervision'(run, c) {
    const actor = needActor(run);
    enforce(guards['case.answerSupervision'](run, actor, c));
    if (!c.text?.trim()) fail('text.empty', { field: '反馈内容', fieldEn: 'the answer' });
    const o = order(run, c.supervisionId);
    cancelReminder(run, o.id);
    run.emit({ type: 'supervision.answered', supervisionId: o.id, text: c.text });
    run.notify({
      to: { kind: 'user', userId: o.issuedBy },
      message: message(`督办已反馈：${c.text}`, `Supervision order answered: ${c.text}`),
    });
  },

  'case.closeSupervision'(run, c) {
    const actor = needActor(run);
    enforce(guards['case.closeSupervision'](run, actor, c));
    const o = order(run, c.supervisionId);
    const note = c.note?.trim() ? c.note : undefined;
    cancelReminder(run, o.id);
    run.emit({
      type: 'supervision.closed',
      supervisionId: o.id,
      ...(note !== undefined ? { note } : {}),
    });
    run.notify({
      to: recipient(o.to),
      message: message(
        `督办已结束：${o.reason}${note ? `（${note}）` : ''}`,
        `Supervision order closed: ${o.reason}${note ? ` (${note})` : ''}`,
      ),
    });
  },
} satisfies Handlers<'case.supervise' | 'case.answerSupervision' | 'case.closeSupervision'>;
