/**
 * The designer benchmarks' main-thread CPU time, from a Chromium trace: what
 * the page itself costs, which a loaded machine changes far less than the
 * wall-clock times of run.ts (on this shared 2-core machine a load average of
 * 10 doubles those). Measures the pages run.ts built (bench/.dist), or those
 * in BENCH_DIST; prints one line per scenario and run. No thresholds.
 *
 *   npx tsx bench/run.ts          # builds bench/.dist (and measures wall-clock times)
 *   npx tsx bench/cpu.ts          # main-thread CPU of the same pages
 *   BENCH_DIST=/tmp/old npx tsx bench/cpu.ts   # an earlier build, to compare
 */
import { loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { CDPSession, Page } from 'playwright-core';
import { launchChromium, serve } from '../test/harness';

const benchDir = resolve(fileURLToPath(new URL('.', import.meta.url)));
const dist = process.env.BENCH_DIST ? resolve(process.env.BENCH_DIST) : join(benchDir, '.dist');
const RUNS = Number(process.env.BENCH_RUNS ?? 3);

interface TraceEvent {
  name: string;
  ph: string;
  tid: number;
  ts: number;
  dur?: number;
  /** Thread (CPU) time of the event, µs. */
  tdur?: number;
}

/** Runs `action` while tracing; returns the CPU ms of the busiest thread (the page's main thread). */
async function mainThreadCpu(cdp: CDPSession, action: () => Promise<void>): Promise<number> {
  const events: TraceEvent[] = [];
  const collect = (d: { value: unknown[] }) => events.push(...(d.value as TraceEvent[]));
  cdp.on('Tracing.dataCollected', collect);
  const done = new Promise<void>((r) => cdp.once('Tracing.tracingComplete', () => r()));
  await cdp.send('Tracing.start', {
    categories: 'devtools.timeline,disabled-by-default-devtools.timeline',
    transferMode: 'ReportEvents',
  });
  await action();
  await cdp.send('Tracing.end');
  await done;
  cdp.off('Tracing.dataCollected', collect);
  const byThread = new Map<number, number>();
  for (const e of events) {
    if (e.name === 'RunTask' && e.ph === 'X')
      byThread.set(e.tid, (byThread.get(e.tid) ?? 0) + (e.tdur ?? 0));
  }
  return Math.max(0, ...byThread.values()) / 1000;
}

async function typeInto(page: Page, gap: number) {
  for (const ch of 'ludeng huai le duo tian') {
    await page.keyboard.type(ch);
    await page.waitForTimeout(gap);
  }
}

async function main() {
  const { url, server } = await serve(dist);
  const browser = await launchChromium();
  const round = (x: number) => Math.round(x);
  console.log(
    `pages: ${dist}; load average ${loadavg()
      .map((x) => x.toFixed(2))
      .join(', ')}`,
  );
  try {
    for (let i = 0; i < RUNS; i++) {
      const page = await browser.newPage({ viewport: { width: 1366, height: 768 } });
      const cdp = await page.context().newCDPSession(page);
      // Opening the 1,000-node flow, up to the first frame with its nodes.
      const open = await mainThreadCpu(cdp, async () => {
        await page.goto(`${url}/?case=canvas&n=1000`);
        await page.waitForFunction(`performance.getEntriesByName('first-render').length > 0`);
      });
      await page.waitForTimeout(1000);
      await page.getByTestId('fit').click();
      await page.waitForTimeout(800);
      const pane = await page.locator('.react-flow__pane').boundingBox();
      if (!pane) throw new Error('no canvas');
      // Panning zoomed to fit: 60 mouse steps, as run.ts does.
      const pan = await mainThreadCpu(cdp, async () => {
        const x = pane.x + pane.width * 0.9;
        const y = pane.y + 20;
        await page.mouse.move(x, y);
        await page.mouse.down();
        for (let s = 1; s <= 60; s++) {
          await page.mouse.move(x - (250 * s) / 60, y + (120 * s) / 60);
          await page.waitForTimeout(16);
        }
        await page.mouse.up();
      });
      await page.goto(`${url}/?case=form`);
      await page.locator('#root_f299').waitFor();
      await page.waitForTimeout(1500);
      const input = page.locator('#root_f154');
      await input.scrollIntoViewIfNeeded();
      await input.click();
      // 23 keystrokes 40 ms apart (as run.ts), then 400 ms apart (each one checked after it).
      const typing = await mainThreadCpu(cdp, () => typeInto(page, 40));
      const checked = await mainThreadCpu(cdp, () => typeInto(page, 400));
      await page.close();
      console.log(
        `run ${i + 1}/${RUNS}: open 1,000 nodes ${round(open)} ms, pan fitted ${round(pan)} ms; ` +
          `300-field form ${(typing / 23).toFixed(1)} ms a keystroke, ${(checked / 23).toFixed(1)} ms with its check`,
      );
    }
  } finally {
    await browser.close();
    server.close();
  }
}

await main();
