import type { RJSFSchema } from '@rjsf/utils';
import { describe, expect, it } from 'vitest';
import { canonicalSchema, formValidator } from '../src/validator';

const missing = (schema: RJSFSchema, data: object) =>
  formValidator('zh-CN')
    .validateFormData(data, canonicalSchema(schema))
    .errors.map((e) => e.params?.missingProperty);

describe('a form with a root $id', () => {
  it('is checked against its latest content after an edit in place, not the first compiled', () => {
    const first: RJSFSchema = {
      $id: 'https://county.example/forms/visit',
      type: 'object',
      required: ['name'],
      properties: { name: { type: 'string' }, phone: { type: 'string' } },
    };
    expect(missing(first, {})).toEqual(['name']);
    // the admin makes the phone required too; the form keeps its $id
    const edited: RJSFSchema = { ...first, required: ['name', 'phone'] };
    expect(missing(edited, { name: '张三' })).toEqual(['phone']);
    // and taking the change back restores the first rule
    expect(missing({ ...first }, { name: '张三' })).toEqual([]);
  });
});
