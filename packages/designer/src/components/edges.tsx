import { BaseEdge, type Edge, type EdgeProps, SmoothStepEdge } from '@xyflow/react';
import { memo } from 'react';
import type { EdgeRoute, Point } from '../layout';

export type RoutedEdgeData = { route?: EdgeRoute } & Record<string, unknown>;
export type RoutedEdge = Edge<RoutedEdgeData, 'routed'>;

/** A polyline through `points` with rounded corners (radius `r`, smaller on short legs). */
export function roundedPath(points: readonly Point[], r = 8): string {
  if (points.length < 2) return '';
  const [first] = points as [Point];
  let d = `M ${first.x} ${first.y}`;
  for (let i = 1; i < points.length - 1; i++) {
    const a = points[i - 1] as Point;
    const b = points[i] as Point;
    const c = points[i + 1] as Point;
    const inLen = Math.hypot(b.x - a.x, b.y - a.y);
    const outLen = Math.hypot(c.x - b.x, c.y - b.y);
    const k = Math.min(r, inLen / 2, outLen / 2);
    if (k < 0.5) {
      d += ` L ${b.x} ${b.y}`;
      continue;
    }
    const p1 = { x: b.x - ((b.x - a.x) / inLen) * k, y: b.y - ((b.y - a.y) / inLen) * k };
    const p2 = { x: b.x + ((c.x - b.x) / outLen) * k, y: b.y + ((c.y - b.y) / outLen) * k };
    d += ` L ${p1.x} ${p1.y} Q ${b.x} ${b.y} ${p2.x} ${p2.y}`;
  }
  const last = points[points.length - 1] as Point;
  return `${d} L ${last.x} ${last.y}`;
}

/** The middle of the longest leg: where a label of a route without one reads best. */
function midOfLongest(points: readonly Point[]): Point {
  let best = { len: -1, at: points[0] as Point };
  for (let i = 1; i < points.length; i++) {
    const a = points[i - 1] as Point;
    const b = points[i] as Point;
    const len = Math.hypot(b.x - a.x, b.y - a.y);
    if (len > best.len) best = { len, at: { x: (a.x + b.x) / 2, y: (a.y + b.y) / 2 } };
  }
  return best.at;
}

/**
 * An edge drawn along the path auto-layout routed around the nodes (with
 * its label where the layout made room); a smooth step between the handles
 * once either end has moved.
 */
function RoutedEdgeComponent(props: EdgeProps<RoutedEdge>) {
  const route = props.data?.route;
  if (!route || route.points.length < 2) return <SmoothStepEdge {...props} />;
  const label = route.label ?? midOfLongest(route.points);
  return (
    <BaseEdge
      id={props.id}
      path={roundedPath(route.points)}
      {...(props.markerEnd ? { markerEnd: props.markerEnd } : {})}
      {...(props.style ? { style: props.style } : {})}
      {...(props.interactionWidth !== undefined
        ? { interactionWidth: props.interactionWidth }
        : {})}
      label={props.label}
      labelX={label.x}
      labelY={label.y}
      {...(props.labelStyle ? { labelStyle: props.labelStyle } : {})}
      {...(props.labelShowBg !== undefined ? { labelShowBg: props.labelShowBg } : {})}
      {...(props.labelBgStyle ? { labelBgStyle: props.labelBgStyle } : {})}
      {...(props.labelBgPadding ? { labelBgPadding: props.labelBgPadding } : {})}
      {...(props.labelBgBorderRadius !== undefined
        ? { labelBgBorderRadius: props.labelBgBorderRadius }
        : {})}
    />
  );
}

export const edgeTypes = { routed: memo(RoutedEdgeComponent) };
