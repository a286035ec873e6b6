import { FlowDefinition } from '@lianxin/spec';
import { and, eq } from 'drizzle-orm';
import type { Database } from './db';
import { canonicalJson, contentHash } from './store';

/**
 * The data migration that runs after the SQL ones: every stored flow (drafts
 * and published versions) gets the defaults its format fills (`clocks: []`,
 * `extension.times: 1`, a join's `mode`, a deadline's `calendar`, …). Flows
 * published before the store filled them crashed the engine ("clocks is not
 * iterable") or let a clock be extended twice. SQL cannot follow zod's
 * defaults as the format grows, so this step uses the format itself; it is
 * idempotent and writes only rows whose JSON changes, so running it at every
 * start costs one read of the flow tables.
 */
export async function fillStoredFlowDefaults(database: Database): Promise<number> {
  const { t } = database;
  return database.tx(async (tx) => {
    let changed = 0;
    const versions = await tx
      .select({
        flowId: t.flowVersions.flowId,
        version: t.flowVersions.version,
        definition: t.flowVersions.definition,
      })
      .from(t.flowVersions);
    for (const row of versions) {
      const filled = withDefaults(row.definition);
      if (!filled) continue;
      await tx
        .update(t.flowVersions)
        .set({ definition: filled, contentHash: contentHash(filled) })
        .where(and(eq(t.flowVersions.flowId, row.flowId), eq(t.flowVersions.version, row.version)));
      changed++;
    }
    const drafts = await tx.select({ id: t.flows.id, draft: t.flows.draft }).from(t.flows);
    for (const row of drafts) {
      const filled = withDefaults(row.draft);
      if (!filled) continue;
      await tx
        .update(t.flows)
        .set({ draft: filled, draftHash: contentHash(filled) })
        .where(eq(t.flows.id, row.id));
      changed++;
    }
    return changed;
  });
}

/** The definition with its defaults, or undefined when it has none to fill or does not parse. */
function withDefaults(stored: unknown): Record<string, unknown> | undefined {
  if (stored === null || typeof stored !== 'object') return undefined;
  const parsed = FlowDefinition.safeParse(stored);
  if (!parsed.success) return undefined;
  if (canonicalJson(parsed.data) === canonicalJson(stored)) return undefined;
  return parsed.data as Record<string, unknown>;
}
