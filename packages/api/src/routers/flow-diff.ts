import { canonicalJson } from '@lianxin/store';

export interface FlowDiff {
  /** Top-level fields (name, dataSchema, roles, …) whose value changed. */
  fields: string[];
  nodes: CollectionDiff;
  edges: CollectionDiff;
  forms: CollectionDiff;
  clocks: CollectionDiff;
  identical: boolean;
}
export interface CollectionDiff {
  added: string[];
  removed: string[];
  changed: string[];
}

const COLLECTIONS = ['nodes', 'edges', 'forms', 'clocks'] as const;

function byId(value: unknown): Map<string, string> {
  const out = new Map<string, string>();
  if (!Array.isArray(value)) return out;
  value.forEach((item, i) => {
    const id = (item as { id?: unknown })?.id;
    out.set(typeof id === 'string' ? id : `#${i}`, canonicalJson(item));
  });
  return out;
}

/** A structural diff keyed by stable ids, so renaming a label shows as one change. */
export function diffFlows(a: Record<string, unknown>, b: Record<string, unknown>): FlowDiff {
  const ignore = new Set<string>([...COLLECTIONS, 'version', '$schema']);
  const keys = new Set([...Object.keys(a), ...Object.keys(b)].filter((k) => !ignore.has(k)));
  const fields = [...keys].filter((k) => canonicalJson(a[k]) !== canonicalJson(b[k])).sort();
  const result = { fields } as FlowDiff;
  let identical = fields.length === 0;
  for (const c of COLLECTIONS) {
    const from = byId(a[c]);
    const to = byId(b[c]);
    const d: CollectionDiff = {
      added: [...to.keys()].filter((k) => !from.has(k)),
      removed: [...from.keys()].filter((k) => !to.has(k)),
      changed: [...to.keys()].filter((k) => from.has(k) && from.get(k) !== to.get(k)),
    };
    if (d.added.length || d.removed.length || d.changed.length) identical = false;
    result[c] = d;
  }
  result.identical = identical;
  return result;
}
