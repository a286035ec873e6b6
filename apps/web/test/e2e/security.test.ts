import { rmSync } from 'node:fs';
import type { AppRouter } from '@lianxin/api';
import { createTRPCClient, httpLink } from '@trpc/client';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// The real server (HTTP, tRPC, SQLite), started from its source, with its headers.
import { type RunningServer, startServer } from '../../../server/src/app';
import { silentLogger } from '../../../server/src/log';
import flow from '../../../server/test/fixtures/flow.json' with { type: 'json' };
import { launchChromium } from '../harness';
import { addPeople, TAISHAN_CHAIN } from '../people';
import { openServerStore } from '../server';

const PASSWORD = 'security-e2e-Password-2025';
let browser: Browser;
let running: RunningServer;
let dataDir: string;
let flowId: string;
let caseId: string;

function api(url: string) {
  const jar = { cookie: '' };
  return createTRPCClient<AppRouter>({
    links: [
      httpLink({
        url: `${url}/trpc`,
        headers: () => (jar.cookie ? { cookie: jar.cookie } : {}),
        fetch: async (input, init) => {
          const res = await fetch(input, init);
          for (const c of res.headers.getSetCookie()) jar.cookie = c.split(';')[0] ?? '';
          return res;
        },
      }),
    ],
  });
}

beforeAll(async () => {
  const opened = await openServerStore('lianxin-security-e2e-');
  dataDir = opened.dataDir;
  const { store, config } = opened;
  await addPeople(
    store,
    TAISHAN_CHAIN,
    [
      ['taishan-admin', 'taishan-admin', '440781', 'admin'],
      ['taishan-clerk', 'taishan-clerk', '440781', 'receptionist'],
    ],
    PASSWORD,
  );
  running = await startServer(store, config, silentLogger, { scheduler: false });
  const admin = api(running.url);
  await admin.auth.login.mutate({ username: 'taishan-admin', password: PASSWORD });
  const saved = await admin.flows.saveDraft.mutate({
    jurisdiction: '440781',
    key: flow.key,
    definition: flow as unknown as Record<string, unknown>,
  });
  await admin.flows.publish.mutate({ flowId: saved.flowId });
  flowId = saved.flowId;
  const clerk = api(running.url);
  await clerk.auth.login.mutate({ username: 'taishan-clerk', password: PASSWORD });
  ({ caseId } = await clerk.cases.register.mutate({
    flowId,
    channel: 'visit',
    data: { summary: '农田灌溉渠被堵，影响春耕' },
    petitioner: { name: '甄某', phone: '13612345678' },
  }));
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await running?.close();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

/** A page that records every Content-Security-Policy violation, by event and by console. */
async function watchedPage(): Promise<{ page: Page; violations: string[] }> {
  const page = await browser.newPage({ viewport: { width: 1366, height: 768 } });
  const violations: string[] = [];
  await page.exposeFunction('reportViolation', (v: string) => violations.push(v));
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) =>
      (window as unknown as { reportViolation(v: string): void }).reportViolation(
        `${e.violatedDirective} ${e.blockedURI}`,
      ),
    );
  });
  page.on('console', (m) => {
    if (/Content Security Policy/i.test(m.text())) violations.push(m.text());
  });
  return { page, violations };
}

async function signIn(page: Page, username: string) {
  await page.goto(`${running.url}/#/login`);
  await page.getByTestId('login-username').fill(username);
  await page.getByTestId('login-password').fill(PASSWORD);
  await page.getByTestId('login-submit').click();
  await page.getByTestId('nav-workbench').waitFor();
}

describe('the built app under the server security headers', () => {
  it('runs with no CSP violation on its pages, and an injected script is refused', async () => {
    const { page, violations } = await watchedPage();
    const first = await page.goto(`${running.url}/`);
    expect(first?.headers()['content-security-policy']).toContain("frame-ancestors 'none'");
    await signIn(page, 'taishan-admin');
    for (const route of [`#/flows/${flowId}`, '#/dashboard', '#/templates', '#/workbench']) {
      await page.goto(`${running.url}/${route}`);
      await page.waitForLoadState('networkidle');
    }
    // The designer's forms validate with ajv, which compiles schemas (needs 'unsafe-eval').
    await page.goto(`${running.url}/#/intake/${flow.key}?j=440781`);
    await page.getByRole('button').first().waitFor();
    await page.waitForLoadState('networkidle');
    expect(violations).toEqual([]);

    // The policy is live: an inline script an attacker slipped in does not run.
    await page.addScriptTag({ content: 'window.__injected = 1' }).catch(() => undefined);
    expect(await page.evaluate(() => (window as { __injected?: number }).__injected)).toBe(
      undefined,
    );
    expect(violations.some((v) => /script-src/.test(v))).toBe(true);
  });

  it('cannot be framed by another page (clickjacking of the sign-in form)', async () => {
    const page = await browser.newPage();
    await page.setContent(`<iframe id="f" src="${running.url}/#/login"></iframe>`);
    await page.waitForTimeout(1500);
    const framed = page.frames().find((f) => f !== page.mainFrame());
    const fields = framed ? await framed.locator('[data-testid="login-username"]').count() : 0;
    expect(fields).toBe(0);
  });

  it('uploads an attachment through the case page (the upload sends the anti-forgery header)', async () => {
    const { page, violations } = await watchedPage();
    await signIn(page, 'taishan-clerk');
    await page.goto(`${running.url}/#/workbench/case/${caseId}`);
    const uploaded = page.waitForResponse((r) => r.url().includes('/api/attachments'));
    await page
      .locator('input[type=file]')
      .first()
      .setInputFiles({ name: '说明.txt', mimeType: 'text/plain', buffer: Buffer.from('证据说明') });
    expect((await uploaded).status()).toBe(201);
    await page.getByText('说明.txt').first().waitFor();
    expect(violations).toEqual([]);
  });
});
