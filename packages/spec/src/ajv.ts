import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import localizeEn from 'ajv-i18n/localize/en';
import localizeZh from 'ajv-i18n/localize/zh';
import { SENSITIVE_KEYWORD, SENSITIVE_KINDS } from './privacy';
import type { Bilingual } from './text';

/**
 * The one ajv setup shared by the checker, the engine (server-side form
 * validation) and the browser (RJSF), so a form that passes in one passes
 * in all. Form and case schemas are JSON Schema draft-07, as RJSF uses.
 */
/** The message a form shows when a value does not match the field's `pattern`. */
export const PATTERN_MESSAGE_KEYWORD = 'x-pattern-message';

export function createAjv(): Ajv {
  const ajv = new Ajv({
    allErrors: true,
    strict: true,
    strictTypes: false,
    strictRequired: false,
    strictTuples: false,
    // A property may also match a patternProperties pattern (both apply, as the standard says).
    allowMatchingProperties: true,
    // OpenAPI's `discriminator` on a oneOf, which RJSF reads to pick the option shown.
    discriminator: true,
    // 0.07 is a multiple of 0.01 (money), whatever binary floating point says.
    multipleOfPrecision: 8,
    messages: true,
  });
  addFormats(ajv);
  // The formats RJSF's own validator adds: its file widget writes data URLs, its colour widget colours.
  ajv.addFormat('data-url', /^data:([a-z]+\/[a-z0-9-+.]+)?;(?:name=(.*);)?base64,(.*)$/);
  ajv.addFormat(
    'color',
    /^(#?([0-9A-Fa-f]{3}){1,2}\b|aqua|black|blue|fuchsia|gray|green|lime|maroon|navy|olive|orange|purple|red|silver|teal|white|yellow|(rgb\(\s*\b([0-9]|[1-9][0-9]|1[0-9][0-9]|2[0-4][0-9]|25[0-5])\b\s*,\s*\b([0-9]|[1-9][0-9]|1[0-9][0-9]|2[0-4][0-9]|25[0-5])\b\s*,\s*\b([0-9]|[1-9][0-9]|1[0-9][0-9]|2[0-4][0-9]|25[0-5])\b\s*\))|(rgb\(\s*(\d?\d%|100%)+\s*,\s*(\d?\d%|100%)+\s*,\s*(\d?\d%|100%)+\s*\)))$/,
  );
  // RJSF's legacy labels for enum options; harmless to validation.
  ajv.addVocabulary(['enumNames']);
  // A sensitive field (encrypted at rest, masked by role): one of the kinds, nothing else.
  ajv.addKeyword({ keyword: SENSITIVE_KEYWORD, metaSchema: { enum: [...SENSITIVE_KINDS] } });
  // The form builder's message for a value that does not match `pattern` (请输入 6 位邮政编码).
  ajv.addKeyword({ keyword: PATTERN_MESSAGE_KEYWORD, metaSchema: { type: 'string' } });
  ajv.addFormat('cn-id-card', { type: 'string', validate: isValidIdCardNumber });
  ajv.addFormat('cn-mobile', { type: 'string', validate: (s: string) => /^1[3-9]\d{9}$/.test(s) });
  ajv.addFormat('gb2260', { type: 'string', validate: (s: string) => /^\d{6}$/.test(s) });
  return ajv;
}

const ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const ID_CHECK = '10X98765432';

/** GB 11643-1999 citizen ID number: 18 characters, a real birth date and the check character. */
export function isValidIdCardNumber(value: string): boolean {
  if (!/^\d{17}[\dX]$/.test(value)) return false;
  const year = Number(value.slice(6, 10));
  const month = Number(value.slice(10, 12));
  const day = Number(value.slice(12, 14));
  const birth = new Date(Date.UTC(year, month - 1, day));
  if (
    year < 1900 ||
    birth.getUTCFullYear() !== year ||
    birth.getUTCMonth() !== month - 1 ||
    birth.getUTCDate() !== day
  ) {
    return false;
  }
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(value[i]) * (ID_WEIGHTS[i] ?? 0);
  return ID_CHECK[sum % 11] === value[17];
}

let shared: Ajv | undefined;
const compiled = new Map<string, ValidateFunction>();

/**
 * Compiles a schema once per content (compiling costs 20–120 ms; validating
 * is microseconds). Throws ajv's own error when the schema does not compile.
 */
export function compileSchema(schema: object): ValidateFunction {
  const key = JSON.stringify(schema);
  let validate = compiled.get(key);
  if (!validate) {
    shared ??= createAjv();
    // A form edited in the designer keeps its $id: the new content replaces the old one.
    const id = (schema as { $id?: unknown }).$id;
    if (typeof id === 'string') shared.removeSchema(id);
    try {
      validate = shared.compile(schema);
    } catch (error) {
      // ajv may keep half of a schema that failed; the next one starts clean.
      shared = undefined;
      throw error;
    }
    compiled.set(key, validate);
  }
  return validate;
}

/** The JSON Schema dialect forms and case data use (as RJSF does). */
const DRAFT_07 = /^https?:\/\/json-schema\.org\/draft-07\/schema#?$/;

/** Why a schema does not compile: where (a JSON Pointer into the schema) and what, in both languages. */
export interface SchemaCompileProblem {
  /** ajv's own words (English). */
  detail: string;
  /** JSON Pointer into the schema ('' for the whole schema). */
  pointer: string;
  message: Bilingual;
}

const escapePointer = (k: string) => k.replace(/~/g, '~0').replace(/\//g, '~1');
const isObj = (v: unknown): v is Record<string, unknown> =>
  v !== null && typeof v === 'object' && !Array.isArray(v);
const SCHEMA_MAPS = ['properties', 'patternProperties', 'definitions', '$defs', 'dependencies'];
const SCHEMA_ONE = [
  'additionalItems',
  'additionalProperties',
  'contains',
  'propertyNames',
  'not',
  'if',
  'then',
  'else',
  'items',
];
const SCHEMA_LISTS = ['allOf', 'anyOf', 'oneOf', 'items'];

/** The direct subschemas of `schema` with their JSON Pointers. */
function childSchemas(schema: Record<string, unknown>, pointer: string): [unknown, string][] {
  const out: [unknown, string][] = [];
  for (const key of SCHEMA_MAPS) {
    const map = schema[key];
    if (isObj(map))
      for (const [k, v] of Object.entries(map))
        out.push([v, `${pointer}/${key}/${escapePointer(k)}`]);
  }
  for (const key of SCHEMA_ONE) out.push([schema[key], `${pointer}/${key}`]);
  for (const key of SCHEMA_LISTS) {
    const list = schema[key];
    if (Array.isArray(list))
      for (const [i, v] of list.entries()) out.push([v, `${pointer}/${key}/${i}`]);
  }
  return out.filter(([v]) => isObj(v));
}

/** Every subschema of `schema` (itself first) with its JSON Pointer, depth first. */
export function eachSubschema(
  schema: unknown,
  visit: (s: Record<string, unknown>, pointer: string) => void,
  pointer = '',
): void {
  if (!isObj(schema)) return;
  visit(schema, pointer);
  for (const [child, at] of childSchemas(schema, pointer)) eachSubschema(child, visit, at);
}

/** The deepest subschema that fails to compile on its own with the same error (definitions kept). */
function narrowDown(schema: Record<string, unknown>, detail: string): string {
  const defs = {
    ...(isObj(schema.definitions) ? { definitions: schema.definitions } : {}),
    ...(isObj(schema.$defs) ? { $defs: schema.$defs } : {}),
  };
  const fails = (s: Record<string, unknown>) => {
    try {
      createAjv().compile({ ...s, ...defs });
      return false;
    } catch (e) {
      return (e instanceof Error ? e.message : String(e)) === detail;
    }
  };
  let node = schema;
  let pointer = '';
  for (let depth = 0; depth < 64; depth++) {
    const next = childSchemas(node, pointer).find(
      ([child, at]) =>
        !/^\/(definitions|\$defs)\//.test(at) && fails(child as Record<string, unknown>),
    );
    if (!next) break;
    node = next[0] as Record<string, unknown>;
    pointer = next[1];
  }
  return pointer;
}

function findKeyword(schema: unknown, keyword: string, value?: unknown): string | undefined {
  let found: string | undefined;
  eachSubschema(schema, (s, at) => {
    if (found === undefined && keyword in s && (value === undefined || s[keyword] === value))
      found = `${at}/${escapePointer(keyword)}`;
  });
  return found;
}

const DISCRIMINATOR_ZH: [RegExp, (m: RegExpMatchArray) => string][] = [
  [/requires propertyName/, () => 'discriminator 需要 propertyName'],
  [
    /mapping is not supported/,
    () => '不支持 discriminator 的 mapping，请在每个 oneOf 选项中用 const 标明取值',
  ],
  [/requires oneOf/, () => 'discriminator 必须与 oneOf 一起使用'],
  [/must have "properties\/(.+)"/, (m) => `每个 oneOf 选项都要有属性 “${m[1]}”`],
  [/"(.+)" must be required/, (m) => `每个 oneOf 选项都要把 “${m[1]}” 列为必填（required）`],
  [/must have "const" or "enum"/, () => '每个 oneOf 选项中区分属性都要用 const 或 enum 给出取值'],
  [/values must be unique strings/, () => '各 oneOf 选项的区分值必须是互不相同的字符串'],
];

function locate(schema: Record<string, unknown>, detail: string, ajv: Ajv): SchemaCompileProblem {
  const at = (pointer: string, zh: string, en: string) => ({
    detail,
    pointer,
    message: { 'zh-CN': zh, en },
  });
  let m = /^unknown format "(.+)" ignored in schema at path "#(.*)"$/.exec(detail);
  if (m) {
    const known = Object.keys(ajv.formats);
    return at(
      `${m[2]}/format`,
      `不认识的格式 “${m[1]}”；可用的格式：${known.join('、')}`,
      `unknown format "${m[1]}"; known formats: ${known.join(', ')}`,
    );
  }
  m = /^strict mode: unknown keyword: "(.+)"$/.exec(detail);
  if (m) {
    const key = m[1] ?? '';
    return at(
      findKeyword(schema, key) ?? '',
      `JSON Schema draft-07 没有关键字 “${key}”（拼写错误？界面设置请写在 uiSchema 中）`,
      `JSON Schema draft-07 has no keyword "${key}" (misspelt? display settings go in the uiSchema)`,
    );
  }
  m = /^can't resolve reference (.+) from id/.exec(detail);
  if (m) {
    const ref = m[1] ?? '';
    return at(
      findKeyword(schema, '$ref', ref) ?? '',
      `引用 “${ref}” 找不到目标（definitions 或 $defs 中没有它）`,
      `reference "${ref}" points at nothing (not in definitions or $defs)`,
    );
  }
  if (detail.startsWith('discriminator: ')) {
    const rule = DISCRIMINATOR_ZH.find(([re]) => re.test(detail));
    const match = rule && detail.match(rule[0]);
    return at(
      findKeyword(schema, 'discriminator') ?? '',
      match && rule ? rule[1](match) : `discriminator 用法不符（${detail}）`,
      detail,
    );
  }
  if (detail.startsWith('schema is invalid:')) {
    ajv.validateSchema(schema);
    const first = ajv.errors?.[0];
    if (first) {
      const zh = [{ ...first }];
      const en = [{ ...first }];
      localizeZh(zh);
      localizeEn(en);
      return at(
        first.instancePath,
        `不符合 JSON Schema draft-07：${zh[0]?.message ?? ''}`,
        `not valid JSON Schema draft-07: ${en[0]?.message ?? ''}`,
      );
    }
  }
  m = /^strict mode: "(\$?\w+)"/.exec(detail);
  if (m) {
    const key = m[1] ?? '';
    const within = narrowDown(schema, detail);
    let where: string | undefined;
    eachSubschema(schema, (s, p) => {
      if (where === undefined && p.startsWith(within) && key in s) where = `${p}/${key}`;
    });
    const zh = /is ignored when "items" is not an array/.test(detail)
      ? `“${key}” 只在 items 是数组（逐项列出）时起作用，此处会被忽略；请删去`
      : /without "then" and "else"/.test(detail)
        ? '“if” 没有 “then” 或 “else”，不起作用；请补全或删去'
        : /without "if"/.test(detail)
          ? `“${key}” 没有 “if”，不起作用；请补全或删去`
          : `“${key}” 在此处不起作用（${detail.replace(/^strict mode: /, '')}）`;
    return at(where ?? within, zh, detail.replace(/^strict mode: /, ''));
  }
  m = /^Invalid regular expression: \/(.*)\/u?: (.*)$/.exec(detail);
  if (m) {
    const source = m[1] ?? '';
    return at(
      findKeyword(schema, 'pattern', source) ?? narrowDown(schema, detail),
      `“${source}”不是有效的正则表达式（${m[2]}）`,
      `"${source}" is not a valid regular expression (${m[2]})`,
    );
  }
  return at(
    narrowDown(schema, detail),
    `JSON Schema 无法编译（ajv：${detail}）`,
    `the JSON Schema does not compile: ${detail}`,
  );
}

/**
 * Why a schema does not compile (ajv's own words in `detail`), located by a
 * JSON Pointer into the schema with a message in Chinese and English, or
 * undefined when it compiles. Only JSON Schema draft-07 is accepted: a
 * 2019-09 or 2020-12 `$schema` is refused at `/$schema`.
 */
export function schemaCompileProblem(schema: unknown): SchemaCompileProblem | undefined {
  if (!isObj(schema)) {
    const detail = 'a JSON Schema must be an object';
    return { detail, pointer: '', message: { 'zh-CN': 'JSON Schema 必须是一个对象', en: detail } };
  }
  const dialect = schema.$schema;
  if (dialect !== undefined && !(typeof dialect === 'string' && DRAFT_07.test(dialect))) {
    const detail = `unsupported $schema ${JSON.stringify(dialect)}: forms use JSON Schema draft-07`;
    return {
      detail,
      pointer: '/$schema',
      message: {
        'zh-CN': `不支持的 JSON Schema 版本 ${JSON.stringify(dialect)}：表单使用 draft-07，请删去 “$schema” 或写 http://json-schema.org/draft-07/schema#`,
        en: `unsupported JSON Schema version ${JSON.stringify(dialect)}: forms use draft-07; remove "$schema" or write http://json-schema.org/draft-07/schema#`,
      },
    };
  }
  const deep = deepestPart(schema, MAX_SCHEMA_DEPTH);
  if (deep !== undefined) return tooDeep(deep);
  try {
    compileSchema(schema);
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    return locate(schema, detail, createAjv());
  }
  return formShapeProblem(schema);
}

/**
 * What no form can be drawn with, whatever ajv says: a `$ref` outside the
 * form (RJSF resolves only its own definitions) or an object that contains
 * itself (RJSF would never finish). Cheap: nothing is compiled.
 */
export function formShapeProblem(
  schema: Record<string, unknown>,
): SchemaCompileProblem | undefined {
  const deep = deepestPart(schema, MAX_SCHEMA_DEPTH);
  if (deep !== undefined) return tooDeep(deep);
  let outside: { pointer: string; ref: string } | undefined;
  eachSubschema(schema, (s, p) => {
    if (!outside && typeof s.$ref === 'string' && !s.$ref.startsWith('#'))
      outside = { pointer: `${p}/$ref`, ref: s.$ref };
  });
  if (outside) {
    return {
      detail: `${outside.ref} points outside the form`,
      pointer: outside.pointer,
      message: {
        'zh-CN': `引用 “${outside.ref}” 指向表单之外；表单只能引用自己的 definitions 或 $defs（#/definitions/…）`,
        en: `reference "${outside.ref}" points outside the form; a form can only refer to its own definitions or $defs (#/definitions/…)`,
      },
    };
  }
  // RJSF resolves a reference from the top of the form ($id does not move it).
  let dangling: { pointer: string; ref: string } | undefined;
  eachSubschema(schema, (s, p) => {
    const ref = s.$ref;
    if (dangling || typeof ref !== 'string' || ref === '#') return;
    if (!ref.startsWith('#/') || pointerTarget(schema, ref) === undefined)
      dangling = { pointer: `${p}/$ref`, ref };
  });
  if (dangling) {
    return {
      detail: `${dangling.ref} does not point into the form from its top`,
      pointer: dangling.pointer,
      message: {
        'zh-CN': `引用 “${dangling.ref}” 在表单中找不到目标；请写成从表单顶层起的路径，如 #/definitions/地址`,
        en: `reference "${dangling.ref}" finds nothing in the form; write a path from the top of the form, e.g. #/definitions/address`,
      },
    };
  }
  const cycle = objectCycle(schema);
  if (cycle) {
    return {
      detail: `${cycle.ref} makes an object contain itself (a form would nest without end)`,
      pointer: cycle.pointer,
      message: {
        'zh-CN': `引用 “${cycle.ref}” 使对象包含它自己，表单会无限嵌套而无法显示；重复的部分请放进子表（数组）`,
        en: `reference "${cycle.ref}" makes an object contain itself, so a form would nest without end; put the repeating part in a sub-table (an array)`,
      },
    };
  }
  return undefined;
}

/** JSON nesting a form may have (about 30 levels of fields in fields): inputs are bounded. */
export const MAX_SCHEMA_DEPTH = 64;

/** The pointer of the first value nested deeper than `max` (no recursion: any depth is safe). */
export function deepestPart(value: unknown, max: number): string | undefined {
  const stack: [unknown, string, number][] = [[value, '', 0]];
  while (stack.length) {
    const [v, at, depth] = stack.pop() as [unknown, string, number];
    if (v === null || typeof v !== 'object') continue;
    if (depth >= max) return at;
    for (const [k, x] of Object.entries(v)) stack.push([x, `${at}/${escapePointer(k)}`, depth + 1]);
  }
  return undefined;
}

function tooDeep(pointer: string): SchemaCompileProblem {
  return {
    detail: `nested deeper than ${MAX_SCHEMA_DEPTH} levels`,
    pointer,
    message: {
      'zh-CN': `嵌套过深（超过 ${MAX_SCHEMA_DEPTH} 层），表单无法显示；请减少分组的层数`,
      en: `nested deeper than ${MAX_SCHEMA_DEPTH} levels, so no form can show it; use fewer levels of sections`,
    },
  };
}

/** What a local `#/…` reference points at from the top of the schema, if anything. */
function pointerTarget(schema: unknown, ref: string): unknown {
  let at: unknown = schema;
  for (const raw of ref.slice(2).split('/')) {
    let token: string;
    try {
      token = decodeURIComponent(raw).replace(/~1/g, '/').replace(/~0/g, '~');
    } catch {
      return undefined;
    }
    if (Array.isArray(at)) at = at[Number(token)];
    else if (isObj(at) && Object.hasOwn(at, token)) at = at[token];
    else return undefined;
  }
  return at;
}

/**
 * A local `$ref` by which an object contains itself through properties
 * (and allOf/anyOf/oneOf) alone. A form draws every property of an object,
 * so it would nest without end; through an array (`items`) it stops, as a
 * list starts empty. Returns where the closing `$ref` is.
 */
export function objectCycle(
  schema: Record<string, unknown>,
): { pointer: string; ref: string } | undefined {
  const resolve = (ref: string): unknown => {
    if (ref === '#') return schema;
    if (!ref.startsWith('#/')) return undefined;
    let at: unknown = schema;
    for (const raw of ref.slice(2).split('/')) {
      const token = decodeURIComponent(raw).replace(/~1/g, '/').replace(/~0/g, '~');
      at = isObj(at) ? at[token] : undefined;
    }
    return at;
  };
  const onPath = new Set<unknown>([schema]);
  const cleared = new Set<unknown>();
  const walk = (node: unknown, pointer: string): { pointer: string; ref: string } | undefined => {
    if (!isObj(node)) return undefined;
    const ref = node.$ref;
    if (typeof ref === 'string') {
      const target = resolve(ref);
      if (onPath.has(target)) return { pointer: `${pointer}/$ref`, ref };
      if (isObj(target) && !cleared.has(target)) {
        onPath.add(target);
        const found = walk(target, ref === '#' ? '' : ref.slice(1));
        onPath.delete(target);
        if (found) return found;
        cleared.add(target);
      }
    }
    const props = node.properties;
    if (isObj(props)) {
      for (const [k, v] of Object.entries(props)) {
        const found = walk(v, `${pointer}/properties/${escapePointer(k)}`);
        if (found) return found;
      }
    }
    for (const key of ['allOf', 'anyOf', 'oneOf']) {
      const list = node[key];
      if (!Array.isArray(list)) continue;
      for (const [i, v] of list.entries()) {
        const found = walk(v, `${pointer}/${key}/${i}`);
        if (found) return found;
      }
    }
    return undefined;
  };
  return walk(schema, '');
}

export interface DataError {
  /** JSON Pointer into the validated data. */
  pointer: string;
  keyword: string;
  message: Bilingual;
}

/** ajv errors as located, bilingual messages (ajv-i18n for both languages). */
export function describeErrors(errors: ReadonlyArray<ErrorObject> | null | undefined): DataError[] {
  if (!errors?.length) return [];
  const en = errors.map((e) => ({ ...e }));
  const zh = errors.map((e) => ({ ...e }));
  localizeEn(en);
  localizeZh(zh);
  return errors.map((e, i) => {
    const missing = e.keyword === 'required' ? `/${String(e.params.missingProperty)}` : '';
    return {
      pointer: e.instancePath + missing,
      keyword: e.keyword,
      message: { 'zh-CN': zh[i]?.message ?? '', en: en[i]?.message ?? '' },
    };
  });
}

/** Validates data against a (cached) schema; an empty list means valid. */
export function validateData(schema: object, data: unknown): DataError[] {
  const validate = compileSchema(schema);
  if (validate(data)) return [];
  const errors = validate.errors ?? [];
  return describeErrors(errors).map((d, i) => {
    const message =
      errors[i]?.keyword === 'pattern' && patternMessage(schema, errors[i]?.schemaPath);
    return message ? { ...d, message: { 'zh-CN': message, en: message } } : d;
  });
}

/** The form's own message (`x-pattern-message`) beside the `pattern` at this schema path, if any. */
export function patternMessage(
  schema: unknown,
  schemaPath: string | undefined,
): string | undefined {
  if (!schemaPath?.startsWith('#/')) return undefined;
  let at: unknown = schema;
  const tokens = schemaPath.slice(2).split('/').slice(0, -1);
  for (const raw of tokens) {
    const token = decodeURIComponent(raw).replace(/~1/g, '/').replace(/~0/g, '~');
    if (Array.isArray(at)) at = at[Number(token)];
    else if (isObj(at)) at = at[token];
    else return undefined;
  }
  const message = isObj(at) ? at[PATTERN_MESSAGE_KEYWORD] : undefined;
  return typeof message === 'string' ? message : undefined;
}
