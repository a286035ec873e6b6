// @vitest-environment happy-dom
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RJSFSchema, UiSchema } from '@rjsf/utils';
import { act } from 'react';
import { createRoot, type Root } from 'react-dom/client';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { PublicForm } from '../src';

declare global {
  var IS_REACT_ACT_ENVIRONMENT: boolean | undefined;
}

let root: Root | undefined;
let host: HTMLElement | undefined;
beforeAll(() => {
  globalThis.IS_REACT_ACT_ENVIRONMENT = true;
});
afterEach(() => {
  act(() => root?.unmount());
  host?.remove();
  root = undefined;
  vi.useRealTimers();
});

async function render(node: React.ReactNode): Promise<HTMLElement> {
  host = document.createElement('div');
  document.body.append(host);
  const r = createRoot(host);
  root = r;
  await act(async () => r.render(node));
  return host;
}

/** Types into a field the way a browser does: the native value setter, then an input event. */
async function typeInto(el: HTMLInputElement | HTMLTextAreaElement, value: string) {
  const proto = el instanceof HTMLTextAreaElement ? HTMLTextAreaElement : HTMLInputElement;
  const setter = Object.getOwnPropertyDescriptor(proto.prototype, 'value')?.set;
  await act(async () => {
    setter?.call(el, value);
    el.dispatchEvent(new Event('input', { bubbles: true }));
  });
}
const field = <T extends HTMLElement = HTMLInputElement>(el: HTMLElement, id: string) => {
  const found = el.querySelector<T>(`[id="${id}"]`);
  if (!found) throw new Error(`no field ${id}`);
  return found;
};
const errorsOf = (el: HTMLElement) =>
  [...el.querySelectorAll('[data-testid="field-error"]')].map((e) => e.textContent ?? '');
async function settle(ms: number) {
  await act(async () => {
    vi.advanceTimersByTime(ms);
  });
  await act(async () => {});
}
async function submit(el: HTMLElement) {
  await act(async () => {
    el.querySelector('form')?.dispatchEvent(
      new Event('submit', { bubbles: true, cancelable: true }),
    );
  });
}

const TEMPLATES = join(import.meta.dirname, '../../../templates');
const formOf = (template: string, id: string) =>
  JSON.parse(readFileSync(join(TEMPLATES, template, 'forms', `${id}.json`), 'utf8')) as {
    schema: RJSFSchema;
    uiSchema: UiSchema;
  };
const intake = formOf('standard-petition', 'intake');

describe('the public form on the standard petition’s intake form', () => {
  it('opens without a problem shown, and keeps quiet about fields not yet typed in', async () => {
    vi.useFakeTimers();
    const el = await render(
      <PublicForm schema={intake.schema} uiSchema={intake.uiSchema} onSubmit={() => {}} />,
    );
    await settle(1000);
    expect(errorsOf(el)).toEqual([]);
    await typeInto(field(el, 'root_petitioner_name'), '黄');
    await typeInto(field(el, 'root_petitioner_name'), '');
    // Debounced: nothing on the keystroke itself.
    expect(errorsOf(el)).toEqual([]);
    await settle(300);
    // Only the field typed in, in plain words, once.
    expect(errorsOf(el)).toEqual(['请填写姓名']);
    expect(field(el, 'root_petitioner_name').getAttribute('aria-invalid')).toBe('true');
    await typeInto(field(el, 'root_petitioner_name'), '黄阿婆');
    await settle(300);
    expect(errorsOf(el)).toEqual([]);
  });

  it('names each missing field once on an empty submit and does not hand the data on', async () => {
    vi.useFakeTimers();
    const submitted: unknown[] = [];
    const el = await render(
      <PublicForm
        schema={intake.schema}
        uiSchema={intake.uiSchema}
        onSubmit={(d) => submitted.push(d)}
      />,
    );
    await submit(el);
    expect(errorsOf(el)).toEqual(['请填写姓名', '请填写诉求摘要']);
    expect(submitted).toEqual([]);
    // 诉求摘要's help text gives way to its problem.
    expect(el.textContent).not.toContain('用一两句话概括');
  });

  it('takes a pasted number with country code and dashes as the 11 digits, and submits the data', async () => {
    vi.useFakeTimers();
    const submitted: unknown[] = [];
    const el = await render(
      <PublicForm
        schema={intake.schema}
        uiSchema={intake.uiSchema}
        onSubmit={(d) => submitted.push(d)}
      />,
    );
    await typeInto(field(el, 'root_petitioner_name'), '黄阿婆');
    await typeInto(field(el, 'root_petitioner_phone'), '+86 138-0013-8000');
    expect(field(el, 'root_petitioner_phone').value).toBe('13800138000');
    await act(async () => {
      const select = field<HTMLSelectElement>(el, 'root_category');
      select.value = String([...select.options].findIndex((o) => o.textContent === '城乡建设') - 1);
      select.dispatchEvent(new Event('change', { bubbles: true }));
    });
    await typeInto(field<HTMLTextAreaElement>(el, 'root_summary'), '村口道路塌陷三个月无人修复');
    await submit(el);
    expect(errorsOf(el)).toEqual([]);
    expect(submitted).toEqual([
      {
        petitioner: { name: '黄阿婆', phone: '13800138000' },
        category: 'housing',
        summary: '村口道路塌陷三个月无人修复',
      },
    ]);
  });

  it('says in English what is wrong when the page is in English', async () => {
    vi.useFakeTimers();
    const el = await render(
      <PublicForm
        schema={intake.schema}
        uiSchema={intake.uiSchema}
        lang="en"
        onSubmit={() => {}}
      />,
    );
    await typeInto(field(el, 'root_petitioner_phone'), '138');
    await settle(300);
    expect(errorsOf(el)).toEqual(['手机号码 has 11 digits and starts with 1']);
  });
});

describe('the public form on a form with a list (overseas mediation’s parties abroad)', () => {
  it('adds an entry with its own fields and removes it', async () => {
    const form = formOf('overseas-chinese-mediation', 'register');
    const el = await render(
      <PublicForm schema={form.schema} uiSchema={form.uiSchema} onSubmit={() => {}} />,
    );
    const add = [...el.querySelectorAll('button')].find((b) => b.textContent?.startsWith('添加'));
    await act(async () => add?.click());
    expect(el.querySelector('[id="root_partiesAbroad_0_name"]')).not.toBeNull();
    await typeInto(field(el, 'root_partiesAbroad_0_country'), '马来西亚');
    const remove = [...el.querySelectorAll('button')].find((b) => b.textContent === '删除');
    await act(async () => remove?.click());
    expect(el.querySelector('[id="root_partiesAbroad_0_name"]')).toBeNull();
  });
});
