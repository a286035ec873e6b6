import { replay } from '@lianxin/engine';
import { checkedFlow, isSealed, parseSealed } from '@lianxin/spec';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resealPlainValues, type Store, StoreError } from '../src';
import flowJson from './fixtures/flow.json' with { type: 'json' };
import { DIALECTS, handler, receptionist, setupStore } from './helpers';

const NAME = '欧阳明远';
const ADDRESS = '山东省泰安市泰山区岱庙街道红门路12号';
const REPLY = '信访人患有心脏病，家中独居';

/** The test flow with a petitioner's name and address on the registration form and a sensitive reply. */
const sensitiveFlow = checkedFlow({
  ...flowJson,
  key: 'sensitive-test',
  dataSchema: {
    ...flowJson.dataSchema,
    properties: {
      ...flowJson.dataSchema.properties,
      petitioner: {
        type: 'object',
        properties: {
          name: { type: 'string', 'x-sensitive': 'name' },
          address: { type: 'string', 'x-sensitive': 'address' },
        },
      },
    },
  },
  forms: flowJson.forms.map((f) =>
    f.id === 'register'
      ? {
          ...f,
          schema: {
            ...f.schema,
            properties: {
              ...f.schema.properties,
              petitioner: {
                type: 'object',
                required: ['name'],
                properties: {
                  name: { type: 'string', maxLength: 20, 'x-sensitive': 'name' },
                  address: { type: 'string', 'x-sensitive': 'address' },
                },
              },
            },
          },
        }
      : f.id === 'reply'
        ? {
            ...f,
            schema: {
              ...f.schema,
              properties: { reply: { type: 'string', title: '答复意见', 'x-sensitive': 'text' } },
            },
          }
        : f,
  ),
});

/** The rows as the database holds them, as text: what a stolen backup shows. */
async function rawText(store: Store, table: 'cases' | 'events' | 'petitioners'): Promise<string> {
  const { database } = store;
  if (database.sqlite)
    return JSON.stringify(database.sqlite.prepare(`select * from ${table}`).all());
  const result = await database.read((db) =>
    (db as unknown as { execute(q: unknown): Promise<{ rows: unknown[] }> }).execute(
      sql.raw(`select t::text as row from ${table} t`),
    ),
  );
  return JSON.stringify(result.rows);
}

describe.each(DIALECTS)('sensitive fields are sealed at rest on %s', (dialect) => {
  let store: Store;
  let flowId: string;
  let drop: () => Promise<void>;

  beforeAll(async () => {
    const s = await setupStore(dialect);
    store = s.store;
    drop = () => s.test.drop();
    const saved = await store.saveDraft({
      jurisdiction: '440781',
      key: sensitiveFlow.key,
      name: sensitiveFlow.name,
      draft: sensitiveFlow as unknown as Record<string, unknown>,
      by: null,
    });
    await store.publish(saved.id, null);
    flowId = saved.id;
  });
  afterAll(async () => {
    await drop();
  });

  it('a stolen copy of cases, events and petitioners holds no name, address or sensitive reply, and replay still equals the row', async () => {
    const { caseId } = await store.startCase({
      flowId,
      version: 1,
      petitioner: { jurisdiction: '440781', name: NAME, phone: '13912341835' },
      command: {
        type: 'case.start',
        channel: 'visit',
        data: { summary: '村道路灯损坏多日无人维修', petitioner: { name: NAME, address: ADDRESS } },
        actor: receptionist,
      },
    });
    let row = await store.caseRow(caseId);
    await store.act(caseId, {
      type: 'task.complete',
      taskId: row?.state.tasks[0]?.id ?? '',
      action: 'submit',
      data: { accepted: true, department: 'civil' },
      actor: receptionist,
    });
    row = await store.caseRow(caseId);
    await store.act(caseId, {
      type: 'task.complete',
      taskId: row?.state.tasks[0]?.id ?? '',
      action: 'reply',
      data: { reply: REPLY },
      actor: handler,
    });

    for (const table of ['cases', 'events', 'petitioners'] as const) {
      const text = await rawText(store, table);
      for (const plain of [NAME, '红门路', '心脏病', '13912341835']) {
        expect(text, `${table} holds ${plain}`).not.toContain(plain);
      }
    }
    row = await store.caseRow(caseId);
    const petitioner = row?.state.data.petitioner as { name: string; address: string };
    expect(isSealed(petitioner.name)).toBe(true);
    expect(parseSealed(petitioner.address).kind).toBe('address');
    // Only the store's key opens them.
    expect(store.vault.decrypt(parseSealed(petitioner.address).ciphertext)).toBe(ADDRESS);
    expect(store.vault.decrypt(parseSealed(row?.state.data.reply as string).ciphertext)).toBe(
      REPLY,
    );
    // Case data, state and events carry the same sealed strings: replay is exact.
    expect(row?.state).toEqual(replay(sensitiveFlow, await store.events(caseId)));
    expect(row?.data).toEqual(row?.state.data);
  });

  it('lianxin migrate seals names and addresses older rows hold in plain text, once, and replay still equals the row', async () => {
    // A case written before its fields were sealed.
    const seal = store.writer.seal;
    store.writer.seal = undefined;
    const { caseId } = await store.startCase({
      flowId,
      version: 1,
      command: {
        type: 'case.start',
        channel: 'visit',
        data: {
          summary: '旧数据：村道路灯损坏',
          petitioner: { name: '司马旧案', address: ADDRESS },
        },
        actor: receptionist,
      },
    });
    store.writer.seal = seal;
    expect(await rawText(store, 'events')).toContain('司马旧案');
    const first = await resealPlainValues(store, { batch: 2 });
    expect(first.cases).toBeGreaterThanOrEqual(1);
    for (const table of ['cases', 'events'] as const) {
      const text = await rawText(store, table);
      expect(text).not.toContain('司马旧案');
      expect(text).not.toContain('红门路');
    }
    const row = await store.caseRow(caseId);
    const name = (row?.state.data.petitioner as { name: string } | undefined)?.name ?? '';
    expect(store.vault.decrypt(parseSealed(name).ciphertext)).toBe('司马旧案');
    expect(row?.state).toEqual(replay(sensitiveFlow, await store.events(caseId)));
    // Idempotent: a second run finds nothing to seal.
    expect(await resealPlainValues(store)).toEqual({ cases: 0, events: 0 });
  });

  it('validates the plain value before sealing it', async () => {
    await expect(
      store.startCase({
        flowId,
        version: 1,
        command: {
          type: 'case.start',
          channel: 'visit',
          data: { summary: '村道路灯损坏多日无人维修', petitioner: { name: '名'.repeat(21) } },
          actor: receptionist,
        },
      }),
    ).rejects.toMatchObject({ rejection: { code: 'form.invalid' } });
  });

  it('refuses form data that carries a sealed value copied from elsewhere, and writes nothing', async () => {
    const before = await store.countCases();
    const stolen = (await store.caseRow((await store.listCases({})).rows[0]?.id ?? ''))?.state.data
      .petitioner as { name: string };
    expect(isSealed(stolen.name)).toBe(true);
    const error = await store
      .startCase({
        flowId,
        version: 1,
        command: {
          type: 'case.start',
          channel: 'visit',
          data: { summary: '村道路灯损坏多日无人维修', petitioner: { name: stolen.name } },
          actor: receptionist,
        },
      })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StoreError);
    expect((error as StoreError).code).toBe('data.sealedInput');
    expect((error as StoreError).bilingual['zh-CN']).toContain('加密值');
    expect(await store.countCases()).toBe(before);
  });
});
