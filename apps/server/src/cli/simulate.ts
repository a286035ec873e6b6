import { resolve } from 'node:path';
import {
  type Actor,
  type CaseState,
  type Command,
  type Event,
  initialState,
  transition,
} from '@lianxin/engine';
import { type Bilingual, checkFlow, FlowDefinition, FormDefinition } from '@lianxin/spec';
import { isTemplateFolder, loadJson, readTemplateFolder } from '../files';
import type { CommandContext } from './main';
import { fail, parseCommandArgs } from './output';

/** A script step: when, who, and one command (see docs/simulate.md). */
type ScriptStep = Record<string, unknown> & { at?: string; actor?: Actor };

class InputError {
  constructor(readonly message: Bilingual) {}
}

/** Reads a JSON file, or stops with its located problem. */
function readJson(path: string): unknown {
  const loaded = loadJson(path);
  if (loaded.ok) return loaded.value;
  const { message } = loaded.problem;
  throw new InputError({ 'zh-CN': `${path}：${message['zh-CN']}`, en: `${path}: ${message.en}` });
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  v !== null && typeof v === 'object' && !Array.isArray(v);

function instant(value: unknown, where: string): number {
  const ms = typeof value === 'string' ? Date.parse(value) : Number.NaN;
  if (Number.isNaN(ms)) {
    throw new InputError({
      'zh-CN': `脚本 ${where} 的时间 “${String(value)}” 不是 ISO 8601 时间`,
      en: `script ${where}: "${String(value)}" is not an ISO 8601 time`,
    });
  }
  return ms;
}

function actorOf(value: unknown, where: string): Actor | undefined {
  if (value === undefined) return undefined;
  if (!isObject(value) || typeof value.id !== 'string' || !Array.isArray(value.roles)) {
    throw new InputError({
      'zh-CN': `脚本 ${where} 的 actor 需要 id 和 roles`,
      en: `script ${where}: actor needs an id and roles`,
    });
  }
  return value as unknown as Actor;
}

/** Short step names and the engine command each stands for. */
const ALIASES: Record<string, Command['type']> = {
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
  childComplete: 'child.complete',
};
const COMMAND_TYPES = new Set<string>(Object.values(ALIASES));

/** Summary of the state for people and tools: what is open, when it is due. */
function summary(state: CaseState) {
  return {
    caseId: state.caseId,
    flow: state.flow,
    version: state.version,
    status: state.status,
    outcome: state.outcome ?? null,
    urgency: state.urgency,
    jurisdiction: state.jurisdiction,
    activeNodes: [...new Set(state.tokens.map((t) => t.node))].sort(),
    openTasks: state.tasks.map((t) => ({
      id: t.id,
      node: t.node,
      name: t.name,
      candidates: t.candidates,
      assignee: t.assignee ?? null,
      due: t.due ?? null,
      warnAt: t.warnAt ?? null,
      dueState: t.dueState,
      ...(t.item ? { item: t.item } : {}),
    })),
    timers: state.timers,
    children: state.children,
    clocks: state.clocks,
    firstHandler: state.firstHandler ?? null,
    leaderOwner: state.leaderOwner ?? null,
    data: state.data,
    flags: state.flags,
  };
}

export async function run(ctx: CommandContext): Promise<number> {
  const parsed = parseCommandArgs(ctx, { script: { type: 'string' } });
  if (!parsed) return 2;
  const [flowArg] = parsed.positionals;
  const scriptArg = parsed.values.script;
  if (!flowArg || typeof scriptArg !== 'string') {
    fail(
      ctx.lang,
      '用法：lianxin simulate <流程.json> --script <脚本.json>',
      'usage: lianxin simulate <flow.json> --script <script.json>',
    );
    return 2;
  }
  try {
    return simulate(resolve(ctx.cwd, flowArg), resolve(ctx.cwd, scriptArg));
  } catch (error) {
    if (error instanceof InputError) {
      console.error(`${error.message['zh-CN']}\n${error.message.en}`);
      return 2;
    }
    throw error;
  }
}

/**
 * A flow file, or a template folder: its `flow.json` plus the forms kept in
 * `forms/*.json`, which join the flow's own forms.
 */
function loadFlow(path: string): { raw: unknown; forms: FormDefinition[] } {
  if (!isTemplateFolder(path)) return { raw: readJson(path), forms: [] };
  const folder = readTemplateFolder(path);
  const raw = readJson(folder.flow.file);
  const forms = folder.forms.map(({ file }) => {
    const parsed = FormDefinition.safeParse(readJson(file));
    if (!parsed.success) {
      throw new InputError({
        'zh-CN': `表单文件 ${file} 格式不对（先运行 lianxin validate）`,
        en: `form file ${file} is not a valid form (run lianxin validate first)`,
      });
    }
    return parsed.data;
  });
  return { raw, forms };
}

function simulate(flowPath: string, scriptPath: string): number {
  const { raw, forms } = loadFlow(flowPath);
  const script = readJson(scriptPath);

  const errors = checkFlow(raw, { forms }).filter((p) => p.severity === 'error');
  if (errors.length) {
    console.error(
      `流程有 ${errors.length} 处错误，不能模拟：\nthe flow has ${errors.length} error(s); not simulating:`,
    );
    for (const p of errors)
      console.error(`  ${p.pointer || '/'}  ${p.message['zh-CN']} | ${p.message.en}`);
    return 1;
  }
  const flowForms = isObject(raw) && Array.isArray(raw.forms) ? raw.forms : [];
  const def = FlowDefinition.parse(
    forms.length ? { ...(raw as object), forms: [...flowForms, ...forms] } : raw,
  );

  if (!isObject(script) || !isObject(script.start) || !Array.isArray(script.steps ?? [])) {
    throw new InputError({
      'zh-CN': '脚本需要 { "start": {…}, "steps": […] }',
      en: 'a script needs { "start": {…}, "steps": […] }',
    });
  }
  const start = script.start;
  const steps = (script.steps ?? []) as unknown[];

  let now = instant(start.at, 'start');
  let counter = 0;
  const env = () => ({ now: new Date(now).toISOString(), newId: () => `id-${++counter}` });
  let state = initialState();
  const events: Event[] = [];

  const apply = (command: Command, index: number | 'start'): boolean => {
    const result = transition(def, state, command, env());
    if (result.ok) {
      state = result.state;
      events.push(...result.events);
      return true;
    }
    const where =
      index === 'start'
        ? { zh: '登记', en: 'start' }
        : { zh: `第 ${index} 步`, en: `step ${index}` };
    console.error(
      `${where.zh}被拒绝：${result.rejection.message['zh-CN']}\n${where.en} rejected: ${result.rejection.message.en}`,
    );
    for (const e of result.rejection.errors ?? []) {
      console.error(`  ${e.pointer || '/'}  ${e.message['zh-CN']} | ${e.message.en}`);
    }
    console.log(
      JSON.stringify(
        {
          ok: false,
          rejection: { step: index, ...result.rejection },
          state: summary(state),
          events,
        },
        null,
        2,
      ),
    );
    return false;
  };

  /** Fires every timer due by `until`, in due order, each at its own due time. */
  const fireTimersUntil = (until: number, index: number): boolean => {
    for (;;) {
      const next = state.timers
        .map((t) => ({ t, due: Date.parse(t.due) }))
        .filter((x) => x.due <= until)
        .sort((a, b) => a.due - b.due)[0];
      if (!next || state.status !== 'active') return true;
      now = Math.max(now, next.due);
      if (!apply({ type: 'timer.fire', timerId: next.t.id }, index)) return false;
    }
  };

  const startCommand: Command = {
    type: 'case.start',
    channel: start.channel as Extract<Command, { type: 'case.start' }>['channel'],
    ...(isObject(start.data) ? { data: start.data } : {}),
    ...(typeof start.jurisdiction === 'string' ? { jurisdiction: start.jurisdiction } : {}),
    ...(typeof start.urgency === 'string' ? { urgency: start.urgency as 'red' } : {}),
    ...(typeof start.petitioner === 'string' ? { petitioner: start.petitioner } : {}),
    ...(typeof start.repeat === 'boolean' ? { repeat: start.repeat } : {}),
  };
  const startActor = actorOf(start.actor, 'start');
  if (startActor) startCommand.actor = startActor;
  if (!apply(startCommand, 'start')) return 1;

  for (const [index, rawStep] of steps.entries()) {
    if (!isObject(rawStep)) {
      throw new InputError({
        'zh-CN': `脚本第 ${index} 步不是对象`,
        en: `script step ${index} is not an object`,
      });
    }
    const step = rawStep as ScriptStep;
    if (step.advanceTo !== undefined) {
      const until = instant(step.advanceTo, `steps[${index}].advanceTo`);
      if (!fireTimersUntil(until, index)) return 1;
      now = Math.max(now, until);
      continue;
    }
    if (step.at !== undefined) {
      const at = instant(step.at, `steps[${index}].at`);
      // Time passes: whatever fell due meanwhile happens first.
      if (!fireTimersUntil(at, index)) return 1;
      now = Math.max(now, at);
    }
    const command = commandOf(step, index, state);
    if (!apply(command, index)) return 1;
  }

  console.log(JSON.stringify({ ok: true, state: summary(state), events }, null, 2));
  return 0;
}

/** Turns a script step into an engine command, resolving `node` (+ `item`) to the open task. */
function commandOf(step: ScriptStep, index: number, state: CaseState): Command {
  const keys = Object.keys(step).filter(
    (k) => k !== 'at' && k !== 'actor' && k !== 'expectedVersion',
  );
  const key = keys.find((k) => k in ALIASES || COMMAND_TYPES.has(k));
  if (!key || keys.length !== 1) {
    throw new InputError({
      'zh-CN': `脚本第 ${index} 步需要恰好一个命令（如 complete、advanceTo、claim、return、${[...COMMAND_TYPES][0]}），得到：${keys.join(', ') || '无'}`,
      en: `script step ${index} needs exactly one command (complete, advanceTo, claim, return, ${[...COMMAND_TYPES][0]}, …); got: ${keys.join(', ') || 'none'}`,
    });
  }
  const type = ALIASES[key] ?? (key as Command['type']);
  const body = step[key];
  if (!isObject(body)) {
    throw new InputError({
      'zh-CN': `脚本第 ${index} 步的 ${key} 需要一个对象`,
      en: `script step ${index}: ${key} needs an object`,
    });
  }
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
    command.requestId = Object.keys(state.extensionRequests)[0] ?? '';
  }
  const actor = actorOf(step.actor, `steps[${index}]`);
  if (actor) command.actor = actor;
  if (typeof step.expectedVersion === 'number') command.expectedVersion = step.expectedVersion;
  return command as unknown as Command;
}
