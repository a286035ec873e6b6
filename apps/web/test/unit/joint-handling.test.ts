import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { checkedFlow, type FlowDefinition } from '@lianxin/spec';
import { describe, expect, it, vi } from 'vitest';
import {
  type Actor,
  availableActions,
  type CaseState,
  type Event,
  initialState,
  parseScript,
  transition,
} from '../../../../packages/engine/src/index';

// The designer's React components are not needed here: only its Beijing-time formatting.
vi.mock('@lianxin/designer', () => import('../../../../packages/designer/src/days'));

import type { CaseView } from '../../src/pages/workbench/api';
import { jointRounds } from '../../src/pages/workbench/case/JointHandling';
import { describeEvents } from '../../src/pages/workbench/case/timeline';

// The 合力办 card reads what the four-colour template's joint scenario leaves
// behind: the engine runs it here, step by step, as the server would.

const folder = fileURLToPath(new URL('../../../../templates/four-colour-triage', import.meta.url));
const read = (file: string) => JSON.parse(readFileSync(join(folder, file), 'utf8'));
const { $schema: _s, ...flowJson } = read('flow.json');
const definition = checkedFlow({
  ...flowJson,
  forms: readdirSync(join(folder, 'forms')).map((f) => {
    const { $schema: _f, ...form } = read(`forms/${f}`);
    return form;
  }),
});
const script = parseScript(read('scenarios/blue-lead-assist-refusal.json'));

/** The case as the page receives it after the first `steps` steps of the scenario. */
function viewAfter(steps: number, viewer: Actor): CaseView {
  let state: CaseState = initialState();
  const events: Event[] = [];
  let n = 0;
  const run = (command: Parameters<typeof transition>[2], atMs: number) => {
    const r = transition(definition, state, command, {
      now: new Date(atMs).toISOString(),
      newId: () => `id-${++n}`,
    });
    if (!r.ok) throw new Error(r.rejection.message.en);
    state = r.state;
    events.push(...r.events);
  };
  run(script.start, script.startMs);
  for (const step of script.steps.slice(0, steps))
    if (step.command) run(step.command(state), step.atMs ?? script.startMs);
  const users = Object.fromEntries(
    [
      ['li', '李敏', 'receptionist'],
      ['he', '何伟', 'handler'],
      ['wang', '王芳', 'handler'],
      ['lin', '林涛', 'handler'],
      ['ma', '马兰', 'handler'],
      ['zhao', '赵强', 'leader'],
    ].map(([id, displayName, role]) => [id, { displayName, roles: [{ role }] }]),
  );
  return {
    timeline: events.map((e, i) => ({ seq: i + 1, ...e })),
    state,
    actions: availableActions(definition, state, viewer),
    users,
  } as unknown as CaseView;
}

const actor = (id: string, role: string, department?: string): Actor => ({
  id,
  roles: [role],
  jurisdiction: '440781',
  ...(department ? { department } : {}),
});

describe('the 合力办 card', () => {
  it('after a refusal and an extension request: the lead, the assisting departments, the refusal awaiting re-dispatch', () => {
    const view = viewAfter(4, actor('zhao', 'leader'));
    const [round] = jointRounds(view, definition as FlowDefinition);
    expect(round?.lead).toBe('housing');
    expect(round?.shares.map((s) => [s.department, s.role, s.status])).toEqual([
      ['housing', 'lead', 'open'],
      ['hrss', 'assist', 'open'],
      ['natres', 'assist', 'refused'],
    ]);
    expect(round?.refusals).toEqual([
      expect.objectContaining({
        department: 'natres',
        reason: '占道经营不属自然资源局职责，建议交市场监管局',
        by: 'lin',
      }),
    ]);
    expect(round?.refusals[0]?.redispatched).toBeUndefined();
    expect(round?.shares[1]?.pendingExtension).toMatchObject({ duration: 'P3D', by: 'wang' });
    expect(round?.within?.due).toBe(view.state.clocks.close?.due);
  });

  it('after the merged reply: the re-dispatch, the extension, each contribution and who said what', () => {
    const view = viewAfter(9, actor('li', 'receptionist'));
    const [round] = jointRounds(view, definition as FlowDefinition);
    expect(round?.shares.map((s) => [s.department, s.status])).toEqual([
      ['housing', 'replied'],
      ['hrss', 'replied'],
      ['natres', 'refused'],
      ['market', 'replied'],
    ]);
    expect(round?.shares[1]?.extended).toEqual(['P3D']);
    expect(round?.refusals[0]?.redispatched).toMatchObject({
      by: 'li',
      departments: ['housing', 'hrss', 'market'],
      lead: 'housing',
    });
    expect(round?.merged?.contributions.map((c) => [c.department, c.by])).toEqual([
      ['hrss', 'wang'],
      ['market', 'ma'],
    ]);
  });

  it('the history says a refusal sent back only its share, the re-dispatch, and whose deadline was extended', () => {
    const view = viewAfter(9, actor('li', 'receptionist'));
    const lines = describeEvents(view.timeline, definition as FlowDefinition, view.users, 'zh-CN')
      .filter((l) => l !== null)
      .map((l) => [l.what, ...l.details].join(' | '));
    const find = (start: string) => lines.find((l) => l.startsWith(start)) ?? '';
    expect(find('拒签：')).toContain('只退回本部门这一份，待重新分派；其他部门继续办理');
    expect(find('申请延期：')).toBe(
      '申请延期：繁事合力办（人力资源和社会保障局） 延长 3 天 | 理由：补偿款需财政复核',
    );
    expect(find('批准延期：')).toContain('批准延期：繁事合力办（人力资源和社会保障局）');
    expect(find('重新分派：')).toBe(
      '重新分派：繁事合力办（自然资源局拒签的一份） | 合力办部门（繁事）：住房和城乡建设局、人力资源和社会保障局、市场监督管理局 | 主办部门：住房和城乡建设局',
    );
    expect(find('合并答复：')).toBe(
      '合并答复：主办 住房和城乡建设局 | 汇总协办意见：人力资源和社会保障局、市场监督管理局',
    );
    expect(lines.join('\n')).not.toMatch(/\b(natres|hrss|market|housing)\b/);
  });
});
