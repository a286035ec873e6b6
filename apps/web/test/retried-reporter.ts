/**
 * Names every browser story that failed once and passed when run again (vitest's `retry`), at
 * the end of the run, so a flake is seen and chased instead of hidden by the second run.
 */
import type { Reporter, TestCase } from 'vitest/node';

export default class RetriedReporter implements Reporter {
  private readonly retried: string[] = [];

  onTestCaseResult(test: TestCase): void {
    const diagnostic = test.diagnostic();
    if (diagnostic?.flaky) {
      this.retried.push(`${test.module.relativeModuleId} > ${test.fullName}`);
    }
  }

  onTestRunEnd(): void {
    if (!this.retried.length) return;
    console.log(
      `\n${this.retried.length} test(s) failed once and passed on a second run (flaky; look into them):`,
    );
    for (const name of this.retried) console.log(`  - ${name}`);
  }
}
