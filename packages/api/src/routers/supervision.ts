import { awaitingApproval, supervisionAddressees } from '@lianxin/store';
import * as z from 'zod';
import { CursorInput, decodeCursor, encodeCursor } from '../cursor';
import { requireScope, scopeOf } from '../permissions';
import { authedProcedure, router } from '../trpc';
import { actAs, caseScope, loadCase } from './cases';

const Jurisdiction = z.string().regex(/^\d{6}$/);

/** 督办: issue orders on a case (the engine's case.supervise, with its addressee checked) and 待我审批. */
export const supervisionRouter = router({
  /**
   * Issues a supervision order (the addressee is checked in `actAs`, see
   * ../addressee.ts, as for `cases.act`).
   */
  issue: authedProcedure
    .input(
      z.object({
        caseId: z.string().max(64),
        reason: z.string().max(2_000),
        deadline: z.iso.datetime({ offset: true }),
        to: z.discriminatedUnion('kind', [
          z.object({ kind: z.literal('assignees') }),
          z.object({
            kind: z.literal('department'),
            jurisdiction: Jurisdiction,
            department: z.string().min(1).max(64),
          }),
          z.object({ kind: z.literal('user'), userId: z.string().min(1).max(64) }),
        ]),
        expectedVersion: z.number().int().min(0).optional(),
      }),
    )
    .mutation(async ({ ctx, input }) => {
      const row = await caseScope(ctx, input.caseId);
      await requireScope(ctx.services.tree, ctx.session, 'supervise', row.jurisdiction);
      return actAs(ctx, row, {
        type: 'case.supervise',
        reason: input.reason,
        deadline: input.deadline,
        to: input.to,
        ...(input.expectedVersion !== undefined ? { expectedVersion: input.expectedVersion } : {}),
      });
    }),

  /** Departments and staff an order on this case may go to (for the issuing dialog). */
  addressees: authedProcedure
    .input(z.object({ caseId: z.string().max(64) }))
    .query(async ({ ctx, input }) => {
      const row = await loadCase(ctx, input.caseId);
      await requireScope(ctx.services.tree, ctx.session, 'supervise', row.jurisdiction);
      // Where the case is handled and below: the offices that do its work.
      const below = await ctx.services.tree.below(row.jurisdiction);
      return supervisionAddressees(ctx.store.database, below);
    }),

  /**
   * 待我审批: cases with an extension request waiting, where I may decide
   * (leader or admin there or above) or that I own as 包案 leader, oldest
   * change first, a page after `cursor`, counted up to LIST_COUNT_CAP.
   */
  approvals: authedProcedure
    .input(
      z
        .object({
          limit: z.number().int().min(1).max(200).default(50),
          /** The `next` of the page before (cursor.ts). */
          cursor: CursorInput.optional(),
        })
        .default({ limit: 50 }),
    )
    .query(async ({ ctx, input }) => {
      const after = input.cursor ? decodeCursor('approvals', input.cursor) : undefined;
      const jurisdictions = await scopeOf(ctx.services.tree, ctx.session, 'approveExtensions');
      const { next, ...page } = await awaitingApproval(ctx.store.database, {
        jurisdictions,
        leaderOwner: ctx.session.user.id,
        limit: input.limit,
        ...(after ? { after: { updatedAt: after[0], id: after[1] } } : {}),
      });
      return {
        ...page,
        /** The cursor of the page after (null on the last). */
        next: next ? encodeCursor('approvals', [next.updatedAt, next.id]) : null,
      };
    }),
});
