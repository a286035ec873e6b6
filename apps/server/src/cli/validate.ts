import { readdirSync, statSync } from 'node:fs';
import { basename, join, relative, resolve } from 'node:path';
import {
  checkFlow,
  checkForm,
  checkTemplateManifest,
  localize,
  type Problem,
  problem,
} from '@lianxin/spec';
import {
  isTemplateFolder,
  type Loaded,
  type LoadedFile,
  loadJson,
  readTemplateFolder,
} from '../files';
import type { CommandContext } from './main';
import { fail, parseCommandArgs } from './output';

interface FileProblem extends Problem {
  file: string;
}

interface Target {
  kind: 'flow' | 'template';
  path: string;
}

/** Expands the command-line paths: template folders stay whole, other folders are searched. */
function collectTargets(path: string, out: Target[]): void {
  const stat = statSync(path, { throwIfNoEntry: false });
  if (!stat) {
    out.push({ kind: 'flow', path });
    return;
  }
  if (stat.isFile()) {
    out.push({ kind: 'flow', path });
    return;
  }
  if (isTemplateFolder(path)) {
    out.push({ kind: 'template', path });
    return;
  }
  for (const entry of readdirSync(path, { withFileTypes: true }).sort((a, b) =>
    a.name.localeCompare(b.name),
  )) {
    if (entry.name.startsWith('.') || entry.name === 'node_modules') continue;
    const child = join(path, entry.name);
    if (entry.isDirectory()) collectTargets(child, out);
    else if (entry.name.endsWith('.json') && !entry.name.endsWith('.script.json'))
      out.push({ kind: 'flow', path: child });
  }
}

interface Unit {
  /** Files of one flow: the flow itself, and for a template its manifest and forms. */
  flowFile: string;
  flow: Loaded;
  forms: LoadedFile[];
  manifest?: LoadedFile;
  missing: string[];
}

function loadUnit(target: Target): Unit {
  if (target.kind === 'flow') {
    return { flowFile: target.path, flow: loadJson(target.path), forms: [], missing: [] };
  }
  const folder = readTemplateFolder(target.path);
  return {
    flowFile: folder.flow.file,
    flow: folder.flow.loaded,
    forms: folder.forms,
    ...(folder.manifest ? { manifest: folder.manifest } : {}),
    missing: folder.missing,
  };
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  v !== null && typeof v === 'object' && !Array.isArray(v);

/** A template's flow with the forms of its `forms/` folder added (as the store's import does). */
function withFolderForms(
  flow: Record<string, unknown>,
  forms: LoadedFile[],
): Record<string, unknown> {
  const inline = Array.isArray(flow.forms) ? flow.forms : [];
  const ids = new Set(inline.map((f) => (isObject(f) ? f.id : undefined)));
  const extra = forms.flatMap(({ loaded: l }) => {
    if (!l.ok || !isObject(l.value) || ids.has(l.value.id)) return [];
    const { $schema: _schema, ...form } = l.value;
    return [form];
  });
  return { ...flow, forms: [...inline, ...extra] };
}

export async function run(ctx: CommandContext): Promise<number> {
  const parsed = parseCommandArgs(ctx, { json: { type: 'boolean' } });
  if (!parsed) return 2;
  if (parsed.positionals.length === 0) {
    fail(ctx.lang, '请指定要检查的文件或文件夹', 'name at least one file or folder to validate');
    return 2;
  }
  const targets: Target[] = [];
  for (const p of parsed.positionals) collectTargets(resolve(ctx.cwd, p), targets);
  const units = targets.map(loadUnit);

  // Subflows resolve against every flow named on the command line, with the
  // forms of its folder folded in, so the call is checked against the child's
  // start form and channels too.
  const flows = units.flatMap((u) =>
    u.flow.ok && isObject(u.flow.value) ? [withFolderForms(u.flow.value, u.forms)] : [],
  );
  const resolveSubflow = (ref: { key: string; version?: number }) =>
    flows.find(
      (f) => f.key === ref.key && (ref.version === undefined || f.version === ref.version),
    ) ?? false;

  const problems: FileProblem[] = [];
  let unreadable = false;
  const add = (file: string, list: Problem[]) => {
    for (const p of list) problems.push({ ...p, file: relative(ctx.cwd, file) || basename(file) });
  };
  const loaded = (file: string, l: Loaded): unknown => {
    if (l.ok) return l.value;
    unreadable = true;
    add(file, [l.problem]);
    return undefined;
  };
  for (const unit of units) {
    const formDefs = unit.forms.flatMap(({ file, loaded: l }) => {
      const value = loaded(file, l);
      if (value === undefined) return [];
      add(file, checkForm(value));
      return isObject(value) && typeof value.id === 'string'
        ? [{ id: value.id, schema: value.schema }]
        : [];
    });
    for (const file of unit.missing) {
      add(join(resolve(unit.flowFile, '..'), file), [
        {
          ...problem('template.missingFile', '', { file }),
          severity: file === 'README.md' ? 'warning' : 'error',
        },
      ]);
    }
    const flow = loaded(unit.flowFile, unit.flow);
    if (flow !== undefined)
      add(unit.flowFile, checkFlow(flow, { forms: formDefs, resolveSubflow }));
    if (unit.manifest) {
      const manifest = loaded(unit.manifest.file, unit.manifest.loaded);
      if (manifest !== undefined) add(unit.manifest.file, checkTemplateManifest(manifest, flow));
    }
  }

  const lang = ctx.lang;
  const errors = problems.filter((p) => p.severity === 'error').length;
  const warnings = problems.length - errors;
  if (parsed.values.json) {
    const report = {
      ok: errors === 0,
      problems: problems.map((p) => ({
        file: p.file,
        pointer: p.pointer,
        code: p.code,
        severity: p.severity,
        message: localize(p.message, lang),
      })),
    };
    process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
  } else {
    for (const p of problems) {
      const prefix =
        p.severity === 'warning' ? localize({ 'zh-CN': '警告：', en: 'warning: ' }, lang) : '';
      console.log(`${p.file} ${p.pointer || '""'} ${p.code} ${prefix}${localize(p.message, lang)}`);
    }
    const files = units.length;
    console.error(
      localize(
        {
          'zh-CN': `检查了 ${files} 个流程：${errors} 个错误，${warnings} 个警告`,
          en: `checked ${files} flow(s): ${errors} error(s), ${warnings} warning(s)`,
        },
        lang,
      ),
    );
  }
  if (unreadable) return 2;
  return errors > 0 ? 1 : 0;
}
