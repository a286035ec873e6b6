import { type AuditEntry, type AuditRecord, appendAudit } from '@lianxin/store';
import type { Context } from './context';

/**
 * Appends one audit record for this request: who (the signed-in user, or
 * nobody on public routes), from which address, and about which
 * jurisdiction (the caller's, or the signed-in user's first membership).
 * Awaited by the caller: a read that cannot be audited is not served.
 */
export function audit(
  ctx: Pick<Context, 'store' | 'session' | 'ip'>,
  entry: Omit<AuditEntry, 'ip'>,
): Promise<AuditRecord> {
  const user = ctx.session?.user;
  return appendAudit(ctx.store.database, ctx.store.clock, {
    ...entry,
    actorId: entry.actorId ?? user?.id ?? null,
    actorName: entry.actorName ?? user?.username ?? null,
    jurisdiction: entry.jurisdiction ?? ctx.session?.memberships[0]?.jurisdiction ?? null,
    ip: ctx.ip,
  });
}
