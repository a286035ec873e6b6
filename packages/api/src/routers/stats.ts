import { computeStats } from '@lianxin/store';
import * as z from 'zod';
import { requireScope } from '../permissions';
import { authedProcedure, router } from '../trpc';

const Period = z.object({
  jurisdiction: z.string().regex(/^\d{6}$/),
  from: z.iso.datetime({ offset: true }),
  to: z.iso.datetime({ offset: true }),
});

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
    const out = [];
    for (const code of await ctx.services.tree.children(input.jurisdiction)) {
      const jurisdictions = await ctx.services.tree.below(code);
      const j = await ctx.services.tree.get(code);
      out.push({
        jurisdiction: code,
        name: j?.name ?? null,
        stats: await computeStats(ctx.store.database, {
          jurisdictions,
          from: input.from,
          to: input.to,
        }),
      });
    }
    return out;
  }),
});
