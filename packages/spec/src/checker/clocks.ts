import { approximateSeconds, type Calendar, type DurationParts, parseDuration } from '../duration';
import { isHumanStep } from '../flow';
import type { Bilingual } from '../text';
import type { ProblemCode } from './problems';

type Raw = Record<string, unknown>;
type Report = (
  code: ProblemCode,
  pointer: string,
  params?: Record<string, string | number>,
) => void;

const isObject = (v: unknown): v is Raw => v !== null && typeof v === 'object' && !Array.isArray(v);
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
const objects = (v: unknown): Array<{ raw: Raw; index: number }> =>
  Array.isArray(v) ? v.flatMap((raw, index) => (isObject(raw) ? [{ raw, index }] : [])) : [];

const DAY = 86_400;
/**
 * The longest run of days off a statutory holiday makes (春节 2026: nine days,
 * 2月15日–23日), added when a period may roll past one.
 */
const LONGEST_DAYS_OFF = 9;
/** Statutory holidays a year (全国年节及纪念日放假办法, revised 2024). */
const HOLIDAYS_A_YEAR = 13;

/** How long a period can last in natural time, in seconds: `[shortest, longest]`. */
export type Span = readonly [number, number];

/**
 * The shortest and longest natural time a deadline can take. Natural days are
 * exact (months 28–31 days, years 365–366; "the same day" P0D up to a day),
 * plus the longest holiday run when the deadline rolls past holidays. Working
 * days cannot be converted exactly (holidays, 调休 make-up days and local days
 * off decide): a working day is at least one natural day, and a run of them
 * at most the weeks it needs, their weekends and a year's holidays for every
 * year it may cross.
 */
export function naturalSpan(d: DurationParts, calendar: Calendar, roll: boolean): Span {
  if (calendar === 'workingDays') {
    const days = d.days + 7 * d.weeks;
    const years = Math.max(1, Math.ceil(days / 245));
    return [days * DAY, (Math.ceil((days * 7) / 5) + 2 + HOLIDAYS_A_YEAR * years) * DAY];
  }
  const exact = d.seconds + 60 * d.minutes + 3600 * d.hours;
  const days = d.days + 7 * d.weeks;
  const shortest = exact + DAY * (days + 28 * d.months + 365 * d.years);
  let longest = exact + DAY * (days + 31 * d.months + 366 * d.years);
  // P0D lasts until 24:00 of the day it starts: at most a day.
  if (longest === 0) longest = DAY;
  if (roll && exact === 0) longest += LONGEST_DAYS_OFF * DAY;
  return [shortest, longest];
}

/** A duration in words, in both languages: 60 天, 15 个工作日, 4 小时. */
export function durationInWords(d: DurationParts, calendar: Calendar): Bilingual {
  const working = calendar === 'workingDays';
  const parts: Array<[number, string, string]> = [
    [d.years, '年', 'years'],
    [d.months, '个月', 'months'],
    [d.weeks, '周', 'weeks'],
    [d.days, working ? '个工作日' : '天', working ? 'working days' : 'days'],
    [d.hours, '小时', 'hours'],
    [d.minutes, '分钟', 'minutes'],
    [d.seconds, '秒', 'seconds'],
  ];
  const used = parts.filter(([n]) => n > 0);
  if (used.length === 0) return { 'zh-CN': '当天', en: 'the same day' };
  return {
    'zh-CN': used.map(([n, zh]) => `${n} ${zh}`).join(' '),
    en: used.map(([n, , en]) => `${n} ${en}`).join(' '),
  };
}

/** A name in both languages; English text stays English, so a flow named only in Chinese gives its id there. */
const name = (v: unknown, id: string): Bilingual => {
  const zh = isObject(v) && typeof v['zh-CN'] === 'string' && v['zh-CN'] ? v['zh-CN'] : id;
  const en = isObject(v) && typeof v.en === 'string' && v.en ? v.en : id;
  return { 'zh-CN': zh, en };
};

interface Period {
  parts: DurationParts;
  text: string;
  calendar: Calendar;
  roll: boolean;
}

const period = (
  d: unknown,
  rollDefault: boolean,
  calendarDefault?: Calendar,
): Period | undefined => {
  if (!isObject(d)) return undefined;
  const text = str(d.duration);
  const parts = text === undefined ? undefined : parseDuration(text);
  if (!parts || text === undefined) return undefined;
  const calendar: Calendar =
    d.calendar === 'workingDays'
      ? 'workingDays'
      : d.calendar === 'natural'
        ? 'natural'
        : (calendarDefault ?? 'natural');
  const roll = typeof d.rollOverHolidays === 'boolean' ? d.rollOverHolidays : rollDefault;
  return { parts, text, calendar, roll };
};

/**
 * The steps a clock governs: those a case can be at while the clock counts,
 * i.e. reached from where it starts without passing where it stops, and from
 * which the stop can still be reached.
 */
export function governedSteps(
  clock: Raw,
  startIds: readonly string[],
  next: ReadonlyMap<string, readonly string[]>,
  prev: ReadonlyMap<string, readonly string[]>,
): Set<string> {
  const governed = new Set<string>();
  const start = clock.start;
  const stop = clock.stop;
  if (!isObject(start) || !isObject(stop)) return governed;
  const stopNode = str(stop.node);
  if (stop.on === 'caseStart' || stopNode === undefined) return governed;
  const stopInside = stop.on === 'leave';
  let from: string[];
  if (start.on === 'caseStart') from = [...startIds];
  else if (typeof start.node !== 'string') return governed;
  else if (start.on === 'leave') from = [...(next.get(start.node) ?? [])];
  else from = [start.node];

  const forward = new Set<string>();
  const queue = from.filter((id) => stopInside || id !== stopNode);
  while (queue.length > 0) {
    const id = queue.pop() as string;
    if (forward.has(id)) continue;
    forward.add(id);
    if (id === stopNode) continue;
    for (const n of next.get(id) ?? []) {
      if (!forward.has(n) && (stopInside || n !== stopNode)) queue.push(n);
    }
  }
  // Steps that can still reach the stop (the stop itself when the clock stops on leaving it).
  const reachesStop = new Set<string>();
  const back = [stopNode];
  while (back.length > 0) {
    const id = back.pop() as string;
    for (const p of prev.get(id) ?? []) {
      if (!reachesStop.has(p)) {
        reachesStop.add(p);
        back.push(p);
      }
    }
  }
  if (stopInside) reachesStop.add(stopNode);
  for (const id of forward) if (reachesStop.has(id)) governed.add(id);
  return governed;
}

/**
 * `deadline.exceedsClock`: a task's own deadline (and each of its urgency
 * deadlines) longer than the statutory clock that governs it (see below). Same calendar: compared as written. Working days against natural
 * days: only reported when it surely exceeds, over {@link naturalSpan}, and
 * the message says the comparison was conservative.
 */
export function checkDeadlinesWithinClocks(input: Raw, report: Report): void {
  const clocks = objects(input.clocks);
  if (clocks.length === 0) return;
  const nodes = objects(input.nodes);
  const next = new Map<string, string[]>();
  const prev = new Map<string, string[]>();
  for (const { raw } of objects(input.edges)) {
    const from = str(raw.from);
    const to = str(raw.to);
    if (from === undefined || to === undefined) continue;
    next.set(from, [...(next.get(from) ?? []), to]);
    prev.set(to, [...(prev.get(to) ?? []), from]);
  }
  const startIds = nodes.flatMap(({ raw }) =>
    raw.kind === 'start' && typeof raw.id === 'string' ? [raw.id] : [],
  );

  // The clock that governs each step: the one its joint handling names (`joint.within`), else,
  // of the clocks counting while it is open, the one that lasts longest. Shorter clocks nested
  // inside it are milestones (3日见面, 7日反馈) a late step makes late, as the flow intends.
  const governing = new Map<string, { clock: Raw; limit: Period; span: Span }>();
  const byClockId = new Map<string, { clock: Raw; limit: Period; span: Span }>();
  for (const { raw: clock } of clocks) {
    const limit = period(clock.deadline, true);
    if (!limit) continue;
    const entry = { clock, limit, span: naturalSpan(limit.parts, limit.calendar, limit.roll) };
    if (typeof clock.id === 'string') byClockId.set(clock.id, entry);
    for (const id of governedSteps(clock, startIds, next, prev)) {
      const current = governing.get(id);
      if (!current || entry.span[1] > current.span[1]) governing.set(id, entry);
    }
  }
  for (const node of nodes) {
    const id = str(node.raw.id);
    if (id === undefined || !isHumanStep(node.raw) || typeof node.raw.deadlineClock === 'string')
      continue;
    const within = isObject(node.raw.joint) ? str(node.raw.joint.within) : undefined;
    const rule = (within !== undefined ? byClockId.get(within) : undefined) ?? governing.get(id);
    if (!rule) continue;
    const { clock, limit, span: clockSpan } = rule;
    const clockName = name(clock.name, str(clock.id) ?? '');
    const clockWords = durationInWords(limit.parts, limit.calendar);
    const at = `/nodes/${node.index}/deadline`;
    const own = node.raw.deadline;
    const candidates: Array<{ p: Period | undefined; at: string }> = [
      { p: period(own, false), at: `${at}/duration` },
    ];
    if (isObject(own) && isObject(own.byUrgency)) {
      const calendar: Calendar = own.calendar === 'workingDays' ? 'workingDays' : 'natural';
      for (const [colour, v] of Object.entries(own.byUrgency)) {
        candidates.push(
          isObject(v)
            ? { p: period(v, false, calendar), at: `${at}/byUrgency/${colour}/duration` }
            : { p: period({ duration: v, calendar }, false), at: `${at}/byUrgency/${colour}` },
        );
      }
    }
    for (const { p, at: pointer } of candidates) {
      if (!p) continue;
      const mixed = p.calendar !== limit.calendar;
      const exceeds = mixed
        ? naturalSpan(p.parts, p.calendar, p.roll)[0] > clockSpan[1]
        : // Same calendar: as written (P0D is "the same day", at most a day).
          (approximateSeconds(p.parts) || DAY) > (approximateSeconds(limit.parts) || DAY);
      if (!exceeds) continue;
      const taskName = name(node.raw.name, id);
      const taskWords = durationInWords(p.parts, p.calendar);
      report('deadline.exceedsClock', pointer, {
        task: taskName['zh-CN'],
        taskEn: taskName.en,
        clock: clockName['zh-CN'],
        clockEn: clockName.en,
        duration: taskWords['zh-CN'],
        durationEn: taskWords.en,
        clockDuration: clockWords['zh-CN'],
        clockDurationEn: clockWords.en,
        mixed: mixed ? 1 : 0,
      });
    }
  }
}

/** Node kinds where a case waits: human steps, a timer's wait and a subflow's child case. */
const WAITING_KINDS: readonly string[] = ['task', 'multiTask', 'timer', 'subflow'];

/**
 * A clock's pause steps (`pause`): each must be a step of the flow
 * (`clock.pauseUnknownStep`), and a step where a case waits that is not where
 * the clock starts or stops (`clock.pauseStep`, a warning).
 */
export function checkClockPauses(
  input: Raw,
  kindNames: Readonly<Record<string, Bilingual>>,
  report: Report,
): void {
  const byId = new Map<string, Raw>();
  for (const { raw } of objects(input.nodes)) if (typeof raw.id === 'string') byId.set(raw.id, raw);
  for (const { raw: clock, index } of objects(input.clocks)) {
    if (!Array.isArray(clock.pause)) continue;
    const clockName = name(clock.name, str(clock.id) ?? '');
    const pointOf = (p: unknown) => (isObject(p) ? str(p.node) : undefined);
    clock.pause.forEach((id, j) => {
      if (typeof id !== 'string') return;
      const at = `/clocks/${index}/pause/${j}`;
      const node = byId.get(id);
      if (!node) {
        report('clock.pauseUnknownStep', at, {
          clock: clockName['zh-CN'],
          clockEn: clockName.en,
          id,
        });
        return;
      }
      const reason =
        pointOf(clock.start) === id
          ? 'start'
          : pointOf(clock.stop) === id
            ? 'stop'
            : WAITING_KINDS.includes(str(node.kind) ?? '')
              ? undefined
              : 'kind';
      if (!reason) return;
      const stepName = name(node.name, id);
      const kind = str(node.kind) ?? '';
      report('clock.pauseStep', at, {
        clock: clockName['zh-CN'],
        clockEn: clockName.en,
        step: stepName['zh-CN'],
        stepEn: stepName.en,
        reason,
        kind,
        kindZh: kindNames[kind]?.['zh-CN'] ?? kind,
        kindEn: (kindNames[kind]?.en ?? kind).toLowerCase(),
      });
    });
  }
}
