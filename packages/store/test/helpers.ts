import { randomBytes } from 'node:crypto';
import type { Actor } from '@lianxin/engine';
import { checkedFlow } from '@lianxin/spec';
import { type Clock, createTestDatabase, type Dialect, Store, Vault } from '../src';
import flowJson from './fixtures/flow.json' with { type: 'json' };

export const flow = checkedFlow(flowJson);
export const receptionist: Actor = { id: 'u-rec', roles: ['receptionist'], jurisdiction: '440781' };
export const handler: Actor = {
  id: 'u-hand',
  roles: ['handler'],
  jurisdiction: '440781',
  department: 'civil',
};
export const admin: Actor = { id: 'u-admin', roles: ['admin'], jurisdiction: '440781' };

export class FakeClock implements Clock {
  constructor(public ms = Date.parse('2025-03-03T01:00:00Z')) {}
  now() {
    return new Date(this.ms);
  }
  advance(ms: number) {
    this.ms += ms;
  }
}

export const DIALECTS: Dialect[] = ['sqlite', 'pg'];
export const DAY = 86_400_000;

/** A migrated store with Guangdong → Jiangmen → Taishan (and Kaiping) and the test flow published in Taishan. */
export async function setupStore(dialect: Dialect) {
  const test = await createTestDatabase(dialect);
  const clock = new FakeClock();
  const store = new Store(test.database, new Vault(randomBytes(32)), clock);
  await store.upsertJurisdiction({
    code: '440000',
    name: { 'zh-CN': '广东省' },
    level: 'province',
    parent: null,
  });
  await store.upsertJurisdiction({
    code: '440700',
    name: { 'zh-CN': '江门市' },
    level: 'city',
    parent: '440000',
  });
  for (const [code, name] of [
    ['440781', '台山市'],
    ['440783', '开平市'],
  ] as const)
    await store.upsertJurisdiction({
      code,
      name: { 'zh-CN': name },
      level: 'county',
      parent: '440700',
    });
  const saved = await store.saveDraft({
    jurisdiction: '440781',
    key: flow.key,
    name: flow.name,
    draft: flow as unknown as Record<string, unknown>,
    by: null,
  });
  await store.publish(saved.id, null);
  return { store, clock, flowId: saved.id, test };
}

export function startCommand(summary = '村道路灯损坏多日无人维修') {
  return {
    type: 'case.start' as const,
    channel: 'visit' as const,
    data: { summary },
    actor: receptionist,
  };
}
