import { checkFlow, describeFlowDiff, diffFlows, type Problem } from '@lianxin/spec';
import { type FlowRow, StoreError } from '@lianxin/store';
import * as z from 'zod';
import { audit } from '../audit';
import type { Context, SessionInfo } from '../context';
import { apiError, guarded } from '../errors';
import { placeWords, requireScope, scopeOf } from '../permissions';
import { authedProcedure, router } from '../trpc';
import { knownDepartments } from './departments';
import { templateLocks } from './flow-locks';
import { guardTemplateLocks, recordOverlay, templateLockProblems } from './templates';

const Code = z.string().regex(/^\d{6}$/);
const FlowKey = z
  .string()
  .regex(/^[A-Za-z][A-Za-z0-9_-]*$/)
  .max(64);
const Definition = z.record(z.string(), z.unknown());

async function loadFlow(ctx: Context & { session: SessionInfo }, flowId: string): Promise<FlowRow> {
  const flow = await ctx.store.flow(flowId);
  if (!flow) throw apiError('notFound.flow');
  await requireScope(ctx.services.tree, ctx.session, 'read', flow.jurisdiction);
  return flow;
}

/**
 * Runs the spec checker. Subflows resolve against flows published here or
 * above (as the store resolves them when a case calls one), and the child's
 * published definition comes along so its contract is checked too.
 */
export async function checkDefinition(
  ctx: Context,
  jurisdiction: string,
  definition: unknown,
): Promise<Problem[]> {
  const children = await subflowDefinitions(ctx, jurisdiction, definition);
  const own = (definition as { key?: unknown } | null)?.key;
  // 承办部门 are the jurisdiction's own list (once it keeps one): 司法局 typed where
  // the list has no such department would send the task to nobody.
  const departments = await knownDepartments(ctx, jurisdiction);
  return checkFlow(definition, {
    resolveSubflow: (ref) =>
      ref.key === own ? (definition as Record<string, unknown>) : children.get(refKey(ref)),
    ...(departments ? { departments: (code: string) => departments.has(code) } : {}),
  });
}

const refKey = (ref: { key: string; version?: number }) => `${ref.key}@${ref.version ?? ''}`;

/** The published definitions a flow's subflow nodes name, looked up from `jurisdiction` upwards. */
async function subflowDefinitions(
  ctx: Context,
  jurisdiction: string,
  definition: unknown,
): Promise<Map<string, Record<string, unknown>>> {
  const out = new Map<string, Record<string, unknown>>();
  const nodes = (definition as { nodes?: unknown } | null)?.nodes;
  if (!Array.isArray(nodes)) return out;
  const above = await ctx.services.tree.above(jurisdiction);
  for (const node of nodes) {
    const ref = (node as { kind?: unknown; flow?: unknown } | null)?.flow as
      | { key?: unknown; version?: unknown }
      | undefined;
    if ((node as { kind?: unknown }).kind !== 'subflow' || typeof ref?.key !== 'string') continue;
    const wanted = {
      key: ref.key,
      ...(typeof ref.version === 'number' ? { version: ref.version } : {}),
    };
    if (out.has(refKey(wanted))) continue;
    for (const code of above) {
      const flow = await ctx.store.flowByKey(code, wanted.key);
      if (!flow || flow.latestVersion < 1) continue;
      const version = await ctx.store.flowVersion(flow.id, wanted.version ?? flow.latestVersion);
      if (version) out.set(refKey(wanted), version.definition as Record<string, unknown>);
      break;
    }
  }
  return out;
}

/** A stored time as people in China read it: Beijing time, to the minute. */
const beijing = (iso: string | null) =>
  iso ? new Date(Date.parse(iso) + 8 * 3_600_000).toISOString().slice(0, 16).replace('T', ' ') : '';

/** Who last saved a flow's draft, by name (the id when the user is gone). */
async function savedByName(ctx: Context, userId: string | null): Promise<string | null> {
  if (!userId) return null;
  const user = await ctx.store.user(userId);
  return user?.displayName || user?.username || userId;
}

/**
 * A flow as saveDraft and publish will judge it: the checker with subflows
 * resolved, and the parts a provincial template locked.
 */
async function serverCheck(ctx: Context, jurisdiction: string, definition: unknown) {
  const key = (definition as { key?: unknown } | null)?.key;
  const problems = [
    ...(await checkDefinition(ctx, jurisdiction, definition)),
    ...(typeof key === 'string'
      ? await templateLockProblems(ctx, jurisdiction, key, definition)
      : []),
  ];
  return { problems, ...summary(problems) };
}

const summary = (problems: Problem[]) => ({
  errors: problems.filter((p) => p.severity === 'error').length,
  warnings: problems.filter((p) => p.severity !== 'error').length,
});

export const flowsRouter = router({
  list: authedProcedure
    .input(z.object({ jurisdiction: Code.optional() }).optional())
    .query(async ({ ctx, input }) => {
      let scope = await scopeOf(ctx.services.tree, ctx.session, 'read');
      if (input?.jurisdiction) {
        await requireScope(ctx.services.tree, ctx.session, 'read', input.jurisdiction);
        scope = [input.jurisdiction];
      }
      return ctx.store.listFlows(scope);
    }),

  /** The flow with its draft and one published version (the latest unless `version` is given). */
  get: authedProcedure
    .input(z.object({ flowId: z.string(), version: z.number().int().min(1).optional() }))
    .query(async ({ ctx, input }) => {
      const flow = await loadFlow(ctx, input.flowId);
      const version = input.version ?? flow.latestVersion;
      const published = version > 0 ? await ctx.store.flowVersion(flow.id, version) : undefined;
      if (input.version && !published) throw apiError('flow.notPublished');
      const adoption = (await ctx.store.adoptions([flow.jurisdiction])).find(
        (a) => a.flowId === flow.id,
      );
      return {
        id: flow.id,
        jurisdiction: flow.jurisdiction,
        key: flow.key,
        name: flow.name,
        latestVersion: flow.latestVersion,
        draft: flow.draft,
        draftHash: flow.draftHash,
        draftUpdatedAt: flow.draftUpdatedAt,
        draftUpdatedBy: await savedByName(ctx, flow.draftUpdatedBy),
        published: published
          ? {
              version: published.version,
              definition: published.definition,
              contentHash: published.contentHash,
              publishedAt: published.publishedAt,
            }
          : null,
        adoption: adoption
          ? {
              templateKey: adoption.templateKey,
              templateVersion: adoption.templateVersion,
              overlay: adoption.overlay,
              // The parts the province locked and why, for the designer to grey out.
              locks: await ctx.store
                .templateVersion(adoption.templateKey, adoption.templateVersion)
                .then((tpl) => (tpl ? templateLocks(tpl) : null)),
            }
          : null,
      };
    }),

  /**
   * The published definition a case in `jurisdiction` would run for a subflow
   * node calling `key` (and `version`), found by the store's own rule (here,
   * then upwards); null when none is published there or above. The designer's
   * simulation runs child cases on it.
   */
  publishedByKey: authedProcedure
    .input(
      z.object({
        jurisdiction: Code,
        key: FlowKey,
        version: z.number().int().min(1).optional(),
      }),
    )
    .query(async ({ ctx, input }) => {
      await requireScope(ctx.services.tree, ctx.session, 'read', input.jurisdiction);
      const ref = { key: input.key, ...(input.version ? { version: input.version } : {}) };
      const found = await guarded(() => ctx.store.subflowDefinition(input.jurisdiction, ref));
      return found ?? null;
    }),

  /**
   * Saves work in progress (drafts may be incomplete); returns the checker's
   * findings. `create` refuses (flow.exists) a key the jurisdiction already
   * has; `baseDraftHash` (the draftHash the editor opened or last saved)
   * refuses (flow.draftConflict: who saved and when) when someone else has
   * saved since. Either refusal writes nothing.
   */
  saveDraft: authedProcedure
    .input(
      z.object({
        jurisdiction: Code,
        key: FlowKey,
        definition: Definition,
        create: z.literal(true).optional(),
        baseDraftHash: z.string().max(128).nullable().optional(),
      }),
    )
    .mutation(async ({ ctx, input }) => {
      await requireScope(ctx.services.tree, ctx.session, 'editFlows', input.jurisdiction);
      const raw = input.definition.name as { 'zh-CN'?: unknown } | undefined;
      const name =
        raw && typeof raw['zh-CN'] === 'string'
          ? (input.definition.name as { 'zh-CN': string; en?: string })
          : { 'zh-CN': input.key };
      await guardTemplateLocks(ctx, input.jurisdiction, input.key, input.definition);
      const expect = input.create
        ? ({ new: true } as const)
        : input.baseDraftHash !== undefined
          ? { draftHash: input.baseDraftHash }
          : undefined;
      const row = await guarded(async () => {
        try {
          return await ctx.store.saveDraft({
            jurisdiction: input.jurisdiction,
            key: input.key,
            name,
            draft: input.definition,
            by: ctx.session.user.id,
            ...(expect ? { expect } : {}),
          });
        } catch (error) {
          if (error instanceof StoreError && error.code === 'flow.exists')
            throw apiError('flow.exists', {
              jurisdiction: await placeWords(ctx.services.tree, input.jurisdiction),
              key: input.key,
            });
          if (error instanceof StoreError && error.code === 'flow.draftConflict') {
            const d = error.details as {
              flowId: string;
              draftHash: string | null;
              draftUpdatedAt: string | null;
              draftUpdatedBy: string | null;
            };
            const by = (await savedByName(ctx, d.draftUpdatedBy)) ?? '';
            throw apiError(
              'flow.draftConflict',
              { by, at: beijing(d.draftUpdatedAt) },
              { flowId: d.flowId, draftHash: d.draftHash, savedAt: d.draftUpdatedAt, savedBy: by },
            );
          }
          throw error;
        }
      });
      await recordOverlay(ctx, row.id, input.jurisdiction);
      const problems = await checkDefinition(ctx, input.jurisdiction, row.draft);
      return { flowId: row.id, draftHash: row.draftHash, problems, ...summary(problems) };
    }),

  check: authedProcedure
    .input(
      z.union([
        z.object({ flowId: z.string() }),
        z.object({ jurisdiction: Code, definition: Definition }),
      ]),
    )
    .query(async ({ ctx, input }) => {
      if ('flowId' in input) {
        const flow = await loadFlow(ctx, input.flowId);
        return serverCheck(ctx, flow.jurisdiction, flow.draft);
      }
      await requireScope(ctx.services.tree, ctx.session, 'read', input.jurisdiction);
      return serverCheck(ctx, input.jurisdiction, input.definition);
    }),

  /**
   * flows.check of a definition sent in the body (the designer's live check
   * of a large flow does not fit in a query's address); writes nothing.
   */
  checkDefinition: authedProcedure
    .input(z.object({ jurisdiction: Code, definition: Definition }))
    .mutation(async ({ ctx, input }) => {
      await requireScope(ctx.services.tree, ctx.session, 'read', input.jurisdiction);
      return serverCheck(ctx, input.jurisdiction, input.definition);
    }),

  /** Publishes the draft as the next immutable version; refused while the checker reports errors. */
  publish: authedProcedure
    .input(z.object({ flowId: z.string(), note: z.string().max(500).optional() }))
    .mutation(async ({ ctx, input }) => {
      const flow = await loadFlow(ctx, input.flowId);
      await requireScope(ctx.services.tree, ctx.session, 'editFlows', flow.jurisdiction);
      await guardTemplateLocks(ctx, flow.jurisdiction, flow.key, flow.draft);
      const problems = await checkDefinition(ctx, flow.jurisdiction, {
        ...flow.draft,
        version: flow.latestVersion + 1,
      });
      const { errors } = summary(problems);
      if (errors > 0) throw apiError('flow.invalid', { count: errors }, { problems });
      const row = await guarded(() => ctx.store.publish(flow.id, ctx.session.user.id, input.note));
      await audit(ctx, {
        action: 'flow.published',
        jurisdiction: flow.jurisdiction,
        detail: {
          flowId: flow.id,
          key: flow.key,
          version: row.version,
          contentHash: row.contentHash,
        },
      });
      return {
        flowId: flow.id,
        version: row.version,
        contentHash: row.contentHash,
        publishedAt: row.publishedAt,
        warnings: problems,
      };
    }),

  versions: authedProcedure
    .input(z.object({ flowId: z.string() }))
    .query(async ({ ctx, input }) => {
      const flow = await loadFlow(ctx, input.flowId);
      return ctx.store.flowVersions(flow.id);
    }),

  /** What changed between two versions (or a version and the draft), by stable id, and in words. */
  diff: authedProcedure
    .input(
      z.object({
        flowId: z.string(),
        from: z.union([z.number().int().min(1), z.literal('draft')]),
        to: z.union([z.number().int().min(1), z.literal('draft')]),
      }),
    )
    .query(async ({ ctx, input }) => {
      const flow = await loadFlow(ctx, input.flowId);
      const load = async (v: number | 'draft') => {
        if (v === 'draft') return flow.draft ?? {};
        const row = await ctx.store.flowVersion(flow.id, v);
        if (!row) throw apiError('flow.notPublished');
        return row.definition;
      };
      const [from, to] = [await load(input.from), await load(input.to)];
      // By stable id and key-order insensitive (spec's diff, as the designer shows it), in words.
      return { ...diffFlows(from, to), words: describeFlowDiff(from, to, ctx.lang ?? 'zh-CN') };
    }),
});
