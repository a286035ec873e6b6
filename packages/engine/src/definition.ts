import type {
  FlowDefinition,
  FlowEdge,
  FlowNode,
  JurisdictionLevel,
  NodeOfKind,
} from '@lianxin/spec';

type StartNode = NodeOfKind<'start'>;
export type ActionEdge = Extract<FlowEdge, { kind: 'action' }>;

type FormDef = FlowDefinition['forms'][number];

/** Lookups over one flow definition, built once per definition object. */
export interface FlowIndex {
  nodes: Map<string, FlowNode>;
  outgoing: Map<string, FlowEdge[]>;
  incoming: Map<string, FlowEdge[]>;
  forms: Map<string, FormDef>;
  start: StartNode | undefined;
  /** Nodes reachable forward from a node (memoised). */
  forwardReach: Map<string, Set<string>>;
  /** Nodes from which a join is reachable (traversal stops at the join). */
  reachesJoin: Map<string, Set<string>>;
}

const cache = new WeakMap<FlowDefinition, FlowIndex>();

/** The index of a definition (cached by object identity). */
export function indexFlow(def: FlowDefinition): FlowIndex {
  let ix = cache.get(def);
  if (ix) return ix;
  const nodes = new Map(def.nodes.map((n) => [n.id, n] as const));
  const outgoing = new Map<string, FlowEdge[]>();
  const incoming = new Map<string, FlowEdge[]>();
  for (const e of def.edges) {
    outgoing.set(e.from, [...(outgoing.get(e.from) ?? []), e]);
    incoming.set(e.to, [...(incoming.get(e.to) ?? []), e]);
  }
  ix = {
    nodes,
    outgoing,
    incoming,
    forms: new Map(def.forms.map((f) => [f.id, f] as const)),
    start: def.nodes.find((n): n is StartNode => n.kind === 'start'),
    forwardReach: new Map(),
    reachesJoin: new Map(),
  };
  cache.set(def, ix);
  return ix;
}

/**
 * Every node reachable forward from `from` (itself included): the work a
 * return (退回) to `from` will redo.
 */
export function forwardReach(ix: FlowIndex, from: string): Set<string> {
  let seen = ix.forwardReach.get(from);
  if (seen) return seen;
  seen = new Set<string>();
  const stack = [from];
  while (stack.length) {
    const id = stack.pop() as string;
    if (seen.has(id)) continue;
    seen.add(id);
    for (const e of ix.outgoing.get(id) ?? []) stack.push(e.to);
  }
  ix.forwardReach.set(from, seen);
  return seen;
}

/** Nodes from which `join` can be reached (backwards search stopping at `join`). */
export function nodesReaching(ix: FlowIndex, join: string): Set<string> {
  let seen = ix.reachesJoin.get(join);
  if (seen) return seen;
  seen = new Set<string>();
  const stack = (ix.incoming.get(join) ?? []).map((e) => e.from);
  while (stack.length) {
    const id = stack.pop() as string;
    if (seen.has(id) || id === join) continue;
    seen.add(id);
    for (const e of ix.incoming.get(id) ?? []) stack.push(e.from);
  }
  ix.reachesJoin.set(join, seen);
  return seen;
}

export function actionEdges(ix: FlowIndex, node: string): ActionEdge[] {
  return (ix.outgoing.get(node) ?? []).filter((e): e is ActionEdge => e.kind === 'action');
}

/**
 * The jurisdiction at a level above a GB/T 2260 county code: province = first
 * 2 digits + 0000, city = first 4 + 00. Town and village are below the 6-digit
 * code, so they keep the case's own code.
 */
export function jurisdictionAt(code: string, level: JurisdictionLevel | undefined): string {
  if (level === 'province') return `${code.slice(0, 2)}0000`;
  if (level === 'city') return `${code.slice(0, 4)}00`;
  return code;
}
