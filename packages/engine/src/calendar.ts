import { type DurationParts, parseDuration } from '@lianxin/spec';
import { HOLIDAY_COVERAGE, WorkCalendar, type WorkdayAnswer } from './work-calendar';

const DAY_MS = 86_400_000;
/** China Standard Time: UTC+8 all year, no daylight saving. */
const SHANGHAI_OFFSET_MS = 8 * 3_600_000;

export { HOLIDAY_COVERAGE };

export type CalendarKind = 'natural' | 'workingDays';

/** A local (Asia/Shanghai) calendar date as `YYYY-MM-DD`. */
export function shanghaiDate(instantMs: number): string {
  return new Date(instantMs + SHANGHAI_OFFSET_MS).toISOString().slice(0, 10);
}

/**
 * Whether a local date (`YYYY-MM-DD`) is a Chinese working day in `calendar`
 * (the bundled one by default): a 调休 make-up working day is one, a public
 * holiday or a Saturday or Sunday is not (法定休假日 in judicial practice).
 */
export function isWorkingDay(
  date: string,
  calendar: WorkCalendar = WorkCalendar.bundled(),
): WorkdayAnswer {
  return calendar.isWorkingDay(date);
}

export interface DueResult {
  /** ISO instant (UTC). */
  due: string;
  dueMs: number;
  /**
   * The provisional years (computed from the 放假办法, not yet announced) whose
   * days the count passed, in order; empty when every day it looked at was
   * bundled or official.
   */
  provisionalYears: number[];
  /** The version of the calendar it was computed with. */
  calendarVersion: string;
}

/** A day count's answer: the last instant and the provisional years it passed. */
interface Counted {
  dueMs: number;
  provisional: number[];
}

function noteYear(years: number[], date: string, status: WorkdayAnswer['status']): void {
  if (status !== 'provisional' && status !== 'none') return;
  const year = Number(date.slice(0, 4));
  if (!years.includes(year)) years.push(year);
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
  calendar: WorkCalendar = WorkCalendar.bundled(),
): { dueMs: number; provisionalYears: number[] } {
  const day = localDay(startMs);
  const key = `w${day}|${count}`;
  let known = calendar.dayCache.get(key);
  if (!known) {
    known = countWorkingDays(calendar, day, count);
    remember(calendar, key, known);
  }
  return { dueMs: known.dueMs, provisionalYears: known.provisional.slice() };
}

// Day-counted answers depend only on the calendar, the local start day and the rule, so each
// calendar's cache stays small.
function remember(calendar: WorkCalendar, key: string, value: Counted): void {
  if (calendar.dayCache.size > 10_000) calendar.dayCache.clear();
  calendar.dayCache.set(key, value);
}

function countWorkingDays(calendar: WorkCalendar, day: number, count: number): Counted {
  let found = 0;
  const provisional: number[] = [];
  while (found < count) {
    day += DAY_MS;
    const date = dayKey(day);
    const answer = calendar.isWorkingDay(date);
    noteYear(provisional, date, answer.status);
    if (answer.workday) found++;
  }
  return { dueMs: endOfLocalDay(day), provisional };
}

/** The first local day from `day` on (itself included) that is a working day. */
function firstWorkingDayFrom(
  calendar: WorkCalendar,
  day: number,
): { day: number; provisional: number[] } {
  const provisional: number[] = [];
  for (;;) {
    const date = dayKey(day);
    const answer = calendar.isWorkingDay(date);
    noteYear(provisional, date, answer.status);
    if (answer.workday) return { day, provisional };
    day += DAY_MS;
  }
}

function naturalDayPeriod(
  calendar: WorkCalendar,
  startMs: number,
  d: DurationParts,
  rollOverHolidays: boolean,
): Counted {
  // The day of receipt is not counted (art. 201), so the last day is the start day plus the period.
  const lastDay = localDay(addNatural(localDay(startMs) - SHANGHAI_OFFSET_MS, d));
  if (!rollOverHolidays) return { dueMs: endOfLocalDay(lastDay), provisional: [] };
  const rolled = firstWorkingDayFrom(calendar, lastDay);
  return { dueMs: endOfLocalDay(rolled.day), provisional: rolled.provisional };
}

/**
 * How far time a clock stood still (期间中止, a pause) moves a due date of `duration`: a period
 * counted in days moves by the whole days of it, a part of a day not counting, so a pause of
 * minutes moves nothing and its due date stays at the end of a day; a period of hours moves by
 * exactly the time. (A working-day clock resumed since its working time paused is kept moves
 * by `shiftWorkingDue` instead; older ones move by the whole natural days, as here.)
 */
export function pauseShiftMs(shiftMs: number, duration: string, calendar: CalendarKind): number {
  const d = durationParts(duration);
  if (!d || (calendar !== 'workingDays' && !countsDays(d))) return shiftMs;
  return Math.floor(shiftMs / DAY_MS) * DAY_MS;
}

/**
 * A due date moved by time its clock stood still (`pauseShiftMs`): a period counted in days ends
 * at the end of its new last day, which, when the deadline rolls off rest days (or counts working
 * days), moves on to the next working day if it is not one (民法典 第二百零三条), as the first
 * count does. The engine's resume and the calendar's recount both count so.
 */
export function shiftDue(
  due: DueResult,
  shiftMs: number,
  duration: string,
  calendar: CalendarKind,
  rollOverHolidays: boolean,
  days: WorkCalendar,
): DueResult {
  const shift = pauseShiftMs(shiftMs, duration, calendar);
  if (shift === 0) return due;
  let dueMs = due.dueMs + shift;
  const provisional = due.provisionalYears.slice();
  if (dependsOnCalendar(duration, calendar, rollOverHolidays)) {
    const day = localDay(dueMs);
    const rolled = firstWorkingDayFrom(days, day);
    for (const y of rolled.provisional) if (!provisional.includes(y)) provisional.push(y);
    if (rolled.day !== day) dueMs = endOfLocalDay(rolled.day);
  }
  return {
    due: new Date(dueMs).toISOString(),
    dueMs,
    provisionalYears: provisional.sort((a, b) => a - b),
    calendarVersion: days.version,
  };
}

/**
 * The part of [fromMs, toMs) that falls on working days (Asia/Shanghai) in `days`: what a pause
 * kept a clock counting working days from counting. A pause over 国庆 alone takes none of it.
 */
export function workingMsBetween(fromMs: number, toMs: number, days: WorkCalendar): number {
  let total = 0;
  for (let day = localDay(fromMs); day - SHANGHAI_OFFSET_MS < toMs; day += DAY_MS) {
    const start = Math.max(fromMs, day - SHANGHAI_OFFSET_MS);
    const end = Math.min(toMs, day - SHANGHAI_OFFSET_MS + DAY_MS);
    if (end > start && days.isWorkingDay(dayKey(day)).workday) total += end - start;
  }
  return total;
}

/**
 * A working-day due date moved by the working time its clock stood still (`workingMsBetween`):
 * by the whole working days of it, a part of a day not counting, to the end of the Nth working
 * day after the due day. The engine's resume and the calendar's recount both count so.
 */
export function shiftWorkingDue(due: DueResult, workMs: number, days: WorkCalendar): DueResult {
  const count = Math.floor(workMs / DAY_MS);
  if (count <= 0) return due;
  const counted = addWorkingDays(due.dueMs, count, days);
  const provisional = [...new Set([...due.provisionalYears, ...counted.provisionalYears])];
  return {
    due: new Date(counted.dueMs).toISOString(),
    dueMs: counted.dueMs,
    provisionalYears: provisional.sort((a, b) => a - b),
    calendarVersion: days.version,
  };
}

/** Whether a deadline's due instant depends on the working-day calendar at all. */
export function dependsOnCalendar(
  duration: string,
  calendar: CalendarKind,
  rollOverHolidays = false,
): boolean {
  const d = durationParts(duration);
  if (!d) return false;
  return calendar === 'workingDays' || (rollOverHolidays && countsDays(d));
}

/**
 * When a deadline of `duration` in `calendar` that starts at `startMs` is due,
 * counted with the working-day calendar `days` (the bundled one by default;
 * the engine passes its env's).
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
  days: WorkCalendar = WorkCalendar.bundled(),
): DueResult | undefined {
  const d = durationParts(duration);
  if (!d) return undefined;
  let answer: Counted;
  if (calendar === 'workingDays') {
    const counted = addWorkingDays(startMs, d.weeks * 7 + d.days, days);
    answer = { dueMs: counted.dueMs, provisional: counted.provisionalYears };
  } else if (countsDays(d)) {
    const key = `n${localDay(startMs)}|${duration}|${rollOverHolidays ? 1 : 0}`;
    const known = days.dayCache.get(key);
    if (known) answer = known;
    else {
      answer = naturalDayPeriod(days, startMs, d, rollOverHolidays);
      remember(days, key, answer);
    }
  } else {
    answer = { dueMs: addNatural(startMs, d), provisional: [] };
  }
  const { dueMs } = answer;
  return {
    due: new Date(dueMs).toISOString(),
    dueMs,
    provisionalYears: answer.provisional.slice(),
    calendarVersion: days.version,
  };
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
  days: WorkCalendar = WorkCalendar.bundled(),
): string | undefined {
  if (!warningBefore) return undefined;
  const d = durationParts(warningBefore);
  if (!d) return undefined;
  if (calendar === 'workingDays' && countsDays(d) && d.years + d.months === 0) {
    const count = d.weeks * 7 + d.days;
    const key = `b${localDay(dueMs)}|${count}`;
    let known = days.dayCache.get(key);
    if (!known) {
      known = { dueMs: workingDaysBack(days, localDay(dueMs), count), provisional: [] };
      remember(days, key, known);
    }
    return new Date(known.dueMs).toISOString();
  }
  return new Date(addNatural(dueMs, d, -1)).toISOString();
}

/** Local midnight of the `count`th working day back from `day`, `day` itself counting when it is one. */
function workingDaysBack(calendar: WorkCalendar, day: number, count: number): number {
  let found = 0;
  for (;;) {
    if (calendar.isWorkingDay(dayKey(day)).workday && ++found === count)
      return day - SHANGHAI_OFFSET_MS;
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
