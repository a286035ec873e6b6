import { mkdirSync, rmSync } from 'node:fs';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// The real server (HTTP, tRPC, SQLite), started from its source like its own tests do.
import { type RunningServer, startServer } from '../../../server/src/app';
import { silentLogger } from '../../../server/src/log';
import { client } from '../../../server/test/server-helpers';
import { launchChromium, screenshot, signIn } from '../harness';
import { addPeople, publishAndAdopt, TAISHAN_CHAIN } from '../people';
import { openServerStore } from '../server';

const PASSWORD = 'documents-e2e-password-2025';
const NAME = '欧阳镕珺';
const PHONE = '13712345678';
const SUMMARY = '小区电梯停运三个月，物业不予维修';
const REPLY = '经住建局约谈物业公司，电梯已于本月修复并通过安全检验，恢复运行。';
const SHOTS = process.env.LIANXIN_SHOTS ?? '';

let browser: Browser;
let running: RunningServer;
let dataDir: string;
let trackingCode = '';
let flowId = '';

beforeAll(async () => {
  const opened = await openServerStore('lianxin-documents-e2e-');
  dataDir = opened.dataDir;
  await addPeople(
    opened.store,
    TAISHAN_CHAIN,
    [
      ['guangdong-admin', '广东省管理员', '440000', 'admin'],
      ['taishan-admin', '台山市管理员', '440781', 'admin'],
      ['taishan-receptionist', '台山接访员 李敏', '440781', 'receptionist'],
      ['taishan-housing', '台山住建局 何伟', '440781', 'handler', 'housing'],
      ['taishan-leader', '台山分管领导 王强', '440781', 'leader'],
    ],
    PASSWORD,
  );
  running = await startServer(opened.store, opened.config, silentLogger, { scheduler: false });
  ({ flowId } = await publishAndAdopt(running.url, 'standard-petition', PASSWORD));
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await running?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

/** Drives one case through the API: registered, accepted, assigned, handled, approved, replied. */
async function handleCase() {
  const as = async (username: string) => {
    const c = client(running.url);
    await c.auth.login.mutate({ username, password: PASSWORD });
    return c;
  };
  const desk = await as('taishan-receptionist');
  const registered = await desk.cases.register.mutate({
    flowId,
    channel: 'visit',
    data: { petitioner: { name: NAME }, category: 'housing', summary: SUMMARY },
    petitioner: { name: NAME, phone: PHONE },
  });
  const step = async (
    who: Awaited<ReturnType<typeof as>>,
    node: string,
    action: string,
    data: Record<string, unknown>,
  ) => {
    const task = (await who.tasks.inbox.query()).rows.find(
      (t) => t.caseId === registered.caseId && t.node === node,
    );
    await who.tasks.complete.mutate({ taskId: task?.id ?? '', action, data });
  };
  await step(desk, 'accept', 'accept', { category: 'housing', acceptanceNote: '予以受理' });
  await step(desk, 'assign', 'assign', { department: 'housing' });
  await step(await as('taishan-housing'), 'handle', 'submit', {
    handlingOpinion: '已约谈物业公司，责令限期修复电梯',
  });
  await step(await as('taishan-leader'), 'approve', 'approve', { approvalComment: '同意' });
  await step(desk, 'reply', 'send', { replyText: REPLY });
  return registered;
}

describe('statutory documents in the browser against the real server', () => {
  it('an admin words the 受理告知书, the case issues it and the 处理意见书, and the petitioner reads and downloads both', async () => {
    const shot = async (page: Parameters<typeof screenshot>[0], name: string) => {
      await screenshot(page, name);
      if (SHOTS) {
        mkdirSync(SHOTS, { recursive: true });
        await page.screenshot({ path: `${SHOTS}/${name}.png`, fullPage: true });
      }
    };
    // The county admin edits the acceptance notice's wording, with the preview beside it.
    const { page, errors } = await signIn(
      browser,
      running.url,
      'taishan-admin',
      PASSWORD,
      'nav-documents',
    );
    // In the designer, the 受理 button's edge says which document it issues.
    await page.goto(`${running.url}/#/flows/${encodeURIComponent(flowId)}`);
    const acceptEdge = page.locator('.react-flow__edge-textwrapper').filter({ hasText: /^受理$/ });
    await acceptEdge.waitFor({ state: 'attached' });
    // The canvas may still be fitting itself into view: click where the label is now, again
    // until the edge's panel shows (under load the first click can come before the canvas listens).
    const edgeDocuments = page.getByTestId('prop-edge-documents');
    await expect
      .poll(async () => {
        if ((await edgeDocuments.count()) === 0) await acceptEdge.dispatchEvent('click');
        return (await edgeDocuments.count()) ? edgeDocuments.innerText() : '';
      })
      .toContain('受理告知书');
    await shot(page, 'documents-designer-edge');
    await page.getByTestId('nav-documents').click();
    await page.getByTestId('document-templates').waitFor();
    await page.getByTestId('document-kind-acceptance').click();
    await expect
      .poll(() => page.getByTestId('preview-serial').innerText())
      .toMatch(/^台信受〔\d{4}〕1号$/);
    await page.getByTestId('document-issuer').fill('台山市人民政府信访局');
    const body = page.getByTestId('document-body');
    await body.fill(
      '{{petitioner.name}}：\n\n你于{{case.receivedDate}}反映的“{{case.title}}”，经审查，本局决定予以受理，将在六十日内书面答复。\n\n{{case.titel}}',
    );
    // A mistyped placeholder is named with its line, and saving waits until it is fixed.
    await expect
      .poll(() => page.getByTestId('document-problems').innerText())
      .toContain('正文第 5 行');
    expect(await page.getByTestId('document-save').isDisabled()).toBe(true);
    await shot(page, 'documents-template-problem');
    await body.fill(
      '{{petitioner.name}}：\n\n你于{{case.receivedDate}}反映的“{{case.title}}”，经审查，本局决定予以受理，将在六十日内书面答复。\n\n特此告知。',
    );
    await expect
      .poll(async () => (await page.getByTestId('preview-paragraph').allInnerTexts()).join('|'))
      .toContain('“工地拖欠工资三个月（示例）”，经审查，本局决定予以受理');
    await page.getByTestId('document-save').click();
    await expect.poll(() => page.getByTestId('document-revision').innerText()).toMatch(/^第 1 版/);
    await shot(page, 'documents-template-saved');
    // 预览 PDF opens the draft as a PDF marked 预览 样稿, in Chromium's viewer.
    const [popup] = await Promise.all([
      page.waitForEvent('popup'),
      page.getByTestId('document-preview-pdf').click(),
    ]);
    await expect.poll(() => popup.url()).toMatch(/^blob:/);
    await popup.setViewportSize({ width: 900, height: 1100 });
    await popup.waitForTimeout(1500);
    await shot(popup, 'documents-template-preview-pdf');
    await popup.close();
    const screen = await page.locator('body').innerText();
    expect(screen).not.toMatch(/\{\{|acceptance|nonAcceptance|undefined/);
    expect(errors).toEqual([]);

    const handled = await handleCase();
    trackingCode = handled.trackingCode;

    // The receptionist sees both documents on the case page and prints one from the browser's viewer.
    const desk = await signIn(browser, running.url, 'taishan-receptionist', PASSWORD);
    await desk.page.goto(`${running.url}/#/workbench/case/${encodeURIComponent(handled.caseId)}`);
    const card = desk.page.getByTestId('documents-card');
    await card.waitFor();
    await expect.poll(() => card.getByTestId('document-row').count()).toBe(2);
    const listed = await card.innerText();
    expect(listed).toContain('受理告知书');
    expect(listed).toMatch(/台信受〔\d{4}〕1号/);
    expect(listed).toContain('处理意见书');
    expect(listed).toMatch(/台信处〔\d{4}〕1号/);
    expect(listed).not.toMatch(/acceptance|opinion|undefined/);
    await card.scrollIntoViewIfNeeded();
    await shot(desk.page, 'documents-case-card');
    const [printed] = await Promise.all([
      desk.page.waitForEvent('popup'),
      card.getByTestId('document-print').first().click(),
    ]);
    await expect.poll(() => printed.url()).toMatch(/\/api\/documents\/[0-9a-f-]{36}\/pdf$/);
    await printed.setViewportSize({ width: 900, height: 1100 });
    await printed.waitForTimeout(1500);
    await shot(printed, 'documents-case-print');
    expect(desk.errors).toEqual([]);

    // The petitioner, without an account, looks the case up on a phone.
    const phone = await browser.newPage({ viewport: { width: 390, height: 844 } });
    const phoneErrors: string[] = [];
    phone.on('pageerror', (e) => phoneErrors.push(e.message));
    await phone.goto(`${running.url}/#/track?code=${trackingCode}`);
    await phone.getByTestId('track-phone').fill(PHONE);
    await phone.getByTestId('track-submit').click();
    await phone.getByTestId('track-answer').waitFor();
    const answer = await phone.getByTestId('track-answer').innerText();
    expect(answer).toContain('处理意见书');
    expect(answer).toMatch(/台信处〔\d{4}〕1号/);
    expect(answer).toContain(REPLY);
    expect(answer).toContain(`${NAME}：`);
    const notice = await phone.getByTestId('track-document').innerText();
    expect(notice).toContain('受理告知书');
    expect(notice).toContain('本局决定予以受理');
    expect(notice).toContain('台山市人民政府信访局');
    // The answer is shown before the steps, not only a list of step names.
    const text = await phone.getByTestId('track-result').innerText();
    expect(text.indexOf(REPLY)).toBeLessThan(text.indexOf('办理进度'));
    expect(text).not.toMatch(/opinion|acceptance|\{\{|undefined/);
    await shot(phone, 'documents-track-phone');

    // Its PDF opens without signing in; Chromium shows it.
    const href = (await phone.getByTestId('track-document-pdf').first().getAttribute('href')) ?? '';
    const pdf = await phone.request.get(`${running.url}${href}`);
    expect(pdf.status()).toBe(200);
    expect(pdf.headers()['content-type']).toBe('application/pdf');
    expect((await pdf.body()).subarray(0, 5).toString('latin1')).toBe('%PDF-');
    const viewer = await browser.newPage({ viewport: { width: 900, height: 1100 } });
    await viewer.goto(`${running.url}${href}`).catch(() => {});
    await viewer.waitForTimeout(1500);
    await shot(viewer, 'documents-pdf-in-chromium');
    // The same link for another document is refused.
    const forged = href.replace(
      /documents\/[0-9a-f-]{36}/,
      'documents/00000000-0000-4000-8000-000000000000',
    );
    expect((await phone.request.get(`${running.url}${forged}`)).status()).toBe(403);
    expect(phoneErrors).toEqual([]);
  });
});
