import type { Event } from '@lianxin/engine';
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

  constructor(db: BetterSqlite3.Database) {
    this.selectCore = db.prepare(
      'select id, flow_id, flow_version, state, parent_case_id, parent_child_id from cases where id = ?',
    );
    this.selectJurisdiction = db.prepare('select id, jurisdiction from cases where id = ?');
    this.update = db.prepare(
      `update cases set jurisdiction = ?, received_jurisdiction = ?, flow_key = ?, flow_version = ?,
        status = ?, outcome = ?, urgency = ?, channel = ?, category = ?, repeat = ?, overdue = ?,
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
