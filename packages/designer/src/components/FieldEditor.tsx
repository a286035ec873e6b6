import { type Lang, localize, SENSITIVE_KINDS, schemaCompileProblem } from '@lianxin/spec';
import { Alert, Button, Form, Input, InputNumber, Select, Space, Switch, Typography } from 'antd';
import { useState } from 'react';
import {
  type ChoiceOption,
  defaultSensitiveKind,
  type FieldModel,
  keptParts,
  SENSITIVE_FIELD_TYPES,
  SENSITIVE_KIND_NAMES,
} from '../formModel';
import { tr } from '../i18n';
import { CommitInput, CommitTextArea } from './inputs';

type Json = Record<string, unknown>;

const without = <K extends keyof FieldModel>(f: FieldModel, ...keys: K[]): FieldModel => {
  const out = { ...f };
  for (const k of keys) delete out[k];
  return out;
};
/** Sets or (for undefined) removes one property of the field. */
const setProp = <K extends keyof FieldModel>(f: FieldModel, k: K, v: FieldModel[K] | undefined) =>
  v === undefined ? without(f, k) : { ...f, [k]: v };

const PLACEHOLDER_TYPES = new Set([
  'text',
  'textarea',
  'number',
  'money',
  'idCard',
  'mobile',
  'department',
  'member',
]);
const COMMON_EXTENSIONS = ['pdf', 'jpg', 'jpeg', 'png', 'doc', 'docx', 'xls', 'xlsx', 'mp3', 'mp4'];

/** One editor entry, shown for the field kinds it applies to (form-js's `isDefaultVisible`). */
interface Entry {
  id: string;
  isVisible: (f: FieldModel) => boolean;
  render: (p: EntryProps) => React.ReactNode;
}
interface EntryProps {
  field: FieldModel;
  lang: Lang;
  onChange: (f: FieldModel) => void;
}

function NumberEntry({
  label,
  value,
  onChange,
  testId,
  min,
  step,
  lang,
}: {
  label: string;
  value: number | undefined;
  onChange: (v: number | undefined) => void;
  testId: string;
  min?: number;
  step?: number;
  lang: Lang;
}) {
  return (
    <Form.Item label={label}>
      <InputNumber
        data-testid={testId}
        style={{ width: '100%' }}
        value={value ?? null}
        {...(min !== undefined ? { min } : {})}
        {...(step !== undefined ? { step } : {})}
        placeholder={tr(lang, '不限', 'No limit')}
        onChange={(v) => onChange(typeof v === 'number' ? v : undefined)}
      />
    </Form.Item>
  );
}

/** One option per line: `显示文字`, or `值=显示文字` when the stored value differs. */
export function optionsText(options: readonly ChoiceOption[]): string {
  return options
    .map((o) =>
      o.label === undefined || o.label === String(o.value)
        ? String(o.value)
        : `${o.value}=${o.label}`,
    )
    .join('\n');
}

/** Reads option lines back; numbers for a number choice. Says which line is wrong. */
export function parseOptions(
  text: string,
  numeric: boolean,
  lang: Lang,
): { options: ChoiceOption[] } | { error: string } {
  const options: ChoiceOption[] = [];
  const lines = text.split('\n').map((l) => l.trim());
  for (const [i, line] of lines.entries()) {
    if (!line) continue;
    const eq = line.indexOf('=');
    const rawValue = (eq === -1 ? line : line.slice(0, eq)).trim();
    const label = eq === -1 ? undefined : line.slice(eq + 1).trim();
    const value = numeric ? Number(rawValue) : rawValue;
    const at = tr(lang, `第 ${i + 1} 行`, `Line ${i + 1}`);
    if (rawValue === '' || (numeric && !Number.isFinite(value)))
      return {
        error: `${at}${tr(lang, numeric ? '的值必须是数字' : '没有值', numeric ? ': the value must be a number' : ': no value')}`,
      };
    if (options.some((o) => o.value === value))
      return {
        error: `${at}${tr(lang, `的值 “${rawValue}” 重复`, `: the value "${rawValue}" is repeated`)}`,
      };
    options.push(label && label !== rawValue ? { value, label } : { value });
  }
  if (!options.length)
    return { error: tr(lang, '至少要有一个选项', 'At least one option is needed') };
  return { options };
}

function OptionsEntry({ field, lang, onChange }: EntryProps) {
  const numeric = field.valueType !== undefined;
  const [error, setError] = useState<string>();
  return (
    <Form.Item
      label={tr(lang, '选项（每行一个）', 'Options (one per line)')}
      validateStatus={error ? 'error' : ''}
      help={error}
      extra={tr(
        lang,
        '写入案件数据的值与显示文字不同时，写成 值=显示文字，如 visit=来访',
        'When the stored value differs from the label, write value=label, e.g. visit=Visit',
      )}
    >
      <CommitTextArea
        id="field-options"
        rows={4}
        value={optionsText(field.options ?? [])}
        onCommit={(text) => {
          const read = parseOptions(text, numeric, lang);
          if ('error' in read) {
            setError(read.error);
            return;
          }
          setError(undefined);
          onChange({ ...field, options: read.options });
        }}
      />
    </Form.Item>
  );
}

function DefaultEntry({ field, lang, onChange }: EntryProps) {
  const label = tr(lang, '默认值', 'Default value');
  const set = (v: unknown) => onChange(setProp(field, 'default', v));
  if (field.type === 'boolean') {
    return (
      <Form.Item label={label}>
        <Select
          data-testid="field-default"
          allowClear
          placeholder={tr(lang, '无', 'None')}
          value={field.default === undefined ? undefined : String(field.default)}
          options={[
            { value: 'true', label: tr(lang, '是', 'Yes') },
            { value: 'false', label: tr(lang, '否', 'No') },
          ]}
          onChange={(v?: string) => set(v === undefined ? undefined : v === 'true')}
        />
      </Form.Item>
    );
  }
  if (field.type === 'select') {
    return (
      <Form.Item label={label}>
        <Select
          data-testid="field-default"
          allowClear
          placeholder={tr(lang, '无', 'None')}
          value={field.default === undefined ? undefined : String(field.default)}
          options={(field.options ?? []).map((o) => ({
            value: String(o.value),
            label: o.label ?? String(o.value),
          }))}
          onChange={(v?: string) =>
            set((field.options ?? []).find((o) => String(o.value) === v)?.value)
          }
        />
      </Form.Item>
    );
  }
  if (field.type === 'number' || field.type === 'money') {
    return (
      <NumberEntry
        lang={lang}
        label={label}
        testId="field-default"
        value={typeof field.default === 'number' ? field.default : undefined}
        onChange={set}
      />
    );
  }
  return (
    <Form.Item label={label}>
      <CommitInput
        data-testid="field-default"
        value={typeof field.default === 'string' ? field.default : ''}
        placeholder={field.type === 'date' ? 'YYYY-MM-DD' : tr(lang, '无', 'None')}
        onCommit={(v) => set(v === '' ? undefined : v)}
      />
    </Form.Item>
  );
}

function PatternEntry({ field, lang, onChange }: EntryProps) {
  const [error, setError] = useState<string>();
  return (
    <>
      <Form.Item
        label={tr(lang, '格式（正则表达式）', 'Pattern (regular expression)')}
        validateStatus={error ? 'error' : ''}
        help={error}
        extra={tr(lang, '例：^\\d{6}$ 为 6 位数字', 'e.g. ^\\d{6}$ for six digits')}
      >
        <CommitInput
          data-testid="field-pattern"
          value={field.pattern ?? ''}
          onCommit={(v) => {
            if (v) {
              try {
                new RegExp(v, 'u');
              } catch (e) {
                setError(
                  `${tr(lang, '不是有效的正则表达式：', 'Not a valid regular expression: ')}${(e as Error).message}`,
                );
                return;
              }
            }
            setError(undefined);
            onChange(setProp(field, 'pattern', v || undefined));
          }}
        />
      </Form.Item>
      {field.pattern && (
        <Form.Item label={tr(lang, '不符合格式时的提示', 'Message when it does not match')}>
          <CommitInput
            data-testid="field-pattern-message"
            value={field.patternMessage ?? ''}
            placeholder={tr(lang, '如：请输入 6 位邮政编码', 'e.g. Enter a 6-digit postcode')}
            onCommit={(v) => onChange(setProp(field, 'patternMessage', v.trim() || undefined))}
          />
        </Form.Item>
      )}
    </>
  );
}

/** Edits a JSON field's own schema and uiSchema entry; refuses, located, what ajv cannot compile. */
function JsonEntry({ field, lang, onChange, definitions }: EntryProps & { definitions: Json }) {
  const [text, setText] = useState(() =>
    JSON.stringify({ schema: field.schema, ...(field.ui ? { uiSchema: field.ui } : {}) }, null, 2),
  );
  const [error, setError] = useState<string>();
  const apply = () => {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (e) {
      setError(`${tr(lang, 'JSON 格式错误：', 'Invalid JSON: ')}${(e as Error).message}`);
      return;
    }
    const p = parsed as { schema?: unknown; uiSchema?: unknown };
    if (typeof p !== 'object' || p === null || p.schema === undefined) {
      setError(
        tr(lang, '须写成 {"schema": …, "uiSchema": …}', 'Write {"schema": …, "uiSchema": …}'),
      );
      return;
    }
    const bad = schemaCompileProblem({
      type: 'object',
      properties: { [field.key]: p.schema },
      ...definitions,
    });
    if (bad) {
      const at = bad.pointer.replace(`/properties/${field.key}`, '/schema') || '/';
      setError(`${at}：${localize(bad.message, lang)}`);
      return;
    }
    setError(undefined);
    const next: FieldModel = { ...without(field, 'ui'), schema: p.schema as Json };
    if (p.uiSchema !== undefined) next.ui = p.uiSchema as Json;
    const title = (p.schema as Json).title;
    next.title = typeof title === 'string' ? title : field.key;
    onChange(next);
  };
  return (
    <Form.Item
      label={tr(lang, '字段的 JSON Schema 与 uiSchema', 'The field’s JSON Schema and uiSchema')}
      validateStatus={error ? 'error' : ''}
      help={error}
      extra={tr(
        lang,
        '此字段用到了生成器不能可视化编辑的设置，已原样保留；可在此直接修改。',
        'This field uses settings the builder cannot edit visually; they are kept as written and can be edited here.',
      )}
    >
      <Input.TextArea
        data-testid="field-json"
        value={text}
        onChange={(e) => setText(e.target.value)}
        autoSize={{ minRows: 4, maxRows: 16 }}
        style={{ fontFamily: 'monospace', fontSize: 12 }}
      />
      <Button size="small" style={{ marginTop: 4 }} onClick={apply} data-testid="field-json-apply">
        {tr(lang, '校验并应用', 'Validate and apply')}
      </Button>
    </Form.Item>
  );
}

const isText = (f: FieldModel) => f.type === 'text' || f.type === 'textarea';
const isNumeric = (f: FieldModel) => f.type === 'number' || f.type === 'money';

/** The entries of the field panel, in order; each decides for which kinds it shows. */
const ENTRIES: Entry[] = [
  {
    id: 'placeholder',
    isVisible: (f) => PLACEHOLDER_TYPES.has(f.type),
    render: ({ field, lang, onChange }) => (
      <Form.Item label={tr(lang, '占位提示', 'Placeholder')}>
        <CommitInput
          data-testid="field-placeholder"
          value={field.placeholder ?? ''}
          onCommit={(v) => onChange(setProp(field, 'placeholder', v.trim() || undefined))}
        />
      </Form.Item>
    ),
  },
  {
    id: 'default',
    isVisible: (f) => isText(f) || isNumeric(f) || ['date', 'boolean', 'select'].includes(f.type),
    render: (p) => <DefaultEntry {...p} />,
  },
  {
    id: 'range',
    isVisible: isNumeric,
    render: ({ field, lang, onChange }) => (
      <Space style={{ display: 'flex' }} align="start">
        <NumberEntry
          lang={lang}
          label={tr(lang, '最小值', 'Minimum')}
          testId="field-minimum"
          value={field.minimum}
          onChange={(v) => onChange(setProp(field, 'minimum', v))}
        />
        <NumberEntry
          lang={lang}
          label={tr(lang, '最大值', 'Maximum')}
          testId="field-maximum"
          value={field.maximum}
          onChange={(v) => onChange(setProp(field, 'maximum', v))}
        />
      </Space>
    ),
  },
  {
    id: 'maxLength',
    isVisible: isText,
    render: ({ field, lang, onChange }) => (
      <NumberEntry
        lang={lang}
        label={tr(lang, '最多字数', 'Maximum length')}
        testId="field-max-length"
        min={1}
        value={field.maxLength}
        onChange={(v) => onChange(setProp(field, 'maxLength', v))}
      />
    ),
  },
  { id: 'pattern', isVisible: (f) => f.type === 'text', render: (p) => <PatternEntry {...p} /> },
  {
    id: 'options',
    isVisible: (f) => f.type === 'select' || f.type === 'multiselect',
    render: (p) => <OptionsEntry {...p} />,
  },
  {
    id: 'attachments',
    isVisible: (f) => f.type === 'attachments',
    render: ({ field, lang, onChange }) => (
      <>
        <Form.Item
          label={tr(lang, '允许的文件类型', 'Allowed file types')}
          extra={tr(lang, '留空为不限', 'Empty: any type')}
        >
          <Select
            mode="tags"
            data-testid="field-accept"
            value={field.accept ?? []}
            options={COMMON_EXTENSIONS.map((e) => ({ value: e, label: `.${e}` }))}
            onChange={(v: string[]) => {
              const exts = [
                ...new Set(v.map((e) => e.trim().replace(/^\./, '').toLowerCase())),
              ].filter((e) => /^[a-z0-9]{1,10}$/.test(e));
              onChange(setProp(field, 'accept', exts.length ? exts : undefined));
            }}
          />
        </Form.Item>
        <NumberEntry
          lang={lang}
          label={tr(lang, '单个文件最大（MB）', 'Largest file (MB)')}
          testId="field-max-size"
          min={0.1}
          value={field.maxSizeMB}
          onChange={(v) => onChange(setProp(field, 'maxSizeMB', v))}
        />
      </>
    ),
  },
];

export function FieldEditor({
  field,
  all,
  lang,
  definitions,
  onChange,
}: {
  field: FieldModel;
  /** The fields of the form (top level). */
  all: FieldModel[];
  lang: Lang;
  /** The form's `definitions` / `$defs`, which a JSON field's `$ref` may use. */
  definitions: Json;
  onChange: (f: FieldModel) => void;
}) {
  const [keyError, setKeyError] = useState<string>();
  const topLevel = all.some((f) => f.key === field.key);
  const triggers = all.filter(
    (f) => f.key !== field.key && (f.type === 'select' || f.type === 'boolean'),
  );
  const trigger = field.visibleWhen && all.find((f) => f.key === field.visibleWhen?.field);
  const kept = keptParts(field);
  const props = { field, lang, onChange };
  return (
    <Form layout="vertical" size="small" data-testid="field-editor" style={{ marginTop: 12 }}>
      <Form.Item label={tr(lang, '标题', 'Title')} required>
        <CommitInput
          value={field.title}
          data-testid="field-title"
          onCommit={(title) => {
            if (!title.trim()) return;
            const next = without(field, 'untitled');
            if (field.type === 'json') {
              onChange({
                ...next,
                title: title.trim(),
                schema: { ...field.schema, title: title.trim() },
              });
            } else onChange({ ...next, title: title.trim() });
          }}
        />
      </Form.Item>
      <Form.Item
        label={tr(lang, '字段标识（写入案件数据）', 'Key (in case data)')}
        validateStatus={keyError ? 'error' : ''}
        help={keyError}
      >
        <CommitInput
          value={field.key}
          data-testid="field-key"
          onCommit={(key) => {
            // `__proto__` is no name a JSON object can hold as its own (the field would vanish).
            if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(key) || key === '__proto__') {
              setKeyError(
                tr(
                  lang,
                  '以字母开头，只含字母、数字、下划线',
                  'Letters, digits and _, starting with a letter',
                ),
              );
              return;
            }
            const taken = (list: readonly FieldModel[]): boolean =>
              list.some((f) => f.key === key || (f.fields ? taken(f.fields) : false));
            if (taken(all)) {
              setKeyError(tr(lang, '该标识已被使用', 'Key already used'));
              return;
            }
            setKeyError(undefined);
            onChange({ ...field, key });
          }}
        />
      </Form.Item>
      {field.type !== 'section' && (
        <Form.Item label={tr(lang, '必填', 'Required')}>
          <Switch
            checked={field.required}
            data-testid="field-required"
            onChange={(required) => onChange({ ...field, required })}
          />
        </Form.Item>
      )}
      {SENSITIVE_FIELD_TYPES.has(field.type) && (
        <Form.Item
          label={tr(lang, '敏感信息', 'Sensitive')}
          extra={tr(
            lang,
            '加密保存；无需知悉的人员看到的是遮盖后的内容，不能用于条件判断',
            'Stored encrypted; shown masked to who need not see it; cannot drive conditions',
          )}
        >
          <Space>
            <Switch
              checked={field.sensitive !== undefined}
              data-testid="field-sensitive"
              onChange={(on) =>
                onChange(
                  on
                    ? { ...field, sensitive: defaultSensitiveKind(field.type) }
                    : without(field, 'sensitive'),
                )
              }
            />
            {field.sensitive && (
              <Select
                size="small"
                style={{ width: 150 }}
                data-testid="field-sensitive-kind"
                value={field.sensitive}
                options={SENSITIVE_KINDS.map((k) => ({
                  value: k,
                  label: localize(SENSITIVE_KIND_NAMES[k], lang),
                }))}
                onChange={(sensitive) => onChange({ ...field, sensitive })}
              />
            )}
          </Space>
        </Form.Item>
      )}
      {field.type !== 'json' && (
        <Form.Item label={tr(lang, '帮助文字', 'Help text')}>
          <CommitInput
            value={field.help}
            onCommit={(help) => onChange(setProp(field, 'help', help.trim() || undefined))}
          />
        </Form.Item>
      )}
      {ENTRIES.filter((e) => e.isVisible(field)).map((e) => (
        <div key={e.id}>{e.render(props)}</div>
      ))}
      {field.type === 'json' && (
        <JsonEntry key={JSON.stringify(field.schema)} {...props} definitions={definitions} />
      )}
      {kept && (
        <Alert
          type="info"
          showIcon
          style={{ marginBottom: 12 }}
          data-testid="field-kept"
          message={tr(lang, '原样保留的设置', 'Kept as written')}
          description={
            <>
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                {tr(
                  lang,
                  '以下设置生成器不能可视化编辑，保存时原样保留；要修改请用“编辑 JSON”。',
                  'The builder cannot edit these settings visually and keeps them as written; change them in Edit JSON.',
                )}
              </Typography.Text>
              <pre className="lx-json" style={{ margin: '4px 0 0', maxHeight: 160 }}>
                {JSON.stringify(kept, null, 2)}
              </pre>
            </>
          }
        />
      )}
      {topLevel && (
        <Form.Item label={tr(lang, '显示条件', 'Show only when')}>
          <Space.Compact style={{ width: '100%' }}>
            <Select
              allowClear
              data-testid="field-visible-field"
              style={{ width: '55%' }}
              placeholder={tr(lang, '始终显示', 'Always shown')}
              value={field.visibleWhen?.field}
              options={triggers.map((f) => ({ value: f.key, label: f.title }))}
              onChange={(key?: string) => {
                const t = triggers.find((f) => f.key === key);
                if (!t) {
                  onChange(without(field, 'visibleWhen'));
                  return;
                }
                onChange({
                  ...field,
                  visibleWhen: {
                    field: t.key,
                    equals: t.type === 'boolean' ? true : (t.options?.[0]?.value ?? ''),
                  },
                });
              }}
            />
            <Select
              style={{ width: '45%' }}
              data-testid="field-visible-value"
              disabled={!trigger}
              value={field.visibleWhen ? String(field.visibleWhen.equals) : undefined}
              options={
                trigger?.type === 'boolean'
                  ? [
                      { value: 'true', label: tr(lang, '为“是”', 'is yes') },
                      { value: 'false', label: tr(lang, '为“否”', 'is no') },
                    ]
                  : (trigger?.options ?? []).map((o) => ({
                      value: String(o.value),
                      label: `${tr(lang, '为', 'is')} ${o.label ?? String(o.value)}`,
                    }))
              }
              onChange={(v: string) =>
                field.visibleWhen &&
                onChange({
                  ...field,
                  visibleWhen: {
                    field: field.visibleWhen.field,
                    equals:
                      trigger?.type === 'boolean'
                        ? v === 'true'
                        : ((trigger?.options ?? []).find((o) => String(o.value) === v)?.value ?? v),
                  },
                })
              }
            />
          </Space.Compact>
        </Form.Item>
      )}
    </Form>
  );
}
