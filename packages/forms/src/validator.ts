import { createAjv, type Lang } from '@lianxin/spec';
import {
  hashForSchema,
  RJSF_ADDITIONAL_PROPERTIES_FLAG,
  type RJSFSchema,
  type ValidatorType,
} from '@rjsf/utils';
import { customizeValidator } from '@rjsf/validator-ajv8';
import type Ajv from 'ajv';
import localizeEn from 'ajv-i18n/localize/en';
import localizeZh from 'ajv-i18n/localize/zh';

// biome-ignore lint/suspicious/noExplicitAny: RJSF's own default for form data
type FormData = any;

/**
 * The RJSF validator built on spec's shared ajv setup (the server validates
 * with the same `createAjv`), with ajv-i18n messages in the UI language.
 * One validator per language; ajv caches each compiled schema by object,
 * and `canonicalSchema` makes equal schemas the same object, so a form's
 * validator is compiled once per schema content, never per keystroke.
 */
const validators = new Map<Lang, ValidatorType<FormData, RJSFSchema>>();

export function formValidator(lang: Lang = 'zh-CN'): ValidatorType<FormData, RJSFSchema> {
  let v = validators.get(lang);
  if (!v) {
    v = customizeValidator<FormData, RJSFSchema>(
      {
        extenderFn: () => {
          const ajv = createAjv();
          ajv.addKeyword(RJSF_ADDITIONAL_PROPERTIES_FLAG);
          return ajv;
        },
      },
      lang === 'en' ? localizeEn : localizeZh,
    );
    validators.set(lang, v);
  }
  return v;
}

const canonical = new Map<string, RJSFSchema>();
const hashes = new WeakMap<object, string>();

/** The first-seen schema object with this content: equal schemas share one compiled validator. */
export function canonicalSchema(schema: RJSFSchema): RJSFSchema {
  let hash = hashes.get(schema);
  if (!hash) {
    hash = hashForSchema(schema);
    hashes.set(schema, hash);
  }
  forgetStaleId(schema, hash);
  const known = canonical.get(hash);
  if (known) return known;
  canonical.set(hash, schema);
  return schema;
}

/** The content (hash) last compiled under each root `$id`. */
const contentById = new Map<string, string>();

/**
 * ajv keeps a compiled schema under its root `$id`, and RJSF asks for it by
 * that id before compiling: a form edited in place (same `$id`, new fields)
 * would be checked against its old version. A new content under a known id
 * drops the old one from every language's ajv first.
 */
function forgetStaleId(schema: RJSFSchema, hash: string) {
  const id = schema.$id;
  if (typeof id !== 'string') return;
  const before = contentById.get(id);
  contentById.set(id, hash);
  if (before === undefined || before === hash) return;
  for (const v of validators.values()) (v as unknown as { ajv: Ajv }).ajv.removeSchema(id);
}

/**
 * Compiles a form's validator ahead of use (e.g. when a published form
 * version is loaded), so the first keystroke does not pay for it.
 */
export function precompileForm(schema: RJSFSchema, lang: Lang = 'zh-CN'): RJSFSchema {
  const s = canonicalSchema(schema);
  formValidator(lang).rawValidation(s, {});
  return s;
}
