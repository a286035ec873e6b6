import { computeStats, computeStatsByPart, computeTrend, supervisionStats } from '@lianxin/store';
import * as z from 'zod';
import { requireScope } from '../permissions';
import { authedProcedure, router } from '../trpc';

const Jurisdiction = z.string().regex(/^\d{6}$/);
const Period = z.object({
  jurisdiction: Jurisdiction,
  from: z.iso.datetime({ offset: true }),
  to: z.iso.datetime({ offset: true }),
});
const DAY_MS = 86_400_000;

/** What the cases a jurisdiction registers itself are called beside its children (市本级). */
const OWN_LEVEL = {
  province: { 'zh-CN': '省本级', en: 'Province level' },
  city: { 'zh-CN': '市本级', en: 'City level' },
  county: { 'zh-CN': '县本级', en: 'County level' },
  town: { 'zh-CN': '镇本级', en: 'Town level' },
  village: { 'zh-CN': '村本级', en: 'Village level' },
} as const;

export const statsRouter = router({
  /** KPIs of one jurisdiction and everything below it (definitions: docs/stats.md). */
  summary: authedProcedure.input(Period).query(async ({ ctx, input }) => {
    await requireScope(ctx.services.tree, ctx.session, 'viewStats', input.jurisdiction);
    const jurisdictions = await ctx.services.tree.below(input.jurisdiction);
    return computeStats(ctx.store.database, { jurisdictions, from: input.from, to: input.to });
  }),

  /**
   * The same KPIs for each jurisdiction directly below, for city and province
   * boards, and a last row (`own: true`, 市本级) for the cases registered at the
   * jurisdiction itself, so the rows add up to its summary. No rows when it
   * has nothing below.
   */
  byJurisdiction: authedProcedure.input(Period).query(async ({ ctx, input }) => {
    await requireScope(ctx.services.tree, ctx.session, 'viewStats', input.jurisdiction);
    const tree = ctx.services.tree;
    const children = await tree.children(input.jurisdiction);
    if (!children.length) return [];
    const parts = await Promise.all(
      children.map(async (key) => ({ key, jurisdictions: await tree.below(key) })),
    );
    parts.push({ key: input.jurisdiction, jurisdictions: [input.jurisdiction] });
    const stats = await computeStatsByPart(ctx.store.database, parts, input);
    const self = await tree.get(input.jurisdiction);
    const level = (self?.level ?? 'city') as keyof typeof OWN_LEVEL;
    const rows = await Promise.all(
      children.map(async (code) => ({
        jurisdiction: code,
        name: (await tree.get(code))?.name ?? null,
        own: false,
        stats: stats.get(code) as NonNullable<ReturnType<typeof stats.get>>,
      })),
    );
    rows.push({
      jurisdiction: input.jurisdiction,
      name: OWN_LEVEL[level] ?? OWN_LEVEL.city,
      own: true,
      stats: stats.get(input.jurisdiction) as NonNullable<ReturnType<typeof stats.get>>,
    });
    return rows;
  }),

  /**
   * 督办 figures of one jurisdiction and everything below it over the period:
   * 督办件, orders done by their deadline (督办按期办结率), open and overdue now.
   */
  supervision: authedProcedure.input(Period).query(async ({ ctx, input }) => {
    await requireScope(ctx.services.tree, ctx.session, 'viewStats', input.jurisdiction);
    const jurisdictions = await ctx.services.tree.below(input.jurisdiction);
    return supervisionStats(ctx.store.database, {
      jurisdictions,
      fromMs: Date.parse(input.from),
      toMs: Date.parse(input.to),
      nowMs: ctx.store.clock.now().getTime(),
    });
  }),

  /**
   * Received, closed and the four rates per day or week from `from` (a local
   * midnight, a Monday for weeks), `buckets` of them: the dashboard's trend in
   * one request.
   */
  trend: authedProcedure
    .input(
      z.object({
        jurisdiction: Jurisdiction,
        from: z.iso.datetime({ offset: true }),
        bucket: z.enum(['day', 'week']),
        buckets: z.number().int().min(1).max(106),
      }),
    )
    .query(async ({ ctx, input }) => {
      await requireScope(ctx.services.tree, ctx.session, 'viewStats', input.jurisdiction);
      const jurisdictions = await ctx.services.tree.below(input.jurisdiction);
      return computeTrend(ctx.store.database, {
        jurisdictions,
        from: input.from,
        bucketMs: input.bucket === 'week' ? 7 * DAY_MS : DAY_MS,
        buckets: input.buckets,
      });
    }),
});
