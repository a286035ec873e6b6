import { mkdirSync, rmSync } from 'node:fs';
import type { FlowDefinition } from '@lianxin/spec';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// The real server (HTTP, tRPC, SQLite), started from its source like its own tests do.
import { type RunningServer, startServer } from '../../../server/src/app';
import { silentLogger } from '../../../server/src/log';
import { client } from '../../../server/test/server-helpers';
import { launchChromium } from '../harness';
import { addPeople, TAISHAN_CHAIN } from '../people';
import { openServerStore } from '../server';
import { addAfter, flowOf, openFlow, signInAdmin } from './designer-harness';

const PASSWORD = 'designer-canvas-password';
const SHOTS = '/tmp/shots/designer';

/**
 * A 100-node flow in the shape counties draw: a chain of 24 handling steps,
 * each followed by a decision whose condition and default edges lead to two
 * steps that join again, scattered over the canvas as a hand-drawn flow is.
 */
function hundredNodeFlow(): FlowDefinition {
  const nodes: FlowDefinition['nodes'] = [];
  const edges: FlowDefinition['edges'] = [];
  let n = 0;
  // A scattered, overlapping start: zoom-to-fit must still show every edge.
  const at = () => {
    n++;
    return { x: ((n * 7919) % 4000) - 600, y: ((n * 104729) % 3000) - 400 };
  };
  nodes.push({
    id: 'start',
    kind: 'start',
    name: { 'zh-CN': '登记' },
    channels: ['visit'],
    position: at(),
  });
  let prev = 'start';
  let prevKind: 'next' | 'action' = 'next';
  const link = (from: string, to: string, kind: 'next' | 'action', label?: string) => {
    const id = `e${edges.length + 1}`;
    if (kind === 'next') edges.push({ id, kind, from, to });
    else edges.push({ id, kind, from, to, action: 'submit', label: { 'zh-CN': label ?? '提交' } });
  };
  for (let i = 1; i <= 24; i++) {
    const t = `t${i}`;
    nodes.push({
      id: t,
      kind: 'task',
      name: { 'zh-CN': `办理第${i}步` },
      assignee: { role: 'handler' },
      deadline: { duration: 'P15D', calendar: 'workingDays' },
      position: at(),
    } as never);
    link(prev, t, prevKind, '转办');
    const d = `d${i}`;
    nodes.push({ id: d, kind: 'decision', name: { 'zh-CN': `是否复杂${i}` }, position: at() });
    link(t, d, 'action', '办结');
    const a = `a${i}`;
    const b = `b${i}`;
    nodes.push({
      id: a,
      kind: 'task',
      name: { 'zh-CN': `提级会审${i}` },
      assignee: { role: 'leader' },
      position: at(),
    });
    nodes.push({
      id: b,
      kind: 'task',
      name: { 'zh-CN': `直接答复${i}` },
      assignee: { role: 'handler' },
      position: at(),
    });
    edges.push({
      id: `e${edges.length + 1}`,
      kind: 'condition',
      from: d,
      to: a,
      condition: { '==': [{ var: 'complex' }, true] },
      label: { 'zh-CN': '复杂' },
    });
    edges.push({ id: `e${edges.length + 1}`, kind: 'default', from: d, to: b });
    const j = `j${i}`;
    // The two branches meet in the next step.
    if (i < 24) {
      link(a, `t${i + 1}`, 'action', '会审完毕');
      prev = b;
      prevKind = 'action';
    } else {
      nodes.push({
        id: j,
        kind: 'end',
        name: { 'zh-CN': '办结' },
        outcome: 'resolved',
        position: at(),
      });
      link(a, j, 'action', '会审完毕');
      link(b, j, 'action', '答复');
    }
  }
  nodes.push({
    id: 'x1',
    kind: 'task',
    name: { 'zh-CN': '督办' },
    assignee: { role: 'leader' },
    position: at(),
  });
  nodes.push({
    id: 'x2',
    kind: 'end',
    name: { 'zh-CN': '督办结束' },
    outcome: 'resolved',
    position: at(),
  });
  link('x1', 'x2', 'action', '督办完毕');
  edges.push({
    id: `e${edges.length + 1}`,
    kind: 'deadline',
    from: 't1',
    to: 'x1',
    on: 'overdue',
  } as never);
  return {
    formatVersion: 1,
    key: 'hundred-steps',
    version: 1,
    name: { 'zh-CN': '百步流程' },
    jurisdiction: '440781',
    roles: [
      { id: 'receptionist', name: { 'zh-CN': '接访员' } },
      { id: 'handler', name: { 'zh-CN': '部门办理人' } },
      { id: 'leader', name: { 'zh-CN': '领导' } },
    ],
    dataSchema: { type: 'object', properties: { complex: { type: 'boolean', title: '复杂' } } },
    forms: [],
    clocks: [],
    nodes,
    edges,
  } as unknown as FlowDefinition;
}

/** Every edge of the canvas: drawn, inside the canvas box; and how many carry a label. */
async function edgesInView(page: Page) {
  return page.evaluate(() => {
    const canvas = document.querySelector('.lx-workspace .lx-canvas')?.getBoundingClientRect();
    if (!canvas) return { total: 0, inside: 0, labels: 0, outside: [] as string[] };
    const edges = [...document.querySelectorAll('.lx-workspace .lx-canvas .react-flow__edge')];
    const outside: string[] = [];
    for (const e of edges) {
      const r = e.querySelector('path.react-flow__edge-path')?.getBoundingClientRect();
      const ok =
        r &&
        r.width + r.height > 0 &&
        r.left >= canvas.left - 2 &&
        r.right <= canvas.right + 2 &&
        r.top >= canvas.top - 2 &&
        r.bottom <= canvas.bottom + 2;
      if (!ok) outside.push(`${e.getAttribute('data-id')} ${JSON.stringify(r)}`);
    }
    return {
      total: edges.length,
      inside: edges.length - outside.length,
      labels: document.querySelectorAll('.lx-canvas .react-flow__edge-textwrapper').length,
      outside: outside.slice(0, 5),
    };
  });
}

let browser: Browser;
let running: RunningServer;
let dataDir: string;
let flowId: string;

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  const opened = await openServerStore('lianxin-designer-canvas-');
  dataDir = opened.dataDir;
  await addPeople(
    opened.store,
    TAISHAN_CHAIN,
    [['taishan-admin', '台山市管理员', '440781', 'admin']],
    PASSWORD,
  );
  running = await startServer(opened.store, opened.config, silentLogger, { scheduler: false });
  const admin = client(running.url);
  await admin.auth.login.mutate({ username: 'taishan-admin', password: PASSWORD });
  const flow = hundredNodeFlow();
  ({ flowId } = await admin.flows.saveDraft.mutate({
    jurisdiction: '440781',
    key: flow.key,
    definition: flow as unknown as Record<string, unknown>,
    create: true,
  }));
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await running?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('the canvas of a 100-node flow', () => {
  it('shows every edge and label zoomed to fit and after auto-layout, routes edges around nodes, appends and connects, and simulates at a readable zoom across tabs', async () => {
    const { page, errors } = await signInAdmin(browser, running.url, {
      password: PASSWORD,
      viewport: { width: 1366, height: 768 },
    });
    await openFlow(page, running.url, flowId);
    const flow = await flowOf(page);
    expect(flow.nodes).toHaveLength(100);
    const labelled = flow.edges.filter((e) => e.kind !== 'next').length;

    // Zoomed to fit: far out (below the level where nodes lose their text), every edge on screen.
    await page.getByTestId('fit').click();
    await page.waitForTimeout(600);
    const zoom = await page.evaluate(() => {
      const t = document.querySelector('.react-flow__viewport') as HTMLElement;
      return new DOMMatrix(getComputedStyle(t).transform).a;
    });
    expect(zoom).toBeLessThan(0.45);
    await expect.poll(async () => (await edgesInView(page)).inside).toBe(flow.edges.length);
    expect((await edgesInView(page)).labels).toBe(labelled);
    await page.screenshot({ path: `${SHOTS}/fit-100-nodes.png` });

    // Auto-layout: progress shown, then every edge and label on screen, routed around the nodes.
    await page.getByTestId('layout').click();
    await page
      .getByTestId('layout')
      .and(page.locator('.ant-btn-loading'))
      .waitFor({ state: 'detached', timeout: 60_000 });
    await page.waitForTimeout(600);
    await page.screenshot({ path: `${SHOTS}/layout-100-nodes.png` });
    await expect.poll(async () => (await edgesInView(page)).inside).toBe(flow.edges.length);
    expect((await edgesInView(page)).labels).toBe(labelled);
    const laid = await flowOf(page);
    const crossings = await page.evaluate((f) => {
      const size = (k: string) =>
        ['start', 'end', 'timer'].includes(k)
          ? { w: 56, h: 56 }
          : ['decision', 'parallel', 'join'].includes(k)
            ? { w: 64, h: 64 }
            : { w: 180, h: 56 };
      const boxes = f.nodes.map((n) => ({
        id: n.id,
        x: n.position?.x ?? 0,
        y: n.position?.y ?? 0,
        ...size(n.kind),
      }));
      const hits: string[] = [];
      for (const el of document.querySelectorAll('.lx-canvas .react-flow__edge')) {
        const id = el.getAttribute('data-id');
        const e = f.edges.find((x) => x.id === id);
        const d = el.querySelector('path.react-flow__edge-path')?.getAttribute('d') ?? '';
        const nums = (d.match(/-?\d+(\.\d+)?/g) ?? []).map(Number);
        const pts: { x: number; y: number }[] = [];
        for (let i = 0; i + 1 < nums.length; i += 2)
          pts.push({ x: nums[i] as number, y: nums[i + 1] as number });
        for (let i = 1; i < pts.length; i++) {
          const a = pts[i - 1] as { x: number; y: number };
          const b = pts[i] as { x: number; y: number };
          for (const box of boxes) {
            if (box.id === e?.from || box.id === e?.to) continue;
            const x0 = Math.min(a.x, b.x),
              x1 = Math.max(a.x, b.x),
              y0 = Math.min(a.y, b.y),
              y1 = Math.max(a.y, b.y);
            if (
              x1 > box.x + 3 &&
              x0 < box.x + box.w - 3 &&
              y1 > box.y + 3 &&
              y0 < box.y + box.h - 3
            )
              hits.push(
                `${id} (${e?.kind} ${e?.from}→${e?.to}) through ${box.id} ${JSON.stringify(box)} seg ${JSON.stringify([a, b])} ${el.getAttribute('class')}`,
              );
          }
        }
      }
      return hits;
    }, laid);
    expect(crossings).toEqual([]);

    // 模拟运行 opens at a readable zoom with its edges, and keeps the run across tabs.
    await page.getByRole('tab', { name: '模拟运行' }).click();
    await page.getByTestId('sim-start').click();
    await page.getByTestId('sim-now').waitFor();
    const simZoom = await page.evaluate(() => {
      const t = document.querySelector(
        '[data-testid="simulation"] .react-flow__viewport',
      ) as HTMLElement;
      return new DOMMatrix(getComputedStyle(t).transform).a;
    });
    expect(simZoom).toBeGreaterThanOrEqual(0.1);
    const simEdges = await page
      .locator('[data-testid="simulation"] .react-flow__edge path.react-flow__edge-path')
      .count();
    expect(simEdges).toBe(laid.edges.length);
    const now = await page.getByTestId('sim-now').innerText();
    await page.screenshot({ path: `${SHOTS}/simulate-100-nodes.png` });
    await page.getByRole('tab', { name: '流程图' }).click();
    await page.getByRole('tab', { name: '模拟运行' }).click();
    expect(await page.getByTestId('sim-now').innerText()).toBe(now);
    await page.getByRole('tab', { name: '流程图' }).click();

    // Append and connect: a step added after the selected one follows it.
    await addAfter(page, 'x1', 'task');
    await expect.poll(async () => (await flowOf(page)).nodes.length).toBe(laid.nodes.length + 1);
    const appended = await flowOf(page);
    const added = appended.nodes.find((n) => !laid.nodes.some((m) => m.id === n.id));
    expect(added?.kind).toBe('task');
    expect(appended.edges.some((e) => e.from === 'x1' && e.to === added?.id)).toBe(true);
    await page.screenshot({ path: `${SHOTS}/append-connect.png` });

    expect(errors).toEqual([]);
  });
});
