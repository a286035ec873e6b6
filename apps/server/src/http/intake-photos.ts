import type { IncomingMessage } from 'node:http';
import { INTAKE_PHOTOS, type Services, verifyPhotoToken } from '@lianxin/api';
import type { Rejection } from '@lianxin/engine';
import { CommandRejected } from '@lianxin/store';
import { keepAttachment, UploadError } from './attachments';
import { BodyTooLarge, badText, readBody, sizeText } from './limits';

/** Photos only, each recognised by its first bytes, not by its name or the client's word. */
const PHOTO_TYPES = [
  {
    mime: 'image/jpeg',
    ext: 'jpg',
    magic: (b: Buffer) => b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff,
  },
  {
    mime: 'image/png',
    ext: 'png',
    magic: (b: Buffer) =>
      b.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])),
  },
] as const;

/**
 * Who attached a petitioner's photo, in the case's events: the petitioner
 * through the public page, no staff member. The flow's rule for
 * 上传附件 applies to it as to anyone.
 */
export const PETITIONER_ACTOR = { id: 'petitioner', roles: [] as string[] };

/**
 * POST /api/intake/photos?token=…&name=… with the photo as the body, no
 * sign-in: the token intake.submit gave the browser that submitted binds the
 * photo to the case it created (see photoToken). At most
 * INTAKE_PHOTOS.maxCount per case, INTAKE_PHOTOS.maxBytes each, JPEG or PNG,
 * counted per address in the database like the public submissions, so every
 * server shares the count. The photo is attached like a staff upload (case.attach, in the case's history); only staff who
 * may read the case can download it.
 */
export async function uploadIntakePhoto(
  req: IncomingMessage,
  services: Services,
  options: { dir: string; maxBytes: number; ip: string; nowMs?: number },
) {
  const maxBytes = Math.min(options.maxBytes, INTAKE_PHOTOS.maxBytes);
  const tooLarge = () =>
    new UploadError(413, 'attachment.tooLarge', {
      'zh-CN': `照片不能超过 ${sizeText(maxBytes)}`,
      en: `a photo may be at most ${sizeText(maxBytes)}`,
    });
  if (Number(req.headers['content-length'] ?? 0) > maxBytes) throw tooLarge();
  const url = new URL(req.url ?? '/', 'http://local');
  const token = url.searchParams.get('token') ?? '';
  const name = (url.searchParams.get('name') || '照片').slice(0, 200);
  if (badText(name) || badText(token)) {
    throw new UploadError(400, 'input.badText', {
      'zh-CN': '文件名含有无法保存的字符（空字符或不完整的 Unicode 字符）',
      en: 'the file name holds characters that cannot be stored (a NUL or a broken Unicode character)',
    });
  }
  const { perAddress, windowMs } = services.intake;
  const verdict = await services.store.takeAttempt([
    { key: `intake:photo:ip:${options.ip}`, max: perAddress, windowMs },
  ]);
  if (!verdict.ok) {
    const wait = Math.max(1, Math.ceil(verdict.retryAfterMs / 1000));
    throw new UploadError(429, 'auth.rateLimited', {
      'zh-CN': `上传过于频繁，请 ${wait} 秒后再试`,
      en: `too many uploads; try again in ${wait} seconds`,
    });
  }
  const caseId = verifyPhotoToken({ store: services.store }, token, options.nowMs ?? Date.now());
  if (!caseId) {
    throw new UploadError(403, 'intake.photoToken', {
      'zh-CN': '上传照片的时限已过或链接无效，请联系信访接待场所补交',
      en: 'the time to add photos has passed or the link is not valid; please hand them in at the petition office',
    });
  }
  // One photo of a case at a time on this server: the count below cannot be passed by
  // photos sent side by side. (Servers behind one database could still each take one
  // past the count at the same instant; the per-address limit bounds that.)
  return oneAtATime(caseId, async () => {
    const row = await services.store.caseRow(caseId);
    if (!row) {
      throw new UploadError(404, 'notFound.case', {
        'zh-CN': '找不到信访事项',
        en: 'case not found',
      });
    }
    // Counted in the case's own history (the photos the petitioner attached), on every server.
    const already = (await services.store.notes(caseId)).attachments.filter(
      (a) => a.by === PETITIONER_ACTOR.id,
    ).length;
    if (already >= INTAKE_PHOTOS.maxCount) {
      throw new UploadError(409, 'intake.tooManyPhotos', {
        'zh-CN': `每件信访事项最多附 ${INTAKE_PHOTOS.maxCount} 张照片`,
        en: `at most ${INTAKE_PHOTOS.maxCount} photos per petition`,
      });
    }
    const body = await readBody(req, maxBytes).catch((error: unknown) => {
      throw error instanceof BodyTooLarge ? tooLarge() : error;
    });
    if (!body.length) {
      throw new UploadError(400, 'attachment.empty', {
        'zh-CN': '照片为空',
        en: 'the photo is empty',
      });
    }
    const type = PHOTO_TYPES.find((t) => t.magic(body));
    if (!type) {
      throw new UploadError(415, 'attachment.type', {
        'zh-CN': '只接受 JPEG 或 PNG 格式的照片',
        en: 'only JPEG or PNG photos are accepted',
      });
    }
    const { id } = await keepAttachment(services, options.dir, body, type, (file) =>
      services.store.attachToCase(
        {
          ...file,
          caseId,
          name,
          mime: type.mime,
          size: body.length,
          scan: { checkedType: type.mime },
          uploadedBy: null,
        },
        { type: 'case.attach', ref: `attachment:${file.id}`, name, actor: PETITIONER_ACTOR },
      ),
    ).catch((error: unknown) => {
      throw error instanceof CommandRejected ? refused(error.rejection) : error;
    });
    return { id, name, size: body.length, mime: type.mime };
  });
}

const queues = new Map<string, Promise<unknown>>();
/** Runs `work` after the work queued before it for the same key. */
function oneAtATime<T>(key: string, work: () => Promise<T>): Promise<T> {
  const before = queues.get(key) ?? Promise.resolve();
  const run = before.then(work, work);
  const settled = run.catch(() => undefined);
  queues.set(key, settled);
  void settled.then(() => {
    if (queues.get(key) === settled) queues.delete(key);
  });
  return run;
}

function refused(rejection: Rejection): UploadError {
  return new UploadError(409, `engine.${rejection.code}`, rejection.message);
}
