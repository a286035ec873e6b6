import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  availableActions,
  type CaseState,
  type ClockState,
  CommandInput,
  type Event,
  initialState,
  parseHolidayNotice,
  previewRecompute,
  provisionalYear,
  replay,
  SYSTEM_COMMANDS,
  transition,
  WorkCalendar,
} from '../src/index';
import { blocks, buildFlow, commandFor, leaderActor, step } from './arbitraries';
import { admin, deepFreeze, edge, leader, makeFlow, node, Sim, types } from './helpers';

/** The made-up 2027 arrangement (test data, not a published notice): 春节 5–12 Feb, 20 Feb worked. */
const official2027 = parseHolidayNotice(
  readFileSync(join(import.meta.dirname, 'fixtures/notices/2027-test.txt'), 'utf8'),
).year;
const published = WorkCalendar.of([official2027]);

const flow = makeFlow({
  clocks: [
    {
      id: 'handling',
      name: { 'zh-CN': '办理期限', en: 'Handling deadline' },
      start: { on: 'caseStart' },
      stop: { on: 'enter', node: 'end' },
      deadline: { duration: 'P60D', calendar: 'workingDays', warningBefore: 'P5D' },
      extension: { max: 'P30D' },
    },
  ],
  nodes: [
    node.start(),
    node.of('split', 'parallel'),
    node.task('handle', { deadlineClock: 'handling' }),
    node.task('accept', {
      deadline: { duration: 'P60D', calendar: 'workingDays', warningBefore: 'P3D' },
    }),
    node.of('wait', 'timer', { wait: { duration: 'P30D', calendar: 'workingDays' } }),
    node.of('join', 'join', { mode: 'all' }),
    node.end(),
  ],
  edges: [
    edge.next('start', 'split'),
    edge.next('split', 'handle'),
    edge.next('split', 'accept'),
    edge.next('split', 'wait'),
    edge.action('handle', 'join'),
    edge.action('accept', 'join'),
    edge.next('wait', 'join'),
    edge.next('join', 'end'),
  ],
});

/** A case received Monday 23 November 2026, 10:00 Beijing time, counted on the bundled calendar. */
function startedBeforeThe2027Notice(): Sim {
  const sim = new Sim(flow, '2026-11-23T02:00:00.000Z');
  sim.start();
  return sim;
}

describe('deadlines counted over a provisional year', () => {
  it('are flagged provisional, each with its date and the year', () => {
    const sim = startedBeforeThe2027Notice();
    // Hand count in work-calendar.test.ts: 60 working days end on 18 February 2027 provisionally.
    expect(sim.state.clocks.handling?.due).toBe('2027-02-18T15:59:59.999Z');
    expect(sim.task('accept').due).toBe('2027-02-18T15:59:59.999Z');
    expect(sim.task('handle').due).toBe('2027-02-18T15:59:59.999Z');
    // 30 working days: 28 by 31 December, 1 January off, 4 and 5 January.
    const wait = sim.state.timers.find((t) => t.purpose.kind === 'node');
    expect(wait?.due).toBe('2027-01-05T15:59:59.999Z');
    expect(sim.state.flags.map((f) => [f.code, f.subject.kind])).toEqual([
      ['calendar.provisional', 'clock'],
      ['calendar.provisional', 'task'],
      ['calendar.provisional', 'timer'],
    ]);
    const flag = sim.state.flags[0];
    expect(flag?.code === 'calendar.provisional' && flag.years).toEqual([2027]);
    expect(flag?.message['zh-CN']).toContain('2027-02-18 23:59');
    // Every event with a computed due date says which calendar computed it.
    const stamped = sim.events.filter(
      (e) => e.type === 'clock.started' || e.type === 'timer.set' || e.type === 'task.opened',
    );
    expect(stamped.length).toBeGreaterThan(0);
    for (const e of stamped) {
      if (e.type === 'task.opened' && !e.task.due) continue;
      expect('calendarVersion' in e && e.calendarVersion).toBe(WorkCalendar.bundled().version);
    }
  });
});

describe('calendar.recompute', () => {
  it('lists what will move before anything is confirmed', () => {
    const sim = startedBeforeThe2027Notice();
    const before = sim.state;
    const { changes } = previewRecompute(flow, before, { ...sim.env(), calendar: published });
    expect(changes).toEqual([
      {
        kind: 'clock',
        id: 'handling',
        name: { 'zh-CN': '办理期限', en: 'Handling deadline' },
        from: '2027-02-18T15:59:59.999Z',
        to: '2027-02-23T15:59:59.999Z',
      },
      {
        kind: 'task',
        id: sim.task('handle').id,
        name: sim.task('handle').name,
        from: '2027-02-18T15:59:59.999Z',
        to: '2027-02-23T15:59:59.999Z',
      },
      {
        kind: 'task',
        id: sim.task('accept').id,
        name: sim.task('accept').name,
        from: '2027-02-18T15:59:59.999Z',
        to: '2027-02-23T15:59:59.999Z',
      },
    ]);
    // A dry run: the case is as it was.
    expect(sim.state).toBe(before);
  });

  it('moves every open deadline with the published year, as events, and clears the flags', () => {
    // given
    const sim = startedBeforeThe2027Notice();
    sim.at('2026-12-01T01:00:00.000Z');
    sim.calendar = published;
    // when
    const events = sim.do({ type: 'calendar.recompute' });
    // then: 52 working days by 4 Feb, 5–12 Feb off, 15–19 Feb 57, Saturday 20 Feb worked 58,
    // 22 and 23 Feb: due at the end of Tuesday 23 February 2027.
    const clock = sim.state.clocks.handling as ClockState;
    expect(clock.due).toBe('2027-02-23T15:59:59.999Z');
    // P5D back from Tuesday 23 Feb, counting it: 23, 22, Saturday 20, 19, 18 → 18 Feb 00:00.
    expect(clock.warnAt).toBe('2027-02-17T16:00:00.000Z');
    expect(sim.task('handle')).toMatchObject({ due: clock.due, warnAt: clock.warnAt });
    // P3D back: 23, 22, Saturday 20 → 20 Feb 00:00.
    expect(sim.task('accept')).toMatchObject({
      due: '2027-02-23T15:59:59.999Z',
      warnAt: '2027-02-19T16:00:00.000Z',
      dueState: 'onTime',
    });
    expect(events.find((e) => e.type === 'clock.dueChanged')).toMatchObject({
      clockId: 'handling',
      from: '2027-02-18T15:59:59.999Z',
      due: '2027-02-23T15:59:59.999Z',
      reason: 'calendar',
      calendarVersion: published.version,
    });
    for (const e of events.filter((e) => e.type === 'task.dueChanged' || e.type === 'timer.set'))
      expect(e).toMatchObject({ reason: 'calendar', calendarVersion: published.version });
    // The wait does not move (元旦 is 1 January on both calendars), but it is no longer provisional.
    expect(sim.state.flags).toEqual([]);
    expect(types(events).filter((t) => t === 'calendar.flagCleared')).toHaveLength(3);
    // Timers follow: each moved deadline's old timers cancelled and new ones set at the new dates.
    const timers = sim.state.timers.map((t) => [t.purpose.kind, t.due]).sort();
    expect(timers).toEqual(
      [
        ['clockOverdue', '2027-02-23T15:59:59.999Z'],
        ['clockWarning', '2027-02-17T16:00:00.000Z'],
        ['node', '2027-01-05T15:59:59.999Z'],
        ['taskOverdue', '2027-02-23T15:59:59.999Z'],
        ['taskOverdue', '2027-02-23T15:59:59.999Z'],
        ['taskWarning', '2027-02-17T16:00:00.000Z'],
        ['taskWarning', '2027-02-19T16:00:00.000Z'],
      ].sort(),
    );
    expect(sim.lastEffects.filter((e) => e.type === 'timer.cancel')).toHaveLength(6);
    // The people responsible hear of it.
    const notices = sim.lastEffects.filter((e) => e.type === 'notify');
    expect(notices.map((n) => n.type === 'notify' && n.message['zh-CN'])).toEqual([
      '法定时限“办理期限”因工作日历调整，期限由 2027-02-18 23:59 改为 2027-02-23 23:59',
      '任务“accept”因工作日历调整，期限由 2027-02-18 23:59 改为 2027-02-23 23:59',
    ]);
    // when it runs again on the same calendar, nothing moves and nothing is written
    expect(sim.do({ type: 'calendar.recompute' })).toEqual([]);
  });

  it('moves nothing when the calendar is the one the deadlines were counted with', () => {
    const sim = startedBeforeThe2027Notice();
    expect(sim.do({ type: 'calendar.recompute' })).toEqual([]);
  });

  it('flags again when a published year is withdrawn back to provisional', () => {
    const sim = startedBeforeThe2027Notice();
    sim.calendar = published;
    sim.do({ type: 'calendar.recompute' });
    sim.calendar = WorkCalendar.of([provisionalYear(2027)]);
    sim.do({ type: 'calendar.recompute' });
    expect(sim.state.clocks.handling?.due).toBe('2027-02-18T15:59:59.999Z');
    expect(sim.state.flags.map((f) => f.subject.kind).sort()).toEqual(['clock', 'task', 'timer']);
  });

  it('counts again from the start with the pauses and the extension as they happened', () => {
    // given a clock paused for two days, resumed, then extended by 10 days
    const sim = startedBeforeThe2027Notice();
    sim.at('2026-12-01T02:00:00.000Z');
    sim.do({ type: 'clock.pause', clockId: 'handling', reason: '鉴定', actor: leader });
    sim.at('2026-12-03T02:00:00.000Z');
    sim.do({ type: 'clock.resume', clockId: 'handling', actor: leader });
    sim.do({
      type: 'deadline.requestExtension',
      clockId: 'handling',
      duration: 'P10D',
      reason: '情况复杂',
      actor: leader,
    });
    const request = Object.keys(sim.state.extensionRequests)[0] as string;
    sim.do({ type: 'deadline.approveExtension', requestId: request, actor: leader });
    // 18 Feb 23:59 + two days of pause = Saturday 20 Feb, not a working day: the end of Monday
    // 22 Feb; + 10 working days (the clock counts working days): 23–26 Feb, 1–5 and 8 March
    // (provisional).
    expect(sim.state.clocks.handling?.due).toBe('2027-03-08T15:59:59.999Z');
    // when the calendar it was counted with is given again, nothing moves
    expect(sim.do({ type: 'calendar.recompute' })).toEqual([]);
    // when the published year is given
    sim.calendar = published;
    sim.do({ type: 'calendar.recompute' });
    // then 23 Feb 23:59 + two days = Thursday 25 Feb 23:59; + 10 working days: 26 Feb,
    // 1–5 March, 8–11 March.
    expect(sim.state.clocks.handling?.due).toBe('2027-03-11T15:59:59.999Z');
    expect(sim.task('handle').due).toBe('2027-03-11T15:59:59.999Z');
  });

  it('counts an older clock (without its recorded basis) from the definition', () => {
    const sim = startedBeforeThe2027Notice();
    const { basis: _basis, ...older } = sim.state.clocks.handling as ClockState;
    const state: CaseState = { ...sim.state, clocks: { handling: older } };
    const result = transition(
      flow,
      state,
      { type: 'calendar.recompute' },
      { ...sim.env(), calendar: published },
    );
    expect(result.ok && result.state.clocks.handling?.due).toBe('2027-02-23T15:59:59.999Z');
    // An older clock already extended is left alone: its extension's length was not recorded.
    const extended: CaseState = { ...state, clocks: { handling: { ...older, extensionsUsed: 1 } } };
    const untouched = transition(
      flow,
      extended,
      { type: 'calendar.recompute' },
      { ...sim.env(), calendar: published },
    );
    expect(untouched.ok && untouched.events.some((e) => e.type === 'clock.dueChanged')).toBe(false);
  });

  it('keeps what was already missed: an overdue task keeps its date', () => {
    const sim = startedBeforeThe2027Notice();
    sim.advanceTo('2027-02-19T02:00:00.000Z');
    expect(sim.task('accept').dueState).toBe('overdue');
    sim.calendar = published;
    sim.do({ type: 'calendar.recompute' });
    expect(sim.task('accept').due).toBe('2027-02-18T15:59:59.999Z');
    expect(sim.state.late).toBe(true);
  });

  it('moves a pending working-day wait under a new timer id, from when the token arrived', () => {
    // given a wait of 55 working days entered on 23 November 2026
    const waiting = makeFlow({
      nodes: [
        node.start(),
        node.of('wait', 'timer', { wait: { duration: 'P55D', calendar: 'workingDays' } }),
        node.task('reply'),
        node.end(),
      ],
      edges: [edge.next('start', 'wait'), edge.next('wait', 'reply'), edge.action('reply', 'end')],
    });
    const sim = new Sim(waiting, '2026-11-23T02:00:00.000Z');
    sim.start();
    const before = sim.state.timers[0];
    // 52 working days by 4 Feb; provisional 春节 5–8 Feb; 9, 10, 11 Feb.
    expect(before?.due).toBe('2027-02-11T15:59:59.999Z');
    sim.at('2026-12-10T02:00:00.000Z');
    const env = { ...sim.env(), calendar: published };
    // 52 by 4 Feb; published 春节 5–12 Feb, then 15, 16, 17 Feb.
    expect(previewRecompute(waiting, sim.state, env).changes).toEqual([
      {
        kind: 'timer',
        id: before?.id,
        name: { 'zh-CN': 'wait', en: 'wait' },
        from: '2027-02-11T15:59:59.999Z',
        to: '2027-02-17T15:59:59.999Z',
      },
    ]);
    // when
    sim.calendar = published;
    const events = sim.do({ type: 'calendar.recompute' });
    // then
    expect(types(events)).toEqual(['timer.cancelled', 'timer.set', 'calendar.flagCleared']);
    const after = sim.state.timers[0];
    expect(after).toMatchObject({ due: '2027-02-17T15:59:59.999Z', purpose: before?.purpose });
    expect(after?.id).not.toBe(before?.id);
    expect(sim.state.flags).toEqual([]);
    expect(sim.lastEffects).toEqual([
      { type: 'timer.cancel', timerId: before?.id },
      { type: 'timer.set', timerId: after?.id, due: '2027-02-17T15:59:59.999Z' },
      { type: 'case.unflag', subject: { kind: 'timer', id: before?.id } },
    ]);
  });

  it('is the system’s: never offered to a person, listed for APIs to refuse', () => {
    const sim = startedBeforeThe2027Notice();
    expect(SYSTEM_COMMANDS).toContain('calendar.recompute');
    expect(availableActions(flow, sim.state, admin).case).not.toContain('calendar.recompute');
    expect(CommandInput.safeParse({ type: 'calendar.recompute' }).success).toBe(true);
  });

  it('leaves a closed case alone', () => {
    const sim = startedBeforeThe2027Notice();
    sim.do({ type: 'case.cancel', reason: '重复登记', actor: admin });
    const { changes } = previewRecompute(flow, sim.state, { ...sim.env(), calendar: published });
    expect(changes).toEqual([]);
  });
});

const calendars = [
  WorkCalendar.bundled(),
  published,
  WorkCalendar.of([{ ...official2027, workdays: {} }]),
  WorkCalendar.of([
    { ...WorkCalendar.bundled().year(2026), status: 'official', holidays: {} },
    official2027,
  ]),
];

describe('calendar.recompute on random cases and calendars', () => {
  it('replays to the state it leaves, moves nothing twice, and moves nothing on the calendar used', {
    timeout: 120_000,
  }, () => {
    const seen = new Set<string>();
    fc.assert(
      fc.property(
        blocks,
        fc.boolean(),
        fc.constantFrom('2026-09-25T01:00:00Z', '2026-11-23T02:00:00Z', '2026-12-28T01:00:00Z'),
        fc.nat({ max: calendars.length - 1 }),
        fc.nat({ max: calendars.length - 1 }),
        fc.array(step, { maxLength: 25 }),
        (seq, withClock, start, used, next, steps) => {
          const def = buildFlow(seq, withClock);
          let counter = 0;
          let now = Date.parse(start);
          const env = (calendar: WorkCalendar) => ({
            now: new Date(now).toISOString(),
            newId: () => `id${++counter}`,
            calendar,
          });
          const events: Event[] = [];
          let state = initialState();
          const started = transition(
            def,
            state,
            { type: 'case.start', channel: 'visit', data: { flag: false }, actor: leaderActor },
            env(calendars[used] as WorkCalendar),
          );
          if (!started.ok) throw new Error(started.rejection.message.en);
          state = started.state;
          events.push(...started.events);
          for (const s of steps) {
            const command = commandFor(def, state, s, now);
            now = command.now;
            if (!command.command) continue;
            const result = transition(
              def,
              state,
              command.command,
              env(calendars[used] as WorkCalendar),
            );
            if (!result.ok) continue;
            state = deepFreeze(result.state);
            events.push(...result.events);
          }
          // On the calendar every deadline was counted with, nothing moves.
          const same = transition(
            def,
            state,
            { type: 'calendar.recompute' },
            env(calendars[used] as WorkCalendar),
          );
          if (state.status === 'active') {
            expect(same.ok && same.events).toEqual([]);
          }
          const moved = transition(
            def,
            state,
            { type: 'calendar.recompute' },
            env(calendars[next] as WorkCalendar),
          );
          if (!moved.ok) {
            expect(state.status).not.toBe('active');
            return;
          }
          events.push(...moved.events);
          for (const e of moved.events) seen.add(e.type);
          expect(replay(def, events)).toEqual(moved.state);
          const again = transition(
            def,
            deepFreeze(moved.state),
            { type: 'calendar.recompute' },
            env(calendars[next] as WorkCalendar),
          );
          expect(again.ok && again.events).toEqual([]);
        },
      ),
      { numRuns: Number(process.env.PROPERTY_RUNS ?? 150), seed: 20261130 },
    );
    // The runs did move deadlines, clear flags and set them.
    for (const type of [
      'clock.dueChanged',
      'task.dueChanged',
      'timer.set',
      'calendar.flagCleared',
      'calendar.provisional',
    ])
      expect(seen, type).toContain(type);
  });
});
