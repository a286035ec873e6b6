import { Button, Card, List, Space, Tag, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { tr, useLang } from '../../i18n';
import { navigate } from '../../router';
import { api, pick, type RouterOutputs } from './api';
import { durationText } from './case/timeline';
import { fmt, UrgencyTag } from './common';
import { CursorPager, useCursorPages } from './lists';

type Page = RouterOutputs['supervision']['approvals'];
const PAGE = 10;

/**
 * 待我审批: the extension requests waiting for my decision (as leader or admin
 * where the case is handled, or as its 包案 leader), oldest first, paged to the
 * end. Shows nothing when none wait.
 */
export function ApprovalsCard() {
  const { lang } = useLang();
  const pages = useCursorPages('approvals');
  const cursor = pages.cursor;
  const [data, setData] = useState<Page>();
  useEffect(() => {
    api()
      .supervision.approvals.query({ limit: PAGE, ...(cursor ? { cursor } : {}) })
      .then(setData)
      .catch(() => setData(undefined));
  }, [cursor]);
  if (!data?.total) return null;
  return (
    <Card
      size="small"
      style={{ marginBottom: 12 }}
      title={
        <Space>
          <Typography.Text strong>{tr(lang, '待我审批', 'Awaiting my approval')}</Typography.Text>
          <Tag color="warning" data-testid="approvals-count">
            {data.more ? `${data.total}+` : data.total}
          </Tag>
        </Space>
      }
      data-testid="approvals"
    >
      <List
        size="small"
        dataSource={data.rows}
        pagination={false}
        footer={
          pages.number > 1 || data.next ? (
            <CursorPager
              lang={lang}
              testId="approvals"
              pages={pages}
              next={data.next}
              loading={false}
            />
          ) : undefined
        }
        renderItem={(r) => (
          <List.Item
            data-testid={`approval-${r.trackingCode}`}
            actions={[
              <Button
                key="open"
                type="link"
                size="small"
                onClick={() => navigate(`/workbench/case/${r.id}`)}
              >
                {tr(lang, '去审批', 'Decide')}
              </Button>,
            ]}
          >
            <Space wrap>
              <UrgencyTag urgency={r.urgency} lang={lang} />
              <span className="wb-code">{r.trackingCode}</span>
              {r.requests.map((q) => (
                <span key={q.id}>
                  {tr(
                    lang,
                    `${pick(q.clockName, lang) || '期限'}延长 ${durationText(q.duration, lang)}：${q.reason}`,
                    `${pick(q.clockName, lang) || 'Deadline'} by ${durationText(q.duration, lang)}: ${q.reason}`,
                  )}
                  <span className="wb-muted">（{fmt(q.requestedAt)}）</span>
                </span>
              ))}
            </Space>
          </List.Item>
        )}
      />
    </Card>
  );
}
