import { isCheckedFlow } from '@lianxin/spec';
import { and, eq } from 'drizzle-orm';
import { afterEach, describe, expect, it } from 'vitest';
import { contentHash } from '../src';
import { DIALECTS, flow, setupStore, startCommand } from './helpers';

/** The part of a stored definition these tests read. */
interface Stored {
  clocks: Array<{ extension?: unknown; deadline: { calendar?: string } }>;
}

/** The test flow as an older Lianxin stored it: no `forms` or `clocks` keys, no join mode, no extension times. */
function withoutDefaults(): Record<string, unknown> {
  const raw = JSON.parse(JSON.stringify(flow)) as Record<string, unknown>;
  const clocks = raw.clocks as Array<Record<string, unknown>>;
  const clock = { ...clocks[0], extension: { max: 'P30D' } } as Record<string, unknown>;
  delete (clock.deadline as Record<string, unknown>).calendar;
  raw.clocks = [clock];
  return raw;
}

describe.each(DIALECTS)('stored flow definitions on %s', (dialect) => {
  let cleanup: (() => Promise<void>) | undefined;
  afterEach(async () => {
    await cleanup?.();
    cleanup = undefined;
  });
  async function setup() {
    const s = await setupStore(dialect);
    cleanup = () => s.test.drop();
    return s;
  }

  it('publishes the definition with its defaults filled, and reads it back checked', async () => {
    // given a draft that leaves the defaults out
    const { store } = await setup();
    const saved = await store.saveDraft({
      jurisdiction: '440781',
      key: 'defaults',
      name: { 'zh-CN': '缺省值' },
      draft: { ...withoutDefaults(), key: 'defaults' },
      by: null,
    });
    // when it is published
    const row = await store.publish(saved.id, null);
    // then what is stored is what runs: the extension may be used once, the calendar is natural
    const stored = row.definition as unknown as Stored;
    expect(stored.clocks[0]?.extension).toMatchObject({ max: 'P30D', times: 1 });
    expect(stored.clocks[0]?.deadline.calendar).toBe('natural');
    expect(saved.draft).toMatchObject({ clocks: [{ extension: { times: 1 } }] });
    const definition = await store.database.read((db) => store.definition(db, saved.id, 1));
    expect(isCheckedFlow(definition)).toBe(true);
    expect(row.contentHash).toBe(contentHash(row.definition));
  });

  it('refuses to publish a draft the checker finds errors in, and publishes nothing', async () => {
    const { store } = await setup();
    const draft = JSON.parse(JSON.stringify(flow)) as { edges: Array<Record<string, unknown>> };
    const conditional = draft.edges.find((e) => e.kind === 'condition');
    expect(conditional).toBeDefined();
    (conditional as Record<string, unknown>).condition = 'accepted == true';
    const saved = await store.saveDraft({
      jurisdiction: '440781',
      key: 'broken',
      name: { 'zh-CN': '错误' },
      draft: { ...draft, key: 'broken' },
      by: null,
    });
    await expect(store.publish(saved.id, null)).rejects.toMatchObject({ code: 'flow.invalid' });
    expect(await store.flowVersions(saved.id)).toEqual([]);
    expect((await store.flow(saved.id))?.latestVersion).toBe(0);
  });

  it('refuses to run a version stored with a string condition, saying where, and writes nothing', async () => {
    // given a published version whose condition an older Lianxin let through as a string
    const { store, flowId } = await setup();
    const t = store.database.t;
    const row = await store.flowVersion(flowId, 1);
    const stored = JSON.parse(JSON.stringify(row?.definition)) as {
      edges: Array<Record<string, unknown>>;
    };
    const conditional = stored.edges.find((e) => e.kind === 'condition');
    (conditional as Record<string, unknown>).condition = 'accepted == true';
    await store.database.tx((tx) =>
      tx
        .update(t.flowVersions)
        .set({ definition: stored })
        .where(and(eq(t.flowVersions.flowId, flowId), eq(t.flowVersions.version, 1))),
    );
    // when a case is registered on it, then it is refused with the place of the mistake
    const refused = store.startCase({ flowId, version: 1, command: startCommand() });
    await expect(refused).rejects.toMatchObject({ code: 'flow.notRunnable' });
    await expect(refused).rejects.toThrow(/\/edges\/\d+\/condition/);
    expect(await store.countCases()).toBe(0);
  });

  it('fills the defaults of flows stored before, when the database is migrated', async () => {
    // given a version and a draft written the old way, straight into the tables
    const { store, flowId, test } = await setup();
    const t = store.database.t;
    const old: Record<string, unknown> = { ...withoutDefaults(), version: 1 };
    const oldDraft = { ...old };
    delete oldDraft.clocks;
    await store.database.tx(async (tx) => {
      await tx
        .update(t.flowVersions)
        .set({ definition: old, contentHash: contentHash(old) })
        .where(and(eq(t.flowVersions.flowId, flowId), eq(t.flowVersions.version, 1)));
      await tx.update(t.flows).set({ draft: oldDraft }).where(eq(t.flows.id, flowId));
    });
    // when the database is migrated (as every server start does)
    await test.database.migrate();
    // then the stored JSON has its defaults and a case starts on it
    const row = await store.flowVersion(flowId, 1);
    const stored = row?.definition as unknown as Stored;
    expect(stored.clocks[0]?.extension).toEqual({ max: 'P30D', times: 1 });
    expect(stored.clocks[0]?.deadline.calendar).toBe('natural');
    expect(row?.contentHash).toBe(contentHash(stored));
    const draft = (await store.flow(flowId))?.draft as unknown as Stored | undefined;
    expect(draft?.clocks).toEqual([]);
    const started = await store.startCase({ flowId, version: 1, command: startCommand() });
    expect(started.state.status).toBe('active');
  });
});
