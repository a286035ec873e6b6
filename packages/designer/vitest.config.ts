import { defineConfig } from 'vitest/config';

// A generous timeout, not a speed goal: the first auto layout loads ELK, which a shared CI machine
// at load 30 once took more than vitest's default 5 s to do.
export default defineConfig({
  test: { include: ['test/**/*.test.{ts,tsx}'], testTimeout: 60_000 },
});
