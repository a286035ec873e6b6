import { randomUUID } from 'node:crypto';
import { and, asc, count, desc, eq, inArray, isNull, type SQLWrapper, sql } from 'drizzle-orm';
import type { Database, Db } from './db';
import { compareText, keysetAfter, LIST_COUNT_CAP } from './keyset';
import type { NotificationRecipient } from './schema/types';

interface Entry {
  id: string;
  message: { 'zh-CN': string; en?: string };
  createdAt: string;
  readAt: string | null;
}

/**
 * One entry of a staff member's bell: what the engine said about a case, or a
 * template-sharing notice (a new version of a template the county adopted,
 * pointing at the county's flow to upgrade; a county's proposal to review).
 */
export type UserNotification =
  | (Entry & { kind: 'case'; caseId: string; trackingCode: string; taskId: string | null })
  | (Entry & {
      kind: 'templatePublished' | 'templateProposed';
      templateKey: string;
      templateVersion: number;
      /** The county it is about: the adopting one, or the proposing one. */
      jurisdiction: string;
      /** templatePublished: the county's flow whose upgrade page it opens. */
      flowId: string | null;
      /** templateProposed: the proposal to review. */
      proposalId: string | null;
      /** The version's changelog entry, or the county's note. */
      detail: { 'zh-CN': string; en?: string } | null;
    });

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
 * and how many are unread (up to LIST_COUNT_CAP). Case notifications
 * (user_notifications) and template notices (template_notices) are read
 * alike: each gives its first `limit + 1` rows after the key, and the merge of
 * the two in the same order is the page, so the cursor and the count span both.
 */
export async function notificationsFor(
  database: Database,
  userId: string,
  q: { limit?: number; after?: NotificationKey; unreadOnly?: boolean } = {},
): Promise<{ rows: UserNotification[]; unread: number; next: NotificationKey | null }> {
  const { t } = database;
  const u = t.userNotifications;
  const tn = t.templateNotices;
  const limit = q.limit ?? 20;
  const after = q.after;
  const page = (user: SQLWrapper, read: SQLWrapper, created: SQLWrapper, id: SQLWrapper) =>
    and(
      sql`${user} = ${userId}`,
      q.unreadOnly ? sql`${read} is null` : undefined,
      after ? keysetAfter([created, id], [after.createdAt, after.id], 'desc') : undefined,
    );
  return database.read(async (db) => {
    const cases = await db
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
      .where(page(u.userId, u.readAt, u.createdAt, u.notificationId))
      .orderBy(desc(u.createdAt), desc(u.notificationId))
      .limit(limit + 1);
    const notices = await db
      .select({
        id: tn.id,
        kind: tn.kind,
        templateKey: tn.templateKey,
        templateVersion: tn.templateVersion,
        jurisdiction: tn.jurisdiction,
        flowId: tn.flowId,
        proposalId: tn.proposalId,
        message: tn.message,
        detail: tn.detail,
        createdAt: tn.createdAt,
        readAt: tn.readAt,
      })
      .from(tn)
      .where(page(tn.userId, tn.readAt, tn.createdAt, tn.id))
      .orderBy(desc(tn.createdAt), desc(tn.id))
      .limit(limit + 1);
    const rows: UserNotification[] = [
      ...cases.map((r) => ({ kind: 'case' as const, ...r })),
      ...notices.map((r) => ({
        ...r,
        kind:
          r.kind === 'proposed' ? ('templateProposed' as const) : ('templatePublished' as const),
      })),
    ].sort((a, b) => compareText(b.createdAt, a.createdAt) || compareText(b.id, a.id));
    const shown = rows.slice(0, limit);
    const last = shown[shown.length - 1];
    // Unread ones counted up to the cap (the bell shows 99+ long before it).
    const one = { one: sql<number>`1`.as('one') };
    const [unreadCases] = await db.select({ n: count() }).from(
      db
        .select(one)
        .from(u)
        .where(and(eq(u.userId, userId), isNull(u.readAt)))
        .limit(LIST_COUNT_CAP)
        .as('capped'),
    );
    const [unreadNotices] = await db.select({ n: count() }).from(
      db
        .select(one)
        .from(tn)
        .where(and(eq(tn.userId, userId), isNull(tn.readAt)))
        .limit(LIST_COUNT_CAP)
        .as('capped'),
    );
    const unread = Number(unreadCases?.n ?? 0) + Number(unreadNotices?.n ?? 0);
    return {
      rows: shown,
      unread: Math.min(unread, LIST_COUNT_CAP),
      next: rows.length > limit && last ? { createdAt: last.createdAt, id: last.id } : null,
    };
  });
}

/** Marks the user's notifications read (case notifications and template notices): the ones named, or all. */
export async function markNotificationsRead(
  database: Database,
  userId: string,
  nowIso: string,
  ids?: string[],
): Promise<number> {
  const { userNotifications: u, templateNotices: tn } = database.t;
  const named = ids?.length ? ids : [''];
  return database.tx(async (tx) => {
    const cases = await tx
      .update(u)
      .set({ readAt: nowIso })
      .where(
        and(
          eq(u.userId, userId),
          isNull(u.readAt),
          ids ? inArray(u.notificationId, named) : undefined,
        ),
      )
      .returning({ id: u.notificationId });
    const notices = await tx
      .update(tn)
      .set({ readAt: nowIso })
      .where(and(eq(tn.userId, userId), isNull(tn.readAt), ids ? inArray(tn.id, named) : undefined))
      .returning({ id: tn.id });
    return cases.length + notices.length;
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

type Text = { 'zh-CN': string; en?: string };

/** Active users holding `role` in exactly `jurisdiction` (its own admins, not those above it). */
async function holdersOf(tx: Db, t: Database['t'], jurisdiction: string, role: string) {
  const m = t.memberships;
  const rows = await tx
    .selectDistinct({ id: m.userId })
    .from(m)
    .innerJoin(t.users, eq(t.users.id, m.userId))
    .where(and(eq(m.role, role), eq(m.jurisdiction, jurisdiction), eq(t.users.active, true)));
  return rows.map((r) => r.id);
}

async function placeOf(tx: Db, t: Database['t'], code: string) {
  const [row] = await tx
    .select({ name: t.jurisdictions.name, level: t.jurisdictions.level })
    .from(t.jurisdictions)
    .where(eq(t.jurisdictions.code, code));
  return row;
}

/**
 * 模板更新提醒, stored: a new latest version of a template tells the admins
 * of every county whose flow extends an earlier one, in the publishing
 * transaction: one notice per admin and adopting flow, with the version's
 * changelog, opening that flow's upgrade page. Returns how many were written.
 */
export async function noticeTemplatePublished(
  tx: Db,
  t: Database['t'],
  q: {
    templateKey: string;
    version: number;
    name: Text;
    publisher: string;
    changes: Text | null;
    nowIso: string;
  },
): Promise<number> {
  const a = t.adoptions;
  const adopters = await tx
    .select({ jurisdiction: a.jurisdiction, flowId: a.flowId })
    .from(a)
    .where(and(eq(a.templateKey, q.templateKey), sql`${a.templateVersion} < ${q.version}`))
    .orderBy(asc(a.jurisdiction), asc(a.flowId));
  if (!adopters.length) return 0;
  const level = (await placeOf(tx, t, q.publisher))?.level;
  const [zhLevel, enLevel] =
    level === 'province'
      ? ['省级', 'Provincial']
      : level === 'city'
        ? ['市级', 'City']
        : ['上级', 'Higher-level'];
  const message = {
    'zh-CN': `${zhLevel}模板《${q.name['zh-CN']}》发布了第 ${q.version} 版`,
    en: `${enLevel} template "${q.name.en?.trim() || q.name['zh-CN']}" version ${q.version} is published`,
  };
  const rows = [];
  for (const adopter of adopters)
    for (const userId of await holdersOf(tx, t, adopter.jurisdiction, 'admin'))
      rows.push({
        id: randomUUID(),
        userId,
        kind: 'published',
        templateKey: q.templateKey,
        templateVersion: q.version,
        jurisdiction: adopter.jurisdiction,
        flowId: adopter.flowId,
        proposalId: null,
        message,
        detail: q.changes,
        createdAt: q.nowIso,
      });
  if (rows.length) await tx.insert(t.templateNotices).values(rows);
  return rows.length;
}

/**
 * 县区建议, stored: a county's proposal tells the admins of the template's
 * publisher, in the proposing transaction, with the county's note.
 */
export async function noticeTemplateProposed(
  tx: Db,
  t: Database['t'],
  q: {
    proposalId: string;
    templateKey: string;
    templateVersion: number;
    county: string;
    changeCount: number;
    note: Text;
    nowIso: string;
  },
): Promise<number> {
  const [template] = await tx
    .select({ publisher: t.templates.publisher, name: t.templates.name })
    .from(t.templates)
    .where(eq(t.templates.key, q.templateKey));
  if (!template) return 0;
  const county = (await placeOf(tx, t, q.county))?.name ?? { 'zh-CN': q.county };
  const name = template.name;
  const message = {
    'zh-CN': `${county['zh-CN']}对模板《${name['zh-CN']}》提出了建议（${q.changeCount} 处修改）`,
    en: `${county.en?.trim() || county['zh-CN']} proposed ${q.changeCount} change(s) to template "${name.en?.trim() || name['zh-CN']}"`,
  };
  const users = await holdersOf(tx, t, template.publisher, 'admin');
  if (!users.length) return 0;
  await tx.insert(t.templateNotices).values(
    users.map((userId) => ({
      id: randomUUID(),
      userId,
      kind: 'proposed',
      templateKey: q.templateKey,
      templateVersion: q.templateVersion,
      jurisdiction: q.county,
      flowId: null,
      proposalId: q.proposalId,
      message,
      detail: q.note,
      createdAt: q.nowIso,
    })),
  );
  return users.length;
}

/**
 * A county upgraded its flow to `version`: the notices of that version and the
 * ones before, for every admin of the county, are read from now on.
 */
export async function settleTemplateNotices(
  tx: Db,
  t: Database['t'],
  flowId: string,
  version: number,
  nowIso: string,
): Promise<void> {
  const tn = t.templateNotices;
  await tx
    .update(tn)
    .set({ readAt: nowIso })
    .where(
      and(
        eq(tn.flowId, flowId),
        eq(tn.kind, 'published'),
        sql`${tn.templateVersion} <= ${version}`,
        isNull(tn.readAt),
      ),
    );
}
