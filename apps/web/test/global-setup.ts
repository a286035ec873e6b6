import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { buildApp } from './harness';

/** Builds the app once per test run, in both modes, for every browser test file. */
export default async function setup(project: TestProject) {
  const dir = mkdtempSync(join(tmpdir(), 'lianxin-web-builds-'));
  const builds = { production: join(dir, 'production'), e2e: join(dir, 'e2e') };
  await buildApp('production', builds.production);
  await buildApp('e2e', builds.e2e);
  project.provide('webBuilds', builds);
  return () => rmSync(dir, { recursive: true, force: true });
}

declare module 'vitest' {
  export interface ProvidedContext {
    /** `production`: what users get; `e2e`: with the test-only in-memory backend. */
    webBuilds: { production: string; e2e: string };
  }
}
