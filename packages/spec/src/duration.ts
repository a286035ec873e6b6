import { parse } from 'tinyduration';

/** ISO 8601 duration as written in flow files, e.g. `P15D`, `P2W`, `PT4H`, `P1M`. */
export const DURATION_PATTERN =
  /^P(?!$)(\d+Y)?(\d+M)?(\d+W)?(\d+D)?(T(?=\d)(\d+H)?(\d+M)?(\d+S)?)?$/;

export interface DurationParts {
  years: number;
  months: number;
  weeks: number;
  days: number;
  hours: number;
  minutes: number;
  seconds: number;
}

export type Calendar = 'natural' | 'workingDays';

/**
 * Parses an ISO 8601 duration. Returns undefined when the text is not one
 * (negative or fractional durations are not allowed in flow files).
 */
export function parseDuration(text: string): DurationParts | undefined {
  if (!DURATION_PATTERN.test(text)) return undefined;
  try {
    const d = parse(text);
    if (d.negative) return undefined;
    return {
      years: d.years ?? 0,
      months: d.months ?? 0,
      weeks: d.weeks ?? 0,
      days: d.days ?? 0,
      hours: d.hours ?? 0,
      minutes: d.minutes ?? 0,
      seconds: d.seconds ?? 0,
    };
  } catch {
    return undefined;
  }
}

/**
 * Why a duration cannot be used with a calendar, or undefined when it can.
 * Working-day deadlines count whole days, so they may use only weeks and days.
 */
export function durationProblem(
  text: string,
  calendar: Calendar,
  sameDayAllowed = false,
): 'unparsable' | 'zero' | 'workingDaysNeedDays' | undefined {
  const d = parseDuration(text);
  if (!d) return 'unparsable';
  const total = d.years + d.months + d.weeks + d.days + d.hours + d.minutes + d.seconds;
  // P0D on natural days is "the same day" (当天): the period ends at 24:00 of the day it starts.
  if (total === 0 && !(sameDayAllowed && calendar === 'natural' && /^P0D$/.test(text))) {
    return 'zero';
  }
  if (calendar === 'workingDays' && d.years + d.months + d.hours + d.minutes + d.seconds > 0) {
    return 'workingDaysNeedDays';
  }
  return undefined;
}

/**
 * Approximate length in seconds, for comparing two durations (a warning
 * threshold against its deadline). Months count 30 days, years 365.
 */
export function approximateSeconds(d: DurationParts): number {
  return (
    d.seconds +
    60 * d.minutes +
    3600 * d.hours +
    86400 * (d.days + 7 * d.weeks + 30 * d.months + 365 * d.years)
  );
}
