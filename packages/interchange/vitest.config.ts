import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // CI runs several packages' suites side by side on a small shared machine;
    // these tests assert behaviour, never speed.
    testTimeout: 30_000,
  },
});
