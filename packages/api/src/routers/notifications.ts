import * as z from 'zod';
import { CursorInput, decodeCursor, encodeCursor } from '../cursor';
import { authedProcedure, router } from '../trpc';

/**
 * 消息: what the engine told me (deadline warnings, overdue tasks, escalations)
 * and, for admins, stored template notices (a new version of a template my
 * county adopted; a county's proposal to a template my jurisdiction publishes),
 * newest first, a page after `cursor`, with `next` for the page after. Every
 * row is the caller's own: a notice is written per admin when it happens.
 */
export const notificationsRouter = router({
  mine: authedProcedure
    .input(
      z
        .object({
          limit: z.number().int().min(1).max(100).default(20),
          /** The `next` of the page before (cursor.ts). */
          cursor: CursorInput.optional(),
          unreadOnly: z.boolean().default(false),
        })
        .default({ limit: 20, unreadOnly: false }),
    )
    .query(async ({ ctx, input }) => {
      const after = input.cursor ? decodeCursor('notifications', input.cursor) : undefined;
      const { next, ...page } = await ctx.store.notificationsFor(ctx.session.user.id, {
        limit: input.limit,
        unreadOnly: input.unreadOnly,
        ...(after ? { after: { createdAt: after[0], id: after[1] } } : {}),
      });
      return {
        ...page,
        /** The cursor of the page after (null on the last). */
        next: next ? encodeCursor('notifications', [next.createdAt, next.id]) : null,
      };
    }),

  /** Marks the named notifications read, or all of mine when no ids are given. */
  markRead: authedProcedure
    .input(z.object({ ids: z.array(z.string().max(64)).max(200).optional() }).default({}))
    .mutation(async ({ ctx, input }) => ({
      updated: await ctx.store.markNotificationsRead(ctx.session.user.id, input.ids),
    })),
});
