import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PASSWORD, setupApi, signIn } from './helpers';

// The forms' 人员 picker reads users.members: the active staff of the caller's
// county by name and role, never another county's, never a contact detail.
describe.each(['sqlite', 'pg'] as const)('users.members on %s', (dialect) => {
  let api: Awaited<ReturnType<typeof setupApi>>;
  beforeAll(async () => {
    api = await setupApi(dialect);
    await api.store.createUser({
      username: 'taishan-housing',
      displayName: '台山住建局 何伟',
      password: PASSWORD,
      memberships: [{ jurisdiction: '440781', role: 'handler', department: 'housing' }],
    });
    await api.store.createUser({
      username: 'kaiping-housing',
      displayName: '开平住建局 陈静',
      password: PASSWORD,
      memberships: [{ jurisdiction: '440783', role: 'handler', department: 'housing' }],
    });
    const gone = await api.store.createUser({
      username: 'taishan-gone',
      displayName: '台山已停用 张三',
      password: PASSWORD,
      memberships: [{ jurisdiction: '440781', role: 'handler', department: 'housing' }],
    });
    const admin = await signIn(api.services, 'admin');
    await admin.admin.updateUser({ userId: gone.id, active: false });
  });
  afterAll(async () => api.test.drop());

  it('gives a county handler its own county’s active staff by name and role, and nothing else about them', async () => {
    const members = await (await signIn(api.services, 'handler')).users.members();
    const names = members.map((m) => m.displayName);
    expect(names).toContain('台山住建局 何伟');
    expect(names).toContain('receptionist');
    expect(names).not.toContain('开平住建局 陈静');
    expect(names).not.toContain('otherReceptionist');
    expect(names).not.toContain('台山已停用 张三');
    expect(new Set(members.map((m) => m.jurisdiction))).toEqual(new Set(['440781']));
    expect(members.find((m) => m.displayName === '台山住建局 何伟')).toEqual({
      displayName: '台山住建局 何伟',
      jurisdiction: '440781',
      roles: ['handler'],
      department: 'housing',
    });
  });

  it('another county’s staff only to those who may read it; the city sees Kaiping’s when it asks', async () => {
    const taishan = await signIn(api.services, 'receptionist');
    await expect(taishan.users.members({ jurisdiction: '440783' })).rejects.toThrow();
    const city = await signIn(api.services, 'city');
    const kaiping = (await city.users.members({ jurisdiction: '440783' })).map(
      (m) => m.displayName,
    );
    expect(kaiping).toContain('开平住建局 陈静');
    expect(kaiping).not.toContain('台山住建局 何伟');
  });
});
