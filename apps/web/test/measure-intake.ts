/**
 * Bytes a phone downloads to open #/intake cold, measured in Chromium's
 * network log (CDP): `npx tsx test/measure-intake.ts <build dir>`. Serves
 * the build with the server's own static handler (compression included).
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { serveStatic } from '../../server/src/http/static';
import { launchChromium, measureCold } from './harness';

const dir = process.argv[2];
if (!dir) throw new Error('usage: measure-intake.ts <build dir>');
const server = createServer((req, res) => {
  if (!serveStatic(dir, new URL(req.url ?? '/', 'http://x').pathname, res)) {
    res.writeHead(404);
    res.end();
  }
});
await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
const browser = await launchChromium();
try {
  const m = await measureCold(browser, `${url}/#/intake/standard-petition?j=440781`);
  console.log(JSON.stringify(m.totals, null, 1));
  for (const r of m.requests) console.log(r.bytes, r.encoding ?? '-', r.url.replace(url, ''));
} finally {
  await browser.close();
  server.close();
}
