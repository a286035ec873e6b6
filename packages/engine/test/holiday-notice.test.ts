import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseHolidayNotice, validateCalendarYear, WorkCalendar } from '../src/index';

const notice = (name: string) =>
  readFileSync(join(import.meta.dirname, 'fixtures/notices', name), 'utf8');

const published = [
  { year: 2021, document: '国办发明电〔2020〕27号', date: '2020-11-25' },
  { year: 2022, document: '国办发明电〔2021〕11号', date: '2021-10-25' },
  { year: 2023, document: '国办发明电〔2022〕16号', date: '2022-12-08' },
  { year: 2024, document: '国办发明电〔2023〕7号', date: '2023-10-25' },
  { year: 2025, document: '国办发明电〔2024〕12号', date: '2024-11-12' },
  { year: 2026, document: '国办发明电〔2025〕7号', date: '2025-11-04' },
];

describe('the State Council notice reader', () => {
  it.each(published)(
    'reads the $year notice exactly as the bundled year',
    ({ year, document, date }) => {
      const read = parseHolidayNotice(notice(`${year}.txt`));
      const bundled = WorkCalendar.bundled().year(year);
      expect(read.problems).toEqual([]);
      expect(read.year.year).toBe(year);
      expect(read.year.status).toBe('official');
      expect(read.year.source).toEqual({ document, date });
      expect(read.year.holidays).toEqual(bundled.holidays);
      expect(read.year.workdays).toEqual(bundled.workdays);
    },
  );

  it('reads a range across the new year and one across a month', () => {
    // 2023: 元旦 from 31 December 2022; 中秋节、国庆节 from 29 September to 6 October.
    const read = parseHolidayNotice(notice('2023.txt')).year;
    expect(read.holidays['2022-12-31']).toBe('元旦');
    expect(read.holidays['2023-09-29']).toBe('中秋节');
    expect(Object.keys(read.holidays).filter((d) => read.holidays[d] === '国庆节')).toEqual([
      '2023-09-30',
      '2023-10-01',
      '2023-10-02',
      '2023-10-03',
      '2023-10-04',
      '2023-10-05',
      '2023-10-06',
    ]);
  });

  it('ignores a sentence that encourages rest without giving a day off (2024 除夕)', () => {
    const read = parseHolidayNotice(notice('2024.txt')).year;
    expect(read.holidays['2024-02-09']).toBeUndefined();
    expect(read.holidays['2024-01-01']).toBe('元旦');
  });

  it('reads the test 2027 arrangement without problems', () => {
    const read = parseHolidayNotice(notice('2027-test.txt'));
    expect(read.problems).toEqual([]);
    expect(read.year.source).toEqual({ document: '', date: '2026-11-20' });
    expect(Object.keys(read.year.holidays)).toHaveLength(3 + 8 + 3 + 5 + 1 + 1 + 7);
    expect(read.year.workdays).toEqual({
      '2027-02-20': '春节',
      '2027-04-25': '劳动节',
      '2027-05-08': '劳动节',
      '2027-09-26': '国庆节',
      '2027-10-09': '国庆节',
    });
  });

  it('says where a pasted notice disagrees with itself', () => {
    const text = notice('2026.txt')
      // A typo: 4 January 2026 is a Sunday, not a Saturday.
      .replace('1月4日（周日）上班', '1月4日（周六）上班')
      // A total that does not match the range.
      .replace('4月4日（周六）至6日（周一）放假，共3天', '4月4日（周六）至6日（周一）放假，共4天');
    const { problems } = parseHolidayNotice(text);
    expect(problems.map((p) => [p.code, p.date])).toEqual([
      ['notice.weekdayMismatch', '2026-01-04'],
      ['notice.totalMismatch', '2026-04-04'],
    ]);
    for (const p of problems) {
      expect(p.message['zh-CN']).toMatch(/[\u4e00-\u9fff]/);
      expect(p.message.en).toMatch(/[a-z]/);
    }
  });

  it('refuses to guess a year when there is neither title nor year', () => {
    const { problems } = parseHolidayNotice('一、元旦：1月1日放假，共1天。');
    expect(problems.map((p) => p.code)).toEqual(['notice.noTitle']);
  });

  it('finds a missing statutory day and a make-up day on a weekday in what it read', () => {
    const text = notice('2026.txt')
      .replace('六、中秋节：9月25日（周五）至27日（周日）放假，共3天。', '')
      .replace('5月9日（周六）上班', '5月8日（周五）上班');
    const codes = parseHolidayNotice(text).problems.map((p) => [p.code, p.date]);
    expect(codes).toEqual([
      ['calendar.workdayNotWeekend', '2026-05-08'],
      ['calendar.statutoryMissing', '2026-09-25'],
    ]);
  });
});

describe('validating a year', () => {
  it('finds nothing wrong with the bundled years since 2008 but chinese-days’ 2012 端午 gap', () => {
    for (let year = 2008; year <= 2026; year++) {
      const problems = validateCalendarYear(WorkCalendar.bundled().year(year));
      // chinese-days lists 22 and 24 June 2012 but not the 端午 day itself, Saturday 23 June.
      if (year === 2012)
        expect(problems.map((p) => [p.code, p.date])).toEqual([
          ['calendar.statutoryMissing', '2012-06-23'],
        ]);
      else expect(problems, String(year)).toEqual([]);
    }
  });

  it('locates each kind of mistake', () => {
    const problems = validateCalendarYear({
      year: 2027,
      status: 'official',
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
        // 3 October missing.
        '2028-01-03': '元旦',
        '2027-02-31': '春节',
      },
      workdays: { '2027-02-08': '春节', '2027-02-10': '春节' },
    });
    // In date order.
    expect(problems.map((p) => [p.code, p.date])).toEqual([
      ['calendar.dayBoth', '2027-02-08'],
      ['calendar.workdayNotWeekend', '2027-02-08'],
      ['calendar.workdayNotWeekend', '2027-02-10'],
      ['calendar.dateInvalid', '2027-02-31'],
      ['calendar.statutoryMissing', '2027-10-03'],
      ['calendar.dateOutsideYear', '2028-01-03'],
    ]);
  });
});
