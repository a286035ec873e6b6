import type { CaseState, SupervisionOrder } from '@lianxin/engine';
import { and, asc, eq, gte, inArray, isNotNull, lt, or, sql } from 'drizzle-orm';
import type { Database, Db } from './db';
import { capped, keysetAfter, LIST_COUNT_CAP } from './keyset';

/**
 * Writes a supervision order (督办) as the case's events now leave it: the
 * engine's `supervision.save` effect, inside the transition's transaction.
 */
export async function saveSupervision(
  tx: Db,
  t: Database['t'],
  state: CaseState,
  order: SupervisionOrder,
): Promise<void> {
  const changing = {
    status: order.status,
    answeredAtMs: order.answer ? Date.parse(order.answer.at) : null,
    closedAtMs: order.closed ? Date.parse(order.closed.at) : null,
  };
  await tx
    .insert(t.supervisions)
    .values({
      id: order.id,
      caseId: state.caseId,
      jurisdiction: state.jurisdiction,
      reason: order.reason,
      to: order.to,
      issuedBy: order.issuedBy,
      issuedAtMs: Date.parse(order.issuedAt),
      deadlineMs: Date.parse(order.deadline),
      ...changing,
    })
    .onConflictDoUpdate({ target: t.supervisions.id, set: changing });
}

/** The dashboard's supervision figures (docs/stats.md, 督办). */
export interface SupervisionStats {
  /** 督办件: cases with an order issued in the period. */
  supervisedCases: number;
  /** Orders issued in the period. */
  issued: number;
  /** Orders answered (or closed unanswered) in the period: 办结. */
  done: number;
  /** Of `done`, those answered by their deadline. */
  doneOnTime: number;
  /** 督办按期办结率: doneOnTime / done, null when none were done. */
  onTimeRate: number | null;
  /** Orders open now on open cases (any issue date), and of them those past their deadline. */
  open: number;
  openOverdue: number;
}

/** Supervision figures for a set of jurisdictions over [fromMs, toMs), open counts as of `nowMs`. */
export async function supervisionStats(
  database: Database,
  q: { jurisdictions: string[]; fromMs: number; toMs: number; nowMs: number },
): Promise<SupervisionStats> {
  const s = database.t.supervisions;
  const inScope = inArray(s.jurisdiction, q.jurisdictions.length ? q.jurisdictions : ['']);
  const doneAt = sql`coalesce(${s.answeredAtMs}, ${s.closedAtMs})`;
  return database.read(async (db) => {
    const [issued] = await db
      .select({
        issued: sql<number>`count(*)`,
        cases: sql<number>`count(distinct ${s.caseId})`,
      })
      .from(s)
      .where(and(inScope, gte(s.issuedAtMs, q.fromMs), lt(s.issuedAtMs, q.toMs)));
    const [done] = await db
      .select({
        done: sql<number>`count(*)`,
        onTime: sql<number>`sum(case when ${doneAt} <= ${s.deadlineMs} then 1 else 0 end)`,
      })
      .from(s)
      .where(and(inScope, sql`${doneAt} >= ${q.fromMs}`, sql`${doneAt} < ${q.toMs}`));
    // An order left open on a case since closed no longer waits on anyone.
    const [open] = await db
      .select({
        open: sql<number>`count(*)`,
        overdue: sql<number>`sum(case when ${s.deadlineMs} < ${q.nowMs} then 1 else 0 end)`,
      })
      .from(s)
      .innerJoin(database.t.cases, eq(database.t.cases.id, s.caseId))
      .where(and(eq(s.status, 'open'), inScope, eq(database.t.cases.status, 'active')));
    const doneN = Number(done?.done ?? 0);
    const onTime = Number(done?.onTime ?? 0);
    return {
      supervisedCases: Number(issued?.cases ?? 0),
      issued: Number(issued?.issued ?? 0),
      done: doneN,
      doneOnTime: onTime,
      onTimeRate: doneN === 0 ? null : onTime / doneN,
      open: Number(open?.open ?? 0),
      openOverdue: Number(open?.overdue ?? 0),
    };
  });
}

/** Of these cases, those with an open supervision order (the inbox's 督办 tag). */
export async function supervisedAmong(database: Database, caseIds: string[]): Promise<Set<string>> {
  if (!caseIds.length) return new Set();
  const s = database.t.supervisions;
  const rows = await database.read((db) =>
    db
      .selectDistinct({ caseId: s.caseId })
      .from(s)
      .where(and(inArray(s.caseId, caseIds), eq(s.status, 'open'))),
  );
  return new Set(rows.map((r) => r.caseId));
}

/** Where a page of 待我审批 ends: the last case's last change and id. */
export interface ApprovalKey {
  updatedAt: string;
  id: string;
}

/**
 * 待我审批: cases in `jurisdictions` (where the reader may decide) or owned by
 * `leaderOwner`, with an extension request waiting, oldest change first
 * (ties by id), a page after `after`, counted up to LIST_COUNT_CAP.
 */
export async function awaitingApproval(
  database: Database,
  q: { jurisdictions: string[]; leaderOwner: string; limit: number; after?: ApprovalKey },
) {
  const c = database.t.cases;
  const where = and(
    eq(c.awaitingApproval, true),
    or(
      inArray(c.jurisdiction, q.jurisdictions.length ? q.jurisdictions : ['']),
      eq(c.leaderOwner, q.leaderOwner),
    ),
  );
  return database.read(async (db) => {
    const rows = await db
      .select({
        id: c.id,
        trackingCode: c.trackingCode,
        jurisdiction: c.jurisdiction,
        urgency: c.urgency,
        updatedAt: c.updatedAt,
        state: c.state,
      })
      .from(c)
      .where(
        q.after
          ? and(where, keysetAfter([c.updatedAt, c.id], [q.after.updatedAt, q.after.id], 'asc'))
          : where,
      )
      .orderBy(asc(c.updatedAt), asc(c.id))
      .limit(q.limit + 1);
    const shown = rows.slice(0, q.limit);
    const last = shown[shown.length - 1];
    const sub = db
      .select({ one: sql<number>`1`.as('one') })
      .from(c)
      .where(where)
      .limit(LIST_COUNT_CAP + 1)
      .as('capped');
    const [counted] = await db.select({ n: sql<number>`count(*)` }).from(sub);
    return {
      rows: shown.map(({ state, updatedAt: _, ...r }) => ({
        ...r,
        requests: Object.values(state.extensionRequests).map((x) => ({
          id: x.id,
          clockId: x.clockId,
          clockName: state.clocks[x.clockId]?.name ?? null,
          duration: x.duration,
          reason: x.reason,
          requestedBy: x.requestedBy,
          requestedAt: x.requestedAt,
        })),
      })),
      /** Where the next page starts (null on the last page). */
      next: rows.length > q.limit && last ? { updatedAt: last.updatedAt, id: last.id } : null,
      ...capped(Number(counted?.n ?? 0)),
    };
  });
}

/** Whom an order may go to in these jurisdictions: their departments and active staff. */
export async function supervisionAddressees(database: Database, jurisdictions: string[]) {
  const { t } = database;
  const m = t.memberships;
  const scope = inArray(m.jurisdiction, jurisdictions.length ? jurisdictions : ['']);
  return database.read(async (db) => {
    const departments = await db
      .selectDistinct({ jurisdiction: m.jurisdiction, department: m.department })
      .from(m)
      .innerJoin(t.users, eq(t.users.id, m.userId))
      .where(and(scope, isNotNull(m.department), eq(t.users.active, true)));
    const users = await db
      .selectDistinct({
        id: t.users.id,
        displayName: t.users.displayName,
        jurisdiction: m.jurisdiction,
        role: m.role,
        department: m.department,
      })
      .from(m)
      .innerJoin(t.users, eq(t.users.id, m.userId))
      .where(and(scope, eq(t.users.active, true)))
      .orderBy(asc(m.jurisdiction), asc(t.users.displayName))
      .limit(500);
    return {
      departments: departments.flatMap((d) =>
        d.department ? [{ jurisdiction: d.jurisdiction, department: d.department }] : [],
      ),
      users,
    };
  });
}
