import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkFlow, NODE_KINDS, PROBLEM_RULES, resolvePointer } from '../src/index';

const ids = fc.constantFrom('start', 'a', 'b', 'c', 'd', 'join', 'end', 'x/y', 'tilde~1');
const maybe = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined });
const text = fc.oneof(fc.record({ 'zh-CN': fc.string() }), fc.anything());
const durations = fc.oneof(
  fc.constantFrom('P1D', 'P15D', 'PT4H', 'P1M', 'P2W', 'P0D', 'P', '15天', 'P1.5D'),
  fc.string(),
);
const logic: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  expr: fc.oneof(
    { depthSize: 'small' },
    fc.constantFrom(true, 1, 'joint', null),
    fc.record({ var: fc.constantFrom('route', 'score', 'missing', '$case.channel', '') }),
    fc
      .tuple(
        fc.constantFrom('==', '<', 'and', 'in', 'map', 'nope', 'var'),
        fc.array(tie('expr'), { maxLength: 3 }),
      )
      .map(([op, args]) => ({ [op]: args })),
  ),
})).expr;

const node = fc.record(
  {
    id: fc.oneof(ids, fc.anything()),
    kind: fc.oneof(fc.constantFrom(...NODE_KINDS), fc.string()),
    name: text,
    channels: fc.oneof(fc.constant(['visit']), fc.anything()),
    form: fc.oneof(fc.constantFrom('f1', 'nope'), fc.anything()),
    assignee: fc.oneof(
      fc.record({ role: fc.constantFrom('r', 'unknown'), group: maybe(fc.constantFrom('g', 'h')) }),
      fc.record({ department: fc.record({ var: fc.constantFrom('route', 'item.dept', 'ghost') }) }),
      fc.anything(),
    ),
    deadline: fc.oneof(
      fc.record({
        duration: durations,
        calendar: fc.constantFrom('natural', 'workingDays', 'lunar'),
        warningBefore: maybe(durations),
        byUrgency: maybe(fc.dictionary(fc.constantFrom('red', 'blue', 'purple'), durations)),
      }),
      fc.anything(),
    ),
    wait: fc.record({ duration: durations }),
    mode: fc.constantFrom('all', 'any', 'some'),
    operations: fc.array(
      fc.record({
        op: fc.constantFrom('set', 'notify', 'setUrgency', 'explode'),
        var: ids,
        value: logic,
        to: fc.anything(),
      }),
      { maxLength: 2 },
    ),
    flow: fc.oneof(fc.record({ key: fc.constantFrom('child', 'ghost') }), fc.anything()),
    returnTo: fc.array(fc.oneof(ids, fc.anything()), { maxLength: 2 }),
    refusal: fc.oneof(fc.record({ backTo: ids }), fc.anything()),
    over: fc.constantFrom('route', 'list'),
    collect: fc.constantFrom('replies', 'route'),
    input: fc.dictionary(fc.string(), logic, { maxKeys: 2 }),
    outcome: fc.constantFrom('resolved', 'lost'),
  },
  { requiredKeys: ['id', 'kind'] },
);

const edge = fc.record(
  {
    id: fc.oneof(
      ids.map((i) => `e-${i}`),
      fc.anything(),
    ),
    kind: fc.oneof(
      fc.constantFrom('next', 'action', 'condition', 'default', 'deadline'),
      fc.string(),
    ),
    from: fc.oneof(ids, fc.anything()),
    to: fc.oneof(ids, fc.anything()),
    action: fc.constantFrom('ok', 'no'),
    label: text,
    condition: logic,
    form: fc.constantFrom('f1', 'nope'),
    roles: fc.array(fc.constantFrom('r', 'q'), { maxLength: 2 }),
    on: fc.constantFrom('warning', 'overdue', 'never'),
  },
  { requiredKeys: ['from', 'to', 'kind'] },
);

const schema = fc.oneof(
  fc.constant({
    type: 'object',
    properties: {
      route: { type: 'string', enum: ['single', 'joint'] },
      score: { type: 'integer' },
      list: { type: 'array' },
    },
  }),
  fc.constant({ type: 'objekt' }),
  fc.anything(),
);

const flow = fc.record(
  {
    formatVersion: fc.oneof(fc.constant(1), fc.anything()),
    key: fc.oneof(fc.constant('k'), fc.anything()),
    version: fc.oneof(fc.constant(1), fc.anything()),
    name: text,
    jurisdiction: fc.constantFrom('440781', '44'),
    roles: fc.oneof(fc.constant([{ id: 'r', name: { 'zh-CN': '角色' } }]), fc.anything()),
    groups: fc.oneof(fc.constant([{ id: 'g', name: { 'zh-CN': '组' }, role: 'q' }]), fc.anything()),
    dataSchema: schema,
    forms: fc.oneof(
      fc.array(fc.record({ id: fc.constantFrom('f1', 'f2', 'f1'), title: text, schema }), {
        maxLength: 3,
      }),
      fc.anything(),
    ),
    clocks: fc.array(
      fc.record({
        id: fc.constantFrom('c1', 'c1'),
        start: fc.oneof(fc.record({ on: fc.constant('enter'), node: ids }), fc.anything()),
        stop: fc.anything(),
        deadline: fc.record({ duration: durations }),
        extension: fc.oneof(fc.record({ max: durations }), fc.anything()),
      }),
      { maxLength: 2 },
    ),
    nodes: fc.oneof(fc.array(fc.oneof(node, fc.anything()), { maxLength: 12 }), fc.anything()),
    edges: fc.oneof(fc.array(fc.oneof(edge, fc.anything()), { maxLength: 20 }), fc.anything()),
  },
  { requiredKeys: [] },
);

function assertWellFormed(input: unknown): void {
  const problems = checkFlow(input, { resolveSubflow: (ref) => ref.key === 'child' });
  for (const p of problems) {
    expect(Object.keys(PROBLEM_RULES)).toContain(p.code);
    expect(['error', 'warning']).toContain(p.severity);
    expect(resolvePointer(input, p.pointer).found, `${p.code} at ${p.pointer}`).toBe(true);
    expect(p.message['zh-CN'].length).toBeGreaterThan(0);
    expect(p.message.en.length).toBeGreaterThan(0);
  }
}

// Generous timeouts: CI runs every package's tests at once on a small shared machine.
describe('checkFlow on random graphs', { timeout: 120_000 }, () => {
  it('never throws and every pointer resolves inside the input', () => {
    fc.assert(fc.property(flow, assertWellFormed), { numRuns: 400 });
  });

  it('never throws on arbitrary JSON values', () => {
    fc.assert(fc.property(fc.anything(), assertWellFormed), { numRuns: 300 });
  });
});
