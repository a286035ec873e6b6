import * as z from 'zod';
import { LocalizedText } from './text';

export const FORM_FORMAT_VERSION = 1;

/**
 * A form: JSON Schema for the data and an RJSF uiSchema for the layout.
 * Its properties are written into the case data under the same names.
 */
export const FormDefinition = z
  .strictObject({
    $schema: z.string().optional(),
    formatVersion: z.literal(FORM_FORMAT_VERSION).optional(),
    id: z.string().regex(/^[A-Za-z][A-Za-z0-9_-]*$/),
    title: LocalizedText,
    schema: z.record(z.string(), z.unknown()).meta({
      description: 'JSON Schema of the form data (an object schema).',
    }),
    uiSchema: z.record(z.string(), z.unknown()).optional().meta({
      description: 'react-jsonschema-form uiSchema: widgets, order, help texts.',
    }),
  })
  .meta({ id: 'FormDefinition', title: 'Lianxin form definition 连心表单定义' });
export type FormDefinition = z.infer<typeof FormDefinition>;
