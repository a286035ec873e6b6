import { createHash } from 'node:crypto';
import type { Lang } from '@lianxin/spec';
import type { MembershipRow, Store, UserRow } from '@lianxin/store';
import { JurisdictionTree } from './permissions';
import { RateLimiter } from './rate-limit';

/** Long-lived things every request shares. */
export interface Services {
  store: Store;
  /**
   * Failed sign-ins allowed per user name and per address within the window;
   * counted in the database, so the limit holds across servers.
   */
  login: { attempts: number; windowMs: number };
  /** Public intake submissions per IP. */
  intakeLimiter: RateLimiter;
  sessionTtlMs: number;
  tree: JurisdictionTree;
  /**
   * Sessions looked up in the last few seconds, so a busy client does not cost
   * two queries per request. Logout and user changes clear entries here; on
   * another server a revoked session lives at most `SESSION_CACHE_MS` longer.
   */
  sessionCache: Map<string, { info: SessionInfo; until: number }>;
}

export const SESSION_CACHE_MS = 5_000;

export function createServices(store: Store, options: { loginAttempts?: number } = {}): Services {
  return {
    store,
    login: { attempts: options.loginAttempts ?? 10, windowMs: 5 * 60_000 },
    intakeLimiter: new RateLimiter(30, 60 * 60_000),
    sessionTtlMs: 12 * 3_600_000,
    tree: new JurisdictionTree(store),
    sessionCache: new Map(),
  };
}

export interface SessionInfo {
  user: UserRow;
  memberships: MembershipRow[];
  tokenHash: string;
}

/** What the HTTP layer lets procedures do to the response. */
export interface CookieJar {
  setSession(token: string, maxAgeMs: number): void;
  clearSession(): void;
}

export interface InnerContextInput {
  services: Services;
  session: SessionInfo | null;
  lang?: Lang;
  ip?: string;
  cookies?: CookieJar;
}

export const SESSION_COOKIE = 'lianxin_session';

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** The context without HTTP: tests build it directly and call routers through `createCaller`. */
export function createContextInner(input: InnerContextInput) {
  return {
    services: input.services,
    store: input.services.store,
    session: input.session,
    lang: input.lang ?? ('zh-CN' as Lang),
    ip: input.ip ?? 'local',
    cookies: input.cookies ?? { setSession() {}, clearSession() {} },
  };
}
export type Context = ReturnType<typeof createContextInner>;

/** Looks the session cookie up; used by the HTTP adapter. */
export async function sessionFromToken(
  services: Services,
  token: string | undefined,
): Promise<SessionInfo | null> {
  if (!token) return null;
  const tokenHash = hashToken(token);
  const now = Date.now();
  const cached = services.sessionCache.get(tokenHash);
  if (cached && cached.until > now) return cached.info;
  const found = await services.store.session(tokenHash);
  if (!found) {
    services.sessionCache.delete(tokenHash);
    return null;
  }
  const info = { ...found, tokenHash };
  if (services.sessionCache.size > 50_000) services.sessionCache.clear();
  services.sessionCache.set(tokenHash, { info, until: now + SESSION_CACHE_MS });
  return info;
}

export function langFrom(header: string | undefined): Lang {
  if (!header) return 'zh-CN';
  return /^\s*en\b/i.test(header) ? 'en' : 'zh-CN';
}
