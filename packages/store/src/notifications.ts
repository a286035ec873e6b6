import { randomUUID } from 'node:crypto';
import { and, asc, count, desc, eq, inArray, isNull, type SQL, sql } from 'drizzle-orm';
import type { Database, Db } from './db';
import { keysetAfter, LIST_COUNT_CAP } from './keyset';
import type { NotificationRecipient } from './schema/types';

/** One notification as a staff member sees it. */
export interface UserNotification {
  id: string;
  caseId: string;
  trackingCode: string;
  taskId: string | null;
  message: { 'zh-CN': string; en?: string };
  createdAt: string;
  readAt: string | null;
}

/**
 * The staff a notification reaches, as the inbox would offer them the task:
 * a named user, the case's 包案 leader, a task's assignee (or, while nobody
 * has claimed it, everyone who may), or everyone holding the role in the
 * jurisdiction (and department). Inactive users are skipped; the petitioner
 * is no user (their notices show on the public tracking page).
 */
async function recipients(
  db: Db,
  t: Database['t'],
  n: { caseId: string; taskId: string | null; recipient: NotificationRecipient },
): Promise<string[]> {
  const to = n.recipient;
  const byRule = async (rule: {
    role: string;
    jurisdiction: string;
    department?: string | null;
  }) => {
    const m = t.memberships;
    const rows = await db
      .selectDistinct({ id: m.userId })
      .from(m)
      .innerJoin(t.users, eq(t.users.id, m.userId))
      .where(
        and(
          eq(m.role, rule.role),
          eq(m.jurisdiction, rule.jurisdiction),
          rule.department ? eq(m.department, rule.department) : undefined,
          eq(t.users.active, true),
        ),
      );
    return rows.map((r) => r.id);
  };
  const active = async (ids: (string | null | undefined)[]) => {
    const wanted = ids.filter((id): id is string => Boolean(id));
    if (!wanted.length) return [];
    const rows = await db
      .select({ id: t.users.id })
      .from(t.users)
      .where(and(inArray(t.users.id, wanted), eq(t.users.active, true)));
    return rows.map((r) => r.id);
  };
  switch (to.kind) {
    case 'user':
      return active([to.userId]);
    case 'department': {
      const m = t.memberships;
      const rows = await db
        .selectDistinct({ id: m.userId })
        .from(m)
        .innerJoin(t.users, eq(t.users.id, m.userId))
        .where(
          and(
            eq(m.jurisdiction, to.jurisdiction),
            eq(m.department, to.department),
            eq(t.users.active, true),
          ),
        );
      return rows.map((r) => r.id);
    }
    case 'leaderOwner': {
      const [row] = await db
        .select({ leader: t.cases.leaderOwner })
        .from(t.cases)
        .where(eq(t.cases.id, n.caseId));
      return active([row?.leader]);
    }
    case 'candidates':
      return to.candidates.preferredUser
        ? active([to.candidates.preferredUser])
        : byRule(to.candidates);
    case 'assignees': {
      const k = t.tasks;
      const tasks = await db
        .select({
          assignee: k.assignee,
          role: k.role,
          jurisdiction: k.jurisdiction,
          department: k.department,
        })
        .from(k)
        .where(n.taskId ? eq(k.id, n.taskId) : and(eq(k.caseId, n.caseId), eq(k.status, 'open')));
      const out = new Set(await active(tasks.map((x) => x.assignee)));
      for (const task of tasks.filter((x) => !x.assignee))
        for (const id of await byRule(task)) out.add(id);
      return [...out];
    }
    default:
      return [];
  }
}

/**
 * Drains the outbox the engine's `notify` effects fill: each undelivered
 * notification is fanned out to the users it reaches and marked delivered, in
 * one transaction per batch. Several servers on one PostgreSQL share the work
 * (SKIP LOCKED); a second delivery of the same pair is ignored.
 */
export async function deliverNotifications(
  database: Database,
  nowIso: string,
  limit = 200,
): Promise<{ notifications: number; deliveries: number }> {
  const { t } = database;
  const n = t.notifications;
  return database.tx(async (tx) => {
    let query = tx
      .select({
        id: n.id,
        caseId: n.caseId,
        taskId: n.taskId,
        recipient: n.recipient,
        createdAt: n.createdAt,
      })
      .from(n)
      .where(isNull(n.deliveredAt))
      .orderBy(asc(n.createdAt))
      .limit(limit);
    if (database.dialect === 'pg')
      query = query.for('update', { skipLocked: true }) as typeof query;
    const batch = await query;
    let deliveries = 0;
    for (const row of batch) {
      const users = await recipients(tx, t, row);
      if (!users.length) continue;
      await tx
        .insert(t.userNotifications)
        .values(
          users.map((userId) => ({
            notificationId: row.id,
            userId,
            caseId: row.caseId,
            createdAt: row.createdAt,
          })),
        )
        .onConflictDoNothing();
      deliveries += users.length;
    }
    if (batch.length)
      await tx
        .update(n)
        .set({ deliveredAt: nowIso })
        .where(
          inArray(
            n.id,
            batch.map((r) => r.id),
          ),
        );
    return { notifications: batch.length, deliveries };
  });
}

/** Where a page of notifications ends: the last one's delivery time and id. */
export interface NotificationKey {
  createdAt: string;
  id: string;
}

/**
 * A user's notifications, newest first (ties by id), a page after `after`,
 * and how many are unread (from user_notifications_mine, up to LIST_COUNT_CAP).
 */
export async function notificationsFor(
  database: Database,
  userId: string,
  q: { limit?: number; after?: NotificationKey; unreadOnly?: boolean } = {},
): Promise<{ rows: UserNotification[]; unread: number; next: NotificationKey | null }> {
  const { t } = database;
  const u = t.userNotifications;
  const limit = q.limit ?? 20;
  const where: SQL[] = [eq(u.userId, userId)];
  if (q.unreadOnly) where.push(isNull(u.readAt));
  if (q.after)
    where.push(
      keysetAfter([u.createdAt, u.notificationId], [q.after.createdAt, q.after.id], 'desc'),
    );
  return database.read(async (db) => {
    const rows = await db
      .select({
        id: u.notificationId,
        caseId: u.caseId,
        trackingCode: t.cases.trackingCode,
        taskId: t.notifications.taskId,
        message: t.notifications.message,
        createdAt: u.createdAt,
        readAt: u.readAt,
      })
      .from(u)
      .innerJoin(t.notifications, eq(t.notifications.id, u.notificationId))
      .innerJoin(t.cases, eq(t.cases.id, u.caseId))
      .where(and(...where))
      .orderBy(desc(u.createdAt), desc(u.notificationId))
      .limit(limit + 1);
    const shown = rows.slice(0, limit);
    const last = shown[shown.length - 1];
    // Unread ones counted up to the cap (the bell shows 99+ long before it).
    const sub = db
      .select({ one: sql<number>`1`.as('one') })
      .from(u)
      .where(and(eq(u.userId, userId), isNull(u.readAt)))
      .limit(LIST_COUNT_CAP)
      .as('capped');
    const [unread] = await db.select({ n: count() }).from(sub);
    return {
      rows: shown,
      unread: Number(unread?.n ?? 0),
      next: rows.length > limit && last ? { createdAt: last.createdAt, id: last.id } : null,
    };
  });
}

/** Marks the user's notifications read: the ones named, or all of them. */
export async function markNotificationsRead(
  database: Database,
  userId: string,
  nowIso: string,
  ids?: string[],
): Promise<number> {
  const u = database.t.userNotifications;
  return database.tx(async (tx) => {
    const changed = await tx
      .update(u)
      .set({ readAt: nowIso })
      .where(
        and(
          eq(u.userId, userId),
          isNull(u.readAt),
          ids ? inArray(u.notificationId, ids.length ? ids : ['']) : undefined,
        ),
      )
      .returning({ id: u.notificationId });
    return changed.length;
  });
}

/** What the engine told the petitioner about a case, oldest first (shown on the tracking page). */
export async function petitionerNotices(database: Database, caseId: string) {
  const n = database.t.notifications;
  const rows = await database.read((db) =>
    db
      .select({ message: n.message, recipient: n.recipient, createdAt: n.createdAt })
      .from(n)
      .where(eq(n.caseId, caseId))
      .orderBy(asc(n.createdAt)),
  );
  return rows
    .filter((r) => r.recipient.kind === 'petitioner')
    .map((r) => ({ at: r.createdAt, message: r.message }));
}

/** A petitioner's own rating at or below this tells the leader (2 不满意, 1 非常不满意). */
export const LOW_RATING = 2;

/**
 * A low rating from the petitioner (满意度评价 ≤ 2) tells the case's 包案
 * leader, else its jurisdiction's leaders: queued in the rating's own
 * transaction and delivered once by the scheduler like every notification.
 */
export async function notifyLowRating(
  tx: Db,
  t: Database['t'],
  q: { caseId: string; score: number; comment: string | null; nowIso: string },
): Promise<void> {
  if (q.score > LOW_RATING) return;
  const [row] = await tx
    .select({ jurisdiction: t.cases.jurisdiction, leader: t.cases.leaderOwner })
    .from(t.cases)
    .where(eq(t.cases.id, q.caseId));
  if (!row) return;
  const comment = q.comment?.trim() ? `：${q.comment.trim()}` : '';
  const commentEn = q.comment?.trim() ? `: ${q.comment.trim()}` : '';
  await tx.insert(t.notifications).values({
    id: randomUUID(),
    caseId: q.caseId,
    recipient: row.leader
      ? { kind: 'leaderOwner' }
      : { kind: 'candidates', candidates: { role: 'leader', jurisdiction: row.jurisdiction } },
    message: {
      'zh-CN': `信访人评价不满意（${q.score} 分）${comment}`,
      en: `The petitioner rated the case ${q.score} of 5${commentEn}`,
    },
    taskId: null,
    createdAt: q.nowIso,
  });
}
