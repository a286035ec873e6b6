import { useSyncExternalStore } from 'react';

/** Hash routes: #/login, #/flows, #/flows/new, #/flows/<id>, #/account/password. The server serves one index.html. */
export type Route =
  | { page: 'login' }
  /** No hash: the signed-in user's home page (see `homePath`). */
  | { page: 'home' }
  | { page: 'flows' }
  | { page: 'newFlow' }
  | { page: 'flow'; flowId: string }
  /** `proposal`: a county proposal to open (from the bell). */
  | { page: 'templates'; proposal?: string }
  | { page: 'upgrade'; flowId: string; toVersion: number }
  | { page: 'workbench' }
  | { page: 'register' }
  | { page: 'search' }
  | { page: 'case'; caseId: string }
  | { page: 'dashboard' }
  | { page: 'audit' }
  | { page: 'admin' }
  | { page: 'calendar' }
  | { page: 'documents' }
  | { page: 'password' }
  | { page: 'intake'; flowKey: string; jurisdiction: string }
  | { page: 'track'; code?: string };

/** A page anyone may open without signing in (the citizen's side). */
export type PublicRoute = Extract<Route, { page: 'intake' | 'track' }>;
/** Pages anyone may open without signing in (the citizen's side): main.tsx opens them without the staff app. */
export const isPublic = (r: Route): r is PublicRoute => r.page === 'intake' || r.page === 'track';

export function parseRoute(hash: string): Route {
  const path = hash.replace(/^#/, '');
  if (path === '' || path === '/') return { page: 'home' };
  if (path === '/login') return { page: 'login' };
  if (path === '/flows/new') return { page: 'newFlow' };
  if (path === '/account/password') return { page: 'password' };
  const [bare = '', query = ''] = path.split('?');
  const params = new URLSearchParams(query);
  if (bare === '/templates') {
    const proposal = params.get('proposal');
    return proposal ? { page: 'templates', proposal } : { page: 'templates' };
  }
  if (bare === '/workbench') return { page: 'workbench' };
  if (bare === '/workbench/register') return { page: 'register' };
  if (bare === '/workbench/search') return { page: 'search' };
  if (bare === '/dashboard') return { page: 'dashboard' };
  if (bare === '/admin/audit') return { page: 'audit' };
  if (bare === '/admin/users') return { page: 'admin' };
  if (bare === '/calendar') return { page: 'calendar' };
  if (bare === '/documents') return { page: 'documents' };
  const c = /^\/workbench\/case\/([^/]+)$/.exec(bare);
  if (c?.[1]) return { page: 'case', caseId: decodeURIComponent(c[1]) };
  const i = /^\/intake\/([^/]+)$/.exec(bare);
  if (i?.[1])
    return {
      page: 'intake',
      flowKey: decodeURIComponent(i[1]),
      jurisdiction: params.get('j') ?? '',
    };
  if (bare === '/track') {
    const code = params.get('code');
    return code ? { page: 'track', code } : { page: 'track' };
  }
  const up = /^\/templates\/upgrade\/([^/]+)\/(\d+)$/.exec(path);
  if (up?.[1] && up[2])
    return { page: 'upgrade', flowId: decodeURIComponent(up[1]), toVersion: Number(up[2]) };
  const m = /^\/flows\/([^/]+)$/.exec(path);
  if (m?.[1]) return { page: 'flow', flowId: decodeURIComponent(m[1]) };
  return { page: 'flows' };
}

/**
 * Where a signed-in user starts: admins (who draw flows) on the flow list, everyone
 * else — receptionists, handlers, leaders, supervisors — on the workbench inbox.
 */
export function homePath(roles: readonly string[]): string {
  return roles.includes('admin') ? '/flows' : '/workbench';
}

/**
 * Before a route change reaches the app, a page may hold it: a cancelable
 * `lianxin:navigate` event (detail: the hashchange) goes first, and a page
 * with unsaved work (the designer) cancels it, puts the address back and
 * asks. Listeners of hashchange itself run in the order they were added, so
 * the page could not act before the app re-rendered without it.
 */
const verdicts = new WeakMap<HashChangeEvent, boolean>();
const subscribe = (cb: () => void) => {
  const onChange = (e: HashChangeEvent) => {
    // Asked once per change, however many components follow the route.
    let go = verdicts.get(e);
    if (go === undefined) {
      go = window.dispatchEvent(
        new CustomEvent('lianxin:navigate', { cancelable: true, detail: e }),
      );
      verdicts.set(e, go);
    }
    if (go) cb();
  };
  window.addEventListener('hashchange', onChange);
  return () => window.removeEventListener('hashchange', onChange);
};

export function useRoute(): Route {
  const hash = useSyncExternalStore(subscribe, () => window.location.hash);
  return parseRoute(hash);
}

export function navigate(path: string) {
  window.location.hash = path;
}
