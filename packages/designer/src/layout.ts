import type { FlowDefinition } from '@lianxin/spec';
import ELK from 'elkjs/lib/elk.bundled.js';

/** Drawn sizes of nodes by kind, shared by the canvas and the layout. */
export function nodeSize(kind: string): { width: number; height: number } {
  switch (kind) {
    case 'start':
    case 'end':
    case 'timer':
      return { width: 56, height: 56 };
    case 'decision':
    case 'parallel':
    case 'join':
      return { width: 64, height: 64 };
    default:
      return { width: 180, height: 56 };
  }
}

let elk: InstanceType<typeof ELK> | undefined;

/**
 * Positions for every node from ELK's layered layout, top to bottom in the
 * order the case flows. Deadline edges (escalations) do not shape the layers.
 */
export async function autoLayout(
  flow: FlowDefinition,
  direction: 'DOWN' | 'RIGHT' = 'DOWN',
): Promise<Record<string, { x: number; y: number }>> {
  elk ??= new ELK();
  const graph = await elk.layout({
    id: 'root',
    layoutOptions: {
      'elk.algorithm': 'layered',
      'elk.direction': direction,
      'elk.spacing.nodeNode': '56',
      'elk.layered.spacing.nodeNodeBetweenLayers': '88',
      'elk.layered.nodePlacement.strategy': 'BRANDES_KOEPF',
      'elk.edgeRouting': 'ORTHOGONAL',
    },
    children: flow.nodes.map((n) => ({ id: n.id, ...nodeSize(n.kind) })),
    edges: flow.edges
      .filter((e) => e.kind !== 'deadline')
      .map((e) => ({ id: e.id, sources: [e.from], targets: [e.to] })),
  });
  const out: Record<string, { x: number; y: number }> = {};
  for (const c of graph.children ?? []) out[c.id] = { x: c.x ?? 0, y: c.y ?? 0 };
  return out;
}
