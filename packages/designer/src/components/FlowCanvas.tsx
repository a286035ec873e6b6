import type { EdgeKind, FlowDefinition, FlowEdge, FlowNode, Lang, NodeKind } from '@lianxin/spec';
import { isHumanStep, localize, NODE_KINDS, parseDuration } from '@lianxin/spec';
import {
  applyEdgeChanges,
  applyNodeChanges,
  Background,
  BackgroundVariant,
  type Connection,
  ConnectionLineType,
  Controls,
  type Edge,
  type EdgeChange,
  MarkerType,
  MiniMap,
  type NodeChange,
  type OnSelectionChangeParams,
  ReactFlow,
  SelectionMode,
  useStore as useFlowStore,
  useReactFlow,
} from '@xyflow/react';
import { Modal, Radio, Tooltip } from 'antd';
import { type DragEvent, memo, useCallback, useEffect, useRef, useState } from 'react';
import type { Edit } from '../commands';
import { freshId, usedIds } from '../commands';
import { describeCondition } from '../conditions';
import { type FlowChoice, useFlowChoices } from '../flowChoices';
import { tr } from '../i18n';
import { createEdge, EDGE_KINDS_INFO, NODE_KINDS_INFO, OUTGOING_EDGE_KINDS } from '../kinds';
import { type EdgeRoute, nodeSize, type Point } from '../layout';
import type { Overlay } from '../store';
import { edgeTypes } from './edges';
import {
  type DesignerNode,
  type FlowNodeData,
  LodContext,
  NODE_ICONS,
  nodeHandles,
  nodeTypes,
} from './nodes';

const DRAG_TYPE = 'application/x-lianxin-node-kind';
const LOD_ZOOM = 0.45;

/**
 * Where a large flow opens: at a readable zoom with its start node top centre, so
 * only what is on screen is drawn (Shift+1 fits the whole flow).
 */
function openingViewport(flow: FlowDefinition, width: number) {
  const start = flow.nodes.find((n) => n.kind === 'start') ?? flow.nodes[0];
  const p = start?.position ?? { x: 0, y: 0 };
  const zoom = 0.8;
  return { x: width / 2 - (p.x + 28) * zoom, y: 40 - p.y * zoom, zoom };
}

/** The viewport that shows every node. */
export function fittedViewport(flow: FlowDefinition, width: number, height: number) {
  if (!flow.nodes.length) return { x: 0, y: 0, zoom: 1 };
  let minX = Number.POSITIVE_INFINITY;
  let minY = Number.POSITIVE_INFINITY;
  let maxX = Number.NEGATIVE_INFINITY;
  let maxY = Number.NEGATIVE_INFINITY;
  for (const n of flow.nodes) {
    const p = n.position ?? { x: 0, y: 0 };
    const s = nodeSize(n.kind);
    minX = Math.min(minX, p.x);
    minY = Math.min(minY, p.y);
    maxX = Math.max(maxX, p.x + s.width);
    maxY = Math.max(maxY, p.y + s.height + 24);
  }
  const pad = 0.2;
  const zoom = Math.min(
    1.1,
    Math.max(
      0.05,
      Math.min(width / ((maxX - minX) * (1 + pad)), height / ((maxY - minY) * (1 + pad))),
    ),
  );
  return {
    x: width / 2 - ((minX + maxX) / 2) * zoom,
    y: height / 2 - ((minY + maxY) / 2) * zoom,
    zoom,
  };
}

/** A deadline in words: 15 个工作日, 3 天 12 小时, 2 months. */
export function durationWords(duration: string, calendar: string, lang: Lang): string {
  const d = parseDuration(duration);
  if (!d) return duration;
  const working = calendar === 'workingDays';
  const parts: [number, string, string][] = [
    [d.years, '年', 'y'],
    [d.months, '个月', 'mo'],
    [d.weeks, '周', 'w'],
    [d.days, working ? '个工作日' : '天', working ? ' working days' : ' days'],
    [d.hours, '小时', 'h'],
    [d.minutes, '分钟', 'min'],
  ];
  const used = parts.filter(([n]) => n > 0);
  if (!used.length) return tr(lang, '立即', 'at once');
  return used.map(([n, zh, en]) => (lang === 'en' ? `${n}${en}` : `${n} ${zh}`)).join(' ');
}

function nodeSub(
  n: FlowNode,
  flow: FlowDefinition,
  lang: Lang,
  flows: readonly FlowChoice[] | undefined,
): string | undefined {
  if (isHumanStep(n)) {
    const role = flow.roles.find((r) => r.id === n.assignee.role);
    const who = role ? localize(role.name, lang) : n.assignee.role;
    return n.deadline
      ? `${who} · ${durationWords(n.deadline.duration, n.deadline.calendar, lang)}`
      : who;
  }
  // the called flow by its name where the published flows are known (the key otherwise)
  if (n.kind === 'subflow') return flows?.find((f) => f.key === n.flow.key)?.name ?? n.flow.key;
  if (n.kind === 'action')
    return tr(lang, `${n.operations.length} 项操作`, `${n.operations.length} operations`);
  return undefined;
}

/** The text an edge shows on the canvas (and auto-layout makes room for). */
export function edgeLabel(e: FlowEdge, flow: FlowDefinition, lang: Lang): string | undefined {
  if (e.label) return localize(e.label, lang);
  if (e.kind === 'condition') {
    return describeCondition(e.condition, flow.dataSchema, lang) ?? tr(lang, '条件', 'condition');
  }
  if (e.kind === 'default') return tr(lang, '默认', 'default');
  if (e.kind === 'deadline')
    return e.on === 'warning' ? tr(lang, '临期', 'due soon') : tr(lang, '超期', 'overdue');
  return undefined;
}

export interface CanvasProps {
  flow: FlowDefinition;
  lang: Lang;
  overlay?: Overlay;
  problems?: ReadonlyMap<string, 'error' | 'warning'>;
  readOnly?: boolean;
  /** Centre on this element when `seq` changes. */
  focus?: { id: string; seq: number } | undefined;
  onEdit?: (edit: Edit) => void;
  onSelect?: (sel: { nodes: string[]; edges: string[] }) => void;
  /** What is selected (the designer store's selection). */
  selection?: { nodes: string[]; edges: string[] };
  /**
   * Edge paths auto-layout routed around the nodes, with the node positions
   * they were routed for: an edge follows its route while both its ends stay put.
   */
  routes?: { positions: Record<string, Point>; edges: Record<string, EdgeRoute> } | undefined;
}

interface Built {
  src: FlowNode;
  key: string;
  node: DesignerNode;
}

/**
 * The flow canvas. Node objects keep their identity while their flow node
 * and highlights are unchanged, so React Flow re-renders only what changed
 * (1,000 nodes stay smooth); dragging is local until the drop, which is one
 * undoable `node.move`.
 */
export const FlowCanvas = memo(function FlowCanvas({
  flow,
  lang,
  overlay,
  problems,
  readOnly,
  focus,
  onEdit,
  onSelect,
  selection,
  routes,
}: CanvasProps) {
  const rf = useReactFlow<DesignerNode, Edge>();
  // Zoomed far out, labels are unreadable: draw nodes as plain shapes and edges without
  // labels, so a 1,000-node flow pans smoothly. Re-renders only when crossing the threshold.
  const zoomedOut = useFlowStore((st) => st.transform[2] < LOD_ZOOM);
  const cache = useRef(new Map<string, Built>());
  const [nodes, setNodes] = useState<DesignerNode[]>([]);
  // A large flow draws its canvas first and its minimap just after, so it opens sooner.
  const [miniMap, setMiniMap] = useState(flow.nodes.length <= 300);
  useEffect(() => {
    if (miniMap) return;
    const t = setTimeout(() => setMiniMap(true), 300);
    return () => clearTimeout(t);
  }, [miniMap]);
  const big = flow.nodes.length > 300;
  const [pending, setPending] = useState<{ from: string; to: string; kinds: EdgeKind[] } | null>(
    null,
  );
  const [chosenKind, setChosenKind] = useState<EdgeKind>('next');
  const flowChoices = useFlowChoices();

  useEffect(() => {
    const pathNodes = new Set(overlay?.path?.nodes);
    const current = new Set(overlay?.path?.current);
    const added = new Set(overlay?.diff?.added);
    const removed = new Set(overlay?.diff?.removed);
    const changed = new Set(overlay?.diff?.changed);
    setNodes((prev) => {
      const selected = new Set(
        selection ? selection.nodes : prev.filter((n) => n.selected).map((n) => n.id),
      );
      const next = new Map<string, Built>();
      const out = flow.nodes.map((n, i) => {
        const data: FlowNodeData = { kind: n.kind, label: localize(n.name, lang) };
        const sub = nodeSub(n, flow, lang, flowChoices);
        if (sub) data.sub = sub;
        const problem = problems?.get(n.id);
        if (problem) data.problem = problem;
        if (current.has(n.id)) data.path = 'current';
        else if (pathNodes.has(n.id)) data.path = 'visited';
        if (added.has(n.id)) data.diff = 'added';
        else if (removed.has(n.id)) data.diff = 'removed';
        else if (changed.has(n.id)) data.diff = 'changed';
        const key = `${data.sub}|${data.problem}|${data.path}|${data.diff}|${data.label}|${selected.has(n.id)}|${big}`;
        const old = cache.current.get(n.id);
        if (old && old.src === n && old.key === key) {
          next.set(n.id, old);
          return old.node;
        }
        const size = nodeSize(n.kind);
        const node: DesignerNode = {
          id: n.id,
          type: n.kind,
          position: n.position ?? { x: (i % 6) * 220, y: Math.floor(i / 6) * 120 },
          data,
          width: size.width,
          height: size.height,
          // A large flow draws only what is on screen; React Flow would still draw every node
          // once to measure it. Its size and handles are known: the rest is never drawn.
          ...(big ? { measured: size, handles: nodeHandles(n.kind) } : {}),
          selected: selected.has(n.id),
          ...(readOnly ? { draggable: false, connectable: false } : {}),
        };
        next.set(n.id, { src: n, key, node });
        return node;
      });
      cache.current = next;
      return out;
    });
  }, [flow, lang, overlay, problems, readOnly, selection, flowChoices, big]);

  const [edges, setEdges] = useState<Edge[]>([]);
  useEffect(() => {
    const pathEdges = new Set(overlay?.path?.edges);
    const added = new Set(overlay?.diff?.added);
    const removed = new Set(overlay?.diff?.removed);
    const changed = new Set(overlay?.diff?.changed);
    const selectedEdges = new Set(selection?.edges);
    const at = new Map(flow.nodes.map((n) => [n.id, n.position]));
    const stays = (id: string) => {
      const now = at.get(id);
      const then = routes?.positions[id];
      return !!now && !!then && now.x === then.x && now.y === then.y;
    };
    const built = flow.edges.map((e) => {
      const info = EDGE_KINDS_INFO[e.kind];
      let colour: string = info.colour;
      if (problems?.get(e.id) === 'error') colour = '#ff4d4f';
      if (pathEdges.has(e.id)) colour = '#52c41a';
      if (added.has(e.id)) colour = '#52c41a';
      if (removed.has(e.id)) colour = '#ff4d4f';
      if (changed.has(e.id)) colour = '#faad14';
      // Labels stay at every zoom; only a very large flow drops them zoomed far out (to pan smoothly),
      // and there its edges are only the line drawn, without the wide invisible one that catches
      // clicks: hit-testing 1,000 of those on every pointer move slowed panning.
      const sparse = zoomedOut && big;
      const label = sparse ? undefined : edgeLabel(e, flow, lang);
      const route = routes?.edges[e.id];
      const routed = route && stays(e.from) && stays(e.to);
      const thick =
        pathEdges.has(e.id) || added.has(e.id) || removed.has(e.id) || changed.has(e.id);
      return {
        id: e.id,
        source: e.from,
        target: e.to,
        type: routed ? 'routed' : 'smoothstep',
        ...(routed ? { data: { route } } : {}),
        ...(label ? { label } : {}),
        labelBgPadding: [6, 3] as [number, number],
        labelBgBorderRadius: 4,
        labelStyle: { fill: colour, fontWeight: 500 },
        style: {
          stroke: colour,
          strokeWidth: thick ? 3 : 1.6,
          ...(info.dashed || removed.has(e.id) ? { strokeDasharray: '6 4' } : {}),
        },
        markerEnd: { type: MarkerType.ArrowClosed, color: colour, width: 18, height: 18 },
        selected: selectedEdges.has(e.id),
        ...(sparse ? { interactionWidth: 0 } : {}),
        ...(readOnly ? { deletable: false, selectable: true } : {}),
      } satisfies Edge;
    });
    setEdges(built);
  }, [flow, lang, overlay, problems, readOnly, selection, zoomedOut, routes, big]);

  const onEdgesChange = useCallback((changes: EdgeChange[]) => {
    // Removal goes through onDelete as one undoable edit.
    const kept = changes.filter((c) => c.type !== 'remove');
    if (kept.length) setEdges((es) => applyEdgeChanges(kept, es));
  }, []);

  // Only a new focus request (its seq) moves the view, not every flow edit.
  // biome-ignore lint/correctness/useExhaustiveDependencies: focus.seq is the trigger
  useEffect(() => {
    if (!focus) return;
    const n = flow.nodes.find((x) => x.id === focus.id);
    const e = flow.edges.find((x) => x.id === focus.id);
    const center = (id: string) => {
      const node = rf.getNode(id);
      if (!node) return undefined;
      const s = nodeSize(node.data.kind);
      return { x: node.position.x + s.width / 2, y: node.position.y + s.height / 2 };
    };
    const at = n ? center(n.id) : e ? center(e.from) : undefined;
    const to = e ? center(e.to) : undefined;
    if (!at) return;
    const x = to ? (at.x + to.x) / 2 : at.x;
    const y = to ? (at.y + to.y) / 2 : at.y;
    void rf.setCenter(x, y, { zoom: Math.max(rf.getZoom(), 1), duration: 250 });
    setNodes((ns) =>
      ns.map((m) =>
        m.selected === (m.id === focus.id) ? m : { ...m, selected: m.id === focus.id },
      ),
    );
  }, [focus?.seq]);

  const onNodesChange = useCallback((changes: NodeChange<DesignerNode>[]) => {
    // Removal goes through onDelete as one undoable edit.
    const kept = changes.filter((c) => c.type !== 'remove');
    if (kept.length) setNodes((ns) => applyNodeChanges(kept, ns));
  }, []);

  const onNodeDragStop = useCallback(
    (_: unknown, __: DesignerNode, dragged: DesignerNode[]) => {
      onEdit?.({
        type: 'node.move',
        positions: Object.fromEntries(dragged.map((n) => [n.id, n.position])),
      });
    },
    [onEdit],
  );

  const onDelete = useCallback(
    ({ nodes: ns, edges: es }: { nodes: DesignerNode[]; edges: Edge[] }) => {
      if (!ns.length && !es.length) return;
      onEdit?.({ type: 'elements.remove', nodes: ns.map((n) => n.id), edges: es.map((e) => e.id) });
    },
    [onEdit],
  );

  const addEdge = useCallback(
    (kind: EdgeKind, from: string, to: string) => {
      const actions = flow.edges.flatMap((e) =>
        e.kind === 'action' && e.from === from ? [e.action] : [],
      );
      const id = freshId('e', usedIds(flow));
      onEdit?.({ type: 'edge.add', edge: createEdge(kind, id, from, to, { actions }) });
    },
    [flow, onEdit],
  );

  const onConnect = useCallback(
    (c: Connection) => {
      const source = flow.nodes.find((n) => n.id === c.source);
      if (!source || c.source === c.target) return;
      const kinds = [...OUTGOING_EDGE_KINDS[source.kind]] as EdgeKind[];
      if (!kinds.length) return;
      if (kinds.length === 1) {
        addEdge(kinds[0] as EdgeKind, c.source, c.target);
        return;
      }
      const out = flow.edges.filter((e) => e.from === source.id);
      const preferred: EdgeKind =
        source.kind === 'decision'
          ? out.some((e) => e.kind === 'condition') && !out.some((e) => e.kind === 'default')
            ? 'default'
            : 'condition'
          : 'action';
      setChosenKind(preferred);
      setPending({ from: c.source, to: c.target, kinds });
    },
    [flow, addEdge],
  );

  const onSelectionChange = useCallback(
    ({ nodes: ns, edges: es }: OnSelectionChangeParams) =>
      onSelect?.({ nodes: ns.map((n) => n.id), edges: es.map((e) => e.id) }),
    [onSelect],
  );

  const onDrop = useCallback(
    (ev: DragEvent) => {
      const kind = ev.dataTransfer.getData(DRAG_TYPE) as NodeKind;
      if (!kind || !(NODE_KINDS as readonly string[]).includes(kind)) return;
      ev.preventDefault();
      const p = rf.screenToFlowPosition({ x: ev.clientX, y: ev.clientY });
      const s = nodeSize(kind);
      onEdit?.(newNodeEdit(flow, kind, { x: p.x - s.width / 2, y: p.y - s.height / 2 }));
    },
    [flow, onEdit, rf],
  );

  // Opened while hidden (a tab not shown yet), the canvas fitted a 0×0 box: fit again once it
  // has a size, unless the admin has moved the view since.
  const wrap = useRef<HTMLDivElement>(null);
  const moved = useRef(false);
  useEffect(() => {
    const el = wrap.current;
    if (!el || big || typeof ResizeObserver === 'undefined') return;
    let had = el.clientWidth > 0 && el.clientHeight > 0;
    const ro = new ResizeObserver(() => {
      const has = el.clientWidth > 0 && el.clientHeight > 0;
      if (has && !had && !moved.current)
        void rf.fitView({ padding: 0.2, maxZoom: 1.1, minZoom: 0.2 });
      had = has;
    });
    ro.observe(el);
    return () => ro.disconnect();
  }, [big, rf]);

  return (
    // biome-ignore lint/a11y/noStaticElementInteractions: drop target for palette drags; keyboard users add nodes from the palette with Enter
    <div
      ref={wrap}
      className={zoomedOut ? 'lx-canvas lx-lod' : 'lx-canvas'}
      onDragOver={(e) => e.preventDefault()}
      onDrop={onDrop}
    >
      <LodContext.Provider value={zoomedOut}>
        <ReactFlow<DesignerNode, Edge>
          nodes={nodes}
          edges={edges}
          nodeTypes={nodeTypes}
          edgeTypes={edgeTypes}
          onMoveStart={(event) => {
            // A move the admin made (not a programmatic fit): keep their view.
            if (event) moved.current = true;
          }}
          onNodesChange={onNodesChange}
          onEdgesChange={onEdgesChange}
          onNodeDragStop={onNodeDragStop}
          onConnect={onConnect}
          onDelete={onDelete}
          onSelectionChange={onSelectionChange}
          nodesDraggable={!readOnly}
          nodesConnectable={!readOnly}
          // Delete / Backspace are handled by the designer's own shortcuts (one undoable edit).
          deleteKeyCode={null}
          multiSelectionKeyCode={['Meta', 'Control', 'Shift']}
          selectionMode={SelectionMode.Partial}
          connectionLineType={ConnectionLineType.SmoothStep}
          onlyRenderVisibleElements={big}
          minZoom={0.05}
          {...(big
            ? { defaultViewport: openingViewport(flow, window.innerWidth - 480) }
            : { fitView: true, fitViewOptions: { padding: 0.2, maxZoom: 1.1 } })}
          proOptions={{ hideAttribution: true }}
        >
          <Background variant={BackgroundVariant.Dots} gap={18} size={1.2} color="#d0d7e2" />
          {miniMap && (
            <MiniMap
              pannable
              zoomable
              nodeColor={(n) => NODE_KINDS_INFO[(n.data as FlowNodeData).kind].colour}
              nodeStrokeWidth={2}
              style={{ width: 180, height: 120 }}
            />
          )}
          <Controls showInteractive={false} />
        </ReactFlow>
      </LodContext.Provider>
      <Modal
        open={pending !== null}
        title={tr(lang, '选择连线类型', 'Choose the edge kind')}
        okText={tr(lang, '连接', 'Connect')}
        cancelText={tr(lang, '取消', 'Cancel')}
        onCancel={() => setPending(null)}
        onOk={() => {
          if (pending) addEdge(chosenKind, pending.from, pending.to);
          setPending(null);
        }}
        destroyOnHidden
        // A frequent, tiny dialog: no open/close animation, so the canvas is usable at once.
        transitionName=""
        maskTransitionName=""
        width={380}
      >
        <Radio.Group value={chosenKind} onChange={(e) => setChosenKind(e.target.value)}>
          {pending?.kinds.map((k) => (
            <Radio.Button key={k} value={k} data-testid={`edge-kind-${k}`}>
              {localize(EDGE_KINDS_INFO[k].name, lang)}
            </Radio.Button>
          ))}
        </Radio.Group>
      </Modal>
    </div>
  );
});

/**
 * A free spot for a new node near `want`: there, else beside it, else further
 * down, so added nodes never hide each other.
 */
export function freeSpot(
  flow: FlowDefinition,
  kind: NodeKind,
  want: { x: number; y: number },
): { x: number; y: number } {
  const size = nodeSize(kind);
  const boxes = flow.nodes.map((n) => ({ ...(n.position ?? { x: 0, y: 0 }), ...nodeSize(n.kind) }));
  const free = (x: number, y: number) =>
    boxes.every(
      (b) =>
        x + size.width + 30 <= b.x ||
        b.x + b.width + 30 <= x ||
        y + size.height + 40 <= b.y ||
        b.y + b.height + 40 <= y,
    );
  for (let row = 0; row < 40; row++) {
    for (const dx of [0, 240, -240, 480, -480]) {
      const x = want.x + dx;
      const y = want.y + row * 110;
      if (free(x, y)) return { x, y };
    }
  }
  return want;
}

/** A `node.add` for a fresh node of `kind` at `position`, named after its kind. */
export function newNodeEdit(
  flow: FlowDefinition,
  kind: NodeKind,
  position: { x: number; y: number },
): Edit {
  const taken = usedIds(flow);
  const id = freshId(kind === 'multiTask' ? 'multi' : kind, taken);
  const info = NODE_KINDS_INFO[kind];
  const same = flow.nodes.filter((n) => n.kind === kind).length;
  const zh = same ? `${info.name['zh-CN']}${same + 1}` : info.name['zh-CN'];
  const en = same ? `${info.name.en} ${same + 1}` : info.name.en;
  const node = {
    ...info.create({ firstRole: flow.roles[0]?.id }),
    id,
    name: { 'zh-CN': zh, en },
    position: { x: Math.round(position.x), y: Math.round(position.y) },
  } as FlowNode;
  return { type: 'node.add', node };
}

/** The node palette: drag a kind onto the canvas, or click to add it in view. */
export function Palette({ lang, onAdd }: { lang: Lang; onAdd: (kind: NodeKind) => void }) {
  return (
    <div className="lx-palette" data-testid="palette">
      <div className="lx-palette-title">{tr(lang, '节点（拖入画布）', 'Nodes (drag in)')}</div>
      {NODE_KINDS.map((kind) => {
        const info = NODE_KINDS_INFO[kind];
        const Icon = NODE_ICONS[kind];
        return (
          <Tooltip
            key={kind}
            title={localize(info.hint, lang)}
            placement="right"
            mouseEnterDelay={0.6}
          >
            <button
              type="button"
              className="lx-palette-item"
              style={{ '--lx-colour': info.colour } as React.CSSProperties}
              draggable
              data-testid={`palette-${kind}`}
              onDragStart={(e) => {
                e.dataTransfer.setData(DRAG_TYPE, kind);
                e.dataTransfer.effectAllowed = 'move';
              }}
              onClick={() => onAdd(kind)}
            >
              <span className={`lx-swatch ${info.shape}`}>
                <Icon />
              </span>
              {localize(info.name, lang)}
            </button>
          </Tooltip>
        );
      })}
    </div>
  );
}
