import { describe, expect, it } from 'vitest';
import {
  compileSchema,
  isValidIdCardNumber,
  schemaCompileProblem,
  validateData,
} from '../src/index';

describe('shared ajv setup', () => {
  it('checks the GB 11643 check character of citizen ID numbers', () => {
    expect(isValidIdCardNumber('11010519491231002X')).toBe(true);
    expect(isValidIdCardNumber('110105194912310021')).toBe(false); // wrong check character
    expect(isValidIdCardNumber('11010519491331002X')).toBe(false); // month 13
    expect(isValidIdCardNumber('1101051949123100')).toBe(false);
  });

  it('reports invalid form data located by pointer, in Chinese and English', () => {
    const schema = {
      type: 'object',
      required: ['phone'],
      properties: {
        phone: { type: 'string', format: 'cn-mobile' },
        idCard: { type: 'string', format: 'cn-id-card' },
        score: { type: 'integer', maximum: 5 },
      },
    };
    expect(
      validateData(schema, { phone: '13800138000', idCard: '11010519491231002X', score: 5 }),
    ).toEqual([]);
    const errors = validateData(schema, { idCard: '110105194912310021', score: 9 });
    expect(errors.map((e) => e.pointer).sort()).toEqual(['/idCard', '/phone', '/score']);
    const score = errors.find((e) => e.pointer === '/score');
    expect(score?.message.en).toBe('must be <= 5');
    expect(score?.message['zh-CN']).toMatch(/[\u4e00-\u9fff]/);
  });

  it('compiles each schema once and reuses the validator', () => {
    const schema = { type: 'object', properties: { a: { type: 'string' } } };
    expect(compileSchema(schema)).toBe(compileSchema(JSON.parse(JSON.stringify(schema))));
  });

  it('refuses misspelt keywords and unknown types', () => {
    expect(schemaCompileProblem({ type: 'object', requried: ['a'] })?.detail).toContain('requried');
    expect(schemaCompileProblem({ type: 'strnig' })).toBeDefined();
    expect(schemaCompileProblem([])).toBeDefined();
  });
});
