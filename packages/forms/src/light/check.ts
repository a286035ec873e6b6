import { createAjv, type Lang } from '@lianxin/spec';
import {
  RJSF_ADDITIONAL_PROPERTIES_FLAG,
  type RJSFSchema,
  type RJSFValidationError,
  type UiSchema,
} from '@rjsf/utils';
// RJSF's own ajv → RJSF error conversion (the one LianxinForm's validator runs), not a copy of it.
import { transformRJSFValidationErrors } from '@rjsf/validator-ajv8/lib/processRawValidationErrors.js';
import type Ajv from 'ajv';
import type { ErrorObject, ValidateFunction } from 'ajv';
import localizeEn from 'ajv-i18n/localize/en';
import localizeZh from 'ajv-i18n/localize/zh';
import { type FieldError, oneErrorPerField } from '../messages';

// biome-ignore lint/suspicious/noExplicitAny: form data is whatever the schema describes
type Data = any;

/**
 * The public form's validation without RJSF's form code: spec's shared ajv
 * setup (as the server and LianxinForm's validator use it, with the same
 * extra keyword RJSF adds), ajv-i18n in the UI language, RJSF's own error
 * conversion and the same plain-word messages (messages.ts). So a citizen
 * reads what a receptionist reads for the same data, from one set of rules.
 */
let shared: Ajv | undefined;
const compiled = new WeakMap<object, ValidateFunction>();

function ajv(): Ajv {
  if (!shared) {
    shared = createAjv();
    shared.addKeyword(RJSF_ADDITIONAL_PROPERTIES_FLAG);
  }
  return shared;
}

function validatorOf(schema: RJSFSchema): ValidateFunction {
  let v = compiled.get(schema);
  if (!v) {
    v = ajv().compile(schema);
    compiled.set(schema, v);
  }
  return v;
}

/**
 * ajv-i18n's messages with property names quoted, as RJSF's validator asks
 * for them, so its conversion can put the field's title in their place.
 */
function localize(errors: ErrorObject[], lang: Lang) {
  const quoted = ['missingProperty', 'property'] as const;
  for (const e of errors) {
    const p = e.params as Record<string, string | undefined>;
    for (const k of quoted) if (p[k]) p[k] = `'${p[k]}'`;
    if (p.deps)
      p.deps = p.deps
        .split(', ')
        .map((d) => `'${d}'`)
        .join(', ');
  }
  (lang === 'en' ? localizeEn : localizeZh)(errors);
  for (const e of errors) {
    const p = e.params as Record<string, string | undefined>;
    for (const k of quoted) if (p[k]) p[k] = p[k].slice(1, -1);
    if (p.deps)
      p.deps = p.deps
        .split(', ')
        .map((d) => d.slice(1, -1))
        .join(', ');
  }
}

/** ajv's findings for this data, as RJSF's validator reports them. Throws when the schema does not compile. */
export function rawFormErrors(
  schema: RJSFSchema,
  uiSchema: UiSchema | undefined,
  data: Data,
  lang: Lang,
): RJSFValidationError[] {
  const validate = validatorOf(schema);
  validate(data);
  const errors = validate.errors ?? [];
  validate.errors = null;
  localize(errors, lang);
  return transformRJSFValidationErrors(errors, uiSchema, undefined, schema);
}

/** At most one problem per field, in plain words (请填写姓名): what LianxinForm shows for the same data. */
export function checkForm(
  schema: RJSFSchema,
  uiSchema: UiSchema | undefined,
  data: Data,
  lang: Lang,
): FieldError[] {
  return oneErrorPerField(
    rawFormErrors(schema, uiSchema, data, lang),
    schema,
    uiSchema,
    data,
    lang,
  );
}
