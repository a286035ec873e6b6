import type { FlowDefinition } from '@lianxin/spec';

// One diff for the designer and the server: spec's (by stable id, key-order insensitive).
export {
  type DescribedFlowChange,
  describeFlowDiff,
  diffFlows,
  type FlowDiff,
} from '@lianxin/spec';

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
