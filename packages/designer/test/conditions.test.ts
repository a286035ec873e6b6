import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { evaluateCondition } from '@lianxin/spec';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type ConditionGroup,
  type ConditionNode,
  type ConditionRule,
  type ConditionVariable,
  conditionToJsonLogic,
  conditionVariables,
  describeCondition,
  jsonLogicToQuery,
  type Literal,
  modelToQuery,
  operatorsFor,
  parseCondition,
  queryToJsonLogic,
  queryToModel,
  RAW_FIELD,
  sameModel,
} from '../src/conditions';

// A case data schema with every kind of field a condition can test, nested too.
const dataSchema = {
  type: 'object',
  properties: {
    amount: { type: 'number', title: '诉求金额' },
    people: { type: 'integer', title: '人数' },
    summary: { type: 'string', title: '诉求摘要' },
    received: { type: 'string', format: 'date', title: '收件日期' },
    urgent: { type: 'boolean', title: '是否紧急' },
    category: { type: 'string', title: '类别', enum: ['劳资', '征地', '其他'] },
    level: {
      type: 'integer',
      title: '级别',
      oneOf: [
        { const: 1, title: '一般' },
        { const: 2, title: '重要' },
      ],
    },
    topics: {
      type: 'array',
      title: '涉及',
      items: { type: 'string', enum: ['土地', '工资', '房屋'] },
    },
    phone: { type: 'string', title: '联系电话' },
    secret: { type: 'string', title: '身份证号', 'x-sensitive': 'idCard' },
    petitioner: {
      type: 'object',
      title: '信访人',
      properties: {
        age: { type: 'integer', title: '年龄' },
        address: {
          type: 'object',
          title: '住址',
          properties: { town: { type: 'string', title: '镇街', enum: ['台城', '大江'] } },
        },
      },
    },
  },
};
const vars = conditionVariables(dataSchema, 'zh-CN').filter((v) => !v.name.startsWith('$case'));
const byName = new Map(vars.map((v) => [v.name, v]));

const TEXTS = ['', 'a', 'ab', 'b', '劳资'];
const DATES = ['2026-01-01', '2026-03-15', '2026-12-31'];
const NUMBERS = [-5, 0, 1, 2, 7, 100000, 100001];

function literalFor(v: ConditionVariable): fc.Arbitrary<Literal> {
  if (v.enum) return fc.constantFrom(...v.enum);
  if (v.type === 'boolean') return fc.boolean();
  if (v.type === 'number') return fc.constantFrom(...NUMBERS);
  if (v.type === 'date') return fc.constantFrom(...DATES);
  return fc.constantFrom(...TEXTS.filter((t) => t !== ''));
}

const ruleArb: fc.Arbitrary<ConditionRule> = fc.constantFrom(...vars).chain((v) =>
  fc.constantFrom(...operatorsFor(v)).chain((op): fc.Arbitrary<ConditionRule> => {
    if (op === 'present' || op === 'empty') return fc.constant({ kind: 'rule', field: v.name, op });
    if (op === 'in' || op === 'notIn') {
      return fc
        .uniqueArray(literalFor(v), { minLength: 1, maxLength: 3 })
        .map((value) => ({ kind: 'rule', field: v.name, op, value }));
    }
    return literalFor(v).map((value) => ({ kind: 'rule', field: v.name, op, value }));
  }),
);
// Expressions the builder does not show (a range, a negated group, arithmetic): kept verbatim.
const rawArb: fc.Arbitrary<ConditionNode> = fc
  .constantFrom<unknown>(
    { '<': [1, { var: 'amount' }, 10] },
    { '!': { and: [{ '==': [{ var: 'urgent' }, true] }] } },
    { '>': [{ '+': [{ var: 'amount' }, { var: 'people' }] }, 5] },
    { some: [{ var: 'topics' }, { '==': [{ var: '' }, '土地'] }] },
  )
  .map((logic) => ({ kind: 'raw', logic }));

const { node: nodeArb } = fc.letrec<{ node: ConditionNode; group: ConditionGroup }>((tie) => ({
  node: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    { arbitrary: ruleArb, weight: 5 },
    { arbitrary: rawArb, weight: 1 },
    { arbitrary: tie('group'), weight: 2 },
  ),
  group: fc.record({
    kind: fc.constant('group' as const),
    combinator: fc.constantFrom('and' as const, 'or' as const),
    rules: fc.array(tie('node'), { minLength: 1, maxLength: 3 }),
  }),
}));
const modelArb: fc.Arbitrary<ConditionGroup> = fc.record({
  kind: fc.constant('group' as const),
  combinator: fc.constantFrom('and' as const, 'or' as const),
  rules: fc.array(nodeArb, { minLength: 1, maxLength: 4 }),
});

// Case data: each field missing or of its own type.
const maybe = <T>(a: fc.Arbitrary<T>) => fc.option(a, { nil: undefined });
const dataArb = fc
  .record({
    amount: maybe(fc.constantFrom(...NUMBERS)),
    people: maybe(fc.constantFrom(...NUMBERS)),
    summary: maybe(fc.constantFrom(...TEXTS)),
    received: maybe(fc.constantFrom(...DATES)),
    urgent: maybe(fc.boolean()),
    category: maybe(fc.constantFrom('劳资', '征地', '其他')),
    level: maybe(fc.constantFrom(1, 2)),
    topics: maybe(fc.uniqueArray(fc.constantFrom('土地', '工资', '房屋'))),
    phone: maybe(fc.constantFrom(...TEXTS)),
    petitioner: maybe(
      fc.record({
        age: maybe(fc.constantFrom(...NUMBERS)),
        address: maybe(fc.record({ town: maybe(fc.constantFrom('台城', '大江')) })),
      }),
    ),
  })
  .map((d) => JSON.parse(JSON.stringify(d)) as Record<string, unknown>);

const read = (data: Record<string, unknown>, path: string): unknown =>
  path
    .split('.')
    .reduce<unknown>((o, k) => (o && typeof o === 'object' ? (o as never)[k] : undefined), data);
// JSON Logic's truthiness: an empty list is false too.
const truthy = (x: unknown) => (Array.isArray(x) ? x.length > 0 : Boolean(x));

/** What each rule is meant to say, written from the builder's wording, not from JSON Logic. */
function meaning(node: ConditionNode, data: Record<string, unknown>): boolean {
  if (node.kind === 'raw') return evaluateCondition(node.logic, data);
  if (node.kind === 'group') {
    const results = node.rules.map((r) => meaning(r, data));
    return node.combinator === 'and' ? results.every(Boolean) : results.some(Boolean);
  }
  const x = read(data, node.field);
  const v = node.value;
  const type = byName.get(node.field)?.type;
  switch (node.op) {
    case '==':
      return x === v;
    case '!=':
      return x !== v;
    case 'in':
      return (v as Literal[]).includes(x as Literal);
    case 'notIn':
      return !(v as Literal[]).includes(x as Literal);
    case 'contains':
      return (typeof x === 'string' || Array.isArray(x)) && x.includes(v as never);
    case 'present':
      return truthy(x);
    case 'empty':
      return !truthy(x);
    default: {
      // An empty number counts as 0 (documented); an empty date is neither before nor after.
      if (x === undefined && type === 'date') return false;
      const a = x === undefined ? 0 : (x as number | string);
      const b = v as number | string;
      return node.op === '<' ? a < b : node.op === '<=' ? a <= b : node.op === '>' ? a > b : a >= b;
    }
  }
}

describe('the condition builder model', () => {
  it('model → JSON Logic → model is the identity, through the querybuilder too', () => {
    fc.assert(
      fc.property(modelArb, (model) => {
        const logic = conditionToJsonLogic(model);
        expect(sameModel(parseCondition(logic), model)).toBe(true);
        // What the screen shows reads back to the same JSON Logic.
        const query = modelToQuery(parseCondition(logic), vars);
        const back = queryToModel(query, vars);
        expect(back.problems).toEqual([]);
        expect(conditionToJsonLogic(back.model)).toEqual(logic);
      }),
      { numRuns: 400 },
    );
  });

  it('the engine evaluates the built JSON Logic as the model means it', () => {
    fc.assert(
      fc.property(modelArb, dataArb, (model, data) => {
        const logic = conditionToJsonLogic(model);
        expect(evaluateCondition(logic, data)).toBe(meaning(model, data));
      }),
      { numRuns: 1000 },
    );
  });

  it('offers any field, nested ones by their path, but not sensitive ones', () => {
    expect(vars.map((v) => `${v.name}:${v.type}`)).toEqual([
      'amount:number',
      'people:number',
      'summary:string',
      'received:date',
      'urgent:boolean',
      'category:string',
      'level:number',
      'topics:array',
      'phone:string',
      'petitioner.age:number',
      'petitioner.address.town:string',
    ]);
    expect(byName.get('level')?.enumLabels).toEqual({ 1: '一般', 2: '重要' });
    expect(byName.get('petitioner.address.town')?.label).toBe('信访人 · 住址 · 镇街');
  });

  it('writes the issue’s example as plain JSON Logic', () => {
    const query = {
      combinator: 'and',
      rules: [
        { field: 'amount', operator: '>', value: '100000' },
        {
          combinator: 'or',
          rules: [
            { field: 'category', operator: 'in', value: ['劳资', '征地'] },
            { field: 'phone', operator: 'present', value: '' },
          ],
        },
      ],
    };
    const logic = queryToJsonLogic(query, vars);
    expect(logic).toEqual({
      and: [
        { '>': [{ var: 'amount' }, 100000] },
        { or: [{ in: [{ var: 'category' }, ['劳资', '征地']] }, { '!!': { var: 'phone' } }] },
      ],
    });
    expect(describeCondition(logic, dataSchema, 'zh-CN')).toBe(
      '诉求金额 > 100000 且 (类别 ∈ 劳资/征地 或 联系电话 有值)',
    );
  });

  it('keeps what it cannot show as JSON, untouched, beside rules it can', () => {
    const logic = {
      or: [
        { '==': [{ var: 'urgent' }, true] },
        { '<': [1, { var: 'amount' }, 10] },
        { '==': [{ var: 'unknownField' }, 'x'] },
      ],
    };
    const query = jsonLogicToQuery(logic, vars);
    expect(query.rules.map((r) => (typeof r === 'object' && 'field' in r ? r.field : ''))).toEqual([
      'urgent',
      RAW_FIELD,
      RAW_FIELD,
    ]);
    expect(queryToJsonLogic(query, vars)).toEqual(logic);
    // A JSON part that does not parse is a located problem, not a silent loss.
    const broken = structuredClone(query);
    (broken.rules[1] as { value: string }).value = '{"<": [1,';
    const read = queryToModel(broken, vars);
    expect(read.problems.map((p) => p.path)).toEqual([[1]]);
  });

  it('types the typed values: numbers, yes/no and number choices', () => {
    const read = queryToModel(
      {
        combinator: 'and',
        rules: [
          { field: 'people', operator: '>=', value: '3' },
          { field: 'urgent', operator: '=', value: 'false' },
          { field: 'level', operator: 'notIn', value: ['2'] },
          { field: 'amount', operator: '<', value: 'abc' },
        ],
      },
      vars,
    );
    expect(conditionToJsonLogic(read.model)).toEqual({
      and: [
        { '>=': [{ var: 'people' }, 3] },
        { '==': [{ var: 'urgent' }, false] },
        { '!': { in: [{ var: 'level' }, [2]] } },
        { '<': [{ var: 'amount' }, 'abc'] },
      ],
    });
    expect(read.problems).toEqual([
      { path: [3], message: expect.objectContaining({ 'zh-CN': '“诉求金额”的比较值应为数字' }) },
    ]);
  });
});

// Every condition in the templates and the spec's fixtures.
function flowFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return name === 'node_modules' ? [] : flowFiles(path);
    return name.endsWith('.json') ? [path] : [];
  });
}
const root = join(import.meta.dirname, '../../..');
const conditions = [join(root, 'templates'), join(root, 'packages/spec/test/fixtures')]
  .flatMap(flowFiles)
  .flatMap((file) => {
    const json = JSON.parse(readFileSync(file, 'utf8')) as {
      edges?: { id: string; condition?: unknown }[];
      dataSchema?: unknown;
    };
    if (!Array.isArray(json.edges)) return [];
    return json.edges
      .filter((e) => e && e.condition !== undefined)
      .map((e) => ({
        name: `${file.slice(root.length + 1)} ${e.id}`,
        condition: e.condition,
        dataSchema: json.dataSchema,
      }));
  });

describe('existing conditions', () => {
  it('finds the templates’ conditions', () => {
    expect(conditions.filter((c) => c.name.startsWith('templates/')).length).toBeGreaterThan(10);
  });
  it.each(conditions)('$name round-trips unchanged', ({ condition, dataSchema }) => {
    const v = conditionVariables(dataSchema, 'zh-CN');
    const logic = queryToJsonLogic(jsonLogicToQuery(condition, v), v);
    expect(JSON.stringify(logic)).toBe(JSON.stringify(condition));
  });
});
