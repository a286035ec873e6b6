import { PlusOutlined } from '@ant-design/icons';
import { errorText } from '@lianxin/designer';
import { divisionFullName } from '@lianxin/forms';
import { localize } from '@lianxin/spec';
import { Alert, Button, Card, Input, Select, Space, Table, Tag, Typography } from 'antd';
import { useEffect, useMemo, useState } from 'react';
import type { AppBackend, FlowListItem, Me } from '../backend';
import { tr, useLang } from '../i18n';
import { navigate } from '../router';
import { api } from './workbench/api';

type Status = 'all' | 'published' | 'unpublished';

/** 流程列表: every flow of the admin's jurisdictions, with its latest version. */
export function FlowList({ backend, me }: { backend: AppBackend; me?: Me }) {
  const { lang } = useLang();
  // The key is an admin's identifier for a flow (templates and imports name it): shown to
  // admins beside the name, in grey, never on its own.
  const admin = me?.memberships.some((m) => m.role === 'admin') ?? false;
  const [flows, setFlows] = useState<FlowListItem[] | null>(null);
  const [error, setError] = useState<string>();
  useEffect(() => {
    backend
      .listFlows()
      .then(setFlows)
      .catch((e: unknown) => setError(errorText(e, lang)));
  }, [backend, lang]);
  // Which template each adopted flow extends (province and city admins filter 56 county copies by it).
  const [templateOf, setTemplateOf] = useState<Map<string, { key: string; name: string }>>();
  useEffect(() => {
    api()
      .templates.list.query()
      .then((list) =>
        setTemplateOf(
          new Map(
            list.flatMap((t) =>
              t.adoptions.map((a) => [a.flowId, { key: t.key, name: localize(t.name, lang) }]),
            ),
          ),
        ),
      )
      .catch(() => setTemplateOf(new Map())); // no template filter then; the list still shows
  }, [lang]);
  const [county, setCounty] = useState<string>();
  const [template, setTemplate] = useState<string>();
  const [status, setStatus] = useState<Status>('all');
  const [text, setText] = useState('');
  const places = useMemo(() => [...new Set((flows ?? []).map((f) => f.jurisdiction))], [flows]);
  const templates = useMemo(
    () => [...new Map([...(templateOf?.values() ?? [])].map((t) => [t.key, t])).values()],
    [templateOf],
  );
  const shown = (flows ?? []).filter(
    (f) =>
      (!county || f.jurisdiction === county) &&
      (!template || templateOf?.get(f.id)?.key === template) &&
      (status === 'all' || (status === 'published') === f.latestVersion > 0) &&
      (!text.trim() ||
        `${localize(f.name, lang)} ${f.key} ${divisionFullName(f.jurisdiction)}`.includes(
          text.trim(),
        )),
  );
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
        {places.length > 1 && (
          <Space wrap style={{ marginBottom: 12 }} data-testid="flow-filters">
            <Select
              allowClear
              showSearch
              optionFilterProp="label"
              style={{ width: 220 }}
              placeholder={tr(lang, '全部辖区', 'All jurisdictions')}
              value={county}
              onChange={setCounty}
              options={places.map((c) => ({ value: c, label: divisionFullName(c) }))}
              data-testid="flow-filter-county"
            />
            {templates.length > 0 && (
              <Select
                allowClear
                style={{ width: 220 }}
                placeholder={tr(lang, '全部模板', 'All templates')}
                value={template}
                onChange={setTemplate}
                options={templates.map((t) => ({ value: t.key, label: t.name }))}
                data-testid="flow-filter-template"
              />
            )}
            <Select<Status>
              style={{ width: 120 }}
              value={status}
              onChange={setStatus}
              options={[
                { value: 'all', label: tr(lang, '全部状态', 'Any status') },
                { value: 'published', label: tr(lang, '已发布', 'Published') },
                { value: 'unpublished', label: tr(lang, '未发布', 'Unpublished') },
              ]}
              data-testid="flow-filter-status"
            />
            <Input.Search
              allowClear
              style={{ width: 240 }}
              placeholder={tr(lang, '搜索名称、标识或辖区', 'Search name, key or place')}
              value={text}
              onChange={(e) => setText(e.target.value)}
              data-testid="flow-filter-text"
            />
            <Typography.Text type="secondary">
              {tr(
                lang,
                `${shown.length} / ${flows?.length ?? 0} 个流程`,
                `${shown.length} of ${flows?.length ?? 0} flows`,
              )}
            </Typography.Text>
          </Space>
        )}
        <Table<FlowListItem>
          rowKey="id"
          loading={flows === null && !error}
          dataSource={shown}
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
              render: (_, f) => (
                <Space size={8} wrap>
                  <Typography.Link>
                    {localize(f.name, lang) || tr(lang, '未命名流程', 'Unnamed flow')}
                  </Typography.Link>
                  {admin && (
                    <Typography.Text
                      type="secondary"
                      style={{ fontSize: 12 }}
                      data-testid="flow-key"
                    >
                      {f.key}
                    </Typography.Text>
                  )}
                </Space>
              ),
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
              // Stored in UTC: shown as Beijing time.
              render: (t: string | null) =>
                t
                  ? new Date(Date.parse(t) + 8 * 3_600_000)
                      .toISOString()
                      .slice(0, 16)
                      .replace('T', ' ')
                  : '—',
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
