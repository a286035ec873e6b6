import type { FlowDefinition } from '@lianxin/spec';

export interface FlowDiff {
  nodes: { added: string[]; removed: string[]; changed: string[] };
  edges: { added: string[]; removed: string[]; changed: string[] };
  /** Case data fields (dataSchema properties). */
  fields: { added: string[]; removed: string[]; changed: string[] };
  forms: { added: string[]; removed: string[]; changed: string[] };
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

function diffById<T extends { id: string }>(
  before: readonly T[],
  after: readonly T[],
  strip: (x: T) => unknown = (x) => x,
) {
  const old = new Map(before.map((x) => [x.id, x]));
  const now = new Map(after.map((x) => [x.id, x]));
  return {
    added: after.filter((x) => !old.has(x.id)).map((x) => x.id),
    removed: before.filter((x) => !now.has(x.id)).map((x) => x.id),
    changed: after
      .filter((x) => old.has(x.id) && !same(strip(old.get(x.id) as T), strip(x)))
      .map((x) => x.id),
  };
}

/** What changed from `before` to `after`, by id. Moving a node on the canvas is not a change. */
export function diffFlows(before: FlowDefinition, after: FlowDefinition): FlowDiff {
  const props = (f: FlowDefinition) =>
    Object.entries((f.dataSchema.properties ?? {}) as Record<string, unknown>).map(([id, s]) => ({
      id,
      s,
    }));
  return {
    nodes: diffById(before.nodes, after.nodes, ({ position: _, ...rest }) => rest),
    edges: diffById(before.edges, after.edges),
    fields: diffById(props(before), props(after)),
    forms: diffById(before.forms, after.forms),
  };
}

/**
 * One flow to draw a diff on: `after` plus the nodes and edges only
 * `before` had (drawn as removed), so nothing disappears silently.
 */
export function diffCanvasFlow(before: FlowDefinition, after: FlowDefinition): FlowDefinition {
  const nodeIds = new Set(after.nodes.map((n) => n.id));
  const edgeIds = new Set(after.edges.map((e) => e.id));
  return {
    ...after,
    nodes: [...after.nodes, ...before.nodes.filter((n) => !nodeIds.has(n.id))],
    edges: [...after.edges, ...before.edges.filter((e) => !edgeIds.has(e.id))],
  };
}
