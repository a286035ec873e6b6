import { CheckCircleFilled, EyeOutlined, SendOutlined, WarningFilled } from '@ant-design/icons';
import {
  Alert,
  App,
  Button,
  Checkbox,
  Col,
  Collapse,
  Drawer,
  Empty,
  Input,
  List,
  Row,
  Select,
  Space,
  Spin,
  Tag,
  Typography,
} from 'antd';
import { useCallback, useEffect, useMemo, useState } from 'react';
import { tr, useLang } from '../../i18n';
import { errorText, pick, type TemplatesApi } from './api';
import { LockDiagram } from './LockDiagram';

type Sources = Awaited<ReturnType<TemplatesApi['publishSources']['query']>>;
type Draft = Awaited<ReturnType<TemplatesApi['publishDraft']['query']>>;
type Lockable = Draft['lockables'][number];
type Preview = Awaited<ReturnType<TemplatesApi['previewPublish']['mutate']>>;
type Reason = { 'zh-CN': string; en?: string };

const GROUPS: { key: Lockable['group'][]; zh: string; en: string }[] = [
  {
    key: ['clockDeadline', 'clockStart', 'clockStop', 'clock'],
    zh: '法定时限',
    en: 'Statutory clocks',
  },
  { key: ['deadline'], zh: '步骤办理时限', en: 'Step deadlines' },
  { key: ['node'], zh: '步骤', en: 'Steps' },
  { key: ['form'], zh: '表单', en: 'Forms' },
  { key: ['field'], zh: '表单字段', en: 'Form fields' },
];
const NEW = '';

/** 发布模板: a province or city admin makes a template version from one of its flows. */
export function PublishTemplate({
  api,
  open,
  onClose,
  onPublished,
}: {
  api: TemplatesApi;
  open: boolean;
  onClose: () => void;
  onPublished: () => void;
}) {
  const { lang } = useLang();
  const { message } = App.useApp();
  const [sources, setSources] = useState<Sources>();
  const [flowId, setFlowId] = useState<string>();
  const [templateKey, setTemplateKey] = useState<string>(NEW);
  const [draft, setDraft] = useState<Draft>();
  const [name, setName] = useState<Reason>({ 'zh-CN': '' });
  const [changes, setChanges] = useState<Reason>({ 'zh-CN': '' });
  const [locks, setLocks] = useState<Record<string, Reason>>({});
  const [preview, setPreview] = useState<Preview>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();

  useEffect(() => {
    if (!open) return;
    api.publishSources
      .query()
      .then(setSources)
      .catch((e) => setError(errorText(e, lang)));
  }, [api, open, lang]);

  useEffect(() => {
    setDraft(undefined);
    setPreview(undefined);
    if (!flowId) return;
    api.publishDraft
      .query({ flowId, templateKey: templateKey || undefined })
      .then((d) => {
        setDraft(d);
        setName({ 'zh-CN': d.manifest.name['zh-CN'], en: d.manifest.name.en });
        const reasons = (d.manifest.lockReasons ?? {}) as Record<string, Reason>;
        setLocks(
          Object.fromEntries(d.manifest.locked.map((p) => [p, reasons[p] ?? { 'zh-CN': '' }])),
        );
      })
      .catch((e) => setError(errorText(e, lang)));
  }, [api, flowId, templateKey, lang]);

  const manifest = useMemo(() => {
    if (!draft) return undefined;
    const entry = { version: draft.manifest.version, changes };
    return {
      ...draft.manifest,
      name,
      changelog: [
        ...draft.manifest.changelog.filter((c) => c.version !== draft.manifest.version),
        entry,
      ],
      locked: Object.keys(locks),
      lockReasons: Object.fromEntries(Object.entries(locks).filter(([, r]) => r['zh-CN'].trim())),
    };
  }, [draft, name, changes, locks]);

  // Any edit makes an earlier preview stale.
  // biome-ignore lint/correctness/useExhaustiveDependencies: reset when the manifest changes
  useEffect(() => setPreview(undefined), [manifest]);

  // A lock added now needs its reason; one carried over from an older version may have none.
  const missingReason = Object.entries(locks).some(
    ([p, r]) => !r['zh-CN'].trim() && !draft?.manifest.locked.includes(p),
  );
  const ready = Boolean(manifest && changes['zh-CN'].trim() && name['zh-CN'].trim());

  const runPreview = async () => {
    if (!manifest || !draft) return;
    setBusy(true);
    setError(undefined);
    try {
      setPreview(
        await api.previewPublish.mutate({ manifest, flow: draft.flow, forms: draft.forms }),
      );
    } catch (e) {
      setError(errorText(e, lang));
    } finally {
      setBusy(false);
    }
  };
  const publish = async () => {
    if (!manifest || !draft) return;
    setBusy(true);
    setError(undefined);
    try {
      const r = await api.publish.mutate({
        manifest,
        flow: draft.flow,
        forms: draft.forms,
        readme: draft.readme,
        scenarios: draft.scenarios.map((x) => ({ name: x.name, script: x.script })),
      });
      message.success(
        tr(
          lang,
          `已发布“${pick(name, lang)}”第 ${r.version} 版，采纳的县区会收到提醒`,
          `Published "${pick(name, lang)}" version ${r.version}; adopting counties are told`,
        ),
      );
      onPublished();
      onClose();
    } catch (e) {
      setError(errorText(e, lang));
    } finally {
      setBusy(false);
    }
  };

  const toggle = (l: Lockable, on: boolean) =>
    setLocks((cur) => {
      const next = { ...cur };
      if (on) next[l.pointer] = cur[l.pointer] ?? { 'zh-CN': '' };
      else delete next[l.pointer];
      return next;
    });
  const inherited = (l: Lockable) => Boolean(draft?.manifest.locked.includes(l.pointer));
  const isLocked = useCallback((pointer: string) => Boolean(locks[pointer]), [locks]);
  // The same lockable shows in the diagram's step panel and in the grouped list: one state.
  const lockRow = (l: Lockable, scope = '') => {
    const reason = locks[l.pointer];
    const id = scope ? `${scope}-${l.pointer}` : l.pointer;
    return (
      <div key={l.pointer} className="lx-lock-row" data-testid={`lockable-${id}`}>
        <Checkbox checked={Boolean(reason)} onChange={(e) => toggle(l, e.target.checked)}>
          {pick(l.name, lang)}
        </Checkbox>
        {reason && (
          <Input
            size="small"
            className="lx-lock-reason"
            placeholder={tr(lang, '锁定原因（县区可见）', 'Why it is locked (counties see this)')}
            status={reason['zh-CN'].trim() || inherited(l) ? undefined : 'warning'}
            value={reason[lang === 'en' ? 'en' : 'zh-CN'] ?? ''}
            onChange={(e) =>
              setLocks((cur) => ({
                ...cur,
                [l.pointer]:
                  lang === 'en'
                    ? { ...reason, en: e.target.value }
                    : { ...reason, 'zh-CN': e.target.value },
              }))
            }
            data-testid={`lock-reason-${id}`}
          />
        )}
      </div>
    );
  };

  return (
    <Drawer
      open={open}
      onClose={onClose}
      width={1080}
      title={tr(lang, '发布模板', 'Publish a template')}
      data-testid="publish-drawer"
      extra={
        <Space>
          <Button
            icon={<EyeOutlined />}
            disabled={!ready || missingReason}
            loading={busy && !preview}
            onClick={() => void runPreview()}
            data-testid="publish-preview"
          >
            {tr(lang, '预览各县升级影响', 'Preview the counties’ upgrades')}
          </Button>
          <Button
            type="primary"
            icon={<SendOutlined />}
            disabled={!preview || (preview?.problems.length ?? 0) > 0}
            loading={busy && Boolean(preview)}
            onClick={() => void publish()}
            data-testid="publish-submit"
          >
            {draft
              ? tr(
                  lang,
                  `发布第 ${draft.manifest.version} 版`,
                  `Publish version ${draft.manifest.version}`,
                )
              : tr(lang, '发布', 'Publish')}
          </Button>
        </Space>
      }
    >
      {error && (
        <Alert
          type="error"
          showIcon
          message={error}
          style={{ marginBottom: 12 }}
          data-testid="publish-error"
        />
      )}
      {!sources ? (
        <Spin />
      ) : (
        <Space direction="vertical" size={14} style={{ width: '100%' }}>
          <Row gutter={12}>
            <Col span={12}>
              <Typography.Text strong>{tr(lang, '来源流程', 'From flow')}</Typography.Text>
              <Select
                style={{ width: '100%' }}
                placeholder={tr(lang, '选择本级的一个流程', 'Pick one of your flows')}
                value={flowId}
                onChange={setFlowId}
                data-testid="publish-flow"
                options={sources.flows.map((f) => ({
                  value: f.flowId,
                  label: `${pick(f.name, lang)}（${pick(f.jurisdictionName as never, lang)}${
                    f.latestVersion > 0
                      ? tr(lang, `，已发布 v${f.latestVersion}`, `, v${f.latestVersion}`)
                      : tr(lang, '，草稿', ', draft')
                  }）`,
                }))}
              />
            </Col>
            <Col span={12}>
              <Typography.Text strong>{tr(lang, '发布为', 'Publish as')}</Typography.Text>
              <Select
                style={{ width: '100%' }}
                value={templateKey}
                onChange={setTemplateKey}
                data-testid="publish-as"
                options={[
                  {
                    value: NEW,
                    label: tr(
                      lang,
                      '新模板（或同名模板的新版本）',
                      'A new template (or a new version of the same key)',
                    ),
                  },
                  ...sources.templates.map((t) => ({
                    value: t.key,
                    label: tr(
                      lang,
                      `“${pick(t.name, lang)}”的第 ${t.latestVersion + 1} 版`,
                      `Version ${t.latestVersion + 1} of "${pick(t.name, lang)}"`,
                    ),
                  })),
                ]}
              />
            </Col>
          </Row>
          {flowId && !draft && !error && <Spin />}
          {draft && (
            <>
              <Row gutter={12}>
                <Col span={12}>
                  <Typography.Text strong>{tr(lang, '模板名称', 'Name')}</Typography.Text>
                  <Input
                    value={name['zh-CN']}
                    onChange={(e) => setName({ ...name, 'zh-CN': e.target.value })}
                    addonBefore="中文"
                  />
                  <Input
                    value={name.en ?? ''}
                    onChange={(e) => setName({ ...name, en: e.target.value })}
                    addonBefore="English"
                    style={{ marginTop: 6 }}
                  />
                </Col>
                <Col span={12}>
                  <Typography.Text strong>
                    {tr(
                      lang,
                      `第 ${draft.manifest.version} 版更新说明`,
                      `Changelog of version ${draft.manifest.version}`,
                    )}
                  </Typography.Text>
                  <Input.TextArea
                    rows={2}
                    value={changes['zh-CN']}
                    placeholder={tr(
                      lang,
                      '本版修改了什么（中文，必填）',
                      'What this version changes (Chinese, required)',
                    )}
                    onChange={(e) => setChanges({ ...changes, 'zh-CN': e.target.value })}
                    data-testid="publish-changes-zh"
                  />
                  <Input.TextArea
                    rows={2}
                    value={changes.en ?? ''}
                    placeholder={tr(lang, '英文说明', 'In English')}
                    onChange={(e) => setChanges({ ...changes, en: e.target.value })}
                    style={{ marginTop: 6 }}
                    data-testid="publish-changes-en"
                  />
                </Col>
              </Row>
              <div>
                <Typography.Text strong>
                  {tr(
                    lang,
                    `锁定（县区不能修改）：已选 ${Object.keys(locks).length} 处`,
                    `Locked (counties cannot change): ${Object.keys(locks).length} chosen`,
                  )}
                </Typography.Text>
                {missingReason && (
                  <Typography.Text type="warning" style={{ marginLeft: 12 }}>
                    {tr(lang, '新加的锁定要写明原因', 'Each new lock needs a reason')}
                  </Typography.Text>
                )}
                <div style={{ marginTop: 6 }}>
                  <LockDiagram
                    flow={draft.flow as Record<string, unknown>}
                    lockables={draft.lockables}
                    isLocked={isLocked}
                    row={lockRow}
                    lang={lang}
                  />
                </div>
                <Typography.Text strong style={{ display: 'block', marginTop: 12 }}>
                  {tr(lang, '全部可锁定部分（按类别）', 'Everything lockable, by kind')}
                </Typography.Text>
                <Collapse
                  size="small"
                  style={{ marginTop: 6 }}
                  defaultActiveKey={['0']}
                  items={GROUPS.map((g, i) => {
                    const items = draft.lockables.filter((l) => g.key.includes(l.group));
                    const chosen = items.filter((l) => locks[l.pointer]).length;
                    return {
                      key: String(i),
                      label: (
                        <span data-testid={`lock-group-${i}`}>
                          {tr(lang, g.zh, g.en)}
                          {chosen > 0 && (
                            <Tag color="gold" style={{ marginLeft: 8 }}>
                              {chosen}
                            </Tag>
                          )}
                        </span>
                      ),
                      children: items.length ? (
                        <div className="lx-lock-list">{items.map((l) => lockRow(l))}</div>
                      ) : (
                        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} />
                      ),
                    };
                  })}
                />
              </div>
              {preview && <PreviewList preview={preview} />}
            </>
          )}
        </Space>
      )}
    </Drawer>
  );
}

function PreviewList({ preview }: { preview: Preview }) {
  const { lang } = useLang();
  return (
    <div data-testid="publish-preview-result">
      {preview.problemText && (
        <Alert
          type="error"
          showIcon
          message={tr(
            lang,
            '检查发现错误，不能发布',
            'The checker found errors; it cannot be published',
          )}
          description={pick(preview.problemText, lang)}
          style={{ marginBottom: 12 }}
        />
      )}
      <Typography.Title level={5} style={{ marginTop: 0 }}>
        {tr(
          lang,
          `升级预览：${preview.counties.length} 个采纳流程，${preview.clean} 个可直接合并，${preview.conflicting} 个有冲突`,
          `Upgrade preview: ${preview.counties.length} adopting flows, ${preview.clean} merge cleanly, ${preview.conflicting} conflict`,
        )}
      </Typography.Title>
      <List
        size="small"
        bordered
        dataSource={preview.counties}
        locale={{
          emptyText: tr(lang, '尚无县区采纳此模板', 'No county has adopted this template'),
        }}
        renderItem={(c) => (
          <List.Item data-testid={`preview-${c.jurisdiction}-${c.flowKey}`}>
            <Space direction="vertical" size={2} style={{ width: '100%' }}>
              <Space>
                {c.clean ? (
                  <CheckCircleFilled style={{ color: '#52c41a' }} />
                ) : (
                  <WarningFilled style={{ color: '#fa541c' }} />
                )}
                <Typography.Text strong>
                  {pick(c.jurisdictionName as never, lang)} · {pick(c.flowName, lang)}
                </Typography.Text>
                <Tag>{tr(lang, `当前基于 v${c.fromVersion}`, `on v${c.fromVersion}`)}</Tag>
                {c.clean ? (
                  <Tag color="green">{tr(lang, '可直接合并', 'merges cleanly')}</Tag>
                ) : (
                  <Tag color="volcano">
                    {tr(
                      lang,
                      `${c.conflicts.length + c.locked.length} 处冲突`,
                      `${c.conflicts.length + c.locked.length} conflict(s)`,
                    )}
                  </Tag>
                )}
                <Typography.Text type="secondary">
                  {tr(lang, `本地修改 ${c.local} 处`, `${c.local} local change(s)`)}
                </Typography.Text>
              </Space>
              {[...c.conflicts, ...c.locked].map((x) => (
                <Typography.Text key={x.path} type="danger" style={{ paddingLeft: 22 }}>
                  {pick(x.text, lang)}
                </Typography.Text>
              ))}
            </Space>
          </List.Item>
        )}
      />
    </div>
  );
}
