import { describe, expect, it } from 'vitest';
import { checkForm, schemaCompileProblem, validateData } from '../src/index';

const obj = (properties: Record<string, unknown>, more: Record<string, unknown> = {}) => ({
  type: 'object',
  properties,
  ...more,
});

describe('what the shared ajv accepts, and where it says no', () => {
  it('validates RJSF file widget data URLs and colours', () => {
    const schema = obj({
      file: { type: 'string', format: 'data-url' },
      c: { type: 'string', format: 'color' },
    });
    expect(
      validateData(schema, { file: 'data:text/plain;name=a.txt;base64,aGk=', c: '#fff' }),
    ).toEqual([]);
    expect(validateData(schema, { file: 'http://x/a.txt' }).map((e) => e.pointer)).toEqual([
      '/file',
    ]);
  });

  it('lets a property also match patternProperties, and both rules apply', () => {
    const schema = obj(
      { ab: { type: 'string' } },
      { patternProperties: { '^a': { minLength: 2 }, b$: { maxLength: 3 } } },
    );
    expect(schemaCompileProblem(schema)).toBeUndefined();
    expect(validateData(schema, { ab: 'abcd' }).map((e) => e.keyword)).toEqual(['maxLength']);
  });

  it('accepts a discriminated oneOf and says in Chinese what a broken one lacks', () => {
    const option = (kind: string) => ({
      properties: { kind: { const: kind } },
      required: ['kind'],
    });
    expect(
      schemaCompileProblem({
        discriminator: { propertyName: 'kind' },
        oneOf: [option('a'), option('b')],
      }),
    ).toBeUndefined();
    const bad = schemaCompileProblem(
      obj({
        x: {
          discriminator: { propertyName: 'kind' },
          oneOf: [{ properties: { kind: { const: 'a' } } }],
        },
      }),
    );
    expect(bad?.pointer).toBe('/properties/x/discriminator');
    expect(bad?.message['zh-CN']).toBe('每个 oneOf 选项都要把 “kind” 列为必填（required）');
  });

  it('refuses a 2020-12 $schema at /$schema and keeps draft-07', () => {
    const bad = schemaCompileProblem({
      $schema: 'https://json-schema.org/draft/2020-12/schema',
      type: 'object',
    });
    expect(bad?.pointer).toBe('/$schema');
    expect(bad?.message['zh-CN']).toContain('draft-07');
    expect(
      schemaCompileProblem({ $schema: 'http://json-schema.org/draft-07/schema#' }),
    ).toBeUndefined();
  });

  it('locates misspelt keywords, unknown formats, dangling $refs and wrong types', () => {
    const at = (s: object) => schemaCompileProblem(s)?.pointer;
    expect(at(obj({ a: { type: 'string', maxLenght: 3 } }))).toBe('/properties/a/maxLenght');
    expect(at(obj({ a: { items: [{}, { type: 'string', format: 'phone' }] } }))).toBe(
      '/properties/a/items/1/format',
    );
    expect(at(obj({ a: { $ref: '#/definitions/nope' } }))).toBe('/properties/a/$ref');
    expect(at(obj({ 'a/b': { type: 'txt' } }))).toBe('/properties/a~1b/type');
    expect(at(obj({ zip: { type: 'string', pattern: '([0-9' } }))).toBe('/properties/zip/pattern');
    // Anything else: the deepest part that fails on its own.
    const twice = { b: { $id: 'x', type: 'string' }, c: { $id: 'x', type: 'number' } };
    expect(at(obj({ ok: { type: 'string' }, a: obj(twice) }))).toBe('/properties/a');
    const zh = schemaCompileProblem(obj({ a: { type: 'string', maxLenght: 3 } }))?.message['zh-CN'];
    expect(zh).toMatch(/没有关键字 “maxLenght”/);
  });

  it('a form file names the located problem in Chinese', () => {
    const [p] = checkForm({
      id: 'f',
      title: { 'zh-CN': '表' },
      schema: obj({ a: { format: 'nope', type: 'string' } }),
    });
    expect(p?.pointer).toBe('/schema/properties/a/format');
    expect(p?.message['zh-CN']).toContain('不认识的格式 “nope”');
    expect(p?.message['zh-CN']).not.toMatch(/unknown|ignored/);
  });
});

describe('a field’s own message for its pattern', () => {
  it('replaces ajv’s “must match pattern” on the server, also through a $ref', () => {
    const zip = { type: 'string', pattern: '^\\d{6}$', 'x-pattern-message': '请输入 6 位邮政编码' };
    const schema = obj({ zip, other: { $ref: '#/definitions/zip' } }, { definitions: { zip } });
    expect(schemaCompileProblem(schema)).toBeUndefined();
    const errors = validateData(schema, { zip: '52900', other: 'x' });
    expect(errors.map((e) => [e.pointer, e.message['zh-CN']])).toEqual([
      ['/zip', '请输入 6 位邮政编码'],
      ['/other', '请输入 6 位邮政编码'],
    ]);
    expect(validateData(schema, { zip: '529000' })).toEqual([]);
  });
});

describe('compiling forms as they are edited', () => {
  it('takes the new content of a form that keeps its $id', () => {
    const v1 = {
      $id: 'https://lianxin.example/f',
      type: 'object',
      properties: { a: { type: 'string' } },
    };
    const v2 = { ...v1, properties: { a: { type: 'number' } } };
    expect(schemaCompileProblem(v1)).toBeUndefined();
    expect(schemaCompileProblem(v2)).toBeUndefined();
    expect(validateData(v2, { a: 1 })).toEqual([]);
  });
  it('says the same about a broken schema every time it is asked', () => {
    const bad = obj({ age: { type: 'int' } });
    const first = schemaCompileProblem(bad);
    expect(first?.pointer).toBe('/properties/age/type');
    expect(schemaCompileProblem(bad)).toEqual(first);
  });
});

describe('forms that would nest without end', () => {
  it('refuses an object that contains itself by $ref, at that $ref, and allows a list of itself', () => {
    const self = obj({ f: { properties: { foo: { $ref: '#' } } } });
    expect(schemaCompileProblem(self)?.pointer).toBe('/properties/f/properties/foo/$ref');
    expect(schemaCompileProblem(self)?.message['zh-CN']).toContain('无限嵌套');
    const loop = obj(
      { person: { $ref: '#/definitions/person' } },
      {
        definitions: {
          person: { type: 'object', properties: { spouse: { $ref: '#/definitions/person' } } },
        },
      },
    );
    expect(schemaCompileProblem(loop)?.pointer).toBe('/definitions/person/properties/spouse/$ref');
    const tree = obj(
      { node: { $ref: '#/definitions/node' } },
      {
        definitions: {
          node: {
            type: 'object',
            properties: { children: { type: 'array', items: { $ref: '#/definitions/node' } } },
          },
        },
      },
    );
    expect(schemaCompileProblem(tree)).toBeUndefined();
    // The same definition used twice is not a cycle.
    const twice = obj(
      { home: { $ref: '#/definitions/a' }, work: { $ref: '#/definitions/a' } },
      { definitions: { a: { type: 'object', properties: { line: { type: 'string' } } } } },
    );
    expect(schemaCompileProblem(twice)).toBeUndefined();
  });
});

describe('what a form cannot do, said where it is', () => {
  it('refuses references outside the form and keywords strict mode ignores', () => {
    const remote = obj({ a: { $ref: 'http://json-schema.org/draft-07/schema#' } });
    expect(schemaCompileProblem(remote)?.pointer).toBe('/properties/a/$ref');
    expect(schemaCompileProblem(remote)?.message['zh-CN']).toContain('指向表单之外');
    const ignored = obj({
      list: { type: 'array', items: { type: 'string' }, additionalItems: false },
    });
    expect(schemaCompileProblem(ignored)?.pointer).toBe('/properties/list/additionalItems');
    expect(schemaCompileProblem(ignored)?.message['zh-CN']).toContain('只在 items 是数组');
    const lonely = obj({ a: { allOf: [{ if: { minLength: 1 } }] } });
    expect(schemaCompileProblem(lonely)?.pointer).toBe('/properties/a/allOf/0/if');
  });
});

describe('references a form can draw', () => {
  it('resolves from the top of the form only, whatever $id says', () => {
    const nested = obj({
      f: {
        $id: 'urn:uuid:deadbeef',
        properties: { foo: { $ref: '#/definitions/bar' } },
        definitions: { bar: { type: 'string' } },
      },
    });
    expect(schemaCompileProblem(nested)?.pointer).toBe('/properties/f/properties/foo/$ref');
    expect(schemaCompileProblem(obj({ a: { $ref: '#foo' } }))?.pointer).toBe('/properties/a/$ref');
  });
});

describe('bounded nesting', () => {
  it('refuses a form nested deeper than any form shows, at the first part too deep, at any depth', () => {
    for (const depth of [40, 100_000]) {
      let s: Record<string, unknown> = { type: 'string' };
      for (let i = 0; i < depth; i++) s = { type: 'object', properties: { a: s } };
      const p = schemaCompileProblem(s);
      expect(p?.pointer).toBe('/properties/a'.repeat(32));
      expect(p?.message['zh-CN']).toContain('嵌套过深');
    }
  });
});
