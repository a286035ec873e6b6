import type { RJSFSchema, UiSchema } from '@rjsf/utils';

type Json = Record<string, unknown>;
const isObj = (v: unknown): v is Json => v !== null && typeof v === 'object' && !Array.isArray(v);

/** What a schema node may say for the public form to draw it (annotations `x-…` too). */
const KEYWORDS = new Set([
  'type',
  'title',
  'description',
  'properties',
  'required',
  'enum',
  'enumNames',
  'items',
  'uniqueItems',
  'minItems',
  'maxItems',
  'minLength',
  'maxLength',
  'pattern',
  'format',
  'minimum',
  'maximum',
  'exclusiveMinimum',
  'exclusiveMaximum',
  'multipleOf',
  'default',
  'examples',
  '$comment',
]);
/** Formats a plain input can take as typed (a date input gives 2026-01-31). */
const FORMATS = new Set(['date', 'email', 'uri', 'cn-mobile', 'cn-id-card']);
/** The widgets the public form has (LianxinForm's names); ui:field is never drawn here. */
export const PUBLIC_WIDGETS = new Set([
  'text',
  'textarea',
  'select',
  'radio',
  'checkboxes',
  'checkbox',
  'mobile',
  'idCard',
  'date',
  'email',
  'uri',
  'updown',
  'hidden',
]);
const UI_KEYS = new Set([
  'ui:widget',
  'ui:title',
  'ui:description',
  'ui:help',
  'ui:placeholder',
  'ui:enumNames',
  'ui:order',
  'ui:options',
  'ui:autofocus',
  'ui:classNames',
]);

/** Why the public form cannot draw a form: where, and what it meets there. */
export interface Unsupported {
  path: string[];
  what: string;
}

/**
 * The first part of a form the public form cannot draw as the staff form
 * would (a `$ref`, `oneOf`, conditions, a division picker, an attachment
 * field, a custom field…), or null when it can draw all of it. A form it
 * cannot draw is not half-drawn: the page says where else to petition.
 */
export function unsupportedPart(schema: RJSFSchema, uiSchema?: UiSchema): Unsupported | null {
  return walk(schema, uiSchema, [], true);
}

function walk(schema: unknown, ui: unknown, path: string[], root = false): Unsupported | null {
  if (!isObj(schema)) return { path, what: 'schema' };
  for (const k of Object.keys(schema))
    if (!KEYWORDS.has(k) && !k.startsWith('x-') && !(root && k === '$schema'))
      return { path, what: k };
  const u = isObj(ui) ? ui : {};
  for (const k of Object.keys(u))
    if (k.startsWith('ui:') && !UI_KEYS.has(k)) return { path, what: k };
  const widget = u['ui:widget'];
  if (widget !== undefined && (typeof widget !== 'string' || !PUBLIC_WIDGETS.has(widget)))
    return { path, what: `ui:widget ${String(widget)}` };
  switch (schema.type) {
    case 'object': {
      if (!isObj(schema.properties)) return { path, what: 'object without properties' };
      for (const [key, sub] of Object.entries(schema.properties)) {
        const found = walk(sub, u[key], [...path, key]);
        if (found) return found;
      }
      return null;
    }
    case 'array': {
      const items = schema.items;
      if (!isObj(items)) return { path, what: 'items' };
      if (Array.isArray(items.enum)) return null;
      return walk(items, u.items, [...path, 'items']);
    }
    case 'string':
      if (typeof schema.format === 'string' && !FORMATS.has(schema.format))
        return { path, what: `format ${schema.format}` };
      return null;
    case 'number':
    case 'integer':
    case 'boolean':
      return null;
    default:
      return { path, what: `type ${JSON.stringify(schema.type)}` };
  }
}
