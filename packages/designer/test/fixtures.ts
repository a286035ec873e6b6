import { CaseCommands, type FlowDefinition } from '@lianxin/spec';

/** start → register (task) → end, the smallest flow the designer opens with. */
export function smallFlow(): FlowDefinition {
  return {
    formatVersion: 1,
    key: 'test-flow',
    version: 1,
    name: { 'zh-CN': '测试流程', en: 'Test flow' },
    jurisdiction: '440781',
    roles: [{ id: 'receptionist', name: { 'zh-CN': '接访员', en: 'Receptionist' } }],
    dataSchema: { type: 'object', properties: { summary: { type: 'string', title: '诉求摘要' } } },
    forms: [
      {
        id: 'register',
        title: { 'zh-CN': '登记' },
        schema: { type: 'object', properties: { summary: { type: 'string', title: '诉求摘要' } } },
      },
    ],
    clocks: [],
    // The defaults (withdrawal by the registering office, …) until the admin changes them.
    caseCommands: CaseCommands.parse({}),
    nodes: [
      {
        id: 'start',
        kind: 'start',
        name: { 'zh-CN': '开始' },
        channels: ['visit'],
        position: { x: 0, y: 0 },
      },
      {
        id: 'register',
        kind: 'task',
        name: { 'zh-CN': '登记' },
        assignee: { role: 'receptionist' },
        form: 'register',
        position: { x: 0, y: 120 },
      },
      {
        id: 'done',
        kind: 'end',
        name: { 'zh-CN': '办结' },
        outcome: 'resolved',
        position: { x: 0, y: 240 },
      },
    ],
    edges: [
      { id: 'e1', kind: 'next', from: 'start', to: 'register' },
      {
        id: 'e2',
        kind: 'action',
        from: 'register',
        to: 'done',
        action: 'submit',
        label: { 'zh-CN': '提交' },
      },
    ],
  };
}
