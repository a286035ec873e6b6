import { resolve } from 'node:path';
import { MIN_AUDIT_RETENTION_DAYS } from '@lianxin/store';
import { DEFAULT_LIMITS, type RequestLimits } from './http/limits';

export interface ServerConfig {
  /** `postgres://…`, or a SQLite file path. */
  databaseUrl: string;
  dataDir: string;
  host: string;
  port: number;
  keyFile: string;
  webDist: string;
  maxUploadBytes: number;
  /** What one request may carry (body size, nesting, text length, items, batch). */
  limits: RequestLimits;
  secureCookies: boolean;
  /**
   * How many proxies we run stand in front of the server: the client address
   * is taken that many entries from the right of `X-Forwarded-For` (0: the
   * socket's peer, the header ignored).
   */
  trustProxy: number;
  /** A session unused this long is refused. */
  sessionIdleMs: number;
  schedulerIntervalMs: number;
  /** Audit records older than this are removed by the scheduler (等保 2.0: at least 180). */
  auditRetentionDays: number;
  logLevel: 'debug' | 'info' | 'warn' | 'error';
}

/** A limit from the environment; a typo must not turn a limit off (NaN compares false). */
function positive(value: string | undefined, fallback: number): number {
  if (value === undefined || value === '') return fallback;
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) {
    throw new Error(`expected a positive number for a limit, got "${value}"`);
  }
  return n;
}

/** The audit retention in days: 180 unless set; shorter is refused at start, not shortened silently. */
function auditRetention(value: string | undefined): number {
  const days = positive(value, MIN_AUDIT_RETENTION_DAYS);
  if (days < MIN_AUDIT_RETENTION_DAYS)
    throw new Error(
      `LIANXIN_AUDIT_RETENTION_DAYS=${value}: 审计日志至少保存 ${MIN_AUDIT_RETENTION_DAYS} 天 / audit records must be kept at least ${MIN_AUDIT_RETENTION_DAYS} days`,
    );
  return days;
}

/** Reads the configuration from the environment (documented in docs/server.md). */
export function configFromEnv(
  env: NodeJS.ProcessEnv = process.env,
  cwd = process.cwd(),
): ServerConfig {
  const dataDir = resolve(cwd, env.LIANXIN_DATA_DIR ?? 'data');
  const repoRoot = resolve(import.meta.dirname, '../../..');
  return {
    databaseUrl: env.DATABASE_URL || resolve(dataDir, 'lianxin.db'),
    dataDir,
    host: env.HOST ?? '127.0.0.1',
    port: Number(env.PORT ?? 3000),
    keyFile: resolve(cwd, env.LIANXIN_KEY_FILE ?? resolve(dataDir, 'lianxin.key')),
    webDist: resolve(cwd, env.LIANXIN_WEB_DIST ?? resolve(repoRoot, 'apps/web/dist')),
    maxUploadBytes: Number(env.LIANXIN_MAX_UPLOAD_MB ?? 20) * 1024 * 1024,
    limits: {
      maxJsonBytes: positive(env.LIANXIN_MAX_JSON_KB, DEFAULT_LIMITS.maxJsonBytes / 1024) * 1024,
      maxDepth: positive(env.LIANXIN_MAX_DEPTH, DEFAULT_LIMITS.maxDepth),
      maxStringChars: positive(env.LIANXIN_MAX_TEXT_CHARS, DEFAULT_LIMITS.maxStringChars),
      maxItems: positive(env.LIANXIN_MAX_ITEMS, DEFAULT_LIMITS.maxItems),
      maxBatch: positive(env.LIANXIN_MAX_BATCH, DEFAULT_LIMITS.maxBatch),
    },
    secureCookies: env.LIANXIN_SECURE_COOKIES === '1',
    trustProxy: env.LIANXIN_TRUST_PROXY ? Math.floor(positive(env.LIANXIN_TRUST_PROXY, 1)) : 0,
    sessionIdleMs: positive(env.LIANXIN_SESSION_IDLE_MINUTES, 30) * 60_000,
    schedulerIntervalMs: Number(env.LIANXIN_SCHEDULER_MS ?? 1000),
    auditRetentionDays: auditRetention(env.LIANXIN_AUDIT_RETENTION_DAYS),
    logLevel: (env.LIANXIN_LOG_LEVEL as ServerConfig['logLevel']) ?? 'info',
  };
}
