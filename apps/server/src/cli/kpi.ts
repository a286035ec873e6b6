import { rebuildKpiCounters } from '@lianxin/store';
import { configFromEnv } from '../config';
import type { CommandContext } from './main';
import { openChecked } from './open';
import { fail, parseCommandArgs } from './output';

/**
 * `kpi rebuild`: recomputes the KPI counters the dashboards read
 * (`kpi_counters`, docs/stats.md) from the case rows, in one transaction, so
 * the figures equal a recount again after a repair made by hand in the
 * database. Servers may keep running: on PostgreSQL the rebuild holds the
 * counter tables, and transitions wait for it.
 */
export async function run(ctx: CommandContext): Promise<number> {
  const parsed = parseCommandArgs(ctx, {});
  if (!parsed) return 2;
  const [sub] = parsed.positionals;
  if (sub !== 'rebuild' || parsed.positionals.length !== 1) {
    fail(ctx.lang, '用法：lianxin kpi rebuild', 'usage: lianxin kpi rebuild');
    return 2;
  }
  const config = configFromEnv(process.env, ctx.cwd);
  const { database } = await openChecked(config);
  try {
    const started = Date.now();
    const { rows, cases } = await rebuildKpiCounters(database);
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    console.log(
      ctx.lang === 'en'
        ? `KPI counters rebuilt from ${cases} case(s): ${rows} counter row(s) in ${seconds} s`
        : `已按 ${cases} 件信访事项重新计算 KPI 计数：${rows} 行，用时 ${seconds} 秒`,
    );
    return 0;
  } finally {
    await database.close();
  }
}
