import { createHash, randomUUID } from 'node:crypto';
import type { CaseState, Effect, Event } from '@lianxin/engine';
import { getTableColumns } from 'drizzle-orm';
import type pg from 'pg';
import type { CaseCore } from './cases';
import type { Db, Tables } from './db';
import { COUNTER_FIGURES, contribution, counterDelta } from './kpi-counters';
import { changedKeys, taskColumns } from './sqlite-writes';

type Columns = ReturnType<typeof import('./cases').caseColumns>;

/** What a transition needs of the case row, and the jurisdiction permission checks need. */
export type PgCaseCore = CaseCore & { jurisdiction: string; version: number };

const CASE_ALWAYS = new Set(['state', 'version', 'updatedAt']);
const NEVER = new Set<string>();

/** Column name and SQL type by property, from the schema (so casts follow it). */
function columnsOf(table: Parameters<typeof getTableColumns>[0]) {
  const out = new Map<string, { name: string; type: string }>();
  for (const [key, column] of Object.entries(getTableColumns(table))) {
    out.set(key, { name: column.name, type: column.getSQLType() });
  }
  return out;
}

/** Parameters with explicit casts: in `insert … select` PostgreSQL cannot infer their types. */
class Statement {
  readonly params: unknown[] = [];
  param(value: unknown, type: string): string {
    const json = type === 'jsonb' || type === 'json';
    this.params.push(
      value === null || value === undefined ? null : json ? JSON.stringify(value) : value,
    );
    return `$${this.params.length}::${type}`;
  }
}

/**
 * A transition on PostgreSQL in two round trips instead of seven: one read of
 * the case row (no lock, no transaction), and every write in one statement
 * (one implicit transaction): a CTE whose first part updates the case row
 * only if it is still at the version the transition started from, and whose
 * other parts (events, tasks, timers, notifications) each join that update,
 * so they write nothing when it did not. When another writer got there first
 * the statement writes nothing and the caller redoes the command the old way:
 * in a transaction holding the row lock, so writers of one case queue.
 * Statements are prepared by name, per connection, once for each shape.
 */
export class PgWrites {
  private readonly cases: Map<string, { name: string; type: string }>;
  private readonly tasks: Map<string, { name: string; type: string }>;
  private readonly names = new Map<string, string>();

  private readonly pool: pg.Pool;

  /** `db`: Drizzle over a node-postgres pool, whose pool this uses directly. */
  constructor(db: Db, t: Tables) {
    this.pool = (db as unknown as { $client: pg.Pool }).$client;
    this.cases = columnsOf(t.cases);
    this.tasks = columnsOf(t.tasks);
  }

  /** Whether `write` can carry out every effect in one statement. */
  static handles(effects: Effect[]): boolean {
    // One statement cannot touch a row twice (its parts see the same snapshot).
    const tasks = new Set<string>();
    const timers = new Set<string>();
    const once = (seen: Set<string>, id: string) => {
      if (seen.has(id)) return false;
      seen.add(id);
      return true;
    };
    return effects.every((e) => {
      switch (e.type) {
        case 'task.open':
        case 'task.update':
          return once(tasks, e.task.id);
        case 'task.close':
          return once(tasks, e.taskId);
        case 'timer.set':
        case 'timer.cancel':
          return once(timers, e.timerId);
        case 'notify':
        case 'case.flag':
        case 'case.unflag':
        case 'case.close':
          return true;
        default:
          return false;
      }
    });
  }

  private query<R extends pg.QueryResultRow>(text: string, values: unknown[]) {
    let name = this.names.get(text);
    if (!name) {
      name = `lx_${createHash('sha1').update(text).digest('hex').slice(0, 20)}`;
      if (this.names.size > 2000) this.names.clear();
      this.names.set(text, name);
    }
    return this.pool.query<R>({ name, text, values });
  }

  async core(id: string): Promise<PgCaseCore | undefined> {
    const { rows } = await this.query<{
      id: string;
      jurisdiction: string;
      flow_id: string;
      flow_version: number;
      version: number;
      state: CaseState;
      parent_case_id: string | null;
      parent_child_id: string | null;
    }>(
      'select id, jurisdiction, flow_id, flow_version, version, state, parent_case_id, parent_child_id from cases where id = $1',
      [id],
    );
    const r = rows[0];
    if (!r) return undefined;
    return {
      id: r.id,
      jurisdiction: r.jurisdiction,
      flowId: r.flow_id,
      flowVersion: r.flow_version,
      version: r.version,
      state: r.state,
      parentCaseId: r.parent_case_id,
      parentChildId: r.parent_child_id,
    };
  }

  /**
   * Writes one transition from `before` to `state` (whose case columns are
   * `next` and `prev`) if the case row is still at `before.version`; false,
   * having written nothing, when it is not.
   */
  async write(
    before: CaseState,
    state: CaseState,
    columns: { next: Columns; prev: Columns },
    events: Event[],
    effects: Effect[],
  ): Promise<boolean> {
    const s = new Statement();
    const caseId = state.caseId;
    const parts: string[] = [];
    const next = columns.next;
    const keys = changedKeys(next, columns.prev, CASE_ALWAYS);
    const set = keys.map((k) => {
      const c = this.cases.get(k) as { name: string; type: string };
      return `${c.name} = ${s.param(next[k as keyof Columns], c.type)}`;
    });
    parts.push(
      `moved as (update cases set ${set.join(', ')} where id = ${s.param(caseId, 'text')} and version = ${s.param(before.version, 'integer')} returning id)`,
    );
    if (events.length) {
      const rows = events.map(
        (e, i) =>
          `(${s.param(before.version + i + 1, 'integer')}, ${s.param(e.type, 'text')}, ${s.param(e.at, 'text')}, ${s.param(e.by ?? null, 'text')}, ${s.param(e, 'jsonb')})`,
      );
      parts.push(
        `ev as (insert into events (case_id, seq, type, at, by, body) select moved.id, v.seq, v.type, v.at, v.by, v.body from moved, (values ${rows.join(', ')}) as v(seq, type, at, by, body))`,
      );
    }
    const counters = this.countersSql(s, state, columns);
    if (counters) parts.push(`k as (${counters})`);
    const now = state.updatedAt;
    effects.forEach((effect, i) => {
      const part = this.effectSql(s, effect, state, before, now);
      if (part) parts.push(`e${i} as (${part})`);
    });
    const text = `with ${parts.join(', ')} select count(*)::int as n from moved`;
    const { rows } = await this.query<{ n: number }>(text, s.params);
    return rows[0]?.n === 1;
  }

  /**
   * What the transition adds to the KPI counters (kpi-counters.ts), when it
   * moves them: the caller sends a case that closes, or changes once closed,
   * the transaction path (its figures depend on the rating and repeats, read
   * there under the row lock), so here neither side counts a closing.
   */
  private countersSql(
    s: Statement,
    state: CaseState,
    columns: { next: Columns; prev: Columns },
  ): string | undefined {
    const facts = {
      createdAtMs: Date.parse(state.createdAt),
      petitionerId: null,
      rating: null,
      repeatedLater: false,
    };
    const deltas = counterDelta(
      contribution(columns.prev, facts),
      contribution(columns.next, facts),
    );
    if (!deltas.length) return undefined;
    const rows = deltas.map(
      (d) =>
        `(${[
          s.param(d.jurisdiction, 'text'),
          s.param(d.day, 'integer'),
          s.param(d.flowKey, 'text'),
          s.param(d.channel, 'text'),
          s.param(d.category, 'text'),
          s.param(d.urgency, 'text'),
          s.param(d.status, 'text'),
          ...COUNTER_FIGURES.map((k) => s.param(d[k], 'integer')),
        ].join(', ')})`,
    );
    const figures = COUNTER_FIGURES.map((k) => k.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`));
    return `insert into kpi_counters (jurisdiction, day, flow_key, channel, category, urgency, status, ${figures.join(', ')}) select v.* from moved, (values ${rows.join(', ')}) as v(jurisdiction, day, flow_key, channel, category, urgency, status, ${figures.join(', ')}) on conflict (jurisdiction, day, flow_key, channel, category, urgency, status) do update set ${figures.map((f) => `${f} = kpi_counters.${f} + excluded.${f}`).join(', ')}`;
  }

  private effectSql(
    s: Statement,
    effect: Effect,
    state: CaseState,
    before: CaseState,
    now: string,
  ): string | undefined {
    switch (effect.type) {
      case 'task.open': {
        const t = effect.task;
        const values: Record<string, unknown> = {
          id: t.id,
          caseId: state.caseId,
          status: 'open',
          openedAt: t.openedAt,
          ...taskColumns(t),
        };
        const keys = Object.keys(values);
        const cols = keys.map((k) => this.tasks.get(k)?.name);
        const vals = keys.map((k) => s.param(values[k], this.tasks.get(k)?.type ?? 'text'));
        return `insert into tasks (${cols.join(', ')}) select ${vals.join(', ')} from moved`;
      }
      case 'task.update': {
        const t = effect.task;
        const was = before.tasks.find((x) => x.id === t.id);
        const v = taskColumns(t);
        const keys = changedKeys(v, was && taskColumns(was), NEVER);
        if (!keys.length) return undefined;
        const set = keys.map((k) => {
          const c = this.tasks.get(k) as { name: string; type: string };
          return `${c.name} = ${s.param(v[k as keyof typeof v], c.type)}`;
        });
        return `update tasks set ${set.join(', ')} from moved where tasks.id = ${s.param(t.id, 'text')}`;
      }
      case 'task.close':
        return `update tasks set status = 'closed', closed_at = ${s.param(now, 'text')}, close_reason = ${s.param(effect.reason, 'text')} from moved where tasks.id = ${s.param(effect.taskId, 'text')}`;
      case 'timer.set': {
        const purpose = state.timers.find((x) => x.id === effect.timerId)?.purpose ?? null;
        return `insert into timers (id, case_id, due, due_ms, purpose, status) select ${s.param(effect.timerId, 'text')}, moved.id, ${s.param(effect.due, 'text')}, ${s.param(Date.parse(effect.due), 'bigint')}, ${s.param(purpose, 'jsonb')}, 'pending' from moved`;
      }
      case 'timer.cancel':
        return `update timers set status = 'cancelled' from moved where timers.id = ${s.param(effect.timerId, 'text')} and timers.status = 'pending'`;
      case 'notify':
        return `insert into notifications (id, case_id, recipient, message, task_id, created_at) select ${s.param(randomUUID(), 'text')}, moved.id, ${s.param(effect.to, 'jsonb')}, ${s.param(effect.message, 'jsonb')}, ${s.param(effect.taskId ?? null, 'text')}, ${s.param(now, 'text')} from moved`;
      case 'case.flag':
      case 'case.unflag':
      case 'case.close':
        // Both live in the case state (flags, status), written with the row.
        return undefined;
      default:
        throw new Error(`effect ${effect.type} needs the transaction path`);
    }
  }
}
