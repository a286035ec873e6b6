/**
 * What every designer browser test does: sign in as the county admin, start
 * or open a flow, find a step on the canvas, open its property panel (only
 * once the panel shows that step), and read the flow being edited from the
 * designer's store.
 */
import { rmSync } from 'node:fs';
import type { Server } from 'node:http';
import type { FlowDefinition } from '@lianxin/spec';
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, inject } from 'vitest';
// The real server (HTTP, tRPC, SQLite), started from its source like its own tests do.
import { type RunningServer, startServer } from '../../../server/src/app';
import { silentLogger } from '../../../server/src/log';
import { client } from '../../../server/test/server-helpers';
import { actUntil, clickUntil, launchChromium, serve } from '../harness';
import { addPeople, TAISHAN_CHAIN } from '../people';
import { openServerStore } from '../server';

/** The county admin of the e2e build's in-memory backend. */
export const E2E_ADMIN = { username: 'taishan-admin', password: 'test-password' } as const;

/**
 * The e2e build (in-memory backend) served and a browser launched for this
 * file's tests; closed after them. Read `app.url` and `app.browser` inside tests.
 */
export function servedApp(): { url: string; browser: Browser } {
  const app = {} as { url: string; browser: Browser; server: Server };
  beforeAll(async () => {
    ({ url: app.url, server: app.server } = await serve(inject('webBuilds').e2e));
    app.browser = await launchChromium();
  });
  afterAll(async () => {
    await app.browser?.close();
    app.server?.close();
  });
  return app;
}

export interface SignInOptions {
  username?: string;
  password?: string;
  /** The test id to wait for once signed in (the flow list's 新建流程 by default). */
  ready?: string;
  viewport?: { width: number; height: number };
  acceptDownloads?: boolean;
  /** The system's motion setting the page reports (the harness asks for reduced motion). */
  reducedMotion?: 'reduce' | 'no-preference';
  /** Flows the in-memory backend starts with. */
  seed?: FlowDefinition[];
  /** Runs on the login page before signing in (e.g. a screenshot). */
  atLogin?: (page: Page) => Promise<void>;
}

/** A page signed in (the e2e admin unless told), collecting page errors. */
export async function signInAdmin(
  browser: Browser,
  url: string,
  options: SignInOptions = {},
): Promise<{ page: Page; errors: string[] }> {
  const page = await browser.newPage({
    viewport: options.viewport ?? { width: 1366, height: 900 },
    ...(options.acceptDownloads ? { acceptDownloads: true } : {}),
    ...(options.reducedMotion ? { reducedMotion: options.reducedMotion } : {}),
  });
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  if (options.seed?.length) {
    await page.addInitScript((flows) => {
      (window as unknown as { __LIANXIN_E2E_SEED__: unknown }).__LIANXIN_E2E_SEED__ = flows;
    }, options.seed);
  }
  await page.goto(url);
  await page.getByTestId('login').waitFor();
  await options.atLogin?.(page);
  await page.getByTestId('login-username').fill(options.username ?? E2E_ADMIN.username);
  await page.getByTestId('login-password').fill(options.password ?? E2E_ADMIN.password);
  await page.getByTestId('login-submit').click();
  await page.getByTestId(options.ready ?? 'new-flow').waitFor();
  return { page, errors };
}

/** Starts a new flow from the flow list; resolves once its start step is on the canvas. */
export async function newFlow(page: Page, name: string, key: string): Promise<void> {
  await page.getByTestId('new-flow').click();
  await page.getByTestId('new-flow-name').fill(name);
  await page.getByTestId('new-flow-key').fill(key);
  await page.getByTestId('new-flow-create').click();
  await canvasNode(page, 'start').waitFor();
}

/** Opens a saved flow by its id; resolves once the designer shows it. */
export async function openFlow(page: Page, url: string, flowId: string): Promise<void> {
  await page.goto(`${url}/#/flows/${encodeURIComponent(flowId)}`);
  await page.getByTestId('designer').waitFor();
}

type DesignerWindow = {
  __lianxinDesigner: {
    getState(): { flow: FlowDefinition; dispatch(edit: unknown): void };
  };
};

/** The flow being edited, as the designer holds it (unsaved edits included). */
export const flowOf = (page: Page): Promise<FlowDefinition> =>
  page.evaluate(() => (window as unknown as DesignerWindow).__lianxinDesigner.getState().flow);

/** One node of the flow being edited. */
export const nodeOf = async (page: Page, id: string) =>
  (await flowOf(page)).nodes.find((n) => n.id === id) as
    | (FlowDefinition['nodes'][number] & Record<string, unknown>)
    | undefined;

/** Makes an edit through the designer's own command (undoable, as a person's edit is). */
export const dispatchEdit = (page: Page, edit: unknown): Promise<void> =>
  page.evaluate(
    (e) => (window as unknown as DesignerWindow).__lianxinDesigner.getState().dispatch(e),
    edit,
  );

/** A step on the canvas tab (the simulation and versions tabs draw the flow too). */
export const canvasNode = (page: Page, id: string): Locator =>
  page.locator(`.lx-workspace .react-flow__node[data-id="${id}"]`);

/** The property panel while it shows step `id`. */
export const panelOf = (page: Page, id: string): Locator =>
  page.locator(`[data-testid="node-panel"][data-node-id="${id}"]`);

/**
 * Clicks a step on the canvas and waits until the property panel shows it,
 * as a person reads the panel's heading before typing: the panel of the
 * step selected before may still be on screen for a moment.
 */
export async function selectNode(page: Page, id: string): Promise<Locator> {
  const panel = panelOf(page, id);
  // Again if need be: a step just added can still be moving as the canvas makes room for it.
  await clickUntil(canvasNode(page, id), panel);
  return panel;
}

/**
 * Selects the step `anchor` and adds a step of `kind` after it from the palette; resolves once
 * the flow holds it. Under load a palette click has been seen to add nothing (CI, 1 Dec), so the
 * step is selected and the palette clicked again then, never once the flow has grown.
 */
export async function addAfter(page: Page, anchor: string, kind: string): Promise<void> {
  await selectNode(page, anchor);
  // Counted once the anchor is selected: the designer's store is then the flow on screen, not
  // the one a page before it held (a new flow's designer mounts after its form is sent).
  const count = async () => (await flowOf(page)).nodes.length;
  const before = await count();
  let tries = 0;
  await actUntil(
    async () => {
      if (tries++ > 0) await selectNode(page, anchor);
      await page.getByTestId(`palette-${kind}`).click();
    },
    (timeout) => expect.poll(count, { timeout }).toBe(before + 1),
    async () => (await count()) > before,
  );
}

/**
 * Draws start → one task per name → end below a new flow's start step, the tasks numbered
 * task1, task2, … as the palette numbers them.
 */
export async function chain(page: Page, names: string[]): Promise<void> {
  let last = 'start';
  for (const [i, name] of names.entries()) {
    await addAfter(page, last, 'task');
    last = `task${i + 1}`;
    await rename(page, last, name);
  }
  await addAfter(page, last, 'end');
}

/** Renames step `id` (Chinese name) in its property panel. */
export async function rename(page: Page, id: string, name: string): Promise<void> {
  const input = (await selectNode(page, id)).getByTestId('prop-name-zh');
  await input.fill(name);
  await input.press('Enter');
}

/**
 * A county flow as Taishan keeps it: 登记 → one task, done by `task.role` → 办结 (the task's
 * action edge named `action.label`).
 */
export function countyFlow(input: {
  key: string;
  name: string;
  roles: { id: string; name: string }[];
  task: { id: string; name: string; role: string };
  action: { id: string; label: string };
}) {
  return {
    formatVersion: 1,
    key: input.key,
    version: 1,
    name: { 'zh-CN': input.name },
    jurisdiction: '440781',
    roles: input.roles.map((r) => ({ id: r.id, name: { 'zh-CN': r.name } })),
    dataSchema: { type: 'object', properties: {} },
    forms: [],
    clocks: [],
    nodes: [
      {
        id: 'start',
        kind: 'start',
        name: { 'zh-CN': '登记' },
        channels: ['visit'],
        position: { x: 300, y: 40 },
      },
      {
        id: input.task.id,
        kind: 'task',
        name: { 'zh-CN': input.task.name },
        assignee: { role: input.task.role },
        position: { x: 240, y: 180 },
      },
      {
        id: 'done',
        kind: 'end',
        name: { 'zh-CN': '办结' },
        outcome: 'resolved',
        position: { x: 300, y: 340 },
      },
    ],
    edges: [
      { id: 'e1', kind: 'next', from: 'start', to: input.task.id },
      {
        id: 'e2',
        kind: 'action',
        from: input.task.id,
        to: 'done',
        action: input.action.id,
        label: { 'zh-CN': input.action.label },
      },
    ],
  };
}

/**
 * The real server (SQLite) with Taishan's admins `admins` ([username, display name]) and
 * `flow` saved as the county's draft by the first of them, and a browser; both closed after
 * this file's tests. Read the fields inside tests.
 */
export function serverWithDraft(
  prefix: string,
  admins: [string, string][],
  password: string,
  flow: ReturnType<typeof countyFlow>,
): { url: string; browser: Browser; flowId: string; api: ReturnType<typeof client> } {
  const world = {} as {
    url: string;
    browser: Browser;
    flowId: string;
    api: ReturnType<typeof client>;
    running: RunningServer;
    dataDir: string;
  };
  beforeAll(async () => {
    const opened = await openServerStore(prefix);
    world.dataDir = opened.dataDir;
    await addPeople(
      opened.store,
      TAISHAN_CHAIN,
      admins.map(([username, name]) => [username, name, '440781', 'admin'] as const),
      password,
    );
    world.running = await startServer(opened.store, opened.config, silentLogger, {
      scheduler: false,
    });
    world.url = world.running.url;
    world.api = client(world.url);
    await world.api.auth.login.mutate({ username: admins[0]?.[0] ?? '', password });
    ({ flowId: world.flowId } = await world.api.flows.saveDraft.mutate({
      jurisdiction: '440781',
      key: flow.key,
      definition: flow,
      create: true,
    }));
    world.browser = await launchChromium();
  });
  afterAll(async () => {
    await world.browser?.close();
    await world.running?.close();
    if (world.dataDir) rmSync(world.dataDir, { recursive: true, force: true });
  });
  return world;
}
