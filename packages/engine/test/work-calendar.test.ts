import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import chineseDays from 'chinese-days';
import { afterEach, describe, expect, it } from 'vitest';
import {
  type CalendarYear,
  computeDue,
  parseHolidayNotice,
  provisionalYear,
  qingmingDate,
  solarFromLunar,
  WorkCalendar,
} from '../src/index';

describe('provisional years (全国年节及纪念日放假办法, 2024 revision)', () => {
  it('computes 2027: 春节 from 除夕 (6 February is 正月初一), 端午 9 June, 中秋 15 September', () => {
    expect(provisionalYear(2027)).toEqual({
      year: 2027,
      status: 'provisional',
      holidays: {
        '2027-01-01': '元旦',
        '2027-02-05': '春节',
        '2027-02-06': '春节',
        '2027-02-07': '春节',
        '2027-02-08': '春节',
        '2027-04-05': '清明节',
        '2027-05-01': '劳动节',
        '2027-05-02': '劳动节',
        '2027-06-09': '端午节',
        '2027-09-15': '中秋节',
        '2027-10-01': '国庆节',
        '2027-10-02': '国庆节',
        '2027-10-03': '国庆节',
      },
      workdays: {},
    });
  });

  it('agrees with chinese-days’ own lunar dates (read in its own time zone)', () => {
    for (const year of [2027, 2028, 2030, 2033]) {
      const lunar = (m: number, d: number) =>
        chineseDays.getSolarDateFromLunar(`${year}-${m}-${d}`).date;
      const days = provisionalYear(year).holidays;
      expect(days[lunar(1, 1)]).toBe('春节');
      expect(days[lunar(5, 5)]).toBe('端午节');
      expect(days[lunar(8, 15)] === '中秋节' || days[lunar(8, 15)] === '国庆节').toBe(true);
    }
  });

  it.each([2025, 2026])('gives statutory days that %i’s published arrangement has off', (year) => {
    const bundled = WorkCalendar.bundled().year(year).holidays;
    for (const date of Object.keys(provisionalYear(year).holidays)) {
      expect(bundled[date], date).toBeDefined();
    }
  });

  it('puts 清明 on the solar term, as chinese-days and every bundled year since 2008 have it', () => {
    for (let year = 1901; year <= 2099; year++) {
      expect(qingmingDate(year)).toBe(chineseDays.getSolarTermDate(year, 4, 'pure_brightness'));
    }
    for (let year = 2008; year <= 2026; year++) {
      expect(WorkCalendar.bundled().year(year).holidays[qingmingDate(year)]).toBe('清明节');
    }
  });

  describe('in any time zone', () => {
    const zone = process.env.TZ;
    afterEach(() => {
      if (zone === undefined) delete process.env.TZ;
      else process.env.TZ = zone;
    });
    it.each([
      ['America/Los_Angeles', 480],
      ['Asia/Shanghai', -480],
      ['Pacific/Kiritimati', -840],
      ['UTC', 0],
    ])('converts lunar dates the same in %s', (tz, offset) => {
      process.env.TZ = tz;
      // The zone really changed (Node re-reads TZ when it is set).
      expect(new Date(2027, 0, 1).getTimezoneOffset()).toBe(offset);
      expect(solarFromLunar(2027, 1, 1)).toBe('2027-02-06');
      expect(solarFromLunar(2027, 5, 5)).toBe('2027-06-09');
      expect(solarFromLunar(2027, 8, 15)).toBe('2027-09-15');
      expect(solarFromLunar(2028, 1, 1)).toBe('2028-01-26');
    });
  });
});

const official2027: CalendarYear = {
  year: 2027,
  status: 'official',
  holidays: { ...provisionalYear(2027).holidays, '2027-02-09': '春节', '2027-02-10': '春节' },
  workdays: { '2027-02-20': '春节' },
  source: { document: '测试', date: '2026-11-20' },
};

describe('WorkCalendar', () => {
  it('answers bundled years as bundled and later ones as provisional', () => {
    const calendar = WorkCalendar.bundled();
    expect(calendar.isWorkingDay('2026-10-10')).toEqual({ workday: true, status: 'bundled' });
    expect(calendar.isWorkingDay('2027-02-08')).toEqual({ workday: false, status: 'provisional' });
    expect(calendar.isWorkingDay('2027-02-09')).toEqual({ workday: true, status: 'provisional' });
    expect(calendar.year(2027).status).toBe('provisional');
    // Beyond the lunar table only weekdays are known.
    expect(calendar.isWorkingDay('2100-02-01').status).toBe('none');
  });

  it('lets an entered year replace the bundled or provisional one whole', () => {
    const calendar = WorkCalendar.of([official2027]);
    expect(calendar.isWorkingDay('2027-02-10')).toEqual({ workday: false, status: 'official' });
    expect(calendar.isWorkingDay('2027-02-20')).toEqual({ workday: true, status: 'official' });
    expect(calendar.year(2027)).toEqual(official2027);
    // A later entry for the same year wins.
    const corrected = { ...official2027, workdays: {} };
    expect(WorkCalendar.of([official2027, corrected]).isWorkingDay('2027-02-20').workday).toBe(
      false,
    );
  });

  it('lets a year’s 元旦 start in the December before it', () => {
    const read = parseHolidayNotice(
      '国务院办公厅关于2027年部分节假日安排的通知\n一、元旦：2026年12月31日至2027年1月2日放假调休，共3天。',
    ).year;
    expect(WorkCalendar.bundled().isWorkingDay('2026-12-31').workday).toBe(true);
    expect(WorkCalendar.of([read]).isWorkingDay('2026-12-31')).toEqual({
      workday: false,
      status: 'official',
    });
  });

  it('versions by content: the same years give the same version, in any order', () => {
    const bundled = WorkCalendar.bundled();
    expect(bundled.version).toMatch(/^[0-9a-f]{16}$/);
    expect(WorkCalendar.of([]).version).toBe(bundled.version);
    // Entering a bundled year exactly as bundled changes nothing.
    expect(WorkCalendar.of([bundled.year(2025)]).version).toBe(bundled.version);
    expect(WorkCalendar.of([provisionalYear(2027)]).version).toBe(bundled.version);
    const a = WorkCalendar.of([official2027, { ...bundled.year(2025), status: 'official' }]);
    const b = WorkCalendar.of([{ ...bundled.year(2025), status: 'official' }, official2027]);
    expect(a.version).toBe(b.version);
    expect(a.version).not.toBe(bundled.version);
    expect(WorkCalendar.of([{ ...official2027, workdays: {} }]).version).not.toBe(
      WorkCalendar.of([official2027]).version,
    );
  });

  it('counts a 60-working-day deadline from 23 November 2026 on each calendar', () => {
    const start = Date.parse('2026-11-23T10:00:00+08:00');
    // Bundled 2026 + provisional 2027. 23 Nov is not counted: 24–27 and 30 Nov are 5;
    // December has 23 weekdays (28); 1 Jan is 元旦; January's 20 weekdays from the 4th
    // make 48 by 29 Jan; 1–4 Feb 52; 5–8 Feb are 春节 (provisional); 9–12 Feb 56;
    // 15–18 Feb 60: due at the end of Thursday 18 February 2027.
    expect(computeDue(start, 'P60D', 'workingDays')).toMatchObject({
      due: '2027-02-18T15:59:59.999Z',
      provisionalYears: [2027],
    });
    // With the test 2027 arrangement (春节 5–12 Feb off, Saturday 20 Feb worked): 52 by
    // 4 Feb as before; 15–19 Feb 57; Saturday 20 Feb 58; 22 and 23 Feb 60.
    const official = parseHolidayNotice(
      readFileSync(join(import.meta.dirname, 'fixtures/notices/2027-test.txt'), 'utf8'),
    ).year;
    expect(
      computeDue(start, 'P60D', 'workingDays', false, WorkCalendar.of([official])),
    ).toMatchObject({ due: '2027-02-23T15:59:59.999Z', provisionalYears: [] });
  });
});
