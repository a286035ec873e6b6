import { initTRPC } from '@trpc/server';
import type { Context } from './context';
import { AppError, apiError } from './errors';

const t = initTRPC.context<Context>().create({
  errorFormatter({ shape, error, ctx }) {
    const cause = error.cause instanceof AppError ? error.cause : undefined;
    const lang = ctx?.lang ?? 'zh-CN';
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
export const publicProcedure = t.procedure;

/** Signed-in users only; `ctx.session` is then non-null. */
export const authedProcedure = t.procedure.use(({ ctx, next }) => {
  if (!ctx.session) throw apiError('auth.required');
  // tRPC merges this into the context; only the narrowed session is new.
  return next({ ctx: { session: ctx.session } });
});
