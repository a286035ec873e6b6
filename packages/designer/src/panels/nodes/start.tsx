import { CHANNELS, localize } from '@lianxin/spec';
import { Checkbox, Form } from 'antd';
import { tr } from '../../i18n';
import { FormPicker } from '../fields/FormPicker';
import { CHANNEL_NAMES } from '../fields/names';
import type { NodeEntry, NodePanelSpec } from '../types';

const channels: NodeEntry<'start'> = {
  id: 'channels',
  component: ({ lang, node, update }) => (
    <Form.Item label={tr(lang, '受理渠道', 'Channels')} required>
      <Checkbox.Group
        value={node.channels}
        options={CHANNELS.map((c) => ({ value: c, label: localize(CHANNEL_NAMES[c], lang) }))}
        onChange={(channels) => update({ channels })}
      />
    </Form.Item>
  ),
};

const registrationForm: NodeEntry<'start'> = {
  id: 'form',
  component: ({ flow, lang, node, update }) => (
    <Form.Item label={tr(lang, '登记表单', 'Registration form')}>
      <FormPicker flow={flow} lang={lang} value={node.form} onChange={(form) => update({ form })} />
    </Form.Item>
  ),
};

const intakeForm: NodeEntry<'start'> = {
  id: 'intakeForm',
  component: ({ flow, lang, node, update }) => (
    <Form.Item label={tr(lang, '群众网上申请表单', 'Public intake form')}>
      <FormPicker
        flow={flow}
        lang={lang}
        value={node.intakeForm}
        onChange={(intakeForm) => update({ intakeForm })}
      />
    </Form.Item>
  ),
};

export const startPanel: NodePanelSpec<'start'> = {
  groups: [{ id: 'intake', entries: [channels, registrationForm, intakeForm] }],
};
