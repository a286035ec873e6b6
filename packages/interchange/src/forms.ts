import { type Bilingual, FORM_FORMAT_VERSION, type FormDefinition } from '@lianxin/spec';
import { convertCondition } from './expression';
import { type InterchangeProblem, interchangeProblem } from './problems';

type Json = Record<string, unknown>;
export type FormSource = 'form-js' | 'formio';

/** What happened to one component of the imported form. */
export interface LostPart {
  /** The component's key (or its id or type when it has none). */
  component: string;
  type: string;
  label?: string;
  /** imported: nothing lost; partial: imported, some settings lost; skipped: not imported. */
  status: 'imported' | 'partial' | 'skipped';
  lost: Bilingual[];
}

export interface FormImportResult {
  /** The Lianxin form (JSON Schema + uiSchema), or undefined when the file is not a form at all. */
  form: FormDefinition | undefined;
  source: FormSource | undefined;
  /** One entry per component, in the file's order. */
  report: LostPart[];
  /** The same losses as problems (one per lost setting), for the CLI and the designer's dialog. */
  problems: InterchangeProblem[];
}

const isObj = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string | undefined =>
  typeof v === 'string' && v.trim() ? v.trim() : undefined;
const num = (v: unknown): number | undefined => {
  const n = typeof v === 'string' && v.trim() !== '' ? Number(v) : v;
  return typeof n === 'number' && Number.isFinite(n) ? n : undefined;
};
const KEY_PATTERN = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Which builder wrote this JSON: form-js has `schemaVersion` / `type: "default"`, Form.io `display` / `input`. */
export function detectFormSource(json: unknown): FormSource | undefined {
  if (!isObj(json) || !Array.isArray(json.components)) return undefined;
  if ('schemaVersion' in json || json.type === 'default' || 'executionPlatform' in json)
    return 'form-js';
  if ('display' in json || json.components.some((c) => isObj(c) && 'input' in c)) return 'formio';
  return 'form-js';
}

interface Field {
  key: string;
  schema: Json;
  ui: Json;
  required: boolean;
  showWhen?: { field: string; equals: string | number | boolean };
}

class FormReader {
  readonly report: LostPart[] = [];
  readonly fields: Field[] = [];
  private readonly keys = new Set<string>();

  constructor(readonly source: FormSource) {}

  read(components: unknown[]) {
    for (const c of components) if (isObj(c)) this.component(c);
  }

  private entry(c: Json): LostPart {
    const type = str(c.type) ?? '?';
    const label = str(c.label) ?? str(c.title) ?? str(c.legend);
    const part: LostPart = {
      component: str(c.key) ?? str(c.id) ?? type,
      type,
      ...(label ? { label } : {}),
      status: 'imported',
      lost: [],
    };
    this.report.push(part);
    return part;
  }

  private component(c: Json) {
    const type = str(c.type) ?? '';
    const part = this.entry(c);
    const lose = (zh: string, en: string) => {
      part.lost.push({ 'zh-CN': zh, en });
      if (part.status === 'imported') part.status = 'partial';
    };
    const skip = (zh: string, en: string) => {
      part.lost.push({ 'zh-CN': zh, en });
      part.status = 'skipped';
    };

    // Containers: their fields come up to the form's top level.
    const children =
      this.source === 'formio' && type === 'columns'
        ? (Array.isArray(c.columns) ? c.columns : []).flatMap((col) =>
            isObj(col) && Array.isArray(col.components) ? col.components : [],
          )
        : Array.isArray(c.components)
          ? c.components
          : undefined;
    if (children && ['group', 'panel', 'fieldset', 'well', 'columns', 'container'].includes(type)) {
      lose(
        '分组版式未保留，其中的字段放到了表单顶层',
        'the grouping layout is not kept; its fields moved to the top level of the form',
      );
      if (type === 'container' || str(c.path))
        lose(
          '分组的数据路径未保留，字段按自己的键写入案件数据',
          'the group’s data path is not kept; fields write under their own keys',
        );
      this.read(children);
      return;
    }

    const kind = this.kindOf(c);
    if (!kind) {
      skip(
        `组件类型 “${type}” 没有对应的连心字段，未导入`,
        `component type "${type}" has no Lianxin field and was not imported`,
      );
      return;
    }
    let key = str(c.key);
    if (!key) {
      skip('组件没有键（key），未导入', 'the component has no key and was not imported');
      return;
    }
    if (!KEY_PATTERN.test(key)) {
      const fixed = key.replace(/[^A-Za-z0-9_]+/g, '_').replace(/^(\d)/, '_$1');
      lose(
        `键 “${key}” 改为 “${fixed}”（连心字段名只含字母、数字和下划线）`,
        `key "${key}" became "${fixed}" (Lianxin field names hold letters, digits and _ only)`,
      );
      key = fixed;
    }
    if (this.keys.has(key)) {
      skip(`键 “${key}” 重复，未再次导入`, `key "${key}" is used twice; not imported again`);
      return;
    }
    this.keys.add(key);
    part.component = key;

    const label = str(c.label);
    const schema: Json = { ...this.schemaOf(kind, c, lose) };
    if (label) schema.title = label;
    const description = str(c.description);
    if (description) schema.description = description;
    const ui: Json = { ...this.uiOf(kind, c) };
    const placeholder = str(c.placeholder);
    if (placeholder) ui['ui:placeholder'] = placeholder;
    const defaultValue = c.defaultValue;
    if (
      defaultValue !== undefined &&
      defaultValue !== '' &&
      defaultValue !== null &&
      !isObj(defaultValue)
    )
      schema.default = defaultValue;

    const validate = isObj(c.validate) ? c.validate : {};
    const required = validate.required === true;
    this.validation(kind, validate, schema, lose);
    const showWhen = this.condition(c, lose);
    for (const setting of [
      'readonly',
      'disabled',
      'hidden',
      'calculateValue',
      'customConditional',
      'tooltip',
      'prefix',
      'suffix',
      'inputMask',
      'appearance',
    ] as const) {
      const v = c[setting];
      if (v === undefined || v === false || v === '' || (isObj(v) && !Object.keys(v).length))
        continue;
      lose(
        `设置 “${setting}” 没有对应，未导入`,
        `setting "${setting}" has no equivalent and was not imported`,
      );
    }
    this.fields.push({ key, schema, ui, required, ...(showWhen ? { showWhen } : {}) });
  }

  private kindOf(c: Json): string | undefined {
    const type = str(c.type) ?? '';
    const table: Record<string, string> = {
      textfield: 'text',
      email: 'email',
      phoneNumber: 'text',
      url: 'url',
      password: '',
      textarea: 'textarea',
      number: 'number',
      currency: 'number',
      select: 'select',
      radio: 'radio',
      checklist: 'checklist',
      selectboxes: 'checklist',
      taglist: 'checklist',
      checkbox: 'checkbox',
      datetime: 'date',
      day: 'date',
      time: 'time',
      filepicker: 'file',
      file: 'file',
    };
    const kind = table[type];
    if (kind === 'select' && c.multiple === true) return 'checklist';
    return kind || undefined;
  }

  private choices(
    c: Json,
    lose: (zh: string, en: string) => void,
  ): { value: unknown; label: string }[] {
    const raw =
      this.source === 'formio'
        ? Array.isArray(c.values)
          ? c.values
          : isObj(c.data) && Array.isArray(c.data.values)
            ? c.data.values
            : []
        : Array.isArray(c.values)
          ? c.values
          : [];
    if (str(c.valuesKey) || str(c.valuesExpression) || (c.dataSrc && c.dataSrc !== 'values'))
      lose(
        '选项来自变量、表达式或网址，无法导入；请在表单设计器中填写选项',
        'the options come from a variable, an expression or a URL and cannot be imported; enter them in the form builder',
      );
    return raw
      .filter(isObj)
      .map((o) => ({ value: o.value, label: str(o.label) ?? String(o.value) }));
  }

  private schemaOf(kind: string, c: Json, lose: (zh: string, en: string) => void): Json {
    switch (kind) {
      case 'text':
        return { type: 'string' };
      case 'textarea':
        return { type: 'string' };
      case 'email':
        return { type: 'string', format: 'email' };
      case 'url':
        return { type: 'string', format: 'uri' };
      case 'number':
        return { type: 'number' };
      case 'checkbox':
        return { type: 'boolean' };
      case 'time':
        return { type: 'string', format: 'time' };
      case 'date': {
        const subtype = str(c.subtype) ?? (c.enableTime === true ? 'datetime' : 'date');
        if (c.type === 'datetime' && this.source === 'formio' && c.enableTime !== false)
          return { type: 'string', format: 'date-time' };
        if (subtype === 'time') return { type: 'string', format: 'time' };
        if (subtype === 'datetime') return { type: 'string', format: 'date-time' };
        return { type: 'string', format: 'date' };
      }
      case 'select':
      case 'radio':
      case 'checklist': {
        const options = this.choices(c, lose);
        const allNumbers = options.length > 0 && options.every((o) => typeof o.value === 'number');
        const values = options.map((o) => (allNumbers ? o.value : String(o.value)));
        const labelled = options.some((o, i) => o.label !== String(values[i]));
        const choice: Json = { type: allNumbers ? 'number' : 'string' };
        if (options.length)
          Object.assign(
            choice,
            labelled
              ? { oneOf: options.map((o, i) => ({ const: values[i], title: o.label })) }
              : { enum: values },
          );
        if (kind !== 'checklist') return choice;
        if (c.type === 'selectboxes')
          lose(
            'Form.io 多选框的数据是“选项→是否选中”的对象，导入后是所选值的列表',
            'Form.io select boxes store an object of option flags; the import stores the list of chosen values',
          );
        return { type: 'array', items: choice, uniqueItems: true };
      }
      case 'file': {
        const name: Json = { type: 'string' };
        const accept = (str(c.accept) ?? str(c.filePattern) ?? '')
          .split(',')
          .map((a) => a.trim().replace(/^\*/, ''))
          .filter((a) => /^\.[A-Za-z0-9]+$/.test(a));
        if (accept.length)
          name.pattern = `\\.(${accept.map((a) => a.slice(1).replace(/[A-Za-z]/g, (ch) => `[${ch.toUpperCase()}${ch.toLowerCase()}]`)).join('|')})$`;
        const size: Json = { type: 'integer' };
        const max = /^(\d+(?:\.\d+)?)\s*(KB|MB|GB)$/i.exec(str(c.fileMaxSize) ?? '');
        if (max)
          size.maximum = Math.round(
            Number(max[1]) *
              1024 ** ({ KB: 1, MB: 2, GB: 3 }[(max[2] as string).toUpperCase()] as number),
          );
        if (c.multiple === false)
          lose(
            '只允许一个文件的限制未导入（附件字段可以上传多个文件）',
            'the one-file limit was not imported (an attachments field takes several files)',
          );
        if (str(c.storage) && c.storage !== 'base64')
          lose(
            `存储位置 “${String(c.storage)}” 未导入：附件存在连心自己的附件库`,
            `storage "${String(c.storage)}" was not imported: files go to Lianxin’s own attachment store`,
          );
        return {
          type: 'array',
          items: {
            type: 'object',
            required: ['name', 'ref'],
            properties: { name, size, type: { type: 'string' }, ref: { type: 'string' } },
          },
        };
      }
      default:
        return { type: 'string' };
    }
  }

  private uiOf(kind: string, c: Json): Json {
    switch (kind) {
      case 'textarea':
        return { 'ui:widget': 'textarea' };
      case 'radio':
        return { 'ui:widget': 'radio' };
      case 'checklist':
        return { 'ui:widget': 'checkboxes' };
      case 'file': {
        const accept = str(c.accept) ?? str(c.filePattern);
        return {
          'ui:widget': 'attachments',
          ...(accept ? { 'ui:options': { accept: accept.replace(/\*/g, '') } } : {}),
        };
      }
      default:
        return {};
    }
  }

  private validation(kind: string, v: Json, schema: Json, lose: (zh: string, en: string) => void) {
    const target = schema.type === 'array' ? schema : schema;
    const minLength = num(v.minLength);
    const maxLength = num(v.maxLength);
    const min = num(v.min);
    const max = num(v.max);
    const pattern = str(v.pattern);
    if (['text', 'textarea', 'email', 'url'].includes(kind)) {
      if (minLength !== undefined) target.minLength = minLength;
      if (maxLength !== undefined) target.maxLength = maxLength;
      if (pattern) {
        target.pattern = pattern;
        const message = str(v.customMessage) ?? str(v.patternMessage);
        if (message) target['x-pattern-message'] = message;
      }
    }
    if (kind === 'number') {
      if (min !== undefined) target.minimum = min;
      if (max !== undefined) target.maximum = max;
    }
    if (kind === 'checklist') {
      const minSelected = num(v.minSelectedCount);
      const maxSelected = num(v.maxSelectedCount);
      if (minSelected !== undefined) target.minItems = minSelected;
      if (maxSelected !== undefined) target.maxItems = maxSelected;
    }
    if (v.validationType === 'email') target.format = 'email';
    else if (v.validationType === 'phone')
      lose(
        '“电话号码”校验类型未导入，可在表单设计器中改用手机号码字段',
        'the "phone" validation type was not imported; use a mobile number field in the form builder',
      );
    for (const rule of [
      'custom',
      'json',
      'minWords',
      'maxWords',
      'minDate',
      'maxDate',
      'unique',
    ] as const) {
      const value = v[rule];
      if (
        value === undefined ||
        value === '' ||
        value === false ||
        (isObj(value) && !Object.keys(value).length)
      )
        continue;
      lose(
        `校验规则 “${rule}” 没有对应，未导入`,
        `validation rule "${rule}" has no equivalent and was not imported`,
      );
    }
  }

  /** A simple show/hide condition as the builder's show-when rule (field equals a value). */
  private condition(c: Json, lose: (zh: string, en: string) => void): Field['showWhen'] {
    const cond = c.conditional;
    if (!isObj(cond)) return undefined;
    if (this.source === 'formio') {
      const when = str(cond.when);
      if (!when) {
        if (cond.json)
          lose('JSON Logic 显示条件未导入', 'the JSON Logic display condition was not imported');
        return undefined;
      }
      const show = cond.show === true || cond.show === 'true';
      if (!show) {
        lose(
          `“${when} 等于 ${String(cond.eq)} 时隐藏” 无法表达（连心只有“等于某值时显示”），未导入`,
          `"hide when ${when} equals ${String(cond.eq)}" cannot be expressed (Lianxin has "show when a field equals a value" only) and was not imported`,
        );
        return undefined;
      }
      const eq = cond.eq;
      const equals =
        eq === 'true'
          ? true
          : eq === 'false'
            ? false
            : typeof eq === 'number' || typeof eq === 'boolean'
              ? eq
              : String(eq ?? '');
      return { field: when, equals };
    }
    const hide = str(cond.hide);
    if (!hide) return undefined;
    const converted = convertCondition(hide.startsWith('=') ? hide : `=${hide}`);
    const logic = converted.ok ? converted.logic : undefined;
    // hide when f != v  →  show when f == v;  hide when not(f = v)  →  show when f == v
    const negated = Array.isArray(logic?.['!']) ? (logic['!'] as unknown[])[0] : undefined;
    const inner = logic?.['!='] ?? (isObj(negated) ? negated['=='] : undefined);
    if (
      Array.isArray(inner) &&
      isObj(inner[0]) &&
      typeof inner[0].var === 'string' &&
      ['string', 'number', 'boolean'].includes(typeof inner[1])
    ) {
      return { field: inner[0].var, equals: inner[1] as string | number | boolean };
    }
    lose(
      `隐藏条件 “${hide}” 无法转换为“等于某值时显示”，未导入`,
      `the hide condition "${hide}" cannot be turned into "show when a field equals a value" and was not imported`,
    );
    return undefined;
  }
}

/**
 * Imports a form-js (Camunda Forms) or Form.io form as a Lianxin form: JSON
 * Schema for the data, an RJSF uiSchema for the layout, show-when rules as
 * `allOf` if/then (as the form builder writes them), and a report of what
 * each component lost.
 */
export function importForm(
  json: unknown,
  options: { id?: string; title?: string; source?: FormSource } = {},
): FormImportResult {
  const source = options.source ?? detectFormSource(json);
  if (!source || !isObj(json)) {
    return {
      form: undefined,
      source: undefined,
      report: [],
      problems: [
        interchangeProblem(
          'form.parse',
          '这不是 form-js 或 Form.io 表单（缺少 components 列表）',
          'this is not a form-js or Form.io form (it has no components list)',
          {},
          'error',
        ),
      ],
    };
  }
  const reader = new FormReader(source);
  reader.read(json.components as unknown[]);

  const known = new Set(reader.fields.map((f) => f.key));
  const properties: Json = {};
  const required: string[] = [];
  const groups = new Map<
    string,
    { when: NonNullable<Field['showWhen']>; props: Json; required: string[] }
  >();
  for (const f of reader.fields) {
    if (f.showWhen && !known.has(f.showWhen.field)) {
      const part = reader.report.find((p) => p.component === f.key);
      part?.lost.push({
        'zh-CN': `显示条件引用的字段 “${f.showWhen.field}” 不在表单中，条件未导入`,
        en: `the display condition reads "${f.showWhen.field}", which is not in the form; not imported`,
      });
      if (part?.status === 'imported') part.status = 'partial';
      delete f.showWhen;
    }
    if (!f.showWhen) {
      properties[f.key] = f.schema;
      if (f.required) required.push(f.key);
      continue;
    }
    const k = JSON.stringify([f.showWhen.field, f.showWhen.equals]);
    const g = groups.get(k) ?? { when: f.showWhen, props: {}, required: [] };
    g.props[f.key] = f.schema;
    if (f.required) g.required.push(f.key);
    groups.set(k, g);
  }
  const schema: Json = { type: 'object', properties };
  if (required.length) schema.required = required;
  if (groups.size)
    schema.allOf = [...groups.values()].map((g) => ({
      if: { properties: { [g.when.field]: { const: g.when.equals } }, required: [g.when.field] },
      // biome-ignore lint/suspicious/noThenProperty: JSON Schema's if/then keyword
      then: { properties: g.props, ...(g.required.length ? { required: g.required } : {}) },
    }));
  const uiSchema: Json = {};
  for (const f of reader.fields) if (Object.keys(f.ui).length) uiSchema[f.key] = f.ui;
  const order = reader.fields.map((f) => f.key);
  const natural = [
    ...reader.fields.filter((f) => !f.showWhen),
    ...reader.fields.filter((f) => f.showWhen),
  ].map((f) => f.key);
  if (order.join() !== natural.join()) uiSchema['ui:order'] = [...order, '*'];

  const rawId = options.id ?? str(json.id) ?? str(json.name) ?? str(json.path) ?? 'importedForm';
  const id = /^[A-Za-z][A-Za-z0-9_-]*$/.test(rawId)
    ? rawId
    : `form_${rawId.replace(/[^A-Za-z0-9_-]+/g, '_')}`;
  const title = options.title ?? str(json.title) ?? '导入的表单';
  const form: FormDefinition = {
    formatVersion: FORM_FORMAT_VERSION,
    id,
    title: { 'zh-CN': title },
    schema,
    ...(Object.keys(uiSchema).length ? { uiSchema } : {}),
  };
  const problems = reader.report.flatMap((part) =>
    part.lost.map((l) =>
      interchangeProblem(
        part.status === 'skipped' ? 'form.component' : 'form.lost',
        l['zh-CN'],
        l.en,
        {
          element: part.component,
          name: part.label,
        },
      ),
    ),
  );
  return { form, source, report: reader.report, problems };
}
