import { type DurationParts, parseDuration } from '@lianxin/spec';
// Pure data (no code, no I/O): the holiday and 调休 tables of chinese-days, usable in the browser.
import holidayData from 'chinese-days/dist/chinese-days.json' with { type: 'json' };

const DAY_MS = 86_400_000;
/** China Standard Time: UTC+8 all year, no daylight saving. */
const SHANGHAI_OFFSET_MS = 8 * 3_600_000;

const holidays = new Set(Object.keys(holidayData.holidays));
const makeUpWorkdays = new Set(Object.keys(holidayData.workdays));
const years = [...holidays, ...makeUpWorkdays].map((d) => Number(d.slice(0, 4)));

/** The years the holiday tables cover (chinese-days 1.5.7: 2004–2026). */
export const HOLIDAY_COVERAGE = {
  from: Math.min(...years),
  until: Math.max(...years),
} as const;

export type CalendarKind = 'natural' | 'workingDays';

/** A local (Asia/Shanghai) calendar date as `YYYY-MM-DD`. */
export function shanghaiDate(instantMs: number): string {
  return new Date(instantMs + SHANGHAI_OFFSET_MS).toISOString().slice(0, 10);
}

export interface WorkdayAnswer {
  workday: boolean;
  /** False when the year is outside the holiday data: the answer is a plain weekday guess. */
  covered: boolean;
}

/**
 * Whether a local date (`YYYY-MM-DD`) is a Chinese working day: a 调休
 * make-up working day is one, a public holiday or a Saturday or Sunday is
 * not (法定休假日 in judicial practice).
 */
export function isWorkingDay(date: string): WorkdayAnswer {
  const year = Number(date.slice(0, 4));
  const covered = year >= HOLIDAY_COVERAGE.from && year <= HOLIDAY_COVERAGE.until;
  if (holidays.has(date)) return { workday: false, covered };
  if (makeUpWorkdays.has(date)) return { workday: true, covered };
  const weekday = new Date(`${date}T00:00:00Z`).getUTCDay();
  return { workday: weekday !== 0 && weekday !== 6, covered };
}

export interface DueResult {
  /** ISO instant (UTC). */
  due: string;
  dueMs: number;
  /** True when a working-day count passed a year the holiday data does not cover. */
  beyondCoverage: boolean;
}

/** Local midnight of `instantMs`'s Shanghai day, as a UTC-midnight "day number" in ms. */
function localDay(instantMs: number): number {
  const shifted = instantMs + SHANGHAI_OFFSET_MS;
  return shifted - (((shifted % DAY_MS) + DAY_MS) % DAY_MS);
}

/** The last millisecond (23:59:59.999 +08:00) of a local day given as a localDay value. */
function endOfLocalDay(day: number): number {
  return day + DAY_MS - SHANGHAI_OFFSET_MS - 1;
}

function dayKey(day: number): string {
  return new Date(day).toISOString().slice(0, 10);
}

function addCalendarMonths(instantMs: number, months: number): number {
  const local = new Date(instantMs + SHANGHAI_OFFSET_MS);
  const y = local.getUTCFullYear();
  const m = local.getUTCMonth() + months;
  const targetYear = y + Math.floor(m / 12);
  const targetMonth = ((m % 12) + 12) % 12;
  // Civil Code art. 202: the corresponding day of the last month, or its last day when there is none.
  const lastDay = new Date(Date.UTC(targetYear, targetMonth + 1, 0)).getUTCDate();
  const day = Math.min(local.getUTCDate(), lastDay);
  const shifted = Date.UTC(
    targetYear,
    targetMonth,
    day,
    local.getUTCHours(),
    local.getUTCMinutes(),
    local.getUTCSeconds(),
    local.getUTCMilliseconds(),
  );
  return shifted - SHANGHAI_OFFSET_MS;
}

/** Adds (or with sign -1 subtracts) a duration in exact natural time, months and years by the local calendar. */
export function addNatural(instantMs: number, d: DurationParts, sign: 1 | -1 = 1): number {
  let ms = instantMs;
  const months = d.years * 12 + d.months;
  if (months) ms = addCalendarMonths(ms, sign * months);
  ms +=
    sign *
    ((d.weeks * 7 + d.days) * DAY_MS + d.hours * 3_600_000 + d.minutes * 60_000 + d.seconds * 1000);
  return ms;
}

/** A period counted in whole days (Y, M, W, D and nothing finer): Civil Code art. 201 applies. */
function countsDays(d: DurationParts): boolean {
  return d.hours + d.minutes + d.seconds === 0;
}

/**
 * The end (23:59:59.999 +08:00) of the Nth working day after the local day
 * of `startMs`. The start day itself never counts, even if it is a working
 * day: a case received on Friday with a 1-working-day deadline is due at the
 * end of Monday.
 */
export function addWorkingDays(
  startMs: number,
  count: number,
): { dueMs: number; beyondCoverage: boolean } {
  const day = localDay(startMs);
  const key = `w${day}|${count}`;
  let known = dayCache.get(key);
  if (!known) {
    known = countWorkingDays(day, count);
    remember(key, known);
  }
  return known;
}

// Day-counted answers depend only on the local start day and the rule, so the cache stays small.
const dayCache = new Map<string, { dueMs: number; beyondCoverage: boolean }>();
function remember(key: string, value: { dueMs: number; beyondCoverage: boolean }): void {
  if (dayCache.size > 10_000) dayCache.clear();
  dayCache.set(key, value);
}

function countWorkingDays(day: number, count: number): { dueMs: number; beyondCoverage: boolean } {
  let found = 0;
  let beyondCoverage = false;
  while (found < count) {
    day += DAY_MS;
    const answer = isWorkingDay(dayKey(day));
    if (!answer.covered) beyondCoverage = true;
    if (answer.workday) found++;
  }
  return { dueMs: endOfLocalDay(day), beyondCoverage };
}

/** The first local day from `day` on (itself included) that is a working day. */
function firstWorkingDayFrom(day: number): { day: number; beyondCoverage: boolean } {
  let beyondCoverage = false;
  for (;;) {
    const answer = isWorkingDay(dayKey(day));
    if (!answer.covered) beyondCoverage = true;
    if (answer.workday) return { day, beyondCoverage };
    day += DAY_MS;
  }
}

function naturalDayPeriod(
  startMs: number,
  d: DurationParts,
  rollOverHolidays: boolean,
): { dueMs: number; beyondCoverage: boolean } {
  // The day of receipt is not counted (art. 201), so the last day is the start day plus the period.
  const lastDay = localDay(addNatural(localDay(startMs) - SHANGHAI_OFFSET_MS, d));
  if (!rollOverHolidays) return { dueMs: endOfLocalDay(lastDay), beyondCoverage: false };
  const rolled = firstWorkingDayFrom(lastDay);
  return { dueMs: endOfLocalDay(rolled.day), beyondCoverage: rolled.beyondCoverage };
}

/**
 * When a deadline of `duration` in `calendar` that starts at `startMs` is due.
 *
 * Periods counted in days, weeks, months or years follow the Civil Code:
 * the start day is not counted and the period ends at 23:59:59.999
 * Asia/Shanghai of its last day (art. 201, months per art. 202), so P0D is
 * "the same day" (当天: 24:00 of the start day); with
 * `rollOverHolidays` a last day that is not a working day moves to the end
 * of the next working day (art. 203). Durations with hours, minutes or
 * seconds are added exactly. Working-day durations use only weeks and days
 * (a week counts 7 working days; the checker enforces it) and always end on
 * a working day.
 */
export function computeDue(
  startMs: number,
  duration: string,
  calendar: CalendarKind,
  rollOverHolidays = false,
): DueResult | undefined {
  const d = durationParts(duration);
  if (!d) return undefined;
  let answer: { dueMs: number; beyondCoverage: boolean };
  if (calendar === 'workingDays') {
    answer = addWorkingDays(startMs, d.weeks * 7 + d.days);
  } else if (countsDays(d)) {
    const key = `n${localDay(startMs)}|${duration}|${rollOverHolidays ? 1 : 0}`;
    const known = dayCache.get(key);
    if (known) answer = known;
    else {
      answer = naturalDayPeriod(startMs, d, rollOverHolidays);
      remember(key, answer);
    }
  } else {
    answer = { dueMs: addNatural(startMs, d), beyondCoverage: false };
  }
  const { dueMs, beyondCoverage } = answer;
  return { due: new Date(dueMs).toISOString(), dueMs, beyondCoverage };
}

/**
 * The warning instant, `warningBefore` ahead of the due instant in the
 * deadline's own calendar. On a working-day deadline a lead time in days
 * counts working days: the warning comes at the start (00:00 +08:00) of the
 * Nth working day before the due instant, counting the due day, so a P3D
 * warning on a deadline due at the end of Wednesday comes on Monday
 * morning, never at a weekend. Lead times in hours, and every lead time on
 * a natural calendar, are subtracted exactly.
 */
export function computeWarning(
  dueMs: number,
  warningBefore: string | undefined,
  calendar: CalendarKind = 'natural',
): string | undefined {
  if (!warningBefore) return undefined;
  const d = durationParts(warningBefore);
  if (!d) return undefined;
  if (calendar === 'workingDays' && countsDays(d) && d.years + d.months === 0) {
    const count = d.weeks * 7 + d.days;
    const key = `b${localDay(dueMs)}|${count}`;
    let known = dayCache.get(key);
    if (!known) {
      known = { dueMs: workingDaysBack(localDay(dueMs), count), beyondCoverage: false };
      remember(key, known);
    }
    return new Date(known.dueMs).toISOString();
  }
  return new Date(addNatural(dueMs, d, -1)).toISOString();
}

/** Local midnight of the `count`th working day back from `day`, `day` itself counting when it is one. */
function workingDaysBack(day: number, count: number): number {
  let found = 0;
  for (;;) {
    if (isWorkingDay(dayKey(day)).workday && ++found === count) return day - SHANGHAI_OFFSET_MS;
    day -= DAY_MS;
  }
}

const parsedDurations = new Map<string, DurationParts | undefined>();
/** parseDuration, memoised: flows use a handful of distinct durations. */
function durationParts(text: string): DurationParts | undefined {
  if (parsedDurations.has(text)) return parsedDurations.get(text);
  const parts = parseDuration(text);
  if (parsedDurations.size > 1000) parsedDurations.clear();
  parsedDurations.set(text, parts);
  return parts;
}

/** Parses an ISO instant; NaN when it is not one. */
export function instantMs(iso: string): number {
  return Date.parse(iso);
}
