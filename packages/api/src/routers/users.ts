import * as z from 'zod';
import { requireScope } from '../permissions';
import { authedProcedure, router } from '../trpc';

/** Staff as colleagues see them: no contact details, no account names. */
export const usersRouter = router({
  /**
   * The active staff of the caller's own jurisdictions (or of one it may read):
   * display name, roles and department, for the forms' 人员 picker. Nothing
   * else about a person leaves here: no phone or ID number, no username, no id.
   */
  members: authedProcedure
    .input(z.object({ jurisdiction: z.string().regex(/^\d{6}$/) }).optional())
    .query(async ({ ctx, input }) => {
      let scope: string[];
      if (input?.jurisdiction) {
        await requireScope(ctx.services.tree, ctx.session, 'read', input.jurisdiction);
        scope = [input.jurisdiction];
      } else {
        scope = [...new Set(ctx.session.memberships.map((m) => m.jurisdiction))];
      }
      if (!scope.length) return [];
      const users = await ctx.store.listUsers(scope);
      return users
        .filter(({ user }) => user.active)
        .flatMap(({ user, memberships }) =>
          scope.flatMap((jurisdiction) => {
            const here = memberships.filter((m) => m.jurisdiction === jurisdiction);
            if (!here.length) return [];
            return [
              {
                displayName: user.displayName,
                jurisdiction,
                roles: [...new Set(here.map((m) => m.role))],
                department: here.find((m) => m.department)?.department ?? null,
              },
            ];
          }),
        )
        .sort((a, b) => a.displayName.localeCompare(b.displayName, 'zh-CN'));
    }),
});
