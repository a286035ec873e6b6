import { createHash } from 'node:crypto';
import type { Lang } from '@lianxin/spec';
import type { MembershipRow, Store, UserRow } from '@lianxin/store';
import { JurisdictionTree } from './permissions';

/** Long-lived things every request shares. */
export interface Services {
  store: Store;
  /**
   * Sign-in tries, counted in the database before the password is checked, so
   * the limits hold across servers and against requests racing each other.
   * `attempts` per address within `windowMs`: a locked address locks only
   * itself. `accountAttempts` per account within `accountWindowMs` from
   * addresses the account never signed in from (see `Store.markKnown`): an
   * account under attack from many addresses is slowed for a few minutes, and
   * its owner at a known address still gets in.
   */
  login: { attempts: number; windowMs: number; accountAttempts: number; accountWindowMs: number };
  /** Wrong phone numbers for a tracking code, per code and per address, within the window. */
  track: { perCode: number; perAddress: number; windowMs: number };
  /**
   * Public intake submissions, and petitioners' photos apart, per address within the
   * window, counted in the database (`Store.takeAttempt`) so every server shares the count.
   */
  intake: { perAddress: number; windowMs: number };
  /** `cases.repeatHints` look-ups per user within the window, counted in the database. */
  repeatHints: { perUser: number; windowMs: number };
  /** A session unused this long is refused; each request extends it. */
  sessionIdleMs: number;
  /** The longest a session lives after sign-in, however busy. */
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
export const DEFAULT_SESSION_IDLE_MS = 30 * 60_000;

export function createServices(
  store: Store,
  options: { loginAttempts?: number; sessionIdleMs?: number } = {},
): Services {
  const attempts = options.loginAttempts ?? 10;
  return {
    store,
    login: {
      attempts,
      windowMs: 5 * 60_000,
      accountAttempts: 2 * attempts,
      accountWindowMs: 5 * 60_000,
    },
    track: { perCode: 10, perAddress: 30, windowMs: 60 * 60_000 },
    intake: { perAddress: 30, windowMs: 60 * 60_000 },
    repeatHints: { perUser: 60, windowMs: 60 * 60_000 },
    sessionIdleMs: options.sessionIdleMs ?? DEFAULT_SESSION_IDLE_MS,
    sessionTtlMs: 12 * 3_600_000,
    tree: new JurisdictionTree(store),
    sessionCache: new Map(),
  };
}

/** Drops a user's cached sessions on this server (other servers drop theirs within `SESSION_CACHE_MS`). */
export function forgetSessionsOf(services: Services, userId: string): void {
  for (const [hash, entry] of services.sessionCache) {
    if (entry.info.user.id === userId) services.sessionCache.delete(hash);
  }
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
  const now = services.store.clock.now().getTime();
  const cached = services.sessionCache.get(tokenHash);
  if (cached && cached.until > now) return cached.info;
  const found = await services.store.session(tokenHash, {
    idleMs: services.sessionIdleMs,
    maxAgeMs: services.sessionTtlMs,
  });
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
