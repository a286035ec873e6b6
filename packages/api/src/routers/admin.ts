import * as z from 'zod';
import { audit } from '../audit';
import { apiError } from '../errors';
import { requireStrongPassword } from '../password-policy';
import { ROLE_IDS, ROLES, requireScope, scopeOf } from '../permissions';
import { authedProcedure, router } from '../trpc';
import { DepartmentCode, requireKnownDepartments } from './departments';

const Membership = z.object({
  jurisdiction: z.string().regex(/^\d{6}$/),
  role: z.enum(ROLE_IDS as [string, ...string[]]),
  department: DepartmentCode.nullable().optional(),
});

export const adminRouter = router({
  roles: authedProcedure.query(() => Object.entries(ROLES).map(([id, name]) => ({ id, name }))),

  users: authedProcedure
    .input(
      z
        .object({
          jurisdiction: z
            .string()
            .regex(/^\d{6}$/)
            .optional(),
        })
        .optional(),
    )
    .query(async ({ ctx, input }) => {
      let scope = await scopeOf(ctx.services.tree, ctx.session, 'manageUsers');
      if (input?.jurisdiction) {
        await requireScope(ctx.services.tree, ctx.session, 'manageUsers', input.jurisdiction);
        scope = await ctx.services.tree.below(input.jurisdiction);
      }
      if (!scope.length)
        await requireScope(ctx.services.tree, ctx.session, 'manageUsers', '000000');
      const users = await ctx.store.listUsers(scope);
      return users.map(({ user, memberships }) => ({
        id: user.id,
        username: user.username,
        displayName: user.displayName,
        active: user.active,
        memberships: memberships.map((m) => ({
          jurisdiction: m.jurisdiction,
          role: m.role,
          department: m.department,
        })),
      }));
    }),

  createUser: authedProcedure
    .input(
      z.object({
        username: z.string().regex(/^[a-z0-9_.-]{3,32}$/),
        displayName: z.string().min(1).max(50),
        password: z.string().min(1).max(200),
        memberships: z.array(Membership).min(1),
      }),
    )
    .mutation(async ({ ctx, input }) => {
      // An admin grants roles only inside their own scope.
      for (const m of input.memberships) {
        await requireScope(ctx.services.tree, ctx.session, 'manageUsers', m.jurisdiction);
      }
      await requireKnownDepartments(ctx, input.memberships);
      if (await ctx.store.userByUsername(input.username)) throw apiError('user.exists');
      requireStrongPassword(input.password, input.username, '/password');
      const user = await ctx.store.createUser(input);
      await audit(ctx, {
        action: 'admin.userCreated',
        jurisdiction: input.memberships[0]?.jurisdiction ?? null,
        detail: {
          userId: user.id,
          username: user.username,
          memberships: input.memberships.map((m) => ({
            jurisdiction: m.jurisdiction,
            role: m.role,
            department: m.department ?? null,
          })),
        },
      });
      return { id: user.id, username: user.username };
    }),

  updateUser: authedProcedure
    .input(
      z.object({
        userId: z.string(),
        displayName: z.string().min(1).max(50).optional(),
        active: z.boolean().optional(),
        password: z.string().min(1).max(200).optional(),
        memberships: z.array(Membership).optional(),
      }),
    )
    .mutation(async ({ ctx, input }) => {
      const current = await ctx.store.memberships(input.userId);
      if (!current.length && !(await ctx.store.user(input.userId))) throw apiError('notFound.user');
      for (const m of [...current, ...(input.memberships ?? [])]) {
        await requireScope(ctx.services.tree, ctx.session, 'manageUsers', m.jurisdiction);
      }
      if (input.memberships) await requireKnownDepartments(ctx, input.memberships, current);
      const { userId, ...patch } = input;
      if (patch.password !== undefined) {
        const target = await ctx.store.user(userId);
        requireStrongPassword(patch.password, target?.username ?? '', '/password');
      }
      // A reset password or a deactivation ends the user's sessions (in the store).
      await ctx.store.updateUser(userId, patch);
      // Passwords are never logged: only that one was set.
      await audit(ctx, {
        action: patch.memberships ? 'admin.membershipsChanged' : 'admin.userUpdated',
        jurisdiction: (patch.memberships?.[0] ?? current[0])?.jurisdiction ?? null,
        detail: {
          userId,
          changed: Object.keys(patch).filter((k) => patch[k as keyof typeof patch] !== undefined),
          ...(patch.active !== undefined ? { active: patch.active } : {}),
          ...(patch.memberships
            ? {
                before: current.map((m) => ({
                  jurisdiction: m.jurisdiction,
                  role: m.role,
                  department: m.department,
                })),
                after: patch.memberships.map((m) => ({
                  jurisdiction: m.jurisdiction,
                  role: m.role,
                  department: m.department ?? null,
                })),
              }
            : {}),
        },
      });
      // Roles or access changed: look every session up again.
      ctx.services.sessionCache.clear();
      return { ok: true };
    }),
});
