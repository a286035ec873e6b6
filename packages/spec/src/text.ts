import * as z from 'zod';

/** Languages every user-facing string is written in; zh-CN is required, en optional. */
export const LANGS = ['zh-CN', 'en'] as const;
export type Lang = (typeof LANGS)[number];

export const LocalizedText = z
  .strictObject({
    'zh-CN': z.string().min(1),
    en: z.string().min(1).optional(),
  })
  .meta({
    id: 'LocalizedText',
    description: 'A string shown to a person: zh-CN is required, en is optional.',
  });
export type LocalizedText = z.infer<typeof LocalizedText>;

/** A message in both languages, as the checker and the engine report them. */
export interface Bilingual {
  'zh-CN': string;
  en: string;
}

/** Picks the text for a language, falling back to zh-CN. */
export function localize(text: LocalizedText | Bilingual, lang: Lang): string {
  return (lang === 'en' ? text.en : undefined) ?? text['zh-CN'];
}
