import type { Lang } from '@lianxin/spec';
import { Button, Card, Input, Space, Typography } from 'antd';
import { useState } from 'react';
import { tr } from '../../../i18n';
import { fmt } from '../common';
import { userLabel } from './timeline';
import type { Act, CaseCardProps } from './types';

/** 批注: notes on the case, and a box to add one for whoever may comment. */
export function CommentsCard({
  view,
  definition,
  lang,
  act,
}: CaseCardProps & { lang: Lang; act: Act }) {
  const [text, setText] = useState('');
  return (
    <Card size="small" title={tr(lang, '批注', 'Comments')} style={{ marginBottom: 12 }}>
      {view.state.comments.length === 0 && !view.actions.case.includes('case.comment') && (
        <Typography.Text type="secondary">{tr(lang, '暂无批注', 'No comments')}</Typography.Text>
      )}
      {view.state.comments.map((c) => (
        <div key={c.id} style={{ marginBottom: 6 }}>
          <div>{c.text}</div>
          <div className="wb-muted">
            {fmt(c.at)} · {userLabel(c.by, view.users, definition, lang)}
          </div>
        </div>
      ))}
      {view.actions.case.includes('case.comment') && (
        <Space.Compact style={{ width: '100%' }}>
          <Input
            value={text}
            onChange={(e) => setText(e.target.value)}
            placeholder={tr(lang, '写批注…', 'Add a comment…')}
            data-testid="comment-input"
          />
          <Button
            disabled={!text.trim()}
            onClick={async () => {
              if (await act({ type: 'case.comment', text }, tr(lang, '已批注', 'Comment added')))
                setText('');
            }}
            data-testid="comment-add"
          >
            {tr(lang, '添加', 'Add')}
          </Button>
        </Space.Compact>
      )}
    </Card>
  );
}
