import { schemaCompileProblem } from '../ajv';
import { FormDefinition } from '../form';
import { resolvePointer } from '../pointer';
import { TemplateManifest } from '../template';
import { unknownWidgets } from '../widgets';
import { schemaProblems, sortProblems } from './check';
import { type Problem, problem } from './problems';

const isObject = (v: unknown): v is Record<string, unknown> =>
  v !== null && typeof v === 'object' && !Array.isArray(v);

/** Checks a form file: its format, and that ajv compiles its JSON Schema. */
export function checkForm(input: unknown): Problem[] {
  const problems: Problem[] = [];
  schemaProblems(FormDefinition, input, problems);
  if (isObject(input) && input.schema !== undefined) {
    const bad = schemaCompileProblem(input.schema);
    if (bad) {
      const id = typeof input.id === 'string' ? input.id : '?';
      problems.push(
        problem('form.invalidSchema', `/schema${bad.pointer}`, {
          id,
          detail: bad.detail,
          detailZh: bad.message['zh-CN'],
          detailEn: bad.message.en,
        }),
      );
    } else {
      const id = typeof input.id === 'string' ? input.id : '?';
      for (const bad of unknownWidgets(input.schema, input.uiSchema))
        problems.push(
          problem('form.unknownWidget', `/uiSchema${bad.pointer}`, {
            id,
            field: bad.field,
            widget: bad.widget,
          }),
        );
    }
  }
  return sortProblems(problems);
}

/**
 * Checks a template's `template.json` against its flow: the format, that
 * the flow carries the template's key and version, and that every locked
 * pointer designates something in the flow.
 */
export function checkTemplateManifest(input: unknown, flow?: unknown): Problem[] {
  const problems: Problem[] = [];
  schemaProblems(TemplateManifest, input, problems);
  if (isObject(input) && isObject(flow)) {
    for (const field of ['key', 'version'] as const) {
      if (input[field] !== undefined && flow[field] !== undefined && input[field] !== flow[field]) {
        problems.push(
          problem('template.mismatch', `/${field}`, {
            field,
            manifest: String(input[field]),
            flow: String(flow[field]),
          }),
        );
      }
    }
    if (Array.isArray(input.locked)) {
      input.locked.forEach((pointer, i) => {
        if (
          typeof pointer === 'string' &&
          pointer.startsWith('/') &&
          !resolvePointer(flow, pointer).found
        ) {
          problems.push(problem('template.lockedMissing', `/locked/${i}`, { pointer }));
        }
      });
    }
  }
  return sortProblems(problems);
}
