import type { Dialect } from '@lianxin/store';
import { searchAudit, verifyAudit } from '@lianxin/store';
import { afterEach, describe, expect, it } from 'vitest';
import { DETAIL_LABELS, PROCEDURE_NAMES } from '../src/audit-detail';
import { appRouter } from '../src/root';
import { anonymous, PASSWORD, publishFixture, setupApi, signIn } from './helpers';

describe.each(['sqlite', 'pg'] as Dialect[])('audit records through the API on %s', (dialect) => {
  let drop: (() => Promise<void>) | undefined;
  afterEach(async () => {
    await drop?.();
  });

  async function setup() {
    const api = await setupApi(dialect);
    drop = () => api.test.drop();
    const flowId = await publishFixture(api.services);
    const receptionist = await signIn(api.services, 'receptionist');
    const { caseId } = await receptionist.cases.register({
      flowId,
      channel: 'visit',
      data: { summary: '村道路灯损坏多日无人维修' },
      petitioner: { name: '张三', phone: '13800138000' },
    });
    const records = async () =>
      (await searchAudit(api.store.database, { limit: 200 })).records.reverse();
    return { ...api, flowId, caseId, records };
  }

  it('writes one record naming the user and the case when a case is read', async () => {
    const { services, store, caseId, records } = await setup();
    const handler = await signIn(services, 'handler');
    const before = (await records()).length;
    await handler.cases.get({ caseId });
    const added = (await records()).slice(before);
    const handlerUser = await store.userByUsername('handler');
    expect(added).toHaveLength(1);
    expect(added[0]).toMatchObject({
      action: 'case.read',
      actorId: handlerUser?.id,
      actorName: 'handler',
      caseId,
      jurisdiction: '440781',
    });
    // Nothing the petitioner told us is copied into the log.
    expect(JSON.stringify(added)).not.toContain('13800138000');
    expect(JSON.stringify(added)).not.toContain('张三');
    expect(await verifyAudit(store.database)).toMatchObject({ ok: true });
  });

  it('writes one record per list read, naming the query and the count', async () => {
    const { services, records } = await setup();
    const leader = await signIn(services, 'leader');
    const before = (await records()).length;
    const page = await leader.cases.list({ status: ['active', 'new'] });
    const added = (await records()).slice(before);
    expect(added).toHaveLength(1);
    expect(added[0]).toMatchObject({
      action: 'case.list',
      actorName: 'leader',
      detail: { procedure: 'cases.list', shown: page.rows.length, total: page.total },
    });
    expect((added[0]?.detail as { query: { status: string[] } } | undefined)?.query.status).toEqual(
      ['active', 'new'],
    );
  });

  it('records a refused request with the user, the procedure and the case', async () => {
    const { services, store, caseId, records } = await setup();
    const outsider = await signIn(services, 'otherReceptionist');
    const before = (await records()).length;
    await expect(outsider.cases.get({ caseId })).rejects.toMatchObject({ code: 'FORBIDDEN' });
    const added = (await records()).slice(before);
    const outsiderUser = await store.userByUsername('otherReceptionist');
    expect(added).toHaveLength(1);
    expect(added[0]).toMatchObject({
      action: 'access.refused',
      actorId: outsiderUser?.id,
      caseId,
      // The attempt is filed where the case belongs: Taishan's admins see it.
      jurisdiction: '440781',
      detail: {
        procedure: 'cases.get',
        code: 'permission.jurisdiction',
        userJurisdiction: '440783',
      },
    });
  });

  it('records sign-ins, failed sign-ins and admin changes', async () => {
    const { services, records } = await setup();
    const before = (await records()).length;
    await expect(
      anonymous(services, '10.9.9.9').auth.login({ username: 'handler', password: 'wrong-one' }),
    ).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
    const admin = await signIn(services, 'admin');
    const created = await admin.admin.createUser({
      username: 'newclerk',
      displayName: '新接访员',
      password: `${PASSWORD}-Clerk!9`,
      memberships: [{ jurisdiction: '440781', role: 'receptionist' }],
    });
    await admin.admin.updateUser({
      userId: created.id,
      memberships: [{ jurisdiction: '440781', role: 'handler', department: 'civil' }],
    });
    const added = (await records()).slice(before);
    expect(added.map((r) => r.action)).toEqual([
      'auth.signInFailed',
      'auth.signIn',
      'admin.userCreated',
      'admin.membershipsChanged',
    ]);
    expect(added[0]).toMatchObject({
      actorName: 'handler',
      ip: '10.9.9.9',
      detail: { reason: 'wrongPassword' },
    });
    expect(added[3]?.detail).toMatchObject({
      userId: created.id,
      before: [{ role: 'receptionist' }],
      after: [{ role: 'handler', department: 'civil' }],
    });
    // The password set is not in the log.
    expect(JSON.stringify(added)).not.toContain(`${PASSWORD}-Clerk!9`);
  });

  it('lets an admin search only their own jurisdictions, and audits the search', async () => {
    const { services, caseId } = await setup();
    const handler = await signIn(services, 'handler');
    await handler.cases.get({ caseId });
    const admin = await signIn(services, 'admin');
    const found = await admin.audit.search({ caseId, action: 'case.read' });
    expect(found.records.map((r) => r.actorName)).toEqual(['handler']);
    const otherAdmin = await signIn(services, 'otherAdmin');
    expect((await otherAdmin.audit.search({ caseId })).records).toEqual([]);
    const byUser = await admin.audit.search({ user: 'admin', action: 'audit.read' });
    expect(byUser.records).toHaveLength(1);
    const receptionist = await signIn(services, 'receptionist');
    await expect(receptionist.audit.search({})).rejects.toMatchObject({ code: 'FORBIDDEN' });
    expect(await admin.audit.verify()).toMatchObject({ ok: true });
  });

  it('shows an admin every record in words: no procedure path, reason code or jurisdiction code', async () => {
    const { services, caseId } = await setup();
    const handler = await signIn(services, 'handler');
    await handler.cases.get({ caseId });
    await handler.tasks.inbox({});
    await expect(
      anonymous(services, '10.9.9.8').auth.login({ username: 'handler', password: 'wrong-one' }),
    ).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
    const outsider = await signIn(services, 'otherReceptionist');
    await expect(outsider.cases.get({ caseId })).rejects.toMatchObject({ code: 'FORBIDDEN' });
    const admin = await signIn(services, 'admin');
    const created = await admin.admin.createUser({
      username: 'wordsclerk',
      displayName: '新接访员',
      password: `${PASSWORD}-Clerk!9`,
      memberships: [{ jurisdiction: '440781', role: 'receptionist' }],
    });
    await admin.admin.updateUser({ userId: created.id, active: false });
    await admin.cases.list({ status: ['active'], urgency: ['red'], channel: ['visit'] });
    const { records } = await admin.audit.search({ limit: 200 });
    expect(new Set(records.map((r) => r.action)).size).toBeGreaterThanOrEqual(6);
    for (const r of records) {
      if (r.jurisdiction) expect(r.jurisdictionName?.['zh-CN']).toBe('台山市');
      for (const line of r.lines) {
        const words = `${line.label['zh-CN']} ${line.value['zh-CN']}`;
        // What a Chinese screen must never show: tRPC paths, coded reasons, GB/T 2260 codes, user ids.
        expect(words, JSON.stringify(r.detail)).not.toMatch(
          /\b(cases|tasks|auth|admin|audit)\.[a-z]+|wrongPassword|permission\.|\b\d{6}\b|[0-9a-f]{8}-[0-9a-f]{4}/,
        );
        expect(words).toMatch(/[\u4e00-\u9fff]/);
      }
    }
    const failed = records.find((r) => r.action === 'auth.signInFailed');
    expect(failed?.lines).toEqual([
      {
        label: { 'zh-CN': '原因', en: 'reason' },
        value: { 'zh-CN': '密码错误', en: 'wrong password' },
      },
    ]);
    const refused = records.find((r) => r.action === 'access.refused');
    expect(refused?.lines.map((l) => l.value['zh-CN'])).toContain('查看信访事项详情');
  });
});

describe('audit names', () => {
  it('names every procedure the API serves and every key of a list query', () => {
    const procedures = Object.keys(
      (appRouter as unknown as { _def: { procedures: Record<string, unknown> } })._def.procedures,
    );
    expect(procedures.filter((p) => !PROCEDURE_NAMES[p])).toEqual([]);
    expect(Object.keys(PROCEDURE_NAMES).filter((p) => !procedures.includes(p))).toEqual([]);
    for (const key of ['status', 'urgency', 'channel', 'limit', 'offset', 'trackingCode']) {
      expect(DETAIL_LABELS[key]).toBeDefined();
    }
  });
});
