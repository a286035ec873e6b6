import type { FlowDefinition, Lang } from '@lianxin/spec';
import { ReactFlowProvider } from '@xyflow/react';
import {
  Alert,
  Button,
  Empty,
  Popconfirm,
  Select,
  Space,
  Spin,
  Table,
  Tag,
  Typography,
} from 'antd';
import { useCallback, useEffect, useMemo, useState } from 'react';
import type { DesignerBackend, FlowVersionInfo } from '../backend';
import {
  type DescribedFlowChange,
  describeFlowDiff,
  diffCanvasFlow,
  diffFlows,
  type FlowDiff,
} from '../diff';
import { tr } from '../i18n';
import { errorText } from '../problems';

/** A stored time (ISO, UTC) as Beijing time to the minute. */
const beijingMinute = (iso: string) => {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) return iso;
  return new Date(ms + 8 * 3_600_000).toISOString().slice(0, 16).replace('T', ' ');
};

import { FlowCanvas } from './FlowCanvas';

type Side = number | 'draft';

/** Published versions, and a visual diff of any two (or a version and the current draft). */
export function VersionsPanel({
  flow,
  flowId,
  backend,
  lang,
  refresh,
  onRestore,
}: {
  flow: FlowDefinition;
  flowId: string | undefined;
  backend: DesignerBackend;
  lang: Lang;
  refresh: number;
  /** Makes an old version the draft again (the designer's undoable flow.replace). */
  onRestore?: (flow: FlowDefinition, version: number) => void;
}) {
  const [versions, setVersions] = useState<FlowVersionInfo[] | null>(null);
  const [error, setError] = useState<string>();
  const [from, setFrom] = useState<Side | undefined>();
  const [to, setTo] = useState<Side>('draft');
  const [pair, setPair] = useState<{
    before: FlowDefinition;
    after: FlowDefinition;
    diff: FlowDiff;
    words: DescribedFlowChange[];
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
      .catch((e: unknown) => live && setError(errorText(e, lang)));
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
      setPair({
        before,
        after,
        diff: diffFlows(before, after),
        words: describeFlowDiff(before, after, lang),
      });
      setError(undefined);
    } catch (e) {
      setError(errorText(e, lang));
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
  const restore = async (version: number) => {
    if (!flowId || !onRestore) return;
    try {
      onRestore(await backend.getVersion(flowId, version), version);
    } catch (e) {
      setError(errorText(e, lang));
    }
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
              render: (t: string) => beijingMinute(t),
            },
            {
              title: tr(lang, '说明', 'Note'),
              dataIndex: 'note',
              render: (n: string | null) =>
                n || (
                  <Typography.Text type="secondary">{tr(lang, '（无）', '(none)')}</Typography.Text>
                ),
            },
            ...(onRestore
              ? [
                  {
                    title: '',
                    width: 64,
                    render: (_: unknown, v: FlowVersionInfo) => (
                      <Popconfirm
                        title={tr(
                          lang,
                          `把第 ${v.version} 版恢复为草稿？`,
                          `Make version ${v.version} the draft?`,
                        )}
                        description={tr(
                          lang,
                          '当前草稿会被替换（可撤销），保存草稿后生效。',
                          'The current draft is replaced (undoable); save the draft to keep it.',
                        )}
                        okText={tr(lang, '恢复', 'Restore')}
                        cancelText={tr(lang, '取消', 'Cancel')}
                        onConfirm={() => void restore(v.version)}
                      >
                        <Button size="small" type="link" data-testid={`restore-${v.version}`}>
                          {tr(lang, '恢复', 'Restore')}
                        </Button>
                      </Popconfirm>
                    ),
                  },
                ]
              : []),
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
            {pair.words.length === 0 ? (
              <Typography.Text type="secondary">
                {pair.diff.nodes.moved.length
                  ? tr(
                      lang,
                      `内容相同，只移动了 ${pair.diff.nodes.moved.length} 个节点的位置`,
                      `Same content; ${pair.diff.nodes.moved.length} node(s) only moved`,
                    )
                  : tr(lang, '两个版本相同', 'The two are the same')}
              </Typography.Text>
            ) : (
              <>
                <Space size={4} wrap style={{ marginBottom: 8 }}>
                  {(['added', 'removed', 'changed'] as const).map((k) => {
                    const n = pair.words.filter((w) => w.kind === k).length;
                    const label = {
                      added: ['新增', 'added'],
                      removed: ['删除', 'removed'],
                      changed: ['修改', 'changed'],
                    }[k];
                    return n ? (
                      <Tag key={k} color={{ added: 'green', removed: 'red', changed: 'orange' }[k]}>
                        {tr(lang, `${label[0]} ${n} 处`, `${n} ${label[1]}`)}
                      </Tag>
                    ) : null;
                  })}
                </Space>
                <ul className="lx-diff-words">
                  {pair.words.map((w, i) => (
                    // biome-ignore lint/suspicious/noArrayIndexKey: a read-only list, never reordered
                    <li key={i} className={`lx-diff-${w.kind}`} data-testid="diff-line">
                      {w.text}
                    </li>
                  ))}
                </ul>
              </>
            )}
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
