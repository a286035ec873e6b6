import jsonLogic from 'json-logic-js';
import { CHANNELS, URGENCY_COLOURS } from './flow';

/** Operators json-logic-js implements; anything else is a mistake in a flow file. */
export const JSON_LOGIC_OPERATORS = new Set([
  '==',
  '===',
  '!=',
  '!==',
  '>',
  '>=',
  '<',
  '<=',
  '!!',
  '!',
  '%',
  'log',
  'in',
  'cat',
  'substr',
  '+',
  '*',
  '-',
  '/',
  'min',
  'max',
  'merge',
  'if',
  '?:',
  'and',
  'or',
  'var',
  'missing',
  'missing_some',
  'map',
  'filter',
  'reduce',
  'all',
  'none',
  'some',
]);
/** Operators whose later arguments run per list item, where `var` means the item. */
const ITEM_SCOPED = new Set(['map', 'filter', 'reduce', 'all', 'none', 'some']);
const COMPARISONS = new Set(['==', '===', '!=', '!==', '>', '>=', '<', '<=']);
const ORDERINGS = new Set(['>', '>=', '<', '<=']);

/** What a condition may know about a variable, from the case data schema. */
export interface VarType {
  types: string[];
  enum?: unknown[];
  format?: string;
}

/** Variables every condition may read besides case data. */
export const CASE_VARIABLES: Record<string, VarType> = {
  '$case.channel': { types: ['string'], enum: [...CHANNELS] },
  '$case.urgency': { types: ['string', 'null'], enum: [...URGENCY_COLOURS, null] },
  '$case.repeat': { types: ['boolean'] },
  '$case.jurisdiction': { types: ['string'] },
};

export type ConditionFinding =
  | { kind: 'unknownOperator'; path: (string | number)[]; operator: string }
  | { kind: 'unknownVariable'; path: (string | number)[]; variable: string }
  | {
      kind: 'typeMismatch';
      path: (string | number)[];
      variable: string;
      expected: string;
      found: string;
    };

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function literalType(v: unknown): string | undefined {
  if (v === null) return 'null';
  if (Array.isArray(v)) return undefined;
  if (typeof v === 'object') return undefined;
  return typeof v;
}

function varName(expr: unknown): string | undefined {
  if (!isPlainObject(expr)) return undefined;
  const keys = Object.keys(expr);
  if (keys.length !== 1 || keys[0] !== 'var') return undefined;
  const arg = expr.var;
  const name = Array.isArray(arg) ? arg[0] : arg;
  return typeof name === 'string' || typeof name === 'number' ? String(name) : undefined;
}

function accepts(type: VarType, literal: unknown): boolean {
  const t = literalType(literal);
  if (t === undefined) return true;
  if (type.enum && !type.enum.some((e) => e === literal)) return false;
  if (t === 'number') return type.types.some((x) => x === 'number' || x === 'integer');
  return type.types.includes(t);
}

function describe(type: VarType): string {
  return type.enum ? type.enum.map((e) => JSON.stringify(e)).join(' | ') : type.types.join(' | ');
}

/**
 * Finds unknown operators, variables missing from the case schema and
 * comparisons of a variable with a literal of another type. `lookup`
 * returns undefined for a variable that does not exist.
 */
export function inspectCondition(
  logic: unknown,
  lookup: (variable: string) => VarType | undefined,
): ConditionFinding[] {
  const findings: ConditionFinding[] = [];
  const visit = (expr: unknown, path: (string | number)[], itemScope: boolean): void => {
    if (Array.isArray(expr)) {
      expr.forEach((e, i) => {
        visit(e, [...path, i], itemScope);
      });
      return;
    }
    if (!isPlainObject(expr)) return;
    const keys = Object.keys(expr);
    if (keys.length !== 1) {
      findings.push({ kind: 'unknownOperator', path, operator: keys.join(',') || '{}' });
      return;
    }
    const op = keys[0] as string;
    if (!JSON_LOGIC_OPERATORS.has(op)) {
      findings.push({ kind: 'unknownOperator', path: [...path, op], operator: op });
      return;
    }
    const args = expr[op];
    if (op === 'var') {
      const name = varName(expr);
      if (!itemScope && name !== undefined && name !== '' && !lookup(name)) {
        findings.push({ kind: 'unknownVariable', path: [...path, 'var'], variable: name });
      }
      return;
    }
    const list = Array.isArray(args) ? args : [args];
    if (COMPARISONS.has(op) && !itemScope) checkComparison(op, list, [...path, op]);
    list.forEach((a, i) => {
      const argPath = Array.isArray(args) ? [...path, op, i] : [...path, op];
      visit(a, argPath, itemScope || (ITEM_SCOPED.has(op) && i > 0));
    });
  };
  const checkComparison = (op: string, args: unknown[], path: (string | number)[]): void => {
    for (let i = 0; i < args.length; i++) {
      const name = varName(args[i]);
      if (name === undefined) continue;
      const type = lookup(name);
      if (!type) continue;
      for (let j = 0; j < args.length; j++) {
        if (j === i) continue;
        const other = args[j];
        const otherType = literalType(other);
        if (otherType === undefined) continue;
        let mismatch = !accepts(type, other);
        // Ordering a string only makes sense for dates and times.
        if (
          ORDERINGS.has(op) &&
          type.types.includes('string') &&
          !type.format?.startsWith('date')
        ) {
          mismatch ||= !type.types.some((t) => t === 'number' || t === 'integer');
        }
        if (mismatch) {
          findings.push({
            kind: 'typeMismatch',
            path: [...path, j],
            variable: name,
            expected: describe(type),
            found: JSON.stringify(other),
          });
        }
      }
    }
  };
  visit(logic, [], false);
  return findings;
}

/** Evaluates a condition with json-logic-js; truthiness follows JSON Logic. */
export function evaluateCondition(logic: unknown, data: Record<string, unknown>): boolean {
  return jsonLogic.truthy(jsonLogic.apply(logic as jsonLogic.RulesLogic, data));
}

/** Evaluates an expression (e.g. an automatic action's `set`). */
export function evaluateExpression(logic: unknown, data: Record<string, unknown>): unknown {
  return jsonLogic.apply(logic as jsonLogic.RulesLogic, data);
}

/**
 * Looks a dotted variable up in a JSON Schema (properties, items for
 * numeric segments), including the `$case.*` variables.
 */
export function variableTypeInSchema(schema: unknown, variable: string): VarType | undefined {
  const builtIn = CASE_VARIABLES[variable];
  if (builtIn) return builtIn;
  let current: unknown = schema;
  for (const segment of variable.split('.')) {
    if (!isPlainObject(current)) return undefined;
    const props = current.properties;
    if (isPlainObject(props) && isPlainObject(props[segment])) {
      current = props[segment];
    } else if (/^\d+$/.test(segment) && isPlainObject(current.items)) {
      current = current.items;
    } else {
      return undefined;
    }
  }
  if (!isPlainObject(current)) return undefined;
  const rawType = current.type;
  const types = Array.isArray(rawType)
    ? rawType.filter((t): t is string => typeof t === 'string')
    : typeof rawType === 'string'
      ? [rawType]
      : ['string', 'number', 'integer', 'boolean', 'object', 'array', 'null'];
  const result: VarType = { types };
  if (Array.isArray(current.enum)) result.enum = current.enum;
  else if (current.const !== undefined) result.enum = [current.const];
  if (typeof current.format === 'string') result.format = current.format;
  return result;
}

/** Operators that read the case: a rule without any of them gives the same answer for every case. */
const READS_DATA = new Set(['var', 'missing', 'missing_some']);

function readsData(expr: unknown): boolean {
  if (Array.isArray(expr)) return expr.some(readsData);
  if (!isPlainObject(expr)) return false;
  return Object.entries(expr).some(([op, args]) => READS_DATA.has(op) || readsData(args));
}

/**
 * The value a condition always has when it reads no case data (e.g. the
 * placeholder `{"==": [1, 1]}`), or undefined when it depends on the case or
 * cannot be evaluated (unknown operators are reported separately).
 */
export function constantCondition(logic: unknown): boolean | undefined {
  if (!isPlainObject(logic) || readsData(logic)) return undefined;
  const keys = Object.keys(logic);
  if (keys.length !== 1 || !JSON_LOGIC_OPERATORS.has(keys[0] as string)) return undefined;
  try {
    return evaluateCondition(logic, {});
  } catch {
    return undefined;
  }
}

/** Whether a value of `found` can satisfy `expected` (integer counts as number); either may list several types. */
export function typesOverlap(found: VarType, expected: VarType): boolean {
  const numeric = (t: string) => (t === 'integer' ? 'number' : t);
  const want = new Set(expected.types.map(numeric));
  const typeOk = found.types.some((t) => want.has(numeric(t)));
  if (!typeOk) return false;
  if (found.enum && expected.enum) {
    return found.enum.some((v) => expected.enum?.some((e) => e === v));
  }
  return true;
}

/** The JSON type of a literal in a rule (undefined for an operator object or a list). */
export function literalVarType(v: unknown): VarType | undefined {
  const t = literalType(v);
  return t === undefined ? undefined : { types: [t], enum: [v] };
}
