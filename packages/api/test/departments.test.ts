import { TRPCError } from '@trpc/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppError } from '../src';
import { flow, setupApi, signIn } from './helpers';

async function failure(p: Promise<unknown>): Promise<AppError & { path?: string }> {
  try {
    await p;
  } catch (e) {
    if (!(e instanceof TRPCError)) throw e;
    const error = e.cause as AppError;
    return Object.assign(error, {
      path: (error.details as { pointer?: string } | undefined)?.pointer,
    });
  }
  throw new Error('expected a refusal');
}

/** The fixture flow with its 办理答复 step sent to one department by code. */
function sentTo(department: string) {
  const nodes = structuredClone(flow.nodes) as Array<Record<string, unknown>>;
  (nodes[3] as { assignee: unknown }).assignee = { role: 'handler', department };
  return { ...flow, jurisdiction: '440781', nodes };
}

// 承办部门 as data: a county's admins (or those above) keep the list; another
// county's admin is refused and nothing changes; memberships and flows naming a
// department the list does not hold are refused, located, in both languages.
describe.each(['sqlite', 'pg'] as const)('departments through the api on %s', (dialect) => {
  let api: Awaited<ReturnType<typeof setupApi>>;
  beforeAll(async () => {
    api = await setupApi(dialect);
  });
  afterAll(async () => api.test.drop());

  const names = async (jurisdiction: string, includeInactive = false) => {
    const admin = await signIn(api.services, 'admin');
    const rows = await admin.departments.list({ jurisdiction, includeInactive });
    return rows.map((d) => `${d.code}=${d.name['zh-CN']}${d.active ? '' : '(停用)'}`);
  };

  it('a county admin adds, renames and deactivates; another county is refused and nothing changes', async () => {
    const admin = await signIn(api.services, 'admin');
    await admin.departments.create({
      jurisdiction: '440781',
      code: 'housing',
      name: { 'zh-CN': '住建局', en: 'Housing Bureau' },
    });
    await admin.departments.create({
      jurisdiction: '440781',
      code: 'civil',
      name: { 'zh-CN': '民政局' },
    });
    // The city's admin is above the county: allowed.
    const city = await signIn(api.services, 'cityAdmin');
    await city.departments.create({
      jurisdiction: '440781',
      code: 'natres',
      name: { 'zh-CN': '自然资源局' },
    });
    expect(await names('440781')).toEqual(['civil=民政局', 'housing=住建局', 'natres=自然资源局']);

    // 开平's admin, a handler of 台山 and a taken code are refused; the list stays as it was.
    const other = await signIn(api.services, 'otherAdmin');
    const handler = await signIn(api.services, 'handler');
    const refusals = [
      await failure(
        other.departments.create({
          jurisdiction: '440781',
          code: 'justice',
          name: { 'zh-CN': '司法局' },
        }),
      ),
      await failure(
        other.departments.update({
          jurisdiction: '440781',
          code: 'housing',
          name: { 'zh-CN': '改名' },
        }),
      ),
      await failure(
        other.departments.update({ jurisdiction: '440781', code: 'housing', active: false }),
      ),
      await failure(
        handler.departments.create({
          jurisdiction: '440781',
          code: 'justice',
          name: { 'zh-CN': '司法局' },
        }),
      ),
      await failure(
        admin.departments.create({
          jurisdiction: '440781',
          code: 'housing',
          name: { 'zh-CN': '另一个' },
        }),
      ),
    ];
    expect(refusals.map((r) => r.code)).toEqual([
      'permission.jurisdiction',
      'permission.jurisdiction',
      'permission.jurisdiction',
      'permission.role',
      'department.exists',
    ]);
    expect(refusals[0]?.message_['zh-CN']).toContain('台山市');
    expect(await names('440781', true)).toEqual([
      'civil=民政局',
      'housing=住建局',
      'natres=自然资源局',
    ]);
    // 开平 cannot even read 台山's list.
    expect((await failure(other.departments.list({ jurisdiction: '440781' }))).code).toBe(
      'permission.jurisdiction',
    );

    await admin.departments.update({
      jurisdiction: '440781',
      code: 'housing',
      name: { 'zh-CN': '住房和城乡建设局', en: 'Housing and Urban-Rural Development' },
    });
    await admin.departments.update({ jurisdiction: '440781', code: 'natres', active: false });
    expect(await names('440781')).toEqual(['civil=民政局', 'housing=住房和城乡建设局']);
    expect(await names('440781', true)).toContain('natres=自然资源局(停用)');
    expect(
      (
        await failure(
          admin.departments.update({ jurisdiction: '440781', code: 'nope', active: false }),
        )
      ).code,
    ).toBe('notFound.department');

    // Audited, the department named.
    const records = await admin.audit.search({ action: 'admin.departmentUpdated' });
    expect(records.records.length).toBe(2);
    // Every line named in words (PostgreSQL keeps jsonb keys in its own order).
    const words = records.records.map((r) =>
      r.lines.map((l) => `${l.label['zh-CN']}：${l.value['zh-CN']}`).sort(),
    );
    expect(words).toEqual([
      ['修改内容：部门状态', '部门：natres', '部门名称：自然资源局', '部门状态：停用'].sort(),
      [
        '修改内容：部门名称',
        '修改前：住建局',
        '修改后：住房和城乡建设局',
        '部门：housing',
        '部门名称：住建局',
      ].sort(),
    ]);
  });

  it('a user given a department the county does not keep (or deactivated) is refused, located; nothing is created', async () => {
    const admin = await signIn(api.services, 'admin');
    const make = (department: string, username: string) =>
      admin.admin.createUser({
        username,
        displayName: '测试办理人',
        password: 'Matrix-Passphrase-2026!',
        memberships: [{ jurisdiction: '440781', role: 'handler', department }],
      });
    const unknown = await failure(make('justice', 'new-justice'));
    expect(unknown.code).toBe('department.unknown');
    expect(unknown.path).toBe('/memberships/0/department');
    expect(unknown.message_['zh-CN']).toContain('没有承办部门“justice”');
    expect(unknown.message_.en).toContain('pick one from the list');
    expect((await failure(make('natres', 'new-natres'))).code).toBe('department.unknown');
    expect(await api.store.userByUsername('new-justice')).toBeUndefined();
    expect(await api.store.userByUsername('new-natres')).toBeUndefined();
    // Changing an existing user's memberships is checked the same way.
    const handler = await api.store.userByUsername('handler');
    expect(
      (
        await failure(
          admin.admin.updateUser({
            userId: handler?.id ?? '',
            memberships: [{ jurisdiction: '440781', role: 'handler', department: 'justice' }],
          }),
        )
      ).code,
    ).toBe('department.unknown');
    expect((await api.store.memberships(handler?.id ?? '')).map((m) => m.department)).toEqual([
      'civil',
    ]);
    await make('housing', 'new-housing');
    expect(await api.store.userByUsername('new-housing')).toBeDefined();
    // A membership the user already holds stays editable after its department is deactivated
    // (the handler of 民政局 is renamed while 民政局 is off the list); a new one in it is refused.
    await admin.departments.update({ jurisdiction: '440781', code: 'civil', active: false });
    await admin.admin.updateUser({
      userId: handler?.id ?? '',
      displayName: '民政局办理人',
      memberships: [{ jurisdiction: '440781', role: 'handler', department: 'civil' }],
    });
    expect((await failure(make('civil', 'new-civil'))).code).toBe('department.unknown');
    await admin.departments.update({ jurisdiction: '440781', code: 'civil', active: true });
    // 开平's admin lists only 开平's departments (none yet), never 台山's.
    const other0 = await signIn(api.services, 'otherAdmin');
    expect(await other0.departments.list({ includeInactive: true })).toEqual([]);
    // 开平 keeps no list yet: any code goes, as before.
    const other = await signIn(api.services, 'otherAdmin');
    await other.admin.createUser({
      username: 'kaiping-justice',
      displayName: '开平司法',
      password: 'Matrix-Passphrase-2026!',
      memberships: [{ jurisdiction: '440783', role: 'handler', department: 'justice' }],
    });
  });

  it('the checker refuses a step sent to a department the county does not keep: located, in the live check and at publish', async () => {
    const admin = await signIn(api.services, 'admin');
    const checked = await admin.flows.checkDefinition({
      jurisdiction: '440781',
      definition: sentTo('justice'),
    });
    const problem = checked.problems.find((p) => p.code === 'department.unknown');
    expect(problem?.pointer).toBe('/nodes/3/assignee/department');
    expect(problem?.message['zh-CN']).toContain('不在本辖区的部门列表中');
    expect(checked.errors).toBeGreaterThan(0);
    const saved = await admin.flows.saveDraft({
      jurisdiction: '440781',
      key: 'dept-check',
      definition: { ...sentTo('justice'), key: 'dept-check' },
    });
    const refused = await failure(admin.flows.publish({ flowId: saved.flowId }));
    expect(refused.code).toBe('flow.invalid');
    expect((await admin.flows.versions({ flowId: saved.flowId })).length).toBe(0);
    // A deactivated department is refused as well; a kept one passes.
    const natres = await admin.flows.checkDefinition({
      jurisdiction: '440781',
      definition: sentTo('natres'),
    });
    expect(natres.problems.map((p) => p.code)).toContain('department.unknown');
    const housing = await admin.flows.checkDefinition({
      jurisdiction: '440781',
      definition: sentTo('housing'),
    });
    expect(housing.problems.filter((p) => p.code === 'department.unknown')).toEqual([]);
  });
});
