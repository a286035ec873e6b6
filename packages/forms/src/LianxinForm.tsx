import type { Lang } from '@lianxin/spec';
import Form from '@rjsf/antd';
import type { IChangeEvent } from '@rjsf/core';
import type { ErrorSchema, RJSFSchema, UiSchema } from '@rjsf/utils';
import { Button } from 'antd';
import {
  type FormEvent,
  memo,
  type ReactNode,
  useCallback,
  useEffect,
  useMemo,
  useRef,
  useState,
} from 'react';
import './forms.css';
import { friendlyErrors, translateString } from './translate';
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

/** Keeps only the errors of fields the user has touched (top-level keys). */
function touchedOnly(errors: ErrorSchema, touched: ReadonlySet<string>): ErrorSchema {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(errors)) if (touched.has(k)) out[k] = v;
  return out as ErrorSchema;
}

function topLevelChanges(prev: Data, next: Data): string[] {
  if (!next || typeof next !== 'object') return [];
  const keys = new Set([...Object.keys(prev ?? {}), ...Object.keys(next)]);
  return [...keys].filter((k) => prev?.[k] !== next[k]);
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
  errors,
  validator,
  translate,
  formContext,
  disabled,
  onChange,
}: {
  chunk: Chunk;
  initial: Data;
  errors: ErrorSchema | undefined;
  validator: ReturnType<typeof formValidator>;
  translate: ReturnType<typeof translateString>;
  formContext: LianxinFormContext;
  disabled: boolean;
  onChange: (keys: string[], data: Data) => void;
}) {
  // What this part last reported: re-rendered (new live errors), it gets its own data
  // back, which RJSF recognises as an echo and keeps; the first data would reset it.
  const current = useRef<Data>(undefined);
  current.current ??= pick(initial, chunk.keys);
  return (
    <Form
      tagName="div"
      schema={chunk.schema}
      uiSchema={chunk.uiSchema}
      formData={current.current}
      validator={validator}
      widgets={lianxinWidgets}
      fields={lianxinFields}
      formContext={formContext}
      translateString={translate}
      {...(errors ? { extraErrors: errors } : {})}
      showErrorList={false}
      noHtml5Validate
      disabled={disabled}
      onChange={(e) => {
        current.current = e.formData;
        onChange(chunk.keys, e.formData);
      }}
    >
      <span />
    </Form>
  );
});

function splitErrors(
  errors: ErrorSchema | undefined,
  chunks: Chunk[],
): (ErrorSchema | undefined)[] {
  return chunks.map((c) => {
    if (!errors) return undefined;
    const part: Record<string, unknown> = {};
    for (const k of c.keys)
      if ((errors as Record<string, unknown>)[k]) part[k] = (errors as Record<string, unknown>)[k];
    return Object.keys(part).length ? (part as ErrorSchema) : undefined;
  });
}

/**
 * A react-jsonschema-form with the antd theme, Lianxin's widgets and the
 * shared validator. Validation runs after typing pauses (not per
 * keystroke) and shows only fields already touched; submit validates all.
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
  const transformErrors = useMemo(() => friendlyErrors(lang), [lang]);
  const formContext = useMemo<LianxinFormContext>(
    () => (uploadFile ? { lang, uploadFile } : { lang }),
    [lang, uploadFile],
  );
  const [initial] = useState(() => formData ?? {});
  const [liveErrors, setLiveErrors] = useState<ErrorSchema | undefined>();
  const data = useRef<Data>(initial);
  const touched = useRef(new Set<string>());
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  useEffect(() => () => clearTimeout(timer.current), []);

  const handleChange = useCallback(
    (e: IChangeEvent<Data>) => {
      for (const k of topLevelChanges(data.current, e.formData)) touched.current.add(k);
      data.current = e.formData;
      onChange?.(e.formData);
      clearTimeout(timer.current);
      timer.current = setTimeout(() => {
        const { errorSchema } = validator.validateFormData(
          data.current,
          stableSchema,
          undefined,
          transformErrors,
        );
        const shown = touchedOnly(errorSchema, touched.current);
        setLiveErrors(Object.keys(shown).length ? shown : undefined);
      }, validateDelay);
    },
    [onChange, validator, stableSchema, validateDelay, transformErrors],
  );
  const handleSubmit = useCallback(
    (e: IChangeEvent<Data>) => {
      clearTimeout(timer.current);
      setLiveErrors(undefined);
      onSubmit?.(e.formData);
    },
    [onSubmit],
  );

  const chunks = useMemo(() => splitForm(stableSchema, uiSchema), [stableSchema, uiSchema]);
  const chunkErrors = useMemo(
    () => (chunks ? splitErrors(liveErrors, chunks) : []),
    [chunks, liveErrors],
  );
  const chunkChange = useCallback(
    (keys: string[], part: Data) => {
      const next: Record<string, unknown> = { ...data.current };
      for (const k of keys) {
        if (part?.[k] === undefined) delete next[k];
        else next[k] = part[k];
      }
      handleChange({ formData: next } as IChangeEvent<Data>);
    },
    [handleChange],
  );
  const [submitted, setSubmitted] = useState(false);

  if (chunks) {
    const submit = (ev: FormEvent) => {
      ev.preventDefault();
      clearTimeout(timer.current);
      const { errorSchema, errors } = validator.validateFormData(
        data.current,
        stableSchema,
        undefined,
        transformErrors,
      );
      setSubmitted(true);
      if (errors.length) {
        setLiveErrors(errorSchema);
        return;
      }
      setLiveErrors(undefined);
      onSubmit?.(data.current);
    };
    return (
      <form
        {...(id ? { id } : {})}
        className="lx-form lx-form-split"
        onSubmit={submit}
        noValidate
        data-submitted={submitted}
      >
        {chunks.map((c, i) => (
          <ChunkForm
            key={c.keys[0]}
            chunk={c}
            initial={initial}
            errors={chunkErrors[i]}
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
    );
  }

  return (
    <Form
      {...(id ? { id } : {})}
      className="lx-form"
      schema={stableSchema}
      {...(uiSchema ? { uiSchema } : {})}
      // The data RJSF last reported, not the initial data: when live errors arrive the form
      // re-renders, and RJSF resets its state to a `formData` prop it did not report itself.
      formData={data.current}
      validator={validator}
      widgets={lianxinWidgets}
      fields={lianxinFields}
      formContext={formContext}
      translateString={translate}
      transformErrors={transformErrors}
      {...(liveErrors ? { extraErrors: liveErrors } : {})}
      showErrorList={false}
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
  );
});
