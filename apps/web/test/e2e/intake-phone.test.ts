import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// The real server (HTTP, tRPC, SQLite), started from its source like its own tests do.
import { type RunningServer, startServer } from '../../../server/src/app';
import { silentLogger } from '../../../server/src/log';
import { artifacts, launchChromium, measureCold, signIn } from '../harness';
import { addPeople, publishAndAdopt, TAISHAN_CHAIN } from '../people';
import { openServerStore } from '../server';

const PASSWORD = 'intake-phone-e2e-password';
const KEY = 'standard-petition';
const SHOTS = process.env.LIANXIN_SHOTS ?? artifacts;

let browser: Browser;
let running: RunningServer;
let store: Awaited<ReturnType<typeof openServerStore>>['store'];
let dataDir: string;

beforeAll(async () => {
  const opened = await openServerStore('lianxin-intake-phone-e2e-');
  dataDir = opened.dataDir;
  store = opened.store;
  await addPeople(
    store,
    TAISHAN_CHAIN,
    [
      ['guangdong-admin', '广东省管理员', '440000', 'admin'],
      ['taishan-admin', '台山市管理员', '440781', 'admin'],
      ['taishan-receptionist', '台山接访员 李敏', '440781', 'receptionist'],
    ],
    PASSWORD,
  );
  running = await startServer(store, opened.config, silentLogger, { scheduler: false });
  await publishAndAdopt(running.url, KEY, PASSWORD);
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await running?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('a citizen on a phone (375×812) against the real server', () => {
  it('downloads only the intake page, compressed, under 300 kB; fills the form without false alarms; pastes a phone number; attaches a photo', async () => {
    const intakeUrl = `${running.url}/#/intake/${KEY}?j=440781`;

    // 1. Cold, what goes over the wire until the form is usable: the intake page's scripts,
    // brotli, no staff app (antd, RJSF, designer, charts, Excel writer).
    const cold = await measureCold(browser, intakeUrl);
    const scripts = cold.requests.filter((r) => r.type === 'Script');
    mkdirSync(SHOTS, { recursive: true });
    writeFileSync(join(SHOTS, 'intake-cold.json'), JSON.stringify(cold, null, 1));
    console.log(
      `#/intake cold: ${scripts.length} scripts, ${cold.totals.script} bytes of script, ${cold.totals.all} bytes in all`,
    );
    expect(scripts.length).toBeGreaterThan(3);
    // Measured until the network is quiet, so the form's own request (intake.forms) came back.
    expect(cold.requests.some((r) => r.url.includes('/trpc/intake.forms'))).toBe(true);
    // Compressed, except files under 1 kB (here with their headers) where compression saves nothing.
    for (const s of scripts) if (s.bytes > 2500) expect(s.encoding, s.url).toBe('br');
    expect(scripts.map((s) => s.url).join(' ')).not.toMatch(
      /Designer|Dashboard|exceljs|echarts|\/App-|TrackRoute|LianxinForm/,
    );
    // It was 5.5 MB uncompressed in one script before the split (1.7 MB gzip), 472 kB brotli
    // with the staff app's antd and RJSF form; the public form draws with plain inputs.
    expect(cold.totals.script).toBeLessThan(300_000);
    // The tracking page loads its own script (antd's steps and rating) with its route, not the staff app.
    const track = await measureCold(browser, `${running.url}/#/track`);
    const trackScripts = track.requests.filter((r) => r.type === 'Script');
    console.log(
      `#/track cold: ${trackScripts.length} scripts, ${track.totals.script} bytes of script`,
    );
    expect(trackScripts.map((s) => s.url).join(' ')).not.toMatch(
      /Designer|Dashboard|exceljs|echarts|\/App-|LianxinForm/,
    );

    // 2. The form as it opens: the county named, no error before the citizen typed,
    // no staff-only text.
    const context = await browser.newContext({
      viewport: { width: 375, height: 812 },
      isMobile: true,
      hasTouch: true,
    });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(intakeUrl);
    await page.getByTestId('intake-submit').waitFor();
    await expect(page.getByTestId('intake-office').textContent()).resolves.toBe(
      '受理单位：广东省江门市台山市',
    );
    await expect(page.locator('h3').first().textContent()).resolves.toBe('台山市 网上信访');
    await page.waitForTimeout(800);
    const shown = page.getByTestId('field-error');
    expect(await shown.count()).toBe(0);
    // The public form: plain inputs, nothing of antd on the page.
    expect(await page.locator('[class*="ant-"]').count()).toBe(0);
    const text = (await page.locator('body').textContent()) ?? '';
    expect(text).not.toContain('加密另存');
    expect(text).not.toMatch(/应当|must have/);
    await page.screenshot({ path: join(SHOTS, 'intake-phone-01-empty.png'), fullPage: true });

    // 3. Submitting the empty form: each missing field once, in plain words.
    await page.getByTestId('intake-submit').click();
    await expect
      .poll(() => shown.allTextContents())
      .toEqual(expect.arrayContaining(['请填写姓名', '请填写诉求摘要']));
    const messages = await shown.allTextContents();
    console.log(`after an empty submit: ${messages.join(' / ')}`);
    expect(messages.filter((m) => m === '请填写姓名')).toHaveLength(1);
    expect(messages.filter((m) => m === '请填写诉求摘要')).toHaveLength(1);
    expect(new Set(messages).size).toBe(messages.length);
    await page.screenshot({ path: join(SHOTS, 'intake-phone-02-submitted-empty.png') });

    // 4. A pasted number with the country code, dashes and spaces becomes the 11 digits.
    await page.locator('input[id$="petitioner_name"]').fill('黄阿婆');
    const phone = page.locator('input[id$="petitioner_phone"]');
    await phone.focus();
    await page.keyboard.insertText('+86 138-0013-8000');
    await expect.poll(() => phone.inputValue()).toBe('13800138000');
    await page.locator('select[id$="_category"]').selectOption({ label: '城乡建设' });
    await page.locator('textarea[id$="summary"]').fill('村口道路塌陷三个月无人修复，雨天无法通行');
    await expect.poll(() => shown.count()).toBe(0);

    // 5. A photo from the phone: a real PNG drawn in the page.
    const png = await page.evaluate(() => {
      const c = document.createElement('canvas');
      c.width = 640;
      c.height = 480;
      const g = c.getContext('2d');
      if (!g) return '';
      g.fillStyle = '#8d6e63';
      g.fillRect(0, 0, 640, 480);
      g.fillStyle = '#3e2723';
      g.beginPath();
      g.ellipse(320, 260, 180, 90, 0, 0, Math.PI * 2);
      g.fill();
      g.fillStyle = '#fff';
      g.font = '36px sans-serif';
      g.fillText('塌陷路面', 240, 80);
      return c.toDataURL('image/png').split(',')[1] ?? '';
    });
    await page.getByTestId('intake-photo-input').setInputFiles({
      name: '路面.png',
      mimeType: 'image/png',
      buffer: Buffer.from(png, 'base64'),
    });
    await page.getByTestId('intake-photo').first().waitFor();
    // A file that is not a photo is refused on the page, in words.
    await page.getByTestId('intake-photo-input').setInputFiles({
      name: '合同.pdf',
      mimeType: 'application/pdf',
      buffer: Buffer.from('%PDF-1.4'),
    });
    await expect(page.getByTestId('intake-photo-problem').textContent()).resolves.toBe(
      '合同.pdf 不是 JPEG 或 PNG 照片',
    );
    expect(await page.getByTestId('intake-photo').count()).toBe(1);
    await page.screenshot({ path: join(SHOTS, 'intake-phone-03-filled.png'), fullPage: true });

    // 6. Submitted: the tracking code, and the photo is with the case.
    await page.getByTestId('intake-submit').click();
    const code = (await page.getByTestId('tracking-code').textContent())?.trim() ?? '';
    expect(code).toMatch(/^[0-9A-Z]{10}$/);
    await expect(page.getByTestId('intake-photo-result').textContent()).resolves.toContain(
      '已附照片 1 张',
    );
    await page.screenshot({ path: join(SHOTS, 'intake-phone-04-done.png'), fullPage: true });
    const row = await store.caseByTrackingCode(code);
    const notes = await store.notes(row?.id ?? '');
    expect(notes.attachments.map((a) => [a.name, a.by])).toEqual([['路面.png', 'petitioner']]);
    const petitioner = row?.petitionerId ? await store.petitioner(row.petitionerId) : undefined;
    expect(petitioner?.phoneHash).toBe(store.vault.hash('13800138000'));
    expect(errors).toEqual([]);

    // 7. A form with a date and a choice of two: the phone's own date picker and radio buttons;
    // a date typed wrong is said in the staff form's words.
    await publishAndAdopt(running.url, 'lawyer-review-room', PASSWORD);
    await page.goto(`${running.url}/#/intake/lawyer-review-room?j=440781`);
    await page.reload();
    const date = page.locator('input[type="date"][id$="originalReplyDate"]');
    await date.waitFor();
    await date.fill('2026-01-15');
    await expect.poll(() => date.inputValue()).toBe('2026-01-15');
    await page.locator('input[type="radio"][id^="root_reviewType_"]').first().check();
    await page.screenshot({ path: join(SHOTS, 'intake-phone-05-date-radio.png'), fullPage: true });
    expect(errors).toEqual([]);
    await context.close();

    // 8. The QR poster the office prints names the county, by name.
    const { page: desk, errors: deskErrors } = await signIn(
      browser,
      running.url,
      'taishan-receptionist',
      PASSWORD,
    );
    await desk.getByTestId('nav-workbench').click();
    await desk.getByTestId('intake-qr').click();
    await desk.getByTestId('qr-svg').locator('svg').waitFor();
    await expect(desk.getByTestId('qr-office').textContent()).resolves.toBe(
      '广东省江门市台山市 网上信访',
    );
    await desk.waitForTimeout(500); // the dialog's opening animation
    await desk.screenshot({ path: join(SHOTS, 'intake-phone-06-qr.png') });
    await desk.keyboard.press('Escape');

    // 9. The staff registration page's form opens without errors too.
    await desk.getByTestId('register-case').click();
    await desk.getByTestId('register-page').waitFor();
    await desk.locator('input[id$="petitioner_name"]').waitFor();
    await desk.waitForTimeout(800);
    expect(await desk.locator('.ant-form-item-explain-error').count()).toBe(0);
    expect((await desk.locator('body').textContent()) ?? '').not.toMatch(/应当|must have/);
    await desk.screenshot({ path: join(SHOTS, 'intake-phone-07-register-empty.png') });
    expect(deskErrors).toEqual([]);
    await desk.close();
  });
});
