import { DivisionPicker } from '@lianxin/forms';
import { type Lang, localize } from '@lianxin/spec';
import { Divider, Empty, Form, Input, Typography } from 'antd';
import { CaseTitleFields } from '../components/CaseTitleFields';
import { tr } from '../i18n';
import { ClocksPanel } from './ClocksPanel';
import { CaseCommandsEditor } from './fields/CaseCommandsEditor';
import { NameFields } from './fields/NameFields';
import { RolesEditor } from './fields/RolesEditor';
import type { PanelProps } from './types';

const TYPE_NAMES: Record<string, { 'zh-CN': string; en: string }> = {
  string: { 'zh-CN': '文本', en: 'text' },
  number: { 'zh-CN': '数字', en: 'number' },
  integer: { 'zh-CN': '整数', en: 'whole number' },
  boolean: { 'zh-CN': '是/否', en: 'yes/no' },
  array: { 'zh-CN': '列表', en: 'list' },
  object: { 'zh-CN': '分组', en: 'group' },
};

/** What kind of value a case data field holds, in words (日期, 文本, 列表 …). */
function fieldTypeWords(s: { type?: unknown; format?: unknown; enum?: unknown }, lang: Lang) {
  if (s.format === 'date' || s.format === 'date-time') return tr(lang, '日期', 'date');
  if (Array.isArray(s.enum) || (s as { oneOf?: unknown }).oneOf) return tr(lang, '选项', 'choice');
  const type = Array.isArray(s.type) ? s.type.find((t) => t !== 'null') : s.type;
  const name = typeof type === 'string' ? TYPE_NAMES[type] : undefined;
  return name ? localize(name, lang) : tr(lang, '其他', 'other');
}

/** Properties of the flow itself, shown when nothing is selected. */
export function FlowPanel(props: PanelProps) {
  const { flow, lang, dispatch } = props;
  const fields = Object.entries(
    (flow.dataSchema.properties ?? {}) as Record<
      string,
      { title?: string; type?: unknown; format?: unknown; enum?: unknown }
    >,
  );
  return (
    <Form layout="vertical" size="small" data-testid="flow-panel">
      <Typography.Title level={5} style={{ marginTop: 0 }}>
        {tr(lang, '流程属性', 'Flow properties')}
      </Typography.Title>
      <NameFields
        name={flow.name}
        lang={lang}
        onCommit={(name) => dispatch({ type: 'flow.update', patch: { name } })}
      />
      <Form.Item label={tr(lang, '流程标识', 'Key')}>
        <Input value={flow.key} disabled />
      </Form.Item>
      <Form.Item label={tr(lang, '所属辖区', 'Jurisdiction')}>
        <DivisionPicker
          id="flow-jurisdiction"
          lang={lang}
          value={flow.jurisdiction}
          onChange={(code) =>
            code && dispatch({ type: 'flow.update', patch: { jurisdiction: code } })
          }
        />
      </Form.Item>
      <CaseTitleFields flow={flow} lang={lang} dispatch={dispatch} />
      <Divider plain style={{ margin: '8px 0' }}>
        {tr(lang, '角色', 'Roles')}
      </Divider>
      <RolesEditor
        flow={flow}
        lang={lang}
        onChange={(roles) => dispatch({ type: 'flow.update', patch: { roles } })}
      />
      <Divider plain style={{ margin: '12px 0 8px' }}>
        {tr(lang, '法定时限', 'Statutory clocks')}
      </Divider>
      <ClocksPanel flow={flow} lang={lang} dispatch={dispatch} />
      <Divider plain style={{ margin: '12px 0 8px' }}>
        {tr(lang, '案件级操作权限', 'Who may act on the whole case')}
      </Divider>
      <CaseCommandsEditor {...props} />
      <Divider plain style={{ margin: '12px 0 8px' }}>
        {tr(lang, '案件数据字段', 'Case data fields')}
      </Divider>
      {fields.length ? (
        fields.map(([k, s]) => (
          <div key={k} style={{ fontSize: 12, display: 'flex', justifyContent: 'space-between' }}>
            <span title={tr(lang, `字段名：${k}`, `Field name: ${k}`)}>{s.title ?? k}</span>
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {fieldTypeWords(s, lang)}
            </Typography.Text>
          </div>
        ))
      ) : (
        <Empty
          image={Empty.PRESENTED_IMAGE_SIMPLE}
          description={tr(lang, '在“表单”中添加字段', 'Add fields in Forms')}
        />
      )}
    </Form>
  );
}
