import {
  type AssigneeRule,
  type FlowDefinition,
  type HumanStepKind,
  type Lang,
  localize,
  type NodeOfKind,
} from '@lianxin/spec';
import { Collapse, Form, Radio, Select, Typography } from 'antd';
import { useState } from 'react';
import { CommitInput } from '../../components/inputs';
import { tr } from '../../i18n';
import { AssigneeEditor } from './AssigneeEditor';
import { DeadlineEditor } from './DeadlineEditor';
import { FormPicker } from './FormPicker';
import { withKey } from './JointEditor';

type HumanNode = NodeOfKind<HumanStepKind>;
type Refusal = NonNullable<HumanNode['refusal']>;
type Redispatch = NonNullable<Refusal['redispatch']>;
export type Mode = 'none' | 'backTo' | 'redispatch';

const modeOf = (r: Refusal | undefined): Mode =>
  r?.redispatch ? 'redispatch' : r?.backTo !== undefined ? 'backTo' : 'none';

/** Who re-dispatches by default: the receptionist when the flow has one, else its first role. */
function defaultRedispatch(flow: FlowDefinition): Redispatch {
  const role = flow.roles.some((r) => r.id === 'receptionist')
    ? 'receptionist'
    : (flow.roles[0]?.id ?? 'receptionist');
  return { assignee: { role }, form: flow.forms[0]?.id ?? '' };
}

/** What each refusal choice held before the admin tried another one. */
export type KeptRefusal = { backTo?: string; redispatch?: Redispatch };

/**
 * The node's refusal after choosing `next`: what that choice held before comes
 * back (else a default), any other key of the refusal is kept as it was.
 */
export function chooseRefusal(
  flow: FlowDefinition,
  node: HumanNode,
  kept: KeptRefusal,
  next: Mode,
): { refusal: Refusal | undefined; kept: KeptRefusal } {
  const refusal = node.refusal;
  const remembered: KeptRefusal = { ...kept };
  if (refusal?.backTo !== undefined) remembered.backTo = refusal.backTo;
  if (refusal?.redispatch) remembered.redispatch = refusal.redispatch;
  const rest = { ...(refusal ?? {}) } as Record<string, unknown>;
  delete rest.backTo;
  delete rest.redispatch;
  if (next === 'none') {
    return { refusal: Object.keys(rest).length ? (rest as Refusal) : undefined, kept: remembered };
  }
  if (next === 'backTo') {
    const to =
      remembered.backTo ?? flow.nodes.find((n) => n.id !== node.id && n.kind !== 'end')?.id;
    return { refusal: { ...rest, ...(to ? { backTo: to } : {}) } as Refusal, kept: remembered };
  }
  return {
    refusal: { ...rest, redispatch: remembered.redispatch ?? defaultRedispatch(flow) } as Refusal,
    kept: remembered,
  };
}

/**
 * 拒签 of a task (`refusal`): not allowed, the case goes back to an earlier
 * step (`backTo`), or, on a multi-instance task, only the refusing
 * department's share goes to whoever re-dispatches it (`redispatch`: who,
 * with which form, by when) while the others keep working. Switching between
 * them brings back what was set before; parts not shown are kept.
 */
export function RefusalEditor({
  flow,
  lang,
  node,
  onChange,
}: {
  flow: FlowDefinition;
  lang: Lang;
  node: HumanNode;
  onChange: (refusal: Refusal | undefined) => void;
}) {
  const refusal = node.refusal;
  const mode = modeOf(refusal);
  // What each choice held, so trying another one and coming back loses nothing.
  const [kept, setKept] = useState<KeptRefusal>({});
  const choose = (next: Mode) => {
    const chosen = chooseRefusal(flow, node, kept, next);
    setKept(chosen.kept);
    onChange(chosen.refusal);
  };
  const redispatch = refusal?.redispatch;
  const setRedispatch = (key: keyof Redispatch, v: unknown) =>
    redispatch && refusal && onChange({ ...refusal, redispatch: withKey(redispatch, key, v) });
  return (
    <div data-testid="refusal-editor">
      <Form.Item label={tr(lang, '拒签', 'Refusal')}>
        <Radio.Group
          data-testid="prop-refusal-mode"
          value={mode}
          onChange={(e) => choose(e.target.value)}
          options={[
            { value: 'none', label: tr(lang, '不允许拒签', 'Not allowed') },
            { value: 'backTo', label: tr(lang, '退回到前面的步骤', 'Back to an earlier step') },
            ...(node.kind === 'multiTask' || mode === 'redispatch'
              ? [
                  {
                    value: 'redispatch',
                    label: tr(lang, '拒签部门单独重新分派', 'Re-dispatch the refusing department'),
                  },
                ]
              : []),
          ]}
        />
      </Form.Item>
      {mode === 'backTo' && (
        <Form.Item label={tr(lang, '退回到', 'Back to')} required>
          <Select
            showSearch
            optionFilterProp="label"
            data-testid="prop-refusal-back-to"
            value={refusal?.backTo}
            options={flow.nodes
              .filter((n) => n.id !== node.id && n.kind !== 'end')
              .map((n) => ({ value: n.id, label: localize(n.name, lang) }))}
            onChange={(to: string) => refusal && onChange({ ...refusal, backTo: to })}
          />
        </Form.Item>
      )}
      {redispatch && (
        <>
          <Typography.Paragraph type="secondary" style={{ fontSize: 12 }}>
            {tr(
              lang,
              '某部门拒签时，只把该部门退给下面的人重新分派；其他部门继续办理，已答复的部门不再重复交办。',
              'A refusing department alone goes back to the person below; the others keep working and those that replied are not asked again.',
            )}
          </Typography.Paragraph>
          <Form.Item label={tr(lang, '重新分派表单', 'Re-dispatch form')} required>
            <FormPicker
              flow={flow}
              lang={lang}
              data-testid="prop-redispatch-form"
              value={redispatch.form || undefined}
              onChange={(f) => setRedispatch('form', f)}
            />
          </Form.Item>
          <Form.Item label={tr(lang, '按钮文字', 'Button text')}>
            <CommitInput
              value={redispatch.label?.['zh-CN']}
              placeholder={tr(lang, '重新分派', 'Re-dispatch')}
              data-testid="prop-redispatch-label"
              onCommit={(v) => {
                const text = v.trim();
                setRedispatch(
                  'label',
                  text ? { ...(redispatch.label ?? {}), 'zh-CN': text } : undefined,
                );
              }}
            />
          </Form.Item>
          <Collapse
            size="small"
            items={[
              {
                key: 'assignee',
                label: tr(lang, '由谁重新分派', 'Who re-dispatches'),
                children: (
                  <AssigneeEditor
                    flow={flow}
                    lang={lang}
                    value={redispatch.assignee}
                    onChange={(a: AssigneeRule) => setRedispatch('assignee', a)}
                  />
                ),
              },
              {
                key: 'deadline',
                label: tr(lang, '重新分派时限', 'Re-dispatch deadline'),
                children: (
                  <DeadlineEditor
                    lang={lang}
                    value={redispatch.deadline}
                    onChange={(d) => setRedispatch('deadline', d)}
                  />
                ),
              },
            ]}
          />
        </>
      )}
    </div>
  );
}
