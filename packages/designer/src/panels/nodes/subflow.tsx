import { localize } from '@lianxin/spec';
import { Form, InputNumber, Select } from 'antd';
import { CommitInput } from '../../components/inputs';
import { useFlowChoices } from '../../flowChoices';
import { tr } from '../../i18n';
import { CaseFieldPicker, withCaseField } from '../fields/CaseFieldPicker';
import type { NodeEntry, NodeEntryProps, NodePanelSpec } from '../types';

/** The called flow, picked by name from those published here (typed as a key where none are known). */
function FlowPicker({ lang, node, flow, update }: NodeEntryProps<'subflow'>) {
  const choices = useFlowChoices()?.filter((c) => c.key !== flow.key);
  const label = tr(lang, '调用的流程', 'Flow called');
  if (!choices)
    return (
      <Form.Item label={label}>
        <CommitInput
          value={node.flow.key}
          data-testid="prop-subflow-key"
          onCommit={(key) => update({ flow: { ...node.flow, key } })}
        />
      </Form.Item>
    );
  const known = choices.some((c) => c.key === node.flow.key);
  return (
    <Form.Item
      label={label}
      {...(node.flow.key && !known
        ? {
            validateStatus: 'warning' as const,
            help: tr(
              lang,
              '本辖区没有发布这个流程：请先发布它，或另选一个',
              'No such flow is published here: publish it first, or pick another',
            ),
          }
        : {})}
    >
      <Select
        data-testid="prop-subflow"
        showSearch
        optionFilterProp="label"
        placeholder={tr(lang, '选择已发布的流程', 'Pick a published flow')}
        value={node.flow.key || undefined}
        options={[
          ...choices.map((c) => ({ value: c.key, label: c.name })),
          ...(node.flow.key && !known
            ? [{ value: node.flow.key, label: tr(lang, '（未发布的流程）', '(unpublished flow)') }]
            : []),
        ]}
        onChange={(key: string) => update({ flow: { key } })}
      />
    </Form.Item>
  );
}

const flowKey: NodeEntry<'subflow'> = {
  id: 'flowKey',
  component: (props) => <FlowPicker {...props} />,
};

const flowVersion: NodeEntry<'subflow'> = {
  id: 'flowVersion',
  component: ({ lang, node, update }) => (
    <Form.Item label={tr(lang, '版本（空为最新）', 'Version (empty: latest)')}>
      <InputNumber
        min={1}
        value={node.flow.version ?? null}
        onChange={(v) =>
          update({ flow: v ? { ...node.flow, version: v } : { key: node.flow.key } })
        }
      />
    </Form.Item>
  ),
};

const outcomeVar: NodeEntry<'subflow'> = {
  id: 'outcomeVar',
  component: ({ flow, lang, node, update, dispatch }) => (
    <CaseFieldPicker
      flow={flow}
      lang={lang}
      label={tr(lang, '结果写入字段', 'Write the outcome into')}
      kind="text"
      value={node.outcomeVar}
      testId="prop-outcome-var"
      onPick={(outcomeVar) => update({ outcomeVar })}
      onClear={() => update({ outcomeVar: undefined })}
      onCreate={(outcomeVar) => {
        const name = localize(node.name, lang);
        const title = tr(lang, `${name}结果`, `${name} outcome`);
        dispatch({
          type: 'flow.replace',
          flow: withCaseField(flow, outcomeVar, 'text', title, node.id, { outcomeVar }),
        });
      }}
    />
  ),
};

export const subflowPanel: NodePanelSpec<'subflow'> = {
  groups: [{ id: 'subflow', entries: [flowKey, flowVersion, outcomeVar] }],
};
