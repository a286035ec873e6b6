import { existsSync, readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import {
  type CaseState,
  ClockInputError,
  parseScript,
  runScript,
  ScriptError,
  type SimulatedCase,
  SimulatedClock,
  Simulator,
} from '@lianxin/engine';
import { type Bilingual, type CheckedFlow, FormDefinition, parseFlow } from '@lianxin/spec';
import { isTemplateFolder, loadJson, readTemplateFolder } from '../files';
import type { CommandContext } from './main';
import { fail, parseCommandArgs } from './output';

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

/** A case as the store keeps it, for people and tools: what is open, when it is due, what was missed. */
function summary(simulator: Simulator, row: SimulatedCase) {
  const state: CaseState = row.state;
  return {
    caseId: state.caseId,
    flow: state.flow,
    version: state.version,
    status: state.status,
    outcome: state.outcome ?? null,
    urgency: state.urgency,
    jurisdiction: state.jurisdiction,
    late: row.late,
    overdue: row.overdue,
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
    tasks: simulator.tasks(row.id).map((t) => ({
      id: t.id,
      node: t.node,
      status: t.status,
      assignee: t.assignee,
      openedAt: t.openedAt,
      due: t.due,
      dueState: t.dueState,
      closedAt: t.closedAt,
      closeReason: t.closeReason,
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

/** The child cases, each with the case and subflow node that started it. */
function childCases(simulator: Simulator, rootId: string | undefined) {
  const startedBy = new Map<string, { parentCaseId: string; node: string }>();
  for (const parent of simulator.cases()) {
    for (const e of parent.events) {
      if (e.type !== 'child.started') continue;
      const child = simulator.childCase(parent.id, e.child.node);
      if (child) startedBy.set(child.id, { parentCaseId: parent.id, node: e.child.node });
    }
  }
  return simulator
    .cases()
    .filter((c) => c.id !== rootId)
    .map((c) => ({
      parentCaseId: startedBy.get(c.id)?.parentCaseId ?? c.parentCaseId,
      node: startedBy.get(c.id)?.node ?? null,
      state: summary(simulator, c),
      events: c.events,
    }));
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

/**
 * The flows a subflow node may call: the template folders (or flow files)
 * beside the one simulated, found by their key (and version, if the node
 * names one), as the store finds the published flow.
 */
function subflowResolver(flowPath: string) {
  const dir = isTemplateFolder(flowPath) ? dirname(flowPath) : dirname(resolve(flowPath));
  const loaded = new Map<string, CheckedFlow | undefined>();
  const candidates = () =>
    readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
      const path = join(dir, e.name);
      if (e.isDirectory() && isTemplateFolder(path)) return [path];
      return e.isFile() && e.name.endsWith('.json') ? [path] : [];
    });
  return (ref: { key: string; version?: number }): CheckedFlow | undefined => {
    const id = `${ref.key}@${ref.version ?? 'latest'}`;
    if (loaded.has(id)) return loaded.get(id);
    let found: CheckedFlow | undefined;
    for (const path of existsSync(dir) ? candidates() : []) {
      const raw = isTemplateFolder(path) ? loadJson(join(path, 'flow.json')) : loadJson(path);
      if (!raw.ok || !isObject(raw.value) || raw.value.key !== ref.key) continue;
      if (ref.version !== undefined && raw.value.version !== ref.version) continue;
      const parsed = parseFlow(withForms(loadFlow(path)));
      const flow = parsed.ok ? parsed.flow : undefined;
      if (flow && (!found || flow.version > found.version)) found = flow;
    }
    loaded.set(id, found);
    return found;
  };
}

/** The flow checked and its defaults filled, as the server publishes it; a flow with errors is refused. */
function checkedFlow(source: { raw: unknown; forms: FormDefinition[] }) {
  const parsed = parseFlow(withForms(source));
  return parsed.ok
    ? { flow: parsed.flow, errors: [] }
    : { flow: undefined, errors: parsed.problems.filter((p) => p.severity === 'error') };
}

/** The flow with the forms kept beside it joined to its own. */
function withForms({ raw, forms }: { raw: unknown; forms: FormDefinition[] }): unknown {
  const flowForms = isObject(raw) && Array.isArray(raw.forms) ? raw.forms : [];
  return forms.length ? { ...(raw as object), forms: [...flowForms, ...forms] } : raw;
}

function simulate(flowPath: string, scriptPath: string): number {
  const checked = checkedFlow(loadFlow(flowPath));
  const rawScript = readJson(scriptPath);
  if (!checked.flow) {
    const { errors } = checked;
    console.error(
      `流程有 ${errors.length} 处错误，不能模拟：\nthe flow has ${errors.length} error(s); not simulating:`,
    );
    for (const p of errors)
      console.error(`  ${p.pointer || '/'}  ${p.message['zh-CN']} | ${p.message.en}`);
    return 1;
  }
  const def = checked.flow;
  let script: ReturnType<typeof parseScript>;
  try {
    script = parseScript(rawScript);
  } catch (error) {
    if (error instanceof ScriptError) throw new InputError(error.problem);
    throw error;
  }

  const resolveSubflow = subflowResolver(flowPath);
  const simulator = new Simulator({
    clock: new SimulatedClock(script.startMs),
    resolveSubflow: (ref) => resolveSubflow(ref),
  });
  let run: ReturnType<typeof runScript>;
  try {
    run = runScript(simulator, def, script);
  } catch (error) {
    if (error instanceof ClockInputError) throw new InputError(error.problem);
    throw error;
  }
  const rootId = run.caseId;
  const root = rootId ? simulator.case(rootId) : undefined;
  const output = {
    state: root ? summary(simulator, root) : null,
    events: root?.events ?? [],
    cases: childCases(simulator, rootId),
  };
  if (run.ok) {
    console.log(JSON.stringify({ ok: true, ...output }, null, 2));
    return 0;
  }
  const { step, rejection, timerId } = run.refusal;
  const where =
    step === 'start' ? { zh: '登记', en: 'start' } : { zh: `第 ${step} 步`, en: `step ${step}` };
  const what = { zh: '', en: '' };
  if (timerId) {
    what.zh += `（到期计时器 ${timerId}）`;
    what.en += ` (timer ${timerId} falling due)`;
  }
  if (rejection.subflow) {
    what.zh += `（子流程节点 ${rejection.subflow.node} 启动 ${rejection.subflow.flow} 子案件时）`;
    what.en += ` (starting the ${rejection.subflow.flow} child case of subflow node ${rejection.subflow.node})`;
  }
  console.error(
    `${where.zh}${what.zh}被拒绝：${rejection.message['zh-CN']}\n${where.en}${what.en} rejected: ${rejection.message.en}`,
  );
  for (const e of rejection.errors ?? []) {
    console.error(`  ${e.pointer || '/'}  ${e.message['zh-CN']} | ${e.message.en}`);
  }
  console.log(
    JSON.stringify(
      { ok: false, rejection: { step, ...(timerId ? { timerId } : {}), ...rejection }, ...output },
      null,
      2,
    ),
  );
  return 1;
}
