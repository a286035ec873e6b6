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

/** A local (Asia/Shanghai) calendar date as `YYYY-MM-DD`. */
export function shanghaiDate(instantMs: number): string {
  return new Date(instantMs + SHANGHAI_OFFSET_MS).toISOString().slice(0, 10);
}

export interface WorkdayAnswer {
  workday: boolean;
  /** False when the year is outside the holiday data: the answer is a plain weekday guess. */
  covered: boolean;
}

/** Whether a local date (`YYYY-MM-DD`) is a Chinese working day. */
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

function addCalendarMonths(instantMs: number, months: number): number {
  const local = new Date(instantMs + SHANGHAI_OFFSET_MS);
  const y = local.getUTCFullYear();
  const m = local.getUTCMonth() + months;
  const targetYear = y + Math.floor(m / 12);
  const targetMonth = ((m % 12) + 12) % 12;
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

/** Adds (or with sign -1 subtracts) a duration in natural time, months and years by the local calendar. */
export function addNatural(instantMs: number, d: DurationParts, sign: 1 | -1 = 1): number {
  let ms = instantMs;
  const months = d.years * 12 + d.months;
  if (months) ms = addCalendarMonths(ms, sign * months);
  ms +=
    sign *
    ((d.weeks * 7 + d.days) * DAY_MS + d.hours * 3_600_000 + d.minutes * 60_000 + d.seconds * 1000);
  return ms;
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
  const key = `${shanghaiDate(startMs)}|${count}`;
  let known = workingDayCache.get(key);
  if (!known) {
    known = countWorkingDays(startMs, count);
    // The answer depends only on the start day and the count; keep the cache bounded.
    if (workingDayCache.size > 10_000) workingDayCache.clear();
    workingDayCache.set(key, known);
  }
  return known;
}

const workingDayCache = new Map<string, { dueMs: number; beyondCoverage: boolean }>();

function countWorkingDays(
  startMs: number,
  count: number,
): { dueMs: number; beyondCoverage: boolean } {
  let dayMs = Date.parse(`${shanghaiDate(startMs)}T00:00:00Z`);
  let found = 0;
  let beyondCoverage = false;
  while (found < count) {
    dayMs += DAY_MS;
    const answer = isWorkingDay(new Date(dayMs).toISOString().slice(0, 10));
    if (!answer.covered) beyondCoverage = true;
    if (answer.workday) found++;
  }
  return { dueMs: dayMs + DAY_MS - SHANGHAI_OFFSET_MS - 1, beyondCoverage };
}

/**
 * When a deadline of `duration` in `calendar` that starts at `startMs` is due.
 * Working-day durations may only use weeks and days (a week counts 7 working
 * days; the checker enforces the rest).
 */
export function computeDue(
  startMs: number,
  duration: string,
  calendar: 'natural' | 'workingDays',
): DueResult | undefined {
  const d = durationParts(duration);
  if (!d) return undefined;
  if (calendar === 'workingDays') {
    const { dueMs, beyondCoverage } = addWorkingDays(startMs, d.weeks * 7 + d.days);
    return { due: new Date(dueMs).toISOString(), dueMs, beyondCoverage };
  }
  const dueMs = addNatural(startMs, d);
  return { due: new Date(dueMs).toISOString(), dueMs, beyondCoverage: false };
}

/** The warning instant: `warningBefore` (natural time) before the due instant. */
export function computeWarning(
  dueMs: number,
  warningBefore: string | undefined,
): string | undefined {
  if (!warningBefore) return undefined;
  const d = parseDuration(warningBefore);
  if (!d) return undefined;
  return new Date(addNatural(dueMs, d, -1)).toISOString();
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
