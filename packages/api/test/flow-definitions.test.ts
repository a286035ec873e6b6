import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { TRPCError } from '@trpc/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Services } from '../src';
import { setupApi, signIn } from './helpers';

type Json = Record<string, unknown>;

/** The "small complete flow" of docs/formats.md, read from the page itself. */
function smallExample(): Json {
  const page = readFileSync(join(import.meta.dirname, '../../../docs/formats.md'), 'utf8');
  const section = page.slice(page.indexOf('## A small complete flow'));
  const block = /```json\n([\s\S]*?)\n```/.exec(section)?.[1];
  if (!block) throw new Error('docs/formats.md has no small example');
  return JSON.parse(block) as Json;
}

async function codeOf(p: Promise<unknown>): Promise<string | undefined> {
  try {
    await p;
    return undefined;
  } catch (e) {
    if (!(e instanceof TRPCError)) throw e;
    return (e.cause as { code?: string } | undefined)?.code ?? e.code;
  }
}

describe('definitions published through the API run', () => {
  let services: Services;
  let drop: () => Promise<void>;

  beforeAll(async () => {
    const s = await setupApi('sqlite');
    services = s.services;
    drop = () => s.test.drop();
  });
  afterAll(async () => drop());

  async function publish(definition: Json): Promise<string> {
    const admin = await signIn(services, 'admin');
    const saved = await admin.flows.saveDraft({
      jurisdiction: '440781',
      key: definition.key as string,
      definition,
    });
    await admin.flows.publish({ flowId: saved.flowId });
    return saved.flowId;
  }

  it('registers and closes a case on the small example of docs/formats.md', async () => {
    // given the documented example, which leaves out `clocks` and other defaults
    const example = smallExample();
    expect(example.clocks).toBeUndefined();
    const flowId = await publish(example);
    // when a receptionist registers a case on it and accepts it
    const rec = await signIn(services, 'receptionist');
    const started = await rec.cases.register({
      flowId,
      channel: 'visit',
      data: { summary: '村道路灯损坏' },
    });
    const opened = await rec.cases.get({ caseId: started.caseId });
    expect(opened.state.tasks.map((t) => t.node)).toEqual(['review']);
    await rec.cases.act({
      caseId: started.caseId,
      command: {
        type: 'task.complete',
        taskId: opened.state.tasks[0]?.id ?? '',
        action: 'submit',
        data: { accepted: true, reply: '已安排维修' },
      },
    });
    // then it reaches the end the condition chose
    const closed = await rec.cases.get({ caseId: started.caseId });
    expect(closed.state.status).toBe('closed');
    expect(closed.state.outcome).toBe('resolved');
  });

  it('allows one extension when a clock says `extension: { max: "P30D" }` without `times`', async () => {
    // given the example with a 60-day handling clock that may be extended
    const flowId = await publish({
      ...smallExample(),
      key: 'with-extension',
      clocks: [
        {
          id: 'handling',
          name: { 'zh-CN': '办理期限', en: 'Handling' },
          start: { on: 'caseStart' },
          stop: { on: 'enter', node: 'replied' },
          deadline: { duration: 'P60D' },
          extension: { max: 'P30D' },
        },
      ],
    });
    const rec = await signIn(services, 'receptionist');
    const leader = await signIn(services, 'leader');
    const { caseId } = await rec.cases.register({ flowId, channel: 'letter', data: {} });
    const ask = () =>
      leader.cases.act({
        caseId,
        command: {
          type: 'deadline.requestExtension',
          clockId: 'handling',
          duration: 'P30D',
          reason: '需要补充调查',
        },
      });
    // when the leader asks for an extension and approves it
    await ask();
    const requested = await leader.cases.get({ caseId });
    const requestId = Object.keys(requested.state.extensionRequests)[0] ?? '';
    await leader.cases.act({ caseId, command: { type: 'deadline.approveExtension', requestId } });
    // then a second extension is refused and the clock moved once
    expect(await codeOf(ask())).toBe('engine.extension.exhausted');
    const after = await leader.cases.get({ caseId });
    expect(after.timeline.filter((e) => e.type === 'extension.approved')).toHaveLength(1);
  });

  it('refuses to publish a string condition, with the place and both languages', async () => {
    const example = smallExample();
    const edges = (example.edges as Json[]).map((e) =>
      e.id === 'e3' ? { ...e, condition: 'accepted == true' } : e,
    );
    const admin = await signIn(services, 'admin');
    const saved = await admin.flows.saveDraft({
      jurisdiction: '440781',
      key: 'string-condition',
      definition: { ...example, key: 'string-condition', edges },
    });
    const problem = saved.problems.find((p) => p.code === 'condition.notObject');
    expect(problem).toMatchObject({ severity: 'error', pointer: '/edges/2/condition' });
    expect(problem?.message['zh-CN']).toContain('JSON Logic');
    expect(await codeOf(admin.flows.publish({ flowId: saved.flowId }))).toBe('flow.invalid');
  });

  it('refuses to publish a subflow call the child would refuse', async () => {
    // given a published child whose start form requires the court and takes visits only
    const child = smallExample();
    await publish({
      ...child,
      key: 'needs-court',
      forms: [
        {
          id: 'application',
          title: { 'zh-CN': '申请' },
          schema: {
            type: 'object',
            required: ['court'],
            properties: { court: { type: 'string' } },
          },
        },
        ...(child.forms as Json[]),
      ],
      dataSchema: {
        type: 'object',
        properties: {
          ...((child.dataSchema as Json).properties as Json),
          court: { type: 'string' },
        },
      },
      nodes: (child.nodes as Json[]).map((n) =>
        n.kind === 'start' ? { ...n, channels: ['visit'], form: 'application' } : n,
      ),
    });
    // when a parent on visits and letters calls it without a court
    const parent = smallExample();
    const admin = await signIn(services, 'admin');
    const saved = await admin.flows.saveDraft({
      jurisdiction: '440781',
      key: 'calls-court',
      definition: {
        ...parent,
        key: 'calls-court',
        nodes: [
          ...(parent.nodes as Json[]),
          {
            id: 'confirm',
            kind: 'subflow',
            name: { 'zh-CN': '司法确认' },
            flow: { key: 'needs-court' },
            input: { summary: { var: 'summary' } },
          },
        ],
        edges: (parent.edges as Json[])
          .map((e) => (e.id === 'e3' ? { ...e, to: 'confirm' } : e))
          .concat([{ id: 'e5', kind: 'next', from: 'confirm', to: 'replied' }]),
      },
    });
    // then the checker names both mismatches and publishing is refused
    expect(
      saved.problems
        .filter((p) => p.code.startsWith('subflow.'))
        .map((p) => `${p.code} ${p.pointer}`),
    ).toEqual(['subflow.channel /nodes/5/flow', 'subflow.inputMissing /nodes/5/input']);
    expect(await codeOf(admin.flows.publish({ flowId: saved.flowId }))).toBe('flow.invalid');
  });
});
