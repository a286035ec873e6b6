import { createReadStream, existsSync, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { promisify } from 'node:util';
import { brotliCompress, constants, gzip } from 'node:zlib';

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.txt': 'text/plain; charset=utf-8',
  '.map': 'application/json',
  '.wasm': 'application/wasm',
};

/** Text formats worth compressing (images and fonts are compressed already). */
const COMPRESSIBLE = new Set(['.html', '.js', '.mjs', '.css', '.json', '.svg', '.txt', '.map']);
/** Below this a compressed answer saves less than its headers cost. */
const MIN_COMPRESS_BYTES = 1024;

export type Encoding = 'br' | 'gzip';

/**
 * The encoding to answer with, from the request's Accept-Encoding: brotli
 * when the client takes it, else gzip, else none (`identity`). An encoding
 * given `q=0` is refused, as RFC 9110 §12.5.3 says.
 */
export function chooseEncoding(header: string | string[] | undefined): Encoding | undefined {
  const text = Array.isArray(header) ? header.join(',') : (header ?? '');
  const q = new Map<string, number>();
  for (const part of text.split(',')) {
    const [name = '', ...params] = part.trim().toLowerCase().split(';');
    if (!name) continue;
    const qParam = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    const value = qParam ? Number(qParam.slice(2)) : 1;
    q.set(name, Number.isFinite(value) ? value : 0);
  }
  const accepts = (name: Encoding) => (q.get(name) ?? q.get('*') ?? 0) > 0;
  if (accepts('br')) return 'br';
  if (accepts('gzip')) return 'gzip';
  return undefined;
}

const brotli = promisify(brotliCompress);
const gzipAsync = promisify(gzip);

/**
 * Files compressed on the fly when the build left no `.br` / `.gz` beside
 * them (index.html, a build made without precompression), kept while the
 * file is unchanged. Bounded: the web app's files, not user content.
 */
const cache = new Map<string, { mtimeMs: number; size: number; body: Buffer }>();
let cachedBytes = 0;
const CACHE_LIMIT_BYTES = 64 * 1024 * 1024;

async function compressed(file: string, encoding: Encoding, mtimeMs: number, size: number) {
  const key = `${encoding}:${file}`;
  const hit = cache.get(key);
  if (hit && hit.mtimeMs === mtimeMs && hit.size === size) return hit.body;
  const raw = await readFile(file);
  // Fast settings: this runs while a client waits (the build precompresses at the best ones).
  const body =
    encoding === 'br'
      ? await brotli(raw, {
          params: {
            [constants.BROTLI_PARAM_QUALITY]: 5,
            [constants.BROTLI_PARAM_SIZE_HINT]: raw.length,
          },
        })
      : await gzipAsync(raw, { level: 6 });
  if (hit) cachedBytes -= hit.body.length;
  if (cachedBytes + body.length <= CACHE_LIMIT_BYTES) {
    cache.set(key, { mtimeMs, size, body });
    cachedBytes += body.length;
  }
  return body;
}

/**
 * Serves the built web app; unknown paths without an extension get
 * index.html (SPA routes). Text files go compressed when the client takes
 * it: the build's precompressed `.br` / `.gz` (vite.config.ts), else
 * compressed here once and cached; `Vary: Accept-Encoding` on every text
 * answer, so caches keep the encodings apart. Hashed files under assets/
 * are cached for a year; index.html is revalidated (ETag).
 */
export function serveStatic(root: string, pathname: string, res: ServerResponse): boolean {
  if (!existsSync(join(root, 'index.html'))) return false;
  let decoded: string;
  try {
    decoded = decodeURIComponent(pathname);
  } catch {
    return false;
  }
  const safe = normalize(decoded).replace(/^(\.\.[/\\])+/, '');
  const base = resolve(root);
  let file = resolve(base, `.${safe}`);
  if (file !== base && !file.startsWith(base + sep)) return false;
  const isFile = existsSync(file) && statSync(file).isFile();
  if (!isFile) {
    if (extname(safe)) return false;
    file = join(root, 'index.html');
  }
  const req = res.req as IncomingMessage | undefined;
  const ext = extname(file);
  const stat = statSync(file);
  const immutable = file.startsWith(join(base, 'assets') + sep);
  const etag = `"${stat.size.toString(16)}-${Math.floor(stat.mtimeMs).toString(16)}"`;
  const headers: Record<string, string | number> = {
    'content-type': MIME[ext] ?? 'application/octet-stream',
    'cache-control': immutable ? 'public, max-age=31536000, immutable' : 'no-cache',
    'x-content-type-options': 'nosniff',
    etag,
  };
  const compressible = COMPRESSIBLE.has(ext);
  if (compressible) headers.vary = 'Accept-Encoding';
  if (req?.headers['if-none-match'] === etag) {
    res.writeHead(304, headers);
    res.end();
    return true;
  }
  const head = req?.method === 'HEAD';
  const encoding =
    compressible && stat.size >= MIN_COMPRESS_BYTES
      ? chooseEncoding(req?.headers['accept-encoding'])
      : undefined;
  if (encoding) {
    const pre = `${file}.${encoding === 'br' ? 'br' : 'gz'}`;
    if (existsSync(pre)) {
      const size = statSync(pre).size;
      res.writeHead(200, { ...headers, 'content-encoding': encoding, 'content-length': size });
      if (head) res.end();
      else createReadStream(pre).pipe(res);
      return true;
    }
    compressed(file, encoding, stat.mtimeMs, stat.size).then(
      (body) => {
        res.writeHead(200, {
          ...headers,
          'content-encoding': encoding,
          'content-length': body.length,
        });
        res.end(head ? undefined : body);
      },
      () => {
        // Compression failed: the file as it is.
        res.writeHead(200, { ...headers, 'content-length': stat.size });
        if (head) res.end();
        else createReadStream(file).pipe(res);
      },
    );
    return true;
  }
  res.writeHead(200, { ...headers, 'content-length': stat.size });
  if (head) res.end();
  else createReadStream(file).pipe(res);
  return true;
}
