import * as z from 'zod';
import { FlowDefinition } from './flow';
import { FormDefinition } from './form';
import { TemplateBundle, TemplateManifest } from './template';

const FORMATS = {
  'flow.schema.json': FlowDefinition,
  'form.schema.json': FormDefinition,
  'template.schema.json': TemplateManifest,
  'template-bundle.schema.json': TemplateBundle,
} as const;

/** JSON Schema (draft 2020-12) of each file format, keyed by the file name written to docs/schema/. */
export function exportJsonSchemas(): Record<keyof typeof FORMATS, object> {
  const out = {} as Record<keyof typeof FORMATS, object>;
  for (const [file, schema] of Object.entries(FORMATS) as Array<
    [keyof typeof FORMATS, z.ZodType]
  >) {
    out[file] = z.toJSONSchema(schema, {
      target: 'draft-2020-12',
      io: 'input',
      unrepresentable: 'any',
    });
  }
  return out;
}
