import { type InboxKey, supervisedAmong } from '@lianxin/store';
import * as z from 'zod';
import { audit } from '../audit';
import { CursorInput, decodeCursor, encodeCursor } from '../cursor';
import { apiError } from '../errors';
import { authedProcedure, router } from '../trpc';
import { actAs, caseScope } from './cases';

export const tasksRouter = router({
  /**
   * One page of my tasks: assigned to me, and unassigned ones my roles may
   * claim, earliest deadline first (or newest first), filtered as the
   * workbench asks, a page after `cursor`, with `next` and the number of all
   * that match up to LIST_COUNT_CAP (`more` beyond it).
   */
  inbox: authedProcedure
    .input(
      z
        .object({
          limit: z.number().int().min(1).max(200).default(50),
          /** The `next` of the page before, read with the same sort (cursor.ts). */
          cursor: CursorInput.optional(),
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
        .default({ limit: 50, which: 'all', sort: 'due' }),
    )
    .query(async ({ ctx, input }) => {
      const { cursor, ...filters } = input;
      let after: InboxKey | undefined;
      if (cursor && input.sort === 'newest') {
        const [openedAt, id] = decodeCursor('inbox.newest', cursor);
        after = { dueMs: null, openedAt, id };
      } else if (cursor) {
        const [dueMs, openedAt, id] = decodeCursor('inbox.due', cursor);
        after = { dueMs, openedAt, id };
      }
      const { rows, total, more, next } = await ctx.store.inbox(
        {
          userId: ctx.session.user.id,
          memberships: ctx.session.memberships.map((m) => ({
            jurisdiction: m.jurisdiction,
            role: m.role,
            department: m.department,
          })),
        },
        { ...filters, ...(after ? { after } : {}) },
      );
      await audit(ctx, {
        action: 'case.list',
        detail: {
          procedure: 'tasks.inbox',
          query: input,
          shown: rows.length,
          total: more ? `${total}+` : total,
        },
      });
      // 督办: the rows whose case has an open supervision order carry a tag.
      const supervised = await supervisedAmong(
        ctx.store.database,
        rows.map((r) => r.task.caseId),
      );
      return {
        rows: rows.map((r) => ({
          ...r.task,
          supervised: supervised.has(r.task.caseId),
          trackingCode: r.trackingCode,
          urgency: r.urgency,
          // What the case is about: its flow's title and summary fields (never a sealed value).
          title: r.title,
          summary: r.summary,
          flowName: r.flowName,
        })),
        /** How many match, up to LIST_COUNT_CAP; `more`: more than that. */
        total,
        more,
        /** The cursor of the page after (null on the last). */
        next: !next
          ? null
          : input.sort === 'newest'
            ? encodeCursor('inbox.newest', [next.openedAt, next.id])
            : encodeCursor('inbox.due', [next.dueMs, next.openedAt, next.id]),
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
