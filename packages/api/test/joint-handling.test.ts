import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { TRPCError } from '@trpc/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppError, Services } from '../src';
import { PASSWORD, setupApi, signIn, type UserName } from './helpers';

// 合力办 through the api as an office works it: 主办/协办, one department's
// 拒签 re-dispatched alone, an extension of a department's own deadline, and
// the attacks (another department, another county, the wrong role).

const folder = fileURLToPath(new URL('../../../templates/four-colour-triage', import.meta.url));
const read = (file: string) => JSON.parse(readFileSync(join(folder, file), 'utf8'));
const definition = {
  ...read('flow.json'),
  jurisdiction: '440781',
  forms: readdirSync(join(folder, 'forms')).map((f) => {
    const { $schema: _s, ...form } = read(`forms/${f}`);
    return form;
  }),
};
delete definition.$schema;

async function failure(p: Promise<unknown>): Promise<{ code: string; error: AppError }> {
  try {
    await p;
  } catch (e) {
    if (!(e instanceof TRPCError)) throw e;
    return { code: e.code, error: e.cause as AppError };
  }
  throw new Error('expected a refusal');
}

const DEPARTMENTS = ['housing', 'hrss', 'natres', 'market'] as const;
type Department = (typeof DEPARTMENTS)[number];

describe.each(['sqlite', 'pg'] as const)('joint handling through the api on %s', (dialect) => {
  let services: Services;
  let api: Awaited<ReturnType<typeof setupApi>>;
  let flowId: string;
  const as = (user: Department | UserName) => signIn(services, user as UserName);

  beforeAll(async () => {
    api = await setupApi(dialect);
    services = api.services;
    for (const department of DEPARTMENTS)
      await api.store.createUser({
        username: department,
        displayName: `${department}办理人`,
        password: PASSWORD,
        memberships: [{ jurisdiction: '440781', role: 'handler', department }],
      });
    const admin = await signIn(services, 'admin');
    const saved = await admin.flows.saveDraft({
      jurisdiction: '440781',
      key: 'four-colour-triage',
      definition,
    });
    await admin.flows.publish({ flowId: saved.flowId });
    flowId = saved.flowId;
  }, 60_000);
  afterAll(async () => api.test.drop());

  /** The open task of `node` (for a department's share, its item) the user is offered. */
  async function taskOf(user: Department | UserName, caseId: string, node: string, item?: string) {
    const offered = await (await as(user)).cases.availableActions({ caseId });
    const task = offered.tasks.find(
      (t) => t.node === node && (item === undefined || t.item?.value === item),
    );
    if (!task) throw new Error(`${user} is offered no ${node} ${item ?? ''}`);
    return task;
  }

  async function act(user: Department | UserName, caseId: string, command: object) {
    return (await as(user)).cases.act({ caseId, command: command as never });
  }

  it('a refused share goes back alone, prefilled; the lead merges every contribution; attacks change nothing', async () => {
    const rec = await as('receptionist');
    const { caseId } = await rec.cases.register({
      flowId,
      channel: 'visit',
      data: {
        summary: '安置房漏水和补偿款未发放',
        category: 'housing',
        petitioner: { name: '陈伯' },
      },
      petitioner: { name: '陈伯', phone: '13800138000' },
    });
    const triage = await taskOf('receptionist', caseId, 'triage');
    await act('receptionist', caseId, {
      type: 'task.complete',
      taskId: triage.taskId,
      action: 'classify',
      data: {
        colour: 'blue',
        triageReason: '涉及住建、人社、自然资源三个部门',
        department: 'housing',
        departments: ['housing', 'hrss', 'natres'],
        leadDepartment: 'housing',
      },
    });
    const meet = await taskOf('housing', caseId, 'meet');
    await act('housing', caseId, {
      type: 'task.complete',
      taskId: meet.taskId,
      action: 'met',
      data: { meetingNote: '见面约谈，了解漏水情况' },
    });
    const lead = await taskOf('housing', caseId, 'joint', 'housing');
    expect(lead).toMatchObject({ share: 'lead', actions: [], waitingFor: 2 });
    expect((await taskOf('hrss', caseId, 'joint', 'hrss')).share).toBe('assist');

    // The lead cannot submit before the contributions: refused in both languages, nothing written.
    const before = await api.store.caseRow(caseId);
    const early = await failure(
      act('housing', caseId, {
        type: 'task.complete',
        taskId: lead.taskId,
        action: 'report',
        data: { handlingOpinion: '开发商限期维修完毕' },
      }),
    );
    expect(early.code).toBe('BAD_REQUEST');
    expect(early.error.code).toBe('engine.joint.contributionsPending');
    expect(early.error.message_['zh-CN']).toContain('协办部门');
    expect(early.error.message_.en).toContain('assisting');
    expect(await api.store.caseRow(caseId)).toEqual(before);

    // Natural resources refuses its share: only that share goes back to the receptionist.
    const natres = await taskOf('natres', caseId, 'joint', 'natres');
    expect(natres.commands).toContain('task.refuse');
    // Another department cannot refuse it for them.
    const stranger = await failure(
      act('market', caseId, { type: 'task.refuse', taskId: natres.taskId, reason: '不是我们的' }),
    );
    expect(stranger.code).toBe('FORBIDDEN');
    await act('natres', caseId, {
      type: 'task.refuse',
      taskId: natres.taskId,
      reason: '占道经营不属自然资源局职责',
    });
    const hrssTask = await taskOf('hrss', caseId, 'joint', 'hrss');
    expect(hrssTask.taskId).toBeDefined();
    const redispatch = await taskOf('receptionist', caseId, 'joint', 'natres');
    expect(redispatch).toMatchObject({
      redispatch: { reason: '占道经营不属自然资源局职责' },
      actions: [{ action: 'redispatch', label: { 'zh-CN': '重新分派', en: 'Re-dispatch' } }],
      prefill: { departments: ['housing', 'hrss', 'natres'], leadDepartment: 'housing' },
    });

    // A department's own deadline: requested by it, approved by a leader, not by itself.
    expect(hrssTask.commands).toContain('task.requestExtension');
    await act('hrss', caseId, {
      type: 'task.requestExtension',
      taskId: hrssTask.taskId,
      duration: 'P3D',
      reason: '补偿款需财政复核',
    });
    const [request] = Object.values(
      (await api.store.caseRow(caseId))?.state.extensionRequests ?? {},
    );
    const self = await failure(
      act('hrss', caseId, { type: 'deadline.approveExtension', requestId: request?.id }),
    );
    expect(self.code).toBe('FORBIDDEN');
    await act('leader', caseId, { type: 'deadline.approveExtension', requestId: request?.id });
    expect((await taskOf('hrss', caseId, 'joint', 'hrss')).due).not.toBe(hrssTask.due);

    await act('hrss', caseId, {
      type: 'task.complete',
      taskId: hrssTask.taskId,
      action: 'report',
      data: { handlingOpinion: '补偿款已核发到账' },
    });

    // Re-dispatch: a handler and another county's receptionist may not; the receptionist may.
    const unchanged = await api.store.caseRow(caseId);
    expect(
      (
        await failure(
          act('hrss', caseId, {
            type: 'task.complete',
            taskId: redispatch.taskId,
            action: 'redispatch',
            data: { departments: ['hrss'] },
          }),
        )
      ).code,
    ).toBe('FORBIDDEN');
    expect(
      (
        await failure(
          act('otherReceptionist', caseId, {
            type: 'task.complete',
            taskId: redispatch.taskId,
            action: 'redispatch',
            data: { departments: ['hrss'] },
          }),
        )
      ).error.code,
    ).toBe('permission.jurisdiction');
    const invalid = await failure(
      act('receptionist', caseId, {
        type: 'task.complete',
        taskId: redispatch.taskId,
        action: 'redispatch',
        data: { departments: ['nowhere'] },
      }),
    );
    expect(invalid.error.code).toBe('engine.form.invalid');
    expect(await api.store.caseRow(caseId)).toEqual(unchanged);
    await act('receptionist', caseId, {
      type: 'task.complete',
      taskId: redispatch.taskId,
      action: 'redispatch',
      data: { departments: ['housing', 'hrss', 'market'], leadDepartment: 'housing' },
    });
    // Human resources replied already: it is not asked again.
    const hrssAfter = await (await as('hrss')).cases.availableActions({ caseId });
    expect(hrssAfter.tasks).toEqual([]);
    const market = await taskOf('market', caseId, 'joint', 'market');
    await act('market', caseId, {
      type: 'task.complete',
      taskId: market.taskId,
      action: 'report',
      data: { handlingOpinion: '已责令商铺退回店内经营' },
    });
    const merged = await taskOf('housing', caseId, 'joint', 'housing');
    expect(merged.waitingFor).toBeUndefined();
    expect(merged.actions.map((a) => a.action)).toEqual(['report']);
    await act('housing', caseId, {
      type: 'task.complete',
      taskId: merged.taskId,
      action: 'report',
      data: { handlingOpinion: '维修、补偿和占道整治均已落实' },
    });
    const row = await api.store.caseRow(caseId);
    expect(row?.state.tokens.map((t) => t.node)).toEqual(['feedback']);
    const record = row?.state.data.jointMerged as {
      department: string;
      contributions: { department: string; data: { handlingOpinion: string } }[];
    };
    expect(record.department).toBe('housing');
    expect(record.contributions.map((c) => [c.department, c.data.handlingOpinion])).toEqual([
      ['hrss', '补偿款已核发到账'],
      ['market', '已责令商铺退回店内经营'],
    ]);
    expect(row?.state.data.handlingOpinion).toBe('维修、补偿和占道整治均已落实');
  }, 60_000);
});
