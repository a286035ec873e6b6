import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import {
  formatProblem,
  type InterchangeProblem,
  importBpmn,
  importForm,
} from '@lianxin/interchange';
import { localize, type Problem } from '@lianxin/spec';
import type { CommandContext } from './main';
import { fail, parseCommandArgs } from './output';

/** Prints import problems and checker problems, located, in the user's language. */
export function printProblems(
  ctx: CommandContext,
  problems: InterchangeProblem[],
  checker: Problem[] = [],
): void {
  for (const p of problems) {
    const mark = p.severity === 'error' ? '✗' : '!';
    console.error(`${mark} ${formatProblem(p, ctx.lang)}`);
  }
  for (const p of checker) {
    const mark = p.severity === 'error' ? '✗' : '!';
    const where = ctx.lang === 'en' ? 'checker' : '检查';
    console.error(
      `${mark} [${where} ${p.code}] ${p.pointer || '/'}: ${localize(p.message, ctx.lang)}`,
    );
  }
}

/**
 * `import <file.bpmn|form.json> [--out <file>] [--role group=role]... [--jurisdiction <code>] [--json]`:
 * reads a BPMN 2.0 file into a Lianxin flow, or a form-js / Form.io form into
 * a Lianxin form, prints what could not be carried over (located by element
 * or component) and writes the result as JSON. Exit 0 when it imported
 * without errors, 1 when the result needs finishing (errors listed), 2 when
 * the file could not be read.
 */
export async function run(ctx: CommandContext): Promise<number> {
  const parsed = parseCommandArgs(ctx, {
    out: { type: 'string' },
    role: { type: 'string', multiple: true },
    jurisdiction: { type: 'string' },
    json: { type: 'boolean' },
  });
  if (!parsed) return 2;
  const [file] = parsed.positionals;
  if (!file) {
    fail(
      ctx.lang,
      '用法：lianxin import <文件.bpmn|表单.json>',
      'usage: lianxin import <file.bpmn|form.json>',
    );
    return 2;
  }
  const path = resolve(ctx.cwd, file);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? '';
    fail(ctx.lang, `无法读取文件 ${file}（${code}）`, `cannot read ${file} (${code})`);
    return 2;
  }
  const roleMap: Record<string, string> = {};
  for (const pair of parsed.values.role ?? []) {
    const at = pair.lastIndexOf('=');
    if (at <= 0) {
      fail(
        ctx.lang,
        `--role 应写作 候选组=角色，收到 “${pair}”`,
        `--role takes group=role, got "${pair}"`,
      );
      return 2;
    }
    roleMap[pair.slice(0, at)] = pair.slice(at + 1);
  }

  let result: unknown;
  let problems: InterchangeProblem[];
  let checker: Problem[] = [];
  if (text.trimStart().startsWith('<')) {
    const imported = await importBpmn(text, {
      roleMap,
      ...(parsed.values.jurisdiction ? { jurisdiction: parsed.values.jurisdiction } : {}),
    });
    result = imported.flow;
    problems = imported.problems;
    checker = imported.checker;
  } else {
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (error) {
      const detail = (error as Error).message;
      fail(
        ctx.lang,
        `${file} 既不是 BPMN（XML）也不是有效的 JSON：${detail}`,
        `${file} is neither BPMN (XML) nor valid JSON: ${detail}`,
      );
      return 2;
    }
    const imported = importForm(json);
    result = imported.form;
    problems = imported.problems;
  }

  if (parsed.values.json) {
    console.log(JSON.stringify({ result, problems, checker }, null, 2));
  } else {
    printProblems(ctx, problems, checker);
    if (result) {
      const body = `${JSON.stringify(result, null, 2)}\n`;
      if (parsed.values.out) {
        writeFileSync(resolve(ctx.cwd, parsed.values.out), body);
        console.error(
          localize(
            {
              'zh-CN': `已写入 ${parsed.values.out}（${problems.length} 条导入提示，${checker.length} 条检查问题）`,
              en: `wrote ${parsed.values.out} (${problems.length} import notes, ${checker.length} checker problems)`,
            },
            ctx.lang,
          ),
        );
      } else process.stdout.write(body);
    }
  }
  if (!result) return 2;
  return [...problems, ...checker].some((p) => p.severity === 'error') ? 1 : 0;
}
