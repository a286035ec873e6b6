import {
  type FlowDefinition,
  type FlowEdge,
  type FlowNode,
  type Lang,
  localize,
} from '@lianxin/spec';
import { Select, Space, Typography } from 'antd';
import type { Edit } from '../../commands';
import { CommitInput } from '../../components/inputs';
import { tr } from '../../i18n';
import { formOptions } from './FormPicker';

/** The buttons of a human step (its action edges): label, style and small form of each. */
export function ActionsList({
  flow,
  lang,
  node,
  dispatch,
}: {
  flow: FlowDefinition;
  lang: Lang;
  node: FlowNode;
  dispatch: (e: Edit) => void;
}) {
  const actions = flow.edges.filter(
    (e): e is Extract<FlowEdge, { kind: 'action' }> => e.kind === 'action' && e.from === node.id,
  );
  if (!actions.length) {
    return (
      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
        {tr(
          lang,
          '从此节点拖出连线即可添加按钮。',
          'Drag a connection out of this node to add a button.',
        )}
      </Typography.Text>
    );
  }
  return (
    <>
      {actions.map((e) => {
        const target = flow.nodes.find((n) => n.id === e.to);
        return (
          <div
            key={e.id}
            style={{ border: '1px solid #f0f0f0', borderRadius: 6, padding: 8, marginBottom: 8 }}
          >
            <Space.Compact style={{ width: '100%', marginBottom: 6 }}>
              <CommitInput
                value={e.label['zh-CN']}
                data-testid={`action-label-${e.id}`}
                onCommit={(v) =>
                  v.trim() &&
                  dispatch({
                    type: 'edge.update',
                    id: e.id,
                    patch: { label: { ...e.label, 'zh-CN': v.trim() } },
                  })
                }
              />
              <Select
                style={{ width: 90 }}
                value={e.style ?? 'default'}
                options={[
                  { value: 'primary', label: tr(lang, '主要', 'Primary') },
                  { value: 'default', label: tr(lang, '普通', 'Default') },
                  { value: 'danger', label: tr(lang, '危险', 'Danger') },
                ]}
                onChange={(style) =>
                  dispatch({
                    type: 'edge.update',
                    id: e.id,
                    patch: { style: style === 'default' ? undefined : style },
                  })
                }
              />
            </Space.Compact>
            <Select
              allowClear
              size="small"
              style={{ width: '100%' }}
              placeholder={tr(
                lang,
                '按钮附带的小表单（可选）',
                'Small form for this button (optional)',
              )}
              value={e.form}
              options={formOptions(flow, lang)}
              onChange={(form) => dispatch({ type: 'edge.update', id: e.id, patch: { form } })}
            />
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              → {target ? localize(target.name, lang) : e.to}
            </Typography.Text>
          </div>
        );
      })}
    </>
  );
}
