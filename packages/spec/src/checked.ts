import { type CheckOptions, checkFlow } from './checker/check';
import type { Problem } from './checker/problems';
import { FlowDefinition } from './flow';
import type { Bilingual } from './text';

declare const checked: unique symbol;

/**
 * A flow definition that passed the schema (its defaults filled) and has no
 * checker errors. Only `parseFlow` and `checkedFlow` make one; the engine,
 * the store and the simulator take nothing else, so a stored row without
 * `clocks` or a string condition never reaches a running case.
 */
export type CheckedFlow = FlowDefinition & { readonly [checked]: true };

export type ParsedFlow =
  | { ok: true; flow: CheckedFlow; problems: Problem[] }
  | { ok: false; problems: Problem[] };

/** Definitions this module produced, so checking one again costs nothing. */
const produced = new WeakSet<object>();

/**
 * Turns any JSON value into a `CheckedFlow`: the checker runs (with `options`,
 * e.g. a subflow resolver), then zod fills the defaults. Refused when the
 * checker reports an error; warnings come back beside the flow.
 */
export function parseFlow(input: unknown, options: CheckOptions = {}): ParsedFlow {
  if (isCheckedFlow(input) && !options.resolveSubflow && !options.template && !options.forms) {
    return { ok: true, flow: input, problems: [] };
  }
  const problems = checkFlow(input, options);
  if (problems.some((p) => p.severity === 'error')) return { ok: false, problems };
  const parsed = FlowDefinition.safeParse(input);
  // The checker runs the same schema, so this only fails if the two disagree.
  if (!parsed.success)
    throw new Error(`flow passed the checker but not its schema: ${parsed.error.message}`);
  produced.add(parsed.data);
  return { ok: true, flow: parsed.data as CheckedFlow, problems };
}

/** Whether `value` came out of `parseFlow` / `checkedFlow`. */
export function isCheckedFlow(value: unknown): value is CheckedFlow {
  return value !== null && typeof value === 'object' && produced.has(value);
}

/** Thrown by `checkedFlow` for a definition with errors; carries every problem. */
export class FlowNotChecked extends Error {
  readonly problems: Problem[];
  readonly bilingual: Bilingual;
  constructor(problems: Problem[]) {
    const errors = problems.filter((p) => p.severity === 'error');
    const list = (lang: 'zh-CN' | 'en') =>
      errors
        .slice(0, 5)
        .map((p) => `${p.pointer || '/'}: ${p.message[lang]}`)
        .join('; ');
    const bilingual = {
      'zh-CN': `流程定义有 ${errors.length} 个错误：${list('zh-CN')}`,
      en: `the flow definition has ${errors.length} error(s): ${list('en')}`,
    };
    super(bilingual.en);
    this.name = 'FlowNotChecked';
    this.problems = problems;
    this.bilingual = bilingual;
  }
}

/**
 * `parseFlow` for data that should already be valid (a stored published
 * version, a test's flow): returns the `CheckedFlow` or throws `FlowNotChecked`.
 */
export function checkedFlow(input: unknown, options: CheckOptions = {}): CheckedFlow {
  const result = parseFlow(input, options);
  if (!result.ok) throw new FlowNotChecked(result.problems);
  return result.flow;
}
