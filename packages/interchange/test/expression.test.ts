// biome-ignore-all lint/suspicious/noTemplateCurlyInString: JUEL expressions are written ${…}
import { describe, expect, it } from 'vitest';
import { convertCondition } from '../src/index';

const CONVERTED = [
  {
    description: 'JUEL comparison',
    text: '${amount > 100000}',
    logic: { '>': [{ var: 'amount' }, 100000] },
  },
  {
    description: 'JUEL #{} and word operators',
    text: "#{level ge 2 and kind eq 'land'}",
    logic: { and: [{ '>=': [{ var: 'level' }, 2] }, { '==': [{ var: 'kind' }, 'land'] }] },
  },
  {
    description: 'JUEL negation of a flag',
    text: '${!approved}',
    logic: { '!': [{ '==': [{ var: 'approved' }, true] }] },
  },
  {
    description: 'JUEL or with parentheses',
    text: '${(a < 1 || b != "x") && c}',
    logic: {
      and: [
        { or: [{ '<': [{ var: 'a' }, 1] }, { '!=': [{ var: 'b' }, 'x'] }] },
        { '==': [{ var: 'c' }, true] },
      ],
    },
  },
  {
    description: 'dotted variable',
    text: '${petition.amount <= 5}',
    logic: { '<=': [{ var: 'petition.amount' }, 5] },
  },
  {
    description: 'FEEL equality',
    text: '= status = "open"',
    logic: { '==': [{ var: 'status' }, 'open'] },
  },
  {
    description: 'FEEL not()',
    text: '=not(urgent) or amount > 3.5',
    logic: {
      or: [{ '!': [{ '==': [{ var: 'urgent' }, true] }] }, { '>': [{ var: 'amount' }, 3.5] }],
    },
  },
  {
    description: 'JSON Logic from a Lianxin export',
    text: '{"==":[{"var":"a"},1]}',
    language: 'https://jsonlogic.com',
    logic: { '==': [{ var: 'a' }, 1] },
  },
];

const REFUSED = [
  { description: 'a method call', text: "${execution.getVariable('x') == 1}" },
  { description: 'a FEEL function', text: '=count(items) > 2' },
  { description: 'arithmetic', text: '${amount * 2 > 10}' },
  { description: 'a constant', text: '${true}' },
  { description: 'JUEL empty', text: '${empty list}' },
  { description: 'plain text', text: 'amount > 1' },
  { description: 'a FEEL range', text: '=amount in [1..5]' },
  { description: 'an unfinished expression', text: '${amount >}' },
  { description: 'bad JSON Logic', text: '{"==":', language: 'https://jsonlogic.com' },
];

describe('condition expressions to JSON Logic', () => {
  it.each(CONVERTED)('converts $description', ({ text, language, logic }) => {
    const r = convertCondition(text, language);
    expect(r.ok && r.logic).toEqual(logic);
  });

  it.each(REFUSED)('refuses $description with a reason in both languages', ({ text, language }) => {
    const r = convertCondition(text, language);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.reason['zh-CN']).toMatch(/[\u4e00-\u9fff]/);
      expect(r.reason.en.length).toBeGreaterThan(5);
    }
  });

  it('notes the type each variable is compared with', () => {
    const r = convertCondition('${amount > 1 && name == "x" && flag}');
    expect(r.ok && Object.fromEntries(r.variables)).toEqual({
      amount: 'number',
      name: 'string',
      flag: 'boolean',
    });
  });
});
