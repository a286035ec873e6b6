import { Typography } from 'antd';
import { tr } from '../../i18n';
import type { NodePanelSpec } from '../types';

export const decisionPanel: NodePanelSpec<'decision'> = {
  groups: [
    {
      id: 'hint',
      entries: [
        {
          id: 'hint',
          component: ({ lang }) => (
            <Typography.Paragraph type="secondary" style={{ fontSize: 12 }}>
              {tr(
                lang,
                '按连线顺序取第一条成立的条件，都不成立时走默认连线。点击连线编辑条件。',
                'The first condition edge that holds is taken, else the default edge. Click an edge to edit its condition.',
              )}
            </Typography.Paragraph>
          ),
        },
      ],
    },
  ],
};
