import type { Server } from 'node:http';
import type { FlowDefinition } from '@lianxin/spec';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { launchChromium, screenshot, serve } from '../harness';

let browser: Browser;
let server: Server;
let url: string;

beforeAll(async () => {
  ({ url, server } = await serve(inject('webBuilds').e2e));
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  server?.close();
});

/** A form written by hand: 13 fields, $ref, a number choice, oneOf, minLength, a file, rows. */
const pasted = {
  id: 'form1',
  title: { 'zh-CN': '来访登记' },
  schema: {
    type: 'object',
    definitions: {
      address: { type: 'object', properties: { line: { type: 'string', title: '街道门牌' } } },
    },
    required: ['name'],
    properties: {
      name: { type: 'string', title: '姓名', minLength: 2 },
      home: { $ref: '#/definitions/address', title: '住址' },
      work: { $ref: '#/definitions/address', title: '单位地址' },
      people: { type: 'integer', title: '来访人数', enum: [1, 2, 3] },
      channel: {
        type: 'string',
        title: '渠道',
        oneOf: [
          { const: 'visit', title: '来访' },
          { const: 'letter', title: '来信' },
        ],
      },
      contact: { title: '联系方式', anyOf: [{ type: 'string' }, { type: 'number' }] },
      email: { type: 'string', format: 'email', title: '邮箱' },
      scan: { type: 'string', format: 'data-url', title: '扫描件' },
      rows: {
        type: 'array',
        title: '诉求明细',
        items: { type: 'object', properties: { item: { type: 'string', title: '事项' } } },
      },
      note: { type: 'string', title: '备注' },
      a1: { type: 'string', title: '补充一' },
      a2: { type: 'string', title: '补充二' },
      a3: { type: 'string', title: '补充三' },
    },
  },
  uiSchema: { note: { 'ui:widget': 'textarea' } },
};

const flowOf = (page: Page) =>
  page.evaluate(() => {
    const w = window as unknown as { __lianxinDesigner: { getState(): { flow: FlowDefinition } } };
    return w.__lianxinDesigner.getState().flow;
  });

describe('the form builder keeps a pasted form intact', () => {
  it('an admin pastes a hand-written form into 编辑 JSON, renames one field, and nothing else changes', async () => {
    const page = await browser.newPage({ viewport: { width: 1366, height: 900 } });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(url);
    await page.getByTestId('login-username').fill('taishan-admin');
    await page.getByTestId('login-password').fill('test-password');
    await page.getByTestId('login-submit').click();
    await page.getByTestId('new-flow').click();
    await page.getByTestId('new-flow-name').fill('来访登记');
    await page.getByTestId('new-flow-key').fill('visit-register-intact');
    await page.getByTestId('new-flow-create').click();
    await page.getByRole('tab', { name: /表单/ }).click();
    await page.getByTestId('add-form').first().click();

    // A 2020-12 form is refused where it says so, in Chinese, and nothing is applied.
    await page.getByRole('tab', { name: '编辑 JSON' }).click();
    const wrong = {
      ...pasted,
      schema: { $schema: 'https://json-schema.org/draft/2020-12/schema', ...pasted.schema },
    };
    await page.getByTestId('raw-json').fill(JSON.stringify(wrong, null, 2));
    await page.getByTestId('raw-apply').click();
    const refusal = page.locator('.ant-alert-error', { hasText: '未应用' });
    await refusal.waitFor();
    expect(await refusal.innerText()).toContain('/schema/$schema：');
    expect(await refusal.innerText()).toContain('不支持的 JSON Schema 版本');
    await screenshot(page, 'form-builder-refused-2020-12');
    expect((await flowOf(page)).forms[0]?.schema).toEqual({ type: 'object', properties: {} });

    await page.getByTestId('raw-json').fill(JSON.stringify(pasted, null, 2));
    await page.getByTestId('raw-apply').click();
    await page.getByTestId('form-kept').waitFor();
    expect(await page.getByTestId('form-kept').innerText()).toContain('6 个字段');
    await page.getByRole('tab', { name: '实时预览' }).click();
    // 13 fields render in parts; the $ref fields resolve (the app is not blank).
    await expect.poll(() => page.getByTestId('form-preview').getByText('街道门牌').count()).toBe(2);
    await page.getByTestId('field-people').click();
    await page.getByTestId('field-title').fill('同行人数');
    await page.getByTestId('field-title').press('Enter');
    await page.getByTestId('form-kept').scrollIntoViewIfNeeded();
    await screenshot(page, 'form-builder-kept-notice');
    // A choice: values apart from their labels.
    await page.getByTestId('field-channel').click();
    await page.locator('#field-options').scrollIntoViewIfNeeded();
    expect(await page.locator('#field-options').inputValue()).toBe('visit=来访\nletter=来信');
    await screenshot(page, 'form-builder-choice-options');
    await page.getByTestId('field-home').click();
    await page.getByTestId('field-json').scrollIntoViewIfNeeded();
    expect(await page.getByTestId('field-json').inputValue()).toContain('#/definitions/address');
    await screenshot(page, 'form-builder-intact');

    const flow = await flowOf(page);
    const schema = flow.forms[0]?.schema as typeof pasted.schema;
    const { people, ...others } = schema.properties;
    const { people: before, ...othersBefore } = pasted.schema.properties;
    expect(people).toEqual({ ...before, title: '同行人数' });
    expect(others).toEqual(othersBefore);
    expect(schema.definitions).toEqual(pasted.schema.definitions);
    expect(flow.forms[0]?.uiSchema).toEqual(pasted.uiSchema);
    // The case data schema follows: same fields, same types, and the definitions their $refs need.
    const data = flow.dataSchema as { properties: Record<string, unknown>; definitions?: unknown };
    expect(data.properties.people).toEqual({ ...before, title: '同行人数' });
    expect(data.properties.rows).toEqual(pasted.schema.properties.rows);
    expect(data.definitions).toEqual(pasted.schema.definitions);

    // New kinds and their properties: an amount in yuan with a maximum, attachments of one type.
    await page.getByTestId('add-field-money').click();
    await page.getByTestId('field-title').fill('补偿金额');
    await page.getByTestId('field-title').press('Enter');
    await page.getByTestId('field-maximum').fill('100000');
    await page.getByTestId('field-maximum').press('Enter');
    await page.getByTestId('add-field-attachments').click();
    await page.getByTestId('field-accept').click();
    await page.keyboard.type('pdf');
    await page.keyboard.press('Enter');
    await page.keyboard.press('Escape');
    await page.getByTestId('field-max-size').fill('10');
    await page.getByTestId('field-max-size').press('Enter');
    await expect
      .poll(async () => (await flowOf(page)).forms[0]?.uiSchema?.field2)
      .toEqual({ 'ui:widget': 'attachments', 'ui:options': { accept: '.pdf', maxSize: 10485760 } });
    const money = (await flowOf(page)).forms[0]?.schema.properties as Record<string, unknown>;
    expect(money.field1).toEqual({
      type: 'number',
      title: '补偿金额',
      minimum: 0,
      maximum: 100000,
      multipleOf: 0.01,
    });
    await page.getByRole('tab', { name: '实时预览' }).click();
    const amount = page.getByTestId('form-preview').locator('#root_field1');
    await amount.fill('12345.5');
    await amount.blur();
    await expect.poll(() => amount.inputValue()).toBe('12,345.50');
    await amount.scrollIntoViewIfNeeded();
    await screenshot(page, 'form-builder-new-kinds');

    // The preview's 提交 with a wrong value says what is wrong.
    await page.getByRole('tab', { name: '实时预览' }).click();
    await page
      .getByTestId('form-preview')
      .getByRole('button', { name: /提\s*交/ })
      .click();
    await expect
      .poll(() => page.getByTestId('form-preview').locator('.ant-form-item-explain-error').count())
      .toBeGreaterThan(0);
    await screenshot(page, 'form-builder-preview-submit');
    expect(errors).toEqual([]);
    await page.close();
  });
});
