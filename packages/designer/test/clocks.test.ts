import { FlowDefinition } from '@lianxin/spec';
import { describe, expect, it } from 'vitest';
import { newClock, pointFromValue, pointOptions, pointProblem, pointValue } from '../src/clocks';
import { type FlowLocks, keyedPath, lockOn, locksWithin, lockWords } from '../src/locks';
import { createDesignerStore, redo, undo } from '../src/model';
import { smallFlow } from './fixtures';

describe('clock start and stop by step name', () => {
  it('offers registration and entering or leaving each step by its name', () => {
    const flow = smallFlow();
    const labels = pointOptions(flow, 'zh-CN', 'start').map((o) => o.label);
    expect(labels[0]).toBe('案件登记时');
    const step = flow.nodes.find((n) => n.kind === 'task');
    expect(labels).toContain(`进入“${step?.name['zh-CN']}”时`);
    expect(labels).toContain(`离开“${step?.name['zh-CN']}”时`);
    expect(pointOptions(flow, 'zh-CN', 'stop').some((o) => o.value === 'caseStart')).toBe(false);
  });

  it('turns a choice back into the point', () => {
    for (const p of [
      { on: 'caseStart' },
      { on: 'enter', node: 'a:b' },
      { on: 'leave', node: 'x' },
    ] as const)
      expect(pointFromValue(pointValue(p))).toEqual(p);
  });

  it('says when a clock starts and stops at once, or at a deleted step', () => {
    const flow = smallFlow();
    const id = flow.nodes[1]?.id as string;
    expect(
      pointProblem(
        flow,
        { start: { on: 'enter', node: id }, stop: { on: 'enter', node: id } },
        'zh-CN',
      ),
    ).toEqual({ field: 'stop', message: '开始和停止是同一时刻，时限不会计时' });
    expect(
      pointProblem(
        flow,
        { start: { on: 'caseStart' }, stop: { on: 'leave', node: 'gone' } },
        'zh-CN',
      )?.message,
    ).toBe('停止的步骤已被删除，请重新选择');
    expect(
      pointProblem(flow, { start: { on: 'caseStart' }, stop: { on: 'leave', node: id } }, 'zh-CN'),
    ).toBeUndefined();
  });
});

describe('adding a clock', () => {
  it('adds a valid clock as one edit that can be undone and redone', () => {
    // given a flow
    const store = createDesignerStore(smallFlow());
    const before = store.getState().flow;
    // when a clock is added
    const clock = newClock(before, 'zh-CN');
    store
      .getState()
      .dispatch({ type: 'flow.update', patch: { clocks: [...before.clocks, clock] } });
    // then the flow has it and still matches the format
    const after = store.getState().flow;
    expect(after.clocks.map((c) => c.id)).toContain(clock.id);
    expect(FlowDefinition.safeParse(after).success).toBe(true);
    undo(store);
    expect(store.getState().flow.clocks).toEqual(before.clocks);
    redo(store);
    expect(store.getState().flow.clocks).toContainEqual(clock);
  });
});

describe('locks', () => {
  const locks: FlowLocks = {
    template: { name: { 'zh-CN': '标准信访流程', en: 'Standard petition' }, version: 2 },
    parts: [
      {
        path: '/clocks/acceptance/deadline',
        reason: { 'zh-CN': '《信访工作条例》第三十一条', en: 'Regulations art. 31' },
      },
      { path: '/nodes/accept' },
    ],
  };
  it('covers the part and what is inside it, not its siblings', () => {
    expect(lockOn(locks, keyedPath('clocks', 'acceptance', 'deadline'))).toBe(locks.parts[0]);
    expect(lockOn(locks, '/clocks/acceptance/deadline/duration')).toBe(locks.parts[0]);
    expect(lockOn(locks, '/clocks/acceptance/name')).toBeUndefined();
    expect(lockOn(locks, '/nodes/accept/deadline')).toBe(locks.parts[1]);
    expect(lockOn(locks, '/nodes/accepted')).toBeUndefined();
    expect(locksWithin(locks, '/clocks/acceptance')).toEqual([locks.parts[0]]);
    expect(keyedPath('clocks', 'a/b')).toBe('/clocks/a~1b');
  });
  it('says who locked it and why, in both languages', () => {
    expect(lockWords(locks, locks.parts[0] as never, 'zh-CN')).toEqual({
      title: '由省级模板“标准信访流程”（第 2 版）锁定，县级不能修改',
      reason: '《信访工作条例》第三十一条',
    });
    expect(lockWords(locks, locks.parts[1] as never, 'en').title).toContain(
      '"Standard petition" (version 2)',
    );
  });
});
