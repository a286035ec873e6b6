import { Form } from 'antd';
import { tr } from '../../i18n';
import { OperationsEditor } from '../fields/OperationsWords';
import type { NodePanelSpec } from '../types';

export const actionPanel: NodePanelSpec<'action'> = {
  groups: [
    {
      id: 'operations',
      entries: [
        {
          id: 'operations',
          component: ({ flow, lang, node, update }) => (
            <Form.Item label={tr(lang, '自动操作', 'Operations')}>
              <OperationsEditor
                flow={flow}
                lang={lang}
                operations={node.operations}
                onCommit={(operations) => update({ operations })}
              />
            </Form.Item>
          ),
        },
      ],
    },
  ],
};
