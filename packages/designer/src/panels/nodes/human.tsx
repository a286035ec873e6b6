import type { HumanStepKind } from '@lianxin/spec';
import { Form } from 'antd';
import { tr } from '../../i18n';
import { ActionsList } from '../fields/ActionsList';
import { AssigneeEditor } from '../fields/AssigneeEditor';
import { DeadlineEditor } from '../fields/DeadlineEditor';
import { ExtensionEditor } from '../fields/ExtensionEditor';
import { FormPicker } from '../fields/FormPicker';
import { RefusalEditor } from '../fields/RefusalEditor';
import type { NodeEntry, NodeGroup } from '../types';

/** Entries every human step (task, multi-instance task) has. */
export const taskForm: NodeEntry<HumanStepKind> = {
  id: 'form',
  component: ({ flow, lang, node, update }) => (
    <Form.Item label={tr(lang, '任务表单', 'Task form')}>
      <FormPicker
        flow={flow}
        lang={lang}
        data-testid="prop-form"
        value={node.form}
        onChange={(form) => update({ form })}
      />
    </Form.Item>
  ),
};

const assignee: NodeEntry<HumanStepKind> = {
  id: 'assignee',
  component: ({ flow, lang, node, update }) => (
    <AssigneeEditor
      flow={flow}
      lang={lang}
      value={node.assignee}
      onChange={(assignee) => update({ assignee })}
    />
  ),
};

const deadline: NodeEntry<HumanStepKind> = {
  id: 'deadline',
  component: ({ lang, node, update }) => (
    <DeadlineEditor
      lang={lang}
      value={node.deadline}
      onChange={(deadline) => update({ deadline })}
    />
  ),
};

const actions: NodeEntry<HumanStepKind> = {
  id: 'actions',
  component: ({ flow, lang, node, dispatch }) => (
    <ActionsList flow={flow} lang={lang} node={node} dispatch={dispatch} />
  ),
};

const refusal: NodeEntry<HumanStepKind> = {
  id: 'refusal',
  component: ({ flow, lang, node, update }) => (
    <RefusalEditor flow={flow} lang={lang} node={node} onChange={(r) => update({ refusal: r })} />
  ),
};

const extension: NodeEntry<HumanStepKind> = {
  id: 'extension',
  component: ({ flow, lang, node, update }) => (
    <ExtensionEditor
      flow={flow}
      lang={lang}
      node={node}
      onChange={(x) => update({ extension: x })}
    />
  ),
};

/** The groups after a human step's form: who works it, by when, with which buttons. */
export const humanStepGroups: readonly NodeGroup<HumanStepKind>[] = [
  { id: 'assignee', label: { 'zh-CN': '办理人', en: 'Assignee' }, entries: [assignee] },
  { id: 'deadline', label: { 'zh-CN': '时限', en: 'Deadline' }, entries: [deadline] },
  { id: 'refusal', label: { 'zh-CN': '拒签', en: 'Refusal' }, entries: [refusal] },
  { id: 'extension', label: { 'zh-CN': '延期', en: 'Extension' }, entries: [extension] },
  { id: 'actions', label: { 'zh-CN': '按钮', en: 'Actions' }, entries: [actions] },
];
