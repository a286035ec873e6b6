import { beijingText } from '@lianxin/designer';
import { type Lang, SYSTEM_ROLES } from '@lianxin/spec';
import { tr } from '../../i18n';

export type Pair = [zh: string, en: string];

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
/** Every role a person can hold, by the names spec gives them (a flow may name its own). */
export const ROLE_NAMES: Record<string, Pair> = Object.fromEntries(
  Object.entries(SYSTEM_ROLES).map(([id, n]) => [id, [n['zh-CN'], n.en]]),
);
/** The 问题类别 the shipped templates offer; a flow's own enum names come first. */
export const CATEGORY_NAMES: Record<string, Pair> = {
  labour: ['劳动社保', 'Labour and social security'],
  housing: ['城乡建设', 'Housing and construction'],
  land: ['自然资源', 'Land and natural resources'],
  legal: ['政法信访', 'Law and justice'],
  agriculture: ['农业农村', 'Agriculture'],
  education: ['教育', 'Education'],
  health: ['卫生健康', 'Health'],
  market: ['市场监管', 'Market regulation'],
  overseas: ['涉侨', 'Overseas Chinese'],
  other: ['其他', 'Other'],
};

export const name = (table: Record<string, Pair>, key: string | null | undefined, lang: Lang) => {
  if (!key) return '—';
  const p = table[key];
  return p ? tr(lang, p[0], p[1]) : key;
};

/** An instant in Beijing time (`2026-10-08 23:59`), whatever the browser's time zone. */
export const fmt = (at: string | null | undefined) => (at ? beijingText(at) : '—');
