import { unwatchFile, watchFile } from 'node:fs';
import {
  type Clock,
  checkKeyRing,
  type Database,
  type KeySource,
  keysNeeded,
  loadKeyRing,
  newMasterKey,
  readKeyFile,
  StoreError,
  Vault,
  writeKeyFile,
} from '@lianxin/store';

/**
 * The key ring for a database: LIANXIN_KEY or the key file, checked against
 * the fingerprints the database holds (refused on a mismatch, writing
 * nothing). The embedded default makes its own key file on first run, but
 * never for a database that already holds encrypted data or a fingerprint (a
 * restored backup without its key file). Undefined when `create` is false,
 * no key is configured and the database needs none.
 */
export async function openVault(
  database: Database,
  options: { keyFile: string; env: NodeJS.ProcessEnv; clock: Clock; create: boolean },
): Promise<{ vault: Vault; source: KeySource } | undefined> {
  let ring = loadKeyRing({ env: options.env, keyFile: options.keyFile });
  if (!ring) {
    const needed = await keysNeeded(database);
    if (needed.length)
      throw new StoreError('key.missing', { needed: needed.join(', '), keyFile: options.keyFile });
    if (!options.create) return undefined;
    // A PostgreSQL deployment must be given one, so every server shares it.
    if (database.dialect !== 'sqlite')
      throw new StoreError('key.notConfigured', { keyFile: options.keyFile });
    writeKeyFile(options.keyFile, [newMasterKey()], true);
    ring = loadKeyRing({ env: options.env, keyFile: options.keyFile });
    if (!ring) throw new Error(`key file ${options.keyFile} was not written`);
  }
  const source = ring.source;
  const vault = new Vault(
    ring.keys,
    source.kind === 'file' ? () => readKeyFile(source.path) : undefined,
  );
  await checkKeyRing(database, vault, options.clock, source);
  return { vault, source };
}

/**
 * Follows the key file while the server runs: `lianxin key rotate` puts a new
 * key at its top, and from then on this server writes with it. (A ciphertext
 * under a key id the vault does not know also makes it re-read the file.)
 * Returns the function that stops following.
 */
export function followKeyFile(
  vault: Vault,
  keyFile: string,
  onError: (error: unknown) => void,
): () => void {
  const listener = () => {
    try {
      vault.reload();
    } catch (error) {
      onError(error);
    }
  };
  watchFile(keyFile, { interval: 1000 }, listener).unref();
  return () => unwatchFile(keyFile, listener);
}
