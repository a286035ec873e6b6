import { describe, expect, it } from 'vitest';
import {
  durationProblem,
  evaluateCondition,
  inspectCondition,
  parseDuration,
  variableTypeInSchema,
} from '../src/index';

const schema = {
  type: 'object',
  properties: {
    route: { type: 'string', enum: ['single', 'joint'] },
    score: { type: 'integer' },
    receivedOn: { type: 'string', format: 'date' },
    petition: { type: 'object', properties: { category: { type: 'string' } } },
    departments: {
      type: 'array',
      items: { type: 'object', properties: { code: { type: 'string' } } },
    },
  },
};
const lookup = (v: string) => variableTypeInSchema(schema, v);

describe('conditions', () => {
  it('evaluates JSON Logic against case data', () => {
    expect(evaluateCondition({ '==': [{ var: 'route' }, 'joint'] }, { route: 'joint' })).toBe(true);
    expect(
      evaluateCondition(
        { and: [{ '>=': [{ var: 'score' }, 4] }, { var: 'ok' }] },
        { score: 5, ok: false },
      ),
    ).toBe(false);
  });

  it('finds nested variables, list items and the case variables', () => {
    expect(lookup('petition.category')?.types).toEqual(['string']);
    expect(lookup('departments.0.code')?.types).toEqual(['string']);
    expect(lookup('$case.channel')?.enum).toContain('hotline');
    expect(lookup('petition.missing')).toBeUndefined();
  });

  it('flags a comparison with a value outside the allowed choices', () => {
    const findings = inspectCondition({ '==': [{ var: 'route' }, 'jiont'] }, lookup);
    expect(findings).toEqual([
      {
        kind: 'typeMismatch',
        path: ['==', 1],
        variable: 'route',
        expected: '"single" | "joint"',
        found: '"jiont"',
      },
    ]);
  });

  it('allows ordering dates and numbers but not plain text', () => {
    expect(inspectCondition({ '<': [{ var: 'receivedOn' }, '2025-10-01'] }, lookup)).toEqual([]);
    expect(inspectCondition({ '>': [{ var: 'score' }, 3] }, lookup)).toEqual([]);
    expect(inspectCondition({ '>': [{ var: 'petition.category' }, 'a'] }, lookup)).toHaveLength(1);
  });

  it('does not treat variables inside map/filter as case variables', () => {
    const logic = { some: [{ var: 'departments' }, { '==': [{ var: 'code' }, 'labour'] }] };
    expect(inspectCondition(logic, lookup)).toEqual([]);
  });
});

describe('durations', () => {
  it('parses ISO 8601 durations', () => {
    expect(parseDuration('P1W2DT3H')).toMatchObject({ weeks: 1, days: 2, hours: 3 });
    expect(parseDuration('15D')).toBeUndefined();
    expect(parseDuration('P')).toBeUndefined();
    expect(parseDuration('PT')).toBeUndefined();
  });

  it('allows only whole days on the working-day calendar', () => {
    expect(durationProblem('P15D', 'workingDays')).toBeUndefined();
    expect(durationProblem('P2W', 'workingDays')).toBeUndefined();
    expect(durationProblem('PT36H', 'workingDays')).toBe('workingDaysNeedDays');
    expect(durationProblem('PT36H', 'natural')).toBeUndefined();
    expect(durationProblem('P0D', 'natural')).toBe('zero');
    expect(durationProblem('fifteen days', 'natural')).toBe('unparsable');
  });

  it('takes P0D as "the same day" only where a deadline may end today', () => {
    // a natural deadline or wait of P0D ends at 24:00 of the day it starts
    expect(durationProblem('P0D', 'natural', true)).toBeUndefined();
    // but not on working days, not as hours, and not where the caller wants a length
    expect(durationProblem('P0D', 'workingDays', true)).toBe('zero');
    expect(durationProblem('PT0H', 'natural', true)).toBe('zero');
    expect(durationProblem('P0D', 'natural')).toBe('zero');
  });
});
