import type { SimulatorDefinition } from '@lianxin/engine';
import { type Bilingual, type FlowDefinition, FlowNotChecked, parseFlow } from '@lianxin/spec';
import type { DesignerBackend } from './backend';
import type { SubflowResolver } from './simulation';

type SubflowRef = { key: string; version?: number };

/** The flows a simulation's subflow nodes call, fetched before it starts (the Simulator asks synchronously). */
export interface LoadedSubflows {
  resolve: SubflowResolver;
  /** How many flows were fetched and found published. */
  found: number;
  /** Subflows that were published but could not be read or run, with why. */
  problems: { ref: SubflowRef; message: Bilingual }[];
}

/**
 * As deep as the store lets a case call child cases; deeper calls are refused
 * there (case.tooDeep), so fetching further would only cost requests.
 */
const MAX_DEPTH = 8;
/** A flow calling dozens of distinct flows is a drawing mistake, not something to fetch blindly. */
const MAX_FLOWS = 40;

const refKey = (ref: SubflowRef) => `${ref.key}@${ref.version ?? ''}`;

function subflowRefs(flow: FlowDefinition): SubflowRef[] {
  return flow.nodes.flatMap((n) =>
    n.kind === 'subflow'
      ? [{ key: n.flow.key, ...(n.flow.version ? { version: n.flow.version } : {}) }]
      : [],
  );
}

/** Whether the flow has a subflow node, i.e. whether a simulation needs `loadSubflows` first. */
export function callsSubflows(flow: FlowDefinition): boolean {
  return subflowRefs(flow).length > 0;
}

/** The bilingual text of whatever a backend threw. */
function messageOf(error: unknown): Bilingual {
  const bilingual = (error as { bilingual?: Bilingual } | null)?.bilingual;
  if (bilingual?.['zh-CN']) return bilingual;
  const text = error instanceof Error ? error.message : String(error);
  return { 'zh-CN': `读取失败：${text}`, en: `could not be read: ${text}` };
}

/**
 * Fetches, from the flow's jurisdiction as a case there would find them, the
 * published flow of every subflow node, and of theirs in turn (bounded), and
 * gives the Simulator a resolver over them. A subflow with nothing published
 * is left out, so the simulation refuses it with its own message when a case
 * reaches it; a call of the flow's own key without a version runs the flow
 * being drawn, as the checker reads it.
 */
export async function loadSubflows(
  flow: FlowDefinition,
  backend: Pick<DesignerBackend, 'publishedByKey'>,
): Promise<LoadedSubflows> {
  const definitions = new Map<string, SimulatorDefinition>();
  const problems: LoadedSubflows['problems'] = [];
  const seen = new Set<string>();
  let level = subflowRefs(flow);
  let found = 0;
  for (let depth = 0; depth < MAX_DEPTH && level.length; depth++) {
    const wanted = level.filter((ref) => {
      const k = refKey(ref);
      if (seen.has(k) || seen.size >= MAX_FLOWS) return false;
      seen.add(k);
      return true;
    });
    const fetched = await Promise.all(
      wanted.map(async (ref) => {
        if (ref.key === flow.key && !ref.version) {
          const own = parseFlow(flow);
          return own.ok ? { ref, definition: own.flow } : { ref };
        }
        try {
          const published = await backend.publishedByKey(flow.jurisdiction, ref);
          if (!published) return { ref };
          const parsed = parseFlow(published);
          if (!parsed.ok) {
            return { ref, message: new FlowNotChecked(parsed.problems).bilingual };
          }
          found++;
          return { ref, definition: parsed.flow };
        } catch (error) {
          return { ref, message: messageOf(error) };
        }
      }),
    );
    level = [];
    for (const f of fetched) {
      if ('message' in f && f.message) problems.push({ ref: f.ref, message: f.message });
      if (!('definition' in f) || !f.definition) continue;
      definitions.set(refKey(f.ref), f.definition);
      level.push(...subflowRefs(f.definition));
    }
  }
  return { resolve: (ref) => definitions.get(refKey(ref)), found, problems };
}
