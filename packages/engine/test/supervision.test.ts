import { describe, expect, it } from 'vitest';
import type { Actor, Effect } from '../src/index';
import { availableActions } from '../src/index';
import { COUNTY, edge, handler, leader, makeFlow, node, receptionist, Sim, types } from './helpers';

// 督办: a leader or supervisor orders a case handled by a deadline; the addressee
// answers, the issuing side closes it. All three are events, so the timeline and
// replay have them (Sim checks replay after every command).

const flow = makeFlow({
  nodes: [
    node.start(),
    node.task('handle', { assignee: { role: 'handler', department: { var: 'department' } } }),
    node.end(),
  ],
  edges: [edge.next('start', 'handle'), edge.action('handle', 'end', 'done')],
});
const housingHandler: Actor = { ...handler, department: 'housing' };
const supervisor: Actor = { id: 'du', roles: ['supervisor'], jurisdiction: '440700' };
const notices = (effects: Effect[]) => effects.filter((e) => e.type === 'notify');

function started() {
  const sim = new Sim(flow, '2025-03-03T01:00:00.000Z');
  sim.start({ department: 'housing' });
  return sim;
}

describe('supervision orders (督办)', () => {
  it('a city supervisor orders the housing department; its handler answers; the supervisor closes it', () => {
    const sim = started();
    const issued = sim.do({
      type: 'case.supervise',
      reason: '群众多次来电，请加快办理',
      deadline: '2025-03-10T15:59:59.000Z',
      to: { kind: 'department', jurisdiction: COUNTY, department: 'housing' },
      actor: supervisor,
    });
    expect(types(issued)).toEqual(['supervision.issued', 'timer.set']);
    const [order] = sim.state.supervisions ?? [];
    expect(order).toMatchObject({
      status: 'open',
      issuedBy: 'du',
      reason: '群众多次来电，请加快办理',
    });
    expect(notices(sim.lastEffects)).toEqual([
      expect.objectContaining({
        to: { kind: 'department', jurisdiction: COUNTY, department: 'housing' },
        message: expect.objectContaining({ 'zh-CN': expect.stringContaining('2025-03-10 23:59') }),
      }),
    ]);
    expect(sim.lastEffects).toContainEqual({ type: 'supervision.save', order });
    // The handler of another department is not addressed and does not work the case.
    const waterHandler: Actor = { ...handler, id: 'chen', department: 'water' };
    expect(availableActions(flow, sim.state, waterHandler).case).not.toContain(
      'case.answerSupervision',
    );
    expect(
      sim.rejects({
        type: 'case.answerSupervision',
        supervisionId: order?.id ?? '',
        text: '已办',
        actor: waterHandler,
      }).code,
    ).toBe('actor.notAllowed');
    expect(availableActions(flow, sim.state, housingHandler).case).toContain(
      'case.answerSupervision',
    );
    sim.at('2025-03-05T02:00:00.000Z').do({
      type: 'case.answerSupervision',
      supervisionId: order?.id ?? '',
      text: '已约谈信访人，3月8日前书面答复',
      actor: housingHandler,
    });
    expect(sim.state.supervisions?.[0]).toMatchObject({
      status: 'answered',
      answer: { by: handler.id, at: '2025-03-05T02:00:00.000Z' },
    });
    expect(notices(sim.lastEffects)).toEqual([
      expect.objectContaining({ to: { kind: 'user', userId: 'du' } }),
    ]);
    // Answered once: a second answer is refused in words.
    const again = sim.rejects({
      type: 'case.answerSupervision',
      supervisionId: order?.id ?? '',
      text: '再答一次',
      actor: housingHandler,
    });
    expect(again.message['zh-CN']).toBe('该督办已答复');
    sim.do({ type: 'case.closeSupervision', supervisionId: order?.id ?? '', actor: supervisor });
    expect(sim.state.supervisions?.[0]?.status).toBe('closed');
  });

  it('refuses a receptionist, a blank reason and a deadline in the past or beyond a year, changing nothing', () => {
    const sim = started();
    const base = {
      type: 'case.supervise' as const,
      reason: '请加快办理',
      deadline: '2025-03-10T00:00:00Z',
      to: { kind: 'assignees' as const },
    };
    const before = sim.state;
    expect(sim.rejects({ ...base, actor: receptionist }).code).toBe('actor.notAllowed');
    expect(availableActions(flow, sim.state, receptionist).case).not.toContain('case.supervise');
    expect(sim.rejects({ ...base, reason: '  ', actor: leader }).code).toBe('text.empty');
    for (const deadline of ['2025-03-01T00:00:00Z', '2026-06-01T00:00:00Z', '下周五', ''])
      expect(sim.rejects({ ...base, deadline, actor: leader }).code).toBe(
        'supervision.deadlineInvalid',
      );
    expect(
      sim.rejects({
        ...base,
        to: { kind: 'department', jurisdiction: '4407', department: 'housing' },
        actor: leader,
      }).code,
    ).toBe('jurisdiction.invalid');
    expect(sim.state).toBe(before);
  });

  it('an order to the assignees is answered by whoever works the task; the issuer may close it', () => {
    const sim = started();
    sim.do({
      ...{ type: 'case.supervise', reason: '请加快', deadline: '2025-03-07T00:00:00Z' },
      to: { kind: 'assignees' },
      actor: leader,
    });
    const id = sim.state.supervisions?.[0]?.id ?? '';
    expect(notices(sim.lastEffects)[0]).toMatchObject({ to: { kind: 'assignees' } });
    expect(availableActions(flow, sim.state, housingHandler).case).toContain(
      'case.answerSupervision',
    );
    expect(availableActions(flow, sim.state, leader).case).toContain('case.closeSupervision');
    sim.do({ type: 'case.closeSupervision', supervisionId: id, note: '已电话督促', actor: leader });
    expect(sim.state.supervisions?.[0]?.closed).toMatchObject({
      by: leader.id,
      note: '已电话督促',
    });
    expect(
      sim.rejects({
        type: 'case.answerSupervision',
        supervisionId: id,
        text: '晚了',
        actor: housingHandler,
      }).code,
    ).toBe('supervision.notOpen');
    expect(
      sim.rejects({ type: 'case.closeSupervision', supervisionId: 'nope', actor: leader }).code,
    ).toBe('supervision.notFound');
  });

  it('an order still unanswered at its deadline reminds the department and the supervisor once; an answered one does not', () => {
    const sim = started();
    const order = (deadline: string) => {
      sim.do({
        type: 'case.supervise',
        reason: '请于期限内反馈',
        deadline,
        to: { kind: 'department', jurisdiction: COUNTY, department: 'housing' },
        actor: supervisor,
      });
      const id = sim.state.supervisions?.at(-1)?.id ?? '';
      const timer = sim.state.timers.find(
        (t) => t.purpose.kind === 'supervisionOverdue' && t.purpose.supervisionId === id,
      );
      expect(timer?.due).toBe(new Date(deadline).toISOString());
      return { id, timerId: timer?.id ?? '' };
    };
    const late = order('2025-03-06T09:00:00.000Z');
    const answered = order('2025-03-07T09:00:00.000Z');
    sim.at('2025-03-05T02:00:00.000Z').do({
      type: 'case.answerSupervision',
      supervisionId: answered.id,
      text: '已办',
      actor: housingHandler,
    });
    // Answering cancels that order's reminder only.
    expect(sim.state.timers.map((t) => t.id)).not.toContain(answered.timerId);
    expect(sim.state.timers.map((t) => t.id)).toContain(late.timerId);
    expect(sim.rejects({ type: 'timer.fire', timerId: late.timerId }).code).toBe('timer.notDue');
    sim.at('2025-03-06T09:00:01.000Z').do({ type: 'timer.fire', timerId: late.timerId });
    expect(notices(sim.lastEffects)).toEqual([
      expect.objectContaining({
        to: { kind: 'department', jurisdiction: COUNTY, department: 'housing' },
        message: expect.objectContaining({
          'zh-CN': '督办逾期未反馈：请于期限内反馈（期限 2025-03-06 17:00）',
        }),
      }),
      expect.objectContaining({ to: { kind: 'user', userId: 'du' } }),
    ]);
    // Fired once: the timer is gone, a second fire is refused.
    expect(sim.rejects({ type: 'timer.fire', timerId: late.timerId }).code).toBe('timer.notFound');
    expect(sim.state.supervisions?.[0]?.status).toBe('open');
  });
});
