import { createHash, randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  type AppError,
  actorFor,
  apiError,
  errorIdOf,
  requireScope,
  type Services,
  type SessionInfo,
} from '@lianxin/api';
import { type Rejection, transition } from '@lianxin/engine';
import { CommandRejected } from '@lianxin/store';
import { TRPCError } from '@trpc/server';
import { attachmentFiles } from './files';
import { BodyTooLarge, badText, readBody, sizeText } from './limits';

/** Accepted types, each recognised by its first bytes, not by the name or the client's word. */
const TYPES: { mime: string; ext: string; magic: (b: Buffer) => boolean }[] = [
  {
    mime: 'application/pdf',
    ext: 'pdf',
    magic: (b) => b.subarray(0, 5).toString('latin1') === '%PDF-',
  },
  { mime: 'image/jpeg', ext: 'jpg', magic: (b) => b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff },
  {
    mime: 'image/png',
    ext: 'png',
    magic: (b) =>
      b.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])),
  },
  {
    mime: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
    ext: 'docx',
    magic: (b) => b[0] === 0x50 && b[1] === 0x4b && b[2] === 0x03 && b[3] === 0x04,
  },
  {
    mime: 'text/plain',
    ext: 'txt',
    magic: (b) => {
      try {
        new TextDecoder('utf-8', { fatal: true }).decode(b.subarray(0, 4096));
        return !b.subarray(0, 4096).includes(0);
      } catch {
        return false;
      }
    },
  },
];

export class UploadError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly messages: { 'zh-CN': string; en: string },
  ) {
    super(messages.en);
  }
}

function tooLarge(max: number) {
  const size = sizeText(max);
  return new UploadError(413, 'attachment.tooLarge', {
    'zh-CN': `附件不能超过 ${size}`,
    en: `attachments may be at most ${size}`,
  });
}

/** POST /api/attachments?caseId=…&name=… with the file as the body. */
export async function upload(
  req: IncomingMessage,
  services: Services,
  session: SessionInfo,
  options: { dir: string; maxBytes: number },
) {
  // Refused before any database work when the client says it is too large.
  if (Number(req.headers['content-length'] ?? 0) > options.maxBytes) {
    throw tooLarge(options.maxBytes);
  }
  const url = new URL(req.url ?? '/', 'http://local');
  const caseId = url.searchParams.get('caseId');
  const name = (url.searchParams.get('name') ?? 'attachment').slice(0, 200);
  for (const [param, value] of [
    ['caseId', caseId],
    ['name', name],
  ] as const) {
    if (value !== null && badText(value)) {
      throw new UploadError(400, 'input.badText', {
        'zh-CN': `参数 ${param} 含有无法保存的字符（空字符或不完整的 Unicode 字符）`,
        en: `parameter ${param} holds characters that cannot be stored (a NUL or a broken Unicode character)`,
      });
    }
  }
  // Every attachment belongs to a case the uploader may act on: no files parked on nothing.
  if (!caseId)
    throw new UploadError(400, 'attachment.caseRequired', {
      'zh-CN': '附件必须上传到一件信访事项（缺少 caseId）',
      en: 'an attachment must be uploaded to a case (caseId is missing)',
    });
  const row = await services.store.caseRow(caseId);
  if (!row)
    throw new UploadError(404, 'notFound.case', {
      'zh-CN': '找不到信访事项',
      en: 'case not found',
    });
  await requireScope(services.tree, session, 'actOnCase', row.jurisdiction);
  const actor = await actorFor(services.tree, session, row.jurisdiction);
  const command = { type: 'case.attach' as const, ref: '', name, actor };
  // The flow's rule asked before the body is read: a refused upload costs no disk.
  const definition = await services.store.publishedDefinition(row.flowId, row.flowVersion);
  const dryRun = transition(
    definition,
    row.state,
    { ...command, ref: 'attachment:check' },
    {
      now: new Date().toISOString(),
      newId: randomUUID,
    },
  );
  if (!dryRun.ok) throw refusedUpload(dryRun.rejection);
  const body = await readBody(req, options.maxBytes).catch((error: unknown) => {
    throw error instanceof BodyTooLarge ? tooLarge(options.maxBytes) : error;
  });
  if (!body.length)
    throw new UploadError(400, 'attachment.empty', {
      'zh-CN': '附件为空',
      en: 'the file is empty',
    });
  const type = TYPES.find((t) => t.magic(body));
  if (!type) {
    throw new UploadError(415, 'attachment.type', {
      'zh-CN': '只接受 PDF、JPEG、PNG、DOCX 和纯文本附件',
      en: 'only PDF, JPEG, PNG, DOCX and plain-text attachments are accepted',
    });
  }
  const { id, sha256 } = await keepAttachment(services, options.dir, body, type, (file) =>
    // The row and the case.attach event commit together or not at all.
    services.store.attachToCase(
      {
        ...file,
        caseId: row.id,
        name,
        mime: type.mime,
        size: body.length,
        scan: { checkedType: type.mime },
        uploadedBy: session.user.id,
      },
      { ...command, ref: `attachment:${file.id}` },
    ),
  ).catch((error: unknown) => {
    throw error instanceof CommandRejected ? refusedUpload(error.rejection) : error;
  });
  return { id, name, mime: type.mime, size: body.length, sha256 };
}

/**
 * Keeps an upload's bytes under their content hash (in the database, see
 * ./files.ts), then records it with `attach` (the attachment row and its case
 * event, one transaction). When `attach` is refused or fails, bytes this call
 * stored go again unless an attachment row names them meanwhile.
 */
export async function keepAttachment(
  services: Services,
  dir: string,
  body: Buffer,
  type: { ext: string },
  attach: (file: { id: string; sha256: string; storagePath: string }) => Promise<unknown>,
): Promise<{ id: string; sha256: string }> {
  const sha256 = createHash('sha256').update(body).digest('hex');
  const storagePath = `${sha256.slice(0, 2)}/${sha256}.${type.ext}`;
  const files = attachmentFiles(services.store, dir);
  const wrote = await files.put(storagePath, body);
  const id = randomUUID();
  try {
    await attach({ id, sha256, storagePath });
  } catch (error) {
    // Bytes another upload kept first are theirs to keep.
    if (wrote) await files.dropUnused(storagePath).catch(() => {});
    throw error;
  }
  return { id, sha256 };
}

/** The engine's refusal of `case.attach`: 403 when the flow does not let this user, else 409. */
function refusedUpload(rejection: Rejection): UploadError {
  const status = rejection.code === 'actor.notAllowed' ? 403 : 409;
  return new UploadError(status, `engine.${rejection.code}`, rejection.message);
}

/** GET /api/attachments/:id */
export async function download(
  id: string,
  res: ServerResponse,
  services: Services,
  session: SessionInfo,
  dir: string,
) {
  const attachment = await services.store.attachment(id);
  if (!attachment)
    throw new UploadError(404, 'notFound.attachment', {
      'zh-CN': '找不到附件',
      en: 'attachment not found',
    });
  if (attachment.caseId) {
    const row = await services.store.caseRow(attachment.caseId);
    if (row) await requireScope(services.tree, session, 'read', row.jurisdiction);
  } else if (attachment.uploadedBy !== session.user.id) {
    throw new UploadError(403, 'permission.attachment', {
      'zh-CN': '无权下载该附件',
      en: 'you may not download this attachment',
    });
  }
  const bytes = await attachmentFiles(services.store, dir).get(attachment.storagePath);
  if (!bytes)
    throw new UploadError(404, 'attachment.fileMissing', {
      'zh-CN': `附件“${attachment.name}”的文件已不在存储中，请联系管理员用 lianxin verify 核验`,
      en: `the file of attachment "${attachment.name}" is no longer stored; ask an administrator to run lianxin verify`,
    });
  res.writeHead(200, {
    'content-type': attachment.mime,
    'content-length': bytes.length,
    'content-disposition': `attachment; filename*=UTF-8''${encodeURIComponent(attachment.name)}`,
    'x-content-type-options': 'nosniff',
    'cache-control': 'private, max-age=0',
  });
  res.end(bytes);
}

export function errorStatus(error: unknown): { status: number; body: Record<string, unknown> } {
  if (error instanceof UploadError) {
    return { status: error.status, body: { code: error.code, messages: error.messages } };
  }
  // By name too: with two copies of @trpc/server installed (one per peer set), the api's
  // refusals are not instances of this copy's class, and a 403 would become a 500.
  if (error instanceof TRPCError || (error instanceof Error && error.name === 'TRPCError')) {
    const trpc = error as TRPCError;
    const cause = trpc.cause as { code?: string; message_?: unknown } | undefined;
    const status = trpc.code === 'FORBIDDEN' ? 403 : trpc.code === 'UNAUTHORIZED' ? 401 : 400;
    return { status, body: { code: cause?.code ?? trpc.code, messages: cause?.message_ ?? null } };
  }
  // The cause stays in the log under this id; the client never sees it.
  const errorId = errorIdOf(error instanceof Object ? error : new Error(String(error)));
  const messages = (apiError('internal', { errorId }).cause as AppError).message_;
  return { status: 500, body: { code: 'internal', errorId, messages } };
}
