import { type Lang, localize } from '@lianxin/spec';

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
