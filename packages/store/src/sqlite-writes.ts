import { randomUUID } from 'node:crypto';
import type { CaseState, Effect, Event } from '@lianxin/engine';
import type BetterSqlite3 from 'better-sqlite3';
import type { CaseCore } from './cases';
import {
  type CounterDelta,
  contribution,
  counterDelta,
  type KpiColumns,
  kpiColumnsChanged,
  UPSERT_COUNTER_SQL,
  upsertParams,
} from './kpi-counters';

type Columns = ReturnType<typeof import('./cases').caseColumns>;
type Task = CaseState['tasks'][number];

/** The task row's columns a transition may change, as `task.open` and `task.update` write them. */
export function taskColumns(t: Task) {
  return {
    node: t.node,
    name: t.name,
    form: t.form ?? null,
    role: t.candidates.role,
    jurisdiction: t.candidates.jurisdiction,
    department: t.candidates.department ?? null,
    groupName: t.candidates.group ?? null,
    preferredUser: t.candidates.preferredUser ?? null,
    assignee: t.assignee ?? null,
    dueState: t.dueState,
    due: t.due ?? null,
    dueMs: t.due ? Date.parse(t.due) : null,
  };
}
type TaskColumns = ReturnType<typeof taskColumns>;

/** `receivedJurisdiction` → `received_jurisdiction`: the schema names every column so. */
const snake = (key: string) => key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

/** A column value as better-sqlite3 binds it (the schema's JSON and boolean modes). */
function bindable(v: unknown): unknown {
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (v !== null && typeof v === 'object') return JSON.stringify(v);
  return v;
}

/**
 * The keys whose value differs from `before` (every key without it). Objects
 * compare by reference first (the engine shares unchanged parts of the
 * state), then by their JSON; `always` keys are not compared.
 */
export function changedKeys<T extends Record<string, unknown>>(
  next: T,
  before: T | undefined,
  always: ReadonlySet<string>,
): string[] {
  const keys: string[] = [];
  for (const key of Object.keys(next)) {
    if (before && !always.has(key)) {
      const a = next[key];
      const b = before[key];
      if (a === b) continue;
      if (
        a !== null &&
        b !== null &&
        typeof a === 'object' &&
        typeof b === 'object' &&
        JSON.stringify(a) === JSON.stringify(b)
      ) {
        continue;
      }
    }
    keys.push(key);
  }
  return keys;
}

const CASE_ALWAYS = new Set(['state', 'version', 'updatedAt']);
const NEVER = new Set<string>();

/**
 * The hot path of a transition on SQLite in plain prepared statements:
 * Drizzle builds the SQL text anew on every call, which cost more than the
 * engine and the writes together. Column names are the schema's (the parity
 * test keeps both dialects equal) and the contract suite runs this path.
 *
 * Updates set only the columns whose value changed: every column set is
 * rewritten in each index that holds it, and SQLite writes each page it
 * touches to the WAL again, so a claim that set every column wrote about
 * twice the pages it needs.
 */
export class SqliteWrites {
  private readonly selectCore: BetterSqlite3.Statement;
  private readonly selectJurisdiction: BetterSqlite3.Statement;
  private readonly insertEvent: BetterSqlite3.Statement;
  private readonly closeTaskStatement: BetterSqlite3.Statement;
  private readonly insertTask: BetterSqlite3.Statement;
  private readonly insertTimer: BetterSqlite3.Statement;
  private readonly cancelTimer: BetterSqlite3.Statement;
  private readonly insertNotification: BetterSqlite3.Statement;
  private readonly selectKpiFacts: BetterSqlite3.Statement;
  private readonly upsertCounter: BetterSqlite3.Statement;
  /** UPDATE statements by table and the columns they set. */
  private readonly updates = new Map<string, BetterSqlite3.Statement>();

  constructor(private readonly db: BetterSqlite3.Database) {
    this.selectCore = db.prepare(
      'select id, flow_id, flow_version, state, parent_case_id, parent_child_id from cases where id = ?',
    );
    this.selectJurisdiction = db.prepare('select id, jurisdiction from cases where id = ?');
    this.insertEvent = db.prepare(
      'insert into events (case_id, seq, type, at, by, body) values (?, ?, ?, ?, ?, ?)',
    );
    this.closeTaskStatement = db.prepare(
      "update tasks set status = 'closed', closed_at = ?, close_reason = ? where id = ?",
    );
    this.insertTask = db.prepare(
      `insert into tasks (id, case_id, node, name, form, role, jurisdiction, department, group_name,
        preferred_user, assignee, status, due_state, opened_at, due, due_ms)
       values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'open', ?, ?, ?, ?)`,
    );
    this.insertTimer = db.prepare(
      `insert into timers (id, case_id, due, due_ms, purpose, status, attempts)
       values (?, ?, ?, ?, ?, 'pending', 0)`,
    );
    this.cancelTimer = db.prepare(
      "update timers set status = 'cancelled' where id = ? and status = 'pending'",
    );
    this.insertNotification = db.prepare(
      `insert into notifications (id, case_id, recipient, message, task_id, created_at)
       values (?, ?, ?, ?, ?, ?)`,
    );
    this.selectKpiFacts = db.prepare(
      `select created_at_ms, petitioner_id,
         (select score from evaluations where case_id = cases.id) as rating,
         exists (select 1 from kpi_repeated_later where case_id = cases.id) as later
       from cases where id = ?`,
    );
    this.upsertCounter = db.prepare(UPSERT_COUNTER_SQL);
  }

  /**
   * A case row written from `prev` to `next` columns: adds the difference it
   * makes to the KPI counters (kpi-counters.ts), in the caller's transaction.
   */
  countTransition(caseId: string, prev: KpiColumns, next: KpiColumns): void {
    if (!kpiColumnsChanged(prev, next)) return;
    const r = this.selectKpiFacts.get(caseId) as {
      created_at_ms: number;
      petitioner_id: string | null;
      rating: number | null;
      later: number;
    };
    const facts = {
      createdAtMs: r.created_at_ms,
      petitionerId: r.petitioner_id,
      rating: r.rating,
      repeatedLater: r.later === 1,
    };
    this.addCounters(counterDelta(contribution(prev, facts), contribution(next, facts)));
  }

  addCounters(deltas: CounterDelta[]): void {
    for (const d of deltas) this.upsertCounter.run(...upsertParams(d));
  }

  /**
   * Whether `applyEffects` can carry out every effect (child cases and
   * supervision orders, which are rare, take the async path).
   */
  static handles(effects: Effect[]): boolean {
    return effects.every(
      (e) => e.type !== 'child.start' && e.type !== 'child.cancel' && e.type !== 'supervision.save',
    );
  }

  /**
   * The effects of one transition, as `CaseWriter.applyEffects` does them;
   * `before` (the state the transition started from) lets task updates set
   * only what changed.
   */
  applyEffects(state: CaseState, effects: Effect[], before?: CaseState): void {
    const now = state.updatedAt;
    for (const effect of effects) {
      switch (effect.type) {
        case 'task.open': {
          const t = effect.task;
          this.insertTask.run(
            t.id,
            state.caseId,
            t.node,
            JSON.stringify(t.name),
            t.form ?? null,
            t.candidates.role,
            t.candidates.jurisdiction,
            t.candidates.department ?? null,
            t.candidates.group ?? null,
            t.candidates.preferredUser ?? null,
            t.assignee ?? null,
            t.dueState,
            t.openedAt,
            t.due ?? null,
            t.due ? Date.parse(t.due) : null,
          );
          break;
        }
        case 'task.update': {
          const t = effect.task;
          const was = before?.tasks.find((x) => x.id === t.id);
          this.setTask(t.id, taskColumns(t), was && taskColumns(was));
          break;
        }
        case 'task.close':
          this.closeTask(effect.taskId, now, effect.reason);
          break;
        case 'timer.set': {
          const purpose = state.timers.find((x) => x.id === effect.timerId)?.purpose;
          this.insertTimer.run(
            effect.timerId,
            state.caseId,
            effect.due,
            Date.parse(effect.due),
            purpose ? JSON.stringify(purpose) : null,
          );
          break;
        }
        case 'timer.cancel':
          this.cancelTimer.run(effect.timerId);
          break;
        case 'notify':
          this.insertNotification.run(
            randomUUID(),
            state.caseId,
            JSON.stringify(effect.to),
            JSON.stringify(effect.message),
            effect.taskId ?? null,
            now,
          );
          break;
        case 'case.flag':
        case 'case.unflag':
        case 'case.close':
          break;
        default:
          throw new Error(`effect ${effect.type} needs the async path`);
      }
    }
  }

  core(id: string): CaseCore | undefined {
    const r = this.selectCore.get(id) as
      | {
          id: string;
          flow_id: string;
          flow_version: number;
          state: string;
          parent_case_id: string | null;
          parent_child_id: string | null;
        }
      | undefined;
    if (!r) return undefined;
    return {
      id: r.id,
      flowId: r.flow_id,
      flowVersion: r.flow_version,
      state: JSON.parse(r.state),
      parentCaseId: r.parent_case_id,
      parentChildId: r.parent_child_id,
    };
  }

  jurisdiction(id: string): { id: string; jurisdiction: string } | undefined {
    return this.selectJurisdiction.get(id) as { id: string; jurisdiction: string } | undefined;
  }

  /** An UPDATE of `table` setting `keys` (camelCase) for the row `where`. */
  private updateStatement(table: string, keys: string[], where: string): BetterSqlite3.Statement {
    const id = `${table} ${keys.join(',')}`;
    let statement = this.updates.get(id);
    if (!statement) {
      statement = this.db.prepare(
        `update ${table} set ${keys.map((k) => `${snake(k)} = ?`).join(', ')} where ${where}`,
      );
      this.updates.set(id, statement);
    }
    return statement;
  }

  /**
   * Writes the case columns if the row is still at `oldVersion`; only those
   * that differ from `before` (the columns of the state it was at) when given.
   */
  updateCase(id: string, oldVersion: number, c: Columns, before?: Columns): boolean {
    const keys = changedKeys(c, before, CASE_ALWAYS);
    const values = keys.map((k) => bindable(c[k as keyof Columns]));
    const result = this.updateStatement('cases', keys, 'id = ? and version = ?').run(
      ...values,
      id,
      oldVersion,
    );
    return result.changes === 1;
  }

  appendEvents(caseId: string, fromVersion: number, events: Event[]): void {
    events.forEach((e, i) => {
      this.insertEvent.run(
        caseId,
        fromVersion + i + 1,
        e.type,
        e.at,
        e.by ?? null,
        JSON.stringify(e),
      );
    });
  }

  /** Writes a task's columns; only those that differ from `before` when given. */
  setTask(id: string, v: TaskColumns, before?: TaskColumns): void {
    const keys = changedKeys(v, before, NEVER);
    if (!keys.length) return;
    this.updateStatement('tasks', keys, 'id = ?').run(
      ...keys.map((k) => bindable(v[k as keyof TaskColumns])),
      id,
    );
  }

  closeTask(id: string, at: string, reason: string): void {
    this.closeTaskStatement.run(at, reason, id);
  }
}
