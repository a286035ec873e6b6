// The bench's HTTP transport for the tRPC client: a small `fetch` over
// node:http with a keep-alive Agent. Node's global fetch (undici) costs the
// client process about as much CPU per request as the server spends on the
// whole transition, and the clients share the machine's two cores with the
// server, so with it the bench measures mostly itself. This is still a real
// tRPC client (`httpLink` from @trpc/client) sending real HTTP requests to
// the real server; only the client's fetch implementation is leaner.
import { Agent, request } from 'node:http';
import type { AppRouter } from '@lianxin/api';
import { createTRPCClient, httpLink } from '@trpc/client';

/** What httpLink reads of a response (and the cookie jar below). */
interface LeanResponse {
  ok: boolean;
  status: number;
  headers: { get(name: string): string | null; getSetCookie(): string[] };
  json(): Promise<unknown>;
  text(): Promise<string>;
}

type LeanInit = {
  method?: string;
  body?: unknown;
  headers?: Record<string, string>;
  signal?: AbortSignal | null;
};

/** `fetch` for string bodies to one `origin` over one keep-alive agent. */
export function leanFetch(origin: string, agent: Agent) {
  const { hostname, port } = new URL(origin);
  return (input: string | URL, init: LeanInit = {}): Promise<LeanResponse> =>
    new Promise((resolve, reject) => {
      const url = String(input);
      if (!url.startsWith(origin)) throw new Error(`leanFetch: ${url} is not on ${origin}`);
      const body = typeof init.body === 'string' ? init.body : undefined;
      const headers: Record<string, string | number> = { ...init.headers };
      if (body !== undefined) headers['content-length'] = Buffer.byteLength(body);
      const req = request(
        {
          host: hostname,
          port,
          path: url.slice(origin.length),
          method: init.method ?? 'GET',
          headers,
          agent,
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('error', reject);
          res.on('end', () => {
            const text =
              chunks.length === 1
                ? (chunks[0] as Buffer).toString()
                : Buffer.concat(chunks).toString();
            const status = res.statusCode ?? 0;
            resolve({
              ok: status >= 200 && status < 300,
              status,
              headers: {
                get: (name) => {
                  const v = res.headers[name.toLowerCase()];
                  return v === undefined ? null : Array.isArray(v) ? v.join(', ') : String(v);
                },
                getSetCookie: () => res.headers['set-cookie'] ?? [],
              },
              json: async () => JSON.parse(text),
              text: async () => text,
            });
          });
        },
      );
      req.on('error', reject);
      if (init.signal) {
        if (init.signal.aborted) req.destroy(new Error('aborted'));
        else
          init.signal.addEventListener('abort', () => req.destroy(new Error('aborted')), {
            once: true,
          });
      }
      req.end(body);
    });
}

export type Transport = 'http' | 'fetch';

/** A tRPC client (httpLink, one session cookie) over `transport`. */
export function benchClient(url: string, transport: Transport, agent: Agent) {
  const jar = { cookie: '' };
  const lean = leanFetch(url, agent);
  return createTRPCClient<AppRouter>({
    links: [
      httpLink({
        url: `${url}/trpc`,
        headers: () => ({
          ...(jar.cookie ? { cookie: jar.cookie } : {}),
          'x-lianxin-lang': 'zh-CN',
        }),
        fetch: (async (input: string | URL, init: LeanInit) => {
          const res =
            transport === 'http'
              ? await lean(input, init)
              : await fetch(input, init as RequestInit);
          for (const c of res.headers.getSetCookie()) {
            const pair = c.split(';')[0] ?? '';
            jar.cookie = pair.endsWith('=') ? '' : pair;
          }
          return res;
        }) as never,
      }),
    ],
  });
}

export function keepAliveAgent(): Agent {
  return new Agent({ keepAlive: true, maxSockets: Number.POSITIVE_INFINITY });
}
