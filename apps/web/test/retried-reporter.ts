/**
 * Names every browser story that failed once and passed when run again (vitest's `retry`), at
 * the end of the run, so a flake is seen and chased instead of hidden by the second run. The
 * names also go to `test/artifacts/retried.txt`, which the root `pnpm test` prints after turbo
 * (whose errors-only output hides a passing package's own).
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Reporter, TestCase } from 'vitest/node';

const listFile = join(dirname(fileURLToPath(import.meta.url)), 'artifacts/retried.txt');

export default class RetriedReporter implements Reporter {
  private readonly retried: string[] = [];

  onInit(): void {
    rmSync(listFile, { force: true });
  }

  onTestCaseResult(test: TestCase): void {
    const diagnostic = test.diagnostic();
    if (diagnostic?.flaky) {
      this.retried.push(`${test.module.relativeModuleId} > ${test.fullName}`);
    }
  }

  onTestRunEnd(): void {
    if (!this.retried.length) return;
    const text = [
      `${this.retried.length} web test(s) failed once and passed on a second run (flaky; look into them):`,
      ...this.retried.map((name) => `  - ${name}`),
    ].join('\n');
    console.log(`\n${text}`);
    mkdirSync(dirname(listFile), { recursive: true });
    writeFileSync(listFile, `${text}\n`);
  }
}
