import type { Bilingual } from '@lianxin/spec';
import {
  AUDIT_ACTIONS,
  type AuditAction,
  type AuditQuery,
  searchAudit,
  verifyAudit,
} from '@lianxin/store';
import * as z from 'zod';
import { audit } from '../audit';
import { type DetailNames, describeDetail, detailReferences } from '../audit-detail';
import type { Context, SessionInfo } from '../context';
import { requireScope, scopeOf } from '../permissions';
import { authedProcedure, router } from '../trpc';

const ACTION_IDS = Object.keys(AUDIT_ACTIONS) as [AuditAction, ...AuditAction[]];

const SearchInput = z
  .object({
    /** A user name (exact) or user id. */
    user: z.string().trim().min(1).max(64).optional(),
    caseId: z.string().trim().min(1).max(64).optional(),
    action: z.enum(ACTION_IDS).optional(),
    from: z.iso.datetime({ offset: true }).optional(),
    to: z.iso.datetime({ offset: true }).optional(),
    /** The `nextBefore` of the previous page. */
    before: z.number().int().min(1).optional(),
    limit: z.number().int().min(1).max(200).default(50),
  })
  .refine((i) => !i.from || !i.to || Date.parse(i.from) <= Date.parse(i.to), {
    path: ['from'],
    message: '开始时间晚于结束时间 / the start is after the end',
  });

/** Names of the jurisdictions, users and flows a page of records mentions, in three reads. */
async function namesFor(
  ctx: Context & { session: SessionInfo },
  details: unknown[],
): Promise<DetailNames> {
  const refs = detailReferences(details);
  const jurisdictions = new Map<string, Bilingual>();
  for (const code of refs.jurisdictions) {
    const node = await ctx.services.tree.get(code);
    if (node) jurisdictions.set(code, both(node.name));
  }
  const { users, flows } = await ctx.store.database.read(async (db) => ({
    users: refs.users.size
      ? await db.query.users.findMany({
          columns: { id: true, displayName: true, username: true },
          where: (u, { inArray }) => inArray(u.id, [...refs.users]),
        })
      : [],
    flows: refs.flows.size
      ? await db.query.flows.findMany({
          columns: { id: true, name: true },
          where: (f, { inArray }) => inArray(f.id, [...refs.flows]),
        })
      : [],
  }));
  const userNames = new Map(
    users.map((u) => [u.id, same(`${u.displayName}（${u.username}）`)] as const),
  );
  const flowNames = new Map(flows.map((f) => [f.id, both(f.name)]));
  return {
    jurisdiction: (code) => jurisdictions.get(code),
    user: (id) => userNames.get(id),
    flow: (id) => flowNames.get(id),
  };
}

const same = (text: string): Bilingual => ({ 'zh-CN': text, en: text });
/** A stored name whose English may be missing: the Chinese stands in. */
const both = (name: { 'zh-CN': string; en?: string }): Bilingual => ({
  'zh-CN': name['zh-CN'],
  en: name.en ?? name['zh-CN'],
});

export const auditRouter = router({
  /** The action names, both languages, for the search form. */
  actions: authedProcedure.query(() =>
    Object.entries(AUDIT_ACTIONS).map(([id, name]) => ({ id, name })),
  ),

  /**
   * Admins search the audit log of their jurisdictions (and below), newest
   * first, paged by sequence number. The search is itself audited.
   */
  search: authedProcedure.input(SearchInput).query(async ({ ctx, input }) => {
    const scope = await scopeOf(ctx.services.tree, ctx.session, 'manageUsers');
    if (!scope.length) await requireScope(ctx.services.tree, ctx.session, 'manageUsers', '000000');
    // Failed sign-ins of unknown names belong to no jurisdiction: the top-level admins see them.
    const roots = await Promise.all(
      ctx.session.memberships
        .filter((m) => m.role === 'admin')
        .map(async (m) => (await ctx.services.tree.get(m.jurisdiction))?.parent ?? null),
    );
    let actorId: string | undefined;
    if (input.user) {
      const user = await ctx.store.userByUsername(input.user);
      actorId = user?.id ?? input.user;
    }
    const query: AuditQuery = {
      jurisdictions: scope,
      includeUnscoped: roots.includes(null),
      limit: input.limit,
      ...(actorId ? { actorId } : {}),
      ...(input.caseId ? { caseId: input.caseId } : {}),
      ...(input.action ? { action: input.action } : {}),
      ...(input.from ? { fromMs: Date.parse(input.from) } : {}),
      ...(input.to ? { toMs: Date.parse(input.to) } : {}),
      ...(input.before ? { beforeSeq: input.before } : {}),
    };
    const page = await searchAudit(ctx.store.database, query);
    await audit(ctx, {
      action: 'audit.read',
      detail: {
        query: { ...input, limit: input.limit },
        shown: page.records.length,
      },
    });
    const names = await namesFor(ctx, [
      ...page.records.map((r) => r.detail),
      page.records.map((r) => ({ jurisdiction: r.jurisdiction })),
    ]);
    return {
      records: page.records.map((r) => ({
        seq: r.seq,
        at: r.at,
        actorId: r.actorId,
        actorName: r.actorName,
        action: r.action,
        jurisdiction: r.jurisdiction,
        jurisdictionName: r.jurisdiction ? (names.jurisdiction(r.jurisdiction) ?? null) : null,
        caseId: r.caseId,
        petitionerId: r.petitionerId,
        ip: r.ip,
        detail: r.detail,
        /** The detail in words, both languages: what the page shows. */
        lines: describeDetail(r.detail, names),
        hash: r.hash,
      })),
      nextBefore: page.nextBefore,
    };
  }),

  /** Walks the whole chain; any admin may prove it intact (it shows no record's content). */
  verify: authedProcedure.mutation(async ({ ctx }) => {
    const scope = await scopeOf(ctx.services.tree, ctx.session, 'manageUsers');
    if (!scope.length) await requireScope(ctx.services.tree, ctx.session, 'manageUsers', '000000');
    return verifyAudit(ctx.store.database);
  }),
});
