import { describe, expect, it } from 'vitest';
import { checkFlow } from '../src';
import { base } from './fixtures';

/** The dispatch base: its 60-day handling clock counts from leaving 分流 (triage) until entering 办结 (done). */
function flowWith(
  node: 'triage' | 'single' | 'visit',
  deadline: Record<string, unknown>,
  clock: Record<string, unknown> = {},
): Record<string, unknown> {
  const flow = base('dispatch') as {
    nodes: Array<Record<string, unknown>>;
    clocks: Array<Record<string, unknown>>;
  };
  const target = flow.nodes.find((n) => n.id === node) as Record<string, unknown>;
  target.deadline = deadline;
  Object.assign(flow.clocks[0] as Record<string, unknown>, clock);
  return flow;
}

const exceeding = (flow: unknown) =>
  checkFlow(flow).filter((p) => p.code === 'deadline.exceedsClock');

describe('deadline.exceedsClock', () => {
  it.each([
    {
      description: '61 days inside a 60-day clock',
      node: 'single',
      deadline: { duration: 'P61D' },
      expected: 1,
    },
    {
      description: 'exactly the clock',
      node: 'single',
      deadline: { duration: 'P60D' },
      expected: 0,
    },
    {
      description: 'nine weeks (63 days)',
      node: 'single',
      deadline: { duration: 'P9W' },
      expected: 1,
    },
    {
      description: 'the task before the clock starts',
      node: 'triage',
      deadline: { duration: 'P90D' },
      expected: 0,
    },
    {
      description: 'a task after the parallel and timer, still inside',
      node: 'visit',
      deadline: { duration: 'P90D' },
      expected: 1,
    },
    {
      description:
        '60 working days against 60 natural days: 60 working days are at least 60 days, not surely more',
      node: 'single',
      deadline: { duration: 'P60D', calendar: 'workingDays' },
      expected: 0,
    },
    {
      description:
        '70 working days against 60 natural days that roll over holidays: at least 70 days > 69',
      node: 'single',
      deadline: { duration: 'P70D', calendar: 'workingDays' },
      expected: 1,
    },
    {
      description: 'an urgency deadline longer than the clock',
      node: 'single',
      deadline: { duration: 'P10D', byUrgency: { red: 'P3D', blue: { duration: 'P3M' } } },
      expected: 1,
    },
  ] as const)('$description', ({ node, deadline, expected }) => {
    // given the dispatch flow with a deadline on one step
    const flow = flowWith(node, deadline);
    // when it is checked
    const found = exceeding(flow);
    // then the warning is there (or not), located on the duration
    expect(found).toHaveLength(expected);
    for (const p of found) {
      expect(p.severity).toBe('warning');
      expect(p.pointer).toMatch(/^\/nodes\/\d+\/deadline\/(duration|byUrgency\/\w+(\/duration)?)$/);
    }
  });

  it('names the task and the clock with both durations in words, in both languages', () => {
    const [p] = exceeding(flowWith('single', { duration: 'P90D' }));
    expect(p?.message['zh-CN']).toBe(
      '任务“部门办理”的办理时限 90 天 长于管辖它的法定时限“办理期限”（60 天）：用满办理时限就会超过法定时限',
    );
    expect(p?.message.en).toContain('"single" has a deadline of 90 days');
    expect(p?.message.en).toContain('"handling" (60 days)');
  });

  it('says when working days were compared with natural days conservatively', () => {
    // given 10 working days against a 7-natural-day clock that does not roll over holidays
    const flow = flowWith(
      'single',
      { duration: 'P10D', calendar: 'workingDays' },
      { deadline: { duration: 'P7D', rollOverHolidays: false } },
    );
    const [p] = exceeding(flow);
    expect(p?.message['zh-CN']).toContain('10 个工作日');
    expect(p?.message['zh-CN']).toContain('工作日与自然日不能精确换算');
  });

  it('warns on a natural-day task against a working-day clock only beyond the longest the clock can last', () => {
    // 15 working days last at most 21 days of weeks, 2 of a weekend at either end and 13 holidays: 36
    const clock = { deadline: { duration: 'P15D', calendar: 'workingDays' } };
    expect(exceeding(flowWith('single', { duration: 'P30D' }, clock))).toHaveLength(0);
    expect(exceeding(flowWith('single', { duration: 'P37D' }, clock))).toHaveLength(1);
  });

  it('ignores a step that follows the clock itself and a clock that stops where it starts', () => {
    const flow = flowWith('single', { duration: 'P90D' }, { stop: { on: 'caseStart' } });
    expect(exceeding(flow)).toHaveLength(0);
  });
  it('compares with the longest clock counting over the step, not a shorter milestone nested in it', () => {
    // given a 7-day milestone clock from the case start to 办结 beside the 60-day handling clock
    const flow = flowWith('single', { duration: 'P30D' }) as { clocks: unknown[] };
    flow.clocks.push({
      id: 'feedback',
      name: { 'zh-CN': '7日反馈' },
      start: { on: 'caseStart' },
      stop: { on: 'enter', node: 'done' },
      deadline: { duration: 'P7D' },
    });
    // then 30 days fits the 60-day clock that governs it
    expect(exceeding(flow)).toHaveLength(0);
    // and 61 days is compared with (and names) the 60-day clock
    const longer = flowWith('single', { duration: 'P61D' }) as { clocks: unknown[] };
    longer.clocks.push(flow.clocks[1]);
    const [p] = exceeding(longer);
    expect(p?.message['zh-CN']).toContain('“办理期限”（60 天）');
  });

  it('takes the clock a joint handling names as the one that governs it', () => {
    // given a 20-day clock the joint handling names, and the step's own 30 days
    const flow = flowWith('single', { duration: 'P30D' }) as {
      clocks: Array<Record<string, unknown>>;
      nodes: Array<Record<string, unknown>>;
    };
    flow.clocks.push({
      id: 'close',
      name: { 'zh-CN': '20日办结' },
      start: { on: 'caseStart' },
      stop: { on: 'enter', node: 'route' },
      deadline: { duration: 'P20D' },
    });
    const single = flow.nodes.find((n) => n.id === 'single') as Record<string, unknown>;
    single.joint = { lead: 'lead', within: 'close', merged: 'merged' };
    // then the named clock is the one compared, though the step is not between its start and stop
    const [p] = exceeding(flow);
    expect(p?.message['zh-CN']).toContain('“20日办结”（20 天）');
  });
});
