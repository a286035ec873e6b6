import { DeleteOutlined, HolderOutlined, PlusOutlined } from '@ant-design/icons';
import { LianxinForm } from '@lianxin/forms';
import {
  type FlowDefinition,
  FormDefinition,
  type Lang,
  localize,
  SENSITIVE_KINDS,
  schemaCompileProblem,
} from '@lianxin/spec';
import type { RJSFSchema, UiSchema } from '@rjsf/utils';
import {
  Alert,
  Button,
  Empty,
  Form,
  Input,
  Popconfirm,
  Select,
  Space,
  Switch,
  Tabs,
  Tag,
  Typography,
} from 'antd';
import { useMemo, useState } from 'react';
import type { Edit } from '../commands';
import {
  buildForm,
  dataSchemaProperties,
  defaultSensitiveKind,
  FIELD_TYPE_NAMES,
  FIELD_TYPES,
  type FieldModel,
  type FieldType,
  freshFieldKey,
  readForm,
  SENSITIVE_FIELD_TYPES,
  SENSITIVE_KIND_NAMES,
} from '../formModel';
import { tr } from '../i18n';
import { CommitInput, CommitTextArea } from './inputs';

type Json = Record<string, unknown>;

export interface FormBuilderProps {
  flow: FlowDefinition;
  lang: Lang;
  dispatch: (edit: Edit) => void;
}

/** Every property a form writes (conditional ones included), for the case data schema. */
function schemaProperties(schema: Json): Json {
  const out: Json = { ...((schema.properties as Json | undefined) ?? {}) };
  for (const part of (schema.allOf as Json[] | undefined) ?? []) {
    const then = part?.then as Json | undefined;
    Object.assign(out, (then?.properties as Json | undefined) ?? {});
  }
  return out;
}

function updateIn(
  fields: FieldModel[],
  key: string,
  fn: (f: FieldModel) => FieldModel | null,
): FieldModel[] {
  return fields.flatMap((f) => {
    if (f.key === key) {
      const r = fn(f);
      return r ? [r] : [];
    }
    return f.fields ? [{ ...f, fields: updateIn(f.fields, key, fn) }] : [f];
  });
}
function findField(fields: readonly FieldModel[], key: string): FieldModel | undefined {
  for (const f of fields) {
    if (f.key === key) return f;
    const inner = f.fields && findField(f.fields, key);
    if (inner) return inner;
  }
  return undefined;
}
function parentOf(fields: FieldModel[], key: string): FieldModel[] | undefined {
  if (fields.some((f) => f.key === key)) return fields;
  for (const f of fields) {
    const p = f.fields && parentOf(f.fields, key);
    if (p) return p;
  }
  return undefined;
}
/** Moves `key` just before `before` (same level), or to the end when `before` is undefined. */
function moveField(fields: FieldModel[], key: string, before: string | undefined): FieldModel[] {
  const list = parentOf(fields, key);
  if (!list || (before && !list.some((f) => f.key === before))) return fields;
  const moving = list.find((f) => f.key === key) as FieldModel;
  const rest = list.filter((f) => f.key !== key);
  const at = before ? rest.findIndex((f) => f.key === before) : rest.length;
  const reordered = [...rest.slice(0, at), moving, ...rest.slice(at)];
  if (list === fields) return reordered;
  const owner = fields.find((f) => f.fields === list);
  return owner
    ? fields.map((f) => (f === owner ? { ...f, fields: reordered } : f))
    : fields.map((f) => (f.fields ? { ...f, fields: moveField(f.fields, key, before) } : f));
}

function FieldRow({
  field,
  lang,
  active,
  onSelect,
  onRemove,
  onDropBefore,
  children,
}: {
  field: FieldModel;
  lang: Lang;
  active: boolean;
  onSelect: () => void;
  onRemove: () => void;
  onDropBefore: (dragged: string) => void;
  children?: React.ReactNode;
}) {
  const [over, setOver] = useState(false);
  return (
    <>
      {/* biome-ignore lint/a11y/useSemanticElements: the row holds its own delete button, so it cannot be a <button> */}
      <div
        className={`lx-field-row${active ? ' active' : ''}${over ? ' drop-target' : ''}`}
        draggable
        data-testid={`field-${field.key}`}
        onDragStart={(e) => {
          e.stopPropagation();
          e.dataTransfer.setData('text/x-lianxin-field', field.key);
        }}
        onDragOver={(e) => {
          e.preventDefault();
          setOver(true);
        }}
        onDragLeave={() => setOver(false)}
        onDrop={(e) => {
          e.preventDefault();
          e.stopPropagation();
          setOver(false);
          const dragged = e.dataTransfer.getData('text/x-lianxin-field');
          if (dragged && dragged !== field.key) onDropBefore(dragged);
        }}
        onClick={onSelect}
        onKeyDown={(e) => e.key === 'Enter' && onSelect()}
        role="button"
        tabIndex={0}
      >
        <HolderOutlined style={{ color: '#bfbfbf', cursor: 'grab' }} />
        <span style={{ flex: 1, minWidth: 0 }}>
          {field.required && <span style={{ color: '#ff4d4f' }}>* </span>}
          {field.title}
          {field.visibleWhen && (
            <Tag color="purple" style={{ marginLeft: 6 }}>
              {tr(lang, '条件显示', 'conditional')}
            </Tag>
          )}
          {field.sensitive && (
            <Tag color="gold" style={{ marginLeft: 6 }} data-testid="field-sensitive-tag">
              {tr(lang, '敏感', 'sensitive')}
            </Tag>
          )}
        </span>
        <Tag>{localize(FIELD_TYPE_NAMES[field.type], lang)}</Tag>
        <Button
          size="small"
          type="text"
          icon={<DeleteOutlined />}
          aria-label={tr(lang, '删除字段', 'Remove field')}
          onClick={(e) => {
            e.stopPropagation();
            onRemove();
          }}
        />
      </div>
      {children}
    </>
  );
}

function FieldEditor({
  field,
  all,
  lang,
  onChange,
}: {
  field: FieldModel;
  all: FieldModel[];
  lang: Lang;
  onChange: (f: FieldModel) => void;
}) {
  const [keyError, setKeyError] = useState<string>();
  const topLevel = all.some((f) => f.key === field.key);
  const triggers = all.filter(
    (f) => f.key !== field.key && (f.type === 'select' || f.type === 'boolean'),
  );
  const trigger = field.visibleWhen && all.find((f) => f.key === field.visibleWhen?.field);
  return (
    <Form layout="vertical" size="small" data-testid="field-editor" style={{ marginTop: 12 }}>
      <Form.Item label={tr(lang, '标题', 'Title')} required>
        <CommitInput
          value={field.title}
          data-testid="field-title"
          onCommit={(title) => title.trim() && onChange({ ...field, title: title.trim() })}
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
            if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(key)) {
              setKeyError(
                tr(
                  lang,
                  '以字母开头，只含字母、数字、下划线',
                  'Letters, digits and _, starting with a letter',
                ),
              );
              return;
            }
            if (findField(all, key)) {
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
                    : (({ sensitive: _, ...f }) => f)(field),
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
      <Form.Item label={tr(lang, '帮助文字', 'Help text')}>
        <CommitInput
          value={field.help}
          onCommit={(help) =>
            onChange(
              help.trim() ? { ...field, help: help.trim() } : (({ help: _, ...f }) => f)(field),
            )
          }
        />
      </Form.Item>
      {(field.type === 'select' || field.type === 'multiselect') && (
        <Form.Item label={tr(lang, '选项（每行一个）', 'Options (one per line)')}>
          <CommitTextArea
            id="field-options"
            rows={4}
            value={(field.options ?? []).join('\n')}
            onCommit={(text) => {
              const options = [
                ...new Set(
                  text
                    .split('\n')
                    .map((o) => o.trim())
                    .filter(Boolean),
                ),
              ];
              if (options.length) onChange({ ...field, options });
            }}
          />
        </Form.Item>
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
                  const { visibleWhen: _, ...rest } = field;
                  onChange(rest);
                  return;
                }
                onChange({
                  ...field,
                  visibleWhen: {
                    field: t.key,
                    equals: t.type === 'boolean' ? true : (t.options?.[0] ?? ''),
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
                      value: o,
                      label: `${tr(lang, '为', 'is')} ${o}`,
                    }))
              }
              onChange={(v: string) =>
                field.visibleWhen &&
                onChange({
                  ...field,
                  visibleWhen: {
                    field: field.visibleWhen.field,
                    equals: trigger?.type === 'boolean' ? v === 'true' : v,
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

function RawJson({
  form,
  lang,
  onApply,
}: {
  form: FormDefinition;
  lang: Lang;
  onApply: (f: FormDefinition) => void;
}) {
  const original = useMemo(() => JSON.stringify(form, null, 2), [form]);
  const [text, setText] = useState(original);
  const [errors, setErrors] = useState<string[]>([]);
  const [base, setBase] = useState(original);
  if (base !== original) {
    setBase(original);
    setText(original);
    setErrors([]);
  }
  const apply = () => {
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (e) {
      setErrors([`${tr(lang, 'JSON 格式错误：', 'Invalid JSON: ')}${(e as Error).message}`]);
      return;
    }
    const parsed = FormDefinition.safeParse(json);
    if (!parsed.success) {
      setErrors(parsed.error.issues.map((i) => `/${i.path.join('/')}: ${i.message}`));
      return;
    }
    const compile = schemaCompileProblem(parsed.data.schema);
    if (compile) {
      setErrors([
        `${tr(lang, 'JSON Schema 无法编译：', 'The JSON Schema does not compile: ')}${compile.detail}`,
      ]);
      return;
    }
    setErrors([]);
    onApply(parsed.data);
  };
  return (
    <div>
      <Input.TextArea
        data-testid="raw-json"
        value={text}
        onChange={(e) => setText(e.target.value)}
        autoSize={{ minRows: 16, maxRows: 30 }}
        style={{ fontFamily: 'monospace', fontSize: 12 }}
      />
      {errors.length > 0 && (
        <Alert
          type="error"
          showIcon
          style={{ marginTop: 8 }}
          message={tr(lang, '未应用：', 'Not applied:')}
          description={
            <ul style={{ margin: 0, paddingLeft: 16 }}>
              {errors.map((e) => (
                <li key={e}>{e}</li>
              ))}
            </ul>
          }
        />
      )}
      <Space style={{ marginTop: 8 }}>
        <Button type="primary" onClick={apply} disabled={text === original} data-testid="raw-apply">
          {tr(lang, '校验并应用', 'Validate and apply')}
        </Button>
        <Button onClick={() => setText(original)} disabled={text === original}>
          {tr(lang, '还原', 'Revert')}
        </Button>
      </Space>
    </div>
  );
}

/**
 * The form builder: a palette of field kinds, the field list (drag to
 * reorder), the selected field's settings, and beside them the live
 * preview, the generated JSON Schema / uiSchema and an editable raw view.
 */
export function FormBuilder({ flow, lang, dispatch }: FormBuilderProps) {
  const [formId, setFormId] = useState<string | undefined>(flow.forms[0]?.id);
  const form = flow.forms.find((f) => f.id === formId) ?? flow.forms[0];
  const fields = useMemo(() => (form ? readForm(form.schema, form.uiSchema ?? {}) : []), [form]);
  const [selected, setSelected] = useState<string>();
  const current = selected ? findField(fields, selected) : undefined;

  const save = (next: FieldModel[], f: FormDefinition | undefined = form) => {
    if (!f) return;
    const { schema, uiSchema } = buildForm(next);
    const written = dataSchemaProperties(next);
    const others = new Set(
      flow.forms
        .filter((o) => o.id !== f.id)
        .flatMap((o) => Object.keys(schemaProperties(o.schema))),
    );
    const removed = Object.keys(schemaProperties(f.schema)).filter(
      (k) => !(k in written) && !others.has(k),
    );
    dispatch({
      type: 'form.put',
      form: { ...f, schema, uiSchema },
      dataSchemaProperties: written,
      ...(removed.length ? { dataSchemaRemoved: removed } : {}),
    });
  };

  const addForm = () => {
    const ids = new Set(flow.forms.map((f) => f.id));
    let n = flow.forms.length + 1;
    while (ids.has(`form${n}`)) n++;
    const id = `form${n}`;
    dispatch({
      type: 'form.put',
      form: {
        id,
        title: { 'zh-CN': tr(lang, `新表单${n}`, `New form ${n}`) },
        schema: { type: 'object', properties: {} },
        uiSchema: {},
      },
    });
    setFormId(id);
    setSelected(undefined);
  };

  const addField = (type: FieldType) => {
    if (!form) return;
    const key = freshFieldKey(fields, type === 'section' ? 'section' : 'field');
    const field: FieldModel = {
      key,
      type,
      title: localize(FIELD_TYPE_NAMES[type], lang),
      required: false,
      ...(type === 'select' || type === 'multiselect'
        ? { options: [tr(lang, '选项一', 'Option 1'), tr(lang, '选项二', 'Option 2')] }
        : {}),
      ...(type === 'section' ? { fields: [] } : {}),
    };
    const target = current?.type === 'section' && type !== 'section' ? current.key : undefined;
    save(
      target
        ? updateIn(fields, target, (s) => ({ ...s, fields: [...(s.fields ?? []), field] }))
        : [...fields, field],
    );
    setSelected(key);
  };

  const renderRows = (list: FieldModel[]) =>
    list.map((f) => (
      <FieldRow
        key={f.key}
        field={f}
        lang={lang}
        active={f.key === selected}
        onSelect={() => setSelected(f.key)}
        onRemove={() => {
          save(updateIn(fields, f.key, () => null));
          if (selected === f.key) setSelected(undefined);
        }}
        onDropBefore={(dragged) => save(moveField(fields, dragged, f.key))}
      >
        {f.fields && (
          <div className="lx-field-children">{f.fields.length ? renderRows(f.fields) : null}</div>
        )}
      </FieldRow>
    ));

  const previewKey = form ? JSON.stringify([form.schema, form.uiSchema]) : '';
  return (
    <div style={{ display: 'flex', height: '100%', minHeight: 0 }} data-testid="form-builder">
      <div className="lx-palette" style={{ width: 190 }}>
        <div className="lx-palette-title">{tr(lang, '表单', 'Forms')}</div>
        {flow.forms.map((f) => (
          <button
            type="button"
            key={f.id}
            className={`lx-field-row lx-form-row${f.id === form?.id ? ' active' : ''}`}
            onClick={() => {
              setFormId(f.id);
              setSelected(undefined);
            }}
            data-testid={`form-${f.id}`}
          >
            {localize(f.title, lang)}
          </button>
        ))}
        <Button block size="small" icon={<PlusOutlined />} onClick={addForm} data-testid="add-form">
          {tr(lang, '新建表单', 'New form')}
        </Button>
        <div className="lx-palette-title" style={{ marginTop: 16 }}>
          {tr(lang, '字段（点击添加）', 'Fields (click to add)')}
        </div>
        {FIELD_TYPES.map((t) => (
          <button
            type="button"
            key={t}
            className="lx-palette-item"
            style={{ '--lx-colour': '#1677ff' } as React.CSSProperties}
            onClick={() => addField(t)}
            data-testid={`add-field-${t}`}
          >
            <PlusOutlined style={{ color: '#1677ff' }} />
            {localize(FIELD_TYPE_NAMES[t], lang)}
          </button>
        ))}
      </div>
      {form ? (
        <>
          <div
            style={{
              width: 400,
              padding: 16,
              overflow: 'auto',
              borderRight: '1px solid #f0f0f0',
              background: '#fafbfc',
            }}
          >
            <Space style={{ marginBottom: 12, width: '100%' }} align="center">
              <CommitInput
                value={form.title['zh-CN']}
                data-testid="form-title"
                style={{ fontWeight: 600 }}
                onCommit={(t) =>
                  t.trim() &&
                  dispatch({
                    type: 'form.put',
                    form: { ...form, title: { ...form.title, 'zh-CN': t.trim() } },
                  })
                }
              />
              <Popconfirm
                title={tr(
                  lang,
                  '删除此表单？使用它的任务将不再有表单。',
                  'Delete this form? Tasks using it lose their form.',
                )}
                onConfirm={() => dispatch({ type: 'form.remove', id: form.id })}
              >
                <Button
                  icon={<DeleteOutlined />}
                  aria-label={tr(lang, '删除表单', 'Delete form')}
                />
              </Popconfirm>
            </Space>
            {fields.length ? (
              renderRows(fields)
            ) : (
              <Empty
                image={Empty.PRESENTED_IMAGE_SIMPLE}
                description={tr(lang, '从左侧添加字段', 'Add fields from the left')}
              />
            )}
            {current && (
              <FieldEditor
                key={current.key}
                field={current}
                all={fields}
                lang={lang}
                onChange={(f) => {
                  save(updateIn(fields, current.key, () => f));
                  setSelected(f.key);
                }}
              />
            )}
          </div>
          <div
            style={{
              flex: 1,
              padding: '0 16px',
              overflow: 'auto',
              minWidth: 0,
              background: '#fff',
            }}
          >
            <Tabs
              items={[
                {
                  key: 'preview',
                  label: tr(lang, '实时预览', 'Live preview'),
                  children: (
                    <div data-testid="form-preview" style={{ maxWidth: 560 }}>
                      <LianxinForm
                        key={previewKey}
                        schema={form.schema as RJSFSchema}
                        uiSchema={form.uiSchema as UiSchema}
                        lang={lang}
                      />
                    </div>
                  ),
                },
                {
                  key: 'schema',
                  label: 'JSON Schema',
                  children: (
                    <pre className="lx-json" data-testid="json-schema">
                      {JSON.stringify(form.schema, null, 2)}
                    </pre>
                  ),
                },
                {
                  key: 'ui',
                  label: 'uiSchema',
                  children: (
                    <pre className="lx-json">{JSON.stringify(form.uiSchema ?? {}, null, 2)}</pre>
                  ),
                },
                {
                  key: 'raw',
                  label: tr(lang, '编辑 JSON', 'Edit JSON'),
                  children: (
                    <RawJson
                      form={form}
                      lang={lang}
                      onApply={(f) => {
                        dispatch({
                          type: 'form.put',
                          form: f,
                          dataSchemaProperties: schemaProperties(f.schema),
                        });
                        setFormId(f.id);
                      }}
                    />
                  ),
                },
              ]}
            />
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {tr(
                lang,
                '字段同时加入流程的案件数据（dataSchema），条件分支可直接使用。',
                'Fields are added to the flow’s case data (dataSchema) so decisions can use them.',
              )}
            </Typography.Text>
          </div>
        </>
      ) : (
        <div style={{ flex: 1, display: 'flex', alignItems: 'center', justifyContent: 'center' }}>
          <Empty description={tr(lang, '还没有表单', 'No forms yet')}>
            <Button type="primary" icon={<PlusOutlined />} onClick={addForm}>
              {tr(lang, '新建表单', 'New form')}
            </Button>
          </Empty>
        </div>
      )}
    </div>
  );
}
