import type { Lang } from '@lianxin/spec';
import { Tag } from 'antd';
import dayjs from 'dayjs';
import { tr } from '../../i18n';
import { URGENCY } from './words';

export * from './words';

export function UrgencyTag({ urgency, lang }: { urgency: string | null; lang: Lang }) {
  if (!urgency) return <Tag>{tr(lang, '未定色', 'Not triaged')}</Tag>;
  const u = URGENCY[urgency];
  return (
    <Tag color={u?.color} data-testid={`urgency-${urgency}`}>
      {u ? tr(lang, `${u.name[0]}色`, u.name[1]) : urgency}
    </Tag>
  );
}

/** On time / due soon / overdue, from the task's or clock's due date. */
export function dueStateOf(due: string | null | undefined, stored?: string | null): string {
  if (stored === 'overdue') return 'overdue';
  if (!due) return stored ?? 'onTime';
  const ms = dayjs(due).diff(dayjs());
  if (ms < 0) return 'overdue';
  if (stored === 'dueSoon' || ms < 2 * 86_400_000) return 'dueSoon';
  return 'onTime';
}

/** 剩 3 天 / 超 5 小时: whole days, or hours within the last (or first) day. */
export function timeLeft(ms: number, lang: Lang): string {
  const abs = Math.abs(ms);
  const [n, zh, en] =
    abs < 86_400_000
      ? [Math.max(1, Math.ceil(abs / 3_600_000)), '小时', 'h']
      : [Math.floor(abs / 86_400_000), '天', 'd'];
  return ms >= 0
    ? tr(lang, `剩 ${n} ${zh}`, `${n} ${en} left`)
    : tr(lang, `超 ${n} ${zh}`, `${n} ${en} over`);
}

export function DueTag({
  due,
  state,
  paused = false,
  lang,
}: {
  due?: string | null;
  state?: string | null;
  /** The statutory clock the deadline follows stands still: no days are running out. */
  paused?: boolean;
  lang: Lang;
}) {
  if (paused)
    return (
      <Tag color="orange" data-testid="due-paused">
        {tr(lang, '计时暂停', 'Clock paused')}
      </Tag>
    );
  const s = dueStateOf(due, state);
  const days = due ? timeLeft(dayjs(due).diff(dayjs()), lang) : '';
  if (s === 'overdue')
    return (
      <Tag color="error" data-testid="due-overdue">
        {tr(lang, '已超期', 'Overdue')} {days}
      </Tag>
    );
  if (s === 'dueSoon')
    return (
      <Tag color="warning" data-testid="due-soon">
        {tr(lang, '即将到期', 'Due soon')} {days}
      </Tag>
    );
  return (
    <Tag color="success" data-testid="due-ontime">
      {tr(lang, '正常', 'On time')} {days}
    </Tag>
  );
}

/** 陈** / 138****8000 / 4407**********1234: personal data for those who need not see it. */
/** A masked value as the server sent it, or a dash when there is none. */
export const shown = (s: string | null | undefined) => s || '—';
