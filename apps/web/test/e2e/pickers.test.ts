import { rmSync } from 'node:fs';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// The real server (HTTP, tRPC, SQLite), started from its source like its own tests do.
import { type RunningServer, startServer } from '../../../server/src/app';
import { silentLogger } from '../../../server/src/log';
import { client, flow } from '../../../server/test/server-helpers';
import { launchChromium, screenshot, signIn } from '../harness';
import { addPeople } from '../people';
import { openServerStore } from '../server';

// The forms' 人员 and 部门 pickers on a case's task form list the case's county's
// real staff and departments (users.members, departments.list): never another
// county's, never an id.

const PASSWORD = 'pickers-e2e-password';
let browser: Browser;
let running: RunningServer;
let dataDir: string;
let caseId = '';

beforeAll(async () => {
  const opened = await openServerStore('lianxin-pickers-e2e-');
  dataDir = opened.dataDir;
  await addPeople(
    opened.store,
    [
      ['440000', '广东省', 'province', null],
      ['440700', '江门市', 'city', '440000'],
      ['440781', '台山市', 'county', '440700'],
      ['440783', '开平市', 'county', '440700'],
    ],
    [
      ['taishan-admin', '台山市管理员', '440781', 'admin'],
      ['taishan-receptionist', '台山接访员 李敏', '440781', 'receptionist'],
      ['taishan-civil', '台山民政局 何伟', '440781', 'handler', 'civil'],
      ['kaiping-receptionist', '开平接访员 陈静', '440783', 'receptionist'],
      ['kaiping-civil', '开平民政局 周强', '440783', 'handler', 'civil'],
    ],
    PASSWORD,
  );
  running = await startServer(opened.store, opened.config, silentLogger, { scheduler: false });
  // Taishan keeps its departments; the acceptance step names a contact person and a department.
  const admin = client(running.url);
  await admin.auth.login.mutate({ username: 'taishan-admin', password: PASSWORD });
  for (const [code, zh, en] of [
    ['civil', '台山市民政局', 'Taishan Civil Affairs Bureau'],
    ['housing', '台山市住建局', 'Taishan Housing Bureau'],
  ] as const)
    await admin.departments.create.mutate({
      jurisdiction: '440781',
      code,
      name: { 'zh-CN': zh, en },
    });
  const definition = structuredClone(flow) as unknown as {
    forms: { id: string; schema: { properties: Record<string, unknown> }; uiSchema?: unknown }[];
  };
  const acceptance = definition.forms.find((f) => f.id === 'acceptance');
  if (!acceptance) throw new Error('the fixture flow has no acceptance form');
  acceptance.schema.properties.contact = { type: 'string', title: '联系人' };
  acceptance.schema.properties.partner = { type: 'string', title: '配合部门' };
  acceptance.uiSchema = {
    ...(acceptance.uiSchema as object),
    contact: { 'ui:widget': 'member' },
    partner: { 'ui:widget': 'department' },
  };
  const saved = await admin.flows.saveDraft.mutate({
    jurisdiction: '440781',
    key: flow.key,
    definition: { ...definition, key: flow.key, jurisdiction: '440781' } as never,
  });
  await admin.flows.publish.mutate({ flowId: saved.flowId });
  const desk = client(running.url);
  await desk.auth.login.mutate({ username: 'taishan-receptionist', password: PASSWORD });
  ({ caseId } = await desk.cases.register.mutate({
    flowId: saved.flowId,
    channel: 'visit',
    data: { summary: '低保待遇停发，请求核实' },
  }));
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await running?.close();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

/** The options a picker's dropdown shows once its list has arrived. */
async function options(page: import('playwright-core').Page, field: string): Promise<string[]> {
  await page.locator(`input[id$="_${field}"]`).click({ force: true });
  const items = page.locator('.ant-select-dropdown:visible .ant-select-item-option');
  // the choices come from the server after the list opens: read them once they are there
  let texts: string[] = [];
  await expect
    .poll(async () => {
      texts = await items.allInnerTexts();
      return texts.length;
    })
    .toBeGreaterThan(0);
  await page.keyboard.press('Escape');
  // Closed before the next picker opens, so its options are not read with these.
  await expect.poll(() => page.locator('.ant-select-dropdown:visible').count()).toBe(0);
  return texts;
}

describe('the forms’ pickers on a case against the real server', () => {
  it('the member picker lists Taishan’s staff only, by name and role; the department picker its departments', async () => {
    const { page, errors } = await signIn(browser, running.url, 'taishan-receptionist', PASSWORD);
    await page.goto(`${running.url}/#/workbench/case/${caseId}`);
    await page.getByTestId('case-page').waitFor();
    await page.locator('input[id$="_contact"]').waitFor();
    const members = await options(page, 'contact');
    expect(members).toContain('台山民政局 何伟（台山市民政局，部门办理人）');
    expect(members).toContain('台山接访员 李敏（接访员）');
    expect(members.join('\n')).not.toContain('开平');
    expect(members.join('\n')).not.toMatch(/taishan-|kaiping-|[0-9a-f]{8}-/);
    const departments = await options(page, 'partner');
    expect(departments).toEqual(['台山市民政局', '台山市住建局']);
    await page.locator('input[id$="_contact"]').click({ force: true });
    await page
      .locator('.ant-select-dropdown:visible .ant-select-item-option', { hasText: '何伟' })
      .click();
    await screenshot(page, 'pickers-1-member');
    expect(errors).toEqual([]);
    await page.close();
  });
});
