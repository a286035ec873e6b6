import { TRPCError } from '@trpc/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AppError, createServices, type Services } from '../src';
import { anonymous, flow, PASSWORD, publishFixture, setupApi, signIn } from './helpers';

async function codeOf(p: Promise<unknown>): Promise<string | undefined> {
  try {
    await p;
    return undefined;
  } catch (e) {
    if (!(e instanceof TRPCError)) throw e;
    return (e.cause as { code?: string } | undefined)?.code ?? e.code;
  }
}

describe('api through createCaller', () => {
  let services: Services;
  let drop: () => Promise<void>;
  let flowId: string;

  beforeAll(async () => {
    const s = await setupApi('sqlite');
    services = s.services;
    drop = () => s.test.drop();
    flowId = await publishFixture(services);
  });
  afterAll(async () => drop());

  it('signs in, answers me, refuses wrong passwords in the caller language, and rate-limits', async () => {
    const rec = await signIn(services, 'receptionist');
    const me = await rec.auth.me();
    expect(me.memberships[0]).toMatchObject({ jurisdiction: '440781', role: 'receptionist' });
    const anon = anonymous(services, '192.0.2.1');
    expect(await codeOf(anon.auth.me())).toBe('auth.required');
    const wrong = anon.auth.login({ username: 'mediator', password: 'nope' });
    await expect(wrong).rejects.toThrow();
    expect(await codeOf(anon.auth.login({ username: 'mediator', password: 'nope' }))).toBe(
      'auth.invalid',
    );
    for (let i = 0; i < 5; i++)
      await codeOf(anon.auth.login({ username: 'mediator', password: 'nope' }));
    expect(await codeOf(anon.auth.login({ username: 'mediator', password: 'nope' }))).toBe(
      'auth.rateLimited',
    );
  });

  it('counts failed sign-ins across servers sharing the database', async () => {
    // Ten wrong passwords for one user name (twice the per-address limit), from
    // ten addresses, on this server.
    for (let i = 0; i < 10; i++)
      expect(
        await codeOf(
          anonymous(services, `192.0.2.${10 + i}`).auth.login({
            username: 'lawyer',
            password: 'nope',
          }),
        ),
      ).toBe('auth.invalid');
    // Another server process on the same database, another address: still locked,
    // even with the right password.
    const other = createServices(services.store, { loginAttempts: 5 });
    const locked = anonymous(other, '192.0.2.99').auth.login({
      username: 'lawyer',
      password: PASSWORD,
    });
    expect(await codeOf(locked)).toBe('auth.rateLimited');
    // Other users are not affected.
    await signIn(other, 'leader');
  });

  it('saves, checks, publishes and diffs flows; refuses to publish a flow with errors', async () => {
    const admin = await signIn(services, 'admin');
    const broken = { ...flow, key: 'broken', edges: [] };
    const saved = await admin.flows.saveDraft({
      jurisdiction: '440781',
      key: 'broken',
      definition: broken,
    });
    expect(saved.errors).toBeGreaterThan(0);
    const refused = await admin.flows.publish({ flowId: saved.flowId }).catch((e: TRPCError) => e);
    expect(refused).toBeInstanceOf(TRPCError);
    expect((refused as TRPCError).cause).toMatchObject({ code: 'flow.invalid' });
    expect((await admin.flows.versions({ flowId: saved.flowId })).length).toBe(0);

    const renamed = {
      ...flow,
      name: { 'zh-CN': '信访事项办理（修订）', en: 'Petition handling (revised)' },
    };
    await admin.flows.saveDraft({ jurisdiction: '440781', key: flow.key, definition: renamed });
    const diff = await admin.flows.diff({ flowId, from: 1, to: 'draft' });
    expect(diff.fields).toEqual(['name']);
    expect((await admin.flows.check({ flowId })).errors).toBe(0);
    const list = await admin.flows.list();
    expect(list.map((f) => f.key).sort()).toEqual(['broken', flow.key].sort());
    const got = await admin.flows.get({ flowId });
    expect(got.published?.version).toBe(1);
    // Only admins edit flows.
    const rec = await signIn(services, 'receptionist');
    expect(
      await codeOf(rec.flows.saveDraft({ jurisdiction: '440781', key: 'x', definition: flow })),
    ).toBe('permission.role');
  });

  it('registers a case, works it through the inbox to closure, and flags repeat petitions', async () => {
    const rec = await signIn(services, 'receptionist');
    const handler = await signIn(services, 'handler');
    const petitioner = { name: '李某', phone: '13912345678', idCard: '44078119800101123X' };
    const first = await rec.cases.register({
      flowId,
      channel: 'visit',
      data: { summary: '邻里宅基地纠纷，要求调解' },
      petitioner,
    });
    expect(first.repeat).toBe(false);
    const inbox = await rec.tasks.inbox();
    const review = inbox.rows.find((t) => t.caseId === first.caseId);
    expect(review?.node).toBe('review');
    await rec.tasks.complete({
      taskId: review?.id ?? '',
      action: 'submit',
      data: { accepted: true, department: 'civil' },
    });
    const handlerInbox = await handler.tasks.inbox();
    const handle = handlerInbox.rows.find((t) => t.caseId === first.caseId);
    expect(handle?.node).toBe('handle');
    const actions = await handler.cases.availableActions({ caseId: first.caseId });
    expect(actions.tasks[0]?.actions.map((a) => a.action)).toEqual(['reply']);
    const stale = handler.cases.act({
      caseId: first.caseId,
      expectedVersion: 1,
      command: {
        type: 'task.complete',
        taskId: handle?.id ?? '',
        action: 'reply',
        data: { reply: '已调解' },
      },
    });
    expect(await codeOf(stale)).toBe('engine.state.stale');
    await handler.tasks.complete({
      taskId: handle?.id ?? '',
      action: 'reply',
      data: { reply: '双方达成调解协议' },
    });
    const detail = await rec.cases.get({ caseId: first.caseId });
    expect(detail.petitioner?.phone).toBe('13912345678');
    // Anyone without the need to know gets the petitioner masked by the server, not the page.
    const masked = await handler.cases.get({ caseId: first.caseId });
    expect(masked.petitioner?.phone).toBe('139****5678');
    expect(detail.timeline.map((e) => e.type)).toContain('task.completed');

    const second = await rec.cases
      .register({
        flowId,
        channel: 'phone' as never,
        data: { summary: '再次反映宅基地纠纷' },
        petitioner: { phone: '139 1234 5678' },
      })
      .catch(() => undefined);
    // The fixture flow takes visits, letters and online only.
    expect(second).toBeUndefined();
    const again = await rec.cases.register({
      flowId,
      channel: 'letter',
      data: { summary: '再次反映宅基地纠纷' },
      petitioner: { phone: '139 1234 5678' },
    });
    expect(again.repeat).toBe(true);
    expect(again.repeatHints.map((h) => h.caseId)).toContain(first.caseId);
    const hints = await rec.cases.repeatHints({ caseId: again.caseId });
    expect(hints.visible.map((h) => h.caseId)).toContain(first.caseId);

    // A phone or ID-card number a form put into the case data is kept only in the
    // encrypted petitioner record, never in the case data or its events.
    const withContact = await rec.cases.register({
      flowId,
      channel: 'visit',
      data: {
        summary: '反映邻里排水纠纷',
        petitioner: { name: '梁某', phone: '13911112222', idCard: '11010519491231002X' },
      },
      petitioner: { name: '梁某', phone: '13911112222', idCard: '11010519491231002X' },
    });
    const stored = await rec.cases.get({ caseId: withContact.caseId });
    expect(stored.petitioner?.phone).toBe('13911112222');
    expect(stored.state.data.petitioner).toEqual({ name: '梁某' });
    const written = JSON.stringify([stored.case, stored.state, stored.timeline]);
    expect(written).not.toContain('13911112222');
    expect(written).not.toContain('11010519491231002X');

    const list = await rec.cases.list({ status: ['active'] });
    expect(list.rows.every((r) => r.status === 'active')).toBe(true);
    // A receptionist of another county sees none of it.
    const other = await signIn(services, 'otherReceptionist');
    expect((await other.cases.list()).total).toBe(0);
    expect(await codeOf(other.cases.get({ caseId: first.caseId }))).toBe('permission.jurisdiction');
    // The city sees its counties.
    const city = await signIn(services, 'city');
    expect((await city.cases.list()).total).toBe(
      list.total + 0 + (await rec.cases.list()).total - list.total,
    );
    expect(
      await codeOf(
        rec.cases.act({ caseId: first.caseId, command: { type: 'timer.fire', timerId: 'x' } }),
      ),
    ).toBe('command.notAllowed');
  });

  it('takes online petitions, tracks them by code and phone without personal data, and records ratings', async () => {
    const anon = anonymous(services, '198.51.100.7');
    const forms = await anon.intake.forms({ jurisdiction: '440781' });
    expect(forms.map((f) => f.key)).toContain(flow.key);
    const { trackingCode } = await anon.intake.submit({
      jurisdiction: '440781',
      data: { summary: '小区噪音扰民，多次反映未解决' },
      petitioner: { name: '王某', phone: '13700001111', idCard: '440781199202023456' },
    });
    const tracked = await anon.intake.track({ trackingCode, phone: '13700001111' });
    expect(tracked.status).toBe('active');
    const text = JSON.stringify(tracked);
    for (const secret of ['王某', '13700001111', '440781199202023456', '噪音'])
      expect(text).not.toContain(secret);
    expect(await codeOf(anon.intake.track({ trackingCode, phone: '13700002222' }))).toBe(
      'intake.phoneMismatch',
    );
    expect(
      await codeOf(anon.intake.evaluate({ trackingCode, phone: '13700001111', score: 5 })),
    ).toBe('intake.notClosed');
    const rec = await signIn(services, 'receptionist');
    const row = (await rec.cases.list({ trackingCode })).rows[0];
    const detail = await rec.cases.get({ caseId: row?.id ?? '' });
    await rec.cases.act({
      caseId: detail.case.id,
      command: {
        type: 'task.complete',
        taskId: detail.state.tasks[0]?.id ?? '',
        action: 'submit',
        data: { accepted: false },
      },
    });
    expect((await anon.intake.track({ trackingCode, phone: '13700001111' })).status).toBe('closed');
    await anon.intake.evaluate({ trackingCode, phone: '13700001111', score: 4 });
    const leader = await signIn(services, 'leader');
    const stats = await leader.stats.summary({
      jurisdiction: '440781',
      from: '2000-01-01T00:00:00Z',
      to: '2100-01-01T00:00:00Z',
    });
    expect(stats.closed).toBeGreaterThanOrEqual(1);
    expect(stats.evaluated).toBe(1);
    expect(stats.satisfactionRate).toBe(1);
  });

  it('lets admins manage users inside their scope only', async () => {
    const admin = await signIn(services, 'admin');
    await admin.admin.createUser({
      username: 'new.rec',
      displayName: '新接访员',
      password: 'A-long-passphrase-1',
      memberships: [{ jurisdiction: '440781', role: 'receptionist' }],
    });
    expect((await admin.admin.users()).map((u) => u.username)).toContain('new.rec');
    expect(
      await codeOf(
        admin.admin.createUser({
          username: 'sneaky',
          displayName: 'x',
          password: 'A-long-passphrase-1',
          memberships: [{ jurisdiction: '440783', role: 'admin' }],
        }),
      ),
    ).toBe('permission.jurisdiction');
  });

  it('localises errors for English callers', async () => {
    const en = await signIn(services, 'otherReceptionist', 'en');
    const err = await en.flows.get({ flowId }).catch((e: TRPCError) => e);
    expect((err as TRPCError).cause).toMatchObject({ code: 'permission.jurisdiction' });
    // The place by name, never its code (台山市 has no English name here).
    expect((err as TRPCError).message).toMatch(/may not access jurisdiction 台山市/);
    const zh = await signIn(services, 'otherReceptionist');
    const refused = await zh.flows.get({ flowId }).catch((e: TRPCError) => e);
    expect(((refused as TRPCError).cause as AppError).localized('zh-CN')).toBe(
      '您无权访问辖区 台山市 的数据',
    );
  });
});
