import { randomUUID } from 'node:crypto';
import type { CaseState, Effect, Event } from '@lianxin/engine';
import type BetterSqlite3 from 'better-sqlite3';
import type { CaseCore } from './cases';

type Columns = ReturnType<typeof import('./cases').caseColumns>;

/**
 * The hot path of a transition on SQLite in plain prepared statements:
 * Drizzle builds the SQL text anew on every call, which cost more than the
 * engine and the writes together. Column names are the schema's (the parity
 * test keeps both dialects equal) and the contract suite runs this path.
 */
export class SqliteWrites {
  private readonly selectCore: BetterSqlite3.Statement;
  private readonly selectJurisdiction: BetterSqlite3.Statement;
  private readonly update: BetterSqlite3.Statement;
  private readonly insertEvent: BetterSqlite3.Statement;
  private readonly updateTask: BetterSqlite3.Statement;
  private readonly closeTaskStatement: BetterSqlite3.Statement;
  private readonly insertTask: BetterSqlite3.Statement;
  private readonly insertTimer: BetterSqlite3.Statement;
  private readonly cancelTimer: BetterSqlite3.Statement;
  private readonly insertNotification: BetterSqlite3.Statement;

  constructor(db: BetterSqlite3.Database) {
    this.selectCore = db.prepare(
      'select id, flow_id, flow_version, state, parent_case_id, parent_child_id from cases where id = ?',
    );
    this.selectJurisdiction = db.prepare('select id, jurisdiction from cases where id = ?');
    this.update = db.prepare(
      `update cases set jurisdiction = ?, received_jurisdiction = ?, flow_key = ?, flow_version = ?,
        status = ?, outcome = ?, urgency = ?, channel = ?, category = ?, repeat = ?, overdue = ?, late = ?,
        leader_owner = ?, first_handler = ?, data = ?, state = ?, version = ?, updated_at = ?,
        closed_at = ?, closed_at_ms = ?
       where id = ? and version = ?`,
    );
    this.insertEvent = db.prepare(
      'insert into events (case_id, seq, type, at, by, body) values (?, ?, ?, ?, ?, ?)',
    );
    this.updateTask = db.prepare(
      `update tasks set node = ?, name = ?, form = ?, role = ?, jurisdiction = ?, department = ?,
        group_name = ?, preferred_user = ?, assignee = ?, due_state = ?, due = ?, due_ms = ?
       where id = ?`,
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
  }

  /** Whether `applyEffects` can carry out every effect (child cases need the async path). */
  static handles(effects: Effect[]): boolean {
    return effects.every((e) => e.type !== 'child.start' && e.type !== 'child.cancel');
  }

  /** The effects of one transition, as `CaseWriter.applyEffects` does them. */
  applyEffects(state: CaseState, effects: Effect[]): void {
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
          this.setTask(t.id, {
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
          });
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

  updateCase(id: string, oldVersion: number, c: Columns): boolean {
    const result = this.update.run(
      c.jurisdiction,
      c.receivedJurisdiction,
      c.flowKey,
      c.flowVersion,
      c.status,
      c.outcome,
      c.urgency,
      c.channel,
      c.category,
      c.repeat ? 1 : 0,
      c.overdue ? 1 : 0,
      c.late ? 1 : 0,
      c.leaderOwner,
      c.firstHandler,
      JSON.stringify(c.data),
      JSON.stringify(c.state),
      c.version,
      c.updatedAt,
      c.closedAt,
      c.closedAtMs,
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

  setTask(
    id: string,
    v: {
      node: string;
      name: unknown;
      form: string | null;
      role: string;
      jurisdiction: string;
      department: string | null;
      groupName: string | null;
      preferredUser: string | null;
      assignee: string | null;
      dueState: string;
      due: string | null;
      dueMs: number | null;
    },
  ): void {
    this.updateTask.run(
      v.node,
      JSON.stringify(v.name),
      v.form,
      v.role,
      v.jurisdiction,
      v.department,
      v.groupName,
      v.preferredUser,
      v.assignee,
      v.dueState,
      v.due,
      v.dueMs,
      id,
    );
  }

  closeTask(id: string, at: string, reason: string): void {
    this.closeTaskStatement.run(at, reason, id);
  }
}
