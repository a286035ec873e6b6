import type { Bilingual, LocalizedText } from '@lianxin/spec';
import { Departments } from '@lianxin/store';
import * as z from 'zod';
import { audit } from '../audit';
import type { Context } from '../context';
import { apiError } from '../errors';
import { requireScope, scopeOf } from '../permissions';
import { authedProcedure, router } from '../trpc';

const Code = z.string().regex(/^\d{6}$/);
/** A department's code: the id memberships and flows hold (housing, hrss, …). */
export const DepartmentCode = z
  .string()
  .regex(/^[A-Za-z][A-Za-z0-9_-]*$/)
  .max(32);
const Name = z.object({
  'zh-CN': z.string().trim().min(1).max(40),
  en: z.string().trim().max(80).optional(),
});

/** The departments repository over the context's database. */
export const departmentsOf = (ctx: Pick<Context, 'store'>) =>
  new Departments(ctx.store.database, ctx.store.clock);

/**
 * The active department codes of a jurisdiction, or `null` when it keeps no
 * list yet (then nothing is checked: a county that never set departments up
 * works as before).
 */
export async function knownDepartments(
  ctx: Pick<Context, 'store'>,
  jurisdiction: string,
): Promise<Map<string, LocalizedText> | null> {
  const rows = await departmentsOf(ctx).list([jurisdiction]);
  if (!rows.length) return null;
  return new Map(rows.filter((r) => r.active).map((r) => [r.code, r.name]));
}

/** A jurisdiction in words for a message (its code when unknown). */
async function placeName(ctx: Context, code: string): Promise<Bilingual> {
  const j = (await ctx.store.listJurisdictions()).find((r) => r.code === code);
  return j
    ? { 'zh-CN': j.name['zh-CN'], en: j.name.en ?? j.name['zh-CN'] }
    : { 'zh-CN': code, en: code };
}

/**
 * Refuses memberships naming a department their jurisdiction does not keep (or
 * has deactivated): such a person would get no task at all.
 */
export async function requireKnownDepartments(
  ctx: Context,
  memberships: readonly { jurisdiction: string; department?: string | null }[],
  /** Memberships the user already holds: kept as they are, even in a department since deactivated. */
  held: readonly { jurisdiction: string; department?: string | null }[] = [],
): Promise<void> {
  const kept = new Set(held.map((m) => `${m.jurisdiction}/${m.department ?? ''}`));
  for (const [i, m] of memberships.entries()) {
    if (!m.department || kept.has(`${m.jurisdiction}/${m.department}`)) continue;
    const known = await knownDepartments(ctx, m.jurisdiction);
    if (known && !known.has(m.department)) {
      throw apiError(
        'department.unknown',
        { department: m.department, jurisdiction: await placeName(ctx, m.jurisdiction) },
        { pointer: `/memberships/${i}/department` },
      );
    }
  }
}

export const departmentsRouter = router({
  /** The departments of a jurisdiction (or of every jurisdiction the caller reads), names included. */
  list: authedProcedure
    .input(
      z
        .object({ jurisdiction: Code.optional(), includeInactive: z.boolean().optional() })
        .optional(),
    )
    .query(async ({ ctx, input }) => {
      let scope: string[];
      if (input?.jurisdiction) {
        await requireScope(ctx.services.tree, ctx.session, 'read', input.jurisdiction);
        scope = [input.jurisdiction];
      } else {
        scope = await scopeOf(ctx.services.tree, ctx.session, 'read');
      }
      const rows = await departmentsOf(ctx).list(scope);
      return rows
        .filter((r) => input?.includeInactive || r.active)
        .map((r) => ({
          jurisdiction: r.jurisdiction,
          code: r.code,
          name: r.name,
          active: r.active,
          updatedAt: r.updatedAt,
        }));
    }),

  /** Adds a department to a jurisdiction (its admins or those above). */
  create: authedProcedure
    .input(z.object({ jurisdiction: Code, code: DepartmentCode, name: Name }))
    .mutation(async ({ ctx, input }) => {
      await requireScope(ctx.services.tree, ctx.session, 'manageUsers', input.jurisdiction);
      const name = {
        'zh-CN': input.name['zh-CN'],
        ...(input.name.en ? { en: input.name.en } : {}),
      };
      const added = await departmentsOf(ctx).create({
        jurisdiction: input.jurisdiction,
        code: input.code,
        name,
      });
      if (!added)
        throw apiError('department.exists', { department: input.code }, { pointer: '/code' });
      await audit(ctx, {
        action: 'admin.departmentCreated',
        jurisdiction: input.jurisdiction,
        detail: { department: input.code, nameZh: name['zh-CN'], nameEn: name.en ?? null },
      });
      return { jurisdiction: input.jurisdiction, code: input.code };
    }),

  /** Renames a department, deactivates it (no longer offered nor accepted) or activates it again. */
  update: authedProcedure
    .input(
      z.object({
        jurisdiction: Code,
        code: DepartmentCode,
        name: Name.optional(),
        active: z.boolean().optional(),
      }),
    )
    .mutation(async ({ ctx, input }) => {
      await requireScope(ctx.services.tree, ctx.session, 'manageUsers', input.jurisdiction);
      const repo = departmentsOf(ctx);
      const before = await repo.get(input.jurisdiction, input.code);
      if (!before) throw apiError('notFound.department', { department: input.code });
      const name = input.name
        ? { 'zh-CN': input.name['zh-CN'], ...(input.name.en ? { en: input.name.en } : {}) }
        : undefined;
      await repo.update(input.jurisdiction, input.code, {
        ...(name ? { name } : {}),
        ...(input.active !== undefined ? { active: input.active } : {}),
      });
      await audit(ctx, {
        action: 'admin.departmentUpdated',
        jurisdiction: input.jurisdiction,
        detail: {
          department: input.code,
          nameZh: before.name['zh-CN'],
          changed: [
            ...(name ? ['nameZh'] : []),
            ...(input.active !== undefined ? ['departmentActive'] : []),
          ],
          ...(name
            ? {
                before: before.name['zh-CN'],
                after: name['zh-CN'],
              }
            : {}),
          ...(input.active !== undefined ? { departmentActive: input.active } : {}),
        },
      });
      return { ok: true };
    }),
});
