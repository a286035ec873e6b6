import type { FlowDefinition, Lang } from '@lianxin/spec';
import { Select } from 'antd';
import { tr } from '../../i18n';

const isObj = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** The case data's list fields (inside groups too), as dotted paths with their titles: 主办部门 · 协办部门. */
export function listFields(dataSchema: unknown): { value: string; label: string }[] {
  const out: { value: string; label: string }[] = [];
  const walk = (schema: unknown, prefix: string, labelPrefix: string) => {
    if (!isObj(schema) || !isObj(schema.properties)) return;
    for (const [key, s] of Object.entries(schema.properties)) {
      if (!isObj(s)) continue;
      const label = labelPrefix + (typeof s.title === 'string' ? s.title : key);
      if (s.type === 'object') walk(s, `${prefix}${key}.`, `${label} · `);
      else if (s.type === 'array') out.push({ value: prefix + key, label });
    }
  };
  walk(dataSchema, '', '');
  return out;
}

/**
 * Picks the case data list a multi-instance task runs over, by the field's
 * title. A list the forms do not have yet (a flow drawn before its forms) is
 * named as such, so the admin sees why the checker asks for it.
 */
export function ListFieldPicker({
  flow,
  lang,
  value,
  onChange,
  testId,
}: {
  flow: FlowDefinition;
  lang: Lang;
  value: string | undefined;
  onChange: (path: string) => void;
  testId?: string;
}) {
  const options = listFields(flow.dataSchema);
  if (value && !options.some((o) => o.value === value))
    options.push({
      value,
      label: tr(lang, '表单中还没有这个列表字段', 'A list the forms do not have yet'),
    });
  return (
    <Select
      showSearch
      optionFilterProp="label"
      data-testid={testId}
      value={value}
      placeholder={tr(lang, '选择表单中的多选或列表字段', 'Pick a multi-choice or list field')}
      notFoundContent={tr(
        lang,
        '表单中还没有多选或列表字段',
        'The forms have no multi-choice or list field yet',
      )}
      options={options}
      onChange={(path: string) => onChange(path)}
    />
  );
}
