import {
  deepestPart,
  isSensitiveKind,
  type LocalizedText,
  MAX_SCHEMA_DEPTH,
  type SensitiveKind,
} from '@lianxin/spec';

/** The field kinds of the form builder's palette. */
export const FIELD_TYPES = [
  'text',
  'textarea',
  'number',
  'money',
  'date',
  'boolean',
  'select',
  'multiselect',
  'idCard',
  'mobile',
  'address',
  'attachments',
  'signature',
  'department',
  'member',
  'section',
  'table',
] as const;
export type PaletteFieldType = (typeof FIELD_TYPES)[number];
/** A palette kind, or `json`: a field the builder keeps exactly as written and edits as JSON. */
export type FieldType = PaletteFieldType | 'json';

export const FIELD_TYPE_NAMES: Record<FieldType, LocalizedText & { en: string }> = {
  text: { 'zh-CN': '单行文本', en: 'Text' },
  textarea: { 'zh-CN': '多行文本', en: 'Long text' },
  number: { 'zh-CN': '数字', en: 'Number' },
  money: { 'zh-CN': '金额（元）', en: 'Amount (yuan)' },
  date: { 'zh-CN': '日期', en: 'Date' },
  boolean: { 'zh-CN': '是 / 否', en: 'Yes / no' },
  select: { 'zh-CN': '单选', en: 'Single choice' },
  multiselect: { 'zh-CN': '多选', en: 'Multiple choice' },
  idCard: { 'zh-CN': '身份证号', en: 'ID card number' },
  mobile: { 'zh-CN': '手机号码', en: 'Mobile phone' },
  address: { 'zh-CN': '地址（省市县）', en: 'Address' },
  attachments: { 'zh-CN': '附件', en: 'Attachments' },
  signature: { 'zh-CN': '签名', en: 'Signature' },
  department: { 'zh-CN': '部门', en: 'Department' },
  member: { 'zh-CN': '人员', en: 'Member' },
  section: { 'zh-CN': '分组', en: 'Section' },
  table: { 'zh-CN': '子表（可重复的一组字段）', en: 'Sub-table (repeating group)' },
  json: { 'zh-CN': 'JSON 字段', en: 'JSON field' },
};

/** New text fields get a length limit; an admin may raise or clear it. */
export const DEFAULT_MAX_LENGTH: Partial<Record<FieldType, number>> = {
  text: 100,
  textarea: 2000,
};

/** A schema keyword: the message shown when a value does not match `pattern`. */
export const PATTERN_MESSAGE = 'x-pattern-message';

/** Show a field only when another (top-level) field has this value. */
export interface VisibleWhen {
  field: string;
  equals: string | number | boolean;
}

/** One choice: the value stored in case data, and the label people read (the value if none). */
export interface ChoiceOption {
  value: string | number;
  label?: string;
}

type Json = Record<string, unknown>;

/** How one level (the form, a section, a sub-table's row) was written, so untouched parts stay as they were. */
export interface LevelOrigin {
  /** Keys of the level's schema the builder does not edit (`definitions`, `description`, …), as written. */
  rest: Json;
  /** uiSchema keys of the level the builder does not edit (`ui:submitButtonOptions`, …), as written. */
  uiRest: Json;
  /** Field keys when read, in `properties` order (undefined: the level had no `properties`). */
  props?: string[];
  /** Every key read as a field (conditional ones included). */
  keys: string[];
  /** `required` as written (keys that are not fields stay in it). */
  required?: unknown[];
  /** `ui:order` as written. */
  order?: unknown[];
}

export interface FieldModel {
  key: string;
  type: FieldType;
  title: string;
  /** The schema has no `title` (the key is shown); set a title to write one. */
  untitled?: boolean;
  help?: string;
  required: boolean;
  options?: ChoiceOption[];
  /** The JSON type of a choice's or number's values, when not string / number. */
  valueType?: 'number' | 'integer';
  visibleWhen?: VisibleWhen;
  /** A section's fields, or a sub-table's columns. */
  fields?: FieldModel[];
  /** 敏感信息: stored encrypted and masked for who need not see it (`x-sensitive`). */
  sensitive?: SensitiveKind;
  placeholder?: string;
  /** How a choice or yes/no shows (`radio`, `checkboxes`, `select`); none: RJSF's default. */
  widget?: string;
  default?: unknown;
  minimum?: number;
  maximum?: number;
  maxLength?: number;
  pattern?: string;
  patternMessage?: string;
  /** Attachments: allowed file name endings (`pdf`, `jpg`) and the largest file in MB. */
  accept?: string[];
  maxSizeMB?: number;
  /** A `json` field's own JSON Schema and uiSchema entry, kept exactly as written. */
  schema?: Json;
  ui?: Json;
  /** Schema and uiSchema parts of a visual field the builder keeps but does not edit. */
  extra?: Json;
  uiExtra?: Json;
  /** The key the field had when read (renames keep its place), and how a section's level was written. */
  origin?: { key: string; level?: LevelOrigin };
}

/** A form read for the builder: its fields and how the rest of it was written. */
export interface FormModel {
  fields: FieldModel[];
  origin?: LevelOrigin;
  /** The builder could not read this form field by field: it is kept whole and edited as JSON only. */
  opaque?: boolean;
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

const isObj = (v: unknown): v is Json => v !== null && typeof v === 'object' && !Array.isArray(v);

/** Same JSON, whatever the order of object keys (array order counts). */
export function sameJson(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a)) {
    return Array.isArray(b) && a.length === b.length && a.every((v, i) => sameJson(v, b[i]));
  }
  if (isObj(a) && isObj(b)) {
    const ka = Object.keys(a);
    if (ka.length !== Object.keys(b).length) return false;
    return ka.every((k) => Object.hasOwn(b, k) && sameJson(a[k], b[k]));
  }
  return false;
}

/**
 * `built`, written like `source` where they agree: equal parts are `source`
 * itself, objects keep `source`'s key order. An untouched form comes back
 * byte for byte; an edited one differs only where it was edited.
 */
export function keepWriting(built: unknown, source: unknown): unknown {
  if (sameJson(built, source)) return source;
  if (Array.isArray(built) && Array.isArray(source)) {
    return built.map((v, i) => (i < source.length ? keepWriting(v, source[i]) : v));
  }
  if (!isObj(built) || !isObj(source)) return built;
  const out: Json = {};
  for (const k of Object.keys(source))
    if (Object.hasOwn(built, k)) out[k] = keepWriting(built[k], source[k]);
  for (const k of Object.keys(built)) if (!Object.hasOwn(out, k)) out[k] = built[k];
  return out;
}

/** Annotation keywords a visual field keeps as written (they change no behaviour the builder edits). */
const ANNOTATIONS = new Set([
  'description',
  '$comment',
  'examples',
  'readOnly',
  'writeOnly',
  'deprecated',
  '$id',
]);
/** uiSchema keys the builder writes itself; other `ui:` keys of a field are kept as written. */
const BUILDER_UI = new Set(['ui:widget', 'ui:field', 'ui:help', 'ui:placeholder', 'ui:options']);

/** Kinds whose widget is a choice of presentation (radio buttons or a drop-down), not the kind. */
const CHOSEN_WIDGET: ReadonlySet<FieldType> = new Set(['boolean', 'select', 'multiselect']);
/** The widget a new field of this kind gets. */
export const NEW_FIELD_WIDGET: Partial<Record<FieldType, string>> = {
  boolean: 'radio',
  multiselect: 'checkboxes',
};

const WIDGET_OF: Partial<Record<FieldType, string>> = {
  textarea: 'textarea',
  idCard: 'idCard',
  mobile: 'mobile',
  attachments: 'attachments',
  signature: 'signature',
  money: 'money',
  department: 'department',
  member: 'member',
};

function choices(f: FieldModel): Json {
  const opts = f.options?.length ? f.options : [{ value: '选项1' }];
  const type = f.valueType ?? 'string';
  return opts.some((o) => o.label !== undefined)
    ? { type, oneOf: opts.map((o) => ({ const: o.value, title: o.label ?? String(o.value) })) }
    : { type, enum: opts.map((o) => o.value) };
}

/** Case-insensitive pattern for file name endings, e.g. `\.([Pp][Dd][Ff]|[Jj][Pp][Gg])$`. */
export function acceptPattern(exts: readonly string[]): string {
  const ci = (e: string) =>
    [...e]
      .map((c) =>
        /[a-z]/i.test(c)
          ? `[${c.toUpperCase()}${c.toLowerCase()}]`
          : c.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'),
      )
      .join('');
  return `\\.(${exts.map(ci).join('|')})$`;
}

/** The JSON Schema of one field (what the case data stores). */
export function fieldSchema(f: FieldModel): Json {
  if (f.type === 'json') return f.schema ?? {};
  const schema = { ...plainFieldSchema(f), ...(f.extra ?? {}) };
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
  const title = f.untitled && f.title === f.key ? {} : { title: f.title };
  const dflt = f.default !== undefined ? { default: f.default } : {};
  const range = {
    ...(f.minimum !== undefined ? { minimum: f.minimum } : {}),
    ...(f.maximum !== undefined ? { maximum: f.maximum } : {}),
  };
  switch (f.type) {
    case 'text':
    case 'textarea':
      return {
        type: 'string',
        ...title,
        ...(f.maxLength !== undefined ? { maxLength: f.maxLength } : {}),
        ...(f.pattern !== undefined ? { pattern: f.pattern } : {}),
        ...(f.patternMessage !== undefined ? { [PATTERN_MESSAGE]: f.patternMessage } : {}),
        ...dflt,
      };
    case 'signature':
    case 'department':
    case 'member':
      return { type: 'string', ...title };
    case 'number':
      return { type: f.valueType ?? 'number', ...title, ...range, ...dflt };
    case 'money':
      return { type: 'number', ...title, ...range, multipleOf: 0.01, ...dflt };
    case 'date':
      return { type: 'string', format: 'date', ...title, ...dflt };
    case 'boolean':
      return { type: 'boolean', ...title, ...dflt };
    case 'select': {
      const c = choices(f);
      return { type: c.type, ...title, ...c, ...dflt };
    }
    case 'multiselect':
      return { type: 'array', ...title, uniqueItems: true, items: choices(f), ...dflt };
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
    case 'attachments': {
      const name: Json = { type: 'string' };
      if (f.accept?.length) name.pattern = acceptPattern(f.accept);
      const size: Json = { type: 'integer' };
      if (f.maxSizeMB !== undefined) size.maximum = Math.round(f.maxSizeMB * 1024 * 1024);
      return {
        type: 'array',
        ...title,
        items: {
          type: 'object',
          required: ['name', 'ref'],
          properties: { name, size, type: { type: 'string' }, ref: { type: 'string' } },
        },
      };
    }
    case 'section':
      return { type: 'object', ...title, ...innerLevel(f).schema };
    case 'table':
      return { type: 'array', ...title, items: { type: 'object', ...innerLevel(f).schema } };
    case 'json':
      return f.schema ?? {};
  }
}

/**
 * A section's or sub-table's own level, built once per field object (field
 * models are never changed in place: an edit makes a new one). Schema and
 * uiSchema both need it; building it twice per level was exponential in depth.
 */
const levels = new WeakMap<FieldModel, { schema: Json; uiSchema: Json }>();
function innerLevel(f: FieldModel): { schema: Json; uiSchema: Json } {
  let built = levels.get(f);
  if (!built) {
    built = buildLevel(f.fields ?? [], f.origin?.level);
    levels.set(f, built);
  }
  return built;
}

/** The field's uiSchema entry, or undefined for none. */
function fieldUi(f: FieldModel): Json | undefined {
  if (f.type === 'json') return f.ui;
  const ui: Json = {};
  const widget = CHOSEN_WIDGET.has(f.type) ? f.widget : WIDGET_OF[f.type];
  if (widget) ui['ui:widget'] = widget;
  if (f.type === 'address') ui['ui:field'] = 'address';
  if (f.help) ui['ui:help'] = f.help;
  if (f.placeholder) ui['ui:placeholder'] = f.placeholder;
  if (f.type === 'attachments' && (f.accept?.length || f.maxSizeMB !== undefined)) {
    ui['ui:options'] = {
      ...(f.accept?.length ? { accept: f.accept.map((e) => `.${e}`).join(',') } : {}),
      ...(f.maxSizeMB !== undefined ? { maxSize: Math.round(f.maxSizeMB * 1024 * 1024) } : {}),
    };
  }
  if (f.type === 'section') Object.assign(ui, innerLevel(f).uiSchema);
  if (f.type === 'table') {
    const rows = innerLevel(f).uiSchema;
    if (Object.keys(rows).length) ui.items = rows;
  }
  Object.assign(ui, f.uiExtra ?? {});
  return Object.keys(ui).length ? ui : undefined;
}

const conditionPart = (when: VisibleWhen, props: Json, required: string[]): Json => ({
  if: { properties: { [when.field]: { const: when.equals } }, required: [when.field] },
  // biome-ignore lint/suspicious/noThenProperty: JSON Schema's if/then keyword
  then: { properties: props, ...(required.length ? { required } : {}) },
});

/** Merges a new order of fields into an order list as written: other entries ('*') keep their places. */
function mergeOrder(
  written: unknown[],
  fields: readonly FieldModel[],
  known: readonly string[],
): unknown[] {
  const fromOrigin = new Map(fields.filter((f) => f.origin).map((f) => [f.origin?.key, f]));
  const placed = fields.filter((f) => f.origin && written.includes(f.origin.key));
  let next = 0;
  const out: unknown[] = [];
  for (const entry of written) {
    if (typeof entry === 'string' && fromOrigin.has(entry)) out.push(placed[next++]?.key);
    else if (!(typeof entry === 'string' && known.includes(entry))) out.push(entry);
  }
  const added = fields.filter((f) => !(f.origin && known.includes(f.origin.key))).map((f) => f.key);
  const star = out.indexOf('*');
  if (star === -1) out.push(...added);
  else out.splice(star, 0, ...added);
  return out;
}

function buildLevel(
  fields: readonly FieldModel[],
  origin?: LevelOrigin,
): { schema: Json; uiSchema: Json } {
  const plain = fields.filter((f) => !f.visibleWhen);
  const byOrigin = new Map(plain.filter((f) => f.origin).map((f) => [f.origin?.key as string, f]));
  // Properties in the order they were written; new ones after them.
  const propOrder = [
    ...(origin?.props ?? []).flatMap((k) => {
      const f = byOrigin.get(k);
      return f ? [f] : [];
    }),
    ...plain.filter((f) => !(f.origin && origin?.props?.includes(f.origin.key))),
  ];
  const properties: Json = {};
  for (const f of propOrder) properties[f.key] = fieldSchema(f);

  let required: unknown[] | undefined;
  if (origin?.required) {
    required = origin.required.flatMap((r) => {
      if (typeof r !== 'string') return [r];
      const f = byOrigin.get(r);
      if (f) return f.required ? [f.key] : [];
      return origin.keys.includes(r) ? [] : [r];
    });
    for (const f of plain) if (f.required && !required.includes(f.key)) required.push(f.key);
    // `required: []` stays as written; a list emptied by the admin goes.
    if (!required.length && origin.required.length) required = undefined;
  } else {
    const req = plain.filter((f) => f.required).map((f) => f.key);
    if (req.length) required = req;
  }

  const groups = new Map<string, { when: VisibleWhen; props: Json; required: string[] }>();
  for (const f of fields) {
    if (!f.visibleWhen) continue;
    const k = JSON.stringify([f.visibleWhen.field, f.visibleWhen.equals]);
    const g = groups.get(k) ?? { when: f.visibleWhen, props: {}, required: [] };
    g.props[f.key] = fieldSchema(f);
    if (f.required) g.required.push(f.key);
    groups.set(k, g);
  }
  // An allOf that is more than show-when rules is kept whole in `rest`; new rules go after it.
  const kept = origin && Array.isArray(origin.rest.allOf) ? origin.rest.allOf : [];
  const allOf = [
    ...kept,
    ...[...groups.values()].map((g) => conditionPart(g.when, g.props, g.required)),
  ];

  const schema: Json = { ...(origin?.rest ?? {}) };
  if (fields.length || !origin || origin.props) schema.properties = properties;
  if (required) schema.required = required;
  if (allOf.length) schema.allOf = allOf;

  const uiSchema: Json = { ...(origin?.uiRest ?? {}) };
  for (const f of fields) {
    const ui = fieldUi(f);
    if (ui) uiSchema[f.key] = ui;
  }
  const natural = [...propOrder, ...fields.filter((f) => f.visibleWhen)].map((f) => f.key);
  const order = fields.map((f) => f.key);
  if (origin?.order) uiSchema['ui:order'] = mergeOrder(origin.order, fields, origin.keys);
  else if (!sameJson(order, natural)) uiSchema['ui:order'] = [...order, '*'];
  return { schema, uiSchema };
}

/**
 * The form's JSON Schema and uiSchema for these fields. Conditional fields
 * become `allOf` if/then. With the `origin` of a form read by `readForm`,
 * every part the builder does not edit is written back as it was.
 */
export function buildForm(
  fields: readonly FieldModel[],
  origin?: LevelOrigin,
  source?: { schema: Json; uiSchema?: Json },
): { schema: Json; uiSchema: Json } {
  const { schema, uiSchema } = buildLevel(fields, origin);
  const built = { schema: origin ? schema : { type: 'object', ...schema }, uiSchema };
  if (!source) return built;
  return {
    schema: keepWriting(built.schema, source.schema) as Json,
    uiSchema: keepWriting(built.uiSchema, source.uiSchema ?? {}) as Json,
  };
}

/** Every field as the case data schema needs it (conditional ones included), by key. */
export function dataSchemaProperties(fields: readonly FieldModel[]): Json {
  return Object.fromEntries(fields.map((f) => [f.key, fieldSchema(f)]));
}

/** The `definitions` / `$defs` of a form, which the case data schema needs for the form's `$ref`s. */
export function schemaDefinitions(schema: Json): { definitions?: Json; $defs?: Json } {
  return {
    ...(isObj(schema.definitions) ? { definitions: schema.definitions } : {}),
    ...(isObj(schema.$defs) ? { $defs: schema.$defs } : {}),
  };
}

function typeOf(s: Json, ui: Json): FieldType | undefined {
  const widget = ui['ui:widget'];
  if (ui['ui:field'] === 'address') return 'address';
  if (widget === 'idCard' || s.format === 'cn-id-card') return 'idCard';
  if (widget === 'mobile' || s.format === 'cn-mobile') return 'mobile';
  if (widget === 'attachments') return 'attachments';
  if (widget === 'signature') return 'signature';
  if (widget === 'textarea') return 'textarea';
  if (widget === 'money') return 'money';
  if (widget === 'department') return 'department';
  if (widget === 'member') return 'member';
  if (s.type === 'object' && isObj(s.properties)) return 'section';
  if (s.type === 'array' && isObj(s.items) && isObj(s.items.properties)) return 'table';
  if (
    s.type === 'array' &&
    isObj(s.items) &&
    (Array.isArray(s.items.enum) || Array.isArray(s.items.oneOf))
  )
    return 'multiselect';
  if (Array.isArray(s.enum) || Array.isArray(s.oneOf)) return 'select';
  if (s.type === 'number' || s.type === 'integer') return 'number';
  if (s.type === 'boolean') return 'boolean';
  if (s.type === 'string' && s.format === 'date') return 'date';
  if (s.type === 'string') return 'text';
  return undefined;
}

function readChoices(s: Json): Pick<FieldModel, 'options' | 'valueType'> {
  const valueType: Pick<FieldModel, 'valueType'> =
    s.type === 'number' || s.type === 'integer' ? { valueType: s.type } : {};
  if (Array.isArray(s.enum)) {
    return { ...valueType, options: s.enum.map((v) => ({ value: v as string | number })) };
  }
  const list = Array.isArray(s.oneOf) ? s.oneOf : [];
  return {
    ...valueType,
    options: list.map((o) => {
      const opt = isObj(o) ? o : {};
      return {
        value: opt.const as string | number,
        ...(typeof opt.title === 'string' ? { label: opt.title } : {}),
      };
    }),
  };
}

const num = (v: unknown) => (typeof v === 'number' ? v : undefined);
const str = (v: unknown) => (typeof v === 'string' ? v : undefined);
const defined = <T extends Json>(o: T): T =>
  Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;

/** The field as the builder reads it, before checking it writes back the same. */
function readVisual(
  key: string,
  s: Json,
  ui: Json | undefined,
  required: boolean,
): FieldModel | undefined {
  const fui = ui ?? {};
  const type = typeOf(s, fui);
  if (!type) return undefined;
  const opts = isObj(fui['ui:options']) ? fui['ui:options'] : {};
  const f: FieldModel = defined({
    key,
    type,
    title: str(s.title) ?? key,
    untitled: s.title === undefined ? true : undefined,
    required,
    help: str(fui['ui:help']),
    placeholder: str(fui['ui:placeholder']),
    widget: CHOSEN_WIDGET.has(type) ? str(fui['ui:widget']) : undefined,
    default: s.default,
    origin: { key },
  });
  if (type === 'select' || type === 'multiselect') {
    const c = readChoices(type === 'select' ? s : (s.items as Json));
    const want = c.valueType ? 'number' : 'string';
    if (!c.options?.length || c.options.some((o) => typeof o.value !== want)) return undefined;
    Object.assign(f, c);
  }
  if (type === 'number' && s.type === 'integer') f.valueType = 'integer';
  if (type === 'number' || type === 'money')
    Object.assign(f, defined({ minimum: num(s.minimum), maximum: num(s.maximum) }));
  if (type === 'text' || type === 'textarea') {
    Object.assign(
      f,
      defined({
        maxLength: num(s.maxLength),
        pattern: str(s.pattern),
        patternMessage: str(s[PATTERN_MESSAGE]),
      }),
    );
  }
  if (type === 'attachments') {
    const accept = str(opts.accept);
    const size = num(opts.maxSize);
    if (accept) f.accept = accept.split(',').map((e) => e.trim().replace(/^\./, ''));
    if (size !== undefined) f.maxSizeMB = size / 1024 / 1024;
  }
  if (type === 'section' || type === 'table') {
    const level = type === 'section' ? s : (s.items as Json);
    const levelUi = type === 'section' ? fui : isObj(fui.items) ? fui.items : {};
    const read = readLevel(
      level,
      levelUi,
      type === 'section' ? ['type', 'title', ...ANNOTATIONS] : ['type'],
      type === 'section' ? BUILDER_UI : new Set(),
    );
    f.fields = read.fields;
    f.origin = { key, level: read.origin };
  }
  const mark =
    type === 'address' && isObj(s.properties) && isObj(s.properties.detail)
      ? s.properties.detail['x-sensitive']
      : s['x-sensitive'];
  if (isSensitiveKind(mark)) f.sensitive = mark;
  const extra = Object.fromEntries(Object.entries(s).filter(([k]) => ANNOTATIONS.has(k)));
  if (Object.keys(extra).length) f.extra = extra;
  const uiExtra = Object.fromEntries(
    Object.entries(fui).filter(
      ([k]) =>
        k.startsWith('ui:') && !BUILDER_UI.has(k) && !(type === 'section' && k === 'ui:order'),
    ),
  );
  if (Object.keys(uiExtra).length) f.uiExtra = uiExtra;
  return f;
}

function readField(key: string, s: unknown, ui: unknown, required: boolean): FieldModel {
  const fui = isObj(ui) ? ui : undefined;
  if (isObj(s) && (ui === undefined || fui)) {
    const f = readVisual(key, s, fui, required);
    if (f && sameJson(fieldSchema(f), s) && sameJson(fieldUi(f), fui)) return f;
  }
  const title = isObj(s) && typeof s.title === 'string' ? s.title : key;
  return {
    key,
    type: 'json',
    title,
    required,
    schema: s as Json,
    ...(ui !== undefined ? { ui: ui as Json } : {}),
    origin: { key },
  };
}

/** Reads the builder's show-when rules out of `allOf`, or undefined when it holds anything else. */
function readConditions(
  allOf: unknown[],
): { when: VisibleWhen; props: Json; required: unknown[] }[] | undefined {
  const out: { when: VisibleWhen; props: Json; required: unknown[] }[] = [];
  for (const part of allOf) {
    if (!isObj(part) || !isObj(part.if) || !isObj(part.then)) return undefined;
    const ifProps = isObj(part.if.properties) ? part.if.properties : {};
    const [field, cond] = Object.entries(ifProps)[0] ?? [];
    if (!field || !isObj(cond) || !('const' in cond)) return undefined;
    const equals = cond.const;
    if (!['string', 'number', 'boolean'].includes(typeof equals)) return undefined;
    const when = { field, equals: equals as VisibleWhen['equals'] };
    const props = isObj(part.then.properties) ? part.then.properties : {};
    const required = Array.isArray(part.then.required) ? part.then.required : [];
    if (!sameJson(conditionPart(when, props, required as string[]), part)) return undefined;
    if (out.some((o) => sameJson([o.when.field, o.when.equals], [field, equals]))) return undefined;
    out.push({ when, props, required });
  }
  return out;
}

function readLevel(
  schema: Json,
  ui: Json,
  ownKeys: readonly string[],
  ownUi: ReadonlySet<string>,
): { fields: FieldModel[]; origin: LevelOrigin } {
  const props = isObj(schema.properties) ? schema.properties : {};
  const required = Array.isArray(schema.required) ? schema.required : undefined;
  const conditions = Array.isArray(schema.allOf) ? readConditions(schema.allOf) : undefined;
  const found: FieldModel[] = [];
  const uiOf = (key: string) => (Object.hasOwn(ui, key) ? ui[key] : undefined);
  for (const [key, s] of Object.entries(props))
    found.push(readField(key, s, uiOf(key), required?.includes(key) ?? false));
  for (const c of conditions ?? []) {
    for (const [key, s] of Object.entries(c.props)) {
      if (Object.hasOwn(props, key) || found.some((f) => f.key === key)) continue;
      found.push({
        ...readField(key, s, uiOf(key), c.required.includes(key)),
        visibleWhen: c.when,
      });
    }
  }
  const keys = found.map((f) => f.key);
  const order = Array.isArray(ui['ui:order']) ? ui['ui:order'] : undefined;
  const rank = (k: string) => {
    const i = order?.indexOf(k) ?? -1;
    return i === -1 ? (order?.length ?? 0) : i;
  };
  const fields = order ? [...found].sort((a, b) => rank(a.key) - rank(b.key)) : found;
  const handled = new Set(['properties', 'required', ...ownKeys, ...(conditions ? ['allOf'] : [])]);
  const origin: LevelOrigin = {
    rest: Object.fromEntries(Object.entries(schema).filter(([k]) => !handled.has(k))),
    uiRest: Object.fromEntries(
      Object.entries(ui).filter(([k]) => k !== 'ui:order' && !keys.includes(k) && !ownUi.has(k)),
    ),
    ...(isObj(schema.properties) ? { props: Object.keys(props) } : {}),
    keys,
    ...(required ? { required } : {}),
    ...(order ? { order } : {}),
  };
  return { fields, origin };
}

/**
 * Reads a form into builder fields. A property the builder cannot edit
 * visually becomes a `json` field kept exactly as written, and every other
 * part of the schema and uiSchema is kept in `origin`: `buildForm(fields,
 * origin, source)` of an untouched form gives back the same form.
 */
export function readForm(schema: Json, uiSchema: Json = {}): FormModel {
  // Nested too deep for any form (the checker says where): kept whole, not read.
  if (
    deepestPart(schema, MAX_SCHEMA_DEPTH) !== undefined ||
    deepestPart(uiSchema, MAX_SCHEMA_DEPTH) !== undefined
  )
    return { fields: [], origin: { rest: schema, uiRest: uiSchema, keys: [] }, opaque: true };
  const root = readLevel(schema, isObj(uiSchema) ? uiSchema : {}, [], new Set());
  // A section's level is part of the section: make sure sections were read back exactly.
  const rebuilt = buildForm(root.fields, root.origin, { schema, uiSchema });
  if (sameJson(rebuilt.schema, schema) && sameJson(rebuilt.uiSchema, uiSchema)) return root;
  return { fields: [], origin: { rest: schema, uiRest: uiSchema, keys: [] }, opaque: true };
}

/** The parts of a field the builder keeps without editing them (shown as JSON). */
export function keptParts(f: FieldModel): Json | undefined {
  const level = f.origin?.level;
  const parts: Json = {
    ...(f.extra ?? {}),
    ...(f.uiExtra ? { uiSchema: f.uiExtra } : {}),
    ...(level && Object.keys(level.rest).length ? level.rest : {}),
  };
  return Object.keys(parts).length ? parts : undefined;
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
