import type { Lang } from '@lianxin/spec';
import type { Me } from '../../backend';
import { tr } from '../../i18n';
import { type Api, pick } from '../workbench/api';

export type YearsAnswer = Awaited<ReturnType<Api['calendars']['years']['query']>>;
export type CalendarYearView = YearsAnswer['years'][number];
export type ParsedNotice = Awaited<ReturnType<Api['calendars']['parseNotice']['mutate']>>;
export type DraftYear = ParsedNotice['year'];
export type Preview = Awaited<ReturnType<Api['calendars']['preview']['mutate']>>;
export type Published = Awaited<ReturnType<Api['calendars']['publish']['mutate']>>;
export type Coverage = Awaited<ReturnType<Api['calendars']['coverage']['query']>>;

/** This year in Beijing. */
export const currentYear = () => new Date(Date.now() + 8 * 3_600_000).getUTCFullYear();

/** A jurisdiction's name from the tree (or the user's memberships); never its code on screen. */
export function jurisdictionNamer(
  tree: { code: string; name: unknown }[],
  memberships: Me['memberships'],
  lang: Lang,
): (code: string) => string {
  return (code) => {
    const known = tree.find((j) => j.code === code)?.name;
    if (known) return pick(known, lang);
    const mine = memberships.find((m) => m.jurisdiction === code)?.jurisdictionName;
    if (mine) return pick(mine, lang);
    return tr(lang, '上级机关', 'the office above');
  };
}

/** A year's local days off in force (of this jurisdiction and those above it), date → name. */
export function localDaysOf(view: CalendarYearView | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const l of view?.localDays ?? []) Object.assign(out, l.days);
  return out;
}

/**
 * The year without its local days: the store folds them into `holidays`
 * (that is what deadlines count), the screen draws them apart.
 */
export function withoutLocalDays<T extends CalendarYearView | undefined>(view: T): T {
  if (!view?.localDays?.length) return view;
  const local = localDaysOf(view);
  const holidays = Object.fromEntries(Object.entries(view.holidays).filter(([d]) => !(d in local)));
  return { ...view, holidays };
}
