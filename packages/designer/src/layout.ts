import type { FlowDefinition, FlowEdge } from '@lianxin/spec';
import type { ElkExtendedEdge, ElkNode } from 'elkjs/lib/elk-api';
import ELK from 'elkjs/lib/elk-api';

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

/** Round nodes write their name under the shape: the layout keeps that room free. */
const CAPTION = 26;
const isRound = (kind: string) => nodeSize(kind).width < 100;

export interface Point {
  x: number;
  y: number;
}

/** How auto-layout drew one edge: its path around the nodes, and where its label sits. */
export interface EdgeRoute {
  points: Point[];
  label?: Point;
}

export interface LayoutResult {
  positions: Record<string, Point>;
  /** Edge paths routed around nodes, valid while both ends stay where the layout put them. */
  routes: Record<string, EdgeRoute>;
}

export interface LayoutOptions {
  direction?: 'DOWN' | 'RIGHT';
  /** The text each edge shows (its label), so the layout makes room for it. */
  labelOf?: (edge: FlowEdge) => string | undefined;
  /** Called with 0…1 as the work goes on. */
  onProgress?: (done: number) => void;
  /**
   * Width / height of the canvas: a long flow is wrapped into side-by-side
   * columns of about this shape, instead of one column too tall to read.
   */
  aspectRatio?: number;
}

let elk: InstanceType<typeof ELK> | undefined;

async function engine(): Promise<InstanceType<typeof ELK>> {
  if (elk) return elk;
  if (typeof Worker !== 'undefined' && typeof document !== 'undefined') {
    elk = new ELK({
      workerFactory: () =>
        new Worker(new URL('./layout.worker.ts', import.meta.url), { type: 'module' }),
    });
  } else {
    // No workers here (tests under Node): the same ELK on this thread.
    const { default: Bundled } = await import('elkjs/lib/elk.bundled.js');
    elk = new Bundled() as unknown as InstanceType<typeof ELK>;
  }
  return elk;
}

/** About how wide a label is drawn (12 px type; CJK characters about twice Latin ones). */
function labelWidth(text: string): number {
  let w = 0;
  for (const ch of text) w += (ch.codePointAt(0) ?? 0) < 0x100 ? 7 : 13;
  return Math.min(w, 220) + 14;
}

/**
 * ELK's layered layout of the flow, top to bottom (or left to right) in the
 * order the case flows, edges routed orthogonally around the nodes with room
 * for their labels. Runs in a Web Worker in the browser.
 */
export async function layoutFlow(
  flow: FlowDefinition,
  options: LayoutOptions = {},
): Promise<LayoutResult> {
  const { direction = 'DOWN', labelOf, onProgress, aspectRatio = 1.6 } = options;
  onProgress?.(0.05);
  const ids = new Set(flow.nodes.map((n) => n.id));
  const edges: ElkExtendedEdge[] = flow.edges
    .filter((e) => ids.has(e.from) && ids.has(e.to) && e.from !== e.to)
    .map((e) => {
      const text = labelOf?.(e);
      return {
        id: e.id,
        sources: [e.from],
        targets: [e.to],
        ...(text
          ? { labels: [{ id: `${e.id}:label`, text, width: labelWidth(text), height: 20 }] }
          : {}),
      };
    });
  const graph: ElkNode = {
    id: 'root',
    layoutOptions: {
      'elk.algorithm': 'layered',
      'elk.direction': direction,
      'elk.spacing.nodeNode': '60',
      'elk.layered.spacing.nodeNodeBetweenLayers': '70',
      'elk.spacing.edgeNode': '24',
      'elk.spacing.edgeEdge': '14',
      'elk.spacing.edgeLabel': '4',
      'elk.layered.spacing.edgeNodeBetweenLayers': '24',
      'elk.layered.nodePlacement.strategy': 'BRANDES_KOEPF',
      'elk.edgeRouting': 'ORTHOGONAL',
      'elk.edgeLabels.placement': 'CENTER',
      'elk.layered.edgeLabels.sideSelection': 'ALWAYS_DOWN',
      'elk.layered.crossingMinimization.strategy': 'LAYER_SWEEP',
      'elk.layered.cycleBreaking.strategy': 'DEPTH_FIRST',
      'elk.separateConnectedComponents': 'true',
      // A long chain of steps wraps into columns (rows, left to right) near the canvas's shape.
      'elk.layered.wrapping.strategy': 'MULTI_EDGE',
      'elk.aspectRatio': String(Math.min(4, Math.max(0.5, aspectRatio))),
      'elk.layered.wrapping.additionalEdgeSpacing': '24',
      'elk.padding': '[top=24,left=24,bottom=24,right=24]',
    },
    children: flow.nodes.map((n) => {
      const s = nodeSize(n.kind);
      // Round nodes: the caption under the shape is part of the box.
      return { id: n.id, width: s.width, height: s.height + (isRound(n.kind) ? CAPTION : 0) };
    }),
    edges,
  };
  onProgress?.(0.15);
  const laid = await (await engine()).layout(graph);
  onProgress?.(0.9);
  const positions: Record<string, Point> = {};
  // Whole pixels, as the designer stores positions (so a route knows its ends have not moved).
  for (const c of laid.children ?? [])
    positions[c.id] = { x: Math.round(c.x ?? 0), y: Math.round(c.y ?? 0) };
  const routes: Record<string, EdgeRoute> = {};
  for (const e of (laid.edges ?? []) as ElkExtendedEdge[]) {
    // An edge cut by wrapping comes in several sections, chained by their ids.
    const sections = e.sections ?? [];
    if (!sections.length) continue;
    const byId = new Map(sections.map((x) => [x.id, x]));
    let section = sections.find((x) => !x.incomingSections?.length) ?? sections[0];
    const points: Point[] = [];
    const seen = new Set<string>();
    while (section && !seen.has(section.id)) {
      seen.add(section.id);
      for (const p of [section.startPoint, ...(section.bendPoints ?? []), section.endPoint]) {
        const last = points[points.length - 1];
        if (!last || last.x !== p.x || last.y !== p.y) points.push({ x: p.x, y: p.y });
      }
      const next = section.outgoingSections?.[0];
      section = next ? byId.get(next) : undefined;
    }
    const l = e.labels?.[0];
    routes[e.id] = {
      points,
      ...(l && l.x !== undefined && l.y !== undefined
        ? { label: { x: l.x + (l.width ?? 0) / 2, y: l.y + (l.height ?? 0) / 2 } }
        : {}),
    };
  }
  onProgress?.(1);
  return { positions, routes };
}

/** Positions only (see {@link layoutFlow}). */
export async function autoLayout(
  flow: FlowDefinition,
  direction: 'DOWN' | 'RIGHT' = 'DOWN',
): Promise<Record<string, Point>> {
  return (await layoutFlow(flow, { direction })).positions;
}
