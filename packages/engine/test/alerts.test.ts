import { describe, expect, it } from 'vitest';
import type { Actor, Effect } from '../src/index';
import { COUNTY, edge, handler, leader, makeFlow, node, receptionist, Sim } from './helpers';

// Everything that waits on someone tells them: a dispatch to a department, a
// refusal back to the receptionist, an extension to approve, an unhappy return
// visit. The notifications are effects of the same transition.

const flow = makeFlow({
  dataSchema: {
    type: 'object',
    properties: {
      department: { type: 'string' },
      reply: { type: 'string' },
      satisfaction: { type: 'string' },
    },
  },
  clocks: [
    {
      id: 'handling',
      name: { 'zh-CN': '办理期限', en: 'Handling deadline' },
      start: { on: 'leave', node: 'triage' },
      stop: { on: 'enter', node: 'end' },
      deadline: { duration: 'P60D' },
      extension: { max: 'P30D', times: 1 },
    },
  ],
  nodes: [
    node.start(),
    node.task('triage', { assignee: { role: 'receptionist' } }),
    node.task('handle', {
      assignee: { role: 'handler', department: { var: 'department' } },
      refusal: { backTo: 'triage' },
    }),
    node.task('visit', { assignee: { role: 'receptionist' } }),
    node.end(),
  ],
  edges: [
    edge.next('start', 'triage'),
    edge.action('triage', 'handle', 'dispatch'),
    edge.action('handle', 'visit', 'done'),
    edge.action('visit', 'end', 'done'),
  ],
});
const housing: Actor = { ...handler, department: 'housing' };
const notices = (effects: Effect[]) =>
  effects.flatMap((e) => (e.type === 'notify' ? [{ to: e.to, zh: e.message['zh-CN'] }] : []));

describe('notifications for what waits on someone', () => {
  it('tells the department of a dispatch, the receptionist of a refusal, the leader of an extension and of a 不满意 return visit', () => {
    const sim = new Sim(flow);
    sim.start({ department: 'housing' });
    expect(notices(sim.lastEffects)).toEqual([]);
    sim.complete('triage', 'dispatch', {}, receptionist);
    expect(notices(sim.lastEffects)).toEqual([
      {
        to: {
          kind: 'candidates',
          candidates: { role: 'handler', jurisdiction: COUNTY, department: 'housing' },
        },
        zh: expect.stringMatching(/^新交办：handle/),
      },
    ]);
    sim.do({
      type: 'task.refuse',
      taskId: sim.task('handle').id,
      reason: '不属本部门职责',
      actor: housing,
    });
    expect(notices(sim.lastEffects)).toEqual([
      {
        to: { kind: 'candidates', candidates: expect.objectContaining({ role: 'receptionist' }) },
        zh: '拒签退回（triage）：不属本部门职责',
      },
    ]);
    sim.complete('triage', 'dispatch', {}, receptionist);
    sim.do({
      type: 'deadline.requestExtension',
      clockId: 'handling',
      duration: 'P30D',
      reason: '需要现场勘查',
      actor: housing,
    });
    expect(notices(sim.lastEffects)).toEqual([
      {
        to: { kind: 'candidates', candidates: { role: 'leader', jurisdiction: COUNTY } },
        zh: '延期申请待审批：办理期限延长 30 天，理由：需要现场勘查',
      },
    ]);
    // With a 包案 leader, the owner hears of it instead.
    sim.do({ type: 'case.setLeader', userId: 'zhao', actor: leader });
    sim.complete('handle', 'done', { reply: '已答复' }, housing);
    sim.complete('visit', 'done', { satisfaction: '不满意' }, receptionist);
    expect(notices(sim.lastEffects)).toEqual([
      { to: { kind: 'leaderOwner' }, zh: '回访不满意（2 分）：请关注处理' },
    ]);
  });

  it('a satisfied return visit tells nobody', () => {
    const sim = new Sim(flow);
    sim.start({ department: 'housing' });
    sim.complete('triage', 'dispatch', {}, receptionist);
    sim.complete('handle', 'done', {}, housing);
    sim.complete('visit', 'done', { satisfaction: '满意' }, receptionist);
    expect(notices(sim.lastEffects)).toEqual([]);
  });
});
