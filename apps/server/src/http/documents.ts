import { createHash } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import {
  AppError,
  audit,
  renderDocumentPdf,
  requireScope,
  type Services,
  type SessionInfo,
  verifyDownloadToken,
} from '@lianxin/api';
import { chineseDate, type DocumentRow } from '@lianxin/store';
import { UploadError } from './attachments';
import { attachmentFiles } from './files';

const notFound = () =>
  new UploadError(404, 'notFound.document', { 'zh-CN': '找不到文书', en: 'document not found' });

/**
 * The document's PDF: the attachment rendered before, or rendered now from
 * the text as issued, kept like an upload (by its content hash, see
 * ./files.ts) and recorded as an attachment of the case.
 */
export async function documentPdf(
  services: Services,
  doc: DocumentRow,
  dir: string,
): Promise<{ bytes: Buffer; name: string }> {
  const store = services.store;
  const files = attachmentFiles(store, dir);
  const content = store.documents.content(doc);
  const name = `${content.title}（${doc.serial}）.pdf`;
  if (doc.attachmentId) {
    const attachment = await store.attachment(doc.attachmentId);
    if (attachment) {
      const bytes = await files.get(attachment.storagePath);
      if (bytes) return { bytes, name };
    }
  }
  const row = await store.caseRow(doc.caseId);
  const bytes = await renderDocumentPdf({
    issuer: content.issuer,
    title: content.title,
    serial: doc.serial,
    body: content.body,
    issuedAt: doc.issuedAt,
    dateText: chineseDate(doc.issuedAt),
    ...(row ? { trackingCode: row.trackingCode } : {}),
  });
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  const storagePath = `${sha256.slice(0, 2)}/${sha256}.pdf`;
  await files.put(storagePath, bytes);
  const recorded = await store.documents.attachPdf(doc.id, {
    name,
    size: bytes.length,
    sha256,
    storagePath,
    at: store.clock.now().toISOString(),
  });
  if (recorded.storagePath !== storagePath) {
    const theirs = await files.get(recorded.storagePath);
    if (theirs) return { bytes: theirs, name };
  }
  return { bytes, name };
}

function send(res: ServerResponse, pdf: { bytes: Buffer; name: string }, download: boolean) {
  res.writeHead(200, {
    'content-type': 'application/pdf',
    'content-length': pdf.bytes.length,
    // Inline, so the print button opens it in the browser's viewer; a download names it.
    'content-disposition': `${download ? 'attachment' : 'inline'}; filename*=UTF-8''${encodeURIComponent(pdf.name)}`,
    'x-content-type-options': 'nosniff',
    'cache-control': 'private, no-store',
  });
  res.end(pdf.bytes);
}

/** GET /api/documents/:id/pdf — staff who may read the case. */
export async function staffDocument(
  id: string,
  res: ServerResponse,
  services: Services,
  session: SessionInfo,
  options: { dir: string; ip: string; download: boolean },
) {
  const doc = await services.store.documents.get(id);
  if (!doc) throw notFound();
  const row = await services.store.caseRow(doc.caseId);
  if (!row) throw notFound();
  await requireScope(services.tree, session, 'read', row.jurisdiction);
  const pdf = await documentPdf(services, doc, options.dir);
  await audit(
    { store: services.store, session, ip: options.ip },
    {
      action: 'case.read',
      caseId: row.id,
      petitionerId: row.petitionerId,
      jurisdiction: row.jurisdiction,
      // Not a procedure: the record names the document it opened.
      detail: { document: doc.serial, kind: doc.kind },
    },
  );
  send(res, pdf, options.download);
}

/**
 * GET /api/track/documents/:id?t=… — the petitioner, without sign-in, with
 * the signed link the tracking page gave (`documents.forPetitioner`). A wrong
 * or expired link counts against the address, like a wrong phone number.
 */
export async function petitionerDocument(
  id: string,
  token: string,
  res: ServerResponse,
  services: Services,
  options: { dir: string; ip: string; download: boolean },
) {
  const store = services.store;
  const { perAddress, windowMs } = services.track;
  const limits = [{ key: `track:ip:${options.ip}`, max: perAddress, windowMs }];
  const verdict = await store.takeAttempt(limits);
  if (!verdict.ok) {
    const seconds = Math.max(1, Math.ceil(verdict.retryAfterMs / 1000));
    throw new UploadError(429, 'auth.rateLimited', {
      'zh-CN': `尝试次数过多，请 ${seconds} 秒后再试`,
      en: `too many attempts; try again in ${seconds} s`,
    });
  }
  const ok = verifyDownloadToken({ store }, id, token, store.clock.now().getTime());
  const doc = ok ? await store.documents.get(id) : undefined;
  if (!doc) {
    throw new UploadError(403, 'documents.linkInvalid', {
      'zh-CN': '下载链接无效或已过期，请回到进度查询页面重新查询',
      en: 'the download link is invalid or has expired; look up the case again on the tracking page',
    });
  }
  await store.releaseAttempt(
    limits.map((l) => l.key),
    verdict.atMs,
  );
  const row = await store.caseRow(doc.caseId);
  const pdf = await documentPdf(services, doc, options.dir);
  await audit(
    { store, session: null, ip: options.ip },
    {
      action: 'case.read',
      caseId: doc.caseId,
      petitionerId: row?.petitionerId ?? null,
      jurisdiction: doc.jurisdiction,
      detail: { document: doc.serial, kind: doc.kind, by: 'petitioner' },
    },
  );
  send(res, pdf, options.download);
}

/**
 * A refusal from the api (FORBIDDEN, UNAUTHORIZED…) as the HTTP answer it
 * means, recognised by its AppError cause rather than by `instanceof
 * TRPCError`, which fails when the workspace resolves @trpc/server twice.
 */
export function documentRefusal(error: unknown): unknown {
  const e = error as { name?: string; code?: string; cause?: unknown };
  if (e?.name !== 'TRPCError' || !(e.cause instanceof AppError)) return error;
  const status =
    e.code === 'FORBIDDEN'
      ? 403
      : e.code === 'UNAUTHORIZED'
        ? 401
        : e.code === 'NOT_FOUND'
          ? 404
          : 400;
  return new UploadError(status, e.cause.code, e.cause.message_);
}
