import { PlusOutlined } from '@ant-design/icons';
import { divisionFullName } from '@lianxin/forms';
import { localize } from '@lianxin/spec';
import { Alert, Button, Card, Space, Table, Tag, Typography } from 'antd';
import { useEffect, useState } from 'react';
import type { AppBackend, FlowListItem } from '../backend';
import { tr, useLang } from '../i18n';
import { navigate } from '../router';

/** 流程列表: every flow of the admin's jurisdictions, with its latest version. */
export function FlowList({ backend }: { backend: AppBackend }) {
  const { lang } = useLang();
  const [flows, setFlows] = useState<FlowListItem[] | null>(null);
  const [error, setError] = useState<string>();
  useEffect(() => {
    backend
      .listFlows()
      .then(setFlows)
      .catch((e: Error) => setError(e.message));
  }, [backend]);
  return (
    <div className="lx-page">
      <Card
        title={
          <Typography.Title level={4} style={{ margin: 0 }}>
            {tr(lang, '流程', 'Flows')}
          </Typography.Title>
        }
        extra={
          <Button
            type="primary"
            icon={<PlusOutlined />}
            onClick={() => navigate('/flows/new')}
            data-testid="new-flow"
          >
            {tr(lang, '新建流程', 'New flow')}
          </Button>
        }
      >
        {error && <Alert type="error" showIcon message={error} style={{ marginBottom: 16 }} />}
        <Table<FlowListItem>
          rowKey="id"
          loading={flows === null && !error}
          dataSource={flows ?? []}
          pagination={{ pageSize: 20, hideOnSinglePage: true }}
          locale={{
            emptyText: tr(lang, '还没有流程，点击“新建流程”开始', 'No flows yet: click “New flow”'),
          }}
          onRow={(f) => ({
            onClick: () => navigate(`/flows/${encodeURIComponent(f.id)}`),
            style: { cursor: 'pointer' },
          })}
          columns={[
            {
              title: tr(lang, '名称', 'Name'),
              render: (_, f) => <Typography.Link>{localize(f.name, lang)}</Typography.Link>,
            },
            {
              title: tr(lang, '标识', 'Key'),
              dataIndex: 'key',
              render: (k: string) => <code>{k}</code>,
            },
            {
              title: tr(lang, '辖区', 'Jurisdiction'),
              dataIndex: 'jurisdiction',
              render: (c: string) => divisionFullName(c),
            },
            {
              title: tr(lang, '版本', 'Version'),
              dataIndex: 'latestVersion',
              render: (v: number) =>
                v > 0 ? (
                  <Tag color="blue">v{v}</Tag>
                ) : (
                  <Tag>{tr(lang, '未发布', 'Unpublished')}</Tag>
                ),
            },
            {
              title: tr(lang, '草稿更新', 'Draft updated'),
              dataIndex: 'draftUpdatedAt',
              render: (t: string | null) => (t ? String(t).slice(0, 16).replace('T', ' ') : '—'),
            },
          ]}
        />
        <Space style={{ marginTop: 8 }}>
          <Typography.Text type="secondary">
            {tr(lang, '点击一行打开设计器。', 'Click a row to open the designer.')}
          </Typography.Text>
        </Space>
      </Card>
    </div>
  );
}
