import type { Lang } from '@lianxin/spec';
import Form from '@rjsf/antd';
import type { IChangeEvent } from '@rjsf/core';
import type { ErrorSchema, RJSFSchema, UiSchema } from '@rjsf/utils';
import { memo, type ReactNode, useCallback, useEffect, useMemo, useRef, useState } from 'react';
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
        const { errorSchema } = validator.validateFormData(data.current, stableSchema);
        const shown = touchedOnly(errorSchema, touched.current);
        setLiveErrors(Object.keys(shown).length ? shown : undefined);
      }, validateDelay);
    },
    [onChange, validator, stableSchema, validateDelay],
  );
  const handleSubmit = useCallback(
    (e: IChangeEvent<Data>) => {
      clearTimeout(timer.current);
      setLiveErrors(undefined);
      onSubmit?.(e.formData);
    },
    [onSubmit],
  );

  return (
    <Form
      {...(id ? { id } : {})}
      schema={stableSchema}
      {...(uiSchema ? { uiSchema } : {})}
      formData={initial}
      validator={validator}
      widgets={lianxinWidgets}
      fields={lianxinFields}
      formContext={formContext}
      translateString={translate}
      {...(liveErrors ? { extraErrors: liveErrors } : {})}
      showErrorList={false}
      noHtml5Validate
      disabled={disabled ?? false}
      onChange={handleChange}
      onSubmit={handleSubmit}
    >
      {children === false ? <span /> : children}
    </Form>
  );
});
