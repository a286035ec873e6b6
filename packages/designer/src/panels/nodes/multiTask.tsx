import { localize } from '@lianxin/spec';
import { Form } from 'antd';
import { tr } from '../../i18n';
import { CaseFieldPicker, withCaseField } from '../fields/CaseFieldPicker';
import { JointEditor } from '../fields/JointEditor';
import { ListFieldPicker } from '../fields/ListFieldPicker';
import type { NodeEntry, NodePanelSpec } from '../types';
import { humanStepGroups, taskForm } from './human';

const over: NodeEntry<'multiTask'> = {
  id: 'over',
  component: ({ flow, lang, node, update }) => (
    <Form.Item label={tr(lang, '按列表逐项（字段）', 'One task per item of')}>
      <ListFieldPicker
        flow={flow}
        lang={lang}
        value={node.over}
        testId="prop-over"
        onChange={(over) => update({ over })}
      />
    </Form.Item>
  ),
};

const collect: NodeEntry<'multiTask'> = {
  id: 'collect',
  component: ({ flow, lang, node, update, dispatch }) => (
    <CaseFieldPicker
      flow={flow}
      lang={lang}
      label={tr(lang, '汇总到（字段）', 'Collect into')}
      kind="list"
      value={node.collect}
      testId="prop-collect"
      onPick={(collect) => update({ collect })}
      onCreate={(collect) => {
        const name = localize(node.name, lang);
        const title = tr(lang, `${name}汇总`, `${name} replies`);
        dispatch({
          type: 'flow.replace',
          flow: withCaseField(flow, collect, 'list', title, node.id, { collect }),
        });
      }}
    />
  ),
};

const joint: NodeEntry<'multiTask'> = {
  id: 'joint',
  component: ({ flow, lang, node, update }) => (
    <JointEditor flow={flow} lang={lang} node={node} onChange={(j) => update({ joint: j })} />
  ),
};

export const multiTaskPanel: NodePanelSpec<'multiTask'> = {
  groups: [
    { id: 'form', entries: [taskForm, over, collect] },
    { id: 'joint', label: { 'zh-CN': '主办/协办', en: 'Lead and assist' }, entries: [joint] },
    ...humanStepGroups,
  ],
};
