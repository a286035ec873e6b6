import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, screenshot, signIn as signInAs } from '../harness';
import { openFlow, selectNode } from './designer-harness';
import {
  type County,
  KEY,
  MEDIATOR,
  type TemplateWorld,
  templateWorld,
  visitOf,
} from './template-world';

const PASSWORD = 'templates-province-e2e';
const COUNTIES: County[] = [
  ['440781', '台山市', 'taishan-admin'],
  ['440783', '开平市', 'kaiping-admin'],
  ['440785', '恩平市', 'enping-admin'],
];
let browser: Browser;
let world: TemplateWorld;
let url: string;
let flowIds: Record<string, string>;

beforeAll(async () => {
  // Before the story: v1 is out, with its scenarios; Taishan runs it with 10 days for the
  // return visit and a mediator role, Kaiping with the mediator role only.
  world = await templateWorld({
    prefix: 'lianxin-templates-province-e2e-',
    password: PASSWORD,
    counties: COUNTIES,
    adopt: {
      '440781': (draft) => {
        visitOf(draft).deadline = { ...visitOf(draft).deadline, duration: 'P10D' } as never;
        draft.roles.push(MEDIATOR);
      },
      '440783': (draft) => {
        draft.roles.push(MEDIATOR);
      },
    },
    note: '采纳省标准流程',
    withScenarios: true,
  });
  flowIds = world.flowIds;
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

/** Opens the adopted flow's draft in the designer and publishes it, as the county admin would. */
async function publishDraft(page: Page, flowId: string) {
  await page.goto(`${url}/#/flows/${encodeURIComponent(flowId)}`);
  await page.getByTestId('publish').click();
  await page.getByTestId('publish-note').fill('升级到省模板第 2 版');
  await page.locator('.ant-modal-footer .ant-btn-primary').last().click();
  await page.getByTestId('publish-note').waitFor({ state: 'hidden' });
}

describe('the province shares a template version with its counties, all in the browser', () => {
  it('publishes v2 with a new lock after previewing each county’s upgrade', async () => {
    const { page, errors } = await signIn('guangdong-admin');
    try {
      await openLibrary(page);
      await page.getByTestId('publish-template').click();
      await page.getByTestId('publish-flow').click();
      await page
        .locator('.ant-select-item-option')
        .filter({ hasText: '信访事项办理标准流程' })
        .click();
      await page.getByTestId('publish-as').click();
      await page.locator('.ant-select-item-option').filter({ hasText: '的第 2 版' }).click();
      await page.getByTestId('publish-changes-zh').fill('回访评价时限统一为 14 天，并由省级锁定');
      await page
        .getByTestId('publish-changes-en')
        .fill('Return visit: 14 days, locked by the province');
      // On the diagram: click the return visit, then lock its deadline, named, with a reason.
      const diagram = page.getByTestId('lock-diagram');
      await diagram.getByTestId('diagram-node-visit').click();
      const step = page.getByTestId('lock-step');
      await expect.poll(() => step.getByTestId('lock-step-name').innerText()).toContain('回访评价');
      const lock = step.locator('.lx-lock-row').filter({ hasText: '回访评价 › 办理时限 14天' });
      await lock.locator('input[type=checkbox]').check();
      await expect.poll(() => page.getByTestId('publish-preview').isDisabled()).toBe(true);
      await lock.locator('input[type=text]').fill('全省统一回访时限，便于满意度考核');
      // The step now carries a lock badge, and the grouped list shows the same choice.
      await diagram.getByTestId('diagram-badge-visit').waitFor();
      expect(await step.innerText()).not.toMatch(/\/nodes|\/forms|\/clocks/);
      await diagram.scrollIntoViewIfNeeded();
      await screenshot(page, 'templates-province-00-lock-diagram');
      await page.getByTestId('lock-group-1').click();
      const listed = page
        .locator('.ant-collapse .lx-lock-row')
        .filter({ hasText: '回访评价 › 办理时限 14天' });
      await expect.poll(() => listed.locator('input[type=checkbox]').isChecked()).toBe(true);
      expect(await listed.locator('input[type=text]').inputValue()).toBe(
        '全省统一回访时限，便于满意度考核',
      );
      await screenshot(page, 'templates-province-00b-lock-list');
      await page.getByTestId('publish-preview').click();
      await page.getByTestId('publish-preview-result').waitFor();
      const taishan = page.getByTestId(`preview-440781-${KEY}`);
      const kaiping = page.getByTestId(`preview-440783-${KEY}`);
      expect(await taishan.innerText()).toContain('1 处冲突');
      expect(await taishan.innerText()).toContain(
        '步骤“回访评价” › 办理时限 › 时长：省里改为 14天，本县为 10天',
      );
      expect(await kaiping.innerText()).toContain('可直接合并');
      expect(await page.getByTestId('publish-preview-result').innerText()).toContain(
        '1 个可直接合并，1 个有冲突',
      );
      await screenshot(page, 'templates-province-01-preview');
      await page.getByTestId('publish-submit').click();
      await page.getByText('已发布“信访事项办理标准流程”第 2 版').waitFor();
      await expect.poll(() => page.getByTestId(`adopted-440781-${KEY}`).innerText()).toBe('v1');
      expect(errors).toEqual([]);
    } finally {
      await page.close();
    }
  });

  it('tells both counties; Kaiping upgrades in one click, Taishan resolves its conflict', async () => {
    for (const [code, , user] of COUNTIES.slice(0, 2)) {
      const { page, errors } = await signIn(user);
      try {
        // The notice was stored when the province published: the bell counts it.
        const bell = page.getByTestId('nav-notifications');
        await expect.poll(() => bell.locator('.ant-badge-count').innerText()).toBe('1');
        await bell.click();
        const notice = page.getByTestId(`template-notice-${flowIds[code]}-2`);
        await notice.waitFor();
        expect(await notice.getAttribute('data-read')).toBe('false');
        expect(await notice.innerText()).toContain('省级模板《信访事项办理标准流程》发布了第 2 版');
        expect(await notice.innerText()).toContain('回访评价时限统一为 14 天，并由省级锁定');
        expect(await notice.innerText()).toContain('模板更新');
        const settled = () =>
          expect
            .poll(() => page.locator('.ant-popover').evaluate((e) => getComputedStyle(e).opacity))
            .toBe('1');
        if (code === '440781') {
          await settled();
          await screenshot(page, 'templates-province-02-notice');
        } else {
          // Switched to English, the same notice reads in English; then back to Chinese.
          const switchTo = async (label: string) => {
            await bell.click();
            await notice.waitFor({ state: 'hidden' });
            await page.getByTestId('lang-switch').click();
            await expect.poll(() => page.getByTestId('lang-switch').innerText()).toBe(label);
            await bell.click();
            await notice.waitFor();
          };
          await switchTo('中文');
          await expect
            .poll(() => notice.innerText())
            .toContain('Provincial template "Standard petition handling" version 2 is published');
          expect(await notice.innerText()).toContain(
            'Return visit: 14 days, locked by the province',
          );
          expect(await notice.innerText()).toContain('Template update');
          await settled();
          await screenshot(page, 'templates-province-02c-notice-en');
          await switchTo('English');
          await expect.poll(() => notice.innerText()).toContain('省级模板《信访事项办理标准流程》');
        }
        // Clicking it opens the upgrade screen of this county's flow, and it is read.
        await notice.click();
        await page.getByTestId('upgrade-submit').waitFor();
        expect(page.url()).toContain(
          `#/templates/upgrade/${encodeURIComponent(flowIds[code] as string)}/2`,
        );
        await expect.poll(() => bell.locator('.ant-badge-count').count()).toBe(0);
        if (code === '440781') await screenshot(page, 'templates-province-02b-upgrade-from-bell');
        if (code === '440781') {
          await page.getByTestId('conflict-0').waitFor();
          await page.locator('label:has([data-testid="conflict-0-take-theirs"])').click();
          await page.getByText('已决定 1 / 1 处冲突').waitFor();
          expect(await page.locator('.lx-page').first().innerText()).not.toContain('440781');
          await screenshot(page, 'templates-province-03-conflict');
        }
        await page.getByTestId('upgrade-submit').click();
        await page.getByTestId('upgrade-done').waitFor();
        if (code === '440783') {
          // In the designer the return visit's deadline the province locked is greyed, with the reason.
          await openFlow(page, url, flowIds[code] as string);
          // Once the designer has checked the flow it is idle, and the step can be clicked.
          await page.getByTestId('problems-none').waitFor();
          const panel = await selectNode(page, 'visit');
          const locked = panel
            .locator('[data-locked="true"]')
            .filter({ hasText: '全省统一回访时限' });
          await locked.waitFor();
          expect(await locked.getByTestId('lock-note').innerText()).toContain('县级不能修改');
          expect(await locked.locator('input').first().isDisabled()).toBe(true);
          await screenshot(page, 'templates-province-03b-locked-in-designer');
        }
        await publishDraft(page, flowIds[code] as string);
        await openLibrary(page);
        await expect.poll(() => page.getByTestId(`running-${code}-${KEY}`).innerText()).toBe('v2');
        expect(await page.getByTestId(`mine-${KEY}`).innerText()).toContain('本县已采纳 v2');
        // Upgraded: the notice stays in the list, read, and the bell counts nothing.
        await page.getByTestId('nav-notifications').click();
        const read = page.getByTestId(`template-notice-${flowIds[code]}-2`);
        await read.waitFor();
        expect(await read.getAttribute('data-read')).toBe('true');
        expect(
          await page.getByTestId('nav-notifications').locator('.ant-badge-count').count(),
        ).toBe(0);
        expect(errors).toEqual([]);
      } finally {
        await page.close();
      }
    }
  });

  it('shows the province both counties running v2 and each one’s remaining local changes in words', async () => {
    const { page, errors } = await signIn('guangdong-admin');
    try {
      await openLibrary(page);
      for (const code of ['440781', '440783']) {
        await expect.poll(() => page.getByTestId(`running-${code}-${KEY}`).innerText()).toBe('v2');
        expect(await page.getByTestId(`adopted-${code}-${KEY}`).innerText()).toBe('v2');
        const row = page.getByTestId(`adoption-${code}-${KEY}`);
        expect(await row.innerText()).toContain('已是最新');
        await row.locator('.ant-table-row-expand-icon').click();
        const changes = page.getByTestId(`changes-${flowIds[code]}`);
        await changes.waitFor();
        await expect.poll(() => changes.innerText()).toContain('新增 角色“人民调解员”');
        // Taishan took the province's 14 days: no deadline change is left anywhere.
        expect(await changes.innerText()).not.toContain('回访评价');
        expect(await changes.getByRole('button').count()).toBe(0);
      }
      await screenshot(page, 'templates-province-04-counties');

      // The flow list: the county copies filtered by county, by template, and searched.
      await page.goto(`${url}/#/flows`);
      await page.getByTestId('flow-filters').waitFor();
      const rows = page.locator('.ant-table-tbody tr.ant-table-row');
      await expect.poll(() => rows.count()).toBe(3);
      await page.getByTestId('flow-filter-template').click();
      await page
        .locator('.ant-select-item-option')
        .filter({ hasText: '信访事项办理标准流程' })
        .click();
      await expect.poll(() => rows.count()).toBe(2);
      await page.getByTestId('flow-filter-county').click();
      await page.locator('.ant-select-item-option').filter({ hasText: '台山市' }).click();
      await expect.poll(() => rows.count()).toBe(1);
      expect(await rows.first().innerText()).toContain('台山市');
      await screenshot(page, 'templates-province-05-flow-filters');
      expect(errors).toEqual([]);
    } finally {
      await page.close();
    }
  });

  it('lets a third county preview the template and adopt it twice as two variants', async () => {
    const { page, errors } = await signIn('enping-admin');
    try {
      await openLibrary(page);
      for (const [key, name] of [
        ['petition-chenpi', '新会陈皮纠纷办理'],
        ['petition-furniture', '红木家具纠纷办理'],
      ] as const) {
        await page.getByTestId(`adopt-${KEY}`).click();
        await page.getByTestId('adopt-preview').waitFor();
        expect(await page.getByTestId('adopt-preview-locks').innerText()).toContain(
          '全省统一回访时限，便于满意度考核',
        );
        if (key === 'petition-chenpi') {
          // The version's scenarios, described, run in the browser before adopting.
          const scenarios = page.getByTestId('template-scenarios');
          await expect
            .poll(() => scenarios.locator('[data-testid^="scenario-run-"]').count())
            .toBe(3);
          const happy = page.getByTestId('scenario-happy-path');
          expect(await happy.innerText()).toContain('来访登记后受理');
          await page.getByTestId('scenario-run-happy-path').click();
          const result = happy.getByTestId('scenario-result');
          await result.waitFor();
          expect(await result.getAttribute('data-ok')).toBe('true');
          expect(await result.innerText()).toContain('与预期一致：已办结（化解）');
          await result.scrollIntoViewIfNeeded();
          await screenshot(page, 'templates-province-06b-scenario-run');
        }
        await page.getByTestId('adopt-key').fill(key);
        await page.getByTestId('adopt-name').fill(name);
        if (key === 'petition-chenpi')
          await screenshot(page, 'templates-province-06-adopt-preview');
        await page.locator('.ant-modal-footer .ant-btn-primary').click();
        await page.waitForURL(/#\/flows\//);
        await openLibrary(page);
        await page.getByTestId(`mine-${key}`).waitFor();
      }
      const rows = page.locator('[data-testid^="adoption-440785-"]');
      await expect.poll(() => rows.count()).toBe(2);
      expect(await page.getByTestId(`mine-petition-chenpi`).innerText()).toContain(
        '新会陈皮纠纷办理',
      );
      expect(await page.getByTestId(`mine-petition-furniture`).innerText()).toContain('尚未发布');
      // Each variant's name is its own local change, and can be put back to the template's.
      const row = page.getByTestId('adoption-440785-petition-furniture');
      await row.locator('.ant-table-row-expand-icon').click();
      const reset = row.locator('xpath=following-sibling::tr[1]').getByRole('button').first();
      await reset.waitFor();
      await screenshot(page, 'templates-province-07-variants');
      // Its English name goes back to the template's; one local change is left.
      expect(await page.getByTestId('local-440785-petition-furniture').innerText()).toBe('2 处');
      await reset.click();
      await expect
        .poll(() => page.getByTestId('local-440785-petition-furniture').innerText())
        .toBe('1 处');
      expect(errors).toEqual([]);
    } finally {
      await page.close();
    }
  });
});
