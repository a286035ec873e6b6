// Engine benchmark: transitions per second for one process shape in the Lianxin
// engine and in bpmn-engine, side by side. Run with `pnpm bench`.

import { EventEmitter } from 'node:events';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { checkedFlow, checkFlow, type FlowDefinitionInput } from '@lianxin/spec';
import { Engine } from 'bpmn-engine';
import { type Actor, type CaseState, type Command, initialState, transition } from '../src/index';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 7);
const ROUND_MS = Number(process.env.BENCH_ROUND_MS ?? 1500);

const t = (zh: string, en: string) => ({ 'zh-CN': zh, en });

/**
 * The process: register → review (form) → decision → parallel(police, housing)
 * → join → reply (form) → approve → return visit → end; 10 nodes on the path,
 * 7 commands per case (start + 6 task completions).
 */
const flowInput: FlowDefinitionInput = {
  formatVersion: 1,
  key: 'bench',
  version: 1,
  name: t('基准流程', 'Benchmark flow'),
  jurisdiction: '440781',
  roles: [
    { id: 'receptionist', name: t('接访员', 'Receptionist') },
    { id: 'handler', name: t('办理人', 'Handler') },
    { id: 'leader', name: t('领导', 'Leader') },
  ],
  dataSchema: {
    type: 'object',
    properties: {
      summary: { type: 'string' },
      accepted: { type: 'boolean' },
      opinion: { type: 'string' },
      reply: { type: 'string' },
    },
  },
  forms: [
    {
      id: 'register',
      title: t('登记', 'Register'),
      schema: {
        type: 'object',
        required: ['summary'],
        properties: { summary: { type: 'string', minLength: 5 } },
      },
    },
    {
      id: 'review',
      title: t('受理', 'Review'),
      schema: {
        type: 'object',
        required: ['accepted'],
        properties: { accepted: { type: 'boolean' } },
      },
    },
    {
      id: 'opinion',
      title: t('意见', 'Opinion'),
      schema: {
        type: 'object',
        required: ['opinion'],
        properties: { opinion: { type: 'string', minLength: 1 } },
      },
    },
    {
      id: 'reply',
      title: t('答复', 'Reply'),
      schema: { type: 'object', required: ['reply'], properties: { reply: { type: 'string' } } },
    },
  ],
  nodes: [
    {
      id: 'start',
      kind: 'start',
      name: t('登记', 'Register'),
      channels: ['visit'],
      form: 'register',
    },
    {
      id: 'review',
      kind: 'task',
      name: t('受理', 'Review'),
      form: 'review',
      assignee: { role: 'receptionist' },
      deadline: { duration: 'P15D', warningBefore: 'P3D' },
    },
    { id: 'accepted', kind: 'decision', name: t('是否受理', 'Accepted?') },
    { id: 'split', kind: 'parallel', name: t('合力办', 'Joint handling') },
    {
      id: 'police',
      kind: 'task',
      name: t('公安', 'Police'),
      form: 'opinion',
      assignee: { role: 'handler', department: 'police' },
      deadline: { duration: 'P10D', calendar: 'workingDays' },
    },
    {
      id: 'housing',
      kind: 'task',
      name: t('住建', 'Housing'),
      form: 'opinion',
      assignee: { role: 'handler', department: 'housing' },
      deadline: { duration: 'P10D', calendar: 'workingDays' },
    },
    { id: 'join', kind: 'join', name: t('汇总', 'Join'), mode: 'all' },
    {
      id: 'reply',
      kind: 'task',
      name: t('答复', 'Reply'),
      form: 'reply',
      assignee: { role: 'receptionist' },
    },
    { id: 'approve', kind: 'task', name: t('审批', 'Approve'), assignee: { role: 'leader' } },
    {
      id: 'visit',
      kind: 'task',
      name: t('回访', 'Return visit'),
      assignee: { role: 'receptionist', prefer: 'firstHandler' },
    },
    { id: 'end', kind: 'end', name: t('办结', 'Resolved'), outcome: 'resolved' },
    { id: 'declined', kind: 'end', name: t('不予受理', 'Declined'), outcome: 'declined' },
  ],
  edges: [
    { id: 'e1', kind: 'next', from: 'start', to: 'review' },
    {
      id: 'e2',
      kind: 'action',
      from: 'review',
      to: 'accepted',
      action: 'submit',
      label: t('提交', 'Submit'),
    },
    {
      id: 'e3',
      kind: 'condition',
      from: 'accepted',
      to: 'split',
      condition: { '==': [{ var: 'accepted' }, true] },
    },
    { id: 'e4', kind: 'default', from: 'accepted', to: 'declined' },
    { id: 'e5', kind: 'next', from: 'split', to: 'police' },
    { id: 'e6', kind: 'next', from: 'split', to: 'housing' },
    {
      id: 'e7',
      kind: 'action',
      from: 'police',
      to: 'join',
      action: 'answer',
      label: t('答复', 'Answer'),
    },
    {
      id: 'e8',
      kind: 'action',
      from: 'housing',
      to: 'join',
      action: 'answer',
      label: t('答复', 'Answer'),
    },
    { id: 'e9', kind: 'next', from: 'join', to: 'reply' },
    {
      id: 'e10',
      kind: 'action',
      from: 'reply',
      to: 'approve',
      action: 'submit',
      label: t('提交', 'Submit'),
    },
    {
      id: 'e11',
      kind: 'action',
      from: 'approve',
      to: 'visit',
      action: 'approve',
      label: t('批准', 'Approve'),
    },
    {
      id: 'e12',
      kind: 'action',
      from: 'visit',
      to: 'end',
      action: 'close',
      label: t('办结', 'Close'),
    },
  ],
};

const problems = checkFlow(flowInput).filter((p) => p.severity === 'error');
if (problems.length) throw new Error(`bench flow is invalid: ${JSON.stringify(problems)}`);
const def = checkedFlow(flowInput);

const receptionist: Actor = { id: 'li', roles: ['receptionist'], jurisdiction: '440781' };
const police: Actor = {
  id: 'wang',
  roles: ['handler'],
  jurisdiction: '440781',
  department: 'police',
};
const housing: Actor = {
  id: 'chen',
  roles: ['handler'],
  jurisdiction: '440781',
  department: 'housing',
};
const leader: Actor = { id: 'zhao', roles: ['leader'], jurisdiction: '440781' };

const SCRIPT: { node: string; action: string; actor: Actor; data: Record<string, unknown> }[] = [
  { node: 'review', action: 'submit', actor: receptionist, data: { accepted: true } },
  { node: 'police', action: 'answer', actor: police, data: { opinion: '已核实' } },
  { node: 'housing', action: 'answer', actor: housing, data: { opinion: '已整改' } },
  { node: 'reply', action: 'submit', actor: receptionist, data: { reply: '已处理完毕' } },
  { node: 'approve', action: 'approve', actor: leader, data: {} },
  { node: 'visit', action: 'close', actor: receptionist, data: {} },
];
const TRANSITIONS_PER_CASE = 1 + SCRIPT.length;

let ids = 0;
const env = { now: '2025-09-30T01:00:00.000Z', newId: () => `id${++ids}` };

function openTask(state: CaseState, node: string): string {
  for (const task of state.tasks) if (task.node === node) return task.id;
  throw new Error(`no open task on ${node}`);
}

/** One case through the Lianxin engine; returns the number of transitions. */
function lianxinCase(): number {
  let state = initialState();
  const start: Command = {
    type: 'case.start',
    channel: 'visit',
    data: { summary: '道路积水影响出行' },
    actor: receptionist,
  };
  let r = transition(def, state, start, env);
  if (!r.ok) throw new Error(r.rejection.message.en);
  state = r.state;
  for (const step of SCRIPT) {
    r = transition(
      def,
      state,
      {
        type: 'task.complete',
        taskId: openTask(state, step.node),
        action: step.action,
        data: step.data,
        actor: step.actor,
        expectedVersion: state.version,
      },
      env,
    );
    if (!r.ok) throw new Error(r.rejection.message.en);
    state = r.state;
  }
  if (state.status !== 'closed') throw new Error('case did not close');
  return TRANSITIONS_PER_CASE;
}

const BPMN = `<?xml version="1.0" encoding="UTF-8"?>
<definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL"
  xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" id="bench" targetNamespace="http://lianxin/bench">
  <process id="petition" isExecutable="true">
    <startEvent id="start" />
    <userTask id="review" />
    <exclusiveGateway id="accepted" default="toDeclined" />
    <parallelGateway id="split" />
    <userTask id="police" />
    <userTask id="housing" />
    <parallelGateway id="join" />
    <userTask id="reply" />
    <userTask id="approve" />
    <userTask id="visit" />
    <endEvent id="end" />
    <endEvent id="declined" />
    <sequenceFlow id="e1" sourceRef="start" targetRef="review" />
    <sequenceFlow id="e2" sourceRef="review" targetRef="accepted" />
    <sequenceFlow id="e3" sourceRef="accepted" targetRef="split">
      <conditionExpression xsi:type="tFormalExpression">\${environment.variables.accepted}</conditionExpression>
    </sequenceFlow>
    <sequenceFlow id="toDeclined" sourceRef="accepted" targetRef="declined" />
    <sequenceFlow id="e5" sourceRef="split" targetRef="police" />
    <sequenceFlow id="e6" sourceRef="split" targetRef="housing" />
    <sequenceFlow id="e7" sourceRef="police" targetRef="join" />
    <sequenceFlow id="e8" sourceRef="housing" targetRef="join" />
    <sequenceFlow id="e9" sourceRef="join" targetRef="reply" />
    <sequenceFlow id="e10" sourceRef="reply" targetRef="approve" />
    <sequenceFlow id="e11" sourceRef="approve" targetRef="visit" />
    <sequenceFlow id="e12" sourceRef="visit" targetRef="end" />
  </process>
</definitions>`;

type SerializedContext = unknown;
/** Parsed once, like our cached validators: each case reuses the serialized BPMN context. */
async function bpmnContext(): Promise<SerializedContext> {
  const engine = new Engine({ name: 'parse' }) as unknown as {
    _serializeSource(source: string): Promise<SerializedContext>;
  };
  return engine._serializeSource(BPMN);
}

/** One case through bpmn-engine: execute, then signal each user task as it waits. */
async function bpmnCase(sourceContext: SerializedContext): Promise<number> {
  const listener = new EventEmitter();
  const waiting: string[] = [];
  listener.on('activity.wait', (api: { id: string }) => {
    waiting.push(api.id);
  });
  const engine = new Engine({ name: 'case', sourceContext: sourceContext as never });
  const ended = new Promise<void>((resolve, reject) => {
    engine.once('end', () => resolve());
    engine.once('error', reject);
  });
  const execution = await engine.execute({ listener, variables: { accepted: true } });
  let transitions = 1;
  for (const step of SCRIPT) {
    const at = waiting.indexOf(step.node);
    if (at < 0) throw new Error(`bpmn-engine: ${step.node} is not waiting (waiting: ${waiting})`);
    waiting.splice(at, 1);
    execution.signal({ id: step.node, ...step.data });
    transitions++;
  }
  await ended;
  return transitions;
}

async function measure(name: string, runCase: () => number | Promise<number>) {
  // Warm up (JIT, caches) before measuring.
  const warmUntil = performance.now() + 500;
  while (performance.now() < warmUntil) await runCase();
  const rates: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    let transitions = 0;
    const start = performance.now();
    let elapsed = 0;
    while (elapsed < ROUND_MS) {
      transitions += await runCase();
      elapsed = performance.now() - start;
    }
    rates.push((transitions * 1000) / elapsed);
  }
  const sorted = [...rates].sort((a, b) => a - b);
  const median = sorted[Math.floor(sorted.length / 2)] as number;
  console.log(`${name}: median ${Math.round(median).toLocaleString('en')} transitions/s`);
  return {
    name,
    medianPerSecond: median,
    roundsPerSecond: rates,
    min: sorted[0],
    max: sorted.at(-1),
  };
}

async function main() {
  const context = await bpmnContext();
  const lianxin = await measure('@lianxin/engine', lianxinCase);
  // BENCH_ONLY=lianxin skips the peer, for profiling our engine alone.
  if (process.env.BENCH_ONLY === 'lianxin') return;
  const bpmn = await measure('bpmn-engine', () => bpmnCase(context));
  const ratio = lianxin.medianPerSecond / bpmn.medianPerSecond;
  const cpu = cpus()[0]?.model ?? 'unknown';
  const result = {
    date: new Date().toISOString(),
    node: process.version,
    cpu,
    cores: cpus().length,
    rounds: ROUNDS,
    roundMs: ROUND_MS,
    flow: '10 nodes: start, review, decision, parallel split, 2 tasks, join, reply, approve, return visit, end; 7 commands per case',
    lianxin,
    bpmnEngine: bpmn,
    ratio,
    targets: {
      lianxinAtLeastPerSecond: 100_000,
      ratioAtLeast: 100,
      lianxinMet: lianxin.medianPerSecond >= 100_000,
      ratioMet: ratio >= 100,
    },
  };
  const fmt = (n: number) => Math.round(n).toLocaleString('en');
  const markdown = [
    `# Engine benchmark (${result.date.slice(0, 10)})`,
    '',
    `Node ${result.node}, ${cpu}, ${result.cores} cores (one process, one core used); ${ROUNDS} rounds of ${ROUND_MS} ms after a 500 ms warm-up; medians.`,
    '',
    `Process: ${result.flow}. Lianxin validates every form with ajv (compiled once, cached); bpmn-engine parses the BPMN once and reuses the serialized context, and its user tasks are signalled without validation.`,
    '',
    '| engine | transitions/s (median) | min | max |',
    '| --- | ---: | ---: | ---: |',
    `| @lianxin/engine | ${fmt(lianxin.medianPerSecond)} | ${fmt(lianxin.min ?? 0)} | ${fmt(lianxin.max ?? 0)} |`,
    `| bpmn-engine 25.0.1 | ${fmt(bpmn.medianPerSecond)} | ${fmt(bpmn.min ?? 0)} | ${fmt(bpmn.max ?? 0)} |`,
    '',
    `Ratio: **${ratio.toFixed(1)}x** (target ≥ 100x: ${result.targets.ratioMet ? 'met' : 'missed'}); Lianxin target ≥ 100,000/s: ${result.targets.lianxinMet ? 'met' : 'missed'}.`,
    '',
  ].join('\n');
  const dir = join(import.meta.dirname, 'results');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'latest.json'), `${JSON.stringify(result, null, 2)}\n`);
  writeFileSync(join(dir, 'latest.md'), markdown);
  console.log(markdown);
}

await main();
