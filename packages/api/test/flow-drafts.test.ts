import { TRPCError } from '@trpc/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Services } from '../src';
import { flow, setupApi, signIn } from './helpers';

async function refusal(p: Promise<unknown>) {
  try {
    await p;
  } catch (e) {
    if (!(e instanceof TRPCError)) throw e;
    const cause = e.cause as {
      code?: string;
      message_?: Record<string, string>;
      details?: unknown;
    };
    return { code: cause.code, trpc: e.code, messages: cause.message_, details: cause.details };
  }
  throw new Error('not refused');
}

const named = (name: string) => ({ ...flow, name: { 'zh-CN': name, en: name } });

describe.each(['sqlite', 'pg'] as const)(
  'flow drafts on %s: a new flow never takes an existing key, a stale save never overwrites',
  (dialect) => {
    let services: Services;
    let drop: () => Promise<void>;
    beforeAll(async () => {
      const s = await setupApi(dialect);
      services = s.services;
      drop = () => s.test.drop();
    });
    afterAll(async () => drop());

    it('refuses a second new flow with the same key and keeps the first', async () => {
      const admin = await signIn(services, 'admin');
      const created = await admin.flows.saveDraft({
        jurisdiction: '440781',
        key: 'drafts-new',
        definition: { ...named('华侨纠纷调解'), key: 'drafts-new' },
        create: true,
      });
      const again = await refusal(
        admin.flows.saveDraft({
          jurisdiction: '440781',
          key: 'drafts-new',
          definition: { ...named('另一个流程'), key: 'drafts-new', nodes: [], edges: [] },
          create: true,
        }),
      );
      expect(again).toMatchObject({ code: 'flow.exists', trpc: 'CONFLICT' });
      expect(again.messages?.['zh-CN']).toContain('已有标识为 drafts-new 的流程');
      // The place by name, not 440781.
      expect(again.messages?.['zh-CN']).toMatch(/^辖区 台山市 已有/);
      const kept = await admin.flows.get({ flowId: created.flowId });
      expect((kept.draft as { name: { 'zh-CN': string } }).name['zh-CN']).toBe('华侨纠纷调解');
      expect(kept.draftHash).toBe(created.draftHash);
      // Another county may use the same key for its own flow.
      const other = await signIn(services, 'otherAdmin');
      await other.flows.saveDraft({
        jurisdiction: '440783',
        key: 'drafts-new',
        definition: { ...named('开平'), key: 'drafts-new', jurisdiction: '440783' },
        create: true,
      });
    });

    it('refuses a save based on a draft someone else has replaced, saying who and when', async () => {
      const admin = await signIn(services, 'admin');
      const city = await signIn(services, 'cityAdmin');
      const first = await admin.flows.saveDraft({
        jurisdiction: '440781',
        key: 'drafts-race',
        definition: { ...named('第一稿'), key: 'drafts-race' },
        create: true,
      });
      const opened = await city.flows.get({ flowId: first.flowId });
      expect(opened.draftHash).toBe(first.draftHash);
      expect(opened.draftUpdatedBy).toBe('admin');
      // The county admin saves on top of their own first save.
      const second = await admin.flows.saveDraft({
        jurisdiction: '440781',
        key: 'drafts-race',
        definition: { ...named('县里改的'), key: 'drafts-race' },
        baseDraftHash: first.draftHash,
      });
      // The city admin still has the first draft open: refused, nothing written.
      const stale = await refusal(
        city.flows.saveDraft({
          jurisdiction: '440781',
          key: 'drafts-race',
          definition: { ...named('市里改的'), key: 'drafts-race' },
          baseDraftHash: opened.draftHash,
        }),
      );
      expect(stale).toMatchObject({
        code: 'flow.draftConflict',
        trpc: 'CONFLICT',
        details: { flowId: first.flowId, draftHash: second.draftHash, savedBy: 'admin' },
      });
      expect(stale.messages?.['zh-CN']).toMatch(/^admin于 \d{4}-\d\d-\d\d \d\d:\d\d 保存了/);
      const kept = await city.flows.get({ flowId: first.flowId });
      expect((kept.draft as { name: { 'zh-CN': string } }).name['zh-CN']).toBe('县里改的');
      // Having read the newer draft, the city admin's save goes through.
      const third = await city.flows.saveDraft({
        jurisdiction: '440781',
        key: 'drafts-race',
        definition: { ...named('市里改的'), key: 'drafts-race' },
        baseDraftHash: second.draftHash,
      });
      expect(third.draftHash).not.toBe(second.draftHash);
      expect((await city.flows.get({ flowId: first.flowId })).draftUpdatedBy).toBe('cityAdmin');
    });

    it('diffs in words, whatever the key order', async () => {
      const admin = await signIn(services, 'admin');
      const saved = await admin.flows.saveDraft({
        jurisdiction: '440781',
        key: 'drafts-diff',
        definition: { ...named('比较'), key: 'drafts-diff' },
        create: true,
      });
      await admin.flows.publish({ flowId: saved.flowId, note: '第一版' });
      const reordered = Object.fromEntries(
        Object.entries({ ...named('比较（修订）'), key: 'drafts-diff' }).reverse(),
      );
      await admin.flows.saveDraft({
        jurisdiction: '440781',
        key: 'drafts-diff',
        definition: reordered,
        baseDraftHash: saved.draftHash,
      });
      const diff = await admin.flows.diff({ flowId: saved.flowId, from: 1, to: 'draft' });
      expect(diff.fields).toEqual(['name']);
      expect(diff.nodes.changed).toEqual([]);
      expect(diff.words.map((w) => w.text)).toEqual(['修改 名称：比较 → 比较（修订）']);
      expect((await admin.flows.versions({ flowId: saved.flowId }))[0]?.note).toBe('第一版');
    });
  },
);
