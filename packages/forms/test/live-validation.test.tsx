// @vitest-environment happy-dom
import type { RJSFSchema } from '@rjsf/utils';
import { act } from 'react';
import { createRoot, type Root } from 'react-dom/client';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { LianxinForm } from '../src';

declare global {
  var IS_REACT_ACT_ENVIRONMENT: boolean | undefined;
}

let root: Root | undefined;
let host: HTMLElement | undefined;
beforeAll(() => {
  globalThis.IS_REACT_ACT_ENVIRONMENT = true;
  // antd's responsive helpers ask for media queries.
  window.matchMedia ??= ((query: string) => ({
    matches: false,
    media: query,
    onchange: null,
    addListener: () => {},
    removeListener: () => {},
    addEventListener: () => {},
    removeEventListener: () => {},
    dispatchEvent: () => false,
  })) as unknown as typeof window.matchMedia;
});
afterEach(() => {
  act(() => root?.unmount());
  host?.remove();
  root = undefined;
});

async function render(node: React.ReactNode): Promise<HTMLElement> {
  host = document.createElement('div');
  document.body.append(host);
  const r = createRoot(host);
  root = r;
  await act(async () => r.render(node));
  return host;
}

/** Types into an input the way a browser does: the native value setter, then an input event. */
async function typeInto(input: HTMLInputElement, value: string) {
  const setter = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value')?.set;
  await act(async () => {
    setter?.call(input, value);
    input.dispatchEvent(new Event('input', { bubbles: true }));
  });
}

const input = (el: HTMLElement, id: string) => {
  const found = el.querySelector<HTMLInputElement>(`input[id$="${id}"]`);
  if (!found) throw new Error(`no input ${id}`);
  return found;
};
/** Errors shown under fields (not those in antd's leave animation, which never ends here). */
const errorsOf = (el: HTMLElement) =>
  [...el.querySelectorAll('.ant-form-item-explain-error:not(.ant-form-show-help-item-leave)')]
    .map((e) => e.textContent ?? '')
    .join(' ');

/** Lets the debounce fire and React commit what it set. */
async function settle(ms: number) {
  await act(async () => {
    vi.advanceTimersByTime(ms);
  });
  await act(async () => {});
}

const phoneForm: RJSFSchema = {
  type: 'object',
  required: ['name'],
  properties: {
    name: { type: 'string', title: '姓名' },
    phone: { type: 'string', title: '手机号码', pattern: '^1\\d{10}$' },
  },
};
/** Twenty independent fields: rendered in parts of five (the designer's long-form path). */
const longForm: RJSFSchema = {
  type: 'object',
  properties: {
    ...Object.fromEntries(
      Array.from({ length: 19 }, (_, i) => [`f${i}`, { type: 'string', title: `字段${i}` }]),
    ),
    phone: { type: 'string', title: '手机号码', pattern: '^1\\d{10}$' },
  },
};

describe.each([
  ['a short form (one RJSF form)', phoneForm],
  ['a long form (split in parts)', longForm],
])('live validation in %s', (_, schema) => {
  it('shows the error of a touched field while typing and keeps what was typed', async () => {
    vi.useFakeTimers();
    try {
      const changes: unknown[] = [];
      const el = await render(
        <LianxinForm schema={schema} validateDelay={300} onChange={(d) => changes.push(d)} />,
      );
      await typeInto(input(el, 'phone'), '138');
      // Debounced: nothing is validated on the keystroke itself.
      expect(errorsOf(el)).toBe('');
      await settle(300);
      expect(errorsOf(el)).toContain('^1\\d{10}$');
      // The error is shown; the text the user typed is still there.
      expect(input(el, 'phone').value).toBe('138');
      // Typing on into the field with a live error keeps the text, then the error goes.
      await typeInto(input(el, 'phone'), '1380013');
      await settle(300);
      expect(input(el, 'phone').value).toBe('1380013');
      await typeInto(input(el, 'phone'), '13800138000');
      expect(input(el, 'phone').value).toBe('13800138000');
      await settle(300);
      expect(input(el, 'phone').value).toBe('13800138000');
      expect(errorsOf(el)).toBe('');
      // Untouched required fields are not reported while typing.
      expect(errorsOf(el)).not.toContain('姓名');
      expect(changes.at(-1)).toMatchObject({ phone: '13800138000' });
    } finally {
      vi.useRealTimers();
    }
  });
});

describe('error messages of the domain formats', () => {
  it('says what a mobile number should look like, in the UI language', async () => {
    vi.useFakeTimers();
    try {
      const schema: RJSFSchema = {
        type: 'object',
        properties: { mobile: { type: 'string', title: '手机号码', format: 'cn-mobile' } },
      };
      const el = await render(<LianxinForm schema={schema} lang="en" />);
      await typeInto(input(el, 'mobile'), '138');
      await settle(300);
      expect(errorsOf(el)).toBe('Enter an 11-digit mobile number starting with 1');
      act(() => root?.unmount());
      const zh = await render(<LianxinForm schema={schema} />);
      await typeInto(input(zh, 'mobile'), '138');
      await settle(300);
      expect(errorsOf(zh)).toBe('请输入 11 位手机号码（1 开头）');
    } finally {
      vi.useRealTimers();
    }
  });
});
