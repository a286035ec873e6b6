/**
 * The form widgets a uiSchema may name (`"ui:widget": "textarea"`): what
 * react-jsonschema-form draws for a field's type, plus Lianxin's own widgets.
 * A name outside these makes RJSF throw while drawing the form, so the
 * checker refuses it before a case handler meets it. The forms package's
 * test proves this list agrees with RJSF's own lookup.
 */

/** Widgets RJSF chooses by name for a field of each JSON type (its `getWidget` map). */
const BY_TYPE: Record<string, readonly string[]> = {
  boolean: ['checkbox', 'radio', 'select', 'hidden'],
  string: [
    'text',
    'password',
    'email',
    'hostname',
    'ipv4',
    'ipv6',
    'uri',
    'data-url',
    'radio',
    'select',
    'textarea',
    'hidden',
    'date',
    'datetime',
    'date-time',
    'alt-date',
    'alt-datetime',
    'time',
    'color',
    'file',
  ],
  number: ['text', 'select', 'updown', 'range', 'radio', 'hidden'],
  integer: ['text', 'select', 'updown', 'range', 'radio', 'hidden'],
  array: ['select', 'checkboxes', 'files', 'hidden'],
};

/** Widgets registered by component name, usable on a field of any type. */
export const REGISTERED_WIDGETS: readonly string[] = [
  // RJSF's registry, in the antd theme
  'AltDateTimeWidget',
  'AltDateWidget',
  'CheckboxesWidget',
  'CheckboxWidget',
  'ColorWidget',
  'DateTimeWidget',
  'DateWidget',
  'EmailWidget',
  'FileWidget',
  'HiddenWidget',
  'PasswordWidget',
  'RadioWidget',
  'RangeWidget',
  'RatingWidget',
  'SelectWidget',
  'TextareaWidget',
  'TextWidget',
  'TimeWidget',
  'UpDownWidget',
  'URLWidget',
  // Lianxin's own (packages/forms widgets.tsx)
  'idCard',
  'mobile',
  'division',
  'attachments',
  'signature',
  'money',
  'department',
  'member',
];

const registered = new Set(REGISTERED_WIDGETS);
const anyType = new Set(Object.values(BY_TYPE).flat());

/** JSON types RJSF looks widgets up by. */
export const WIDGET_TYPES: readonly string[] = Object.keys(BY_TYPE);

/**
 * Whether RJSF can draw a field of this JSON type with the named widget. An
 * unknown type (a `$ref`, an enum without `type`) accepts any name known for
 * some type.
 */
export function widgetKnown(type: string | undefined, name: string): boolean {
  if (registered.has(name)) return true;
  if (type === undefined) return anyType.has(name);
  // An object or null field has no widget by type name, only registered ones.
  return BY_TYPE[type]?.includes(name) ?? false;
}

/** Every widget name known for a type, for messages and pickers. */
export function widgetNames(type: string | undefined): string[] {
  const names = type === undefined ? undefined : BY_TYPE[type];
  return [...(names ?? anyType), ...REGISTERED_WIDGETS];
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  v !== null && typeof v === 'object' && !Array.isArray(v);
const escapeKey = (key: string) => key.replace(/~/g, '~0').replace(/\//g, '~1');

/** A `ui:widget` RJSF cannot draw, located inside the uiSchema. */
export interface UnknownWidget {
  /** JSON pointer inside the uiSchema, ending in `/ui:widget`. */
  pointer: string;
  widget: string;
  /** The field's JSON type, when the schema names one. */
  type?: string;
  /** The field's title, else its key. */
  field: string;
}

/** Walks a uiSchema beside its JSON Schema and lists the widgets RJSF cannot draw. */
export function unknownWidgets(schema: unknown, uiSchema: unknown): UnknownWidget[] {
  const found: UnknownWidget[] = [];
  const walk = (node: unknown, ui: unknown, at: string, key: string) => {
    if (!isObject(ui)) return;
    const s = isObject(node) ? node : {};
    const widget = ui['ui:widget'];
    if (typeof widget === 'string') {
      const type = typeof s.type === 'string' ? s.type : undefined;
      if (!widgetKnown(type, widget)) {
        const field = typeof s.title === 'string' ? s.title : key;
        found.push({ pointer: `${at}/ui:widget`, widget, field, ...(type ? { type } : {}) });
      }
    }
    const properties = isObject(s.properties) ? s.properties : {};
    for (const [k, child] of Object.entries(ui)) {
      if (k.startsWith('ui:')) continue;
      if (k === 'items') walk(s.items, child, `${at}/items`, key);
      else if (k === 'additionalProperties')
        walk(s.additionalProperties, child, `${at}/additionalProperties`, key);
      else walk(properties[k], child, `${at}/${escapeKey(k)}`, k);
    }
  };
  walk(schema, uiSchema, '', '');
  return found;
}
