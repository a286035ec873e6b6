import {
  ArrowLeftOutlined,
  BranchesOutlined,
  CheckCircleFilled,
  CloudServerOutlined,
  HomeOutlined,
  WarningFilled,
} from '@ant-design/icons';
import {
  Alert,
  App,
  Button,
  Card,
  Col,
  Empty,
  Radio,
  Result,
  Row,
  Space,
  Spin,
  Tag,
  Typography,
} from 'antd';
import { useEffect, useMemo, useState } from 'react';
import { tr, useLang } from '../../i18n';
import { navigate } from '../../router';
import './templates.css';
import {
  type ConflictView,
  type DescribedChange,
  errorText,
  pick,
  type TemplatesApi,
  type UpgradePlanView,
} from './api';

const OP_TAG: Record<string, { color: string; zh: string; en: string }> = {
  add: { color: 'green', zh: '新增', en: 'added' },
  remove: { color: 'red', zh: '删除', en: 'removed' },
  replace: { color: 'blue', zh: '修改', en: 'changed' },
};

function ChangeList({ changes, testid }: { changes: DescribedChange[]; testid: string }) {
  const { lang } = useLang();
  if (changes.length === 0)
    return (
      <Empty
        image={Empty.PRESENTED_IMAGE_SIMPLE}
        description={tr(lang, '没有修改', 'No changes')}
      />
    );
  return (
    <div className="lx-changes" data-testid={testid}>
      {changes.map((c) => {
        const tag = OP_TAG[c.op] ?? { color: 'default', zh: c.op, en: c.op };
        return (
          <div key={c.path} className={`lx-change${c.conflict ? ' lx-change-conflict' : ''}`}>
            <Tag color={tag.color}>{tr(lang, tag.zh, tag.en)}</Tag>
            <div className="lx-change-body">
              <div className="lx-change-where">{pick(c.where, lang)}</div>
              <div className="lx-change-text">
                {c.op === 'add' ? (
                  <span className="lx-val-new">{pick(c.afterText, lang)}</span>
                ) : c.op === 'remove' ? (
                  <span className="lx-val-old">{pick(c.beforeText, lang)}</span>
                ) : (
                  <>
                    <span className="lx-val-old">{pick(c.beforeText, lang)}</span>
                    <span className="lx-val-arrow">→</span>
                    <span className="lx-val-new">{pick(c.afterText, lang)}</span>
                  </>
                )}
              </div>
            </div>
            {c.conflict && (
              <Tag color="volcano" className="lx-change-flag">
                {tr(lang, '冲突', 'conflict')}
              </Tag>
            )}
          </div>
        );
      })}
    </div>
  );
}

function ConflictCard({
  conflict,
  index,
  value,
  onChange,
  plan,
}: {
  conflict: ConflictView;
  index: number;
  value: 'ours' | 'theirs' | undefined;
  onChange: (v: 'ours' | 'theirs') => void;
  plan: UpgradePlanView;
}) {
  const { lang } = useLang();
  const cell = (label: string, text: string, kind: 'base' | 'theirs' | 'ours', chosen: boolean) => (
    <div className={`lx-tri lx-tri-${kind}${chosen ? ' lx-tri-chosen' : ''}`}>
      <div className="lx-tri-label">{label}</div>
      <div className="lx-tri-value" data-testid={`conflict-${index}-${kind}`}>
        {text}
      </div>
    </div>
  );
  return (
    <Card
      size="small"
      className={`lx-conflict${value ? ' lx-conflict-done' : ''}`}
      data-testid={`conflict-${index}`}
      title={
        <Space>
          {value ? (
            <CheckCircleFilled style={{ color: '#52c41a' }} />
          ) : (
            <WarningFilled style={{ color: '#fa541c' }} />
          )}
          <span>
            {tr(lang, `冲突 ${index + 1}：`, `Conflict ${index + 1}: `)}
            {pick(conflict.where, lang)}
          </span>
        </Space>
      }
    >
      <div className="lx-tri-row">
        {cell(
          tr(lang, `原模板 v${plan.fromVersion}`, `Template v${plan.fromVersion}`),
          pick(conflict.baseText, lang),
          'base',
          false,
        )}
        {cell(
          tr(lang, `新模板 v${plan.toVersion}`, `Template v${plan.toVersion}`),
          pick(conflict.theirsText, lang),
          'theirs',
          value === 'theirs',
        )}
        {cell(
          tr(lang, '本县现在', 'Ours now'),
          pick(conflict.oursText, lang),
          'ours',
          value === 'ours',
        )}
      </div>
      <Radio.Group
        value={value}
        onChange={(e) => onChange(e.target.value)}
        optionType="button"
        buttonStyle="solid"
        style={{ marginTop: 12 }}
      >
        <Radio.Button value="ours" data-testid={`conflict-${index}-keep-ours`}>
          <HomeOutlined /> {tr(lang, '保留本地', 'Keep ours')}（{pick(conflict.oursText, lang)}）
        </Radio.Button>
        <Radio.Button value="theirs" data-testid={`conflict-${index}-take-theirs`}>
          <CloudServerOutlined /> {tr(lang, '采用新版', 'Take theirs')}（
          {pick(conflict.theirsText, lang)}）
        </Radio.Button>
      </Radio.Group>
    </Card>
  );
}

/** The upgrade screen: the template's changes, the county's own, conflicts to settle, one click. */
export function UpgradePage({
  api,
  flowId,
  toVersion,
}: {
  api: TemplatesApi;
  flowId: string;
  toVersion: number;
}) {
  const { lang } = useLang();
  const { message } = App.useApp();
  const [plan, setPlan] = useState<UpgradePlanView | null>(null);
  const [error, setError] = useState<unknown>();
  const [choices, setChoices] = useState<Record<string, 'ours' | 'theirs'>>({});
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState<{ templateVersion: number; localChanges: number }>();

  useEffect(() => {
    setPlan(null);
    setChoices({});
    api.planUpgrade
      .query({ flowId, toVersion })
      .then(setPlan)
      .catch((e) => setError(e));
  }, [api, flowId, toVersion]);

  const resolved = useMemo(
    () => (plan ? plan.conflicts.filter((c) => choices[c.path]).length : 0),
    [plan, choices],
  );

  const upgrade = async () => {
    if (!plan) return;
    setBusy(true);
    setError(undefined);
    try {
      const r = await api.upgrade.mutate({ flowId, toVersion, resolutions: choices });
      setDone(r);
      message.success(tr(lang, '升级完成', 'Upgraded'));
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  if (done && plan)
    return (
      <div className="lx-page" data-testid="upgrade-done">
        <Card>
          <Result
            status="success"
            title={tr(
              lang,
              `已升级到 ${pick(plan.templateName, lang)} 第 ${done.templateVersion} 版`,
              `Upgraded to ${pick(plan.templateName, lang)} version ${done.templateVersion}`,
            )}
            subTitle={tr(
              lang,
              `新版本已写入本县流程草稿，保留本地修改 ${done.localChanges} 处。已发布的版本和在办事项不受影响，发布草稿后新登记的事项才使用新版。`,
              `The new version is in the county's draft with ${done.localChanges} local change(s) kept. Published versions and running cases are untouched; new cases use it once the draft is published.`,
            )}
            extra={[
              <Button
                key="open"
                type="primary"
                onClick={() => navigate(`/flows/${encodeURIComponent(flowId)}`)}
              >
                {tr(lang, '在设计器中打开草稿', 'Open the draft in the designer')}
              </Button>,
              <Button key="back" onClick={() => navigate('/templates')}>
                {tr(lang, '返回模板库', 'Back to the library')}
              </Button>,
            ]}
          />
        </Card>
      </div>
    );

  return (
    <div className="lx-page" data-testid="upgrade-page">
      <div className="lx-tpl-head">
        <div>
          <Space align="center" size={12}>
            <Button
              type="text"
              icon={<ArrowLeftOutlined />}
              onClick={() => navigate('/templates')}
              aria-label={tr(lang, '返回', 'Back')}
            />
            <Typography.Title level={3} style={{ margin: 0 }}>
              {tr(lang, '升级到新版模板', 'Upgrade to a new template version')}
            </Typography.Title>
          </Space>
          {plan && (
            <div style={{ marginLeft: 44 }}>
              <Typography.Text type="secondary">
                {pick(plan.flowName as never, lang)} ·{' '}
                {pick((plan.jurisdictionName ?? { 'zh-CN': '' }) as never, lang)} ·{' '}
                {pick(plan.templateName, lang)}{' '}
              </Typography.Text>
              <Tag>v{plan.fromVersion}</Tag>→<Tag color="blue">v{plan.toVersion}</Tag>
            </div>
          )}
        </div>
        {plan && (
          <Space size={16}>
            {plan.conflicts.length > 0 ? (
              <Typography.Text data-testid="resolved-count">
                {tr(
                  lang,
                  `已决定 ${resolved} / ${plan.conflicts.length} 处冲突`,
                  `${resolved} of ${plan.conflicts.length} conflict(s) decided`,
                )}
              </Typography.Text>
            ) : (
              <Tag color="green" icon={<CheckCircleFilled />}>
                {tr(lang, '没有冲突', 'No conflicts')}
              </Tag>
            )}
            <Button
              type="primary"
              size="large"
              icon={<BranchesOutlined />}
              loading={busy}
              data-testid="upgrade-submit"
              onClick={() => void upgrade()}
            >
              {plan.conflicts.length === 0
                ? tr(lang, '一键升级', 'Upgrade')
                : tr(lang, '按所选升级', 'Upgrade with these choices')}
            </Button>
          </Space>
        )}
      </div>
      {error !== undefined && (
        <Alert
          type="error"
          showIcon
          message={errorText(error, lang)}
          style={{ marginBottom: 16 }}
          data-testid="upgrade-error"
        />
      )}
      {!plan && error === undefined && (
        <Spin size="large" style={{ display: 'block', margin: '20vh auto' }} />
      )}
      {plan && (
        <>
          {plan.changelog.length > 0 && (
            <Alert
              type="info"
              showIcon
              style={{ marginBottom: 16 }}
              message={tr(lang, '省级更新说明', 'What the province changed')}
              description={plan.changelog.map((c) => (
                <div key={c.version}>
                  <b>v{c.version}</b>　{pick(c.changes, lang)}
                </div>
              ))}
            />
          )}
          {plan.conflicts.length > 0 && (
            <Card
              className="lx-conflicts"
              style={{ marginBottom: 16 }}
              title={
                <Space>
                  <WarningFilled style={{ color: '#fa541c' }} />
                  {tr(
                    lang,
                    `${plan.conflicts.length} 处冲突：省里和本县改了同一处，请逐一选择`,
                    `${plan.conflicts.length} conflict(s): the province and the county changed the same place; choose for each`,
                  )}
                </Space>
              }
            >
              <Space direction="vertical" size={12} style={{ width: '100%' }}>
                {plan.conflicts.map((c, i) => (
                  <ConflictCard
                    key={c.path}
                    conflict={c}
                    index={i}
                    plan={plan}
                    value={choices[c.path]}
                    onChange={(v) => {
                      setError(undefined);
                      setChoices((old) => ({ ...old, [c.path]: v }));
                    }}
                  />
                ))}
              </Space>
            </Card>
          )}
          <Row gutter={16}>
            <Col span={12}>
              <Card
                title={
                  <Space>
                    <CloudServerOutlined />
                    {tr(
                      lang,
                      `模板变更 v${plan.fromVersion} → v${plan.toVersion}（${plan.upstream.length}）`,
                      `Template changes v${plan.fromVersion} → v${plan.toVersion} (${plan.upstream.length})`,
                    )}
                  </Space>
                }
              >
                <ChangeList changes={plan.upstream} testid="upstream-changes" />
              </Card>
            </Col>
            <Col span={12}>
              <Card
                title={
                  <Space>
                    <HomeOutlined />
                    {tr(
                      lang,
                      `本县本地修改（${plan.local.length}），升级后保留`,
                      `The county's local changes (${plan.local.length}), kept on upgrade`,
                    )}
                  </Space>
                }
              >
                <ChangeList changes={plan.local} testid="local-changes" />
              </Card>
            </Col>
          </Row>
        </>
      )}
    </div>
  );
}
