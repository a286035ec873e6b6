import type { Lang } from '@lianxin/spec';

/** Picks the text for the UI language (every designer string is written in both). */
export const tr = (lang: Lang, zh: string, en: string): string => (lang === 'en' ? en : zh);
