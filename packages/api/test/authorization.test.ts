import { TRPCError } from '@trpc/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appRouter, type createCaller, PERMISSIONS, type Permission, type Services } from '../src';
import { anonymous, flow, publishFixture, setupApi, signIn, USERS, type UserName } from './helpers';

type Caller = ReturnType<typeof createCaller>;
interface Target {
  userId: string;
  jurisdiction: string;
  flowId: string;
  caseId: string;
  taskId: string;
}

const PARENT: Record<string, string | undefined> = {
  '440781': '440700',
  '440783': '440700',
  '440700': '440000',
};
function covers(user: string, target: string): boolean {
  for (let c: string | undefined = target; c; c = PARENT[c]) if (c === user) return true;
  return false;
}

/** Procedures bound to no jurisdiction: open to every signed-in user (`authed`) or to anyone (`public`). */
const UNSCOPED: Record<
  string,
  { needs: 'authed' | 'public'; call: (c: Caller, t: Target) => Promise<unknown> }
> = {
  'auth.me': { needs: 'authed', call: (c) => c.auth.me() },
  'jurisdictions.list': { needs: 'authed', call: (c) => c.jurisdictions.list() },
  'flows.list (own scope)': { needs: 'authed', call: (c) => c.flows.list() },
  'cases.list (own scope)': { needs: 'authed', call: (c) => c.cases.list() },
  'cases.search (own scope)': { needs: 'authed', call: (c) => c.cases.search({ text: '矩阵' }) },
  'tasks.inbox': { needs: 'authed', call: (c) => c.tasks.inbox() },
  'supervision.approvals': { needs: 'authed', call: (c) => c.supervision.approvals() },
  'notifications.mine': { needs: 'authed', call: (c) => c.notifications.mine() },
  'notifications.markRead': { needs: 'authed', call: (c) => c.notifications.markRead({}) },
  'admin.roles': { needs: 'authed', call: (c) => c.admin.roles() },
  'departments.list (own scope)': { needs: 'authed', call: (c) => c.departments.list() },
  'users.members (own jurisdiction)': { needs: 'authed', call: (c) => c.users.members() },
  health: { needs: 'public', call: (c) => c.health() },
  'intake.forms': {
    needs: 'public',
    call: (c, t) => c.intake.forms({ jurisdiction: t.jurisdiction }),
  },
  'intake.track': {
    needs: 'public',
    call: (c) => c.intake.track({ trackingCode: '0000000000', phone: '13800000000' }),
  },
  'documents.forPetitioner': {
    needs: 'public',
    call: (c) => c.documents.forPetitioner({ trackingCode: '0000000000', phone: '13800000000' }),
  },
  'intake.evaluate': {
    needs: 'public',
    call: (c) => c.intake.evaluate({ trackingCode: '0000000000', phone: '13800000000', score: 5 }),
  },
  'intake.submit (no online flow)': {
    needs: 'public',
    call: (c) =>
      c.intake.submit({
        jurisdiction: '440100',
        data: {},
        petitioner: { name: '矩阵', phone: '13800000000' },
      }),
  },
  'auth.passwordPolicy': { needs: 'public', call: (c) => c.auth.passwordPolicy() },
  'auth.changePassword (wrong current password)': {
    needs: 'authed',
    call: (c) =>
      c.auth.changePassword({
        currentPassword: 'not-the-password',
        newPassword: 'Matrix-Passphrase-2026!',
      }),
  },
  'audit.actions': { needs: 'authed', call: (c) => c.audit.actions() },
  'templates.list': { needs: 'authed', call: (c) => c.templates.list() },
  'templates.get': {
    needs: 'authed',
    call: (c) => c.templates.get({ key: 'none', version: 1 }),
  },
  'templates.exportBundle': {
    needs: 'authed',
    call: (c) => c.templates.exportBundle({ key: 'none', version: 1 }),
  },
  'templates.notices': { needs: 'authed', call: (c) => c.templates.notices() },
  'templates.adoptions': {
    needs: 'authed',
    call: (c) => c.templates.adoptions({ key: 'none' }),
  },
  'templates.proposals (own scope)': { needs: 'authed', call: (c) => c.templates.proposals() },
  'templates.proposalNotices': { needs: 'authed', call: (c) => c.templates.proposalNotices() },
};

/** Procedures that need a permission somewhere, whatever jurisdiction: the role decides. */
const ROLE_ONLY: Record<string, { needs: Permission; call: (c: Caller) => Promise<unknown> }> = {
  'audit.search': { needs: 'manageUsers', call: (c) => c.audit.search({}) },
  'audit.verify': { needs: 'manageUsers', call: (c) => c.audit.verify() },
  'templates.importBundle': {
    needs: 'publishTemplates',
    call: (c) => c.templates.importBundle({ bundle: {} }),
  },
  'calendars.parseNotice': {
    needs: 'manageCalendars',
    call: (c) => c.calendars.parseNotice({ text: '国务院办公厅关于2027年部分节假日安排的通知' }),
  },
};

/**
 * Procedures the matrix does not call, each with where its access is tested:
 * calling them here would sign the caller out or publish a province's template.
 */
const TESTED_ELSEWHERE: Record<string, string> = {
  'auth.login': 'access.test.ts (sign-in limits)',
  'auth.logout': 'api.test.ts (ends the session)',
  'templates.publish': 'templates.test.ts (publisher scope)',
  'templates.publishSources': 'templates-province.test.ts (a county admin is refused)',
  'templates.publishDraft': 'templates-province.test.ts (publisher scope)',
  'templates.previewPublish': 'templates-province.test.ts (publisher scope)',
  'templates.propose':
    'template-proposals.test.ts (only the adopting county’s own admins: another county, a receptionist, the province and a city admin are refused)',
  'templates.proposal':
    'template-proposals.test.ts (the publisher and readers of the proposing county; another county’s id is not found)',
  'templates.acceptProposal':
    'template-proposals.test.ts (the template’s publisher only; the county, a city admin and another county are refused)',
  'templates.returnProposal': 'template-proposals.test.ts (the template’s publisher only)',
  'templates.proposalSeen': 'template-proposals.test.ts (the proposing county’s own admins only)',
  'calendars.allowLocalDays': 'calendars.test.ts (only an admin above the jurisdiction)',
  'cases.reveal':
    'privacy.test.ts (by open task or 包案, not by role: the assigned handler may, a lawyer, a city supervisor and another office may not)',
};

/** Every procedure that takes a jurisdiction-bound object, with the permission it needs. */
const PROCEDURES: Record<
  string,
  { needs: Permission; call: (c: Caller, t: Target) => Promise<unknown> }
> = {
  'jurisdictions.get': {
    needs: 'read',
    call: (c, t) => c.jurisdictions.get({ code: t.jurisdiction }),
  },
  'flows.list': { needs: 'read', call: (c, t) => c.flows.list({ jurisdiction: t.jurisdiction }) },
  'flows.get': { needs: 'read', call: (c, t) => c.flows.get({ flowId: t.flowId }) },
  'flows.check': { needs: 'read', call: (c, t) => c.flows.check({ flowId: t.flowId }) },
  'flows.checkDefinition': {
    needs: 'read',
    call: (c, t) =>
      c.flows.checkDefinition({
        jurisdiction: t.jurisdiction,
        definition: { ...flow, jurisdiction: t.jurisdiction },
      }),
  },
  'flows.versions': { needs: 'read', call: (c, t) => c.flows.versions({ flowId: t.flowId }) },
  'flows.diff': {
    needs: 'read',
    call: (c, t) => c.flows.diff({ flowId: t.flowId, from: 1, to: 'draft' }),
  },
  'flows.saveDraft': {
    needs: 'editFlows',
    call: (c, t) =>
      c.flows.saveDraft({ jurisdiction: t.jurisdiction, key: flow.key, definition: flow }),
  },
  'flows.publish': { needs: 'editFlows', call: (c, t) => c.flows.publish({ flowId: t.flowId }) },
  'templates.adopt': {
    needs: 'editFlows',
    call: (c, t) =>
      c.templates.adopt({ templateKey: 'none', version: 1, jurisdiction: t.jurisdiction }),
  },
  'templates.overlay': {
    needs: 'read',
    call: (c, t) => c.templates.overlay({ flowId: t.flowId }),
  },
  'templates.planUpgrade': {
    needs: 'read',
    call: (c, t) => c.templates.planUpgrade({ flowId: t.flowId, toVersion: 2 }),
  },
  'templates.upgrade': {
    needs: 'editFlows',
    call: (c, t) => c.templates.upgrade({ flowId: t.flowId, toVersion: 2 }),
  },
  'templates.resetChange': {
    needs: 'editFlows',
    call: (c, t) => c.templates.resetChange({ flowId: t.flowId, path: '/roles/none' }),
  },
  'cases.register': {
    needs: 'registerCase',
    call: (c, t) =>
      c.cases.register({
        flowId: t.flowId,
        channel: 'visit',
        data: { summary: '矩阵测试登记事项' },
      }),
  },
  'cases.get': { needs: 'read', call: (c, t) => c.cases.get({ caseId: t.caseId }) },
  'cases.list': { needs: 'read', call: (c, t) => c.cases.list({ jurisdiction: t.jurisdiction }) },
  'cases.search': {
    needs: 'read',
    call: (c, t) => c.cases.search({ jurisdiction: t.jurisdiction, text: '矩阵测试' }),
  },
  'cases.availableActions': {
    needs: 'read',
    call: (c, t) => c.cases.availableActions({ caseId: t.caseId }),
  },
  'cases.repeatHints': {
    needs: 'registerCase',
    call: (c, t) => c.cases.repeatHints({ caseId: t.caseId }),
  },
  'cases.repeatHints (typed)': {
    needs: 'registerCase',
    call: (c, t) => c.cases.repeatHints({ jurisdiction: t.jurisdiction, phone: '13800000000' }),
  },
  'cases.act (withdraw)': {
    needs: 'actOnCase',
    call: (c, t) =>
      c.cases.act({
        caseId: t.caseId,
        // An unknown version: refused as stale after the permission checks, so nothing closes.
        expectedVersion: 999,
        command: { type: 'case.withdraw', reason: '矩阵测试撤回' },
      }),
  },
  'flows.publishedByKey': {
    needs: 'read',
    call: (c, t) => c.flows.publishedByKey({ jurisdiction: t.jurisdiction, key: flow.key }),
  },
  'cases.act': {
    needs: 'actOnCase',
    call: (c, t) =>
      c.cases.act({ caseId: t.caseId, command: { type: 'case.comment', text: '矩阵测试备注' } }),
  },
  'tasks.claim': { needs: 'actOnCase', call: (c, t) => c.tasks.claim({ taskId: t.taskId }) },
  'tasks.complete': {
    needs: 'actOnCase',
    call: (c, t) => c.tasks.complete({ taskId: t.taskId, action: 'none' }),
  },
  'stats.summary': {
    needs: 'viewStats',
    call: (c, t) =>
      c.stats.summary({
        jurisdiction: t.jurisdiction,
        from: '2020-01-01T00:00:00Z',
        to: '2030-01-01T00:00:00Z',
      }),
  },
  'stats.byJurisdiction': {
    needs: 'viewStats',
    call: (c, t) =>
      c.stats.byJurisdiction({
        jurisdiction: t.jurisdiction,
        from: '2020-01-01T00:00:00Z',
        to: '2030-01-01T00:00:00Z',
      }),
  },
  'stats.supervision': {
    needs: 'viewStats',
    call: (c, t) =>
      c.stats.supervision({
        jurisdiction: t.jurisdiction,
        from: '2020-01-01T00:00:00Z',
        to: '2030-01-01T00:00:00Z',
      }),
  },
  // A deadline long past: refused by the engine after the permission checks, nothing issued.
  'supervision.issue': {
    needs: 'supervise',
    call: (c, t) =>
      c.supervision.issue({
        caseId: t.caseId,
        reason: '矩阵测试督办',
        deadline: '2020-01-01T00:00:00Z',
        to: { kind: 'assignees' },
      }),
  },
  'supervision.addressees': {
    needs: 'supervise',
    call: (c, t) => c.supervision.addressees({ caseId: t.caseId }),
  },
  'stats.trend': {
    needs: 'viewStats',
    call: (c, t) =>
      c.stats.trend({
        jurisdiction: t.jurisdiction,
        from: '2025-01-06T00:00:00+08:00',
        bucket: 'week',
        buckets: 8,
      }),
  },
  'calendars.years': {
    needs: 'read',
    call: (c, t) => c.calendars.years({ jurisdiction: t.jurisdiction }),
  },
  'calendars.revisions': {
    needs: 'read',
    call: (c, t) => c.calendars.revisions({ jurisdiction: t.jurisdiction, year: 2027 }),
  },
  'calendars.coverage': {
    needs: 'read',
    call: (c, t) => c.calendars.coverage({ jurisdiction: t.jurisdiction }),
  },
  // A county cannot publish (refused with its problems after the permission check) nor set
  // local days without a grant: nothing changes whoever calls.
  'calendars.preview': {
    needs: 'manageCalendars',
    call: (c, t) =>
      c.calendars.preview({
        jurisdiction: t.jurisdiction,
        year: { year: 2027, holidays: {}, workdays: {} },
      }),
  },
  'calendars.publish': {
    needs: 'manageCalendars',
    call: (c, t) =>
      c.calendars.publish({
        jurisdiction: t.jurisdiction,
        year: { year: 2027, holidays: {}, workdays: {} },
      }),
  },
  'calendars.setLocalDays': {
    needs: 'manageCalendars',
    call: (c, t) =>
      c.calendars.setLocalDays({
        jurisdiction: t.jurisdiction,
        year: 2027,
        days: { '2027-01-15': '矩阵测试节' },
      }),
  },
  'documents.list': { needs: 'read', call: (c, t) => c.documents.list({ caseId: t.caseId }) },
  'documents.templates': {
    needs: 'editFlows',
    call: (c, t) => c.documents.templates({ jurisdiction: t.jurisdiction }),
  },
  'documents.preview': {
    needs: 'editFlows',
    call: (c, t) =>
      c.documents.preview({
        jurisdiction: t.jurisdiction,
        kind: 'acceptance',
        serialPrefix: '矩信受',
        issuer: '矩阵信访局',
        title: '受理告知书',
        body: '{{petitioner.name}}：',
      }),
  },
  'documents.previewPdf': {
    needs: 'editFlows',
    call: (c, t) =>
      c.documents.previewPdf({
        jurisdiction: t.jurisdiction,
        kind: 'acceptance',
        serialPrefix: '矩信受',
        issuer: '矩阵信访局',
        title: '受理告知书',
        body: '{{petitioner.name}}：',
      }),
  },
  // A stale revision: refused after the permission check, nothing saved.
  'documents.saveTemplate': {
    needs: 'editFlows',
    call: (c, t) =>
      c.documents.saveTemplate({
        jurisdiction: t.jurisdiction,
        kind: 'acceptance',
        serialPrefix: '矩信受',
        issuer: '矩阵信访局',
        title: '受理告知书',
        body: '{{petitioner.name}}：',
        expectedRevision: 99,
      }),
  },
  'admin.updateUser': {
    needs: 'manageUsers',
    call: (c, t) => c.admin.updateUser({ userId: t.userId, displayName: '矩阵改名' }),
  },
  'users.members': {
    needs: 'read',
    call: (c, t) => c.users.members({ jurisdiction: t.jurisdiction }),
  },
  'departments.list': {
    needs: 'read',
    call: (c, t) => c.departments.list({ jurisdiction: t.jurisdiction }),
  },
  'departments.create': {
    needs: 'manageUsers',
    call: (c, t) =>
      c.departments.create({
        jurisdiction: t.jurisdiction,
        code: `d${Math.random().toString(36).slice(2, 10)}`,
        name: { 'zh-CN': '矩阵局' },
      }),
  },
  'departments.update': {
    needs: 'manageUsers',
    call: (c, t) =>
      c.departments.update({ jurisdiction: t.jurisdiction, code: 'matrix', active: false }),
  },
  'admin.users': {
    needs: 'manageUsers',
    call: (c, t) => c.admin.users({ jurisdiction: t.jurisdiction }),
  },
  'admin.createUser': {
    needs: 'manageUsers',
    call: (c, t) =>
      c.admin.createUser({
        username: `u${Math.random().toString(36).slice(2, 10)}`,
        displayName: '矩阵',
        password: 'matrix-password',
        memberships: [{ jurisdiction: t.jurisdiction, role: 'receptionist' }],
      }),
  },
};

/** The permission outcome of one call: allowed, or the denial code. */
async function outcome(p: Promise<unknown>): Promise<'allowed' | string> {
  try {
    await p;
    return 'allowed';
  } catch (e) {
    if (!(e instanceof TRPCError)) throw e;
    const code = (e.cause as { code?: string } | undefined)?.code ?? '';
    // Anything past the permission check (bad input, engine refusals, not found) counts as allowed.
    return code.startsWith('permission.') || code === 'auth.required' ? code : 'allowed';
  }
}

describe('authorisation matrix: every procedure × role × own/other jurisdiction', () => {
  let services: Services;
  let drop: () => Promise<void>;
  const targets: Record<'own' | 'other', Target> = {} as never;
  const callers = new Map<UserName | 'anonymous', Caller>();

  beforeAll(async () => {
    const s = await setupApi('sqlite');
    services = s.services;
    drop = () => s.test.drop();
    for (const [name, jurisdiction, registrar] of [
      ['own', '440781', 'receptionist'],
      ['other', '440783', 'otherReceptionist'],
    ] as const) {
      const flowId = await publishFixture(services, flow.key, jurisdiction);
      const rec = await signIn(services, registrar);
      const { caseId } = await rec.cases.register({
        flowId,
        channel: 'visit',
        data: { summary: '矩阵测试事项甲' },
      });
      const detail = await rec.cases.get({ caseId });
      const userId = (await services.store.userByUsername(registrar))?.id ?? '';
      targets[name] = {
        jurisdiction,
        flowId,
        caseId,
        taskId: detail.state.tasks[0]?.id ?? '',
        userId,
      };
    }
    for (const name of Object.keys(USERS) as UserName[])
      callers.set(name, await signIn(services, name));
    callers.set('anonymous', anonymous(services));
  });
  afterAll(async () => drop());

  const cases = Object.keys(PROCEDURES).flatMap((procedure) =>
    [...(Object.keys(USERS) as UserName[]), 'anonymous' as const].flatMap((user) =>
      (['own', 'other'] as const).map((where) => ({ procedure, user, where })),
    ),
  );

  it(`decides all ${cases.length} combinations as the permission table says`, async () => {
    const wrong: string[] = [];
    for (const { procedure, user, where } of cases) {
      const spec = PROCEDURES[procedure];
      const caller = callers.get(user);
      if (!spec || !caller) throw new Error('bad table');
      const target = targets[where];
      const membership = user === 'anonymous' ? undefined : USERS[user];
      const expected = !membership
        ? 'auth.required'
        : !(PERMISSIONS[spec.needs] as readonly string[]).includes(membership.role)
          ? 'permission.role'
          : covers(membership.jurisdiction, target.jurisdiction)
            ? 'allowed'
            : 'permission.jurisdiction';
      const actual = await outcome(spec.call(caller, target));
      // A role check may answer either way when both role and scope are wrong.
      const ok =
        actual === expected || (expected === 'permission.role' && actual.startsWith('permission.'));
      if (!ok)
        wrong.push(`${procedure} as ${user} on ${where}: expected ${expected}, got ${actual}`);
    }
    expect(wrong).toEqual([]);
  });

  it('opens unscoped procedures to every signed-in user (or to anyone, for public ones)', async () => {
    const wrong: string[] = [];
    for (const [procedure, spec] of Object.entries(UNSCOPED)) {
      for (const user of [...(Object.keys(USERS) as UserName[]), 'anonymous' as const]) {
        const caller = callers.get(user) as Caller;
        const expected =
          spec.needs === 'public' || user !== 'anonymous' ? 'allowed' : 'auth.required';
        const actual = await outcome(spec.call(caller, targets.own));
        if (actual !== expected)
          wrong.push(`${procedure} as ${user}: expected ${expected}, got ${actual}`);
      }
    }
    expect(wrong).toEqual([]);
  });

  it('decides role-only procedures by the role, wherever it is held', async () => {
    const wrong: string[] = [];
    for (const [procedure, spec] of Object.entries(ROLE_ONLY)) {
      for (const user of [...(Object.keys(USERS) as UserName[]), 'anonymous' as const]) {
        const caller = callers.get(user) as Caller;
        const membership = user === 'anonymous' ? undefined : USERS[user];
        const expected = !membership
          ? 'auth.required'
          : (PERMISSIONS[spec.needs] as readonly string[]).includes(membership.role)
            ? 'allowed'
            : 'permission.role';
        const actual = await outcome(spec.call(caller));
        if (actual !== expected)
          wrong.push(`${procedure} as ${user}: expected ${expected}, got ${actual}`);
      }
    }
    expect(wrong).toEqual([]);
  });

  it('leaves no procedure out of the matrix', () => {
    const listed = new Set(
      [
        ...Object.keys(PROCEDURES),
        ...Object.keys(UNSCOPED),
        ...Object.keys(ROLE_ONLY),
        ...Object.keys(TESTED_ELSEWHERE),
      ].map((name) => name.split(' ')[0]),
    );
    const procedures = Object.keys(
      (appRouter as unknown as { _def: { procedures: Record<string, unknown> } })._def.procedures,
    );
    expect(procedures.filter((p) => !listed.has(p))).toEqual([]);
  });

  it('keeps a city inside its own counties', async () => {
    const city = callers.get('city') as Caller;
    expect(await outcome(city.jurisdictions.get({ code: '440100' }))).toBe(
      'permission.jurisdiction',
    );
    expect(await outcome(city.jurisdictions.get({ code: '440783' }))).toBe('allowed');
  });
});
