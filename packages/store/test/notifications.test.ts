import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Store } from '../src';
import { DAY, DIALECTS, type FakeClock, setupStore, startCommand } from './helpers';

// The notification outbox delivered in-app, on both databases: the engine's
// deadline warnings reach the staff who would see the task in their inbox.
describe.each(DIALECTS)('notification delivery on %s', (dialect) => {
  let store: Store;
  let clock: FakeClock;
  let flowId: string;
  let drop: () => Promise<void>;
  const ids: Record<'desk' | 'away' | 'kaiping' | 'civil', string> = {
    desk: '',
    away: '',
    kaiping: '',
    civil: '',
  };

  async function fireDue() {
    for (const timer of await store.claimDueTimers('notify-test', 1000))
      await store.fireTimer(timer);
  }

  beforeAll(async () => {
    const s = await setupStore(dialect);
    store = s.store;
    clock = s.clock;
    flowId = s.flowId;
    drop = () => s.test.drop();
    const user = async (
      username: string,
      jurisdiction: string,
      role: string,
      department?: string,
    ) =>
      (
        await store.createUser({
          username: `${username}-${dialect}`,
          displayName: username,
          password: 'notify-test-password',
          memberships: [{ jurisdiction, role, department: department ?? null }],
        })
      ).id;
    ids.desk = await user('desk', '440781', 'receptionist');
    ids.away = await user('away', '440781', 'receptionist');
    ids.kaiping = await user('kaiping', '440783', 'receptionist');
    ids.civil = await user('civil', '440781', 'handler', 'civil');
    await store.updateUser(ids.away, { active: false });
  });
  afterAll(async () => {
    await drop();
  });

  it('sends an unclaimed task’s warning to every active member of the role there, once', async () => {
    const { caseId, trackingCode } = await store.startCase({
      flowId,
      version: 1,
      command: startCommand(),
    });
    // The 15-day acceptance review opened Monday 3 March is due at 24:00 on 18 March and
    // warns three days earlier, at 24:00 on 15 March; Sunday 16 March, 09:00 is past it.
    clock.advance(13 * DAY);
    await fireDue();
    expect(await store.deliverNotifications()).toMatchObject({ deliveries: 1 });
    // Nothing is delivered twice.
    expect(await store.deliverNotifications()).toEqual({ notifications: 0, deliveries: 0 });
    const mine = await store.notificationsFor(ids.desk);
    expect(mine.unread).toBe(1);
    expect(mine.rows).toHaveLength(1);
    expect(mine.rows[0]).toMatchObject({ caseId, trackingCode, readAt: null });
    expect(mine.rows[0]?.message['zh-CN']).toContain('受理审查');
    // Not to an inactive colleague, another county, or another role.
    for (const other of [ids.away, ids.kaiping, ids.civil])
      expect((await store.notificationsFor(other)).rows).toEqual([]);
  });

  it('sends a claimed task’s deadline to its assignee only, and marks notifications read', async () => {
    const { caseId } = await store.startCase({ flowId, version: 1, command: startCommand() });
    const task = (await store.caseRow(caseId))?.state.tasks[0];
    await store.act(caseId, {
      type: 'task.claim',
      taskId: task?.id ?? '',
      actor: { id: ids.desk, roles: ['receptionist'], jurisdiction: '440781' },
    });
    clock.advance(16 * DAY);
    await fireDue();
    await store.deliverNotifications();
    const mine = await store.notificationsFor(ids.desk);
    // The first case's deadline (to the group) and this case's warning and deadline (to me).
    expect(mine.unread).toBe(4);
    const onThisCase = mine.rows.filter((r) => r.kind === 'case' && r.caseId === caseId);
    expect(onThisCase).toHaveLength(2);
    expect((await store.notificationsFor(ids.kaiping)).unread).toBe(0);
    // Newest first; reading one, then all.
    const times = mine.rows.map((r) => r.createdAt);
    expect(times).toEqual([...times].sort().reverse());
    expect(await store.markNotificationsRead(ids.desk, [onThisCase[0]?.id ?? ''])).toBe(1);
    expect((await store.notificationsFor(ids.desk)).unread).toBe(3);
    expect((await store.notificationsFor(ids.desk, { unreadOnly: true })).rows).toHaveLength(3);
    expect(await store.markNotificationsRead(ids.desk)).toBe(3);
    expect((await store.notificationsFor(ids.desk)).unread).toBe(0);
    // Another user cannot mark mine.
    expect(await store.markNotificationsRead(ids.kaiping, [onThisCase[1]?.id ?? ''])).toBe(0);
  });

  it('pages case notifications and template notices as one list, by one cursor', async () => {
    const cases = (await store.notificationsFor(ids.desk, { limit: 100 })).rows;
    expect(cases.length).toBeGreaterThanOrEqual(4);
    // Template notices between, before, after and at the same instant as the case ones.
    const times = [
      ...cases.map((r) => r.createdAt),
      '2020-01-01T00:00:00.000Z',
      '2099-01-01T00:00:00.000Z',
    ];
    const notices = times.map((createdAt, i) => ({
      id: `tn-${dialect}-${String(i).padStart(2, '0')}`,
      userId: ids.desk,
      kind: 'published',
      templateKey: 'standard-petition',
      templateVersion: i + 2,
      jurisdiction: '440781',
      flowId,
      proposalId: null,
      message: { 'zh-CN': `省级模板《标准流程》发布了第 ${i + 2} 版` },
      detail: null,
      createdAt,
    }));
    const { t } = store.database;
    await store.database.tx(async (tx) => {
      await tx.insert(t.templateNotices).values(notices);
      // Someone else's notice is never on my pages.
      await tx
        .insert(t.templateNotices)
        .values({ ...notices[0], id: 'tn-other', userId: ids.kaiping } as never);
    });
    const all = await store.notificationsFor(ids.desk, { limit: 100 });
    expect(all.rows).toHaveLength(cases.length + notices.length);
    expect(all.unread).toBe(notices.length);
    const keys = all.rows.map((r) => `${r.createdAt} ${r.id}`);
    expect(keys).toEqual([...keys].sort().reverse());
    const paged: string[] = [];
    let after: { createdAt: string; id: string } | undefined;
    for (let page = 0; page < 20; page++) {
      const p = await store.notificationsFor(ids.desk, { limit: 2, ...(after ? { after } : {}) });
      paged.push(...p.rows.map((r) => r.id));
      if (!p.next) break;
      after = p.next;
    }
    expect(paged).toEqual(all.rows.map((r) => r.id));
    expect(paged).not.toContain('tn-other');
    expect(
      (await store.notificationsFor(ids.desk, { unreadOnly: true, limit: 100 })).rows,
    ).toHaveLength(notices.length);
    expect(await store.markNotificationsRead(ids.desk, [notices[0]?.id ?? '', 'tn-other'])).toBe(1);
    expect((await store.notificationsFor(ids.kaiping)).unread).toBe(1);
    expect(await store.markNotificationsRead(ids.desk)).toBe(notices.length - 1);
    expect((await store.notificationsFor(ids.desk)).unread).toBe(0);
  });
});
