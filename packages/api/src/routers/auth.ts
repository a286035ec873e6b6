import { randomBytes } from 'node:crypto';
import { verifyPassword } from '@lianxin/store';
import * as z from 'zod';
import { type Context, hashToken } from '../context';
import { apiError } from '../errors';
import { authedProcedure, publicProcedure, router } from '../trpc';

// Spend the same scrypt time for unknown users, so timing does not reveal user names.
const DUMMY_HASH =
  'scrypt$16384$8$1$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=';

export async function describeMe(ctx: Context, userId: string) {
  const user = await ctx.store.user(userId);
  if (!user) throw apiError('notFound.user');
  const memberships = await ctx.store.memberships(userId);
  const tree = ctx.services.tree;
  return {
    id: user.id,
    username: user.username,
    displayName: user.displayName,
    memberships: await Promise.all(
      memberships.map(async (m) => ({
        jurisdiction: m.jurisdiction,
        jurisdictionName: (await tree.get(m.jurisdiction))?.name ?? null,
        level: (await tree.get(m.jurisdiction))?.level ?? null,
        role: m.role,
        department: m.department,
      })),
    ),
  };
}

export const authRouter = router({
  login: publicProcedure
    .input(z.object({ username: z.string().min(1).max(64), password: z.string().min(1).max(200) }))
    .mutation(async ({ ctx, input }) => {
      const { attempts, windowMs } = ctx.services.login;
      // Failed attempts count, per address and per user name, on every server.
      const keys = [`ip:${ctx.ip}`, `user:${input.username}`];
      const failures = await ctx.store.loginFailures(keys, windowMs);
      const blocked = [...failures.values()].filter((f) => f.count >= attempts);
      if (blocked.length) {
        const until = Math.max(...blocked.map((f) => f.oldestMs + windowMs));
        const seconds = Math.max(1, Math.ceil((until - ctx.store.clock.now().getTime()) / 1000));
        throw apiError('auth.rateLimited', { seconds });
      }
      const user = await ctx.store.userByUsername(input.username);
      const ok = await verifyPassword(input.password, user?.passwordHash ?? DUMMY_HASH);
      if (!user || !ok || !user.active) {
        await ctx.store.recordLoginFailure(keys, windowMs);
        throw apiError('auth.invalid');
      }
      await ctx.store.clearLoginFailures(`user:${input.username}`);
      const token = randomBytes(32).toString('base64url');
      await ctx.store.createSession(user.id, hashToken(token), ctx.services.sessionTtlMs);
      ctx.cookies.setSession(token, ctx.services.sessionTtlMs);
      return describeMe(ctx, user.id);
    }),

  logout: publicProcedure.mutation(async ({ ctx }) => {
    if (ctx.session) {
      ctx.services.sessionCache.delete(ctx.session.tokenHash);
      await ctx.store.deleteSession(ctx.session.tokenHash);
    }
    ctx.cookies.clearSession();
    return { ok: true };
  }),

  me: authedProcedure.query(({ ctx }) => describeMe(ctx, ctx.session.user.id)),
});
