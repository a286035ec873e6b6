// PostgreSQL, for provinces running several servers. Keep in step with ./sqlite.ts: test/parity.test.ts compares them.
import { sql } from 'drizzle-orm';
import {
  bigint,
  boolean,
  customType,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  uniqueIndex,
} from 'drizzle-orm/pg-core';
import type {
  AttachmentScan,
  Bilingual,
  CaseRowState,
  EventJson,
  FlowJson,
  Json,
  NotificationRecipient,
  TimerPurposeJson,
} from './types';

const json = <T>(name: string) => jsonb(name).$type<T>();
const bool = (name: string) => boolean(name);
/** Milliseconds since the epoch, for ordering and due checks. */
const ms = (name: string) => bigint(name, { mode: 'number' });
const bytes = customType<{ data: Buffer; driverData: Buffer }>({ dataType: () => 'bytea' });

export const jurisdictions = pgTable(
  'jurisdictions',
  {
    code: text('code').primaryKey(),
    name: json<Bilingual>('name').notNull(),
    level: text('level').notNull(),
    parent: text('parent'),
  },
  (t) => [index('jurisdictions_parent_idx').on(t.parent)],
);

export const users = pgTable('users', {
  id: text('id').primaryKey(),
  username: text('username').notNull().unique(),
  displayName: text('display_name').notNull(),
  passwordHash: text('password_hash').notNull(),
  active: bool('active').notNull().default(true),
  createdAt: text('created_at').notNull(),
});

export const memberships = pgTable(
  'memberships',
  {
    id: text('id').primaryKey(),
    userId: text('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    jurisdiction: text('jurisdiction')
      .notNull()
      .references(() => jurisdictions.code),
    role: text('role').notNull(),
    department: text('department'),
  },
  (t) => [
    index('memberships_user_idx').on(t.userId),
    uniqueIndex('memberships_unique').on(t.userId, t.jurisdiction, t.role, t.department),
  ],
);

/**
 * 承办部门 as data: the departments of one jurisdiction. The code is the id that
 * memberships.department and flows' assignee.department hold; the name is what
 * people read. A deactivated department keeps its row (old cases name it) but is
 * no longer offered, nor accepted by the checker or for new memberships.
 */
export const departments = pgTable(
  'departments',
  {
    jurisdiction: text('jurisdiction')
      .notNull()
      .references(() => jurisdictions.code),
    code: text('code').notNull(),
    name: json<Bilingual>('name').notNull(),
    active: boolean('active').notNull().default(true),
    createdAt: text('created_at').notNull(),
    updatedAt: text('updated_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.jurisdiction, t.code] })],
);

export const sessions = pgTable(
  'sessions',
  {
    /** sha256 of the cookie token: a stolen database does not yield live sessions. */
    tokenHash: text('token_hash').primaryKey(),
    userId: text('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    createdAt: text('created_at').notNull(),
    expiresAtMs: ms('expires_at_ms').notNull(),
  },
  (t) => [index('sessions_user_idx').on(t.userId)],
);

export const flows = pgTable(
  'flows',
  {
    id: text('id').primaryKey(),
    jurisdiction: text('jurisdiction')
      .notNull()
      .references(() => jurisdictions.code),
    key: text('key').notNull(),
    name: json<Bilingual>('name').notNull(),
    draft: json<FlowJson>('draft'),
    draftHash: text('draft_hash'),
    draftUpdatedAt: text('draft_updated_at'),
    draftUpdatedBy: text('draft_updated_by'),
    latestVersion: integer('latest_version').notNull().default(0),
    createdAt: text('created_at').notNull(),
  },
  (t) => [uniqueIndex('flows_jurisdiction_key').on(t.jurisdiction, t.key)],
);

/** Published versions: immutable, identified by content hash. */
export const flowVersions = pgTable(
  'flow_versions',
  {
    flowId: text('flow_id')
      .notNull()
      .references(() => flows.id),
    version: integer('version').notNull(),
    definition: json<FlowJson>('definition').notNull(),
    contentHash: text('content_hash').notNull(),
    publishedAt: text('published_at').notNull(),
    publishedBy: text('published_by'),
    note: text('note'),
  },
  (t) => [primaryKey({ columns: [t.flowId, t.version] })],
);

export const templates = pgTable('templates', {
  key: text('key').primaryKey(),
  publisher: text('publisher').notNull(),
  name: json<Bilingual>('name').notNull(),
  latestVersion: integer('latest_version').notNull().default(0),
  createdAt: text('created_at').notNull(),
});

export const templateVersions = pgTable(
  'template_versions',
  {
    key: text('key')
      .notNull()
      .references(() => templates.key),
    version: integer('version').notNull(),
    manifest: json<Json>('manifest').notNull(),
    flow: json<FlowJson>('flow').notNull(),
    forms: json<Json[]>('forms').notNull(),
    readme: text('readme').notNull(),
    /** The template's `scenarios/` scripts (name and script), carried in its bundles. */
    scenarios: json<{ name: string; script: unknown }[]>('scenarios').notNull().default([]),
    contentHash: text('content_hash').notNull(),
    publishedAt: text('published_at').notNull(),
    publishedBy: text('published_by'),
  },
  (t) => [primaryKey({ columns: [t.key, t.version] })],
);

/** Which county flow extends which template version, with the county's JSON Patch overlay. */
export const adoptions = pgTable(
  'adoptions',
  {
    id: text('id').primaryKey(),
    jurisdiction: text('jurisdiction')
      .notNull()
      .references(() => jurisdictions.code),
    templateKey: text('template_key').notNull(),
    templateVersion: integer('template_version').notNull(),
    flowId: text('flow_id')
      .notNull()
      .references(() => flows.id),
    overlay: json<Json[]>('overlay').notNull(),
    adoptedAt: text('adopted_at').notNull(),
    updatedAt: text('updated_at').notNull(),
  },
  (t) => [uniqueIndex('adoptions_flow').on(t.flowId)],
);

/**
 * A county's offer of its local changes back to the template's publisher
 * (县区建议): the changes as overlay operations on the template version the
 * county's flow extended when it proposed, the county's note, and the answer.
 */
export const templateProposals = pgTable(
  'template_proposals',
  {
    id: text('id').primaryKey(),
    jurisdiction: text('jurisdiction')
      .notNull()
      .references(() => jurisdictions.code),
    flowId: text('flow_id')
      .notNull()
      .references(() => flows.id),
    templateKey: text('template_key').notNull(),
    templateVersion: integer('template_version').notNull(),
    changes: json<Json[]>('changes').notNull(),
    note: json<{ 'zh-CN': string; en?: string }>('note').notNull(),
    /** pending (待审阅), accepted (已采纳) or returned (已退回). */
    status: text('status').notNull(),
    proposedBy: text('proposed_by'),
    proposedAt: text('proposed_at').notNull(),
    answeredBy: text('answered_by'),
    answeredAt: text('answered_at'),
    /** The province's reason (退回) or note (采纳). */
    answer: json<{ 'zh-CN': string; en?: string }>('answer'),
    /** The offered changes the province merged (paths), when accepted. */
    merged: json<string[]>('merged'),
    /** When the county's admins opened the answer from the bell. */
    seenAt: text('seen_at'),
  },
  (t) => [
    index('template_proposals_template_idx').on(t.templateKey, t.status),
    index('template_proposals_jurisdiction_idx').on(t.jurisdiction, t.status),
  ],
);

export const petitioners = pgTable(
  'petitioners',
  {
    id: text('id').primaryKey(),
    jurisdiction: text('jurisdiction').notNull(),
    /** AES-256-GCM ciphertexts (base64 iv|tag|data); never logged. */
    nameEnc: text('name_enc'),
    idCardEnc: text('id_card_enc'),
    phoneEnc: text('phone_enc'),
    /** HMAC-SHA256 of the normalised value, for repeat-petition look-ups. */
    idCardHash: text('id_card_hash'),
    phoneHash: text('phone_hash'),
    createdAt: text('created_at').notNull(),
    /** HMAC-SHA256 of the normalised name, for the case search (../search.ts); never the name. */
    nameHash: text('name_hash'),
  },
  (t) => [
    index('petitioners_id_card_hash').on(t.idCardHash),
    index('petitioners_phone_hash').on(t.phoneHash),
    index('petitioners_name_hash').on(t.nameHash),
  ],
);

export const cases = pgTable(
  'cases',
  {
    id: text('id').primaryKey(),
    jurisdiction: text('jurisdiction').notNull(),
    receivedJurisdiction: text('received_jurisdiction').notNull(),
    flowId: text('flow_id')
      .notNull()
      .references(() => flows.id),
    flowKey: text('flow_key').notNull(),
    flowVersion: integer('flow_version').notNull(),
    status: text('status').notNull(),
    outcome: text('outcome'),
    urgency: text('urgency'),
    channel: text('channel').notNull(),
    category: text('category'),
    repeat: bool('repeat').notNull(),
    overdue: bool('overdue').notNull(),
    /** A deadline was missed at some point (engine `state.late`): not closed on time. */
    late: bool('late').notNull().default(false),
    /**
     * The return visit's (回访) satisfaction on the KPI's 1–5 scale, from the
     * case data's `satisfaction` field (docs/stats.md); null when not recorded.
     */
    visitSatisfaction: integer('visit_satisfaction'),
    trackingCode: text('tracking_code').notNull().unique(),
    leaderOwner: text('leader_owner'),
    firstHandler: text('first_handler'),
    petitionerId: text('petitioner_id').references(() => petitioners.id),
    parentCaseId: text('parent_case_id'),
    parentChildId: text('parent_child_id'),
    data: json<Record<string, unknown>>('data').notNull(),
    /** The engine state: always equals replay(definition, events). */
    state: json<CaseRowState>('state').notNull(),
    version: integer('version').notNull(),
    createdAt: text('created_at').notNull(),
    createdAtMs: ms('created_at_ms').notNull(),
    updatedAt: text('updated_at').notNull(),
    closedAt: text('closed_at'),
    closedAtMs: ms('closed_at_ms'),
    /**
     * An open deadline of the case was counted over a calendar year not yet
     * officially published (provisional or not covered): the case flag
     * `calendar.provisional`, shown in lists and counted on the dashboard.
     */
    provisional: bool('provisional').notNull().default(false),
    /** An extension request waits for a leader's decision (待我审批 in the leaders' inbox). */
    awaitingApproval: bool('awaiting_approval').notNull().default(false),
    /**
     * The full-text search tokens of the case data's text (../search.ts):
     * Chinese as overlapping pairs of characters, other words whole; never a
     * sealed (x-sensitive) value or anything under `petitioner`. Indexed by
     * the FTS5 table `cases_fts` on SQLite and a GIN index on PostgreSQL,
     * both made in migration 0008 (outside this schema).
     */
    searchText: text('search_text'),
  },
  (t) => [
    index('cases_provisional').on(t.provisional, t.status, t.jurisdiction),
    index('cases_awaiting_approval').on(t.awaitingApproval, t.jurisdiction),
    // Covering indexes: the stats and lists read only these columns, never the
    // large data/state columns (in SQLite they sit before created_at_ms in the row).
    index('cases_jurisdiction_status').on(t.jurisdiction, t.status, t.overdue, t.createdAtMs),
    index('cases_created').on(t.createdAtMs),
    index('cases_received').on(
      t.jurisdiction,
      t.createdAtMs,
      t.channel,
      t.category,
      t.urgency,
      t.status,
    ),
    index('cases_closed').on(
      t.jurisdiction,
      t.status,
      t.closedAtMs,
      t.outcome,
      t.repeat,
      t.late,
      t.visitSatisfaction,
      t.petitionerId,
      t.createdAtMs,
      t.id,
    ),
    index('cases_petitioner').on(t.petitionerId, t.repeat, t.createdAtMs),
    // 我包案的: the cases a leader owns, newest first.
    index('cases_leader').on(t.leaderOwner, t.createdAtMs),
    // The rows not yet given search tokens (none, once migrated): found at start-up without a scan.
    index('cases_unindexed').on(t.id).where(sql`${t.searchText} is null`),
    // Open cases oldest (or newest) first across many jurisdictions (超期清单 of a province):
    // the open ones are few and recent, so walking cases_created from the oldest read
    // every closed case first (2 s at 2,000,000 cases; bench/province.ts).
    index('cases_open_created').on(t.createdAtMs, t.id).where(sql`${t.status} = 'active'`),
  ],
);

/** Append-only: one row per engine event, numbered per case from 1. */
export const events = pgTable(
  'events',
  {
    caseId: text('case_id')
      .notNull()
      .references(() => cases.id),
    seq: integer('seq').notNull(),
    type: text('type').notNull(),
    at: text('at').notNull(),
    by: text('by'),
    body: json<EventJson>('body').notNull(),
  },
  (t) => [primaryKey({ columns: [t.caseId, t.seq] })],
);

export const tasks = pgTable(
  'tasks',
  {
    id: text('id').primaryKey(),
    caseId: text('case_id')
      .notNull()
      .references(() => cases.id),
    node: text('node').notNull(),
    name: json<Bilingual>('name').notNull(),
    form: text('form'),
    role: text('role').notNull(),
    jurisdiction: text('jurisdiction').notNull(),
    department: text('department'),
    groupName: text('group_name'),
    preferredUser: text('preferred_user'),
    assignee: text('assignee'),
    status: text('status').notNull(),
    dueState: text('due_state').notNull(),
    openedAt: text('opened_at').notNull(),
    due: text('due'),
    dueMs: ms('due_ms'),
    closedAt: text('closed_at'),
    closeReason: text('close_reason'),
  },
  (t) => [
    // The inbox reads each branch (mine; claimable per membership) in deadline order.
    index('tasks_inbox').on(t.status, t.jurisdiction, t.role, t.assignee, t.dueMs, t.openedAt),
    index('tasks_assignee').on(t.assignee, t.status, t.dueMs, t.openedAt),
    index('tasks_case').on(t.caseId),
  ],
);

export const timers = pgTable(
  'timers',
  {
    id: text('id').primaryKey(),
    caseId: text('case_id')
      .notNull()
      .references(() => cases.id),
    due: text('due').notNull(),
    dueMs: ms('due_ms').notNull(),
    purpose: json<TimerPurposeJson>('purpose'),
    status: text('status').notNull(),
    claimedBy: text('claimed_by'),
    claimedUntilMs: ms('claimed_until_ms'),
    firedAt: text('fired_at'),
    attempts: integer('attempts').notNull().default(0),
    lastError: text('last_error'),
  },
  (t) => [index('timers_due').on(t.status, t.dueMs)],
);

export const notifications = pgTable(
  'notifications',
  {
    id: text('id').primaryKey(),
    caseId: text('case_id')
      .notNull()
      .references(() => cases.id),
    recipient: json<NotificationRecipient>('recipient').notNull(),
    message: json<Bilingual>('message').notNull(),
    taskId: text('task_id'),
    createdAt: text('created_at').notNull(),
    deliveredAt: text('delivered_at'),
  },
  (t) => [
    index('notifications_undelivered').on(t.deliveredAt),
    index('notifications_case').on(t.caseId),
  ],
);

/**
 * In-app delivery: one row per staff member a notification reached (the
 * scheduler resolves roles, assignees and leaders to users and fans out).
 */
export const userNotifications = pgTable(
  'user_notifications',
  {
    notificationId: text('notification_id')
      .notNull()
      .references(() => notifications.id),
    userId: text('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    caseId: text('case_id').notNull(),
    createdAt: text('created_at').notNull(),
    readAt: text('read_at'),
  },
  (t) => [
    primaryKey({ columns: [t.notificationId, t.userId] }),
    index('user_notifications_mine').on(t.userId, t.readAt, t.createdAt),
  ],
);

/**
 * Stored notices of template sharing, one row per admin told, written in the
 * transaction of what they tell: a new version of a template the admin's
 * county adopted (`published`, pointing at the county's flow to upgrade), or a
 * county's proposal to the template's publisher (`proposed`). They page and
 * count beside `user_notifications` in the bell (notifications.ts).
 */
export const templateNotices = pgTable(
  'template_notices',
  {
    id: text('id').primaryKey(),
    userId: text('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    /** published | proposed. */
    kind: text('kind').notNull(),
    templateKey: text('template_key').notNull(),
    templateVersion: integer('template_version').notNull(),
    /** The county the notice is about: the adopting or the proposing one. */
    jurisdiction: text('jurisdiction')
      .notNull()
      .references(() => jurisdictions.code),
    /** published: the county's adopting flow (its upgrade page). */
    flowId: text('flow_id'),
    /** proposed: the proposal to review. */
    proposalId: text('proposal_id'),
    message: json<Bilingual>('message').notNull(),
    /** The version's changelog entry, or the county's note. */
    detail: json<Bilingual>('detail'),
    createdAt: text('created_at').notNull(),
    readAt: text('read_at'),
  },
  (t) => [
    index('template_notices_mine').on(t.userId, t.createdAt, t.id),
    index('template_notices_unread').on(t.userId, t.readAt),
  ],
);

/** Failed sign-ins per key (user name, address) in the rate-limit window, shared by every server. */
export const loginAttempts = pgTable(
  'login_attempts',
  {
    key: text('key').notNull(),
    atMs: ms('at_ms').notNull(),
  },
  (t) => [index('login_attempts_key').on(t.key, t.atMs)],
);

export const attachments = pgTable(
  'attachments',
  {
    id: text('id').primaryKey(),
    caseId: text('case_id').references(() => cases.id),
    name: text('name').notNull(),
    mime: text('mime').notNull(),
    size: integer('size').notNull(),
    sha256: text('sha256').notNull(),
    /** Path of the bytes under the attachments folder, named by content hash. */
    storagePath: text('storage_path').notNull(),
    scan: json<AttachmentScan>('scan'),
    uploadedBy: text('uploaded_by'),
    createdAt: text('created_at').notNull(),
  },
  (t) => [index('attachments_case').on(t.caseId)],
);

/**
 * Attachment bytes, one row per stored file (named like attachments.storage_path,
 * by content hash, so uploads of the same file share it), in the database every
 * server reaches. Files written to `data/attachments/` before this table existed
 * are read from there and copied in on first read (apps/server/src/http/files.ts).
 */
export const attachmentFiles = pgTable('attachment_files', {
  storagePath: text('storage_path').primaryKey(),
  size: integer('size').notNull(),
  bytes: bytes('bytes').notNull(),
  createdAt: text('created_at').notNull(),
});

/**
 * Supervision orders (督办), one row per order as the case's events leave it
 * (the engine's `supervision.save` effect, in the transition's transaction):
 * the inbox tag, the case lists and the dashboard's 督办 figures read these.
 */
export const supervisions = pgTable(
  'supervisions',
  {
    id: text('id').primaryKey(),
    caseId: text('case_id')
      .notNull()
      .references(() => cases.id),
    /** The case's jurisdiction when the order was issued. */
    jurisdiction: text('jurisdiction').notNull(),
    reason: text('reason').notNull(),
    to: json<Json>('to').notNull(),
    issuedBy: text('issued_by').notNull(),
    issuedAtMs: ms('issued_at_ms').notNull(),
    deadlineMs: ms('deadline_ms').notNull(),
    /** open, answered or closed. */
    status: text('status').notNull(),
    answeredAtMs: ms('answered_at_ms'),
    closedAtMs: ms('closed_at_ms'),
  },
  (t) => [
    index('supervisions_case').on(t.caseId, t.status),
    index('supervisions_issued').on(t.jurisdiction, t.issuedAtMs),
    index('supervisions_open').on(t.status, t.jurisdiction, t.deadlineMs),
  ],
);

/** Satisfaction evaluations (满意度评价), outside the engine's event log. */
export const evaluations = pgTable('evaluations', {
  caseId: text('case_id')
    .primaryKey()
    .references(() => cases.id),
  score: integer('score').notNull(),
  comment: text('comment'),
  via: text('via').notNull(),
  createdAt: text('created_at').notNull(),
});

/**
 * Closed cases whose events, attachments and documents were moved to an
 * archive file (`lianxin archive`, ../archive.ts); the case row stays, so
 * lists, search and the dashboards still count it. `rowSha256` pins the row
 * as it was when its replay was last proven (verify checks it while the
 * events are away); `lianxin restore-archive` puts the rows back and removes this one.
 */
export const caseArchives = pgTable(
  'case_archives',
  {
    caseId: text('case_id')
      .primaryKey()
      .references(() => cases.id),
    /** The year (Beijing time) the case was closed in. */
    year: integer('year').notNull(),
    /** The archive file's name, as `lianxin archive` wrote it. */
    file: text('file').notNull(),
    archivedAt: text('archived_at').notNull(),
    events: integer('events').notNull(),
    attachments: integer('attachments').notNull(),
    /** SHA-256 of the case row's canonical JSON when archived. */
    rowSha256: text('row_sha256').notNull(),
    /** SHA-256 of the case's events' canonical JSON, checked again by a restore. */
    eventsSha256: text('events_sha256').notNull(),
  },
  (t) => [index('case_archives_year').on(t.year)],
);

/**
 * The security audit log (等保 2.0 安全审计): append-only, each row chained to
 * the one before by `prevHash`, so an altered or removed row breaks the chain
 * (see ../audit.ts). The application never updates or deletes a row here,
 * except the retention job for rows past the retention period.
 */
export const auditLog = pgTable(
  'audit_log',
  {
    seq: bigint('seq', { mode: 'number' }).primaryKey(),
    at: text('at').notNull(),
    atMs: ms('at_ms').notNull(),
    actorId: text('actor_id'),
    actorName: text('actor_name'),
    action: text('action').notNull(),
    jurisdiction: text('jurisdiction'),
    caseId: text('case_id'),
    petitionerId: text('petitioner_id'),
    ip: text('ip'),
    detail: json<Json>('detail').notNull(),
    prevHash: text('prev_hash').notNull(),
    hash: text('hash').notNull(),
  },
  (t) => [
    index('audit_log_actor').on(t.actorId, t.seq),
    index('audit_log_case').on(t.caseId, t.seq),
    index('audit_log_at').on(t.atMs),
    index('audit_log_jurisdiction').on(t.jurisdiction, t.seq),
  ],
);

/** One row (id 1): the chain's last sequence number and hash; appends lock it, so the chain never forks. */
export const auditHead = pgTable('audit_head', {
  id: integer('id').primaryKey(),
  seq: ms('seq').notNull(),
  hash: text('hash').notNull(),
});

/**
 * The encryption keys the data was written with, by fingerprint (never the
 * key): a server refuses to start unless its key ring holds every key not
 * yet retired here (../keys.ts). A key is retired once a rotation has
 * re-encrypted everything it sealed.
 */
export const keyRing = pgTable('key_ring', {
  /** Short id carried by `v2:<kid>:` ciphertexts (the fingerprint's first 8 hex digits). */
  kid: text('kid').primaryKey(),
  /** SHA-256 of a value derived from the key (HKDF), hex. */
  fingerprint: text('fingerprint').notNull(),
  addedAt: text('added_at').notNull(),
  retiredAt: text('retired_at'),
});

/**
 * Holiday arrangements (放假安排) a province (or the nation) published, one
 * row per revision of a year: a correction is a new revision with a reason,
 * and the newest revision is the one in force (../calendars.ts). The bundled
 * chinese-days years are the base and are not copied here.
 */
export const calendarYears = pgTable(
  'calendar_years',
  {
    jurisdiction: text('jurisdiction')
      .notNull()
      .references(() => jurisdictions.code),
    year: integer('year').notNull(),
    revision: integer('revision').notNull(),
    status: text('status').notNull(),
    /** Date (`YYYY-MM-DD`) → the holiday's name. */
    holidays: json<Record<string, string>>('holidays').notNull(),
    /** Make-up working days (调休上班): date → the holiday they belong to. */
    workdays: json<Record<string, string>>('workdays').notNull(),
    sourceDocument: text('source_document'),
    sourceDate: text('source_date'),
    enteredBy: text('entered_by'),
    enteredAt: text('entered_at').notNull(),
    /** Why a correction was made (revision 2 and later). */
    reason: text('reason'),
    /** Open cases to recompute, how many are done and how many had a due date move. */
    recomputeTotal: integer('recompute_total').notNull().default(0),
    recomputeDone: integer('recompute_done').notNull().default(0),
    recomputeMoved: integer('recompute_moved').notNull().default(0),
    /** Null while open cases are still being recomputed. */
    recomputedAt: text('recomputed_at'),
  },
  (t) => [primaryKey({ columns: [t.jurisdiction, t.year, t.revision] })],
);

/**
 * A jurisdiction's own days off (e.g. an ethnic autonomous area's festivals),
 * one row per revision of a year; only where `calendarLocalGrants` allows it.
 */
export const calendarLocalDays = pgTable(
  'calendar_local_days',
  {
    jurisdiction: text('jurisdiction')
      .notNull()
      .references(() => jurisdictions.code),
    year: integer('year').notNull(),
    revision: integer('revision').notNull(),
    /** Date → the day's name. */
    days: json<Record<string, string>>('days').notNull(),
    enteredBy: text('entered_by'),
    enteredAt: text('entered_at').notNull(),
    reason: text('reason'),
  },
  (t) => [primaryKey({ columns: [t.jurisdiction, t.year, t.revision] })],
);

/** Jurisdictions an admin above allowed to keep local days off. */
export const calendarLocalGrants = pgTable('calendar_local_grants', {
  jurisdiction: text('jurisdiction')
    .primaryKey()
    .references(() => jurisdictions.code),
  grantedBy: text('granted_by'),
  grantedAt: text('granted_at').notNull(),
  note: text('note'),
});

/**
 * The last serial number (文号) issued per jurisdiction, document kind and
 * year; incremented in the transaction that issues the document, so a number
 * is never given twice (a rolled-back transition gives its number back
 * unissued).
 */
export const documentSerials = pgTable(
  'document_serials',
  {
    jurisdiction: text('jurisdiction').notNull(),
    kind: text('kind').notNull(),
    year: integer('year').notNull(),
    last: integer('last').notNull(),
  },
  (t) => [primaryKey({ columns: [t.jurisdiction, t.kind, t.year] })],
);

/** A county's own wording of a statutory document (文书); the shipped default otherwise. */
export const documentTemplates = pgTable(
  'document_templates',
  {
    jurisdiction: text('jurisdiction')
      .notNull()
      .references(() => jurisdictions.code),
    kind: text('kind').notNull(),
    /** 文号 prefix, e.g. 台信受 in 台信受〔2026〕12号. */
    serialPrefix: text('serial_prefix').notNull(),
    issuer: text('issuer').notNull(),
    title: text('title').notNull(),
    body: text('body').notNull(),
    revision: integer('revision').notNull(),
    updatedBy: text('updated_by'),
    updatedAt: text('updated_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.jurisdiction, t.kind] })],
);

/**
 * An issued statutory document: its 文号 and its text as issued, sealed (it
 * names the petitioner); the PDF is an attachment of the case once rendered.
 */
export const documents = pgTable(
  'documents',
  {
    id: text('id').primaryKey(),
    caseId: text('case_id')
      .notNull()
      .references(() => cases.id),
    jurisdiction: text('jurisdiction').notNull(),
    kind: text('kind').notNull(),
    year: integer('year').notNull(),
    number: integer('number').notNull(),
    serial: text('serial').notNull(),
    /** The edge whose transition issued it. */
    edge: text('edge').notNull(),
    /** The case version the issuing transition wrote. */
    caseVersion: integer('case_version').notNull(),
    /** `{ title, issuer, body }` as issued, sealed with the store's key. */
    content: text('content').notNull(),
    templateRevision: integer('template_revision').notNull(),
    issuedAt: text('issued_at').notNull(),
    issuedBy: text('issued_by'),
    attachmentId: text('attachment_id'),
  },
  (t) => [
    uniqueIndex('documents_serial').on(t.jurisdiction, t.kind, t.year, t.number),
    index('documents_case').on(t.caseId),
  ],
);

/**
 * KPI counters (docs/stats.md, *How it is counted*): per jurisdiction, Beijing
 * day and the case's flow, channel, category, urgency and current status,
 * what the cases received that day add up to (`received`) and what the cases
 * closed that day add up to (the other figures). Written by every transition,
 * rating and repeat registration in its own transaction as the difference its
 * case makes (kpi-counters.ts); `lianxin kpi rebuild` recomputes them from the
 * case rows. No category or urgency is stored as ''.
 */
export const kpiCounters = pgTable(
  'kpi_counters',
  {
    jurisdiction: text('jurisdiction').notNull(),
    /** Days since 1970-01-01 in Asia/Shanghai. */
    day: integer('day').notNull(),
    flowKey: text('flow_key').notNull(),
    channel: text('channel').notNull(),
    category: text('category').notNull(),
    urgency: text('urgency').notNull(),
    status: text('status').notNull(),
    received: integer('received').notNull().default(0),
    closed: integer('closed').notNull().default(0),
    resolved: integer('resolved').notNull().default(0),
    firstTime: integer('first_time').notNull().default(0),
    onTime: integer('on_time').notNull().default(0),
    evaluated: integer('evaluated').notNull().default(0),
    satisfied: integer('satisfied').notNull().default(0),
  },
  (t) => [
    primaryKey({
      columns: [t.jurisdiction, t.day, t.flowKey, t.channel, t.category, t.urgency, t.status],
    }),
  ],
);

/**
 * Cases with a later repeat petition from the same petitioner (重信重访): such a
 * case no longer counts as resolved the first time. Set in the transaction that
 * registers the repeat, under the earlier cases' row locks.
 */
export const kpiRepeatedLater = pgTable('kpi_repeated_later', {
  caseId: text('case_id')
    .primaryKey()
    .references(() => cases.id),
});
