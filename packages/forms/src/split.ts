import type { RJSFSchema } from '@rjsf/utils';

type Json = Record<string, unknown>;
const isObj = (v: unknown): v is Json => v !== null && typeof v === 'object' && !Array.isArray(v);

/** The parts of a form every part of a split form needs: its `definitions` and `$defs`. */
export function sharedParts(schema: RJSFSchema): Pick<RJSFSchema, 'definitions' | '$defs'> {
  return {
    ...(isObj(schema.definitions) ? { definitions: schema.definitions } : {}),
    ...(isObj(schema.$defs) ? { $defs: schema.$defs } : {}),
  } as Pick<RJSFSchema, 'definitions' | '$defs'>;
}

/**
 * Whether a form can be rendered in independent parts: not when it names
 * itself (`$id`: two parts would claim one id) or a `$ref` points anywhere
 * but its definitions (`#/properties/…` means something else in a part).
 */
export function splittable(schema: RJSFSchema): boolean {
  if (schema.$id !== undefined) return false;
  let ok = true;
  const walk = (v: unknown) => {
    if (!ok) return;
    if (Array.isArray(v)) {
      for (const x of v) walk(x);
      return;
    }
    if (!isObj(v)) return;
    const ref = v.$ref;
    if (typeof ref === 'string' && !/^#\/(definitions|\$defs)\//.test(ref)) ok = false;
    for (const x of Object.values(v)) walk(x);
  };
  walk(schema);
  return ok;
}
