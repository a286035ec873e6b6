import { DURATION_PATTERN, durationProblem, parseDuration } from '@lianxin/spec';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  DURATION_UNITS,
  type DurationUnit,
  durationAmount,
  durationFromInput,
  durationOf,
  durationWords,
  type TimedDuration,
  UNIT_LIMITS,
} from '../src/panels/fields/duration';

/** Every duration the flow format accepts: any mix of its parts, on either calendar. */
const specDuration: fc.Arbitrary<TimedDuration> = fc
  .record(
    {
      Y: fc.nat(20),
      M: fc.nat(240),
      W: fc.nat(520),
      D: fc.nat(4000),
      H: fc.nat(9000),
      Mi: fc.nat(600),
      S: fc.nat(600),
    },
    { requiredKeys: [] },
  )
  .chain((p) => {
    const date = `${p.Y !== undefined ? `${p.Y}Y` : ''}${p.M !== undefined ? `${p.M}M` : ''}${p.W !== undefined ? `${p.W}W` : ''}${p.D !== undefined ? `${p.D}D` : ''}`;
    const time = `${p.H !== undefined ? `${p.H}H` : ''}${p.Mi !== undefined ? `${p.Mi}M` : ''}${p.S !== undefined ? `${p.S}S` : ''}`;
    const text = `P${date}${time ? `T${time}` : ''}`;
    return fc.record({
      duration: fc.constant(text === 'P' ? 'P0D' : text),
      calendar: fc.constantFrom('natural' as const, 'workingDays' as const),
    });
  })
  .filter((t) => DURATION_PATTERN.test(t.duration));

/** The same length: weeks are 7 days in either calendar, so P2W and P14D are one length. */
const sameLength = (a: TimedDuration, b: TimedDuration) => {
  const x = parseDuration(a.duration);
  const y = parseDuration(b.duration);
  expect(x && y).toBeTruthy();
  if (!x || !y) return;
  expect(b.calendar).toBe(a.calendar);
  expect({ ...y, days: y.days + 7 * y.weeks, weeks: 0 }).toEqual({
    ...x,
    days: x.days + 7 * x.weeks,
    weeks: 0,
  });
};

describe('durations typed as a number and a unit', () => {
  it.each([
    { typed: '15', unit: 'workingDays', duration: 'P15D', calendar: 'workingDays' },
    { typed: '15', unit: 'days', duration: 'P15D', calendar: 'natural' },
    { typed: '4', unit: 'hours', duration: 'PT4H', calendar: 'natural' },
    { typed: '2', unit: 'months', duration: 'P2M', calendar: 'natural' },
    { typed: '１５', unit: 'workingDays', duration: 'P15D', calendar: 'workingDays' },
  ] as const)(
    '$typed $unit is $duration on $calendar days',
    ({ typed, unit, duration, calendar }) => {
      expect(durationFromInput(typed, unit, 'zh-CN')).toEqual({ duration, calendar });
    },
  );

  it('gives back every number of every unit it wrote, as the spec accepts it', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...DURATION_UNITS),
        fc.integer({ min: 1, max: 3660 }),
        (unit: DurationUnit, n) => {
          const amount = Math.min(n, UNIT_LIMITS[unit]);
          const written = durationFromInput(String(amount), unit, 'zh-CN');
          if ('error' in written) throw new Error(written.error);
          expect(DURATION_PATTERN.test(written.duration)).toBe(true);
          expect(durationProblem(written.duration, written.calendar)).toBeUndefined();
          expect(durationAmount(written)).toEqual({ amount, unit });
        },
      ),
    );
  });

  it('reads every spec duration it can as one number and unit that writes the same length back', () => {
    fc.assert(
      fc.property(specDuration, (value) => {
        const read = durationAmount(value);
        if (!read) return;
        const back = durationOf(read);
        sameLength(value, back);
        // Canonical text (no weeks, no zero parts such as T0H) comes back exactly.
        const canonical = value.duration === 'P0D' || !/W|(?<!\d)0[YMDHS]/.test(value.duration);
        if (canonical) expect(back).toEqual(value);
      }),
    );
  });

  it('says every spec duration in words, with no code in them', () => {
    fc.assert(
      fc.property(specDuration, (value) => {
        const zh = durationWords(value, 'zh-CN');
        expect(zh).not.toMatch(/[A-Za-z]/);
        expect(zh.length).toBeGreaterThan(0);
        expect(durationWords(value, 'en')).not.toMatch(/P\d|T\d/);
      }),
    );
  });

  it.each([
    ['P15D', 'workingDays', '15 个工作日'],
    ['P2W', 'natural', '14 天'],
    ['P1DT4H', 'natural', '1 天 4 小时'],
    ['P1Y', 'natural', '1 年'],
    ['P0D', 'natural', '0 天（当天）'],
  ] as const)('%s on %s days reads %s', (duration, calendar, words) => {
    expect(durationWords({ duration, calendar }, 'zh-CN')).toBe(words);
  });

  it('leaves to words what is not one number of one unit', () => {
    for (const [duration, calendar] of [
      ['P1DT4H', 'natural'],
      ['P1Y', 'natural'],
      ['PT30M', 'natural'],
      ['PT4H', 'workingDays'],
      ['P1M', 'workingDays'],
    ] as const)
      expect(durationAmount({ duration, calendar })).toBeUndefined();
  });

  it.each([
    { typed: '', says: '请填写时长' },
    { typed: 'abc', says: '“abc”不是数字' },
    { typed: '十五', says: '“十五”不是数字' },
    { typed: '1.5', says: '时长须为整数' },
    { typed: '-3', says: '时长不能为负数' },
    { typed: '0', says: '时长须大于 0' },
    { typed: '3661', says: '时长过长：最多 3660 天' },
  ])('refuses “$typed”: $says', ({ typed, says }) => {
    expect(durationFromInput(typed, 'days', 'zh-CN')).toEqual({ error: says });
  });

  it('says why in English too, and takes 0 days as the same day only where allowed', () => {
    expect(durationFromInput('0', 'workingDays', 'en')).toEqual({
      error: 'A length must be more than 0',
    });
    expect(durationFromInput('9000', 'hours', 'en')).toEqual({
      error: 'Too long: at most 8784 hours',
    });
    expect(durationFromInput('0', 'days', 'zh-CN', { allowZero: true })).toEqual({
      duration: 'P0D',
      calendar: 'natural',
    });
    expect('error' in durationFromInput('0', 'hours', 'zh-CN', { allowZero: true })).toBe(true);
  });
});
