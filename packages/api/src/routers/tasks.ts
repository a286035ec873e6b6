import * as z from 'zod';
import { audit } from '../audit';
import { apiError } from '../errors';
import { authedProcedure, router } from '../trpc';
import { actAs, caseScope } from './cases';

export const tasksRouter = router({
  /**
   * One page of my tasks: assigned to me, and unassigned ones my roles may
   * claim, earliest deadline first, filtered as the workbench asks, with the
   * number of all that match.
   */
  inbox: authedProcedure
    .input(
      z
        .object({
          limit: z.number().int().min(1).max(200).default(50),
          offset: z.number().int().min(0).max(100_000).default(0),
          which: z.enum(['all', 'mine', 'claimable']).default('all'),
          dueState: z
            .array(z.enum(['onTime', 'dueSoon', 'overdue']))
            .max(3)
            .optional(),
          urgency: z
            .array(z.enum(['red', 'yellow', 'blue', 'green', 'none']))
            .max(5)
            .optional(),
          trackingCode: z.string().trim().min(1).max(32).optional(),
          sort: z.enum(['due', 'newest']).default('due'),
        })
        .default({ limit: 50, offset: 0, which: 'all', sort: 'due' }),
    )
    .query(async ({ ctx, input }) => {
      const { rows, total } = await ctx.store.inbox(
        {
          userId: ctx.session.user.id,
          memberships: ctx.session.memberships.map((m) => ({
            jurisdiction: m.jurisdiction,
            role: m.role,
            department: m.department,
          })),
        },
        input,
      );
      await audit(ctx, {
        action: 'case.list',
        detail: { procedure: 'tasks.inbox', query: input, shown: rows.length, total },
      });
      return {
        rows: rows.map((r) => ({ ...r.task, trackingCode: r.trackingCode, urgency: r.urgency })),
        total,
      };
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
