import { schemaCompileProblem } from '@lianxin/spec';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { optionsText, parseOptions } from '../src/components/FieldEditor';
import {
  buildForm,
  dataSchemaProperties,
  type FieldModel,
  readForm,
  sameJson,
} from '../src/formModel';

type Json = Record<string, unknown>;

/** What the builder writes back for a form nobody edited. */
function untouched(schema: Json, uiSchema: Json = {}) {
  const model = readForm(schema, uiSchema);
  return { model, ...buildForm(model.fields, model.origin, { schema, uiSchema }) };
}

/** The form after `edit` of its top-level fields, written back. */
function edited(schema: Json, uiSchema: Json, edit: (fields: FieldModel[]) => FieldModel[]) {
  const model = readForm(schema, uiSchema);
  return buildForm(edit(model.fields), model.origin, { schema, uiSchema });
}

const key = fc.constantFrom('name', 'age', 'kind', 'note', 'a_b', 'x1', 'when', 'files', 'home');
const text = fc.constantFrom('姓名', '年龄', '类别', '说明', 'Note', '');
const annotation = fc.record(
  {
    description: text,
    $comment: fc.constant('kept'),
    examples: fc.array(fc.string({ maxLength: 3 }), { maxLength: 2 }),
    readOnly: fc.boolean(),
  },
  { requiredKeys: [] },
);

/** Field schemas of every kind the builder knows, with and without properties it does not edit. */
const fieldSchema: fc.Arbitrary<unknown> = fc.oneof(
  fc.record(
    {
      type: fc.constant('string'),
      title: text,
      maxLength: fc.integer({ min: 1, max: 500 }),
      minLength: fc.integer({ min: 0, max: 5 }),
      pattern: fc.constantFrom('^\\d{6}$', '^[A-Z]'),
      'x-pattern-message': text,
      format: fc.constantFrom('date', 'email', 'cn-mobile', 'cn-id-card', 'data-url', 'uri'),
      default: fc.string({ maxLength: 4 }),
    },
    { requiredKeys: ['type'] },
  ),
  fc.record(
    {
      type: fc.constantFrom('number', 'integer'),
      title: text,
      minimum: fc.integer(),
      maximum: fc.integer(),
      multipleOf: fc.constantFrom(0.01, 1, 5),
      exclusiveMaximum: fc.integer(),
      default: fc.integer(),
    },
    { requiredKeys: ['type'] },
  ),
  fc.record(
    {
      type: fc.constantFrom('string', 'number'),
      title: text,
      enum: fc.uniqueArray(fc.oneof(fc.string({ maxLength: 3 }), fc.integer()), {
        minLength: 1,
        maxLength: 4,
      }),
    },
    { requiredKeys: ['enum'] },
  ),
  fc.record(
    {
      type: fc.constant('string'),
      title: text,
      oneOf: fc.uniqueArray(
        fc.record({ const: fc.string({ maxLength: 3 }), title: text }, { requiredKeys: ['const'] }),
        { minLength: 1, maxLength: 3, selector: (o) => o.const },
      ),
    },
    { requiredKeys: ['type', 'oneOf'] },
  ),
  fc.record(
    {
      type: fc.constant('array'),
      title: text,
      uniqueItems: fc.boolean(),
      minItems: fc.integer({ min: 0, max: 3 }),
      items: fc.oneof(
        fc.record({ type: fc.constant('string'), enum: fc.constant(['甲', '乙']) }),
        fc.record({
          type: fc.constant('object'),
          properties: fc.constant({ a: { type: 'string', title: '甲' }, n: { type: 'number' } }),
          required: fc.constant(['a']),
        }),
      ),
    },
    { requiredKeys: ['type', 'items'] },
  ),
  fc.record(
    {
      type: fc.constant('object'),
      title: text,
      description: text,
      properties: fc.constant({ inner: { type: 'string', title: '内' }, n: { type: 'boolean' } }),
      required: fc.constantFrom(['inner'], [], ['n', 'inner']),
      additionalProperties: fc.boolean(),
    },
    { requiredKeys: ['type', 'properties'] },
  ),
  fc.constantFrom<unknown>(
    { $ref: '#/definitions/address' },
    { type: 'boolean', title: '是否' },
    { type: 'string', format: 'date', title: '日期' },
    { anyOf: [{ type: 'string' }, { type: 'number' }] },
    { type: ['string', 'null'] },
    { const: 'fixed' },
    {},
    true,
  ),
  annotation.map((a) => ({ type: 'string', ...a })),
);

const fieldUi: fc.Arbitrary<Json | undefined> = fc.option(
  fc.record(
    {
      'ui:widget': fc.constantFrom(
        'textarea',
        'radio',
        'checkboxes',
        'money',
        'select',
        'hidden',
        'mobile',
      ),
      'ui:help': text,
      'ui:placeholder': text,
      'ui:autofocus': fc.boolean(),
      'ui:options': fc.constantFrom({ inline: true }, { accept: '.pdf,.jpg' }),
      'ui:field': fc.constantFrom('address'),
    },
    { requiredKeys: [] },
  ),
  { nil: undefined },
);

/** Forms written by hand, by RJSF's playground, by older builders: anything draft-07 allows at the top. */
const form = fc
  .record({
    fields: fc.uniqueArray(fc.tuple(key, fieldSchema, fieldUi), {
      maxLength: 6,
      selector: ([k]) => k,
    }),
    type: fc.boolean(),
    title: fc.option(text, { nil: undefined }),
    definitions: fc.boolean(),
    requiredExtra: fc.boolean(),
    requiredShuffle: fc.boolean(),
    conditional: fc.boolean(),
    order: fc.constantFrom('none', 'star', 'reversed', 'stale'),
    uiRoot: fc.boolean(),
    dependencies: fc.boolean(),
  })
  .map((g) => {
    const schema: Json = {};
    if (g.type) schema.type = 'object';
    if (g.title !== undefined) schema.title = g.title;
    if (g.definitions) {
      schema.definitions = {
        address: { type: 'object', properties: { line: { type: 'string' } } },
      };
    }
    const properties: Json = {};
    const uiSchema: Json = {};
    for (const [k, s, ui] of g.fields) {
      properties[k] = s;
      if (ui) uiSchema[k] = ui;
    }
    schema.properties = properties;
    const keys = Object.keys(properties);
    const required = keys.filter((_, i) => i % 2 === 0);
    if (g.requiredShuffle) required.reverse();
    if (g.requiredExtra) required.push('missing');
    if (required.length) schema.required = required;
    if (g.conditional && keys.length) {
      schema.allOf = [
        {
          if: { properties: { [keys[0] as string]: { const: '其他' } }, required: [keys[0]] },
          // biome-ignore lint/suspicious/noThenProperty: JSON Schema
          then: {
            properties: { other: { type: 'string', title: '其他说明' } },
            required: ['other'],
          },
        },
      ];
    }
    if (g.dependencies && keys.length) schema.dependencies = { [keys[0] as string]: ['x'] };
    if (g.order === 'star') uiSchema['ui:order'] = [...keys.slice(1), '*'];
    if (g.order === 'reversed') uiSchema['ui:order'] = [...keys, 'other'].reverse();
    if (g.order === 'stale') uiSchema['ui:order'] = ['gone', ...keys, 'other', '*'];
    if (g.uiRoot) uiSchema['ui:submitButtonOptions'] = { norender: true };
    return { schema, uiSchema };
  });

describe('the form builder keeps every form intact', () => {
  it('writes back any form it did not edit byte for byte, reading it field by field', () => {
    fc.assert(
      fc.property(form, ({ schema, uiSchema }) => {
        const back = untouched(schema, uiSchema);
        expect(JSON.stringify(back.schema)).toBe(JSON.stringify(schema));
        expect(JSON.stringify(back.uiSchema)).toBe(JSON.stringify(uiSchema));
        expect(back.model.opaque).toBeUndefined();
      }),
      { numRuns: 150 },
    );
  });

  it('changes only the edited field: renaming a title leaves everything else as written', () => {
    fc.assert(
      fc.property(form, fc.nat(), ({ schema, uiSchema }, pick) => {
        const model = readForm(schema, uiSchema);
        const visual = model.fields.filter((f) => f.type !== 'json' && !f.visibleWhen);
        fc.pre(visual.length > 0);
        const target = visual[pick % visual.length] as FieldModel;
        const after = edited(schema, uiSchema, (fields) =>
          fields.map((f) =>
            f.key === target.key ? { ...f, title: '新标题', untitled: false } : f,
          ),
        );
        const props = after.schema.properties as Json;
        expect((props[target.key] as Json).title).toBe('新标题');
        const { [target.key]: _a, ...restAfter } = props;
        const { [target.key]: _b, ...restBefore } = schema.properties as Json;
        expect(JSON.stringify(restAfter)).toBe(JSON.stringify(restBefore));
        const withoutProps = (s: Json) => JSON.stringify({ ...s, properties: null });
        expect(withoutProps(after.schema)).toBe(withoutProps(schema));
        expect(JSON.stringify(after.uiSchema)).toBe(JSON.stringify(uiSchema));
      }),
      { numRuns: 100 },
    );
  });

  it('adding a field adds that field and nothing else; removing it gives the form back', () => {
    fc.assert(
      fc.property(form, ({ schema, uiSchema }) => {
        const model = readForm(schema, uiSchema);
        const added: FieldModel = { key: 'added1', type: 'text', title: '新字段', required: true };
        const bigger = buildForm([...model.fields, added], model.origin, { schema, uiSchema });
        expect((bigger.schema.properties as Json).added1).toEqual({
          type: 'string',
          title: '新字段',
        });
        expect(bigger.schema.required).toContain('added1');
        const again = readForm(bigger.schema, bigger.uiSchema);
        const back = buildForm(
          again.fields.filter((f) => f.key !== 'added1'),
          again.origin,
          bigger,
        );
        expect(sameJson(back.schema, schema)).toBe(true);
        const order = (ui: Json) =>
          (ui['ui:order'] as unknown[] | undefined)?.filter((k) => k !== 'added1');
        // A new field after show-when fields needs a ui:order; the original one stays as written.
        if (uiSchema['ui:order']) expect(order(back.uiSchema)).toEqual(order(uiSchema));
        const { 'ui:order': _o, ...uiBack } = back.uiSchema;
        const { 'ui:order': _p, ...uiBefore } = uiSchema;
        expect(uiBack).toEqual(uiBefore);
      }),
      { numRuns: 100 },
    );
  });

  it('shows what it cannot edit as a JSON field, kept exactly', () => {
    const schema = {
      type: 'object',
      properties: {
        count: { type: 'integer', enum: [1, 2, 3], title: '人数' },
        money: { type: 'number', multipleOf: 0.5 },
        person: { $ref: '#/definitions/person' },
        either: { oneOf: [{ type: 'string' }, { type: 'number' }] },
        code: { type: 'string', minLength: 2, format: 'email' },
        rows: { type: 'array', items: { type: 'object', properties: { a: { type: 'string' } } } },
      },
      definitions: { person: { type: 'object', properties: { name: { type: 'string' } } } },
    };
    const { fields } = readForm(schema);
    expect(fields.map((f) => `${f.key}:${f.type}`)).toEqual([
      'count:select',
      'money:json',
      'person:json',
      'either:json',
      'code:json',
      'rows:table',
    ]);
    expect(fields[0]?.options).toEqual([{ value: 1 }, { value: 2 }, { value: 3 }]);
    expect(fields[0]?.valueType).toBe('integer');
    // The case data schema gets them as written, not rewritten to strings.
    expect(dataSchemaProperties(fields)).toEqual(schema.properties);
  });

  it('writes what the field properties say, and ajv compiles it', () => {
    const fields: FieldModel[] = [
      {
        key: 'zip',
        type: 'text',
        title: '邮编',
        required: true,
        maxLength: 6,
        pattern: '^\\d{6}$',
        patternMessage: '请输入 6 位邮政编码',
        placeholder: '如 529200',
        default: '529200',
      },
      { key: 'fee', type: 'money', title: '金额', required: false, minimum: 0, maximum: 10000 },
      {
        key: 'level',
        type: 'select',
        title: '级别',
        required: false,
        options: [
          { value: 1, label: '一级' },
          { value: 2, label: '二级' },
        ],
        valueType: 'integer',
      },
      {
        key: 'files',
        type: 'attachments',
        title: '材料',
        required: false,
        accept: ['pdf', 'jpg'],
        maxSizeMB: 10,
      },
      { key: 'dept', type: 'department', title: '承办部门', required: true },
      { key: 'who', type: 'member', title: '经办人', required: false },
      {
        key: 'family',
        type: 'table',
        title: '家庭成员',
        required: false,
        fields: [
          { key: 'name', type: 'text', title: '姓名', required: true },
          { key: 'age', type: 'number', title: '年龄', required: false, minimum: 0, maximum: 150 },
        ],
      },
    ];
    const { schema, uiSchema } = buildForm(fields);
    expect(schemaCompileProblem(schema)).toBeUndefined();
    const props = schema.properties as Json;
    expect(props.zip).toEqual({
      type: 'string',
      title: '邮编',
      maxLength: 6,
      pattern: '^\\d{6}$',
      'x-pattern-message': '请输入 6 位邮政编码',
      default: '529200',
    });
    expect(props.level).toEqual({
      type: 'integer',
      title: '级别',
      oneOf: [
        { const: 1, title: '一级' },
        { const: 2, title: '二级' },
      ],
    });
    expect(props.family).toMatchObject({
      type: 'array',
      items: { type: 'object', required: ['name'] },
    });
    expect(uiSchema.zip).toEqual({ 'ui:placeholder': '如 529200' });
    expect(uiSchema.files).toEqual({
      'ui:widget': 'attachments',
      'ui:options': { accept: '.pdf,.jpg', maxSize: 10485760 },
    });
    expect(uiSchema.fee).toEqual({ 'ui:widget': 'money' });
    // Read back, every property is a visual field again.
    const back = readForm(schema, uiSchema).fields;
    expect(back.map((f) => f.type)).toEqual(fields.map((f) => f.type));
    expect(back[0]).toMatchObject({
      pattern: '^\\d{6}$',
      patternMessage: '请输入 6 位邮政编码',
      default: '529200',
    });
    expect(back[3]).toMatchObject({ accept: ['pdf', 'jpg'], maxSizeMB: 10 });
  });
});

describe('forms the builder does not read field by field', () => {
  it('keeps a form nested deeper than any form shows whole, at any depth, without reading it', () => {
    let schema: Json = { type: 'string' };
    for (let i = 0; i < 100_000; i++) schema = { type: 'object', properties: { a: schema } };
    const back = untouched(schema);
    expect(back.model.opaque).toBe(true);
    expect(back.schema).toBe(schema);
  });
  it('does not take exponential time on sections in sections', () => {
    let field: FieldModel = { key: 'leaf', type: 'text', title: '叶', required: false };
    for (let i = 0; i < 25; i++)
      field = {
        key: `s${i}`,
        type: 'section',
        title: `分组${i}`,
        required: false,
        fields: [field],
      };
    const { schema, uiSchema } = buildForm([field]);
    const model = readForm(schema, uiSchema);
    expect(model.opaque).toBeUndefined();
    expect(model.fields[0]?.type).toBe('section');
  });
});

describe('choice options typed one per line', () => {
  it('reads value=label lines, numbers for a number choice, and says which line is wrong', () => {
    expect(parseOptions('visit=来访\n来信\n\n', false, 'zh-CN')).toEqual({
      options: [{ value: 'visit', label: '来访' }, { value: '来信' }],
    });
    expect(parseOptions('1=一级\n2=二级', true, 'zh-CN')).toEqual({
      options: [
        { value: 1, label: '一级' },
        { value: 2, label: '二级' },
      ],
    });
    expect(parseOptions('1=一级\n二级', true, 'zh-CN')).toEqual({ error: '第 2 行的值必须是数字' });
    expect(parseOptions('a\nb\na=甲', false, 'zh-CN')).toEqual({ error: '第 3 行的值 “a” 重复' });
    expect(parseOptions(' \n', false, 'zh-CN')).toEqual({ error: '至少要有一个选项' });
  });
  it('writes back what it reads', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(
          fc.record(
            {
              value: fc.stringMatching(/^[a-z0-9一-龥]{1,6}$/),
              label: fc.stringMatching(/^[a-z一-龥]{1,6}$/),
            },
            { requiredKeys: ['value'] },
          ),
          { minLength: 1, maxLength: 8, selector: (o) => o.value },
        ),
        (options) => {
          const read = parseOptions(optionsText(options), false, 'zh-CN');
          const norm = options.map((o) =>
            o.label === undefined || o.label === o.value ? { value: o.value } : o,
          );
          expect(read).toEqual({ options: norm });
        },
      ),
    );
  });
});
