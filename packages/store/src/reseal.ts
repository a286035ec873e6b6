import { type Event, replay } from '@lianxin/engine';
import { sealSensitive, sealValue, sensitiveFields } from '@lianxin/spec';
import { and, asc, eq, gt } from 'drizzle-orm';
import { caseColumns } from './cases';
import type { Store } from './store';

/**
 * Seals values written before their field was marked `x-sensitive` (older
 * rows hold names and addresses in plain text): in each case whose flow
 * marks fields sensitive, every event that carries form data (`case.started`,
 * `task.completed`, `data.merged`, `data.appended`) has its plain values at
 * those fields sealed, and the case row is rebuilt from the events in the
 * same transaction (only if no transition moved it meanwhile; the next run
 * takes it), so the row stays equal to its replay. Idempotent: sealed values
 * are left alone, and a second run changes nothing. `lianxin migrate` runs it.
 */
export async function resealPlainValues(
  store: Store,
  options: { batch?: number } = {},
): Promise<{ cases: number; events: number }> {
  const { database, vault } = store;
  const t = database.t;
  const batch = options.batch ?? 200;
  const seal = (kind: Parameters<typeof sealValue>[0], plain: string) =>
    sealValue(kind, vault.encrypt(plain));
  let cases = 0;
  let events = 0;
  for (let after = ''; ; ) {
    const ids = await database.read((db) =>
      db
        .select({ id: t.cases.id })
        .from(t.cases)
        .where(gt(t.cases.id, after))
        .orderBy(asc(t.cases.id))
        .limit(batch),
    );
    for (const { id } of ids) {
      const sealed = await database
        .tx(async (tx) => {
          const [row] = await tx
            .select({
              id: t.cases.id,
              flowId: t.cases.flowId,
              flowVersion: t.cases.flowVersion,
              version: t.cases.version,
            })
            .from(t.cases)
            .where(eq(t.cases.id, id));
          if (!row) return 0;
          const definition = await store.definition(tx, row.flowId, row.flowVersion);
          // The marks of the case's own version and of the flow's latest (a county that
          // adopts a template version with marks has its older cases sealed too).
          const [flow] = await tx
            .select({ latest: t.flows.latestVersion })
            .from(t.flows)
            .where(eq(t.flows.id, row.flowId));
          const latest =
            flow && flow.latest > row.flowVersion
              ? await store.definition(tx, row.flowId, flow.latest)
              : definition;
          const schemas = [definition, latest]
            .flatMap((d) => [d.dataSchema, ...d.forms.map((f) => f.schema)])
            .filter((s) => sensitiveFields(s).length > 0);
          if (!schemas.length) return 0;
          const sealAll = (value: unknown) =>
            schemas.reduce((v, schema) => sealSensitive(schema, v, seal), value);
          const rows = await tx
            .select({ seq: t.events.seq, body: t.events.body })
            .from(t.events)
            .where(eq(t.events.caseId, row.id))
            .orderBy(asc(t.events.seq));
          let changed = 0;
          const bodies: Event[] = [];
          for (const r of rows) {
            const body = sealEvent(r.body, sealAll);
            bodies.push(body);
            if (body === r.body) continue;
            changed++;
            await tx
              .update(t.events)
              .set({ body })
              .where(and(eq(t.events.caseId, row.id), eq(t.events.seq, r.seq)));
          }
          if (!changed) return 0;
          const state = replay(definition, bodies);
          const written = await tx
            .update(t.cases)
            .set(caseColumns(state))
            .where(and(eq(t.cases.id, row.id), eq(t.cases.version, row.version)))
            .returning({ id: t.cases.id });
          // A transition wrote the case meanwhile: undo, the next run takes it.
          if (written.length !== 1) throw new Moved();
          return changed;
        })
        .catch((error) => {
          if (error instanceof Moved) return 0;
          throw error;
        });
      if (sealed) {
        cases++;
        events += sealed;
      }
    }
    after = ids.at(-1)?.id ?? after;
    if (ids.length < batch) break;
  }
  return { cases, events };
}

class Moved extends Error {}

/** The event with the form data it carries sealed (the same object when nothing changed). */
function sealEvent(event: Event, sealAll: (value: unknown) => unknown): Event {
  switch (event.type) {
    case 'case.started': {
      const data = sealAll(event.data) as typeof event.data;
      return data === event.data ? event : { ...event, data };
    }
    case 'task.completed': {
      if (event.data === undefined) return event;
      const data = sealAll(event.data) as typeof event.data;
      return data === event.data ? event : { ...event, data };
    }
    case 'data.merged': {
      const values = sealAll(event.values) as typeof event.values;
      return values === event.values ? event : { ...event, values };
    }
    case 'data.appended': {
      const value = sealAll(event.value);
      return value === event.value ? event : { ...event, value };
    }
    default:
      return event;
  }
}
