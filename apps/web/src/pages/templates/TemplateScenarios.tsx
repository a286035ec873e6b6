import { CheckCircleFilled, CloseCircleFilled, PlayCircleOutlined } from '@ant-design/icons';
import {
  ClockInputError,
  parseScript,
  runScript,
  ScriptError,
  SimulatedClock,
  Simulator,
} from '@lianxin/engine';
import { type Bilingual, type CheckedFlow, type Lang, parseFlow } from '@lianxin/spec';
import { Button, List, Typography } from 'antd';
import { useState } from 'react';
import { tr, useLang } from '../../i18n';
import { errorText, pick, type TemplatesApi } from './api';

type TemplateRow = Awaited<ReturnType<TemplatesApi['get']['query']>>;
type Json = Record<string, unknown>;
type Scenario = { name: string; script: unknown };

const isObject = (v: unknown): v is Json =>
  v !== null && typeof v === 'object' && !Array.isArray(v);
const listOf = (v: unknown): Json[] => (Array.isArray(v) ? v.filter(isObject) : []);
const STATUS: Record<string, [string, string]> = {
  active: ['办理中', 'in progress'],
  closed: ['已办结', 'closed'],
  cancelled: ['已撤销', 'cancelled'],
};
const OUTCOME: Record<string, [string, string]> = {
  resolved: ['化解', 'resolved'],
  declined: ['不予受理', 'declined'],
  transferred: ['转送', 'transferred'],
  withdrawn: ['撤回', 'withdrawn'],
};

/** A stored template version as the server checks it: its forms folded into the flow. */
function checkedOf(row: { flow: unknown; forms: unknown }): CheckedFlow | undefined {
  const flow = isObject(row.flow) ? row.flow : {};
  const inline = listOf(flow.forms);
  const extra = listOf(row.forms).filter((f) => !inline.some((i) => i.id === f.id));
  const parsed = parseFlow({ ...flow, forms: [...inline, ...extra] });
  return parsed.ok ? parsed.flow : undefined;
}

/** Keys of the templates this flow's subflow nodes call. */
const subflowKeys = (flow: Json): string[] =>
  listOf(flow.nodes).flatMap((n) =>
    n.kind === 'subflow' && isObject(n.flow) && typeof n.flow.key === 'string' ? [n.flow.key] : [],
  );

export interface ScenarioResult {
  ok: boolean;
  /** What happened, in words: the case's end state, or where and why it was refused. */
  text: Bilingual;
  /** Whether the end state is the one the scenario expects (status, outcome, steps passed). */
  asExpected: boolean | null;
}

/**
 * Runs one scenario script of a template version on the engine's simulator,
 * in the browser, as `lianxin simulate` does on the command line; `subflows`
 * are the checked flows its subflow nodes call, by key.
 */
export function runTemplateScenario(
  flow: CheckedFlow,
  scenario: Scenario,
  subflows: Map<string, CheckedFlow>,
): ScenarioResult {
  const words = (zh: string, en: string): Bilingual => ({ 'zh-CN': zh, en });
  let script: ReturnType<typeof parseScript>;
  try {
    script = parseScript(scenario.script);
  } catch (e) {
    if (e instanceof ScriptError) return { ok: false, text: e.problem, asExpected: null };
    throw e;
  }
  const simulator = new Simulator({
    clock: new SimulatedClock(script.startMs),
    resolveSubflow: (ref) => subflows.get(ref.key),
  });
  let run: ReturnType<typeof runScript>;
  try {
    run = runScript(simulator, flow, script);
  } catch (e) {
    if (e instanceof ClockInputError) return { ok: false, text: e.problem, asExpected: null };
    throw e;
  }
  if (!run.ok) {
    const { step, rejection } = run.refusal;
    // Steps count from 1 for people (the script's own index starts at 0).
    const where =
      step === 'start' ? words('登记', 'start') : words(`第 ${step + 1} 步`, `step ${step + 1}`);
    return {
      ok: false,
      text: words(
        `${where['zh-CN']}被拒绝：${rejection.message['zh-CN']}`,
        `${where.en} refused: ${rejection.message.en}`,
      ),
      asExpected: false,
    };
  }
  const row = simulator.case(run.caseId);
  const state = row?.state;
  const status = STATUS[state?.status ?? ''] ?? [state?.status ?? '', state?.status ?? ''];
  const outcome = state?.outcome ? OUTCOME[state.outcome] : undefined;
  // The steps the case passed, as `lianxin simulate`'s tests read them.
  const path = (row?.events ?? []).flatMap((e) =>
    e.type === 'token.moved' && 'node' in e ? [String(e.node)] : [],
  );
  const expect = isObject((scenario.script as Json | undefined)?.expect)
    ? ((scenario.script as Json).expect as Json)
    : undefined;
  const asExpected = expect
    ? (expect.status === undefined || expect.status === state?.status) &&
      (expect.outcome === undefined || expect.outcome === state?.outcome) &&
      (!Array.isArray(expect.path) || expect.path.join('>') === path.join('>'))
    : null;
  const tasks = (state?.tasks ?? []).map((t) => t.name);
  return {
    ok: true,
    text: words(
      `${status[0]}${outcome ? `（${outcome[0]}）` : ''}${
        tasks.length ? `，待办：${tasks.map((t) => pick(t as never, 'zh-CN')).join('、')}` : ''
      }`,
      `${status[1]}${outcome ? ` (${outcome[1]})` : ''}${
        tasks.length ? `; open: ${tasks.map((t) => pick(t as never, 'en')).join(', ')}` : ''
      }`,
    ),
    asExpected,
  };
}

/** 测试场景: a template version's scenarios, each described and runnable in the browser before adopting. */
export function TemplateScenarios({ api, tpl }: { api: TemplatesApi; tpl: TemplateRow }) {
  const { lang } = useLang();
  const scenarios = ((tpl as { scenarios?: Scenario[] }).scenarios ?? []) as Scenario[];
  const [results, setResults] = useState<Record<string, ScenarioResult | 'running'>>({});
  const run = async (s: Scenario) => {
    setResults((r) => ({ ...r, [s.name]: 'running' }));
    let result: ScenarioResult;
    try {
      const flow = checkedOf(tpl);
      if (!flow)
        throw new Error(tr(lang, '模板流程未通过检查', 'The template flow fails the checker'));
      result = runTemplateScenario(flow, s, await subflowsOf(api, tpl.flow as Json));
    } catch (e) {
      result = {
        ok: false,
        text: { 'zh-CN': errorText(e, 'zh-CN'), en: errorText(e, 'en') },
        asExpected: null,
      };
    }
    setResults((r) => ({ ...r, [s.name]: result }));
  };
  return (
    <div data-testid="template-scenarios" style={{ marginTop: 10 }}>
      <Typography.Text strong>
        {tr(lang, `测试场景 ${scenarios.length} 个`, `${scenarios.length} test scenario(s)`)}
      </Typography.Text>
      <List
        size="small"
        dataSource={scenarios}
        locale={{
          emptyText: tr(lang, '此版本没有附带测试场景', 'This version carries no scenarios'),
        }}
        renderItem={(s) => {
          const r = results[s.name];
          const description = isObject(s.script) ? s.script.description : undefined;
          return (
            <List.Item
              data-testid={`scenario-${s.name}`}
              actions={[
                <Button
                  key="run"
                  size="small"
                  icon={<PlayCircleOutlined />}
                  loading={r === 'running'}
                  onClick={() => void run(s)}
                  data-testid={`scenario-run-${s.name}`}
                >
                  {tr(lang, '模拟运行', 'Run')}
                </Button>,
              ]}
            >
              <div>
                <div>
                  {pick(description as never, lang) || tr(lang, '（无说明）', '(no description)')}
                </div>
                {r && r !== 'running' && <ResultLine result={r} lang={lang} />}
              </div>
            </List.Item>
          );
        }}
      />
    </div>
  );
}

function ResultLine({ result, lang }: { result: ScenarioResult; lang: Lang }) {
  const good = result.ok && result.asExpected !== false;
  return (
    <Typography.Text
      type={good ? 'success' : 'danger'}
      data-testid="scenario-result"
      data-ok={String(good)}
    >
      {good ? <CheckCircleFilled /> : <CloseCircleFilled />}{' '}
      {result.asExpected === true
        ? tr(lang, '与预期一致：', 'as expected: ')
        : result.asExpected === false && result.ok
          ? tr(lang, '与预期不符：', 'not as expected: ')
          : ''}
      {pick(result.text, lang)}
    </Typography.Text>
  );
}

/** The latest published versions of the templates the flow calls as subflows (and those they call). */
async function subflowsOf(api: TemplatesApi, flow: Json): Promise<Map<string, CheckedFlow>> {
  const out = new Map<string, CheckedFlow>();
  const wanted = subflowKeys(flow);
  if (!wanted.length) return out;
  const list = await api.list.query();
  for (let depth = 0; wanted.length && depth < 8; depth++) {
    const key = wanted.shift() as string;
    if (out.has(key)) continue;
    const latest = list.find((t) => t.key === key)?.latestVersion;
    if (!latest) continue;
    const row = await api.get.query({ key, version: latest });
    const checked = checkedOf(row);
    if (!checked) continue;
    out.set(key, checked);
    wanted.push(...subflowKeys(row.flow as Json));
  }
  return out;
}
