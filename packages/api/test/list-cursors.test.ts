import type { Dialect } from '@lianxin/store';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeCursor } from '../src/cursor';
import { publishFixture, setupApi, signIn } from './helpers';

// Keyset cursors through the API (issue 18): a cursor only positions a page of
// the reader's own rows; a malformed, foreign or forged one is refused in both
// languages before anything is read, or shows nothing the reader may not read.
describe.each(['sqlite', 'pg'] as Dialect[])('list cursors on %s', (dialect) => {
  let api: Awaited<ReturnType<typeof setupApi>>;
  let desk: Awaited<ReturnType<typeof signIn>>;
  let other: Awaited<ReturnType<typeof signIn>>;
  const mine: string[] = [];
  const theirs: string[] = [];

  beforeAll(async () => {
    api = await setupApi(dialect);
    const taishan = await publishFixture(api.services);
    const kaiping = await publishFixture(api.services, 'kaiping-flow', '440783');
    desk = await signIn(api.services, 'receptionist');
    other = await signIn(api.services, 'otherReceptionist');
    for (let i = 0; i < 5; i++) {
      mine.push(
        (
          await desk.cases.register({
            flowId: taishan,
            channel: 'visit',
            data: { summary: `台山市第 ${i} 件路灯损坏` },
          })
        ).caseId,
      );
      theirs.push(
        (
          await other.cases.register({
            flowId: kaiping,
            channel: 'visit',
            data: { summary: `开平市第 ${i} 件路灯损坏` },
          })
        ).caseId,
      );
    }
  });
  afterAll(async () => {
    await api.test.drop();
  });

  it('pages the case list and the inbox by cursor to the end, each row once', async () => {
    const cases: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await desk.cases.list({ limit: 2, ...(cursor ? { cursor } : {}) });
      expect(page.total).toBe(5);
      expect(page.more).toBe(false);
      cases.push(...page.rows.map((r) => r.id));
      cursor = page.next ?? undefined;
    } while (cursor);
    expect(cases.sort()).toEqual([...mine].sort());
    const tasks: string[] = [];
    for (const sort of ['due', 'newest'] as const) {
      tasks.length = 0;
      cursor = undefined;
      do {
        const page = await desk.tasks.inbox({ sort, limit: 2, ...(cursor ? { cursor } : {}) });
        tasks.push(...page.rows.map((r) => r.caseId));
        cursor = page.next ?? undefined;
      } while (cursor);
      expect(tasks.sort()).toEqual([...mine].sort());
    }
  });

  it('refuses a malformed, tampered or other list’s cursor in both languages', async () => {
    const first = await desk.cases.list({ limit: 2 });
    const inbox = await desk.tasks.inbox({ limit: 2 });
    const bad = [
      "1' or 1=1 --",
      'bm90IGpzb24',
      // Valid base64url JSON with the wrong shape: a text where the time goes.
      Buffer.from(JSON.stringify(['cases.newest', 'x', 'y'])).toString('base64url'),
      // An inbox cursor given to the case list, and a deadline-order cursor to newest first.
      inbox.next ?? '',
      `${first.next ?? ''}AA`,
    ];
    for (const cursor of bad) {
      const refused = await desk.cases.list({ limit: 2, cursor }).catch((e: unknown) => e);
      expect(refused).toMatchObject({ code: 'BAD_REQUEST' });
      const cause = (refused as { cause?: { code?: string; localized?: (l: string) => string } })
        .cause;
      expect(cause?.code).toBe('list.cursorInvalid');
      expect(cause?.localized?.('zh-CN')).toBe('翻页位置无效（事项列表）：请回到第一页重新翻阅');
      expect(cause?.localized?.('en')).toBe(
        'the page position is invalid (case list): go back to the first page',
      );
    }
    await expect(
      desk.tasks.inbox({ sort: 'newest', cursor: inbox.next ?? '' }),
    ).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    await expect(desk.supervision.approvals({ cursor: 'x'.repeat(401) })).rejects.toMatchObject({
      code: 'BAD_REQUEST',
    });
    await expect(desk.notifications.mine({ cursor: first.next ?? '' })).rejects.toMatchObject({
      code: 'BAD_REQUEST',
    });
  });

  it('another county’s cursor, or a forged one, shows only the reader’s own rows', async () => {
    const theirPage = await other.cases.list({ limit: 2 });
    expect(theirPage.next).not.toBeNull();
    const through = await desk.cases.list({ limit: 50, cursor: theirPage.next ?? '' });
    for (const r of through.rows) expect(mine).toContain(r.id);
    // A forged cursor from before every case: the reader's own, none of theirs.
    const forged = encodeCursor('cases.oldest', [0, '0']);
    const all = await desk.cases.list({ order: 'oldest', limit: 50, cursor: forged });
    expect(all.rows.map((r) => r.id).sort()).toEqual([...mine].sort());
    const inbox = await desk.tasks.inbox({
      cursor: encodeCursor('inbox.due', [0, '2000-01-01T00:00:00Z', 'a']),
    });
    for (const r of inbox.rows) expect(theirs).not.toContain(r.caseId);
  });
});
