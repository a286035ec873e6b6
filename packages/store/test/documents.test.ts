import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { FlowDefinition, isSealed } from '@lianxin/spec';
import { sql } from 'drizzle-orm';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  BLANK,
  defaultDocumentTemplate,
  documentsIssued,
  fillTemplate,
  rotateKeys,
  Store,
  templateProblems,
  Vault,
} from '../src';
import { DAY, DIALECTS, type FakeClock, setupStore } from './helpers';
import {
  complete,
  publishStandard,
  registration,
  staffOf,
  standardFlow,
  stateOf,
} from './standard-petition';

const NAME = '陈某某';

async function register(store: Store, flowId: string, summary = registration.summary) {
  const started = await store.startCase({
    flowId,
    version: 1,
    command: {
      type: 'case.start',
      channel: 'visit',
      data: { ...registration, petitioner: { name: NAME }, summary },
      actor: staffOf('440781').receptionist,
    },
    petitioner: { jurisdiction: '440781', name: NAME, phone: '13800138000' },
  });
  return started.caseId;
}

describe.each(DIALECTS)('statutory documents on %s', (dialect) => {
  let store: Store;
  let clock: FakeClock;
  let flowId: string;
  let drop: () => Promise<void>;

  beforeAll(async () => {
    const setup = await setupStore(dialect);
    store = setup.store;
    clock = setup.clock;
    drop = () => setup.test.drop();
    flowId = await publishStandard(store);
  });
  afterAll(async () => drop());

  it('issues the 受理告知书 in the acceptance transition, numbered, its text sealed', async () => {
    const caseId = await register(store, flowId);
    expect(await store.documents.listForCase(caseId)).toEqual([]);
    await complete(store, caseId, 'accept', 'accept');
    const [doc, ...more] = await store.documents.listForCase(caseId);
    expect(more).toEqual([]);
    expect(doc).toMatchObject({ kind: 'acceptance', year: 2025, number: 1, edge: 'accept-accept' });
    expect(doc?.serial).toBe('台信受〔2025〕1号');
    const state = await stateOf(store, caseId);
    expect(doc?.caseVersion).toBe(state.version);
    // The row holds ciphertext only; opened, the text names the petitioner and the complaint.
    expect(isSealed(doc?.content)).toBe(true);
    expect(doc?.content).not.toContain(NAME);
    const content = store.documents.content(doc as NonNullable<typeof doc>);
    expect(content.title).toBe('受理告知书');
    expect(content.issuer).toBe('台山市信访局');
    expect(content.body).toContain(`${NAME}：`);
    expect(content.body).toContain(`“${registration.summary}”`);
    expect(content.body).toContain('2025年3月3日');
    expect(content.body).not.toContain('{{');
  });

  it('numbers per kind and year, and a refused transition takes no number', async () => {
    const a = await register(store, flowId);
    const b = await register(store, flowId);
    await complete(store, a, 'accept', 'decline');
    // The engine refuses a decline without its reason: nothing is written, no number used.
    await expect(complete(store, b, 'accept', 'decline', { declineReason: '' })).rejects.toThrow();
    await complete(store, b, 'accept', 'decline');
    const serials = [
      ...(await store.documents.listForCase(a)),
      ...(await store.documents.listForCase(b)),
    ].map((d) => d.serial);
    expect(serials).toEqual(['台信不受〔2025〕1号', '台信不受〔2025〕2号']);
    const text = store.documents.content((await store.documents.listForCase(a))[0] as never);
    expect(text.body).toContain('不属于信访事项受理范围');
    // A new year starts at 1 again.
    const saved = clock.ms;
    clock.ms = Date.parse('2026-01-05T02:00:00Z');
    const c = await register(store, flowId);
    await complete(store, c, 'accept', 'accept');
    expect((await store.documents.listForCase(c))[0]?.serial).toBe('台信受〔2026〕1号');
    clock.ms = saved;
  });

  it('issues a walk-in 回执 in the transaction that registers the case', async () => {
    const folder = fileURLToPath(
      new URL('../../../templates/petition-supermarket', import.meta.url),
    );
    const read = (file: string) => JSON.parse(readFileSync(join(folder, file), 'utf8'));
    const supermarket = FlowDefinition.parse({
      ...read('flow.json'),
      forms: readdirSync(join(folder, 'forms')).map((f) => read(`forms/${f}`)),
    });
    const id = await publishStandard(store, supermarket);
    const started = await store.startCase({
      flowId: id,
      version: 1,
      command: {
        type: 'case.start',
        channel: 'visit',
        data: { petitioner: { name: NAME }, summary: '邻里宅基地界址纠纷，请求调处' },
        actor: staffOf('440781').receptionist,
      },
      petitioner: { jurisdiction: '440781', name: NAME, phone: '13800138000' },
    });
    const [receipt] = await store.documents.listForCase(started.caseId);
    expect(receipt).toMatchObject({ kind: 'receipt', edge: 'e1' });
    expect(receipt?.caseVersion).toBe((await stateOf(store, started.caseId)).version);
    expect(receipt?.serial).toMatch(/^台信回〔2025〕\d+号$/);
    const text = store.documents.content(receipt as NonNullable<typeof receipt>);
    expect(text.title).toBe('来访登记回执');
    expect(text.body).toContain(`查询码 ${started.trackingCode}`);
  });

  it('takes {{case.title}} from the field the flow names as its title', async () => {
    const titled = await publishStandard(store, {
      ...standardFlow,
      key: 'titled-petition',
      caseTitle: 'requests',
    } as typeof standardFlow);
    const started = await store.startCase({
      flowId: titled,
      version: 1,
      command: {
        type: 'case.start',
        channel: 'visit',
        data: { ...registration, requests: '请求物业一周内修复电梯', petitioner: { name: NAME } },
        actor: staffOf('440781').receptionist,
      },
      petitioner: { jurisdiction: '440781', name: NAME, phone: '13800138000' },
    });
    await complete(store, started.caseId, 'accept', 'accept');
    const [doc] = await store.documents.listForCase(started.caseId);
    const text = store.documents.content(doc as NonNullable<typeof doc>);
    expect(text.body).toContain('“请求物业一周内修复电梯”');
  });

  it('gives concurrent transitions different numbers, with no gap', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 12; i++) ids.push(await register(store, flowId, `第${i}件：工资拖欠多月`));
    await Promise.all(ids.map((id) => complete(store, id, 'accept', 'transfer')));
    const numbers = (
      await Promise.all(ids.map(async (id) => (await store.documents.listForCase(id))[0]?.number))
    ).sort((x, y) => (x ?? 0) - (y ?? 0));
    expect(numbers).toEqual(Array.from({ length: 12 }, (_, i) => i + 1));
    const counted = await store.database.read((db) =>
      db
        .select({ n: sql<number>`count(distinct ${store.database.t.documents.serial})` })
        .from(store.database.t.documents),
    );
    const all = await store.database.read((db) =>
      db.select({ id: store.database.t.documents.id }).from(store.database.t.documents),
    );
    expect(Number(counted[0]?.n)).toBe(all.length);
  });

  it('issues from the county’s own template, and refuses a save over a newer revision', async () => {
    const [current] = (await store.documents.templates('440781')).filter(
      (t) => t.kind === 'opinion',
    );
    expect(current?.revision).toBe(0);
    const edit = {
      jurisdiction: '440781',
      kind: 'opinion' as const,
      serialPrefix: '台信复',
      issuer: '台山市人民政府信访局',
      title: '信访事项处理意见书',
      body: '{{petitioner.name}}：\n\n关于“{{case.title}}”，答复如下：{{reply}}\n\n{{issuer}} {{date}}',
      by: 'u-admin',
      at: clock.now().toISOString(),
    };
    const saved = await store.documents.saveTemplate({ ...edit, expectedRevision: 0 });
    expect(saved?.revision).toBe(1);
    // Another admin's editor, still at revision 0, does not overwrite it.
    expect(
      await store.documents.saveTemplate({ ...edit, title: '旧标题', expectedRevision: 0 }),
    ).toBeUndefined();
    const caseId = await register(store, flowId);
    for (const [node, action] of [
      ['accept', 'accept'],
      ['assign', 'assign'],
      ['handle', 'submit'],
      ['approve', 'approve'],
      ['reply', 'send'],
    ] as const) {
      clock.advance(DAY);
      await complete(store, caseId, node, action);
    }
    const docs = await store.documents.listForCase(caseId);
    expect(docs.map((d) => d.kind)).toEqual(['acceptance', 'opinion']);
    const opinion = docs[1] as NonNullable<(typeof docs)[1]>;
    expect(opinion.serial).toBe('台信复〔2025〕1号');
    expect(opinion.templateRevision).toBe(1);
    const text = store.documents.content(opinion);
    expect(text.title).toBe('信访事项处理意见书');
    expect(text.body).toContain('答复如下：经人社局协调，拖欠工资已全部支付。');
    expect(text.body).toContain('台山市人民政府信访局 2025年3月');
    // Kaiping next door still has the shipped wording.
    const kaiping = (await store.documents.templates('440783')).find((t) => t.kind === 'opinion');
    expect(kaiping).toMatchObject({ revision: 0, serialPrefix: '开信处', issuer: '开平市信访局' });
  });
});

describe.each(DIALECTS)('statutory documents under key rotation on %s', (dialect) => {
  it('re-encrypts a document’s text under the new key, so it opens once the old key is gone', async () => {
    const setup = await setupStore(dialect);
    try {
      const oldKey = randomBytes(32);
      const newKey = randomBytes(32);
      const before = new Store(setup.test.database, new Vault(oldKey), setup.clock);
      const flowId = await publishStandard(before);
      const caseId = await register(before, flowId);
      await complete(before, caseId, 'accept', 'accept');
      const ring = new Vault([newKey, oldKey]);
      const rotated = await rotateKeys(setup.test.database, ring, setup.clock, { settleMs: 0 });
      expect(rotated.complete).toBe(true);
      const after = new Store(setup.test.database, new Vault(newKey), setup.clock);
      const [doc] = await after.documents.listForCase(caseId);
      expect(after.documents.content(doc as NonNullable<typeof doc>).body).toContain(`${NAME}：`);
    } finally {
      await setup.test.drop();
    }
  });
});

describe('document templates', () => {
  it('locates unknown and unfinished placeholders by line', () => {
    const problems = templateProblems({
      serialPrefix: '台信受',
      issuer: '台山市信访局',
      title: '受理告知书',
      body: '{{petitioner.name}}：\n\n你的{{case.titel}}已受理。\n{{reply',
    });
    expect(problems.map((p) => [p.field, p.line])).toEqual([
      ['body', 3],
      ['body', 4],
    ]);
    expect(problems[0]?.message['zh-CN']).toContain('正文第 3 行');
    expect(problems[0]?.message['zh-CN']).toContain('{{case.titel}}');
    expect(problems[1]?.message.en).toContain('unfinished placeholder');
    expect(
      templateProblems({ serialPrefix: '', issuer: 'x', title: 'x', body: 'x' })[0]?.field,
    ).toBe('serialPrefix');
    expect(
      templateProblems({
        serialPrefix: '台信受',
        issuer: 'x',
        title: '受理\n告知书',
        body: 'x',
      }).map((p) => p.message['zh-CN']),
    ).toEqual(['标题只能写一行']);
  });

  it('takes no name from the object prototype for a placeholder', () => {
    for (const name of ['constructor', '__proto__', 'toString', 'hasOwnProperty']) {
      const body = `{{petitioner.name}}：{{${name}}}`;
      expect(
        templateProblems({ serialPrefix: '台信受', issuer: 'x', title: 'x', body }).map(
          (p) => p.line,
        ),
      ).toEqual([1]);
      expect(fillTemplate(body, { 'petitioner.name': '陈某' })).toBe(`陈某：${BLANK}`);
    }
  });

  it('ships a default for every kind that passes its own check', () => {
    for (const kind of [
      'receipt',
      'acceptance',
      'nonAcceptance',
      'transfer',
      'opinion',
      'review',
      'reReview',
    ] as const) {
      expect(templateProblems(defaultDocumentTemplate(kind, '台山市'))).toEqual([]);
    }
  });

  it('fills every placeholder: a value, or a blank line to write on', () => {
    fc.assert(
      fc.property(fc.string(), fc.option(fc.string({ minLength: 1 })), (before, name) => {
        const text = `${before.replace(/[{}]/g, '')}{{ petitioner.name }}{{reply}}`;
        const out = fillTemplate(text, name === null ? {} : { 'petitioner.name': name });
        expect(out).not.toMatch(/\{\{\s*(petitioner\.name|reply)\s*\}\}/);
        expect(out.endsWith(BLANK)).toBe(true);
      }),
    );
  });

  it('names the documents of the edges a transition took', () => {
    const flow = {
      edges: standardFlow.edges.map((e) =>
        e.id === 'e1' ? { ...e, documents: ['receipt' as const] } : e,
      ),
    };
    expect(
      documentsIssued(flow, [
        { type: 'token.moved', tokenId: 't', node: 'accept', via: 'e1', at: '' },
        { type: 'token.moved', tokenId: 't', node: 'assign', via: 'accept-accept', at: '' },
      ]),
    ).toEqual([
      { edge: 'e1', kind: 'receipt' },
      { edge: 'accept-accept', kind: 'acceptance' },
    ]);
  });
});
