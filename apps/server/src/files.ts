import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { type Problem, problem } from '@lianxin/spec';

/** A JSON file as read from disk: its value, or the located problem that stopped it. */
export type Loaded = { ok: true; value: unknown } | { ok: false; problem: Problem };
export interface LoadedFile {
  file: string;
  loaded: Loaded;
}

/** Reads and parses a JSON file; syntax errors are located by line and column. */
export function loadJson(path: string): Loaded {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? '';
    const [detail, detailZh] =
      code === 'ENOENT'
        ? ['no such file', '文件不存在']
        : code === 'EISDIR'
          ? ['it is a folder', '这是一个文件夹']
          : [code || String(error), code || String(error)];
    return { ok: false, problem: problem('file.unreadable', '', { detail, detailZh }) };
  }
  try {
    return { ok: true, value: JSON.parse(text.replace(/^\uFEFF/, '')) };
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    const position = Number(/position (\d+)/.exec(detail)?.[1] ?? text.length);
    const before = text.slice(0, position).split('\n');
    const line = before.length;
    const column = (before[before.length - 1]?.length ?? 0) + 1;
    return {
      ok: false,
      problem: problem('json.syntax', '', {
        line,
        column,
        detail: detail.replace(/ in JSON at position \d+.*$/, ''),
      }),
    };
  }
}

/** The files of a template folder (see docs/formats.md), each read but not yet checked. */
export interface TemplateFolderFiles {
  dir: string;
  flow: LoadedFile;
  manifest?: LoadedFile;
  forms: LoadedFile[];
  scenarios: LoadedFile[];
  readme?: string;
  /** Expected files that are not there. */
  missing: Array<'template.json' | 'README.md'>;
}

/** A folder holding `template.json` or `flow.json` is a template folder. */
export function isTemplateFolder(path: string): boolean {
  return (
    statSync(path, { throwIfNoEntry: false })?.isDirectory() === true &&
    (existsSync(join(path, 'template.json')) || existsSync(join(path, 'flow.json')))
  );
}

function jsonFiles(dir: string): LoadedFile[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => ({ file: join(dir, f), loaded: loadJson(join(dir, f)) }));
}

export function readTemplateFolder(dir: string): TemplateFolderFiles {
  const flowFile = join(dir, 'flow.json');
  const manifestFile = join(dir, 'template.json');
  const readmeFile = join(dir, 'README.md');
  const folder: TemplateFolderFiles = {
    dir,
    flow: { file: flowFile, loaded: loadJson(flowFile) },
    forms: jsonFiles(join(dir, 'forms')),
    scenarios: jsonFiles(join(dir, 'scenarios')),
    missing: [],
  };
  if (existsSync(manifestFile))
    folder.manifest = { file: manifestFile, loaded: loadJson(manifestFile) };
  else folder.missing.push('template.json');
  if (existsSync(readmeFile)) folder.readme = readFileSync(readmeFile, 'utf8');
  else folder.missing.push('README.md');
  return folder;
}
