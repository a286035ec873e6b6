// The lunar conversion of chinese-days (pure arithmetic over its 1900–2100 table, browser-safe).
import chineseDays from 'chinese-days';
// Pure data (no code, no I/O): the holiday and 调休 tables of chinese-days, usable in the browser.
import holidayData from 'chinese-days/dist/chinese-days.json' with { type: 'json' };

/**
 * Where a year's arrangement comes from: the bundled chinese-days tables, an
 * official arrangement entered or published by a person (the State Council's
 * notice), or a provisional year computed from the 全国年节及纪念日放假办法.
 */
export type CalendarYearStatus = 'bundled' | 'official' | 'provisional';

/** One year's holiday arrangement (放假安排). */
export interface CalendarYear {
  year: number;
  /**
   * Days off: local date `YYYY-MM-DD` -> holiday name in Chinese (元旦, 春节,
   * 清明节, 劳动节, 端午节, 中秋节, 国庆节, or a local name). A year's 元旦 may
   * begin on 30 or 31 December of the year before, as the notices arrange it.
   */
  holidays: Record<string, string>;
  /** 调休 make-up working days (weekend days that are worked): date -> the holiday it pays for. */
  workdays: Record<string, string>;
  status: CalendarYearStatus;
  /** e.g. `{ document: '国办发明电〔2025〕7号', date: '2025-11-04' }` for official years. */
  source?: { document: string; date: string };
}

/** A problem found in a year's arrangement or a notice's text, located by date when it has one. */
export interface CalendarProblem {
  code: string;
  date?: string;
  message: { 'zh-CN': string; en: string };
}

/** The package the bundled years come from (part of every calendar version). */
export const BUNDLED_CALENDAR_SOURCE = 'chinese-days@1.5.7';
/** The rules provisional years are computed by (part of every calendar version). */
export const PROVISIONAL_RULES = '全国年节及纪念日放假办法(2024修订)';

/** The years chinese-days' lunar table (and so a computed provisional year) can answer. */
const LUNAR_RANGE = { from: 1901, until: 2099 } as const;

const DAY_MS = 86_400_000;

/** chinese-days writes 清明, 端午, 中秋 without 节; the arrangement uses the names of the 放假办法. */
const BUNDLED_NAMES: Record<string, string> = { 清明: '清明节', 端午: '端午节', 中秋: '中秋节' };

function bundledName(value: string): string {
  // `Spring Festival,春节,4`: English name, Chinese name, statutory days.
  const zh = value.split(',')[1] ?? value;
  return BUNDLED_NAMES[zh] ?? zh;
}

/** Which year's arrangement a date belongs to: a December day of 元旦 belongs to the next year's. */
function arrangementYear(date: string, name: string): number {
  const year = Number(date.slice(0, 4));
  return name === '元旦' && date.slice(5, 7) === '12' ? year + 1 : year;
}

const bundledYears = new Map<number, CalendarYear>();
for (const [kind, table] of [
  ['holidays', holidayData.holidays],
  ['workdays', holidayData.workdays],
] as const) {
  for (const [date, value] of Object.entries(table as Record<string, string>)) {
    const name = bundledName(value);
    const year = arrangementYear(date, name);
    let entry = bundledYears.get(year);
    if (!entry) {
      entry = { year, holidays: {}, workdays: {}, status: 'bundled' };
      bundledYears.set(year, entry);
    }
    entry[kind][date] = name;
  }
}
for (const entry of bundledYears.values()) {
  entry.holidays = sortedRecord(entry.holidays);
  entry.workdays = sortedRecord(entry.workdays);
}

/** The years the bundled tables cover (chinese-days 1.5.7: 2004–2026). */
export const HOLIDAY_COVERAGE = {
  from: Math.min(...bundledYears.keys()),
  until: Math.max(...bundledYears.keys()),
} as const;

function sortedRecord(record: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const key of Object.keys(record).sort()) out[key] = record[key] as string;
  return out;
}

/** `YYYY-MM-DD` of a UTC day number in ms. */
function isoDay(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

function pad(n: number): string {
  return String(n).padStart(2, '0');
}

/**
 * The solar date of a lunar date (non-leap month) as `YYYY-MM-DD`. chinese-days
 * reads a string date by UTC and then asks the local calendar, which is a day
 * off west of Greenwich; a local `Date` goes through its arithmetic unchanged in
 * every time zone (a test runs it in several).
 */
export function solarFromLunar(year: number, month: number, day: number): string {
  return chineseDays.getSolarDateFromLunar(new Date(year, month - 1, day)).date;
}

/**
 * 清明: the day of the 清明 solar term, by the usual formula (the one chinese-days
 * uses): ⌊Y·0.2422 + C⌋ − ⌊Y/4⌋ April, Y the last two digits, C 5.59 in the
 * 20th century and 4.81 in the 21st.
 */
export function qingmingDate(year: number): string {
  const y = year % 100;
  const c = year >= 2000 ? 4.81 : 5.59;
  const day = Math.floor(y * 0.2422 + c) - Math.floor(y / 4);
  return `${year}-04-${pad(day)}`;
}

const provisionalCache = new Map<number, CalendarYear>();

/**
 * The statutory days off of `year` under the 全国年节及纪念日放假办法 (revised
 * November 2024): 元旦 1 January; 春节 four days from 除夕 (the last day of the
 * twelfth lunar month) to 正月初三; 清明节 the 清明 solar term day; 劳动节 1–2 May;
 * 端午节 lunar 5/5; 中秋节 lunar 8/15; 国庆节 1–3 October. No 调休: make-up working
 * days are decided each year by the State Council and cannot be predicted, so a
 * provisional year has none and its weekends are days off as usual. Years
 * outside 1901–2099 (beyond the lunar table) get only the fixed solar dates.
 */
export function provisionalYear(year: number): CalendarYear {
  const known = provisionalCache.get(year);
  if (known) return cloneYear(known);
  const holidays: Record<string, string> = {};
  const add = (date: string, name: string) => {
    holidays[date] ??= name;
  };
  add(`${year}-01-01`, '元旦');
  if (year >= LUNAR_RANGE.from && year <= LUNAR_RANGE.until) {
    const newYear = Date.parse(`${solarFromLunar(year, 1, 1)}T00:00:00Z`);
    for (let i = -1; i < 3; i++) add(isoDay(newYear + i * DAY_MS), '春节');
    add(qingmingDate(year), '清明节');
  }
  add(`${year}-05-01`, '劳动节');
  add(`${year}-05-02`, '劳动节');
  if (year >= LUNAR_RANGE.from && year <= LUNAR_RANGE.until) {
    add(solarFromLunar(year, 5, 5), '端午节');
  }
  for (const day of ['01', '02', '03']) add(`${year}-10-${day}`, '国庆节');
  // 中秋 on one of 1–3 October is still a statutory day: the day is off under 国庆节.
  if (year >= LUNAR_RANGE.from && year <= LUNAR_RANGE.until)
    add(solarFromLunar(year, 8, 15), '中秋节');
  const computed: CalendarYear = {
    year,
    holidays: sortedRecord(holidays),
    workdays: {},
    status: 'provisional',
  };
  provisionalCache.set(year, computed);
  return cloneYear(computed);
}

function cloneYear(y: CalendarYear): CalendarYear {
  return {
    year: y.year,
    holidays: { ...y.holidays },
    workdays: { ...y.workdays },
    status: y.status,
    ...(y.source ? { source: { ...y.source } } : {}),
  };
}

/** A year as canonical JSON: sorted dates, fixed key order (what versions hash). */
function canonical(y: CalendarYear): string {
  return JSON.stringify([
    y.year,
    y.status,
    Object.entries(sortedRecord(y.holidays)),
    Object.entries(sortedRecord(y.workdays)),
    y.source ? [y.source.document, y.source.date] : null,
  ]);
}

/** FNV-1a over UTF-16 code units, twice with different offsets: 16 hex digits, stable everywhere. */
function contentHash(text: string): string {
  let a = 0x811c9dc5;
  let b = 0x01000193 ^ 0x5bd1e995;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x01000193) ^ (b >>> 15);
  }
  return (a >>> 0).toString(16).padStart(8, '0') + (b >>> 0).toString(16).padStart(8, '0');
}

/** How one year answers for its dates, compiled once per calendar. */
interface CompiledYear {
  status: CalendarYearStatus | 'none';
  off: Set<string>;
  on: Set<string>;
}

/** The answer for one local date. */
export interface WorkdayAnswer {
  workday: boolean;
  /** Which kind of year decided it; `none` for a year beyond the lunar table (weekdays only). */
  status: CalendarYearStatus | 'none';
}

let bundledCalendar: WorkCalendar | undefined;

/**
 * A working-day calendar: the bundled chinese-days years, overlaid by the years
 * people entered (official arrangements, or corrections), and for any other year
 * its provisional year. Immutable; build one per calendar version and reuse it
 * (each keeps its own cache of day counts).
 *
 * `version` is a short hash of what the calendar answers from: the bundled
 * package, the provisional rules, and every overlaid year that differs from
 * the bundled one, or for a later year from its provisional one (a year entered
 * exactly as it already is changes nothing, so it does not change the version). Provisional years are a pure function of the
 * year and the rules, so the rules' name stands for all of them.
 */
export class WorkCalendar {
  readonly version: string;
  /** Day-count answers of `calendar.ts`, per calendar (they depend on its days). */
  readonly dayCache = new Map<string, { dueMs: number; provisional: number[] }>();
  private readonly overlay: ReadonlyMap<number, CalendarYear>;
  private readonly compiled = new Map<number, CompiledYear>();

  private constructor(overlay: Map<number, CalendarYear>) {
    this.overlay = overlay;
    const parts = [BUNDLED_CALENDAR_SOURCE, PROVISIONAL_RULES];
    for (const year of [...overlay.keys()].sort((x, y) => x - y)) {
      parts.push(canonical(overlay.get(year) as CalendarYear));
    }
    this.version = contentHash(parts.join('\n'));
  }

  /** The chinese-days years (status `bundled`) and, for any other year asked about, its provisional year. */
  static bundled(): WorkCalendar {
    bundledCalendar ??= new WorkCalendar(new Map());
    return bundledCalendar;
  }

  /** A calendar made of the bundled base overlaid by `years` (a later entry for a year replaces it whole). */
  static of(years: readonly CalendarYear[]): WorkCalendar {
    const overlay = new Map<number, CalendarYear>();
    for (const y of years) overlay.set(y.year, cloneYear(y));
    // A year entered exactly as it would be anyway (bundled, or provisional) changes nothing.
    for (const [year, y] of overlay) {
      const base = bundledYears.get(year) ?? provisionalYear(year);
      if (canonical(base) === canonical(y)) overlay.delete(year);
    }
    if (overlay.size === 0) return WorkCalendar.bundled();
    return new WorkCalendar(overlay);
  }

  /** The arrangement of `year`: entered, bundled or provisional; always answers. */
  year(year: number): CalendarYear {
    const entered = this.overlay.get(year) ?? bundledYears.get(year);
    return entered ? cloneYear(entered) : provisionalYear(year);
  }

  /** The years people entered over the bundled base (those that differ from it), in year order. */
  overlaid(): CalendarYear[] {
    return [...this.overlay.keys()].sort((a, b) => a - b).map((y) => this.year(y));
  }

  /**
   * Whether a local date (`YYYY-MM-DD`) is a working day: a 调休 make-up
   * working day is one, a holiday or a Saturday or Sunday is not (法定休假日
   * in judicial practice). A December date may be decided by the next year's
   * arrangement (its 元旦 can start on 30 or 31 December).
   */
  isWorkingDay(date: string): WorkdayAnswer {
    const year = Number(date.slice(0, 4));
    if (date.charCodeAt(5) === 49 && date.charCodeAt(6) === 50) {
      const next = this.compile(year + 1);
      if (next.off.has(date)) return { workday: false, status: next.status };
      if (next.on.has(date)) return { workday: true, status: next.status };
    }
    const own = this.compile(year);
    if (own.off.has(date)) return { workday: false, status: own.status };
    if (own.on.has(date)) return { workday: true, status: own.status };
    const weekday = new Date(`${date}T00:00:00Z`).getUTCDay();
    return { workday: weekday !== 0 && weekday !== 6, status: own.status };
  }

  private compile(year: number): CompiledYear {
    let known = this.compiled.get(year);
    if (!known) {
      const y = this.year(year);
      const lunar = year >= LUNAR_RANGE.from && year <= LUNAR_RANGE.until;
      known = {
        status: y.status === 'provisional' && !lunar ? 'none' : y.status,
        off: new Set(Object.keys(y.holidays)),
        on: new Set(Object.keys(y.workdays)),
      };
      this.compiled.set(year, known);
    }
    return known;
  }
}
