import { rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { archiveClosedCases, beijingYear } from '../../../../packages/store/src';
// The real server (HTTP, tRPC, SQLite), started from its source like its own tests do.
import { type RunningServer, startServer } from '../../../server/src/app';
import { silentLogger } from '../../../server/src/log';
import flowJson from '../../../server/test/fixtures/flow.json' with { type: 'json' };
import { launchChromium, screenshot, signIn } from '../harness';
import { addPeople, TAISHAN_CHAIN } from '../people';
import { openServerStore } from '../server';

const PASSWORD = 'case-archived-e2e-password';
const receptionist = { id: '', roles: ['receptionist'], jurisdiction: '440781' };
let browser: Browser;
let running: RunningServer;
let dataDir: string;
let caseId = '';
let file = '';

beforeAll(async () => {
  const opened = await openServerStore('lianxin-case-archived-e2e-');
  dataDir = opened.dataDir;
  const { store, config } = opened;
  await addPeople(
    store,
    TAISHAN_CHAIN,
    [['taishan-reception', '台山市接访员', '440781', 'receptionist']],
    PASSWORD,
  );
  const flow = await store.saveDraft({
    jurisdiction: '440781',
    key: flowJson.key,
    name: flowJson.name,
    draft: flowJson as unknown as Record<string, unknown>,
    by: null,
  });
  await store.publish(flow.id, null);
  const started = await store.startCase({
    flowId: flow.id,
    version: 1,
    command: {
      type: 'case.start',
      channel: 'visit',
      data: { summary: '村道路灯损坏多日无人维修' },
      actor: receptionist,
    },
  });
  caseId = started.caseId;
  const row = await store.caseRow(caseId);
  await store.act(caseId, {
    type: 'task.complete',
    taskId: row?.state.tasks[0]?.id ?? '',
    action: 'submit',
    data: { accepted: false },
    actor: receptionist,
  });
  // `lianxin archive` keeps this year online; the store's own function takes any year.
  const now = new Date();
  const archived = await archiveClosedCases(store.database, store.vault, {
    year: beijingYear(now.getTime()),
    path: join(dataDir, 'lianxin-archive-e2e.jsonl.gz'),
    now,
  });
  file = 'lianxin-archive-e2e.jsonl.gz';
  expect(archived.manifest?.counts.cases).toBe(1);
  running = await startServer(store, config, silentLogger, { scheduler: false });
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await running?.close();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

describe('an archived case', () => {
  it('says 已归档 with the file and how to restore it, in Chinese and English', async () => {
    const { page, errors } = await signIn(browser, running.url, 'taishan-reception', PASSWORD);
    await page.goto(`${running.url}/#/workbench/case/${encodeURIComponent(caseId)}`);
    const banner = page.getByTestId('case-archived');
    await banner.waitFor();
    await expect.poll(() => banner.textContent()).toContain('已归档');
    const text = (await banner.textContent()) ?? '';
    expect(text).toContain(file);
    expect(text).toContain(`lianxin restore-archive ${file}`);
    expect(text).toContain('案件概要、统计和检索不受影响');
    // The summary is still there; the status says closed.
    await expect.poll(() => page.getByTestId('case-status').textContent()).toContain('办结');
    await screenshot(page, 'case-archived-00-banner');
    await page.getByTestId('lang-switch').click();
    await expect.poll(() => banner.textContent()).toContain('Archived');
    expect(await banner.textContent()).toContain('a system administrator runs');
    await screenshot(page, 'case-archived-01-banner-en');
    expect(errors).toEqual([]);
  });
});
