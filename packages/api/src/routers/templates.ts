import {
  applyOverlay,
  type Bilingual,
  checkBundle,
  checkFlow,
  checkForm,
  checkTemplateManifest,
  computeOverlay,
  createBundle,
  FlowDefinition,
  type Problem,
  planUpgrade,
  TemplateManifest,
  toKeyed,
  upgradeFlowToTemplate,
} from '@lianxin/spec';
import type { Store, TemplateVersionRow } from '@lianxin/store';
import * as z from 'zod';
import type { Context, SessionInfo } from '../context';
import { apiError, guarded } from '../errors';
import { requireScope, scopeOf } from '../permissions';
import { authedProcedure, router } from '../trpc';
import { describeChange, describePlace, describeValue } from './template-words';

type Json = Record<string, unknown>;
type Ctx = Context & { session: SessionInfo };

const Operation = z.looseObject({
  op: z.enum(['add', 'remove', 'replace', 'move', 'copy', 'test']),
  path: z.string(),
});
const Code = z.string().regex(/^\d{6}$/);

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

/**
 * A template version's flow as a county receives it: forms folded in and the
 * format's defaults filled, as the store keeps county drafts, so overlays and
 * lock checks compare like with like.
 */
const baseOf = (tpl: TemplateVersionRow): Json => {
  const flow = withForms(tpl.flow as Json, tpl.forms);
  const filled = FlowDefinition.safeParse(flow);
  return filled.success ? (filled.data as Json) : flow;
};
const lockedOf = (tpl: TemplateVersionRow): string[] => {
  const locked = (tpl.manifest as { locked?: unknown }).locked;
  return Array.isArray(locked) ? locked.filter((l): l is string => typeof l === 'string') : [];
};

const errorsOf = (problems: Problem[]) => problems.filter((p) => p.severity === 'error');
const joined = (problems: Problem[], lang: keyof Bilingual, max = 5) => {
  const shown = problems
    .slice(0, max)
    .map((p) => `${p.message[lang]}${p.pointer ? ` (${p.pointer})` : ''}`);
  if (problems.length > max) shown.push(`… +${problems.length - max}`);
  return shown.join(lang === 'en' ? '; ' : '；');
};

async function templateVersionOrThrow(store: Store, key: string, version: number) {
  const tpl = await store.templateVersion(key, version);
  if (!tpl) throw apiError('notFound.template');
  return tpl;
}

/** The adoption behind a county flow, or undefined for a flow of its own. */
async function adoptionOfFlow(store: Store, flowId: string, jurisdiction: string) {
  return (await store.adoptions([jurisdiction])).find((a) => a.flowId === flowId);
}

/** `template.lockedChanged` problems of a county draft against the template it extends. */
function lockProblems(tpl: TemplateVersionRow, draft: unknown): Problem[] {
  const locked = lockedOf(tpl);
  if (locked.length === 0) return [];
  return checkFlow(draft, { template: { flow: baseOf(tpl), locked } }).filter(
    (p) => p.code === 'template.lockedChanged',
  );
}

function throwIfLocked(problems: Problem[]) {
  if (problems.length === 0) return;
  throw apiError(
    'template.lockedChanged',
    {
      count: problems.length,
      detail: joined(problems, 'zh-CN'),
      detailEn: joined(problems, 'en'),
    },
    { problems },
  );
}

/**
 * Refuses a county draft that changes a locked part of its template. Called
 * where flows are saved and published; flows not adopted from a template pass.
 */
export async function guardTemplateLocks(
  ctx: Context,
  jurisdiction: string,
  key: string,
  draft: unknown,
): Promise<void> {
  const flow = await ctx.store.flowByKey(jurisdiction, key);
  if (!flow) return;
  const adoption = await adoptionOfFlow(ctx.store, flow.id, jurisdiction);
  if (!adoption) return;
  const tpl = await ctx.store.templateVersion(adoption.templateKey, adoption.templateVersion);
  if (!tpl) return;
  throwIfLocked(lockProblems(tpl, draft));
}

/** Records the county's current local changes (overlay) after its draft was saved. */
export async function recordOverlay(ctx: Context, flowId: string, jurisdiction: string) {
  const adoption = await adoptionOfFlow(ctx.store, flowId, jurisdiction);
  if (!adoption) return;
  const [tpl, flow] = await Promise.all([
    ctx.store.templateVersion(adoption.templateKey, adoption.templateVersion),
    ctx.store.flow(flowId),
  ]);
  if (!tpl || !flow?.draft) return;
  await ctx.store.recordAdoption({
    jurisdiction,
    templateKey: adoption.templateKey,
    templateVersion: adoption.templateVersion,
    flowId,
    overlay: computeOverlay(baseOf(tpl), flow.draft as Json),
  });
}

/** The county flow, its adoption and the template version it extends; checks scope. */
async function loadAdopted(ctx: Ctx, flowId: string, permission: 'read' | 'editFlows') {
  const flow = await ctx.store.flow(flowId);
  if (!flow) throw apiError('notFound.flow');
  await requireScope(ctx.services.tree, ctx.session, permission, flow.jurisdiction);
  const adoption = await adoptionOfFlow(ctx.store, flow.id, flow.jurisdiction);
  if (!adoption) throw apiError('template.notAdopted');
  const base = await templateVersionOrThrow(
    ctx.store,
    adoption.templateKey,
    adoption.templateVersion,
  );
  const draft = (flow.draft ?? {}) as Json;
  return { flow, adoption, base, draft };
}

/** Checks a template's parts: manifest against flow, forms, the flow itself (with forms). */
async function templateProblems(
  store: Store,
  manifest: unknown,
  flow: Json,
  forms: Json[],
): Promise<Problem[]> {
  const templates = await store.listTemplates();
  const own = (manifest as { key?: unknown }).key;
  // A subflow names another template: its published flow comes along, so the
  // call is checked against the child's start form and channels.
  const children = new Map<string, Json>();
  for (const node of Array.isArray(flow.nodes) ? (flow.nodes as Json[]) : []) {
    const ref = node?.kind === 'subflow' ? (node.flow as Json | undefined) : undefined;
    if (typeof ref?.key !== 'string' || ref.key === own) continue;
    const tpl = templates.find((t) => t.key === ref.key);
    const version = typeof ref.version === 'number' ? ref.version : tpl?.latestVersion;
    const row = tpl && version ? await store.templateVersion(ref.key, version) : undefined;
    if (row) children.set(`${ref.key}@${ref.version ?? ''}`, baseOf(row));
  }
  return [
    ...checkTemplateManifest(manifest, flow).map((p) => ({
      ...p,
      pointer: `/manifest${p.pointer}`,
    })),
    ...forms.flatMap((f, i) =>
      checkForm(f).map((p) => ({ ...p, pointer: `/forms/${i}${p.pointer}` })),
    ),
    ...checkFlow(withForms(flow, forms), {
      resolveSubflow: (ref) =>
        ref.key === own
          ? withForms(flow, forms)
          : (children.get(`${ref.key}@${ref.version ?? ''}`) ?? false),
    }).map((p) => ({ ...p, pointer: `/flow${p.pointer}` })),
  ];
}

/** Who may publish or import under `publisher`: its admins (and above), at a province or city. */
async function requirePublisher(ctx: Ctx, publisher: string) {
  await requireScope(ctx.services.tree, ctx.session, 'publishTemplates', publisher);
  const j = await ctx.services.tree.get(publisher);
  if (!j || (j.level !== 'province' && j.level !== 'city'))
    throw apiError('template.publisherLevel', { jurisdiction: publisher });
}

async function storeTemplate(
  ctx: Ctx,
  parts: { manifest: TemplateManifest; flow: Json; forms: Json[]; readme: string },
) {
  const current = (await ctx.store.listTemplates()).find((t) => t.key === parts.manifest.key);
  const same = current?.versions.find((v) => v.version === parts.manifest.version);
  if (current && !same && parts.manifest.version <= current.latestVersion)
    throw apiError('template.notNewer', {
      template: parts.manifest.key,
      latest: current.latestVersion,
    });
  const row = await guarded(() =>
    ctx.store.publishTemplate({
      manifest: parts.manifest as never,
      flow: parts.flow,
      forms: parts.forms,
      readme: parts.readme,
      by: ctx.session.user.id,
    }),
  );
  return { key: row.key, version: row.version, contentHash: row.contentHash };
}

const Manifest = z.record(z.string(), z.unknown());
const FlowJson = z.record(z.string(), z.unknown());

export const templatesRouter = router({
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
        /** Local changes to start with, on the id-keyed form (`/nodes/<id>/…`). */
        overlay: z.array(Operation).default([]),
      }),
    )
    .mutation(async ({ ctx, input }) => {
      await requireScope(ctx.services.tree, ctx.session, 'editFlows', input.jurisdiction);
      const tpl = await templateVersionOrThrow(ctx.store, input.templateKey, input.version);
      const key = input.key ?? input.templateKey;
      if (await ctx.store.flowByKey(input.jurisdiction, key))
        throw apiError('template.alreadyAdopted', { jurisdiction: input.jurisdiction, key });
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
      const flow = await guarded(() =>
        ctx.store.saveDraft({
          jurisdiction: input.jurisdiction,
          key,
          name: tpl.flow.name as { 'zh-CN': string },
          draft: applied.flow,
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
      return storeTemplate(ctx, { manifest, flow: bundle.flow, forms, readme: bundle.readme });
    }),
});
