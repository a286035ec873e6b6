import { type FlowDefinition, type Lang, localize } from '@lianxin/spec';
import { Select } from 'antd';

/** The flow's forms by title. */
export function formOptions(flow: FlowDefinition, lang: Lang) {
  return flow.forms.map((f) => ({ value: f.id, label: localize(f.title, lang) }));
}

/** Picks one of the flow's forms by its title (or none). */
export function FormPicker({
  flow,
  lang,
  value,
  onChange,
  ...rest
}: {
  flow: FlowDefinition;
  lang: Lang;
  value: string | undefined;
  onChange: (form: string | undefined) => void;
  'data-testid'?: string;
  placeholder?: string;
  size?: 'small' | 'middle';
}) {
  return (
    <Select
      allowClear
      {...rest}
      value={value}
      options={formOptions(flow, lang)}
      onChange={(form?: string) => onChange(form)}
    />
  );
}
