import type { CalendarYearStatus, WorkCalendar } from '@lianxin/engine';
import type { Lang } from '@lianxin/spec';

/** China Standard Time: UTC+8 all year, no daylight saving, whatever the browser's zone. */
const SHANGHAI_OFFSET_MS = 8 * 3_600_000;

const WEEKDAYS: readonly (readonly [string, string])[] = [
  ['周日', 'Sun'],
  ['周一', 'Mon'],
  ['周二', 'Tue'],
  ['周三', 'Wed'],
  ['周四', 'Thu'],
  ['周五', 'Fri'],
  ['周六', 'Sat'],
];

/** The local (Asia/Shanghai) date and time of an instant: `{ date: '2026-10-08', time: '23:59' }`. */
export function beijing(at: string | number | Date): { date: string; time: string } {
  const ms = typeof at === 'number' ? at : typeof at === 'string' ? Date.parse(at) : at.getTime();
  const text = new Date(ms + SHANGHAI_OFFSET_MS).toISOString();
  return { date: text.slice(0, 10), time: text.slice(11, 16) };
}

/** `2026-10-08 23:59`, Beijing time. */
export function beijingText(at: string | number | Date): string {
  const b = beijing(at);
  return `${b.date} ${b.time}`;
}

/** Wall-clock `YYYY-MM-DD HH:mm[:ss]` read as Beijing time, as an ISO instant with +08:00. */
export function fromBeijing(wallClock: string): string {
  const [date = '', time = '00:00'] = wallClock.trim().split(/[ T]/);
  const hms = time.length === 5 ? `${time}:00` : time;
  return `${date}T${hms}+08:00`;
}

/** 0 (Sunday) … 6 (Saturday) of a local date `YYYY-MM-DD`. */
export function weekdayOf(date: string): number {
  return new Date(`${date}T00:00:00Z`).getUTCDay();
}

/** 周四 / Thu. */
export function weekdayName(date: string, lang: Lang): string {
  const w = WEEKDAYS[weekdayOf(date)] ?? ['', ''];
  return lang === 'en' ? w[1] : w[0];
}

/** What a local date is in a working-day calendar, and on which kind of year that rests. */
export interface DayInfo {
  date: string;
  /** holiday: a day off of an arrangement; makeUp: a weekend day worked (调休上班, 班); weekend; workday. */
  kind: 'holiday' | 'makeUp' | 'weekend' | 'workday';
  workday: boolean;
  /** The holiday's name (国庆节), or for a make-up day the holiday it pays for. */
  name?: string;
  /** Bundled, official or provisional year; `none` when the calendar knows nothing of it. */
  status: CalendarYearStatus | 'none';
}

/** Reads one local date out of the engine's calendar (the one that computed the deadline). */
export function dayInfo(calendar: WorkCalendar, date: string): DayInfo {
  const answer = calendar.isWorkingDay(date);
  const y = Number(date.slice(0, 4));
  // A December day may belong to the next year's arrangement (its 元旦 can start on 30 or 31 December).
  const years =
    date.slice(5, 7) === '12' ? [calendar.year(y + 1), calendar.year(y)] : [calendar.year(y)];
  const holiday = years.map((x) => x.holidays[date]).find((n) => n !== undefined);
  const makeUp = years.map((x) => x.workdays[date]).find((n) => n !== undefined);
  const weekend = [0, 6].includes(weekdayOf(date));
  const base = { date, workday: answer.workday, status: answer.status };
  if (holiday !== undefined) return { ...base, kind: 'holiday', name: holiday };
  if (makeUp !== undefined) return { ...base, kind: 'makeUp', name: makeUp };
  return { ...base, kind: weekend ? 'weekend' : 'workday' };
}

/** 工作日 / 国庆节 / 调休上班（国庆节） / 周末, for a day shown beside a deadline. */
export function dayKindText(day: DayInfo, lang: Lang): string {
  switch (day.kind) {
    case 'holiday':
      return lang === 'en' ? `Holiday (${day.name})` : (day.name ?? '节假日');
    case 'makeUp':
      return lang === 'en'
        ? `Make-up working day (${day.name})`
        : `调休上班${day.name ? `（${day.name}）` : ''}`;
    case 'weekend':
      return lang === 'en' ? 'Weekend' : '周末';
    default:
      return lang === 'en' ? 'Working day' : '工作日';
  }
}

/** `2026-10-08（周四）23:59`, a deadline as offices read it. */
export function dueText(at: string, lang: Lang): string {
  const b = beijing(at);
  return lang === 'en'
    ? `${b.date} (${weekdayName(b.date, lang)}) ${b.time}`
    : `${b.date}（${weekdayName(b.date, lang)}）${b.time}`;
}

/** The weeks of a month, Monday first, as local dates (`null` pads the first and last week). */
export function monthWeeks(year: number, month: number): (string | null)[][] {
  const days = new Date(Date.UTC(year, month, 0)).getUTCDate();
  const pad = (weekdayOf(`${year}-${String(month).padStart(2, '0')}-01`) + 6) % 7;
  const cells: (string | null)[] = Array.from({ length: pad }, () => null);
  for (let d = 1; d <= days; d++)
    cells.push(`${year}-${String(month).padStart(2, '0')}-${String(d).padStart(2, '0')}`);
  while (cells.length % 7) cells.push(null);
  const weeks: (string | null)[][] = [];
  for (let i = 0; i < cells.length; i += 7) weeks.push(cells.slice(i, i + 7));
  return weeks;
}

/** One holiday of an arrangement: its days off in runs, and the weekend days worked for it. */
export interface HolidaySpan {
  name: string;
  /** Consecutive runs of days off, each `[first, last]`. */
  runs: [string, string][];
  days: number;
  workdays: string[];
}

const nextDate = (date: string) =>
  new Date(Date.parse(`${date}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);

/** An arrangement's holidays by name, in date order, with their make-up working days. */
export function holidaySpans(arrangement: {
  holidays: Record<string, string>;
  workdays: Record<string, string>;
}): HolidaySpan[] {
  const spans = new Map<string, HolidaySpan>();
  const span = (name: string) => {
    let s = spans.get(name);
    if (!s) {
      s = { name, runs: [], days: 0, workdays: [] };
      spans.set(name, s);
    }
    return s;
  };
  for (const date of Object.keys(arrangement.holidays).sort()) {
    const s = span(arrangement.holidays[date] ?? '');
    const last = s.runs.at(-1);
    if (last && nextDate(last[1]) === date) last[1] = date;
    else s.runs.push([date, date]);
    s.days++;
  }
  for (const date of Object.keys(arrangement.workdays).sort())
    span(arrangement.workdays[date] ?? '').workdays.push(date);
  return [...spans.values()].sort((a, b) =>
    (a.runs[0]?.[0] ?? a.workdays[0] ?? '').localeCompare(b.runs[0]?.[0] ?? b.workdays[0] ?? ''),
  );
}

/** 10月1日 / 1 Oct (the year is the page's). */
export function shortDate(date: string, lang: Lang): string {
  const m = Number(date.slice(5, 7));
  const d = Number(date.slice(8, 10));
  if (lang !== 'en') return `${m}月${d}日`;
  const months = 'Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec'.split(' ');
  return `${d} ${months[m - 1]}`;
}

/**
 * A holiday as the State Council notice words it: `10月1日至7日放假，共7天；
 * 9月20日（周日）、10月10日（周六）上班`.
 */
export function holidaySpanText(span: HolidaySpan, lang: Lang): string {
  const run = ([a, b]: [string, string]) => {
    if (a === b) return shortDate(a, lang);
    if (lang === 'en') return `${shortDate(a, lang)} – ${shortDate(b, lang)}`;
    return a.slice(5, 7) === b.slice(5, 7)
      ? `${shortDate(a, lang)}至${Number(b.slice(8, 10))}日`
      : `${shortDate(a, lang)}至${shortDate(b, lang)}`;
  };
  const off = span.runs.map(run).join(lang === 'en' ? ', ' : '、');
  const worked = span.workdays
    .map((d) =>
      lang === 'en'
        ? `${shortDate(d, lang)} (${weekdayName(d, lang)})`
        : `${shortDate(d, lang)}（${weekdayName(d, lang)}）`,
    )
    .join(lang === 'en' ? ', ' : '、');
  if (lang === 'en') {
    const days = `${off}, ${span.days} day${span.days === 1 ? '' : 's'} off`;
    return worked ? `${days}; working ${worked}` : days;
  }
  const days = off ? `${off}放假，共${span.days}天` : '';
  return [days, worked && `${worked}上班`].filter(Boolean).join('；');
}
