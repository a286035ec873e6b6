import type { CaseNotes, Command, Event } from '@lianxin/engine';
import { availableActions, CommandInput, caseNotes } from '@lianxin/engine';
import { CHANNELS, URGENCY_COLOURS } from '@lianxin/spec';
import { type CaseRow, type CommandBase, caseArchive, SYSTEM_ACTOR } from '@lianxin/store';
import * as z from 'zod';
import { checkAddressee } from '../addressee';
import { audit } from '../audit';
import type { Context, SessionInfo } from '../context';
import { CursorInput, decodeCursor, encodeCursor } from '../cursor';
import { apiError, guarded } from '../errors';
import { actorFor, requireScope, scopeOf } from '../permissions';
import { caseView, revealCase } from '../privacy';
import { present, presentPetitioner } from '../sealed';
import { authedProcedure, router } from '../trpc';
import { searchCases } from './case-search';

type Authed = Context & { session: SessionInfo };

export const PetitionerInput = z.object({
  name: z.string().min(1).max(50).optional(),
  idCard: z
    .string()
    .regex(/^\d{17}[\dXx]$/)
    .optional(),
  phone: z
    .string()
    .regex(/^[\d\s+-]{5,20}$/)
    .optional(),
});

type RepeatHint = Awaited<ReturnType<Context['store']['repeatHints']>>[number];

/** Earlier cases the user may read, and whether there are others (not how many, not where). */
function splitHints(hints: RepeatHint[], readable: ReadonlySet<string>) {
  return {
    visible: hints
      .filter((h) => readable.has(h.jurisdiction))
      .map((h) => ({
        caseId: h.caseId,
        trackingCode: h.trackingCode,
        jurisdiction: h.jurisdiction,
        status: h.status,
        createdAt: h.createdAt,
        byIdCard: h.byIdCard,
      })),
    elsewhere: hints.some((h) => !readable.has(h.jurisdiction)),
  };
}

/** Commands only the system issues (start, timers, child completion). */
const SYSTEM_COMMANDS = new Set([
  'case.start',
  'timer.fire',
  'child.complete',
  // Runs when a calendar is published (calendars.publish), never on a person's request.
  'calendar.recompute',
]);

/**
 * The case's jurisdiction: the check before a command. On SQLite only the
 * jurisdiction (the store reads the row in its transaction); on PostgreSQL
 * the row the command starts from too, which `actAs` hands to the store (it
 * writes only if the row is still at that version), so a command costs one
 * read and one write.
 */
async function caseScope(ctx: Authed, caseId: string): Promise<CommandBase> {
  const row = await ctx.store.caseForCommand(caseId);
  if (!row) throw apiError('notFound.case');
  await requireScope(ctx.services.tree, ctx.session, 'read', row.jurisdiction);
  return row;
}

export { caseScope };

/** Every user a case's history or state names: actors, claimers, assignees, leaders. */
function usersNamedBy(events: readonly Event[], state: CaseRow['state']): string[] {
  const ids = new Set<string>();
  for (const e of events) {
    if (e.by) ids.add(e.by);
    if (e.type === 'task.claimed' || e.type === 'leaderOwner.set' || e.type === 'firstHandler.set')
      ids.add(e.userId);
    if (e.type === 'task.reassigned' || e.type === 'task.delegated') ids.add(e.to);
    if (e.type === 'supervision.issued' && e.order.to.kind === 'user') ids.add(e.order.to.userId);
  }
  if (state.leaderOwner) ids.add(state.leaderOwner);
  for (const t of state.tasks) if (t.assignee) ids.add(t.assignee);
  ids.delete(SYSTEM_ACTOR.id);
  return [...ids];
}

export interface CaseUser {
  displayName: string;
  /** Only the memberships in jurisdictions the reader may read: nothing of other places. */
  roles: { role: string; jurisdiction: string; department: string | null }[];
}

/**
 * Display names (and, within the reader's scope, roles) of the users a case names:
 * one read of the users and their memberships, whatever the number of events.
 */
async function caseUsers(ctx: Authed, ids: string[]): Promise<Record<string, CaseUser>> {
  if (!ids.length) return {};
  const readable = new Set(await scopeOf(ctx.services.tree, ctx.session, 'read'));
  const { users, memberships } = await ctx.store.database.read(async (db) => ({
    users: await db.query.users.findMany({
      columns: { id: true, displayName: true },
      where: (u, { inArray }) => inArray(u.id, ids),
    }),
    memberships: await db.query.memberships.findMany({
      columns: { userId: true, role: true, jurisdiction: true, department: true },
      where: (m, { inArray }) => inArray(m.userId, ids),
    }),
  }));
  const out: Record<string, CaseUser> = {};
  for (const u of users) out[u.id] = { displayName: u.displayName, roles: [] };
  for (const m of memberships)
    if (readable.has(m.jurisdiction))
      out[m.userId]?.roles.push({
        role: m.role,
        jurisdiction: m.jurisdiction,
        department: m.department,
      });
  return out;
}

export async function loadCase(ctx: Authed, caseId: string): Promise<CaseRow> {
  const row = await ctx.store.caseRow(caseId);
  if (!row) throw apiError('notFound.case');
  await requireScope(ctx.services.tree, ctx.session, 'read', row.jurisdiction);
  return row;
}

/** Applies one engine command as the signed-in user. */
export async function actAs(
  ctx: Authed,
  row: CommandBase,
  command: CommandInput & Pick<Command, 'expectedVersion'>,
) {
  if (SYSTEM_COMMANDS.has(command.type))
    throw apiError('command.notAllowed', { type: command.type });
  await requireScope(ctx.services.tree, ctx.session, 'actOnCase', row.jurisdiction);
  if (command.type === 'case.supervise') await checkAddressee(ctx, row.jurisdiction, command.to);
  const actor = await actorFor(ctx.services.tree, ctx.session, row.jurisdiction);
  const result = await guarded(() => ctx.store.act(row.id, { ...command, actor }, row));
  return {
    caseId: row.id,
    version: result.state.version,
    status: result.state.status,
    events: result.events.map((e) => e.type),
  };
}

/** The published flow a new case starts on: the latest version unless one is named. */
export async function publishedFlow(ctx: Context, flowId: string, version?: number) {
  const flow = await ctx.store.flow(flowId);
  if (!flow) throw apiError('notFound.flow');
  const v = version ?? flow.latestVersion;
  if (v < 1) throw apiError('flow.notPublished');
  const published = await ctx.store.flowVersion(flow.id, v);
  if (!published) throw apiError('flow.notPublished');
  const definition = await guarded(() => ctx.store.publishedDefinition(flow.id, v));
  return { flow, version: v, definition };
}

const ListInput = z.object({
  jurisdiction: z
    .string()
    .regex(/^\d{6}$/)
    .optional(),
  status: z.array(z.enum(['new', 'active', 'closed', 'cancelled'])).optional(),
  /** Colours, and `none` for cases not triaged yet. */
  urgency: z.array(z.enum([...URGENCY_COLOURS, 'none'])).optional(),
  channel: z.array(z.enum(CHANNELS)).optional(),
  overdue: z.boolean().optional(),
  /** 一周一核: cases changed since this instant, and every overdue case. */
  changedSinceOrOverdue: z.iso.datetime({ offset: true }).optional(),
  flowKey: z.string().max(64).optional(),
  category: z.string().max(64).optional(),
  trackingCode: z.string().max(20).optional(),
  createdFrom: z.iso.datetime({ offset: true }).optional(),
  createdTo: z.iso.datetime({ offset: true }).optional(),
  /** newest first (default), or oldest first (the overdue list: the longest-waiting first). */
  order: z.enum(['newest', 'oldest']).default('newest'),
  limit: z.number().int().min(1).max(200).default(50),
  /** The `next` of the page before, read in the same order (cursor.ts). */
  cursor: CursorInput.optional(),
});

export const casesRouter = router({
  /** 查看联系方式: one case's contact details in full for a while, with a reason, audited. */
  reveal: revealCase,

  /** 查找信访事项 (case-search.ts): words, petitioner by keyed hash, dates, flow, department, 我包案的. */
  search: searchCases,

  /** Registers a case received through a channel (visit, letter, phone, …). */
  register: authedProcedure
    .input(
      z.object({
        flowId: z.string(),
        jurisdiction: z
          .string()
          .regex(/^\d{6}$/)
          .optional(),
        channel: z.enum(CHANNELS),
        data: z.record(z.string(), z.unknown()).default({}),
        urgency: z.enum(URGENCY_COLOURS).optional(),
        petitioner: PetitionerInput.optional(),
      }),
    )
    .mutation(async ({ ctx, input }) => {
      const { flow, version } = await publishedFlow(ctx, input.flowId);
      const jurisdiction = input.jurisdiction ?? flow.jurisdiction;
      await requireScope(ctx.services.tree, ctx.session, 'registerCase', jurisdiction);
      const actor = await actorFor(ctx.services.tree, ctx.session, jurisdiction);
      const hints = input.petitioner ? await ctx.store.repeatHints(input.petitioner) : [];
      const started = await guarded(() =>
        ctx.store.startCase({
          flowId: flow.id,
          version,
          ...(input.petitioner ? { petitioner: { jurisdiction, ...input.petitioner } } : {}),
          command: {
            type: 'case.start',
            channel: input.channel,
            data: input.data,
            jurisdiction,
            repeat: hints.length > 0,
            ...(input.urgency ? { urgency: input.urgency } : {}),
            actor,
          },
        }),
      );
      // Only cases the registrar may read are named; of the rest, only that there are some.
      const shown = splitHints(
        hints,
        new Set(await scopeOf(ctx.services.tree, ctx.session, 'read')),
      );
      return {
        caseId: started.caseId,
        trackingCode: started.trackingCode,
        version: started.state.version,
        repeat: hints.length > 0,
        repeatHints: shown.visible,
        repeatElsewhere: shown.elsewhere,
      };
    }),

  /** One case with its timeline, open tasks and the actions this user may take. */
  get: authedProcedure.input(z.object({ caseId: z.string() })).query(async ({ ctx, input }) => {
    const row = await loadCase(ctx, input.caseId);
    const { definition } = await publishedFlow(ctx, row.flowId, row.flowVersion);
    const actor = await actorFor(ctx.services.tree, ctx.session, row.jurisdiction);
    const events = await ctx.store.events(row.id);
    const petitioner = row.petitionerId ? await ctx.store.petitioner(row.petitionerId) : undefined;
    await audit(ctx, {
      action: 'case.read',
      caseId: row.id,
      petitionerId: row.petitionerId,
      jurisdiction: row.jurisdiction,
      detail: { procedure: 'cases.get', trackingCode: row.trackingCode },
    });
    const { state, ...columns } = row;
    // Sealed values (x-sensitive fields) opened per the reader: in full, revealed, or masked.
    const view = await caseView(ctx, row);
    // Comments and attachments live in the events, not the state; the row of a
    // case archived before they left the state still holds them (its events are gone).
    const legacy = state as typeof state & Partial<CaseNotes>;
    const notes = caseNotes(events);
    return present(
      ctx,
      {
        case: columns,
        state: {
          ...state,
          comments: events.length ? notes.comments : (legacy.comments ?? []),
          attachments: events.length ? notes.attachments : (legacy.attachments ?? []),
        },
        timeline: events.map((e, i) => ({ seq: i + 1, ...e })),
        /** Who the timeline and tasks name, by user id (`system` is the scheduler, not listed). */
        users: await caseUsers(ctx, usersNamedBy(events, state)),
        tasks: await ctx.store.tasksOfCase(row.id),
        actions: availableActions(definition, state, actor),
        // Masked here, per the reader's view of this case, not in the browser.
        petitioner: petitioner ? presentPetitioner(petitioner, view) : null,
        /** Whether this reader sees contact details masked, may reveal them, and until when a reveal lasts. */
        privacy: {
          masked: !view.full.has('name'),
          mayReveal: view.mayReveal,
          revealedUntil: view.revealedUntil,
        },
        evaluation: (await ctx.store.evaluation(row.id)) ?? null,
        /** Where `lianxin archive` moved the events, attachments and documents (已归档), or null. */
        archive: await caseArchive(ctx.store.database, row.id),
        flow: {
          id: row.flowId,
          key: definition.key,
          version: definition.version,
          name: definition.name,
        },
      },
      view,
    );
  }),

  list: authedProcedure.input(ListInput.optional()).query(async ({ ctx, input }) => {
    const filters = ListInput.parse(input ?? {});
    let scope = await scopeOf(ctx.services.tree, ctx.session, 'read');
    if (filters.jurisdiction) {
      await requireScope(ctx.services.tree, ctx.session, 'read', filters.jurisdiction);
      const below = new Set(await ctx.services.tree.below(filters.jurisdiction));
      scope = scope.filter((c) => below.has(c));
    }
    const { jurisdiction: _, cursor, ...rest } = filters;
    const order = filters.order === 'oldest' ? 'cases.oldest' : 'cases.newest';
    const after = cursor ? decodeCursor(order, cursor) : undefined;
    const { next, ...page } = await ctx.store.listCases({
      ...rest,
      jurisdictions: scope,
      ...(after ? { after: { createdAtMs: after[0], id: after[1] } } : {}),
    });
    // One record per list read: the query and how many cases it showed.
    await audit(ctx, {
      action: 'case.list',
      ...(filters.jurisdiction ? { jurisdiction: filters.jurisdiction } : {}),
      detail: {
        procedure: 'cases.list',
        query: filters,
        shown: page.rows.length,
        total: page.more ? `${page.total}+` : page.total,
      },
    });
    // Each 包案 leader by name (一周一核 and the exports list them).
    const leaders = await caseUsers(ctx, [
      ...new Set(page.rows.flatMap((r) => (r.leaderOwner ? [r.leaderOwner] : []))),
    ]);
    return {
      ...page,
      rows: page.rows.map((r) => ({
        ...r,
        leaderName: (r.leaderOwner && leaders[r.leaderOwner]?.displayName) || null,
      })),
      /** The cursor of the page after (null on the last). */
      next: next ? encodeCursor(order, [next.createdAtMs, next.id]) : null,
    };
  }),

  /** Any engine command except the system's; the actor is always the signed-in user. */
  act: authedProcedure
    .input(
      z.object({
        caseId: z.string(),
        expectedVersion: z.number().int().min(0).optional(),
        // The engine's own description of every command; an actor sent along is dropped.
        command: CommandInput,
      }),
    )
    .mutation(async ({ ctx, input }) => {
      const row = await caseScope(ctx, input.caseId);
      return actAs(ctx, row, {
        ...input.command,
        ...(input.expectedVersion !== undefined ? { expectedVersion: input.expectedVersion } : {}),
      });
    }),

  availableActions: authedProcedure
    .input(z.object({ caseId: z.string() }))
    .query(async ({ ctx, input }) => {
      const row = await loadCase(ctx, input.caseId);
      const { definition } = await publishedFlow(ctx, row.flowId, row.flowVersion);
      const actor = await actorFor(ctx.services.tree, ctx.session, row.jurisdiction);
      return { version: row.version, ...availableActions(definition, row.state, actor) };
    }),

  /**
   * Earlier cases of the person being registered (matched by keyed hash of the
   * ID-card number or phone), for someone who may register cases where they
   * look (`registerCase` in the typed jurisdiction, or in the case's for
   * `{ caseId }`): not a look-up any staff member can point at any number.
   * Counted per user in the database (`Services.repeatHints`), each look-up
   * audited. Cases the user may read are listed; of the others only whether
   * there are any, never how many or where.
   */
  repeatHints: authedProcedure
    .input(
      z.union([
        z.object({ caseId: z.string().max(64) }),
        PetitionerInput.extend({ jurisdiction: z.string().regex(/^\d{6}$/) }),
      ]),
    )
    .query(async ({ ctx, input }) => {
      let query: { idCard?: string; phone?: string };
      let exclude: string | undefined;
      let jurisdiction: string;
      if ('caseId' in input) {
        const row = await loadCase(ctx, input.caseId);
        await requireScope(ctx.services.tree, ctx.session, 'registerCase', row.jurisdiction);
        const p = row.petitionerId ? await ctx.store.petitioner(row.petitionerId) : undefined;
        query = {
          ...(p?.idCard ? { idCard: p.idCard } : {}),
          ...(p?.phone ? { phone: p.phone } : {}),
        };
        exclude = row.id;
        jurisdiction = row.jurisdiction;
      } else {
        await requireScope(ctx.services.tree, ctx.session, 'registerCase', input.jurisdiction);
        query = {
          ...(input.idCard ? { idCard: input.idCard } : {}),
          ...(input.phone ? { phone: input.phone } : {}),
        };
        jurisdiction = input.jurisdiction;
      }
      const { perUser, windowMs } = ctx.services.repeatHints;
      const verdict = await ctx.store.takeAttempt([
        { key: `repeatHints:user:${ctx.session.user.id}`, max: perUser, windowMs },
      ]);
      if (!verdict.ok)
        throw apiError('cases.lookupLimited', {
          seconds: Math.max(1, Math.ceil(verdict.retryAfterMs / 1000)),
        });
      const scope = new Set(await scopeOf(ctx.services.tree, ctx.session, 'read'));
      const hints = await ctx.store.repeatHints(query, exclude);
      // A lookup by ID-card number or phone reads the petitioner's history.
      await audit(ctx, {
        action: 'petitioner.read',
        caseId: exclude ?? null,
        jurisdiction,
        detail: { procedure: 'cases.repeatHints', by: Object.keys(query), found: hints.length },
      });
      return splitHints(hints, scope);
    }),
});
