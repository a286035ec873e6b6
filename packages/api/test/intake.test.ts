import { TRPCError } from '@trpc/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Services } from '../src';
import { anonymous, flow, publishFixture, setupApi, signIn } from './helpers';

async function codeOf(p: Promise<unknown>): Promise<string | undefined> {
  try {
    await p;
    return undefined;
  } catch (e) {
    if (!(e instanceof TRPCError)) throw e;
    return (e.cause as { code?: string } | undefined)?.code ?? e.code;
  }
}

type Json = Record<string, unknown>;
const INTAKE_KEY = 'online-petition';
const NOTICE_KEY = 'decline-notice';

/** The fixture flow telling the petitioner, by an action node, when the petition is declined. */
function withDeclineNotice(): Json {
  const def = structuredClone(flow) as unknown as Json & { nodes: Json[]; edges: Json[] };
  def.nodes.push({
    id: 'declineNotice',
    kind: 'action',
    name: { 'zh-CN': '告知不予受理', en: 'Notify decline' },
    operations: [
      {
        op: 'notify',
        to: 'petitioner',
        message: {
          'zh-CN': '您的信访事项不予受理，书面告知书已出具，请查收。',
          en: 'Your petition was not accepted; the written notice has been issued.',
        },
      },
    ],
  });
  const toDeclined = def.edges.find((e) => e.to === 'declined') as Json;
  toDeclined.to = 'declineNotice';
  def.edges.push({ id: 'notice-declined', kind: 'next', from: 'declineNotice', to: 'declined' });
  return { ...def, key: NOTICE_KEY };
}

/** The fixture flow with a public intake form that differs from the staff registration form. */
function withIntakeForm(): Json {
  const def = structuredClone(flow) as unknown as Json & {
    dataSchema: { properties: Json };
    forms: Json[];
    nodes: Json[];
  };
  def.dataSchema.properties.contactTime = { type: 'string', title: '方便联系的时间' };
  def.forms.push({
    id: 'intake',
    title: { 'zh-CN': '网上信访', en: 'Online petition' },
    schema: {
      type: 'object',
      required: ['summary', 'contactTime'],
      properties: {
        summary: { type: 'string', title: '诉求摘要', minLength: 5 },
        contactTime: { type: 'string', title: '方便联系的时间', enum: ['上午', '下午', '晚上'] },
      },
    },
  });
  const start = def.nodes.find((n) => n.kind === 'start') as Json;
  start.intakeForm = 'intake';
  return { ...def, key: INTAKE_KEY };
}

describe('public intake form (intake.forms / intake.submit)', () => {
  let services: Services;
  let drop: () => Promise<void>;

  beforeAll(async () => {
    const s = await setupApi('sqlite');
    services = s.services;
    drop = () => s.test.drop();
    await publishFixture(services);
    const admin = await signIn(services, 'admin');
    const saved = await admin.flows.saveDraft({
      jurisdiction: '440781',
      key: INTAKE_KEY,
      definition: withIntakeForm(),
    });
    await admin.flows.publish({ flowId: saved.flowId });
    const notice = await admin.flows.saveDraft({
      jurisdiction: '440781',
      key: NOTICE_KEY,
      definition: withDeclineNotice(),
    });
    await admin.flows.publish({ flowId: notice.flowId });
  });
  afterAll(async () => drop());

  it('offers the flow’s intake form when it has one, the registration form otherwise', async () => {
    const forms = await anonymous(services, '198.51.100.20').intake.forms({
      jurisdiction: '440781',
    });
    const online = forms.find((f) => f.key === INTAKE_KEY);
    expect(online?.form?.id).toBe('intake');
    expect(Object.keys(online?.form?.schema.properties ?? {})).toContain('contactTime');
    const plain = forms.find((f) => f.key === flow.key);
    expect(plain?.form?.id).toBe('register');
  });

  it('validates an online submission against that same intake form', async () => {
    const anon = anonymous(services, '198.51.100.21');
    const petitioner = { name: '李某', phone: '13700003333' };
    // Enough for the staff registration form, but the intake form also requires contactTime.
    expect(
      await codeOf(
        anon.intake.submit({
          jurisdiction: '440781',
          flowKey: INTAKE_KEY,
          data: { summary: '村道损坏多年无人修' },
          petitioner,
        }),
      ),
    ).toBe('engine.form.invalid');
    const { trackingCode } = await anon.intake.submit({
      jurisdiction: '440781',
      flowKey: INTAKE_KEY,
      data: { summary: '村道损坏多年无人修', contactTime: '下午' },
      petitioner,
    });
    const rec = await signIn(services, 'receptionist');
    const row = (await rec.cases.list({ trackingCode })).rows[0];
    const detail = await rec.cases.get({ caseId: row?.id ?? '' });
    expect(detail.state.data).toMatchObject({ contactTime: '下午' });
    expect(detail.state.channel).toBe('online');
  });

  it('shows the petitioner what the flow told them on the tracking page, and nothing else', async () => {
    const anon = anonymous(services, '198.51.100.22');
    const phone = '13700004444';
    const { trackingCode } = await anon.intake.submit({
      jurisdiction: '440781',
      flowKey: NOTICE_KEY,
      data: { summary: '要求补发十年前的误工补贴' },
      petitioner: { name: '周某', phone },
    });
    expect((await anon.intake.track({ trackingCode, phone })).notices).toEqual([]);
    const rec = await signIn(services, 'receptionist');
    const inbox = await rec.tasks.inbox({ trackingCode });
    await rec.tasks.complete({
      taskId: inbox.rows[0]?.id ?? '',
      action: 'submit',
      data: { accepted: false, reason: '不属于信访事项' },
    });
    const tracked = await anon.intake.track({ trackingCode, phone });
    expect(tracked.status).toBe('closed');
    expect(tracked.notices.map((n) => n.message['zh-CN'])).toEqual([
      '您的信访事项不予受理，书面告知书已出具，请查收。',
    ]);
    expect(JSON.stringify(tracked)).not.toContain(phone);
  });
});
