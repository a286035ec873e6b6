import { checkFlow, createAjv, schemaCompileProblem, sensitiveFields } from '@lianxin/spec';
import { describe, expect, it } from 'vitest';
import {
  advanceClock,
  autoLayout,
  buildForm,
  conditionFromQuery,
  conditionVariables,
  createEdge,
  dataSchemaProperties,
  describeCondition,
  diffFlows,
  type FieldModel,
  jsonLogicToQuery,
  pressAction,
  problemTarget,
  queryToJsonLogic,
  readForm,
  simTasks,
  simulationPath,
  startSimulation,
} from '../src/model';
import { smallFlow } from './fixtures';

const fields: FieldModel[] = [
  { key: 'name', type: 'text', title: '姓名', required: true },
  { key: 'idCard', type: 'idCard', title: '身份证号', required: true, help: '18 位' },
  {
    key: 'kind',
    type: 'select',
    title: '类别',
    required: false,
    options: [{ value: '土地' }, { value: '劳资' }, { value: '其他' }],
  },
  {
    key: 'otherKind',
    type: 'text',
    title: '其他类别说明',
    required: true,
    visibleWhen: { field: 'kind', equals: '其他' },
  },
  {
    key: 'petitioner',
    type: 'section',
    title: '信访人',
    required: false,
    fields: [{ key: 'mobile', type: 'mobile', title: '手机', required: true }],
  },
];

describe('form builder model', () => {
  it('builds a schema whose conditional field appears only for its value', () => {
    const { schema } = buildForm(fields);
    const validate = createAjv().compile(schema);
    const base = { name: '张三', idCard: '11010519491231002X' };
    expect(validate({ ...base, kind: '土地' })).toBe(true);
    expect(validate({ ...base, kind: '其他' })).toBe(false);
    expect(validate({ ...base, kind: '其他', otherKind: '邻里' })).toBe(true);
  });
  it('reads back the fields it built, in order', () => {
    const { schema, uiSchema } = buildForm(fields);
    const back = readForm(schema, uiSchema).fields;
    expect(back.map((f) => f.key)).toEqual(fields.map((f) => f.key));
    expect(buildForm(back)).toEqual({ schema, uiSchema });
  });
  it('marks a sensitive field for the server to seal, an address by its street part, and reads the mark back', () => {
    const marked: FieldModel[] = [
      { key: 'name', type: 'text', title: '姓名', required: true, sensitive: 'name' },
      { key: 'home', type: 'address', title: '住址', required: false, sensitive: 'address' },
      { key: 'family', type: 'textarea', title: '家庭情况', required: false, sensitive: 'text' },
      { key: 'count', type: 'number', title: '人数', required: false },
    ];
    const { schema, uiSchema } = buildForm(marked);
    expect(sensitiveFields(schema)).toEqual([
      { path: ['name'], kind: 'name' },
      { path: ['home', 'detail'], kind: 'address' },
      { path: ['family'], kind: 'text' },
    ]);
    expect(readForm(schema, uiSchema).fields.map((f) => [f.type, f.sensitive])).toEqual(
      marked.map((f) => [f.type, f.sensitive]),
    );
    expect(schemaCompileProblem(schema)).toBeUndefined();
    expect(
      sensitiveFields({ type: 'object', properties: dataSchemaProperties(marked) }),
    ).toHaveLength(3);
  });
  it('adds every field, conditional ones too, to the case data schema', () => {
    expect(Object.keys(dataSchemaProperties(fields))).toEqual([
      'name',
      'idCard',
      'kind',
      'otherKind',
      'petitioner',
    ]);
  });
});

describe('problem locations', () => {
  it('maps node, edge, form and flow pointers to elements', () => {
    const flow = smallFlow();
    expect(problemTarget(flow, '/nodes/1/assignee/role')).toEqual({
      kind: 'node',
      id: 'register',
      field: 'assignee.role',
    });
    expect(problemTarget(flow, '/edges/1')).toEqual({ kind: 'edge', id: 'e2' });
    expect(problemTarget(flow, '/forms/0/schema')).toEqual({
      kind: 'form',
      id: 'register',
      field: 'schema',
    });
    expect(problemTarget(flow, '/roles/0')).toEqual({ kind: 'flow', field: 'roles.0' });
  });
});

describe('conditions', () => {
  it('offers case data variables with their types and exports typed JSON Logic', () => {
    const flow = smallFlow();
    flow.dataSchema = {
      type: 'object',
      properties: { accepted: { type: 'boolean', title: '是否受理' }, amount: { type: 'number' } },
    };
    const vars = conditionVariables(flow.dataSchema, 'zh-CN');
    expect(vars.map((v) => `${v.name}:${v.type}`).slice(0, 2)).toEqual([
      'accepted:boolean',
      'amount:number',
    ]);
    const logic = queryToJsonLogic(
      {
        combinator: 'and',
        rules: [
          { field: 'accepted', operator: '=', value: 'true' },
          { field: 'amount', operator: '>', value: '1000' },
        ],
      },
      vars,
    );
    expect(logic).toEqual({
      and: [{ '==': [{ var: 'accepted' }, true] }, { '>': [{ var: 'amount' }, 1000] }],
    });
    const back = jsonLogicToQuery(logic);
    expect(back.rules).toHaveLength(2);
    expect(describeCondition(logic, flow.dataSchema, 'zh-CN')).toBe(
      '是否受理 = 是 且 amount > 1000',
    );
  });
});

describe('a new condition edge', () => {
  it('starts without a condition, and the checker asks for one until the admin builds it', () => {
    // given a decision after the registration task, with a new 条件 edge and a default edge
    const flow = smallFlow();
    flow.dataSchema = {
      type: 'object',
      properties: { summary: { type: 'string' }, accepted: { type: 'boolean', title: '是否受理' } },
    };
    const toDecision = flow.edges.find((e) => e.from === 'register');
    if (!toDecision) throw new Error('the small flow has no edge out of register');
    const end = toDecision.to;
    toDecision.to = 'decide';
    flow.nodes.push({ id: 'decide', kind: 'decision', name: { 'zh-CN': '是否受理' } });
    const edge = createEdge('condition', 'e-accepted', 'decide', end, { actions: [] });
    flow.edges.push(edge, createEdge('default', 'e-otherwise', 'decide', end, { actions: [] }));
    // then it has no placeholder condition and cannot be published
    expect(edge).not.toHaveProperty('condition');
    const problems = () =>
      checkFlow(flow)
        .filter((p) => p.code.startsWith('condition.') || p.code.startsWith('decision.'))
        .map((p) => `${p.code} ${p.pointer}`);
    expect(problems()).toEqual([`condition.missing /edges/${flow.edges.indexOf(edge)}`]);
    // and an emptied builder leaves it without one, rather than "always true"
    const vars = conditionVariables(flow.dataSchema, 'zh-CN');
    expect(conditionFromQuery({ combinator: 'and', rules: [] }, vars)).toBeUndefined();
    // when the admin builds a rule, the edge is complete
    const condition = conditionFromQuery(
      { combinator: 'and', rules: [{ field: 'accepted', operator: '=', value: 'true' }] },
      vars,
    );
    expect(condition).toEqual({ and: [{ '==': [{ var: 'accepted' }, true] }] });
    Object.assign(edge, { condition });
    expect(problems()).toEqual([]);
  });
});

describe('version diff', () => {
  it('finds added, removed and changed nodes and fields, ignoring moves', () => {
    const a = smallFlow();
    const b = smallFlow();
    b.nodes[0] = { ...b.nodes[0]!, position: { x: 500, y: 500 } };
    b.nodes[1] = { ...b.nodes[1]!, name: { 'zh-CN': '接访登记' } };
    b.nodes = b.nodes.filter((n) => n.id !== 'done');
    b.nodes.push({ id: 'closed', kind: 'end', name: { 'zh-CN': '结案' }, outcome: 'resolved' });
    b.dataSchema = { type: 'object', properties: { reply: { type: 'string' } } };
    const d = diffFlows(a, b);
    expect(d.nodes).toEqual({
      added: ['closed'],
      removed: ['done'],
      changed: ['register'],
      moved: ['start'],
    });
    expect(d.dataFields).toEqual({ added: ['reply'], removed: ['summary'], changed: [] });
  });
});

describe('auto layout', () => {
  it('places each step below the one before it', async () => {
    const pos = await autoLayout(smallFlow());
    expect(pos.start!.y).toBeLessThan(pos.register!.y);
    expect(pos.register!.y).toBeLessThan(pos.done!.y);
  });
});

describe('simulation', () => {
  it('runs the flow to its end and records the path', () => {
    const flow = smallFlow();
    expect(checkFlow(flow).filter((p) => p.severity === 'error')).toEqual([]);
    const started = startSimulation(flow, { channel: 'visit' });
    if (!started.ok) throw new Error(started.rejection.message.en);
    const [task] = simTasks(started.session, 'receptionist');
    expect(task?.actions.map((a) => a.action)).toEqual(['submit']);
    const done = pressAction(started.session, task!.taskId, 'submit', 'receptionist', {
      summary: '路灯坏了',
    });
    if (!done.ok) throw new Error(done.rejection.message.en);
    expect(done.session.state.status).toBe('closed');
    expect(simulationPath(done.session)).toMatchObject({
      nodes: ['start', 'register', 'done'],
      edges: ['e1', 'e2'],
    });
  });
  it('turns a task due-soon, then overdue, as the clock advances', () => {
    const flow = smallFlow();
    flow.nodes[1] = {
      ...(flow.nodes[1] as Extract<(typeof flow.nodes)[number], { kind: 'task' }>),
      deadline: {
        duration: 'P5D',
        calendar: 'natural',
        warningBefore: 'P2D',
        rollOverHolidays: false,
      },
    };
    const started = startSimulation(flow, { channel: 'visit' });
    if (!started.ok) throw new Error(started.rejection.message.en);
    const soon = advanceClock(started.session, 4);
    if (!soon.ok) throw new Error(soon.rejection.message.en);
    expect(Object.values(soon.session.state.tasks)[0]?.dueState).toBe('dueSoon');
    const late = advanceClock(soon.session, 2);
    if (!late.ok) throw new Error(late.rejection.message.en);
    expect(Object.values(late.session.state.tasks)[0]?.dueState).toBe('overdue');
  });
});
