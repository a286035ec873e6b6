import type { FlowDefinition } from '@lianxin/spec';
import { describe, expect, it, vi } from 'vitest';

// The designer's React components are not needed here: only its Beijing-time formatting.
vi.mock('@lianxin/designer', () => import('../../../../packages/designer/src/days'));

import {
  type CaseEvent,
  type CaseUsers,
  departmentName,
  describeEvents,
  durationText,
  nodeName,
  userLabel,
  valueText,
} from '../../src/pages/workbench/case/timeline';
import { departmentText, setDepartments } from '../../src/pages/workbench/departments';

// A flow as the case page receives it: its registration form names the categories and departments.
const flow = {
  formatVersion: 1,
  key: 'four-colour-triage',
  version: 1,
  name: { 'zh-CN': '四色分流' },
  jurisdiction: '440781',
  caseTitle: 'summary',
  caseSummary: 'requests',
  roles: [
    { id: 'receptionist', name: { 'zh-CN': '导服员', en: 'Guide' } },
    { id: 'handler', name: { 'zh-CN': '部门办理人' } },
  ],
  dataSchema: {
    type: 'object',
    properties: {
      summary: { type: 'string', title: '诉求摘要' },
      requests: { type: 'string', title: '具体诉求' },
      category: { type: 'string', title: '问题类别' },
      departments: { type: 'array', items: { type: 'string' } },
    },
  },
  forms: [
    {
      id: 'register',
      title: { 'zh-CN': '登记' },
      schema: {
        type: 'object',
        properties: {
          category: { type: 'string', title: '问题类别', enum: ['labour', 'housing'] },
          summary: { type: 'string', title: '诉求摘要' },
        },
      },
      uiSchema: { category: { 'ui:enumNames': ['劳动社保', '城乡建设'] } },
    },
    {
      id: 'triage',
      title: { 'zh-CN': '分流' },
      schema: {
        type: 'object',
        properties: {
          departments: {
            type: 'array',
            title: '协办部门',
            items: { type: 'string', enum: ['town', 'lawyer'] },
          },
        },
      },
      uiSchema: { departments: { items: { 'ui:enumNames': ['镇街', '驻点律师'] } } },
    },
  ],
  clocks: [],
  nodes: [
    { id: 'start', kind: 'start', form: 'register', name: { 'zh-CN': '登记' } },
    { id: 'joint', kind: 'multiTask', name: { 'zh-CN': '合力办理' } },
  ],
  edges: [],
} as unknown as FlowDefinition;

const users: CaseUsers = {
  u1: {
    displayName: '李敏',
    roles: [{ role: 'receptionist', jurisdiction: '440781', department: null }],
  },
};

const started = (over: Partial<Extract<CaseEvent, { type: 'case.started' }>>): CaseEvent => ({
  seq: 1,
  at: '2026-11-02T01:00:00.000Z',
  type: 'case.started',
  caseId: 'c1',
  flow: { key: 'four-colour-triage', version: 1 },
  channel: 'visit',
  data: {},
  jurisdiction: '440781',
  urgency: null,
  repeat: false,
  ...over,
});

describe('the timeline in words', () => {
  it('says who registered the case, how it came, its title and its category by name', () => {
    const [line] = describeEvents(
      [
        started({
          by: 'u1',
          data: { summary: '工资被拖欠三个月', category: 'labour', requests: '请求追回工资' },
        }),
      ],
      flow,
      users,
      'zh-CN',
    );
    expect(line?.what).toBe('登记信访事项');
    expect(line?.details).toEqual([
      '登记人：李敏（导服员）',
      '渠道：来访',
      '诉求摘要：工资被拖欠三个月',
      '问题类别：劳动社保',
      '具体诉求：请求追回工资',
    ]);
  });

  it('says an online complaint came from the petitioner, and names no code', () => {
    const [line] = describeEvents(
      [started({ channel: 'online', data: { summary: '楼道漏水', category: 'housing' } })],
      flow,
      users,
      'zh-CN',
    );
    expect(line?.details[0]).toBe('信访人网上提交');
    expect(line?.details.join(' ')).toContain('城乡建设');
    expect(line?.details.join(' ')).not.toMatch(/housing|online/);
  });

  it('names a joint-handling department by the flow’s own word for it', () => {
    const lines = describeEvents(
      [
        {
          seq: 2,
          at: '2026-11-02T02:00:00.000Z',
          type: 'task.opened',
          task: {
            id: 't1',
            tokenId: 'k1',
            node: 'joint',
            name: { 'zh-CN': '合力办理' },
            candidates: { role: 'handler' },
            openedAt: '2026-11-02T02:00:00.000Z',
            dueState: 'onTime',
            item: { index: 0, value: 'town' },
          },
        } as CaseEvent,
        {
          seq: 3,
          at: '2026-11-02T03:00:00.000Z',
          type: 'task.refused',
          taskId: 't1',
          backTo: 'start',
          reason: '不属于本镇职责',
        } as CaseEvent,
      ],
      flow,
      users,
      'zh-CN',
    );
    expect(lines[0]?.what).toBe('进入环节：合力办理（镇街）');
    expect(lines[1]?.what).toBe('拒签：合力办理（镇街）');
    expect(lines[1]?.details).toEqual(['理由：不属于本镇职责', '退回“登记”重新办理']);
    expect(departmentName('lawyer', flow, 'zh-CN')).toBe('驻点律师');
    // The flow's Chinese enum names are not shown on an English screen.
    expect(departmentName('lawyer', flow, 'en')).toBe('a department not on the list');
    // A step the flow no longer names is never shown by its id.
    expect(nodeName(flow, 'gone-step', 'zh-CN')).toBe('未命名的环节');
  });

  it('leaves bookkeeping out and never shows a user id', () => {
    const lines = describeEvents(
      [
        {
          seq: 1,
          at: '2026-11-02T01:00:00.000Z',
          type: 'token.created',
          tokenId: 'k',
          node: 'start',
        } as CaseEvent,
        {
          seq: 2,
          at: '2026-11-02T01:00:00.000Z',
          type: 'leaderOwner.set',
          userId: '0f1e2d3c-aaaa-bbbb-cccc-0123456789ab',
        } as CaseEvent,
      ],
      flow,
      users,
      'zh-CN',
    );
    expect(lines[0]).toBeNull();
    expect(lines[1]?.details).toEqual(['其他人员']);
    expect(userLabel('system', users, flow, 'en')).toBe('System');
  });

  it('says why a leader paused a clock, and whether resuming moved its deadline', () => {
    const at = (seq: number, iso: string, e: object) => ({ seq, at: iso, ...e }) as CaseEvent;
    const clock = {
      id: 'handling',
      name: { 'zh-CN': '办理期限', en: 'Handling' },
      status: 'running',
      startedAt: '2026-11-02T01:00:00.000Z',
      due: '2026-12-31T15:59:59.999Z',
      calendar: 'natural',
      pausedMs: 0,
      extensionsUsed: 0,
      overdue: false,
    };
    const lines = describeEvents(
      [
        at(1, '2026-11-02T01:00:00.000Z', { type: 'clock.started', clock }),
        at(2, '2026-11-03T01:00:00.000Z', {
          type: 'clock.paused',
          clockId: 'handling',
          reason: '等待司法鉴定结论',
        }),
        // back within the hour: a period of days does not move
        at(3, '2026-11-03T02:00:00.000Z', {
          type: 'clock.resumed',
          clockId: 'handling',
          due: clock.due,
          pausedMs: 3_600_000,
        }),
        at(4, '2026-11-04T01:00:00.000Z', {
          type: 'clock.paused',
          clockId: 'handling',
          reason: '等待司法鉴定结论',
        }),
        at(5, '2026-11-09T01:00:00.000Z', {
          type: 'clock.resumed',
          clockId: 'handling',
          due: '2027-01-05T15:59:59.999Z',
          pausedMs: 5 * 86_400_000 + 3_600_000,
        }),
      ],
      flow,
      users,
      'zh-CN',
    );
    expect(lines[1]).toMatchObject({
      what: '暂停计时：办理期限',
      details: ['理由：等待司法鉴定结论'],
    });
    expect(lines[2]?.details).toEqual(['期限仍为 2026-12-31 23:59（暂停不足一日，不顺延）']);
    expect(lines[4]?.details).toEqual(['期限顺延至 2027-01-05 23:59']);
    // A working-day clock paused over a weekend does not move either, and says why.
    const weekend = describeEvents(
      [
        at(1, '2026-11-02T01:00:00.000Z', {
          type: 'clock.started',
          clock: { ...clock, calendar: 'workingDays' },
        }),
        at(2, '2026-11-06T10:00:00.000Z', {
          type: 'clock.paused',
          clockId: 'handling',
          reason: '等待司法鉴定结论',
        }),
        at(3, '2026-11-08T10:00:00.000Z', {
          type: 'clock.resumed',
          clockId: 'handling',
          due: clock.due,
          pausedMs: 2 * 86_400_000,
          pausedWorkMs: 6 * 3_600_000,
        }),
      ],
      flow,
      users,
      'zh-CN',
    );
    expect(weekend[2]?.details).toEqual([
      '期限仍为 2026-12-31 23:59（暂停期间不足一个工作日，不顺延）',
    ]);
    // A clock standing still when it stops: the engine's words, in the reader's language.
    const stopped = describeEvents(
      [
        at(1, '2026-11-02T01:00:00.000Z', { type: 'clock.started', clock }),
        at(2, '2026-11-20T01:00:00.000Z', {
          type: 'clock.resumed',
          clockId: 'handling',
          due: '2027-01-01T15:59:59.999Z',
          pausedMs: 86_400_000,
          reason: '计时结束，暂停期间不计入期限',
          stopping: true,
        }),
      ],
      flow,
      users,
      'en',
    );
    expect(stopped[1]?.details).toEqual([
      'The clock stopped; the time it stood still is not counted',
      'now due 2027-01-01 23:59',
    ]);
  });

  it('writes values and durations in words', () => {
    expect(valueText('category', 'labour', undefined, flow, 'zh-CN')).toBe('劳动社保');
    // A code the flow names nowhere, of a kind every office knows: its common name, not the code.
    const bare = { ...flow, forms: [] } as FlowDefinition;
    expect(valueText('category', 'housing', undefined, bare, 'zh-CN')).toBe('城乡建设');
    // Departments by the names their county keeps (departments.list), English when kept.
    const at = '2026-11-01T00:00:00Z';
    setDepartments([
      {
        jurisdiction: '440781',
        code: 'town',
        name: { 'zh-CN': '属地镇（街）', en: 'Town offices' },
        active: true,
        updatedAt: at,
      },
      {
        jurisdiction: '440781',
        code: 'police',
        name: { 'zh-CN': '公安局' },
        active: false,
        updatedAt: at,
      },
      {
        jurisdiction: '440783',
        code: 'town',
        name: { 'zh-CN': '开平镇街' },
        active: true,
        updatedAt: at,
      },
    ]);
    expect(valueText('departments', ['town', 'police'], undefined, bare, 'zh-CN')).toBe(
      '属地镇（街）、公安局',
    );
    expect(valueText('departments', ['town'], undefined, bare, 'en')).toBe('Town offices');
    expect(departmentText('town', 'zh-CN', '440783')).toBe('开平镇街');
    // A code on no list is said to be so, never shown as the code.
    expect(valueText('department', 'nosuch', undefined, bare, 'zh-CN')).toBe('未登记的部门');
    expect(valueText('department', 'nosuch', undefined, bare, 'en')).toBe(
      'a department not on the list',
    );
    setDepartments(undefined);
    expect(valueText('flag', true, undefined, flow, 'zh-CN')).toBe('是');
    expect(valueText('summary', '长'.repeat(100), undefined, flow, 'zh-CN')).toHaveLength(81);
    expect(durationText('P30D', 'zh-CN')).toBe('30 天');
    expect(durationText('PT12H', 'en')).toBe('12 h');
  });
});
