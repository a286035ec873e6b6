import { computeStats, computeStatsByPart, computeTrend } from '@lianxin/store';
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

export const statsRouter = router({
  /** KPIs of one jurisdiction and everything below it (definitions: docs/stats.md). */
  summary: authedProcedure.input(Period).query(async ({ ctx, input }) => {
    await requireScope(ctx.services.tree, ctx.session, 'viewStats', input.jurisdiction);
    const jurisdictions = await ctx.services.tree.below(input.jurisdiction);
    return computeStats(ctx.store.database, { jurisdictions, from: input.from, to: input.to });
  }),

  /** The same KPIs for each jurisdiction directly below, for city and province boards. */
  byJurisdiction: authedProcedure.input(Period).query(async ({ ctx, input }) => {
    await requireScope(ctx.services.tree, ctx.session, 'viewStats', input.jurisdiction);
    const tree = ctx.services.tree;
    const children = await tree.children(input.jurisdiction);
    const parts = await Promise.all(
      children.map(async (key) => ({ key, jurisdictions: await tree.below(key) })),
    );
    const stats = await computeStatsByPart(ctx.store.database, parts, input);
    return Promise.all(
      children.map(async (code) => ({
        jurisdiction: code,
        name: (await tree.get(code))?.name ?? null,
        stats: stats.get(code) as NonNullable<ReturnType<typeof stats.get>>,
      })),
    );
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
