import type { Server } from 'node:http';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { buildApp, launchChromium, screenshot, serve, webRoot } from '../harness';

let browser: Browser;
let server: Server;
let url: string;

beforeAll(async () => {
  const dist = join(webRoot, 'test/.e2e-dist');
  await buildApp('e2e', dist);
  ({ url, server } = await serve(dist));
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  server?.close();
});

it('shows the sign-in page in Chinese', async () => {
  const page = await browser.newPage({ viewport: { width: 1366, height: 768 } });
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(url);
  await page.getByTestId('login').waitFor();
  await screenshot(page, '01-login');
  expect(await page.getByRole('heading', { name: '登录' }).isVisible()).toBe(true);
  expect(errors).toEqual([]);
});
