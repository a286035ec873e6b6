import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { checkForm, validateData } from '@lianxin/spec';
import { describe, expect, it } from 'vitest';
import { importForm } from '../src/index';

const FIXTURES = join(import.meta.dirname, 'fixtures/forms');
const load = (file: string) => importForm(JSON.parse(readFileSync(join(FIXTURES, file), 'utf8')));
const statuses = (r: ReturnType<typeof importForm>) =>
  Object.fromEntries(r.report.map((p) => [p.component, p.status]));

describe('form-js (Camunda Forms) import', () => {
  const r = load('formjs-petition.form');

  it('is recognised and gives a form the checker accepts', () => {
    expect(r.source).toBe('form-js');
    expect(r.form?.id).toBe('petitionRegister');
    expect(checkForm(r.form)).toEqual([]);
  });

  it('reports per component what is imported, partly lost or skipped', () => {
    expect(statuses(r)).toEqual({
      Field_intro: 'skipped',
      petitionerName: 'imported',
      phone: 'partial',
      email: 'imported',
      amount: 'imported',
      category: 'imported',
      approvalNo: 'imported',
      channel: 'imported',
      departments: 'imported',
      occurredOn: 'imported',
      collective: 'imported',
      headcount: 'imported',
      requests: 'imported',
      materials: 'imported',
      remark: 'partial',
      Field_15: 'partial',
      agentName: 'imported',
      computed: 'skipped',
      submit: 'skipped',
    });
    expect(r.problems.filter((p) => p.element === 'remark').map((p) => p.message.en)).toEqual([
      'the hide condition "=amount > 1000" cannot be turned into "show when a field equals a value" and was not imported',
    ]);
  });

  it('maps each field kind with its validation rules', () => {
    const props = r.form?.schema.properties as Record<string, Record<string, unknown>>;
    expect(props.petitionerName).toEqual({
      type: 'string',
      title: '信访人姓名',
      minLength: 2,
      maxLength: 20,
    });
    expect(props.email).toMatchObject({ format: 'email' });
    expect(props.amount).toMatchObject({ type: 'number', minimum: 0, maximum: 100000000 });
    expect(props.category).toMatchObject({
      oneOf: [
        { const: 'land', title: '土地征收' },
        { const: 'labour', title: '劳动社保' },
      ],
    });
    expect(props.departments).toMatchObject({ type: 'array', uniqueItems: true });
    expect(props.occurredOn).toMatchObject({ type: 'string', format: 'date' });
    expect(props.collective).toMatchObject({ type: 'boolean' });
    expect(props.materials).toMatchObject({ type: 'array', items: { required: ['name', 'ref'] } });
    expect(r.form?.schema.required).toEqual(['petitionerName', 'category', 'requests']);
    expect(r.form?.uiSchema).toMatchObject({
      channel: { 'ui:widget': 'radio' },
      departments: { 'ui:widget': 'checkboxes' },
      requests: { 'ui:widget': 'textarea' },
      materials: { 'ui:widget': 'attachments', 'ui:options': { accept: '.pdf,.jpg' } },
    });
  });

  it('turns simple hide conditions into show-when rules that validate as the form meant', () => {
    const schema = r.form?.schema as Record<string, unknown>;
    const base = { petitionerName: '张三', requests: '诉求' };
    // the 批文号 is required only for land cases
    expect(validateData(schema, { ...base, category: 'labour' })).toEqual([]);
    expect(validateData(schema, { ...base, category: 'land' }).length).toBeGreaterThan(0);
    expect(validateData(schema, { ...base, category: 'land', approvalNo: 'A-1' })).toEqual([]);
    expect(schema.allOf).toContainEqual({
      if: { properties: { collective: { const: true } }, required: ['collective'] },
      // biome-ignore lint/suspicious/noThenProperty: JSON Schema's if/then keyword
      then: { properties: { headcount: { type: 'number', title: '人数' } } },
    });
  });
});

describe('Form.io import', () => {
  const r = load('formio-mediation.json');

  it('is recognised and gives a form the checker accepts', () => {
    expect(r.source).toBe('formio');
    expect(r.form).toMatchObject({ id: 'mediationRequest', title: { 'zh-CN': '调解申请' } });
    expect(checkForm(r.form)).toEqual([]);
  });

  it('reports per component what is imported, partly lost or skipped', () => {
    expect(statuses(r)).toEqual({
      applicant: 'imported',
      mobile: 'partial',
      mail: 'imported',
      claim: 'imported',
      disputeType: 'imported',
      contractNo: 'imported',
      willing: 'imported',
      unwillingReason: 'partial',
      ways: 'partial',
      appliedOn: 'imported',
      consent: 'imported',
      panel1: 'partial',
      evidence: 'partial',
      columns1: 'partial',
      province: 'imported',
      county: 'partial',
      signature: 'skipped',
      items: 'skipped',
      submit: 'skipped',
    });
  });

  it('keeps validation, the pattern message, file limits and show-when conditions', () => {
    const props = r.form?.schema.properties as Record<string, Record<string, unknown>>;
    expect(props.claim).toMatchObject({ minimum: 0, maximum: 5000000 });
    expect(props.evidence).toMatchObject({
      items: {
        properties: {
          name: { pattern: '\\.([Pp][Dd][Ff]|[Pp][Nn][Gg])$' },
          size: { maximum: 10485760 },
        },
      },
    });
    expect(r.form?.schema.allOf).toEqual([
      {
        if: { properties: { disputeType: { const: 'contract' } }, required: ['disputeType'] },
        // biome-ignore lint/suspicious/noThenProperty: JSON Schema's if/then keyword
        then: {
          properties: {
            contractNo: {
              type: 'string',
              title: '合同编号',
              pattern: '^HT\\d{6}$',
              'x-pattern-message': '合同编号形如 HT000123',
            },
          },
        },
      },
    ]);
    expect(r.form?.schema.required).toEqual(['applicant', 'mobile', 'disputeType', 'consent']);
  });
});

it('refuses JSON that is no form with an error', () => {
  const r = importForm({ nodes: [] });
  expect(r.form).toBeUndefined();
  expect(r.problems.map((p) => [p.code, p.severity])).toEqual([['form.parse', 'error']]);
});
