import type { RJSFSchema } from '@rjsf/utils';
import { renderToString } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { attachmentRefusal, formSchemaProblem, LianxinForm, splitForm } from '../src';

const address = {
  type: 'object',
  title: '地址',
  properties: { line: { type: 'string', title: '街道门牌' } },
} as const;

/** A long form (parts of five) whose fields use the form's definitions. */
function longForm(n: number, defs: 'definitions' | '$defs'): RJSFSchema {
  const properties: Record<string, unknown> = {};
  for (let i = 0; i < n; i++) {
    properties[`f${i}`] =
      i % 3 === 0 ? { $ref: `#/${defs}/address` } : { type: 'string', title: `字段${i}` };
  }
  return { type: 'object', properties, [defs]: { address } } as RJSFSchema;
}

describe('a long form with $ref (more than 10 fields)', () => {
  for (const defs of ['definitions', '$defs'] as const) {
    it(`keeps ${defs} in every part and renders every field`, () => {
      const schema = longForm(13, defs);
      const chunks = splitForm(schema);
      expect(chunks?.length).toBe(3);
      for (const c of chunks ?? []) expect(c.schema[defs]).toEqual({ address });
      const html = renderToString(<LianxinForm schema={schema} />);
      // Five address fields, each with its street line (label and input).
      expect(html.match(/街道门牌/g)?.length).toBeGreaterThanOrEqual(5);
      expect(html).toContain('字段11');
      expect(html).toMatch(/提\s*交/);
    });
  }

  it('stays whole when parts could not resolve its references', () => {
    const own = longForm(13, 'definitions');
    expect(splitForm({ ...own, $id: 'https://lianxin.example/form' })).toBeNull();
    const props = own.properties as Record<string, unknown>;
    expect(
      splitForm({ ...own, properties: { ...props, f1: { $ref: '#/properties/f2' } } }),
    ).toBeNull();
  });
});

describe('a form ajv cannot compile is never a dead 提交 button', () => {
  it('says where and why, in Chinese, instead of the form', () => {
    const schema = {
      $schema: 'https://json-schema.org/draft/2020-12/schema',
      type: 'object',
      properties: { a: { type: 'string', title: '姓名' } },
    } as RJSFSchema;
    const html = renderToString(<LianxinForm schema={schema} />);
    expect(html).toContain('此表单无法使用');
    expect(html).toContain('/$schema');
    expect(html).not.toMatch(/提\s*交/);
    expect(
      formSchemaProblem({
        type: 'object',
        properties: { a: { type: 'string', format: 'nope' } },
      } as RJSFSchema),
    ).toMatch(/^\/properties\/a\/format：不认识的格式 “nope”/);
    const typo = { type: 'object', properties: { a: { type: 'txt' } } } as unknown as RJSFSchema;
    expect(formSchemaProblem(typo, 'en')).toBe(
      '/properties/a/type：not valid JSON Schema draft-07: must be equal to one of the allowed values',
    );
  });

  it('renders RJSF’s file widget (data-url), a discriminated oneOf and overlapping patternProperties', () => {
    const file = {
      type: 'object',
      properties: { file: { type: 'string', format: 'data-url', title: '文件' } },
    };
    expect(formSchemaProblem(file as RJSFSchema)).toBeUndefined();
    const html = renderToString(<LianxinForm schema={file as RJSFSchema} />);
    expect(html).toMatch(/提\s*交/);
    // Not the browser's own file input, whose words are in the browser's language.
    expect(html).toMatch(/选择文件/);
    expect(html).toContain('未选择文件');
    const pets = {
      type: 'object',
      properties: {
        pet: {
          type: 'object',
          discriminator: { propertyName: 'kind' },
          oneOf: [
            { title: '猫', properties: { kind: { const: 'cat' } }, required: ['kind'] },
            { title: '狗', properties: { kind: { const: 'dog' } }, required: ['kind'] },
          ],
        },
      },
      patternProperties: { '^p': { type: 'object' }, t$: { type: 'object' } },
    };
    expect(formSchemaProblem(pets as RJSFSchema)).toBeUndefined();
    expect(renderToString(<LianxinForm schema={pets as RJSFSchema} />)).toMatch(/提\s*交/);
  });
});

describe('new field kinds', () => {
  it('refuses attachments of other types or above the size, before uploading', () => {
    const options = { accept: '.pdf,.jpg', maxSize: 1024 * 1024 };
    expect(
      attachmentRefusal({ name: '信访材料.PDF', size: 1000 }, options, 'zh-CN'),
    ).toBeUndefined();
    expect(attachmentRefusal({ name: '录音.mp3', size: 1000 }, options, 'zh-CN')).toBe(
      '“录音.mp3”的类型不在允许之列（.pdf、.jpg）',
    );
    expect(attachmentRefusal({ name: 'a.jpg', size: 2 * 1024 * 1024 }, options, 'zh-CN')).toBe(
      '“a.jpg”超过 1 MB',
    );
    expect(attachmentRefusal({ name: 'a.exe', size: 1 }, undefined, 'zh-CN')).toBeUndefined();
  });

  it('shows money in yuan and the pickers without a list as typed names', () => {
    const schema = {
      type: 'object',
      properties: {
        fee: { type: 'number', title: '金额', minimum: 0, multipleOf: 0.01 },
        dept: { type: 'string', title: '承办部门' },
      },
    } as RJSFSchema;
    const html = renderToString(
      <LianxinForm
        schema={schema}
        uiSchema={{ fee: { 'ui:widget': 'money' }, dept: { 'ui:widget': 'department' } }}
        formData={{ fee: 12345.6 }}
      />,
    );
    expect(html).toContain('¥');
    expect(html).toContain('value="12,345.60"');
    expect(html).toContain('此处没有部门名单，请直接填写');
  });
});

describe('a form that would nest without end', () => {
  it('is refused at its $ref instead of hanging the page', () => {
    const schema = {
      type: 'object',
      properties: { f: { properties: { foo: { $ref: '#' } }, additionalProperties: false } },
    } as RJSFSchema;
    const html = renderToString(<LianxinForm schema={schema} />);
    expect(html).toContain('/properties/f/properties/foo/$ref');
    expect(html).toContain('无限嵌套');
  });
});

describe('a form with a reference outside itself', () => {
  it('is refused at its $ref instead of failing to draw', () => {
    const schema = {
      type: 'object',
      properties: { meta: { $ref: 'http://json-schema.org/draft-07/schema#' } },
    } as RJSFSchema;
    const html = renderToString(<LianxinForm schema={schema} />);
    expect(html).toContain('/properties/meta/$ref');
    expect(html).toContain('指向表单之外');
  });
});
