import { Form, Radio } from 'antd';
import { tr } from '../../i18n';
import type { NodePanelSpec } from '../types';

export const joinPanel: NodePanelSpec<'join'> = {
  groups: [
    {
      id: 'join',
      entries: [
        {
          id: 'mode',
          component: ({ lang, node, update }) => (
            <Form.Item label={tr(lang, '汇聚方式', 'Mode')}>
              <Radio.Group
                value={node.mode}
                onChange={(e) => update({ mode: e.target.value })}
                options={[
                  { value: 'all', label: tr(lang, '等待全部分支', 'Wait for all') },
                  { value: 'any', label: tr(lang, '任一到达即继续', 'First one wins') },
                ]}
              />
            </Form.Item>
          ),
        },
      ],
    },
  ],
};
