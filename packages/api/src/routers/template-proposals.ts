import {
  applyOverlay,
  type Bilingual,
  computeOverlay,
  type OverlayFailure,
  planUpgrade,
  resolvePointer,
  toKeyed,
  upgradeFlowToTemplate,
} from '@lianxin/spec';
import type { FlowRow, ProposalRow } from '@lianxin/store';
import * as z from 'zod';
import { apiError, guarded } from '../errors';
import { PERMISSIONS, scopeOf } from '../permissions';
import { authedProcedure } from '../trpc';
import {
  baseOf,
  type Ctx,
  type Json,
  loadAdopted,
  requirePublisher,
  templateVersionOrThrow,
} from './template-base';
import { describeChange, describePlace, describeValue } from './template-words';

type Operation = { op: string; path: string; value?: unknown };
const words = (zh: string, en: string): Bilingual => ({ 'zh-CN': zh, en });
const Note = z.object({
  'zh-CN': z.string().trim().min(2).max(2000),
  en: z.string().trim().max(2000).optional(),
});
const Paths = z.array(z.string().startsWith('/').max(500)).min(1).max(500);
const related = (a: string, b: string) => a === b || a.startsWith(`${b}/`) || b.startsWith(`${a}/`);
const bilingual = (t: { 'zh-CN': string; en?: string } | null): Bilingual | null =>
  t ? { 'zh-CN': t['zh-CN'], en: t.en?.trim() || t['zh-CN'] } : null;

/** The template a proposal is about, and whether the caller answers for its publisher. */
async function reviewerOf(ctx: Ctx, templateKey: string) {
  const template = (await ctx.store.listTemplates()).find((t) => t.key === templateKey);
  if (!template) return { template, reviews: false };
  const publishers = new Set(await scopeOf(ctx.services.tree, ctx.session, 'publishTemplates'));
  return { template, reviews: publishers.has(template.publisher) };
}

/**
 * The proposal if the caller may see it: the template's publisher, or a
 * reader of the proposing county. Anyone else is told there is none, so a
 * guessed id says nothing about another county.
 */
async function visibleProposal(ctx: Ctx, id: string) {
  const row = await ctx.store.proposals.get(id);
  if (!row) throw apiError('notFound.proposal');
  const { template, reviews } = await reviewerOf(ctx, row.templateKey);
  const readers = new Set(await scopeOf(ctx.services.tree, ctx.session, 'read'));
  if (!template || (!reviews && !readers.has(row.jurisdiction)))
    throw apiError('notFound.proposal');
  return { row, template, reviews };
}

/** As `visibleProposal`, for the publisher who answers it (a county is refused by role). */
async function reviewedProposal(ctx: Ctx, id: string) {
  const found = await visibleProposal(ctx, id);
  await requirePublisher(ctx, found.template?.publisher ?? '');
  return found;
}

/**
 * The publisher's source flow for the template's next version: its flow with
 * the template's key, as `templates.publishDraft` makes the next version from
 * it (the draft, else the published definition). Without one, the template's
 * latest version is the starting point, saved as a new flow on acceptance.
 */
async function sourceOf(ctx: Ctx, templateKey: string, publisher: string, latest: number) {
  const flow = await ctx.store.flowByKey(publisher, templateKey);
  if (flow) {
    const published =
      flow.draft || flow.latestVersion === 0
        ? undefined
        : await ctx.store.flowVersion(flow.id, flow.latestVersion);
    const source = (flow.draft ?? published?.definition ?? {}) as Json;
    return { flow, source };
  }
  const tpl = await templateVersionOrThrow(ctx.store, templateKey, latest);
  const { extends: _e, ...source }: Json = { ...baseOf(tpl), jurisdiction: publisher };
  return { flow: undefined as FlowRow | undefined, source };
}

/**
 * 采纳 as a merge: the chosen county changes (overlay operations on `base`,
 * the template version the county proposed on) go into the publisher's
 * `source` with the three-way merge an upgrade uses — base, the county's
 * flow, the source — the county's value winning where both changed a place.
 * The source keeps its own identity and every change of its own elsewhere.
 */
export function mergeProposal(
  base: Json,
  chosen: readonly Operation[],
  source: Json,
): { ok: true; flow: Json } | { ok: false; failures: OverlayFailure[] } {
  const county = applyOverlay(base, chosen as never, base);
  if (county.failures.length > 0) return { ok: false, failures: county.failures };
  const plan = planUpgrade(base, county.flow, source);
  const merged = upgradeFlowToTemplate(
    base,
    county.flow,
    source,
    Object.fromEntries(plan.conflicts.map((c) => [c.path, 'theirs' as const])),
  );
  // Every clash is resolved above, so the merge cannot refuse.
  return merged.ok ? { ok: true, flow: merged.flow } : { ok: false, failures: [] };
}

/** The offered changes in words, each against the publisher's current source. */
async function describeProposal(ctx: Ctx, row: ProposalRow) {
  const { template } = await reviewerOf(ctx, row.templateKey);
  const base = baseOf(
    await templateVersionOrThrow(ctx.store, row.templateKey, row.templateVersion),
  );
  const offered = row.changes as Operation[];
  const county = applyOverlay(base, offered as never, base).flow;
  const { source } = await sourceOf(
    ctx,
    row.templateKey,
    template?.publisher ?? '',
    template?.latestVersion ?? row.templateVersion,
  );
  const plan = planUpgrade(base, county, source);
  const [kBase, kCounty, kSource] = [toKeyed(base), toKeyed(county), toKeyed(source)];
  const at = (doc: Json, path: string) => {
    const r = resolvePointer(doc, path);
    return r.found ? r.value : undefined;
  };
  return offered.map((op) => {
    const described = describeChange(op, kBase, kCounty);
    const conflict = plan.conflicts.find((c) => related(c.path, op.path));
    const already =
      !conflict && JSON.stringify(at(kSource, op.path)) === JSON.stringify(at(kCounty, op.path));
    const where = conflict ? describePlace(conflict.path, kSource, kCounty, kBase) : null;
    const [ours, theirs] = conflict
      ? [describeValue(conflict.ours), describeValue(conflict.theirs)]
      : [null, null];
    return {
      path: op.path,
      op: op.op,
      where: described.where,
      beforeText: described.beforeText,
      afterText: described.afterText,
      text: described.text,
      conflict: Boolean(conflict),
      alreadyInSource: already,
      conflictText:
        conflict && where && ours && theirs
          ? words(
              `${where['zh-CN']}：省里当前为 ${ours['zh-CN']}，本县提议 ${theirs['zh-CN']}（采纳则以本县为准）`,
              `${where.en}: the province now has ${ours.en}, the county proposes ${theirs.en} (accepting takes the county's)`,
            )
          : null,
    };
  });
}

async function summaryOf(ctx: Ctx, row: ProposalRow, reviews: boolean) {
  const [flow, place, template] = await Promise.all([
    ctx.store.flow(row.flowId),
    ctx.services.tree.get(row.jurisdiction),
    ctx.store.listTemplates().then((ts) => ts.find((t) => t.key === row.templateKey)),
  ]);
  return {
    id: row.id,
    jurisdiction: row.jurisdiction,
    jurisdictionName: place?.name ?? null,
    flowId: row.flowId,
    flowName: flow?.name ?? null,
    templateKey: row.templateKey,
    templateName: template?.name ?? null,
    templateVersion: row.templateVersion,
    latestVersion: template?.latestVersion ?? row.templateVersion,
    changeCount: row.changes.length,
    note: bilingual(row.note) as Bilingual,
    status: row.status as 'pending' | 'accepted' | 'returned',
    proposedAt: row.proposedAt,
    answeredAt: row.answeredAt,
    answer: bilingual(row.answer),
    merged: row.merged,
    reviewable: reviews && row.status === 'pending',
  };
}

/** The jurisdictions where the caller is itself a county admin (not an admin above it). */
async function ownCounties(ctx: Ctx) {
  const admins: readonly string[] = PERMISSIONS.editFlows;
  const own = ctx.session.memberships
    .filter((m) => admins.includes(m.role))
    .map((m) => m.jurisdiction);
  const levels = await Promise.all(own.map((c) => ctx.services.tree.get(c)));
  return own.filter((_, i) => levels[i]?.level === 'county');
}

/** 县区建议: counties offer local changes back; the template's publisher accepts or returns them. */
export const templateProposalProcedures = {
  /**
   * A county admin offers some (default all) of an adopted flow's local
   * changes to the template's publisher, with a note. Only the adopting
   * county's own admins propose.
   */
  propose: authedProcedure
    .input(z.object({ flowId: z.string().max(100), paths: Paths.optional(), note: Note }))
    .mutation(async ({ ctx, input }) => {
      const { flow, adoption, base, draft } = await loadAdopted(ctx, input.flowId, 'editFlows');
      if (!(await ownCounties(ctx)).includes(flow.jurisdiction))
        throw apiError('proposal.ownCounty');
      const overlay = computeOverlay(baseOf(base), draft) as Operation[];
      const unknown = (input.paths ?? []).filter((p) => !overlay.some((op) => op.path === p));
      if (unknown.length > 0) throw apiError('proposal.unknownChange', { count: unknown.length });
      const offered = input.paths
        ? overlay.filter((op) => input.paths?.includes(op.path))
        : overlay;
      if (offered.length === 0) throw apiError('proposal.empty');
      const row = await ctx.store.proposals.create({
        jurisdiction: flow.jurisdiction,
        flowId: flow.id,
        templateKey: adoption.templateKey,
        templateVersion: adoption.templateVersion,
        changes: offered,
        note: { 'zh-CN': input.note['zh-CN'], ...(input.note.en ? { en: input.note.en } : {}) },
        by: ctx.session.user.id,
      });
      return { id: row.id, changeCount: offered.length };
    }),

  /**
   * Proposals the caller reviews (of templates it publishes) and those of the
   * counties it reads, newest first; `pending` counts those awaiting its answer.
   */
  proposals: authedProcedure
    .input(z.object({ status: z.enum(['pending', 'accepted', 'returned']).optional() }).optional())
    .query(async ({ ctx, input }) => {
      const publishers = new Set(await scopeOf(ctx.services.tree, ctx.session, 'publishTemplates'));
      const reviewed = (await ctx.store.listTemplates())
        .filter((t) => publishers.has(t.publisher))
        .map((t) => t.key);
      const readers = await scopeOf(ctx.services.tree, ctx.session, 'read');
      const [forReview, ofCounties] = await Promise.all([
        reviewed.length
          ? ctx.store.proposals.list({ templateKeys: reviewed, status: input?.status })
          : [],
        ctx.store.proposals.list({ jurisdictions: readers, status: input?.status }),
      ]);
      const seen = new Set<string>();
      const rows = [...forReview, ...ofCounties].filter((r) =>
        seen.has(r.id) ? false : Boolean(seen.add(r.id)),
      );
      rows.sort((a, b) => b.proposedAt.localeCompare(a.proposedAt));
      const reviewedKeys = new Set(reviewed);
      const out = await Promise.all(
        rows.map((r) => summaryOf(ctx, r, reviewedKeys.has(r.templateKey))),
      );
      return { rows: out, pending: out.filter((r) => r.reviewable).length };
    }),

  /** One proposal with its changes in words and, per change, whether it clashes with the source. */
  proposal: authedProcedure
    .input(z.object({ id: z.string().max(100) }))
    .query(async ({ ctx, input }) => {
      const { row, reviews } = await visibleProposal(ctx, input.id);
      return { ...(await summaryOf(ctx, row, reviews)), changes: await describeProposal(ctx, row) };
    }),

  /**
   * 采纳: merges the chosen changes (default all) into the publisher's source
   * flow draft with the three-way merge, the county's value winning where the
   * source changed the same place, so the next version carries them. Answered
   * once: a second acceptance or return is refused.
   */
  acceptProposal: authedProcedure
    .input(
      z.object({
        id: z.string().max(100),
        paths: Paths.optional(),
        note: Note.partial({ 'zh-CN': true }).optional(),
      }),
    )
    .mutation(async ({ ctx, input }) => {
      const { row, template } = await reviewedProposal(ctx, input.id);
      if (row.status !== 'pending' || !template) throw apiError('proposal.answered');
      const offered = row.changes as Operation[];
      const unknown = (input.paths ?? []).filter((p) => !offered.some((op) => op.path === p));
      if (unknown.length > 0) throw apiError('proposal.unknownChange', { count: unknown.length });
      const chosen = input.paths ? offered.filter((op) => input.paths?.includes(op.path)) : offered;
      const base = baseOf(
        await templateVersionOrThrow(ctx.store, row.templateKey, row.templateVersion),
      );
      const { flow, source } = await sourceOf(
        ctx,
        row.templateKey,
        template.publisher,
        template.latestVersion,
      );
      const merged = mergeProposal(base, chosen, source);
      if (!merged.ok)
        throw apiError('overlay.conflict', {
          detail: merged.failures.map((f) => f.message['zh-CN']).join('；'),
        });
      const saved = await guarded(() =>
        ctx.store.saveDraft({
          jurisdiction: template.publisher,
          key: row.templateKey,
          name: flow?.name ?? template.name,
          draft: merged.flow,
          by: ctx.session.user.id,
          expect: flow ? { draftHash: flow.draftHash } : { new: true },
        }),
      );
      const note = input.note?.['zh-CN']
        ? { 'zh-CN': input.note['zh-CN'], ...(input.note.en ? { en: input.note.en } : {}) }
        : null;
      const answered = await ctx.store.proposals.answer({
        id: row.id,
        status: 'accepted',
        answer: note,
        merged: chosen.map((op) => op.path),
        by: ctx.session.user.id,
      });
      if (!answered) {
        // Answered by someone else meanwhile: the source goes back to what it was.
        if (flow?.draft)
          await ctx.store.saveDraft({
            jurisdiction: template.publisher,
            key: row.templateKey,
            name: flow.name,
            draft: flow.draft as Json,
            by: ctx.session.user.id,
            expect: { draftHash: saved.draftHash },
          });
        throw apiError('proposal.answered');
      }
      return {
        id: row.id,
        status: 'accepted' as const,
        merged: chosen.length,
        sourceFlowId: saved.id,
        draftHash: saved.draftHash,
      };
    }),

  /** 退回: the publisher returns a proposal with a reason; nothing else changes. */
  returnProposal: authedProcedure
    .input(z.object({ id: z.string().max(100), reason: Note }))
    .mutation(async ({ ctx, input }) => {
      const { row } = await reviewedProposal(ctx, input.id);
      if (row.status !== 'pending') throw apiError('proposal.answered');
      const answered = await ctx.store.proposals.answer({
        id: row.id,
        status: 'returned',
        answer: {
          'zh-CN': input.reason['zh-CN'],
          ...(input.reason.en ? { en: input.reason.en } : {}),
        },
        merged: null,
        by: ctx.session.user.id,
      });
      if (!answered) throw apiError('proposal.answered');
      return { id: row.id, status: 'returned' as const };
    }),

  /** The bell of a county's own admins: answers to its proposals not opened yet. */
  proposalNotices: authedProcedure.query(async ({ ctx }) => {
    const rows = await ctx.store.proposals.unseenAnswers(await ownCounties(ctx));
    return Promise.all(rows.map((r) => summaryOf(ctx, r, false)));
  }),

  /** The county's admin opened an answer: it leaves the bell. */
  proposalSeen: authedProcedure
    .input(z.object({ id: z.string().max(100) }))
    .mutation(async ({ ctx, input }) => {
      const row = await ctx.store.proposals.get(input.id);
      if (!row || !(await ownCounties(ctx)).includes(row.jurisdiction))
        throw apiError('notFound.proposal');
      await ctx.store.proposals.markSeen(row.id);
      return { id: row.id };
    }),
};
