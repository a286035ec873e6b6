import {
  type CalendarProblem,
  type CalendarYear,
  provisionalYear,
  qingmingDate,
  solarFromLunar,
} from './work-calendar';

const DAY_MS = 86_400_000;
const WEEKDAYS = '日一二三四五六';

/** The seven statutory holidays of the 放假办法, in their order. */
export const STATUTORY_HOLIDAYS = [
  '元旦',
  '春节',
  '清明节',
  '劳动节',
  '端午节',
  '中秋节',
  '国庆节',
] as const;

function problem(code: string, zh: string, en: string, date?: string): CalendarProblem {
  return { code, ...(date ? { date } : {}), message: { 'zh-CN': zh, en } };
}

/** A real calendar date written `YYYY-MM-DD`. */
function isDate(date: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) return false;
  const ms = Date.parse(`${date}T00:00:00Z`);
  return !Number.isNaN(ms) && new Date(ms).toISOString().slice(0, 10) === date;
}

function weekday(date: string): number {
  return new Date(`${date}T00:00:00Z`).getUTCDay();
}

function shift(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
}

/**
 * The statutory days off of `year` by the edition of the 放假办法 in force
 * then: the 2024 revision from 2025 (春节 from 除夕, four days; 劳动节 two), the
 * 2013 revision for 2014–2024 (春节 初一 to 初三; 劳动节 one), the 2007 revision
 * for 2008–2013 (春节 除夕 to 初二). Earlier years are not checked.
 */
export function statutoryDays(year: number): Record<string, string> | undefined {
  if (year >= 2025) return provisionalYear(year).holidays;
  if (year < 2008 || year > 2099) return undefined;
  const days: Record<string, string> = {};
  const add = (date: string, name: string) => {
    days[date] ??= name;
  };
  add(`${year}-01-01`, '元旦');
  const newYear = solarFromLunar(year, 1, 1);
  for (let i = year >= 2014 ? 0 : -1; i < (year >= 2014 ? 3 : 2); i++)
    add(shift(newYear, i), '春节');
  add(qingmingDate(year), '清明节');
  add(`${year}-05-01`, '劳动节');
  add(solarFromLunar(year, 5, 5), '端午节');
  for (const d of ['01', '02', '03']) add(`${year}-10-${d}`, '国庆节');
  add(solarFromLunar(year, 8, 15), '中秋节');
  return days;
}

/**
 * What is wrong with a year's arrangement, each problem located by date:
 * a date that is not one, or not in the year (元旦 may begin in the last days
 * of December before it); a day both off and worked; a make-up working day
 * that is not a Saturday or Sunday; an unnamed day; and a statutory day of the
 * 放假办法 (for the edition in force that year) that is not a day off.
 */
export function validateCalendarYear(y: CalendarYear): CalendarProblem[] {
  const problems: CalendarProblem[] = [];
  if (!Number.isInteger(y.year) || y.year < 1901 || y.year > 2099) {
    problems.push(
      problem(
        'calendar.yearInvalid',
        `年份 ${y.year} 无效（应为 1901–2099）`,
        `year ${y.year} is not valid (1901–2099)`,
      ),
    );
    return problems;
  }
  const inYear = (date: string, name: string) =>
    date.startsWith(`${y.year}-`) ||
    (name === '元旦' && date >= `${y.year - 1}-12-25` && date <= `${y.year - 1}-12-31`);
  for (const [kind, record] of [
    ['holiday', y.holidays],
    ['workday', y.workdays],
  ] as const) {
    const zhKind = kind === 'holiday' ? '放假日' : '调休上班日';
    for (const [date, name] of Object.entries(record)) {
      if (!isDate(date)) {
        problems.push(
          problem(
            'calendar.dateInvalid',
            `${zhKind}“${date}”不是有效日期（应为 YYYY-MM-DD）`,
            `${kind} "${date}" is not a valid date (YYYY-MM-DD)`,
            date,
          ),
        );
        continue;
      }
      if (!inYear(date, name)) {
        problems.push(
          problem(
            'calendar.dateOutsideYear',
            `${zhKind} ${date} 不在 ${y.year} 年内`,
            `${kind} ${date} is not in ${y.year}`,
            date,
          ),
        );
      }
      if (!name?.trim()) {
        problems.push(
          problem(
            'calendar.nameMissing',
            `${zhKind} ${date} 没有节日名称`,
            `${kind} ${date} has no holiday name`,
            date,
          ),
        );
      }
    }
  }
  for (const date of Object.keys(y.workdays)) {
    if (!isDate(date)) continue;
    if (date in y.holidays) {
      problems.push(
        problem(
          'calendar.dayBoth',
          `${date} 既是放假日又是调休上班日`,
          `${date} is both a day off and a make-up working day`,
          date,
        ),
      );
    }
    const day = weekday(date);
    if (day !== 0 && day !== 6) {
      problems.push(
        problem(
          'calendar.workdayNotWeekend',
          `调休上班日 ${date}（周${WEEKDAYS[day]}）不是周六或周日`,
          `make-up working day ${date} is not a Saturday or Sunday`,
          date,
        ),
      );
    }
  }
  const statutory = statutoryDays(y.year) ?? {};
  for (const [date, name] of Object.entries(statutory)) {
    if (date in y.holidays) continue;
    problems.push(
      problem(
        'calendar.statutoryMissing',
        `${date} 是${name}的法定假日（《全国年节及纪念日放假办法》），但未安排放假`,
        `${date} is a statutory day of ${name} under the national holiday regulations but is not a day off`,
        date,
      ),
    );
  }
  return problems.sort((a, b) => (a.date ?? '').localeCompare(b.date ?? ''));
}

const NUMERAL = '[一二三四五六七八九十]{1,3}';
/** An item: `一、元旦：…` at the start of a line or after a full stop, up to the next item. */
const ITEM = new RegExp(`(?:^|[\\n。\\s])(${NUMERAL})、\\s*([^：:\\n。]{1,30})[：:]`, 'g');
/** A date or a range: `2022年12月31日（星期六）至2023年1月2日`, `1月1日至3日`, `9月30日至10月7日`. */
const RANGE =
  /(?:(\d{4})年)?(\d{1,2})月(\d{1,2})日(（[^）]*）|\([^)]*\))?(?:\s*[至到—–-]\s*(?:(\d{4})年)?(?:(\d{1,2})月)?(\d{1,2})日(（[^）]*）|\([^)]*\))?)?/g;

const ITEM_NAMES: Record<string, string> = {
  元旦: '元旦',
  春节: '春节',
  清明: '清明节',
  清明节: '清明节',
  劳动节: '劳动节',
  五一劳动节: '劳动节',
  端午: '端午节',
  端午节: '端午节',
  中秋: '中秋节',
  中秋节: '中秋节',
  国庆: '国庆节',
  国庆节: '国庆节',
};

function isoOf(year: number, month: number, day: number): string {
  return `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/** The weekday a notice writes next to a date (`周四`, `星期六`, `农历腊月二十八、周日`), if any. */
function writtenWeekday(note: string | undefined): number | undefined {
  const m = note?.match(/(?:周|星期)([日天一二三四五六])/);
  if (!m) return undefined;
  return m[1] === '天' ? 0 : WEEKDAYS.indexOf(m[1] as string);
}

interface Found {
  dates: string[];
  problems: CalendarProblem[];
}

/** Every date a sentence names, ranges expanded, each checked against the weekday written beside it. */
function datesIn(sentence: string, year: number): Found {
  const dates: string[] = [];
  const problems: CalendarProblem[] = [];
  const check = (date: string, note: string | undefined) => {
    const written = writtenWeekday(note);
    if (written !== undefined && isDate(date) && written !== weekday(date)) {
      problems.push(
        problem(
          'notice.weekdayMismatch',
          `通知写 ${date} 是周${WEEKDAYS[written]}，实为周${WEEKDAYS[weekday(date)]}，请核对日期`,
          `the notice says ${date} is a ${['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'][written]}; check the date`,
          date,
        ),
      );
    }
  };
  for (const m of sentence.matchAll(RANGE)) {
    const startYear = m[1] ? Number(m[1]) : year;
    const start = isoOf(startYear, Number(m[2]), Number(m[3]));
    if (!isDate(start)) {
      problems.push(
        problem(
          'notice.dateInvalid',
          `通知中的日期“${m[0]}”无效`,
          `date "${m[0]}" in the notice is not valid`,
        ),
      );
      continue;
    }
    check(start, m[4]);
    if (!m[7]) {
      dates.push(start);
      continue;
    }
    const endYear = m[5] ? Number(m[5]) : startYear;
    const end = isoOf(endYear, m[6] ? Number(m[6]) : Number(m[2]), Number(m[7]));
    if (!isDate(end) || end < start || Date.parse(end) - Date.parse(start) > 40 * DAY_MS) {
      problems.push(
        problem(
          'notice.rangeInvalid',
          `通知中的日期范围“${m[0]}”无效`,
          `date range "${m[0]}" in the notice is not valid`,
          start,
        ),
      );
      continue;
    }
    check(end, m[8]);
    for (let d = start; d <= end; d = shift(d, 1)) dates.push(d);
  }
  return { dates, problems };
}

/**
 * Reads the State Council's notice (国务院办公厅关于YYYY年部分节假日安排的通知)
 * as pasted text into a draft official year: the year from the title, the
 * document number (国办发明电〔2025〕N号) and the date on its own line at the
 * end as the source, and from each item (`一、元旦：…`) the days off of every
 * sentence saying 放假 (single days, `至3日`, `至10月7日`, years written out)
 * and the make-up working days of every sentence saying 上班. A joint item
 * (`中秋节、国庆节`) names 中秋 on its lunar date and the rest 国庆. A stated
 * total (共N天) that disagrees with the days read, or a weekday written beside
 * a date that is not that date's, is a problem to check; so is everything
 * `validateCalendarYear` finds.
 */
export function parseHolidayNotice(text: string): {
  year: CalendarYear;
  problems: CalendarProblem[];
} {
  const problems: CalendarProblem[] = [];
  const normalized = text.replace(/\r\n?/g, '\n').replace(/[ \t\u3000]+/g, ' ');
  const title = normalized.match(/关于\s*(\d{4})\s*年\s*(?:部分)?节假日安排的通知/);
  let year = title ? Number(title[1]) : Number.NaN;
  if (!title) {
    const first = normalized.match(/(\d{4})年/);
    year = first ? Number(first[1]) : Number.NaN;
    problems.push(
      problem(
        'notice.noTitle',
        first
          ? `没有找到通知标题（关于某年部分节假日安排的通知），按正文中的 ${year} 年读取`
          : '没有找到通知标题，也没有找到年份',
        first
          ? `no title (notice on the holiday arrangements of a year) found; read as ${year} from the text`
          : 'no title and no year found',
      ),
    );
  }
  const calendarYear: CalendarYear = {
    year: Number.isNaN(year) ? 0 : year,
    holidays: {},
    workdays: {},
    status: 'official',
  };
  const doc = normalized.match(/国办发(?:明电)?\s*[〔［[（(]\s*(\d{4})\s*[〕］\]）)]\s*(\d+)\s*号/);
  const signed = [...normalized.matchAll(/^\s*(\d{4})年(\d{1,2})月(\d{1,2})日\s*$/gm)].pop();
  if (doc || signed) {
    calendarYear.source = {
      document: doc ? `国办发明电〔${doc[1]}〕${doc[2]}号` : '',
      date: signed ? isoOf(Number(signed[1]), Number(signed[2]), Number(signed[3])) : '',
    };
  }
  if (Number.isNaN(year)) return { year: calendarYear, problems };

  const items = [...normalized.matchAll(ITEM)];
  if (items.length === 0) {
    problems.push(
      problem(
        'notice.noItems',
        '没有找到放假安排条目（如“一、元旦：1月1日放假，共1天。”）',
        'no arrangement items found (like "一、元旦：1月1日放假，共1天。")',
      ),
    );
  }
  items.forEach((item, index) => {
    const start = (item.index ?? 0) + item[0].length;
    const end = items[index + 1]?.index ?? normalized.length;
    const body = normalized.slice(start, end);
    const names = (item[2] as string)
      .split(/[、和与及]/)
      .map((n) => ITEM_NAMES[n.trim()] ?? n.trim())
      .filter(Boolean);
    const main = names.includes('国庆节') ? '国庆节' : (names[0] ?? (item[2] as string));
    const midAutumn = names.includes('中秋节') ? solarFromLunar(year, 8, 15) : undefined;
    for (const sentence of body.split(/[。；;\n]/)) {
      const off = sentence.includes('放假');
      const worked = sentence.includes('上班');
      if (!off && !worked) continue;
      const found = datesIn(sentence, year);
      problems.push(...found.problems);
      if (worked) {
        for (const date of found.dates) calendarYear.workdays[date] = main;
        continue;
      }
      for (const date of found.dates) {
        calendarYear.holidays[date] = date === midAutumn ? '中秋节' : main;
      }
      const total = sentence.match(/共\s*(\d+)\s*天/);
      if (total && Number(total[1]) !== found.dates.length) {
        problems.push(
          problem(
            'notice.totalMismatch',
            `“${item[2]}”写共 ${total[1]} 天，读到 ${found.dates.length} 天，请核对`,
            `"${item[2]}" says ${total[1]} days, ${found.dates.length} were read; check it`,
            found.dates[0],
          ),
        );
      }
    }
  });
  calendarYear.holidays = sorted(calendarYear.holidays);
  calendarYear.workdays = sorted(calendarYear.workdays);
  problems.push(...validateCalendarYear(calendarYear));
  return { year: calendarYear, problems };
}

function sorted(record: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const key of Object.keys(record).sort()) out[key] = record[key] as string;
  return out;
}
