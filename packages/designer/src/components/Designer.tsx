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
  type DescribedFlowChange,
  describeFlowDiff,
  diffFlows,
  FlowDefinition,
  type Lang,
  localize,
  type NodeKind,
  type Problem,
  upgradeFlow,
} from '@lianxin/spec';
import { ReactFlowProvider, useReactFlow } from '@xyflow/react';
import '@xyflow/react/dist/style.css';
import type { EdgeKind, FlowEdge, FlowNode } from '@lianxin/spec';
import {
  Alert,
  App,
  Badge,
  Button,
  Divider,
  Input,
  Modal,
  Progress,
  Space,
  Tabs,
  Tag,
  Tooltip,
  Typography,
} from 'antd';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useStore } from 'zustand';
import type { BackendError, DesignerBackend, SaveOptions, StoredDraft } from '../backend';
import { freshId, prepareCopies, usedIds } from '../commands';
import { DesignerContext } from '../context';
import '../designer.css';
import { tr } from '../i18n';
import { createEdge, OUTGOING_EDGE_KINDS } from '../kinds';
import { type LayoutResult, layoutFlow, nodeSize } from '../layout';
import { useLeaveGuard } from '../leave';
import { dropLocalCopy, type LocalCopy, readLocalCopy, writeLocalCopy } from '../localCopy';
import { type FlowLocks, LocksProvider } from '../locks';
import {
  describeTarget,
  errorText,
  problemMessage,
  problemsByElement,
  problemTarget,
} from '../problems';
import { createDesignerStore, type DesignerStore, redo, undo } from '../store';
import { ErrorBoundary } from './ErrorBoundary';
import { edgeLabel, FlowCanvas, freeSpot, newNodeEdit, Palette } from './FlowCanvas';
import { FormBuilder } from './FormBuilder';
import { InterchangeMenu } from './InterchangeMenu';
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
  /**
   * The hash of the stored draft this flow was opened from (null: none yet),
   * sent with each save so a save never overwrites someone else's.
   */
  draftHash?: string | null;
  onSaved?: (flowId: string) => void;
  /** Lets tests and the app reach the store (e.g. to read the flow). */
  storeRef?: (store: DesignerStore) => void;
  /** The parts the provincial template this flow was adopted from locks (shown greyed, not editable). */
  locks?: FlowLocks | undefined;
}

let clipboard: { nodes: FlowNode[]; edges: FlowEdge[] } | null = null;

/** An ISO time as Beijing time to the second (whatever the browser's zone). */
const beijingTime = (iso: string) => {
  const ms = Date.parse(iso);
  return Number.isNaN(ms)
    ? iso
    : new Date(ms + 8 * 3_600_000).toISOString().slice(0, 19).replace('T', ' ');
};

/** A dialog is showing (closed antd dialogs stay in the page, hidden). */
function modalOpen(): boolean {
  for (const el of document.querySelectorAll<HTMLElement>('.ant-modal-wrap'))
    if (el.style.display !== 'none' && getComputedStyle(el).display !== 'none') return true;
  return false;
}

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
  server,
  lang,
  onPick,
}: {
  flow: FlowDefinition;
  problems: Problem[] | null;
  /** Whether the server's check agrees: confirmed, still running, or could not run (why). */
  server: { state: 'confirmed' } | { state: 'pending' } | { state: 'failed'; reason: string };
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
        server.state === 'confirmed' ? (
          <div style={{ padding: '8px 12px', color: '#52c41a' }} data-testid="problems-none">
            ✓ {tr(lang, '检查通过，没有发现问题', 'No problems found')}
          </div>
        ) : server.state === 'pending' ? (
          <div style={{ padding: '8px 12px', color: '#8c8c8c' }} data-testid="problems-pending">
            {tr(
              lang,
              '本地检查没有发现问题，正在与服务器核对…',
              'No problems found here; checking with the server…',
            )}
          </div>
        ) : (
          <div style={{ padding: '8px 12px', color: '#faad14' }} data-testid="problems-unconfirmed">
            {tr(
              lang,
              `本地检查没有发现问题，但无法与服务器核对：${server.reason}`,
              `No problems found here, but the server could not check: ${server.reason}`,
            )}
          </div>
        )
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
              <span style={{ flex: 1 }}>{problemMessage(flow, p, lang)}</span>
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
  draftHash,
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
  const [simulated, setSimulated] = useState(false);
  useEffect(() => {
    if (tab === 'simulate') setSimulated(true);
  }, [tab]);
  // null while the first check runs (publishing stays off until it has).
  const [problems, setProblems] = useState<Problem[] | null>(null);
  const [flowId, setFlowId] = useState(initialFlowId);
  const [published, setPublished] = useState(latestVersion ?? 0);
  const [busy, setBusy] = useState<'save' | 'publish' | null>(null);
  const [versionsRefresh, setVersionsRefresh] = useState(0);
  const [savedFlow, setSavedFlow] = useState<FlowDefinition | null>(initialFlowId ? flow : null);
  // The stored draft this editor builds on; undefined when the backend keeps no hashes.
  const baseHash = useRef<string | null | undefined>(draftHash);
  const pasteCount = useRef(0);
  // The copy of unsaved edits waiting to be written to this browser (see below).
  const pendingCopy = useRef<{ flow: FlowDefinition; write: () => void } | null>(null);
  const fileInput = useRef<HTMLInputElement>(null);
  const [layoutProgress, setLayoutProgress] = useState<number | null>(null);
  // The edge paths of the last auto-layout (each kept while its two ends stay put).
  const [routes, setRoutes] = useState<
    { positions: LayoutResult['positions']; edges: LayoutResult['routes'] } | undefined
  >();
  const [publishAsk, setPublishAsk] = useState<{ note: string; tried: boolean } | null>(null);
  const [conflict, setConflict] = useState<{
    reason: string;
    /** The stored draft's hash now (from the refusal, or the draft read after it). */
    hash?: string | null;
    server?: StoredDraft;
    serverFlow?: FlowDefinition;
    words: DescribedFlowChange[];
  } | null>(null);
  // A copy of unsaved edits this browser kept (a crash, a closed tab): offered back once.
  const [offer, setOffer] = useState<LocalCopy | null>(() => {
    const copy = readLocalCopy(flow.jurisdiction, flow.key);
    if (!copy) return null;
    const d = diffFlows(flow, copy.flow);
    return d.identical && d.nodes.moved.length === 0 ? null : copy;
  });
  // What the server refused on the last save or publish (located), shown until the flow changes.
  const [refused, setRefused] = useState<{ for: FlowDefinition; problems: Problem[] } | null>(null);
  const [serverCheck, setServerCheck] = useState<
    { for: FlowDefinition; problems: Problem[] } | { for: FlowDefinition; failed: string } | null
  >(null);

  // Live checking, debounced so typing stays smooth on large flows.
  useEffect(() => {
    const t = setTimeout(() => setProblems(checkFlow(flow)), 300);
    return () => clearTimeout(t);
  }, [flow]);
  // The server's own check (subflows, provincial locks), so what the designer says is what
  // saving and publishing will find.
  useEffect(() => {
    const check = backend.check;
    if (!check) return;
    let live = true;
    const t = setTimeout(() => {
      check(flow).then(
        (found) => live && setServerCheck({ for: flow, problems: found }),
        (e: unknown) => live && setServerCheck({ for: flow, failed: errorText(e, lang) }),
      );
    }, 700);
    return () => {
      live = false;
      clearTimeout(t);
    };
  }, [backend, flow, lang]);
  const shown = useMemo(() => {
    if (problems === null) return null;
    const fromServer =
      serverCheck?.for === flow && 'problems' in serverCheck ? serverCheck.problems : [];
    const fromRefusal = refused?.for === flow ? refused.problems : [];
    const seen = new Set<string>();
    const out: Problem[] = [];
    for (const p of [...fromRefusal, ...fromServer, ...problems]) {
      const k = `${p.code}|${p.pointer}`;
      if (seen.has(k)) continue;
      seen.add(k);
      out.push(p);
    }
    return out.sort((a, b) => (a.severity === b.severity ? 0 : a.severity === 'error' ? -1 : 1));
  }, [problems, serverCheck, refused, flow]);
  const server: Parameters<typeof ProblemsList>[0]['server'] = !backend.check
    ? { state: 'confirmed' }
    : serverCheck?.for !== flow
      ? { state: 'pending' }
      : 'failed' in serverCheck
        ? { state: 'failed', reason: serverCheck.failed }
        : { state: 'confirmed' };
  const errors = shown?.filter((p) => p.severity === 'error').length ?? 0;
  const warnings = (shown?.length ?? 0) - errors;
  const problemMap = useMemo(() => problemsByElement(flow, shown ?? []), [flow, shown]);

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
      // Append and connect: after the selected step, the new one follows it (one undo step).
      const from = anchor && OUTGOING_EDGE_KINDS[anchor.kind].length > 0 ? anchor : undefined;
      if (edit.type === 'node.add' && from) {
        const kinds = OUTGOING_EDGE_KINDS[from.kind] as readonly EdgeKind[];
        const out = f.edges.filter((e) => e.from === from.id);
        const kindOf: EdgeKind =
          from.kind === 'decision'
            ? out.some((e) => e.kind === 'condition') && !out.some((e) => e.kind === 'default')
              ? 'default'
              : 'condition'
            : kinds.includes('action')
              ? 'action'
              : (kinds[0] as EdgeKind);
        const actions = f.edges.flatMap((e) =>
          e.kind === 'action' && e.from === from.id ? [e.action] : [],
        );
        const edge = createEdge(kindOf, freshId('e', usedIds(f)), from.id, edit.node.id, {
          actions,
        });
        dispatch({ type: 'elements.paste', nodes: [edit.node], edges: [edge] });
      } else {
        dispatch(edit);
      }
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
    if (layoutProgress !== null) return;
    setLayoutProgress(0);
    try {
      const current = store.getState().flow;
      const box = document.querySelector('.lx-canvas')?.getBoundingClientRect();
      const laid = await layoutFlow(current, {
        labelOf: (e) => edgeLabel(e, current, lang),
        ...(box && box.height > 0 ? { aspectRatio: box.width / box.height } : {}),
        onProgress: (done) => setLayoutProgress(Math.round(done * 100)),
      });
      dispatch({ type: 'node.move', positions: laid.positions });
      setRoutes({ positions: laid.positions, edges: laid.routes });
      setTimeout(() => void rf.fitView({ padding: 0.1, duration: 300, maxZoom: 1.1 }), 50);
    } catch (e) {
      message.error(`${tr(lang, '自动布局失败：', 'Auto layout failed: ')}${errorText(e, lang)}`);
    } finally {
      setLayoutProgress(null);
    }
  }, [dispatch, lang, layoutProgress, message, rf, store]);

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

  /** After a refused save: what the other admin saved, and how it differs from this one. */
  const showConflict = useCallback(
    async (e: BackendError, id: string) => {
      let stored: StoredDraft | undefined;
      try {
        stored = await backend.openDraft?.(id);
      } catch {
        stored = undefined;
      }
      const parsed = stored ? FlowDefinition.safeParse(stored.definition) : undefined;
      const serverFlow = parsed?.success ? parsed.data : undefined;
      setConflict({
        reason: errorText(e, lang),
        ...(stored
          ? { hash: stored.draftHash }
          : e.details && 'draftHash' in e.details
            ? { hash: e.details.draftHash ?? null }
            : {}),
        ...(stored ? { server: stored } : {}),
        ...(serverFlow ? { serverFlow } : {}),
        words: serverFlow ? describeFlowDiff(serverFlow, store.getState().flow, lang) : [],
      });
    },
    [backend, lang, store],
  );

  const save = useCallback(
    async (quiet = false): Promise<string | undefined> => {
      setBusy('save');
      const current = store.getState().flow;
      try {
        const options: SaveOptions = !flowId
          ? { create: true }
          : baseHash.current !== undefined
            ? { baseDraftHash: baseHash.current }
            : {};
        const r = await backend.saveDraft(current, options);
        if (r.draftHash !== undefined) baseHash.current = r.draftHash;
        setFlowId(r.flowId);
        setSavedFlow(current);
        setRefused(null);
        dropLocalCopy(current.jurisdiction, current.key);
        // (a copy of what was just saved waits no more: leaving now must not write it back)
        if (pendingCopy.current?.flow === current) pendingCopy.current = null;
        onSaved?.(r.flowId);
        if (!quiet) message.success(tr(lang, '草稿已保存', 'Draft saved'));
        return r.flowId;
      } catch (e) {
        const err = e as BackendError;
        if (err.code === 'flow.draftConflict' && flowId) {
          await showConflict(err, flowId);
          return undefined;
        }
        if (err.details?.problems?.length)
          setRefused({ for: current, problems: err.details.problems });
        message.error(`${tr(lang, '保存失败：', 'Save failed: ')}${errorText(e, lang)}`);
        return undefined;
      } finally {
        setBusy(null);
      }
    },
    [backend, flowId, lang, message, onSaved, showConflict, store],
  );

  const publish = useCallback(
    async (note: string) => {
      const id = await save(true);
      if (!id) return;
      setBusy('publish');
      const current = store.getState().flow;
      try {
        const r = await backend.publish(id, note);
        setPublished(r.version);
        setVersionsRefresh((n) => n + 1);
        setPublishAsk(null);
        message.success(tr(lang, `已发布第 ${r.version} 版`, `Published version ${r.version}`));
      } catch (e) {
        const err = e as BackendError;
        if (err.details?.problems?.length)
          setRefused({ for: current, problems: err.details.problems });
        setPublishAsk(null);
        message.error(`${tr(lang, '发布失败：', 'Publish failed: ')}${errorText(e, lang)}`);
      } finally {
        setBusy(null);
      }
    },
    [backend, lang, message, save, store],
  );

  const dirty = savedFlow !== flow;

  // The browser keeps a copy of unsaved edits (not while an older copy is still on offer), a
  // moment after the last edit, or at once when the page goes (a reload, a closed tab) or the
  // designer closes (the admin left without saving) before that moment.
  useEffect(() => {
    pendingCopy.current = null;
    if (!dirty || offer) return;
    const write = () => {
      pendingCopy.current = null;
      writeLocalCopy({
        flow,
        at: new Date().toISOString(),
        ...(baseHash.current !== undefined ? { baseDraftHash: baseHash.current } : {}),
        ...(flowId ? { flowId } : {}),
      });
    };
    pendingCopy.current = { flow, write };
    const t = setTimeout(write, 400);
    return () => clearTimeout(t);
  }, [dirty, flow, flowId, offer]);
  useEffect(() => {
    const flush = () => pendingCopy.current?.write();
    window.addEventListener('pagehide', flush);
    return () => {
      window.removeEventListener('pagehide', flush);
      flush();
    };
  }, []);

  useLeaveGuard(dirty, (leave) => {
    const ask = modal.confirm({
      title: tr(lang, '有未保存的修改', 'You have unsaved changes'),
      content: tr(
        lang,
        '离开设计器前要保存草稿吗？不保存离开时，本浏览器仍保留一份副本，下次打开这个流程时可以恢复。',
        'Save the draft before leaving? If you leave without saving, this browser keeps a copy that you can restore when you open the flow again.',
      ),
      okText: tr(lang, '保存并离开', 'Save and leave'),
      cancelText: tr(lang, '留在此页', 'Stay'),
      width: 480,
      footer: (_, { OkBtn, CancelBtn }) => (
        <>
          <CancelBtn />
          <Button
            danger
            data-testid="leave-discard"
            onClick={() => {
              ask.destroy();
              leave();
            }}
          >
            {tr(lang, '不保存，离开', 'Leave without saving')}
          </Button>
          <OkBtn />
        </>
      ),
      onOk: async () => {
        if (await save(true)) leave();
      },
    });
  });

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
      const mod = e.ctrlKey || e.metaKey;
      const key = e.key.toLowerCase();
      // Ctrl+S saves from anywhere, a property field included: the field commits first.
      if (mod && key === 's' && !modalOpen()) {
        e.preventDefault();
        const el = document.activeElement as HTMLElement | null;
        if (el && isTyping(el)) {
          el.blur();
          el.focus();
        }
        void save();
        return;
      }
      if (isTyping(e.target) || modalOpen()) return;
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

  const canvasTab = (
    <div className="lx-workspace">
      <Palette lang={lang} onAdd={addNode} />
      <div className="lx-canvas-wrap">
        <ErrorBoundary lang={lang} what={tr(lang, '流程图', 'The canvas')} resetKey={flow}>
          <FlowCanvas
            flow={flow}
            lang={lang}
            problems={problemMap}
            focus={focus}
            onEdit={dispatch}
            onSelect={select}
            selection={selection}
            routes={routes}
          />
        </ErrorBoundary>
        {layoutProgress !== null && (
          <div className="lx-layout-progress" data-testid="layout-progress">
            <Progress percent={layoutProgress} size="small" status="active" />
            <span>{tr(lang, '正在自动布局…', 'Laying out…')}</span>
          </div>
        )}
        <ProblemsList
          flow={flow}
          problems={shown}
          server={server}
          lang={lang}
          onPick={pickProblem}
        />
      </div>
      <div className="lx-side" data-testid="properties">
        <ErrorBoundary lang={lang} what={tr(lang, '属性面板', 'The properties')} resetKey={flow}>
          <PropertyPanel flow={flow} lang={lang} selection={selection} dispatch={dispatch} />
        </ErrorBoundary>
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
            <Button
              icon={<NodeIndexOutlined />}
              onClick={() => void layout()}
              loading={layoutProgress !== null}
              data-testid="layout"
            >
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
          <InterchangeMenu
            flow={flow}
            lang={lang}
            onReplace={(f) => {
              dispatch({ type: 'flow.replace', flow: f });
              setTimeout(zoomToFit, 50);
            }}
            onAddForm={(edit) => {
              dispatch(edit);
              setTab('forms');
            }}
          />
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
              disabled={errors > 0 || shown === null || server.state === 'pending'}
              loading={busy === 'publish'}
              onClick={() => setPublishAsk({ note: '', tried: false })}
              data-testid="publish"
            >
              {tr(lang, '发布', 'Publish')}
            </Button>
          </Tooltip>
        </Space>
      </div>
      {offer && (
        <Alert
          type="warning"
          showIcon
          banner
          data-testid="local-copy"
          message={tr(
            lang,
            `本浏览器保留了 ${beijingTime(offer.at)} 未保存的修改（与当前打开的版本相比有 ${Math.max(1, describeFlowDiff(flow, offer.flow, lang).length)} 处不同）`,
            `This browser kept unsaved changes from ${beijingTime(offer.at)} (Beijing time; ${Math.max(1, describeFlowDiff(flow, offer.flow, lang).length)} difference(s) from what is open)`,
          )}
          action={
            <Space>
              <Button
                size="small"
                type="primary"
                data-testid="local-copy-restore"
                onClick={() => {
                  const parsed = FlowDefinition.safeParse(offer.flow);
                  if (!parsed.success) {
                    message.error(
                      tr(lang, '副本格式不符，无法恢复', 'The copy does not match the format'),
                    );
                    return;
                  }
                  if (offer.baseDraftHash !== undefined) baseHash.current = offer.baseDraftHash;
                  dispatch({ type: 'flow.replace', flow: parsed.data });
                  setOffer(null);
                  message.success(
                    tr(
                      lang,
                      '已恢复未保存的修改（可撤销），请保存草稿',
                      'Unsaved changes restored (undoable); save the draft',
                    ),
                  );
                }}
              >
                {tr(lang, '恢复这些修改', 'Restore them')}
              </Button>
              <Button
                size="small"
                data-testid="local-copy-discard"
                onClick={() => {
                  dropLocalCopy(offer.flow.jurisdiction, offer.flow.key);
                  setOffer(null);
                }}
              >
                {tr(lang, '丢弃', 'Discard')}
              </Button>
            </Space>
          }
        />
      )}
      <Modal
        open={conflict !== null}
        title={tr(lang, '其他人已保存了这个流程', 'Someone else saved this flow')}
        width={640}
        onCancel={() => setConflict(null)}
        data-testid="conflict"
        footer={[
          <Button key="cancel" onClick={() => setConflict(null)}>
            {tr(lang, '取消', 'Cancel')}
          </Button>,
          <Button
            key="reload"
            disabled={!conflict?.serverFlow}
            data-testid="conflict-reload"
            onClick={() => {
              const c = conflict;
              if (!c?.serverFlow || !c.server) return;
              baseHash.current = c.server.draftHash;
              dispatch({ type: 'flow.replace', flow: c.serverFlow });
              setSavedFlow(c.serverFlow);
              dropLocalCopy(c.serverFlow.jurisdiction, c.serverFlow.key);
              setConflict(null);
              message.info(
                tr(
                  lang,
                  '已载入对方保存的版本；您的修改可用“撤销”找回',
                  'Their version is loaded; Undo brings yours back',
                ),
              );
            }}
          >
            {tr(lang, '载入对方的版本', 'Load their version')}
          </Button>,
          <Button
            key="keep"
            type="primary"
            danger
            disabled={conflict?.hash === undefined}
            data-testid="conflict-keep"
            onClick={() => {
              const c = conflict;
              if (!c || c.hash === undefined) return;
              baseHash.current = c.hash;
              setConflict(null);
              void save();
            }}
          >
            {tr(lang, '保留我的版本并保存', 'Keep mine and save')}
          </Button>,
        ]}
      >
        <Typography.Paragraph data-testid="conflict-reason">
          {conflict?.reason}
        </Typography.Paragraph>
        {conflict?.serverFlow ? (
          conflict.words.length ? (
            <>
              <Typography.Paragraph type="secondary">
                {tr(
                  lang,
                  `对方保存的版本 → 您的版本，共 ${conflict.words.length} 处不同：`,
                  `Their saved version → yours, ${conflict.words.length} difference(s):`,
                )}
              </Typography.Paragraph>
              <ul className="lx-diff-words" data-testid="conflict-diff">
                {conflict.words.slice(0, 40).map((w, i) => (
                  // biome-ignore lint/suspicious/noArrayIndexKey: the list is read-only and never reordered
                  <li key={i} className={`lx-diff-${w.kind}`}>
                    {w.text}
                  </li>
                ))}
                {conflict.words.length > 40 && (
                  <li>
                    {tr(
                      lang,
                      `……还有 ${conflict.words.length - 40} 处`,
                      `… ${conflict.words.length - 40} more`,
                    )}
                  </li>
                )}
              </ul>
            </>
          ) : (
            <Typography.Paragraph>
              {tr(
                lang,
                '对方保存的内容与您的版本相同。',
                'What they saved is the same as your version.',
              )}
            </Typography.Paragraph>
          )
        ) : (
          <Typography.Paragraph type="secondary">
            {tr(
              lang,
              '无法读取对方保存的版本；可以保留您的版本，或稍后重试。',
              'Their version could not be read; keep yours or try again later.',
            )}
          </Typography.Paragraph>
        )}
      </Modal>
      <Modal
        open={publishAsk !== null}
        title={tr(lang, `发布第 ${published + 1} 版`, `Publish version ${published + 1}`)}
        okText={tr(lang, '确认发布', 'Publish')}
        cancelText={tr(lang, '取消', 'Cancel')}
        confirmLoading={busy !== null}
        onCancel={() => setPublishAsk(null)}
        onOk={() => {
          const note = publishAsk?.note.trim() ?? '';
          if (note.length < 2) {
            setPublishAsk((a) => (a ? { ...a, tried: true } : a));
            return;
          }
          void publish(note);
        }}
        data-testid="publish-confirm"
      >
        <Typography.Paragraph>
          {tr(
            lang,
            '发布后，新登记的信访事项按这一版办理；已在办理的事项仍按原来的版本办理。发布的版本不能修改。',
            'Once published, new cases run this version; cases already open keep theirs. A published version cannot be changed.',
          )}
        </Typography.Paragraph>
        <Typography.Text strong>{tr(lang, '本版说明', 'What changed')}</Typography.Text>
        <Input.TextArea
          rows={3}
          maxLength={500}
          showCount
          value={publishAsk?.note ?? ''}
          status={publishAsk?.tried && (publishAsk.note.trim().length ?? 0) < 2 ? 'error' : ''}
          placeholder={tr(
            lang,
            '如：受理时限改为 10 个工作日；增加“提级会审”',
            'e.g. acceptance within 10 working days; adds escalation review',
          )}
          onChange={(e) => setPublishAsk((a) => (a ? { ...a, note: e.target.value } : a))}
          data-testid="publish-note"
        />
        {publishAsk?.tried && publishAsk.note.trim().length < 2 && (
          <Typography.Text type="danger" data-testid="publish-note-error">
            {tr(
              lang,
              '请写明本版修改了什么（至少 2 个字）',
              'Say what changed (at least 2 characters)',
            )}
          </Typography.Text>
        )}
      </Modal>
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
            children: (
              <ErrorBoundary lang={lang} what={tr(lang, '表单', 'The forms')} resetKey={flow}>
                <FormBuilder flow={flow} lang={lang} dispatch={dispatch} />
              </ErrorBoundary>
            ),
          },
          {
            key: 'simulate',
            label: tr(lang, '模拟运行', 'Simulate'),
            // Kept once opened (hidden, not unmounted), so a run survives a look at the canvas.
            children:
              tab === 'simulate' || simulated ? (
                <ErrorBoundary lang={lang} what={tr(lang, '模拟运行', 'The simulation')}>
                  <SimulationTab flow={flow} lang={lang} backend={backend} />
                </ErrorBoundary>
              ) : null,
          },
          {
            key: 'versions',
            label: tr(lang, '版本', 'Versions'),
            children:
              tab === 'versions' ? (
                <ErrorBoundary lang={lang} what={tr(lang, '版本', 'The versions')}>
                  <VersionsPanel
                    flow={flow}
                    flowId={flowId}
                    backend={backend}
                    lang={lang}
                    refresh={versionsRefresh}
                    onRestore={(restored, version) => {
                      dispatch({ type: 'flow.replace', flow: restored });
                      setTab('canvas');
                      message.success(
                        tr(
                          lang,
                          `已将第 ${version} 版恢复为草稿（可撤销），保存草稿后生效`,
                          `Version ${version} restored as the draft (undoable); save the draft to keep it`,
                        ),
                      );
                    }}
                  />
                </ErrorBoundary>
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
      <LocksProvider locks={props.locks}>
        <ReactFlowProvider>
          <DesignerInner {...props} store={store} />
        </ReactFlowProvider>
      </LocksProvider>
    </DesignerContext.Provider>
  );
}
