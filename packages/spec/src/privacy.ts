/**
 * Petitioners' personal data (信访人个人信息): sealed values, their masks, and
 * the fields a form marks sensitive. The server opens and masks before
 * anything leaves it (packages/api, sealed.ts); the browser only renders what
 * it got.
 */

/** 陈伯 → 陈*; 欧阳小明 → 欧***; a single character is hidden whole. */
export function maskName(name: string): string {
  if (name.length < 2) return '*';
  return name.slice(0, 1) + '*'.repeat(name.length - 1);
}

/** 13800138000 → 138****8000. */
export function maskPhone(phone: string): string {
  return phone.length > 7 ? `${phone.slice(0, 3)}****${phone.slice(-4)}` : '****';
}

/** 11010519491231002X → 1101**********002X: the region's first digits and the last four stay. */
export function maskIdCard(idCard: string): string {
  // Anything shorter than an ID number would show whole through its ends.
  if (idCard.length < 15) return '****';
  return `${idCard.slice(0, 4)}**********${idCard.slice(-4)}`;
}

/**
 * Case data as a case may start with it: a petitioner's phone and ID-card
 * number belong in the encrypted petitioner record, never in case data or
 * events, so copies a form put under `data.petitioner` are dropped. The
 * store's intake and the simulator both start cases through this.
 */
export function withoutContactDetails(data: Record<string, unknown>): Record<string, unknown> {
  const petitioner = data.petitioner;
  if (petitioner === null || typeof petitioner !== 'object' || Array.isArray(petitioner)) {
    return data;
  }
  const { phone: _phone, idCard: _idCard, ...rest } = petitioner as Record<string, unknown>;
  return { ...data, petitioner: rest };
}

/**
 * What a form field marked `"x-sensitive"` holds: a name, an address, an
 * ID-card number, a phone number, or free text about health, family and the
 * like. Each kind has its own mask.
 */
export const SENSITIVE_KINDS = ['name', 'address', 'idCard', 'phone', 'text'] as const;
export type SensitiveKind = (typeof SENSITIVE_KINDS)[number];

const KIND_SET: ReadonlySet<string> = new Set(SENSITIVE_KINDS);

export function isSensitiveKind(v: unknown): v is SensitiveKind {
  return typeof v === 'string' && KIND_SET.has(v);
}

/**
 * A sealed value is the string `lx:s1:<kind>:<ciphertext>`, where the
 * ciphertext is exactly what the store's `Vault.encrypt` returned (opaque,
 * it may contain ':'). Sealed strings travel through the engine, case data,
 * state and events as they are; only the api opens them, and never sends one
 * to a browser.
 */
export const SEALED_PREFIX = 'lx:s1:';

export function isSealed(v: unknown): v is string {
  if (typeof v !== 'string' || !v.startsWith(SEALED_PREFIX)) return false;
  const end = v.indexOf(':', SEALED_PREFIX.length);
  return end > 0 && KIND_SET.has(v.slice(SEALED_PREFIX.length, end)) && end < v.length - 1;
}

export function sealValue(kind: SensitiveKind, ciphertext: string): string {
  if (!KIND_SET.has(kind)) throw new Error(`unknown sensitive kind: ${String(kind)}`);
  return `${SEALED_PREFIX}${kind}:${ciphertext}`;
}

export function parseSealed(s: string): { kind: SensitiveKind; ciphertext: string } {
  if (!isSealed(s)) throw new Error('not a sealed value');
  const end = s.indexOf(':', SEALED_PREFIX.length);
  return {
    kind: s.slice(SEALED_PREFIX.length, end) as SensitiveKind,
    ciphertext: s.slice(end + 1),
  };
}

/**
 * A copy of a JSON value with every sealed string (at any depth, in arrays
 * and objects alike) replaced by `fn(sealed)`; everything else keeps its
 * shape. A part with no sealed string in it is returned as the same object.
 */
export function mapSealed(json: unknown, fn: (sealed: string) => unknown): unknown {
  if (typeof json === 'string') return isSealed(json) ? fn(json) : json;
  if (json === null || typeof json !== 'object') return json;
  if (Array.isArray(json)) {
    let out: unknown[] | null = null;
    for (let i = 0; i < json.length; i++) {
      const next = mapSealed(json[i], fn);
      if (next !== json[i] && out === null) out = json.slice(0, i);
      if (out !== null) out.push(next);
    }
    return out ?? json;
  }
  const entries = Object.entries(json as Record<string, unknown>);
  let out: Record<string, unknown> | null = null;
  for (let i = 0; i < entries.length; i++) {
    const [key, value] = entries[i] as [string, unknown];
    const next = mapSealed(value, fn);
    if (next !== value && out === null) out = Object.fromEntries(entries.slice(0, i));
    if (out !== null) out[key] = next;
  }
  return out ?? json;
}

/** Levels of a Chinese address, outermost first: province, prefecture, county, town. */
const ADDRESS_LEVELS: readonly RegExp[] = [
  /^[^\d\s省市区县旗镇乡]{1,8}?(?:特别行政区|自治区|省)/,
  /^[^\d\s省市区县旗镇乡]{1,8}?(?:自治州|地区|盟|市)/,
  /^[^\d\s省市区县旗镇乡]{1,8}?(?:自治县|县|旗|区|市)/,
  /^[^\d\s省市区县旗镇乡]{1,8}?(?:街道|镇|乡)/,
];

/**
 * 山东省泰安市泰山区岱庙街道红门路12号 → 山东省泰安市泰山区岱庙街道****: the
 * administrative divisions down to the county or town stay, the rest is hidden.
 */
export function maskAddress(address: string): string {
  let kept = '';
  let rest = address.trim();
  for (const level of ADDRESS_LEVELS) {
    const m = level.exec(rest);
    if (!m) continue;
    kept += m[0];
    rest = rest.slice(m[0].length);
  }
  return rest.length === 0 && kept.length > 0 ? kept : `${kept}****`;
}

/** What a person who may not see a sensitive value sees instead of it. */
export const HIDDEN_TEXT = '【已隐藏】';

export function maskSensitive(kind: SensitiveKind, plain: string): string {
  switch (kind) {
    case 'name':
      return maskName(plain);
    case 'phone':
      return maskPhone(plain);
    case 'idCard':
      return maskIdCard(plain);
    case 'address':
      return maskAddress(plain);
    case 'text':
      return HIDDEN_TEXT;
  }
}

/** The JSON Schema keyword that marks a form field sensitive: `"x-sensitive": "phone"`. */
export const SENSITIVE_KEYWORD = 'x-sensitive';

/** A sensitive field of a form or case schema: its path (`*` for every array item) and kind. */
export interface SensitiveField {
  path: string[];
  kind: SensitiveKind;
}

type Json = Record<string, unknown>;
const isJsonObject = (v: unknown): v is Json =>
  v !== null && typeof v === 'object' && !Array.isArray(v);

const fieldsCache = new WeakMap<object, SensitiveField[]>();

/** Every field a schema marks sensitive, through nested objects and array items. */
export function sensitiveFields(schema: unknown): SensitiveField[] {
  if (!isJsonObject(schema)) return [];
  const cached = fieldsCache.get(schema);
  if (cached) return cached;
  const out: SensitiveField[] = [];
  const walk = (s: unknown, path: string[], depth: number) => {
    if (!isJsonObject(s) || depth > 16) return;
    const kind = s[SENSITIVE_KEYWORD];
    if (isSensitiveKind(kind) && path.length) {
      out.push({ path, kind });
      return;
    }
    if (isJsonObject(s.properties))
      for (const [key, sub] of Object.entries(s.properties)) walk(sub, [...path, key], depth + 1);
    if (isJsonObject(s.items)) walk(s.items, [...path, '*'], depth + 1);
  };
  walk(schema, [], 0);
  fieldsCache.set(schema, out);
  return out;
}

/** Dotted case variables (`petitioner.name`) a schema marks sensitive; array fields are left out. */
export function sensitiveVariables(schema: unknown): Map<string, SensitiveKind> {
  const out = new Map<string, SensitiveKind>();
  for (const f of sensitiveFields(schema))
    if (!f.path.includes('*')) out.set(f.path.join('.'), f.kind);
  return out;
}

/**
 * Form data with every string at a field the schema marks sensitive replaced
 * by `seal(kind, plain)` (a sealed value); strings already sealed stay as
 * they are. Returns the same object when nothing is sensitive.
 */
export function sealSensitive(
  schema: unknown,
  data: unknown,
  seal: (kind: SensitiveKind, plain: string) => string,
): unknown {
  const fields = sensitiveFields(schema);
  if (!fields.length) return data;
  let out = data;
  const put = (value: unknown, path: readonly string[], kind: SensitiveKind): unknown => {
    if (path.length === 0) {
      if (typeof value === 'string')
        return isSealed(value) || value === '' ? value : seal(kind, value);
      if (Array.isArray(value)) return mapSame(value, (v) => put(v, path, kind));
      return value;
    }
    const [head, ...rest] = path as [string, ...string[]];
    if (head === '*')
      return Array.isArray(value) ? mapSame(value, (v) => put(v, rest, kind)) : value;
    if (!isJsonObject(value) || !(head in value)) return value;
    const next = put(value[head], rest, kind);
    return next === value[head] ? value : { ...value, [head]: next };
  };
  for (const f of fields) out = put(out, f.path, f.kind);
  return out;
}

/** `list.map(fn)`, or `list` itself when `fn` changed no item. */
function mapSame(list: unknown[], fn: (v: unknown) => unknown): unknown[] {
  const out = list.map(fn);
  return out.every((v, i) => v === list[i]) ? list : out;
}

const relaxedCache = new WeakMap<object, object>();

/**
 * The schema a form's data is checked against once it holds sealed values
 * (a child case started with its parent's sealed fields): each sensitive
 * field accepts either what it accepted or a sealed value of its kind.
 */
export function relaxedForSealed(schema: object): object {
  const cached = relaxedCache.get(schema);
  if (cached) return cached;
  const relax = (s: unknown, depth: number): unknown => {
    if (!isJsonObject(s) || depth > 16) return s;
    const kind = s[SENSITIVE_KEYWORD];
    if (isSensitiveKind(kind)) {
      const pattern = `^${SEALED_PREFIX}${kind}:`;
      return { anyOf: [s, { type: 'string', pattern }] };
    }
    let next = s;
    if (isJsonObject(s.properties)) {
      const props = Object.fromEntries(
        Object.entries(s.properties).map(([k, v]) => [k, relax(v, depth + 1)]),
      );
      next = { ...next, properties: props };
    }
    if (isJsonObject(s.items)) next = { ...next, items: relax(s.items, depth + 1) };
    return next;
  };
  const out = relax(schema, 0) as object;
  relaxedCache.set(schema, out);
  return out;
}

/** Whether any string in a JSON value is sealed. */
export function containsSealed(json: unknown): boolean {
  let found = false;
  mapSealed(json, (s) => {
    found = true;
    return s;
  });
  return found;
}
