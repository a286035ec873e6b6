import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inject } from 'vitest';
// The real server (HTTP, tRPC, SQLite), started from its source.
import { openStore } from '../../server/src/app';
import { configFromEnv } from '../../server/src/config';

/** A fresh data folder and the real server's store and config, serving this run's production build. */
export async function openServerStore(prefix: string, clock?: { now(): Date }) {
  const dataDir = mkdtempSync(join(tmpdir(), prefix));
  const config = {
    ...configFromEnv({ LIANXIN_DATA_DIR: dataDir, PORT: '0', HOST: '127.0.0.1' }),
    webDist: inject('webBuilds').production,
  };
  return { dataDir, config, store: await openStore(config, clock ? { clock } : {}) };
}
