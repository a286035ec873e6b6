import {
  type Bilingual,
  checkFlow,
  checkForm,
  checkTemplateManifest,
  computeOverlay,
  FlowDefinition,
  type Problem,
  type TemplateManifest,
} from '@lianxin/spec';
import type { Store, TemplateVersionRow } from '@lianxin/store';
import * as z from 'zod';
import type { Context, SessionInfo } from '../context';
import { apiError, guarded } from '../errors';
import { requireScope } from '../permissions';

export type Json = Record<string, unknown>;
export type Ctx = Context & { session: SessionInfo };

export const Operation = z.looseObject({
  op: z.enum(['add', 'remove', 'replace', 'move', 'copy', 'test']),
  path: z.string(),
});
export const Code = z.string().regex(/^\d{6}$/);

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
export const baseOf = (tpl: TemplateVersionRow): Json => {
  const flow = withForms(tpl.flow as Json, tpl.forms);
  const filled = FlowDefinition.safeParse(flow);
  return filled.success ? (filled.data as Json) : flow;
};
export const lockedOf = (tpl: TemplateVersionRow): string[] => {
  const locked = (tpl.manifest as { locked?: unknown }).locked;
  return Array.isArray(locked) ? locked.filter((l): l is string => typeof l === 'string') : [];
};

export const errorsOf = (problems: Problem[]) => problems.filter((p) => p.severity === 'error');
export const joined = (problems: Problem[], lang: keyof Bilingual, max = 5) => {
  const shown = problems
    .slice(0, max)
    .map((p) => `${p.message[lang]}${p.pointer ? ` (${p.pointer})` : ''}`);
  if (problems.length > max) shown.push(`… +${problems.length - max}`);
  return shown.join(lang === 'en' ? '; ' : '；');
};

export async function templateVersionOrThrow(store: Store, key: string, version: number) {
  const tpl = await store.templateVersion(key, version);
  if (!tpl) throw apiError('notFound.template');
  return tpl;
}

/** The adoption behind a county flow, or undefined for a flow of its own. */
export async function adoptionOfFlow(store: Store, flowId: string, jurisdiction: string) {
  return (await store.adoptions([jurisdiction])).find((a) => a.flowId === flowId);
}

/** `template.lockedChanged` problems of a county draft against the template it extends. */
export function lockProblems(tpl: TemplateVersionRow, draft: unknown): Problem[] {
  const locked = lockedOf(tpl);
  if (locked.length === 0) return [];
  return checkFlow(draft, { template: { flow: baseOf(tpl), locked } }).filter(
    (p) => p.code === 'template.lockedChanged',
  );
}

export function throwIfLocked(problems: Problem[]) {
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
  throwIfLocked(await templateLockProblems(ctx, jurisdiction, key, draft));
}

/** The located `template.lockedChanged` problems of a county draft (none for a flow of its own). */
export async function templateLockProblems(
  ctx: Context,
  jurisdiction: string,
  key: string,
  draft: unknown,
): Promise<Problem[]> {
  const flow = await ctx.store.flowByKey(jurisdiction, key);
  if (!flow) return [];
  const adoption = await adoptionOfFlow(ctx.store, flow.id, jurisdiction);
  if (!adoption) return [];
  const tpl = await ctx.store.templateVersion(adoption.templateKey, adoption.templateVersion);
  if (!tpl) return [];
  return lockProblems(tpl, draft);
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
export async function loadAdopted(ctx: Ctx, flowId: string, permission: 'read' | 'editFlows') {
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
export async function templateProblems(
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
export async function requirePublisher(ctx: Ctx, publisher: string) {
  await requireScope(ctx.services.tree, ctx.session, 'publishTemplates', publisher);
  const j = await ctx.services.tree.get(publisher);
  if (!j || (j.level !== 'province' && j.level !== 'city'))
    throw apiError('template.publisherLevel', { jurisdiction: publisher });
}

export async function storeTemplate(
  ctx: Ctx,
  parts: {
    manifest: TemplateManifest;
    flow: Json;
    forms: Json[];
    readme: string;
    scenarios?: { name: string; script: unknown }[];
  },
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
      scenarios: parts.scenarios ?? [],
      by: ctx.session.user.id,
    }),
  );
  // The same version with the same content was already there: the store kept it as it was.
  return {
    key: row.key,
    version: row.version,
    contentHash: row.contentHash,
    unchanged: Boolean(same),
  };
}

export const Manifest = z.record(z.string(), z.unknown());
export const FlowJson = z.record(z.string(), z.unknown());
