import { describe, expect, it } from 'vitest';
import { servedApp, signInAdmin } from './designer-harness';

const app = servedApp();

/** Opens the account menu as `reducedMotion` asks; returns how long each of its animations ran. */
async function menuMotion(reducedMotion: 'reduce' | 'no-preference'): Promise<string[]> {
  const { page } = await signInAdmin(app.browser, app.url, {
    viewport: { width: 1366, height: 768 },
    reducedMotion,
  });
  // The animation of every element that starts one while the menu opens, however short-lived.
  await page.evaluate(() => {
    const seen: string[] = [];
    (window as unknown as { seen: string[] }).seen = seen;
    new MutationObserver((records) => {
      for (const r of records) {
        const els = [r.target, ...r.addedNodes].filter((n): n is Element => n instanceof Element);
        for (const el of els)
          for (const e of [el, ...el.querySelectorAll('*')])
            if ([...e.classList].some((c) => c.startsWith('ant-slide-up-')))
              seen.push(getComputedStyle(e).animationDuration);
      }
    }).observe(document.body, {
      subtree: true,
      childList: true,
      attributes: true,
      attributeFilter: ['class'],
    });
  });
  await page.getByTestId('user-menu').hover();
  await page.getByTestId('menu-change-password').waitFor();
  const seen = await page.evaluate(() => (window as unknown as { seen: string[] }).seen);
  await page.close();
  return [...new Set(seen)];
}

describe('motion follows the system’s “reduce motion” setting', () => {
  it('a menu opens at once for a user who asked for less motion, and slides open for others', async () => {
    expect(await menuMotion('reduce')).toEqual(['0s']);
    expect(await menuMotion('no-preference')).toContain('0.2s');
  });
});
