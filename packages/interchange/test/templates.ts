import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FlowDefinitionInput } from '@lianxin/spec';

export const TEMPLATES_DIR = join(import.meta.dirname, '../../../templates');

/** Every template's flow with its forms folded in, as a template bundle carries them. */
export function templateFlows(): { name: string; flow: FlowDefinitionInput }[] {
  return readdirSync(TEMPLATES_DIR, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => {
      const dir = join(TEMPLATES_DIR, d.name);
      const flow = JSON.parse(readFileSync(join(dir, 'flow.json'), 'utf8')) as FlowDefinitionInput;
      const formsDir = join(dir, 'forms');
      const forms = readdirSync(formsDir)
        .filter((f) => f.endsWith('.json'))
        .sort()
        .map((f) => JSON.parse(readFileSync(join(formsDir, f), 'utf8')));
      return { name: d.name, flow: { ...flow, forms: [...(flow.forms ?? []), ...forms] } };
    });
}
