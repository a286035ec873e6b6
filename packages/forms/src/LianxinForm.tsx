import type { Lang } from '@lianxin/spec';
import Form, { Templates } from '@rjsf/antd';
import type { default as CoreForm, IChangeEvent } from '@rjsf/core';
import type { FieldTemplateProps, RJSFSchema, UiSchema } from '@rjsf/utils';
import { Button } from 'antd';
import {
  createContext,
  type FormEvent,
  memo,
  type ReactNode,
  useCallback,
  useContext,
  useEffect,
  useMemo,
  useRef,
  useState,
  useSyncExternalStore,
} from 'react';
import './forms.css';
import { type FieldError, fieldId, oneErrorPerField, shownErrors } from './messages';
import { sharedParts, splittable } from './split';
import { translateString } from './translate';
import { canonicalSchema, formValidator } from './validator';
import { type LianxinFormContext, lianxinFields, lianxinWidgets } from './widgets';

// biome-ignore lint/suspicious/noExplicitAny: form data is whatever the schema describes
type Data = any;

export interface LianxinFormProps {
  schema: RJSFSchema;
  uiSchema?: UiSchema;
  /** Initial data; the form keeps its own state after that (re-key it to reset). */
  formData?: Data;
  lang?: Lang;
  disabled?: boolean;
  /** Milliseconds of quiet typing before live validation runs. */
  validateDelay?: number;
  uploadFile?: LianxinFormContext['uploadFile'];
  onChange?: (data: Data) => void;
  onSubmit?: (data: Data) => void;
  /** Submit button(s); omit for the default 提交 button, pass `false` for none. */
  children?: ReactNode | false;
  id?: string;
}

const AntdFieldTemplate = Templates.FieldTemplate as (props: FieldTemplateProps) => ReactNode;

/**
 * The problems shown, by field id. They reach the fields through this store,
 * not through RJSF's `extraErrors`: a new prop makes RJSF re-derive its state
 * from the last state it committed, and a click it had not committed yet
 * (ticking a second box while the first one's check arrived) was lost. RJSF's
 * props now never change while someone types or clicks. Each field listens
 * for its own message only: a check that changes one field's message redraws
 * that field, not all 300 of a long form (antd measures every redrawn field).
 */
const NO_ERRORS: ReadonlyMap<string, string> = new Map();
class LiveErrors {
  private errors: ReadonlyMap<string, string> = NO_ERRORS;
  private readonly listeners = new Set<() => void>();
  get = (id: string): string | undefined => this.errors.get(id);
  subscribe = (listener: () => void) => {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  };
  /** Shows these errors; nothing is redrawn when they are the ones shown. */
  set(next: ReadonlyMap<string, string>) {
    if (sameErrors(this.errors, next)) return;
    this.errors = next;
    for (const listener of this.listeners) listener();
  }
}
const LiveErrorsContext = createContext<LiveErrors>(new LiveErrors());

/** This field's problem as shown now; re-renders only when it changes. */
function useLiveError(id: string): string | undefined {
  const errors = useContext(LiveErrorsContext);
  const read = () => errors.get(id);
  return useSyncExternalStore(errors.subscribe, read, read);
}

/**
 * The antd theme's field showing Lianxin's problem for it, which takes the
 * place of its help text (ui:help) while it has one: antd shows one or the
 * other, and the theme chose the help, so 诉求摘要's 请填写诉求摘要 never showed.
 */
function FieldTemplate(props: FieldTemplateProps) {
  const message = useLiveError(props.id);
  if (!message) return <AntdFieldTemplate {...props} />;
  return (
    <AntdFieldTemplate
      {...props}
      rawErrors={[message]}
      errors={<span className="lx-field-error">{message}</span>}
      rawHelp={undefined}
      help={undefined}
    />
  );
}
const templates = { FieldTemplate };

/** Puts the cursor in the topmost field with a problem (its input, or the first control inside it). */
function focusFirst(form: HTMLElement | null | undefined, errors: readonly FieldError[]) {
  if (!form) return;
  const found: HTMLElement[] = [];
  for (const { path } of errors) {
    const id = CSS.escape(fieldId(path));
    const el =
      form.querySelector<HTMLElement>(`[id="${id}"]`) ??
      form.querySelector<HTMLElement>(`[id^="${id}_"]`);
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

/** Fields per independently rendered part of a long form (a keystroke re-renders five fields). */
const CHUNK = 5;
const CROSS_FIELD = [
  'allOf',
  'anyOf',
  'oneOf',
  'if',
  'dependencies',
  'dependentSchemas',
  'dependentRequired',
  'patternProperties',
  'additionalProperties',
];

interface Chunk {
  keys: string[];
  schema: RJSFSchema;
  uiSchema: UiSchema;
}

/**
 * Splits a long form whose fields do not depend on each other into parts of
 * a dozen fields, each its own RJSF form: a keystroke re-renders its part,
 * not 300 fields. Forms with cross-field rules (if/then, dependencies…)
 * stay whole, so those rules keep working.
 */
export function splitForm(
  schema: RJSFSchema,
  uiSchema: UiSchema = {},
  size = CHUNK,
): Chunk[] | null {
  const props = schema.properties;
  if (schema.type !== 'object' || !props || CROSS_FIELD.some((k) => k in schema)) return null;
  if (!splittable(schema)) return null;
  const keys = Object.keys(props);
  if (keys.length <= size * 2) return null;
  const order = Array.isArray(uiSchema['ui:order']) ? (uiSchema['ui:order'] as string[]) : [];
  const rank = (k: string) => {
    const i = order.indexOf(k);
    return i === -1 ? order.length + keys.indexOf(k) : i;
  };
  const sorted = [...keys].sort((a, b) => rank(a) - rank(b));
  const required = new Set(schema.required ?? []);
  const chunks: Chunk[] = [];
  for (let i = 0; i < sorted.length; i += size) {
    const part = sorted.slice(i, i + size);
    const req = part.filter((k) => required.has(k));
    chunks.push({
      keys: part,
      schema: canonicalSchema({
        type: 'object',
        properties: Object.fromEntries(part.map((k) => [k, props[k] as RJSFSchema])),
        ...(req.length ? { required: req } : {}),
        // Every part keeps the form's definitions, so its fields' $refs resolve.
        ...sharedParts(schema),
      }),
      uiSchema: {
        ...Object.fromEntries(part.filter((k) => uiSchema[k]).map((k) => [k, uiSchema[k]])),
        'ui:order': part,
      },
    });
  }
  return chunks;
}

function pick(data: Data, keys: readonly string[]): Data {
  const out: Record<string, unknown> = {};
  for (const k of keys) if (data?.[k] !== undefined) out[k] = data[k];
  return out;
}

const ChunkForm = memo(function ChunkForm({
  chunk,
  initial,
  validator,
  translate,
  formContext,
  disabled,
  onChange,
}: {
  chunk: Chunk;
  initial: Data;
  validator: ReturnType<typeof formValidator>;
  translate: ReturnType<typeof translateString>;
  formContext: LianxinFormContext;
  disabled: boolean;
  onChange: (keys: string[], data: Data, id?: string) => void;
}) {
  // Uncontrolled, as the whole form below: RJSF keeps its own data from the first on.
  const [first] = useState(() => pick(initial, chunk.keys));
  return (
    <Form
      tagName="div"
      className="lx-form-chunk"
      schema={chunk.schema}
      uiSchema={chunk.uiSchema}
      initialFormData={first}
      validator={validator}
      widgets={lianxinWidgets}
      fields={lianxinFields}
      formContext={formContext}
      translateString={translate}
      templates={templates}
      showErrorList={false}
      noHtml5Validate
      disabled={disabled}
      onChange={(e, id) => onChange(chunk.keys, e.formData, id)}
    >
      <span />
    </Form>
  );
});

/**
 * A react-jsonschema-form with the antd theme, Lianxin's widgets and the
 * shared validator. Lianxin validates, not RJSF: after typing pauses (not
 * per keystroke) for the fields the user has typed in, and everything on
 * submit; one problem per field, in plain words (请填写姓名), shown once.
 * An empty form opens without errors.
 */
export const LianxinForm = memo(function LianxinForm({
  schema,
  uiSchema,
  formData,
  lang = 'zh-CN',
  disabled,
  validateDelay = 300,
  uploadFile,
  onChange,
  onSubmit,
  children,
  id,
}: LianxinFormProps) {
  const stableSchema = useMemo(() => canonicalSchema(schema), [schema]);
  const validator = formValidator(lang);
  const translate = useMemo(() => translateString(lang), [lang]);
  const formContext = useMemo<LianxinFormContext>(
    () => (uploadFile ? { lang, uploadFile } : { lang }),
    [lang, uploadFile],
  );
  const [initial] = useState(() => formData ?? {});
  const [live] = useState(() => new LiveErrors());
  const [submitted, setSubmitted] = useState(false);
  const data = useRef<Data>(initial);
  /** RJSF ids of the fields the user changed (not the defaults RJSF fills in on its own). */
  const touched = useRef(new Set<string>());
  const afterSubmit = useRef(false);
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const formRef = useRef<CoreForm>(null);
  const splitRef = useRef<HTMLFormElement>(null);
  useEffect(() => () => clearTimeout(timer.current), []);

  const check = useCallback(
    (d: Data): FieldError[] =>
      oneErrorPerField(
        validator.validateFormData(d, stableSchema, undefined, undefined, uiSchema).errors,
        stableSchema,
        uiSchema,
        d,
        lang,
      ),
    [validator, stableSchema, uiSchema, lang],
  );
  /** Shows these errors: only the fields whose message changed are redrawn. */
  const show = useCallback((next: ReadonlyMap<string, string>) => live.set(next), [live]);

  const handleChange = useCallback(
    (e: IChangeEvent<Data>, fieldId?: string) => {
      if (fieldId) touched.current.add(fieldId);
      data.current = e.formData;
      onChange?.(e.formData);
      clearTimeout(timer.current);
      if (!touched.current.size && !afterSubmit.current) return;
      timer.current = setTimeout(() => {
        show(shownErrors(check(data.current), touched.current, afterSubmit.current));
      }, validateDelay);
    },
    [onChange, check, show, validateDelay],
  );
  /** Validates everything; shows the problems and keeps the form, or hands the data on. */
  const trySubmit = useCallback(
    (d: Data, form: HTMLElement | null | undefined) => {
      clearTimeout(timer.current);
      data.current = d;
      const errors = check(d);
      afterSubmit.current = true;
      setSubmitted(true);
      if (errors.length) {
        show(shownErrors(errors, touched.current, true));
        requestAnimationFrame(() => focusFirst(form, errors));
        return;
      }
      show(NO_ERRORS);
      onSubmit?.(d);
    },
    [check, show, onSubmit],
  );
  const handleSubmit = useCallback(
    (e: IChangeEvent<Data>) => trySubmit(e.formData, formRef.current?.formElement.current),
    [trySubmit],
  );

  const chunks = useMemo(() => splitForm(stableSchema, uiSchema), [stableSchema, uiSchema]);
  const chunkChange = useCallback(
    (keys: string[], part: Data, fieldId?: string) => {
      const next: Record<string, unknown> = { ...data.current };
      for (const k of keys) {
        if (part?.[k] === undefined) delete next[k];
        else next[k] = part[k];
      }
      handleChange({ formData: next } as IChangeEvent<Data>, fieldId);
    },
    [handleChange],
  );

  if (chunks) {
    const submit = (ev: FormEvent) => {
      ev.preventDefault();
      trySubmit(data.current, splitRef.current);
    };
    return (
      <LiveErrorsContext.Provider value={live}>
        <form
          {...(id ? { id } : {})}
          ref={splitRef}
          className="lx-form lx-form-split"
          onSubmit={submit}
          noValidate
          data-submitted={submitted}
        >
          {chunks.map((c) => (
            <ChunkForm
              key={c.keys[0]}
              chunk={c}
              initial={initial}
              validator={validator}
              translate={translate}
              formContext={formContext}
              disabled={disabled ?? false}
              onChange={chunkChange}
            />
          ))}
          {children === false
            ? null
            : (children ?? (
                <Button type="primary" htmlType="submit">
                  {lang === 'en' ? 'Submit' : '提交'}
                </Button>
              ))}
        </form>
      </LiveErrorsContext.Provider>
    );
  }

  return (
    <LiveErrorsContext.Provider value={live}>
      <Form
        {...(id ? { id } : {})}
        ref={formRef}
        className="lx-form"
        schema={stableSchema}
        {...(uiSchema ? { uiSchema } : {})}
        // Uncontrolled: RJSF keeps its own data from the initial data on (see LiveErrors).
        initialFormData={initial}
        validator={validator}
        widgets={lianxinWidgets}
        fields={lianxinFields}
        formContext={formContext}
        translateString={translate}
        templates={templates}
        showErrorList={false}
        // Lianxin validates (see trySubmit): RJSF's own errors would repeat ours in ajv's words.
        noValidate
        noHtml5Validate
        disabled={disabled ?? false}
        onChange={handleChange}
        onSubmit={handleSubmit}
      >
        {children === false ? (
          <span />
        ) : (
          (children ?? (
            <Button type="primary" htmlType="submit">
              {lang === 'en' ? 'Submit' : '提交'}
            </Button>
          ))
        )}
      </Form>
    </LiveErrorsContext.Provider>
  );
});

function sameErrors(a: ReadonlyMap<string, string>, b: ReadonlyMap<string, string>) {
  if (a.size !== b.size) return false;
  for (const [k, v] of a) if (b.get(k) !== v) return false;
  return true;
}
