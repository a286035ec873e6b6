import { CHANNELS, type Lang, URGENCY_COLOURS } from '@lianxin/spec';
import type { Field, RuleGroupType } from 'react-querybuilder';
import { formatQuery } from 'react-querybuilder/formatQuery';
import { parseJsonLogic } from 'react-querybuilder/parseJsonLogic';

type Json = Record<string, unknown>;
const isObj = (v: unknown): v is Json => v !== null && typeof v === 'object' && !Array.isArray(v);

/** A variable a condition can read, with its type from the case data schema. */
export interface ConditionVariable {
  name: string;
  label: string;
  type: 'string' | 'number' | 'boolean' | 'other';
  enum?: (string | number)[];
}

const CHANNEL_NAMES: Record<string, string> = {
  visit: '来访',
  letter: '来信',
  online: '网上',
  phone: '电话',
  hotline: '12345 热线',
  grid: '网格上报',
};
const URGENCY_NAMES: Record<string, string> = { red: '红', yellow: '黄', blue: '蓝', green: '绿' };

/** Every variable of the case data schema (nested objects as dotted paths) plus `$case.*`. */
export function conditionVariables(dataSchema: unknown, lang: Lang): ConditionVariable[] {
  const out: ConditionVariable[] = [];
  const walk = (schema: unknown, prefix: string, labelPrefix: string) => {
    if (!isObj(schema) || !isObj(schema.properties)) return;
    for (const [key, s] of Object.entries(schema.properties)) {
      if (!isObj(s)) continue;
      const name = prefix + key;
      const label = labelPrefix + (typeof s.title === 'string' ? s.title : key);
      if (s.type === 'object') {
        walk(s, `${name}.`, `${label} · `);
        continue;
      }
      const type =
        s.type === 'string' || s.type === 'boolean'
          ? s.type
          : s.type === 'number' || s.type === 'integer'
            ? 'number'
            : 'other';
      if (type === 'other') continue;
      out.push({
        name,
        label,
        type,
        ...(Array.isArray(s.enum) ? { enum: s.enum as (string | number)[] } : {}),
      });
    }
  };
  walk(dataSchema, '', '');
  const zh = lang === 'zh-CN';
  out.push(
    {
      name: '$case.channel',
      label: zh ? '来源渠道' : 'Channel',
      type: 'string',
      enum: [...CHANNELS],
    },
    {
      name: '$case.urgency',
      label: zh ? '四色等级' : 'Urgency',
      type: 'string',
      enum: [...URGENCY_COLOURS],
    },
    { name: '$case.repeat', label: zh ? '重复信访' : 'Repeat petition', type: 'boolean' },
  );
  return out;
}

const OPS = {
  eq: { name: '=', zh: '等于', en: 'equals' },
  ne: { name: '!=', zh: '不等于', en: 'not equal' },
  lt: { name: '<', zh: '小于', en: 'less than' },
  le: { name: '<=', zh: '小于等于', en: 'at most' },
  gt: { name: '>', zh: '大于', en: 'greater than' },
  ge: { name: '>=', zh: '大于等于', en: 'at least' },
  in: { name: 'in', zh: '属于其中之一', en: 'is one of' },
};
const op = (o: keyof typeof OPS, lang: Lang) => ({
  name: OPS[o].name,
  value: OPS[o].name,
  label: lang === 'en' ? OPS[o].en : OPS[o].zh,
});

/** react-querybuilder fields, with only operators JSON Logic (and the checker) understands. */
export function queryFields(vars: readonly ConditionVariable[], lang: Lang): Field[] {
  const zh = lang === 'zh-CN';
  return vars.map((v) => {
    const base = { name: v.name, label: v.label, value: v.name };
    if (v.type === 'boolean') {
      return {
        ...base,
        operators: [op('eq', lang)],
        valueEditorType: 'select',
        values: [
          { name: 'true', value: 'true', label: zh ? '是' : 'yes' },
          { name: 'false', value: 'false', label: zh ? '否' : 'no' },
        ],
        defaultValue: 'true',
      } satisfies Field;
    }
    if (v.enum) {
      const names =
        v.name === '$case.channel'
          ? CHANNEL_NAMES
          : v.name === '$case.urgency'
            ? URGENCY_NAMES
            : {};
      return {
        ...base,
        operators: [op('eq', lang), op('ne', lang), op('in', lang)],
        valueEditorType: (o: string) => (o === 'in' ? 'multiselect' : 'select'),
        values: v.enum.map((x) => ({
          name: String(x),
          value: String(x),
          label: zh ? (names[String(x)] ?? String(x)) : String(x),
        })),
        defaultValue: String(v.enum[0]),
      } satisfies Field;
    }
    if (v.type === 'number') {
      return {
        ...base,
        inputType: 'number',
        operators: (['eq', 'ne', 'lt', 'le', 'gt', 'ge'] as const).map((o) => op(o, lang)),
      } satisfies Field;
    }
    return { ...base, operators: [op('eq', lang), op('ne', lang)] } satisfies Field;
  });
}

/** Gives values the type of the variable they are compared with (querybuilder edits strings). */
function coerce(logic: unknown, types: ReadonlyMap<string, ConditionVariable['type']>): unknown {
  if (Array.isArray(logic)) return logic.map((x) => coerce(x, types));
  if (!isObj(logic)) return logic;
  const [op, args] = Object.entries(logic)[0] ?? [];
  if (!op) return logic;
  if (op === 'var') return logic;
  if (Array.isArray(args) && args.length === 2) {
    const [a, b] = args;
    const varName = isObj(a) && typeof a.var === 'string' ? a.var : undefined;
    const t = varName ? types.get(varName) : undefined;
    const fix = (v: unknown): unknown => {
      if (Array.isArray(v)) return v.map(fix);
      if (t === 'boolean' && (v === 'true' || v === 'false')) return v === 'true';
      if (t === 'number' && typeof v === 'string' && v.trim() !== '' && !Number.isNaN(Number(v))) {
        return Number(v);
      }
      return v;
    };
    if (t) return { [op]: [a, fix(b)] };
  }
  return { [op]: Array.isArray(args) ? args.map((x) => coerce(x, types)) : coerce(args, types) };
}

/** The querybuilder's query as JSON Logic, values typed from the case data schema. */
export function queryToJsonLogic(
  query: RuleGroupType,
  vars: readonly ConditionVariable[],
): unknown {
  const logic = formatQuery(query, { format: 'jsonlogic', parseNumbers: true });
  return coerce(logic, new Map(vars.map((v) => [v.name, v.type])));
}

/**
 * What a condition edge stores for the builder's query: its JSON Logic, or
 * nothing while the query has no rules (an empty query is not "always true";
 * the checker then says the edge needs a condition).
 */
export function conditionFromQuery(
  query: RuleGroupType,
  vars: readonly ConditionVariable[],
): Record<string, unknown> | undefined {
  if (query.rules.length === 0) return undefined;
  const logic = queryToJsonLogic(query, vars);
  return isObj(logic) ? logic : undefined;
}

/** JSON Logic back into a querybuilder query (what the builder cannot show becomes an empty group). */
export function jsonLogicToQuery(logic: unknown): RuleGroupType {
  try {
    const q = parseJsonLogic(logic as Parameters<typeof parseJsonLogic>[0]);
    // Booleans display as the select's string values.
    const walk = (g: RuleGroupType): RuleGroupType => ({
      ...g,
      rules: g.rules.map((r) =>
        'rules' in r
          ? walk(r as RuleGroupType)
          : typeof r === 'object' && typeof r.value === 'boolean'
            ? { ...r, value: String(r.value) }
            : r,
      ),
    });
    return walk(q);
  } catch {
    return { combinator: 'and', rules: [] };
  }
}

const OP_TEXT: Record<string, string> = {
  '==': '=',
  '===': '=',
  '!=': '≠',
  '!==': '≠',
  '<': '<',
  '<=': '≤',
  '>': '>',
  '>=': '≥',
  in: '∈',
};

/**
 * A short reading of a condition for its edge label, e.g. “是否受理 = 是”;
 * undefined when it is not a plain comparison (the label then says 条件).
 */
export function describeCondition(
  logic: unknown,
  dataSchema: unknown,
  lang: Lang,
): string | undefined {
  const vars = new Map(conditionVariables(dataSchema, lang).map((v) => [v.name, v.label]));
  const zh = lang === 'zh-CN';
  const value = (v: unknown): string =>
    v === true
      ? zh
        ? '是'
        : 'yes'
      : v === false
        ? zh
          ? '否'
          : 'no'
        : Array.isArray(v)
          ? v.join('/')
          : String(v);
  const walk = (l: unknown): string | undefined => {
    if (!isObj(l)) return undefined;
    const [op, args] = Object.entries(l)[0] ?? [];
    if (!op || !Array.isArray(args)) return undefined;
    if (op === 'and' || op === 'or') {
      const parts = args.map(walk);
      if (parts.some((p) => p === undefined) || !parts.length) return undefined;
      return parts.join(op === 'and' ? (zh ? ' 且 ' : ' and ') : zh ? ' 或 ' : ' or ');
    }
    const sym = OP_TEXT[op];
    const [a, b] = args;
    if (!sym || !isObj(a) || typeof a.var !== 'string') return undefined;
    return `${vars.get(a.var) ?? a.var} ${sym} ${value(b)}`;
  };
  const text = walk(logic);
  return text && text.length <= 40 ? text : undefined;
}
