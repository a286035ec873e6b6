import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import jsonPatch, { type Operation } from 'fast-json-patch';

const here = join(import.meta.dirname, 'fixtures');

export function readJson(path: string): unknown {
  return JSON.parse(readFileSync(path, 'utf8'));
}

export function base(name: string): Record<string, unknown> {
  return readJson(join(here, 'bases', `${name}.json`)) as Record<string, unknown>;
}

export interface CheckerFixture {
  file: string;
  description: string;
  base: string;
  patch: Operation[];
  options?: {
    subflows?: string[];
    /** Subflow keys resolved to a definition (a base's name), so their contracts are checked. */
    subflowDefinitions?: Record<string, string>;
    templateLocked?: string[];
    /** The jurisdiction's active department codes. */
    departments?: string[];
  };
  expected: Array<{ code: string; severity: string; pointer: string }>;
}

export function checkerFixtures(): CheckerFixture[] {
  const dir = join(here, 'checker');
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((file) => ({ file, ...(readJson(join(dir, file)) as Omit<CheckerFixture, 'file'>) }));
}

/** The fixture's flow: its base with the patch applied (the base itself is never changed). */
export function fixtureFlow(fixture: CheckerFixture): unknown {
  return jsonPatch.applyPatch(base(fixture.base), fixture.patch, true, false).newDocument;
}
