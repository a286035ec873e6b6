import { BellOutlined } from '@ant-design/icons';
import { Badge, Button, Empty, List, Popover, Space, Typography } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { tr, useLang } from '../../i18n';
import { navigate } from '../../router';
import { api, pick } from './api';
import { fmt } from './common';

type Mine = Awaited<ReturnType<ReturnType<typeof api>['notifications']['mine']['query']>>;
const POLL_MS = 60_000;
/** The engine writes instants as ISO strings; people read local times. */
const localTimes = (text: string) =>
  text.replace(/\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z/g, (iso) => fmt(iso));

/** 消息: the header bell with my unread notifications (deadline warnings, overdue tasks, …). */
export function NotificationBell() {
  const { lang } = useLang();
  const [mine, setMine] = useState<Mine>();
  const [open, setOpen] = useState(false);
  const load = useCallback(() => {
    api()
      .notifications.mine.query({ limit: 10 })
      .then(setMine)
      .catch(() => {}); // the bell stays as it was; the next poll tries again
  }, []);
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
    <div style={{ width: 380 }} data-testid="notifications">
      <List
        size="small"
        dataSource={mine?.rows ?? []}
        locale={{ emptyText: <Empty description={tr(lang, '暂无消息', 'No notifications')} /> }}
        renderItem={(n) => (
          <List.Item
            style={{ cursor: 'pointer', opacity: n.readAt ? 0.6 : 1 }}
            data-testid={`notification-${n.trackingCode}`}
            onClick={() => {
              setOpen(false);
              if (!n.readAt) void read([n.id]);
              navigate(`/workbench/case/${n.caseId}`);
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
                <Space size={8}>
                  <span className="wb-code">{n.trackingCode}</span>
                  <span>{fmt(n.createdAt)}</span>
                </Space>
              }
            />
          </List.Item>
        )}
      />
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
        <Badge count={mine?.unread ?? 0} size="small" offset={[6, -2]} overflowCount={99}>
          <BellOutlined style={{ color: 'inherit', fontSize: 16 }} />
        </Badge>
      </Button>
    </Popover>
  );
}
