import {
  applyOverlay,
  type Bilingual,
  computeOverlay,
  FlowDefinition,
  lockedChanges,
  planUpgrade,
  type TemplateManifest,
  toKeyed,
  upgradeFlowToTemplate,
} from '@lianxin/spec';
import type { TemplateVersionRow } from '@lianxin/store';
import * as z from 'zod';
import { apiError, guarded } from '../errors';
import { requireScope, scopeOf } from '../permissions';
import { authedProcedure } from '../trpc';
import {
  baseOf,
  type Ctx,
  errorsOf,
  FlowJson,
  type Json,
  joined,
  loadAdopted,
  Manifest,
  recordOverlay,
  requirePublisher,
  templateProblems,
  withForms,
} from './template-base';
import { describeChange, describePlace, describeValue } from './template-words';

const isObject = (v: unknown): v is Json =>
  v !== null && typeof v === 'object' && !Array.isArray(v);
const listOf = (v: unknown): Json[] => (Array.isArray(v) ? v.filter(isObject) : []);
const text = (v: unknown, fallback: string): Bilingual => {
  if (isObject(v) && typeof v['zh-CN'] === 'string')
    return { 'zh-CN': v['zh-CN'], en: typeof v.en === 'string' ? v.en : v['zh-CN'] };
  if (typeof v === 'string') return { 'zh-CN': v, en: v };
  return { 'zh-CN': fallback, en: fallback };
};
const joinText = (parts: Bilingual[], sep = ' › '): Bilingual => ({
  'zh-CN': parts.map((p) => p['zh-CN']).join(sep),
  en: parts.map((p) => p.en).join(sep),
});
const words = (zh: string, en: string): Bilingual => ({ 'zh-CN': zh, en });

/** A part of a flow a province can lock, by name. */
export interface Lockable {
  pointer: string;
  group:
    | 'node'
    | 'deadline'
    | 'clock'
    | 'clockStart'
    | 'clockStop'
    | 'clockDeadline'
    | 'form'
    | 'field';
  name: Bilingual;
}

/**
 * Everything in a template flow (forms folded in) a province may lock, named
 * as people read them: steps, step deadlines, statutory clocks with where they
 * start and stop, forms and single fields. Pointers are positions in the flow
 * as published, as `template.json`'s `locked` holds them.
 */
export function lockablesOf(flow: Json): Lockable[] {
  const out: Lockable[] = [];
  const nodes = listOf(flow.nodes);
  const nodeName = (id: unknown) =>
    text(nodes.find((n) => n.id === id)?.name, typeof id === 'string' ? id : '?');
  nodes.forEach((n, i) => {
    const name = text(n.name, String(n.id));
    out.push({
      pointer: `/nodes/${i}`,
      group: 'node',
      name: joinText([words('步骤', 'step'), name]),
    });
    if (isObject(n.deadline)) {
      const d = describeValue(n.deadline);
      out.push({
        pointer: `/nodes/${i}/deadline`,
        group: 'deadline',
        name: joinText([name, words(`办理时限 ${d['zh-CN']}`, `deadline ${d.en}`)]),
      });
    }
  });
  listOf(flow.clocks).forEach((c, i) => {
    const name = text(c.name, String(c.id));
    out.push({
      pointer: `/clocks/${i}`,
      group: 'clock',
      name: joinText([words('时限', 'clock'), name]),
    });
    const at = (edge: unknown, zh: string, en: string): Bilingual => {
      const e = isObject(edge) ? edge : {};
      if (e.on === 'caseStart')
        return words(`${zh}：事项登记时`, `${en}: when the case is registered`);
      const step = nodeName(e.node);
      return e.on === 'leave'
        ? words(`${zh}：离开“${step['zh-CN']}”时`, `${en}: on leaving "${step.en}"`)
        : words(`${zh}：进入“${step['zh-CN']}”时`, `${en}: on entering "${step.en}"`);
    };
    if (c.start)
      out.push({
        pointer: `/clocks/${i}/start`,
        group: 'clockStart',
        name: joinText([name, at(c.start, '起算', 'starts')]),
      });
    if (c.stop)
      out.push({
        pointer: `/clocks/${i}/stop`,
        group: 'clockStop',
        name: joinText([name, at(c.stop, '止算', 'stops')]),
      });
    if (isObject(c.deadline)) {
      const d = describeValue(c.deadline);
      out.push({
        pointer: `/clocks/${i}/deadline`,
        group: 'clockDeadline',
        name: joinText([name, words(`期限 ${d['zh-CN']}`, `deadline ${d.en}`)]),
      });
    }
  });
  listOf(flow.forms).forEach((f, i) => {
    const name = text(f.title ?? f.name, String(f.id));
    out.push({
      pointer: `/forms/${i}`,
      group: 'form',
      name: joinText([words('表单', 'form'), name]),
    });
    const schema = isObject(f.schema) ? f.schema : {};
    const props = isObject(schema.properties) ? schema.properties : {};
    for (const [field, def] of Object.entries(props)) {
      const title = text(isObject(def) ? def.title : undefined, field);
      out.push({
        pointer: `/forms/${i}/schema/properties/${field.replaceAll('~', '~0').replaceAll('/', '~1')}`,
        group: 'field',
        name: joinText([name, title]),
      });
    }
  });
  return out;
}

/** The province's proposed version as counties would receive it (forms folded in, defaults filled). */
function proposedFlow(flow: Json, forms: Json[]): Json {
  const folded = withForms(flow, forms);
  const filled = FlowDefinition.safeParse(folded);
  return filled.success ? (filled.data as Json) : folded;
}

/** The jurisdictions under the caller where it may publish (its province or cities). */
async function publisherPlaces(ctx: Ctx) {
  const codes = await scopeOf(ctx.services.tree, ctx.session, 'publishTemplates');
  const places = await Promise.all(codes.map((c) => ctx.services.tree.get(c)));
  return places.filter(
    (j): j is NonNullable<typeof j> =>
      Boolean(j) && (j?.level === 'province' || j?.level === 'city'),
  );
}

/** Template version of the county's running (latest published) flow, or null before it publishes. */
async function runningVersion(ctx: Ctx, flowId: string, latest: number): Promise<number | null> {
  if (latest <= 0) return null;
  const v = await ctx.store.flowVersion(flowId, latest);
  const ext = isObject(v?.definition) ? (v.definition as Json).extends : undefined;
  return isObject(ext) && typeof ext.version === 'number' ? ext.version : null;
}

/** Procedures of the province's side of sharing, merged into the `templates` namespace. */
export const templatePublishing = {
  /** What a province or city admin may publish from: its own flows and the templates already published. */
  publishSources: authedProcedure.query(async ({ ctx }) => {
    const places = await publisherPlaces(ctx);
    if (places.length === 0) throw apiError('template.publisherLevel', { jurisdiction: '—' });
    const flows = await ctx.store.listFlows(places.map((p) => p.code));
    const templates = await ctx.store.listTemplates();
    return {
      flows: flows.map((f) => ({
        flowId: f.id,
        key: f.key,
        name: f.name,
        jurisdiction: f.jurisdiction,
        jurisdictionName: places.find((p) => p.code === f.jurisdiction)?.name ?? null,
        latestVersion: f.latestVersion,
      })),
      templates: templates.map((t) => ({
        key: t.key,
        name: t.name,
        publisher: t.publisher,
        latestVersion: t.latestVersion,
      })),
    };
  }),

  /**
   * The next template version made from one of the publisher's flows: its
   * draft (or, without one, its published definition), the manifest carried over from the
   * template's latest version (or a new one), and the parts that can be locked.
   */
  publishDraft: authedProcedure
    .input(z.object({ flowId: z.string(), templateKey: z.string().max(64).optional() }))
    .query(async ({ ctx, input }) => {
      const flow = await ctx.store.flow(input.flowId);
      if (!flow) throw apiError('notFound.flow');
      await requirePublisher(ctx, flow.jurisdiction);
      const published =
        flow.latestVersion > 0
          ? await ctx.store.flowVersion(flow.id, flow.latestVersion)
          : undefined;
      // The draft is the publisher's working copy (county proposals it accepted land there);
      // a flow without one publishes its latest published definition.
      const source = (flow.draft ?? published?.definition ?? {}) as Json satisfies Json;
      const key = input.templateKey ?? flow.key;
      const current = (await ctx.store.listTemplates()).find((t) => t.key === key);
      const latest = current
        ? await ctx.store.templateVersion(key, current.latestVersion)
        : undefined;
      const previous = (latest?.manifest ?? {}) as Partial<TemplateManifest>;
      const version = (current?.latestVersion ?? 0) + 1;
      const { extends: _ext, ...definition } = source;
      const templateFlow = { ...definition, key, version, jurisdiction: flow.jurisdiction };
      const manifest = {
        formatVersion: 1,
        key,
        version,
        name: previous.name ?? flow.name,
        summary: previous.summary ?? text(source.description, String(flow.name['zh-CN'])),
        publisher: flow.jurisdiction,
        ...(previous.practice ? { practice: previous.practice } : {}),
        changelog: previous.changelog ?? [],
        locked: previous.locked ?? [],
        lockReasons: previous.lockReasons ?? {},
      };
      return {
        manifest,
        flow: templateFlow,
        forms: [] as Json[],
        readme: latest?.readme ?? '',
        // The scenarios of the version before travel on; they name steps by id.
        scenarios: latest?.scenarios ?? [],
        isNewVersion: Boolean(current),
        fromFlowVersion: published && !flow.draft ? flow.latestVersion : null,
        lockables: lockablesOf(proposedFlow(templateFlow, [])),
      };
    }),

  /**
   * Before publishing: the upgrade each adopting county would face, as
   * `planUpgrade` computes it against the county's current draft. A county
   * whose local change touches a part the new version locks must take the
   * template's value there, so that counts against a clean merge too.
   */
  previewPublish: authedProcedure
    .input(
      z.object({
        manifest: Manifest,
        flow: FlowJson,
        forms: z.array(z.record(z.string(), z.unknown())).default([]),
      }),
    )
    .mutation(async ({ ctx, input }) => {
      const publisher = input.manifest.publisher;
      await requirePublisher(ctx, typeof publisher === 'string' ? publisher : '');
      const problems = errorsOf(
        await templateProblems(ctx.store, input.manifest, input.flow, input.forms),
      );
      const key = String(input.manifest.key ?? '');
      const locked = Array.isArray(input.manifest.locked)
        ? input.manifest.locked.filter((l): l is string => typeof l === 'string')
        : [];
      const next = proposedFlow(input.flow, input.forms);
      const kNew = toKeyed(next);
      const scope = new Set(await scopeOf(ctx.services.tree, ctx.session, 'read'));
      const template = (await ctx.store.listTemplates()).find((t) => t.key === key);
      const versions = new Map<number, TemplateVersionRow | undefined>();
      const counties = [];
      for (const a of template?.adoptions.filter((x) => scope.has(x.jurisdiction)) ?? []) {
        if (!versions.has(a.version))
          versions.set(a.version, await ctx.store.templateVersion(key, a.version));
        const base = versions.get(a.version);
        const flow = await ctx.store.flow(a.flowId);
        if (!base || !flow?.draft) continue;
        const old = baseOf(base);
        const draft = flow.draft as Json;
        const plan = planUpgrade(old, next, draft);
        const kOurs = toKeyed(draft);
        // Local changes that would survive the upgrade but touch a part the new version locks.
        const kept = upgradeFlowToTemplate(
          old,
          next,
          draft,
          Object.fromEntries(plan.conflicts.map((c) => [c.path, 'ours' as const])),
        );
        const touched = kept.ok ? lockedChanges(next, locked, kept.flow) : [];
        const related = (a: string, b: string) =>
          a === b || a.startsWith(`${b}/`) || b.startsWith(`${a}/`);
        const lockedAt = (path: string) => touched.some((op) => related(op.path, path));
        // A conflict on a locked part is told once, as a conflict that must take the template's value.
        const lockedLocal = touched.filter(
          (op) => !plan.conflicts.some((c) => related(c.path, op.path)),
        );
        const j = await ctx.services.tree.get(a.jurisdiction);
        counties.push({
          jurisdiction: a.jurisdiction,
          jurisdictionName: j?.name ?? null,
          flowId: flow.id,
          flowKey: flow.key,
          flowName: flow.name,
          fromVersion: a.version,
          upstream: plan.upstream.length,
          local: plan.local.length,
          clean: plan.conflicts.length === 0 && lockedLocal.length === 0,
          conflicts: plan.conflicts.map((c) => {
            const where = describePlace(c.path, kOurs, kNew, toKeyed(old));
            const t = describeChange({ op: 'replace', path: c.path }, toKeyed(old), kNew);
            const o = describeChange({ op: 'replace', path: c.path }, toKeyed(old), kOurs);
            const must = lockedAt(c.path);
            return {
              path: c.path,
              where,
              locked: must,
              text: words(
                `${where['zh-CN']}：省里改为 ${t.afterText['zh-CN']}，本县为 ${o.afterText['zh-CN']}${must ? '（新版本锁定此处，升级时须采用模板的值）' : ''}`,
                `${where.en}: the province makes it ${t.afterText.en}, the county has ${o.afterText.en}${must ? " (locked by the new version: the upgrade must take the template's value)" : ''}`,
              ),
            };
          }),
          locked: lockedLocal.map((op) => {
            const where = describePlace(op.path, kOurs, kNew);
            return {
              path: op.path,
              where,
              text: words(
                `${where['zh-CN']}：本县修改过，新版本锁定此处，升级时须采用模板的值`,
                `${where.en}: changed by the county and locked by the new version; the upgrade must take the template's value`,
              ),
            };
          }),
        });
      }
      counties.sort(
        (x, y) =>
          x.jurisdiction.localeCompare(y.jurisdiction) || x.flowKey.localeCompare(y.flowKey),
      );
      return {
        key,
        version: Number(input.manifest.version ?? 0),
        problems: problems.map((p) => ({ code: p.code, pointer: p.pointer, message: p.message })),
        problemText: problems.length
          ? words(joined(problems, 'zh-CN'), joined(problems, 'en'))
          : null,
        counties,
        clean: counties.filter((c) => c.clean).length,
        conflicting: counties.filter((c) => !c.clean).length,
      };
    }),

  /**
   * 模板更新提醒: for a county admin, each adopted flow whose template has a
   * newer version than the one it extends, with the province's notes. A notice
   * stays until the county upgrades.
   */
  notices: authedProcedure.query(async ({ ctx }) => {
    // The county's own admins are told, not everyone above who could also edit.
    const scope = new Set(await scopeOf(ctx.services.tree, ctx.session, 'editFlows'));
    const own = [...new Set(ctx.session.memberships.map((m) => m.jurisdiction))].filter((c) =>
      scope.has(c),
    );
    if (own.length === 0) return [];
    const adoptions = await ctx.store.adoptions(own);
    const templates = await ctx.store.listTemplates();
    const out = [];
    for (const a of adoptions) {
      const t = templates.find((x) => x.key === a.templateKey);
      if (!t || a.templateVersion >= t.latestVersion) continue;
      const [latest, flow] = await Promise.all([
        ctx.store.templateVersion(t.key, t.latestVersion),
        ctx.store.flow(a.flowId),
      ]);
      const manifest = (latest?.manifest ?? {}) as Partial<TemplateManifest>;
      out.push({
        flowId: a.flowId,
        flowName: flow?.name ?? t.name,
        jurisdiction: a.jurisdiction,
        templateKey: t.key,
        templateName: t.name,
        fromVersion: a.templateVersion,
        toVersion: t.latestVersion,
        publishedAt: latest?.publishedAt ?? null,
        changes: manifest.changelog?.find((c) => c.version === t.latestVersion)?.changes ?? null,
      });
    }
    return out.sort((x, y) => String(y.publishedAt).localeCompare(String(x.publishedAt)));
  }),

  /**
   * Per adopting flow in the caller's scope: the template version it adopted,
   * the one its running (published) version extends, and whether an upgrade
   * or a publication is pending. The local changes in words are `templates.overlay`.
   */
  adoptions: authedProcedure
    .input(z.object({ key: z.string().max(64) }))
    .query(async ({ ctx, input }) => {
      const scope = new Set(await scopeOf(ctx.services.tree, ctx.session, 'read'));
      const template = (await ctx.store.listTemplates()).find((t) => t.key === input.key);
      if (!template) throw apiError('notFound.template');
      const rows = [];
      for (const a of template.adoptions.filter((x) => scope.has(x.jurisdiction))) {
        const flow = await ctx.store.flow(a.flowId);
        if (!flow) continue;
        const j = await ctx.services.tree.get(a.jurisdiction);
        const running = await runningVersion(ctx, flow.id, flow.latestVersion);
        rows.push({
          jurisdiction: a.jurisdiction,
          jurisdictionName: j?.name ?? null,
          flowId: flow.id,
          flowKey: flow.key,
          flowName: flow.name,
          adoptedVersion: a.version,
          runningVersion: running,
          latestVersion: template.latestVersion,
          upgradePending: a.version < template.latestVersion,
          publishPending: running !== a.version,
        });
      }
      return rows.sort(
        (x, y) =>
          x.jurisdiction.localeCompare(y.jurisdiction) || x.flowKey.localeCompare(y.flowKey),
      );
    }),

  /**
   * Puts one locally changed part of an adopted flow back to the template's
   * value: the overlay without that change (and changes inside it) is applied
   * to the template again and saved as the county's draft.
   */
  resetChange: authedProcedure
    .input(z.object({ flowId: z.string(), path: z.string().startsWith('/').max(500) }))
    .mutation(async ({ ctx, input }) => {
      const { flow, base, draft } = await loadAdopted(ctx, input.flowId, 'editFlows');
      await requireScope(ctx.services.tree, ctx.session, 'editFlows', flow.jurisdiction);
      const template = baseOf(base);
      const overlay = computeOverlay(template, draft);
      const inside = (p: string) => p === input.path || p.startsWith(`${input.path}/`);
      const keep = overlay.filter((op) => !inside(op.path));
      if (keep.length === overlay.length)
        throw apiError('template.notChanged', {
          where: describePlace(input.path, toKeyed(draft), toKeyed(template)),
        });
      const identity = {
        key: draft.key,
        version: draft.version,
        jurisdiction: flow.jurisdiction,
        extends: draft.extends,
      };
      const applied = applyOverlay(template, keep, identity);
      const saved = await guarded(() =>
        ctx.store.saveDraft({
          jurisdiction: flow.jurisdiction,
          key: flow.key,
          name: flow.name,
          draft: applied.flow,
          by: ctx.session.user.id,
          expect: { draftHash: flow.draftHash },
        }),
      );
      await recordOverlay(ctx, flow.id, flow.jurisdiction);
      return {
        flowId: flow.id,
        localChanges: computeOverlay(template, saved.draft as Json).length,
        draftHash: saved.draftHash,
      };
    }),
};
