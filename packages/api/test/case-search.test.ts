import { type Dialect, searchAudit } from '@lianxin/store';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Services } from '../src';
import { normalisePhone } from '../src/routers/case-search';
import { publishFixture, setupApi, signIn } from './helpers';

describe.each(['sqlite', 'pg'] as Dialect[])('cases.search on %s', (dialect) => {
  let services: Services;
  let drop: () => Promise<void>;
  let api: Awaited<ReturnType<typeof setupApi>>;
  const ids: Record<string, string> = {};
  // Signed in once each: a sign-in costs a password hash.
  let desk: Awaited<ReturnType<typeof signIn>>;
  let other: Awaited<ReturnType<typeof signIn>>;

  beforeAll(async () => {
    api = await setupApi(dialect);
    services = api.services;
    drop = () => api.test.drop();
    const taishan = await publishFixture(services);
    const kaiping = await publishFixture(services, 'kaiping-flow', '440783');
    desk = await signIn(services, 'receptionist');
    other = await signIn(services, 'otherReceptionist');
    const otherDesk = other;
    ids.wages = (
      await desk.cases.register({
        flowId: taishan,
        channel: 'visit',
        data: { summary: '工地老板拖欠工资八个月' },
        petitioner: { name: '陈伯', phone: '13800138000' },
      })
    ).caseId;
    ids.lights = (
      await desk.cases.register({
        flowId: taishan,
        channel: 'visit',
        data: { summary: '村道路灯损坏多日无人维修' },
      })
    ).caseId;
    ids.kaiping = (
      await otherDesk.cases.register({
        flowId: kaiping,
        channel: 'visit',
        data: { summary: '工地老板拖欠工资八个月' },
        petitioner: { name: '陈伯', phone: '13800138000' },
      })
    ).caseId;
    const admin = await signIn(services, 'admin');
    const leader = await api.store.userByUsername('leader');
    await admin.cases.act({
      caseId: ids.lights,
      command: { type: 'case.setLeader', userId: leader?.id ?? '' },
    });
  });
  afterAll(async () => {
    await drop();
  });

  it('finds complaint words only in the reader’s jurisdictions; the city sees both counties', async () => {
    const mine = await desk.cases.search({ text: '拖欠工资' });
    expect(mine.rows.map((r) => r.id)).toEqual([ids.wages]);
    expect(mine.rows[0]).toMatchObject({ title: '工地老板拖欠工资八个月', summary: null });
    expect(mine).toMatchObject({ count: 1, more: false, next: null });
    expect((await other.cases.search({ text: '拖欠工资' })).rows.map((r) => r.id)).toEqual([
      ids.kaiping,
    ]);
    const city = await signIn(services, 'city');
    expect((await city.cases.search({ text: '拖欠工资' })).rows.map((r) => r.id).sort()).toEqual(
      [ids.wages, ids.kaiping].sort(),
    );
    // Naming another county is refused, and nothing of it is read.
    await expect(desk.cases.search({ jurisdiction: '440783', text: '拖欠' })).rejects.toMatchObject(
      { code: 'FORBIDDEN' },
    );
  });

  it('finds a petitioner by phone however it is typed, and the audit log never holds the number', async () => {
    for (const phone of ['13800138000', '+86 138-0013-8000', '0086 138 0013 8000']) {
      const found = await desk.cases.search({ petitioner: { phone } });
      expect(found.rows.map((r) => r.id)).toEqual([ids.wages]);
    }
    expect((await desk.cases.search({ petitioner: { name: '陈 伯' } })).rows).toHaveLength(1);
    expect((await desk.cases.search({ petitioner: { name: '陈' } })).rows).toHaveLength(0);
    const records = (await searchAudit(api.store.database, { limit: 50 })).records.filter(
      (r) => (r.detail as { procedure?: string }).procedure === 'cases.search',
    );
    const text = JSON.stringify(records);
    expect(text).not.toContain('13800138000');
    // A piece of the number as typed (138-0013-8000); ids, hashes and times are hex or digits
    // all along and may hold 0013 by chance, so only a standalone group counts.
    expect(text).not.toMatch(/(?<![0-9a-f])0013(?![0-9a-f])/i);
    expect(text).not.toContain('陈');
    expect(records.some((r) => r.action === 'petitioner.read')).toBe(true);
  });

  it('lets only the office that sees petitioners in full look one up: a typed name unmasks no one', async () => {
    const handler = await signIn(services, 'handler');
    await expect(handler.cases.search({ petitioner: { name: '陈伯' } })).rejects.toMatchObject({
      code: 'FORBIDDEN',
    });
    // The city's supervisor reads both counties but sees petitioners masked.
    const city = await signIn(services, 'city');
    await expect(city.cases.search({ petitioner: { phone: '13800138000' } })).rejects.toMatchObject(
      {
        code: 'FORBIDDEN',
      },
    );
    // Its words still find cases.
    expect((await handler.cases.search({ text: '拖欠工资' })).rows.map((r) => r.id)).toEqual([
      ids.wages,
    ]);
  });

  it('lists the cases I own as 包案 leader, and no one else’s', async () => {
    const leader = await signIn(services, 'leader');
    expect((await leader.cases.search({ mine: true })).rows.map((r) => r.id)).toEqual([ids.lights]);
    expect((await desk.cases.search({ mine: true })).rows).toEqual([]);
  });

  it('refuses bad input with a located message and pages by cursor', async () => {
    await expect(desk.cases.search({ cursor: "1' or 1=1 --" })).rejects.toMatchObject({
      code: 'BAD_REQUEST',
    });
    await expect(
      desk.cases.search({
        createdFrom: '2025-03-02T00:00:00Z',
        createdTo: '2025-03-01T00:00:00Z',
      }),
    ).rejects.toThrow(/登记止须晚于登记起/);
    await expect(desk.cases.search({ text: 'x'.repeat(101) })).rejects.toMatchObject({
      code: 'BAD_REQUEST',
    });
    const first = await desk.cases.search({ limit: 1 });
    expect(first.rows).toHaveLength(1);
    expect(first.count).toBe(2);
    const second = await desk.cases.search({ limit: 1, cursor: first.next ?? '' });
    expect(second.next).toBeNull();
    expect([first.rows[0]?.id, second.rows[0]?.id].sort()).toEqual([ids.wages, ids.lights].sort());
  });
});

describe('normalisePhone', () => {
  it('keeps the 11 digits of a mainland mobile however it was typed', () => {
    expect(normalisePhone('+86 138-0013-8000')).toBe('13800138000');
    expect(normalisePhone('0086 13800138000')).toBe('13800138000');
    expect(normalisePhone('(138) 0013 8000')).toBe('13800138000');
  });
});
