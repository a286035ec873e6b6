import * as z from 'zod';
import { audit } from '../audit';
import { apiError } from '../errors';
import { requireScope, roleWords, scopeOf } from '../permissions';
import { authedProcedure } from '../trpc';

/** Matches are counted up to this; the page says "more than" beyond it. */
export const SEARCH_COUNT_CAP = 1000;

/** `<creation ms>.<case id>`: where the next page starts (the last row of this one). */
const Cursor = z.string().regex(/^\d{1,15}\.[\w-]{1,64}$/);

export const SearchInput = z
  .object({
    /** Narrows to this jurisdiction and those below it (the reader's own scope otherwise). */
    jurisdiction: z
      .string()
      .regex(/^\d{6}$/)
      .optional(),
    /** Words of the complaint (any text field of the case that is not sensitive). */
    text: z.string().trim().min(1).max(100).optional(),
    /** Found by keyed hash only: the whole name, phone or ID number, never a part. */
    petitioner: z
      .object({
        name: z.string().trim().min(1).max(50).optional(),
        phone: z
          .string()
          .regex(/^[\d\s+\-()]{5,24}$/)
          .optional(),
        idCard: z
          .string()
          .trim()
          .regex(/^\d{17}[\dXx]$/)
          .optional(),
      })
      .optional(),
    createdFrom: z.iso.datetime({ offset: true }).optional(),
    createdTo: z.iso.datetime({ offset: true }).optional(),
    flowKey: z.string().max(64).optional(),
    /** A department that has (or had) a task on the case. */
    department: z.string().max(64).optional(),
    /** 我包案的: the cases the reader owns as 包案 leader. */
    mine: z.boolean().optional(),
    status: z
      .array(z.enum(['new', 'active', 'closed', 'cancelled']))
      .max(4)
      .optional(),
    cursor: Cursor.optional(),
    limit: z.number().int().min(1).max(500).default(50),
    /** `export`: the pages of an Excel export, audited as such. */
    purpose: z.enum(['list', 'export']).default('list'),
  })
  .refine((q) => !q.createdFrom || !q.createdTo || q.createdFrom < q.createdTo, {
    path: ['createdTo'],
    message: '登记止须晚于登记起 / createdTo must be after createdFrom',
  });

/** Who may find cases by a petitioner's name, phone or ID number: the office that sees them in full. */
const PETITIONER_SEARCH_ROLES = ['receptionist', 'admin'];

/** 13800138000 from +86 138-0013-8000, 0086 13800138000, (138) 0013 8000. */
export function normalisePhone(phone: string): string {
  const digits = phone.replace(/\D/g, '');
  if (digits.length === 13 && digits.startsWith('86')) return digits.slice(2);
  if (digits.length === 15 && digits.startsWith('0086')) return digits.slice(4);
  return digits;
}

/**
 * 查找信访事项: complaint words, the petitioner's name, phone or ID number
 * (by keyed hash), dates, flow, department and 我包案的, in the reader's
 * jurisdictions only; keyset pages, a count capped at SEARCH_COUNT_CAP.
 * A look-up by petitioner is for the receptionists and admins of the office
 * holding the case (they see petitioners in full), in those offices only.
 * Audited like `cases.list` (a look-up by petitioner as `petitioner.read`,
 * an export as `case.export`), never with the name, phone or ID number.
 * Look-ups by petitioner count against the same per-user limit as repeat hints.
 */
export const searchCases = authedProcedure.input(SearchInput).query(async ({ ctx, input }) => {
  let scope = await scopeOf(ctx.services.tree, ctx.session, 'read');
  if (input.jurisdiction) {
    await requireScope(ctx.services.tree, ctx.session, 'read', input.jurisdiction);
    const below = new Set(await ctx.services.tree.below(input.jurisdiction));
    scope = scope.filter((c) => below.has(c));
  }
  const p = input.petitioner;
  const petitioner = p && {
    ...(p.name ? { name: p.name.replace(/\s+/g, '') } : {}),
    ...(p.phone ? { phone: normalisePhone(p.phone) } : {}),
    ...(p.idCard ? { idCard: p.idCard.toUpperCase() } : {}),
  };
  const by = petitioner ? Object.keys(petitioner) : [];
  if (by.length) {
    // Only those who see a petitioner in full (their own office's receptionists
    // and admins, privacy.ts) may look one up: for anyone else a name typed
    // here would unmask whose case it is.
    const offices = new Set(
      ctx.session.memberships
        .filter((m) => PETITIONER_SEARCH_ROLES.includes(m.role))
        .map((m) => m.jurisdiction),
    );
    scope = scope.filter((c) => offices.has(c));
    if (!scope.length)
      throw apiError('permission.role', { roles: roleWords(PETITIONER_SEARCH_ROLES) });
  }
  if (by.length && !input.cursor) {
    const { perUser, windowMs } = ctx.services.repeatHints;
    const verdict = await ctx.store.takeAttempt([
      { key: `repeatHints:user:${ctx.session.user.id}`, max: perUser, windowMs },
    ]);
    if (!verdict.ok)
      throw apiError('cases.lookupLimited', {
        seconds: Math.max(1, Math.ceil(verdict.retryAfterMs / 1000)),
      });
  }
  const after = input.cursor
    ? {
        createdAtMs: Number(input.cursor.slice(0, input.cursor.indexOf('.'))),
        id: input.cursor.slice(input.cursor.indexOf('.') + 1),
      }
    : undefined;
  const page = await ctx.store.searchCases({
    jurisdictions: scope,
    ...(input.text ? { text: input.text } : {}),
    ...(by.length ? { petitioner } : {}),
    ...(input.createdFrom ? { createdFrom: input.createdFrom } : {}),
    ...(input.createdTo ? { createdTo: input.createdTo } : {}),
    ...(input.flowKey ? { flowKey: input.flowKey } : {}),
    ...(input.department ? { department: input.department } : {}),
    ...(input.mine ? { leaderOwner: ctx.session.user.id } : {}),
    ...(input.status?.length ? { status: input.status } : {}),
    ...(after ? { after } : {}),
    limit: input.limit,
    countCap: SEARCH_COUNT_CAP,
  });
  const { petitioner: _, ...query } = input;
  await audit(ctx, {
    action: by.length
      ? 'petitioner.read'
      : input.purpose === 'export'
        ? 'case.export'
        : 'case.list',
    ...(input.jurisdiction ? { jurisdiction: input.jurisdiction } : {}),
    detail: {
      procedure: 'cases.search',
      query,
      ...(by.length ? { by } : {}),
      shown: page.rows.length,
      total: page.more ? `${page.count}+` : page.count,
    },
  });
  return {
    rows: page.rows,
    next: page.next ? `${page.next.createdAtMs}.${page.next.id}` : null,
    /** How many match, up to SEARCH_COUNT_CAP; `more`: more than that. */
    count: page.count,
    more: page.more,
  };
});
