import { TRPCError } from '@trpc/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type AppError,
  clientAddress,
  createCaller,
  createContextInner,
  createServices,
  passwordProblems,
  type Services,
  sessionFromToken,
} from '../src';
import { anonymous, PASSWORD, publishFixture, setupApi, type UserName } from './helpers';

const MIN = 60_000;

class Clock {
  ms = Date.parse('2026-03-02T01:00:00Z');
  now() {
    return new Date(this.ms);
  }
  advance(ms: number) {
    this.ms += ms;
  }
}

async function failure(p: Promise<unknown>): Promise<AppError | undefined> {
  try {
    await p;
    return undefined;
  } catch (e) {
    if (!(e instanceof TRPCError)) throw e;
    return e.cause as AppError;
  }
}
const codeOf = async (p: Promise<unknown>) => (await failure(p))?.code;

/** Signs in from `ip` and returns the cookie token with a caller for it. */
async function signInFrom(services: Services, username: string, ip: string, password = PASSWORD) {
  let token = '';
  await createCaller(
    createContextInner({
      services,
      session: null,
      ip,
      cookies: { setSession: (t) => (token = t), clearSession: () => {} },
    }),
  ).auth.login({ username, password });
  return { token, caller: (await callerFor(services, token, ip)).caller };
}

/** What the HTTP layer does for each request: the cookie's session, or none. */
async function callerFor(services: Services, token: string, ip = '127.0.0.1') {
  let next = token;
  const session = await sessionFromToken(services, token);
  const caller = createCaller(
    createContextInner({
      services,
      session,
      ip,
      cookies: { setSession: (t) => (next = t), clearSession: () => {} },
    }),
  );
  return { caller, token: () => next };
}

describe.each(['sqlite', 'pg'] as const)('sign-in limits under attack on %s', (dialect) => {
  let services: Services;
  let drop: () => Promise<void>;

  beforeAll(async () => {
    const s = await setupApi(dialect);
    services = s.services; // 5 tries per address, 10 per account
    drop = () => s.test.drop();
  });
  afterAll(async () => drop());

  it('checks only five of forty wrong passwords sent at once from one address', async () => {
    const codes = await Promise.all(
      Array.from({ length: 40 }, () =>
        codeOf(
          anonymous(services, '203.0.113.1').auth.login({
            username: 'mediator',
            password: 'guess',
          }),
        ),
      ),
    );
    expect(codes.filter((c) => c === 'auth.invalid')).toHaveLength(5);
    expect(codes.filter((c) => c === 'auth.rateLimited')).toHaveLength(35);
  });

  it('checks only ten of forty wrong passwords for one account sent at once from forty addresses', async () => {
    const codes = await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        codeOf(
          anonymous(services, `198.18.0.${i + 1}`).auth.login({
            username: 'lawyer',
            password: 'guess',
          }),
        ),
      ),
    );
    expect(codes.filter((c) => c === 'auth.invalid')).toHaveLength(10);
  });

  it('keeps the owner signing in at the office while an attacker elsewhere is locked out', async () => {
    // The leader signed in from the office before.
    await signInFrom(services, 'leader', '10.20.0.1');
    // Attackers on many addresses use the account's limit up, then keep trying.
    for (let i = 0; i < 12; i++)
      await codeOf(
        anonymous(services, `198.19.0.${i}`).auth.login({ username: 'leader', password: 'x' }),
      );
    expect(
      await codeOf(
        anonymous(services, '198.19.1.1').auth.login({ username: 'leader', password: PASSWORD }),
      ),
    ).toBe('auth.rateLimited');
    // The owner at the office gets in.
    const { caller } = await signInFrom(services, 'leader', '10.20.0.1');
    expect((await caller.auth.me()).username).toBe('leader');
  });

  it('locks an address that sprays user names without locking those accounts elsewhere', async () => {
    const names: UserName[] = ['supervisor', 'city', 'cityAdmin', 'province', 'otherAdmin'];
    for (const username of names)
      expect(
        await codeOf(anonymous(services, '192.0.2.200').auth.login({ username, password: 'x' })),
      ).toBe('auth.invalid');
    expect(
      await codeOf(
        anonymous(services, '192.0.2.200').auth.login({
          username: 'supervisor',
          password: PASSWORD,
        }),
      ),
    ).toBe('auth.rateLimited');
    for (const username of names) await signInFrom(services, username, '192.0.2.201');
  });
});

describe('passwords and sessions', () => {
  let services: Services;
  let clock: Clock;
  let drop: () => Promise<void>;

  beforeAll(async () => {
    clock = new Clock();
    const s = await setupApi('sqlite', clock);
    services = s.services;
    drop = () => s.test.drop();
  });
  afterAll(async () => drop());

  it('refuses weak passwords with every broken rule named in both languages', async () => {
    const { caller: admin } = await signInFrom(services, 'admin', '10.1.0.1');
    const create = (username: string, password: string) =>
      failure(
        admin.admin.createUser({
          username,
          displayName: '新用户',
          password,
          memberships: [{ jurisdiction: '440781', role: 'receptionist' }],
        }),
      );
    const ones = await create('clerk1', '11111111');
    expect(ones?.code).toBe('auth.weakPassword');
    expect(ones?.message_['zh-CN']).toContain('至少 10 个字符');
    expect(ones?.message_['zh-CN']).toContain('常见密码');
    expect(ones?.message_.en).toContain('at least 10 characters');
    expect(ones?.details).toEqual({ pointer: '/password' });
    const named = await create('zhangwei', 'Zhangwei-2026!');
    expect(named?.message_.en).toBe(
      'the password does not meet the policy: must not contain the user name',
    );
    expect(await create('clerk2', 'Tai-shan 2026 spring')).toBeUndefined();
    expect(await create('clerk3', 'dongfeng yeqian river pavilion')).toBeUndefined();
    expect(
      (await signInFrom(services, 'clerk2', '10.1.0.2', 'Tai-shan 2026 spring')).token,
    ).not.toBe('');
    // The rules the pages show are the ones enforced.
    const rules = await anonymous(services).auth.passwordPolicy();
    expect(rules.rules).toHaveLength(4);
    expect(passwordProblems('password123', 'x')).toHaveLength(2);
  });

  it('lets users change their own password; every other session of theirs ends', async () => {
    const laptop = await signInFrom(services, 'mediator', '10.2.0.1');
    const signedIn = await signInFrom(services, 'mediator', '10.2.0.2');
    const phone = await callerFor(services, signedIn.token, '10.2.0.2');
    expect(
      await codeOf(
        phone.caller.auth.changePassword({
          currentPassword: 'wrong',
          newPassword: 'Harbour-lights-77',
        }),
      ),
    ).toBe('auth.wrongPassword');
    expect(
      await codeOf(
        phone.caller.auth.changePassword({
          currentPassword: PASSWORD,
          newPassword: 'mediator2026',
        }),
      ),
    ).toBe('auth.weakPassword');
    await phone.caller.auth.changePassword({
      currentPassword: PASSWORD,
      newPassword: 'Harbour-lights-77',
    });
    // The laptop (perhaps stolen) is out at once, cache or not.
    expect(await sessionFromToken(services, laptop.token)).toBeNull();
    // The phone carries on with the fresh session it was given.
    const { caller: renewed } = await callerFor(services, phone.token());
    expect((await renewed.auth.me()).username).toBe('mediator');
    expect(await codeOf(signInFrom(services, 'mediator', '10.2.0.3'))).toBe('auth.invalid');
    await signInFrom(services, 'mediator', '10.2.0.3', 'Harbour-lights-77');
  });

  it('ends the sessions of a user whose password an admin resets or who is deactivated', async () => {
    const { caller: admin } = await signInFrom(services, 'admin', '10.1.0.1');
    const users = await admin.admin.users({ jurisdiction: '440781' });
    const handlerId = users.find((u) => u.username === 'handler')?.id ?? '';
    const old = await signInFrom(services, 'handler', '10.3.0.1');
    expect(await sessionFromToken(services, old.token)).not.toBeNull(); // now cached
    await admin.admin.updateUser({ userId: handlerId, password: 'Reset-by-admin-9' });
    expect(await sessionFromToken(services, old.token)).toBeNull();
    // Another server's cache forgets it within five seconds.
    const again = await signInFrom(services, 'handler', '10.3.0.1', 'Reset-by-admin-9');
    const other = createServices(services.store, { loginAttempts: 5 });
    expect(await sessionFromToken(other, again.token)).not.toBeNull();
    await admin.admin.updateUser({ userId: handlerId, active: false });
    expect(await sessionFromToken(services, again.token)).toBeNull();
    clock.advance(5_001);
    expect(await sessionFromToken(other, again.token)).toBeNull();
  });

  it('refuses a session unused for 30 minutes and keeps one in use alive', async () => {
    const idle = await signInFrom(services, 'receptionist', '10.4.0.1');
    const busy = await signInFrom(services, 'receptionist', '10.4.0.2');
    for (let i = 0; i < 4; i++) {
      clock.advance(10 * MIN);
      expect(await sessionFromToken(services, busy.token)).not.toBeNull();
    }
    expect(await sessionFromToken(services, idle.token)).toBeNull();
    clock.advance(31 * MIN);
    expect(await sessionFromToken(services, busy.token)).toBeNull();
    // Configurable.
    const patient = createServices(services.store, { sessionIdleMs: 120 * MIN });
    const slow = await signInFrom(patient, 'receptionist', '10.4.0.3');
    clock.advance(90 * MIN);
    expect(await sessionFromToken(patient, slow.token)).not.toBeNull();
  });
});

describe('tracking codes and ratings under attack', () => {
  let services: Services;
  let drop: () => Promise<void>;
  let trackingCode: string;

  beforeAll(async () => {
    const s = await setupApi('sqlite');
    services = s.services;
    drop = () => s.test.drop();
    await publishFixture(services);
    ({ trackingCode } = await anonymous(services, '198.51.100.1').intake.submit({
      jurisdiction: '440781',
      data: { summary: '路灯损坏，夜间出行不便' },
      petitioner: { name: '陈某', phone: '13800001234' },
    }));
  });
  afterAll(async () => drop());

  it('stops phone guesses for one code after ten, from any number of addresses', async () => {
    const guesses = await Promise.all(
      Array.from({ length: 60 }, (_, i) =>
        codeOf(
          anonymous(services, `203.0.113.${i}`).intake.track({
            trackingCode,
            phone: `138000${String(i).padStart(5, '0')}`,
          }),
        ),
      ),
    );
    expect(guesses.filter((c) => c === 'intake.phoneMismatch')).toHaveLength(10);
    expect(guesses.filter((c) => c === 'auth.rateLimited')).toHaveLength(50);
    // Even the right phone: the code is closed to look-ups for the hour.
    expect(
      await codeOf(
        anonymous(services, '198.51.100.1').intake.track({ trackingCode, phone: '13800001234' }),
      ),
    ).toBe('auth.rateLimited');
  });

  it('stops one address guessing across codes after thirty', async () => {
    let refused = 0;
    for (let i = 0; i < 35; i++) {
      const code = await codeOf(
        anonymous(services, '203.0.113.250').intake.track({
          trackingCode: `ZZZZZZZ${String(i).padStart(3, '0')}`,
          phone: '13800001234',
        }),
      );
      if (code === 'auth.rateLimited') refused++;
    }
    expect(refused).toBe(5);
  });

  it('takes a rating once and refuses to overwrite it', async () => {
    const s = await setupApi('sqlite');
    try {
      await publishFixture(s.services);
      const citizen = anonymous(s.services, '198.51.100.9');
      const { trackingCode: code } = await citizen.intake.submit({
        jurisdiction: '440781',
        data: { summary: '夜间噪音扰民严重' },
        petitioner: { name: '林某', phone: '13900004321' },
      });
      const { caller: rec } = await signInFrom(s.services, 'receptionist', '10.0.0.1');
      const row = (await rec.cases.list({ trackingCode: code })).rows[0];
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
      // Many honest look-ups do not use the limit up.
      for (let i = 0; i < 15; i++)
        await citizen.intake.track({ trackingCode: code, phone: '13900004321' });
      await citizen.intake.evaluate({ trackingCode: code, phone: '13900004321', score: 5 });
      const again = await failure(
        citizen.intake.evaluate({ trackingCode: code, phone: '13900004321', score: 1 }),
      );
      expect(again?.code).toBe('intake.alreadyEvaluated');
      expect(again?.message_['zh-CN']).toBe('该事项已经评价过，评价提交后不能更改');
      expect(
        (await citizen.intake.track({ trackingCode: code, phone: '13900004321' })).evaluation,
      ).toEqual({
        score: 5,
      });
    } finally {
      await s.test.drop();
    }
  });
});

describe('the client address behind proxies', () => {
  it('takes the address the configured number of hops from the right, ignoring forged entries', () => {
    // The client forged "1.1.1.1"; our one proxy (the socket peer) appended the real address.
    expect(clientAddress('1.1.1.1, 203.0.113.7', '10.0.0.2', 1)).toBe('203.0.113.7');
    expect(clientAddress('1.1.1.1, 203.0.113.7, 10.0.0.3', '10.0.0.2', 2)).toBe('203.0.113.7');
    // Proxies not trusted: the socket peer, whatever the header says.
    expect(clientAddress('1.1.1.1', '203.0.113.7', 0)).toBe('203.0.113.7');
    // A request that skipped a proxy cannot name its own address.
    expect(clientAddress('1.1.1.1', '203.0.113.7', 2)).toBe('203.0.113.7');
    expect(clientAddress(undefined, '203.0.113.7', 1)).toBe('203.0.113.7');
  });
});
