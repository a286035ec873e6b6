import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StoreError } from '../src';
import { DIALECTS, flow, setupStore } from './helpers';

type Setup = Awaited<ReturnType<typeof setupStore>>;

/**
 * Several editors save one flow in any order, each based on the draft it last
 * read or saved: a save based on a replaced draft is refused and writes
 * nothing, so the stored draft is always the last accepted save.
 */
describe.each(DIALECTS)('flow draft saves on %s', (dialect) => {
  let s: Setup;
  beforeAll(async () => {
    s = await setupStore(dialect);
  });
  afterAll(async () => s.test.drop());

  it('never lets a stale save overwrite a newer draft, whatever the order', async () => {
    let run = 0;
    await fc.assert(
      fc.asyncProperty(
        // Each step: which of three editors saves (after re-reading the draft or not).
        fc.array(fc.record({ editor: fc.integer({ min: 0, max: 2 }), reread: fc.boolean() }), {
          minLength: 1,
          maxLength: 12,
        }),
        async (steps) => {
          run++;
          const key = `race-${run}`;
          const first = await s.store.saveDraft({
            jurisdiction: '440781',
            key,
            name: { 'zh-CN': '并发' },
            draft: { ...flow, key, name: { 'zh-CN': '第 0 稿' } },
            by: null,
            expect: { new: true },
          });
          const based = [first.draftHash, first.draftHash, first.draftHash];
          let lastAccepted = '第 0 稿';
          let current = first.draftHash;
          for (const [i, step] of steps.entries()) {
            if (step.reread) based[step.editor] = (await s.store.flow(first.id))?.draftHash ?? null;
            const name = `第 ${i + 1} 稿`;
            try {
              const row = await s.store.saveDraft({
                jurisdiction: '440781',
                key,
                name: { 'zh-CN': '并发' },
                draft: { ...flow, key, name: { 'zh-CN': name } },
                by: `editor-${step.editor}`,
                expect: { draftHash: based[step.editor] ?? null },
              });
              // Accepted only when based on the draft stored at the time.
              expect(based[step.editor]).toBe(current);
              based[step.editor] = row.draftHash;
              current = row.draftHash;
              lastAccepted = name;
            } catch (e) {
              expect(e).toBeInstanceOf(StoreError);
              expect((e as StoreError).code).toBe('flow.draftConflict');
              expect(based[step.editor]).not.toBe(current);
            }
            const stored = await s.store.flow(first.id);
            expect((stored?.draft as { name?: { 'zh-CN': string } })?.name?.['zh-CN']).toBe(
              lastAccepted,
            );
            expect(stored?.draftHash).toBe(current);
          }
          // And a new flow may never take the key.
          await expect(
            s.store.saveDraft({
              jurisdiction: '440781',
              key,
              name: { 'zh-CN': '另一个' },
              draft: { ...flow, key },
              by: null,
              expect: { new: true },
            }),
          ).rejects.toMatchObject({ code: 'flow.exists' });
        },
      ),
      { numRuns: 15 },
    );
  });
});
