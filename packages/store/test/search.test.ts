import { checkedFlow } from '@lianxin/spec';
import { sql } from 'drizzle-orm';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  hashPetitionerNames,
  indexUnindexedCases,
  queryTokens,
  type Store,
  searchTokens,
} from '../src';
import flowJson from './fixtures/flow.json' with { type: 'json' };
import { admin, DAY, DIALECTS, handler, receptionist, setupStore } from './helpers';

const SECRET = '信访人患有心脏病家中独居';

/** The test flow with its reply marked sensitive (sealed, so never indexed). */
const sealedReplyFlow = checkedFlow({
  ...flowJson,
  key: 'sealed-reply',
  forms: flowJson.forms.map((f) =>
    f.id === 'reply'
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

describe('search tokens', () => {
  it('every part of a Chinese text finds it: the tokens of any substring are among the text’s', () => {
    const han = fc.constantFrom(...'拖欠工资安置房补偿款宅基地纠纷噪音扰民路灯损坏'.split(''));
    fc.assert(
      fc.property(
        fc.array(han, { minLength: 1, maxLength: 30 }),
        fc.nat(),
        fc.nat(),
        (chars, a, b) => {
          const text = chars.join('');
          const from = a % chars.length;
          const to = from + 1 + (b % (chars.length - from));
          const tokens = new Set(searchTokens({ summary: text }).split(' '));
          const q = queryTokens(chars.slice(from, to).join(''));
          for (const t of q.exact) expect(tokens.has(t)).toBe(true);
          for (const p of q.prefix) expect([...tokens].some((t) => t.startsWith(p))).toBe(true);
        },
      ),
    );
  });

  it('never indexes a sealed value, the petitioner, an id or a date; words other than Chinese are whole and lower-case', () => {
    const tokens = searchTokens({
      summary: '拖欠工资 ABC公司 No.12',
      reply: 'lx:s1:text:v2:0123abcd:AAAA',
      petitioner: { name: '欧阳明远', address: '红门路' },
      attachment: '3f2a1b4c-1111-2222-3333-444455556666',
      when: '2025-03-03T01:00:00.000Z',
    }).split(' ');
    expect(tokens).toEqual(
      expect.arrayContaining(['拖欠', '欠工', '工资', '资', 'abc', '公司', '司', 'no', '12']),
    );
    for (const t of tokens) expect('欧阳明远红门路lx:s13f2a1b4c2025'.includes(t)).toBe(false);
    expect(searchTokens({})).toBe('');
  });
});

describe.each(DIALECTS)('case search on %s', (dialect) => {
  let store: Store;
  let flowId: string;
  let sealedFlowId: string;
  let advance: (ms: number) => void;
  let drop: () => Promise<void>;
  const ids: Record<string, string> = {};
  const scope = ['440781'];

  const start = async (
    name: string,
    summary: string,
    options: {
      jurisdiction?: string;
      petitioner?: { name?: string; phone?: string; idCard?: string };
      flow?: string;
    } = {},
  ) => {
    advance(60_000);
    const { caseId } = await store.startCase({
      flowId: options.flow ?? flowId,
      version: 1,
      ...(options.petitioner
        ? { petitioner: { jurisdiction: options.jurisdiction ?? '440781', ...options.petitioner } }
        : {}),
      command: {
        type: 'case.start',
        channel: 'visit',
        data: { summary },
        actor: { ...receptionist, jurisdiction: options.jurisdiction ?? '440781' },
        ...(options.jurisdiction ? { jurisdiction: options.jurisdiction } : {}),
      },
    });
    ids[name] = caseId;
    return caseId;
  };
  const complete = async (caseId: string, action: string, data: Record<string, unknown>) => {
    const row = await store.caseRow(caseId);
    await store.act(caseId, {
      type: 'task.complete',
      taskId: row?.state.tasks[0]?.id ?? '',
      action,
      data,
      actor: action === 'reply' ? handler : receptionist,
    });
  };
  const found = async (q: Parameters<Store['searchCases']>[0]) =>
    (await store.searchCases(q)).rows.map((r) => r.id).sort();
  const names = (...n: string[]) => n.map((x) => ids[x]).sort();
  const search = (text: string) => found({ jurisdictions: scope, text, limit: 50, countCap: 100 });

  beforeAll(async () => {
    const s = await setupStore(dialect);
    store = s.store;
    flowId = s.flowId;
    advance = (ms) => s.clock.advance(ms);
    drop = () => s.test.drop();
    const saved = await store.saveDraft({
      jurisdiction: '440781',
      key: sealedReplyFlow.key,
      name: sealedReplyFlow.name,
      draft: sealedReplyFlow as unknown as Record<string, unknown>,
      by: null,
    });
    await store.publish(saved.id, null);
    sealedFlowId = saved.id;

    await start('wages', '工地老板拖欠工资八个月，要求尽快解决', {
      petitioner: { name: '陈 伯', phone: '13800138000', idCard: '11010519491231002X' },
    });
    await start('housing', '安置房墙体开裂漏水，工资卡也被扣', {
      petitioner: { name: '黄大明', phone: '13912341835' },
    });
    await start('light', '村道路灯损坏多日无人维修');
    // The same complaint next door, in 开平市: never in 台山市's results.
    await start('kaiping', '工地老板拖欠工资八个月，要求尽快解决', {
      jurisdiction: '440783',
      petitioner: { name: '陈伯', phone: '13800138000' },
    });
    await start('sealed', '村民反映低保资格被取消', { flow: sealedFlowId });
  });
  afterAll(async () => {
    await drop();
  });

  it('finds cases by words of the complaint, in Chinese, only in the reader’s jurisdictions', async () => {
    expect(await search('拖欠工资')).toEqual(names('wages'));
    expect(await search('工资')).toEqual(names('wages', 'housing'));
    // One character matches as the start of a token; a word in another order is another word.
    expect(await search('漏')).toEqual(names('housing'));
    expect(await search('工资拖欠')).toEqual([]);
    expect(await search('拖欠工资 八个月')).toEqual(names('wages'));
    expect(await search('，。！')).toEqual([]);
    // The city sees both counties.
    expect(
      await found({
        jurisdictions: ['440781', '440783'],
        text: '拖欠工资',
        limit: 50,
        countCap: 9,
      }),
    ).toEqual(names('wages', 'kaiping'));
    expect(await found({ jurisdictions: [], text: '拖欠工资', limit: 50, countCap: 9 })).toEqual(
      [],
    );
  });

  it('any text a user types is a search, never a query-syntax error, and stays in scope', async () => {
    const nasty = [...'"*^():-\'\\%_;{}+ AND OR NOT NEAR 拖欠工资漏水ａＢ１²'];
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.array(fc.constantFrom(...nasty), { maxLength: 30 }).map((a) => a.join('')),
          fc.string({ maxLength: 30, unit: 'grapheme' }),
        ),
        async (text) => {
          const r = await store.searchCases({ jurisdictions: scope, text, limit: 5, countCap: 5 });
          for (const row of r.rows) expect(row.jurisdiction).toBe('440781');
        },
      ),
      { numRuns: 60 },
    );
  });

  it('indexes what a transition writes, in its transaction, and never a sealed answer', async () => {
    await complete(ids.light as string, 'submit', { accepted: true, department: 'civil' });
    await complete(ids.light as string, 'reply', { reply: '已联系供电所更换灯泡' });
    expect(await search('供电所')).toEqual(names('light'));

    const sealed = ids.sealed as string;
    await complete(sealed, 'submit', { accepted: true, department: 'civil' });
    await complete(sealed, 'reply', { reply: SECRET });
    expect(await search('心脏病')).toEqual([]);
    expect(await search('低保')).toEqual(names('sealed'));
    const row = await store.caseRow(sealed);
    for (const pair of ['心脏', '独居', '家中']) expect(row?.searchText).not.toContain(pair);
    // The department that handled it and the date range narrow the search.
    expect(
      await found({ jurisdictions: scope, department: 'civil', limit: 50, countCap: 9 }),
    ).toEqual(names('light', 'sealed'));
    const wages = await store.caseRow(ids.wages as string);
    expect(
      await found({
        jurisdictions: scope,
        createdFrom: wages?.createdAt,
        createdTo: new Date(Date.parse(wages?.createdAt ?? '') + 1).toISOString(),
        limit: 50,
        countCap: 9,
      }),
    ).toEqual(names('wages'));
  });

  it('finds a petitioner’s cases by name, phone or ID-card number through keyed hashes only', async () => {
    const by = (petitioner: { name?: string; phone?: string; idCard?: string }) =>
      found({ jurisdictions: scope, petitioner, limit: 50, countCap: 9 });
    expect(await by({ name: '陈伯' })).toEqual(names('wages'));
    expect(await by({ phone: '138 0013 8000' })).toEqual(names('wages'));
    expect(await by({ idCard: '11010519491231002x' })).toEqual(names('wages'));
    expect(await by({ name: '陈' })).toEqual([]);
    expect(await by({ name: '陈伯', phone: '13912341835' })).toEqual([]);
    // No name, phone or ID number is held in the clear.
    const raw = JSON.stringify(
      await store.database.read((db) => db.select().from(store.database.t.petitioners)),
    );
    for (const plain of ['陈伯', '黄大明', '13800138000']) expect(raw).not.toContain(plain);
  });

  it('pages by a stable key with a capped count, and finds a leader’s own cases', async () => {
    for (let i = 0; i < 12; i++) await start(`page${i}`, `第${i}批次噪音扰民`);
    const all: string[] = [];
    let after: { createdAtMs: number; id: string } | undefined;
    let first: Awaited<ReturnType<Store['searchCases']>> | undefined;
    for (let n = 0; n < 10; n++) {
      const page = await store.searchCases({
        jurisdictions: scope,
        text: '噪音扰民',
        limit: 5,
        countCap: 8,
        ...(after ? { after } : {}),
      });
      first ??= page;
      all.push(...page.rows.map((r) => r.id));
      if (!page.next) break;
      after = page.next;
    }
    expect(all).toEqual(Array.from({ length: 12 }, (_, i) => ids[`page${11 - i}`]));
    expect(first?.count).toBe(8);
    expect(first?.more).toBe(true);
    expect(first?.rows[0]?.title).toBe('第11批次噪音扰民');

    await store.act(ids.page3 as string, {
      type: 'case.setLeader',
      userId: 'u-leader',
      actor: admin,
    });
    expect(
      await found({ jurisdictions: scope, leaderOwner: 'u-leader', limit: 9, countCap: 9 }),
    ).toEqual(names('page3'));
  });

  it('indexes cases written before the index existed, and hashes names recorded before', async () => {
    const { database } = store;
    const c = database.t.cases;
    await database.tx((tx) =>
      tx.update(c).set({ searchText: null }).where(sql`${c.id} = ${ids.housing}`),
    );
    expect(await search('安置房')).toEqual([]);
    expect(await indexUnindexedCases(database)).toBe(1);
    expect(await search('安置房')).toEqual(names('housing'));

    const p = database.t.petitioners;
    await database.tx((tx) => tx.update(p).set({ nameHash: null }));
    expect(await hashPetitionerNames(database, store.vault)).toBe(3);
    expect(
      await found({ jurisdictions: scope, petitioner: { name: '黄大明' }, limit: 9, countCap: 9 }),
    ).toEqual(names('housing'));
    advance(DAY);
  });
});
