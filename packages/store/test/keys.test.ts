import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import {
  checkKeyRing,
  ciphertextsByKey,
  keyRingRows,
  rotateKeys,
  Store,
  StoreError,
  Vault,
  verifyStore,
} from '../src';
import flowJson from './fixtures/flow.json' with { type: 'json' };
import { DIALECTS, receptionist, setupStore, startCommand } from './helpers';

type Setup = Awaited<ReturnType<typeof setupStore>>;

/** The test flow with the summary marked sensitive: the store seals it in case data, state and events. */
function sensitiveSummary(flow: typeof flowJson) {
  const mark = (schema: { properties?: Record<string, unknown> }) => ({
    ...schema,
    properties: {
      ...schema.properties,
      summary: { ...(schema.properties?.summary as object), 'x-sensitive': 'text' },
    },
  });
  return {
    ...flow,
    dataSchema: mark(flow.dataSchema),
    forms: flow.forms.map((f) => (f.id === 'register' ? { ...f, schema: mark(f.schema) } : f)),
  };
}

describe.each(DIALECTS)('key ring on %s', (dialect) => {
  let setup: Setup | undefined;
  afterEach(async () => {
    await setup?.test.drop();
    setup = undefined;
  });

  /** A store under `key` with two petitioners and two cases carrying sealed values. */
  async function withData(key: Buffer) {
    setup = await setupStore(dialect);
    const { test, clock } = setup;
    const vault = new Vault(key);
    await checkKeyRing(test.database, vault, clock);
    const store = new Store(test.database, vault, clock);
    const flow = sensitiveSummary(flowJson);
    const saved = await store.saveDraft({
      jurisdiction: '440781',
      key: 'sensitive-summary',
      name: flow.name,
      draft: flow as unknown as Record<string, unknown>,
      by: null,
    });
    await store.publish(saved.id, null);
    const cases: string[] = [];
    for (const [name, phone] of [
      ['陈伯', '13800138000'],
      ['欧阳小明', '13912345678'],
    ] as const) {
      const started = await store.startCase({
        flowId: saved.id,
        version: 1,
        command: startCommand(`${name}反映路灯损坏`),
        petitioner: { jurisdiction: '440781', name, phone, idCard: '11010519491231002X' },
      });
      cases.push(started.caseId);
    }
    return { store, vault, cases };
  }

  it('records the key on first start and refuses another key, writing nothing', async () => {
    const key = randomBytes(32);
    await withData(key);
    const { test, clock } = setup as Setup;
    const before = await keyRingRows(test.database);
    expect(before.map((r) => r.kid)).toEqual([new Vault(key).primaryKid]);

    // A restored database opened with a freshly made key.
    const error = await checkKeyRing(test.database, new Vault(randomBytes(32)), clock, {
      kind: 'file',
      path: '/srv/lianxin/lianxin.key',
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StoreError);
    expect((error as StoreError).code).toBe('key.mismatch');
    expect((error as StoreError).bilingual['zh-CN']).toContain('密钥文件 /srv/lianxin/lianxin.key');
    expect((error as StoreError).bilingual['zh-CN']).toContain(before[0]?.kid);
    expect((error as StoreError).bilingual.en).toContain('Put back the key file');
    expect(await keyRingRows(test.database)).toEqual(before);
  }, 60_000);

  it('refuses a key that cannot open data written before fingerprints were recorded', async () => {
    const key = randomBytes(32);
    await withData(key);
    const { test, clock } = setup as Setup;
    // As a database from before this version: encrypted data, no key_ring rows.
    await test.database.tx((tx) => tx.delete(test.database.t.keyRing));
    const wrong = await checkKeyRing(test.database, new Vault(randomBytes(32)), clock, {
      kind: 'env',
    }).catch((e: unknown) => e);
    expect((wrong as StoreError).code).toBe('key.mismatch');
    expect(await keyRingRows(test.database)).toEqual([]);
    // The right key is accepted and recorded.
    await checkKeyRing(test.database, new Vault(key), clock);
    expect((await keyRingRows(test.database)).map((r) => r.kid)).toEqual([
      new Vault(key).primaryKid,
    ]);
  }, 60_000);

  it('rotates every ciphertext to a new key; the old key can then be dropped', async () => {
    const oldKey = randomBytes(32);
    const { store, cases } = await withData(oldKey);
    const { test, clock } = setup as Setup;
    const newKey = randomBytes(32);
    const ring = new Vault([newKey, oldKey]);
    await checkKeyRing(test.database, ring, clock);
    const result = await rotateKeys(test.database, ring, clock, { batch: 1, settleMs: 0 });
    expect(result.complete).toBe(true);
    expect(result.retired).toEqual([new Vault(oldKey).primaryKid]);
    expect(await ciphertextsByKey(test.database, ring)).toEqual({ [ring.primaryKid]: 8 });

    // Only the new key from here on: every row opens, the cache equals the replay,
    // and repeat detection still finds the petitioners by phone and ID number.
    const only = new Store(test.database, new Vault(newKey), clock);
    const report = await verifyStore(test.database, only.vault);
    expect(report.problems).toEqual([]);
    expect(report.checked).toMatchObject({ cases: 2, petitioners: 2 });
    const row = await only.caseRow(cases[0] as string);
    const petitioner = await only.petitioner(row?.petitionerId as string);
    expect(petitioner).toMatchObject({ name: '陈伯', phone: '13800138000' });
    expect((await only.repeatHints({ phone: '13912345678' })).map((h) => h.caseId)).toEqual([
      cases[1],
    ]);
    expect(await only.repeatHints({ idCard: '11010519491231002x' })).toHaveLength(2);
    // The old store's key alone no longer opens anything.
    await expect(store.petitioner(row?.petitionerId as string)).rejects.toThrow(
      /not in the key ring/,
    );
  }, 60_000);

  it('keeps case rows equal to their events when servers write during a rotation', async () => {
    const oldKey = randomBytes(32);
    const { store, cases } = await withData(oldKey);
    const { test, clock } = setup as Setup;
    const newKey = randomBytes(32);
    const ring = new Vault([newKey, oldKey]);
    await checkKeyRing(test.database, ring, clock);
    // A server that has not loaded the new key yet comments on a case in the
    // middle of a pass: on PostgreSQL it may write back the state it read,
    // sealed values still under the old key, after the pass re-encrypted the row.
    let comments = 0;
    const writes: Promise<unknown>[] = [];
    const result = await rotateKeys(test.database, ring, clock, {
      batch: 1,
      settleMs: 200,
      onProgress: (p) => {
        if (p.table === 'cases' && p.done === 1 && p.pass <= 2 && comments < 2) {
          comments++;
          writes.push(
            store.act(cases[0] as string, {
              type: 'case.comment',
              text: '家属电话已核实',
              actor: receptionist,
            }),
          );
        }
      },
    });
    await Promise.all(writes);
    expect(comments).toBe(2);
    expect(result.complete).toBe(true);
    const report = await verifyStore(test.database, new Vault(newKey));
    expect(report.problems).toEqual([]);
    expect(report.checked.events).toBeGreaterThan(2);
  }, 60_000);
});
