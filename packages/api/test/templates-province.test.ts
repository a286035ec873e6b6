import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Services } from '../src';
import { setupApi, signIn } from './helpers';
import {
  refusal as failure,
  type Json,
  KEY,
  nodeOf as node,
  standardV1,
  templateScenarios,
} from './standard-petition';

const v1 = standardV1();
const VISIT = '/nodes/visit/deadline/duration';

describe.each(['sqlite', 'pg'] as const)(
  'the province publishes from its own flow and sees every county on %s',
  (dialect) => {
    let services: Services;
    let drop: () => Promise<void>;
    let province: Awaited<ReturnType<typeof signIn>>;
    let taishan: Awaited<ReturnType<typeof signIn>>;
    let kaiping: Awaited<ReturnType<typeof signIn>>;
    let taishanFlow: string;
    let kaipingFlow: string;
    let sourceFlow: string;

    beforeAll(async () => {
      const s = await setupApi(dialect);
      services = s.services;
      drop = () => s.test.drop();
      province = await signIn(services, 'province');
      taishan = await signIn(services, 'admin');
      kaiping = await signIn(services, 'otherAdmin');
      await province.templates.publish(v1);
      // Taishan gives the return visit 10 days and adds a mediator role; Kaiping only adds the role.
      taishanFlow = (
        await taishan.templates.adopt({ templateKey: KEY, version: 1, jurisdiction: '440781' })
      ).flowId;
      kaipingFlow = (
        await kaiping.templates.adopt({ templateKey: KEY, version: 1, jurisdiction: '440783' })
      ).flowId;
      for (const [who, flowId, code, visit] of [
        [taishan, taishanFlow, '440781', 'P10D'],
        [kaiping, kaipingFlow, '440783', undefined],
      ] as const) {
        const draft = (await who.flows.get({ flowId })).draft as Json & { roles: Json[] };
        if (visit)
          node(draft, 'visit').deadline = { ...node(draft, 'visit').deadline, duration: visit };
        draft.roles.push({ id: 'mediator', name: { 'zh-CN': '人民调解员', en: 'Mediator' } });
        await who.flows.saveDraft({ jurisdiction: code, key: KEY, definition: draft });
        await who.flows.publish({ flowId });
      }
      // The province's own working copy, where v2 is prepared: the return visit gets 14 days.
      const working = structuredClone(v1.flow) as Json;
      node(working, 'visit').deadline = { ...node(working, 'visit').deadline, duration: 'P14D' };
      sourceFlow = (
        await province.flows.saveDraft({
          jurisdiction: '440000',
          key: KEY,
          definition: { ...working, forms: v1.forms.map(({ $schema: _s, ...f }) => f) },
          create: true,
        })
      ).flowId;
    });
    afterAll(async () => drop());

    it('offers a publisher its flows and the parts it can lock, by name', async () => {
      const sources = await province.templates.publishSources();
      expect(sources.flows.map((f) => [f.key, f.jurisdiction])).toEqual([[KEY, '440000']]);
      expect(sources.templates.map((t) => [t.key, t.latestVersion])).toEqual([[KEY, 1]]);
      // A county admin publishes nothing.
      expect((await failure(taishan.templates.publishSources())).code).toBe(
        'template.publisherLevel',
      );

      const draft = await province.templates.publishDraft({ flowId: sourceFlow, templateKey: KEY });
      expect(draft).toMatchObject({ isNewVersion: true, manifest: { key: KEY, version: 2 } });
      expect(draft.flow).toMatchObject({ key: KEY, version: 2 });
      const names = draft.lockables.map((l) => l.name['zh-CN']);
      expect(names).toContain('回访评价 › 办理时限 7天'.replace('7天', '14天'));
      expect(names).toContain('办理期限 › 起算：进入“交办”时');
      expect(names).toContain('受理期限 › 起算：事项登记时');
      expect(names).toContain('受理期限 › 止算：离开“受理审查”时');
      expect(names).toContain('回访评价 › 满意度（1-5）');
      const visitDeadline = draft.lockables.find(
        (l) => l.name['zh-CN'] === '回访评价 › 办理时限 14天',
      );
      expect(visitDeadline?.group).toBe('deadline');
    });

    it('previews the upgrade of every adopting county before publishing: one conflicts, one merges', async () => {
      const draft = await province.templates.publishDraft({ flowId: sourceFlow, templateKey: KEY });
      const lock = draft.lockables.find((l) => l.name['zh-CN'] === '回访评价 › 办理时限 14天');
      const manifest = {
        ...draft.manifest,
        changelog: [
          ...draft.manifest.changelog,
          {
            version: 2,
            changes: {
              'zh-CN': '回访评价时限统一为 14 天并锁定',
              en: 'Return visit: 14 days, locked',
            },
          },
        ],
        locked: [...draft.manifest.locked, lock?.pointer as string],
        lockReasons: {
          [lock?.pointer as string]: {
            'zh-CN': '全省统一回访时限',
            en: 'One return-visit deadline province-wide',
          },
        },
      };
      const preview = await province.templates.previewPublish({ manifest, flow: draft.flow });
      expect(preview.problems).toEqual([]);
      expect([preview.clean, preview.conflicting]).toEqual([1, 1]);
      const [ts, kp] = preview.counties;
      expect(kp).toMatchObject({ jurisdiction: '440783', clean: true, conflicts: [], locked: [] });
      expect(ts).toMatchObject({ jurisdiction: '440781', clean: false });
      expect(ts?.conflicts.map((c) => c.text['zh-CN'])).toEqual([
        '步骤“回访评价” › 办理时限 › 时长：省里改为 14天，本县为 10天（新版本锁定此处，升级时须采用模板的值）',
      ]);
      // Told once, as a conflict on a locked part.
      expect(ts?.locked).toEqual([]);
      // Previewing stored nothing.
      expect((await province.templates.list())[0]?.latestVersion).toBe(1);

      expect(
        await province.templates.publish({ manifest, flow: draft.flow, forms: [] }),
      ).toMatchObject({
        version: 2,
        unchanged: false,
      });
      const stored = await province.templates.get({ key: KEY, version: 2 });
      expect((stored.manifest as Json).lockReasons).toEqual(manifest.lockReasons);
    });

    it('tells both counties, and each upgrades: one in one click, one by taking the locked value', async () => {
      for (const [who, flowId] of [
        [taishan, taishanFlow],
        [kaiping, kaipingFlow],
      ] as const) {
        const notices = await who.templates.notices();
        expect(notices).toEqual([
          expect.objectContaining({ flowId, fromVersion: 1, toVersion: 2, templateKey: KEY }),
        ]);
        expect(notices[0]?.changes?.['zh-CN']).toBe('回访评价时限统一为 14 天并锁定');
      }
      expect(await province.templates.notices()).toEqual([]);

      expect(await kaiping.templates.upgrade({ flowId: kaipingFlow, toVersion: 2 })).toMatchObject({
        localChanges: 1,
      });
      // Keeping its own 10 days would change the part v2 locks.
      const kept = await failure(
        taishan.templates.upgrade({
          flowId: taishanFlow,
          toVersion: 2,
          resolutions: { [VISIT]: 'ours' },
        }),
      );
      expect(kept.code).toBe('template.lockedChanged');
      await taishan.templates.upgrade({
        flowId: taishanFlow,
        toVersion: 2,
        resolutions: { [VISIT]: 'theirs' },
      });
      expect(await taishan.templates.notices()).toEqual([]);
    });

    it('shows the province adopted and running versions per county, and local changes in words', async () => {
      const before = await province.templates.adoptions({ key: KEY });
      expect(
        before.map((a) => [a.jurisdiction, a.adoptedVersion, a.runningVersion, a.publishPending]),
      ).toEqual([
        ['440781', 2, 1, true],
        ['440783', 2, 1, true],
      ]);
      await taishan.flows.publish({ flowId: taishanFlow });
      await kaiping.flows.publish({ flowId: kaipingFlow });
      const after = await province.templates.adoptions({ key: KEY });
      expect(
        after.map((a) => [a.adoptedVersion, a.runningVersion, a.upgradePending, a.publishPending]),
      ).toEqual([
        [2, 2, false, false],
        [2, 2, false, false],
      ]);
      const words = await province.templates.overlay({ flowId: taishanFlow });
      expect(words.changes.map((c) => c.text['zh-CN'])).toEqual([
        '新增 角色“人民调解员”：人民调解员',
      ]);
      // A county sees its own flows only.
      expect((await kaiping.templates.adoptions({ key: KEY })).map((a) => a.jurisdiction)).toEqual([
        '440783',
      ]);
    });

    it('resets one local change to the template value, and refuses a part not changed', async () => {
      const refused = await failure(
        kaiping.templates.resetChange({ flowId: taishanFlow, path: '/roles/mediator' }),
      );
      expect(refused.code).toBe('permission.jurisdiction');
      const done = await taishan.templates.resetChange({
        flowId: taishanFlow,
        path: '/roles/mediator',
      });
      expect(done.localChanges).toBe(0);
      const draft = (await taishan.flows.get({ flowId: taishanFlow })).draft as {
        roles: { id: string }[];
      };
      expect(draft.roles.map((r) => r.id)).not.toContain('mediator');
      expect(draft).toMatchObject({ extends: { template: KEY, version: 2 } });
      expect((await taishan.templates.overlay({ flowId: taishanFlow })).changes).toEqual([]);
      const again = await failure(
        taishan.templates.resetChange({ flowId: taishanFlow, path: '/roles/mediator' }),
      );
      expect(again.code).toBe('template.notChanged');
      expect(again.message?.['zh-CN']).toContain('没有本地修改，无需恢复');
    });

    it('adopts one template twice as two variants with their own key and name', async () => {
      const a = await kaiping.templates.adopt({
        templateKey: KEY,
        version: 2,
        jurisdiction: '440783',
        key: 'petition-chenpi',
        name: { 'zh-CN': '新会陈皮纠纷办理' },
      });
      const b = await kaiping.templates.adopt({
        templateKey: KEY,
        version: 2,
        jurisdiction: '440783',
        key: 'petition-furniture',
        name: { 'zh-CN': '红木家具纠纷办理' },
      });
      const rows = await kaiping.templates.adoptions({ key: KEY });
      expect(rows.map((r) => [r.flowKey, r.flowName['zh-CN'], r.adoptedVersion])).toEqual([
        ['petition-chenpi', '新会陈皮纠纷办理', 2],
        ['petition-furniture', '红木家具纠纷办理', 2],
        [KEY, '信访事项办理标准流程', 2],
      ]);
      const got = await kaiping.flows.get({ flowId: b.flowId });
      expect(got.draft).toMatchObject({
        key: 'petition-furniture',
        name: { 'zh-CN': '红木家具纠纷办理' },
      });
      const changes = (await kaiping.templates.overlay({ flowId: a.flowId })).changes;
      // The variant's own name is its only local change.
      expect(changes.map((c) => c.text['zh-CN'])).toEqual([
        '删除 名称 › 英文（原为 Standard petition handling）',
        '修改 名称：信访事项办理标准流程 → 新会陈皮纠纷办理',
      ]);
    });

    it('imports an identical bundle twice and says the second changed nothing', async () => {
      const bundle = await province.templates.exportBundle({ key: KEY, version: 2 });
      const again = await province.templates.importBundle({ bundle });
      expect(again).toMatchObject({ key: KEY, version: 2, unchanged: true });
    });

    it('carries the scenarios published with a version in its bundles, and into the next version', async () => {
      const scenarios = templateScenarios();
      expect(scenarios.length).toBeGreaterThan(0);
      const draft = await province.templates.publishDraft({ flowId: sourceFlow, templateKey: KEY });
      const manifest = {
        ...draft.manifest,
        changelog: [
          ...draft.manifest.changelog,
          { version: 3, changes: { 'zh-CN': '附带演练脚本', en: 'With scenarios' } },
        ],
      };
      await province.templates.publish({ manifest, flow: draft.flow, scenarios });
      const bundle = (await province.templates.exportBundle({ key: KEY, version: 3 })) as Json;
      expect(bundle.scenarios).toEqual(scenarios);
      expect((await province.templates.importBundle({ bundle })).unchanged).toBe(true);
      const next = await province.templates.publishDraft({ flowId: sourceFlow, templateKey: KEY });
      expect(next.manifest.version).toBe(4);
      expect(next.scenarios).toEqual(scenarios);
    });
  },
);
