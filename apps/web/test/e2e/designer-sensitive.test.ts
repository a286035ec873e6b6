import type { Server } from 'node:http';
import type { FlowDefinition } from '@lianxin/spec';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { choose, launchChromium, screenshot, serve } from '../harness';

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

describe('the form builder marks sensitive fields', () => {
  it('an admin marks the name 敏感信息 (姓名) and the address (住址); the form and case schema carry x-sensitive', async () => {
    const page = await browser.newPage({ viewport: { width: 1366, height: 768 } });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(url);
    await page.getByTestId('login-username').fill('taishan-admin');
    await page.getByTestId('login-password').fill('test-password');
    await page.getByTestId('login-submit').click();
    await page.getByTestId('new-flow').click();
    await page.getByTestId('new-flow-name').fill('来访登记');
    await page.getByTestId('new-flow-key').fill('visit-register');
    await page.getByTestId('new-flow-create').click();
    await page.getByRole('tab', { name: /表单/ }).click();
    await page.getByTestId('add-form').first().click();
    const addField = async (type: string, label: string, key: string) => {
      await page.getByTestId(`add-field-${type}`).click();
      await page.getByTestId('field-title').fill(label);
      await page.getByTestId('field-title').press('Enter');
      await page.getByTestId('field-key').fill(key);
      await page.getByTestId('field-key').press('Enter');
    };
    await addField('text', '信访人姓名', 'petitionerName');
    await page.getByTestId('field-sensitive').click();
    // A text field is taken for a name; the admin could pick another kind.
    expect(await page.getByTestId('field-sensitive-kind').innerText()).toContain('姓名');
    await addField('address', '住址', 'home');
    await page.getByTestId('field-sensitive').click();
    await addField('textarea', '家庭情况', 'family');
    await page.getByTestId('field-sensitive').click();
    await choose(page, page.getByTestId('field-sensitive-kind'), '其他敏感文本');
    await addField('number', '来访人数', 'visitors');
    expect(await page.getByTestId('field-sensitive').count()).toBe(0);
    await page.locator('[role="button"]', { hasText: '家庭情况' }).first().click();
    await expect.poll(() => page.locator('.ant-select-dropdown:visible').count()).toBe(0);
    await screenshot(page, 'designer-sensitive-field');
    expect(await page.getByTestId('field-sensitive-tag').count()).toBe(3);
    const flow = await page.evaluate(() => {
      const w = window as unknown as {
        __lianxinDesigner: { getState(): { flow: FlowDefinition } };
      };
      return w.__lianxinDesigner.getState().flow;
    });
    const props = flow.forms[0]?.schema.properties as Record<string, Record<string, unknown>>;
    expect(props.petitionerName?.['x-sensitive']).toBe('name');
    expect(
      (props.home?.properties as Record<string, Record<string, unknown>> | undefined)?.detail,
    ).toMatchObject({ 'x-sensitive': 'address' });
    expect(props.family?.['x-sensitive']).toBe('text');
    expect(props.visitors?.['x-sensitive']).toBeUndefined();
    const data = flow.dataSchema.properties as Record<string, Record<string, unknown>>;
    expect(data.petitionerName?.['x-sensitive']).toBe('name');
    expect(errors).toEqual([]);
    await page.close();
  });
});
