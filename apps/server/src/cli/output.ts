import { type ParseArgsConfig, parseArgs } from 'node:util';
import { type Lang, localize } from '@lianxin/spec';
import type { CommandContext } from './main';

export type { Lang };

/**
 * The terminal's language: `--lang` wins, then LIANXIN_LANG, then the
 * locale variables; Chinese unless the locale says English.
 */
export function detectLang(args: string[], env: NodeJS.ProcessEnv): Lang {
  const flag = args.findIndex((a) => a === '--lang' || a.startsWith('--lang='));
  const value =
    flag >= 0
      ? args[flag]?.includes('=')
        ? args[flag]?.split('=')[1]
        : args[flag + 1]
      : (env.LIANXIN_LANG ?? env.LC_ALL ?? env.LC_MESSAGES ?? env.LANG);
  return value?.toLowerCase().startsWith('en') ? 'en' : 'zh-CN';
}

/** Prints an error for a person, in their language. */
export function fail(lang: Lang, zh: string, en: string): void {
  console.error(localize({ 'zh-CN': zh, en }, lang));
}

type Options = NonNullable<ParseArgsConfig['options']>;

/**
 * Parses a command's arguments (every command also takes `--lang`); on bad
 * arguments says so in the user's language and returns undefined (exit 2).
 */
export function parseCommandArgs<O extends Options>(ctx: CommandContext, options: O) {
  try {
    return parseArgs({
      args: ctx.args,
      allowPositionals: true,
      options: { ...options, lang: { type: 'string' } },
    });
  } catch (error) {
    const detail = (error as Error).message;
    fail(ctx.lang, `参数错误：${detail}`, `bad arguments: ${detail}`);
    return undefined;
  }
}
