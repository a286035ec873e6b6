import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AppRouter, Context } from '@lianxin/api';
import {
  type AnyTRPCProcedure,
  getTRPCErrorFromUnknown,
  getTRPCErrorShape,
  type TRPCError,
  transformTRPCResponse,
} from '@trpc/server';
import { getHTTPStatusCode } from '@trpc/server/http';

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
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('error', () => res.destroy());
    req.on('end', () => {
      const text =
        chunks.length === 1 ? (chunks[0] as Buffer).toString() : Buffer.concat(chunks).toString();
      const inputs = inputsFrom(text);
      if (!inputs) {
        // tRPC's adapter reads a body already read from `req.body`.
        (req as IncomingMessage & { body?: string }).body = text;
        o.fallback(req, res);
        return;
      }
      respond(req, res, p, inputs).catch((error) => fail(res, error));
    });
  };
}
