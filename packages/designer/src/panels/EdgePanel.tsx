import {
  DOCUMENT_KIND_NAMES,
  DOCUMENT_KINDS,
  type DocumentKind,
  type FlowEdge,
  localize,
} from '@lianxin/spec';
import { Form, Radio, Select, Tag, Typography } from 'antd';
import type { ElementPatch } from '../commands';
import { ConditionBuilder } from '../components/ConditionBuilder';
import { CommitInput } from '../components/inputs';
import { tr } from '../i18n';
import { EDGE_KINDS_INFO } from '../kinds';
import { formOptions } from './fields/FormPicker';
import type { PanelProps } from './types';

/** Properties of the selected edge: label, documents, and what its kind adds. */
export function EdgePanel({ flow, lang, edge, dispatch }: PanelProps & { edge: FlowEdge }) {
  const update = (patch: ElementPatch) => dispatch({ type: 'edge.update', id: edge.id, patch });
  const info = EDGE_KINDS_INFO[edge.kind];
  const name = (id: string) => {
    const n = flow.nodes.find((x) => x.id === id);
    return n ? localize(n.name, lang) : id;
  };
  return (
    <Form layout="vertical" size="small" data-testid="edge-panel">
      <div style={{ marginBottom: 12 }}>
        <Tag color={info.colour}>{localize(info.name, lang)}</Tag>
        <Typography.Text>
          {name(edge.from)} → {name(edge.to)}
        </Typography.Text>
      </div>
      <Form.Item
        label={
          edge.kind === 'action'
            ? tr(lang, '按钮文字', 'Button label')
            : tr(lang, '连线标签', 'Label')
        }
        required={edge.kind === 'action'}
      >
        <CommitInput
          value={edge.label?.['zh-CN']}
          data-testid="prop-edge-label"
          onCommit={(v) => {
            const t = v.trim();
            if (edge.kind === 'action' && !t) return;
            update({ label: t ? { ...(edge.label ?? {}), 'zh-CN': t } : undefined });
          }}
        />
      </Form.Item>
      <Form.Item label={tr(lang, '标签（英文）', 'Label (English)')}>
        <CommitInput
          value={edge.label?.en}
          onCommit={(v) =>
            edge.label &&
            update({
              label: v.trim() ? { ...edge.label, en: v.trim() } : { 'zh-CN': edge.label['zh-CN'] },
            })
          }
        />
      </Form.Item>
      <Form.Item
        label={tr(lang, '出具文书', 'Issues documents')}
        extra={tr(
          lang,
          '案件沿此连线流转时自动出具，按本辖区、种类和年度编文号',
          'Issued with the next serial number of its kind when a case takes this edge',
        )}
      >
        <Select
          mode="multiple"
          allowClear
          value={edge.documents ?? []}
          options={DOCUMENT_KINDS.map((k) => ({
            value: k,
            label: localize(DOCUMENT_KIND_NAMES[k], lang),
          }))}
          onChange={(documents: DocumentKind[]) =>
            update({ documents: documents.length ? documents : undefined })
          }
          data-testid="prop-edge-documents"
        />
      </Form.Item>
      {edge.kind === 'action' && (
        <>
          <Form.Item label={tr(lang, '按钮表单', 'Button form')}>
            <Select
              allowClear
              value={edge.form}
              options={formOptions(flow, lang)}
              onChange={(form) => update({ form })}
            />
          </Form.Item>
          <Form.Item label={tr(lang, '仅这些角色可见', 'Only these roles')}>
            <Select
              mode="multiple"
              allowClear
              value={edge.roles ?? []}
              options={flow.roles.map((r) => ({ value: r.id, label: localize(r.name, lang) }))}
              onChange={(roles: string[]) => update({ roles: roles.length ? roles : undefined })}
            />
          </Form.Item>
        </>
      )}
      {edge.kind === 'condition' && (
        <Form.Item label={tr(lang, '条件', 'Condition')}>
          <ConditionBuilder
            key={edge.id}
            value={edge.condition}
            dataSchema={flow.dataSchema}
            lang={lang}
            onChange={(condition) => update({ condition })}
          />
        </Form.Item>
      )}
      {edge.kind === 'deadline' && (
        <Form.Item label={tr(lang, '触发时机', 'When')}>
          <Radio.Group
            value={edge.on}
            onChange={(e) => update({ on: e.target.value })}
            options={[
              { value: 'warning', label: tr(lang, '临期预警时', 'On warning') },
              { value: 'overdue', label: tr(lang, '超期时', 'When overdue') },
            ]}
          />
        </Form.Item>
      )}
    </Form>
  );
}
