import { localize, OUTCOMES } from '@lianxin/spec';
import { Form, Select } from 'antd';
import { tr } from '../../i18n';
import { OUTCOME_NAMES } from '../../kinds';
import type { NodePanelSpec } from '../types';

export const endPanel: NodePanelSpec<'end'> = {
  groups: [
    {
      id: 'outcome',
      entries: [
        {
          id: 'outcome',
          component: ({ lang, node, update }) => (
            <Form.Item label={tr(lang, '办理结果', 'Outcome')}>
              <Select
                data-testid="prop-outcome"
                value={node.outcome}
                options={OUTCOMES.map((o) => ({
                  value: o,
                  label: localize(OUTCOME_NAMES[o], lang),
                }))}
                onChange={(outcome) => update({ outcome })}
              />
            </Form.Item>
          ),
        },
      ],
    },
  ],
};
