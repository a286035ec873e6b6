import type { Lang } from '@lianxin/spec';
import { lazy, Suspense, useCallback, useEffect, useMemo, useState } from 'react';
import { LangContext, savedLang, saveLang } from '../../i18n';
import type { PublicRoute } from '../../router';

/** The intake form, with the shared validation (ajv): loaded with its route. */
const IntakePage = lazy(() => import('./IntakePage').then((m) => ({ default: m.IntakePage })));
/** The tracking page keeps antd (steps, rating): it loads with its route, never with the form. */
const TrackRoute = lazy(() => import('./TrackRoute').then((m) => ({ default: m.TrackRoute })));

/**
 * The citizen's side (#/intake, #/track) without the staff app: no sign-in,
 * no antd shell, no designer. main.tsx opens it for public routes (it is
 * part of the first script, a few hundred bytes), so a phone scanning the QR
 * code downloads the intake form and little else, and #/track not the form.
 */
export function PublicApp({ route }: { route: PublicRoute }) {
  const [lang, setLangRaw] = useState<Lang>(savedLang);
  const setLang = useCallback((l: Lang) => {
    saveLang(l);
    setLangRaw(l);
  }, []);
  useEffect(() => {
    document.documentElement.lang = lang;
  }, [lang]);
  const ctx = useMemo(() => ({ lang, setLang }), [lang, setLang]);
  return (
    <LangContext.Provider value={ctx}>
      <Suspense fallback={null}>
        {route.page === 'intake' ? (
          <IntakePage flowKey={route.flowKey} jurisdiction={route.jurisdiction} />
        ) : (
          <TrackRoute {...(route.code ? { initialCode: route.code } : {})} />
        )}
      </Suspense>
    </LangContext.Provider>
  );
}
