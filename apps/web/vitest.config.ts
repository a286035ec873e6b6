import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/global-setup.ts'],
    testTimeout: 120_000,
    hookTimeout: 180_000,
    // One browser suite at a time: the machine is shared.
    fileParallelism: false,
    // A page waiting on the real server can take seconds on a loaded machine;
    // the default 1 s of expect.poll made browser tests flaky there.
    expect: { poll: { timeout: 10_000 } },
    // A browser story that fails is run once more: on a loaded CI machine a click has landed
    // while the page laid itself out. A story failing twice fails the run; one that passed on
    // the second run is named at the end by the retried reporter, to be looked into.
    retry: 1,
    reporters: ['default', './test/retried-reporter.ts'],
  },
});
