import { describe, expect, it } from 'vitest';
import {
  applyOverlay,
  checkBundle,
  checkFlow,
  computeOverlay,
  createBundle,
  planUpgrade,
  upgradeFlowToTemplate,
} from '../src/index';
import { base } from './fixtures';

type Flow = Record<string, unknown>;
type Item = Record<string, unknown> & { id: string };
const items = (flow: Flow, list: string) => flow[list] as Item[];
const find = (flow: Flow, list: string, id: string) =>
  items(flow, list).find((i) => i.id === id) as Item;

/** The province's template v1, and a county that adopted it. */
function adopt(): { v1: Flow; county: Flow } {
  const v1 = base('dispatch');
  const county = structuredClone(v1);
  county.key = 'taishan-dispatch';
  county.jurisdiction = '440781';
  county.extends = { template: 'dispatch', version: 1 };
  return { v1, county };
}

/** Local edits made in the designer: a shorter triage deadline and an extra role. */
function editLocally(county: Flow): void {
  (find(county, 'nodes', 'triage').deadline as Record<string, unknown>).duration = 'P10D';
  items(county, 'roles').push({ id: 'mediator', name: { 'zh-CN': '调解员' } });
}

describe('template sharing', () => {
  it('records local edits as an overlay keyed by ids and reproduces the county flow from it', () => {
    const { v1, county } = adopt();
    editLocally(county);
    const overlay = computeOverlay(v1, county);
    expect(overlay).toEqual([
      { op: 'replace', path: '/nodes/triage/deadline/duration', value: 'P10D' },
      {
        op: 'add',
        path: '/roles/mediator',
        value: { id: 'mediator', name: { 'zh-CN': '调解员' } },
      },
    ]);
    const rebuilt = applyOverlay(v1, overlay, county);
    expect(rebuilt.failures).toEqual([]);
    expect(rebuilt.flow).toEqual(county);
  });

  it('upgrades in one step when the province changed other things, keeping every local edit', () => {
    // given a county with local edits, and a v2 that inserts a step before the triage
    const { v1, county } = adopt();
    editLocally(county);
    const v2 = structuredClone(v1);
    v2.version = 2;
    items(v2, 'nodes').splice(1, 0, {
      id: 'screen',
      kind: 'task',
      name: { 'zh-CN': '初筛' },
      assignee: { role: 'receptionist' },
    });
    find(v2, 'edges', 'e-start').to = 'screen';
    items(v2, 'edges').push({
      id: 'e-screen',
      kind: 'action',
      from: 'screen',
      to: 'triage',
      action: 'pass',
      label: { 'zh-CN': '通过' },
    });
    // when the county upgrades
    const plan = planUpgrade(v1, v2, county);
    const result = upgradeFlowToTemplate(v1, v2, county);
    // then there is nothing to resolve, v2's step is there and the local edits survive
    expect(plan.conflicts).toEqual([]);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(find(result.flow, 'nodes', 'screen')).toBeDefined();
    expect(find(result.flow, 'edges', 'e-start').to).toBe('screen');
    expect(
      (find(result.flow, 'nodes', 'triage').deadline as Record<string, unknown>).duration,
    ).toBe('P10D');
    expect(find(result.flow, 'roles', 'mediator')).toBeDefined();
    expect(result.flow.key).toBe('taishan-dispatch');
    expect(result.flow.jurisdiction).toBe('440781');
    expect(checkFlow(result.flow).filter((p) => p.severity === 'error')).toEqual([]);
  });

  it('refuses to upgrade past a conflict until the county chooses, then applies the choice', () => {
    // given both the province and the county changed the triage deadline
    const { v1, county } = adopt();
    editLocally(county);
    const v2 = structuredClone(v1);
    (find(v2, 'nodes', 'triage').deadline as Record<string, unknown>).duration = 'P12D';
    // when the county upgrades without choosing
    const refused = upgradeFlowToTemplate(v1, v2, county);
    // then the conflict is shown with all three values and nothing is applied
    expect(refused.ok).toBe(false);
    if (refused.ok) return;
    expect(refused.unresolved).toEqual([
      expect.objectContaining({
        path: '/nodes/triage/deadline/duration',
        base: 'P15D',
        theirs: 'P12D',
        ours: 'P10D',
      }),
    ]);
    // and each choice is honoured, the other local edit kept either way
    const ours = upgradeFlowToTemplate(v1, v2, county, {
      '/nodes/triage/deadline/duration': 'ours',
    });
    const theirs = upgradeFlowToTemplate(v1, v2, county, {
      '/nodes/triage/deadline/duration': 'theirs',
    });
    expect(
      ours.ok && (find(ours.flow, 'nodes', 'triage').deadline as Record<string, unknown>).duration,
    ).toBe('P10D');
    expect(
      theirs.ok &&
        (find(theirs.flow, 'nodes', 'triage').deadline as Record<string, unknown>).duration,
    ).toBe('P12D');
    expect(theirs.ok && find(theirs.flow, 'roles', 'mediator')).toBeTruthy();
    expect(theirs.ok && theirs.overlay).toEqual([
      {
        op: 'add',
        path: '/roles/mediator',
        value: { id: 'mediator', name: { 'zh-CN': '调解员' } },
      },
    ]);
  });

  it('treats a step the province deleted but the county edited as a conflict', () => {
    const { v1, county } = adopt();
    find(county, 'nodes', 'visit').description = { 'zh-CN': '电话回访' };
    const v2 = structuredClone(v1);
    v2.nodes = items(v2, 'nodes').filter((n) => n.id !== 'visit');
    const plan = planUpgrade(v1, v2, county);
    expect(plan.conflicts.map((c) => c.path)).toEqual(['/nodes/visit']);
    expect(plan.conflicts[0]?.theirs).toBeUndefined();
  });

  it('reports local edits the template cannot take any more instead of dropping them', () => {
    const { v1 } = adopt();
    const v2 = structuredClone(v1);
    v2.nodes = items(v2, 'nodes').filter((n) => n.id !== 'visit');
    const result = applyOverlay(
      v2,
      [{ op: 'replace', path: '/nodes/visit/name', value: { 'zh-CN': '回访' } }],
      v1,
    );
    expect(result.failures).toHaveLength(1);
    expect(result.failures[0]?.message.en).toContain('/nodes/visit/name');
  });
});

describe('template bundles', () => {
  const parts = () => ({
    manifest: {
      formatVersion: 1,
      key: 'dispatch',
      version: 1,
      name: { 'zh-CN': '交办' },
      summary: { 'zh-CN': '测试' },
      publisher: '440000',
    },
    flow: base('dispatch'),
    readme: '# 交办\n',
  });

  it('accepts a bundle as exported', () => {
    expect(checkBundle(JSON.parse(JSON.stringify(createBundle(parts()))))).toEqual([]);
  });

  it('refuses a bundle whose content was edited after export', () => {
    const bundle = createBundle(parts());
    const tampered = structuredClone(bundle) as {
      flow: { clocks: Array<{ deadline: { duration: string } }> };
    };
    (tampered.flow.clocks[0] as { deadline: { duration: string } }).deadline.duration = 'P90D';
    const problems = checkBundle(tampered);
    expect(problems.map((p) => `${p.code} ${p.pointer}`)).toEqual(['bundle.tampered /contentHash']);
    expect(problems[0]?.message['zh-CN']).toContain('拒绝导入');
  });

  it('refuses a bundle without a seal and locates problems inside the template', () => {
    const { contentHash: _gone, ...unsealed } = createBundle(parts());
    expect(checkBundle(unsealed).map((p) => p.code)).toContain('bundle.unsealed');
    const broken = parts();
    (broken.flow.edges as Item[]).push({
      id: 'e-x',
      kind: 'next',
      from: 'done',
      to: 'ghost',
    } as Item);
    const codes = checkBundle(createBundle(broken)).map((p) => `${p.code} ${p.pointer}`);
    expect(codes).toContain('edge.unknownNode /flow/edges/15/to');
  });
});
