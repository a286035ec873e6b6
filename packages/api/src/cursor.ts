// Opaque page cursors (issue 18): where the next page of a list starts, as
// the last row's sort key, base64url JSON tagged with the list (and its sort)
// it belongs to. A cursor only positions a page: the reader's scope and
// filters are applied afresh on every page, so a forged cursor can skip rows
// but never show a row the reader may not read. One that does not decode, is
// of another list or sort, or holds a key of the wrong shape is refused with
// `list.cursorInvalid` before anything is read.
import type { Bilingual } from '@lianxin/spec';
import * as z from 'zod';
import { apiError } from './errors';

/** What a cursor input accepts before it is decoded (the decoded shape is checked per list). */
export const CursorInput = z.string().max(400);

const Id = z.string().regex(/^[\w.:-]{1,100}$/);
const Instant = z.string().regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,6})?Z$/);
const Ms = z.number().int().min(0).max(9_999_999_999_999);

/** The lists that page by cursor, the shape of their keys, and their names in words. */
const LISTS = {
  'inbox.due': {
    key: z.tuple([Ms.nullable(), Instant, Id]),
    words: { 'zh-CN': '我的待办', en: 'my tasks' },
  },
  'inbox.newest': {
    key: z.tuple([Instant, Id]),
    words: { 'zh-CN': '我的待办', en: 'my tasks' },
  },
  'cases.newest': {
    key: z.tuple([Ms, Id]),
    words: { 'zh-CN': '事项列表', en: 'case list' },
  },
  'cases.oldest': {
    key: z.tuple([Ms, Id]),
    words: { 'zh-CN': '事项列表', en: 'case list' },
  },
  approvals: {
    key: z.tuple([Instant, Id]),
    words: { 'zh-CN': '待我审批', en: 'awaiting my approval' },
  },
  notifications: {
    key: z.tuple([Instant, Id]),
    words: { 'zh-CN': '消息通知', en: 'notifications' },
  },
} satisfies Record<string, { key: z.ZodType; words: Bilingual }>;

export type CursorList = keyof typeof LISTS;
type Key<L extends CursorList> = z.infer<(typeof LISTS)[L]['key']>;

/** The cursor of the page after the row with this sort key. */
export function encodeCursor<L extends CursorList>(list: L, key: Key<L>): string {
  return Buffer.from(JSON.stringify([list, ...key]), 'utf8').toString('base64url');
}

/** The sort key a cursor of `list` holds; anything else is refused (list.cursorInvalid). */
export function decodeCursor<L extends CursorList>(list: L, cursor: string): Key<L> {
  const refused = () => apiError('list.cursorInvalid', { list: LISTS[list].words });
  let value: unknown;
  try {
    if (!/^[A-Za-z0-9_-]+$/.test(cursor)) throw refused();
    value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw refused();
  }
  if (!Array.isArray(value) || value[0] !== list) throw refused();
  const key = LISTS[list].key.safeParse(value.slice(1));
  if (!key.success) throw refused();
  return key.data as Key<L>;
}
