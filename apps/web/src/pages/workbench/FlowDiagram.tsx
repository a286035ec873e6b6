import type { Lang } from '@lianxin/spec';
import type React from 'react';
import { useEffect, useMemo, useRef } from 'react';
import { pick } from './api';

interface N {
  id: string;
  kind: string;
  name?: unknown;
}
interface E {
  id: string;
  from: string;
  to: string;
}

const W = 124;
const H = 40;
const GX = 36;
const GY = 18;

/**
 * A read-only layered drawing of the flow; the steps the case is at now are highlighted.
 * With `onNodeClick` the steps are buttons (the template publisher picks a step to lock
 * its parts); `selected` outlines the chosen one and `badges` marks steps with a lock.
 */
export function FlowDiagram({
  nodes,
  edges,
  current,
  visited,
  lang,
  onNodeClick,
  selected,
  badges,
}: {
  nodes: N[];
  edges: E[];
  current: Set<string>;
  visited: Set<string>;
  lang: Lang;
  onNodeClick?: (id: string) => void;
  selected?: string;
  /** A short mark drawn at a step's top right corner (e.g. a lock with a count), with its tooltip. */
  badges?: ReadonlyMap<string, { text: string; title: string }>;
}) {
  const layout = useMemo(() => {
    const depth = new Map<string, number>();
    const start = nodes.find((n) => n.kind === 'start') ?? nodes[0];
    if (!start) return { pos: new Map<string, { x: number; y: number }>(), w: 0, h: 0 };
    // Longest-path layering over a BFS that ignores back edges.
    const queue = [start.id];
    depth.set(start.id, 0);
    const seen = new Set<string>();
    while (queue.length) {
      const id = queue.shift() as string;
      if (seen.has(id)) continue;
      seen.add(id);
      for (const e of edges.filter((x) => x.from === id)) {
        if (seen.has(e.to)) continue;
        const d = (depth.get(id) ?? 0) + 1;
        if ((depth.get(e.to) ?? -1) < d) depth.set(e.to, d);
        queue.push(e.to);
      }
    }
    for (const n of nodes) if (!depth.has(n.id)) depth.set(n.id, 0);
    const cols = new Map<number, string[]>();
    for (const n of nodes) {
      const d = depth.get(n.id) ?? 0;
      cols.set(d, [...(cols.get(d) ?? []), n.id]);
    }
    const pos = new Map<string, { x: number; y: number }>();
    let rows = 0;
    for (const [d, ids] of cols) {
      ids.forEach((id, i) => {
        pos.set(id, { x: 8 + d * (W + GX), y: 8 + i * (H + GY) });
      });
      rows = Math.max(rows, ids.length);
    }
    return { pos, w: 16 + cols.size * (W + GX), h: 16 + rows * (H + GY) };
  }, [nodes, edges]);
  // A wide flow scrolls sideways: open it with the step the case is at in view.
  const box = useRef<HTMLDivElement>(null);
  const focus = [...current].map((id) => layout.pos.get(id)?.x).find((x) => x !== undefined);
  useEffect(() => {
    const el = box.current;
    if (el && focus !== undefined) el.scrollLeft = Math.max(0, focus - (el.clientWidth - W) / 2);
  }, [focus]);
  return (
    <div className="wb-diagram" data-testid="flow-diagram" ref={box}>
      <svg width={layout.w} height={layout.h} role="img" aria-label="flow">
        <defs>
          <marker
            id="wb-arrow"
            viewBox="0 0 10 10"
            refX="10"
            refY="5"
            markerWidth="6"
            markerHeight="6"
            orient="auto"
          >
            <path d="M0,0 L10,5 L0,10 z" fill="#8c8c8c" />
          </marker>
        </defs>
        {edges.map((e) => {
          const a = layout.pos.get(e.from);
          const b = layout.pos.get(e.to);
          if (!a || !b) return null;
          const back = b.x <= a.x;
          const x1 = a.x + W;
          const y1 = a.y + H / 2;
          const x2 = b.x;
          const y2 = b.y + H / 2;
          const d = back
            ? `M${a.x + W / 2},${a.y + H} C${a.x + W / 2},${a.y + H + 30} ${b.x + W / 2},${b.y + H + 30} ${b.x + W / 2},${b.y + H}`
            : `M${x1},${y1} C${x1 + GX / 2},${y1} ${x2 - GX / 2},${y2} ${x2},${y2}`;
          return (
            <path
              key={e.id}
              d={d}
              fill="none"
              stroke={back ? '#d9d9d9' : '#bfbfbf'}
              strokeDasharray={back ? '4 3' : undefined}
              markerEnd="url(#wb-arrow)"
            />
          );
        })}
        {nodes.map((n) => {
          const p = layout.pos.get(n.id);
          if (!p) return null;
          const now = current.has(n.id);
          const done = visited.has(n.id);
          const label = pick(n.name, lang) || n.id;
          const badge = badges?.get(n.id);
          const picked = selected === n.id;
          return (
            <g
              key={n.id}
              data-testid={
                now ? `diagram-current-${n.id}` : onNodeClick ? `diagram-node-${n.id}` : undefined
              }
              data-selected={onNodeClick ? String(selected === n.id) : undefined}
              {...(onNodeClick
                ? {
                    role: 'button',
                    tabIndex: 0,
                    'aria-label': label,
                    style: { cursor: 'pointer' },
                    onClick: () => onNodeClick(n.id),
                    onKeyDown: (e: React.KeyboardEvent) => {
                      if (e.key === 'Enter' || e.key === ' ') onNodeClick(n.id);
                    },
                  }
                : {})}
            >
              <title>{badge ? `${label}（${badge.title}）` : label}</title>
              <rect
                x={p.x}
                y={p.y}
                width={W}
                height={H}
                rx={n.kind === 'start' || n.kind === 'end' ? 20 : 6}
                fill={now ? '#e6f4ff' : done ? '#f6ffed' : '#fafafa'}
                stroke={picked ? '#d48806' : now ? '#1677ff' : done ? '#95de64' : '#d9d9d9'}
                strokeWidth={picked ? 3 : now ? 2.5 : 1}
              />
              <text
                x={p.x + W / 2}
                y={p.y + H / 2 + 4}
                textAnchor="middle"
                fontSize="12"
                fill={now ? '#0958d9' : '#262626'}
              >
                {label.length > 9 ? `${label.slice(0, 9)}…` : label}
              </text>
              {badge && (
                <g data-testid={`diagram-badge-${n.id}`} aria-label={badge.title}>
                  <rect
                    x={p.x + W - 30}
                    y={p.y - 8}
                    width={36}
                    height={16}
                    rx={8}
                    fill="#fff7e6"
                    stroke="#d48806"
                  />
                  <path
                    d={`M${p.x + W - 22},${p.y - 2} v-2.5 a3,3 0 0 1 6,0 v2.5`}
                    fill="none"
                    stroke="#ad6800"
                    strokeWidth={1.4}
                  />
                  <rect
                    x={p.x + W - 24}
                    y={p.y - 2}
                    width={10}
                    height={7}
                    rx={1.5}
                    fill="#ad6800"
                  />
                  <text
                    x={p.x + W - 4}
                    y={p.y + 4}
                    textAnchor="middle"
                    fontSize="11"
                    fill="#ad6800"
                  >
                    {badge.text}
                  </text>
                </g>
              )}
            </g>
          );
        })}
      </svg>
    </div>
  );
}
