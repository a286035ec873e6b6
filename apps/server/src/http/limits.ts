import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ApiErrorCode } from '@lianxin/api';

/** What one request may carry; every field is configurable (see config.ts and docs/server.md). */
export interface RequestLimits {
  /** Bytes of a tRPC (JSON) request body. */
  maxJsonBytes: number;
  /** Nesting of arrays and objects in a request's JSON. */
  maxDepth: number;
  /** Characters of any one string (object keys included); a form may set a smaller maxLength. */
  maxStringChars: number;
  /** Items of one array, and keys of one object. */
  maxItems: number;
  /** Procedures in one batched tRPC request. */
  maxBatch: number;
}

export const DEFAULT_LIMITS: RequestLimits = {
  maxJsonBytes: 1024 * 1024,
  maxDepth: 64,
  maxStringChars: 20_000,
  maxItems: 10_000,
  maxBatch: 20,
};

/** Why a request's content was refused: an API error code, its parameters and where (JSON pointer). */
export interface Refusal {
  code: ApiErrorCode;
  params: Record<string, string | number>;
  pointer: string;
}

const pointerPart = (key: string | number) =>
  String(key).replaceAll('~', '~0').replaceAll('/', '~1');

/**
 * Text PostgreSQL cannot store (NUL) or that is not Unicode (a lone
 * surrogate half). SQLite would take both, so refusing them here makes the
 * two databases behave alike.
 */
export function badText(s: string): boolean {
  return s.includes('\u0000') || LONE_SURROGATE.test(s);
}
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

function checkString(s: string, at: string, limits: RequestLimits): Refusal | undefined {
  if (s.length > limits.maxStringChars) {
    return { code: 'input.tooLong', params: { max: limits.maxStringChars, at }, pointer: at };
  }
  if (badText(s)) return { code: 'input.badText', params: { at }, pointer: at };
  return undefined;
}

/**
 * One walk over a parsed request body: nesting depth, string length, array
 * length, key count and text no database may store. Cheap (each value is
 * visited once, and the walk stops at the first problem) so it runs on
 * every request before any procedure sees the input.
 */
export function inspectInput(
  value: unknown,
  limits: RequestLimits,
  at = '',
  depth = 0,
): Refusal | undefined {
  if (typeof value === 'string') return checkString(value, at, limits);
  if (!value || typeof value !== 'object') return undefined;
  if (depth >= limits.maxDepth) {
    return { code: 'input.tooDeep', params: { max: limits.maxDepth, at }, pointer: at };
  }
  if (Array.isArray(value)) {
    if (value.length > limits.maxItems) {
      return { code: 'input.tooMany', params: { max: limits.maxItems, at }, pointer: at };
    }
    for (let i = 0; i < value.length; i++) {
      const problem = inspectInput(value[i], limits, `${at}/${i}`, depth + 1);
      if (problem) return problem;
    }
    return undefined;
  }
  let keys = 0;
  for (const key in value) {
    if (++keys > limits.maxItems) {
      return { code: 'input.tooMany', params: { max: limits.maxItems, at }, pointer: at };
    }
    const here = `${at}/${pointerPart(key)}`;
    const problem =
      checkString(key, here, limits) ??
      inspectInput((value as Record<string, unknown>)[key], limits, here, depth + 1);
    if (problem) return problem;
  }
  return undefined;
}

/** A request body over its limit; thrown as soon as the limit is passed. */
export class BodyTooLarge extends Error {
  constructor(readonly limit: number) {
    super(`request body over ${limit} bytes`);
    this.name = 'BodyTooLarge';
  }
}

/**
 * Reads a body up to `max` bytes. A declared Content-Length over the limit is
 * refused before reading; otherwise the count runs while the body streams, so
 * an endless body costs at most `max` bytes of memory.
 */
export function readBody(req: IncomingMessage, max: number): Promise<Buffer> {
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > max) return Promise.reject(new BodyTooLarge(max));
  // Events, not `for await`: this runs on every write request.
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > max) {
        req.off('data', onData);
        req.off('end', onEnd);
        reject(new BodyTooLarge(max));
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = () =>
      resolve(chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks));
    req.on('data', onData);
    req.on('end', onEnd);
    req.once('error', reject);
  });
}

/** "1 MB", "512 KB": a limit as people read it. */
export function sizeText(bytes: number): string {
  return bytes >= 1024 * 1024 && bytes % (1024 * 1024) === 0
    ? `${bytes / 1024 / 1024} MB`
    : `${Math.ceil(bytes / 1024)} KB`;
}

/**
 * Sends a refusal for a request whose body is still arriving and closes the
 * connection: the rest is discarded, not buffered, and the socket is cut a
 * second after the answer so a client that keeps sending cannot hold it.
 */
export function answerAndClose(
  req: IncomingMessage,
  res: ServerResponse,
  status: number,
  body: string,
  headers: Record<string, string> = {},
): void {
  if (!res.headersSent) {
    res.writeHead(status, {
      'content-type': 'application/json; charset=utf-8',
      'content-length': Buffer.byteLength(body),
      connection: 'close',
      ...headers,
    });
  }
  // Node detaches the socket from the request once the answer is sent.
  const socket = req.socket;
  if (socket) {
    // A lingering close. After a `Connection: close` answer Node destroys the
    // socket at once, and closing with unread input sends a reset that can
    // destroy the answer before the client reads it. Half-close instead and
    // keep discarding input until the timer below.
    socket.destroySoon = () => {
      socket.end();
    };
  }
  res.end(body);
  req.resume();
  if (!socket || socket.destroyed) return;
  // Cutting at once could reset the socket before the client reads the answer.
  const cut = setTimeout(() => socket.destroy(), 1000);
  cut.unref();
  socket.once('close', () => clearTimeout(cut));
}

/**
 * Headers on every answer. The web app loads only its own scripts and
 * styles; antd writes inline styles (`'unsafe-inline'` for styles only) and
 * the form validator (ajv) compiles JSON schemas into functions
 * (`'unsafe-eval'`); no inline or foreign script runs. No page may frame it
 * (a framed login form is a clickjacking target).
 */
export const SECURITY_HEADERS: Record<string, string> = {
  'content-security-policy': [
    "default-src 'self'",
    "script-src 'self' 'unsafe-eval'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    "connect-src 'self'",
    "worker-src 'self' blob:",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; '),
  'x-frame-options': 'DENY',
  'referrer-policy': 'same-origin',
  'x-content-type-options': 'nosniff',
};

/**
 * The header a cross-site HTML form cannot send: uploads carry it, and tRPC
 * calls that write must be `application/json`, which a form cannot send either.
 */
export const CSRF_HEADER = 'x-lianxin-csrf';
