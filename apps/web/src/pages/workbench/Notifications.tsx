import { BellOutlined } from '@ant-design/icons';
import { Alert, Badge, Button, Empty, List, Popover, Space, Tag, Typography } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { tr, useLang } from '../../i18n';
import { navigate } from '../../router';
import { api, pick } from './api';
import { fmt } from './common';

type Mine = Awaited<ReturnType<ReturnType<typeof api>['notifications']['mine']['query']>>;
type Row = Mine['rows'][number];
type ProposalNotice = Awaited<
  ReturnType<ReturnType<typeof api>['templates']['proposalNotices']['query']>
>[number];
const POLL_MS = 60_000;
const PAGE = 10;
/** The most the bell lists (the API's page limit); it says so when there are more. */
const MOST = 100;
/** The engine writes instants as ISO strings; people read local times. */
const localTimes = (text: string) =>
  text.replace(/\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z/g, (iso) => fmt(iso));

/** Where a notification opens: its case, the county flow's upgrade screen, or the proposal. */
const targetOf = (n: Row): string => {
  switch (n.kind) {
    case 'case':
      return `/workbench/case/${n.caseId}`;
    case 'templatePublished':
      return n.flowId
        ? `/templates/upgrade/${encodeURIComponent(n.flowId)}/${n.templateVersion}`
        : '/templates';
    case 'templateProposed':
      return n.proposalId
        ? `/templates?proposal=${encodeURIComponent(n.proposalId)}`
        : '/templates';
  }
};
const testIdOf = (n: Row): string =>
  n.kind === 'case'
    ? `notification-${n.trackingCode}`
    : n.kind === 'templatePublished'
      ? `template-notice-${n.flowId}-${n.templateVersion}`
      : `proposal-to-review-${n.proposalId}`;

/**
 * 消息: the header bell with my unread notifications: deadline warnings,
 * overdue tasks, and for admins the stored template notices (a new version of
 * an adopted template, a county's proposal), each opening where it is handled.
 */
export function NotificationBell() {
  const { lang } = useLang();
  const [mine, setMine] = useState<Mine>();
  // The province's answer to a proposal of this county: told until its admin opens it.
  const [answers, setAnswers] = useState<ProposalNotice[]>([]);
  const [open, setOpen] = useState(false);
  const [limit, setLimit] = useState(PAGE);
  const load = useCallback(() => {
    api()
      .notifications.mine.query({ limit })
      .then(setMine)
      .catch(() => {}); // the bell stays as it was; the next poll tries again
    api()
      .templates.proposalNotices.query()
      .then(setAnswers)
      .catch(() => {});
  }, [limit]);
  useEffect(() => {
    load();
    const timer = setInterval(load, POLL_MS);
    return () => clearInterval(timer);
  }, [load]);
  const read = async (ids?: string[]) => {
    await api().notifications.markRead.mutate(ids ? { ids } : {});
    load();
  };
  const list = (
    <div style={{ width: 380, maxHeight: '70vh', overflowY: 'auto' }} data-testid="notifications">
      {answers.map((p) => (
        <Alert
          key={p.id}
          type={p.status === 'accepted' ? 'success' : 'info'}
          showIcon
          style={{ marginBottom: 8, cursor: 'pointer' }}
          data-testid={`proposal-notice-${p.id}`}
          onClick={() => {
            setOpen(false);
            void api()
              .templates.proposalSeen.mutate({ id: p.id })
              .then(load, () => {});
            navigate('/templates');
          }}
          message={
            p.status === 'accepted'
              ? tr(
                  lang,
                  `省里采纳了本县对“${pick(p.templateName, lang)}”的建议（${p.merged?.length ?? 0} 处修改）`,
                  `The province accepted our proposal for "${pick(p.templateName, lang)}" (${p.merged?.length ?? 0} change(s))`,
                )
              : tr(
                  lang,
                  `省里退回了本县对“${pick(p.templateName, lang)}”的建议`,
                  `The province returned our proposal for "${pick(p.templateName, lang)}"`,
                )
          }
          description={p.answer ? pick(p.answer, lang) : undefined}
        />
      ))}
      <List
        size="small"
        dataSource={mine?.rows ?? []}
        locale={{ emptyText: <Empty description={tr(lang, '暂无消息', 'No notifications')} /> }}
        renderItem={(n) => (
          <List.Item
            style={{ cursor: 'pointer', opacity: n.readAt ? 0.6 : 1 }}
            data-testid={testIdOf(n)}
            data-read={n.readAt ? 'true' : 'false'}
            onClick={() => {
              setOpen(false);
              if (!n.readAt) void read([n.id]);
              navigate(targetOf(n));
            }}
          >
            <List.Item.Meta
              avatar={<Badge status={n.readAt ? 'default' : 'processing'} />}
              title={
                <span style={{ fontWeight: n.readAt ? 400 : 600 }}>
                  {localTimes(pick(n.message, lang))}
                </span>
              }
              description={
                n.kind === 'case' ? (
                  <Space size={8}>
                    <span className="wb-code">{n.trackingCode}</span>
                    <span>{fmt(n.createdAt)}</span>
                  </Space>
                ) : (
                  <Space direction="vertical" size={2}>
                    {n.detail && (
                      <Typography.Text type="secondary">{pick(n.detail, lang)}</Typography.Text>
                    )}
                    <Space size={8}>
                      <Tag color={n.kind === 'templatePublished' ? 'blue' : 'purple'}>
                        {n.kind === 'templatePublished'
                          ? tr(lang, '模板更新', 'Template update')
                          : tr(lang, '县区建议', 'County proposal')}
                      </Tag>
                      <span>{fmt(n.createdAt)}</span>
                    </Space>
                  </Space>
                )
              }
            />
          </List.Item>
        )}
      />
      {mine?.rows.length === limit && limit < MOST && (
        <Button
          type="link"
          size="small"
          onClick={() => setLimit(Math.min(MOST, limit + PAGE))}
          data-testid="notifications-more"
        >
          {tr(lang, '查看更早的消息', 'Older notifications')}
        </Button>
      )}
      {mine?.rows.length === MOST && (
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
          {tr(lang, `仅列出最近 ${MOST} 条`, `Only the latest ${MOST} are listed`)}
        </Typography.Text>
      )}
      {Boolean(mine?.unread) && (
        <Button
          type="link"
          size="small"
          onClick={() => void read()}
          data-testid="notifications-read-all"
        >
          {tr(lang, '全部标为已读', 'Mark all read')}
        </Button>
      )}
    </div>
  );
  return (
    <Popover
      content={list}
      title={<Typography.Text strong>{tr(lang, '消息', 'Notifications')}</Typography.Text>}
      trigger="click"
      placement="bottomRight"
      open={open}
      onOpenChange={(o) => {
        setOpen(o);
        if (o) load();
      }}
    >
      <Button type="text" className="lx-nav" data-testid="nav-notifications">
        <Badge
          count={(mine?.unread ?? 0) + answers.length}
          size="small"
          offset={[6, -2]}
          overflowCount={99}
        >
          <BellOutlined style={{ color: 'inherit', fontSize: 16 }} />
        </Badge>
      </Button>
    </Popover>
  );
}
