// @vitest-environment happy-dom
import type { RJSFSchema } from '@rjsf/utils';
import { act } from 'react';
import { createRoot, type Root } from 'react-dom/client';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { LianxinForm } from '../src';

let root: Root | undefined;
beforeAll(() => {
  (globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;
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
  root = undefined;
});

async function render(node: React.ReactNode): Promise<HTMLElement> {
  const host = document.createElement('div');
  document.body.append(host);
  root = createRoot(host);
  const r = root;
  await act(async () => r.render(node));
  return host;
}

/** A widget that throws stands for any RJSF crash while rendering. */
const Boom = () => {
  throw new Error('boom');
};

describe('in the browser, a form that cannot work says so', () => {
  it('replaces a form whose schema does not compile by where and why, after the first paint', async () => {
    const schema = {
      type: 'object',
      properties: { name: { type: 'string', title: '姓名', maxLenght: 5 } },
    } as unknown as RJSFSchema;
    const host = await render(<LianxinForm schema={schema} />);
    const alert = host.querySelector('[data-testid="form-schema-problem"]');
    expect(alert?.textContent).toContain('/properties/name/maxLenght：');
    expect(alert?.textContent).toContain('没有关键字 “maxLenght”');
    expect(host.querySelector('button[type="submit"]')).toBeNull();
  });

  it('keeps the page when a form throws while rendering, with a message', async () => {
    const schema = {
      type: 'object',
      properties: { a: { type: 'string', title: '甲' } },
    } as RJSFSchema;
    const host = await render(
      <div>
        <p>页面其他内容</p>
        <LianxinForm schema={schema} uiSchema={{ a: { 'ui:widget': Boom } }} />
      </div>,
    );
    expect(host.textContent).toContain('页面其他内容');
    const crashed = host.querySelector('[data-testid="form-crashed"]')?.textContent ?? '';
    expect(crashed).toContain('表单显示出错');
    // React's English error text stays off a Chinese screen.
    expect(crashed).not.toMatch(/[A-Za-z]{4,}/);
  });
});
