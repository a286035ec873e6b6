import {
  CloudDownloadOutlined,
  CloudUploadOutlined,
  ForkOutlined,
  LockOutlined,
  ReloadOutlined,
  RollbackOutlined,
  SendOutlined,
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
  Input,
  List,
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
import { FlowDiagram } from '../workbench/FlowDiagram';
import { errorText, pick, type TemplateEntry, type TemplatesApi } from './api';
import { ProposalsButton, ProposeDialog } from './Proposals';
import { PublishTemplate } from './PublishTemplate';
import { TemplateScenarios } from './TemplateScenarios';

type AdoptionRow = Awaited<ReturnType<TemplatesApi['adoptions']['query']>>[number];
type TemplateRow = Awaited<ReturnType<TemplatesApi['get']['query']>>;
type Json = Record<string, unknown>;
type Text = { 'zh-CN': string; en?: string };
const listOf = (v: unknown): Json[] => (Array.isArray(v) ? (v as Json[]) : []);

/** The template's locked parts by name, with the province's reason. */
function lockedParts(tpl: TemplateRow, lang: Lang) {
  const flow = tpl.flow as Json;
  const inline = listOf(flow.forms);
  const forms = [...inline, ...listOf(tpl.forms).filter((f) => !inline.some((i) => i.id === f.id))];
  const manifest = tpl.manifest as { locked?: string[]; lockReasons?: Record<string, Text> };
  const PART: Record<string, [string, string]> = {
    deadline: ['办理时限', 'deadline'],
    extension: ['延期', 'extension'],
    start: ['起算', 'start'],
    stop: ['止算', 'stop'],
    schema: ['结构', 'schema'],
  };
  return (manifest.locked ?? []).map((pointer) => {
    const [list, index, ...rest] = pointer.split('/').slice(1);
    const items = list === 'forms' ? forms : listOf(flow[list ?? '']);
    const item = items[Number(index)];
    const label = item ? pick((item.name ?? item.title) as never, lang) : '';
    const what = { nodes: ['步骤', 'step'], clocks: ['时限', 'clock'], forms: ['表单', 'form'] }[
      list ?? ''
    ] ?? ['', ''];
    const field =
      list === 'forms' && rest[0] === 'schema' && rest[2]
        ? pick(
            ((item?.schema as Json)?.properties as Record<string, Json>)?.[rest[2]]?.title as never,
            lang,
          ) || tr(lang, '字段', 'field')
        : rest[0]
          ? tr(lang, ...(PART[rest[0]] ?? [rest[0], rest[0]]))
          : '';
    return {
      pointer,
      nodeId: list === 'nodes' && typeof item?.id === 'string' ? item.id : undefined,
      name: [tr(lang, what[0] as string, what[1] as string), `“${label}”`, field]
        .filter(Boolean)
        .join(' › '),
      reason: manifest.lockReasons?.[pointer],
    };
  });
}

/** What the county sees before adopting: the diagram, clocks, forms and locks. */
function TemplatePreview({ tpl }: { tpl: TemplateRow }) {
  const { lang } = useLang();
  const flow = tpl.flow as Json;
  const locks = lockedParts(tpl, lang);
  const lockedNodes = new Set(locks.flatMap((l) => (l.nodeId ? [l.nodeId] : [])));
  const forms = [...listOf(flow.forms), ...listOf(tpl.forms)];
  return (
    <div data-testid="adopt-preview">
      <Typography.Text strong>{tr(lang, '流程图', 'Diagram')}</Typography.Text>
      <div style={{ border: '1px solid #f0f0f0', borderRadius: 6, margin: '4px 0 10px' }}>
        <FlowDiagram
          nodes={listOf(flow.nodes) as never}
          edges={listOf(flow.edges) as never}
          current={lockedNodes}
          visited={new Set()}
          lang={lang}
        />
      </div>
      <Row gutter={16}>
        <Col span={12}>
          <Typography.Text strong>{tr(lang, '时限', 'Clocks')}</Typography.Text>
          <ul className="lx-tpl-facts">
            {listOf(flow.clocks).map((c) => (
              <li key={String(c.id)}>
                {pick(c.name as never, lang)}：
                {String((c.deadline as Json | undefined)?.duration ?? '').replace(
                  /^P(\d+)D$/,
                  tr(lang, '$1 天', '$1 days'),
                )}
              </li>
            ))}
          </ul>
          <Typography.Text strong>
            {tr(lang, `表单 ${forms.length} 张`, `${forms.length} forms`)}
          </Typography.Text>
          <div style={{ marginTop: 4 }}>
            {forms.map((f) => (
              <Tag key={String(f.id)}>{pick((f.title ?? f.name) as never, lang)}</Tag>
            ))}
          </div>
        </Col>
        <Col span={12}>
          <Typography.Text strong>
            {tr(lang, `省级锁定 ${locks.length} 处`, `${locks.length} locked part(s)`)}
          </Typography.Text>
          <ul className="lx-tpl-facts" data-testid="adopt-preview-locks">
            {locks.map((l) => (
              <li key={l.pointer}>
                <LockOutlined style={{ color: '#d48806' }} /> {l.name}
                {l.reason && (
                  <Typography.Text type="secondary">
                    （{pick(l.reason as never, lang)}）
                  </Typography.Text>
                )}
              </li>
            ))}
          </ul>
        </Col>
      </Row>
    </div>
  );
}

/** One adopted flow's local changes in words; its county admin may reset each. */
function LocalChanges({
  api,
  flowId,
  canReset,
  onChanged,
}: {
  api: TemplatesApi;
  flowId: string;
  canReset: boolean;
  onChanged: () => void;
}) {
  const { lang } = useLang();
  const { message } = App.useApp();
  const [changes, setChanges] =
    useState<Awaited<ReturnType<TemplatesApi['overlay']['query']>>['changes']>();
  const [error, setError] = useState<string>();
  const load = useCallback(() => {
    api.overlay
      .query({ flowId })
      .then((r) => setChanges(r.changes))
      .catch((e) => setError(errorText(e, lang)));
  }, [api, flowId, lang]);
  useEffect(load, [load]);
  const reset = async (path: string) => {
    try {
      await api.resetChange.mutate({ flowId, path });
      message.success(tr(lang, '已恢复为模板的值', 'Reset to the template’s value'));
      load();
      onChanged();
    } catch (e) {
      message.error(errorText(e, lang));
    }
  };
  if (error) return <Alert type="error" showIcon message={error} />;
  if (!changes) return <Spin size="small" />;
  return (
    <List
      size="small"
      data-testid={`changes-${flowId}`}
      dataSource={changes}
      locale={{ emptyText: tr(lang, '没有本地修改，与模板一致', 'No local changes') }}
      renderItem={(c, i) => (
        <List.Item
          data-testid={`change-${flowId}-${i}`}
          actions={
            canReset
              ? [
                  <Button
                    key="reset"
                    size="small"
                    icon={<RollbackOutlined />}
                    onClick={() => void reset(c.path)}
                    data-testid={`reset-${flowId}-${i}`}
                  >
                    {tr(lang, '恢复模板值', 'Reset')}
                  </Button>,
                ]
              : []
          }
        >
          {pick(c.text, lang)}
        </List.Item>
      )}
    />
  );
}

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
  const [rows, setRows] = useState<AdoptionRow[]>([]);
  useEffect(() => {
    api.adoptions
      .query({ key: entry.key })
      .then(setRows)
      .catch(() => setRows([]));
  }, [api, entry]);
  const mine = county ? rows.filter((a) => a.jurisdiction === county.jurisdiction) : [];
  const [adoptOpen, setAdoptOpen] = useState(false);
  const [version, setVersion] = useState(entry.latestVersion);
  const [busy, setBusy] = useState(false);
  const [flowKey, setFlowKey] = useState('');
  const [flowName, setFlowName] = useState('');
  const [flowNameEn, setFlowNameEn] = useState('');
  const [proposeFor, setProposeFor] = useState<AdoptionRow>();
  const [preview, setPreview] = useState<TemplateRow>();
  useEffect(() => {
    if (!adoptOpen) return;
    api.get
      .query({ key: entry.key, version })
      .then(setPreview)
      .catch((e) => message.error(errorText(e, lang)));
  }, [api, adoptOpen, entry.key, version, message, lang]);
  const localOf = (flowId: string) => entry.adoptions.find((a) => a.flowId === flowId);

  const adopt = async () => {
    if (!county) return;
    setBusy(true);
    try {
      const r = await api.adopt.mutate({
        templateKey: entry.key,
        version,
        jurisdiction: county.jurisdiction,
        ...(flowKey.trim() ? { key: flowKey.trim() } : {}),
        ...(flowName.trim()
          ? {
              name: {
                'zh-CN': flowName.trim(),
                ...(flowNameEn.trim() ? { en: flowNameEn.trim() } : {}),
              },
            }
          : {}),
      });
      message.success(
        tr(lang, `已采纳第 ${version} 版，生成本地草稿`, `Adopted version ${version} as a draft`),
      );
      setAdoptOpen(false);
      onChanged();
      navigate(`/flows/${encodeURIComponent(r.flowId)}`);
    } catch (e) {
      message.error(errorText(e, lang));
    } finally {
      setBusy(false);
    }
  };
  const exportBundle = async (v: number) => {
    try {
      const bundle = await api.exportBundle.query({ key: entry.key, version: v });
      download(`${entry.key}-v${v}.lianxin-template.json`, bundle);
    } catch (e) {
      message.error(errorText(e, lang));
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
          {mine.map((a) => (
            <Space key={a.flowId} size={2} data-testid={`mine-${a.flowKey}`}>
              {mine.length > 1 && <Typography.Text>{pick(a.flowName, lang)}</Typography.Text>}
              <Tag color="green">
                {tr(lang, `本县已采纳 v${a.adoptedVersion}`, `Adopted v${a.adoptedVersion}`)}
              </Tag>
              {a.runningVersion !== a.adoptedVersion && (
                <Tag color={a.runningVersion ? 'orange' : 'default'}>
                  {a.runningVersion
                    ? tr(lang, `正在运行 v${a.runningVersion}`, `Running v${a.runningVersion}`)
                    : tr(lang, '尚未发布', 'Not published yet')}
                </Tag>
              )}
              <Button
                size="small"
                icon={<SendOutlined />}
                onClick={() => setProposeFor(a)}
                data-testid={`propose-${a.flowKey}`}
              >
                {tr(lang, '提交给省级', 'Offer to the province')}
              </Button>
            </Space>
          ))}
          {county && (
            <Button
              type={mine.length ? 'default' : 'primary'}
              icon={<ForkOutlined />}
              onClick={() => {
                setFlowKey(mine.length ? '' : entry.key);
                setFlowName(mine.length ? '' : pick(entry.name, 'zh-CN'));
                setFlowNameEn(mine.length ? '' : (entry.name.en ?? ''));
                setAdoptOpen(true);
              }}
              data-testid={`adopt-${entry.key}`}
            >
              {mine.length ? tr(lang, '再采纳一份', 'Adopt again') : tr(lang, '采纳', 'Adopt')}
            </Button>
          )}
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
          <Table<AdoptionRow>
            size="small"
            rowKey="flowId"
            dataSource={rows}
            pagination={{ pageSize: 8, hideOnSinglePage: true }}
            locale={{ emptyText: tr(lang, '尚无辖区采纳', 'Not adopted yet') }}
            expandable={{
              expandedRowRender: (a) => (
                <LocalChanges
                  api={api}
                  flowId={a.flowId}
                  canReset={county?.jurisdiction === a.jurisdiction}
                  onChanged={onChanged}
                />
              ),
            }}
            onRow={(a) => ({ 'data-testid': `adoption-${a.jurisdiction}-${a.flowKey}` }) as never}
            columns={[
              {
                title: tr(lang, '辖区 · 流程', 'Jurisdiction · flow'),
                render: (_, a) => (
                  <span>
                    {pick(a.jurisdictionName as never, lang)}
                    <Typography.Text type="secondary"> · {pick(a.flowName, lang)}</Typography.Text>
                  </span>
                ),
              },
              {
                title: tr(lang, '已采纳', 'Adopted'),
                render: (_, a) => (
                  <Tag
                    color={a.upgradePending ? 'orange' : 'green'}
                    data-testid={`adopted-${a.jurisdiction}-${a.flowKey}`}
                  >
                    v{a.adoptedVersion}
                  </Tag>
                ),
              },
              {
                title: tr(lang, '正在运行', 'Running'),
                render: (_, a) => (
                  <span data-testid={`running-${a.jurisdiction}-${a.flowKey}`}>
                    {a.runningVersion ? (
                      <Tag color={a.runningVersion === a.latestVersion ? 'blue' : 'default'}>
                        v{a.runningVersion}
                      </Tag>
                    ) : (
                      <Typography.Text type="secondary">
                        {tr(lang, '未发布', 'unpublished')}
                      </Typography.Text>
                    )}
                  </span>
                ),
              },
              {
                title: tr(lang, '本地修改', 'Local changes'),
                render: (_, a) => {
                  const n = localOf(a.flowId)?.localChanges ?? 0;
                  return (
                    <Typography.Text
                      type={n ? undefined : 'secondary'}
                      data-testid={`local-${a.jurisdiction}-${a.flowKey}`}
                    >
                      {n ? tr(lang, `${n} 处`, `${n}`) : tr(lang, '无', 'none')}
                    </Typography.Text>
                  );
                },
              },
              {
                title: tr(lang, '状态', 'Status'),
                align: 'right',
                render: (_, a) =>
                  a.upgradePending && county?.jurisdiction === a.jurisdiction ? (
                    <Button
                      size="small"
                      type="primary"
                      ghost
                      icon={<SyncOutlined />}
                      data-testid={`upgrade-${a.jurisdiction}-${a.flowKey}`}
                      onClick={() =>
                        navigate(
                          `/templates/upgrade/${encodeURIComponent(a.flowId)}/${entry.latestVersion}`,
                        )
                      }
                    >
                      {tr(
                        lang,
                        `升级到 v${entry.latestVersion}`,
                        `Upgrade to v${entry.latestVersion}`,
                      )}
                    </Button>
                  ) : a.upgradePending ? (
                    <Typography.Text type="warning">
                      {tr(lang, '待升级', 'Upgrade pending')}
                    </Typography.Text>
                  ) : a.publishPending ? (
                    <Typography.Text type="warning">
                      {tr(lang, '已升级，待发布', 'Upgraded, not published')}
                    </Typography.Text>
                  ) : (
                    <Typography.Text type="success">
                      {tr(lang, '已是最新', 'Up to date')}
                    </Typography.Text>
                  ),
              },
            ]}
          />
        </Col>
      </Row>
      <Modal
        open={adoptOpen}
        width={900}
        title={tr(lang, `采纳模板：${pick(entry.name, lang)}`, `Adopt ${pick(entry.name, lang)}`)}
        okText={tr(lang, '采纳并打开设计器', 'Adopt and open the designer')}
        cancelText={tr(lang, '取消', 'Cancel')}
        confirmLoading={busy}
        onOk={() => void adopt()}
        onCancel={() => setAdoptOpen(false)}
        okButtonProps={{ disabled: !flowKey.trim() } as never}
      >
        <Typography.Paragraph>
          {tr(
            lang,
            `将为 ${pick(county?.jurisdictionName as never, lang)} 生成一份流程草稿，记录“继承自 ${entry.key}”。本地修改会单独记录，省里发布新版时可三方对比后升级。`,
            `Creates a draft flow for ${pick(county?.jurisdictionName as never, lang)} that extends ${entry.key}. Local changes are kept apart, so a new provincial version can be merged with a three-way comparison.`,
          )}
        </Typography.Paragraph>
        <Space wrap style={{ marginBottom: 12 }}>
          <Select
            style={{ width: 140 }}
            value={version}
            onChange={setVersion}
            options={entry.versions.map((v) => ({
              value: v.version,
              label: tr(lang, `第 ${v.version} 版`, `Version ${v.version}`),
            }))}
          />
          <Input
            style={{ width: 220 }}
            addonBefore={tr(lang, '流程名称', 'Name')}
            value={flowName}
            onChange={(e) => setFlowName(e.target.value)}
            data-testid="adopt-name"
          />
          <Input
            style={{ width: 240 }}
            addonBefore={tr(lang, '英文名称', 'English name')}
            placeholder={tr(lang, '可选', 'optional')}
            value={flowNameEn}
            onChange={(e) => setFlowNameEn(e.target.value)}
            data-testid="adopt-name-en"
          />
          <Input
            style={{ width: 240 }}
            addonBefore={tr(lang, '流程标识', 'Key')}
            placeholder={tr(lang, '英文字母开头', 'starts with a letter')}
            value={flowKey}
            onChange={(e) => setFlowKey(e.target.value)}
            data-testid="adopt-key"
          />
        </Space>
        {preview ? (
          <>
            <TemplatePreview tpl={preview} />
            <TemplateScenarios api={api} tpl={preview} />
          </>
        ) : (
          <Spin />
        )}
      </Modal>
      {proposeFor && (
        <ProposeDialog
          api={api}
          flowId={proposeFor.flowId}
          flowName={pick(proposeFor.flowName, lang)}
          open
          onClose={() => setProposeFor(undefined)}
        />
      )}
    </Card>
  );
}

/** 模板库: published templates, their versions, who adopted which version, with local changes. */
export function TemplateLibrary({
  me,
  api,
  proposal,
}: {
  me: Me;
  api: TemplatesApi;
  /** A proposal to open at once (the bell links here). */
  proposal?: string;
}) {
  const { lang } = useLang();
  const { message } = App.useApp();
  const [entries, setEntries] = useState<TemplateEntry[] | null>(null);
  const [error, setError] = useState<string>();
  const [importError, setImportError] = useState<{ fn: (l: Lang) => string }>();
  const [publishOpen, setPublishOpen] = useState(false);
  const load = useCallback(() => {
    api.list
      .query()
      .then(setEntries)
      .catch((e) => setError(errorText(e, lang)));
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
      const name = entries?.find((e) => e.key === r.key)?.name;
      const label = name ? pick(name, lang) : r.key;
      if (r.unchanged)
        message.info(
          tr(
            lang,
            `“${label}”第 ${r.version} 版已在库中，内容相同，未做任何改动`,
            `"${label}" version ${r.version} is already here with the same content; nothing changed`,
          ),
        );
      else
        message.success(
          tr(lang, `已导入“${label}”第 ${r.version} 版`, `Imported "${label}" v${r.version}`),
        );
      load();
    } catch (e) {
      setImportError({ fn: (l) => errorText(e, l) });
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
          {(publishes(me) || adoptingCounty(me)) && (
            <ProposalsButton api={api} reviewer={publishes(me)} openId={proposal} />
          )}
          {publishes(me) && (
            <Button
              type="primary"
              icon={<SendOutlined />}
              onClick={() => setPublishOpen(true)}
              data-testid="publish-template"
            >
              {tr(lang, '发布模板', 'Publish a template')}
            </Button>
          )}
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
      <PublishTemplate
        api={api}
        open={publishOpen}
        onClose={() => setPublishOpen(false)}
        onPublished={load}
      />
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
