import { createHash, randomUUID } from 'node:crypto';
import { type CaseNotes, type Command, caseNotes, type Event } from '@lianxin/engine';
import {
  type CheckedFlow,
  checkedFlow,
  containsSealed,
  withoutContactDetails as dataWithoutContactDetails,
  FlowDefinition,
  FlowNotChecked,
  parseFlow,
  sealValue,
} from '@lianxin/spec';
import {
  and,
  asc,
  desc,
  eq,
  gte,
  inArray,
  isNotNull,
  isNull,
  lt,
  lte,
  ne,
  or,
  type SQL,
  sql,
} from 'drizzle-orm';
import {
  type AttemptLimit,
  type AttemptVerdict,
  isKnown,
  markKnown,
  releaseAttempt,
  takeAttempt,
} from './attempts';
import { Calendars } from './calendar-repo';
import { CalendarCache } from './calendars';
import { type CaseComplaint, caseComplaint, caseListColumns } from './case-title';
import {
  type ActOutcome,
  CaseWriter,
  type Clock,
  CommandRejected,
  StaleVersion,
  type StartInput,
  systemClock,
} from './cases';
import { hashPassword, type Vault } from './crypto';
import type { Database, Db } from './db';
import { DocumentIssuer } from './documents';
import { StoreError } from './errors';
import { capped, compareText, keysetAfter, LIST_COUNT_CAP } from './keyset';
import { countRating, lockForRating } from './kpi-counters';
import {
  deliverNotifications,
  markNotificationsRead,
  noticeTemplatePublished,
  notificationsFor,
  notifyLowRating,
  petitionerNotices,
  settleTemplateNotices,
} from './notifications';
import type { PgCaseCore } from './pg-writes';
import { TemplateProposals } from './proposals';
import type { Bilingual, FlowJson } from './schema/types';
import { type CaseSearch, searchCases } from './search';

export type JurisdictionRow = Database['t']['jurisdictions']['$inferSelect'];
export type UserRow = Database['t']['users']['$inferSelect'];
export type MembershipRow = Database['t']['memberships']['$inferSelect'];
export type FlowRow = Database['t']['flows']['$inferSelect'];
export type FlowVersionRow = Database['t']['flowVersions']['$inferSelect'];
export type CaseRow = Database['t']['cases']['$inferSelect'];
export type TaskRow = Database['t']['tasks']['$inferSelect'];
export type TimerRow = Database['t']['timers']['$inferSelect'];
export type TemplateVersionRow = Database['t']['templateVersions']['$inferSelect'];
export type AdoptionRow = Database['t']['adoptions']['$inferSelect'];
export type AttachmentRow = Database['t']['attachments']['$inferSelect'];

/** Canonical JSON (keys sorted) so equal content always hashes equal, whatever the key order. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}
export function contentHash(value: unknown): string {
  return `sha256:${createHash('sha256').update(canonicalJson(value)).digest('hex')}`;
}

export interface CaseFilters {
  jurisdictions?: string[];
  status?: string[];
  /** Colours, and `none` for cases not triaged yet. */
  urgency?: string[];
  /**
   * `true`: the open cases with a task or a running statutory clock past its
   * deadline; `false`: the cases that are not.
   */
  overdue?: boolean;
  /** Changed at or after this instant, or overdue (the weekly review list). */
  changedSinceOrOverdue?: string;
  flowKey?: string;
  channel?: string[];
  category?: string;
  trackingCode?: string;
  petitionerId?: string;
  createdFrom?: string;
  createdTo?: string;
  /** newest first (default), or oldest first: the overdue list reads the longest-waiting first. */
  order?: 'newest' | 'oldest';
  limit?: number;
  /** After this case (the `next` of the page before, read in the same order). */
  after?: CaseKey;
}

export interface PetitionerInput {
  jurisdiction: string;
  name?: string;
  idCard?: string;
  phone?: string;
}

export interface InboxScope {
  userId: string;
  memberships: { jurisdiction: string; role: string; department: string | null }[];
}

export interface InboxFilters {
  /** Assigned to me, waiting to be claimed by my groups, or both (default). */
  which?: 'all' | 'mine' | 'claimable';
  /** As the workbench shows it: overdue once the deadline has passed, due soon within two days. */
  dueState?: ('onTime' | 'dueSoon' | 'overdue')[];
  /** The case's colour; `none` for not yet triaged. */
  urgency?: string[];
  trackingCode?: string;
  /** Earliest deadline first (default, tasks without one last), or the newest task first. */
  sort?: 'due' | 'newest';
  limit?: number;
  /** After this row (the `next` of the page before, read with the same sort). */
  after?: InboxKey;
}

/** Where an inbox page ends: the last task's sort key (its deadline, opening time and id). */
export interface InboxKey {
  dueMs: number | null;
  openedAt: string;
  id: string;
}

/** Where a case list page ends: the last case's creation time and id. */
export interface CaseKey {
  createdAtMs: number;
  id: string;
}

/** A task due within this time shows as due soon (the workbench's 即将到期). */
export const DUE_SOON_MS = 2 * 86_400_000;

const RETRIES = 5;

/** The changelog entry of `version` in a template manifest, if it has one. */
function changesOf(manifest: Record<string, unknown>, version: number): Bilingual | null {
  const log = Array.isArray(manifest.changelog) ? manifest.changelog : [];
  const entry = log.find(
    (c): c is { changes: Bilingual } =>
      typeof c === 'object' &&
      c !== null &&
      (c as { version?: unknown }).version === version &&
      typeof (c as { changes?: { 'zh-CN'?: unknown } }).changes?.['zh-CN'] === 'string',
  );
  return entry ? entry.changes : null;
}

/** A case as `caseForCommand` read it: its jurisdiction and, on PostgreSQL, the row. */
export interface CommandBase {
  id: string;
  jurisdiction: string;
  row?: PgCaseCore;
}

/** The repositories of Lianxin over one database (SQLite or PostgreSQL). */
export class Store {
  readonly writer: CaseWriter;
  /** Calendars as data: effective calendars, publishing, local days, recomputation. */
  readonly calendars: Calendars;
  /** Statutory documents (文书): templates, 文号 counters, issued documents. */
  readonly documents: DocumentIssuer;
  /** 县区建议: counties' local changes offered back to a template's publisher. */
  readonly proposals: TemplateProposals;
  private readonly definitions = new Map<string, CheckedFlow>();

  constructor(
    readonly database: Database,
    readonly vault: Vault,
    readonly clock: Clock = systemClock,
  ) {
    this.writer = new CaseWriter(
      database,
      {
        definition: (tx, flowId, version) => this.definition(tx, flowId, version),
        cached: (flowId, version) => this.definitions.get(`${flowId}@${version}`),
        resolveSubflow: (tx, jurisdiction, ref) => this.resolveSubflow(tx, jurisdiction, ref),
      },
      clock,
      new CalendarCache(database),
    );
    // Sensitive form values are sealed with this store's key before any event holds them.
    this.writer.seal = (kind, plain) => sealValue(kind, vault.encrypt(plain));
    this.documents = new DocumentIssuer(database, vault);
    this.proposals = new TemplateProposals(database, clock);
    this.writer.documents = this.documents;
    this.calendars = new Calendars(
      database,
      clock,
      this.writer.calendars,
      this.writer,
      (tx, f, v) => this.definition(tx, f, v),
    );
  }

  private get t() {
    return this.database.t;
  }
  private nowIso(): string {
    return this.clock.now().toISOString();
  }

  // Jurisdictions ----------------------------------------------------------

  async upsertJurisdiction(row: JurisdictionRow): Promise<void> {
    await this.database.tx(async (tx) => {
      await tx
        .insert(this.t.jurisdictions)
        .values(row)
        .onConflictDoUpdate({
          target: this.t.jurisdictions.code,
          set: { name: row.name, level: row.level, parent: row.parent },
        });
    });
    // Calendars follow the tree: a new parent can change what a jurisdiction inherits.
    this.writer.calendars.invalidate();
  }

  listJurisdictions(): Promise<JurisdictionRow[]> {
    return this.database.read((db) =>
      db.select().from(this.t.jurisdictions).orderBy(asc(this.t.jurisdictions.code)),
    );
  }

  /** The code itself and every jurisdiction below it. */
  async descendants(code: string): Promise<string[]> {
    const all = await this.listJurisdictions();
    const children = new Map<string, string[]>();
    for (const j of all) {
      if (!j.parent) continue;
      children.set(j.parent, [...(children.get(j.parent) ?? []), j.code]);
    }
    const out: string[] = [];
    const stack = [code];
    while (stack.length) {
      const c = stack.pop() as string;
      out.push(c);
      stack.push(...(children.get(c) ?? []));
    }
    return out;
  }

  // Users, memberships, sessions ---------------------------------------------

  async createUser(input: {
    username: string;
    displayName: string;
    password: string;
    memberships: { jurisdiction: string; role: string; department?: string | null }[];
  }): Promise<UserRow> {
    const passwordHash = await hashPassword(input.password);
    return this.database.tx(async (tx) => {
      const [user] = await tx
        .insert(this.t.users)
        .values({
          id: randomUUID(),
          username: input.username,
          displayName: input.displayName,
          passwordHash,
          active: true,
          createdAt: this.nowIso(),
        })
        .returning();
      if (!user) throw new Error('insert returned nothing');
      await this.writeMemberships(tx, user.id, input.memberships);
      return user;
    });
  }

  private async writeMemberships(
    tx: Db,
    userId: string,
    memberships: { jurisdiction: string; role: string; department?: string | null }[],
  ) {
    await tx.delete(this.t.memberships).where(eq(this.t.memberships.userId, userId));
    if (memberships.length) {
      await tx.insert(this.t.memberships).values(
        memberships.map((m) => ({
          id: randomUUID(),
          userId,
          jurisdiction: m.jurisdiction,
          role: m.role,
          department: m.department ?? null,
        })),
      );
    }
  }

  async updateUser(
    userId: string,
    patch: {
      displayName?: string;
      active?: boolean;
      password?: string;
      memberships?: { jurisdiction: string; role: string; department?: string | null }[];
    },
  ): Promise<void> {
    const passwordHash = patch.password ? await hashPassword(patch.password) : undefined;
    await this.database.tx(async (tx) => {
      const set: Partial<UserRow> = {};
      if (patch.displayName !== undefined) set.displayName = patch.displayName;
      if (patch.active !== undefined) set.active = patch.active;
      if (passwordHash) set.passwordHash = passwordHash;
      if (Object.keys(set).length) {
        await tx.update(this.t.users).set(set).where(eq(this.t.users.id, userId));
      }
      // A new password or a deactivation ends every session the user had.
      if (patch.active === false || passwordHash) {
        await tx.delete(this.t.sessions).where(eq(this.t.sessions.userId, userId));
      }
      if (patch.memberships) await this.writeMemberships(tx, userId, patch.memberships);
    });
  }

  userByUsername(username: string): Promise<UserRow | undefined> {
    return this.database.read(async (db) => {
      const [u] = await db.select().from(this.t.users).where(eq(this.t.users.username, username));
      return u;
    });
  }

  user(id: string): Promise<UserRow | undefined> {
    return this.database.read(async (db) => {
      const [u] = await db.select().from(this.t.users).where(eq(this.t.users.id, id));
      return u;
    });
  }

  memberships(userId: string): Promise<MembershipRow[]> {
    return this.database.read((db) =>
      db.select().from(this.t.memberships).where(eq(this.t.memberships.userId, userId)),
    );
  }

  /** Users with at least one membership in the given jurisdictions. */
  async listUsers(jurisdictions: string[]) {
    return this.database.read(async (db) => {
      const rows = await db
        .select({ user: this.t.users, membership: this.t.memberships })
        .from(this.t.users)
        .innerJoin(this.t.memberships, eq(this.t.memberships.userId, this.t.users.id))
        .where(inArray(this.t.memberships.jurisdiction, jurisdictions))
        .orderBy(asc(this.t.users.username));
      const byId = new Map<string, { user: UserRow; memberships: MembershipRow[] }>();
      for (const r of rows) {
        const entry = byId.get(r.user.id) ?? { user: r.user, memberships: [] };
        entry.memberships.push(r.membership);
        byId.set(r.user.id, entry);
      }
      return [...byId.values()];
    });
  }

  async countUsers(): Promise<number> {
    return this.database.read(async (db) => {
      const [r] = await db.select({ n: sql<number>`count(*)` }).from(this.t.users);
      return Number(r?.n ?? 0);
    });
  }

  /** A session that expires after `idleMs` unless used (see `session`). */
  async createSession(userId: string, tokenHash: string, idleMs: number): Promise<void> {
    await this.database.tx(async (tx) => {
      await tx.insert(this.t.sessions).values({
        tokenHash,
        userId,
        createdAt: this.nowIso(),
        expiresAtMs: this.clock.now().getTime() + idleMs,
      });
    });
  }

  /**
   * The live session's user and memberships, or undefined. `expires_at_ms` is
   * the idle deadline: each use moves it to now + `idleMs`, written at most
   * once per `touchEveryMs` to keep requests cheap, and never past
   * `maxAgeMs` after the sign-in.
   */
  async session(
    tokenHash: string,
    policy: { idleMs: number; maxAgeMs: number; touchEveryMs?: number } = {
      idleMs: 30 * 60_000,
      maxAgeMs: 12 * 3_600_000,
    },
  ) {
    const now = this.clock.now().getTime();
    const found = await this.database.read(async (db) => {
      const [row] = await db
        .select({ session: this.t.sessions, user: this.t.users })
        .from(this.t.sessions)
        .innerJoin(this.t.users, eq(this.t.users.id, this.t.sessions.userId))
        .where(eq(this.t.sessions.tokenHash, tokenHash));
      if (!row?.user.active) return undefined;
      const endMs = Date.parse(row.session.createdAt) + policy.maxAgeMs;
      if (row.session.expiresAtMs < now || endMs < now) return undefined;
      const memberships = await db
        .select()
        .from(this.t.memberships)
        .where(eq(this.t.memberships.userId, row.user.id));
      return { user: row.user, memberships, expiresAtMs: row.session.expiresAtMs, endMs };
    });
    if (!found) return undefined;
    const next = Math.min(now + policy.idleMs, found.endMs);
    if (next - found.expiresAtMs >= (policy.touchEveryMs ?? 60_000)) {
      await this.database.tx(async (tx) => {
        await tx
          .update(this.t.sessions)
          .set({ expiresAtMs: next })
          .where(eq(this.t.sessions.tokenHash, tokenHash));
      });
    }
    return { user: found.user, memberships: found.memberships };
  }

  async deleteSession(tokenHash: string): Promise<void> {
    await this.database.tx(async (tx) => {
      await tx.delete(this.t.sessions).where(eq(this.t.sessions.tokenHash, tokenHash));
    });
  }

  // Flows ---------------------------------------------------------------------

  /**
   * Creates the flow on first save; later saves replace the draft. With
   * `expect`, the save is refused (nothing written) when the flow already
   * exists (`{ new: true }`: a new flow may not take an existing key) or when
   * its draft is no longer the one the editor started from
   * (`{ draftHash }`: someone else saved in between; `flow.draftConflict`
   * carries who and when).
   */
  async saveDraft(input: {
    jurisdiction: string;
    key: string;
    name: Bilingual;
    draft: FlowJson;
    by: string | null;
    expect?: { new: true } | { draftHash: string | null };
  }): Promise<FlowRow> {
    const now = this.nowIso();
    return this.database.tx(async (tx) => {
      // A draft may be unfinished; when it already matches the format it is kept
      // with its defaults filled, so what is stored is what will run.
      const given = { ...input.draft, key: input.key, jurisdiction: input.jurisdiction };
      const filled = FlowDefinition.safeParse(given);
      const draft: FlowJson = filled.success ? (filled.data as FlowJson) : given;
      const values = {
        name: input.name,
        draft,
        draftHash: contentHash(draft),
        draftUpdatedAt: now,
        draftUpdatedBy: input.by,
      };
      const [existing] = await tx
        .select()
        .from(this.t.flows)
        .where(
          and(eq(this.t.flows.jurisdiction, input.jurisdiction), eq(this.t.flows.key, input.key)),
        );
      const expect = input.expect;
      if (existing && expect && 'new' in expect) {
        throw new StoreError('flow.exists', { flow: input.key, jurisdiction: input.jurisdiction });
      }
      if (existing) {
        const based = expect && 'draftHash' in expect ? expect.draftHash : undefined;
        const conflict = () =>
          new StoreError(
            'flow.draftConflict',
            { flow: input.key },
            {
              flowId: existing.id,
              draftHash: existing.draftHash,
              draftUpdatedAt: existing.draftUpdatedAt,
              draftUpdatedBy: existing.draftUpdatedBy,
            },
          );
        if (based !== undefined && existing.draftHash !== based) throw conflict();
        const same =
          based === undefined
            ? eq(this.t.flows.id, existing.id)
            : based === null
              ? and(eq(this.t.flows.id, existing.id), isNull(this.t.flows.draftHash))
              : and(eq(this.t.flows.id, existing.id), eq(this.t.flows.draftHash, based));
        // The condition again in the update: a save that committed since the read loses nothing.
        const [row] = await tx.update(this.t.flows).set(values).where(same).returning();
        if (!row) throw conflict();
        return row as FlowRow;
      }
      const [row] = await tx
        .insert(this.t.flows)
        .values({
          id: randomUUID(),
          jurisdiction: input.jurisdiction,
          key: input.key,
          createdAt: now,
          latestVersion: 0,
          ...values,
        })
        .returning();
      return row as FlowRow;
    });
  }

  flow(id: string): Promise<FlowRow | undefined> {
    return this.database.read(async (db) => {
      const [f] = await db.select().from(this.t.flows).where(eq(this.t.flows.id, id));
      return f;
    });
  }

  flowByKey(jurisdiction: string, key: string): Promise<FlowRow | undefined> {
    return this.database.read(async (db) => {
      const [f] = await db
        .select()
        .from(this.t.flows)
        .where(and(eq(this.t.flows.jurisdiction, jurisdiction), eq(this.t.flows.key, key)));
      return f;
    });
  }

  listFlows(jurisdictions: string[]) {
    return this.database.read((db) =>
      db
        .select({
          id: this.t.flows.id,
          jurisdiction: this.t.flows.jurisdiction,
          key: this.t.flows.key,
          name: this.t.flows.name,
          latestVersion: this.t.flows.latestVersion,
          draftUpdatedAt: this.t.flows.draftUpdatedAt,
          draftHash: this.t.flows.draftHash,
        })
        .from(this.t.flows)
        .where(inArray(this.t.flows.jurisdiction, jurisdictions))
        .orderBy(asc(this.t.flows.jurisdiction), asc(this.t.flows.key)),
    );
  }

  /**
   * Publishes the current draft as the next version. Published versions are
   * never updated: the repository has no way to, and the hash is kept beside them.
   */
  async publish(flowId: string, by: string | null, note?: string): Promise<FlowVersionRow> {
    return this.database.tx(async (tx) => {
      const [flow] = await tx.select().from(this.t.flows).where(eq(this.t.flows.id, flowId));
      if (!flow) throw new StoreError('flow.notFound', { flow: flowId });
      if (!flow.draft) throw new StoreError('flow.noDraft', { flow: flow.key });
      const version = flow.latestVersion + 1;
      // Only a checked definition is published, and it is stored as it will run:
      // with every default filled (clocks, extension times, join modes, …).
      const parsed = parseFlow({ ...flow.draft, version });
      if (!parsed.ok) {
        const errors = parsed.problems.filter((p) => p.severity === 'error');
        throw new StoreError('flow.invalid', {
          flow: flow.key,
          count: errors.length,
          first: errors[0] ? `${errors[0].pointer || '/'} ${errors[0].message.en}` : '',
        });
      }
      const definition = parsed.flow as unknown as FlowJson;
      const hash = contentHash(definition);
      if (flow.latestVersion > 0) {
        const [latest] = await tx
          .select()
          .from(this.t.flowVersions)
          .where(
            and(
              eq(this.t.flowVersions.flowId, flowId),
              eq(this.t.flowVersions.version, flow.latestVersion),
            ),
          );
        if (latest && contentHash({ ...latest.definition, version }) === hash) {
          throw new StoreError('flow.unchanged');
        }
      }
      const updated = await tx
        .update(this.t.flows)
        .set({ latestVersion: version })
        .where(and(eq(this.t.flows.id, flowId), eq(this.t.flows.latestVersion, flow.latestVersion)))
        .returning({ id: this.t.flows.id });
      if (updated.length !== 1) throw new StaleVersion(flowId, flow.latestVersion);
      const [row] = await tx
        .insert(this.t.flowVersions)
        .values({
          flowId,
          version,
          definition,
          contentHash: hash,
          publishedAt: this.nowIso(),
          publishedBy: by,
          note: note ?? null,
        })
        .returning();
      return row as FlowVersionRow;
    });
  }

  flowVersions(flowId: string) {
    return this.database.read((db) =>
      db
        .select({
          version: this.t.flowVersions.version,
          contentHash: this.t.flowVersions.contentHash,
          publishedAt: this.t.flowVersions.publishedAt,
          publishedBy: this.t.flowVersions.publishedBy,
          note: this.t.flowVersions.note,
        })
        .from(this.t.flowVersions)
        .where(eq(this.t.flowVersions.flowId, flowId))
        .orderBy(desc(this.t.flowVersions.version)),
    );
  }

  flowVersion(flowId: string, version: number): Promise<FlowVersionRow | undefined> {
    return this.database.read(async (db) => {
      const [v] = await db
        .select()
        .from(this.t.flowVersions)
        .where(
          and(eq(this.t.flowVersions.flowId, flowId), eq(this.t.flowVersions.version, version)),
        );
      return v;
    });
  }

  /** A published definition, checked once and cached: published versions never change. */
  async definition(tx: Db, flowId: string, version: number): Promise<CheckedFlow> {
    const key = `${flowId}@${version}`;
    const cached = this.definitions.get(key);
    if (cached) return cached;
    const [row] = await tx
      .select({ definition: this.t.flowVersions.definition })
      .from(this.t.flowVersions)
      .where(and(eq(this.t.flowVersions.flowId, flowId), eq(this.t.flowVersions.version, version)));
    if (!row) throw new StoreError('flow.notPublished', { flow: `${flowId}@${version}` });
    let definition: CheckedFlow;
    try {
      definition = checkedFlow(row.definition);
    } catch (error) {
      if (!(error instanceof FlowNotChecked)) throw error;
      // Published under older rules (e.g. a string condition): refuse to run it, saying where.
      const errors = error.problems.filter((p) => p.severity === 'error');
      throw new StoreError('flow.notRunnable', {
        flow: `${flowId}@${version}`,
        count: errors.length,
        first: errors[0] ? `${errors[0].pointer || '/'} ${errors[0].message.en}` : '',
      });
    }
    this.definitions.set(key, definition);
    return definition;
  }

  /** A published version as the engine takes it: checked, its defaults filled, cached. */
  publishedDefinition(flowId: string, version: number): Promise<CheckedFlow> {
    return this.database.read((db) => this.definition(db, flowId, version));
  }

  /**
   * The published definition a case in `jurisdiction` would run for a subflow
   * node calling `ref`, found by the same rule as when a case starts it;
   * undefined when nothing (or not that version) is published there or above.
   */
  subflowDefinition(
    jurisdiction: string,
    ref: { key: string; version?: number },
  ): Promise<{ flowId: string; version: number; definition: CheckedFlow } | undefined> {
    return this.database.read(async (db) => {
      try {
        const target = await this.resolveSubflow(db, jurisdiction, ref);
        return { ...target, definition: await this.definition(db, target.flowId, target.version) };
      } catch (error) {
        const missing =
          error instanceof StoreError &&
          (error.code === 'subflow.notFound' || error.code === 'flow.notPublished');
        if (missing) return undefined;
        throw error;
      }
    });
  }

  /** Subflows are looked up in the case's jurisdiction, then upwards (city, province). */
  private async resolveSubflow(
    tx: Db,
    jurisdiction: string,
    ref: { key: string; version?: number },
  ) {
    let code: string | null = jurisdiction;
    while (code) {
      const [flow] = await tx
        .select()
        .from(this.t.flows)
        .where(and(eq(this.t.flows.jurisdiction, code), eq(this.t.flows.key, ref.key)));
      if (flow && flow.latestVersion > 0) {
        return { flowId: flow.id, version: ref.version ?? flow.latestVersion };
      }
      const [j] = await tx
        .select({ parent: this.t.jurisdictions.parent })
        .from(this.t.jurisdictions)
        .where(eq(this.t.jurisdictions.code, code));
      code = j?.parent ?? null;
    }
    throw new StoreError('subflow.notFound', { flow: ref.key });
  }

  // Templates and adoptions (storage only; three-way upgrades are a later issue) ---

  async publishTemplate(input: {
    manifest: { key: string; version: number; publisher: string; name: Bilingual } & Record<
      string,
      unknown
    >;
    flow: FlowJson;
    forms: unknown[];
    readme: string;
    /** The template's scenario scripts; they count in the content hash only when there are some. */
    scenarios?: { name: string; script: unknown }[];
    by: string | null;
  }): Promise<TemplateVersionRow> {
    const { manifest } = input;
    const scenarios = input.scenarios ?? [];
    const hash = contentHash({
      manifest,
      flow: input.flow,
      forms: input.forms,
      readme: input.readme,
      ...(scenarios.length ? { scenarios } : {}),
    });
    return this.database.tx(async (tx) => {
      const [existing] = await tx
        .select()
        .from(this.t.templateVersions)
        .where(
          and(
            eq(this.t.templateVersions.key, manifest.key),
            eq(this.t.templateVersions.version, manifest.version),
          ),
        );
      if (existing) {
        if (existing.contentHash === hash) return existing;
        throw new StoreError('template.exists', {
          template: `${manifest.key}@${manifest.version}`,
        });
      }
      const now = this.nowIso();
      const [before] = await tx
        .select({ latest: this.t.templates.latestVersion })
        .from(this.t.templates)
        .where(eq(this.t.templates.key, manifest.key));
      await tx
        .insert(this.t.templates)
        .values({
          key: manifest.key,
          publisher: manifest.publisher,
          name: manifest.name,
          latestVersion: manifest.version,
          createdAt: now,
        })
        .onConflictDoUpdate({
          target: this.t.templates.key,
          set: {
            name: manifest.name,
            latestVersion: sql`case when ${this.t.templates.latestVersion} > ${manifest.version} then ${this.t.templates.latestVersion} else ${manifest.version} end`,
          },
        });
      const [row] = await tx
        .insert(this.t.templateVersions)
        .values({
          key: manifest.key,
          version: manifest.version,
          manifest,
          flow: input.flow,
          forms: input.forms,
          readme: input.readme,
          scenarios,
          contentHash: hash,
          publishedAt: now,
          publishedBy: input.by,
        })
        .returning();
      // The counties on an earlier version are told, unless an older version is filled in late.
      if (manifest.version > (before?.latest ?? 0))
        await noticeTemplatePublished(tx, this.t, {
          templateKey: manifest.key,
          version: manifest.version,
          name: manifest.name,
          publisher: manifest.publisher,
          changes: changesOf(manifest, manifest.version),
          nowIso: now,
        });
      return row as TemplateVersionRow;
    });
  }

  listTemplates() {
    return this.database.read(async (db) => {
      const templates = await db.select().from(this.t.templates).orderBy(asc(this.t.templates.key));
      const versions = await db
        .select({
          key: this.t.templateVersions.key,
          version: this.t.templateVersions.version,
          contentHash: this.t.templateVersions.contentHash,
          publishedAt: this.t.templateVersions.publishedAt,
        })
        .from(this.t.templateVersions)
        .orderBy(asc(this.t.templateVersions.key), desc(this.t.templateVersions.version));
      const adoptions = await db.select().from(this.t.adoptions);
      return templates.map((tpl) => ({
        ...tpl,
        versions: versions.filter((v) => v.key === tpl.key),
        adoptions: adoptions
          .filter((a) => a.templateKey === tpl.key)
          .map((a) => ({
            jurisdiction: a.jurisdiction,
            version: a.templateVersion,
            flowId: a.flowId,
          })),
      }));
    });
  }

  templateVersion(key: string, version: number): Promise<TemplateVersionRow | undefined> {
    return this.database.read(async (db) => {
      const [v] = await db
        .select()
        .from(this.t.templateVersions)
        .where(
          and(eq(this.t.templateVersions.key, key), eq(this.t.templateVersions.version, version)),
        );
      return v;
    });
  }

  async recordAdoption(input: {
    jurisdiction: string;
    templateKey: string;
    templateVersion: number;
    flowId: string;
    overlay: unknown[];
  }): Promise<AdoptionRow> {
    const now = this.nowIso();
    return this.database.tx(async (tx) => {
      const [existing] = await tx
        .select()
        .from(this.t.adoptions)
        .where(eq(this.t.adoptions.flowId, input.flowId));
      if (existing) {
        const [row] = await tx
          .update(this.t.adoptions)
          .set({
            templateVersion: input.templateVersion,
            overlay: input.overlay,
            updatedAt: now,
          })
          .where(eq(this.t.adoptions.id, existing.id))
          .returning();
        // Upgraded: the county's notices of the versions it now has are settled (read) for all its admins.
        if (input.templateVersion > existing.templateVersion)
          await settleTemplateNotices(tx, this.t, input.flowId, input.templateVersion, now);
        return row as AdoptionRow;
      }
      const [row] = await tx
        .insert(this.t.adoptions)
        .values({ id: randomUUID(), ...input, adoptedAt: now, updatedAt: now })
        .returning();
      return row as AdoptionRow;
    });
  }

  adoptions(jurisdictions: string[]): Promise<AdoptionRow[]> {
    return this.database.read((db) =>
      db
        .select()
        .from(this.t.adoptions)
        .where(inArray(this.t.adoptions.jurisdiction, jurisdictions)),
    );
  }

  // Petitioners ------------------------------------------------------------------

  async createPetitioner(input: PetitionerInput): Promise<string> {
    const id = randomUUID();
    await this.database.tx((tx) => this.insertPetitioner(tx, id, input));
    return id;
  }

  private async insertPetitioner(tx: Db, id: string, input: PetitionerInput): Promise<void> {
    const v = this.vault;
    await tx.insert(this.t.petitioners).values({
      id,
      jurisdiction: input.jurisdiction,
      nameEnc: input.name ? v.encrypt(input.name) : null,
      idCardEnc: input.idCard ? v.encrypt(input.idCard) : null,
      phoneEnc: input.phone ? v.encrypt(input.phone) : null,
      idCardHash: input.idCard ? v.hash(input.idCard) : null,
      phoneHash: input.phone ? v.hash(input.phone) : null,
      nameHash: input.name ? v.hash(input.name) : null,
      createdAt: this.nowIso(),
    });
  }

  async petitioner(id: string) {
    const row = await this.database.read(async (db) => {
      const [p] = await db.select().from(this.t.petitioners).where(eq(this.t.petitioners.id, id));
      return p;
    });
    if (!row) return undefined;
    const open = (s: string | null) => (s ? this.vault.decrypt(s) : undefined);
    return {
      id: row.id,
      jurisdiction: row.jurisdiction,
      name: open(row.nameEnc),
      idCard: open(row.idCardEnc),
      phone: open(row.phoneEnc),
      phoneHash: row.phoneHash,
    };
  }

  /** Earlier cases of anyone with the same ID-card number or phone (keyed-hash match). */
  async repeatHints(input: { idCard?: string; phone?: string }, excludeCaseId?: string) {
    const conditions: SQL[] = [];
    // Every key's hash: during a key rotation rows are hashed under the old or the new key.
    if (input.idCard)
      conditions.push(inArray(this.t.petitioners.idCardHash, this.vault.hashes(input.idCard)));
    if (input.phone)
      conditions.push(inArray(this.t.petitioners.phoneHash, this.vault.hashes(input.phone)));
    if (!conditions.length) return [];
    return this.database.read(async (db) => {
      const rows = await db
        .select({
          caseId: this.t.cases.id,
          trackingCode: this.t.cases.trackingCode,
          jurisdiction: this.t.cases.jurisdiction,
          status: this.t.cases.status,
          outcome: this.t.cases.outcome,
          category: this.t.cases.category,
          createdAt: this.t.cases.createdAt,
          byIdCard: input.idCard
            ? sql<boolean>`${inArray(this.t.petitioners.idCardHash, this.vault.hashes(input.idCard))}`
            : sql<boolean>`false`,
        })
        .from(this.t.cases)
        .innerJoin(this.t.petitioners, eq(this.t.petitioners.id, this.t.cases.petitionerId))
        .where(or(...conditions))
        .orderBy(desc(this.t.cases.createdAtMs))
        .limit(50);
      return rows
        .filter((r) => r.caseId !== excludeCaseId)
        .map((r) => ({ ...r, byIdCard: Boolean(r.byIdCard) }));
    });
  }

  // Cases -----------------------------------------------------------------------

  /**
   * Starts a case. A petitioner's phone and ID-card number belong in the
   * encrypted petitioner record (`createPetitioner`), never in case data,
   * events or logs: copies a form put under `data.petitioner` are dropped here.
   */
  async startCase(
    input: StartInput & { petitioner?: PetitionerInput },
  ): Promise<ActOutcome & { trackingCode: string }> {
    refuseSealedInput(input.command.data);
    const { petitioner, ...start } = input;
    const safe = { ...start, command: withoutContactDetails(start.command) };
    if (!petitioner) return this.database.tx((tx) => this.writer.start(tx, safe));
    // A new petitioner's row commits with the case or not at all: a start the
    // engine refuses (an invalid form) leaves no petitioner behind.
    const petitionerId = randomUUID();
    return this.database.tx(async (tx) => {
      await this.insertPetitioner(tx, petitionerId, petitioner);
      return this.writer.start(tx, {
        ...safe,
        petitionerId,
        command: { ...safe.command, petitioner: petitionerId },
      });
    });
  }

  /**
   * Applies one command in one transaction. A command without
   * `expectedVersion` is retried on a concurrent write (it is judged against
   * the fresh state); with one, a concurrent write is refused as `state.stale`.
   * On PostgreSQL the command is first judged against `base` (the row as
   * `caseForCommand` read it) or one plain read, and written in one statement
   * only if the row is still at that version (`pg-writes.ts`); otherwise it is
   * redone in a transaction holding the row lock.
   */
  async act(caseId: string, command: Command, base?: CommandBase): Promise<ActOutcome> {
    if (command.type === 'task.complete') refuseSealedInput(command.data);
    const sync = this.database.txSync?.(() => this.writer.actSync(caseId, command));
    if (sync) return sync;
    // PostgreSQL: first one read and one statement, if no one else writes the case meanwhile.
    const quick = await this.writer.actOptimistic(caseId, command, base?.row).catch((error) => {
      if (isUniqueViolation(error)) return undefined;
      throw error;
    });
    if (quick) return quick;
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.database.tx((tx) => this.writer.act(tx, caseId, command));
      } catch (error) {
        const conflict = error instanceof StaleVersion || isUniqueViolation(error);
        if (!conflict) throw error;
        if (command.expectedVersion !== undefined || attempt >= RETRIES) {
          throw new CommandRejected({
            code: 'state.stale',
            message: {
              'zh-CN': '案件已被他人修改，请刷新后重试',
              en: 'the case was changed by someone else; reload and try again',
            },
          });
        }
      }
    }
  }

  caseRow(id: string): Promise<CaseRow | undefined> {
    return this.database.read(async (db) => {
      const [c] = await db.select().from(this.t.cases).where(eq(this.t.cases.id, id));
      return c;
    });
  }

  /**
   * The case's jurisdiction, for the permission check before a command; on
   * PostgreSQL with the row the command will start from (pass the whole
   * answer to `act` as `base`), so a command costs one read and one write.
   */
  async caseForCommand(id: string): Promise<CommandBase | undefined> {
    const row = await this.writer.commandBase(id);
    if (row === false) return this.caseJurisdiction(id);
    return row && { id: row.id, jurisdiction: row.jurisdiction, row };
  }

  async caseJurisdiction(id: string): Promise<{ id: string; jurisdiction: string } | undefined> {
    const now = this.writer.jurisdictionNow(id);
    if (now !== false) return now;
    return this.database.read((db) => this.writer.jurisdiction(db, id));
  }

  caseByTrackingCode(code: string): Promise<CaseRow | undefined> {
    return this.database.read(async (db) => {
      const [c] = await db.select().from(this.t.cases).where(eq(this.t.cases.trackingCode, code));
      return c;
    });
  }

  events(caseId: string): Promise<Event[]> {
    return this.database.read((db) => this.writer.events(db, caseId));
  }

  /**
   * A case's comments and attachment entries: not in its state (issue 18),
   * read from their events alone.
   */
  async notes(caseId: string): Promise<CaseNotes> {
    const e = this.t.events;
    const rows = await this.database.read((db) =>
      db
        .select({ body: e.body })
        .from(e)
        .where(and(eq(e.caseId, caseId), inArray(e.type, ['comment.added', 'attachment.added'])))
        .orderBy(asc(e.seq)),
    );
    return caseNotes(rows.map((r) => r.body));
  }

  tasksOfCase(caseId: string): Promise<TaskRow[]> {
    return this.database.read((db) =>
      db
        .select()
        .from(this.t.tasks)
        .where(eq(this.t.tasks.caseId, caseId))
        .orderBy(asc(this.t.tasks.openedAt)),
    );
  }

  timersOfCase(caseId: string): Promise<TimerRow[]> {
    return this.database.read((db) =>
      db.select().from(this.t.timers).where(eq(this.t.timers.caseId, caseId)),
    );
  }

  private caseConditions(f: CaseFilters): SQL[] {
    const c = this.t.cases;
    const out: SQL[] = [];
    if (f.jurisdictions)
      out.push(inArray(c.jurisdiction, f.jurisdictions.length ? f.jurisdictions : ['']));
    if (f.status?.length) out.push(inArray(c.status, f.status));
    if (f.urgency?.length) {
      const colours = f.urgency.filter((u) => u !== 'none');
      out.push(
        or(
          ...(colours.length ? [inArray(c.urgency, colours)] : []),
          ...(f.urgency.includes('none') ? [isNull(c.urgency)] : []),
        ) as SQL,
      );
    }
    if (f.changedSinceOrOverdue)
      out.push(
        or(
          eq(c.overdue, true),
          gte(c.updatedAt, new Date(f.changedSinceOrOverdue).toISOString()),
        ) as SQL,
      );
    if (f.channel?.length) out.push(inArray(c.channel, f.channel));
    // A closed or cancelled case has no open task or running clock, so naming the status changes
    // no answer: it lets the overdue list, oldest first, read the open cases' index
    // (cases_open_created) instead of walking past every closed case (1.2 s at 2,000,000 cases).
    if (f.overdue === true) out.push(eq(c.overdue, true), eq(c.status, 'active'));
    else if (f.overdue === false) out.push(eq(c.overdue, false));
    if (f.flowKey) out.push(eq(c.flowKey, f.flowKey));
    if (f.category) out.push(eq(c.category, f.category));
    if (f.trackingCode) out.push(eq(c.trackingCode, f.trackingCode));
    if (f.petitionerId) out.push(eq(c.petitionerId, f.petitionerId));
    if (f.createdFrom) out.push(gte(c.createdAtMs, Date.parse(f.createdFrom)));
    if (f.createdTo) out.push(lt(c.createdAtMs, Date.parse(f.createdTo)));
    return out;
  }

  /**
   * Case rows without the engine state, newest first (creation time, then
   * id) or oldest first, a page after `f.after`, with `next` for the page
   * after and the count of all that match up to LIST_COUNT_CAP.
   */
  async listCases(f: CaseFilters) {
    const c = this.t.cases;
    const where = and(...this.caseConditions(f));
    const limit = f.limit ?? 50;
    const direction = f.order === 'oldest' ? 'asc' : 'desc';
    const order = direction === 'asc' ? asc : desc;
    return this.database.read(async (db) => {
      const rows = await db
        .select({ ...caseListColumns(c), createdAtMs: c.createdAtMs })
        .from(c)
        .where(
          f.after
            ? and(
                where,
                keysetAfter([c.createdAtMs, c.id], [f.after.createdAtMs, f.after.id], direction),
              )
            : where,
        )
        .orderBy(order(c.createdAtMs), order(c.id))
        .limit(limit + 1);
      const shown = rows.slice(0, limit);
      const last = shown[shown.length - 1];
      const sub = db
        .select({ one: sql<number>`1`.as('one') })
        .from(c)
        .where(where)
        .limit(LIST_COUNT_CAP + 1)
        .as('capped');
      const [counted] = await db.select({ n: sql<number>`count(*)` }).from(sub);
      const handling = await this.handlingDepartments(
        db,
        shown.map((r) => r.id),
      );
      return {
        rows: (
          await this.listRows(
            db,
            shown.map(({ createdAtMs: _, ...r }) => r),
          )
        ).map((r) => ({
          ...r,
          departments: handling.get(r.id) ?? [],
        })),
        /** Where the next page starts (null on the last page). */
        next: rows.length > limit && last ? { createdAtMs: last.createdAtMs, id: last.id } : null,
        ...capped(Number(counted?.n ?? 0)),
      };
    });
  }

  /**
   * Finds cases (search.ts): words of the complaint, the petitioner's name,
   * phone or ID-card number (matched by keyed hash under every key of the
   * ring, never as text), dates, flow, department, 包案 leader; keyset pages.
   */
  async searchCases(
    query: Omit<CaseSearch, 'petitionerHashes'> & {
      petitioner?: { name?: string; phone?: string; idCard?: string };
    },
  ) {
    const { petitioner, ...rest } = query;
    const hashes = (v?: string) => (v?.trim() ? this.vault.hashes(v.trim()) : undefined);
    const page = await searchCases(this.database, {
      ...rest,
      ...(petitioner
        ? {
            petitionerHashes: {
              name: hashes(petitioner.name),
              phone: hashes(petitioner.phone),
              idCard: hashes(petitioner.idCard),
            },
          }
        : {}),
    });
    // Rows as cases.list gives them.
    return { ...page, rows: await this.database.read((db) => this.listRows(db, page.rows)) };
  }

  async countCases(): Promise<number> {
    return this.database.read(async (db) => {
      const [r] = await db.select({ n: sql<number>`count(*)` }).from(this.t.cases);
      return Number(r?.n ?? 0);
    });
  }

  // Tasks -------------------------------------------------------------------------

  /**
   * One page of the user's open tasks: assigned to them, or unassigned ones
   * their memberships may claim, earliest deadline first (tasks without one
   * last; ties by opening time, then id), or the newest first, with `next`
   * (the last row's key) for the page after and the number of all that
   * match, counted up to LIST_COUNT_CAP. Each branch (mine; each
   * role × jurisdiction) is read from its index after `f.after` and the
   * branches merged, so page 100 costs what page 1 does.
   */
  async inbox(scope: InboxScope, f: InboxFilters = {}) {
    const k = this.t.tasks;
    const c = this.t.cases;
    const limit = f.limit ?? 50;
    const nowMs = this.clock.now().getTime();
    const soonMs = nowMs + DUE_SOON_MS;
    // Memberships with the same role and jurisdiction make one branch, so no task is counted twice.
    const groups = new Map<
      string,
      { role: string; jurisdiction: string; departments: Set<string | null> }
    >();
    for (const m of scope.memberships) {
      const key = `${m.role}@${m.jurisdiction}`;
      const g = groups.get(key) ?? {
        role: m.role,
        jurisdiction: m.jurisdiction,
        departments: new Set(),
      };
      g.departments.add(m.department);
      groups.set(key, g);
    }
    const branches: SQL[] = [];
    if (f.which !== 'claimable')
      branches.push(and(eq(k.assignee, scope.userId), eq(k.status, 'open')) as SQL);
    if (f.which !== 'mine')
      for (const g of groups.values()) {
        const named = [...g.departments].filter((d): d is string => d !== null);
        branches.push(
          and(
            eq(k.status, 'open'),
            eq(k.jurisdiction, g.jurisdiction),
            eq(k.role, g.role),
            isNull(k.assignee),
            named.length
              ? or(isNull(k.department), inArray(k.department, named))
              : isNull(k.department),
          ) as SQL,
        );
      }
    const notOverdue = and(ne(k.dueState, 'overdue'), or(isNull(k.dueMs), gte(k.dueMs, nowMs)));
    const byDue = {
      overdue: or(eq(k.dueState, 'overdue'), lt(k.dueMs, nowMs)),
      dueSoon: and(notOverdue, or(eq(k.dueState, 'dueSoon'), lt(k.dueMs, soonMs))),
      onTime: and(eq(k.dueState, 'onTime'), or(isNull(k.dueMs), gte(k.dueMs, soonMs))),
    };
    const extra: SQL[] = [];
    if (f.dueState?.length) extra.push(or(...f.dueState.map((d) => byDue[d])) as SQL);
    if (f.urgency?.length) {
      const colours = f.urgency.filter((u) => u !== 'none');
      extra.push(
        or(
          ...(colours.length ? [inArray(c.urgency, colours)] : []),
          ...(f.urgency.includes('none') ? [isNull(c.urgency)] : []),
        ) as SQL,
      );
    }
    if (f.trackingCode) extra.push(eq(c.trackingCode, f.trackingCode.trim().toUpperCase()));
    const needsCase = Boolean(f.urgency?.length || f.trackingCode);
    const newest = f.sort === 'newest';
    const after = f.after;
    // The parts of a branch in sort order, each with where it starts: deadline order reads the
    // dated tasks (due_ms, opened_at, id), then the undated (opened_at, id); newest first reads
    // all by (opened_at, id) descending.
    const parts: { dated: boolean | 'any'; from?: SQL }[] = newest
      ? [
          {
            dated: 'any',
            ...(after
              ? { from: keysetAfter([k.openedAt, k.id], [after.openedAt, after.id], 'desc') }
              : {}),
          },
        ]
      : [
          ...(after?.dueMs === null
            ? []
            : [
                {
                  dated: true,
                  ...(after
                    ? {
                        from: keysetAfter(
                          [k.dueMs, k.openedAt, k.id],
                          [after.dueMs, after.openedAt, after.id],
                          'asc',
                        ),
                      }
                    : {}),
                },
              ]),
          {
            dated: false,
            ...(after?.dueMs === null
              ? { from: keysetAfter([k.openedAt, k.id], [after.openedAt, after.id], 'asc') }
              : {}),
          },
        ];
    const wanted = limit + 1;
    return this.database.read(async (db) => {
      const page = (where: SQL | undefined, dated: boolean | 'any', from: SQL | undefined) =>
        db
          .select({
            task: k,
            trackingCode: c.trackingCode,
            urgency: c.urgency,
          })
          .from(k)
          .innerJoin(c, eq(c.id, k.caseId))
          .where(
            and(
              where,
              ...(dated === 'any' ? [] : [dated ? isNotNull(k.dueMs) : isNull(k.dueMs)]),
              ...(from ? [from] : []),
              ...extra,
            ),
          )
          .orderBy(
            ...(newest
              ? [desc(k.openedAt), desc(k.id)]
              : [...(dated ? [asc(k.dueMs)] : []), asc(k.openedAt), asc(k.id)]),
          )
          .limit(wanted);
      const rows: Awaited<ReturnType<typeof page>> = [];
      let counted = 0;
      for (const branch of branches) {
        let read = 0;
        for (const part of parts) {
          if (read >= wanted) break;
          const got = await page(branch, part.dated, part.from);
          rows.push(...got);
          read += got.length;
        }
        // Counted up to the cap: an exact count would read the whole backlog on every page.
        if (counted > LIST_COUNT_CAP) continue;
        const sub = (
          needsCase
            ? db
                .select({ one: sql<number>`1`.as('one') })
                .from(k)
                .innerJoin(c, eq(c.id, k.caseId))
            : db.select({ one: sql<number>`1`.as('one') }).from(k)
        )
          .where(and(branch, ...extra))
          .limit(LIST_COUNT_CAP + 1 - counted)
          .as('capped');
        const [n] = await db.select({ n: sql<number>`count(*)` }).from(sub);
        counted += Number(n?.n ?? 0);
      }
      const end = Number.MAX_SAFE_INTEGER;
      rows.sort(
        newest
          ? (a, b) =>
              compareText(b.task.openedAt, a.task.openedAt) || compareText(b.task.id, a.task.id)
          : (a, b) =>
              (a.task.dueMs ?? end) - (b.task.dueMs ?? end) ||
              compareText(a.task.openedAt, b.task.openedAt) ||
              compareText(a.task.id, b.task.id),
      );
      const shown = rows.slice(0, limit);
      const last = shown[shown.length - 1];
      // The case data only of the rows shown (the branches read up to a page each).
      const ids = [...new Set(shown.map((r) => r.task.caseId))];
      const cases = ids.length
        ? await db
            .select({ id: c.id, flowId: c.flowId, flowVersion: c.flowVersion, data: c.data })
            .from(c)
            .where(inArray(c.id, ids))
        : [];
      const byId = new Map(cases.map((x) => [x.id, x]));
      const complaints = await this.complaints(
        db,
        shown.map((r) => byId.get(r.task.caseId) ?? { flowId: '', flowVersion: 0, data: {} }),
      );
      return {
        rows: shown.map((r, i) => ({ ...r, ...(complaints[i] as CaseComplaint) })),
        /** Where the next page starts (null on the last page). */
        next:
          rows.length > limit && last
            ? { dueMs: last.task.dueMs ?? null, openedAt: last.task.openedAt, id: last.task.id }
            : null,
        ...capped(counted),
      };
    });
  }

  /**
   * Listed cases as lists show them: what each is about (its title and
   * summary, never its data) and, when a deadline was counted on a
   * provisional calendar year, the case flag.
   */
  private async listRows<R extends { flowId: string; flowVersion: number; provisional: boolean }>(
    db: Db,
    rows: readonly (R & { data: Record<string, unknown> })[],
  ) {
    const complaints = await this.complaints(db, rows);
    return rows.map(({ data: _, ...r }, i) => ({
      ...r,
      ...(complaints[i] as CaseComplaint),
      flags: r.provisional ? (['calendar.provisional'] as const) : [],
    }));
  }

  /** The departments each listed case waits on now (its open tasks'), for 一周一核 and exports. */
  private async handlingDepartments(db: Db, caseIds: string[]): Promise<Map<string, string[]>> {
    const byCase = new Map<string, string[]>();
    if (!caseIds.length) return byCase;
    const k = this.t.tasks;
    const open = await db
      .selectDistinct({ caseId: k.caseId, department: k.department })
      .from(k)
      .where(and(inArray(k.caseId, caseIds), eq(k.status, 'open'), isNotNull(k.department)));
    for (const { caseId, department } of open) {
      if (!department) continue;
      byCase.set(caseId, [...(byCase.get(caseId) ?? []), department].sort());
    }
    return byCase;
  }

  /**
   * What each listed case is about (its flow's title and summary fields,
   * shortened; case-title.ts), read from the rows' data with their flow
   * versions' cached definitions. A version that no longer runs shows none.
   */
  private async complaints(
    db: Db,
    rows: readonly { flowId: string; flowVersion: number; data: Record<string, unknown> }[],
  ): Promise<CaseComplaint[]> {
    const definitions = new Map<string, CheckedFlow | undefined>();
    for (const r of rows) {
      const key = `${r.flowId}@${r.flowVersion}`;
      if (!definitions.has(key))
        definitions.set(
          key,
          await this.definition(db, r.flowId, r.flowVersion).catch(() => undefined),
        );
    }
    return rows.map((r) => caseComplaint(definitions.get(`${r.flowId}@${r.flowVersion}`), r.data));
  }

  task(id: string): Promise<TaskRow | undefined> {
    return this.database.read(async (db) => {
      const [task] = await db.select().from(this.t.tasks).where(eq(this.t.tasks.id, id));
      return task;
    });
  }

  // Timers -------------------------------------------------------------------------

  /**
   * Claims due timers for `owner` for `leaseMs`. On PostgreSQL rows are
   * locked with SKIP LOCKED so several servers never claim the same timer;
   * SQLite has one writer at a time. A claim only saves work: firing is
   * exactly-once because `timer.fire` on a fired timer is refused by the engine
   * and the case version check refuses a concurrent double write.
   */
  async claimDueTimers(owner: string, limit: number, leaseMs = 30_000): Promise<TimerRow[]> {
    const nowMs = this.clock.now().getTime();
    const k = this.t.timers;
    return this.database.tx(async (tx) => {
      const due = and(
        eq(k.status, 'pending'),
        lte(k.dueMs, nowMs),
        or(isNull(k.claimedUntilMs), lt(k.claimedUntilMs, nowMs)),
      );
      let query = tx.select({ id: k.id }).from(k).where(due).orderBy(asc(k.dueMs)).limit(limit);
      if (this.database.dialect === 'pg')
        query = query.for('update', { skipLocked: true }) as typeof query;
      const ids = (await query).map((r) => r.id);
      if (!ids.length) return [];
      return tx
        .update(k)
        .set({
          claimedBy: owner,
          claimedUntilMs: nowMs + leaseMs,
          attempts: sql`${k.attempts} + 1`,
        })
        .where(inArray(k.id, ids))
        .returning();
    });
  }

  /** Fires one claimed timer through the engine and marks it fired, in one transaction. */
  async fireTimer(timer: TimerRow): Promise<'fired' | 'gone'> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.database.tx(async (tx) => {
          const k = this.t.timers;
          const [current] = await tx.select().from(k).where(eq(k.id, timer.id));
          if (current?.status !== 'pending') return 'gone' as const;
          const [row] = await tx
            .select()
            .from(this.t.cases)
            .where(eq(this.t.cases.id, timer.caseId));
          if (row?.status !== 'active' || !row.state.timers.some((x) => x.id === timer.id)) {
            await tx.update(k).set({ status: 'cancelled' }).where(eq(k.id, timer.id));
            return 'gone' as const;
          }
          await this.writer.act(tx, timer.caseId, { type: 'timer.fire', timerId: timer.id });
          await tx
            .update(k)
            .set({ status: 'fired', firedAt: this.nowIso() })
            .where(and(eq(k.id, timer.id), eq(k.status, 'pending')));
          return 'fired' as const;
        });
      } catch (error) {
        const conflict = error instanceof StaleVersion || isUniqueViolation(error);
        if (!conflict || attempt >= RETRIES) throw error;
      }
    }
  }

  async recordTimerError(timerId: string, message: string): Promise<void> {
    await this.database.tx(async (tx) => {
      await tx
        .update(this.t.timers)
        .set({ lastError: message.slice(0, 500) })
        .where(eq(this.t.timers.id, timerId));
    });
  }

  /** The earliest pending due time, so the scheduler can sleep until then. */
  async nextTimerDueMs(): Promise<number | undefined> {
    return this.database.read(async (db) => {
      const [r] = await db
        .select({ due: sql<number | null>`min(${this.t.timers.dueMs})` })
        .from(this.t.timers)
        .where(eq(this.t.timers.status, 'pending'));
      return r?.due == null ? undefined : Number(r.due);
    });
  }

  // Attachments and evaluations -------------------------------------------------

  async addAttachment(row: Omit<AttachmentRow, 'createdAt'>): Promise<AttachmentRow> {
    return this.database.tx(async (tx) => {
      const [r] = await tx
        .insert(this.t.attachments)
        .values({ ...row, createdAt: this.nowIso() })
        .returning();
      return r as AttachmentRow;
    });
  }

  /**
   * An uploaded file's row and the `case.attach` command that records it on
   * its case, in one transaction: a refused command (CommandRejected) leaves
   * no row, and no row is left without its event.
   */
  async attachToCase(
    row: Omit<AttachmentRow, 'createdAt' | 'caseId'> & { caseId: string },
    command: Extract<Command, { type: 'case.attach' }>,
  ): Promise<{ attachment: AttachmentRow; outcome: ActOutcome }> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.database.tx(async (tx) => {
          const outcome = await this.writer.act(tx, row.caseId, command);
          const [attachment] = await tx
            .insert(this.t.attachments)
            .values({ ...row, createdAt: this.nowIso() })
            .returning();
          return { attachment: attachment as AttachmentRow, outcome };
        });
      } catch (error) {
        if (!(error instanceof StaleVersion || isUniqueViolation(error)) || attempt >= RETRIES)
          throw error;
      }
    }
  }

  /** Whether any attachment row names this stored file (several uploads can share one). */
  async attachmentFileInUse(storagePath: string): Promise<boolean> {
    return this.database.read(async (db) => {
      const [a] = await db
        .select({ id: this.t.attachments.id })
        .from(this.t.attachments)
        .where(eq(this.t.attachments.storagePath, storagePath))
        .limit(1);
      return a !== undefined;
    });
  }

  attachment(id: string): Promise<AttachmentRow | undefined> {
    return this.database.read(async (db) => {
      const [a] = await db.select().from(this.t.attachments).where(eq(this.t.attachments.id, id));
      return a;
    });
  }

  async linkAttachment(id: string, caseId: string): Promise<void> {
    await this.database.tx(async (tx) => {
      await tx.update(this.t.attachments).set({ caseId }).where(eq(this.t.attachments.id, id));
    });
  }

  /** One evaluation per case; a second one replaces the first. */
  async evaluate(
    caseId: string,
    score: number,
    comment: string | null,
    via: string,
  ): Promise<void> {
    await this.database.tx(async (tx) => {
      const row = await lockForRating(this.database, tx, caseId);
      const [old] = await tx
        .select({ score: this.t.evaluations.score })
        .from(this.t.evaluations)
        .where(eq(this.t.evaluations.caseId, caseId));
      await tx
        .insert(this.t.evaluations)
        .values({ caseId, score, comment, via, createdAt: this.nowIso() })
        .onConflictDoUpdate({
          target: this.t.evaluations.caseId,
          set: { score, comment, via, createdAt: this.nowIso() },
        });
      if (row) await countRating(this.database, tx, row, old?.score ?? null, score);
      await notifyLowRating(tx, this.t, { caseId, score, comment, nowIso: this.nowIso() });
    });
  }

  /** Records a rating unless the case has one: false when it already had (ratings are final). */
  async evaluateOnce(
    caseId: string,
    score: number,
    comment: string | null,
    via: string,
  ): Promise<boolean> {
    return this.database.tx(async (tx) => {
      const row = await lockForRating(this.database, tx, caseId);
      const inserted = await tx
        .insert(this.t.evaluations)
        .values({ caseId, score, comment, via, createdAt: this.nowIso() })
        .onConflictDoNothing({ target: this.t.evaluations.caseId })
        .returning({ caseId: this.t.evaluations.caseId });
      if (inserted.length && row) await countRating(this.database, tx, row, null, score);
      if (inserted.length)
        await notifyLowRating(tx, this.t, { caseId, score, comment, nowIso: this.nowIso() });
      return inserted.length > 0;
    });
  }

  evaluation(caseId: string) {
    return this.database.read(async (db) => {
      const [e] = await db
        .select()
        .from(this.t.evaluations)
        .where(eq(this.t.evaluations.caseId, caseId));
      return e;
    });
  }

  // Notifications -----------------------------------------------------------------

  /** Fans undelivered notifications out to the staff they reach (the scheduler calls this). */
  deliverNotifications(limit = 200) {
    return deliverNotifications(this.database, this.nowIso(), limit);
  }

  notificationsFor(userId: string, q: Parameters<typeof notificationsFor>[2] = {}) {
    return notificationsFor(this.database, userId, q);
  }

  markNotificationsRead(userId: string, ids?: string[]) {
    return markNotificationsRead(this.database, userId, this.nowIso(), ids);
  }

  petitionerNotices(caseId: string) {
    return petitionerNotices(this.database, caseId);
  }

  // Sign-in attempts ----------------------------------------------------------------

  /** Counts one attempt under every limit unless one is used up (see attempts.ts). */
  takeAttempt(limits: AttemptLimit[]): Promise<AttemptVerdict> {
    return takeAttempt(this.database, limits, this.clock.now().getTime());
  }

  releaseAttempt(keys: string[], atMs: number) {
    return releaseAttempt(this.database, keys, atMs);
  }

  markKnown(key: string) {
    return markKnown(this.database, key, this.clock.now().getTime());
  }

  isKnown(key: string) {
    return isKnown(this.database, key, this.clock.now().getTime());
  }
}

/**
 * Form data from a person never holds a sealed value: one could only be
 * copied from elsewhere, and would then bypass validation and be opened for
 * this case's readers.
 */
function refuseSealedInput(data: unknown): void {
  if (containsSealed(data)) throw new StoreError('data.sealedInput');
}

/** SQLite and PostgreSQL unique-constraint errors (two writers appending the same event seq). */
export function isUniqueViolation(error: unknown): boolean {
  const e = error as { code?: string; cause?: { code?: string } } | null;
  const code = e?.code ?? e?.cause?.code;
  return (
    code === '23505' ||
    code === 'SQLITE_CONSTRAINT_PRIMARYKEY' ||
    code === 'SQLITE_CONSTRAINT_UNIQUE'
  );
}

export { CommandRejected, StaleVersion };

/** The start command without the petitioner's phone and ID-card number in its data. */
export function withoutContactDetails(command: StartInput['command']): StartInput['command'] {
  return command.data ? { ...command, data: dataWithoutContactDetails(command.data) } : command;
}
