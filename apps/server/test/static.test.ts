import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliCompressSync, brotliDecompressSync, gunzipSync } from 'node:zlib';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chooseEncoding, serveStatic } from '../src/http/static';

// A built web app: one script precompressed by the build, one not, a page, an image.
const SCRIPT = `console.log(${JSON.stringify('网上信访 '.repeat(2000))});\n`;
const PLAIN = `export const big = ${JSON.stringify('工作台 '.repeat(3000))};\n`;
let dir: string;
let server: Server;
let base: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'lianxin-static-'));
  mkdirSync(join(dir, 'assets'));
  writeFileSync(join(dir, 'index.html'), `<!doctype html><title>连心</title>${'<p>'.repeat(600)}`);
  writeFileSync(join(dir, 'assets/app-1234.js'), SCRIPT);
  writeFileSync(join(dir, 'assets/app-1234.js.br'), brotliCompressSync(SCRIPT));
  writeFileSync(join(dir, 'assets/page-5678.js'), PLAIN);
  writeFileSync(join(dir, 'assets/logo.png'), Buffer.alloc(4096, 7));
  server = createServer((req, res) => {
    if (!serveStatic(dir, new URL(req.url ?? '/', 'http://x').pathname, res)) {
      res.writeHead(404);
      res.end();
    }
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => {
  server?.close();
  rmSync(dir, { recursive: true, force: true });
});

function get(path: string, headers: Record<string, string> = {}, method = 'GET') {
  return new Promise<{ status: number; headers: Record<string, unknown>; body: Buffer }>(
    (resolve, reject) => {
      const req = request(`${base}${path}`, { method, headers }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: Buffer.concat(chunks),
          }),
        );
      });
      req.on('error', reject);
      req.end();
    },
  );
}

describe('the web app over HTTP, compressed', () => {
  it('sends the build’s brotli file to a browser that takes it, with Vary and a year of caching', async () => {
    const r = await get('/assets/app-1234.js', { 'accept-encoding': 'gzip, deflate, br, zstd' });
    expect(r.status).toBe(200);
    expect(r.headers['content-encoding']).toBe('br');
    expect(r.headers.vary).toBe('Accept-Encoding');
    expect(r.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(r.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(Number(r.headers['content-length'])).toBe(r.body.length);
    expect(r.body.length).toBeLessThan(Buffer.byteLength(SCRIPT) / 10);
    expect(brotliDecompressSync(r.body).toString()).toBe(SCRIPT);
  });

  it('compresses a file the build left plain, for gzip-only clients too, and the same bytes again', async () => {
    const gz = await get('/assets/page-5678.js', { 'accept-encoding': 'gzip' });
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(gz.body).toString()).toBe(PLAIN);
    const br = await get('/assets/page-5678.js', { 'accept-encoding': 'br;q=1, gzip;q=0.5' });
    expect(br.headers['content-encoding']).toBe('br');
    expect(brotliDecompressSync(br.body).toString()).toBe(PLAIN);
    const again = await get('/assets/page-5678.js', { 'accept-encoding': 'br' });
    expect(again.body.equals(br.body)).toBe(true);
  });

  it('sends the file as it is to a client that takes no compression, and never compresses images', async () => {
    const plain = await get('/assets/app-1234.js');
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.headers.vary).toBe('Accept-Encoding');
    expect(plain.body.toString()).toBe(SCRIPT);
    const refused = await get('/assets/app-1234.js', { 'accept-encoding': 'br;q=0, gzip;q=0' });
    expect(refused.headers['content-encoding']).toBeUndefined();
    const png = await get('/assets/logo.png', { 'accept-encoding': 'br, gzip' });
    expect(png.headers['content-encoding']).toBeUndefined();
    expect(png.body.length).toBe(4096);
  });

  it('revalidates index.html (SPA routes too) by ETag and answers HEAD without a body', async () => {
    const page = await get('/workbench', { 'accept-encoding': 'gzip' });
    expect(page.headers['cache-control']).toBe('no-cache');
    expect(gunzipSync(page.body).toString()).toContain('<title>连心</title>');
    const etag = String(page.headers.etag);
    const same = await get('/', { 'if-none-match': etag });
    expect(same.status).toBe(304);
    expect(same.body.length).toBe(0);
    const head = await get('/assets/app-1234.js', { 'accept-encoding': 'br' }, 'HEAD');
    expect(head.status).toBe(200);
    expect(head.headers['content-encoding']).toBe('br');
    expect(head.body.length).toBe(0);
  });

  it('serves nothing outside the build folder', async () => {
    const secret = `${dir}.secret.txt`;
    writeFileSync(secret, 'SECRET');
    try {
      const name = secret.split('/').at(-1) ?? '';
      for (const path of [
        `/../${name}`,
        `/assets/%2e%2e/%2e%2e/${name}`,
        `/assets/..%2f..%2f${name}`,
        `/%2e%2e%2f${name}`,
        '/%E0%A4%A.js',
      ]) {
        const r = await get(path);
        expect(r.body.toString()).not.toContain('SECRET');
        expect([200, 404]).toContain(r.status);
        if (r.status === 200) expect(r.headers['content-type']).toBe('text/html; charset=utf-8');
      }
    } finally {
      rmSync(secret, { force: true });
    }
  });
});

describe('choosing the encoding from Accept-Encoding', () => {
  it('prefers brotli, then gzip, and never one the client gave q=0', () => {
    expect(chooseEncoding('gzip, deflate, br')).toBe('br');
    expect(chooseEncoding('gzip')).toBe('gzip');
    expect(chooseEncoding('br;q=0, gzip')).toBe('gzip');
    expect(chooseEncoding('*')).toBe('br');
    expect(chooseEncoding('*;q=0')).toBeUndefined();
    expect(chooseEncoding(undefined)).toBeUndefined();
    expect(chooseEncoding('identity')).toBeUndefined();
    const coding = fc.constantFrom('br', 'gzip', 'deflate', 'identity', '*', 'zstd');
    const header = fc.uniqueArray(
      fc.tuple(coding, fc.option(fc.constantFrom('0', '0.0', '0.5', '1'), { nil: undefined })),
      { maxLength: 6, selector: ([c]) => c },
    );
    fc.assert(
      fc.property(header, (parts) => {
        const text = parts.map(([c, q]) => (q === undefined ? c : `${c};q=${q}`)).join(', ');
        const chosen = chooseEncoding(text);
        if (!chosen) return true;
        // Whatever is chosen, the client did not refuse it by name.
        return !parts.some(([c, q]) => c === chosen && q !== undefined && Number(q) === 0);
      }),
    );
  });
});
