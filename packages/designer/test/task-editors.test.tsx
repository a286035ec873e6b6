import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FlowDefinition, NodeOfKind } from '@lianxin/spec';
import { renderToString } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { ExtensionEditor } from '../src/panels/fields/ExtensionEditor';
import { defaultJoint, JointEditor, withKey } from '../src/panels/fields/JointEditor';
import { chooseRefusal, RefusalEditor } from '../src/panels/fields/RefusalEditor';

const dir = join(import.meta.dirname, '../../../templates/four-colour-triage');
const readJson = (path: string) => JSON.parse(readFileSync(join(dir, path), 'utf8'));
// The template keeps its forms in files; the designer sees them in the definition.
const triage = {
  ...readJson('flow.json'),
  forms: readdirSync(join(dir, 'forms'))
    .sort()
    .map((f) => readJson(`forms/${f}`)),
} as FlowDefinition;
const jointNode = () =>
  structuredClone(triage.nodes.find((n) => n.id === 'joint')) as NodeOfKind<'multiTask'>;
const text = (html: string) => html.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ');
const fail = () => {
  throw new Error('an editor changed the node while only showing it');
};

describe('主办/协办 editor', () => {
  it('shows the template’s joint handling in words, changing nothing', () => {
    const node = jointNode();
    const before = JSON.stringify(node);
    const shown = text(
      renderToString(<JointEditor flow={triage} lang="zh-CN" node={node} onChange={fail} />),
    );
    expect(shown).toContain('主办部门（取自案件字段）');
    expect(shown).toContain('主办部门'); // the title of leadDepartment in the case data
    expect(shown).toMatch(/“[^”]+”中的每个部门各办一份/);
    expect(shown).toContain('协办期限');
    expect(shown).toContain(triage.clocks.find((c) => c.id === 'close')?.name['zh-CN']);
    expect(shown).not.toContain('leadDepartment');
    expect(shown).not.toContain('jointMerged');
    expect(JSON.stringify(node)).toBe(before);
  });

  it('first switched on, reads the lead from a text field of the case and names the merged reply', () => {
    const node = jointNode();
    const joint = defaultJoint(triage, node, 'zh-CN');
    expect(joint.merged).toBe('jointMerged');
    expect(triage.dataSchema).toMatchObject({ properties: { [joint.lead]: { type: 'string' } } });
  });

  it('an edit of one part keeps every other part as written', () => {
    const joint = jointNode().joint;
    if (!joint) throw new Error('the template’s joint node has no joint handling');
    const edited = withKey(joint, 'within', undefined);
    expect(edited).toEqual({
      lead: joint.lead,
      leadForm: joint.leadForm,
      assistDeadline: joint.assistDeadline,
      merged: joint.merged,
    });
    expect(withKey(edited, 'within', 'close')).toEqual(joint);
  });
});

describe('拒签 editor', () => {
  it('switching to 退回 and back brings the re-dispatch back as it was', () => {
    const node = jointNode();
    const original = node.refusal;
    const back = chooseRefusal(triage, node, {}, 'backTo');
    expect(back.refusal).toEqual({ backTo: triage.nodes[0]?.id });
    node.refusal = back.refusal;
    const none = chooseRefusal(triage, node, back.kept, 'none');
    expect(none.refusal).toBeUndefined();
    node.refusal = none.refusal;
    const again = chooseRefusal(triage, node, none.kept, 'redispatch');
    expect(again.refusal).toEqual(original);
    node.refusal = again.refusal;
    expect(chooseRefusal(triage, node, again.kept, 'backTo').refusal).toEqual(back.refusal);
  });

  it('a new re-dispatch goes to the receptionist with the first form', () => {
    const node = jointNode();
    delete node.refusal;
    expect(chooseRefusal(triage, node, {}, 'redispatch').refusal).toEqual({
      redispatch: { assignee: { role: 'receptionist' }, form: triage.forms[0]?.id },
    });
  });

  it('shows the re-dispatch in words and offers it on multi-instance tasks only', () => {
    const shown = text(
      renderToString(
        <RefusalEditor flow={triage} lang="zh-CN" node={jointNode()} onChange={fail} />,
      ),
    );
    expect(shown).toContain('拒签部门单独重新分派');
    expect(shown).toContain('重新分派表单');
    const task = triage.nodes.find((n) => n.kind === 'task') as NodeOfKind<'task'>;
    const plain = text(
      renderToString(
        <RefusalEditor
          flow={triage}
          lang="zh-CN"
          node={{ ...task, refusal: undefined }}
          onChange={fail}
        />,
      ),
    );
    expect(plain).not.toContain('拒签部门单独重新分派');
  });
});

describe('延期 editor', () => {
  it('says who approves, the clock it cannot pass, and when a task cannot be extended', () => {
    const node = jointNode();
    const shown = text(
      renderToString(<ExtensionEditor flow={triage} lang="zh-CN" node={node} onChange={fail} />),
    );
    expect(shown).toContain('每次最多延长');
    expect(shown).toContain('由领导、管理员或本案包案领导批准');
    const clock = triage.clocks.find((c) => c.id === 'close')?.name['zh-CN'];
    expect(shown).toContain(`延期后也不晚于“${clock}”到期`);
    const onClock = text(
      renderToString(
        <ExtensionEditor
          flow={triage}
          lang="zh-CN"
          node={{ ...node, deadline: undefined, deadlineClock: 'close' }}
          onChange={fail}
        />,
      ),
    );
    expect(onClock).toContain('不能单独延期');
  });
});
