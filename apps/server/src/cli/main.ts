#!/usr/bin/env -S npx tsx
// The `lianxin` command: `pnpm lianxin <command> [args]`.
import { detectLang, fail, type Lang } from './output';

export interface CommandContext {
  args: string[];
  lang: Lang;
  cwd: string;
}

/** Each command lives in its own module; it returns the process exit status. */
const COMMANDS: Record<
  string,
  { summary: string; load: () => Promise<{ run(ctx: CommandContext): Promise<number> }> }
> = {
  validate: {
    summary: 'validate <file-or-folder>... [--json] [--lang zh-CN|en]  检查流程文件和模板文件夹',
    load: () => import('./validate'),
  },
  simulate: {
    summary:
      'simulate <flow.json|template-folder> --script <script.json>  按脚本模拟运行流程 (simulate a flow)',
    load: () => import('./simulate'),
  },
  serve: {
    summary:
      'serve [--port 3000] [--host 127.0.0.1] [--demo]  启动服务（--demo：空库时写入演示数据）',
    load: () => import('./serve'),
  },
  migrate: {
    summary: 'migrate  升级数据库结构（SQLite 文件或 DATABASE_URL）',
    load: () => import('./migrate'),
  },
  seed: {
    summary: 'seed --demo [--force]  写入演示数据（辖区、用户、模板、案件）',
    load: () => import('./seed'),
  },
  key: {
    summary:
      'key status | key rotate [--batch 500] | key prune | key new  查看密钥 / 在线轮换密钥并重新加密 / 删除已停用的密钥 / 生成新密钥',
    load: () => import('./key'),
  },
  backup: {
    summary: 'backup <dir>  备份数据库和附件（含清单与校验和，不含密钥）',
    load: () => import('./backup'),
  },
  restore: {
    summary: 'restore <dir> [--force]  从备份恢复到空数据库（核对清单、校验和与密钥指纹）',
    load: () => import('./restore'),
  },
  verify: {
    summary: 'verify [--json]  核验数据：案件与事件重放一致、附件哈希、审计链、密文可解密',
    load: () => import('./verify'),
  },
  import: {
    summary:
      'import <file.bpmn|form.json> [--out <file>] [--role 候选组=角色]... [--jurisdiction <code>]  导入 BPMN 2.0 流程或 form-js / Form.io 表单',
    load: () => import('./interchange-import'),
  },
  export: {
    summary:
      'export --bpmn <flowKey|flow.json|template-folder> [--out <file.bpmn>] [--jurisdiction <code>]  导出为 BPMN 2.0（含布局）',
    load: () => import('./interchange-export'),
  },
  archive: {
    summary:
      'archive --year <年份> [--out <目录>] [--force]  把该年办结的信访事项的事件、附件和文书移入归档文件',
    load: () => import('./archive'),
  },
  'restore-archive': {
    summary: 'restore-archive <归档文件>  把归档文件中的数据恢复到数据库（可重复运行）',
    load: () => import('./restore-archive'),
  },
  kpi: {
    summary: 'kpi rebuild  按案件重新计算看板的 KPI 计数（rebuild the dashboard counters）',
    load: () => import('./kpi'),
  },
  audit: {
    summary:
      'audit verify [--json] | audit prune --days 180  核验审计日志哈希链 / 删除超过保存期的审计记录',
    load: () => import('./audit'),
  },
};

function usage(): string {
  const lines = Object.values(COMMANDS).map((c) => `  lianxin ${c.summary}`);
  return ['用法 Usage:', ...lines].join('\n');
}

async function main(argv: string[]): Promise<number> {
  const [name, ...args] = argv;
  const lang = detectLang(args, process.env);
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    console.log(usage());
    return name ? 0 : 2;
  }
  const command = COMMANDS[name];
  if (!command) {
    fail(lang, `未知命令 “${name}”`, `unknown command "${name}"`);
    console.error(usage());
    return 2;
  }
  const module = await command.load();
  try {
    return await module.run({ args, lang, cwd: process.env.INIT_CWD ?? process.cwd() });
  } catch (error) {
    // A refusal the store explains (a key that does not match the database…): say it, exit 2.
    const bilingual = (error as { bilingual?: { 'zh-CN': string; en: string } } | null)?.bilingual;
    if (!bilingual) throw error;
    fail(lang, bilingual['zh-CN'], bilingual.en);
    return 2;
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    // A bug, not bad input: say so without a stack trace unless asked for one.
    const detail = error instanceof Error ? error.message : String(error);
    console.error(`内部错误 internal error: ${detail}`);
    if (process.env.LIANXIN_DEBUG) console.error(error);
    process.exitCode = 70;
  },
);
