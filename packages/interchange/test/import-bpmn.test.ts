import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { FlowDefinition } from '@lianxin/spec';
import { describe, expect, it } from 'vitest';
import { type BpmnImportResult, importBpmn } from '../src/index';

const FIXTURES = join(import.meta.dirname, 'fixtures/bpmn');
const load = (file: string, options = {}) =>
  importBpmn(readFileSync(join(FIXTURES, file), 'utf8'), { jurisdiction: '440781', ...options });
const located = (r: BpmnImportResult) =>
  r.problems.map((p) => `${p.code} ${p.element ?? ''}`.trim());
const node = (r: BpmnImportResult, id: string) => r.flow?.nodes.find((n) => n.id === id);
const edge = (r: BpmnImportResult, id: string) => r.flow?.edges.find((e) => e.id === id);

/** One row per corpus file: the problems expected, each located by its BPMN element. */
const CORPUS = [
  {
    file: 'camunda7-petition.bpmn',
    problems: [
      'bpmn.form StartEvent_1',
      'bpmn.form Task_Accept',
      'bpmn.assignee Task_Leader',
      'bpmn.unsupported Task_Script',
      'bpmn.boundary Boundary_Remind',
      'bpmn.unsupported Send_Reminder',
      'bpmn.unsupported Task_Notify',
      'bpmn.calledElement Call_Review',
      'bpmn.condition Flow_Script',
      'bpmn.groups',
    ],
  },
  {
    file: 'camunda8-zeebe.bpmn',
    problems: [
      'bpmn.form start',
      'bpmn.form triage',
      'bpmn.dueDate triage',
      'bpmn.assignee parties',
      'bpmn.groups parties',
      'bpmn.multiInstance parties',
      'bpmn.calledElement agreement',
      'bpmn.eventDefinition notify',
      'bpmn.condition fCount',
      'bpmn.groups',
    ],
  },
  {
    file: 'flowable-leave.bpmn20.xml',
    problems: [
      'bpmn.warning',
      'bpmn.form startEvent1',
      'bpmn.form sid-check',
      'bpmn.dueDate sid-handle',
      'bpmn.assignee sid-handle',
      'bpmn.groups sid-handle',
      'bpmn.boundary sid-error',
      'bpmn.groups',
    ],
  },
  {
    file: 'activiti-jeecg.bpmn',
    problems: [
      'bpmn.form report',
      'bpmn.multiInstance court',
      'bpmn.unsupported inclusive',
      'bpmn.conditionFromTask s8',
      'bpmn.groups',
    ],
  },
  {
    file: 'bpmnio-plain.bpmn',
    problems: [
      'bpmn.eventDefinition StartEvent_1',
      'bpmn.startEvents StartEvent_2',
      'bpmn.unsupported Gateway_1',
      'bpmn.unsupported Catch_Msg',
      'bpmn.timer Catch_Timer',
      'bpmn.unsupported SubProcess_1',
      'bpmn.eventDefinition End_Signal',
      'bpmn.unsupported DataRef_1',
      'bpmn.unsupported DataObject_1',
      'bpmn.unsupported Note_1',
      'bpmn.groups',
    ],
  },
];

describe('BPMN import corpus', () => {
  it.each(CORPUS)(
    '$file imports with the expected located problems',
    async ({ file, problems }) => {
      const result = await load(file);
      expect(located(result)).toEqual(problems);
      for (const p of result.problems) {
        expect(p.message['zh-CN']).toMatch(/[\u4e00-\u9fff]/);
        expect(p.message.en).toMatch(/[a-z]/);
      }
      // the result is a flow of the spec's format; what is left to finish is the checker's to say
      expect(FlowDefinition.safeParse(result.flow).success).toBe(true);
      expect(result.checker.filter((p) => p.code === 'schema.invalid')).toEqual([]);
    },
  );
});

describe('BPMN element mapping', () => {
  it('turns a Camunda 7 user task into a task for the mapped role, with its due date as the deadline', async () => {
    const r = await load('camunda7-petition.bpmn', {
      roleMap: { reception: 'receptionist' },
      roles: [{ id: 'receptionist', name: { 'zh-CN': '接访员' } }],
    });
    expect(node(r, 'Task_Accept')).toMatchObject({
      kind: 'task',
      name: { 'zh-CN': '受理审查' },
      assignee: { role: 'receptionist' },
      deadline: { duration: 'P15D' },
      position: { x: 240, y: 80 },
    });
    expect(r.flow?.roles).toContainEqual({ id: 'receptionist', name: { 'zh-CN': '接访员' } });
    // the mapped group is no longer listed as unknown
    expect(r.problems.find((p) => p.code === 'bpmn.groups')?.message.en).not.toContain(
      'reception,',
    );
  });

  it('converts JUEL conditions to JSON Logic and keeps the default flow', async () => {
    const r = await load('camunda7-petition.bpmn');
    expect(node(r, 'Gateway_Amount')?.kind).toBe('decision');
    expect(edge(r, 'Flow_Big')).toMatchObject({
      kind: 'condition',
      condition: {
        and: [{ '>': [{ var: 'amount' }, 100000] }, { '==': [{ var: 'category' }, 'land'] }],
      },
    });
    expect(edge(r, 'Flow_Small')?.kind).toBe('default');
    // an expression it cannot convert stays without a condition, never an always-true one
    expect(edge(r, 'Flow_Script')).toEqual({
      id: 'Flow_Script',
      kind: 'condition',
      from: 'Gateway_Amount',
      to: 'Task_Script',
      label: { 'zh-CN': '脚本判断' },
    });
    expect(r.checker.map((p) => p.code)).toContain('condition.missing');
    expect(r.flow?.dataSchema).toMatchObject({
      properties: { amount: { type: 'number' }, category: { type: 'string' } },
    });
  });

  it('joins a merging exclusive gateway into the incoming edges', async () => {
    const r = await load('camunda7-petition.bpmn');
    expect(node(r, 'Gateway_Merge')).toBeUndefined();
    expect(edge(r, 'Flow_LeaderDone')).toMatchObject({
      kind: 'action',
      from: 'Task_Leader',
      to: 'Timer_Wait',
    });
    expect(edge(r, 'Flow_Joined')).toMatchObject({
      kind: 'next',
      from: 'Gateway_Join',
      to: 'Timer_Wait',
    });
  });

  it('maps parallel gateways to split and join, timers, call activities and ends', async () => {
    const r = await load('camunda7-petition.bpmn');
    expect(node(r, 'Gateway_Split')?.kind).toBe('parallel');
    expect(node(r, 'Gateway_Join')).toMatchObject({ kind: 'join' });
    expect(node(r, 'Timer_Wait')).toMatchObject({ kind: 'timer', wait: { duration: 'P7D' } });
    expect(node(r, 'Call_Review')).toMatchObject({
      kind: 'subflow',
      flow: { key: 'review-process' },
    });
    expect(node(r, 'End_Done')).toMatchObject({ kind: 'end', outcome: 'resolved' });
  });

  it('turns an interrupting timer boundary on a user task into its deadline and an overdue edge', async () => {
    const r = await load('camunda7-petition.bpmn');
    expect(node(r, 'Task_DeptA')).toMatchObject({ deadline: { duration: 'P10D' } });
    expect(edge(r, 'Flow_Overdue')).toMatchObject({
      kind: 'deadline',
      on: 'overdue',
      from: 'Task_DeptA',
      to: 'Task_Leader2',
      label: { 'zh-CN': '超期上报' },
    });
    expect(node(r, 'Boundary_Overdue')).toBeUndefined();
    expect(node(r, 'Boundary_Remind')).toBeUndefined();
  });

  it('reads Camunda 8 (zeebe) assignments, FEEL conditions and multi-instance tasks', async () => {
    const r = await load('camunda8-zeebe.bpmn', { roleMap: { 调解员: 'mediator' } });
    expect(node(r, 'triage')).toMatchObject({ kind: 'task', assignee: { role: 'mediator' } });
    expect(edge(r, 'fBig')).toMatchObject({
      condition: {
        and: [{ '>=': [{ var: 'amount' }, 100000] }, { '==': [{ var: 'status' }, 'open'] }],
      },
    });
    expect(edge(r, 'fDefault')?.kind).toBe('default');
    expect(node(r, 'parties')).toMatchObject({
      kind: 'multiTask',
      over: 'partyList',
      itemVar: 'party',
      collect: 'statements',
    });
    expect(node(r, 'agreement')).toMatchObject({
      kind: 'subflow',
      flow: { key: 'judicial-confirmation' },
    });
    // the message throw event is gone and its flows joined
    expect(edge(r, 'f4')).toMatchObject({ from: 'agreement', to: 'done' });
  });

  it('reads Flowable attributes and boundary timers', async () => {
    const r = await load('flowable-leave.bpmn20.xml');
    expect(node(r, 'sid-check')).toMatchObject({
      assignee: { role: 'dept_leader' },
      deadline: { duration: 'P3D' },
    });
    expect(edge(r, 'sid-pass')).toMatchObject({ condition: { '==': [{ var: 'approved' }, true] } });
    expect(edge(r, 'sid-back')).toMatchObject({
      condition: { '!': [{ '==': [{ var: 'approved' }, true] }] },
    });
    expect(node(r, 'sid-handle')).toMatchObject({ deadline: { duration: 'PT48H' } });
    expect(edge(r, 'sid-f3')).toMatchObject({
      kind: 'deadline',
      from: 'sid-handle',
      to: 'sid-escalate',
    });
    expect(edge(r, 'sid-f6')).toBeUndefined();
    expect(node(r, 'startEvent1')?.position).toEqual({ x: 100, y: 163 });
  });

  it('assigns Activiti tasks without groups to their lane’s role', async () => {
    const r = await load('activiti-jeecg.bpmn', { roleMap: { 网格员: 'gridWorker' } });
    expect(node(r, 'report')).toMatchObject({ assignee: { role: 'gridWorker' } });
    expect(node(r, 'police')).toMatchObject({ assignee: { role: 'police' } });
    expect(node(r, 'court')).toMatchObject({
      kind: 'multiTask',
      over: 'courtList',
      itemVar: 'judge',
    });
    expect(node(r, 'fork')?.kind).toBe('parallel');
    expect(node(r, 'join')?.kind).toBe('join');
    expect(node(r, 'inclusive')).toMatchObject({ kind: 'task', name: { 'zh-CN': '需要哪些措施' } });
  });

  it('reads plain BPMN potential owners and keeps the first start', async () => {
    const r = await load('bpmnio-plain.bpmn');
    expect(node(r, 'Task_1')).toMatchObject({
      name: { 'zh-CN': '接待 登记' },
      assignee: { role: 'role' },
      position: { x: 300, y: 100 },
    });
    expect(r.flow?.roles).toContainEqual({ id: 'role', name: { 'zh-CN': '接访员' } });
    expect(r.flow?.nodes.filter((n) => n.kind === 'start').map((n) => n.id)).toEqual([
      'StartEvent_1',
    ]);
    expect(node(r, 'Task_2')?.kind).toBe('task');
  });

  it('keeps DI positions and lays out below them the elements the diagram leaves out', async () => {
    const r = await load('camunda7-petition.bpmn');
    expect(node(r, 'Gateway_Amount')?.position).toEqual({ x: 395, y: 95 });
    const unplaced = r.flow?.nodes.filter(
      (n) => !['StartEvent_1', 'Task_Accept', 'Gateway_Amount', 'Task_DeptA'].includes(n.id),
    );
    expect(unplaced?.length).toBeGreaterThan(0);
    for (const n of unplaced ?? []) expect(n.position?.y).toBeGreaterThan(220);
  });

  it.each([
    { groups: '=["调解员", "律师"]', role: 'role', code: 'bpmn.groups' },
    { groups: 'mediators', role: 'mediators', code: 'bpmn.groups' },
    { groups: '=groupsOf(case)', role: 'handler', code: 'bpmn.groups' },
    { groups: '=assignedGroups', role: 'handler', code: 'bpmn.groups' },
  ])('reads zeebe candidate groups $groups as role $role', async ({ groups, role, code }) => {
    const xml = `<?xml version="1.0"?><bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:zeebe="http://camunda.org/schema/zeebe/1.0" id="d" targetNamespace="x"><bpmn:process id="p" isExecutable="true"><bpmn:startEvent id="s"/><bpmn:userTask id="t" name="办理"><bpmn:extensionElements><zeebe:assignmentDefinition candidateGroups='${groups}'/></bpmn:extensionElements></bpmn:userTask><bpmn:endEvent id="e"/><bpmn:sequenceFlow id="f1" sourceRef="s" targetRef="t"/><bpmn:sequenceFlow id="f2" sourceRef="t" targetRef="e"/></bpmn:process></bpmn:definitions>`;
    const r = await importBpmn(xml, { jurisdiction: '440781' });
    expect(node(r, 't')).toMatchObject({ assignee: { role } });
    expect(r.problems.map((p) => p.code)).toContain(code);
  });

  it('refuses a file that is not BPMN with a located error', async () => {
    const r = await importBpmn('<not-bpmn/>');
    expect(r.flow).toBeUndefined();
    expect(r.problems[0]?.severity).toBe('error');
    const garbage = await importBpmn('这不是 XML');
    expect(garbage.flow).toBeUndefined();
    expect(garbage.problems.map((p) => p.code)).toEqual(['bpmn.parse']);
  });
});
