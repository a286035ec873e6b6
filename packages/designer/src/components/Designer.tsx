import {
  CloseCircleOutlined,
  CloudUploadOutlined,
  ExpandOutlined,
  ExportOutlined,
  ImportOutlined,
  NodeIndexOutlined,
  RedoOutlined,
  SaveOutlined,
  UndoOutlined,
  WarningOutlined,
} from '@ant-design/icons';
import {
  checkFlow,
  FlowDefinition,
  type Lang,
  localize,
  type NodeKind,
  type Problem,
  upgradeFlow,
} from '@lianxin/spec';
import { ReactFlowProvider, useReactFlow } from '@xyflow/react';
import '@xyflow/react/dist/style.css';
import type { FlowEdge, FlowNode } from '@lianxin/spec';
import { App, Badge, Button, Divider, Space, Tabs, Tag, Tooltip, Typography } from 'antd';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useStore } from 'zustand';
import type { DesignerBackend } from '../backend';
import { prepareCopies } from '../commands';
import { DesignerContext } from '../context';
import '../designer.css';
import { tr } from '../i18n';
import { autoLayout, nodeSize } from '../layout';
import { describeTarget, problemsByElement, problemTarget } from '../problems';
import { createDesignerStore, type DesignerStore, redo, undo } from '../store';
import { FlowCanvas, freeSpot, newNodeEdit, Palette } from './FlowCanvas';
import { FormBuilder } from './FormBuilder';
import { PropertyPanel } from './PropertyPanel';
import { SimulationTab } from './SimulationTab';
import { VersionsPanel } from './VersionsPanel';

export interface DesignerProps {
  flow: FlowDefinition;
  /** The stored flow's id; undefined for a flow never saved. */
  flowId?: string | undefined;
  backend: DesignerBackend;
  lang: Lang;
  /** Version last published, if any (shown in the header). */
  latestVersion?: number;
  onSaved?: (flowId: string) => void;
  /** Lets tests and the app reach the store (e.g. to read the flow). */
  storeRef?: (store: DesignerStore) => void;
}

let clipboard: { nodes: FlowNode[]; edges: FlowEdge[] } | null = null;

function isTyping(target: EventTarget | null): boolean {
  const el = target as HTMLElement | null;
  if (!el) return false;
  return (
    el.tagName === 'INPUT' ||
    el.tagName === 'TEXTAREA' ||
    el.isContentEditable ||
    el.getAttribute('role') === 'combobox'
  );
}

function ProblemsList({
  flow,
  problems,
  lang,
  onPick,
}: {
  flow: FlowDefinition;
  problems: Problem[] | null;
  lang: Lang;
  onPick: (p: Problem) => void;
}) {
  return (
    <div className="lx-problems" data-testid="problems">
      {problems === null ? (
        <div style={{ padding: '8px 12px', color: '#8c8c8c' }}>
          {tr(lang, '正在检查…', 'Checking…')}
        </div>
      ) : problems.length === 0 ? (
        <div style={{ padding: '8px 12px', color: '#52c41a' }} data-testid="problems-none">
          ✓ {tr(lang, '检查通过，没有发现问题', 'No problems found')}
        </div>
      ) : (
        problems.map((p) => {
          const target = problemTarget(flow, p.pointer);
          return (
            <button
              type="button"
              key={`${p.code}${p.pointer}${p.message.en}`}
              className="lx-problem-row"
              data-testid="problem-row"
              onClick={() => onPick(p)}
            >
              {p.severity === 'error' ? (
                <CloseCircleOutlined style={{ color: '#ff4d4f' }} />
              ) : (
                <WarningOutlined style={{ color: '#faad14' }} />
              )}
              <Typography.Text strong style={{ whiteSpace: 'nowrap' }}>
                {describeTarget(flow, target, lang)}
              </Typography.Text>
              <span style={{ flex: 1 }}>{localize(p.message, lang)}</span>
              <Typography.Text type="secondary" style={{ fontSize: 11 }}>
                {p.code}
              </Typography.Text>
            </button>
          );
        })
      )}
    </div>
  );
}

function DesignerInner({
  store,
  backend,
  lang,
  flowId: initialFlowId,
  latestVersion,
  onSaved,
}: DesignerProps & { store: DesignerStore }) {
  const { message, modal } = App.useApp();
  const rf = useReactFlow();
  const flow = useStore(store, (s) => s.flow);
  const selection = useStore(store, (s) => s.selection);
  const focus = useStore(store, (s) => s.focus);
  const dispatch = useStore(store, (s) => s.dispatch);
  const canUndo = useStore(store.temporal, (s) => s.pastStates.length > 0);
  const canRedo = useStore(store.temporal, (s) => s.futureStates.length > 0);
  const [tab, setTab] = useState('canvas');
  // null while the first check runs (publishing stays off until it has).
  const [problems, setProblems] = useState<Problem[] | null>(null);
  const [flowId, setFlowId] = useState(initialFlowId);
  const [published, setPublished] = useState(latestVersion ?? 0);
  const [busy, setBusy] = useState<'save' | 'publish' | null>(null);
  const [versionsRefresh, setVersionsRefresh] = useState(0);
  const [savedFlow, setSavedFlow] = useState<FlowDefinition | null>(initialFlowId ? flow : null);
  const pasteCount = useRef(0);
  const fileInput = useRef<HTMLInputElement>(null);

  // Live checking, debounced so typing stays smooth on large flows.
  useEffect(() => {
    const t = setTimeout(() => setProblems(checkFlow(flow)), 300);
    return () => clearTimeout(t);
  }, [flow]);
  const errors = problems?.filter((p) => p.severity === 'error').length ?? 0;
  const warnings = (problems?.length ?? 0) - errors;
  const problemMap = useMemo(() => problemsByElement(flow, problems ?? []), [flow, problems]);

  const select = useCallback(
    (sel: { nodes: string[]; edges: string[] }) => store.getState().select(sel),
    [store],
  );

  const pickProblem = useCallback(
    (p: Problem) => {
      const t = problemTarget(store.getState().flow, p.pointer);
      setTab(t.kind === 'form' ? 'forms' : 'canvas');
      if (t.kind === 'node') {
        store.getState().select({ nodes: [t.id], edges: [] });
        store.getState().focusOn(t.id);
      } else if (t.kind === 'edge') {
        store.getState().select({ nodes: [], edges: [t.id] });
        store.getState().focusOn(t.id);
      } else {
        store.getState().select({ nodes: [], edges: [] });
      }
    },
    [store],
  );

  const addNode = useCallback(
    (kind: NodeKind) => {
      const { flow: f, selection: sel } = store.getState();
      const s = nodeSize(kind);
      // After the selected node if there is one (drawing top to bottom), else mid-view.
      const anchor =
        sel.nodes.length === 1 ? f.nodes.find((n) => n.id === sel.nodes[0]) : undefined;
      let want: { x: number; y: number };
      if (anchor?.position) {
        const a = nodeSize(anchor.kind);
        want = {
          x: anchor.position.x + a.width / 2 - s.width / 2,
          y: anchor.position.y + a.height + 60,
        };
      } else {
        const box = document.querySelector('.lx-canvas')?.getBoundingClientRect();
        const c = box
          ? rf.screenToFlowPosition({ x: box.left + box.width / 2, y: box.top + box.height / 2 })
          : { x: 0, y: 0 };
        want = { x: c.x - s.width / 2, y: c.y - s.height / 2 };
      }
      const edit = newNodeEdit(f, kind, freeSpot(f, kind, want));
      dispatch(edit);
      if (edit.type === 'node.add') {
        const id = edit.node.id;
        store.getState().select({ nodes: [id], edges: [] });
        // Keep the new node in view (clear of the minimap and zoom buttons).
        const p = edit.node.position ?? { x: 0, y: 0 };
        setTimeout(() => {
          const box = document.querySelector('.lx-canvas')?.getBoundingClientRect();
          if (!box) return;
          const tl = rf.flowToScreenPosition(p);
          const br = rf.flowToScreenPosition({ x: p.x + s.width, y: p.y + s.height + 30 });
          if (
            tl.x < box.left + 60 ||
            tl.y < box.top ||
            br.x > box.right - 200 ||
            br.y > box.bottom - 140
          ) {
            void rf.setCenter(p.x + s.width / 2, p.y + s.height / 2, {
              zoom: rf.getZoom(),
              duration: 150,
            });
          }
        }, 0);
      }
    },
    [dispatch, rf, store],
  );

  const layout = useCallback(async () => {
    const positions = await autoLayout(store.getState().flow);
    dispatch({ type: 'node.move', positions });
    setTimeout(() => void rf.fitView({ padding: 0.2, duration: 300, maxZoom: 1.1 }), 50);
  }, [dispatch, rf, store]);

  const zoomToFit = useCallback(
    () => void rf.fitView({ padding: 0.2, duration: 300, maxZoom: 1.1 }),
    [rf],
  );

  const copy = useCallback(() => {
    const { flow: f, selection: sel } = store.getState();
    const nodes = f.nodes.filter((n) => sel.nodes.includes(n.id));
    if (!nodes.length) return;
    const ids = new Set(nodes.map((n) => n.id));
    clipboard = { nodes, edges: f.edges.filter((e) => ids.has(e.from) && ids.has(e.to)) };
    pasteCount.current = 0;
    message.success(tr(lang, `已复制 ${nodes.length} 个节点`, `Copied ${nodes.length} nodes`));
  }, [lang, message, store]);

  const paste = useCallback(() => {
    if (!clipboard) return;
    pasteCount.current += 1;
    const copies = prepareCopies(
      store.getState().flow,
      clipboard.nodes,
      clipboard.edges,
      40 * pasteCount.current,
    );
    if (!copies.nodes.length) return;
    dispatch({ type: 'elements.paste', ...copies });
  }, [dispatch, store]);

  const save = useCallback(
    async (quiet = false): Promise<string | undefined> => {
      setBusy('save');
      try {
        const current = store.getState().flow;
        const r = await backend.saveDraft(current);
        setFlowId(r.flowId);
        setSavedFlow(current);
        onSaved?.(r.flowId);
        if (!quiet) message.success(tr(lang, '草稿已保存', 'Draft saved'));
        return r.flowId;
      } catch (e) {
        message.error(`${tr(lang, '保存失败：', 'Save failed: ')}${(e as Error).message}`);
        return undefined;
      } finally {
        setBusy(null);
      }
    },
    [backend, lang, message, onSaved, store],
  );

  const publish = useCallback(async () => {
    const id = await save(true);
    if (!id) return;
    setBusy('publish');
    try {
      const r = await backend.publish(id);
      setPublished(r.version);
      setVersionsRefresh((n) => n + 1);
      message.success(tr(lang, `已发布第 ${r.version} 版`, `Published version ${r.version}`));
    } catch (e) {
      message.error(`${tr(lang, '发布失败：', 'Publish failed: ')}${(e as Error).message}`);
    } finally {
      setBusy(null);
    }
  }, [backend, lang, message, save]);

  const exportJson = useCallback(() => {
    const f = store.getState().flow;
    const blob = new Blob([`${JSON.stringify(f, null, 2)}\n`], { type: 'application/json' });
    const a = document.createElement('a');
    a.href = URL.createObjectURL(blob);
    a.download = `${f.key}-v${f.version}.json`;
    a.click();
    setTimeout(() => URL.revokeObjectURL(a.href), 1000);
  }, [store]);

  const importJson = useCallback(
    async (file: File) => {
      let raw: unknown;
      try {
        raw = JSON.parse(await file.text());
      } catch (e) {
        modal.error({
          title: tr(lang, '无法导入', 'Cannot import'),
          content: `${tr(lang, '不是有效的 JSON：', 'Not valid JSON: ')}${(e as Error).message}`,
        });
        return;
      }
      const up = upgradeFlow(raw);
      if (!up.ok) {
        modal.error({
          title: tr(lang, '无法导入', 'Cannot import'),
          content: localize(up.message, lang),
        });
        return;
      }
      const parsed = FlowDefinition.safeParse(up.flow);
      if (!parsed.success) {
        const found = checkFlow(up.flow).slice(0, 8);
        modal.error({
          title: tr(
            lang,
            '无法导入：文件格式不符',
            'Cannot import: the file does not match the format',
          ),
          width: 560,
          content: (
            <ul style={{ paddingLeft: 16 }}>
              {found.map((p) => (
                <li key={p.pointer + p.code}>
                  <code>{p.pointer || '/'}</code> {localize(p.message, lang)}
                </li>
              ))}
            </ul>
          ),
        });
        return;
      }
      dispatch({ type: 'flow.replace', flow: parsed.data });
      message.success(
        tr(lang, `已导入 ${file.name}（可撤销）`, `Imported ${file.name} (undoable)`),
      );
      setTimeout(zoomToFit, 50);
    },
    [dispatch, zoomToFit, lang, message, modal],
  );

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (isTyping(e.target) || document.querySelector('.ant-modal-wrap')) return;
      const mod = e.ctrlKey || e.metaKey;
      const key = e.key.toLowerCase();
      if (mod && key === 's') {
        e.preventDefault();
        void save();
        return;
      }
      if (tab !== 'canvas') return;
      if (mod && key === 'z' && !e.shiftKey) {
        e.preventDefault();
        undo(store);
      } else if (mod && ((key === 'z' && e.shiftKey) || key === 'y')) {
        e.preventDefault();
        redo(store);
      } else if (mod && key === 'c') {
        copy();
      } else if (mod && key === 'v') {
        e.preventDefault();
        paste();
      } else if (mod && key === 'a') {
        e.preventDefault();
        const all = store.getState().flow;
        store.getState().select({ nodes: all.nodes.map((n) => n.id), edges: [] });
      } else if (e.shiftKey && e.code === 'Digit1') {
        zoomToFit();
      } else if (e.shiftKey && key === 'l') {
        void layout();
      } else if ((e.key === 'Delete' || e.key === 'Backspace') && !mod) {
        const sel = store.getState().selection;
        if (sel.nodes.length || sel.edges.length) {
          e.preventDefault();
          store
            .getState()
            .dispatch({ type: 'elements.remove', nodes: sel.nodes, edges: sel.edges });
        }
      } else if (e.key === 'Escape') {
        store.getState().select({ nodes: [], edges: [] });
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [copy, zoomToFit, layout, paste, save, store, tab]);

  const dirty = savedFlow !== flow;
  const canvasTab = (
    <div className="lx-workspace">
      <Palette lang={lang} onAdd={addNode} />
      <div className="lx-canvas-wrap">
        <FlowCanvas
          flow={flow}
          lang={lang}
          problems={problemMap}
          focus={focus}
          onEdit={dispatch}
          onSelect={select}
          selection={selection}
        />
        <ProblemsList flow={flow} problems={problems} lang={lang} onPick={pickProblem} />
      </div>
      <div className="lx-side" data-testid="properties">
        <PropertyPanel flow={flow} lang={lang} selection={selection} dispatch={dispatch} />
      </div>
    </div>
  );

  return (
    <div className="lx-designer" data-testid="designer">
      <div
        style={{
          display: 'flex',
          alignItems: 'center',
          gap: 12,
          padding: '8px 16px',
          background: '#fff',
          borderBottom: '1px solid #f0f0f0',
        }}
      >
        <Typography.Title level={4} style={{ margin: 0 }} data-testid="flow-title">
          {localize(flow.name, lang)}
        </Typography.Title>
        {published > 0 ? (
          <Tag color="blue">{tr(lang, `已发布 v${published}`, `Published v${published}`)}</Tag>
        ) : (
          <Tag>{tr(lang, '未发布', 'Unpublished')}</Tag>
        )}
        {dirty && <Tag color="gold">{tr(lang, '有未保存的修改', 'Unsaved changes')}</Tag>}
        <div style={{ flex: 1 }} />
        <Space size={4}>
          <Tooltip title={`${tr(lang, '撤销', 'Undo')} (Ctrl+Z)`}>
            <Button
              icon={<UndoOutlined />}
              disabled={!canUndo}
              onClick={() => undo(store)}
              data-testid="undo"
              aria-label={tr(lang, '撤销', 'Undo')}
            />
          </Tooltip>
          <Tooltip title={`${tr(lang, '重做', 'Redo')} (Ctrl+Shift+Z)`}>
            <Button
              icon={<RedoOutlined />}
              disabled={!canRedo}
              onClick={() => redo(store)}
              data-testid="redo"
              aria-label={tr(lang, '重做', 'Redo')}
            />
          </Tooltip>
          <Divider type="vertical" />
          <Tooltip title={`${tr(lang, '自动布局', 'Auto layout')} (Shift+L)`}>
            <Button icon={<NodeIndexOutlined />} onClick={() => void layout()} data-testid="layout">
              {tr(lang, '自动布局', 'Layout')}
            </Button>
          </Tooltip>
          <Tooltip title={`${tr(lang, '适应画布', 'Zoom to fit')} (Shift+1)`}>
            <Button
              icon={<ExpandOutlined />}
              onClick={zoomToFit}
              data-testid="fit"
              aria-label={tr(lang, '适应画布', 'Zoom to fit')}
            />
          </Tooltip>
          <Divider type="vertical" />
          <Button
            icon={<ImportOutlined />}
            onClick={() => fileInput.current?.click()}
            data-testid="import"
          >
            {tr(lang, '导入', 'Import')}
          </Button>
          <input
            ref={fileInput}
            type="file"
            accept="application/json,.json"
            hidden
            data-testid="import-file"
            onChange={(e) => {
              const file = e.target.files?.[0];
              if (file) void importJson(file);
              e.target.value = '';
            }}
          />
          <Button icon={<ExportOutlined />} onClick={exportJson} data-testid="export">
            {tr(lang, '导出', 'Export')}
          </Button>
          <Divider type="vertical" />
          <Badge count={errors} size="small" offset={[-4, 0]}>
            <Button
              icon={errors ? <CloseCircleOutlined /> : <WarningOutlined />}
              danger={errors > 0}
              onClick={() => setTab('canvas')}
              data-testid="problem-count"
            >
              {errors
                ? tr(lang, `${errors} 个错误`, `${errors} errors`)
                : tr(lang, `${warnings} 个提示`, `${warnings} warnings`)}
            </Button>
          </Badge>
          <Button
            icon={<SaveOutlined />}
            loading={busy === 'save'}
            onClick={() => void save()}
            data-testid="save"
          >
            {tr(lang, '保存草稿', 'Save draft')}
          </Button>
          <Tooltip title={errors ? tr(lang, '请先修正全部错误', 'Fix all errors first') : ''}>
            <Button
              type="primary"
              icon={<CloudUploadOutlined />}
              disabled={errors > 0 || problems === null}
              loading={busy === 'publish'}
              onClick={() => void publish()}
              data-testid="publish"
            >
              {tr(lang, '发布', 'Publish')}
            </Button>
          </Tooltip>
        </Space>
      </div>
      <Tabs
        className="lx-tabs"
        activeKey={tab}
        onChange={setTab}
        tabBarStyle={{ margin: 0, padding: '0 16px', background: '#fff' }}
        items={[
          { key: 'canvas', label: tr(lang, '流程图', 'Flow'), children: canvasTab },
          {
            key: 'forms',
            label: tr(lang, `表单（${flow.forms.length}）`, `Forms (${flow.forms.length})`),
            children: <FormBuilder flow={flow} lang={lang} dispatch={dispatch} />,
          },
          {
            key: 'simulate',
            label: tr(lang, '模拟运行', 'Simulate'),
            children:
              tab === 'simulate' ? (
                <SimulationTab flow={flow} lang={lang} backend={backend} />
              ) : null,
          },
          {
            key: 'versions',
            label: tr(lang, '版本', 'Versions'),
            children:
              tab === 'versions' ? (
                <VersionsPanel
                  flow={flow}
                  flowId={flowId}
                  backend={backend}
                  lang={lang}
                  refresh={versionsRefresh}
                />
              ) : null,
          },
        ]}
      />
    </div>
  );
}

/**
 * The visual designer of one flow: canvas, property panel, live checker,
 * form builder, simulation and versions. Saving and publishing go through
 * `backend`.
 */
export function Designer(props: DesignerProps) {
  const [store] = useState(() => createDesignerStore(props.flow, props.lang));
  useEffect(() => props.storeRef?.(store), [props.storeRef, store]);
  useEffect(() => store.setState({ lang: props.lang }), [props.lang, store]);
  return (
    <DesignerContext.Provider value={store}>
      <ReactFlowProvider>
        <DesignerInner {...props} store={store} />
      </ReactFlowProvider>
    </DesignerContext.Provider>
  );
}
