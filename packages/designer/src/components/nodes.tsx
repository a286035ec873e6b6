import {
  ApartmentOutlined,
  BranchesOutlined,
  CheckCircleOutlined,
  ClockCircleOutlined,
  ForkOutlined,
  MergeOutlined,
  PlayCircleOutlined,
  TeamOutlined,
  ThunderboltOutlined,
  UserOutlined,
} from '@ant-design/icons';
import type { NodeKind } from '@lianxin/spec';
import { Handle, type Node, type NodeHandle, type NodeProps, Position } from '@xyflow/react';
import { type ComponentType, createContext, memo, useContext } from 'react';
import { NODE_KINDS_INFO } from '../kinds';
import { nodeSize } from '../layout';
import { NodeLockMark } from '../panels/fields/LockBadge';

/** What a canvas node shows; everything is precomputed so the component only draws. */
export interface FlowNodeData extends Record<string, unknown> {
  kind: NodeKind;
  label: string;
  sub?: string;
  problem?: 'error' | 'warning';
  path?: 'visited' | 'current';
  diff?: 'added' | 'removed' | 'changed';
}
export type DesignerNode = Node<FlowNodeData, NodeKind>;

export const NODE_ICONS = {
  start: PlayCircleOutlined,
  task: UserOutlined,
  multiTask: TeamOutlined,
  decision: BranchesOutlined,
  parallel: ForkOutlined,
  join: MergeOutlined,
  timer: ClockCircleOutlined,
  action: ThunderboltOutlined,
  subflow: ApartmentOutlined,
  end: CheckCircleOutlined,
} satisfies Record<NodeKind, ComponentType>;

function stateClass(d: FlowNodeData, selected: boolean): string {
  let c = '';
  if (selected) c += ' lx-selected';
  if (d.problem) c += ` lx-problem-${d.problem}`;
  if (d.path) c += ` lx-path-${d.path}`;
  if (d.diff) c += ` lx-diff-${d.diff}`;
  return c;
}

const Handles = () => (
  <>
    <Handle type="target" position={Position.Top} className="lx-handle" />
    <Handle type="source" position={Position.Bottom} className="lx-handle" />
  </>
);

/** The size of a handle (designer.css draws `.lx-handle` 8px square, border included). */
const HANDLE = 8;

/**
 * Where `Handles` puts a node's handles, relative to the node, as React Flow
 * measures them: centred on the top and bottom edge of the shape's padding
 * box (designer.css: boxes are border-box; a rect has a 5px left border and
 * thin ones elsewhere, drawn 1px wide, 4px for 子流程). Given to React Flow
 * with the node's size, a large flow's off-screen nodes need not be drawn
 * once just to be measured, and edges to them still end at their handles.
 */
export function nodeHandles(kind: NodeKind): NodeHandle[] {
  const { width, height } = nodeSize(kind);
  const rect = NODE_KINDS_INFO[kind].shape === 'rect';
  const thin = !rect ? 0 : kind === 'subflow' ? 4 : 1;
  const left = rect ? 5 : 0;
  const x = left + (width - left - thin) / 2 - HANDLE / 2;
  const at = (type: 'source' | 'target'): NodeHandle => ({
    id: null,
    type,
    position: type === 'target' ? Position.Top : Position.Bottom,
    x,
    y: type === 'target' ? thin - HANDLE / 2 : height - thin - HANDLE / 2,
    width: HANDLE,
    height: HANDLE,
  });
  return [at('target'), at('source')];
}

/** True when zoomed so far out that nodes are drawn as bare shapes (no icons, no text). */
export const LodContext = createContext(false);

function LiteNode({ data, selected }: { data: FlowNodeData; selected: boolean }) {
  const info = NODE_KINDS_INFO[data.kind];
  const shape =
    info.shape === 'diamond' ? 'lx-diamond' : info.shape === 'circle' ? 'lx-circle' : 'lx-rect';
  return (
    <div
      className={`lx-node ${shape} lx-kind-${data.kind}${stateClass(data, selected)}`}
      style={{ '--lx-colour': info.colour } as React.CSSProperties}
    >
      <Handles />
      {shape !== 'lx-rect' && <span className="lx-shape" />}
    </div>
  );
}

function RectNode({ id, data, selected }: NodeProps<DesignerNode>) {
  const lod = useContext(LodContext);
  if (lod) return <LiteNode data={data} selected={selected} />;
  return <RectDetail id={id} data={data} selected={selected} />;
}

function RectDetail({ id, data, selected }: { id: string; data: FlowNodeData; selected: boolean }) {
  const info = NODE_KINDS_INFO[data.kind];
  const Icon = NODE_ICONS[data.kind];
  return (
    <div
      className={`lx-node lx-rect lx-kind-${data.kind}${stateClass(data, selected)}`}
      style={{ '--lx-colour': info.colour } as React.CSSProperties}
      data-kind={data.kind}
    >
      <Handles />
      <span className="lx-icon">
        <Icon />
      </span>
      <span className="lx-text">
        <span className="lx-label">{data.label}</span>
        {data.sub && <span className="lx-sub">{data.sub}</span>}
      </span>
      {data.kind === 'multiTask' && <span className="lx-marker">|||</span>}
      {data.kind === 'subflow' && <span className="lx-marker">⊞</span>}
      <NodeLockMark id={id} />
    </div>
  );
}

function RoundNode({ id, data, selected }: NodeProps<DesignerNode>) {
  const lod = useContext(LodContext);
  if (lod) return <LiteNode data={data} selected={selected} />;
  return <RoundDetail id={id} data={data} selected={selected} />;
}

function RoundDetail({
  id,
  data,
  selected,
}: {
  id: string;
  data: FlowNodeData;
  selected: boolean;
}) {
  const info = NODE_KINDS_INFO[data.kind];
  const Icon = NODE_ICONS[data.kind];
  const shape = info.shape === 'diamond' ? 'lx-diamond' : 'lx-circle';
  return (
    <div
      className={`lx-node ${shape} lx-kind-${data.kind}${stateClass(data, selected)}`}
      style={{ '--lx-colour': info.colour } as React.CSSProperties}
      data-kind={data.kind}
    >
      <Handles />
      <span className="lx-shape">
        <span className="lx-icon">
          <Icon />
        </span>
      </span>
      <span className="lx-caption">{data.label}</span>
      <NodeLockMark id={id} />
    </div>
  );
}

const Rect = memo(RectNode);
const Round = memo(RoundNode);

/** The canvas component of every node kind; a new kind does not compile until it is drawn. */
export const nodeTypes = {
  start: Round,
  task: Rect,
  multiTask: Rect,
  decision: Round,
  parallel: Round,
  join: Round,
  timer: Round,
  action: Rect,
  subflow: Rect,
  end: Round,
} satisfies Record<NodeKind, ComponentType<NodeProps<DesignerNode>>>;
