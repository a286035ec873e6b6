// @vitest-environment happy-dom
import type { RJSFSchema } from '@rjsf/utils';
import fc from 'fast-check';
import { act } from 'react';
import { createRoot, type Root } from 'react-dom/client';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { LianxinForm, normaliseMobile } from '../src';

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
      // Plain words, not ajv's pattern.
      expect(errorsOf(el)).toBe('手机号码的格式不正确');
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
      expect(errorsOf(el)).toBe('手机号码 has 11 digits and starts with 1');
      act(() => root?.unmount());
      const zh = await render(<LianxinForm schema={schema} />);
      await typeInto(input(zh, 'mobile'), '138');
      await settle(300);
      expect(errorsOf(zh)).toBe('手机号码应为 11 位数字，以 1 开头');
    } finally {
      vi.useRealTimers();
    }
  });
});

/** The shape of the templates' intake and registration forms: a petitioner block, then the matter. */
const intakeForm: RJSFSchema = {
  type: 'object',
  required: ['petitioner', 'summary'],
  properties: {
    petitioner: {
      type: 'object',
      title: '信访人',
      required: ['name', 'phone'],
      properties: {
        name: { type: 'string', title: '姓名', minLength: 1, maxLength: 50 },
        phone: { type: 'string', title: '手机号码', format: 'cn-mobile' },
        idCard: { type: 'string', title: '身份证号码', format: 'cn-id-card' },
      },
    },
    category: { type: 'string', title: '问题类别', enum: ['labour', 'housing'] },
    summary: { type: 'string', title: '诉求摘要', minLength: 5, maxLength: 500 },
  },
};
const intakeUi = {
  petitioner: { phone: { 'ui:widget': 'mobile' }, idCard: { 'ui:widget': 'idCard' } },
  category: { 'ui:enumNames': ['劳动社保', '城乡建设'] },
  // Help text under a field gives way to its problem while it has one.
  summary: { 'ui:widget': 'textarea', 'ui:help': '用一两句话概括' },
};
const errorList = (el: HTMLElement) =>
  [...el.querySelectorAll('.ant-form-item-explain-error:not(.ant-form-show-help-item-leave)')].map(
    (e) => e.textContent ?? '',
  );
async function submitForm(el: HTMLElement) {
  const form = el.querySelector('form');
  if (!form) throw new Error('no form');
  await act(async () => {
    form.dispatchEvent(new Event('submit', { bubbles: true, cancelable: true }));
  });
  await act(async () => {});
}
const textarea = (el: HTMLElement, id: string) => {
  const found = el.querySelector<HTMLTextAreaElement>(`textarea[id$="${id}"]`);
  if (!found) throw new Error(`no textarea ${id}`);
  return found;
};
async function typeIntoArea(area: HTMLTextAreaElement, value: string) {
  const setter = Object.getOwnPropertyDescriptor(HTMLTextAreaElement.prototype, 'value')?.set;
  await act(async () => {
    setter?.call(area, value);
    area.dispatchEvent(new Event('input', { bubbles: true }));
  });
}

describe('what a citizen filling the intake form reads', () => {
  it('opens without errors, and stays so until they type or submit', async () => {
    vi.useFakeTimers();
    try {
      const el = await render(<LianxinForm schema={intakeForm} uiSchema={intakeUi} />);
      await settle(2000);
      expect(errorList(el)).toEqual([]);
      expect(el.textContent).not.toContain('应当');
    } finally {
      vi.useRealTimers();
    }
  });

  it('shows only the field typed in, in plain words; submitting shows each problem once', async () => {
    vi.useFakeTimers();
    try {
      const submitted: unknown[] = [];
      const el = await render(
        <LianxinForm schema={intakeForm} uiSchema={intakeUi} onSubmit={(d) => submitted.push(d)} />,
      );
      await typeInto(input(el, 'petitioner_phone'), '138');
      await settle(300);
      // The phone's own problem; the empty name next to it is not the citizen's fault yet.
      expect(errorList(el)).toEqual(['手机号码应为 11 位数字，以 1 开头']);
      await submitForm(el);
      await settle(300);
      expect(submitted).toEqual([]);
      // One problem per field, each once, none in ajv's words.
      expect(errorList(el).sort()).toEqual(
        ['请填写姓名', '手机号码应为 11 位数字，以 1 开头', '请填写诉求摘要'].sort(),
      );
      // The first field with a problem has the cursor.
      await act(async () => {
        vi.advanceTimersByTime(50);
      });
      expect(document.activeElement?.id).toBe('root_petitioner_name');
      // Fixing a field takes its message away after the pause; the others stay.
      await typeInto(input(el, 'petitioner_name'), '黄小明');
      await settle(300);
      expect(errorList(el).sort()).toEqual(
        ['手机号码应为 11 位数字，以 1 开头', '请填写诉求摘要'].sort(),
      );
      await typeInto(input(el, 'petitioner_phone'), '+86 138-0013-8000');
      await typeIntoArea(textarea(el, 'summary'), '工资拖欠三个月');
      await settle(300);
      expect(errorList(el)).toEqual([]);
      await submitForm(el);
      expect(submitted).toEqual([
        { petitioner: { name: '黄小明', phone: '13800138000' }, summary: '工资拖欠三个月' },
      ]);
    } finally {
      vi.useRealTimers();
    }
  });

  it('says what is wrong with an ID card number once, under the field', async () => {
    vi.useFakeTimers();
    try {
      const el = await render(<LianxinForm schema={intakeForm} uiSchema={intakeUi} />);
      await typeInto(input(el, 'petitioner_idCard'), '110105194912310021');
      await settle(300);
      expect(errorList(el)).toEqual([
        '身份证号码应为 18 位（最后一位可以是 X）：校验位不符（应为 X）',
      ]);
    } finally {
      vi.useRealTimers();
    }
  });

  it('submits a long form (split in parts) only when valid, each problem once', async () => {
    vi.useFakeTimers();
    try {
      const schema: RJSFSchema = { ...longForm, required: ['f0', 'f7', 'f15'] };
      const submitted: unknown[] = [];
      const el = await render(<LianxinForm schema={schema} onSubmit={(d) => submitted.push(d)} />);
      await settle(1000);
      expect(errorList(el)).toEqual([]);
      await submitForm(el);
      expect(submitted).toEqual([]);
      expect(errorList(el)).toEqual(['请填写字段0', '请填写字段7', '请填写字段15']);
      for (const k of ['f0', 'f7', 'f15']) await typeInto(input(el, k), '有');
      await settle(300);
      expect(errorList(el)).toEqual([]);
      await submitForm(el);
      expect(submitted).toEqual([{ f0: '有', f7: '有', f15: '有' }]);
    } finally {
      vi.useRealTimers();
    }
  });
});

describe('pasted and typed mobile numbers', () => {
  const FULL = '０１２３４５６７８９';
  const mobile = fc
    .tuple(
      fc.integer({ min: 3, max: 9 }),
      fc.array(fc.integer({ min: 0, max: 9 }), { minLength: 9, maxLength: 9 }),
    )
    .map(([second, rest]) => `1${second}${rest.join('')}`);
  const decorated = fc
    .record({
      number: mobile,
      prefix: fc.constantFrom('', '+86', '+86 ', '0086 ', '86', '＋８６ ', '(+86) '),
      seps: fc.array(fc.constantFrom('', ' ', '-', '－', '　', '.', '—'), {
        minLength: 11,
        maxLength: 11,
      }),
      fullWidth: fc.array(fc.boolean(), { minLength: 11, maxLength: 11 }),
    })
    .map(({ number, prefix, seps, fullWidth }) => ({
      number,
      typed:
        prefix +
        [...number].map((d, i) => (fullWidth[i] ? FULL[Number(d)] : d) + (seps[i] ?? '')).join(''),
    }));

  it('become the 11 digits whatever the country code, spaces, dashes or full-width digits', () => {
    expect(normaliseMobile('+86 138-0013-8000')).toBe('13800138000');
    fc.assert(fc.property(decorated, ({ number, typed }) => normaliseMobile(typed) === number));
  });

  it('keep anything that is not a number, so the form can say what is wrong', () => {
    expect(normaliseMobile('138001380001')).toBe('138001380001');
    expect(normaliseMobile('1380013800a')).toBe('1380013800a');
    fc.assert(
      fc.property(fc.string(), (s) => normaliseMobile(normaliseMobile(s)) === normaliseMobile(s)),
    );
  });

  it('a pasted number with its country code arrives whole in the form', async () => {
    const changes: unknown[] = [];
    const el = await render(
      <LianxinForm schema={intakeForm} uiSchema={intakeUi} onChange={(d) => changes.push(d)} />,
    );
    await typeInto(input(el, 'petitioner_phone'), '+86 138-0013-8000');
    expect(input(el, 'petitioner_phone').value).toBe('13800138000');
    expect(changes.at(-1)).toMatchObject({ petitioner: { phone: '13800138000' } });
  });
});
