import type { FlowDefinition, Lang } from '@lianxin/spec';
import { localize } from '@lianxin/spec';
import { ReactFlowProvider } from '@xyflow/react';
import { Alert, Button, Empty, Select, Space, Spin, Table, Tag, Typography } from 'antd';
import { useCallback, useEffect, useMemo, useState } from 'react';
import type { DesignerBackend, FlowVersionInfo } from '../backend';
import { diffCanvasFlow, diffFlows, type FlowDiff } from '../diff';
import { tr } from '../i18n';
import { FlowCanvas } from './FlowCanvas';

type Side = number | 'draft';

/** Published versions, and a visual diff of any two (or a version and the current draft). */
export function VersionsPanel({
  flow,
  flowId,
  backend,
  lang,
  refresh,
}: {
  flow: FlowDefinition;
  flowId: string | undefined;
  backend: DesignerBackend;
  lang: Lang;
  refresh: number;
}) {
  const [versions, setVersions] = useState<FlowVersionInfo[] | null>(null);
  const [error, setError] = useState<string>();
  const [from, setFrom] = useState<Side | undefined>();
  const [to, setTo] = useState<Side>('draft');
  const [pair, setPair] = useState<{
    before: FlowDefinition;
    after: FlowDefinition;
    diff: FlowDiff;
  } | null>(null);
  const [loading, setLoading] = useState(false);

  // `refresh` changes after a publish: the list is fetched again.
  // biome-ignore lint/correctness/useExhaustiveDependencies: refresh is the trigger
  useEffect(() => {
    if (!flowId) return;
    let live = true;
    backend
      .versions(flowId)
      .then((v) => {
        if (!live) return;
        setVersions(v);
        setFrom((f) => f ?? v.at(-1)?.version);
      })
      .catch((e: Error) => live && setError(e.message));
    return () => {
      live = false;
    };
  }, [backend, flowId, refresh]);

  const load = useCallback(
    async (side: Side) => (side === 'draft' || !flowId ? flow : backend.getVersion(flowId, side)),
    [backend, flow, flowId],
  );
  const compare = async () => {
    if (from === undefined) return;
    setLoading(true);
    try {
      const [before, after] = await Promise.all([load(from), load(to)]);
      setPair({ before, after, diff: diffFlows(before, after) });
      setError(undefined);
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setLoading(false);
    }
  };
  const canvasFlow = useMemo(() => (pair ? diffCanvasFlow(pair.before, pair.after) : null), [pair]);
  const overlay = useMemo(
    () =>
      pair
        ? {
            diff: {
              added: [...pair.diff.nodes.added, ...pair.diff.edges.added],
              removed: [...pair.diff.nodes.removed, ...pair.diff.edges.removed],
              changed: [...pair.diff.nodes.changed, ...pair.diff.edges.changed],
            },
          }
        : {},
    [pair],
  );

  if (!flowId) {
    return (
      <Empty
        style={{ marginTop: 80 }}
        description={tr(
          lang,
          '保存草稿后即可发布和查看版本',
          'Save a draft to publish and list versions',
        )}
      />
    );
  }
  const options = [
    ...(versions ?? []).map((v) => ({
      value: v.version,
      label: tr(lang, `第 ${v.version} 版`, `Version ${v.version}`),
    })),
    { value: 'draft' as const, label: tr(lang, '当前草稿', 'Current draft') },
  ];
  const nodeName = (id: string) => {
    const n = canvasFlow?.nodes.find((x) => x.id === id);
    return n ? localize(n.name, lang) : id;
  };
  return (
    <div style={{ display: 'flex', height: '100%', minHeight: 0 }} data-testid="versions">
      <div
        className="lx-side"
        style={{ width: 380, borderLeft: 'none', borderRight: '1px solid #f0f0f0' }}
      >
        {error && <Alert type="error" showIcon message={error} style={{ marginBottom: 12 }} />}
        <Table<FlowVersionInfo>
          size="small"
          rowKey="version"
          loading={versions === null && !error}
          dataSource={[...(versions ?? [])].reverse()}
          pagination={false}
          locale={{ emptyText: tr(lang, '尚未发布', 'Not published yet') }}
          columns={[
            {
              title: tr(lang, '版本', 'Version'),
              dataIndex: 'version',
              width: 70,
              render: (v: number) => <Tag color="blue">v{v}</Tag>,
            },
            {
              title: tr(lang, '发布时间', 'Published'),
              dataIndex: 'publishedAt',
              render: (t: string) => t.slice(0, 16).replace('T', ' '),
            },
            { title: tr(lang, '说明', 'Note'), dataIndex: 'note' },
          ]}
        />
        <Typography.Title level={5} style={{ marginTop: 16 }}>
          {tr(lang, '比较版本', 'Compare')}
        </Typography.Title>
        <Space wrap>
          <Select
            style={{ width: 120 }}
            value={from}
            options={options}
            onChange={setFrom}
            data-testid="diff-from"
          />
          →
          <Select
            style={{ width: 120 }}
            value={to}
            options={options}
            onChange={setTo}
            data-testid="diff-to"
          />
          <Button
            type="primary"
            onClick={compare}
            disabled={from === undefined}
            data-testid="diff-run"
          >
            {tr(lang, '比较', 'Compare')}
          </Button>
        </Space>
        {pair && (
          <div style={{ marginTop: 12 }} data-testid="diff-summary">
            {(['added', 'removed', 'changed'] as const).map((k) => {
              const colour = { added: 'green', removed: 'red', changed: 'orange' }[k];
              const label = (
                {
                  added: ['新增', 'Added'],
                  removed: ['删除', 'Removed'],
                  changed: ['修改', 'Changed'],
                } as const
              )[k];
              const items = [
                ...pair.diff.nodes[k].map((id) => nodeName(id)),
                ...pair.diff.fields[k].map((f) => `${tr(lang, '字段', 'field')} ${f}`),
                ...pair.diff.forms[k].map((f) => `${tr(lang, '表单', 'form')} ${f}`),
              ];
              return (
                <div key={k} style={{ marginBottom: 8 }}>
                  <Typography.Text strong>{tr(lang, label[0], label[1])}</Typography.Text>{' '}
                  {items.length ? (
                    items.map((x) => (
                      <Tag key={x} color={colour}>
                        {x}
                      </Tag>
                    ))
                  ) : (
                    <Typography.Text type="secondary">—</Typography.Text>
                  )}
                </div>
              );
            })}
          </div>
        )}
      </div>
      <div className="lx-canvas-wrap">
        {loading ? (
          <Spin style={{ margin: 'auto' }} />
        ) : canvasFlow ? (
          <ReactFlowProvider>
            <FlowCanvas flow={canvasFlow} lang={lang} overlay={overlay} readOnly />
          </ReactFlowProvider>
        ) : (
          <Empty
            style={{ margin: 'auto' }}
            description={tr(lang, '选择两个版本进行比较', 'Choose two versions to compare')}
          />
        )}
      </div>
    </div>
  );
}
