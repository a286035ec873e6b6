import { bundleHash } from '../sharing';
import { TEMPLATE_FORMAT_VERSION, TemplateBundle } from '../template';
import { checkFlow, schemaProblems, sortProblems } from './check';
import { checkForm, checkTemplateManifest } from './other';
import { type Problem, problem } from './problems';

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json =>
  v !== null && typeof v === 'object' && !Array.isArray(v);

/** Puts a template's parts into one file and seals it with a content hash. */
export function createBundle(parts: {
  manifest: Json;
  flow: Json;
  forms?: Json[];
  readme: string;
  scenarios?: Array<{ name: string; script: unknown }>;
}): Json {
  const bundle: Json = {
    formatVersion: TEMPLATE_FORMAT_VERSION,
    kind: 'lianxin.template-bundle',
    manifest: parts.manifest,
    flow: parts.flow,
    forms: parts.forms ?? [],
    readme: parts.readme,
    scenarios: parts.scenarios ?? [],
  };
  return { ...bundle, contentHash: bundleHash(bundle) };
}

const prefixed = (prefix: string, problems: Problem[]) =>
  problems.map((p) => ({ ...p, pointer: `${prefix}${p.pointer}` }));

/**
 * Checks a bundle before import: its format, its seal (a damaged or edited
 * file is refused), and the template inside it. Import nothing unless the
 * list has no errors.
 */
export function checkBundle(raw: unknown): Problem[] {
  const problems: Problem[] = [];
  schemaProblems(TemplateBundle, raw, problems);
  if (!isObject(raw)) return sortProblems(problems);
  if (typeof raw.contentHash !== 'string') {
    problems.push(problem('bundle.unsealed', ''));
  } else if (bundleHash(raw) !== raw.contentHash) {
    problems.push(problem('bundle.tampered', '/contentHash'));
    // Nothing inside a tampered file can be trusted; stop here.
    return sortProblems(problems);
  }
  const forms = Array.isArray(raw.forms) ? raw.forms : [];
  forms.forEach((form, i) => {
    problems.push(...prefixed(`/forms/${i}`, checkForm(form)));
  });
  const formIds = forms.flatMap((f) =>
    isObject(f) && typeof f.id === 'string' ? [{ id: f.id }] : [],
  );
  if (raw.flow !== undefined)
    problems.push(...prefixed('/flow', checkFlow(raw.flow, { forms: formIds })));
  if (raw.manifest !== undefined) {
    problems.push(...prefixed('/manifest', checkTemplateManifest(raw.manifest, raw.flow)));
  }
  // The parts were also checked as a whole by the bundle schema; keep the more precise reports.
  const seen = new Set<string>();
  return sortProblems(problems).filter((p) => {
    const key = `${p.code} ${p.pointer}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
