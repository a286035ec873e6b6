import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  compileSchema,
  HIDDEN_TEXT,
  isSealed,
  mapSealed,
  maskAddress,
  maskSensitive,
  parseSealed,
  relaxedForSealed,
  SENSITIVE_KINDS,
  schemaCompileProblem,
  sealSensitive,
  sealValue,
  sensitiveFields,
} from '../src/index';

const ciphertext = fc.string({ minLength: 1 }).map((s) => `v1:${s}`);
const sealed = fc
  .tuple(fc.constantFrom(...SENSITIVE_KINDS), ciphertext)
  .map(([kind, c]) => sealValue(kind, c));
const json: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    fc.oneof(fc.string(), fc.integer(), fc.boolean(), fc.constant(null), sealed),
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(fc.string(), tie('value'), { maxKeys: 4 }),
  ),
})).value;

describe('sealed values', () => {
  it('round-trips kind and ciphertext, colons in the ciphertext included', () => {
    const s = sealValue('address', 'v1:a:b:c==');
    expect(s).toBe('lx:s1:address:v1:a:b:c==');
    expect(isSealed(s)).toBe(true);
    expect(parseSealed(s)).toEqual({ kind: 'address', ciphertext: 'v1:a:b:c==' });
  });

  it('does not take look-alikes for sealed values', () => {
    for (const s of ['lx:s1:', 'lx:s1:name:', 'lx:s1:nose:v1:x', 'lx:s2:name:v1:x', 'name:v1:x']) {
      expect(isSealed(s), s).toBe(false);
      expect(() => parseSealed(s)).toThrow();
    }
    expect(isSealed(42)).toBe(false);
  });

  it('mapSealed leaves no sealed string anywhere in any JSON, and keeps everything else', () => {
    fc.assert(
      fc.property(json, (value) => {
        const out = mapSealed(value, (s) => `opened(${parseSealed(s).kind})`);
        expect(JSON.stringify(out) ?? '').not.toContain('"lx:s1:');
        // undoing the replacement gives back the same shape
        const again = mapSealed(value, (s) => s);
        expect(again).toEqual(value);
        expect(again).toBe(value);
      }),
    );
  });

  it('mapSealed replaces inside arrays and objects without touching the input', () => {
    const input = {
      a: [1, sealValue('name', 'v1:x')],
      b: { c: sealValue('text', 'v1:y') },
      d: 'x',
    };
    const out = mapSealed(input, (s) => parseSealed(s).kind);
    expect(out).toEqual({ a: [1, 'name'], b: { c: 'text' }, d: 'x' });
    expect(input.a[1]).toBe('lx:s1:name:v1:x');
  });
});

describe('masks by kind', () => {
  it('keeps an address down to the county or town', () => {
    expect(maskAddress('山东省泰安市泰山区岱庙街道红门路12号')).toBe(
      '山东省泰安市泰山区岱庙街道****',
    );
    expect(maskAddress('泰山区幸福小区3号楼2单元')).toBe('泰山区****');
    expect(maskAddress('北京市朝阳区建国路88号')).toBe('北京市朝阳区****');
    expect(maskAddress('红门路12号')).toBe('****');
    expect(maskAddress('泰安市岱岳区粥店街道市场路5号')).toBe('泰安市岱岳区粥店街道****');
  });

  it('masks every kind', () => {
    expect(maskSensitive('name', '陈伯')).toBe('陈*');
    expect(maskSensitive('phone', '13800138000')).toBe('138****8000');
    expect(maskSensitive('idCard', '11010519491231002X')).toBe('1101**********002X');
    expect(maskSensitive('text', '患有心脏病，独居')).toBe(HIDDEN_TEXT);
  });
});

describe('sensitive fields of a form', () => {
  const schema = {
    type: 'object',
    required: ['petitionerName', 'phone'],
    properties: {
      petitionerName: { type: 'string', maxLength: 20, 'x-sensitive': 'name' },
      phone: { type: 'string', format: 'cn-mobile', 'x-sensitive': 'phone' },
      household: {
        type: 'object',
        properties: { address: { type: 'string', 'x-sensitive': 'address' } },
      },
      relatives: {
        type: 'array',
        items: {
          type: 'object',
          properties: { health: { type: 'string', 'x-sensitive': 'text' } },
        },
      },
      summary: { type: 'string' },
    },
  };
  const seal = (kind: string, plain: string) => sealValue(kind as never, `v1:${plain.length}`);

  it('finds them through nested objects and array items', () => {
    expect(sensitiveFields(schema)).toEqual([
      { path: ['petitionerName'], kind: 'name' },
      { path: ['phone'], kind: 'phone' },
      { path: ['household', 'address'], kind: 'address' },
      { path: ['relatives', '*', 'health'], kind: 'text' },
    ]);
  });

  it('seals the strings there and nothing else', () => {
    const data = {
      petitionerName: '陈伯',
      phone: '13800138000',
      household: { address: '泰山区红门路12号' },
      relatives: [{ health: '独居' }, { health: '' }],
      summary: '拖欠工资',
    };
    const sealedData = sealSensitive(schema, data, seal) as typeof data;
    expect(JSON.stringify(sealedData)).not.toMatch(/陈伯|13800138000|红门路|独居/);
    expect(sealedData.summary).toBe('拖欠工资');
    expect(parseSealed(sealedData.phone).kind).toBe('phone');
    expect(sealedData.relatives[1]?.health).toBe('');
    // sealing twice changes nothing
    expect(sealSensitive(schema, sealedData, seal)).toEqual(sealedData);
    expect(data.petitionerName).toBe('陈伯');
  });

  it('a schema accepts sealed values of its kinds only once relaxed for them', () => {
    const data = sealSensitive(
      schema,
      { petitionerName: '陈伯伯伯伯伯伯伯伯伯伯伯伯伯伯伯伯伯伯伯伯伯', phone: '13800138000' },
      seal,
    );
    expect(compileSchema(schema)(data)).toBe(false);
    expect(compileSchema(relaxedForSealed(schema))(data)).toBe(true);
    // a sealed value of another kind is still refused
    const wrongKind = {
      petitionerName: sealValue('phone', 'v1:AAAAAAAAAAAAAAAAAAAAAAAA'),
      phone: sealValue('phone', 'v1:y'),
    };
    expect(compileSchema(relaxedForSealed(schema))(wrongKind)).toBe(false);
  });

  it('the shared ajv setup refuses an unknown kind', () => {
    expect(
      schemaCompileProblem({ type: 'object', properties: { a: { 'x-sensitive': 'health' } } }),
    ).toBeDefined();
  });
});

describe('sealing twice', () => {
  it('returns the very same object when everything is already sealed', () => {
    const schema = {
      type: 'object',
      properties: {
        p: { type: 'object', properties: { name: { type: 'string', 'x-sensitive': 'name' } } },
        list: { type: 'array', items: { type: 'string', 'x-sensitive': 'text' } },
      },
    };
    const data = { p: { name: sealValue('name', 'v1:a') }, list: [sealValue('text', 'v1:b')] };
    expect(sealSensitive(schema, data, () => 'never')).toBe(data);
  });
});
