import { createAjv } from '@lianxin/spec';
import type { RJSFSchema } from '@rjsf/utils';
import { renderToString } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import {
  canonicalSchema,
  DIVISIONS,
  describeIdCard,
  divisionFullName,
  divisionPath,
  findDivision,
  formValidator,
  idCardCheckCharacter,
  LianxinForm,
  precompileForm,
  splitForm,
} from '../src';

// 11010519491231002X is the GB 11643 standard's own example.
const VALID_ID = '11010519491231002X';

describe('ID card numbers (GB 11643)', () => {
  it('computes the check character of the standard example', () => {
    expect(idCardCheckCharacter('11010519491231002')).toBe('X');
  });
  it('reads birth date and sex of a valid number', () => {
    expect(describeIdCard(VALID_ID)).toMatchObject({
      valid: true,
      birthDate: '1949-12-31',
      sex: 'female',
    });
  });
  it('says which check character was expected', () => {
    const info = describeIdCard('110105194912310021');
    expect(info.valid).toBe(false);
    expect(info.reason?.['zh-CN']).toBe('校验位不符（应为 X）');
  });
  it('names the region of issue for Guangdong numbers', () => {
    const first17 = '44078119800101123';
    const id = first17 + idCardCheckCharacter(first17);
    expect(describeIdCard(id)).toMatchObject({ valid: true, region: '广东省江门市台山市' });
  });
  it('refuses an impossible birth date even with a matching check character', () => {
    const first17 = '44078119800231123';
    expect(describeIdCard(first17 + idCardCheckCharacter(first17)).valid).toBe(false);
  });
});

describe('divisions (GB/T 2260)', () => {
  it('has Jiangmen and exactly its seven county-level divisions', () => {
    const jiangmen = findDivision('440700');
    expect(jiangmen?.name).toBe('江门市');
    expect(jiangmen?.children?.map((d) => `${d.code} ${d.name}`)).toEqual([
      '440703 蓬江区',
      '440704 江海区',
      '440705 新会区',
      '440781 台山市',
      '440783 开平市',
      '440784 鹤山市',
      '440785 恩平市',
    ]);
  });
  it('lists all 21 prefecture-level cities of Guangdong', () => {
    expect(findDivision('440000')?.children).toHaveLength(21);
  });
  it('walks a county up to its province', () => {
    expect(divisionPath('440781')).toEqual(['440000', '440700', '440781']);
    expect(divisionFullName('440784')).toBe('广东省江门市鹤山市');
    expect(divisionPath('999999')).toEqual([]);
  });
  it('keeps every child code inside its parent’s code range', () => {
    const walk = (list: typeof DIVISIONS, prefix: string) => {
      for (const d of list) {
        expect(d.code.startsWith(prefix)).toBe(true);
        if (d.children) walk(d.children, d.code.slice(0, d.code.endsWith('0000') ? 2 : 4));
      }
    };
    walk(DIVISIONS, '');
  });
});

const form: RJSFSchema = {
  type: 'object',
  required: ['name', 'idCard', 'mobile'],
  properties: {
    name: { type: 'string', title: '姓名' },
    idCard: { type: 'string', title: '身份证号', format: 'cn-id-card' },
    mobile: { type: 'string', title: '手机号码', format: 'cn-mobile' },
    county: { type: 'string', title: '所在县区', format: 'gb2260' },
  },
};

describe('the form validator', () => {
  it('reports errors in Chinese using the shared formats', () => {
    const { errors } = formValidator('zh-CN').validateFormData(
      { name: '张三', idCard: '110105194912310021', mobile: '12345' },
      form,
    );
    const byProperty = Object.fromEntries(errors.map((e) => [e.property, e.message]));
    expect(byProperty['.idCard']).toBe('应当匹配格式 "cn-id-card"');
    expect(byProperty['.mobile']).toBe('应当匹配格式 "cn-mobile"');
  });
  it('reports a missing required field in Chinese', () => {
    const { errors } = formValidator('zh-CN').validateFormData({ name: '张三' }, form);
    expect(errors.map((e) => e.message)).toContain("应当有必需属性 '身份证号'");
  });
  it('reports in English when asked', () => {
    const { errors } = formValidator('en').validateFormData({ name: 'x', mobile: '1' }, form);
    expect(errors.some((e) => e.message?.includes('must match format "cn-mobile"'))).toBe(true);
  });
  it('accepts valid data, like the server’s ajv does', () => {
    const data = { name: '张三', idCard: VALID_ID, mobile: '13800138000', county: '440781' };
    expect(formValidator().validateFormData(data, form).errors).toEqual([]);
    expect(createAjv().compile(form)(data)).toBe(true);
  });
  it('shares one schema object, and so one compiled validator, per content', () => {
    const copy = JSON.parse(JSON.stringify(form));
    expect(canonicalSchema(copy)).toBe(canonicalSchema(form));
    expect(precompileForm(copy)).toBe(canonicalSchema(form));
  });
});

describe('LianxinForm', () => {
  it('renders Chinese labels and the domain widgets', () => {
    const html = renderToString(
      <LianxinForm
        schema={{
          type: 'object',
          properties: {
            idCard: { type: 'string', title: '身份证号', format: 'cn-id-card' },
            mobile: { type: 'string', title: '手机号码' },
            address: {
              type: 'object',
              title: '住址',
              properties: { division: { type: 'string' }, detail: { type: 'string' } },
            },
          },
        }}
        uiSchema={{
          idCard: { 'ui:widget': 'idCard' },
          mobile: { 'ui:widget': 'mobile' },
          address: { 'ui:field': 'address' },
        }}
        formData={{ idCard: VALID_ID }}
      />,
    );
    expect(html).toContain('身份证号');
    expect(html).toContain('+86');
    expect(html).toContain('选择省 / 市 / 县（区）');
    expect(html).toContain('出生 1949-12-31');
  });
});

describe('long forms', () => {
  const long = (n: number): RJSFSchema => ({
    type: 'object',
    required: ['f3'],
    properties: Object.fromEntries(
      Array.from({ length: n }, (_, i) => [`f${i}`, { type: 'string' }]),
    ),
  });
  it('splits a long form without cross-field rules into parts of five fields, keeping order', () => {
    const parts = splitForm(long(30), { 'ui:order': ['f29', '*'] });
    expect(parts?.map((p) => p.keys.length)).toEqual([5, 5, 5, 5, 5, 5]);
    expect(parts?.[0]?.keys[0]).toBe('f29');
    expect(parts?.[0]?.schema.required).toEqual(['f3']);
  });
  it('keeps short forms and forms with if/then whole', () => {
    expect(splitForm(long(10))).toBeNull();
    const conditional: Record<string, unknown> = { if: { properties: { f1: { const: 'x' } } } };
    // biome-ignore lint/suspicious/noThenProperty: JSON Schema's if/then keyword
    conditional.then = { required: ['f2'] };
    expect(splitForm({ ...long(40), allOf: [conditional] })).toBeNull();
  });
});
