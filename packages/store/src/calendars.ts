import {
  type CalendarYear,
  type CaseState,
  type Event,
  HOLIDAY_COVERAGE,
  WorkCalendar,
} from '@lianxin/engine';
import type { Bilingual, LocalizedText } from '@lianxin/spec';
import { asc } from 'drizzle-orm';
import type { Database, Db } from './db';

/*
 * Calendars as data (docs/calendars.md). The bundled chinese-days years are
 * the base; a province (or the nation, where a national jurisdiction row
 * exists) publishes a year's arrangement as a new revision; a jurisdiction
 * follows the newest revision published by its nearest ancestor (itself
 * included) and adds the local days off of itself and its ancestors, where
 * an admin above allowed them. Years with neither are provisional
 * (`provisionalYear`, from the 全国年节及纪念日放假办法).
 */

/** Levels whose admins publish a year's arrangement. */
export const PUBLISHING_LEVELS = ['national', 'province'] as const;

/** The years the store accepts: the bundled range's start to a few years ahead. */
export const CALENDAR_YEARS = { from: HOLIDAY_COVERAGE.from, aheadOfNow: 2 } as const;

export type YearRow = Database['t']['calendarYears']['$inferSelect'];
export type LocalDaysRow = Database['t']['calendarLocalDays']['$inferSelect'];

/** Everything the effective calendars are made of: a few hundred rows at most. */
export interface CalendarSnapshot {
  parents: Map<string, string | null>;
  levels: Map<string, string>;
  /** Newest revision per jurisdiction and year. */
  years: Map<string, Map<number, YearRow>>;
  /** Newest local days per jurisdiction and year (only of jurisdictions allowed them). */
  local: Map<string, Map<number, LocalDaysRow>>;
  grants: Set<string>;
}

/** The jurisdiction, its parent, …, up to the root. */
export function chainOf(snapshot: CalendarSnapshot, jurisdiction: string): string[] {
  const out: string[] = [];
  let code: string | null | undefined = jurisdiction;
  while (code && !out.includes(code)) {
    out.push(code);
    code = snapshot.parents.get(code);
  }
  return out;
}

export function yearOfRow(row: YearRow): CalendarYear {
  return {
    year: row.year,
    holidays: row.holidays,
    workdays: row.workdays,
    status: 'official',
    ...(row.sourceDocument
      ? { source: { document: row.sourceDocument, date: row.sourceDate ?? '' } }
      : {}),
  };
}

/** A draft put in place of what a jurisdiction published, for a preview. */
export type CalendarDraft =
  | { kind: 'year'; jurisdiction: string; year: CalendarYear }
  | { kind: 'local'; jurisdiction: string; year: number; days: Record<string, string> };

/** Where a jurisdiction's year comes from. */
export interface YearSource {
  base: CalendarYear;
  /** The jurisdiction whose published revision is in force (none: bundled or provisional). */
  from?: YearRow;
  /** Local days off in force, by the jurisdiction that set them. */
  local: { jurisdiction: string; days: Record<string, string> }[];
}

/** The year `year` as it holds in `jurisdiction`, with where each part comes from. */
export function yearSource(
  snapshot: CalendarSnapshot,
  jurisdiction: string,
  year: number,
  draft?: CalendarDraft,
): YearSource {
  const chain = chainOf(snapshot, jurisdiction);
  let from: YearRow | undefined;
  let draftYear: CalendarYear | undefined;
  for (const code of chain) {
    if (draft?.kind === 'year' && draft.jurisdiction === code && draft.year.year === year) {
      draftYear = draft.year;
      break;
    }
    const row = snapshot.years.get(code)?.get(year);
    if (row) {
      from = row;
      break;
    }
  }
  // The bundled calendar answers every other year: bundled, or provisional beyond its data.
  const base = draftYear ?? (from ? yearOfRow(from) : WorkCalendar.bundled().year(year));
  const local: YearSource['local'] = [];
  for (const code of [...chain].reverse()) {
    if (!snapshot.grants.has(code)) continue;
    const days =
      draft?.kind === 'local' && draft.jurisdiction === code && draft.year === year
        ? draft.days
        : snapshot.local.get(code)?.get(year)?.days;
    if (days && Object.keys(days).length) local.push({ jurisdiction: code, days });
  }
  return { base, ...(draftYear || !from ? {} : { from }), local };
}

/** A year with local days off laid over it: each is a holiday, and no longer a make-up working day. */
export function withLocalDays(source: YearSource): CalendarYear {
  if (!source.local.length) return source.base;
  const holidays = { ...source.base.holidays };
  const workdays = { ...source.base.workdays };
  for (const { days } of source.local)
    for (const [date, name] of Object.entries(days)) {
      holidays[date] = name;
      delete workdays[date];
    }
  return { ...source.base, holidays, workdays };
}

/**
 * The effective calendar of a jurisdiction: bundled ⊕ the nearest published
 * revisions ⊕ local days. The bundled instance itself when nothing is
 * published on its chain, so a store without calendar rows computes exactly
 * as the simulator does.
 */
export function effectiveCalendar(
  snapshot: CalendarSnapshot,
  jurisdiction: string,
  draft?: CalendarDraft,
): WorkCalendar {
  const chain = chainOf(snapshot, jurisdiction);
  const years = new Set<number>();
  for (const code of chain) {
    for (const y of snapshot.years.get(code)?.keys() ?? []) years.add(y);
    if (snapshot.grants.has(code))
      for (const y of snapshot.local.get(code)?.keys() ?? []) years.add(y);
  }
  if (draft && chain.includes(draft.jurisdiction))
    years.add(draft.kind === 'year' ? draft.year.year : draft.year);
  if (!years.size) return WorkCalendar.bundled();
  const overrides = [...years]
    .sort((a, b) => a - b)
    .map((y) => withLocalDays(yearSource(snapshot, jurisdiction, y, draft)));
  return WorkCalendar.of(overrides);
}

/** Loads the snapshot: the jurisdiction tree, newest revisions, local days and grants. */
export async function loadSnapshot(db: Db, t: Database['t']): Promise<CalendarSnapshot> {
  const tree = await db
    .select({
      code: t.jurisdictions.code,
      parent: t.jurisdictions.parent,
      level: t.jurisdictions.level,
    })
    .from(t.jurisdictions);
  const yearRows = await db.select().from(t.calendarYears).orderBy(asc(t.calendarYears.revision));
  const localRows = await db
    .select()
    .from(t.calendarLocalDays)
    .orderBy(asc(t.calendarLocalDays.revision));
  const grants = await db
    .select({ jurisdiction: t.calendarLocalGrants.jurisdiction })
    .from(t.calendarLocalGrants);
  const years = new Map<string, Map<number, YearRow>>();
  for (const r of yearRows) {
    const byYear = years.get(r.jurisdiction) ?? new Map<number, YearRow>();
    byYear.set(r.year, r);
    years.set(r.jurisdiction, byYear);
  }
  const local = new Map<string, Map<number, LocalDaysRow>>();
  for (const r of localRows) {
    const byYear = local.get(r.jurisdiction) ?? new Map<number, LocalDaysRow>();
    byYear.set(r.year, r);
    local.set(r.jurisdiction, byYear);
  }
  return {
    parents: new Map(tree.map((j) => [j.code, j.parent])),
    levels: new Map(tree.map((j) => [j.code, j.level])),
    years,
    local,
    grants: new Set(grants.map((g) => g.jurisdiction)),
  };
}

/**
 * The effective calendars, cached. A store's own calendar or jurisdiction
 * writes clear the cache at once; on PostgreSQL another server's publish is
 * seen within `ttlMs` (a publish waits that long, and a margin, before
 * recomputing, so no deadline written with the old calendar escapes the recomputation).
 */
export class CalendarCache {
  private snapshot?: { at: number; data: CalendarSnapshot };
  private readonly calendars = new Map<string, WorkCalendar>();

  constructor(
    private readonly database: Database,
    readonly ttlMs: number = database.dialect === 'pg' ? 10_000 : Number.POSITIVE_INFINITY,
  ) {}

  private fresh(): CalendarSnapshot | undefined {
    const s = this.snapshot;
    if (!s || Date.now() - s.at > this.ttlMs) return undefined;
    return s.data;
  }

  /** The calendar of `jurisdiction` if known without I/O (the synchronous SQLite path). */
  cached(jurisdiction: string): WorkCalendar | undefined {
    const data = this.fresh();
    if (!data) return undefined;
    let calendar = this.calendars.get(jurisdiction);
    if (!calendar) {
      calendar = effectiveCalendar(data, jurisdiction);
      this.calendars.set(jurisdiction, calendar);
    }
    return calendar;
  }

  /** The snapshot, loaded through `db` (the caller's transaction, or a read) when stale. */
  async load(db: Db): Promise<CalendarSnapshot> {
    const data = this.fresh();
    if (data) return data;
    const loaded = await loadSnapshot(db, this.database.t);
    this.snapshot = { at: Date.now(), data: loaded };
    this.calendars.clear();
    return loaded;
  }

  async calendar(db: Db, jurisdiction: string): Promise<WorkCalendar> {
    await this.load(db);
    return this.cached(jurisdiction) as WorkCalendar;
  }

  invalidate(): void {
    this.snapshot = undefined;
    this.calendars.clear();
  }
}

// Recomputation -----------------------------------------------------------------

/** A due date that moved (or would move) on one case. */
export interface DueChange {
  kind: 'clock' | 'task' | 'timer';
  id: string;
  name?: LocalizedText;
  from: string;
  to: string;
}

/**
 * The due dates a `calendar.recompute` transition moved, from its events and
 * the state it started from, named as the engine's `previewRecompute` names
 * them (a moved wait by the timer it replaced), so a preview and the
 * publish after it list the same moves.
 */
export function dueChangesOf(events: readonly Event[], before: CaseState): DueChange[] {
  const out: DueChange[] = [];
  const cancelled = new Map<string, { id: string; due: string }>();
  for (const e of events) {
    if (e.type === 'clock.dueChanged') {
      out.push({ kind: 'clock', id: e.clockId, from: e.from, to: e.due });
    } else if (e.type === 'task.dueChanged' && e.reason === 'calendar') {
      const from = before.tasks.find((t) => t.id === e.taskId)?.due;
      if (from && from !== e.due) out.push({ kind: 'task', id: e.taskId, from, to: e.due });
    } else if (e.type === 'timer.cancelled') {
      const timer = before.timers.find((t) => t.id === e.timerId);
      if (timer?.purpose.kind === 'node') cancelled.set(timer.purpose.tokenId, timer);
    } else if (
      e.type === 'timer.set' &&
      e.reason === 'calendar' &&
      e.timer.purpose.kind === 'node'
    ) {
      const old = cancelled.get(e.timer.purpose.tokenId);
      if (old) out.push({ kind: 'timer', id: old.id, from: old.due, to: e.timer.due });
    }
  }
  return out;
}

const SHANGHAI_OFFSET_MS = 8 * 3_600_000;
/** `2027-03-02 24:00`-style local end of day, as people read a deadline. */
export function localDeadline(iso: string): string {
  const local = new Date(Date.parse(iso) + SHANGHAI_OFFSET_MS).toISOString();
  return `${local.slice(0, 10)} ${local.slice(11, 16)}`;
}

const KIND_NAMES = {
  clock: { 'zh-CN': '时限', en: 'time limit' },
  task: { 'zh-CN': '任务', en: 'task' },
  timer: { 'zh-CN': '定时', en: 'timer' },
} as const satisfies Record<DueChange['kind'], Bilingual>;

/** The notice the people responsible get when a due date moves. */
export function moveNotice(
  change: DueChange & { label?: LocalizedText },
  revision: { jurisdictionName: string; year: number; document?: string; local?: boolean },
): Bilingual {
  const what = change.label ?? KIND_NAMES[change.kind];
  const doc = revision.document ? `（${revision.document}）` : '';
  const docEn = revision.document ? ` (${revision.document})` : '';
  const cause = revision.local
    ? {
        zh: `${revision.jurisdictionName}调整${revision.year}年本地假日`,
        en: `${revision.jurisdictionName} changed its local days off in ${revision.year}`,
      }
    : {
        zh: `${revision.jurisdictionName}发布${revision.year}年节假日安排${doc}`,
        en: `the ${revision.year} holiday arrangement was published for ${revision.jurisdictionName}${docEn}`,
      };
  return {
    'zh-CN': `${cause.zh}，${what['zh-CN']}的期限由 ${localDeadline(change.from)} 调整为 ${localDeadline(change.to)}`,
    en: `${cause.en}: the due date of ${what.en ?? what['zh-CN']} moved from ${localDeadline(change.from)} to ${localDeadline(change.to)}`,
  };
}

/** Open cases whose jurisdiction takes `year` from `jurisdiction` (itself or below, no nearer override). */
export function inheritingJurisdictions(
  snapshot: CalendarSnapshot,
  jurisdiction: string,
  year: number,
  what: 'year' | 'local',
): string[] {
  const children = new Map<string, string[]>();
  for (const [code, parent] of snapshot.parents)
    if (parent) children.set(parent, [...(children.get(parent) ?? []), code]);
  const out: string[] = [];
  const stack = [jurisdiction];
  while (stack.length) {
    const code = stack.pop() as string;
    // A jurisdiction below that published the year itself is not affected by a year published above.
    if (what === 'year' && code !== jurisdiction && snapshot.years.get(code)?.has(year)) continue;
    out.push(code);
    stack.push(...(children.get(code) ?? []));
  }
  return out;
}
