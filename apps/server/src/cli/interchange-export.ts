import { statSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { exportBpmn } from '@lianxin/interchange';
import { checkFlow, type FlowDefinitionInput, localize } from '@lianxin/spec';
import { configFromEnv } from '../config';
import { isTemplateFolder, loadJson, readTemplateFolder } from '../files';
import type { CommandContext } from './main';
import { openCheckedStore } from './open';
import { fail, parseCommandArgs } from './output';

/** A flow file, or a template folder with its forms folded in. */
function flowFromFiles(path: string): { flow?: unknown; error?: { 'zh-CN': string; en: string } } {
  if (isTemplateFolder(path)) {
    const folder = readTemplateFolder(path);
    if (!folder.flow.loaded.ok) return { error: folder.flow.loaded.problem.message };
    const flow = folder.flow.loaded.value as FlowDefinitionInput;
    const forms = folder.forms.flatMap((f) => (f.loaded.ok ? [f.loaded.value] : []));
    return { flow: { ...flow, forms: [...(flow.forms ?? []), ...forms] } };
  }
  const loaded = loadJson(path);
  return loaded.ok ? { flow: loaded.value } : { error: loaded.problem.message };
}

/** The newest published version of the flow with this key (its draft when none is published). */
async function flowFromDatabase(key: string, jurisdiction: string): Promise<unknown> {
  const store = await openCheckedStore(configFromEnv(process.env, process.cwd()));
  try {
    const row = await store.flowByKey(jurisdiction, key);
    if (!row) return undefined;
    if (row.latestVersion > 0)
      return store.database.read((db) => store.definition(db, row.id, row.latestVersion));
    return row.draft ?? undefined;
  } finally {
    await store.database.close();
  }
}

/**
 * `export --bpmn <flowKey|flow.json|template-folder> [--out file.bpmn] [--jurisdiction code]`:
 * writes the flow as BPMN 2.0 XML with its diagram; what BPMN cannot say
 * goes in `lianxin:` extension elements, so `lianxin import` gives it back.
 */
export async function run(ctx: CommandContext): Promise<number> {
  const parsed = parseCommandArgs(ctx, {
    bpmn: { type: 'string' },
    out: { type: 'string' },
    jurisdiction: { type: 'string' },
  });
  if (!parsed) return 2;
  const source = parsed.values.bpmn ?? parsed.positionals[0];
  if (!source) {
    fail(
      ctx.lang,
      '用法：lianxin export --bpmn <流程标识|flow.json|模板文件夹> [--out 文件.bpmn]',
      'usage: lianxin export --bpmn <flowKey|flow.json|template-folder> [--out file.bpmn]',
    );
    return 2;
  }
  const path = resolve(ctx.cwd, source);
  let flow: unknown;
  if (statSync(path, { throwIfNoEntry: false })) {
    const read = flowFromFiles(path);
    if (read.error) {
      fail(ctx.lang, `${source}：${read.error['zh-CN']}`, `${source}: ${read.error.en}`);
      return 2;
    }
    flow = read.flow;
  } else {
    const jurisdiction = parsed.values.jurisdiction;
    if (!jurisdiction) {
      fail(
        ctx.lang,
        `找不到文件 “${source}”；按流程标识从数据库导出时请用 --jurisdiction 指定辖区`,
        `no file "${source}"; to export a flow by key from the database, give its --jurisdiction`,
      );
      return 2;
    }
    flow = await flowFromDatabase(source, jurisdiction);
    if (!flow) {
      fail(
        ctx.lang,
        `辖区 ${jurisdiction} 没有流程 “${source}”`,
        `jurisdiction ${jurisdiction} has no flow "${source}"`,
      );
      return 2;
    }
  }
  const errors = checkFlow(flow).filter((p) => p.severity === 'error');
  if (errors.length) {
    for (const p of errors)
      console.error(`✗ ${p.pointer || '/'}: ${localize(p.message, ctx.lang)}`);
    fail(ctx.lang, '流程有错误，未导出', 'the flow has errors; not exported');
    return 1;
  }
  const xml = await exportBpmn(flow as FlowDefinitionInput);
  if (parsed.values.out) {
    writeFileSync(resolve(ctx.cwd, parsed.values.out), xml);
    console.error(
      localize(
        { 'zh-CN': `已写入 ${parsed.values.out}`, en: `wrote ${parsed.values.out}` },
        ctx.lang,
      ),
    );
  } else process.stdout.write(`${xml}\n`);
  return 0;
}
