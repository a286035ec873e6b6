import * as z from 'zod';
import { apiError } from '../errors';
import { authedProcedure, router } from '../trpc';
import { actAs, caseScope } from './cases';

export const tasksRouter = router({
  /** Tasks assigned to me, and unassigned ones my roles may claim, earliest deadline first. */
  inbox: authedProcedure
    .input(z.object({ limit: z.number().int().min(1).max(500).default(100) }).optional())
    .query(async ({ ctx, input }) => {
      const rows = await ctx.store.inbox(
        {
          userId: ctx.session.user.id,
          memberships: ctx.session.memberships.map((m) => ({
            jurisdiction: m.jurisdiction,
            role: m.role,
            department: m.department,
          })),
        },
        input?.limit ?? 100,
      );
      return rows.map((r) => ({ ...r.task, trackingCode: r.trackingCode, urgency: r.urgency }));
    }),

  claim: authedProcedure
    .input(z.object({ taskId: z.string(), expectedVersion: z.number().int().optional() }))
    .mutation(async ({ ctx, input }) => {
      const task = await ctx.store.task(input.taskId);
      if (!task) throw apiError('notFound.task');
      const row = await caseScope(ctx, task.caseId);
      return actAs(ctx, row, {
        type: 'task.claim',
        taskId: task.id,
        ...(input.expectedVersion !== undefined ? { expectedVersion: input.expectedVersion } : {}),
      });
    }),

  /** Presses one of the task's action buttons with its form data. */
  complete: authedProcedure
    .input(
      z.object({
        taskId: z.string(),
        action: z.string().min(1).max(64),
        data: z.record(z.string(), z.unknown()).default({}),
        expectedVersion: z.number().int().optional(),
      }),
    )
    .mutation(async ({ ctx, input }) => {
      const task = await ctx.store.task(input.taskId);
      if (!task) throw apiError('notFound.task');
      const row = await caseScope(ctx, task.caseId);
      return actAs(ctx, row, {
        type: 'task.complete',
        taskId: task.id,
        action: input.action,
        data: input.data,
        ...(input.expectedVersion !== undefined ? { expectedVersion: input.expectedVersion } : {}),
      });
    }),
});
