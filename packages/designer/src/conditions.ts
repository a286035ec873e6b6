import { CHANNELS, type Lang, SENSITIVE_KEYWORD, URGENCY_COLOURS } from '@lianxin/spec';
import type { Field, RuleGroupType, RuleType } from 'react-querybuilder';

type Json = Record<string, unknown>;
const isObj = (v: unknown): v is Json => v !== null && typeof v === 'object' && !Array.isArray(v);

// The condition builder reads and writes the JSON Logic the engine evaluates
// (spec's `evaluateCondition`, json-logic-js). Its model is a tree of and/or
// groups whose leaves are rules on one case variable, or expressions it
// cannot show, kept verbatim. Every node parsed from JSON Logic remembers
// that JSON (`source`) and gives it back while the node is unchanged, so a
// condition the admin did not edit is written back exactly as it was.

/** How a value is compared; each has one JSON Logic form the engine evaluates. */
export type RuleOp =
  | '=='
  | '!='
  | '<'
  | '<='
  | '>'
  | '>='
  | 'in'
  | 'notIn'
  | 'contains'
  | 'present'
  | 'empty';
export const RULE_OPS: readonly RuleOp[] = [
  '==',
  '!=',
  '<',
  '<=',
  '>',
  '>=',
  'in',
  'notIn',
  'contains',
  'present',
  'empty',
];
/** Operators without a value to compare with. */
export const UNARY_OPS: ReadonlySet<RuleOp> = new Set(['present', 'empty']);

export type Literal = string | number | boolean;
export interface ConditionRule {
  kind: 'rule';
  field: string;
  op: RuleOp;
  /** A literal; a list for `in` / `notIn`; absent for `present` / `empty`. */
  value?: Literal | Literal[];
  source?: unknown;
}
export interface RawCondition {
  kind: 'raw';
  logic: unknown;
}
export interface ConditionGroup {
  kind: 'group';
  combinator: 'and' | 'or';
  rules: ConditionNode[];
  source?: unknown;
}
export type ConditionNode = ConditionRule | RawCondition | ConditionGroup;

const isLiteral = (v: unknown): v is Literal =>
  typeof v === 'string' || typeof v === 'boolean' || (typeof v === 'number' && Number.isFinite(v));

/** The variable a `{ "var": name }` (or `{ "var": [name] }`) reads, if that is all it is. */
function readVar(expr: unknown): string | undefined {
  if (!isObj(expr)) return undefined;
  const keys = Object.keys(expr);
  if (keys.length !== 1 || keys[0] !== 'var') return undefined;
  const arg = Array.isArray(expr.var)
    ? expr.var.length === 1
      ? expr.var[0]
      : undefined
    : expr.var;
  return typeof arg === 'string' && arg !== '' ? arg : undefined;
}

const ONLY_ARG = (args: unknown): unknown =>
  Array.isArray(args) ? (args.length === 1 ? args[0] : undefined) : args;

const COMPARE: Record<string, RuleOp> = {
  '==': '==',
  '===': '==',
  '!=': '!=',
  '!==': '!=',
  '<': '<',
  '<=': '<=',
  '>': '>',
  '>=': '>=',
};

/** One rule read from its JSON Logic, or undefined when it is not one the builder shows. */
function parseRule(logic: unknown): Omit<ConditionRule, 'source'> | undefined {
  if (!isObj(logic)) return undefined;
  const keys = Object.keys(logic);
  if (keys.length !== 1) return undefined;
  const op = keys[0] as string;
  const args = logic[op];
  const compare = COMPARE[op];
  if (compare) {
    if (!Array.isArray(args) || args.length !== 2) return undefined;
    const field = readVar(args[0]);
    if (!field || !isLiteral(args[1])) return undefined;
    return { kind: 'rule', field, op: compare, value: args[1] };
  }
  if (op === 'in') {
    if (!Array.isArray(args) || args.length !== 2) return undefined;
    const [a, b] = args;
    const field = readVar(a);
    if (field && Array.isArray(b) && b.length > 0 && b.every(isLiteral)) {
      return { kind: 'rule', field, op: 'in', value: [...b] };
    }
    const container = readVar(b);
    if (container && isLiteral(a))
      return { kind: 'rule', field: container, op: 'contains', value: a };
    return undefined;
  }
  if (op === '!!') {
    const field = readVar(ONLY_ARG(args));
    return field ? { kind: 'rule', field, op: 'present' } : undefined;
  }
  if (op === '!') {
    const inner = ONLY_ARG(args);
    const field = readVar(inner);
    if (field) return { kind: 'rule', field, op: 'empty' };
    const oneOf = parseRule(inner);
    if (oneOf?.op === 'in') return { ...oneOf, op: 'notIn' };
    return undefined;
  }
  return undefined;
}

function parseNode(logic: unknown): ConditionNode {
  if (isObj(logic)) {
    const keys = Object.keys(logic);
    const op = keys[0];
    if (keys.length === 1 && (op === 'and' || op === 'or') && Array.isArray(logic[op])) {
      return {
        kind: 'group',
        combinator: op,
        rules: (logic[op] as unknown[]).map(parseNode),
        source: logic,
      };
    }
  }
  const rule = parseRule(logic);
  return rule ? { ...rule, source: logic } : { kind: 'raw', logic };
}

/**
 * A condition as the builder's model: always a group at the top (a single
 * rule is a one-rule `and` group that remembers it was written bare).
 */
export function parseCondition(logic: unknown): ConditionGroup {
  if (logic === undefined) return { kind: 'group', combinator: 'and', rules: [] };
  const node = parseNode(logic);
  if (node.kind === 'group') return node;
  return { kind: 'group', combinator: 'and', rules: [node], source: logic };
}

/** Whether two models mean the same tree (the remembered JSON aside). */
export function sameModel(a: ConditionNode, b: ConditionNode): boolean {
  // A rule the screen can only show as its JSON is the same as that JSON.
  if (a.kind === 'raw' && b.kind !== 'raw') {
    return JSON.stringify(a.logic) === JSON.stringify(nodeLogic(b, false));
  }
  if (b.kind === 'raw' && a.kind !== 'raw') return sameModel(b, a);
  if (a.kind !== b.kind) return false;
  if (a.kind === 'raw')
    return JSON.stringify(a.logic) === JSON.stringify((b as RawCondition).logic);
  if (a.kind === 'rule') {
    const r = b as ConditionRule;
    return (
      a.field === r.field && a.op === r.op && JSON.stringify(a.value) === JSON.stringify(r.value)
    );
  }
  const g = b as ConditionGroup;
  return (
    a.combinator === g.combinator &&
    a.rules.length === g.rules.length &&
    a.rules.every((x, i) => sameModel(x, g.rules[i] as ConditionNode))
  );
}

function ruleLogic(rule: ConditionRule): unknown {
  const v = { var: rule.field };
  switch (rule.op) {
    case 'present':
      return { '!!': v };
    case 'empty':
      return { '!': v };
    case 'in':
      return { in: [v, rule.value] };
    case 'notIn':
      return { '!': { in: [v, rule.value] } };
    case 'contains':
      return { in: [rule.value, v] };
    default:
      return { [rule.op]: [v, rule.value] };
  }
}

function nodeLogic(node: ConditionNode, top: boolean): unknown {
  if (node.kind === 'raw') return node.logic;
  if (node.source !== undefined) {
    const was = top ? parseCondition(node.source) : parseNode(node.source);
    if (sameModel(was, node)) return node.source;
  }
  if (node.kind === 'rule') return ruleLogic(node);
  // A group emptied while editing says nothing; it is left out.
  const rules = node.rules
    .filter((r) => r.kind !== 'group' || r.rules.length > 0)
    .map((r) => nodeLogic(r, false));
  return { [node.combinator]: rules };
}

/**
 * The model as JSON Logic: what was parsed and not changed comes back as it
 * was written; undefined when the top group has no rules (no condition).
 */
export function conditionToJsonLogic(model: ConditionGroup): unknown {
  if (!model.rules.some((r) => r.kind !== 'group' || r.rules.length > 0)) return undefined;
  return nodeLogic(model, true);
}

/** A variable a condition can read, with its type from the case data schema. */
export interface ConditionVariable {
  name: string;
  label: string;
  type: 'string' | 'number' | 'boolean' | 'date' | 'array';
  /** The choices of a choice field (of its items for a multi-choice list). */
  enum?: Literal[];
  /** Display names of the choices, by `String(value)`. */
  enumLabels?: Record<string, string>;
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

/** A choice field's values and labels: `enum`, or `oneOf` / `anyOf` of `{ const, title }`. */
function choicesOf(s: Json): Pick<ConditionVariable, 'enum' | 'enumLabels'> | undefined {
  if (Array.isArray(s.enum) && s.enum.every(isLiteral)) return { enum: s.enum as Literal[] };
  const list = Array.isArray(s.oneOf) ? s.oneOf : Array.isArray(s.anyOf) ? s.anyOf : undefined;
  if (!list?.length || !list.every((o) => isObj(o) && isLiteral(o.const))) return undefined;
  const labels: Record<string, string> = {};
  for (const o of list as Json[]) {
    if (typeof o.title === 'string') labels[String(o.const)] = o.title;
  }
  return { enum: (list as Json[]).map((o) => o.const as Literal), enumLabels: labels };
}

/**
 * Every variable of the case data schema a condition can test: text, dates,
 * numbers, yes/no and choice fields at any depth of nested objects (as
 * dotted paths), multi-choice lists, plus `$case.*`. Fields marked sensitive
 * are left out: the checker refuses a condition that reads them.
 */
export function conditionVariables(dataSchema: unknown, lang: Lang): ConditionVariable[] {
  const out: ConditionVariable[] = [];
  const walk = (schema: unknown, prefix: string, labelPrefix: string) => {
    if (!isObj(schema) || !isObj(schema.properties)) return;
    for (const [key, s] of Object.entries(schema.properties)) {
      if (!isObj(s) || s[SENSITIVE_KEYWORD] !== undefined) continue;
      const name = prefix + key;
      const label = labelPrefix + (typeof s.title === 'string' ? s.title : key);
      if (s.type === 'object') {
        walk(s, `${name}.`, `${label} · `);
        continue;
      }
      if (s.type === 'array') {
        const items = isObj(s.items) ? choicesOf(s.items) : undefined;
        if (items) out.push({ name, label, type: 'array', ...items });
        continue;
      }
      const type =
        s.type === 'string'
          ? typeof s.format === 'string' && s.format.startsWith('date')
            ? 'date'
            : 'string'
          : s.type === 'boolean'
            ? 'boolean'
            : s.type === 'number' || s.type === 'integer'
              ? 'number'
              : undefined;
      if (!type) continue;
      out.push({ name, label, type, ...(type !== 'boolean' ? choicesOf(s) : {}) });
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
      ...(zh ? { enumLabels: CHANNEL_NAMES } : {}),
    },
    {
      name: '$case.urgency',
      label: zh ? '四色等级' : 'Urgency',
      type: 'string',
      enum: [...URGENCY_COLOURS],
      ...(zh ? { enumLabels: URGENCY_NAMES } : {}),
    },
    { name: '$case.repeat', label: zh ? '重复信访' : 'Repeat petition', type: 'boolean' },
  );
  return out;
}

/** The operators a variable offers, in the order the builder lists them. */
export function operatorsFor(v: ConditionVariable): RuleOp[] {
  if (v.type === 'boolean') return ['==', '!='];
  if (v.type === 'array') return ['contains', 'present', 'empty'];
  if (v.enum) return ['==', '!=', 'in', 'notIn', 'present', 'empty'];
  if (v.type === 'number' || v.type === 'date') {
    return ['==', '!=', '<', '<=', '>', '>=', 'present', 'empty'];
  }
  return ['==', '!=', 'contains', 'present', 'empty'];
}

/** What each operator is called on screen; dates are 早于 / 晚于, and a number's 0 counts as empty. */
export function operatorLabel(op: RuleOp, type: ConditionVariable['type'], lang: Lang): string {
  const date = type === 'date';
  const number = type === 'number';
  const names: Record<RuleOp, [string, string]> = {
    '==': ['等于', 'equals'],
    '!=': ['不等于', 'does not equal'],
    '<': date ? ['早于', 'before'] : ['小于', 'less than'],
    '<=': date ? ['不晚于', 'on or before'] : ['小于等于', 'at most'],
    '>': date ? ['晚于', 'after'] : ['大于', 'greater than'],
    '>=': date ? ['不早于', 'on or after'] : ['大于等于', 'at least'],
    in: ['属于', 'is one of'],
    notIn: ['不属于', 'is none of'],
    contains: type === 'array' ? ['包含', 'includes'] : ['包含文字', 'contains'],
    present: number ? ['有值且不为 0', 'has a non-zero value'] : ['有值', 'has a value'],
    empty: number ? ['为空或为 0', 'is empty or 0'] : ['为空', 'is empty'],
  };
  return lang === 'en' ? names[op][1] : names[op][0];
}

/** The builder's pseudo-field for an expression it cannot show: its JSON, kept verbatim. */
export const RAW_FIELD = '~json';
const RAW_OP = 'json';
/** The querybuilder's name for `==` (its rules say `=`). */
const QB_OP: Partial<Record<RuleOp, string>> = { '==': '=' };
const fromQbOp = (op: string): RuleOp | undefined =>
  op === '=' ? '==' : (RULE_OPS as readonly string[]).includes(op) ? (op as RuleOp) : undefined;

const choiceLabel = (v: ConditionVariable, x: Literal) => v.enumLabels?.[String(x)] ?? String(x);

/** react-querybuilder fields: each variable with only the operators its type has. */
export function queryFields(vars: readonly ConditionVariable[], lang: Lang): Field[] {
  const zh = lang === 'zh-CN';
  const fields: Field[] = vars.map((v) => {
    const operators = operatorsFor(v).map((o) => ({
      name: QB_OP[o] ?? o,
      value: QB_OP[o] ?? o,
      label: operatorLabel(o, v.type, lang),
      ...(UNARY_OPS.has(o) ? { arity: 'unary' as const } : {}),
    }));
    const base = { name: v.name, label: v.label, value: v.name, operators };
    if (v.type === 'boolean') {
      return {
        ...base,
        valueEditorType: 'select',
        values: [
          { name: 'true', value: 'true', label: zh ? '是' : 'yes' },
          { name: 'false', value: 'false', label: zh ? '否' : 'no' },
        ],
        defaultValue: 'true',
      } satisfies Field;
    }
    if (v.enum) {
      return {
        ...base,
        valueEditorType: (o: string) => (o === 'in' || o === 'notIn' ? 'multiselect' : 'select'),
        values: v.enum.map((x) => ({
          name: String(x),
          value: String(x),
          label: choiceLabel(v, x),
        })),
        defaultValue: String(v.enum[0]),
      } satisfies Field;
    }
    if (v.type === 'number') return { ...base, inputType: 'number' } satisfies Field;
    if (v.type === 'date') return { ...base, inputType: 'date' } satisfies Field;
    return base satisfies Field;
  });
  fields.push({
    name: RAW_FIELD,
    value: RAW_FIELD,
    label: zh ? 'JSON 表达式（原样保留）' : 'JSON expression (kept as written)',
    operators: [{ name: RAW_OP, value: RAW_OP, label: zh ? '原样保留' : 'as written' }],
    valueEditorType: 'textarea',
    defaultValue: '{"==": [1, 1]}',
  });
  return fields;
}

const qbValue = (value: ConditionRule['value']): unknown =>
  Array.isArray(value) ? value.map(String) : value === undefined ? '' : String(value);

/**
 * The model as a querybuilder query. A rule on a variable the builder does
 * not offer (or a value it cannot show) becomes a JSON rule holding its logic.
 */
export function modelToQuery(
  model: ConditionGroup,
  vars?: readonly ConditionVariable[],
): RuleGroupType {
  const byName = vars ? new Map(vars.map((v) => [v.name, v])) : undefined;
  const raw = (logic: unknown): RuleType => ({
    field: RAW_FIELD,
    operator: RAW_OP,
    value: JSON.stringify(logic),
  });
  const shows = (rule: ConditionRule): boolean => {
    if (!byName) return true;
    const v = byName.get(rule.field);
    if (!v || !operatorsFor(v).includes(rule.op)) return false;
    const values = Array.isArray(rule.value)
      ? rule.value
      : rule.value === undefined
        ? []
        : [rule.value];
    return values.every((x) =>
      v.enum
        ? v.enum.includes(x)
        : v.type === 'boolean'
          ? typeof x === 'boolean'
          : v.type === 'number'
            ? typeof x === 'number'
            : typeof x === 'string',
    );
  };
  const walk = (g: ConditionGroup): RuleGroupType => ({
    combinator: g.combinator,
    rules: g.rules.map((r) => {
      if (r.kind === 'group') return walk(r);
      if (r.kind === 'raw') return raw(r.logic);
      if (!shows(r)) return raw(nodeLogic(r, false));
      return {
        field: r.field,
        operator: QB_OP[r.op] ?? r.op,
        value: qbValue(r.value),
        ...(r.source !== undefined ? { source: r.source } : {}),
      };
    }),
    ...(g.source !== undefined ? { source: g.source } : {}),
  });
  return walk(model);
}

/** A problem reading what the admin typed into the builder, with where it is. */
export interface QueryProblem {
  path: number[];
  message: { 'zh-CN': string; en: string };
}

/** The querybuilder's query back as the model, values typed from the case data schema. */
export function queryToModel(
  query: RuleGroupType,
  vars: readonly ConditionVariable[],
): { model: ConditionGroup; problems: QueryProblem[] } {
  const byName = new Map(vars.map((v) => [v.name, v]));
  const problems: QueryProblem[] = [];
  const typed = (v: ConditionVariable | undefined, s: unknown, path: number[]): Literal => {
    if (typeof s !== 'string') return isLiteral(s) ? s : String(s);
    const choice = v?.enum?.find((e) => String(e) === s);
    if (choice !== undefined) return choice;
    if (v?.type === 'boolean') return s === 'true';
    if (v?.type === 'number') {
      if (s.trim() === '' || Number.isNaN(Number(s))) {
        problems.push({
          path,
          message: {
            'zh-CN': `“${v.label}”的比较值应为数字`,
            en: `"${v.label}" is compared with a number`,
          },
        });
        return s;
      }
      return Number(s);
    }
    return s;
  };
  const walk = (g: RuleGroupType, path: number[]): ConditionGroup => ({
    kind: 'group',
    combinator: g.combinator === 'or' ? 'or' : 'and',
    rules: g.rules.flatMap((r, i): ConditionNode[] => {
      const at = [...path, i];
      if (typeof r === 'string') return [];
      if ('rules' in r) return [walk(r, at)];
      if (r.field === RAW_FIELD) {
        try {
          return [{ kind: 'raw', logic: JSON.parse(String(r.value)) }];
        } catch (e) {
          problems.push({
            path: at,
            message: {
              'zh-CN': `JSON 表达式无法解析：${(e as Error).message}`,
              en: `The JSON expression does not parse: ${(e as Error).message}`,
            },
          });
          return [];
        }
      }
      const op = fromQbOp(r.operator);
      const v = byName.get(r.field);
      if (!op) return [];
      const source = (r as { source?: unknown }).source;
      const rule: ConditionRule = { kind: 'rule', field: r.field, op };
      if (op === 'in' || op === 'notIn') {
        const list = Array.isArray(r.value)
          ? r.value
          : String(r.value ?? '')
              .split(',')
              .filter((x) => x !== '');
        if (!list.length) {
          problems.push({
            path: at,
            message: {
              'zh-CN': `“${v?.label ?? r.field}”请至少选择一项`,
              en: `Pick at least one value for "${v?.label ?? r.field}"`,
            },
          });
        }
        rule.value = list.map((x) => typed(v, x, at));
      } else if (!UNARY_OPS.has(op)) {
        rule.value = typed(v, r.value, at);
      }
      return [source !== undefined ? { ...rule, source } : rule];
    }),
    ...((g as { source?: unknown }).source !== undefined
      ? { source: (g as { source?: unknown }).source }
      : {}),
  });
  return { model: walk(query, []), problems };
}

/** The querybuilder's query as JSON Logic, values typed from the case data schema. */
export function queryToJsonLogic(
  query: RuleGroupType,
  vars: readonly ConditionVariable[],
): unknown {
  return conditionToJsonLogic(queryToModel(query, vars).model);
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
  const logic = queryToJsonLogic(query, vars);
  return isObj(logic) ? logic : undefined;
}

/** JSON Logic back into a querybuilder query; what the builder cannot show becomes a JSON rule. */
export function jsonLogicToQuery(
  logic: unknown,
  vars?: readonly ConditionVariable[],
): RuleGroupType {
  return modelToQuery(parseCondition(logic), vars);
}

/** How many parts of a condition the builder keeps as JSON (it cannot show them). */
export function rawParts(query: RuleGroupType): number {
  return query.rules.reduce<number>(
    (n, r) =>
      typeof r === 'string'
        ? n
        : 'rules' in r
          ? n + rawParts(r)
          : n + (r.field === RAW_FIELD ? 1 : 0),
    0,
  );
}

const OP_TEXT: Record<RuleOp, string> = {
  '==': '=',
  '!=': '≠',
  '<': '<',
  '<=': '≤',
  '>': '>',
  '>=': '≥',
  in: '∈',
  notIn: '∉',
  contains: '∋',
  present: '',
  empty: '',
};

/**
 * A short reading of a condition for its edge label, e.g. “是否受理 = 是”;
 * undefined when it holds an expression the builder cannot show or is too
 * long (the label then says 条件).
 */
export function describeCondition(
  logic: unknown,
  dataSchema: unknown,
  lang: Lang,
): string | undefined {
  const vars = new Map(conditionVariables(dataSchema, lang).map((v) => [v.name, v]));
  const zh = lang === 'zh-CN';
  const value = (v: ConditionVariable | undefined, x: unknown): string =>
    x === true
      ? zh
        ? '是'
        : 'yes'
      : x === false
        ? zh
          ? '否'
          : 'no'
        : Array.isArray(x)
          ? x.map((y) => value(v, y)).join('/')
          : v && isLiteral(x)
            ? choiceLabel(v, x)
            : String(x);
  const walk = (n: ConditionNode, top: boolean): string | undefined => {
    if (n.kind === 'raw') return undefined;
    if (n.kind === 'group') {
      const parts = n.rules.map((r) => walk(r, false));
      if (!parts.length || parts.some((p) => p === undefined)) return undefined;
      const text = parts.join(
        n.combinator === 'and' ? (zh ? ' 且 ' : ' and ') : zh ? ' 或 ' : ' or ',
      );
      return top || parts.length === 1 ? text : `(${text})`;
    }
    const v = vars.get(n.field);
    const name = v?.label ?? n.field;
    if (UNARY_OPS.has(n.op)) return `${name} ${operatorLabel(n.op, v?.type ?? 'string', lang)}`;
    return `${name} ${OP_TEXT[n.op]} ${value(v, n.value)}`;
  };
  const text = logic === undefined ? undefined : walk(parseCondition(logic), true);
  return text && text.length <= 40 ? text : undefined;
}
