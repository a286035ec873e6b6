import { type CalendarYear, WorkCalendar } from '@lianxin/engine';
import { describe, expect, it } from 'vitest';
import {
  beijing,
  beijingText,
  dayInfo,
  dayKindText,
  dueText,
  fromBeijing,
  holidaySpans,
  holidaySpanText,
  monthWeeks,
  weekdayName,
} from '../src/days';

describe('Beijing time on any screen', () => {
  it('shows an instant at its Beijing date and time, whatever zone the instant was written in', () => {
    // 23:59:59.999 on 8 October in Beijing is 15:59 UTC the same day
    expect(beijing('2026-10-08T15:59:59.999Z')).toEqual({ date: '2026-10-08', time: '23:59' });
    // 17:00 UTC is already the next morning in Beijing
    expect(beijingText('2026-09-30T17:00:00Z')).toBe('2026-10-01 01:00');
    expect(beijingText('2026-09-28T09:00:00+08:00')).toBe('2026-09-28 09:00');
  });

  it('reads a picked wall-clock time as Beijing time', () => {
    expect(fromBeijing('2026-09-28 09:00')).toBe('2026-09-28T09:00:00+08:00');
    expect(Date.parse(fromBeijing('2027-01-01 00:30'))).toBe(Date.parse('2026-12-31T16:30:00Z'));
    expect(beijingText(fromBeijing('2026-11-23 17:45'))).toBe('2026-11-23 17:45');
  });

  it('names a deadline with its weekday', () => {
    expect(dueText('2026-10-08T15:59:59.999Z', 'zh-CN')).toBe('2026-10-08（周四）23:59');
    expect(dueText('2026-10-08T15:59:59.999Z', 'en')).toBe('2026-10-08 (Thu) 23:59');
    expect(weekdayName('2027-02-06', 'zh-CN')).toBe('周六');
  });
});

describe('what a day is in the engine calendar', () => {
  const bundled = WorkCalendar.bundled();

  it('knows 国庆 2026 from the bundled data, and its make-up working day', () => {
    const national = dayInfo(bundled, '2026-10-05');
    expect(national).toMatchObject({ kind: 'holiday', workday: false, status: 'bundled' });
    expect(dayKindText(national, 'zh-CN')).toBe(national.name);
    const makeUp = dayInfo(bundled, '2026-10-10');
    expect(makeUp).toMatchObject({ kind: 'makeUp', workday: true });
    expect(dayKindText(makeUp, 'zh-CN')).toMatch(/^调休上班（.+）$/);
    expect(dayKindText(dayInfo(bundled, '2026-10-09'), 'zh-CN')).toBe('工作日');
    expect(dayKindText(dayInfo(bundled, '2026-10-11'), 'zh-CN')).toBe('周末');
  });

  it('marks a day of a year past the bundled data as provisional, and an entered year as official', () => {
    expect(dayInfo(bundled, '2027-10-01')).toMatchObject({
      kind: 'holiday',
      status: 'provisional',
      name: '国庆节',
    });
    const entered: CalendarYear = {
      year: 2027,
      holidays: { '2027-10-01': '国庆节', '2027-10-04': '国庆节' },
      workdays: { '2027-09-26': '国庆节' },
      status: 'official',
    };
    const calendar = WorkCalendar.of([entered]);
    expect(dayInfo(calendar, '2027-10-04')).toMatchObject({
      kind: 'holiday',
      status: 'official',
    });
    expect(dayInfo(calendar, '2027-09-26')).toMatchObject({ kind: 'makeUp', workday: true });
  });
});

describe('the year grid and the holiday list', () => {
  it('lays a month out Monday first', () => {
    // 1 October 2026 is a Thursday: three empty cells before it
    const weeks = monthWeeks(2026, 10);
    expect(weeks[0]).toEqual([
      null,
      null,
      null,
      '2026-10-01',
      '2026-10-02',
      '2026-10-03',
      '2026-10-04',
    ]);
    expect(weeks.flat().filter(Boolean)).toHaveLength(31);
    expect(weeks.every((w) => w.length === 7)).toBe(true);
    // February 2027 starts on a Monday and has 28 days: exactly four weeks
    expect(monthWeeks(2027, 2)).toHaveLength(4);
  });

  it('words each holiday as the notice does, with its make-up working days', () => {
    const spans = holidaySpans({
      holidays: {
        '2026-10-01': '国庆节',
        '2026-10-02': '国庆节',
        '2026-10-03': '国庆节',
        '2026-10-04': '国庆节',
        '2026-10-05': '国庆节',
        '2026-10-06': '国庆节',
        '2026-10-07': '国庆节',
        '2026-01-01': '元旦',
      },
      workdays: { '2026-09-20': '国庆节', '2026-10-10': '国庆节' },
    });
    expect(spans.map((s) => s.name)).toEqual(['元旦', '国庆节']);
    const national = spans[1];
    if (!national) throw new Error('no 国庆节');
    expect(holidaySpanText(national, 'zh-CN')).toBe(
      '10月1日至7日放假，共7天；9月20日（周日）、10月10日（周六）上班',
    );
    expect(holidaySpanText(national, 'en')).toBe(
      '1 Oct – 7 Oct, 7 days off; working 20 Sep (Sun), 10 Oct (Sat)',
    );
    expect(holidaySpanText(spans[0] as never, 'zh-CN')).toBe('1月1日放假，共1天');
  });

  it('words a holiday across two months', () => {
    const [spring] = holidaySpans({
      holidays: { '2027-01-31': '春节', '2027-02-01': '春节' },
      workdays: {},
    });
    expect(holidaySpanText(spring as never, 'zh-CN')).toBe('1月31日至2月1日放假，共2天');
  });
});
