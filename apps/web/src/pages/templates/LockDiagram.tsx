import { AimOutlined, ApartmentOutlined } from '@ant-design/icons';
import type { Lang } from '@lianxin/spec';
import { Col, Empty, Row, Typography } from 'antd';
import { type ReactNode, useMemo, useState } from 'react';
import { tr } from '../../i18n';
import { FlowDiagram } from '../workbench/FlowDiagram';
import { pick, type TemplatesApi } from './api';

type Draft = Awaited<ReturnType<TemplatesApi['publishDraft']['query']>>;
type Lockable = Draft['lockables'][number];
type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json =>
  v !== null && typeof v === 'object' && !Array.isArray(v);
const listOf = (v: unknown): Json[] => (Array.isArray(v) ? v.filter(isObject) : []);

/** Form ids a node or edge names under any `…form`/`…Form` key (task form, intake form, joint reply form). */
function formIdsIn(v: unknown, into: Set<string>, depth = 0): Set<string> {
  if (!isObject(v) || depth > 3) return into;
  for (const [k, x] of Object.entries(v)) {
    if (/form$/i.test(k) && typeof x === 'string') into.add(x);
    else if (isObject(x)) formIdsIn(x, into, depth + 1);
  }
  return into;
}

/**
 * For each lockable pointer (positions in the template flow, as `lockablesOf`
 * names them), the steps it belongs to: a step and its deadline; a clock's start
 * or stop at that step; a form (and its fields) the step or one of its buttons
 * fills. Clocks as a whole, their lengths, a start at registration and forms no
 * step fills belong to the flow and get no step.
 */
export function stepsOfLockables(flow: Json, lockables: Lockable[]): Map<string, string[]> {
  const nodes = listOf(flow.nodes);
  const clocks = listOf(flow.clocks);
  const forms = listOf(flow.forms);
  const formSteps = new Map<string, string[]>();
  const use = (formId: string, step: string) => {
    const at = formSteps.get(formId) ?? [];
    if (!at.includes(step)) formSteps.set(formId, [...at, step]);
  };
  for (const n of nodes)
    for (const f of formIdsIn(n, new Set())) if (typeof n.id === 'string') use(f, n.id);
  for (const e of listOf(flow.edges))
    for (const f of formIdsIn(e, new Set())) if (typeof e.from === 'string') use(f, e.from);
  const out = new Map<string, string[]>();
  for (const l of lockables) {
    const [list, index, part] = l.pointer.split('/').slice(1);
    const i = Number(index);
    let steps: string[] = [];
    if (list === 'nodes' && typeof nodes[i]?.id === 'string') steps = [nodes[i].id as string];
    else if (list === 'clocks' && (part === 'start' || part === 'stop')) {
      const at = clocks[i]?.[part];
      if (isObject(at) && at.on !== 'caseStart' && typeof at.node === 'string') steps = [at.node];
    } else if (list === 'forms' && typeof forms[i]?.id === 'string')
      steps = formSteps.get(forms[i].id as string) ?? [];
    out.set(l.pointer, steps);
  }
  return out;
}

/**
 * 在流程图上选择锁定: the template flow's diagram; clicking a step lists what
 * can be locked there (the step, its deadline, clocks starting or stopping
 * there, its forms and their fields) as the same rows as the grouped list, so
 * both show one choice. Steps with a lock carry a lock badge. Parts of the
 * whole flow (clocks, their lengths, forms no step fills) are listed beside.
 */
export function LockDiagram({
  flow,
  lockables,
  isLocked,
  row,
  lang,
}: {
  flow: Json;
  lockables: Lockable[];
  isLocked: (pointer: string) => boolean;
  /** One lockable's checkbox and reason; `scope` keeps its test ids apart from the list's. */
  row: (l: Lockable, scope: string) => ReactNode;
  lang: Lang;
}) {
  const [selected, setSelected] = useState<string>();
  const steps = useMemo(() => stepsOfLockables(flow, lockables), [flow, lockables]);
  const nodes = listOf(flow.nodes);
  const badges = useMemo(() => {
    const count = new Map<string, number>();
    for (const l of lockables)
      if (isLocked(l.pointer))
        for (const s of steps.get(l.pointer) ?? []) count.set(s, (count.get(s) ?? 0) + 1);
    return new Map(
      [...count].map(([id, n]) => [
        id,
        { text: String(n), title: tr(lang, `已锁定 ${n} 处`, `${n} part(s) locked`) },
      ]),
    );
  }, [lockables, steps, isLocked, lang]);
  const here = selected ? lockables.filter((l) => steps.get(l.pointer)?.includes(selected)) : [];
  const flowLevel = lockables.filter((l) => (steps.get(l.pointer) ?? []).length === 0);
  const step = nodes.find((n) => n.id === selected);
  const indent = (l: Lockable, scope: string) => (
    <div key={l.pointer} style={l.group === 'field' ? { paddingLeft: 24 } : undefined}>
      {row(l, scope)}
    </div>
  );
  return (
    <div data-testid="lock-diagram">
      <Typography.Text type="secondary">
        <AimOutlined />{' '}
        {tr(
          lang,
          '点击流程图中的步骤，勾选要锁定的部分并写明原因；带锁的步骤已有锁定。',
          'Click a step in the diagram, tick what to lock and say why; steps with a lock badge have locked parts.',
        )}
      </Typography.Text>
      <div
        style={{ border: '1px solid #f0f0f0', borderRadius: 6, margin: '6px 0 10px', padding: 4 }}
      >
        <FlowDiagram
          nodes={nodes as never}
          edges={listOf(flow.edges) as never}
          current={new Set()}
          visited={new Set()}
          lang={lang}
          onNodeClick={setSelected}
          selected={selected}
          badges={badges}
        />
      </div>
      <Row gutter={16}>
        <Col span={13}>
          <div className="lx-lock-step" data-testid="lock-step">
            {step ? (
              <>
                <Typography.Text strong data-testid="lock-step-name">
                  <ApartmentOutlined />{' '}
                  {tr(
                    lang,
                    `步骤“${pick(step.name as never, lang)}”可锁定的部分`,
                    `What can be locked at "${pick(step.name as never, lang)}"`,
                  )}
                </Typography.Text>
                <div
                  className="lx-lock-list"
                  style={{ marginTop: 6, maxHeight: 300, overflow: 'auto' }}
                >
                  {here.map((l) => indent(l, 'step'))}
                </div>
              </>
            ) : (
              <Empty
                image={Empty.PRESENTED_IMAGE_SIMPLE}
                description={tr(
                  lang,
                  '尚未选择步骤：点击上方流程图中的步骤',
                  'No step chosen: click a step in the diagram above',
                )}
              />
            )}
          </div>
        </Col>
        <Col span={11}>
          <Typography.Text strong>
            {tr(lang, '整个流程（法定时限、公用表单）', 'The whole flow (clocks, shared forms)')}
          </Typography.Text>
          <div
            className="lx-lock-list"
            style={{ marginTop: 6, maxHeight: 300, overflow: 'auto' }}
            data-testid="lock-flow-level"
          >
            {flowLevel.length ? (
              flowLevel.map((l) => indent(l, 'flow'))
            ) : (
              <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} />
            )}
          </div>
        </Col>
      </Row>
    </div>
  );
}
