import { randomBytes } from 'node:crypto';
import { type Clock, createTestDatabase, type Dialect, Store, Vault } from '@lianxin/store';
import {
  createCaller,
  createContextInner,
  createServices,
  type Services,
  sessionFromToken,
} from '../src';
import flowJson from './fixtures/flow.json' with { type: 'json' };

export const flow = flowJson as unknown as Record<string, unknown> & { key: string };
export const PASSWORD = 'lianxin-demo-2025';

export const USERS = {
  admin: { jurisdiction: '440781', role: 'admin' },
  receptionist: { jurisdiction: '440781', role: 'receptionist' },
  handler: { jurisdiction: '440781', role: 'handler', department: 'civil' },
  lawyer: { jurisdiction: '440781', role: 'lawyer' },
  mediator: { jurisdiction: '440781', role: 'mediator' },
  leader: { jurisdiction: '440781', role: 'leader' },
  supervisor: { jurisdiction: '440781', role: 'supervisor' },
  city: { jurisdiction: '440700', role: 'supervisor' },
  cityAdmin: { jurisdiction: '440700', role: 'admin' },
  province: { jurisdiction: '440000', role: 'admin' },
  otherReceptionist: { jurisdiction: '440783', role: 'receptionist' },
  otherAdmin: { jurisdiction: '440783', role: 'admin' },
} as const;
export type UserName = keyof typeof USERS;

export async function setupApi(dialect: Dialect = 'sqlite', clock?: Clock) {
  const test = await createTestDatabase(dialect);
  const store = new Store(test.database, new Vault(randomBytes(32)), clock);
  const jurisdictions = [
    ['440000', '广东省', 'province', null],
    ['440700', '江门市', 'city', '440000'],
    ['440781', '台山市', 'county', '440700'],
    ['440783', '开平市', 'county', '440700'],
    ['440100', '广州市', 'city', '440000'],
  ] as const;
  for (const [code, name, level, parent] of jurisdictions) {
    await store.upsertJurisdiction({ code, name: { 'zh-CN': name }, level, parent });
  }
  for (const [username, m] of Object.entries(USERS)) {
    await store.createUser({
      username,
      displayName: username,
      password: PASSWORD,
      memberships: [m],
    });
  }
  const services = createServices(store, { loginAttempts: 5 });
  return { test, store, services };
}

export function anonymous(services: Services, ip = '127.0.0.1') {
  return createCaller(createContextInner({ services, session: null, ip }));
}

/** Signs in through `auth.login` and returns a caller carrying that session. */
export async function signIn(
  services: Services,
  username: UserName,
  lang: 'zh-CN' | 'en' = 'zh-CN',
) {
  let token = '';
  const caller = createCaller(
    createContextInner({
      services,
      session: null,
      ip: `10.0.0.${Object.keys(USERS).indexOf(username)}`,
      cookies: { setSession: (t) => (token = t), clearSession: () => {} },
    }),
  );
  await caller.auth.login({ username, password: PASSWORD });
  const session = await sessionFromToken(services, token);
  return createCaller(createContextInner({ services, session, lang }));
}

/** Publishes the fixture flow in 440781 as its admin; returns the flow id. */
export async function publishFixture(services: Services, key = flow.key, jurisdiction = '440781') {
  const admin = await signIn(services, jurisdiction === '440781' ? 'admin' : 'otherAdmin');
  const saved = await admin.flows.saveDraft({
    jurisdiction,
    key,
    definition: { ...flow, key, jurisdiction },
  });
  await admin.flows.publish({ flowId: saved.flowId });
  return saved.flowId;
}
