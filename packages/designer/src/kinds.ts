import {
  EDGE_KIND_NAMES,
  type EdgeKind,
  type FlowEdge,
  type FlowNode,
  type LocalizedText,
  NODE_KIND_NAMES,
  type NodeKind,
  type Outcome,
} from '@lianxin/spec';

/** How a node kind looks and what a fresh one contains. Shapes follow BPMN where BPMN has one. */
export interface NodeKindInfo {
  name: LocalizedText & { en: string };
  /** One line for the palette tooltip. */
  hint: LocalizedText & { en: string };
  shape: 'circle' | 'rect' | 'diamond' | 'double';
  colour: string;
  /** A fresh node of this kind (without id, name and position). */
  create: (ctx: { firstRole: string | undefined }) => Omit<FlowNode, 'id' | 'name' | 'position'>;
}

const task = (firstRole: string | undefined) => ({ assignee: { role: firstRole ?? 'handler' } });

export const NODE_KINDS_INFO = {
  start: {
    name: NODE_KIND_NAMES.start,
    hint: { 'zh-CN': '案件从这里进入（来访、来信、网上…）', en: 'Where a case enters' },
    shape: 'circle',
    colour: '#52c41a',
    create: () => ({ kind: 'start', channels: ['visit'] }),
  },
  task: {
    name: NODE_KIND_NAMES.task,
    hint: { 'zh-CN': '由人办理：表单、办理人、时限、按钮', en: 'A person works it' },
    shape: 'rect',
    colour: '#1677ff',
    create: ({ firstRole }) => ({ kind: 'task', ...task(firstRole) }),
  },
  multiTask: {
    name: NODE_KIND_NAMES.multiTask,
    hint: { 'zh-CN': '列表中每项一个任务，如合力办', en: 'One task per list item' },
    shape: 'rect',
    colour: '#2f54eb',
    create: ({ firstRole }) => ({
      kind: 'multiTask',
      ...task(firstRole),
      over: 'departments',
      itemVar: 'item',
      collect: 'departmentReplies',
    }),
  },
  decision: {
    name: NODE_KIND_NAMES.decision,
    hint: { 'zh-CN': '按条件选择一条出线，另有一条默认', en: 'First condition that holds' },
    shape: 'diamond',
    colour: '#fa8c16',
    create: () => ({ kind: 'decision' }),
  },
  parallel: {
    name: NODE_KIND_NAMES.parallel,
    hint: { 'zh-CN': '所有出线同时进行', en: 'All branches at once' },
    shape: 'diamond',
    colour: '#13c2c2',
    create: () => ({ kind: 'parallel' }),
  },
  join: {
    name: NODE_KIND_NAMES.join,
    hint: { 'zh-CN': '等待各分支到齐', en: 'Waits for the branches' },
    shape: 'diamond',
    colour: '#08979c',
    create: () => ({ kind: 'join', mode: 'all' }),
  },
  timer: {
    name: NODE_KIND_NAMES.timer,
    hint: { 'zh-CN': '等待一段时间后继续', en: 'Waits, then moves on' },
    shape: 'circle',
    colour: '#722ed1',
    create: () => ({ kind: 'timer', wait: { duration: 'P1D', calendar: 'natural' } }),
  },
  action: {
    name: NODE_KIND_NAMES.action,
    hint: { 'zh-CN': '自动设置字段、通知、提级', en: 'Set fields, notify, escalate' },
    shape: 'rect',
    colour: '#eb2f96',
    create: () => ({
      kind: 'action',
      operations: [{ op: 'notify', to: 'petitioner', message: { 'zh-CN': '您的信访事项已受理' } }],
    }),
  },
  subflow: {
    name: NODE_KIND_NAMES.subflow,
    hint: { 'zh-CN': '调用另一个流程，如司法确认', en: 'Calls another flow' },
    shape: 'double',
    colour: '#531dab',
    create: () => ({ kind: 'subflow', flow: { key: 'judicial-confirmation' } }),
  },
  end: {
    name: NODE_KIND_NAMES.end,
    hint: { 'zh-CN': '结案，并记录结果', en: 'Closes the case with an outcome' },
    shape: 'circle',
    colour: '#f5222d',
    create: () => ({ kind: 'end', outcome: 'resolved' }),
  },
} as const satisfies Record<NodeKind, NodeKindInfo>;

/** Edge kinds a node of each kind may start: the checker's own rule, from spec. */
export { OUTGOING_EDGE_KINDS } from '@lianxin/spec';

/** What an end node's outcome is called (办结, 不予受理, …): no outcome code reaches the screen. */
export const OUTCOME_NAMES = {
  resolved: { 'zh-CN': '办结', en: 'Resolved' },
  declined: { 'zh-CN': '不予受理', en: 'Declined' },
  transferred: { 'zh-CN': '转送', en: 'Transferred' },
  withdrawn: { 'zh-CN': '撤回', en: 'Withdrawn' },
} as const satisfies Record<Outcome, { 'zh-CN': string; en: string }>;

export const EDGE_KINDS_INFO = {
  next: { name: EDGE_KIND_NAMES.next, colour: '#8c8c8c', dashed: false },
  action: { name: EDGE_KIND_NAMES.action, colour: '#1677ff', dashed: false },
  condition: { name: EDGE_KIND_NAMES.condition, colour: '#fa8c16', dashed: false },
  default: { name: EDGE_KIND_NAMES.default, colour: '#595959', dashed: true },
  deadline: { name: EDGE_KIND_NAMES.deadline, colour: '#f5222d', dashed: true },
} as const satisfies Record<
  EdgeKind,
  { name: LocalizedText & { en: string }; colour: string; dashed: boolean }
>;

/** A new edge of `kind` between two nodes, with sensible fields for its kind. */
export function createEdge(
  kind: EdgeKind,
  id: string,
  from: string,
  to: string,
  taken: { actions: readonly string[] },
): FlowEdge {
  switch (kind) {
    case 'next':
    case 'default':
      return { id, kind, from, to };
    case 'action': {
      let n = 1;
      let action = 'submit';
      while (taken.actions.includes(action)) action = `action${++n}`;
      const label = n === 1 ? '提交' : `按钮${n}`;
      return { id, kind, from, to, action, label: { 'zh-CN': label } };
    }
    case 'condition':
      // No placeholder: the checker asks for a condition (condition.missing)
      // until the admin builds one, so a half-drawn decision cannot be published.
      return { id, kind, from, to };
    case 'deadline':
      return { id, kind, from, to, on: 'overdue' };
  }
}
