import type { FlowDefinition, Lang } from '@lianxin/spec';
import { Form, Select } from 'antd';
import { useState } from 'react';
import { tr } from '../../i18n';

const isObj = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** A field a step writes into the case data: a list of replies, or a text such as an outcome. */
export type CaseFieldKind = 'list' | 'text';

/** The case data's fields of this kind (inside groups too), as dotted paths with their titles. */
export function caseFields(
  dataSchema: unknown,
  kind: CaseFieldKind,
): { value: string; label: string }[] {
  const out: { value: string; label: string }[] = [];
  const walk = (schema: unknown, prefix: string, labelPrefix: string) => {
    if (!isObj(schema) || !isObj(schema.properties)) return;
    for (const [key, s] of Object.entries(schema.properties)) {
      if (!isObj(s)) continue;
      const label = labelPrefix + (typeof s.title === 'string' ? s.title : key);
      if (s.type === 'object') walk(s, `${prefix}${key}.`, `${label} · `);
      else if (kind === 'list' ? s.type === 'array' : s.type === 'string')
        out.push({ value: prefix + key, label });
    }
  };
  walk(dataSchema, '', '');
  return out;
}

/** What a new field of this kind is declared as in the case data. */
function newFieldSchema(kind: CaseFieldKind, title: string): Record<string, unknown> {
  return kind === 'list'
    ? { type: 'array', title, items: { type: 'object' } }
    : { type: 'string', title };
}

/** A name the case data can hold at its top level: letters, digits and _, not starting with a digit. */
const FIELD_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * The flow with the new field `name` declared in its case data and `patch`
 * made to node `nodeId`: one edit, so one Ctrl+Z takes back both.
 */
export function withCaseField(
  flow: FlowDefinition,
  name: string,
  kind: CaseFieldKind,
  title: string,
  nodeId: string,
  patch: Record<string, unknown>,
): FlowDefinition {
  const props = (isObj(flow.dataSchema.properties) ? flow.dataSchema.properties : {}) as Record<
    string,
    unknown
  >;
  return {
    ...flow,
    dataSchema: {
      ...flow.dataSchema,
      properties: { ...props, [name]: newFieldSchema(kind, title) },
    },
    nodes: flow.nodes.map((n) => (n.id === nodeId ? ({ ...n, ...patch } as typeof n) : n)),
  };
}

/**
 * Picks the case data field a step writes (汇总到, 结果写入字段) by the
 * field's title. A name the case data does not have can be typed: the
 * picker offers to add it as a new field (the step's name for it as its
 * title), and a name already set that the case data lacks says so, as the
 * checker does.
 */
export function CaseFieldPicker({
  flow,
  lang,
  label,
  kind,
  value,
  onPick,
  onCreate,
  onClear,
  testId,
}: {
  flow: FlowDefinition;
  lang: Lang;
  label: string;
  kind: CaseFieldKind;
  value: string | undefined;
  /** An existing field was picked. */
  onPick: (name: string) => void;
  /** A new field name was typed and chosen: the caller declares it and sets it in one edit. */
  onCreate: (name: string) => void;
  /** Present where the value may be empty. */
  onClear?: () => void;
  testId?: string;
}) {
  const [search, setSearch] = useState('');
  const options: { value: string; label: string }[] = caseFields(flow.dataSchema, kind);
  const known = (v: string) => options.some((o) => o.value === v);
  const missing = Boolean(value) && !known(value as string);
  if (value && missing)
    options.push({
      value,
      label: tr(lang, `${value}（案件数据中没有这个字段）`, `${value} (not in the case data)`),
    });
  const typed = search.trim();
  const canCreate =
    typed !== '' &&
    !options.some((o) => o.value === typed || o.label === typed) &&
    FIELD_NAME.test(typed);
  const NEW = '\u0000new';
  if (canCreate)
    options.push({
      value: NEW,
      label: tr(
        lang,
        `新建字段 “${typed}”（加入案件数据）`,
        `New field "${typed}" (added to the case data)`,
      ),
    });
  const badName =
    typed !== '' && !FIELD_NAME.test(typed) && !options.some((o) => o.label.includes(typed));
  return (
    <Form.Item
      label={label}
      {...(missing
        ? {
            validateStatus: 'warning' as const,
            help: tr(
              lang,
              `案件数据中没有字段 “${value}”：请选择已有字段，或输入新字段名后选“新建字段”`,
              `The case data has no field "${value}": pick one, or type a new name and choose New field`,
            ),
          }
        : badName
          ? {
              validateStatus: 'warning' as const,
              help: tr(
                lang,
                '新字段名只能用英文字母、数字和下划线，且不以数字开头（如 replies）',
                'A new field name uses letters, digits and _ only, not starting with a digit (e.g. replies)',
              ),
            }
          : {
              extra: tr(
                lang,
                '选择案件数据中的字段；没有合适的，可输入新字段名（英文字母、数字、下划线）新建',
                'Pick a case data field, or type a new name (letters, digits, _) to add one',
              ),
            })}
    >
      <Select
        showSearch
        allowClear={Boolean(onClear)}
        optionFilterProp="label"
        data-testid={testId}
        value={value || undefined}
        searchValue={search}
        onSearch={setSearch}
        placeholder={tr(lang, '选择或输入字段', 'Pick or type a field')}
        notFoundContent={tr(lang, '案件数据中没有匹配的字段', 'No matching case data field')}
        filterOption={(input, option) =>
          option?.value === NEW ||
          String(option?.label ?? '')
            .toLowerCase()
            .includes(input.toLowerCase()) ||
          String(option?.value ?? '')
            .toLowerCase()
            .includes(input.toLowerCase())
        }
        options={options}
        onChange={(picked?: string) => {
          setSearch('');
          if (picked === undefined) return onClear?.();
          if (picked === NEW) return onCreate(typed);
          onPick(picked);
        }}
      />
    </Form.Item>
  );
}
