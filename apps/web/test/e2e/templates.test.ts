import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// The real server (HTTP, tRPC, SQLite), started from its source like its own tests do.
import { type RunningServer, startServer } from '../../../server/src/app';
import { silentLogger } from '../../../server/src/log';
import { client } from '../../../server/test/server-helpers';
import { launchChromium, screenshot, signIn as signInAs, webRoot } from '../harness';
import { openServerStore } from '../server';

type Json = Record<string, unknown>;
type Node = { id: string; name: Json; deadline?: { duration: string } };
const PASSWORD = 'templates-e2e-password';
const KEY = 'standard-petition';
const folder = resolve(webRoot, '../../templates/standard-petition');
const read = (file: string) => JSON.parse(readFileSync(join(folder, file), 'utf8')) as Json;

function templateVersion(version: number, edit: (nodes: Node[]) => void = () => {}) {
  const flow = read('flow.json') as Json & { nodes: Node[] };
  flow.version = version;
  edit(flow.nodes);
  const notes = [
    { 'zh-CN': '首个版本', en: 'First version' },
    {
      'zh-CN': '回访评价时限延长至 14 天；“部门办理”更名为“承办部门办理”',
      en: 'Return visit deadline extended to 14 days; "部门办理" renamed',
    },
  ];
  return {
    manifest: {
      ...read('template.json'),
      version,
      changelog: notes.slice(0, version).map((changes, i) => ({ version: i + 1, changes })),
    },
    flow,
    forms: readdirSync(join(folder, 'forms')).map((f) => read(`forms/${f}`)),
    readme: '# 信访事项办理标准流程',
  };
}
const visitOf = (flow: unknown) =>
  (flow as { nodes: Node[] }).nodes.find((n) => n.id === 'visit') as Node;

let browser: Browser;
let running: RunningServer;
let dataDir: string;
let flowId: string;
let county: ReturnType<typeof client>;

beforeAll(async () => {
  const opened = await openServerStore('lianxin-templates-e2e-');
  dataDir = opened.dataDir;
  const { store, config } = opened;
  for (const [code, name, level, parent] of [
    ['440000', '广东省', 'province', null],
    ['440700', '江门市', 'city', '440000'],
    ['440781', '台山市', 'county', '440700'],
  ] as const)
    await store.upsertJurisdiction({ code, name: { 'zh-CN': name }, level, parent });
  for (const [username, jurisdiction] of [
    ['guangdong-admin', '440000'],
    ['taishan-admin', '440781'],
  ] as const)
    await store.createUser({
      username,
      displayName: username === 'taishan-admin' ? '台山市管理员' : '广东省管理员',
      password: PASSWORD,
      memberships: [{ jurisdiction, role: 'admin' }],
    });
  running = await startServer(store, config, silentLogger, { scheduler: false });

  // The province publishes v1; Taishan adopts it and gives the return visit 10 days.
  const province = client(running.url);
  await province.auth.login.mutate({ username: 'guangdong-admin', password: PASSWORD });
  await province.templates.publish.mutate(templateVersion(1));
  county = client(running.url);
  await county.auth.login.mutate({ username: 'taishan-admin', password: PASSWORD });
  ({ flowId } = await county.templates.adopt.mutate({
    templateKey: KEY,
    version: 1,
    jurisdiction: '440781',
  }));
  const draft = (await county.flows.get.query({ flowId })).draft as Json & { roles: Json[] };
  visitOf(draft).deadline = { ...visitOf(draft).deadline, duration: 'P10D' } as never;
  draft.roles.push({ id: 'mediator', name: { 'zh-CN': '人民调解员', en: 'Mediator' } });
  await county.flows.saveDraft.mutate({ jurisdiction: '440781', key: KEY, definition: draft });
  // v2 changes the same deadline (a conflict) and renames a step (no conflict).
  await province.templates.publish.mutate(
    templateVersion(2, (nodes) => {
      const visit = nodes.find((n) => n.id === 'visit');
      if (visit?.deadline) visit.deadline.duration = 'P14D';
      const handle = nodes.find((n) => n.id === 'handle');
      if (handle) handle.name = { ...handle.name, 'zh-CN': '承办部门办理' };
    }),
  );
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await running?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

const signIn = () => signInAs(browser, running.url, 'taishan-admin', PASSWORD, 'new-flow');

describe('a county admin upgrades an adopted flow', () => {
  it('sees the conflict, resolves it, and upgrades keeping the local changes', async () => {
    const { page, errors } = await signIn();
    try {
      await page.getByTestId('nav-templates').click();
      await page.getByTestId(`template-${KEY}`).waitFor();
      expect(await page.getByTestId(`local-440781-${KEY}`).innerText()).toBe('2 处');
      await screenshot(page, 'templates-01-library');

      await page.getByTestId(`upgrade-440781-${KEY}`).click();
      await page.getByTestId('conflict-0').waitFor();
      expect(await page.getByTestId('conflict-0-base').innerText()).toBe('7天');
      expect(await page.getByTestId('conflict-0-theirs').innerText()).toBe('14天');
      expect(await page.getByTestId('conflict-0-ours').innerText()).toBe('10天');
      expect(await page.getByTestId('upstream-changes').innerText()).toContain(
        '步骤“部门办理” › 名称\n部门办理→承办部门办理',
      );
      expect(await page.getByTestId('local-changes').innerText()).toContain('人民调解员');

      // Upgrading before deciding is refused, naming the conflict.
      await page.getByTestId('upgrade-submit').click();
      await page.getByTestId('upgrade-error').waitFor();
      expect(await page.getByTestId('upgrade-error').innerText()).toContain(
        '步骤“回访评价” › 办理时限 › 时长',
      );

      await page.locator('label:has([data-testid="conflict-0-keep-ours"])').click();
      await page.getByText('已决定 1 / 1 处冲突').waitFor();
      await screenshot(page, 'templates-02-upgrade-conflict');

      await page.getByTestId('upgrade-submit').click();
      await page.getByTestId('upgrade-done').waitFor();
      await screenshot(page, 'templates-03-upgraded');

      const draft = (await county.flows.get.query({ flowId })).draft as Json & {
        roles: { id: string }[];
      };
      expect(draft.extends).toEqual({ template: KEY, version: 2 });
      expect(visitOf(draft).deadline?.duration).toBe('P10D');
      expect(draft.roles.map((r) => r.id)).toContain('mediator');
      const handle = (draft as unknown as { nodes: Node[] }).nodes.find((n) => n.id === 'handle');
      expect(handle?.name['zh-CN']).toBe('承办部门办理');
      expect(errors).toEqual([]);
    } finally {
      await page.close();
    }
  });

  it('refuses a tampered bundle on import, showing why', async () => {
    const page = await browser.newPage({ viewport: { width: 1366, height: 768 } });
    try {
      await page.goto(`${running.url}/#/login`);
      await page.getByTestId('login-username').fill('guangdong-admin');
      await page.getByTestId('login-password').fill(PASSWORD);
      await page.getByTestId('login-submit').click();
      await page.getByTestId('new-flow').waitFor();
      await page.goto(`${running.url}/#/templates`);
      await page.getByTestId(`template-${KEY}`).waitFor();
      const bundle = (await county.templates.exportBundle.query({ key: KEY, version: 2 })) as Json;
      bundle.readme = '# 被改动的说明';
      const file = join(dataDir, 'tampered.json');
      writeFileSync(file, JSON.stringify(bundle));
      await page.locator('input[type=file]').setInputFiles(file);
      await page.getByTestId('import-error').waitFor();
      expect(await page.getByTestId('import-error').innerText()).toContain(
        '模板包内容与其校验值不符',
      );
      await screenshot(page, 'templates-04-tampered-bundle');
      // The library in English.
      await page.getByTestId('lang-switch').click();
      await page.getByText('Versions and changelog').waitFor();
      expect(await page.getByTestId('import-error').innerText()).toContain(
        'the bundle does not match its content hash',
      );
      await screenshot(page, 'templates-05-library-english');
    } finally {
      await page.close();
    }
  });
});
