import type { FlowDefinition } from '@lianxin/spec';
import { describe, expect, it } from 'vitest';
import type { DesignerBackend } from '../src/backend';
import { pressAction, simTasks, startSimulation } from '../src/simulation';
import { loadSubflows } from '../src/subflows';
import { smallFlow } from './fixtures';

/**
 * The small flow under `key`; with `calls`, a subflow node before its end
 * calls that flow and keeps its outcome in `childOutcome`.
 */
function flowCalling(key: string, calls?: string, roleOfTask = 'receptionist'): FlowDefinition {
  const flow = smallFlow();
  const roles = [
    ...flow.roles,
    { id: 'courtLiaison', name: { 'zh-CN': '法院联络员', en: 'Court liaison' } },
  ];
  const base = {
    ...flow,
    key,
    name: { 'zh-CN': `${key} 流程`, en: `${key} flow` },
    roles,
    nodes: flow.nodes.map((n) =>
      n.kind === 'task' ? { ...n, assignee: { role: roleOfTask } } : n,
    ),
  } as FlowDefinition;
  if (!calls) return base;
  return {
    ...base,
    dataSchema: {
      type: 'object',
      properties: { summary: { type: 'string' }, childOutcome: { type: 'string' } },
    },
    nodes: [
      ...base.nodes.filter((n) => n.id !== 'done'),
      {
        id: 'child',
        kind: 'subflow',
        name: { 'zh-CN': '子流程' },
        flow: { key: calls },
        input: { summary: { var: 'summary' } },
        outcomeVar: 'childOutcome',
      },
      ...base.nodes.filter((n) => n.id === 'done'),
    ],
    edges: base.edges
      .map((e) => (e.to === 'done' ? { ...e, to: 'child' } : e))
      .concat({ id: 'e-child-done', kind: 'next', from: 'child', to: 'done' }),
  } as FlowDefinition;
}

/** Published flows by jurisdiction and key, as the server would find them; records every request. */
function fakeBackend(published: Record<string, FlowDefinition | Error>) {
  const asked: string[] = [];
  const backend: Pick<DesignerBackend, 'publishedByKey'> = {
    publishedByKey: async (jurisdiction, ref) => {
      asked.push(`${jurisdiction}:${ref.key}`);
      const found = published[`${jurisdiction}:${ref.key}`];
      if (found instanceof Error) throw found;
      return found ? structuredClone(found) : undefined;
    },
  };
  return { backend, asked };
}

describe('the designer fetches the flows subflow nodes call before simulating', () => {
  it('runs the child case: its task appears, and finishing it moves the parent on', async () => {
    // given a parent in Taishan calling a confirmation flow published for Taishan's cases
    const parent = flowCalling('mediation', 'confirmation');
    const child = flowCalling('confirmation', undefined, 'courtLiaison');
    const { backend, asked } = fakeBackend({ '440781:confirmation': child });
    // when the designer loads the subflows and starts a simulated case
    const subflows = await loadSubflows(parent, backend);
    expect(asked).toEqual(['440781:confirmation']);
    expect(subflows.problems).toEqual([]);
    const started = startSimulation(parent, { channel: 'visit', resolveSubflow: subflows.resolve });
    if (!started.ok) throw new Error(started.rejection.message.en);
    const [own] = simTasks(started.session, 'receptionist');
    const handed = pressAction(started.session, own?.taskId ?? '', 'submit', 'receptionist', {
      summary: '工资纠纷调解成功',
    });
    if (!handed.ok) throw new Error(handed.rejection.message.en);
    // then the child case's task waits for the court liaison, carrying the parent's data
    expect(handed.session.state.status).toBe('active');
    const [childTask] = simTasks(handed.session, 'courtLiaison');
    expect(childTask).toMatchObject({ node: 'register', childFlow: 'confirmation' });
    expect(handed.session.cases.map((c) => c.state.data.summary)).toEqual([
      '工资纠纷调解成功',
      '工资纠纷调解成功',
    ]);
    // and when the court liaison finishes it, the parent gets the outcome and closes
    const done = pressAction(handed.session, childTask?.taskId ?? '', 'submit', 'courtLiaison', {});
    if (!done.ok) throw new Error(done.rejection.message.en);
    expect(done.session.state).toMatchObject({
      status: 'closed',
      outcome: 'resolved',
      data: { childOutcome: 'resolved' },
    });
  });

  it('fetches the subflows of subflows, each once, so a flow calling itself does not loop', async () => {
    // given mediation → confirmation → enforcement, and enforcement calling itself
    const { backend, asked } = fakeBackend({
      '440781:confirmation': flowCalling('confirmation', 'enforcement'),
      '440781:enforcement': flowCalling('enforcement', 'enforcement'),
    });
    // when the designer loads them
    const subflows = await loadSubflows(flowCalling('mediation', 'confirmation'), backend);
    // then each flow was asked for once, from the case's jurisdiction, and both resolve
    expect(asked).toEqual(['440781:confirmation', '440781:enforcement']);
    expect(subflows.found).toBe(2);
    expect(subflows.resolve({ key: 'enforcement' })?.key).toBe('enforcement');
  });

  it('refuses an unpublished subflow with a bilingual message naming it, when the case reaches it', async () => {
    // given nothing is published under the key the subflow node calls
    const parent = flowCalling('mediation', 'confirmation');
    const { backend } = fakeBackend({});
    const subflows = await loadSubflows(parent, backend);
    const started = startSimulation(parent, { channel: 'visit', resolveSubflow: subflows.resolve });
    if (!started.ok) throw new Error(started.rejection.message.en);
    // when the case reaches the subflow node
    const [own] = simTasks(started.session, 'receptionist');
    const pressed = pressAction(started.session, own?.taskId ?? '', 'submit', 'receptionist', {});
    // then the simulation refuses it, in both languages
    if (pressed.ok) throw new Error('an unpublished subflow was run');
    expect(pressed.rejection).toMatchObject({
      code: 'subflow.notFound',
      subflow: { node: 'child', flow: 'confirmation' },
    });
    expect(pressed.rejection.message['zh-CN']).toContain('找不到子流程 confirmation');
    expect(pressed.rejection.message.en).toContain('subflow confirmation is not published');
  });

  it('says why a published subflow could not be read, in both languages', async () => {
    // given the server refuses the child (e.g. published under older rules)
    const refused = Object.assign(
      new Error('published flow confirmation fails the current checks'),
      {
        bilingual: {
          'zh-CN': '已发布的流程 confirmation 不符合当前的检查规则',
          en: 'published flow confirmation fails the current checks',
        },
      },
    );
    const { backend } = fakeBackend({ '440781:confirmation': refused });
    // when the designer loads the subflows
    const subflows = await loadSubflows(flowCalling('mediation', 'confirmation'), backend);
    // then the problem is kept for the panel to show, and the subflow does not resolve
    expect(subflows.problems).toEqual([
      { ref: { key: 'confirmation' }, message: refused.bilingual },
    ]);
    expect(subflows.resolve({ key: 'confirmation' })).toBeUndefined();
  });
});
