import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  attachmentFileBytes,
  dropUnusedAttachmentFile,
  putAttachmentFile,
  type Store,
} from '@lianxin/store';

/**
 * Where attachment bytes live: in the database (attachment_files), which
 * every server behind it reaches and every database backup holds. Before
 * that table, each server wrote them to `<data>/attachments/<storage path>`;
 * such a file is still read from there (read-through) and copied into the
 * database on its first read, so an existing deployment needs no migration
 * step and its old files reach the other servers once read through this one.
 */
export interface AttachmentFiles {
  /** Keeps the bytes under their storage path; false when they were kept already. */
  put(storagePath: string, bytes: Buffer): Promise<boolean>;
  /** The bytes, or undefined when neither the database nor the old folder holds them. */
  get(storagePath: string): Promise<Buffer | undefined>;
  /** Removes them when no attachment row names them (after a refused upload). */
  dropUnused(storagePath: string): Promise<void>;
}

export function attachmentFiles(store: Store, legacyDir: string): AttachmentFiles {
  const database = store.database;
  const now = () => store.clock.now().toISOString();
  return {
    put(storagePath, bytes) {
      return putAttachmentFile(database, storagePath, bytes, now());
    },
    async get(storagePath) {
      const stored = await attachmentFileBytes(database, storagePath);
      if (stored) return stored;
      const old = await readFile(join(legacyDir, storagePath)).catch(() => undefined);
      if (old) await putAttachmentFile(database, storagePath, old, now());
      return old;
    },
    dropUnused(storagePath) {
      return dropUnusedAttachmentFile(database, storagePath);
    },
  };
}
