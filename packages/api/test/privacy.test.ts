import {
  mapSealed,
  parseSealed,
  SENSITIVE_KINDS,
  type SensitiveKind,
  sealValue,
} from '@lianxin/spec';
import type { Dialect } from '@lianxin/store';
import { searchAudit } from '@lianxin/store';
import { TRPCError } from '@trpc/server';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppError, Services } from '../src';
import { MASKED, present } from '../src/sealed';
import { flow, setupApi, signIn, type UserName } from './helpers';

const NAME = '欧阳明远';
const ADDRESS = '山东省泰安市泰山区岱庙街道红门路12号';
const PHONE = '13912341835';
const ID_CARD = '11010519491231002X';
const PLAIN = [NAME, '红门路', PHONE, ID_CARD];
const HOUR = 3_600_000;

class Clock {
  ms = Date.parse('2026-03-02T01:00:00Z');
  now() {
    return new Date(this.ms);
  }
}

type FlowJson = {
  dataSchema: { properties: Record<string, unknown> };
  forms: { id: string; schema: { properties: Record<string, unknown> } }[];
};
const base = flow as unknown as FlowJson & Record<string, unknown>;
const petitionerSchema = {
  type: 'object',
  properties: {
    name: { type: 'string', 'x-sensitive': 'name' },
    address: { type: 'string', 'x-sensitive': 'address' },
  },
};
/** The fixture flow with the petitioner's name and address on its registration form. */
const sensitiveFlow = {
  ...base,
  key: 'sensitive-api',
  dataSchema: {
    ...base.dataSchema,
    properties: { ...base.dataSchema.properties, petitioner: petitionerSchema },
  },
  forms: base.forms.map((f) =>
    f.id === 'register'
      ? {
          ...f,
          schema: {
            ...f.schema,
            properties: { ...f.schema.properties, petitioner: petitionerSchema },
          },
        }
      : f,
  ),
};

async function failure(p: Promise<unknown>): Promise<{ trpc: string; cause?: AppError }> {
  try {
    await p;
  } catch (e) {
    if (!(e instanceof TRPCError)) throw e;
    return { trpc: e.code, cause: e.cause as AppError };
  }
  throw new Error('expected a refusal');
}

/** Every plain value found anywhere in an answer, and whether a sealed value slipped out. */
function leaks(answer: unknown): string[] {
  const text = JSON.stringify(answer);
  return [...PLAIN.filter((p) => text.includes(p)), ...(text.includes('lx:s1:') ? ['lx:s1:'] : [])];
}

describe.each(['sqlite', 'pg'] as Dialect[])(
  'sensitive values through the API on %s',
  (dialect) => {
    let services: Services;
    let clock: Clock;
    let drop: () => Promise<void>;
    let caseId: string;
    const as = (user: UserName) => signIn(services, user);

    beforeAll(async () => {
      clock = new Clock();
      const s = await setupApi(dialect, clock);
      services = s.services;
      drop = () => s.test.drop();
      const admin = await as('admin');
      const saved = await admin.flows.saveDraft({
        jurisdiction: '440781',
        key: sensitiveFlow.key,
        definition: { ...sensitiveFlow, jurisdiction: '440781' },
      });
      await admin.flows.publish({ flowId: saved.flowId });
      const rec = await as('receptionist');
      const started = await rec.cases.register({
        flowId: saved.flowId,
        channel: 'visit',
        data: { summary: '宅基地边界纠纷，要求调解', petitioner: { name: NAME, address: ADDRESS } },
        petitioner: { name: NAME, phone: PHONE, idCard: ID_CARD },
      });
      caseId = started.caseId;
      const review = (await rec.tasks.inbox()).rows.find((t) => t.caseId === caseId);
      await rec.tasks.complete({
        taskId: review?.id ?? '',
        action: 'submit',
        data: { accepted: true, department: 'civil' },
      });
    });
    afterAll(async () => drop());

    it('the registering receptionist sees the petitioner in full', async () => {
      const rec = await as('receptionist');
      const detail = await rec.cases.get({ caseId });
      expect(detail.case.data).toMatchObject({ petitioner: { name: NAME, address: ADDRESS } });
      expect(detail.petitioner).toEqual({ name: NAME, phone: PHONE, idCard: ID_CARD });
      expect(detail.privacy.masked).toBe(false);
      expect(JSON.stringify(detail)).not.toContain('lx:s1:');
    });

    it('a handler, a lawyer and a city supervisor find no name, address, phone or ID number in any answer', async () => {
      for (const user of ['handler', 'lawyer', 'city'] as const) {
        const caller = await as(user);
        const detail = await caller.cases.get({ caseId });
        expect(leaks(detail), `${user}: cases.get`).toEqual([]);
        expect(detail.case.data).toMatchObject({
          petitioner: { name: '欧***', address: '山东省泰安市泰山区岱庙街道****' },
        });
        expect(detail.petitioner).toEqual({
          name: '欧***',
          phone: '139****1835',
          idCard: '1101**********002X',
        });
        const answers = [
          await caller.cases.list(),
          await caller.tasks.inbox(),
          await caller.notifications.mine(),
          await caller.cases.availableActions({ caseId }),
        ];
        for (const answer of answers) expect(leaks(answer), user).toEqual([]);
      }
    });

    it('the assigned handler reveals the contact details with a reason; it is audited and lasts 8 hours', async () => {
      let handler = await as('handler');
      expect((await handler.cases.get({ caseId })).privacy).toMatchObject({
        masked: true,
        mayReveal: true,
      });
      const short = await failure(handler.cases.reveal({ caseId, reason: ' 约' }));
      expect(short.cause?.code).toBe('privacy.reasonRequired');
      const revealed = await handler.cases.reveal({ caseId, reason: '约谈见面前电话联系' });
      expect(Date.parse(revealed.revealedUntil) - clock.ms).toBe(8 * HOUR);
      const detail = await handler.cases.get({ caseId });
      expect(detail.petitioner).toEqual({ name: NAME, phone: PHONE, idCard: '1101**********002X' });
      expect(detail.case.data).toMatchObject({ petitioner: { name: NAME, address: ADDRESS } });
      expect(detail.privacy.revealedUntil).toBe(revealed.revealedUntil);
      expect(JSON.stringify(detail)).not.toContain('lx:s1:');
      const { records } = await searchAudit(services.store.database, {
        caseId,
        action: 'case.reveal',
      });
      expect(records).toHaveLength(1);
      expect(records[0]?.detail).toMatchObject({ reason: '约谈见面前电话联系' });
      // Another reader is not shown what the handler revealed.
      expect(leaks(await (await as('lawyer')).cases.get({ caseId }))).toEqual([]);
      // Eight hours later the values are masked again.
      clock.ms += 8 * HOUR + 60_000;
      handler = await as('handler');
      expect(leaks(await handler.cases.get({ caseId }))).toEqual([]);
    });

    it('refuses a reveal to whoever need not meet or phone the petitioner, and records nothing', async () => {
      for (const user of ['lawyer', 'city', 'supervisor'] as const) {
        const refused = await failure((await as(user)).cases.reveal({ caseId, reason: '想看看' }));
        expect(refused.trpc, user).toBe('FORBIDDEN');
        expect(refused.cause?.code).toBe('privacy.revealRefused');
        expect(refused.cause?.message_['zh-CN']).toContain('联系方式');
        expect(refused.cause?.message_.en).toContain('contact details');
      }
      const other = await failure(
        (await as('otherReceptionist')).cases.reveal({ caseId, reason: '核实' }),
      );
      expect(other.trpc).toBe('FORBIDDEN');
      const { records } = await searchAudit(services.store.database, {
        caseId,
        action: 'case.reveal',
      });
      expect(records.map((r) => r.actorName)).toEqual(['handler']);
    });

    it('no sealed value survives the answer filter, wherever it sits (fast-check)', () => {
      const vault = services.store.vault;
      // Each plain value starts with its own number (秘7号…): a mask rightly shows a value's
      // own first characters, and without it those could spell another, shorter plain value
      // (a phone 秘Y… masked 秘Y ****… beside a name 秘Y), which is no leak.
      let n = 0;
      const sealed = fc
        .tuple(
          fc.constantFrom(...SENSITIVE_KINDS),
          fc.string({ minLength: 1, maxLength: 12 }).filter((s) => !s.includes('*')),
        )
        .map(([kind, plain]) =>
          sealValue(kind as SensitiveKind, vault.encrypt(`秘${++n}号${plain}`)),
        );
      const json: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
        value: fc.oneof(
          { depthSize: 'small' },
          fc.oneof(fc.string(), fc.integer(), fc.constant(null), sealed),
          fc.array(tie('value'), { maxLength: 4 }),
          fc.dictionary(fc.string(), tie('value'), { maxKeys: 4 }),
        ),
      })).value;
      fc.assert(
        fc.property(json, (value) => {
          const plains: string[] = [];
          mapSealed(value, (sealed) => {
            plains.push(vault.decrypt(parseSealed(sealed).ciphertext));
            return sealed;
          });
          const out = JSON.stringify(present({ store: services.store }, value, MASKED)) ?? '';
          expect(out).not.toContain('lx:s1:');
          for (const plain of plains) expect(out).not.toContain(plain);
        }),
        { numRuns: 200 },
      );
    });
  },
);
