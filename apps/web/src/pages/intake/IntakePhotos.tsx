import type { Lang } from '@lianxin/spec';
import { useEffect, useRef, useState } from 'react';
import { tr } from '../../i18n';
import './intake.css';

/** What the server takes (INTAKE_PHOTOS in the api): the page says the same before it is asked. */
export const PHOTO_LIMITS = { maxCount: 6, maxBytes: 10 * 1024 * 1024 };
const TYPES = ['image/jpeg', 'image/png'];
/** A phone photo larger than this is scaled down before it is sent (2560 px, JPEG). */
const SHRINK_ABOVE = 2 * 1024 * 1024;
const MAX_SIDE = 2560;

export interface Photo {
  file: File;
  url: string;
}

/**
 * A phone photo as it will be sent: large ones scaled to 2560 px on their
 * long side as JPEG (a 5 MB photo becomes ~0.5 MB on a slow connection);
 * the original when the browser cannot, or when it is already small.
 */
async function shrink(file: File): Promise<File> {
  if (file.size <= SHRINK_ABOVE || typeof createImageBitmap !== 'function') return file;
  try {
    const bitmap = await createImageBitmap(file);
    const scale = Math.min(1, MAX_SIDE / Math.max(bitmap.width, bitmap.height));
    const canvas = document.createElement('canvas');
    canvas.width = Math.round(bitmap.width * scale);
    canvas.height = Math.round(bitmap.height * scale);
    canvas.getContext('2d')?.drawImage(bitmap, 0, 0, canvas.width, canvas.height);
    bitmap.close();
    const blob = await new Promise<Blob | null>((r) => canvas.toBlob(r, 'image/jpeg', 0.85));
    if (!blob || blob.size >= file.size) return file;
    return new File([blob], file.name.replace(/\.\w+$/, '.jpg'), { type: 'image/jpeg' });
  } catch {
    return file;
  }
}

/** The camera and the bin, drawn here: the public page loads no icon library. */
function CameraIcon() {
  return (
    <svg width="24" height="24" viewBox="0 0 24 24" aria-hidden="true">
      <path
        d="M4 7h3l1.5-2h7L17 7h3a1 1 0 0 1 1 1v10a1 1 0 0 1-1 1H4a1 1 0 0 1-1-1V8a1 1 0 0 1 1-1z"
        fill="none"
        stroke="currentColor"
        strokeWidth="1.6"
        strokeLinejoin="round"
      />
      <circle cx="12" cy="12.5" r="3.5" fill="none" stroke="currentColor" strokeWidth="1.6" />
    </svg>
  );
}
function BinIcon() {
  return (
    <svg width="16" height="16" viewBox="0 0 16 16" aria-hidden="true">
      <path
        d="M3 4.5h10M6.5 4.5V3h3v1.5M4.5 4.5l.6 8.5h5.8l.6-8.5M7 7v4M9 7v4"
        fill="none"
        stroke="currentColor"
        strokeWidth="1.3"
        strokeLinecap="round"
        strokeLinejoin="round"
      />
    </svg>
  );
}

/** 现场照片: up to six photos from the phone's camera or album, sent after the petition. */
export function IntakePhotos({
  lang,
  photos,
  onChange,
  disabled,
}: {
  lang: Lang;
  photos: Photo[];
  onChange: (photos: Photo[]) => void;
  disabled?: boolean;
}) {
  const input = useRef<HTMLInputElement>(null);
  const [problem, setProblem] = useState<string>();
  const latest = useRef(photos);
  latest.current = photos;
  // The previews' object URLs go with the page.
  useEffect(
    () => () => {
      for (const p of latest.current) URL.revokeObjectURL(p.url);
    },
    [],
  );
  const add = async (files: FileList | null) => {
    setProblem(undefined);
    const next = [...photos];
    const refused: string[] = [];
    for (const original of [...(files ?? [])]) {
      if (next.length >= PHOTO_LIMITS.maxCount) {
        refused.push(
          tr(
            lang,
            `最多 ${PHOTO_LIMITS.maxCount} 张照片`,
            `at most ${PHOTO_LIMITS.maxCount} photos`,
          ),
        );
        break;
      }
      if (!TYPES.includes(original.type)) {
        refused.push(
          tr(
            lang,
            `${original.name} 不是 JPEG 或 PNG 照片`,
            `${original.name} is not a JPEG or PNG photo`,
          ),
        );
        continue;
      }
      const file = await shrink(original);
      if (file.size > PHOTO_LIMITS.maxBytes) {
        refused.push(tr(lang, `${file.name} 超过 10 MB`, `${file.name} is larger than 10 MB`));
        continue;
      }
      next.push({ file, url: URL.createObjectURL(file) });
    }
    if (refused.length) setProblem(refused.join(tr(lang, '；', '; ')));
    onChange(next);
    if (input.current) input.current.value = '';
  };
  return (
    <div className="intake-photos" data-testid="intake-photos">
      <div className="intake-photos-title">
        {tr(lang, '现场照片（可选）', 'Photos (optional)')}
        <div className="intake-muted">
          {tr(
            lang,
            `最多 ${PHOTO_LIMITS.maxCount} 张，JPEG 或 PNG，每张不超过 10 MB`,
            `up to ${PHOTO_LIMITS.maxCount}, JPEG or PNG, 10 MB each`,
          )}
        </div>
      </div>
      <div style={{ display: 'flex', flexWrap: 'wrap', gap: 8 }}>
        {photos.map((p, i) => (
          <div key={p.url} className="intake-photo" data-testid="intake-photo">
            <img src={p.url} alt={p.file.name} />
            {!disabled && (
              <button
                type="button"
                className="intake-photo-remove"
                aria-label={tr(lang, `删除照片 ${p.file.name}`, `Remove ${p.file.name}`)}
                onClick={() => {
                  URL.revokeObjectURL(p.url);
                  onChange(photos.filter((_, j) => j !== i));
                }}
              >
                <BinIcon />
              </button>
            )}
          </div>
        ))}
        {photos.length < PHOTO_LIMITS.maxCount && (
          <button
            type="button"
            className="intake-photo-add"
            disabled={disabled}
            onClick={() => input.current?.click()}
            data-testid="intake-photo-add"
          >
            <CameraIcon />
            <span>{tr(lang, '拍照或选择', 'Take or choose')}</span>
          </button>
        )}
      </div>
      <input
        ref={input}
        type="file"
        accept="image/jpeg,image/png"
        multiple
        hidden
        onChange={(e) => void add(e.target.files)}
        data-testid="intake-photo-input"
      />
      {problem && (
        <div className="intake-danger" data-testid="intake-photo-problem">
          {problem}
        </div>
      )}
    </div>
  );
}

/**
 * Sends the photos to the case the petition created, one after another
 * (a phone's connection is slow), with the token intake.submit gave. Returns
 * how many arrived and, for those that did not, the server's reason.
 */
export async function sendPhotos(
  photos: Photo[],
  token: string,
  lang: Lang,
): Promise<{ sent: number; failed: string[] }> {
  let sent = 0;
  const failed: string[] = [];
  for (const p of photos) {
    try {
      const res = await fetch(
        `/api/intake/photos?token=${encodeURIComponent(token)}&name=${encodeURIComponent(p.file.name)}`,
        { method: 'POST', headers: { 'x-lianxin-csrf': '1' }, body: p.file },
      );
      if (res.ok) {
        sent++;
        continue;
      }
      const body = (await res.json().catch(() => null)) as {
        messages?: { 'zh-CN': string; en: string };
      } | null;
      failed.push(
        `${p.file.name}：${body?.messages ? (lang === 'en' ? body.messages.en : body.messages['zh-CN']) : res.status}`,
      );
    } catch {
      failed.push(`${p.file.name}：${tr(lang, '网络中断', 'the connection failed')}`);
    }
  }
  return { sent, failed };
}
