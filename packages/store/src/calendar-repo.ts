import { randomUUID } from 'node:crypto';
import {
  type CalendarProblem,
  type CalendarYear,
  type CalendarYearStatus,
  type CaseState,
  previewRecompute,
  transition,
  validateCalendarYear,
  type WorkCalendar,
} from '@lianxin/engine';
import type { Bilingual, CheckedFlow, LocalizedText } from '@lianxin/spec';
import { and, asc, count, desc, eq, gt, inArray, isNull, max } from 'drizzle-orm';
import {
  CALENDAR_YEARS,
  type CalendarCache,
  type CalendarDraft,
  type CalendarSnapshot,
  chainOf,
  type DueChange,
  dueChangesOf,
  effectiveCalendar,
  inheritingJurisdictions,
  moveNotice,
  PUBLISHING_LEVELS,
  withLocalDays,
  yearSource,
} from './calendars';
import { type CaseWriter, type Clock, CommandRejected, StaleVersion, SYSTEM_ACTOR } from './cases';
import type { Database, Db } from './db';
import { StoreError } from './errors';

/** Cases recomputed between two progress reports (each in its own transaction). */
const BATCH = 100;
/** Preview lists at most this many moves; `moves` counts them all. */
const PREVIEW_LIMIT = 2000;
const RETRIES = 5;
/** Beyond the cache's lifetime, for a transition that read the old calendar to commit. */
const SETTLE_MARGIN_MS = 2_000;

export interface YearView {
  year: number;
  status: CalendarYearStatus;
  revision?: number;
  source?: { document: string; date: string };
  holidays: Record<string, string>;
  workdays: Record<string, string>;
  /** The jurisdiction whose published revision is in force, when not this one. */
  inheritedFrom?: string;
  /** Local days off in force (this jurisdiction's and its ancestors'), by jurisdiction. */
  localDays?: { jurisdiction: string; days: Record<string, string> }[];
  enteredAt?: string;
  enteredBy?: string | null;
  reason?: string | null;
  recompute?: { total: number; done: number; moved: number; finishedAt: string | null };
}

export interface PreviewChange extends DueChange {
  caseId: string;
  trackingCode: string;
}

export interface RecomputeProgress {
  total: number;
  done: number;
  moved: number;
}

export interface RecomputeOutcome {
  /** Open cases the calendar applies to, each run through `calendar.recompute`. */
  recomputed: number;
  /** Due dates that moved (clocks, tasks and timers together). */
  moved: number;
  /** Cases whose recomputation the engine refused (their flow no longer runs); left as they were. */
  skipped: number;
}

/** Where a person's change to the calendars is described: who, why. */
export interface CalendarAuthor {
  by: string | null;
  reason?: string | null;
  onProgress?: (progress: RecomputeProgress) => void;
}

/** What a recomputation follows: a published revision, or a jurisdiction's local days. */
type RecomputeTarget =
  | {
      kind: 'year';
      jurisdiction: string;
      year: number;
      revision: number;
      document?: string | undefined;
    }
  | { kind: 'local'; jurisdiction: string; year: number };

const problemText = (p: CalendarProblem) => ({
  zh: `${p.date ? `${p.date}：` : ''}${p.message['zh-CN']}`,
  en: `${p.date ? `${p.date}: ` : ''}${p.message.en}`,
});

/**
 * Calendars as data: publishing a year, local days off, previews and the
 * recomputation of open cases' deadlines (docs/calendars.md).
 */
export class Calendars {
  constructor(
    private readonly database: Database,
    private readonly clock: Clock,
    readonly cache: CalendarCache,
    private readonly writer: CaseWriter,
    private readonly definition: (tx: Db, flowId: string, version: number) => Promise<CheckedFlow>,
    /**
     * How long a publish waits before recomputing, so every server has
     * dropped its cached calendar and finished what it counted with it
     * (`CalendarCache.ttlMs` and a margin on PostgreSQL; tests with one
     * server set 0). The recomputation skips cases whose state as read it
     * would not change, which holds only once no old calendar is in use.
     */
    public settleMs: number = Number.isFinite(cache.ttlMs) ? cache.ttlMs + SETTLE_MARGIN_MS : 0,
  ) {}

  /** Revisions this server is recomputing now, and the progress last seen of the others. */
  private readonly running = new Set<string>();
  private readonly lastSeen = new Map<string, { done: number; atMs: number }>();

  private get t() {
    return this.database.t;
  }
  private nowIso() {
    return this.clock.now().toISOString();
  }

  snapshot(): Promise<CalendarSnapshot> {
    return this.database.read((db) => this.cache.load(db));
  }

  /** The effective calendar of a jurisdiction (cached). */
  calendarOf(jurisdiction: string): Promise<WorkCalendar> {
    return this.database.read((db) => this.cache.calendar(db, jurisdiction));
  }

  /** The years `from`…`to` as they hold in `jurisdiction`, and where each comes from. */
  async years(jurisdiction: string, from: number, to: number): Promise<YearView[]> {
    const snapshot = await this.snapshot();
    const out: YearView[] = [];
    for (let year = from; year <= to; year++) {
      const source = yearSource(snapshot, jurisdiction, year);
      // The days in force: the year with the local days off laid over it.
      const y: CalendarYear = withLocalDays(source);
      const view: YearView = {
        year,
        status: y.status,
        holidays: y.holidays,
        workdays: y.workdays,
        ...(y.source ? { source: y.source } : {}),
        ...(source.local.length ? { localDays: source.local } : {}),
      };
      if (source.from) {
        const r = source.from;
        view.revision = r.revision;
        if (r.jurisdiction !== jurisdiction) view.inheritedFrom = r.jurisdiction;
        view.enteredAt = r.enteredAt;
        view.enteredBy = r.enteredBy;
        view.reason = r.reason;
        view.recompute = {
          total: r.recomputeTotal,
          done: r.recomputeDone,
          moved: r.recomputeMoved,
          finishedAt: r.recomputedAt,
        };
      }
      out.push(view);
    }
    return out;
  }

  /** Every revision of a year published at `jurisdiction` or above, newest first. */
  revisions(jurisdiction: string, year: number) {
    return this.database.read(async (db) => {
      const chain = chainOf(await this.cache.load(db), jurisdiction);
      const k = this.t.calendarYears;
      return db
        .select()
        .from(k)
        .where(and(inArray(k.jurisdiction, chain), eq(k.year, year)))
        .orderBy(desc(k.revision));
    });
  }

  /** Whether `jurisdiction` may keep local days off (an admin above allowed it). */
  async localDaysAllowed(jurisdiction: string): Promise<boolean> {
    return (await this.snapshot()).grants.has(jurisdiction);
  }

  // Checks ----------------------------------------------------------------------

  /** What is wrong with publishing `year` at `jurisdiction` now: the engine's checks and the store's. */
  async problems(jurisdiction: string, year: CalendarYear): Promise<CalendarProblem[]> {
    const snapshot = await this.snapshot();
    const problems: CalendarProblem[] = [];
    const level = snapshot.levels.get(jurisdiction);
    if (!level) throw new StoreError('jurisdiction.notFound', { jurisdiction });
    if (!(PUBLISHING_LEVELS as readonly string[]).includes(level))
      problems.push({
        code: 'calendar.notPublisher',
        message: {
          'zh-CN': `节假日安排由省级（或全国）发布，${jurisdiction} 不是省级辖区`,
          en: `holiday arrangements are published by a province (or the nation); ${jurisdiction} is not one`,
        },
      });
    const until = Number(this.nowIso().slice(0, 4)) + CALENDAR_YEARS.aheadOfNow;
    if (!Number.isInteger(year.year) || year.year < CALENDAR_YEARS.from || year.year > until)
      problems.push({
        code: 'calendar.yearOutOfRange',
        message: {
          'zh-CN': `年份 ${year.year} 不在可发布的范围（${CALENDAR_YEARS.from}–${until} 年）`,
          en: `year ${year.year} is outside the years that can be published (${CALENDAR_YEARS.from}–${until})`,
        },
      });
    else problems.push(...validateCalendarYear({ ...year, status: 'official' }));
    const pending = await this.pending(jurisdiction);
    if (pending)
      problems.push({
        code: 'calendar.pending',
        message: {
          'zh-CN': `${pending.year} 年第 ${pending.revision} 版发布后的重算尚未完成（${pending.recomputeDone}/${pending.recomputeTotal}），请稍后再发布`,
          en: `open cases are still being recomputed after revision ${pending.revision} of ${pending.year} (${pending.recomputeDone}/${pending.recomputeTotal}); publish again once it is done`,
        },
      });
    const current = snapshot.years.get(jurisdiction)?.get(year.year);
    if (current) {
      const same =
        sameDays(current.holidays, year.holidays) && sameDays(current.workdays, year.workdays);
      if (same && (current.sourceDocument ?? '') === (year.source?.document ?? ''))
        problems.push({
          code: 'calendar.unchanged',
          message: {
            'zh-CN': `与已发布的 ${year.year} 年第 ${current.revision} 版相同，无需发布`,
            en: `it equals revision ${current.revision} of ${year.year} already published; nothing to publish`,
          },
        });
    }
    return problems;
  }

  /** A revision of this jurisdiction whose recomputation has not finished. */
  private async pending(jurisdiction: string) {
    return this.database.read(async (db) => {
      const k = this.t.calendarYears;
      const [row] = await db
        .select()
        .from(k)
        .where(and(eq(k.jurisdiction, jurisdiction), isNull(k.recomputedAt)))
        .limit(1);
      return row;
    });
  }

  // Preview -------------------------------------------------------------------------

  /**
   * The due dates that would move if `draft` were in force: each open case it
   * applies to, run through the engine's `previewRecompute` against the
   * calendar with the draft in place (nothing is written).
   */
  async preview(draft: CalendarDraft): Promise<{
    changes: PreviewChange[];
    moves: number;
    openCases: number;
  }> {
    const snapshot = await this.snapshot();
    const scope = this.scopeOf(snapshot, draft);
    const changes: PreviewChange[] = [];
    let moves = 0;
    let openCases = 0;
    const calendars = new Map<string, WorkCalendar>();
    await this.eachOpenCase(scope, async (rows) => {
      for (const row of rows) {
        openCases++;
        let calendar = calendars.get(row.jurisdiction);
        if (!calendar) {
          calendar = effectiveCalendar(snapshot, row.jurisdiction, draft);
          calendars.set(row.jurisdiction, calendar);
        }
        const definition = await this.database.read((db) =>
          this.definition(db, row.flowId, row.flowVersion),
        );
        const { changes: moved } = previewRecompute(definition, row.state, {
          now: this.nowIso(),
          newId: randomUUID,
          calendar,
        });
        moves += moved.length;
        for (const c of moved)
          if (changes.length < PREVIEW_LIMIT)
            changes.push({ caseId: row.id, trackingCode: row.trackingCode, ...c });
      }
    });
    return { changes, moves, openCases };
  }

  private scopeOf(snapshot: CalendarSnapshot, draft: CalendarDraft): string[] {
    const year = draft.kind === 'year' ? draft.year.year : draft.year;
    return inheritingJurisdictions(snapshot, draft.jurisdiction, year, draft.kind);
  }

  /** Open cases of `jurisdictions`, a page at a time by id. */
  private async eachOpenCase(
    jurisdictions: string[],
    fn: (
      rows: {
        id: string;
        trackingCode: string;
        jurisdiction: string;
        flowId: string;
        flowVersion: number;
        state: CaseState;
      }[],
    ) => Promise<void>,
  ): Promise<void> {
    const c = this.t.cases;
    let after = '';
    for (;;) {
      const rows = await this.database.read((db) =>
        db
          .select({
            id: c.id,
            trackingCode: c.trackingCode,
            jurisdiction: c.jurisdiction,
            flowId: c.flowId,
            flowVersion: c.flowVersion,
            state: c.state,
          })
          .from(c)
          .where(
            and(eq(c.status, 'active'), inArray(c.jurisdiction, jurisdictions), gt(c.id, after)),
          )
          .orderBy(asc(c.id))
          .limit(BATCH),
      );
      if (!rows.length) return;
      await fn(rows);
      after = (rows.at(-1) as { id: string }).id;
    }
  }

  private async countOpen(db: Db, jurisdictions: string[]): Promise<number> {
    const c = this.t.cases;
    const [r] = await db
      .select({ n: count() })
      .from(c)
      .where(and(eq(c.status, 'active'), inArray(c.jurisdiction, jurisdictions)));
    return Number(r?.n ?? 0);
  }

  // Publishing ----------------------------------------------------------------------

  /**
   * Publishes `year` at `jurisdiction` (a province, or the nation) as a new
   * revision, refused whole with its problems when it has any; then every
   * open case that takes the year from here is recomputed through the
   * engine, one transaction per case, and the people responsible for each
   * moved deadline are notified.
   */
  async publish(
    jurisdiction: string,
    year: CalendarYear,
    author: CalendarAuthor,
  ): Promise<{ revision: number } & RecomputeOutcome> {
    const problems = await this.problems(jurisdiction, year);
    const previous = (await this.snapshot()).years.get(jurisdiction)?.get(year.year);
    if (previous && !author.reason?.trim())
      problems.push({
        code: 'calendar.reasonRequired',
        message: {
          'zh-CN': `${year.year} 年已发布第 ${previous.revision} 版，更正须写明原因`,
          en: `revision ${previous.revision} of ${year.year} is already published; a correction needs a reason`,
        },
      });
    if (problems.length) throw invalid(year.year, problems);
    const k = this.t.calendarYears;
    const scope = inheritingJurisdictions(await this.snapshot(), jurisdiction, year.year, 'year');
    const revision = await this.database
      .tx(async (tx) => {
        const [top] = await tx
          .select({ revision: max(k.revision) })
          .from(k)
          .where(and(eq(k.jurisdiction, jurisdiction), eq(k.year, year.year)));
        const next = Number(top?.revision ?? 0) + 1;
        await tx.insert(k).values({
          jurisdiction,
          year: year.year,
          revision: next,
          status: 'official',
          holidays: sorted(year.holidays),
          workdays: sorted(year.workdays),
          sourceDocument: year.source?.document ?? null,
          sourceDate: year.source?.date ?? null,
          enteredBy: author.by,
          enteredAt: this.nowIso(),
          reason: author.reason?.trim() || null,
          recomputeTotal: await this.countOpen(tx, scope),
        });
        return next;
      })
      .catch((error) => {
        // Two admins publishing the same year at once: one revision wins, the other is told.
        if (isConflict(error)) throw new StoreError('calendar.concurrent', { year: year.year });
        throw error;
      })
      .finally(() => this.cache.invalidate());
    const outcome = await this.recompute(scope, author, {
      kind: 'year',
      jurisdiction,
      year: year.year,
      revision,
      document: year.source?.document,
    });
    return { revision, ...outcome };
  }

  /**
   * Finishes recomputations a server stopped in the middle of (the
   * scheduler calls this every minute): a revision still open whose progress
   * has not moved between two looks at least `staleMs` apart, and that this
   * server is not running itself, is recomputed again from the start, which
   * moves nothing already moved. A running recomputation records progress
   * after every batch, so it is never taken for a stopped one.
   */
  async resumeUnfinished(staleMs = 120_000): Promise<number> {
    const k = this.t.calendarYears;
    const rows = await this.database.read((db) =>
      db.select().from(k).where(isNull(k.recomputedAt)),
    );
    const nowMs = this.clock.now().getTime();
    const open = new Set<string>();
    let resumed = 0;
    for (const row of rows) {
      const key = `${row.jurisdiction}|${row.year}|${row.revision}`;
      open.add(key);
      if (this.running.has(key)) continue;
      const seen = this.lastSeen.get(key);
      if (!seen || seen.done !== row.recomputeDone) {
        this.lastSeen.set(key, { done: row.recomputeDone, atMs: nowMs });
        continue;
      }
      if (nowMs - seen.atMs < staleMs) continue;
      this.lastSeen.delete(key);
      const snapshot = await this.snapshot();
      const scope = inheritingJurisdictions(snapshot, row.jurisdiction, row.year, 'year');
      await this.recompute(
        scope,
        { by: row.enteredBy },
        {
          kind: 'year',
          jurisdiction: row.jurisdiction,
          year: row.year,
          revision: row.revision,
          document: row.sourceDocument ?? undefined,
        },
      );
      resumed++;
    }
    for (const key of this.lastSeen.keys()) if (!open.has(key)) this.lastSeen.delete(key);
    return resumed;
  }

  // Local days off ------------------------------------------------------------------------

  /** Allows (or withdraws) local days off for `jurisdiction`; an admin above decides. */
  async allowLocalDays(
    jurisdiction: string,
    allowed: boolean,
    by: string | null,
    note?: string,
  ): Promise<RecomputeOutcome> {
    const g = this.t.calendarLocalGrants;
    const snapshot = await this.snapshot();
    if (!snapshot.levels.has(jurisdiction))
      throw new StoreError('jurisdiction.notFound', { jurisdiction });
    const had = snapshot.grants.has(jurisdiction);
    if (had === allowed) return { recomputed: 0, moved: 0, skipped: 0 };
    await this.database
      .tx(async (tx) => {
        if (allowed)
          await tx
            .insert(g)
            .values({ jurisdiction, grantedBy: by, grantedAt: this.nowIso(), note: note ?? null })
            .onConflictDoNothing();
        else await tx.delete(g).where(eq(g.jurisdiction, jurisdiction));
      })
      .finally(() => this.cache.invalidate());
    // Withdrawing a grant takes its days out of the calendars below: their deadlines move back.
    const years = [...(snapshot.local.get(jurisdiction)?.keys() ?? [])];
    if (!years.length) return { recomputed: 0, moved: 0, skipped: 0 };
    const scope = inheritingJurisdictions(snapshot, jurisdiction, 0, 'local');
    return this.recompute(scope, { by }, { kind: 'local', jurisdiction, year: years[0] as number });
  }

  /**
   * Sets a jurisdiction's local days off for `year` (a new revision) where an
   * admin above allowed it, then recomputes the open cases there and below.
   */
  async setLocalDays(
    jurisdiction: string,
    year: number,
    days: Record<string, string>,
    author: CalendarAuthor,
  ): Promise<{ revision: number } & RecomputeOutcome> {
    const snapshot = await this.snapshot();
    if (!snapshot.levels.has(jurisdiction))
      throw new StoreError('jurisdiction.notFound', { jurisdiction });
    if (!snapshot.grants.has(jurisdiction))
      throw new StoreError('calendar.localNotAllowed', { jurisdiction });
    const problems = localDayProblems(year, days);
    if (problems.length) throw invalid(year, problems);
    const k = this.t.calendarLocalDays;
    const revision = await this.database
      .tx(async (tx) => {
        const [top] = await tx
          .select({ revision: max(k.revision) })
          .from(k)
          .where(and(eq(k.jurisdiction, jurisdiction), eq(k.year, year)));
        const next = Number(top?.revision ?? 0) + 1;
        await tx.insert(k).values({
          jurisdiction,
          year,
          revision: next,
          days: sorted(days),
          enteredBy: author.by,
          enteredAt: this.nowIso(),
          reason: author.reason?.trim() || null,
        });
        return next;
      })
      .catch((error) => {
        if (isConflict(error)) throw new StoreError('calendar.concurrent', { year });
        throw error;
      })
      .finally(() => this.cache.invalidate());
    const scope = inheritingJurisdictions(snapshot, jurisdiction, year, 'local');
    const outcome = await this.recompute(scope, author, { kind: 'local', jurisdiction, year });
    return { revision, ...outcome };
  }

  // Coverage ----------------------------------------------------------------------------

  /** This year's and next year's status in `jurisdiction`, and open cases on a provisional year in `scope`. */
  async coverage(jurisdiction: string, scope: string[]) {
    const snapshot = await this.snapshot();
    const thisYear = Number(shanghaiToday(this.clock.now().getTime()).slice(0, 4));
    const years = [thisYear, thisYear + 1].map((year) => {
      const source = yearSource(snapshot, jurisdiction, year);
      return {
        year,
        status: source.base.status,
        ...(source.from ? { revision: source.from.revision } : {}),
        ...(source.from && source.from.jurisdiction !== jurisdiction
          ? { inheritedFrom: source.from.jurisdiction }
          : {}),
        ...(source.base.source ? { source: source.base.source } : {}),
      };
    });
    const c = this.t.cases;
    const [r] = await this.database.read((db) =>
      db
        .select({ n: count() })
        .from(c)
        .where(
          and(
            eq(c.provisional, true),
            eq(c.status, 'active'),
            inArray(c.jurisdiction, scope.length ? scope : ['']),
          ),
        ),
    );
    return { years, provisionalCases: Number(r?.n ?? 0) };
  }

  // Recomputation -----------------------------------------------------------------------

  /**
   * Runs `calendar.recompute` on every open case of `scope`, each in its own
   * transaction with the notices of what moved, reporting progress after
   * each batch (on the revision row too, for a published year).
   */
  private async recompute(
    scope: string[],
    author: CalendarAuthor,
    what: RecomputeTarget,
  ): Promise<RecomputeOutcome> {
    const key = what.kind === 'year' ? `${what.jurisdiction}|${what.year}|${what.revision}` : '';
    if (key) this.running.add(key);
    try {
      return await this.recomputeScope(scope, author, what);
    } finally {
      if (key) this.running.delete(key);
    }
  }

  private async recomputeScope(
    scope: string[],
    author: CalendarAuthor,
    what: RecomputeTarget,
  ): Promise<RecomputeOutcome> {
    if (this.settleMs > 0) await new Promise((r) => setTimeout(r, this.settleMs));
    this.cache.invalidate();
    const total = await this.database.read((db) => this.countOpen(db, scope));
    const name = await this.jurisdictionName(what.jurisdiction);
    const progress: RecomputeProgress = { total, done: 0, moved: 0 };
    let skipped = 0;
    const k = this.t.calendarYears;
    const record = async (finished: boolean) => {
      author.onProgress?.({ ...progress });
      if (what.kind !== 'year') return;
      await this.database.tx(async (tx) => {
        await tx
          .update(k)
          .set({
            recomputeTotal: Math.max(progress.total, progress.done),
            recomputeDone: progress.done,
            recomputeMoved: progress.moved,
            ...(finished ? { recomputedAt: this.nowIso() } : {}),
          })
          .where(
            and(
              eq(k.jurisdiction, what.jurisdiction),
              eq(k.year, what.year),
              eq(k.revision, what.revision),
            ),
          );
      });
    };
    const one = async (row: {
      id: string;
      jurisdiction: string;
      flowId: string;
      flowVersion: number;
      state: CaseState;
    }) => {
      try {
        // Most open cases of a province have no deadline in the year: a dry run on the row as
        // read skips them without a write. A command racing it is counted on the new calendar
        // already (the cache was dropped), so a case skipped here cannot miss the change.
        if (!(await this.wouldChange(row))) {
          progress.done++;
          return;
        }
        const moved = await this.recomputeCase(row.id, {
          jurisdictionName: name,
          year: what.year,
          ...(what.kind === 'year' && what.document ? { document: what.document } : {}),
          local: what.kind === 'local',
        });
        progress.moved += moved;
      } catch (error) {
        if (!(error instanceof CommandRejected) && !(error instanceof StoreError)) throw error;
        skipped++;
      }
      progress.done++;
    };
    await this.eachOpenCase(scope, async (rows) => {
      for (const row of rows) await one(row);
      await record(false);
    });
    await record(true);
    return { recomputed: progress.done, moved: progress.moved, skipped };
  }

  /** Whether `calendar.recompute` would record anything on the case as read (nothing written). */
  private async wouldChange(row: {
    jurisdiction: string;
    flowId: string;
    flowVersion: number;
    state: CaseState;
  }): Promise<boolean> {
    const { definition, calendar } = await this.database.read(async (db) => ({
      definition: await this.definition(db, row.flowId, row.flowVersion),
      calendar: await this.cache.calendar(db, row.jurisdiction),
    }));
    const result = transition(
      definition,
      row.state,
      { type: 'calendar.recompute', actor: SYSTEM_ACTOR },
      { now: this.nowIso(), newId: randomUUID, calendar },
    );
    return !result.ok || result.events.length > 0;
  }

  /** One case: the engine's `calendar.recompute`, and a notice per moved due date; returns how many moved. */
  private async recomputeCase(
    caseId: string,
    notice: { jurisdictionName: string; year: number; document?: string; local: boolean },
  ): Promise<number> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.database.tx(async (tx) => {
          const outcome = await this.writer.act(tx, caseId, {
            type: 'calendar.recompute',
            actor: SYSTEM_ACTOR,
          });
          const changes = dueChangesOf(outcome.events, outcome.before ?? outcome.state);
          // The engine tells a moved task's assignees and a moved clock's task holders; the
          // case's 包案 leader hears of a moved statutory clock or wait from here, with the
          // arrangement that moved it.
          const leader = outcome.state.leaderOwner;
          for (const change of changes) {
            if (!leader || change.kind === 'task') continue;
            await tx.insert(this.t.notifications).values({
              id: randomUUID(),
              caseId,
              recipient: { kind: 'leaderOwner' },
              message: moveNotice({ ...change, ...labelOf(outcome.state, change) }, notice),
              taskId: null,
              createdAt: outcome.state.updatedAt,
            });
          }
          return changes.length;
        });
      } catch (error) {
        if (!(error instanceof StaleVersion) || attempt >= RETRIES) throw error;
      }
    }
  }

  private async jurisdictionName(code: string): Promise<string> {
    const [row] = await this.database.read((db) =>
      db
        .select({ name: this.t.jurisdictions.name })
        .from(this.t.jurisdictions)
        .where(eq(this.t.jurisdictions.code, code)),
    );
    return row?.name['zh-CN'] ?? code;
  }
}

/** The name of what a change moved, from the case state (a task's or clock's own name). */
function labelOf(state: CaseState, change: DueChange): { label?: LocalizedText } {
  if (change.kind === 'clock') {
    const clock = state.clocks[change.id];
    if (clock) return { label: bilingual(clock.name) };
  }
  if (change.kind === 'task') {
    const task = state.tasks.find((t) => t.id === change.id);
    if (task?.name) return { label: bilingual(task.name) };
  }
  if (change.name) return { label: change.name };
  return {};
}

function bilingual(text: unknown): Bilingual | undefined {
  if (typeof text === 'string') return { 'zh-CN': text, en: text };
  if (text && typeof text === 'object' && 'zh-CN' in text) return text as Bilingual;
  return undefined;
}

/** Local days off: dates of that year, named, at most 31. */
export function localDayProblems(year: number, days: Record<string, string>): CalendarProblem[] {
  const out: CalendarProblem[] = [];
  const entries = Object.entries(days);
  if (entries.length > 31)
    out.push({
      code: 'calendar.localTooMany',
      message: {
        'zh-CN': `本地假日最多 31 天（收到 ${entries.length} 天）`,
        en: `at most 31 local days off (got ${entries.length})`,
      },
    });
  for (const [date, name] of entries) {
    const valid =
      /^\d{4}-\d{2}-\d{2}$/.test(date) &&
      new Date(`${date}T00:00:00Z`).toISOString().slice(0, 10) === date;
    if (!valid || Number(date.slice(0, 4)) !== year)
      out.push({
        code: 'calendar.localDate',
        date,
        message: {
          'zh-CN': `${date} 不是 ${year} 年的有效日期`,
          en: `${date} is not a valid date of ${year}`,
        },
      });
    if (!name.trim() || name.length > 30)
      out.push({
        code: 'calendar.localName',
        date,
        message: {
          'zh-CN': '本地假日须有名称（不超过 30 个字）',
          en: 'a local day off needs a name (at most 30 characters)',
        },
      });
  }
  return out;
}

function invalid(year: number, problems: CalendarProblem[]): StoreError {
  const first = problems[0] as CalendarProblem;
  const text = problemText(first);
  return new StoreError(
    'calendar.invalid',
    { year, count: problems.length, first: text.zh, firstEn: text.en },
    problems,
  );
}

function sorted(days: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(days).sort(([a], [b]) => (a < b ? -1 : 1)));
}

function sameDays(a: Record<string, string>, b: Record<string, string>): boolean {
  const ka = Object.keys(a).sort();
  const kb = Object.keys(b).sort();
  return ka.length === kb.length && ka.every((d, i) => d === kb[i] && a[d] === b[d]);
}

function isConflict(error: unknown): boolean {
  const e = error as { code?: string; cause?: { code?: string } } | null;
  const code = e?.code ?? e?.cause?.code;
  return (
    code === '23505' ||
    code === 'SQLITE_CONSTRAINT_PRIMARYKEY' ||
    code === 'SQLITE_CONSTRAINT_UNIQUE'
  );
}

const SHANGHAI_OFFSET_MS = 8 * 3_600_000;
function shanghaiToday(ms: number): string {
  return new Date(ms + SHANGHAI_OFFSET_MS).toISOString().slice(0, 10);
}
