import { describe, expect, it } from 'vitest';
import {
  computeDue,
  computeWarning,
  HOLIDAY_COVERAGE,
  isWorkingDay,
  WorkCalendar,
} from '../src/index';
import { edge, makeFlow, node, Sim } from './helpers';

const at = (iso: string) => Date.parse(iso);

describe('Chinese working days (chinese-days data)', () => {
  it('knows the 2025 National Day holiday and its make-up working days', () => {
    expect(isWorkingDay('2025-10-01').workday).toBe(false);
    expect(isWorkingDay('2025-10-08').workday).toBe(false);
    expect(isWorkingDay('2025-09-28').workday).toBe(true); // Sunday, worked (调休)
    expect(isWorkingDay('2025-10-11').workday).toBe(true); // Saturday, worked (调休)
    expect(isWorkingDay('2025-10-12').workday).toBe(false); // ordinary Sunday
    expect(isWorkingDay('2025-10-09')).toEqual({ workday: true, status: 'bundled' });
  });

  it('covers the years the package ships', () => {
    expect(HOLIDAY_COVERAGE).toEqual({ from: 2004, until: 2026 });
    expect(isWorkingDay('2027-01-04').status).toBe('provisional');
  });

  it('ends a deadline at the end of the Nth working day after the start day, skipping the holiday', () => {
    // Tuesday 30 September 2025, 10:00 Beijing time; 1–8 October are off.
    const start = at('2025-09-30T10:00:00+08:00');
    expect(computeDue(start, 'P1D', 'workingDays')?.due).toBe('2025-10-09T15:59:59.999Z');
    // 9 Oct (Thu), 10 Oct (Fri), 11 Oct (Saturday, worked).
    expect(computeDue(start, 'P3D', 'workingDays')?.due).toBe('2025-10-11T15:59:59.999Z');
  });

  it('counts a make-up Sunday as a working day', () => {
    // Friday 26 September 2025: the next working day is Sunday 28 September.
    expect(computeDue(at('2025-09-26T16:00:00+08:00'), 'P1D', 'workingDays')?.due).toBe(
      '2025-09-28T15:59:59.999Z',
    );
  });

  it('takes the local (UTC+8) day as the start day even when the UTC date differs', () => {
    // 23:30 UTC on 29 September is already 07:30 on 30 September in Beijing.
    expect(computeDue(at('2025-09-29T23:30:00Z'), 'P1D', 'workingDays')?.due).toBe(
      '2025-10-09T15:59:59.999Z',
    );
  });

  it('does not count the day of receipt and ends a natural-day period at 24:00 of its last day', () => {
    // Received 10:00 Beijing time on 30 September 2025; 15 days are 1–15 October.
    expect(computeDue(at('2025-09-30T10:00:00+08:00'), 'P15D', 'natural')).toEqual({
      due: '2025-10-15T15:59:59.999Z',
      dueMs: at('2025-10-15T23:59:59.999+08:00'),
      provisionalYears: [],
      calendarVersion: WorkCalendar.bundled().version,
    });
    // A month ends on the corresponding day, or the month's last day when there is none (art. 202).
    expect(computeDue(at('2025-01-31T10:00:00+08:00'), 'P1M', 'natural')?.due).toBe(
      '2025-02-28T15:59:59.999Z',
    );
  });

  it('adds hours exactly', () => {
    expect(computeDue(at('2025-09-30T10:00:00+08:00'), 'PT4H', 'natural', true)?.due).toBe(
      '2025-09-30T06:00:00.000Z',
    );
  });

  it('rolls a period whose last day is a holiday to the end of the next working day only when asked', () => {
    // 16 September 2026 + 15 days = Thursday 1 October 2026, National Day; 8 October is the next working day.
    const start = at('2026-09-16T10:00:00+08:00');
    expect(computeDue(start, 'P15D', 'natural', true)?.due).toBe('2026-10-08T15:59:59.999Z');
    expect(computeDue(start, 'P15D', 'natural', false)?.due).toBe('2026-10-01T15:59:59.999Z');
  });

  it('treats a make-up working day as a working last day and a weekend as a holiday', () => {
    // 3 October 2026 + 7 days = Saturday 10 October 2026, a make-up working day: no roll.
    expect(computeDue(at('2026-10-03T09:00:00+08:00'), 'P7D', 'natural', true)?.due).toBe(
      '2026-10-10T15:59:59.999Z',
    );
    // Saturday 5 December 2026 is an ordinary weekend: the period ends on Monday 7 December.
    expect(computeDue(at('2026-11-20T09:00:00+08:00'), 'P15D', 'natural', true)?.due).toBe(
      '2026-12-07T15:59:59.999Z',
    );
  });

  it('counts a warning on a working-day deadline in working days', () => {
    // Monday 23 November 2026 + 5 working days = end of Monday 30 November.
    const due = computeDue(at('2026-11-23T10:00:00+08:00'), 'P5D', 'workingDays');
    expect(due?.due).toBe('2026-11-30T15:59:59.999Z');
    // Three working days left (26, 27 and 30 November): due soon from Thursday 00:00, not at the weekend.
    expect(computeWarning(due?.dueMs ?? 0, 'P3D', 'workingDays')).toBe('2026-11-25T16:00:00.000Z');
    // Hours stay exact, and a natural deadline's warning counts natural days.
    expect(computeWarning(due?.dueMs ?? 0, 'PT4H', 'workingDays')).toBe('2026-11-30T11:59:59.999Z');
    expect(computeWarning(due?.dueMs ?? 0, 'P3D', 'natural')).toBe('2026-11-27T15:59:59.999Z');
  });

  it('says which provisional year a working-day count past the bundled data passed', () => {
    const result = computeDue(at('2026-12-20T10:00:00+08:00'), 'P15D', 'workingDays');
    expect(result?.provisionalYears).toEqual([2027]);
    expect(computeDue(at('2026-11-02T10:00:00+08:00'), 'P15D', 'workingDays')).toMatchObject({
      provisionalYears: [],
    });
  });
});

describe('working-day deadlines on cases', () => {
  const def = makeFlow({
    nodes: [
      node.start(),
      node.task('accept', { deadline: { duration: 'P3D', calendar: 'workingDays' } }),
      node.end(),
    ],
    edges: [edge.next('start', 'accept'), edge.action('accept', 'end')],
  });

  it('gives a case received just before National Day its deadline after the holiday', () => {
    // given
    const sim = new Sim(def, '2025-09-30T02:00:00.000Z');
    // when
    sim.start();
    // then
    expect(sim.task('accept').due).toBe('2025-10-11T15:59:59.999Z');
    expect(sim.state.flags).toEqual([]);
  });

  it('flags the case provisional when the deadline is counted over a provisional year', () => {
    // given
    const sim = new Sim(def, '2026-12-30T02:00:00.000Z');
    // when
    const events = sim.start();
    // then 31 Dec, then 1 Jan 2027 (元旦, provisional) is off: 4 and 5 Jan.
    const task = sim.task('accept');
    expect(task.due).toBe('2027-01-05T15:59:59.999Z');
    expect(sim.state.flags).toEqual([
      expect.objectContaining({
        code: 'calendar.provisional',
        subject: { kind: 'task', id: task.id },
        due: task.due,
        years: [2027],
        calendarVersion: WorkCalendar.bundled().version,
      }),
    ]);
    expect(events.map((e) => e.type)).toContain('calendar.provisional');
    expect(sim.lastEffects).toContainEqual(expect.objectContaining({ type: 'case.flag' }));
  });
});
