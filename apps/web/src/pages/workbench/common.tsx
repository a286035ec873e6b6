import { beijingText } from '@lianxin/designer';
import type { Lang } from '@lianxin/spec';
import { Tag } from 'antd';
import dayjs from 'dayjs';
import { tr } from '../../i18n';

type Pair = [zh: string, en: string];

export const CHANNEL_NAMES: Record<string, Pair> = {
  visit: ['来访', 'Walk-in'],
  letter: ['来信', 'Letter'],
  online: ['网上', 'Online'],
  phone: ['电话', 'Phone'],
  hotline: ['12345', 'Hotline 12345'],
  grid: ['网格上报', 'Grid report'],
};
export const URGENCY: Record<string, { color: string; hex: string; name: Pair }> = {
  red: { color: 'red', hex: '#f5222d', name: ['红', 'Red'] },
  yellow: { color: 'gold', hex: '#faad14', name: ['黄', 'Yellow'] },
  blue: { color: 'blue', hex: '#1677ff', name: ['蓝', 'Blue'] },
  green: { color: 'green', hex: '#52c41a', name: ['绿', 'Green'] },
};
export const STATUS_NAMES: Record<string, Pair> = {
  new: ['新建', 'New'],
  active: ['办理中', 'In progress'],
  closed: ['已办结', 'Closed'],
  cancelled: ['已撤销', 'Cancelled'],
};
export const OUTCOME_NAMES: Record<string, Pair> = {
  resolved: ['已化解', 'Resolved'],
  declined: ['不予受理', 'Declined'],
  transferred: ['已转送', 'Transferred'],
  withdrawn: ['已撤回', 'Withdrawn'],
};
export const ROLE_NAMES: Record<string, Pair> = {
  admin: ['管理员', 'Admin'],
  receptionist: ['接访员', 'Receptionist'],
  handler: ['部门办理人', 'Department handler'],
  lawyer: ['律师', 'Lawyer'],
  mediator: ['调解员', 'Mediator'],
  socialWorker: ['社工', 'Social worker'],
  leader: ['领导', 'Leader'],
  supervisor: ['督查', 'Supervisor'],
};
export const DEPARTMENT_NAMES: Record<string, Pair> = {
  housing: ['住建局', 'Housing bureau'],
  hrss: ['人社局', 'Human resources & social security'],
  land: ['自然资源局', 'Natural resources'],
  labour: ['人社局', 'Labour'],
  civil: ['民政局', 'Civil affairs'],
  justice: ['司法局', 'Justice bureau'],
  education: ['教育局', 'Education bureau'],
  health: ['卫健局', 'Health bureau'],
  market: ['市场监管局', 'Market regulation'],
  agriculture: ['农业农村局', 'Agriculture bureau'],
};

export const name = (table: Record<string, Pair>, key: string | null | undefined, lang: Lang) => {
  if (!key) return '—';
  const p = table[key];
  return p ? tr(lang, p[0], p[1]) : key;
};

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
  lang,
}: {
  due?: string | null;
  state?: string | null;
  lang: Lang;
}) {
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

/** An instant in Beijing time (`2026-10-08 23:59`), whatever the browser's time zone. */
export const fmt = (at: string | null | undefined) => (at ? beijingText(at) : '—');

/** 陈** / 138****8000 / 4407**********1234: personal data for those who need not see it. */
/** A masked value as the server sent it, or a dash when there is none. */
export const shown = (s: string | null | undefined) => s || '—';
