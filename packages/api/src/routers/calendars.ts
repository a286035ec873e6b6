import { type CalendarYear, parseHolidayNotice } from '@lianxin/engine';
import { StoreError } from '@lianxin/store';
import { TRPCError } from '@trpc/server';
import * as z from 'zod';
import { audit } from '../audit';
import type { Context, SessionInfo } from '../context';
import { AppError, apiError, guarded } from '../errors';
import { requireScope, scopeOf } from '../permissions';
import { authedProcedure, router } from '../trpc';

type Authed = Context & { session: SessionInfo };

const Jurisdiction = z.string().regex(/^\d{6}$/);
const LocalDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);
const Year = z.number().int().min(1900).max(2100);
/** Date → name; a year has at most a few dozen holidays and make-up days. */
const Days = z
  .record(LocalDate, z.string().trim().min(1).max(30))
  .refine((d) => Object.keys(d).length <= 60, {
    message: '一年最多 60 个日期 / at most 60 dates a year',
  });

export const CalendarYearInput = z.object({
  year: Year,
  holidays: Days,
  workdays: Days,
  /** Ignored: what a person publishes is official. */
  status: z.enum(['bundled', 'official', 'provisional']).optional(),
  source: z.object({ document: z.string().trim().min(1).max(100), date: LocalDate }).optional(),
});

function officialYear(input: z.infer<typeof CalendarYearInput>): CalendarYear {
  return {
    year: input.year,
    holidays: input.holidays,
    workdays: input.workdays,
    status: 'official',
    ...(input.source ? { source: input.source } : {}),
  };
}

/** Store refusals with located problems keep them in the error's details, for the screen. */
async function withProblems<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    if (error instanceof StoreError && error.details) {
      const cause = new AppError(`store.${error.code}`, error.bilingual, {
        problems: error.details,
      });
      throw new TRPCError({ code: 'BAD_REQUEST', message: error.message, cause });
    }
    return guarded(() => Promise.reject(error));
  }
}

async function requireKnown(ctx: Authed, jurisdiction: string) {
  const row = await ctx.services.tree.get(jurisdiction);
  if (!row) throw apiError('notFound.jurisdiction', { jurisdiction });
  return row;
}

/** The years a calendar page shows by default: 2024 to next year. */
function defaultRange(now: Date) {
  const thisYear = Number(new Date(now.getTime() + 8 * 3_600_000).toISOString().slice(0, 4));
  return { from: Math.min(2024, thisYear), to: thisYear + 1 };
}

export const calendarsRouter = router({
  /**
   * The working-day calendar of a jurisdiction, year by year: the holidays
   * and make-up days in force, whether each year is bundled, official or
   * provisional, which revision and where it was published.
   */
  years: authedProcedure
    .input(
      z
        .object({ jurisdiction: Jurisdiction, from: Year.optional(), to: Year.optional() })
        .refine((i) => (i.to ?? 0) - (i.from ?? 0) <= 30 || !i.from || !i.to, {
          message: '最多 30 年 / at most 30 years',
        }),
    )
    .query(async ({ ctx, input }) => {
      await requireKnown(ctx, input.jurisdiction);
      await requireScope(ctx.services.tree, ctx.session, 'read', input.jurisdiction);
      const range = defaultRange(ctx.store.clock.now());
      const from = input.from ?? range.from;
      const to = Math.max(from, input.to ?? range.to);
      const years = await ctx.store.calendars.years(input.jurisdiction, from, to);
      const provisional = years.find((y) => y.status === 'provisional');
      const officialUntil = (provisional ? provisional.year : to + 1) - 1;
      return {
        years,
        coverage: {
          officialUntil,
          provisionalFrom: provisional?.year ?? to + 1,
        },
        localDaysAllowed: await ctx.store.calendars.localDaysAllowed(input.jurisdiction),
      };
    }),

  /** Every revision of one year published at the jurisdiction or above, newest first (the history). */
  revisions: authedProcedure
    .input(z.object({ jurisdiction: Jurisdiction, year: Year }))
    .query(async ({ ctx, input }) => {
      await requireKnown(ctx, input.jurisdiction);
      await requireScope(ctx.services.tree, ctx.session, 'read', input.jurisdiction);
      return ctx.store.calendars.revisions(input.jurisdiction, input.year);
    }),

  /** Reads a pasted State Council notice into a draft year, with what could not be read. */
  parseNotice: authedProcedure
    .input(z.object({ text: z.string().min(1).max(20_000) }))
    .mutation(async ({ ctx, input }) => {
      const scope = await scopeOf(ctx.services.tree, ctx.session, 'manageCalendars');
      if (!scope.length)
        await requireScope(ctx.services.tree, ctx.session, 'manageCalendars', '000000');
      return parseHolidayNotice(input.text);
    }),

  /**
   * What publishing `year` would do: its problems (nothing can be published
   * while there are any) and every due date of an open case it would move.
   */
  preview: authedProcedure
    .input(z.object({ jurisdiction: Jurisdiction, year: CalendarYearInput }))
    .mutation(async ({ ctx, input }) => {
      await requireKnown(ctx, input.jurisdiction);
      await requireScope(ctx.services.tree, ctx.session, 'manageCalendars', input.jurisdiction);
      const year = officialYear(input.year);
      const problems = await guarded(() => ctx.store.calendars.problems(input.jurisdiction, year));
      const preview = await guarded(() =>
        ctx.store.calendars.preview({ kind: 'year', jurisdiction: input.jurisdiction, year }),
      );
      return { problems, ...preview };
    }),

  /**
   * Publishes a year's arrangement as a new revision (a correction of a
   * published year needs a reason) and recomputes every open case that
   * follows it; the people responsible for each moved deadline are notified.
   */
  publish: authedProcedure
    .input(
      z.object({
        jurisdiction: Jurisdiction,
        year: CalendarYearInput,
        reason: z.string().trim().max(500).optional(),
      }),
    )
    .mutation(async ({ ctx, input }) => {
      await requireKnown(ctx, input.jurisdiction);
      await requireScope(ctx.services.tree, ctx.session, 'manageCalendars', input.jurisdiction);
      const year = officialYear(input.year);
      const result = await withProblems(() =>
        ctx.store.calendars.publish(input.jurisdiction, year, {
          by: ctx.session.user.id,
          ...(input.reason ? { reason: input.reason } : {}),
        }),
      );
      await audit(ctx, {
        action: 'calendar.published',
        jurisdiction: input.jurisdiction,
        detail: {
          year: year.year,
          revision: result.revision,
          ...(year.source ? { document: year.source.document } : {}),
          ...(input.reason ? { reason: input.reason } : {}),
          recomputed: result.recomputed,
          moved: result.moved,
        },
      });
      return result;
    }),

  /**
   * An admin above a jurisdiction allows it (or no longer allows it) local
   * days off, e.g. an ethnic autonomous area's own festivals.
   */
  allowLocalDays: authedProcedure
    .input(
      z.object({
        jurisdiction: Jurisdiction,
        allowed: z.boolean(),
        note: z.string().trim().max(500).optional(),
      }),
    )
    .mutation(async ({ ctx, input }) => {
      const row = await requireKnown(ctx, input.jurisdiction);
      // Only from above: a jurisdiction does not allow itself.
      await requireScope(ctx.services.tree, ctx.session, 'manageCalendars', row.parent ?? '000000');
      const result = await guarded(() =>
        ctx.store.calendars.allowLocalDays(
          input.jurisdiction,
          input.allowed,
          ctx.session.user.id,
          input.note,
        ),
      );
      await audit(ctx, {
        action: 'calendar.localGrant',
        jurisdiction: input.jurisdiction,
        detail: { allowed: input.allowed, ...(input.note ? { note: input.note } : {}) },
      });
      return result;
    }),

  /** Sets a jurisdiction's local days off for a year (where allowed) and recomputes its open cases. */
  setLocalDays: authedProcedure
    .input(
      z.object({
        jurisdiction: Jurisdiction,
        year: Year,
        days: Days,
        reason: z.string().trim().max(500).optional(),
      }),
    )
    .mutation(async ({ ctx, input }) => {
      await requireKnown(ctx, input.jurisdiction);
      await requireScope(ctx.services.tree, ctx.session, 'manageCalendars', input.jurisdiction);
      const result = await withProblems(() =>
        ctx.store.calendars.setLocalDays(input.jurisdiction, input.year, input.days, {
          by: ctx.session.user.id,
          ...(input.reason ? { reason: input.reason } : {}),
        }),
      );
      await audit(ctx, {
        action: 'calendar.localDays',
        jurisdiction: input.jurisdiction,
        detail: {
          year: input.year,
          revision: result.revision,
          days: Object.keys(input.days).length,
          recomputed: result.recomputed,
          moved: result.moved,
        },
      });
      return result;
    }),

  /**
   * For the dashboard: whether this year and next are official, bundled or
   * provisional in the jurisdiction, and how many open cases in it (and
   * below, as far as the reader sees) have a deadline on a provisional year.
   */
  coverage: authedProcedure
    .input(z.object({ jurisdiction: Jurisdiction }))
    .query(async ({ ctx, input }) => {
      await requireKnown(ctx, input.jurisdiction);
      await requireScope(ctx.services.tree, ctx.session, 'read', input.jurisdiction);
      const readable = new Set(await scopeOf(ctx.services.tree, ctx.session, 'read'));
      const below = (await ctx.services.tree.below(input.jurisdiction)).filter((c) =>
        readable.has(c),
      );
      return ctx.store.calendars.coverage(input.jurisdiction, below);
    }),
});
