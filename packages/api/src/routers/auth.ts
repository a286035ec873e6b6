import { randomBytes } from 'node:crypto';
import { type AttemptLimit, verifyPassword } from '@lianxin/store';
import * as z from 'zod';
import { audit } from '../audit';
import { type Context, forgetSessionsOf, hashToken } from '../context';
import { apiError } from '../errors';
import { PASSWORD_RULES, requireStrongPassword } from '../password-policy';
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

/**
 * Counts a sign-in try (or a current-password check) before the password is
 * verified: per address always, per account only from addresses the account
 * has not signed in from (so an attacker elsewhere cannot lock its owner out).
 * Returns how to take the try back once the password proved right.
 */
async function takeSignInAttempt(ctx: Context, username: string) {
  const { attempts, windowMs, accountAttempts, accountWindowMs } = ctx.services.login;
  const limits: AttemptLimit[] = [{ key: `ip:${ctx.ip}`, max: attempts, windowMs }];
  if (!(await ctx.store.isKnown(`${username}@${ctx.ip}`))) {
    limits.push({ key: `user:${username}`, max: accountAttempts, windowMs: accountWindowMs });
  }
  const verdict = await ctx.store.takeAttempt(limits);
  if (!verdict.ok) {
    throw apiError('auth.rateLimited', {
      seconds: Math.max(1, Math.ceil(verdict.retryAfterMs / 1000)),
    });
  }
  return async () => {
    await ctx.store.releaseAttempt(
      limits.map((l) => l.key),
      verdict.atMs,
    );
    await ctx.store.markKnown(`${username}@${ctx.ip}`);
  };
}

async function startSession(ctx: Context, userId: string) {
  const token = randomBytes(32).toString('base64url');
  await ctx.store.createSession(userId, hashToken(token), ctx.services.sessionIdleMs);
  ctx.cookies.setSession(token, ctx.services.sessionTtlMs);
}

export const authRouter = router({
  login: publicProcedure
    .input(z.object({ username: z.string().min(1).max(64), password: z.string().min(1).max(200) }))
    .mutation(async ({ ctx, input }) => {
      const release = await takeSignInAttempt(ctx, input.username);
      const user = await ctx.store.userByUsername(input.username);
      const ok = await verifyPassword(input.password, user?.passwordHash ?? DUMMY_HASH);
      if (!user || !ok || !user.active) {
        await audit(ctx, {
          action: 'auth.signInFailed',
          actorId: user?.id ?? null,
          actorName: input.username,
          jurisdiction: user
            ? ((await ctx.store.memberships(user.id))[0]?.jurisdiction ?? null)
            : null,
          detail: { reason: !user ? 'unknownUser' : !ok ? 'wrongPassword' : 'inactive' },
        });
        throw apiError('auth.invalid');
      }
      await release();
      await startSession(ctx, user.id);
      const me = await describeMe(ctx, user.id);
      await audit(ctx, {
        action: 'auth.signIn',
        actorId: user.id,
        actorName: user.username,
        jurisdiction: me.memberships[0]?.jurisdiction ?? null,
      });
      return me;
    }),

  /** The password rules, for the pages that ask for a new password. */
  passwordPolicy: publicProcedure.query(() => ({ rules: PASSWORD_RULES })),

  /**
   * Changes the signed-in user's password. Every session of the user ends
   * (a thief holding one is out); the caller gets a fresh one.
   */
  changePassword: authedProcedure
    .input(
      z.object({
        currentPassword: z.string().min(1).max(200),
        newPassword: z.string().min(1).max(200),
      }),
    )
    .mutation(async ({ ctx, input }) => {
      const { user } = ctx.session;
      requireStrongPassword(input.newPassword, user.username, '/newPassword');
      const release = await takeSignInAttempt(ctx, user.username);
      const stored = await ctx.store.user(user.id);
      if (!stored || !(await verifyPassword(input.currentPassword, stored.passwordHash))) {
        throw apiError('auth.wrongPassword', {}, { pointer: '/currentPassword' });
      }
      await release();
      await ctx.store.updateUser(user.id, { password: input.newPassword });
      forgetSessionsOf(ctx.services, user.id);
      await startSession(ctx, user.id);
      return { ok: true };
    }),

  logout: publicProcedure.mutation(async ({ ctx }) => {
    if (ctx.session) {
      await audit(ctx, { action: 'auth.signOut' });
      ctx.services.sessionCache.delete(ctx.session.tokenHash);
      await ctx.store.deleteSession(ctx.session.tokenHash);
    }
    ctx.cookies.clearSession();
    return { ok: true };
  }),

  me: authedProcedure.query(({ ctx }) => describeMe(ctx, ctx.session.user.id)),
});
