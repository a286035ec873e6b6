import type { IncomingMessage, ServerResponse } from 'node:http';
import { type AppRouter, apiError, type Context } from '@lianxin/api';
import type { Lang } from '@lianxin/spec';
import {
  type AnyTRPCProcedure,
  getTRPCErrorFromUnknown,
  getTRPCErrorShape,
  type TRPCError,
  transformTRPCResponse,
} from '@trpc/server';
import { getHTTPStatusCode, getHTTPStatusCodeFromError } from '@trpc/server/http';
import {
  answerAndClose,
  BodyTooLarge,
  inspectInput,
  type Refusal,
  type RequestLimits,
  readBody,
  sizeText,
} from './limits';

export interface TrpcHandlerOptions {
  router: AppRouter;
  /** Where procedures are mounted, with slashes: `/trpc/`. */
  basePath: string;
  createContext(req: IncomingMessage, res: ServerResponse): Promise<Context>;
  onError(error: TRPCError, path: string | undefined): void;
  /** tRPC's own node:http adapter, for every request the direct path leaves to it. */
  fallback(req: IncomingMessage, res: ServerResponse): void;
}

type ProcedureType = 'query' | 'mutation';
interface Call {
  path: string;
  procedure: AnyTRPCProcedure;
}
type Reply = { result: { data: unknown } } | { error: ReturnType<typeof getTRPCErrorShape> };

function mediaType(header: string | undefined): string | undefined {
  return header?.split(';', 1)[0]?.trim().toLowerCase();
}

function isObject(v: unknown): v is Record<string, unknown> {
  return !!v && typeof v === 'object' && !Array.isArray(v);
}

/** What tRPC refuses to send as plain JSON (it would need httpBatchStreamLink). */
function isDataStream(v: unknown): boolean {
  if (!v || typeof v !== 'object') return false;
  const streamy = (x: unknown) =>
    !!x &&
    (typeof x === 'object' || typeof x === 'function') &&
    (typeof (x as { then?: unknown }).then === 'function' ||
      typeof (x as { [Symbol.asyncIterator]?: unknown })[Symbol.asyncIterator] === 'function');
  return streamy(v) || Object.values(v).some(streamy);
}

/**
 * tRPC over node:http for the requests browsers and tRPC clients make
 * (`httpLink` and `httpBatchLink`: JSON queries by GET, mutations by POST,
 * single or batched), with the same wire format, status codes, error shapes
 * and `onError` as tRPC's adapter. tRPC's adapter turns every Node request
 * into a Fetch `Request` and its answer into a `Response` streamed back
 * through web streams, which cost more server CPU than a whole case
 * transition; this path calls the procedures directly. Anything else
 * (streaming, subscriptions, form data, unknown paths, wrong methods,
 * unparsable input, HEAD, …) goes to tRPC's adapter unchanged.
 */
export function createTrpcHandler(o: TrpcHandlerOptions) {
  const config = o.router._def._config;
  const procedures = o.router._def.procedures as unknown as Record<
    string,
    AnyTRPCProcedure | undefined
  >;
  const base = o.basePath;

  /** The calls of a request the direct path can take, or undefined. */
  function plan(req: IncomingMessage, url: string) {
    const method = req.method;
    if (method !== 'GET' && method !== 'POST') return undefined;
    const h = req.headers;
    if (h['trpc-accept'] !== undefined || h.accept?.includes('application/jsonl')) return undefined;
    const contentType = mediaType(h['content-type']);
    if (method === 'POST' ? contentType !== 'application/json' : contentType !== undefined) {
      return undefined;
    }
    const q = url.indexOf('?');
    const rawPath = (q < 0 ? url : url.slice(0, q)).slice(base.length).replace(/\/+$/, '');
    const params = q < 0 ? undefined : new URLSearchParams(url.slice(q + 1));
    if (params?.has('connectionParams')) return undefined;
    let path: string;
    try {
      path = decodeURIComponent(rawPath);
    } catch {
      return undefined;
    }
    const batch = params?.get('batch') === '1';
    const type: ProcedureType = method === 'GET' ? 'query' : 'mutation';
    const calls: Call[] = [];
    for (const p of batch ? path.split(',') : [path]) {
      const procedure = Object.hasOwn(procedures, p) ? procedures[p] : undefined;
      if (!procedure || procedure._def.type !== type) return undefined;
      calls.push({ path: p, procedure });
    }
    return { batch, type, calls, params };
  }

  async function respond(
    req: IncomingMessage,
    res: ServerResponse,
    p: NonNullable<ReturnType<typeof plan>>,
    inputs: Record<number, unknown>,
  ) {
    let ctx: Context | undefined;
    let contextError: TRPCError | undefined;
    try {
      ctx = await o.createContext(req, res);
    } catch (cause) {
      contextError = getTRPCErrorFromUnknown(cause);
    }
    const errors: (TRPCError | undefined)[] = [];
    const replies: Reply[] = await Promise.all(
      p.calls.map(async (call, index): Promise<Reply> => {
        const input = inputs[index];
        try {
          if (contextError) throw contextError;
          const data = await call.procedure({
            path: call.path,
            getRawInput: async () => input,
            ctx,
            type: p.type,
            signal: undefined,
            batchIndex: index,
          });
          if (isDataStream(data)) {
            throw getTRPCErrorFromUnknown(
              Object.assign(new Error('Cannot use stream-like response in non-streaming request'), {
                code: 'UNSUPPORTED_MEDIA_TYPE',
              }),
            );
          }
          return { result: { data } };
        } catch (cause) {
          const error = getTRPCErrorFromUnknown(cause);
          errors[index] = error;
          o.onError(error, call.path);
          return {
            error: getTRPCErrorShape({ config, ctx, error, input, path: call.path, type: p.type }),
          };
        }
      }),
    );
    const untransformed = p.batch ? replies : (replies[0] as Reply);
    const status = getHTTPStatusCode(
      untransformed as Parameters<typeof getHTTPStatusCode>[0],
      errors as TRPCError[],
    );
    const body = JSON.stringify(transformTRPCResponse(config, untransformed as never));
    res.writeHead(status, {
      vary: 'trpc-accept, accept',
      'content-type': 'application/json',
      'content-length': Buffer.byteLength(body),
    });
    res.end(body);
  }

  function fail(res: ServerResponse, error: unknown) {
    const e = getTRPCErrorFromUnknown(error);
    o.onError(e, undefined);
    if (!res.headersSent) {
      res.writeHead(500, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: { message: 'Internal server error', code: -32603 } }));
    } else res.end();
  }

  return (req: IncomingMessage, res: ServerResponse): void => {
    const url = req.url ?? '/';
    const p = url.startsWith(base) ? plan(req, url) : undefined;
    if (!p) {
      o.fallback(req, res);
      return;
    }
    /** Inputs by call index, as tRPC's JSON content handler reads them; undefined: leave it to tRPC. */
    const inputsFrom = (text: string | null): Record<number, unknown> | undefined => {
      if (!text) return {};
      let parsed: unknown;
      try {
        parsed = JSON.parse(text);
      } catch {
        return undefined;
      }
      if (!p.batch) return { 0: config.transformer.input.deserialize(parsed) };
      if (!isObject(parsed)) return undefined;
      const out: Record<number, unknown> = {};
      p.calls.forEach((_, i) => {
        const v = parsed[i];
        if (v !== undefined) out[i] = config.transformer.input.deserialize(v);
      });
      return out;
    };
    if (req.method === 'GET') {
      const inputs = inputsFrom(p.params?.get('input') ?? null);
      if (!inputs) {
        o.fallback(req, res);
        return;
      }
      respond(req, res, p, inputs).catch((error) => fail(res, error));
      return;
    }
    // The guard (createTrpcGuard) has read and checked the body.
    const text = (req as IncomingMessage & { body?: string }).body ?? '';
    const inputs = inputsFrom(text);
    if (!inputs) {
      o.fallback(req, res);
      return;
    }
    respond(req, res, p, inputs).catch((error) => fail(res, error));
  };
}

export interface TrpcGuardOptions {
  router: AppRouter;
  basePath: string;
  limits: RequestLimits;
  lang(req: IncomingMessage): Lang;
  /** Answers a request the guard let through; a POST's body is then in `req.body`. */
  next(req: IncomingMessage, res: ServerResponse): void;
}

/**
 * What every tRPC request passes before an adapter sees it: at most
 * `maxBatch` calls, a body of at most `maxJsonBytes` (refused while it
 * streams), writes only as application/json (a cross-site form cannot send
 * it), and input that passes `inspectInput` (depth, sizes, storable text).
 * Refusals have tRPC's error shape, bilingual, with the place (JSON pointer).
 */
export function createTrpcGuard(o: TrpcGuardOptions) {
  const config = o.router._def._config;
  const limits = o.limits;

  function refuse(
    req: IncomingMessage,
    res: ServerResponse,
    paths: string[],
    batch: boolean,
    error: TRPCError,
    close: boolean,
  ) {
    const lang = o.lang(req);
    const shapes = paths.map((path) =>
      getTRPCErrorShape({
        config,
        ctx: { lang } as Context,
        error,
        input: undefined,
        path,
        type: req.method === 'GET' ? 'query' : 'mutation',
      }),
    );
    const body = JSON.stringify(batch ? shapes.map((e) => ({ error: e })) : { error: shapes[0] });
    const status = getHTTPStatusCodeFromError(error);
    if (close) {
      answerAndClose(req, res, status, body);
      return;
    }
    res.writeHead(status, {
      'content-type': 'application/json',
      'content-length': Buffer.byteLength(body),
    });
    res.end(body);
  }

  const refusalError = (r: Refusal) =>
    apiError(r.code, { ...r.params, at: r.pointer || '/' }, { pointer: r.pointer });

  return (req: IncomingMessage, res: ServerResponse): void => {
    const url = req.url ?? '/';
    const q = url.indexOf('?');
    const params = new URLSearchParams(q < 0 ? '' : url.slice(q + 1));
    const batch = params.get('batch') === '1';
    const rawPath = (q < 0 ? url : url.slice(0, q)).slice(o.basePath.length);
    const paths = batch ? rawPath.split(',') : [rawPath];
    if (paths.length > limits.maxBatch) {
      const error = apiError('request.batchTooLarge', {
        max: limits.maxBatch,
        count: paths.length,
      });
      // One answer, not one per call: the count itself is what is refused.
      refuse(req, res, paths.slice(0, 1), batch, error, req.method !== 'GET');
      return;
    }
    const check = (parsed: unknown): boolean => {
      const problem = inspectInput(parsed, limits);
      if (!problem) return true;
      refuse(req, res, paths, batch, refusalError(problem), false);
      return false;
    };
    const parse = (text: string): { value: unknown } | undefined => {
      try {
        return { value: JSON.parse(text) };
      } catch {
        // tRPC's adapter answers unparsable input with its own parse error.
        return undefined;
      }
    };
    if (req.method === 'GET' || req.method === 'HEAD') {
      const input = params.get('input');
      const parsed = input === null ? undefined : parse(input);
      if (parsed && !check(parsed.value)) return;
      o.next(req, res);
      return;
    }
    if (mediaType(req.headers['content-type']) !== 'application/json') {
      refuse(req, res, paths, batch, apiError('request.notJson'), true);
      return;
    }
    readBody(req, limits.maxJsonBytes).then(
      (buffer) => {
        const text = buffer.toString();
        const parsed = text ? parse(text) : undefined;
        if (parsed && !check(parsed.value)) return;
        // tRPC's adapter reads a body already read from `req.body`.
        (req as IncomingMessage & { body?: string }).body = text;
        o.next(req, res);
      },
      (error: unknown) => {
        if (error instanceof BodyTooLarge) {
          const tooLarge = apiError('request.tooLarge', { limit: sizeText(error.limit) });
          refuse(req, res, paths, batch, tooLarge, true);
        } else res.destroy();
      },
    );
  };
}
