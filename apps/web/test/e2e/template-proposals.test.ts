import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { client } from '../../../server/test/server-helpers';
import { launchChromium, screenshot, signIn as signInAs } from '../harness';
import { KEY, MEDIATOR, type TemplateWorld, templateWorld, visitOf } from './template-world';

const PASSWORD = 'template-proposals-e2e';
let browser: Browser;
let world: TemplateWorld;
let url: string;
let taishanFlow: string;

beforeAll(async () => {
  // v1 is out and Taishan runs it with its own changes: the return visit is a phone visit
  // with 10 days, and a mediator role of its own.
  world = await templateWorld({
    prefix: 'lianxin-template-proposals-e2e-',
    password: PASSWORD,
    counties: [['440781', '台山市', 'taishan-admin']],
    adopt: {
      '440781': (draft) => {
        visitOf(draft).deadline = { ...visitOf(draft).deadline, duration: 'P10D' } as never;
        visitOf(draft).name = { ...visitOf(draft).name, 'zh-CN': '电话回访' };
        draft.roles.push(MEDIATOR);
      },
    },
    note: '本县电话回访',
  });
  taishanFlow = world.flowIds['440781'] as string;
  url = world.running.url;
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await world?.close();
});
const signIn = (user: string) => signInAs(browser, url, user, PASSWORD, 'nav-templates');

async function openLibrary(page: Page) {
  await page.getByTestId('nav-templates').click();
  await page.getByTestId(`template-${KEY}`).waitFor();
}

describe('a county offers its improved flow back to the province, all in the browser', () => {
  it('lets Taishan’s admin offer two of its three local changes with a note', async () => {
    const { page, errors } = await signIn('taishan-admin');
    try {
      await openLibrary(page);
      await page.getByTestId(`propose-${KEY}`).click();
      const changes = page.getByTestId('propose-changes');
      await changes.waitFor();
      await expect.poll(() => changes.locator('.lx-change').count()).toBe(3);
      const text = await changes.innerText();
      expect(text).toContain('修改 步骤“回访评价” › 名称：回访评价 → 电话回访');
      expect(text).toContain('修改 步骤“回访评价” › 办理时限 › 时长：7天 → 10天');
      expect(text).not.toMatch(/\/nodes|visit/);
      // All are offered by default; the mediator role stays Taishan's own.
      // (a click, then the state: antd updates the checkbox after the click returns, which
      // Playwright's uncheck() reads as "did not change")
      const mediator = changes
        .locator('.lx-change')
        .filter({ hasText: '人民调解员' })
        .locator('input[type=checkbox]');
      await mediator.click();
      await expect.poll(() => mediator.isChecked()).toBe(false);
      await page.getByTestId('propose-note-zh').fill('群众多为外出务工，电话回访更可行，10 天足够');
      await page.getByTestId('propose-note-en').fill('Phone return visits work better; 10 days');
      await expect
        .poll(() => page.getByTestId('propose-submit').innerText())
        .toContain('提交 2 处修改');
      await screenshot(page, 'template-proposals-01-propose');
      await page.getByTestId('propose-submit').click();
      await page.getByText('已提交给省级，等待审阅').waitFor();
      await page.getByTestId('propose-dialog').waitFor({ state: 'hidden' });
      expect(errors).toEqual([]);
    } finally {
      await page.close();
    }
  });

  it('shows the province the proposal in words; it adopts it and publishes v2 from the app', async () => {
    const { page, errors } = await signIn('guangdong-admin');
    try {
      // The proposal was stored with a notice for the province's admins: the bell tells it.
      const bell = page.getByTestId('nav-notifications');
      await expect.poll(() => bell.locator('.ant-badge-count').innerText()).toBe('1');
      await bell.click();
      const told = page.locator('[data-testid^="proposal-to-review-"]');
      await told.waitFor();
      expect(await told.innerText()).toContain(
        '台山市对模板《信访事项办理标准流程》提出了建议（2 处修改）',
      );
      expect(await told.innerText()).toContain('群众多为外出务工');
      await expect
        .poll(() => page.locator('.ant-popover').evaluate((e) => getComputedStyle(e).opacity))
        .toBe('1');
      await screenshot(page, 'template-proposals-01b-province-bell');
      // Clicking it opens the proposal in the library.
      await told.click();
      await page.getByTestId('proposal-detail').waitFor();
      await expect.poll(() => bell.locator('.ant-badge-count').count()).toBe(0);
      const count = page.getByTestId('proposals-count');
      await expect.poll(() => count.locator('.ant-badge-count').innerText()).toBe('1');
      await page.getByText('← 返回列表').click();
      const item = page.getByTestId(`proposal-440781-${KEY}`);
      await item.waitFor();
      expect(await item.innerText()).toContain('待审阅');
      expect(await item.innerText()).toContain('台山市');
      await item.click();
      const detail = page.getByTestId('proposal-detail');
      const changes = detail.getByTestId('proposal-changes');
      await changes.waitFor();
      await expect.poll(() => changes.locator('.lx-change').count()).toBe(2);
      const text = await detail.innerText();
      expect(text).toContain('群众多为外出务工，电话回访更可行，10 天足够');
      expect(text).toContain('修改 步骤“回访评价” › 名称：回访评价 → 电话回访');
      expect(text).toContain('省里当前为 14天，本县提议 10天');
      expect(text).toContain('1 处与省里当前流程冲突');
      expect(text).not.toMatch(/\/nodes|visit|440781/);
      await screenshot(page, 'template-proposals-02-review');
      await page.getByTestId('proposal-accept').click();
      await page.getByText('已采纳 2 处修改').waitFor();
      await expect.poll(() => detail.getByTestId('proposal-status').innerText()).toBe('已采纳');
      await expect.poll(() => detail.getByText('已并入').count()).toBe(2);
      // Answered: the clash was decided by the merge and is no longer told.
      expect(await detail.innerText()).not.toMatch(/冲突|已是此值/);
      await screenshot(page, 'template-proposals-03-accepted');
      await page.locator('.ant-drawer-close').click();

      // The next version is published from the draft that now carries Taishan's changes.
      await page.getByTestId('publish-template').click();
      await page.getByTestId('publish-flow').click();
      await page
        .locator('.ant-select-item-option')
        .filter({ hasText: '信访事项办理标准流程' })
        .click();
      await page.getByTestId('publish-as').click();
      await page.locator('.ant-select-item-option').filter({ hasText: '的第 2 版' }).click();
      await page
        .getByTestId('publish-changes-zh')
        .fill('采纳台山市建议：回访评价改为电话回访，时限 10 天');
      await page
        .getByTestId('publish-changes-en')
        .fill('From Taishan: phone return visit within 10 days');
      await page.getByTestId('publish-preview').click();
      await page.getByTestId('publish-preview-result').waitFor();
      await page.getByTestId('publish-submit').click();
      await page.getByText('已发布“信访事项办理标准流程”第 2 版').waitFor();
      expect(errors).toEqual([]);
    } finally {
      await page.close();
    }
    const reader = client(url);
    await reader.auth.login.mutate({ username: 'guangdong-admin', password: PASSWORD });
    const v2 = await reader.templates.get.query({ key: KEY, version: 2 });
    expect(visitOf(v2.flow).name).toMatchObject({ 'zh-CN': '电话回访' });
    expect(visitOf(v2.flow).deadline?.duration).toBe('P10D');
    expect(JSON.stringify(v2.flow)).not.toContain('mediator');
  });

  it('tells Taishan in its bell that the province adopted its proposal', async () => {
    const { page, errors } = await signIn('taishan-admin');
    try {
      await page.getByTestId('nav-notifications').click();
      const notice = page.locator('[data-testid^="proposal-notice-"]');
      await notice.waitFor();
      expect(await notice.innerText()).toContain(
        '省里采纳了本县对“信访事项办理标准流程”的建议（2 处修改）',
      );
      // And v2, which carries it, is there to upgrade to.
      await page.getByTestId(`template-notice-${taishanFlow}-2`).waitFor();
      await expect
        .poll(() => page.locator('.ant-popover').evaluate((e) => getComputedStyle(e).opacity))
        .toBe('1');
      await screenshot(page, 'template-proposals-04-bell');
      await notice.click();
      await page.getByTestId(`template-${KEY}`).waitFor();
      await page.getByTestId('open-proposals').click();
      const item = page.getByTestId(`proposal-440781-${KEY}`);
      await item.waitFor();
      await expect.poll(() => item.innerText()).toContain('已采纳');
      await page.locator('.ant-drawer-close').click();
      // Opened once, the answer leaves the bell.
      await page.getByTestId('nav-notifications').click();
      await page.getByTestId(`template-notice-${taishanFlow}-2`).waitFor();
      await expect.poll(() => page.locator('[data-testid^="proposal-notice-"]').count()).toBe(0);
      expect(errors).toEqual([]);
    } finally {
      await page.close();
    }
  });
});
