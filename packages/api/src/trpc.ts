import { initTRPC } from '@trpc/server';
import { audit } from './audit';
import type { Context } from './context';
import { AppError, apiError, errorIdOf } from './errors';
import { MASKED, present } from './sealed';

const t = initTRPC.context<Context>().create({
  errorFormatter({ shape, error, ctx }) {
    const lang = ctx?.lang ?? 'zh-CN';
    let cause = error.cause instanceof AppError ? error.cause : undefined;
    if (!cause && error.code === 'INTERNAL_SERVER_ERROR') {
      // An unexpected error's own message may be a database's (table names,
      // values): the client gets a generic text and the id of the logged cause.
      const errorId = errorIdOf(error);
      cause = apiError('internal', { errorId }, { errorId }).cause as AppError;
    }
    return {
      ...shape,
      // Localised for the caller; the stable code and both texts stay in `data`.
      message: cause ? cause.localized(lang) : shape.message,
      data: {
        ...shape.data,
        // Internal errors never leak stack traces to clients.
        stack: undefined,
        appCode:
          cause?.code ?? (error.code === 'BAD_REQUEST' ? 'input.invalid' : `trpc.${error.code}`),
        messages: cause?.message_ ?? null,
        details: cause?.details ?? null,
        zodIssues:
          error.code === 'BAD_REQUEST' && !cause && error.cause && 'issues' in error.cause
            ? (error.cause as { issues: unknown }).issues
            : null,
      },
    };
  },
});

export const router = t.router;
export const createCallerFactory = t.createCallerFactory;

/**
 * Every FORBIDDEN answer leaves an `access.refused` audit record (等保 2.0):
 * who asked, for which procedure and case, and why not.
 */
const auditRefusals = t.middleware(async ({ ctx, path, next, getRawInput }) => {
  const result = await next();
  if (!result.ok && result.error.code === 'FORBIDDEN') {
    const cause = result.error.cause instanceof AppError ? result.error.cause : undefined;
    const raw = (await getRawInput().catch(() => undefined)) as { caseId?: unknown } | undefined;
    const caseId = typeof raw?.caseId === 'string' ? raw.caseId.slice(0, 64) : null;
    // Filed under the case's jurisdiction, so the admins whose data it is see the attempt.
    const target = caseId ? await ctx.store.caseForCommand(caseId) : undefined;
    const home = ctx.session?.memberships[0]?.jurisdiction ?? null;
    await audit(ctx, {
      action: 'access.refused',
      caseId,
      ...(target ? { jurisdiction: target.jurisdiction } : {}),
      detail: { procedure: path, code: cause?.code ?? 'trpc.FORBIDDEN', userJurisdiction: home },
    });
  }
  return result;
});

/**
 * No sealed value leaves the server: whatever a procedure answers passes
 * through `present` with the masked view, so a sealed value it did not open
 * for its reader (cases.get does) reaches the browser masked by its kind.
 */
const maskSealedOutput = t.middleware(async ({ ctx, next }) => {
  const result = await next();
  if (result.ok) return { ...result, data: present(ctx, result.data, MASKED) };
  return result;
});

export const publicProcedure = t.procedure.use(auditRefusals).use(maskSealedOutput);

/** Signed-in users only; `ctx.session` is then non-null. */
export const authedProcedure = publicProcedure.use(({ ctx, next }) => {
  if (!ctx.session) throw apiError('auth.required');
  // tRPC merges this into the context; only the narrowed session is new.
  return next({ ctx: { session: ctx.session } });
});
