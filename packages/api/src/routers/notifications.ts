import * as z from 'zod';
import { authedProcedure, router } from '../trpc';

/** 消息: what the engine told me (deadline warnings, overdue tasks, escalations), newest first. */
export const notificationsRouter = router({
  mine: authedProcedure
    .input(
      z
        .object({
          limit: z.number().int().min(1).max(100).default(20),
          offset: z.number().int().min(0).max(10_000).default(0),
          unreadOnly: z.boolean().default(false),
        })
        .default({ limit: 20, offset: 0, unreadOnly: false }),
    )
    .query(({ ctx, input }) => ctx.store.notificationsFor(ctx.session.user.id, input)),

  /** Marks the named notifications read, or all of mine when no ids are given. */
  markRead: authedProcedure
    .input(z.object({ ids: z.array(z.string().max(64)).max(200).optional() }).default({}))
    .mutation(async ({ ctx, input }) => ({
      updated: await ctx.store.markNotificationsRead(ctx.session.user.id, input.ids),
    })),
});
