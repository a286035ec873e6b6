import {
  CloudDownloadOutlined,
  CloudUploadOutlined,
  ForkOutlined,
  LockOutlined,
  ReloadOutlined,
  SyncOutlined,
} from '@ant-design/icons';
import type { Lang } from '@lianxin/spec';
import {
  Alert,
  App,
  Badge,
  Button,
  Card,
  Col,
  Empty,
  Modal,
  Row,
  Select,
  Space,
  Spin,
  Table,
  Tag,
  Timeline,
  Tooltip,
  Typography,
  Upload,
} from 'antd';
import dayjs from 'dayjs';
import { useCallback, useEffect, useMemo, useState } from 'react';
import type { Me } from '../../backend';
import { tr, useLang } from '../../i18n';
import { navigate } from '../../router';
import './templates.css';
import { errorText, pick, type TemplateEntry, type TemplatesApi } from './api';

type Adoption = TemplateEntry['adoptions'][number];

/** Saves `data` as a JSON file through the browser's download. */
function download(name: string, data: unknown) {
  const blob = new Blob([JSON.stringify(data, null, 2)], { type: 'application/json' });
  const a = document.createElement('a');
  a.href = URL.createObjectURL(blob);
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(a.href), 1000);
}

/** The county where this user adopts flows (a county admin's own county), if any. */
function adoptingCounty(me: Me) {
  return me.memberships.find((m) => m.role === 'admin' && m.level === 'county');
}
/** Whether this user publishes templates (a province or city admin). */
function publishes(me: Me) {
  return me.memberships.some(
    (m) => m.role === 'admin' && (m.level === 'province' || m.level === 'city'),
  );
}

function TemplateCard({
  entry,
  me,
  api,
  onChanged,
}: {
  entry: TemplateEntry;
  me: Me;
  api: TemplatesApi;
  onChanged: () => void;
}) {
  const { lang } = useLang();
  const { message } = App.useApp();
  const county = adoptingCounty(me);
  const mine = county && entry.adoptions.find((a) => a.jurisdiction === county.jurisdiction);
  const [adoptOpen, setAdoptOpen] = useState(false);
  const [version, setVersion] = useState(entry.latestVersion);
  const [busy, setBusy] = useState(false);

  const adopt = async () => {
    if (!county) return;
    setBusy(true);
    try {
      const r = await api.adopt.mutate({
        templateKey: entry.key,
        version,
        jurisdiction: county.jurisdiction,
      });
      message.success(
        tr(lang, `已采纳第 ${version} 版，生成本地草稿`, `Adopted version ${version} as a draft`),
      );
      setAdoptOpen(false);
      onChanged();
      navigate(`/flows/${encodeURIComponent(r.flowId)}`);
    } catch (e) {
      message.error(errorText(e, lang).text);
    } finally {
      setBusy(false);
    }
  };
  const exportBundle = async (v: number) => {
    try {
      const bundle = await api.exportBundle.query({ key: entry.key, version: v });
      download(`${entry.key}-v${v}.lianxin-template.json`, bundle);
    } catch (e) {
      message.error(errorText(e, lang).text);
    }
  };

  return (
    <Card
      className="lx-tpl-card"
      data-testid={`template-${entry.key}`}
      title={
        <Space size={10} wrap>
          <Typography.Text strong style={{ fontSize: 16 }}>
            {pick(entry.name, lang)}
          </Typography.Text>
          <Tag color="blue">v{entry.latestVersion}</Tag>
          <Typography.Text type="secondary" code>
            {entry.key}
          </Typography.Text>
          {entry.locked.length > 0 && (
            <Tooltip
              title={tr(
                lang,
                `省级锁定 ${entry.locked.length} 处（如法定时限），县级不能修改`,
                `${entry.locked.length} part(s) locked by the province (e.g. statutory deadlines)`,
              )}
            >
              <Tag icon={<LockOutlined />} color="gold">
                {tr(lang, `锁定 ${entry.locked.length}`, `${entry.locked.length} locked`)}
              </Tag>
            </Tooltip>
          )}
        </Space>
      }
      extra={
        <Space>
          <Button
            icon={<CloudDownloadOutlined />}
            onClick={() => void exportBundle(entry.latestVersion)}
            data-testid={`export-${entry.key}`}
          >
            {tr(lang, '导出模板包', 'Export bundle')}
          </Button>
          {county &&
            (mine ? (
              <Tag color="green">
                {tr(lang, `本县已采纳 v${mine.version}`, `Adopted v${mine.version}`)}
              </Tag>
            ) : (
              <Button
                type="primary"
                icon={<ForkOutlined />}
                onClick={() => setAdoptOpen(true)}
                data-testid={`adopt-${entry.key}`}
              >
                {tr(lang, '采纳', 'Adopt')}
              </Button>
            ))}
        </Space>
      }
    >
      {entry.summary && (
        <Typography.Paragraph type="secondary" ellipsis={{ rows: 2 }} style={{ marginTop: -4 }}>
          {pick(entry.summary, lang)}
        </Typography.Paragraph>
      )}
      <Row gutter={24}>
        <Col span={9}>
          <Typography.Title level={5} style={{ marginTop: 0 }}>
            {tr(lang, '版本与更新说明', 'Versions and changelog')}
          </Typography.Title>
          <Timeline
            style={{ marginTop: 12 }}
            items={entry.versions.map((v) => ({
              color: v.version === entry.latestVersion ? 'blue' : 'gray',
              children: (
                <div>
                  <Space size={6}>
                    <Typography.Text strong>
                      {tr(lang, `第 ${v.version} 版`, `Version ${v.version}`)}
                    </Typography.Text>
                    <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                      {dayjs(v.publishedAt).format('YYYY-MM-DD')}
                    </Typography.Text>
                  </Space>
                  <div>{pick(v.changes, lang) || tr(lang, '（无说明）', '(no notes)')}</div>
                </div>
              ),
            }))}
          />
        </Col>
        <Col span={15}>
          <Typography.Title level={5} style={{ marginTop: 0 }}>
            {tr(lang, '采纳情况', 'Adoptions')}{' '}
            <Badge count={entry.adoptions.length} showZero color="#1677ff" />
          </Typography.Title>
          <Table<Adoption>
            size="small"
            rowKey="flowId"
            dataSource={entry.adoptions}
            pagination={{ pageSize: 5, hideOnSinglePage: true }}
            locale={{ emptyText: tr(lang, '尚无辖区采纳', 'Not adopted yet') }}
            columns={[
              {
                title: tr(lang, '辖区', 'Jurisdiction'),
                render: (_, a) =>
                  a.jurisdictionName
                    ? `${pick(a.jurisdictionName as never, lang)}（${a.jurisdiction}）`
                    : a.jurisdiction,
              },
              {
                title: tr(lang, '所用版本', 'Version'),
                render: (_, a) =>
                  a.upgradable ? (
                    <Tag color="orange">
                      v{a.version} → v{entry.latestVersion}
                    </Tag>
                  ) : (
                    <Tag color="green">v{a.version}</Tag>
                  ),
              },
              {
                title: tr(lang, '本地修改', 'Local changes'),
                render: (_, a) =>
                  a.localChanges > 0 ? (
                    <Typography.Text data-testid={`local-${a.jurisdiction}-${entry.key}`}>
                      {tr(lang, `${a.localChanges} 处`, `${a.localChanges}`)}
                    </Typography.Text>
                  ) : (
                    <Typography.Text
                      type="secondary"
                      data-testid={`local-${a.jurisdiction}-${entry.key}`}
                    >
                      {tr(lang, '无', 'none')}
                    </Typography.Text>
                  ),
              },
              {
                title: '',
                align: 'right',
                render: (_, a) =>
                  a.upgradable && county?.jurisdiction === a.jurisdiction ? (
                    <Button
                      size="small"
                      type="primary"
                      ghost
                      icon={<SyncOutlined />}
                      data-testid={`upgrade-${a.jurisdiction}-${entry.key}`}
                      onClick={() =>
                        navigate(
                          `/templates/upgrade/${encodeURIComponent(a.flowId)}/${entry.latestVersion}`,
                        )
                      }
                    >
                      {tr(lang, '升级', 'Upgrade')}
                    </Button>
                  ) : a.upgradable ? (
                    <Typography.Text type="warning">{tr(lang, '待升级', 'Behind')}</Typography.Text>
                  ) : null,
              },
            ]}
          />
        </Col>
      </Row>
      <Modal
        open={adoptOpen}
        title={tr(lang, `采纳模板：${pick(entry.name, lang)}`, `Adopt ${pick(entry.name, lang)}`)}
        okText={tr(lang, '采纳并打开设计器', 'Adopt and open the designer')}
        cancelText={tr(lang, '取消', 'Cancel')}
        confirmLoading={busy}
        onOk={() => void adopt()}
        onCancel={() => setAdoptOpen(false)}
      >
        <Typography.Paragraph>
          {tr(
            lang,
            `将为 ${pick(county?.jurisdictionName as never, lang)} 生成一份流程草稿，记录“继承自 ${entry.key}”。本地修改会单独记录，省里发布新版时可三方对比后升级。`,
            `Creates a draft flow for ${pick(county?.jurisdictionName as never, lang)} that extends ${entry.key}. Local changes are kept apart, so a new provincial version can be merged with a three-way comparison.`,
          )}
        </Typography.Paragraph>
        <Select
          style={{ width: 200 }}
          value={version}
          onChange={setVersion}
          options={entry.versions.map((v) => ({
            value: v.version,
            label: tr(lang, `第 ${v.version} 版`, `Version ${v.version}`),
          }))}
        />
      </Modal>
    </Card>
  );
}

/** 模板库: published templates, their versions, who adopted which version, with local changes. */
export function TemplateLibrary({ me, api }: { me: Me; api: TemplatesApi }) {
  const { lang } = useLang();
  const { message } = App.useApp();
  const [entries, setEntries] = useState<TemplateEntry[] | null>(null);
  const [error, setError] = useState<string>();
  const [importError, setImportError] = useState<{ fn: (l: Lang) => string }>();
  const load = useCallback(() => {
    api.list
      .query()
      .then(setEntries)
      .catch((e) => setError(errorText(e, lang).text));
  }, [api, lang]);
  useEffect(load, [load]);
  const stats = useMemo(() => {
    const list = entries ?? [];
    return {
      templates: list.length,
      adoptions: list.reduce((n, e) => n + e.adoptions.length, 0),
      behind: list.reduce((n, e) => n + e.adoptions.filter((a) => a.upgradable).length, 0),
    };
  }, [entries]);

  const importFile = async (file: File) => {
    setImportError(undefined);
    let bundle: unknown;
    try {
      bundle = JSON.parse(await file.text());
    } catch {
      setImportError({
        fn: (l) =>
          tr(
            l,
            '文件不是有效的 JSON，模板包已损坏，未导入任何内容',
            'The file is not valid JSON: the bundle is damaged; nothing was imported',
          ),
      });
      return;
    }
    try {
      const r = await api.importBundle.mutate({ bundle });
      message.success(
        tr(lang, `已导入 ${r.key} 第 ${r.version} 版`, `Imported ${r.key} v${r.version}`),
      );
      load();
    } catch (e) {
      setImportError({ fn: (l) => errorText(e, l).text });
    }
  };

  return (
    <div className="lx-page" data-testid="template-library">
      <div className="lx-tpl-head">
        <div>
          <Typography.Title level={3} style={{ margin: 0 }}>
            {tr(lang, '模板库', 'Template library')}
          </Typography.Title>
          <Typography.Text type="secondary">
            {tr(
              lang,
              `省市发布的流程模板 · ${stats.templates} 个模板 · ${stats.adoptions} 次采纳 · ${stats.behind} 个待升级`,
              `Templates published by the province and cities · ${stats.templates} templates · ${stats.adoptions} adoptions · ${stats.behind} behind`,
            )}
          </Typography.Text>
        </div>
        <Space>
          <Button icon={<ReloadOutlined />} onClick={load}>
            {tr(lang, '刷新', 'Refresh')}
          </Button>
          {publishes(me) && (
            <Upload
              accept=".json,application/json"
              showUploadList={false}
              beforeUpload={(file) => {
                void importFile(file);
                return false;
              }}
            >
              <Button type="primary" icon={<CloudUploadOutlined />} data-testid="import-bundle">
                {tr(lang, '导入模板包', 'Import bundle')}
              </Button>
            </Upload>
          )}
        </Space>
      </div>
      {importError && (
        <Alert
          type="error"
          showIcon
          closable
          onClose={() => setImportError(undefined)}
          message={tr(lang, '模板包未导入', 'Bundle not imported')}
          description={importError.fn(lang)}
          style={{ marginBottom: 16 }}
          data-testid="import-error"
        />
      )}
      {error && <Alert type="error" showIcon message={error} style={{ marginBottom: 16 }} />}
      {entries === null && !error ? (
        <Spin size="large" style={{ display: 'block', margin: '20vh auto' }} />
      ) : entries?.length === 0 ? (
        <Empty description={tr(lang, '还没有发布的模板', 'No templates published yet')} />
      ) : (
        <Space direction="vertical" size={16} style={{ width: '100%' }}>
          {entries?.map((e) => (
            <TemplateCard key={e.key} entry={e} me={me} api={api} onChanged={load} />
          ))}
        </Space>
      )}
    </div>
  );
}
