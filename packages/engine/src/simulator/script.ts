import type { Bilingual } from '@lianxin/spec';
import type { Actor, CaseState, Command, CommandOf } from '../types';
import type { Simulator, SimulatorDefinition, SimulatorRejection } from './world';

/** A script that cannot be read; the message is bilingual (see docs/simulate.md). */
export class ScriptError extends Error {
  constructor(readonly problem: Bilingual) {
    super(problem.en);
    this.name = 'ScriptError';
  }
}

/** Short step names and the engine command each stands for. */
export const SCRIPT_ALIASES: Record<string, Command['type']> = {
  complete: 'task.complete',
  claim: 'task.claim',
  release: 'task.release',
  reassign: 'task.reassign',
  delegate: 'task.delegate',
  return: 'task.return',
  refuse: 'task.refuse',
  comment: 'case.comment',
  attach: 'case.attach',
  setLeader: 'case.setLeader',
  setUrgency: 'case.setUrgency',
  withdraw: 'case.withdraw',
  cancel: 'case.cancel',
  pause: 'clock.pause',
  resume: 'clock.resume',
  requestExtension: 'deadline.requestExtension',
  approveExtension: 'deadline.approveExtension',
  refuseExtension: 'deadline.refuseExtension',
  requestTaskExtension: 'task.requestExtension',
  childComplete: 'child.complete',
};
const COMMAND_TYPES = new Set<string>(Object.values(SCRIPT_ALIASES));
/** Keys a step may carry beside its one command. */
const STEP_KEYS = new Set(['at', 'actor', 'expectedVersion', 'case']);

/** One step of a script, read: when it happens, on which case, and its command. */
export interface ScriptStep {
  index: number;
  /** The clock moves here first (timers due by then fire on the way). */
  atMs?: number;
  /** A step that only moves the clock. */
  advanceToMs?: number;
  /**
   * Which case the command is for: empty for the case the script started,
   * else the subflow nodes leading to a child case (`"case": "child:confirm"`,
   * or `"child:petition/child:confirm"` for a grandchild).
   */
  case: string[];
  /** The command, once the addressed case's state is known (it names open tasks by node). */
  command?: (state: CaseState) => Command;
}

export interface Script {
  startMs: number;
  start: CommandOf<'case.start'>;
  steps: ScriptStep[];
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  v !== null && typeof v === 'object' && !Array.isArray(v);

function instant(value: unknown, where: string): number {
  const ms = typeof value === 'string' ? Date.parse(value) : Number.NaN;
  if (Number.isNaN(ms)) {
    throw new ScriptError({
      'zh-CN': `脚本 ${where} 的时间 “${String(value)}” 不是 ISO 8601 时间`,
      en: `script ${where}: "${String(value)}" is not an ISO 8601 time`,
    });
  }
  return ms;
}

function actorOf(value: unknown, where: string): Actor | undefined {
  if (value === undefined) return undefined;
  if (!isObject(value) || typeof value.id !== 'string' || !Array.isArray(value.roles)) {
    throw new ScriptError({
      'zh-CN': `脚本 ${where} 的 actor 需要 id 和 roles`,
      en: `script ${where}: actor needs an id and roles`,
    });
  }
  return value as unknown as Actor;
}

function casePath(value: unknown, where: string): string[] {
  if (value === undefined || value === 'root') return [];
  const parts = typeof value === 'string' ? value.split('/') : [];
  const nodes = parts.map((p) => /^child:(.+)$/.exec(p)?.[1]);
  if (!parts.length || nodes.some((n) => !n)) {
    throw new ScriptError({
      'zh-CN': `脚本 ${where} 的 case 应为 "child:<子流程节点>"（可用 / 连接多层），得到 ${JSON.stringify(value)}`,
      en: `script ${where}: case must be "child:<subflow node>" (joined with / for deeper levels); got ${JSON.stringify(value)}`,
    });
  }
  return nodes as string[];
}

/**
 * Reads a scenario script (`{ start, steps }`, docs/simulate.md) into
 * commands, or throws a `ScriptError`. The same reading drives the
 * simulator and, in the differential test, the real store.
 */
export function parseScript(raw: unknown): Script {
  if (!isObject(raw) || !isObject(raw.start) || !Array.isArray(raw.steps ?? [])) {
    throw new ScriptError({
      'zh-CN': '脚本需要 { "start": {…}, "steps": […] }',
      en: 'a script needs { "start": {…}, "steps": […] }',
    });
  }
  const start = raw.start;
  const command: CommandOf<'case.start'> = {
    type: 'case.start',
    channel: start.channel as CommandOf<'case.start'>['channel'],
    ...(isObject(start.data) ? { data: start.data } : {}),
    ...(typeof start.jurisdiction === 'string' ? { jurisdiction: start.jurisdiction } : {}),
    ...(typeof start.urgency === 'string' ? { urgency: start.urgency as 'red' } : {}),
    ...(typeof start.petitioner === 'string' ? { petitioner: start.petitioner } : {}),
    ...(typeof start.repeat === 'boolean' ? { repeat: start.repeat } : {}),
  };
  const actor = actorOf(start.actor, 'start');
  if (actor) command.actor = actor;
  const steps = ((raw.steps ?? []) as unknown[]).map((step, index) => readStep(step, index));
  return { startMs: instant(start.at, 'start'), start: command, steps };
}

function readStep(raw: unknown, index: number): ScriptStep {
  if (!isObject(raw)) {
    throw new ScriptError({
      'zh-CN': `脚本第 ${index} 步不是对象`,
      en: `script step ${index} is not an object`,
    });
  }
  const where = `steps[${index}]`;
  const step: ScriptStep = { index, case: casePath(raw.case, where) };
  if (raw.at !== undefined) step.atMs = instant(raw.at, `${where}.at`);
  if (raw.advanceTo !== undefined) {
    step.advanceToMs = instant(raw.advanceTo, `${where}.advanceTo`);
    return step;
  }
  const keys = Object.keys(raw).filter((k) => !STEP_KEYS.has(k));
  const key = keys.find((k) => k in SCRIPT_ALIASES || COMMAND_TYPES.has(k));
  if (!key || keys.length !== 1) {
    throw new ScriptError({
      'zh-CN': `脚本第 ${index} 步需要恰好一个命令（如 complete、advanceTo、claim、return、${[...COMMAND_TYPES][0]}），得到：${keys.join(', ') || '无'}`,
      en: `script step ${index} needs exactly one command (complete, advanceTo, claim, return, ${[...COMMAND_TYPES][0]}, …); got: ${keys.join(', ') || 'none'}`,
    });
  }
  const type = SCRIPT_ALIASES[key] ?? (key as Command['type']);
  const body = raw[key];
  if (!isObject(body)) {
    throw new ScriptError({
      'zh-CN': `脚本第 ${index} 步的 ${key} 需要一个对象`,
      en: `script step ${index}: ${key} needs an object`,
    });
  }
  const actor = actorOf(raw.actor, where);
  const expectedVersion = typeof raw.expectedVersion === 'number' ? raw.expectedVersion : undefined;
  step.command = (state) => {
    const command = commandFor(type, body, state);
    if (actor) command.actor = actor;
    if (expectedVersion !== undefined) command.expectedVersion = expectedVersion;
    return command;
  };
  return step;
}

/** The command, with `node` (+ `item`) resolved to the open task, child or extension request. */
function commandFor(type: Command['type'], body: Record<string, unknown>, state: CaseState) {
  const { node, item, ...payload } = body;
  const command: Record<string, unknown> = { ...payload, type };
  if (typeof node === 'string' && type.startsWith('task.')) {
    const tasks = state.tasks.filter(
      (t) => t.node === node && (item === undefined || t.item?.index === item),
    );
    // An unknown node leaves taskId unresolved; the engine rejects it as task.notFound.
    command.taskId = tasks[0]?.id ?? `${node}${item === undefined ? '' : `#${String(item)}`}`;
  }
  if (typeof node === 'string' && type === 'child.complete' && command.childId === undefined) {
    command.childId = state.children.find((c) => c.node === node)?.id ?? node;
  }
  if (
    (type === 'deadline.approveExtension' || type === 'deadline.refuseExtension') &&
    command.requestId === undefined
  ) {
    // The earliest pending request; not the first key, whose order a database may change.
    const pending = Object.values(state.extensionRequests).sort(
      (a, b) => a.requestedAt.localeCompare(b.requestedAt) || a.id.localeCompare(b.id),
    );
    command.requestId = pending[0]?.id ?? '';
  }
  return command as unknown as Command;
}

/** Where a script run stopped: the step (or `start`) and why. */
export interface ScriptRefusal {
  step: number | 'start';
  rejection: SimulatorRejection;
  /** The timer whose firing was refused, when time passing was refused. */
  timerId?: string;
}

export type ScriptRun =
  | { ok: true; caseId: string }
  | { ok: false; caseId?: string; refusal: ScriptRefusal };

/**
 * Runs a script on the simulator: the clock moves to each step's time
 * (firing what falls due), then the step's command goes to the case it
 * addresses. Stops at the first refusal.
 */
export function runScript(
  simulator: Simulator,
  definition: SimulatorDefinition,
  script: Script,
): ScriptRun {
  const moved = simulator.advance(new Date(script.startMs));
  if (!moved.ok) {
    return { ok: false, refusal: { step: 'start', ...moved } };
  }
  const started = simulator.start(definition, script.start);
  if (!started.ok) return { ok: false, refusal: { step: 'start', rejection: started.rejection } };
  const caseId = started.caseId;
  for (const step of script.steps) {
    const to = step.advanceToMs ?? step.atMs;
    if (to !== undefined) {
      const passed = simulator.advance(new Date(to));
      if (!passed.ok) return { ok: false, caseId, refusal: { step: step.index, ...passed } };
    }
    if (!step.command) continue;
    const target = scriptCase(simulator, caseId, step);
    if (!target.ok)
      return { ok: false, caseId, refusal: { step: step.index, rejection: target.rejection } };
    const result = simulator.act(target.caseId, step.command(target.state));
    if (!result.ok)
      return { ok: false, caseId, refusal: { step: step.index, rejection: result.rejection } };
  }
  return { ok: true, caseId };
}

/** The case a step addresses, walking its `child:` path from the script's case. */
function scriptCase(
  simulator: Simulator,
  rootId: string,
  step: ScriptStep,
): { ok: true; caseId: string; state: CaseState } | { ok: false; rejection: SimulatorRejection } {
  let current = simulator.case(rootId);
  for (const node of step.case) {
    const child = current && simulator.childCase(current.id, node);
    if (!child) {
      return {
        ok: false,
        rejection: {
          code: 'case.notFound',
          message: {
            'zh-CN': `第 ${step.index} 步：子流程节点 ${node} 没有启动过子案件`,
            en: `step ${step.index}: subflow node ${node} has not started a child case`,
          },
          details: { case: step.case.map((n) => `child:${n}`).join('/') },
        },
      };
    }
    current = child;
  }
  if (!current) throw new Error(`case ${rootId} vanished`);
  return { ok: true, caseId: current.id, state: current.state };
}
