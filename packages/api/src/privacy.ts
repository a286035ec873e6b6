import type { CaseState } from '@lianxin/engine';
import type { SensitiveKind } from '@lianxin/spec';
import { searchAudit } from '@lianxin/store';
import * as z from 'zod';
import { audit } from './audit';
import type { Context, SessionInfo } from './context';
import { apiError } from './errors';
import { requireScope } from './permissions';
import { MASKED, type View } from './sealed';
import { authedProcedure } from './trpc';

/**
 * Who sees a case's sensitive values (x-sensitive fields and the petitioner
 * record) in full; everyone else sees them masked by kind (sealed.ts).
 * docs/server.md, "Privacy", has the table.
 */

const ALL: ReadonlySet<SensitiveKind> = new Set(['name', 'address', 'idCard', 'phone', 'text']);
/** What a reveal opens: what one needs to meet or phone the petitioner, not the ID number. */
const CONTACT: ReadonlySet<SensitiveKind> = new Set(['name', 'address', 'phone', 'text']);

/** Roles of the office that received or holds a case that see its petitioner in full. */
const OFFICE_ROLES_IN_FULL = new Set(['receptionist', 'admin']);

/** How long a reveal lasts for that user and case. */
export const REVEAL_MS = 8 * 3_600_000;

type Authed = Context & { session: SessionInfo };
interface CaseLike {
  id: string;
  jurisdiction: string;
  receivedJurisdiction?: string | null;
  state: CaseState;
}

/** The registering office's receptionists and admins: their own office's cases, in full. */
function ownOffice(session: SessionInfo, row: CaseLike): boolean {
  const offices = new Set([row.jurisdiction, row.receivedJurisdiction ?? row.jurisdiction]);
  return session.memberships.some(
    (m) => OFFICE_ROLES_IN_FULL.has(m.role) && offices.has(m.jurisdiction),
  );
}

/**
 * Whoever must meet or phone the petitioner: the 包案 leader, or a user with
 * an open task on the case (assigned to them, or one they may claim).
 */
export function mayReveal(session: SessionInfo, row: CaseLike): boolean {
  if (ownOffice(session, row)) return true;
  const userId = session.user.id;
  if (row.state.leaderOwner === userId) return true;
  return row.state.tasks.some((t) => {
    if (t.assignee) return t.assignee === userId;
    const c = t.candidates;
    return session.memberships.some(
      (m) =>
        m.role === c.role &&
        m.jurisdiction === c.jurisdiction &&
        (!c.department || m.department === c.department),
    );
  });
}

/** The reveal this user made for this case within the last `REVEAL_MS`, if any. */
async function activeReveal(ctx: Authed, caseId: string): Promise<number | undefined> {
  const now = ctx.store.clock.now().getTime();
  const { records } = await searchAudit(ctx.store.database, {
    actorId: ctx.session.user.id,
    caseId,
    action: 'case.reveal',
    fromMs: now - REVEAL_MS,
    limit: 1,
  });
  const at = records[0]?.atMs;
  return at === undefined ? undefined : Number(at) + REVEAL_MS;
}

/** What this reader sees of this case's sensitive values, and until when a reveal lasts. */
export async function caseView(
  ctx: Authed,
  row: CaseLike,
): Promise<View & { revealedUntil: string | null; mayReveal: boolean }> {
  const may = mayReveal(ctx.session, row);
  if (ownOffice(ctx.session, row)) return { full: ALL, revealedUntil: null, mayReveal: may };
  const until = may ? await activeReveal(ctx, row.id) : undefined;
  if (until === undefined) return { ...MASKED, revealedUntil: null, mayReveal: may };
  return { full: CONTACT, revealedUntil: new Date(until).toISOString(), mayReveal: may };
}

/**
 * 查看联系方式: a user who must meet or phone the petitioner sees the
 * contact details of one case in full for `REVEAL_MS`, with a reason, audited
 * as `case.reveal`. Others are refused.
 */
export const revealCase = authedProcedure
  .input(z.object({ caseId: z.string().max(64), reason: z.string().max(200) }))
  .mutation(async ({ ctx, input }) => {
    const reason = input.reason.trim();
    if (reason.length < 2) throw apiError('privacy.reasonRequired');
    const row = await ctx.store.caseRow(input.caseId);
    if (!row) throw apiError('notFound.case');
    await requireScope(ctx.services.tree, ctx.session, 'read', row.jurisdiction);
    if (!mayReveal(ctx.session, row)) throw apiError('privacy.revealRefused');
    const until = ctx.store.clock.now().getTime() + REVEAL_MS;
    await audit(ctx, {
      action: 'case.reveal',
      caseId: row.id,
      petitionerId: row.petitionerId,
      jurisdiction: row.jurisdiction,
      detail: { reason, until: new Date(until).toISOString() },
    });
    return { caseId: row.id, revealedUntil: new Date(until).toISOString() };
  });
