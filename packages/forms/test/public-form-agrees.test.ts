import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Lang } from '@lianxin/spec';
import type { RJSFSchema, UiSchema } from '@rjsf/utils';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalSchema, checkForm, formValidator, unsupportedPart } from '../src';
import { oneErrorPerField } from '../src/messages';

// biome-ignore lint/suspicious/noExplicitAny: template JSON
type Json = any;

const TEMPLATES = join(import.meta.dirname, '../../../templates');

/** Each template's start form as a citizen gets it online: the start node's intakeForm, or its form. */
const startForms = readdirSync(TEMPLATES, { withFileTypes: true })
  .filter((d) => d.isDirectory())
  .map((d) => {
    const flow: Json = JSON.parse(readFileSync(join(TEMPLATES, d.name, 'flow.json'), 'utf8'));
    const start = flow.nodes.find((n: Json) => n.kind === 'start');
    const formId: string = start.intakeForm ?? start.form;
    const form: Json = JSON.parse(
      readFileSync(join(TEMPLATES, d.name, 'forms', `${formId}.json`), 'utf8'),
    );
    return {
      name: `${d.name}/${formId}`,
      schema: form.schema as RJSFSchema,
      uiSchema: form.uiSchema as UiSchema | undefined,
    };
  });

/** What LianxinForm shows for this data (its `check`: RJSF's ajv8 validator, then messages.ts). */
function staffErrors(schema: RJSFSchema, ui: UiSchema | undefined, data: Json, lang: Lang) {
  const s = canonicalSchema(schema);
  return oneErrorPerField(
    formValidator(lang).validateFormData(data, s, undefined, undefined, ui).errors,
    s,
    ui,
    data,
    lang,
  );
}

const VALID_ID = '11010519491231002X';
/** Strings a person (or a paste) puts in a field: empty, short, long, near-misses of each format. */
const someString = fc.oneof(
  fc.constantFrom(
    '',
    ' ',
    'a',
    '黄阿婆',
    '13800138000',
    '1380013800',
    '23800138000',
    '+86 138-0013-8000',
    VALID_ID,
    '110105194912310021',
    '11010519491231002x',
    '2026-01-31',
    '2026-02-30',
    '31/01/2026',
    'labour',
    'housing',
    'other',
    'nobody@example.cn',
    '村口道路塌陷三个月无人修复',
  ),
  fc.string({ maxLength: 8 }),
  fc.string({ minLength: 490, maxLength: 520 }),
);
const anyValue: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 6, arbitrary: someString },
  fc.integer({ min: -5, max: 100_000 }),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.boolean(),
  fc.constant(null),
);

/** Data shaped like the schema (each field missing, fitting or wrong), sometimes not at all. */
function dataFor(schema: Json, depth = 0): fc.Arbitrary<unknown> {
  if (schema?.type === 'object' && schema.properties && depth < 4) {
    const keys = Object.keys(schema.properties);
    return fc.oneof(
      {
        weight: 8,
        arbitrary: fc.record(
          Object.fromEntries(keys.map((k) => [k, dataFor(schema.properties[k], depth + 1)])),
          { requiredKeys: [] },
        ),
      },
      { weight: 1, arbitrary: anyValue },
    );
  }
  if (schema?.type === 'array')
    return fc.oneof(
      { weight: 6, arbitrary: fc.array(dataFor(schema.items, depth + 1), { maxLength: 3 }) },
      { weight: 1, arbitrary: anyValue },
    );
  if (Array.isArray(schema?.enum))
    return fc.oneof(
      { weight: 4, arbitrary: fc.constantFrom(...schema.enum) },
      { weight: 1, arbitrary: anyValue },
    );
  if (schema?.type === 'number' || schema?.type === 'integer')
    return fc.oneof(
      {
        weight: 4,
        arbitrary: fc.oneof(
          fc.integer({ min: -10, max: 1_000_000 }),
          fc.double({ noNaN: true, noDefaultInfinity: true }),
        ),
      },
      { weight: 1, arbitrary: anyValue },
    );
  return anyValue;
}

describe('the public form validates as the staff form does', () => {
  it('reads all eight templates’ start forms', () => {
    expect(startForms).toHaveLength(8);
  });

  describe.each(startForms)('$name', ({ schema, uiSchema }) => {
    it('is drawn by the public form', () => {
      expect(unsupportedPart(schema, uiSchema)).toBeNull();
    });

    it('gives the same problems, in the same words and order, for any data', () => {
      fc.assert(
        fc.property(dataFor(schema), fc.constantFrom<Lang>('zh-CN', 'en'), (data, lang) => {
          expect(checkForm(schema, uiSchema, data, lang)).toEqual(
            staffErrors(schema, uiSchema, data, lang),
          );
        }),
        { numRuns: 300 },
      );
    });

    it('says the same for the empty form and for the form with empty objects', () => {
      for (const data of [{}, { petitioner: {} }])
        for (const lang of ['zh-CN', 'en'] as const) {
          const light = checkForm(schema, uiSchema, data, lang);
          expect(light).toEqual(staffErrors(schema, uiSchema, data, lang));
          expect(light.map((e) => e.message).join(' ')).not.toMatch(/应当|must have/);
        }
    });
  });

  it('would tell a difference: a form whose words differ is caught', () => {
    const { schema, uiSchema } =
      startForms.find((f) => f.name.startsWith('standard-petition')) ?? startForms[0]!;
    const renamed = {
      ...uiSchema,
      summary: { ...(uiSchema as Json)?.summary, 'ui:title': '诉求' },
    };
    expect(checkForm(schema, renamed, {}, 'zh-CN')).not.toEqual(
      staffErrors(schema, uiSchema, {}, 'zh-CN'),
    );
  });
});

describe('forms the public form does not draw', () => {
  const cases: [string, RJSFSchema, UiSchema | undefined, string][] = [
    [
      'a $ref',
      {
        type: 'object',
        properties: { a: { $ref: '#/definitions/x' } },
        definitions: { x: { type: 'string' } },
      },
      undefined,
      'definitions',
    ],
    [
      'a oneOf',
      { type: 'object', properties: { a: { type: 'string', oneOf: [{ const: 'x' }] } } },
      undefined,
      'oneOf',
    ],
    [
      'conditions',
      { type: 'object', properties: { a: { type: 'string' } }, if: { required: ['a'] } },
      undefined,
      'if',
    ],
    [
      'a division picker',
      { type: 'object', properties: { a: { type: 'string', format: 'gb2260' } } },
      undefined,
      'format gb2260',
    ],
    [
      'attachments',
      {
        type: 'object',
        properties: { a: { type: 'array', items: { type: 'object', properties: {} } } },
      },
      { a: { 'ui:widget': 'attachments' } },
      'ui:widget attachments',
    ],
    [
      'a custom field',
      { type: 'object', properties: { a: { type: 'string' } } },
      { a: { 'ui:field': 'address' } },
      'ui:field',
    ],
  ];
  it.each(cases)('refuses %s, naming it', (_name, schema, ui, what) => {
    expect(unsupportedPart(schema, ui)?.what).toBe(what);
  });
});
