import type { FlowDefinition, FlowEdge, FlowNode, FormDefinition } from '@lianxin/spec';

type Patch<T> = { [K in keyof T]?: T[K] | undefined };
/** Fields to set on a node or edge; `undefined` removes a field. Kinds differ, so any field name. */
export type ElementPatch = Record<string, unknown>;

/**
 * Every change an admin makes to a flow is one of these edits (namespaced
 * like bpmn-js commands). `applyEdit` is pure; the store records each
 * result so any edit can be undone and redone as one step.
 */
export type Edit =
  | { type: 'node.add'; node: FlowNode }
  | { type: 'node.update'; id: string; patch: ElementPatch }
  | { type: 'node.move'; positions: Record<string, { x: number; y: number }> }
  | { type: 'edge.add'; edge: FlowEdge }
  | { type: 'edge.update'; id: string; patch: ElementPatch }
  | { type: 'elements.remove'; nodes: string[]; edges: string[] }
  | { type: 'elements.paste'; nodes: FlowNode[]; edges: FlowEdge[] }
  | { type: 'flow.update'; patch: Patch<Omit<FlowDefinition, 'nodes' | 'edges' | 'forms'>> }
  | {
      type: 'form.put';
      form: FormDefinition;
      /** Case data fields this form writes (added or replaced in `dataSchema`). */
      dataSchemaProperties?: Record<string, unknown>;
      /** Case data fields no form writes any more (e.g. renamed), removed from `dataSchema`. */
      dataSchemaRemoved?: string[];
      /** The form's `definitions` / `$defs`, which its fields' `$ref`s need in `dataSchema` too. */
      dataSchemaDefinitions?: {
        definitions?: Record<string, unknown>;
        $defs?: Record<string, unknown>;
      };
    }
  | { type: 'form.remove'; id: string }
  | { type: 'flow.replace'; flow: FlowDefinition };
export type EditType = Edit['type'];

function merge<T extends object>(base: T, patch: Patch<T> | ElementPatch): T {
  const out = { ...base } as Record<string, unknown>;
  for (const [k, v] of Object.entries(patch)) {
    if (v === undefined) delete out[k];
    else out[k] = v;
  }
  return out as T;
}

/** The flow after `edit`; unchanged parts keep their identity (the canvas relies on it). */
export function applyEdit(flow: FlowDefinition, edit: Edit): FlowDefinition {
  switch (edit.type) {
    case 'node.add':
      return { ...flow, nodes: [...flow.nodes, edit.node] };
    case 'node.update': {
      const renamed = edit.patch.id !== undefined && edit.patch.id !== edit.id;
      return {
        ...flow,
        nodes: flow.nodes.map((n) => (n.id === edit.id ? merge(n, edit.patch) : n)),
        edges: renamed
          ? flow.edges.map((e) =>
              e.from === edit.id || e.to === edit.id
                ? {
                    ...e,
                    from: e.from === edit.id ? String(edit.patch.id) : e.from,
                    to: e.to === edit.id ? String(edit.patch.id) : e.to,
                  }
                : e,
            )
          : flow.edges,
      };
    }
    case 'node.move':
      return {
        ...flow,
        nodes: flow.nodes.map((n) => {
          const p = edit.positions[n.id];
          return p ? { ...n, position: { x: Math.round(p.x), y: Math.round(p.y) } } : n;
        }),
      };
    case 'edge.add':
      return { ...flow, edges: [...flow.edges, edit.edge] };
    case 'edge.update':
      // (an edge removed meanwhile: nothing changes, and undo records nothing)
      if (!flow.edges.some((e) => e.id === edit.id)) return flow;
      return {
        ...flow,
        edges: flow.edges.map((e) => (e.id === edit.id ? merge(e, edit.patch) : e)),
      };
    case 'elements.remove': {
      const nodes = new Set(edit.nodes);
      const edges = new Set(edit.edges);
      return {
        ...flow,
        nodes: flow.nodes.filter((n) => !nodes.has(n.id)),
        edges: flow.edges.filter((e) => !edges.has(e.id) && !nodes.has(e.from) && !nodes.has(e.to)),
      };
    }
    case 'elements.paste':
      return {
        ...flow,
        nodes: [...flow.nodes, ...edit.nodes],
        edges: [...flow.edges, ...edit.edges],
      };
    case 'flow.update':
      return merge(flow, edit.patch as ElementPatch);
    case 'form.put': {
      const exists = flow.forms.some((f) => f.id === edit.form.id);
      const forms = exists
        ? flow.forms.map((f) => (f.id === edit.form.id ? edit.form : f))
        : [...flow.forms, edit.form];
      if (!edit.dataSchemaProperties) return { ...flow, forms };
      const props: Record<string, unknown> = {
        ...((flow.dataSchema.properties ?? {}) as Record<string, unknown>),
      };
      for (const k of edit.dataSchemaRemoved ?? []) delete props[k];
      const defs: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(edit.dataSchemaDefinitions ?? {})) {
        const had = flow.dataSchema[k];
        defs[k] = { ...(had && typeof had === 'object' ? had : {}), ...v };
      }
      return {
        ...flow,
        forms,
        dataSchema: {
          ...flow.dataSchema,
          ...defs,
          type: 'object',
          properties: { ...props, ...edit.dataSchemaProperties },
        },
      };
    }
    case 'form.remove':
      return {
        ...flow,
        forms: flow.forms.filter((f) => f.id !== edit.id),
        nodes: flow.nodes.map((n) =>
          'form' in n && n.form === edit.id ? merge(n, { form: undefined }) : n,
        ),
      };
    case 'flow.replace':
      return edit.flow;
  }
}

/** Every id in use (nodes and edges share one id space; forms have their own). */
export function usedIds(flow: FlowDefinition): Set<string> {
  return new Set([...flow.nodes.map((n) => n.id), ...flow.edges.map((e) => e.id)]);
}

/** A fresh id with this prefix, not yet in `taken`. */
export function freshId(prefix: string, taken: ReadonlySet<string>): string {
  let n = 1;
  while (taken.has(`${prefix}${n}`)) n++;
  return `${prefix}${n}`;
}

/**
 * Copies of the given nodes (and the edges among them) with new ids and an
 * offset, ready for `elements.paste`.
 */
export function prepareCopies(
  flow: FlowDefinition,
  nodes: readonly FlowNode[],
  edges: readonly FlowEdge[],
  offset = 40,
): { nodes: FlowNode[]; edges: FlowEdge[] } {
  const taken = usedIds(flow);
  const idMap = new Map<string, string>();
  const copies: FlowNode[] = [];
  for (const n of nodes) {
    // A flow has one start node: pasting another would only add an error.
    if (n.kind === 'start' && flow.nodes.some((m) => m.kind === 'start')) continue;
    const id = freshId(n.kind === 'multiTask' ? 'multi' : n.kind, taken);
    taken.add(id);
    idMap.set(n.id, id);
    const p = n.position ?? { x: 0, y: 0 };
    copies.push({ ...structuredClone(n), id, position: { x: p.x + offset, y: p.y + offset } });
  }
  const edgeCopies: FlowEdge[] = [];
  for (const e of edges) {
    const from = idMap.get(e.from);
    const to = idMap.get(e.to);
    if (!from || !to) continue;
    const id = freshId('e', taken);
    taken.add(id);
    edgeCopies.push({ ...structuredClone(e), id, from, to });
  }
  return { nodes: copies, edges: edgeCopies };
}
