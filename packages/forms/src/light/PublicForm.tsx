import type { Lang } from '@lianxin/spec';
import { asNumber, type RJSFSchema, type UiSchema } from '@rjsf/utils';
import { type FormEvent, type ReactNode, useCallback, useEffect, useRef, useState } from 'react';
import { describeIdCard, normaliseMobile } from '../idcard';
import { type FieldError, fieldId } from '../messages';
import { checkForm } from './check';
import './public-form.css';

// biome-ignore lint/suspicious/noExplicitAny: form data is whatever the schema describes
type Data = any;
type Json = Record<string, unknown>;
const isObj = (v: unknown): v is Json => v !== null && typeof v === 'object' && !Array.isArray(v);
const t = (lang: Lang, zh: string, en: string) => (lang === 'en' ? en : zh);

export interface PublicFormProps {
  /** A form `unsupportedPart` accepts (check it first: this form draws nothing else). */
  schema: RJSFSchema;
  uiSchema?: UiSchema;
  lang?: Lang;
  disabled?: boolean;
  /** Milliseconds of quiet typing before live validation runs. */
  validateDelay?: number;
  onSubmit: (data: Data) => void;
  /** Drawn after the fields, inside the form: the photos and the submit button. */
  children?: ReactNode;
}

/** The data a new form starts with: objects as {}, fields with a `default` set (as RJSF fills it). */
export function initialData(schema: RJSFSchema): Data {
  if (schema.default !== undefined) return structuredClone(schema.default);
  if (schema.type !== 'object' || !isObj(schema.properties)) return undefined;
  const out: Json = {};
  for (const [k, sub] of Object.entries(schema.properties)) {
    const v = isObj(sub) ? initialData(sub as RJSFSchema) : undefined;
    if (v !== undefined) out[k] = v;
  }
  return out;
}

/** `data` with the value at `path` replaced (removed when undefined), copying only that branch. */
function setAt(data: Data, path: readonly string[], value: unknown): Data {
  if (!path.length) return value;
  const [head = '', ...rest] = path;
  const copy: Data = Array.isArray(data) ? [...data] : { ...(isObj(data) ? data : {}) };
  const next = setAt(copy[head], rest, value);
  if (next === undefined && !Array.isArray(copy)) delete copy[head];
  else copy[head] = next;
  return copy;
}

function valueAt(data: Data, path: readonly string[]): unknown {
  let at: unknown = data;
  for (const seg of path) at = isObj(at) || Array.isArray(at) ? (at as Data)[seg] : undefined;
  return at;
}

/** The messages to show, by field id: of fields typed in (or inside one), or all after a submit. */
function shownMessages(
  errors: readonly FieldError[],
  touched: ReadonlySet<string>,
  all: boolean,
): Map<string, string> {
  const out = new Map<string, string>();
  for (const { path, message } of errors) {
    const id = fieldId(path);
    if (all || [...touched].some((x) => id === x || id.startsWith(`${x}_`))) out.set(id, message);
  }
  return out;
}

/** Puts the cursor in the topmost field with a problem (as LianxinForm does). */
function focusFirst(form: HTMLElement | null, ids: readonly string[]) {
  if (!form) return;
  const found: HTMLElement[] = [];
  for (const id of ids) {
    const el =
      form.querySelector<HTMLElement>(`[id="${CSS.escape(id)}"]`) ??
      form.querySelector<HTMLElement>(`[id^="${CSS.escape(id)}_"]`);
    if (el) found.push(el);
  }
  found.sort((a, b) => (a.compareDocumentPosition(b) & Node.DOCUMENT_POSITION_FOLLOWING ? -1 : 1));
  const el = found[0];
  const target = el?.matches('input, textarea, select, button')
    ? el
    : el?.querySelector<HTMLElement>('input, textarea, select, button');
  target?.focus();
  (target ?? el)?.scrollIntoView?.({ block: 'center' });
}

interface Ctx {
  data: Data;
  lang: Lang;
  disabled: boolean;
  shown: Map<string, string>;
  /** Ids of the fields drawn so far in this render: a problem of any other path shows at the end. */
  drawn: Set<string>;
  change: (path: string[], value: unknown) => void;
}

function uiOf(ui: unknown): Json {
  return isObj(ui) ? ui : {};
}

function ordered(keys: string[], order: unknown): string[] {
  if (!Array.isArray(order)) return keys;
  const named = order.filter((k): k is string => typeof k === 'string' && keys.includes(k));
  const rest = keys.filter((k) => !named.includes(k));
  const star = order.indexOf('*');
  if (star === -1) return [...named, ...rest];
  const before = named.filter((k) => order.indexOf(k) < star);
  return [...before, ...rest, ...named.filter((k) => order.indexOf(k) > star)];
}

function options(schema: RJSFSchema, ui: Json): { value: unknown; label: string }[] {
  const values = (schema.enum ?? []) as unknown[];
  const uiNames = Array.isArray(ui['ui:enumNames']) ? (ui['ui:enumNames'] as unknown[]) : [];
  const names = Array.isArray((schema as Json).enumNames)
    ? ((schema as Json).enumNames as unknown[])
    : [];
  return values.map((value, i) => ({
    value,
    label: String(uiNames[i] ?? names[i] ?? value),
  }));
}

function Label({
  id,
  title,
  required,
  as = 'label',
}: {
  id: string;
  title: string;
  required: boolean;
  as?: 'label' | 'legend';
}) {
  const mark = required ? <span className="lx-pf-required">*</span> : null;
  return as === 'legend' ? (
    <legend className="lx-pf-legend">
      {mark}
      {title}
    </legend>
  ) : (
    <label className="lx-pf-label" htmlFor={id}>
      {mark}
      {title}
    </label>
  );
}

/** A field's problem, or else its help text (one or the other, as the staff form shows them). */
function Below({ id, error, help }: { id: string; error?: string; help?: unknown }) {
  if (error)
    return (
      <div className="lx-pf-error" id={`${id}__error`} role="alert" data-testid="field-error">
        {error}
      </div>
    );
  if (typeof help === 'string' && help)
    return (
      <div className="lx-pf-help" id={`${id}__help`}>
        {help}
      </div>
    );
  return null;
}

function field(
  ctx: Ctx,
  schema: RJSFSchema,
  uiRaw: unknown,
  path: string[],
  required: boolean,
): ReactNode {
  const ui = uiOf(uiRaw);
  const widget = typeof ui['ui:widget'] === 'string' ? ui['ui:widget'] : undefined;
  if (widget === 'hidden') return null;
  const id = fieldId(path);
  ctx.drawn.add(id);
  const key = path[path.length - 1] ?? '';
  const title = String(ui['ui:title'] ?? schema.title ?? key);
  const description = ui['ui:description'] ?? schema.description;
  const error = ctx.shown.get(id);
  const value = valueAt(ctx.data, path);
  const set = (v: unknown) => ctx.change(path, v);
  const common = {
    id,
    name: id,
    disabled: ctx.disabled,
    'aria-invalid': error ? true : undefined,
    'aria-describedby': error ? `${id}__error` : undefined,
  };

  if (schema.type === 'object') {
    const props = (schema.properties ?? {}) as Record<string, RJSFSchema>;
    const req = new Set(schema.required ?? []);
    const inner = ordered(Object.keys(props), ui['ui:order']).map((k) => (
      <div key={k}>{field(ctx, props[k] as RJSFSchema, ui[k], [...path, k], req.has(k))}</div>
    ));
    if (!path.length) return inner;
    return (
      <fieldset className="lx-pf-group" id={id}>
        {title && <Label id={id} title={title} required={required} as="legend" />}
        {typeof description === 'string' && description && (
          <div className="lx-pf-description">{description}</div>
        )}
        <Below id={id} error={error} />
        {inner}
      </fieldset>
    );
  }

  let control: ReactNode;
  let group = false;
  const text = typeof value === 'string' ? value : value == null ? '' : String(value);
  const placeholder = typeof ui['ui:placeholder'] === 'string' ? ui['ui:placeholder'] : undefined;
  const items = (schema.items ?? {}) as RJSFSchema;

  if (schema.type === 'array' && Array.isArray(items.enum)) {
    group = true;
    const chosen = Array.isArray(value) ? value : [];
    const opts = options(items, uiOf(ui.items));
    control = (
      <fieldset className="lx-pf-choices" id={id} aria-labelledby={`${id}__label`}>
        {opts.map((o, i) => (
          <label key={String(o.value)} className="lx-pf-choice">
            <input
              type="checkbox"
              id={`${id}_${i}`}
              disabled={ctx.disabled}
              checked={chosen.includes(o.value)}
              onChange={(e) => {
                const next = e.target.checked
                  ? [...chosen, o.value]
                  : chosen.filter((c: unknown) => c !== o.value);
                // In the order of the list, as the staff form keeps them.
                set(opts.map((x) => x.value).filter((v) => next.includes(v)));
              }}
            />
            <span>{o.label}</span>
          </label>
        ))}
      </fieldset>
    );
  } else if (schema.type === 'array') {
    group = true;
    const list = Array.isArray(value) ? value : [];
    control = (
      <div className="lx-pf-list" id={id}>
        {list.map((_, i) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: an entry is its place in the list (inputs are controlled)
          <div className="lx-pf-item" key={i}>
            <div className="lx-pf-item-head">
              <span>{t(ctx.lang, `第 ${i + 1} 项`, `Entry ${i + 1}`)}</span>
              <button
                type="button"
                className="lx-pf-link"
                disabled={ctx.disabled}
                onClick={() => set(list.filter((__, j) => j !== i))}
              >
                {t(ctx.lang, '删除', 'Remove')}
              </button>
            </div>
            {field(
              ctx,
              { ...items, title: items.title ?? '' },
              ui.items,
              [...path, String(i)],
              false,
            )}
          </div>
        ))}
        <button
          type="button"
          className="lx-pf-add"
          disabled={ctx.disabled}
          onClick={() => set([...list, initialData(items)])}
        >
          {t(ctx.lang, `添加${title}`, `Add to ${title}`)}
        </button>
      </div>
    );
  } else if (Array.isArray(schema.enum) && widget === 'radio') {
    group = true;
    control = (
      <fieldset className="lx-pf-choices" id={id} aria-labelledby={`${id}__label`}>
        {options(schema, ui).map((o, i) => (
          <label key={String(o.value)} className="lx-pf-choice">
            <input
              type="radio"
              id={`${id}_${i}`}
              name={id}
              disabled={ctx.disabled}
              checked={value === o.value}
              onChange={() => set(o.value)}
            />
            <span>{o.label}</span>
          </label>
        ))}
      </fieldset>
    );
  } else if (Array.isArray(schema.enum)) {
    const opts = options(schema, ui);
    const at = opts.findIndex((o) => o.value === value);
    control = (
      <select
        {...common}
        className={at === -1 ? 'lx-pf-input lx-pf-select lx-pf-empty' : 'lx-pf-input lx-pf-select'}
        value={at === -1 ? '' : String(at)}
        onChange={(e) =>
          set(e.target.value === '' ? undefined : opts[Number(e.target.value)]?.value)
        }
      >
        <option value="">{placeholder ?? t(ctx.lang, '请选择', 'Choose')}</option>
        {opts.map((o, i) => (
          <option key={String(o.value)} value={String(i)}>
            {o.label}
          </option>
        ))}
      </select>
    );
  } else if (schema.type === 'boolean') {
    return (
      <div className="lx-pf-field">
        <label className="lx-pf-choice">
          <input
            {...common}
            type="checkbox"
            checked={value === true}
            onChange={(e) => set(e.target.checked)}
          />
          <span>
            {required && <span className="lx-pf-required">*</span>}
            {title}
          </span>
        </label>
        <Below id={id} error={error} help={ui['ui:help']} />
      </div>
    );
  } else if (widget === 'textarea') {
    const rows = isObj(ui['ui:options']) ? Number(ui['ui:options'].rows) || 4 : 4;
    control = (
      <textarea
        {...common}
        className="lx-pf-input lx-pf-textarea"
        rows={rows}
        value={text}
        placeholder={placeholder}
        onChange={(e) => set(e.target.value || undefined)}
      />
    );
  } else if (widget === 'mobile' || schema.format === 'cn-mobile') {
    control = (
      <div className="lx-pf-affix">
        <span className="lx-pf-addon">+86</span>
        <input
          {...common}
          className="lx-pf-input"
          type="tel"
          inputMode="tel"
          autoComplete="tel-national"
          // No maxLength: a pasted "+86 138-0013-8000" is longer than the number it holds.
          value={text}
          placeholder={placeholder ?? t(ctx.lang, '11 位手机号码', '11-digit mobile number')}
          onChange={(e) => set(normaliseMobile(e.target.value) || undefined)}
        />
      </div>
    );
  } else if (widget === 'idCard' || schema.format === 'cn-id-card') {
    const info = text.length === 18 ? describeIdCard(text) : undefined;
    control = (
      <>
        <input
          {...common}
          className="lx-pf-input lx-pf-mono"
          maxLength={18}
          autoComplete="off"
          value={text}
          placeholder={
            placeholder ?? t(ctx.lang, '18 位公民身份号码', '18-character citizen ID number')
          }
          onChange={(e) => set(e.target.value.toUpperCase() || undefined)}
        />
        {info?.valid && (
          <div className="lx-pf-help" data-testid={`${id}-idcard-info`}>
            {[
              info.region,
              info.birthDate && `${t(ctx.lang, '出生', 'born')} ${info.birthDate}`,
              info.sex && t(ctx.lang, info.sex === 'male' ? '男' : '女', info.sex),
            ]
              .filter(Boolean)
              .join(' · ')}
          </div>
        )}
      </>
    );
  } else if (schema.type === 'number' || schema.type === 'integer') {
    control = (
      <input
        {...common}
        className="lx-pf-input"
        inputMode={schema.type === 'integer' ? 'numeric' : 'decimal'}
        value={text}
        placeholder={placeholder}
        // As the staff form reads a number: "12" is 12, "12." stays text while being typed.
        onChange={(e) => set(asNumber(e.target.value))}
      />
    );
  } else {
    const type =
      widget === 'date' || schema.format === 'date'
        ? 'date'
        : widget === 'email' || schema.format === 'email'
          ? 'email'
          : widget === 'uri' || schema.format === 'uri'
            ? 'url'
            : 'text';
    control = (
      <input
        {...common}
        className="lx-pf-input"
        type={type}
        value={text}
        placeholder={placeholder}
        {...(typeof schema.maxLength === 'number' ? { maxLength: schema.maxLength } : {})}
        onChange={(e) => set(e.target.value || undefined)}
      />
    );
  }

  return (
    <div className={error ? 'lx-pf-field lx-pf-invalid' : 'lx-pf-field'}>
      {group ? (
        <div className="lx-pf-label" id={`${id}__label`}>
          {required && <span className="lx-pf-required">*</span>}
          {title}
        </div>
      ) : (
        <Label id={id} title={title} required={required} />
      )}
      {typeof description === 'string' && description && (
        <div className="lx-pf-description">{description}</div>
      )}
      {control}
      <Below id={id} error={error} help={ui['ui:help']} />
    </div>
  );
}

/**
 * The citizen's form, drawn from the flow's JSON Schema with plain inputs
 * (no antd, no RJSF: a phone downloads a fraction of the staff form's
 * script). It validates as LianxinForm does, with the same rules and the
 * same words (see check.ts): after typing pauses, for the fields typed in,
 * and everything on submit; one problem per field, shown once, none on an
 * empty form. Draws only what `unsupportedPart` accepts.
 */
export function PublicForm({
  schema,
  uiSchema,
  lang = 'zh-CN',
  disabled = false,
  validateDelay = 300,
  onSubmit,
  children,
}: PublicFormProps) {
  const [data, setData] = useState<Data>(() => initialData(schema) ?? {});
  const [shown, setShown] = useState<Map<string, string>>(() => new Map());
  const latest = useRef<Data>(data);
  const touched = useRef(new Set<string>());
  const afterSubmit = useRef(false);
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const formRef = useRef<HTMLFormElement>(null);
  useEffect(() => () => clearTimeout(timer.current), []);

  const check = useCallback(
    (d: Data) => checkForm(schema, uiSchema, d, lang),
    [schema, uiSchema, lang],
  );
  const show = useCallback((next: Map<string, string>) => {
    setShown((prev) =>
      prev.size === next.size && [...next].every(([k, v]) => prev.get(k) === v) ? prev : next,
    );
  }, []);
  const change = useCallback(
    (path: string[], value: unknown) => {
      latest.current = setAt(latest.current, path, value);
      setData(latest.current);
      touched.current.add(fieldId(path));
      clearTimeout(timer.current);
      timer.current = setTimeout(
        () => show(shownMessages(check(latest.current), touched.current, afterSubmit.current)),
        validateDelay,
      );
    },
    [check, show, validateDelay],
  );
  const submit = (ev: FormEvent) => {
    ev.preventDefault();
    clearTimeout(timer.current);
    const errors = check(latest.current);
    afterSubmit.current = true;
    const next = shownMessages(errors, touched.current, true);
    show(next);
    if (errors.length) {
      requestAnimationFrame(() => focusFirst(formRef.current, [...next.keys()]));
      return;
    }
    onSubmit(latest.current);
  };

  const ctx: Ctx = { data, lang, disabled, shown, drawn: new Set(), change };
  const fields = field(ctx, schema, uiSchema, [], false);
  // A problem of no drawn field (the form as a whole, say) is still said, once, at the end.
  const elsewhere = [...shown].filter(([id]) => !ctx.drawn.has(id) || id === 'root');
  return (
    <form ref={formRef} className="lx-pf" onSubmit={submit} noValidate data-testid="public-form">
      {fields}
      {elsewhere.map(([id, message]) => (
        <div
          key={id}
          className="lx-pf-error lx-pf-error-block"
          role="alert"
          data-testid="field-error"
        >
          {message}
        </div>
      ))}
      {children}
    </form>
  );
}
