import * as z from 'zod';
import { FlowDefinition, Id } from './flow';
import { FormDefinition } from './form';
import { LocalizedText } from './text';

export const TEMPLATE_FORMAT_VERSION = 1;

/** `template.json` in a template folder: what the province publishes. */
export const TemplateManifest = z
  .strictObject({
    $schema: z.string().optional(),
    formatVersion: z.literal(TEMPLATE_FORMAT_VERSION),
    key: Id,
    version: z.int().min(1),
    name: LocalizedText,
    summary: LocalizedText,
    publisher: z
      .string()
      .regex(/^\d{6}$/)
      .meta({ description: 'Publishing jurisdiction, GB/T 2260 code (e.g. 440000 广东省).' }),
    practice: LocalizedText.optional().meta({
      description: 'The field practice the template follows.',
    }),
    changelog: z
      .array(z.strictObject({ version: z.int().min(1), changes: LocalizedText }))
      .default([]),
    locked: z.array(z.string().startsWith('/')).default([]).meta({
      description:
        'JSON Pointers into the flow that county overlays may not change (e.g. statutory clocks).',
    }),
    lockReasons: z.record(z.string().startsWith('/'), LocalizedText).optional().meta({
      description:
        'Why each locked part is locked, keyed by its pointer in `locked`; counties see it.',
    }),
  })
  .meta({ id: 'TemplateManifest', title: 'Lianxin template manifest 连心模板清单' });
export type TemplateManifest = z.infer<typeof TemplateManifest>;

/** A whole template in one file, for moving between separated networks. */
export const TemplateBundle = z
  .strictObject({
    $schema: z.string().optional(),
    formatVersion: z.literal(TEMPLATE_FORMAT_VERSION),
    kind: z.literal('lianxin.template-bundle'),
    manifest: TemplateManifest,
    flow: FlowDefinition,
    forms: z.array(FormDefinition).default([]),
    readme: z.string(),
    scenarios: z
      .array(z.strictObject({ name: z.string().min(1), script: z.unknown() }))
      .default([]),
    contentHash: z
      .string()
      .regex(/^sha256:[0-9a-f]{64}$/)
      .optional()
      .meta({
        description:
          'sha256 of the bundle without this field, to refuse damaged or tampered files.',
      }),
  })
  .meta({ id: 'TemplateBundle', title: 'Lianxin template bundle 连心模板包' });
export type TemplateBundle = z.infer<typeof TemplateBundle>;
