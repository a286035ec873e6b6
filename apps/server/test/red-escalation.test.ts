// The four-colour template's red escalation through the real scheduler: a red matter not met
// within one working day goes to the leader once, also when a server restarts after firing it.
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { withForms } from '@lianxin/api';
import { createTestDatabase, openDatabase, Store, Vault } from '@lianxin/store';
import { afterAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../src/log';
import { Scheduler } from '../src/scheduler';
import { loadTemplateFolders } from '../src/seed';
import { seedBasics } from './server-helpers';

const folder = loadTemplateFolders(
  join(import.meta.dirname, '../../../templates'),
  silentLogger,
).find((f) => f.manifest.key === 'four-colour-triage');

class Clock {
  // Monday 3 November 2025, 09:00 in Beijing.
  ms = Date.parse('2025-11-03T01:00:00Z');
  now() {
    return new Date(this.ms);
  }
}

describe.each(['sqlite', 'pg'] as const)('red escalation on %s', (dialect) => {
  const cleanup: (() => Promise<void>)[] = [];
  afterAll(async () => {
    for (const fn of cleanup.reverse()) await fn();
  });

  it('hands a red matter not met within one working day to the leader exactly once, across a restart', async () => {
    // given the four-colour template published in Taishan and a red case triaged on Monday morning
    if (!folder) throw new Error('four-colour-triage template folder not found');
    const test = await createTestDatabase(dialect);
    cleanup.push(() => test.drop());
    const key = randomBytes(32);
    const clock = new Clock();
    const store = new Store(test.database, new Vault(key), clock);
    await seedBasics(store);
    const leader = await store.createUser({
      username: 'leader',
      displayName: '包案领导',
      password: 'server-test-password',
      memberships: [{ jurisdiction: '440781', role: 'leader' }],
    });
    const flow = withForms(folder.flow, folder.forms);
    const saved = await store.saveDraft({
      jurisdiction: '440781',
      key: 'four-colour-triage',
      name: { 'zh-CN': '四色预警' },
      draft: { ...flow, jurisdiction: '440781' },
      by: null,
    });
    const version = (await store.publish(saved.id, null)).version;
    const receptionist = { id: 'li', roles: ['receptionist'], jurisdiction: '440781' };
    const started = await store.startCase({
      flowId: saved.id,
      version,
      command: {
        type: 'case.start',
        channel: 'visit',
        data: { petitioner: { name: '黄女士' }, summary: '楼顶广告牌松动，台风前需立即处置' },
        actor: receptionist,
      },
    });
    await store.act(started.caseId, {
      type: 'task.complete',
      taskId: started.state.tasks[0]?.id ?? '',
      action: 'classify',
      data: { colour: 'red', triageReason: '存在坠落风险', department: 'town' },
      actor: receptionist,
    });
    const meetRed = (await store.caseRow(started.caseId))?.state.tasks[0];
    // The working day after Monday ends at 24:00 on Tuesday.
    expect(meetRed).toMatchObject({ node: 'meetRed', due: '2025-11-04T15:59:59.999Z' });

    // when nobody meets the petitioner by then, one server fires the deadline and "restarts"
    clock.ms = Date.parse('2025-11-04T17:00:00Z'); // Wednesday 01:00
    const first = new Scheduler(store, silentLogger, { owner: 'server-a' });
    expect(await first.tick()).toBeGreaterThan(0);
    await first.stop();
    await test.database.close();
    const reopened = openDatabase(test.url);
    const again = new Store(reopened, new Vault(key), clock);
    cleanup.push(() => reopened.close());
    const second = new Scheduler(again, silentLogger, { owner: 'server-b' });
    await second.tick();
    await second.tick();

    // then the leader holds one meeting task, the overdue went through once, and each notice once
    const row = await again.caseRow(started.caseId);
    expect(row?.state.tasks.map((t) => t.node)).toEqual(['leaderMeet']);
    const events = await again.events(started.caseId);
    expect(
      events.filter((e) => e.type === 'task.opened' && e.task.node === 'leaderMeet'),
    ).toHaveLength(1);
    expect(
      events.filter((e) => e.type === 'task.cancelled' && e.reason === 'deadline'),
    ).toHaveLength(1);
    const inbox = await again.notificationsFor(leader.id);
    expect(inbox.rows.filter((n) => n.message['zh-CN'].includes('红色急事'))).toHaveLength(1);
  });
});
