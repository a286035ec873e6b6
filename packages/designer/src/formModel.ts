import { isSensitiveKind, type LocalizedText, type SensitiveKind } from '@lianxin/spec';

/** The field kinds of the form builder's palette. */
export const FIELD_TYPES = [
  'text',
  'textarea',
  'number',
  'date',
  'boolean',
  'select',
  'multiselect',
  'idCard',
  'mobile',
  'address',
  'attachments',
  'signature',
  'section',
] as const;
export type FieldType = (typeof FIELD_TYPES)[number];

export const FIELD_TYPE_NAMES: Record<FieldType, LocalizedText & { en: string }> = {
  text: { 'zh-CN': '单行文本', en: 'Text' },
  textarea: { 'zh-CN': '多行文本', en: 'Long text' },
  number: { 'zh-CN': '数字', en: 'Number' },
  date: { 'zh-CN': '日期', en: 'Date' },
  boolean: { 'zh-CN': '是 / 否', en: 'Yes / no' },
  select: { 'zh-CN': '单选', en: 'Single choice' },
  multiselect: { 'zh-CN': '多选', en: 'Multiple choice' },
  idCard: { 'zh-CN': '身份证号', en: 'ID card number' },
  mobile: { 'zh-CN': '手机号码', en: 'Mobile phone' },
  address: { 'zh-CN': '地址（省市县）', en: 'Address' },
  attachments: { 'zh-CN': '附件', en: 'Attachments' },
  signature: { 'zh-CN': '签名', en: 'Signature' },
  section: { 'zh-CN': '分组', en: 'Section' },
};

/** Show a field only when another (top-level) field has this value. */
export interface VisibleWhen {
  field: string;
  equals: string | number | boolean;
}

export interface FieldModel {
  key: string;
  type: FieldType;
  title: string;
  help?: string;
  required: boolean;
  options?: string[];
  visibleWhen?: VisibleWhen;
  /** A section's fields. */
  fields?: FieldModel[];
  /** 敏感信息: stored encrypted and masked for who need not see it (`x-sensitive`). */
  sensitive?: SensitiveKind;
}

/** The field kinds that can hold sensitive values (text the server can seal). */
export const SENSITIVE_FIELD_TYPES: ReadonlySet<FieldType> = new Set([
  'text',
  'textarea',
  'select',
  'idCard',
  'mobile',
  'address',
]);

export const SENSITIVE_KIND_NAMES: Record<SensitiveKind, LocalizedText & { en: string }> = {
  name: { 'zh-CN': '姓名', en: 'Name' },
  address: { 'zh-CN': '住址', en: 'Address' },
  idCard: { 'zh-CN': '身份证号', en: 'ID card number' },
  phone: { 'zh-CN': '手机号', en: 'Phone' },
  text: { 'zh-CN': '其他敏感文本', en: 'Other sensitive text' },
};

/** The kind a newly marked field most likely holds. */
export function defaultSensitiveKind(type: FieldType): SensitiveKind {
  if (type === 'idCard') return 'idCard';
  if (type === 'mobile') return 'phone';
  if (type === 'address') return 'address';
  if (type === 'textarea') return 'text';
  return 'name';
}

type Json = Record<string, unknown>;
const isObj = (v: unknown): v is Json => v !== null && typeof v === 'object' && !Array.isArray(v);

/** The JSON Schema of one field (what the case data stores). */
export function fieldSchema(f: FieldModel): Json {
  const schema = plainFieldSchema(f);
  if (!f.sensitive || !SENSITIVE_FIELD_TYPES.has(f.type)) return schema;
  // An address is sealed by its street part; the division code says no more than the county.
  if (f.type === 'address') {
    const props = schema.properties as Json;
    return {
      ...schema,
      properties: { ...props, detail: { ...(props.detail as Json), 'x-sensitive': f.sensitive } },
    };
  }
  return { ...schema, 'x-sensitive': f.sensitive };
}

function plainFieldSchema(f: FieldModel): Json {
  const title = { title: f.title };
  switch (f.type) {
    case 'text':
    case 'textarea':
    case 'signature':
      return { type: 'string', ...title };
    case 'number':
      return { type: 'number', ...title };
    case 'date':
      return { type: 'string', format: 'date', ...title };
    case 'boolean':
      return { type: 'boolean', ...title };
    case 'select':
      return { type: 'string', ...title, enum: f.options?.length ? f.options : ['选项1'] };
    case 'multiselect':
      return {
        type: 'array',
        ...title,
        uniqueItems: true,
        items: { type: 'string', enum: f.options?.length ? f.options : ['选项1'] },
      };
    case 'idCard':
      return { type: 'string', format: 'cn-id-card', ...title };
    case 'mobile':
      return { type: 'string', format: 'cn-mobile', ...title };
    case 'address':
      return {
        type: 'object',
        ...title,
        properties: {
          division: { type: 'string', format: 'gb2260', title: '行政区划' },
          detail: { type: 'string', title: '详细地址' },
        },
      };
    case 'attachments':
      return {
        type: 'array',
        ...title,
        items: {
          type: 'object',
          required: ['name', 'ref'],
          properties: {
            name: { type: 'string' },
            size: { type: 'integer' },
            type: { type: 'string' },
            ref: { type: 'string' },
          },
        },
      };
    case 'section': {
      const built = buildObject(f.fields ?? []);
      return { type: 'object', ...title, ...built.schema };
    }
  }
}

function fieldUi(f: FieldModel): Json {
  const ui: Json = {};
  if (f.help) ui['ui:help'] = f.help;
  const widget = {
    textarea: 'textarea',
    idCard: 'idCard',
    mobile: 'mobile',
    attachments: 'attachments',
    signature: 'signature',
    multiselect: 'checkboxes',
    boolean: 'radio',
  }[f.type as string];
  if (widget) ui['ui:widget'] = widget;
  if (f.type === 'address') ui['ui:field'] = 'address';
  if (f.type === 'section') Object.assign(ui, buildObject(f.fields ?? []).uiSchema);
  return ui;
}

function buildObject(fields: readonly FieldModel[]): { schema: Json; uiSchema: Json } {
  const properties: Json = {};
  const required: string[] = [];
  const conditional = new Map<string, { when: VisibleWhen; props: Json; required: string[] }>();
  const uiSchema: Json = { 'ui:order': [...fields.map((f) => f.key), '*'] };
  for (const f of fields) {
    const s = fieldSchema(f);
    const ui = fieldUi(f);
    if (Object.keys(ui).length) uiSchema[f.key] = ui;
    if (f.visibleWhen) {
      const k = JSON.stringify(f.visibleWhen);
      const group = conditional.get(k) ?? { when: f.visibleWhen, props: {}, required: [] };
      group.props[f.key] = s;
      if (f.required) group.required.push(f.key);
      conditional.set(k, group);
    } else {
      properties[f.key] = s;
      if (f.required) required.push(f.key);
    }
  }
  const schema: Json = { properties };
  if (required.length) schema.required = required;
  if (conditional.size) {
    schema.allOf = [...conditional.values()].map(({ when, props, required: req }) => ({
      if: { properties: { [when.field]: { const: when.equals } }, required: [when.field] },
      // biome-ignore lint/suspicious/noThenProperty: JSON Schema's if/then keyword
      then: { properties: props, ...(req.length ? { required: req } : {}) },
    }));
  }
  return { schema, uiSchema };
}

/** The form's JSON Schema and uiSchema for these fields. Conditional fields become `allOf` if/then. */
export function buildForm(fields: readonly FieldModel[]): { schema: Json; uiSchema: Json } {
  const { schema, uiSchema } = buildObject(fields);
  return { schema: { type: 'object', ...schema }, uiSchema };
}

/** Every field as the case data schema needs it (conditional ones included), by key. */
export function dataSchemaProperties(fields: readonly FieldModel[]): Json {
  return Object.fromEntries(fields.map((f) => [f.key, fieldSchema(f)]));
}

function typeOf(s: Json, ui: Json): FieldType | undefined {
  const widget = ui['ui:widget'];
  if (ui['ui:field'] === 'address') return 'address';
  if (widget === 'idCard' || s.format === 'cn-id-card') return 'idCard';
  if (widget === 'mobile' || s.format === 'cn-mobile') return 'mobile';
  if (widget === 'attachments') return 'attachments';
  if (widget === 'signature') return 'signature';
  if (widget === 'textarea') return 'textarea';
  if (s.type === 'object' && isObj(s.properties)) return 'section';
  if (s.type === 'array' && isObj(s.items) && Array.isArray(s.items.enum)) return 'multiselect';
  if (Array.isArray(s.enum)) return 'select';
  if (s.type === 'number' || s.type === 'integer') return 'number';
  if (s.type === 'boolean') return 'boolean';
  if (s.type === 'string' && s.format === 'date') return 'date';
  if (s.type === 'string') return 'text';
  return undefined;
}

function readObject(schema: Json, ui: Json): FieldModel[] {
  const props = isObj(schema.properties) ? schema.properties : {};
  const required = new Set(Array.isArray(schema.required) ? (schema.required as string[]) : []);
  const found: FieldModel[] = [];
  const read = (key: string, s: unknown, req: boolean, when?: VisibleWhen) => {
    if (!isObj(s)) return;
    const fui = isObj(ui[key]) ? ui[key] : {};
    const type = typeOf(s, fui);
    if (!type) return;
    const f: FieldModel = {
      key,
      type,
      title: typeof s.title === 'string' ? s.title : key,
      required: req,
    };
    if (typeof fui['ui:help'] === 'string') f.help = fui['ui:help'];
    if (type === 'select') f.options = (s.enum as unknown[]).map(String);
    if (type === 'multiselect') f.options = ((s.items as Json).enum as unknown[]).map(String);
    if (type === 'section') f.fields = readObject(s, fui);
    const mark =
      type === 'address' && isObj(s.properties) && isObj(s.properties.detail)
        ? s.properties.detail['x-sensitive']
        : s['x-sensitive'];
    if (isSensitiveKind(mark)) f.sensitive = mark;
    if (when) f.visibleWhen = when;
    found.push(f);
  };
  for (const [key, s] of Object.entries(props)) read(key, s, required.has(key));
  for (const part of Array.isArray(schema.allOf) ? schema.allOf : []) {
    if (!isObj(part) || !isObj(part.if) || !isObj(part.then)) continue;
    const ifProps = isObj(part.if.properties) ? part.if.properties : {};
    const [field, cond] = Object.entries(ifProps)[0] ?? [];
    if (!field || !isObj(cond) || !('const' in cond)) continue;
    const when = { field, equals: cond.const as VisibleWhen['equals'] };
    const thenReq = new Set(
      Array.isArray(part.then.required) ? (part.then.required as string[]) : [],
    );
    const thenProps = isObj(part.then.properties) ? part.then.properties : {};
    for (const [key, s] of Object.entries(thenProps)) read(key, s, thenReq.has(key), when);
  }
  const order = Array.isArray(ui['ui:order']) ? (ui['ui:order'] as string[]) : [];
  const rank = (k: string) => {
    const i = order.indexOf(k);
    return i === -1 ? order.length : i;
  };
  return found.sort((a, b) => rank(a.key) - rank(b.key));
}

/** Reads a form back into builder fields; parts the builder does not know are left out. */
export function readForm(schema: Json, uiSchema: Json = {}): FieldModel[] {
  return readObject(schema, uiSchema);
}

/** A key not used by any field (sections included), e.g. `field3`. */
export function freshFieldKey(fields: readonly FieldModel[], prefix = 'field'): string {
  const keys = new Set<string>();
  const walk = (list: readonly FieldModel[]) => {
    for (const f of list) {
      keys.add(f.key);
      if (f.fields) walk(f.fields);
    }
  };
  walk(fields);
  let n = 1;
  while (keys.has(`${prefix}${n}`)) n++;
  return `${prefix}${n}`;
}
