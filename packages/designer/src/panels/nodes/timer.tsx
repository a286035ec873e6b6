import { Form } from 'antd';
import { tr } from '../../i18n';
import { TimedDurationInput } from '../fields/DurationInput';
import type { NodeEntry, NodePanelSpec } from '../types';

/** How long the timer waits; the unit picks the calendar (工作日 counts working days). */
const wait: NodeEntry<'timer'> = {
  id: 'wait',
  component: ({ lang, node, update }) => (
    <Form.Item label={tr(lang, '等待时长', 'Wait')}>
      <TimedDurationInput
        lang={lang}
        value={node.wait}
        testId="prop-timer-wait"
        onCommit={(wait) => wait && update({ wait })}
      />
    </Form.Item>
  ),
};

export const timerPanel: NodePanelSpec<'timer'> = {
  groups: [{ id: 'wait', entries: [wait] }],
};
