import { Typography } from 'antd';
import { tr } from '../i18n';
import { EdgePanel } from './EdgePanel';
import { FlowPanel } from './FlowPanel';
import { NodePanel } from './NodePanel';
import type { PanelProps } from './types';

export type { PanelProps } from './types';

/** Properties of the selected node or edge, or of the flow when nothing is selected. */
export function PropertyPanel(props: PanelProps) {
  const { flow, selection, lang } = props;
  const count = selection.nodes.length + selection.edges.length;
  if (count > 1) {
    return (
      <Typography.Text type="secondary">
        {tr(
          lang,
          `已选 ${count} 个元素。Ctrl+C 复制，Delete 删除。`,
          `${count} elements selected. Ctrl+C copies, Delete removes.`,
        )}
      </Typography.Text>
    );
  }
  const node = selection.nodes[0] ? flow.nodes.find((n) => n.id === selection.nodes[0]) : undefined;
  // A fresh panel per node, so no editor keeps text typed for the previous one.
  if (node) return <NodePanel key={node.id} {...props} node={node} />;
  const edge = selection.edges[0] ? flow.edges.find((e) => e.id === selection.edges[0]) : undefined;
  if (edge) return <EdgePanel key={edge.id} {...props} edge={edge} />;
  return <FlowPanel {...props} />;
}
