import { FlowDefinition, TemplateManifest } from '@lianxin/spec';
import { TRPCError } from '@trpc/server';
import jsonPatch, { type Operation as PatchOperation } from 'fast-json-patch';
import * as z from 'zod';
import type { Context, SessionInfo } from '../context';
import { apiError, guarded } from '../errors';
import { requireScope } from '../permissions';
import { authedProcedure, router } from '../trpc';

const Operation = z.looseObject({
  op: z.enum(['add', 'remove', 'replace', 'move', 'copy', 'test']),
  path: z.string(),
});
type Operation = z.infer<typeof Operation>;

/** The template's flow with a county overlay applied, made the county's own. */
export function overlayFlow(
  templateFlow: Record<string, unknown>,
  overlay: Operation[],
  target: { jurisdiction: string; key: string; template: string; version: number },
): Record<string, unknown> {
  let patched: Record<string, unknown>;
  try {
    patched = jsonPatch.applyPatch(
      structuredClone(templateFlow),
      overlay as unknown as PatchOperation[],
      true,
      false,
    ).newDocument;
  } catch (error) {
    throw apiError('overlay.conflict', {
      detail: error instanceof Error ? (error.message.split('\n')[0] ?? '') : '',
    });
  }
  return {
    ...patched,
    key: target.key,
    jurisdiction: target.jurisdiction,
    extends: { template: target.template, version: target.version },
  };
}

/** The template's flow with the forms kept beside it (its `forms/` folder) folded in. */
export function withForms(
  flow: Record<string, unknown>,
  forms: unknown[],
): Record<string, unknown> {
  const inline = Array.isArray(flow.forms) ? (flow.forms as { id?: unknown }[]) : [];
  const ids = new Set(inline.map((f) => f.id));
  const extra = (forms as { id?: unknown; $schema?: unknown }[])
    .filter((f) => !ids.has(f.id))
    .map(({ $schema: _schema, ...f }) => f);
  return { ...flow, forms: [...inline, ...extra] };
}

async function adoptInto(
  ctx: Context & { session: SessionInfo },
  input: {
    templateKey: string;
    version: number;
    jurisdiction: string;
    key: string;
    overlay: Operation[];
  },
) {
  const tpl = await ctx.store.templateVersion(input.templateKey, input.version);
  if (!tpl) throw apiError('notFound.template');
  const draft = overlayFlow(withForms(tpl.flow, tpl.forms), input.overlay, {
    jurisdiction: input.jurisdiction,
    key: input.key,
    template: input.templateKey,
    version: input.version,
  });
  const flow = await guarded(() =>
    ctx.store.saveDraft({
      jurisdiction: input.jurisdiction,
      key: input.key,
      name: tpl.flow.name as { 'zh-CN': string },
      draft,
      by: ctx.session.user.id,
    }),
  );
  const adoption = await ctx.store.recordAdoption({
    jurisdiction: input.jurisdiction,
    templateKey: input.templateKey,
    templateVersion: input.version,
    flowId: flow.id,
    overlay: input.overlay,
  });
  return { flowId: flow.id, adoptionId: adoption.id, templateVersion: input.version };
}

export const templatesRouter = router({
  /** Publishes a template version (provincial or city teams). */
  publish: authedProcedure
    .input(
      z.object({
        manifest: z.record(z.string(), z.unknown()),
        flow: z.record(z.string(), z.unknown()),
        forms: z.array(z.record(z.string(), z.unknown())).default([]),
        readme: z.string().max(200_000).default(''),
      }),
    )
    .mutation(async ({ ctx, input }) => {
      const manifest = TemplateManifest.safeParse(input.manifest);
      const flow = FlowDefinition.safeParse(input.flow);
      if (!manifest.success || !flow.success) {
        throw new TRPCError({
          code: 'BAD_REQUEST',
          message: 'invalid template',
          cause: (manifest.error ?? flow.error) as Error,
        });
      }
      await requireScope(
        ctx.services.tree,
        ctx.session,
        'publishTemplates',
        manifest.data.publisher,
      );
      const row = await guarded(() =>
        ctx.store.publishTemplate({
          manifest: manifest.data as never,
          flow: input.flow,
          forms: input.forms,
          readme: input.readme,
          by: ctx.session.user.id,
        }),
      );
      return { key: row.key, version: row.version, contentHash: row.contentHash };
    }),

  /** Every template with its versions and which jurisdictions run which version. */
  list: authedProcedure.query(({ ctx }) => ctx.store.listTemplates()),

  get: authedProcedure
    .input(z.object({ key: z.string(), version: z.number().int().min(1) }))
    .query(async ({ ctx, input }) => {
      const row = await ctx.store.templateVersion(input.key, input.version);
      if (!row) throw apiError('notFound.template');
      return row;
    }),

  /** Adopts a template version into a county flow (draft) with a JSON Patch overlay. */
  adopt: authedProcedure
    .input(
      z.object({
        templateKey: z.string(),
        version: z.number().int().min(1),
        jurisdiction: z.string().regex(/^\d{6}$/),
        key: z
          .string()
          .regex(/^[A-Za-z][A-Za-z0-9_-]*$/)
          .optional(),
        overlay: z.array(Operation).default([]),
      }),
    )
    .mutation(async ({ ctx, input }) => {
      await requireScope(ctx.services.tree, ctx.session, 'editFlows', input.jurisdiction);
      return adoptInto(ctx, { ...input, key: input.key ?? input.templateKey });
    }),

  /**
   * Moves an adopted flow's draft to a newer template version, re-applying the
   * overlay; a conflicting overlay is refused, never silently dropped. (The
   * three-way diff view is a later issue.)
   */
  upgrade: authedProcedure
    .input(z.object({ flowId: z.string(), toVersion: z.number().int().min(1) }))
    .mutation(async ({ ctx, input }) => {
      const flow = await ctx.store.flow(input.flowId);
      if (!flow) throw apiError('notFound.flow');
      await requireScope(ctx.services.tree, ctx.session, 'editFlows', flow.jurisdiction);
      const adoption = (await ctx.store.adoptions([flow.jurisdiction])).find(
        (a) => a.flowId === flow.id,
      );
      if (!adoption) throw apiError('notFound.template');
      return adoptInto(ctx, {
        templateKey: adoption.templateKey,
        version: input.toVersion,
        jurisdiction: flow.jurisdiction,
        key: flow.key,
        overlay: adoption.overlay as Operation[],
      });
    }),
});
