import * as z from 'zod';
import { apiError } from '../errors';
import { placeWords, scopeOf } from '../permissions';
import { authedProcedure, router } from '../trpc';

export const jurisdictionsRouter = router({
  /** The jurisdictions the user can see (their own and everything below). */
  list: authedProcedure.query(async ({ ctx }) => {
    const scope = new Set(await scopeOf(ctx.services.tree, ctx.session, 'read'));
    return (await ctx.services.tree.all())
      .filter((j) => scope.has(j.code))
      .sort((a, b) => a.code.localeCompare(b.code));
  }),

  get: authedProcedure
    .input(z.object({ code: z.string().regex(/^\d{6}$/) }))
    .query(async ({ ctx, input }) => {
      const scope = await scopeOf(ctx.services.tree, ctx.session, 'read');
      const row = await ctx.services.tree.get(input.code);
      if (!row) throw apiError('notFound.jurisdiction', { jurisdiction: input.code });
      if (!scope.includes(input.code))
        throw apiError('permission.jurisdiction', {
          jurisdiction: await placeWords(ctx.services.tree, input.code),
        });
      return { ...row, children: await ctx.services.tree.children(input.code) };
    }),
});
