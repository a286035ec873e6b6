import type { Lang } from '@lianxin/spec';
import { createContext, useContext } from 'react';

export const LangContext = createContext<{ lang: Lang; setLang: (l: Lang) => void }>({
  lang: 'zh-CN',
  setLang: () => {},
});
export const useLang = () => useContext(LangContext);

/** Picks the UI language's text. */
export const tr = (lang: Lang, zh: string, en: string) => (lang === 'en' ? en : zh);

const KEY = 'lianxin.lang';
export function savedLang(): Lang {
  try {
    return localStorage.getItem(KEY) === 'en' ? 'en' : 'zh-CN';
  } catch {
    return 'zh-CN';
  }
}
export function saveLang(lang: Lang) {
  try {
    localStorage.setItem(KEY, lang);
  } catch {
    // Private mode: the choice lasts for this page only.
  }
}
