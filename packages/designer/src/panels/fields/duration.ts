import { type Calendar, type Lang, parseDuration } from '@lianxin/spec';
import { tr } from '../../i18n';

/**
 * The units a duration is typed in. 工作日 is not a unit of ISO 8601: it is
 * `P{n}D` counted on the `workingDays` calendar, so a unit carries its calendar.
 * Weeks are read as 7 days (a week of working days counts 7 working days in the
 * engine too), so they need no unit of their own.
 */
export const DURATION_UNITS = ['days', 'workingDays', 'hours', 'months'] as const;
export type DurationUnit = (typeof DURATION_UNITS)[number];

/** A duration as the flow format writes it: ISO 8601 text and the calendar it counts in. */
export interface TimedDuration {
  duration: string;
  calendar: Calendar;
}

/** A duration as a person types it: a whole number and a unit. */
export interface DurationAmount {
  amount: number;
  unit: DurationUnit;
}

export const UNIT_NAMES = {
  days: { 'zh-CN': '天', en: 'days' },
  workingDays: { 'zh-CN': '工作日', en: 'working days' },
  hours: { 'zh-CN': '小时', en: 'hours' },
  months: { 'zh-CN': '个月', en: 'months' },
} as const satisfies Record<DurationUnit, { 'zh-CN': string; en: string }>;

/** The largest number each unit takes: ten years, give or take. */
export const UNIT_LIMITS = {
  days: 3660,
  workingDays: 2500,
  hours: 24 * 366,
  months: 120,
} as const satisfies Record<DurationUnit, number>;

/** The calendar a unit counts in. */
export const unitCalendar = (unit: DurationUnit): Calendar =>
  unit === 'workingDays' ? 'workingDays' : 'natural';

/**
 * The number and unit a duration reads as, or undefined when it is not one
 * number of one unit (`P1DT4H`, `P1Y`, `PT30M`, hours on working days): those
 * are shown in words and kept until the admin types a new length.
 */
export function durationAmount(value: TimedDuration): DurationAmount | undefined {
  const d = parseDuration(value.duration);
  if (!d || d.years || d.minutes || d.seconds) return undefined;
  const days = d.days + 7 * d.weeks;
  if (value.calendar === 'workingDays') {
    return d.months || d.hours ? undefined : { amount: days, unit: 'workingDays' };
  }
  const used = [days > 0, d.hours > 0, d.months > 0].filter(Boolean).length;
  if (used > 1) return undefined;
  if (d.hours) return { amount: d.hours, unit: 'hours' };
  if (d.months) return { amount: d.months, unit: 'months' };
  return { amount: days, unit: 'days' };
}

/** The ISO 8601 text and calendar of a number of a unit (no checks: see `durationFromInput`). */
export function durationOf({ amount, unit }: DurationAmount): TimedDuration {
  const calendar = unitCalendar(unit);
  if (unit === 'hours') return { duration: `PT${amount}H`, calendar };
  if (unit === 'months') return { duration: `P${amount}M`, calendar };
  return { duration: `P${amount}D`, calendar };
}

/** Full-width digits and signs, as a Chinese input method types them, read as ASCII. */
const ascii = (text: string) =>
  text.replace(/[０-９．－＋]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0)).trim();

/**
 * What a person typed, as a duration, or why it cannot be one: empty, not a
 * number, not whole, negative, zero (unless `allowZero`: 0 天 is 当天, the
 * same day), or longer than the unit's limit.
 */
export function durationFromInput(
  typed: string,
  unit: DurationUnit,
  lang: Lang,
  options: { allowZero?: boolean } = {},
): TimedDuration | { error: string } {
  const text = ascii(typed);
  if (!text) return { error: tr(lang, '请填写时长', 'Enter a length') };
  if (!/^[+-]?(\d+\.?\d*|\.\d+)$/.test(text))
    return {
      error: tr(lang, `“${typed.trim()}”不是数字`, `“${typed.trim()}” is not a number`),
    };
  const amount = Number(text);
  if (amount < 0) return { error: tr(lang, '时长不能为负数', 'A length cannot be negative') };
  if (!Number.isInteger(amount))
    return { error: tr(lang, '时长须为整数', 'A length must be a whole number') };
  if (amount === 0 && !(options.allowZero && unit === 'days'))
    return { error: tr(lang, '时长须大于 0', 'A length must be more than 0') };
  const limit = UNIT_LIMITS[unit];
  if (amount > limit)
    return {
      error: tr(
        lang,
        `时长过长：最多 ${limit} ${UNIT_NAMES[unit]['zh-CN']}`,
        `Too long: at most ${limit} ${UNIT_NAMES[unit].en}`,
      ),
    };
  return durationOf({ amount, unit });
}

/** A duration in words: `15 个工作日`, `4 小时`, `1 年 2 个月`, `0 天（当天）`. */
export function durationWords(value: TimedDuration, lang: Lang): string {
  const d = parseDuration(value.duration);
  if (!d) return tr(lang, '无效的时长', 'an invalid length');
  const working = value.calendar === 'workingDays';
  const days = d.days + 7 * d.weeks;
  const parts: [number, string, string][] = [
    [d.years, '年', 'years'],
    [d.months, '个月', 'months'],
    [days, working ? '个工作日' : '天', working ? 'working days' : 'days'],
    [d.hours, '小时', 'hours'],
    [d.minutes, '分钟', 'minutes'],
    [d.seconds, '秒', 'seconds'],
  ];
  const shown = parts
    .filter(([n]) => n > 0)
    .map(([n, zh, en]) => tr(lang, `${n} ${zh}`, `${n} ${en}`));
  if (!shown.length) return tr(lang, '0 天（当天）', '0 days (the same day)');
  return shown.join(' ');
}
