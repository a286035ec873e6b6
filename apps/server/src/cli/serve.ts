import { resolve } from 'node:path';
import { openStore, type RunningServer, startServer } from '../app';
import { configFromEnv } from '../config';
import { createLogger, describeError } from '../log';
import { DEMO_ACCOUNTS, DEMO_PASSWORD, seedDemo } from '../seed';
import type { CommandContext } from './main';

function option(args: string[], name: string): string | undefined {
  const i = args.findIndex((a) => a === name || a.startsWith(`${name}=`));
  if (i < 0) return undefined;
  return args[i]?.includes('=') ? args[i]?.split('=').slice(1).join('=') : args[i + 1];
}

/**
 * `serve [--port N] [--host H] [--demo]`: migrates, optionally seeds the demo
 * data into an empty database, then serves until SIGINT/SIGTERM.
 */
export async function run(ctx: CommandContext): Promise<number> {
  const env = { ...process.env };
  const port = option(ctx.args, '--port');
  const host = option(ctx.args, '--host');
  if (port) env.PORT = port;
  if (host) env.HOST = host;
  const config = configFromEnv(env, ctx.cwd);
  const log = createLogger({ level: config.logLevel, base: { pid: process.pid } });
  const store = await openStore(config);
  log.info('database ready', { database: store.database.description });
  if (ctx.args.includes('--demo')) {
    if ((await store.countUsers()) === 0) {
      log.info('empty database: seeding demo data');
      await seedDemo(store, {
        templatesDir: resolve(import.meta.dirname, '../../../../templates'),
        log,
      });
    } else {
      log.info('database has users: demo data not seeded');
    }
  }
  let running: RunningServer;
  try {
    running = await startServer(store, config, log);
  } catch (error) {
    log.error('server did not start', describeError(error));
    await store.database.close();
    return 1;
  }
  log.info('listening', { url: running.url, web: config.webDist });
  const zh = ctx.lang === 'zh-CN';
  console.log(
    `\n${zh ? '连心已启动，请在浏览器打开' : 'Lianxin is running; open'}  ${running.url}/`,
  );
  if (ctx.args.includes('--demo')) {
    console.log(
      zh ? `演示账号（密码均为 ${DEMO_PASSWORD}）：` : `Demo accounts (password ${DEMO_PASSWORD}):`,
    );
    for (const a of DEMO_ACCOUNTS) console.log(`  ${a.username.padEnd(22)} ${a.where}`);
    console.log(
      zh
        ? '  其他区县同样有 <区县>-<角色> 账号，例如 kaiping-receptionist、heshan-admin'
        : '  every county has <county>-<role> accounts too, e.g. kaiping-receptionist, heshan-admin',
    );
  }
  return new Promise<number>((resolvePromise) => {
    const shutdown = (signal: string) => {
      log.info('shutting down', { signal });
      running.close().then(
        () => resolvePromise(0),
        (error) => {
          log.error('shutdown failed', describeError(error));
          resolvePromise(1);
        },
      );
    };
    process.once('SIGINT', () => shutdown('SIGINT'));
    process.once('SIGTERM', () => shutdown('SIGTERM'));
  });
}
