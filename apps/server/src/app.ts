import type { Server } from 'node:http';
import { createServices, type Services } from '@lianxin/api';
import { type Clock, hashPetitionerNames, openDatabase, Store, systemClock } from '@lianxin/store';
import type { ServerConfig } from './config';
import { addressOf, createHttpServer } from './http/server';
import { followKeyFile, openVault } from './keys';
import { describeError, type Logger } from './log';
import { Scheduler } from './scheduler';

/** Opens and migrates the database and loads the encryption keys, checked against it (./keys.ts). */
export async function openStore(
  config: Pick<ServerConfig, 'databaseUrl' | 'keyFile'>,
  options: { clock?: Clock; env?: NodeJS.ProcessEnv } = {},
): Promise<Store> {
  const database = openDatabase(config.databaseUrl);
  try {
    await database.migrate();
    const clock = options.clock ?? systemClock;
    const keys = await openVault(database, {
      keyFile: config.keyFile,
      env: options.env ?? process.env,
      clock,
      create: true,
    });
    if (!keys) throw new Error('no key');
    // Names recorded before names were searchable get their keyed hash (store/src/search.ts).
    await hashPetitionerNames(database, keys.vault);
    return new Store(database, keys.vault, clock);
  } catch (error) {
    await database.close().catch(() => {});
    throw error;
  }
}

export interface RunningServer {
  url: string;
  store: Store;
  services: Services;
  scheduler?: Scheduler;
  server: Server;
  close(): Promise<void>;
}

/** Starts HTTP and (unless disabled) the scheduler on an open store. */
export async function startServer(
  store: Store,
  config: ServerConfig,
  log: Logger,
  options: { scheduler?: boolean } = {},
): Promise<RunningServer> {
  const services = createServices(store, { sessionIdleMs: config.sessionIdleMs });
  const server = createHttpServer({
    services,
    log,
    dataDir: config.dataDir,
    webDist: config.webDist,
    maxUploadBytes: config.maxUploadBytes,
    limits: config.limits,
    secureCookies: config.secureCookies,
    trustProxy: config.trustProxy,
  });
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolvePromise, rejectPromise) => {
    server.once('error', rejectPromise);
    server.listen(config.port, config.host, () => {
      server.off('error', rejectPromise);
      resolvePromise();
    });
  });
  const scheduler =
    options.scheduler === false
      ? undefined
      : new Scheduler(store, log, {
          intervalMs: config.schedulerIntervalMs,
          auditRetentionDays: config.auditRetentionDays,
        });
  scheduler?.start();
  const unfollow = followKeyFile(store.vault, config.keyFile, (error) =>
    log.error('key file unreadable; keeping the keys loaded before', describeError(error)),
  );
  const url = addressOf(server);
  let closing: Promise<void> | undefined;
  return {
    url,
    store,
    services,
    server,
    ...(scheduler ? { scheduler } : {}),
    close() {
      // Stop taking work, let requests in flight finish, then close the database.
      closing ??= (async () => {
        unfollow();
        await scheduler?.stop();
        await new Promise<void>((resolvePromise) => {
          server.close(() => resolvePromise());
          server.closeIdleConnections();
          setTimeout(() => server.closeAllConnections(), 10_000).unref();
        });
        await store.database
          .close()
          .catch((error) => log.warn('close failed', describeError(error)));
      })();
      return closing;
    },
  };
}
