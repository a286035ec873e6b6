import { eq, sql } from 'drizzle-orm';
import type { Database } from './db';

/**
 * Attachment bytes in the database (table attachment_files), keyed by the
 * attachment's storage path (its content hash and type), so every server on
 * one database reaches every file and a backup of the database holds them.
 * Several attachment rows may share one file (the same bytes uploaded twice).
 */

/** Stores the bytes unless a file of that path is already there; true when this call wrote them. */
export async function putAttachmentFile(
  database: Database,
  storagePath: string,
  bytes: Buffer,
  createdAt: string,
): Promise<boolean> {
  const t = database.t.attachmentFiles;
  const written = await database.tx((tx) =>
    tx
      .insert(t)
      .values({ storagePath, size: bytes.length, bytes, createdAt })
      .onConflictDoNothing()
      .returning({ storagePath: t.storagePath }),
  );
  return written.length > 0;
}

/** The stored bytes, or undefined when the database does not hold that file. */
export async function attachmentFileBytes(
  database: Database,
  storagePath: string,
): Promise<Buffer | undefined> {
  const t = database.t.attachmentFiles;
  const [row] = await database.read((db) =>
    db.select({ bytes: t.bytes }).from(t).where(eq(t.storagePath, storagePath)),
  );
  return row ? Buffer.from(row.bytes) : undefined;
}

/**
 * Removes the file when no attachment row names it (after a refused upload).
 * An upload of the same bytes that is still between storing them and
 * recording its row can lose them here; it then fails on download with
 * `attachment.fileMissing`, as a file removed from disk did before.
 */
export async function dropUnusedAttachmentFile(
  database: Database,
  storagePath: string,
): Promise<void> {
  const { attachmentFiles: f, attachments: a } = database.t;
  await database.tx((tx) =>
    tx
      .delete(f)
      .where(
        sql`${f.storagePath} = ${storagePath} and not exists (select 1 from ${a} where ${a.storagePath} = ${storagePath})`,
      ),
  );
}
