import { randomBytes, randomUUID } from 'node:crypto';
import {
  type Actor,
  type CaseNotes,
  type CaseState,
  type Command,
  type Effect,
  type Event,
  initialState,
  type Rejection,
  taskRowValues,
  transition,
  type WorkCalendar,
} from '@lianxin/engine';
import type { CheckedFlow, SensitiveKind } from '@lianxin/spec';
import { and, asc, eq } from 'drizzle-orm';
import { CalendarCache } from './calendars';
import { complaintFields } from './case-title';
import type { Database, Db } from './db';
import { type DocumentIssuer, documentsIssued } from './documents';
import { StoreError } from './errors';
import { countStart, countsClosed, countTransition, kpiColumnsChanged } from './kpi-counters';
import { type PgCaseCore, PgWrites } from './pg-writes';
import { searchTokens } from './search';
import { SqliteWrites } from './sqlite-writes';
import { returnVisitScore } from './stats';
import { saveSupervision } from './supervision';

/** A command the engine refused; `rejection` carries the code and bilingual message. */
export class CommandRejected extends Error {
  constructor(readonly rejection: Rejection) {
    super(rejection.message.en);
    this.name = 'CommandRejected';
  }
}

/** Another writer changed the case between read and write. */
export class StaleVersion extends Error {
  constructor(
    readonly caseId: string,
    readonly expected: number,
  ) {
    super(`case ${caseId} changed since version ${expected}`);
    this.name = 'StaleVersion';
  }
}

export interface Clock {
  now(): Date;
  /**
   * Ids for what the engine creates (cases, tasks, timers, tokens); default
   * random UUIDs. The differential test injects the simulator's counter, so
   * both paths make the same ids.
   */
  newId?(): string;
}
export const systemClock: Clock = { now: () => new Date() };

export interface ActOutcome {
  caseId: string;
  /** The state the command was judged against (the transaction path only). */
  before?: CaseState;
  state: CaseState;
  events: Event[];
  effects: Effect[];
}

type CaseRow = Database['t']['cases']['$inferSelect'];
/** What a transition needs of the case row. */
export type CaseCore = Pick<
  CaseRow,
  'id' | 'flowId' | 'flowVersion' | 'state' | 'parentCaseId' | 'parentChildId'
>;

/** Crockford base32 without I, L, O, U: read aloud and typed by citizens. */
const TRACKING_ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
export function newTrackingCode(): string {
  const bytes = randomBytes(10);
  let code = '';
  for (const b of bytes) code += TRACKING_ALPHABET[b % 32];
  return code;
}

/**
 * A row's state without the comments and attachments it held before they left
 * the state (issue 18): migration 0018 took them out of every row but those of
 * archived cases, whose digest was taken with them; restoring such a case
 * writes its state back without them.
 */
export function withoutLegacyNotes(state: CaseState): CaseState {
  if (!('comments' in state) && !('attachments' in state)) return state;
  const { comments: _c, attachments: _a, ...rest } = state as CaseState & Partial<CaseNotes>;
  return rest;
}

/** The case row's searchable columns, all derived from the engine state. */
export function caseColumns(state: CaseState) {
  const category = state.data.category;
  return {
    jurisdiction: state.jurisdiction,
    receivedJurisdiction: state.receivedJurisdiction,
    flowKey: state.flow.key,
    flowVersion: state.flow.version,
    status: state.status,
    outcome: state.outcome ?? null,
    urgency: state.urgency ?? null,
    channel: state.channel,
    category: typeof category === 'string' ? category : null,
    repeat: state.repeat,
    overdue:
      state.tasks.some((t) => t.dueState === 'overdue') ||
      Object.values(state.clocks).some((c) => c.overdue && c.status !== 'stopped'),
    late: state.late === true,
    visitSatisfaction: returnVisitScore(state.data.satisfaction),
    leaderOwner: state.leaderOwner ?? null,
    firstHandler: state.firstHandler ?? null,
    data: state.data,
    state,
    version: state.version,
    updatedAt: state.updatedAt,
    closedAt: state.closedAt ?? null,
    closedAtMs: state.closedAt ? Date.parse(state.closedAt) : null,
    provisional: state.status === 'active' && state.flags.some((f) => provisionalOpen(state, f)),
    searchText: searchTokens(state.data),
    awaitingApproval: state.status === 'active' && Object.keys(state.extensionRequests).length > 0,
  };
}

/**
 * A deadline still open (a running or paused clock, an open task, a pending
 * timer) counted over a year not yet officially published: provisional, or
 * beyond the data before calendars were versioned.
 */
function provisionalOpen(state: CaseState, flag: CaseState['flags'][number]): boolean {
  const { kind, id } = flag.subject;
  if (kind === 'clock') {
    const clock = state.clocks[id];
    if (!clock || (clock.status !== 'running' && clock.status !== 'paused')) return false;
  } else if (kind === 'task') {
    if (!state.tasks.some((t) => t.id === id)) return false;
  } else if (!state.timers.some((t) => t.id === id)) return false;
  return flag.code === 'calendar.provisional' || flag.code === 'calendar.beyondCoverage';
}

export interface DefinitionSource {
  definition(tx: Db, flowId: string, version: number): Promise<CheckedFlow>;
  /** A definition already loaded, without I/O (for the synchronous SQLite path). */
  cached(flowId: string, version: number): CheckedFlow | undefined;
  /** The flow a subflow node calls, looked up from the calling case's jurisdiction. */
  resolveSubflow(
    tx: Db,
    jurisdiction: string,
    ref: { key: string; version?: number },
  ): Promise<{ flowId: string; version: number }>;
}

export interface StartInput {
  flowId: string;
  version: number;
  command: Extract<Command, { type: 'case.start' }>;
  petitionerId?: string | null;
  trackingCode?: string;
  parent?: { caseId: string; childId: string };
}

const MAX_DEPTH = 8;

/**
 * Applies engine transitions: events, case row, tasks, timers, notifications
 * and child cases are written in the caller's transaction.
 */
export class CaseWriter {
  /**
   * Seals sensitive form values before the engine writes them into events
   * (the store sets it from its key); the engine never opens them.
   */
  seal?: (kind: SensitiveKind, plain: string) => string;
  /**
   * Issues the statutory documents a transition's edges declare, in its
   * transaction (the store sets it); on PostgreSQL such transitions take the
   * transaction path, on SQLite they stay synchronous (`issueSync`).
   */
  documents?: DocumentIssuer;
  private readonly fast: SqliteWrites | undefined;
  private readonly pgFast: PgWrites | undefined;

  constructor(
    private readonly database: Database,
    private readonly defs: DefinitionSource,
    private readonly clock: Clock,
    /** The effective working-day calendar of each jurisdiction (calendars.ts). */
    readonly calendars: CalendarCache = new CalendarCache(database),
  ) {
    this.fast = database.sqlite ? new SqliteWrites(database.sqlite) : undefined;
    this.pgFast = database.dialect === 'pg' ? new PgWrites(database.db, database.t) : undefined;
  }

  /**
   * PostgreSQL only: the row a command starts from, with its jurisdiction for
   * the permission check (pass it to `actOptimistic` as `base`). `false`: not PostgreSQL.
   */
  async commandBase(caseId: string): Promise<PgCaseCore | undefined | false> {
    return this.pgFast ? this.pgFast.core(caseId) : false;
  }

  /**
   * SQLite only, and only between transactions: the jurisdiction read
   * synchronously, without queueing behind the connection's lock (which would
   * keep the synchronous transition path from running). `false`: use `jurisdiction`.
   */
  jurisdictionNow(caseId: string): { id: string; jurisdiction: string } | undefined | false {
    if (!this.fast || this.database.sqlite?.inTransaction) return false;
    return this.fast.jurisdiction(caseId);
  }

  /** A case's jurisdiction only, for permission checks before a command. */
  async jurisdiction(
    tx: Db,
    caseId: string,
  ): Promise<{ id: string; jurisdiction: string } | undefined> {
    if (this.fast) return this.fast.jurisdiction(caseId);
    const { t } = this.database;
    const [row] = await tx
      .select({ id: t.cases.id, jurisdiction: t.cases.jurisdiction })
      .from(t.cases)
      .where(eq(t.cases.id, caseId));
    return row;
  }

  private async core(tx: Db, caseId: string): Promise<CaseCore | undefined> {
    if (this.fast) return this.fast.core(caseId);
    const { t } = this.database;
    let query = tx
      .select({
        id: t.cases.id,
        flowId: t.cases.flowId,
        flowVersion: t.cases.flowVersion,
        state: t.cases.state,
        parentCaseId: t.cases.parentCaseId,
        parentChildId: t.cases.parentChildId,
      })
      .from(t.cases)
      .where(eq(t.cases.id, caseId));
    // On PostgreSQL writers of one case queue on the row lock instead of failing
    // the version check; the check stays as the guard for every other path.
    if (this.database.dialect === 'pg') query = query.for('update') as typeof query;
    const [row] = await query;
    return row;
  }

  /** What the engine is given: the time, ids and the case's jurisdiction's calendar. */
  private env(calendar: WorkCalendar) {
    return {
      now: this.clock.now().toISOString(),
      newId: this.clock.newId?.bind(this.clock) ?? randomUUID,
      ...(this.seal ? { seal: this.seal } : {}),
      calendar,
    };
  }

  async start(
    tx: Db,
    input: StartInput,
    depth = 0,
  ): Promise<ActOutcome & { trackingCode: string }> {
    const { t } = this.database;
    // A subflow that calls itself (directly or round a loop) would otherwise recurse without end.
    if (depth > MAX_DEPTH) {
      throw new StoreError('case.tooDeep', { caseId: input.parent?.caseId ?? '' });
    }
    const definition = await this.defs.definition(tx, input.flowId, input.version);
    const calendar = await this.calendars.calendar(
      tx,
      input.command.jurisdiction ?? definition.jurisdiction,
    );
    const result = transition(definition, initialState(), input.command, this.env(calendar));
    if (!result.ok) throw new CommandRejected(result.rejection);
    const state = result.state;
    const trackingCode = input.trackingCode ?? newTrackingCode();
    const columns = caseColumns(state);
    await tx.insert(t.cases).values({
      id: state.caseId,
      flowId: input.flowId,
      trackingCode,
      petitionerId: input.petitionerId ?? null,
      parentCaseId: input.parent?.caseId ?? null,
      parentChildId: input.parent?.childId ?? null,
      createdAt: state.createdAt,
      createdAtMs: Date.parse(state.createdAt),
      ...columns,
    });
    await countStart(this.database, tx, state.caseId, {
      ...columns,
      createdAtMs: Date.parse(state.createdAt),
      petitionerId: input.petitionerId ?? null,
    });
    await this.appendEvents(tx, state.caseId, 0, result.events);
    await this.applyEffects(tx, state, result.effects, depth);
    await this.issueDocuments(tx, state.caseId, definition, state, result.events);
    // A child that closes as it starts (start → end) reports back now, as one closing later does.
    if (input.parent && state.status !== 'active') {
      await this.completeParent(tx, input.parent.caseId, input.parent.childId, state, depth);
    }
    return {
      caseId: state.caseId,
      state,
      events: result.events,
      effects: result.effects,
      trackingCode,
    };
  }

  /**
   * SQLite only: the whole transition synchronously, inside the caller's
   * better-sqlite3 transaction, so no other request interleaves while the
   * write lock is held. Returns undefined (having written nothing) when the
   * transition needs the async path: an uncached definition, child cases, or
   * a parent to report to.
   */
  actSync(caseId: string, command: Command): ActOutcome | undefined {
    const fast = this.fast;
    if (!fast) return undefined;
    const row = fast.core(caseId);
    if (!row) throw new StoreError('case.notFound', { caseId });
    const definition = this.defs.cached(row.flowId, row.flowVersion);
    const calendar = this.calendars.cached(row.state.jurisdiction);
    if (!definition || !calendar) return undefined;
    const before = row.state;
    const result = transition(definition, before, command, this.env(calendar));
    if (!result.ok) throw new CommandRejected(result.rejection);
    const state = result.state;
    const closing = state.status !== 'active' && before.status === 'active';
    if (
      !SqliteWrites.handles(result.effects) ||
      (closing && row.parentCaseId && row.parentChildId)
    ) {
      return undefined;
    }
    const [next, prev] = [caseColumns(state), caseColumns(before)];
    if (!fast.updateCase(row.id, before.version, next, prev)) {
      throw new StaleVersion(row.id, before.version);
    }
    fast.countTransition(row.id, prev, next);
    fast.appendEvents(row.id, before.version, result.events);
    fast.applyEffects(state, result.effects, before);
    const issued = this.documents ? documentsIssued(definition, result.events) : [];
    if (issued.length && this.database.sqlite) {
      this.documents?.issueSync(this.database.sqlite, {
        caseId: row.id,
        state,
        issued,
        by: result.events.find((e) => e.by)?.by,
        fields: complaintFields(definition),
      });
    }
    return { caseId: row.id, state, events: result.events, effects: result.effects };
  }

  /**
   * PostgreSQL only: the transition from one read of the row (or `base`, the
   * row as the caller just read it) written in one statement if the row is
   * still at that version (`pg-writes.ts`). Returns undefined, having written
   * nothing, when it has moved on or the transition needs the transaction
   * path (child cases, a parent to report to): then use `act` in a transaction.
   */
  async actOptimistic(
    caseId: string,
    command: Command,
    base?: PgCaseCore,
  ): Promise<ActOutcome | undefined> {
    const fast = this.pgFast;
    if (!fast) return undefined;
    const row = base ?? (await fast.core(caseId));
    if (!row) throw new StoreError('case.notFound', { caseId });
    const definition = await this.defs.definition(this.database.db, row.flowId, row.flowVersion);
    const before = row.state;
    const calendar = await this.calendars.calendar(this.database.db, before.jurisdiction);
    const result = transition(definition, before, command, this.env(calendar));
    if (!result.ok) throw new CommandRejected(result.rejection);
    const state = result.state;
    const closing = state.status !== 'active' && before.status === 'active';
    if (
      this.issuesDocuments(definition, result.events) ||
      !PgWrites.handles(result.effects) ||
      (closing && row.parentCaseId && row.parentChildId)
    ) {
      return undefined;
    }
    const columns = { next: caseColumns(state), prev: caseColumns(before) };
    // A case closing (or changed once closed) counts with its rating and repeats, read under the row lock.
    if (
      kpiColumnsChanged(columns.prev, columns.next) &&
      (countsClosed(columns.prev) || countsClosed(columns.next))
    ) {
      return undefined;
    }
    const written = await fast.write(before, state, columns, result.events, result.effects);
    if (!written) return undefined;
    return { caseId: row.id, state, events: result.events, effects: result.effects };
  }

  async act(tx: Db, caseId: string, command: Command, depth = 0): Promise<ActOutcome> {
    const row = await this.core(tx, caseId);
    if (!row) throw new StoreError('case.notFound', { caseId });
    return this.actOnRow(tx, row, command, depth);
  }

  private async actOnRow(tx: Db, row: CaseCore, command: Command, depth: number) {
    const { t } = this.database;
    if (depth > MAX_DEPTH) throw new StoreError('case.tooDeep', { caseId: row.id });
    const definition = await this.defs.definition(tx, row.flowId, row.flowVersion);
    const before = row.state;
    const calendar = await this.calendars.calendar(tx, before.jurisdiction);
    const result = transition(definition, before, command, this.env(calendar));
    if (!result.ok) throw new CommandRejected(result.rejection);
    const state = result.state;
    // Optimistic concurrency: only the writer that saw this version wins.
    const columns = caseColumns(state);
    const written = this.fast
      ? this.fast.updateCase(row.id, before.version, columns)
      : (
          await tx
            .update(t.cases)
            .set(columns)
            .where(and(eq(t.cases.id, row.id), eq(t.cases.version, before.version)))
            .returning({ id: t.cases.id })
        ).length === 1;
    if (!written) throw new StaleVersion(row.id, before.version);
    await countTransition(tx, t, row.id, caseColumns(before), columns);
    await this.appendEvents(tx, row.id, before.version, result.events);
    await this.applyEffects(tx, state, result.effects, depth);
    await this.issueDocuments(tx, row.id, definition, state, result.events);
    if (
      state.status !== 'active' &&
      before.status === 'active' &&
      row.parentCaseId &&
      row.parentChildId
    ) {
      await this.completeParent(tx, row.parentCaseId, row.parentChildId, state, depth);
    }
    return { caseId: row.id, before, state, events: result.events, effects: result.effects };
  }

  private async completeParent(
    tx: Db,
    parentId: string,
    childId: string,
    child: CaseState,
    depth: number,
  ): Promise<void> {
    const parent = await this.core(tx, parentId);
    if (parent?.state.status !== 'active' || !parent.state.children.some((c) => c.id === childId))
      return;
    await this.actOnRow(
      tx,
      parent,
      {
        type: 'child.complete',
        childId,
        outcome: child.outcome ?? 'withdrawn',
        data: child.data,
      },
      depth + 1,
    );
  }

  private issuesDocuments(definition: CheckedFlow, events: Event[]): boolean {
    return this.documents !== undefined && documentsIssued(definition, events).length > 0;
  }

  private async issueDocuments(
    tx: Db,
    caseId: string,
    definition: CheckedFlow,
    state: CaseState,
    events: Event[],
  ): Promise<void> {
    if (!this.documents) return;
    const issued = documentsIssued(definition, events);
    if (!issued.length) return;
    await this.documents.issue(tx, {
      caseId,
      state,
      issued,
      by: events.find((e) => e.by)?.by,
      fields: complaintFields(definition),
    });
  }

  private async appendEvents(tx: Db, caseId: string, fromVersion: number, events: Event[]) {
    if (!events.length) return;
    if (this.fast) {
      this.fast.appendEvents(caseId, fromVersion, events);
      return;
    }
    const { t } = this.database;
    await tx.insert(t.events).values(
      events.map((e, i) => ({
        caseId,
        seq: fromVersion + i + 1,
        type: e.type,
        at: e.at,
        by: e.by ?? null,
        body: e,
      })),
    );
  }

  private async applyEffects(tx: Db, state: CaseState, effects: Effect[], depth: number) {
    const { t } = this.database;
    const now = state.updatedAt;
    for (const effect of effects) {
      switch (effect.type) {
        case 'task.open':
        case 'task.update': {
          const task = effect.task;
          const values = taskRowValues(task);
          if (effect.type === 'task.open') {
            await tx.insert(t.tasks).values({
              id: task.id,
              caseId: state.caseId,
              status: 'open',
              openedAt: task.openedAt,
              ...values,
            });
          } else if (this.fast) {
            this.fast.setTask(task.id, values);
          } else {
            await tx.update(t.tasks).set(values).where(eq(t.tasks.id, task.id));
          }
          break;
        }
        case 'task.close':
          if (this.fast) {
            this.fast.closeTask(effect.taskId, now, effect.reason);
            break;
          }
          await tx
            .update(t.tasks)
            .set({ status: 'closed', closedAt: now, closeReason: effect.reason })
            .where(eq(t.tasks.id, effect.taskId));
          break;
        case 'timer.set': {
          const values = {
            due: effect.due,
            dueMs: Date.parse(effect.due),
            purpose: state.timers.find((x) => x.id === effect.timerId)?.purpose ?? null,
            status: 'pending',
          };
          // A timer set again keeps its row with the new due time.
          await tx
            .insert(t.timers)
            .values({ id: effect.timerId, caseId: state.caseId, ...values })
            .onConflictDoUpdate({
              target: t.timers.id,
              set: { ...values, claimedBy: null, claimedUntilMs: null },
            });
          break;
        }
        case 'timer.cancel':
          await tx
            .update(t.timers)
            .set({ status: 'cancelled' })
            .where(and(eq(t.timers.id, effect.timerId), eq(t.timers.status, 'pending')));
          break;
        case 'child.start': {
          const target = await this.defs.resolveSubflow(tx, state.jurisdiction, effect.flow);
          await this.start(
            tx,
            {
              flowId: target.flowId,
              version: target.version,
              command: {
                type: 'case.start',
                channel: state.channel,
                data: effect.input,
                jurisdiction: state.jurisdiction,
                ...(state.urgency ? { urgency: state.urgency } : {}),
              },
              parent: { caseId: state.caseId, childId: effect.childId },
            },
            depth + 1,
          );
          break;
        }
        case 'child.cancel': {
          const [child] = await tx
            .select()
            .from(t.cases)
            .where(
              and(
                eq(t.cases.parentCaseId, state.caseId),
                eq(t.cases.parentChildId, effect.childId),
              ),
            );
          if (child && child.status === 'active') {
            // Detach first so the child's closing does not report back to the parent.
            await tx.update(t.cases).set({ parentChildId: null }).where(eq(t.cases.id, child.id));
            await this.actOnRow(
              tx,
              { ...child, parentChildId: null },
              { type: 'case.cancel', reason: 'parent cancelled', actor: SYSTEM_ACTOR },
              depth + 1,
            );
          }
          break;
        }
        case 'notify':
          await tx.insert(t.notifications).values({
            id: randomUUID(),
            caseId: state.caseId,
            recipient: effect.to,
            message: effect.message,
            taskId: effect.taskId ?? null,
            createdAt: now,
          });
          break;
        case 'supervision.save':
          await saveSupervision(tx, t, state, effect.order);
          break;
        case 'case.flag':
        case 'case.unflag':
        case 'case.close':
          // These live in the case state (flags, status), already written with the row.
          break;
      }
    }
  }

  /** Events of one case in order. */
  async events(tx: Db, caseId: string): Promise<Event[]> {
    const { t } = this.database;
    const rows = await tx
      .select({ body: t.events.body })
      .from(t.events)
      .where(eq(t.events.caseId, caseId))
      .orderBy(asc(t.events.seq));
    return rows.map((r) => r.body);
  }
}

/** The actor the store uses for its own follow-ups (cancelling child cases). */
export const SYSTEM_ACTOR: Actor = { id: 'system', roles: ['admin'] };
