import { describe, expect, it } from 'vitest';
import { choose, screenshot } from '../harness';
import { flowOf, newFlow, servedApp, signInAdmin } from './designer-harness';

const app = servedApp();

describe('the form builder marks sensitive fields', () => {
  it('an admin marks the name 敏感信息 (姓名) and the address (住址); the form and case schema carry x-sensitive', async () => {
    const { page, errors } = await signInAdmin(app.browser, app.url, {
      viewport: { width: 1366, height: 768 },
    });
    await newFlow(page, '来访登记', 'visit-register');
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
    const flow = await flowOf(page);
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
