import { type Database, openDatabase, Store, systemClock, type Vault } from '@lianxin/store';
import type { ServerConfig } from '../config';
import { openVault } from '../keys';

/**
 * Opens and migrates the database for a command and checks the configured
 * key against it, as `serve` does: a command refuses a database whose key is
 * not configured. No key file is made here; `vault` is undefined when none is
 * configured and the database needs none.
 */
export async function openChecked(
  config: Pick<ServerConfig, 'databaseUrl' | 'keyFile'>,
): Promise<{ database: Database; vault?: Vault }> {
  const database = openDatabase(config.databaseUrl);
  try {
    await database.migrate();
    const keys = await openVault(database, {
      keyFile: config.keyFile,
      env: process.env,
      clock: systemClock,
      create: false,
    });
    return keys ? { database, vault: keys.vault } : { database };
  } catch (error) {
    await database.close().catch(() => {});
    throw error;
  }
}

/** As `openChecked`, for a command that reads encrypted data: a key is required. */
export async function openCheckedStore(
  config: Pick<ServerConfig, 'databaseUrl' | 'keyFile'>,
): Promise<Store> {
  const { database, vault } = await openChecked(config);
  if (vault) return new Store(database, vault, systemClock);
  await database.close();
  throw Object.assign(new Error('no key'), {
    bilingual: {
      'zh-CN': `没有配置密钥：设置 LIANXIN_KEY，或把密钥文件放到 ${config.keyFile}`,
      en: `no key is configured: set LIANXIN_KEY, or put the key file at ${config.keyFile}`,
    },
  });
}
