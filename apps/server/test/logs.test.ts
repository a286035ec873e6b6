import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../src/log';
import { client, flow, PASSWORD, startTestServer } from './server-helpers';

describe('structured logs', () => {
  const lines: string[] = [];
  let server: Awaited<ReturnType<typeof startTestServer>>;

  beforeAll(async () => {
    const log = createLogger({ level: 'debug', write: (line) => lines.push(line) });
    server = await startTestServer('sqlite', { log, scheduler: true });
  });
  afterAll(async () => {
    await server.stop();
  });

  it('writes one JSON object per line and never the personal data of a petition', async () => {
    const admin = client(server.url);
    await admin.auth.login.mutate({ username: 'admin', password: PASSWORD });
    const saved = await admin.flows.saveDraft.mutate({
      jurisdiction: '440781',
      key: flow.key,
      definition: flow,
    });
    await admin.flows.publish.mutate({ flowId: saved.flowId });
    const citizen = client(server.url);
    const personal = { name: '邝某某', phone: '13987654321', idCard: '44078119700707007X' };
    const { trackingCode } = await citizen.intake.submit.mutate({
      jurisdiction: '440781',
      data: { summary: '宅基地边界争议需要调解' },
      petitioner: personal,
    });
    await citizen.intake.track.query({ trackingCode, phone: personal.phone });
    await citizen.intake.track.query({ trackingCode, phone: '13000000000' }).catch(() => undefined);
    const rec = client(server.url);
    await rec.auth.login.mutate({ username: 'receptionist', password: PASSWORD });
    await rec.cases.register.mutate({
      flowId: saved.flowId,
      channel: 'visit',
      data: { summary: '来访登记测试事项' },
      petitioner: personal,
    });
    await rec.auth.login
      .mutate({ username: 'receptionist', password: 'wrong-password' })
      .catch(() => undefined);
    expect(lines.length).toBeGreaterThan(5);
    for (const line of lines) {
      const entry = JSON.parse(line) as Record<string, unknown>;
      expect(entry).toHaveProperty('level');
      expect(entry).toHaveProperty('msg');
      for (const secret of [
        personal.name,
        personal.phone,
        personal.idCard,
        '宅基地',
        'wrong-password',
        PASSWORD,
      ]) {
        expect(line).not.toContain(secret);
      }
    }
    // Request lines carry the path only, never the query string with procedure input.
    expect(lines.some((l) => l.includes('"path":"/trpc/intake.track"'))).toBe(true);
    expect(lines.some((l) => l.includes('input='))).toBe(false);
  });
});
