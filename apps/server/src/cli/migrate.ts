import { configFromEnv } from '../config';
import type { CommandContext } from './main';
import { openChecked } from './open';

/**
 * `migrate`: brings the database (SQLite file or DATABASE_URL) to the current
 * schema, refusing one whose key is not the configured one.
 */
export async function run(ctx: CommandContext): Promise<number> {
  const config = configFromEnv(process.env, ctx.cwd);
  const { database } = await openChecked(config);
  try {
    console.log(
      ctx.lang === 'en'
        ? `database is up to date: ${database.description}`
        : `数据库已是最新结构：${database.description}`,
    );
    return 0;
  } finally {
    await database.close();
  }
}
