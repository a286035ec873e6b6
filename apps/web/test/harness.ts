import { createReadStream, existsSync, mkdirSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Browser, chromium, type Locator, type Page } from 'playwright-core';
import { build } from 'vite';

export const webRoot = resolve(fileURLToPath(new URL('..', import.meta.url)));
export const artifacts = join(webRoot, 'test/artifacts');

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript',
  '.css': 'text/css',
  '.svg': 'image/svg+xml',
  '.json': 'application/json',
};

/** Builds the app once (mode: `e2e` includes the test-only in-memory backend) into `outDir`. */
export async function buildApp(mode: 'e2e' | 'production', outDir: string): Promise<void> {
  // React and antd production builds in both modes: tests and benchmarks see what users get.
  process.env.NODE_ENV = 'production';
  await build({ root: webRoot, mode, logLevel: 'warn', build: { outDir, emptyOutDir: true } });
}

/** A tiny static server for a built app on a free port. */
export async function serve(dir: string): Promise<{ url: string; server: Server }> {
  const server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    let file = join(dir, path);
    if (!file.startsWith(dir) || !existsSync(file) || statSync(file).isDirectory())
      file = join(dir, 'index.html');
    res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' });
    createReadStream(file).pipe(res);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, server };
}

/**
 * Debian's Chromium, headless (npx playwright install does not work here). Its pages ask for
 * reduced motion unless a test says otherwise: the app then opens dialogs without antd's
 * animations, whose end a loaded machine can miss, leaving a dialog half open for good.
 */
export async function launchChromium(): Promise<Browser> {
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  // (browser.newPage opens its page through browser.newContext)
  const newContext = browser.newContext.bind(browser);
  browser.newContext = (options) => newContext({ reducedMotion: 'reduce', ...options });
  return browser;
}

/** A 1366×768 page signed in as `username` (waits for `ready`), collecting page errors. */
export async function signIn(
  browser: Browser,
  url: string,
  username: string,
  password: string,
  ready = 'nav-workbench',
): Promise<{ page: Page; errors: string[] }> {
  const page = await browser.newPage({ viewport: { width: 1366, height: 768 } });
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(`${url}/#/login`);
  await page.getByTestId('login-username').fill(username);
  await page.getByTestId('login-password').fill(password);
  await page.getByTestId('login-submit').click();
  await page.getByTestId(ready).waitFor();
  return { page, errors };
}

export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(artifacts, { recursive: true });
  await page.screenshot({ path: join(artifacts, `${name}.png`) });
}

/** Drags from the bottom handle of one canvas node to the top handle of another. */
export async function connect(page: Page, from: string, to: string): Promise<void> {
  const source = page.locator(`.react-flow__node[data-id="${from}"] .react-flow__handle-bottom`);
  const target = page.locator(`.react-flow__node[data-id="${to}"] .react-flow__handle-top`);
  const a = await source.boundingBox();
  const b = await target.boundingBox();
  if (!a || !b) throw new Error(`handles of ${from} → ${to} not visible`);
  await page.mouse.move(a.x + a.width / 2, a.y + a.height / 2);
  await page.mouse.down();
  await page.mouse.move(b.x + b.width / 2, b.y + b.height / 2 - 10, { steps: 8 });
  await page.mouse.move(b.x + b.width / 2, b.y + b.height / 2, { steps: 2 });
  await page.mouse.up();
}

/**
 * Does `act` (a click) until the page shows its effect: a click landing while the page still
 * lays itself out can do nothing. `waitFor(ms)` waits up to `ms` for the effect and `shows()`
 * reads whether it is there; three tries at most, and never once it is there.
 */
export async function actUntil(
  act: () => Promise<void>,
  waitFor: (ms: number) => Promise<unknown>,
  shows: () => Promise<boolean>,
): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    await act();
    try {
      await waitFor(5_000);
      return;
    } catch (error) {
      if (await shows()) return; // it came late
      if (attempt >= 3) throw error;
    }
  }
}

/** Clicks `trigger` until `target` reaches `state` (a dialog opens, or closes), by `actUntil`. */
export function clickUntil(
  trigger: Locator,
  target: Locator,
  state: 'visible' | 'hidden' = 'visible',
): Promise<void> {
  return actUntil(
    () => trigger.click(),
    (timeout) => target.waitFor({ state, timeout }),
    async () => (await target.isVisible()) === (state === 'visible'),
  );
}

/**
 * Picks an option of an antd Select (`select` is the Select or its search input).
 *
 * The list is found through the combobox's own `aria-controls`, never by its words: a list
 * still closing from the previous pick may show the same words. The Select is clicked again
 * only while its combobox says it is closed, since a click on an open Select closes it: a
 * dialog still opening can take the focus back and close a list that had just opened.
 */
export async function choose(
  page: Page,
  select: ReturnType<Page['locator']>,
  option: string,
): Promise<void> {
  const combobox = select.locator('xpath=descendant-or-self::*[@role="combobox"]').first();
  const open = select
    .locator('xpath=descendant-or-self::*[@role="combobox" and @aria-expanded="true"]')
    .first();
  for (let attempt = 1; ; attempt++) {
    try {
      if ((await combobox.getAttribute('aria-expanded')) !== 'true') {
        // Forced: a Select that already shows a value (a form opened with what was entered)
        // lays the value over its search input, which would otherwise intercept the click.
        // A forced click skips the wait for visibility: a dialog still opening is waited for here.
        await select.waitFor({ state: 'visible' });
        await select.click({ force: true });
      }
      await open.waitFor({ timeout: 5_000 });
      const list = await combobox.getAttribute('aria-controls');
      const item = page
        .locator(`.ant-select-dropdown:visible:has([id="${list}"]) .ant-select-item-option`, {
          hasText: option,
        })
        .first();
      await item.waitFor({ timeout: 5_000 });
      await page.waitForTimeout(250); // the dropdown's opening animation
      await open.waitFor({ timeout: 100 }); // still open: the dialog did not take the focus back
      await item.click();
      return;
    } catch (error) {
      if (attempt >= 3) throw error;
    }
  }
}

/** One response a page loaded: bytes on the wire (headers and body, compressed), type and encoding. */
export interface Transfer {
  url: string;
  type: string;
  bytes: number;
  encoding?: string;
}

/**
 * Opens `url` in a fresh phone-sized context (375×812, cache empty) and
 * reads Chromium's network log: every response's encoded size as it came
 * over the wire, until the network has been quiet for a second.
 */
export async function measureCold(
  browser: Browser,
  url: string,
): Promise<{ requests: Transfer[]; totals: { script: number; all: number; requests: number } }> {
  const context = await browser.newContext({
    viewport: { width: 375, height: 812 },
    isMobile: true,
    hasTouch: true,
  });
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
  const seen = new Map<string, Transfer>();
  cdp.on('Network.responseReceived', (e) => {
    const headers = Object.fromEntries(
      Object.entries(e.response.headers).map(([k, v]) => [k.toLowerCase(), String(v)]),
    );
    const encoding = headers['content-encoding'];
    seen.set(e.requestId, {
      url: e.response.url,
      type: e.type,
      bytes: 0,
      ...(encoding ? { encoding } : {}),
    });
  });
  cdp.on('Network.loadingFinished', (e) => {
    const t = seen.get(e.requestId);
    if (t) t.bytes = e.encodedDataLength;
  });
  await page.goto(url, { waitUntil: 'networkidle' });
  await page.waitForTimeout(1000);
  await context.close();
  const requests = [...seen.values()];
  const sum = (list: Transfer[]) => list.reduce((n, r) => n + r.bytes, 0);
  return {
    requests,
    totals: {
      script: sum(requests.filter((r) => r.type === 'Script')),
      all: sum(requests),
      requests: requests.length,
    },
  };
}
