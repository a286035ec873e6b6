import { resealPlainValues, Store, systemClock } from '@lianxin/store';
import { configFromEnv } from '../config';
import type { CommandContext } from './main';
import { openChecked } from './open';

/**
 * `migrate`: brings the database (SQLite file or DATABASE_URL) to the current
 * schema, refusing one whose key is not the configured one, then seals the
 * values older rows hold in plain text at fields now marked sensitive.
 */
export async function run(ctx: CommandContext): Promise<number> {
  const config = configFromEnv(process.env, ctx.cwd);
  const { database, vault } = await openChecked(config);
  try {
    console.log(
      ctx.lang === 'en'
        ? `database is up to date: ${database.description}`
        : `数据库已是最新结构：${database.description}`,
    );
    // Values written before their field was marked sensitive are sealed now (idempotent).
    if (vault) {
      const sealed = await resealPlainValues(new Store(database, vault, systemClock));
      console.log(
        ctx.lang === 'en'
          ? `sensitive values sealed: ${sealed.events} event(s) in ${sealed.cases} case(s)`
          : `已加密敏感字段：${sealed.cases} 件事项的 ${sealed.events} 条事件`,
      );
    }
    return 0;
  } finally {
    await database.close();
  }
}
