import { resolve } from 'node:path';
import { openStore } from '../app';
import { configFromEnv } from '../config';
import { createLogger } from '../log';
import { DEMO_PASSWORD, seedDemo } from '../seed';
import type { CommandContext } from './main';

/** `seed --demo [--force]`: demo jurisdictions, users, templates and cases. */
export async function run(ctx: CommandContext): Promise<number> {
  if (!ctx.args.includes('--demo')) {
    console.error(
      ctx.lang === 'en'
        ? 'usage: lianxin seed --demo [--force]'
        : '用法：lianxin seed --demo [--force]',
    );
    return 2;
  }
  const config = configFromEnv(process.env, ctx.cwd);
  const log = createLogger({ level: config.logLevel });
  const store = await openStore(config);
  try {
    if ((await store.countUsers()) > 0 && !ctx.args.includes('--force')) {
      console.error(
        ctx.lang === 'en'
          ? 'the database already has users; use --force to add the demo data anyway'
          : '数据库中已有用户；如仍要写入演示数据，请加 --force',
      );
      return 1;
    }
    const report = await seedDemo(store, {
      templatesDir: resolve(import.meta.dirname, '../../../../templates'),
      log,
    });
    console.log(
      ctx.lang === 'en'
        ? `seeded ${report.cases} cases (${report.transitions} transitions), ${report.users} users, templates: ${report.templates.join(', ')}; demo password ${DEMO_PASSWORD}`
        : `已写入 ${report.cases} 件信访事项（${report.transitions} 次流转）、${report.users} 个用户，模板：${report.templates.join('、')}；演示密码 ${DEMO_PASSWORD}`,
    );
    return 0;
  } finally {
    await store.database.close();
  }
}
