import { rmSync } from 'node:fs';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// The real server (HTTP, tRPC, SQLite), started from its source like its own tests do.
import { type RunningServer, startServer } from '../../../server/src/app';
import { silentLogger } from '../../../server/src/log';
import { client } from '../../../server/test/server-helpers';
import { launchChromium, screenshot, signIn } from '../harness';
import { addPeople, publishAndAdopt, TAISHAN_CHAIN } from '../people';
import { openServerStore } from '../server';

const PASSWORD = 'privacy-e2e-password-2025';
const NAME = '黄阿婆';
const PHONE = '13912341835';
const ADDRESS = '广东省江门市台山市台城街道环北大道88号';

let browser: Browser;
let running: RunningServer;
let dataDir: string;
let caseId = '';

beforeAll(async () => {
  const opened = await openServerStore('lianxin-privacy-e2e-');
  dataDir = opened.dataDir;
  await addPeople(
    opened.store,
    TAISHAN_CHAIN,
    [
      ['guangdong-admin', '广东省管理员', '440000', 'admin'],
      ['taishan-admin', '台山市管理员', '440781', 'admin'],
      ['taishan-receptionist', '台山接访员 李敏', '440781', 'receptionist'],
      ['taishan-housing', '台山住建局 何伟', '440781', 'handler', 'housing'],
      ['taishan-lawyer', '台山律师 陈律师', '440781', 'lawyer'],
    ],
    PASSWORD,
  );
  running = await startServer(opened.store, opened.config, silentLogger, { scheduler: false });
  const { flowId } = await publishAndAdopt(running.url, 'standard-petition', PASSWORD);
  // The receptionist registers a walk-in and assigns it to housing, through the API.
  const desk = client(running.url);
  await desk.auth.login.mutate({ username: 'taishan-receptionist', password: PASSWORD });
  ({ caseId } = await desk.cases.register.mutate({
    flowId,
    channel: 'visit',
    data: {
      petitioner: { name: NAME, address: ADDRESS },
      category: 'housing',
      summary: '房屋漏水多年，物业不予维修',
    },
    petitioner: { name: NAME, phone: PHONE },
  }));
  const task = async (node: string) =>
    (await desk.tasks.inbox.query()).rows.find((t) => t.caseId === caseId && t.node === node);
  await desk.tasks.complete.mutate({
    taskId: (await task('accept'))?.id ?? '',
    action: 'accept',
    data: { category: 'housing', acceptanceNote: '属于本机关职权范围，予以受理' },
  });
  await desk.tasks.complete.mutate({
    taskId: (await task('assign'))?.id ?? '',
    action: 'assign',
    data: { department: 'housing', assignNote: '请住建局约谈物业' },
  });
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await running?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('contact details on the case page against the real server', () => {
  it('the housing handler sees the petitioner masked, reveals the phone with a reason, and then sees it', async () => {
    const { page, errors } = await signIn(browser, running.url, 'taishan-housing', PASSWORD);
    await page.goto(`${running.url}/#/workbench/case/${encodeURIComponent(caseId)}`);
    await page.getByTestId('case-page').waitFor();
    expect(await page.getByTestId('petitioner-name').innerText()).toBe('黄**');
    expect(await page.getByTestId('petitioner-phone').innerText()).toBe('139****1835');
    const body = await page.locator('body').innerText();
    expect(body).not.toContain(NAME);
    expect(body).not.toContain('环北大道');
    expect(body).not.toContain('lx:s1:');
    await screenshot(page, 'privacy-01-masked');

    await page.getByTestId('reveal-contact').click();
    await page.getByTestId('reveal-reason').fill('约谈前电话联系信访人');
    await screenshot(page, 'privacy-02-reveal-reason');
    await page.locator('#reveal-confirm').click();
    await page.getByTestId('reveal-until').waitFor();
    expect(await page.getByTestId('petitioner-phone').innerText()).toBe(PHONE);
    expect(await page.getByTestId('petitioner-name').innerText()).toBe(NAME);
    expect(await page.getByTestId('reveal-until').innerText()).toContain('联系方式可查看至');
    await screenshot(page, 'privacy-03-revealed');
    expect(errors).toEqual([]);
    await page.close();
  });

  it('a lawyer without a task on the case is offered no reveal and sees the phone masked', async () => {
    const { page } = await signIn(browser, running.url, 'taishan-lawyer', PASSWORD);
    await page.goto(`${running.url}/#/workbench/case/${encodeURIComponent(caseId)}`);
    await page.getByTestId('case-page').waitFor();
    expect(await page.getByTestId('petitioner-phone').innerText()).toBe('139****1835');
    expect(await page.getByTestId('reveal-contact').count()).toBe(0);
    await page.close();
  });
});
