import { DeleteOutlined, HolderOutlined, PlusOutlined } from '@ant-design/icons';
import { LianxinForm } from '@lianxin/forms';
import { checkForm, type FlowDefinition, FormDefinition, type Lang, localize } from '@lianxin/spec';
import type { RJSFSchema, UiSchema } from '@rjsf/utils';
import { Alert, Button, Empty, Input, Popconfirm, Space, Tabs, Tag, Typography } from 'antd';
import { useMemo, useState } from 'react';
import type { Edit } from '../commands';
import {
  buildForm,
  DEFAULT_MAX_LENGTH,
  dataSchemaProperties,
  FIELD_TYPE_NAMES,
  FIELD_TYPES,
  type FieldModel,
  type FieldType,
  freshFieldKey,
  keptParts,
  NEW_FIELD_WIDGET,
  readForm,
  schemaDefinitions,
} from '../formModel';
import { tr } from '../i18n';
import { FieldEditor } from './FieldEditor';
import { CommitInput } from './inputs';

type Json = Record<string, unknown>;

/**
 * The edit that puts a whole form into the flow with every field it writes
 * in the case data (`dataSchema`), as 编辑 JSON applies one and the BPMN
 * menu's form import adds one.
 */
export function putForm(form: FormDefinition): Extract<Edit, { type: 'form.put' }> {
  const defs = schemaDefinitions(form.schema);
  return {
    type: 'form.put',
    form,
    dataSchemaProperties: schemaProperties(form.schema),
    ...(Object.keys(defs).length ? { dataSchemaDefinitions: defs } : {}),
  };
}

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
          {field.type !== 'json' && keptParts(field) && (
            <Tag color="blue" style={{ marginLeft: 6 }} data-testid="field-kept-tag">
              {tr(lang, '含原样保留的设置', 'has kept settings')}
            </Tag>
          )}
        </span>
        <Tag color={field.type === 'json' ? 'orange' : undefined}>
          {localize(FIELD_TYPE_NAMES[field.type], lang)}
        </Tag>
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
    // The checker's own form check: located, in the admin's language, the same as before publishing.
    const problems = checkForm(json).filter((p) => p.severity === 'error');
    if (problems.length) {
      setErrors(problems.map((p) => `${p.pointer || '/'}：${localize(p.message, lang)}`));
      return;
    }
    const parsed = FormDefinition.safeParse(json);
    if (!parsed.success) return;
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
  const model = useMemo(
    () => (form ? readForm(form.schema, form.uiSchema ?? {}) : { fields: [] }),
    [form],
  );
  const fields = model.fields;
  const [selected, setSelected] = useState<string>();
  const current = selected ? findField(fields, selected) : undefined;
  const definitions = useMemo(() => (form ? schemaDefinitions(form.schema) : {}), [form]);
  const jsonFields = fields.filter((f) => f.type === 'json').length;
  const keptKeys = Object.keys(model.origin?.rest ?? {}).filter((k) => k !== 'type');

  const save = (next: FieldModel[], f: FormDefinition | undefined = form) => {
    if (!f || model.opaque) return;
    // Written over the form as it is: parts the builder does not edit stay as they were.
    const { schema, uiSchema } = buildForm(next, model.origin, {
      schema: f.schema,
      uiSchema: f.uiSchema ?? {},
    });
    const written = dataSchemaProperties(next);
    const others = new Set(
      flow.forms
        .filter((o) => o.id !== f.id)
        .flatMap((o) => Object.keys(schemaProperties(o.schema))),
    );
    const removed = Object.keys(schemaProperties(f.schema)).filter(
      (k) => !(k in written) && !others.has(k),
    );
    const defs = schemaDefinitions(schema);
    dispatch({
      type: 'form.put',
      form: { ...f, schema, uiSchema },
      dataSchemaProperties: written,
      ...(removed.length ? { dataSchemaRemoved: removed } : {}),
      ...(Object.keys(defs).length ? { dataSchemaDefinitions: defs } : {}),
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
        // Fields keep the order they are added and dragged into; '*' places any others.
        uiSchema: { 'ui:order': ['*'] },
      },
    });
    setFormId(id);
    setSelected(undefined);
  };

  const addField = (type: FieldType) => {
    if (!form || model.opaque) return;
    const key = freshFieldKey(
      fields,
      type === 'section' ? 'section' : type === 'table' ? 'table' : 'field',
    );
    const field: FieldModel = {
      key,
      type,
      title: localize(FIELD_TYPE_NAMES[type], lang),
      required: false,
      ...(type === 'select' || type === 'multiselect'
        ? {
            options: [
              { value: tr(lang, '选项一', 'Option 1') },
              { value: tr(lang, '选项二', 'Option 2') },
            ],
          }
        : {}),
      ...(type === 'section' || type === 'table' ? { fields: [] } : {}),
      ...(DEFAULT_MAX_LENGTH[type] ? { maxLength: DEFAULT_MAX_LENGTH[type] } : {}),
      ...(NEW_FIELD_WIDGET[type] ? { widget: NEW_FIELD_WIDGET[type] } : {}),
      ...(type === 'money' ? { minimum: 0 } : {}),
    };
    const container = current?.type === 'section' || current?.type === 'table';
    const target = container && type !== 'section' && type !== 'table' ? current.key : undefined;
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
            {model.opaque && (
              <Alert
                type="warning"
                showIcon
                style={{ marginBottom: 12 }}
                data-testid="form-opaque"
                message={tr(
                  lang,
                  '此表单不能逐个字段编辑，已原样保留',
                  'This form cannot be edited field by field; it is kept as written',
                )}
                description={tr(
                  lang,
                  '请在右侧“编辑 JSON”中修改。',
                  'Change it in Edit JSON on the right.',
                )}
              />
            )}
            {!model.opaque && (jsonFields > 0 || keptKeys.length > 0) && (
              <Alert
                type="info"
                showIcon
                style={{ marginBottom: 12 }}
                data-testid="form-kept"
                message={tr(lang, '部分内容原样保留', 'Some parts are kept as written')}
                description={[
                  jsonFields > 0 &&
                    tr(
                      lang,
                      `${jsonFields} 个字段用到了生成器不能可视化编辑的设置，显示为“JSON 字段”，可选中后直接编辑其 JSON。`,
                      `${jsonFields} field(s) use settings the builder cannot edit visually; they show as JSON fields whose JSON you can edit.`,
                    ),
                  keptKeys.length > 0 &&
                    tr(
                      lang,
                      `表单级设置 ${keptKeys.join('、')} 保存时原样保留，可在“编辑 JSON”中修改。`,
                      `Form settings ${keptKeys.join(', ')} are kept as written; change them in Edit JSON.`,
                    ),
                ]
                  .filter(Boolean)
                  .join(' ')}
              />
            )}
            {fields.length ? (
              renderRows(fields)
            ) : model.opaque ? null : (
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
                definitions={definitions}
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
                        dispatch(putForm(f));
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
