import {
  applyOverlay,
  type Bilingual,
  checkBundle,
  computeOverlay,
  createBundle,
  planUpgrade,
  TemplateManifest,
  toKeyed,
  upgradeFlowToTemplate,
} from '@lianxin/spec';
import type { TemplateVersionRow } from '@lianxin/store';
import * as z from 'zod';
import { apiError, guarded } from '../errors';
import { placeWords, requireScope, scopeOf } from '../permissions';
import { authedProcedure, router } from '../trpc';
import {
  baseOf,
  Code,
  errorsOf,
  FlowJson,
  type Json,
  joined,
  loadAdopted,
  lockProblems,
  Manifest,
  Operation,
  requirePublisher,
  storeTemplate,
  templateProblems,
  templateVersionOrThrow,
  throwIfLocked,
} from './template-base';
import { templateProposalProcedures } from './template-proposals';
import { templatePublishing } from './template-publishing';
import { describeChange, describePlace, describeValue } from './template-words';

export {
  guardTemplateLocks,
  recordOverlay,
  templateLockProblems,
  withForms,
} from './template-base';

/**
 * The adopted flow's own name: its English as given, or, when the county kept
 * the template's Chinese name, the template's English (never dropped for none).
 */
function variantName(
  template: unknown,
  given: { 'zh-CN': string; en?: string } | undefined,
): { 'zh-CN': string; en?: string } | undefined {
  if (!given) return undefined;
  const own = given.en?.trim();
  if (own) return { 'zh-CN': given['zh-CN'], en: own };
  const t = template as { 'zh-CN'?: unknown; en?: unknown } | undefined;
  return t?.['zh-CN'] === given['zh-CN'] && typeof t?.en === 'string'
    ? { 'zh-CN': given['zh-CN'], en: t.en }
    : { 'zh-CN': given['zh-CN'] };
}

export const templatesRouter = router({
  ...templatePublishing,
  ...templateProposalProcedures,
  /**
   * Publishes a new template version (provincial or city teams). The
   * manifest's key and version must match the flow's, the changelog must say
   * what this version changes, and a flow with checker errors is refused.
   */
  publish: authedProcedure
    .input(
      z.object({
        manifest: Manifest,
        flow: FlowJson,
        forms: z.array(z.record(z.string(), z.unknown())).default([]),
        readme: z.string().max(200_000).default(''),
        /** `lianxin simulate` scripts that travel with the template in its bundles. */
        scenarios: z
          .array(z.object({ name: z.string().min(1).max(200), script: z.unknown() }))
          .max(200)
          .default([]),
      }),
    )
    .mutation(async ({ ctx, input }) => {
      const publisher = input.manifest.publisher;
      await requirePublisher(ctx, typeof publisher === 'string' ? publisher : '');
      const problems = errorsOf(
        await templateProblems(ctx.store, input.manifest, input.flow, input.forms),
      );
      if (problems.length > 0)
        throw apiError(
          'template.invalid',
          {
            count: problems.length,
            detail: joined(problems, 'zh-CN'),
            detailEn: joined(problems, 'en'),
          },
          { problems },
        );
      const manifest = TemplateManifest.parse(input.manifest);
      const entry = manifest.changelog.find((c) => c.version === manifest.version);
      if (!entry?.changes['zh-CN']?.trim())
        throw apiError('template.changelog', { version: manifest.version });
      return storeTemplate(ctx, { ...input, manifest });
    }),

  /**
   * The template library: every template with its versions and changelog,
   * which jurisdictions (of the caller's scope) adopted which version, and
   * how many local changes each adoption carries now.
   */
  list: authedProcedure.query(async ({ ctx }) => {
    const scope = new Set(await scopeOf(ctx.services.tree, ctx.session, 'read'));
    const rows = await ctx.store.listTemplates();
    const cache = new Map<string, Promise<TemplateVersionRow | undefined>>();
    const version = (key: string, v: number) => {
      const id = `${key}@${v}`;
      if (!cache.has(id)) cache.set(id, ctx.store.templateVersion(key, v));
      return cache.get(id) as Promise<TemplateVersionRow | undefined>;
    };
    return Promise.all(
      rows.map(async (t) => {
        const latest = await version(t.key, t.latestVersion);
        const manifest = (latest?.manifest ?? {}) as Partial<TemplateManifest>;
        const changelog = manifest.changelog ?? [];
        const adoptions = await Promise.all(
          t.adoptions
            .filter((a) => scope.has(a.jurisdiction))
            .map(async (a) => {
              const [tpl, flow, j] = await Promise.all([
                version(t.key, a.version),
                ctx.store.flow(a.flowId),
                ctx.services.tree.get(a.jurisdiction),
              ]);
              const localChanges =
                tpl && flow?.draft ? computeOverlay(baseOf(tpl), flow.draft as Json).length : 0;
              return {
                jurisdiction: a.jurisdiction,
                jurisdictionName: j?.name ?? null,
                version: a.version,
                flowId: a.flowId,
                flowKey: flow?.key ?? t.key,
                flowName: flow?.name ?? t.name,
                localChanges,
                upgradable: a.version < t.latestVersion,
              };
            }),
        );
        adoptions.sort((a, b) => a.jurisdiction.localeCompare(b.jurisdiction));
        return {
          key: t.key,
          name: t.name,
          publisher: t.publisher,
          summary: manifest.summary ?? null,
          practice: manifest.practice ?? null,
          locked: manifest.locked ?? [],
          latestVersion: t.latestVersion,
          versions: t.versions.map((v) => ({
            version: v.version,
            contentHash: v.contentHash,
            publishedAt: v.publishedAt,
            changes: changelog.find((c) => c.version === v.version)?.changes ?? null,
          })),
          adoptions,
        };
      }),
    );
  }),

  get: authedProcedure
    .input(z.object({ key: z.string(), version: z.number().int().min(1) }))
    .query(async ({ ctx, input }) => templateVersionOrThrow(ctx.store, input.key, input.version)),

  /** Adopts a template version: the county gets its own draft flow recording `extends`. */
  adopt: authedProcedure
    .input(
      z.object({
        templateKey: z.string(),
        version: z.number().int().min(1),
        jurisdiction: Code,
        key: z
          .string()
          .regex(/^[A-Za-z][A-Za-z0-9_-]*$/)
          .max(64)
          .optional(),
        /** The county flow's own name (a second variant of one template needs one). */
        name: z
          .object({
            'zh-CN': z.string().trim().min(1).max(100),
            en: z.string().max(100).optional(),
          })
          .optional(),
        /** Local changes to start with, on the id-keyed form (`/nodes/<id>/…`). */
        overlay: z.array(Operation).default([]),
      }),
    )
    .mutation(async ({ ctx, input }) => {
      await requireScope(ctx.services.tree, ctx.session, 'editFlows', input.jurisdiction);
      const tpl = await templateVersionOrThrow(ctx.store, input.templateKey, input.version);
      const key = input.key ?? input.templateKey;
      if (await ctx.store.flowByKey(input.jurisdiction, key))
        throw apiError('template.alreadyAdopted', {
          jurisdiction: await placeWords(ctx.services.tree, input.jurisdiction),
          key,
        });
      const identity = {
        ...(tpl.flow as Json),
        key,
        jurisdiction: input.jurisdiction,
        extends: { template: input.templateKey, version: input.version },
      };
      const applied = applyOverlay(baseOf(tpl), input.overlay as never, identity);
      if (applied.failures.length > 0)
        throw apiError('overlay.conflict', {
          detail: applied.failures.map((f) => f.message['zh-CN']).join('；'),
        });
      throwIfLocked(lockProblems(tpl, applied.flow));
      const name = variantName(tpl.flow.name, input.name);
      const flow = await guarded(() =>
        ctx.store.saveDraft({
          jurisdiction: input.jurisdiction,
          key,
          name: name ?? (tpl.flow.name as { 'zh-CN': string }),
          draft: name ? { ...applied.flow, name } : applied.flow,
          by: ctx.session.user.id,
        }),
      );
      const adoption = await ctx.store.recordAdoption({
        jurisdiction: input.jurisdiction,
        templateKey: input.templateKey,
        templateVersion: input.version,
        flowId: flow.id,
        overlay: computeOverlay(baseOf(tpl), flow.draft as Json),
      });
      return { flowId: flow.id, adoptionId: adoption.id, templateVersion: input.version };
    }),

  /** A county flow's local changes against the template version it extends, in words. */
  overlay: authedProcedure.input(z.object({ flowId: z.string() })).query(async ({ ctx, input }) => {
    const { flow, adoption, base, draft } = await loadAdopted(ctx, input.flowId, 'read');
    const template = baseOf(base);
    const overlay = computeOverlay(template, draft);
    const [kOld, kNew] = [toKeyed(template), toKeyed(draft)];
    return {
      flowId: flow.id,
      templateKey: adoption.templateKey,
      templateVersion: adoption.templateVersion,
      overlay,
      changes: overlay.map((op) => describeChange(op, kOld, kNew)),
    };
  }),

  /** The three-way plan for moving a county flow to a newer template version. */
  planUpgrade: authedProcedure
    .input(z.object({ flowId: z.string(), toVersion: z.number().int().min(1) }))
    .query(async ({ ctx, input }) => {
      const { flow, adoption, base, draft } = await loadAdopted(ctx, input.flowId, 'read');
      if (input.toVersion <= adoption.templateVersion)
        throw apiError('template.notUpgrade', {
          current: adoption.templateVersion,
          to: input.toVersion,
        });
      const next = await templateVersionOrThrow(ctx.store, adoption.templateKey, input.toVersion);
      const [oldFlow, newFlow] = [baseOf(base), baseOf(next)];
      const plan = planUpgrade(oldFlow, newFlow, draft);
      const [kOld, kNew, kOurs] = [toKeyed(oldFlow), toKeyed(newFlow), toKeyed(draft)];
      const changelog = ((next.manifest as Partial<TemplateManifest>).changelog ?? []).filter(
        (c) => c.version > adoption.templateVersion && c.version <= input.toVersion,
      );
      const inConflict = (op: { path: string }) =>
        plan.conflicts.some(
          (c) => c.local.includes(op as never) || c.upstream.includes(op as never),
        );
      return {
        flowId: flow.id,
        flowKey: flow.key,
        flowName: flow.name,
        jurisdiction: flow.jurisdiction,
        jurisdictionName: (await ctx.services.tree.get(flow.jurisdiction))?.name ?? null,
        templateKey: adoption.templateKey,
        templateName: (next.manifest as { name: Bilingual }).name,
        fromVersion: adoption.templateVersion,
        toVersion: input.toVersion,
        changelog,
        upstream: plan.upstream.map((op) => ({
          ...describeChange(op, kOld, kNew),
          conflict: inConflict(op),
        })),
        local: plan.local.map((op) => ({
          ...describeChange(op, kOld, kOurs),
          conflict: inConflict(op),
        })),
        conflicts: plan.conflicts.map((c) => ({
          path: c.path,
          where: describePlace(c.path, kOurs, kNew, kOld),
          base: c.base,
          theirs: c.theirs,
          ours: c.ours,
          baseText: describeValue(c.base),
          theirsText: describeValue(c.theirs),
          oursText: describeValue(c.ours),
          upstream: c.upstream.map((op) => describeChange(op, kOld, kNew)),
          local: c.local.map((op) => describeChange(op, kOld, kOurs)),
        })),
      };
    }),

  /**
   * Moves a county flow's draft to a newer template version: the template's
   * changes are taken, local changes kept, each conflict settled by
   * `resolutions[path]`. Refused while a conflict is unresolved. Published
   * versions and running cases are not touched.
   */
  upgrade: authedProcedure
    .input(
      z.object({
        flowId: z.string(),
        toVersion: z.number().int().min(1),
        resolutions: z.record(z.string(), z.enum(['ours', 'theirs'])).default({}),
      }),
    )
    .mutation(async ({ ctx, input }) => {
      const { flow, adoption, base, draft } = await loadAdopted(ctx, input.flowId, 'editFlows');
      if (input.toVersion <= adoption.templateVersion)
        throw apiError('template.notUpgrade', {
          current: adoption.templateVersion,
          to: input.toVersion,
        });
      const next = await templateVersionOrThrow(ctx.store, adoption.templateKey, input.toVersion);
      const [oldFlow, newFlow] = [baseOf(base), baseOf(next)];
      const result = upgradeFlowToTemplate(oldFlow, newFlow, draft, input.resolutions);
      if (!result.ok) {
        const kOurs = toKeyed(draft);
        const places = result.unresolved.map((c) => describePlace(c.path, kOurs, toKeyed(newFlow)));
        throw apiError(
          'template.conflicts',
          {
            count: result.unresolved.length,
            detail: places.map((p) => p['zh-CN']).join('；'),
            detailEn: places.map((p) => p.en).join('; '),
          },
          {
            conflicts: result.unresolved.map((c, i) => ({
              path: c.path,
              where: places[i],
              base: c.base,
              theirs: c.theirs,
              ours: c.ours,
            })),
          },
        );
      }
      const upgraded = {
        ...result.flow,
        extends: { template: adoption.templateKey, version: input.toVersion },
      };
      throwIfLocked(lockProblems(next, upgraded));
      const saved = await guarded(() =>
        ctx.store.saveDraft({
          jurisdiction: flow.jurisdiction,
          key: flow.key,
          name: flow.name,
          draft: upgraded,
          by: ctx.session.user.id,
        }),
      );
      const overlay = computeOverlay(newFlow, saved.draft as Json);
      await ctx.store.recordAdoption({
        jurisdiction: flow.jurisdiction,
        templateKey: adoption.templateKey,
        templateVersion: input.toVersion,
        flowId: flow.id,
        overlay,
      });
      return {
        flowId: flow.id,
        fromVersion: adoption.templateVersion,
        templateVersion: input.toVersion,
        localChanges: overlay.length,
        draftHash: saved.draftHash,
      };
    }),

  /** One template version as a sealed file for moving between separated networks. */
  exportBundle: authedProcedure
    .input(z.object({ key: z.string(), version: z.number().int().min(1) }))
    .query(async ({ ctx, input }) => {
      const tpl = await templateVersionOrThrow(ctx.store, input.key, input.version);
      return createBundle({
        manifest: tpl.manifest as Json,
        flow: tpl.flow as Json,
        forms: tpl.forms as Json[],
        readme: tpl.readme,
        scenarios: tpl.scenarios,
      });
    }),

  /** Imports a bundle: refused whole (nothing stored) if damaged, tampered or invalid. */
  importBundle: authedProcedure
    .input(z.object({ bundle: z.unknown() }))
    .mutation(async ({ ctx, input }) => {
      // Only publishers may import; which publisher is asked once the file is trusted.
      const mayPublish = await scopeOf(ctx.services.tree, ctx.session, 'publishTemplates');
      if (mayPublish.length === 0)
        await requireScope(ctx.services.tree, ctx.session, 'publishTemplates', '000000');
      const problems = errorsOf(checkBundle(input.bundle));
      if (problems.length > 0)
        throw apiError(
          'bundle.refused',
          { detail: joined(problems, 'zh-CN'), detailEn: joined(problems, 'en') },
          { problems },
        );
      const bundle = input.bundle as {
        manifest: Json;
        flow: Json;
        forms?: Json[];
        readme: string;
        scenarios?: { name: string; script: unknown }[];
      };
      const manifest = TemplateManifest.parse(bundle.manifest);
      await requirePublisher(ctx, manifest.publisher);
      const forms = bundle.forms ?? [];
      const invalid = errorsOf(await templateProblems(ctx.store, manifest, bundle.flow, forms));
      if (invalid.length > 0)
        throw apiError(
          'bundle.refused',
          { detail: joined(invalid, 'zh-CN'), detailEn: joined(invalid, 'en') },
          { problems: invalid },
        );
      return storeTemplate(ctx, {
        manifest,
        flow: bundle.flow,
        forms,
        readme: bundle.readme,
        scenarios: bundle.scenarios ?? [],
      });
    }),
});
