// Child cases as the store runs them: a child that closes as it starts, and a flow that calls itself.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Store } from '../src';
import { DIALECTS, receptionist, setupStore } from './helpers';

const roles = [{ id: 'receptionist', name: { 'zh-CN': '接访员', en: 'Receptionist' } }];
const base = { formatVersion: 1, version: 1, jurisdiction: '440781', roles, dataSchema: {} };
const start = { id: 'start', kind: 'start', name: { 'zh-CN': '登记' }, channels: ['visit'] };

/** Ends as soon as it is registered, e.g. a confirmation that needs no step of its own. */
const instantChild = {
  ...base,
  key: 'instant-child',
  name: { 'zh-CN': '即时确认' },
  nodes: [start, { id: 'end', kind: 'end', name: { 'zh-CN': '办结' }, outcome: 'resolved' }],
  edges: [{ id: 'e1', kind: 'next', from: 'start', to: 'end' }],
};

const parent = {
  ...base,
  key: 'calls-instant-child',
  name: { 'zh-CN': '调用即时确认' },
  dataSchema: { type: 'object', properties: { confirmation: { type: 'string' } } },
  nodes: [
    start,
    {
      id: 'confirm',
      kind: 'subflow',
      name: { 'zh-CN': '确认' },
      flow: { key: 'instant-child' },
      outcomeVar: 'confirmation',
    },
    { id: 'review', kind: 'task', name: { 'zh-CN': '复核' }, assignee: { role: 'receptionist' } },
    { id: 'end', kind: 'end', name: { 'zh-CN': '办结' }, outcome: 'resolved' },
  ],
  edges: [
    { id: 'e1', kind: 'next', from: 'start', to: 'confirm' },
    { id: 'e2', kind: 'next', from: 'confirm', to: 'review' },
    {
      id: 'e3',
      kind: 'action',
      from: 'review',
      to: 'end',
      action: 'done',
      label: { 'zh-CN': '完成' },
    },
  ],
};

async function publish(store: Store, flow: { key: string; name: { 'zh-CN': string } }) {
  const saved = await store.saveDraft({
    jurisdiction: '440781',
    key: flow.key,
    name: flow.name,
    draft: flow as unknown as Record<string, unknown>,
    by: null,
  });
  await store.publish(saved.id, null);
  return saved.id;
}

describe.each(DIALECTS)('child cases on %s', (dialect) => {
  let store: Store;
  let drop: () => Promise<void>;
  beforeAll(async () => {
    const s = await setupStore(dialect);
    store = s.store;
    drop = () => s.test.drop();
  });
  afterAll(async () => {
    await drop();
  });

  it('moves the parent on at once when its child case closes as it starts', async () => {
    // given a published child flow that ends at registration, and a parent calling it
    await publish(store, instantChild);
    const parentId = await publish(store, parent);
    // when a parent case starts
    const { caseId } = await store.startCase({
      flowId: parentId,
      version: 1,
      command: { type: 'case.start', channel: 'visit', actor: receptionist },
    });
    // then the parent already holds the child's outcome and waits at its own task
    const row = await store.caseRow(caseId);
    expect(row?.state.data.confirmation).toBe('resolved');
    expect(row?.state.children).toEqual([]);
    expect(row?.state.tasks.map((t) => t.node)).toEqual(['review']);
  });

  it('refuses a flow that calls itself at the depth limit, writing nothing', async () => {
    // given a published flow whose subflow node calls the flow itself
    const recursive = {
      ...base,
      key: 'calls-itself',
      name: { 'zh-CN': '自我调用' },
      nodes: [
        start,
        { id: 'again', kind: 'subflow', name: { 'zh-CN': '再来' }, flow: { key: 'calls-itself' } },
        { id: 'end', kind: 'end', name: { 'zh-CN': '办结' }, outcome: 'resolved' },
      ],
      edges: [
        { id: 'e1', kind: 'next', from: 'start', to: 'again' },
        { id: 'e2', kind: 'next', from: 'again', to: 'end' },
      ],
    };
    const flowId = await publish(store, recursive);
    const before = (await store.listCases({ jurisdictions: ['440781'] })).total;
    // when a case of it starts
    const started = store.startCase({
      flowId,
      version: 1,
      command: { type: 'case.start', channel: 'visit', actor: receptionist },
    });
    // then it is refused as too deep, and no case of the chain was kept
    await expect(started).rejects.toMatchObject({ code: 'case.tooDeep' });
    expect((await store.listCases({ jurisdictions: ['440781'] })).total).toBe(before);
  });
});
