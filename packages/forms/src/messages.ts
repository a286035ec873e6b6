import type { Lang } from '@lianxin/spec';
import { type RJSFSchema, type RJSFValidationError, toPath, type UiSchema } from '@rjsf/utils';
import { describeIdCard } from './idcard';

// biome-ignore lint/suspicious/noExplicitAny: form data is whatever the schema describes
type Data = any;

/** One field's problem as a person reads it: where (data path) and what, in plain words. */
export interface FieldError {
  path: string[];
  message: string;
}

/** Which of several problems of one field is said: the first a person has to fix. */
const PRIORITY: Record<string, number> = {
  required: 0,
  type: 1,
  enum: 2,
  const: 2,
  minLength: 3,
  maxLength: 3,
  format: 4,
  pattern: 4,
};
const rank = (e: RJSFValidationError) => PRIORITY[e.name ?? ''] ?? 5;

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The sub-schema a data path points at (properties, items, local $ref), if it can be told. */
export function schemaAt(root: RJSFSchema, path: readonly string[]): RJSFSchema | undefined {
  const resolve = (s: unknown): RJSFSchema | undefined => {
    if (!isObject(s)) return undefined;
    const ref = s.$ref;
    if (typeof ref === 'string' && ref.startsWith('#/')) {
      let at: unknown = root;
      for (const part of ref.slice(2).split('/'))
        at = isObject(at) ? at[part.replaceAll('~1', '/').replaceAll('~0', '~')] : undefined;
      return isObject(at) ? (at as RJSFSchema) : undefined;
    }
    return s as RJSFSchema;
  };
  let node = resolve(root);
  for (const seg of path) {
    if (!node) return undefined;
    const props = node.properties;
    if (isObject(props) && seg in props) node = resolve(props[seg]);
    else if (isObject(node.items)) node = resolve(node.items);
    else if (Array.isArray(node.items) && /^\d+$/.test(seg))
      node = resolve(node.items[Number(seg)]);
    else return undefined;
  }
  return node;
}

function valueAt(data: Data, path: readonly string[]): unknown {
  let at: unknown = data;
  for (const seg of path) at = isObject(at) || Array.isArray(at) ? (at as Data)[seg] : undefined;
  return at;
}

function uiAt(ui: UiSchema | undefined, path: readonly string[]): UiSchema | undefined {
  let at: unknown = ui;
  for (const seg of path) at = isObject(at) ? (at[seg] ?? at.items) : undefined;
  return isObject(at) ? (at as UiSchema) : undefined;
}

const num = (v: unknown) => (typeof v === 'number' ? v : Number(v));

/**
 * What a person reads for one ajv error, in the UI language: 请填写姓名,
 * 手机号码应为 11 位数字，以 1 开头, not ajv's 应当有必需属性 '姓名' or the
 * pattern itself. Keywords without a sentence here keep ajv-i18n's text.
 */
export function plainMessage(
  e: RJSFValidationError,
  field: RJSFSchema | undefined,
  value: unknown,
  ui: UiSchema | undefined,
  lang: Lang,
): string {
  const zh = lang !== 'en';
  const uiTitle = typeof ui?.['ui:title'] === 'string' ? ui['ui:title'] : undefined;
  const title =
    uiTitle ||
    (typeof field?.title === 'string' && field.title) ||
    e.title ||
    (zh ? '此项' : 'this field');
  const params = (e.params ?? {}) as Record<string, unknown>;
  const mobile = field?.format === 'cn-mobile' || ui?.['ui:widget'] === 'mobile';
  const choice = Array.isArray(field?.enum) || Array.isArray(field?.oneOf);
  switch (e.name) {
    case 'required':
      if (choice || field?.type === 'boolean')
        return zh ? `请选择${title}` : `Please choose ${title}`;
      return zh ? `请填写${title}` : `Please fill in ${title}`;
    case 'minLength':
      if (num(params.limit) <= 1 || value === '')
        return zh ? `请填写${title}` : `Please fill in ${title}`;
      return zh
        ? `${title}至少 ${params.limit} 个字`
        : `${title} needs at least ${params.limit} characters`;
    case 'maxLength':
      return zh
        ? `${title}不能超过 ${params.limit} 个字`
        : `${title} may have at most ${params.limit} characters`;
    case 'minimum':
      return zh ? `${title}不能小于 ${params.limit}` : `${title} may not be below ${params.limit}`;
    case 'maximum':
      return zh ? `${title}不能大于 ${params.limit}` : `${title} may not be above ${params.limit}`;
    case 'exclusiveMinimum':
      return zh ? `${title}应大于 ${params.limit}` : `${title} must be above ${params.limit}`;
    case 'exclusiveMaximum':
      return zh ? `${title}应小于 ${params.limit}` : `${title} must be below ${params.limit}`;
    case 'multipleOf':
      return zh
        ? `${title}应为 ${params.multipleOf} 的倍数`
        : `${title} must be a multiple of ${params.multipleOf}`;
    case 'minItems':
      return zh
        ? `${title}至少要有 ${params.limit} 项`
        : `${title} needs at least ${params.limit} entries`;
    case 'maxItems':
      return zh
        ? `${title}最多 ${params.limit} 项`
        : `${title} may have at most ${params.limit} entries`;
    case 'uniqueItems':
      return zh ? `${title}有重复的项` : `${title} has an entry twice`;
    case 'enum':
    case 'const':
      return zh ? `请从列表中选择${title}` : `Please choose ${title} from the list`;
    case 'type': {
      const type = String(params.type ?? '');
      if (type === 'integer') return zh ? `${title}应为整数` : `${title} must be a whole number`;
      if (type === 'number') return zh ? `${title}应为数字` : `${title} must be a number`;
      return zh ? `${title}的内容不正确` : `${title} is not valid`;
    }
    case 'pattern':
      // The form's own words for its pattern (the form builder's 不符合格式时的提示).
      if (typeof field?.['x-pattern-message'] === 'string') return field['x-pattern-message'];
      if (mobile) return mobileMessage(title, lang);
      return zh ? `${title}的格式不正确` : `${title} is not in the expected form`;
    case 'format':
      switch (params.format) {
        case 'cn-mobile':
          return mobileMessage(title, lang);
        case 'cn-id-card': {
          const reason = typeof value === 'string' ? describeIdCard(value).reason : undefined;
          const why = reason ? (zh ? `：${reason['zh-CN']}` : `: ${reason.en}`) : '';
          return zh
            ? `${title}应为 18 位（最后一位可以是 X）${why}`
            : `${title} has 18 characters (the last may be X)${why}`;
        }
        case 'gb2260':
          return zh ? `请选择${title}所在的行政区划` : `Choose the division of ${title}`;
        case 'email':
          return zh ? `${title}不是有效的电子邮箱` : `${title} is not a valid email address`;
        case 'date':
          return zh ? `${title}应为日期，如 2026-01-31` : `${title} must be a date like 2026-01-31`;
        case 'date-time':
          return zh ? `${title}应为日期和时间` : `${title} must be a date and time`;
        case 'time':
          return zh ? `${title}应为时间，如 09:30` : `${title} must be a time like 09:30`;
        case 'uri':
        case 'url':
          return zh ? `${title}不是有效的网址` : `${title} is not a valid web address`;
        default:
          return zh ? `${title}的格式不正确` : `${title} is not in the expected form`;
      }
    default:
      return e.message ?? (zh ? `${title}的内容不正确` : `${title} is not valid`);
  }
}

function mobileMessage(title: string, lang: Lang): string {
  return lang === 'en'
    ? `${title} has 11 digits and starts with 1`
    : `${title}应为 11 位数字，以 1 开头`;
}

/** The data path of an RJSF error (`.petitioner.phone` → ['petitioner', 'phone']). */
export function errorPath(e: RJSFValidationError): string[] {
  const p = (e.property ?? '').replace(/^\./, '');
  return p ? toPath(p) : [];
}

/**
 * At most one problem per field, in plain words, the most basic first
 * (missing before too short before wrong format), in the order ajv found
 * the fields.
 */
export function oneErrorPerField(
  errors: readonly RJSFValidationError[],
  schema: RJSFSchema,
  uiSchema: UiSchema | undefined,
  data: Data,
  lang: Lang,
): FieldError[] {
  const best = new Map<string, { e: RJSFValidationError; path: string[]; order: number }>();
  errors.forEach((e, order) => {
    const path = errorPath(e);
    const key = JSON.stringify(path);
    const known = best.get(key);
    if (!known || rank(e) < rank(known.e)) best.set(key, { e, path, order: known?.order ?? order });
  });
  return [...best.values()]
    .sort((a, b) => a.order - b.order)
    .map(({ e, path }) => ({
      path,
      message: plainMessage(
        e,
        schemaAt(schema, path),
        valueAt(data, path),
        uiAt(uiSchema, path),
        lang,
      ),
    }));
}

/** The RJSF id of the field at a data path (`root_petitioner_phone`). */
export const fieldId = (path: readonly string[]) => ['root', ...path].join('_');

/**
 * The problems to show, by RJSF field id: those of fields the user has
 * typed in (their ids, or a containing field's id), or all after a submit.
 */
export function shownErrors(
  errors: readonly FieldError[],
  touched: ReadonlySet<string>,
  all: boolean,
): ReadonlyMap<string, string> {
  const out = new Map<string, string>();
  for (const { path, message } of errors) {
    const id = fieldId(path);
    if (!all && ![...touched].some((t) => id === t || id.startsWith(`${t}_`))) continue;
    out.set(id, message);
  }
  return out;
}
