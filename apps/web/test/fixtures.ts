import { CaseCommands, type FlowDefinition, type FlowEdge, type FlowNode } from '@lianxin/spec';

/**
 * A large valid flow: a start, a chain of `n - 2` tasks laid out `perRow` to
 * a row, and an end. Used by the browser test and the benchmark.
 */
export function bigFlow(
  n: number,
  key = `big-${n}`,
  layout: { perRow?: number; deadlines?: boolean; name?: string } = {},
): FlowDefinition {
  const { perRow = 10, deadlines = true, name = `大型流程（${n} 个节点）` } = layout;
  const nodes: FlowNode[] = [
    {
      id: 'start',
      kind: 'start',
      name: { 'zh-CN': '登记' },
      channels: ['visit'],
      position: { x: 0, y: 0 },
    },
  ];
  const edges: FlowEdge[] = [];
  const tasks = n - 2;
  let prev = 'start';
  for (let i = 0; i < tasks; i++) {
    const id = `t${i}`;
    nodes.push({
      id,
      kind: 'task',
      name: { 'zh-CN': `办理步骤 ${i + 1}` },
      assignee: { role: 'handler' },
      ...(deadlines
        ? { deadline: { duration: 'P5D', calendar: 'natural' as const, rollOverHolidays: false } }
        : {}),
      position: { x: (i % perRow) * 230, y: 100 + Math.floor(i / perRow) * 110 },
    });
    edges.push(
      prev === 'start'
        ? { id: `e${i}`, kind: 'next', from: prev, to: id }
        : {
            id: `e${i}`,
            kind: 'action',
            from: prev,
            to: id,
            action: 'submit',
            label: { 'zh-CN': '提交' },
          },
    );
    prev = id;
  }
  nodes.push({
    id: 'done',
    kind: 'end',
    name: { 'zh-CN': '办结' },
    outcome: 'resolved',
    position: { x: 0, y: 120 + Math.ceil(tasks / perRow) * 110 },
  });
  edges.push({
    id: 'eEnd',
    kind: 'action',
    from: prev,
    to: 'done',
    action: 'submit',
    label: { 'zh-CN': '提交' },
  });
  return {
    formatVersion: 1,
    key,
    version: 1,
    name: { 'zh-CN': name },
    jurisdiction: '440781',
    roles: [{ id: 'handler', name: { 'zh-CN': '部门办理人' } }],
    dataSchema: { type: 'object', properties: {} },
    forms: [],
    clocks: [],
    // The defaults (withdrawal by the registering office, …) until the admin changes them.
    caseCommands: CaseCommands.parse({}),
    nodes,
    edges,
  };
}
