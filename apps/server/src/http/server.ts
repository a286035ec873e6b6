import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import {
  appRouter,
  clientAddress,
  createContextInner,
  errorIdOf,
  langFrom,
  SESSION_COOKIE,
  type Services,
  sessionFromToken,
} from '@lianxin/api';
import type { TRPCError } from '@trpc/server';
import { createHTTPHandler } from '@trpc/server/adapters/standalone';
import { describeError, type Logger } from '../log';
import { download, errorStatus, upload } from './attachments';
import { documentRefusal, petitionerDocument, staffDocument } from './documents';
import { uploadIntakePhoto } from './intake-photos';
import {
  answerAndClose,
  CSRF_HEADER,
  DEFAULT_LIMITS,
  type RequestLimits,
  SECURITY_HEADERS,
} from './limits';
import { serveStatic } from './static';
import { createTrpcGuard, createTrpcHandler } from './trpc';

export interface HttpOptions {
  services: Services;
  log: Logger;
  dataDir: string;
  webDist: string;
  maxUploadBytes: number;
  secureCookies: boolean;
  /** Proxy hops in front of the server (see `clientAddress`); 0 ignores `X-Forwarded-For`. */
  trustProxy: number;
  /** Request size and shape limits; DEFAULT_LIMITS when not given. */
  limits?: RequestLimits;
  /**
   * `direct` (the default): the common tRPC requests are answered by
   * `./trpc.ts`, everything else by tRPC's own adapter; `standard`: tRPC's
   * adapter for all (the parity test compares the two).
   */
  trpcAdapter?: 'direct' | 'standard';
}

function cookie(req: IncomingMessage, name: string): string | undefined {
  const header = req.headers.cookie;
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k === name) return decodeURIComponent(v.join('='));
  }
  return undefined;
}

function clientIp(req: IncomingMessage, hops: number): string {
  return clientAddress(req.headers['x-forwarded-for'], req.socket.remoteAddress, hops);
}

function json(res: ServerResponse, status: number, body: unknown) {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
  res.end(JSON.stringify(body));
}

/**
 * The HTTP front: tRPC at /trpc, attachments at /api/attachments, documents'
 * PDFs at /api/documents/:id/pdf and /api/track/documents/:id, the web app everywhere else.
 */
export function createHttpServer(o: HttpOptions): Server {
  const attachmentsDir = join(o.dataDir, 'attachments');
  const limits = o.limits ?? DEFAULT_LIMITS;
  const langOf = (req: IncomingMessage) =>
    langFrom(
      (req.headers['x-lianxin-lang'] as string | undefined) ?? req.headers['accept-language'],
    );
  const flags = `; Path=/; HttpOnly; SameSite=Lax${o.secureCookies ? '; Secure' : ''}`;
  const createContext = async (req: IncomingMessage, res: ServerResponse) => {
    const session = await sessionFromToken(o.services, cookie(req, SESSION_COOKIE));
    return createContextInner({
      services: o.services,
      session,
      lang: langOf(req),
      ip: clientIp(req, o.trustProxy),
      cookies: {
        setSession(token, maxAgeMs) {
          res.appendHeader(
            'set-cookie',
            `${SESSION_COOKIE}=${token}${flags}; Max-Age=${Math.floor(maxAgeMs / 1000)}`,
          );
        },
        clearSession() {
          res.appendHeader('set-cookie', `${SESSION_COOKIE}=${flags}; Max-Age=0`);
        },
      },
    });
  };
  const onError = ({ error, path }: { error: TRPCError; path: string | undefined }) => {
    if (error.code === 'INTERNAL_SERVER_ERROR') {
      // The client got only this id (see the error formatter in @lianxin/api).
      o.log.error('procedure failed', {
        path,
        errorId: errorIdOf(error),
        ...describeError(error.cause ?? error),
      });
    }
  };
  const standard = createHTTPHandler({
    router: appRouter,
    basePath: '/trpc/',
    createContext: ({ req, res }) => createContext(req, res),
    onError,
    // The guard reads bodies first; this bounds any the adapter would read itself.
    maxBodySize: limits.maxJsonBytes,
  });
  const adapter =
    o.trpcAdapter === 'standard'
      ? standard
      : createTrpcHandler({
          router: appRouter,
          basePath: '/trpc/',
          createContext,
          onError: (error, path) => onError({ error, path }),
          fallback: standard,
        });
  const trpc = createTrpcGuard({
    router: appRouter,
    basePath: '/trpc/',
    limits,
    lang: langOf,
    next: adapter,
  });

  return createServer((req, res) => {
    const started = performance.now();
    const raw = req.url ?? '/';
    for (const [name, value] of Object.entries(SECURITY_HEADERS)) res.setHeader(name, value);
    res.on('finish', () => {
      // Path only: query strings carry procedure inputs, which may hold personal data.
      const q = raw.indexOf('?');
      const fields = {
        method: req.method,
        path: q < 0 ? raw : raw.slice(0, q),
        status: res.statusCode,
        ms: Math.round((performance.now() - started) * 10) / 10,
      };
      if (res.statusCode >= 500) o.log.warn('request', fields);
      else o.log.debug('request', fields);
    });
    if (raw.startsWith('/trpc/')) {
      trpc(req, res);
      return;
    }
    const url = new URL(raw, 'http://local');
    if (url.pathname === '/healthz') {
      json(res, 200, { ok: true });
      return;
    }
    const documentPath = /^\/api\/(track\/)?documents\/([0-9a-f-]{36})(\/pdf)?$/.exec(url.pathname);
    if (documentPath) {
      // Statutory documents' PDFs: staff with their session, the petitioner with a signed link.
      void (async () => {
        try {
          if (req.method !== 'GET') {
            json(res, 405, { code: 'method.notAllowed' });
            return;
          }
          const id = documentPath[2] as string;
          const options = {
            dir: attachmentsDir,
            ip: clientIp(req, o.trustProxy),
            download: url.searchParams.get('download') === '1',
          };
          if (documentPath[1]) {
            await petitionerDocument(id, url.searchParams.get('t') ?? '', res, o.services, options);
            return;
          }
          const session = await sessionFromToken(o.services, cookie(req, SESSION_COOKIE));
          if (!session) {
            json(res, 401, {
              code: 'auth.required',
              messages: { 'zh-CN': '请先登录', en: 'please sign in' },
            });
            return;
          }
          await staffDocument(id, res, o.services, session, options);
        } catch (error) {
          const { status, body } = errorStatus(documentRefusal(error));
          if (status === 500) {
            o.log.error('document request failed', {
              errorId: body.errorId,
              ...describeError(error),
            });
          }
          if (!res.headersSent) json(res, status, body);
          else res.end();
        }
      })();
      return;
    }
    if (url.pathname === '/api/intake/photos') {
      // A petitioner's photos, no sign-in: the token from intake.submit names the case.
      const refuse = (status: number, body: unknown) => {
        if (req.complete) json(res, status, body);
        else answerAndClose(req, res, status, JSON.stringify(body));
      };
      if (req.method !== 'POST') {
        refuse(405, { code: 'method.notAllowed' });
        return;
      }
      if (req.headers[CSRF_HEADER] !== '1') {
        refuse(403, {
          code: 'request.csrf',
          messages: {
            'zh-CN': `上传请求缺少 ${CSRF_HEADER} 标头，可能来自其他网站，已拒绝`,
            en: `the upload lacks the ${CSRF_HEADER} header (it may come from another site) and was refused`,
          },
        });
        return;
      }
      uploadIntakePhoto(req, o.services, {
        dir: attachmentsDir,
        maxBytes: o.maxUploadBytes,
        ip: clientIp(req, o.trustProxy),
      }).then(
        (photo) => json(res, 201, photo),
        (error: unknown) => {
          const { status, body } = errorStatus(error);
          if (status === 500) {
            o.log.error('intake photo failed', { errorId: body.errorId, ...describeError(error) });
          }
          if (!res.headersSent) refuse(status, body);
          else res.end();
        },
      );
      return;
    }
    if (url.pathname === '/api/attachments' || url.pathname.startsWith('/api/attachments/')) {
      // A refusal before the body is read: discard what still arrives, never buffer it.
      const refuse = (status: number, body: unknown) => {
        if (req.complete) json(res, status, body);
        else answerAndClose(req, res, status, JSON.stringify(body));
      };
      void (async () => {
        try {
          const session = await sessionFromToken(o.services, cookie(req, SESSION_COOKIE));
          if (!session) {
            refuse(401, {
              code: 'auth.required',
              messages: { 'zh-CN': '请先登录', en: 'please sign in' },
            });
            return;
          }
          if (req.method === 'POST' && url.pathname === '/api/attachments') {
            if (req.headers[CSRF_HEADER] !== '1') {
              refuse(403, {
                code: 'request.csrf',
                messages: {
                  'zh-CN': `上传请求缺少 ${CSRF_HEADER} 标头，可能来自其他网站，已拒绝`,
                  en: `the upload lacks the ${CSRF_HEADER} header (it may come from another site) and was refused`,
                },
              });
              return;
            }
            json(
              res,
              201,
              await upload(req, o.services, session, {
                dir: attachmentsDir,
                maxBytes: o.maxUploadBytes,
              }),
            );
          } else if (req.method === 'GET') {
            await download(
              url.pathname.slice('/api/attachments/'.length),
              res,
              o.services,
              session,
              attachmentsDir,
            );
          } else {
            refuse(405, { code: 'method.notAllowed' });
          }
        } catch (error) {
          const { status, body } = errorStatus(error);
          if (status === 500) {
            o.log.error('attachment request failed', {
              errorId: body.errorId,
              ...describeError(error),
            });
          }
          if (!res.headersSent) refuse(status, body);
          else res.end();
        }
      })();
      return;
    }
    if (
      (req.method === 'GET' || req.method === 'HEAD') &&
      serveStatic(o.webDist, url.pathname, res)
    )
      return;
    json(res, 404, { code: 'notFound', messages: { 'zh-CN': '页面不存在', en: 'not found' } });
  });
}

export function addressOf(server: Server): string {
  const a = server.address() as AddressInfo;
  const host = a.family === 'IPv6' ? `[${a.address}]` : a.address;
  return `http://${host}:${a.port}`;
}
