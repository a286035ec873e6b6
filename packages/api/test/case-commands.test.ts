import { searchAudit } from '@lianxin/store';
import { TRPCError } from '@trpc/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppError, Services } from '../src';
import { flow, PASSWORD, publishFixture, setupApi, signIn } from './helpers';

async function failure(p: Promise<unknown>): Promise<{ code: string; error: AppError }> {
  try {
    await p;
  } catch (e) {
    if (!(e instanceof TRPCError)) throw e;
    return { code: e.code, error: e.cause as AppError };
  }
  throw new Error('expected a refusal');
}

// The attacks of issue 12 on who may close a case and who may look a petitioner up.
describe.each(['sqlite', 'pg'] as const)('case commands and repeat look-ups on %s', (dialect) => {
  let services: Services;
  let api: Awaited<ReturnType<typeof setupApi>>;
  let flowId: string;

  beforeAll(async () => {
    api = await setupApi(dialect);
    services = api.services;
    await api.store.createUser({
      username: 'housing',
      displayName: '住建局办理人',
      password: PASSWORD,
      memberships: [{ jurisdiction: '440781', role: 'handler', department: 'housing' }],
    });
    flowId = await publishFixture(services);
  });
  afterAll(async () => api.test.drop());

  async function register(phone = '13912340001') {
    const rec = await signIn(services, 'receptionist');
    return rec.cases.register({
      flowId,
      channel: 'visit',
      data: { summary: '反映宅基地纠纷问题' },
      petitioner: { name: '梁某', phone },
    });
  }

  it('refuses case.withdraw from a housing handler, a lawyer and a city supervisor and changes nothing; the registering receptionist may', async () => {
    const { caseId } = await register();
    const before = await api.store.caseRow(caseId);
    const events = (await api.store.events(caseId)).length;
    const housing = await signIn(services, 'housing' as never);
    for (const caller of [
      housing,
      await signIn(services, 'lawyer'),
      await signIn(services, 'city'),
    ]) {
      const refused = await failure(
        caller.cases.act({ caseId, command: { type: 'case.withdraw', reason: '信访人撤回' } }),
      );
      expect(refused.code).toBe('FORBIDDEN');
      expect(refused.error.code).toBe('engine.actor.notAllowed');
      expect(refused.error.message_['zh-CN']).toContain('登记机关的接访员');
      expect(refused.error.message_.en).toContain('of the registering office');
      // Read on a Chinese screen: it says "you", never the user's id.
      expect(refused.error.message_['zh-CN']).toMatch(/^您无权执行此操作/);
      expect(JSON.stringify(refused.error.message_)).not.toMatch(/[0-9a-f]{8}-[0-9a-f]{4}-/);
      const offered = await caller.cases.availableActions({ caseId });
      expect(offered.case).not.toContain('case.withdraw');
    }
    expect(await api.store.caseRow(caseId)).toEqual(before);
    expect((await api.store.events(caseId)).length).toBe(events);
    // The receptionist of another county cannot reach it at all.
    const other = await signIn(services, 'otherReceptionist');
    expect(
      (
        await failure(
          other.cases.act({ caseId, command: { type: 'case.withdraw', reason: '撤回' } }),
        )
      ).error.code,
    ).toBe('permission.jurisdiction');
    const rec = await signIn(services, 'receptionist');
    expect((await rec.cases.availableActions({ caseId })).case).toContain('case.withdraw');
    const done = await rec.cases.act({
      caseId,
      command: { type: 'case.withdraw', reason: '信访人撤回' },
    });
    expect(done.status).toBe('closed');
  });

  it('honours a flow that lets the case handlers withdraw instead', async () => {
    const admin = await signIn(services, 'admin');
    const saved = await admin.flows.saveDraft({
      jurisdiction: '440781',
      key: 'handlers-withdraw',
      definition: {
        ...flow,
        key: 'handlers-withdraw',
        caseCommands: { 'case.withdraw': { workers: true } },
      },
    });
    await admin.flows.publish({ flowId: saved.flowId });
    const rec = await signIn(services, 'receptionist');
    const { caseId } = await rec.cases.register({
      flowId: saved.flowId,
      channel: 'visit',
      data: { summary: '反映宅基地纠纷问题' },
    });
    // The first task is the receptionist's own: they may withdraw as its worker, a lawyer may not.
    const lawyer = await signIn(services, 'lawyer');
    expect(
      (
        await failure(
          lawyer.cases.act({ caseId, command: { type: 'case.withdraw', reason: '撤回' } }),
        )
      ).code,
    ).toBe('FORBIDDEN');
    const offered = await rec.cases.availableActions({ caseId });
    expect(offered.case).toContain('case.withdraw');
    const adminOffered = await admin.cases.availableActions({ caseId });
    expect(adminOffered.case).not.toContain('case.withdraw');
  });

  it('refuses repeatHints to a handler, a lawyer and a city supervisor, for a typed number and for a case', async () => {
    const { caseId } = await register('13912340002');
    for (const name of ['handler', 'lawyer', 'city', 'supervisor'] as const) {
      const caller = await signIn(services, name);
      const typed = await failure(
        caller.cases.repeatHints({ jurisdiction: '440781', phone: '13912340002' }),
      );
      expect(typed.code).toBe('FORBIDDEN');
      expect(typed.error.code).toBe('permission.role');
      expect((await failure(caller.cases.repeatHints({ caseId }))).code).toBe('FORBIDDEN');
    }
    // A receptionist may look only where they register.
    const rec = await signIn(services, 'receptionist');
    expect(
      (await failure(rec.cases.repeatHints({ jurisdiction: '440783', phone: '13912340002' }))).error
        .code,
    ).toBe('permission.jurisdiction');
    const refusals = await searchAudit(api.store.database, {
      action: 'access.refused',
      limit: 100,
    });
    expect(
      refusals.records.filter((r) => JSON.stringify(r.detail).includes('cases.repeatHints')).length,
    ).toBeGreaterThanOrEqual(9);
  });

  it('tells a registrar only that earlier cases exist elsewhere, never how many or which', async () => {
    const phone = '13912340003';
    await register(phone);
    const other = await signIn(services, 'otherReceptionist');
    const otherFlow = await publishFixture(services, flow.key, '440783');
    for (const summary of ['开平甲事项反映问题', '开平乙事项反映问题'])
      await other.cases.register({
        flowId: otherFlow,
        channel: 'visit',
        data: { summary },
        petitioner: { phone },
      });
    const rec = await signIn(services, 'receptionist');
    const hints = await rec.cases.repeatHints({ jurisdiction: '440781', phone });
    expect(hints.visible.map((h) => h.jurisdiction)).toEqual(['440781']);
    expect(hints.elsewhere).toBe(true);
    const again = await rec.cases.register({
      flowId,
      channel: 'visit',
      data: { summary: '再次反映宅基地纠纷' },
      petitioner: { phone },
    });
    expect(again.repeat).toBe(true);
    expect(again.repeatHints.map((h) => h.jurisdiction)).toEqual(['440781']);
    expect(again.repeatElsewhere).toBe(true);
    expect(JSON.stringify(again)).not.toContain('440783');
    const nobody = await rec.cases.repeatHints({ jurisdiction: '440781', phone: '13900000009' });
    expect(nobody).toEqual({ visible: [], elsewhere: false });
  });

  it('records each look-up and stops a receptionist past the per-user limit with a bilingual 429', async () => {
    // A receptionist who has not looked anything up yet in this window.
    await api.store.createUser({
      username: 'desk',
      displayName: '窗口接访员',
      password: PASSWORD,
      memberships: [{ jurisdiction: '440781', role: 'receptionist' }],
    });
    const rec = await signIn(services, 'desk' as never, 'en');
    const leader = await signIn(services, 'leader');
    const saved = services.repeatHints;
    services.repeatHints = { perUser: 3, windowMs: 60 * 60_000 };
    try {
      const user = await api.store.userByUsername('desk');
      for (let i = 0; i < 3; i++)
        await rec.cases.repeatHints({ jurisdiction: '440781', phone: `1391234100${i}` });
      const limited = await failure(
        rec.cases.repeatHints({ jurisdiction: '440781', phone: '13912341009' }),
      );
      expect(limited.code).toBe('TOO_MANY_REQUESTS');
      expect(limited.error.code).toBe('cases.lookupLimited');
      expect(limited.error.message_.en).toMatch(/too many repeat-petition look-ups/);
      expect(limited.error.message_['zh-CN']).toMatch(/查询重复信访次数过多，请 \d+ 秒后再试/);
      const audited = await searchAudit(api.store.database, {
        actorId: user?.id,
        action: 'petitioner.read',
      });
      expect(audited.records.length).toBe(3);
      expect(audited.records[0]?.detail).toMatchObject({
        procedure: 'cases.repeatHints',
        by: ['phone'],
      });
      // The number typed is not in the audit record.
      expect(JSON.stringify(audited.records)).not.toContain('13912341002');
      // Another user's limit is their own.
      expect(
        await leader.cases.repeatHints({ jurisdiction: '440781', phone: '13912341009' }),
      ).toMatchObject({ elsewhere: false });
    } finally {
      services.repeatHints = saved;
    }
  });
});
