import type { FlowDefinition, FlowEdge, FlowNode } from '@lianxin/spec';

/** A 300-field registration-style form: text, numbers, choices, long text, ID and phone fields. */
export function bigForm(
  n = 300,
  options: { plain?: boolean } = {},
): { schema: Record<string, unknown>; uiSchema: Record<string, unknown> } {
  const properties: Record<string, unknown> = {};
  const uiSchema: Record<string, unknown> = {};
  const required: string[] = [];
  for (let i = 0; i < n; i++) {
    const key = `f${i}`;
    switch (i % 10) {
      case 0:
        properties[key] = { type: 'number', title: `数字字段 ${i}` };
        break;
      case 1:
        properties[key] = { type: 'string', title: `类别 ${i}`, enum: ['土地', '劳资', '其他'] };
        break;
      case 2:
        properties[key] = { type: 'string', title: `说明 ${i}` };
        uiSchema[key] = { 'ui:widget': 'textarea' };
        break;
      case 3:
        if (options.plain)
          properties[key] = { type: 'string', title: `手机 ${i}`, pattern: '^1[3-9]\\d{9}$' };
        else {
          properties[key] = { type: 'string', title: `手机 ${i}`, format: 'cn-mobile' };
          uiSchema[key] = { 'ui:widget': 'mobile' };
        }
        break;
      default:
        properties[key] = { type: 'string', title: `文本字段 ${i}`, minLength: 2 };
    }
    if (i % 7 === 0) required.push(key);
  }
  return { schema: { type: 'object', required, properties }, uiSchema };
}

/** A valid flow of `n` nodes laid out on a grid (start, a chain of tasks, end). */
export function bigFlow(n: number): FlowDefinition {
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
  let prev = 'start';
  for (let i = 0; i < n - 2; i++) {
    const id = `t${i}`;
    nodes.push({
      id,
      kind: 'task',
      name: { 'zh-CN': `办理步骤 ${i + 1}` },
      assignee: { role: 'handler' },
      position: { x: (i % 25) * 230, y: 100 + Math.floor(i / 25) * 110 },
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
    position: { x: 0, y: 100 + Math.ceil((n - 2) / 25) * 110 },
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
    key: `bench-${n}`,
    version: 1,
    name: { 'zh-CN': `基准流程（${n} 个节点）` },
    jurisdiction: '440781',
    roles: [{ id: 'handler', name: { 'zh-CN': '部门办理人' } }],
    dataSchema: { type: 'object', properties: {} },
    forms: [],
    clocks: [],
    nodes,
    edges,
  };
}
