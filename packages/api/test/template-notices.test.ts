import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Services } from '../src';
import { setupApi, signIn } from './helpers';
import { type Json, KEY, templateFlow, templateForms, templateManifest } from './standard-petition';

const changes = {
  2: { 'zh-CN': '回访评价时限改为 14 天', en: 'Return visit: 14 days' },
  3: { 'zh-CN': '受理审查增加说明', en: 'Acceptance review: a note' },
} as const;
const version = (v: 1 | 2 | 3) => ({
  manifest: {
    ...templateManifest(),
    version: v,
    changelog: [
      { version: 1, changes: { 'zh-CN': '首个版本', en: 'First version' } },
      ...(v >= 2 ? [{ version: 2, changes: changes[2] }] : []),
      ...(v >= 3 ? [{ version: 3, changes: changes[3] }] : []),
    ],
  },
  flow: { ...templateFlow(), version: v },
  forms: templateForms(),
  readme: `# 标准流程 ${v}`,
});

type Caller = Awaited<ReturnType<typeof signIn>>;

describe.each(['sqlite', 'pg'] as const)(
  'stored template notices: the adopting county is told of a new version, the province of a proposal, on %s',
  (dialect) => {
    let services: Services;
    let drop: () => Promise<void>;
    let province: Caller;
    let taishan: Caller;
    let kaiping: Caller;
    let handler: Caller;
    let receptionist: Caller;
    let cityAdmin: Caller;
    let taishanFlow: string;

    const mine = (who: Caller, q: { limit?: number; cursor?: string } = {}) =>
      who.notifications.mine(q);

    beforeAll(async () => {
      const s = await setupApi(dialect);
      services = s.services;
      drop = () => s.test.drop();
      province = await signIn(services, 'province');
      taishan = await signIn(services, 'admin');
      kaiping = await signIn(services, 'otherAdmin');
      handler = await signIn(services, 'handler');
      receptionist = await signIn(services, 'receptionist');
      cityAdmin = await signIn(services, 'cityAdmin');
      await province.templates.publish(version(1));
      // Only Taishan adopts; Kaiping, a county of the same city, does not.
      taishanFlow = (
        await taishan.templates.adopt({ templateKey: KEY, version: 1, jurisdiction: '440781' })
      ).flowId;
    });
    afterAll(async () => drop());

    it('writes nothing for the first version or for counties that adopted nothing', async () => {
      for (const who of [province, taishan, kaiping, handler, receptionist, cityAdmin])
        expect(await mine(who)).toMatchObject({ rows: [], unread: 0, next: null });
    });

    it("tells the adopting county's admins, with the changelog and the flow to upgrade", async () => {
      await province.templates.publish(version(2));
      const page = await mine(taishan);
      expect(page.unread).toBe(1);
      expect(page.rows).toHaveLength(1);
      const [notice] = page.rows;
      expect(notice).toMatchObject({
        kind: 'templatePublished',
        templateKey: KEY,
        templateVersion: 2,
        jurisdiction: '440781',
        flowId: taishanFlow,
        readAt: null,
        message: {
          'zh-CN': '省级模板《信访事项办理标准流程》发布了第 2 版',
          en: 'Provincial template "Standard petition handling" version 2 is published',
        },
        detail: changes[2],
      });
      // Publishing the same content again is no new version, and tells nobody again.
      await province.templates.publish(version(2));
      expect((await mine(taishan)).rows).toHaveLength(1);
    });

    it('shows them to nobody else: another county, a handler, a receptionist, the city, the province', async () => {
      for (const who of [kaiping, handler, receptionist, cityAdmin, province]) {
        const page = await mine(who);
        expect(page.rows.filter((r) => r.kind !== 'case')).toEqual([]);
        expect(page.unread).toBe(0);
      }
    });

    it("lets nobody else mark them read, nor page into them with Taishan's cursor", async () => {
      await province.templates.publish(version(3));
      const first = await mine(taishan, { limit: 1 });
      expect(first.rows.map((r) => r.kind === 'templatePublished' && r.templateVersion)).toEqual([
        3,
      ]);
      expect(first.next).not.toBeNull();
      const ids = (await mine(taishan)).rows.map((r) => r.id);
      expect(ids).toHaveLength(2);
      for (const attacker of [kaiping, handler, receptionist, cityAdmin, province]) {
        expect(await attacker.notifications.markRead({ ids })).toEqual({ updated: 0 });
        expect(await attacker.notifications.markRead({})).toEqual({ updated: 0 });
        // A cursor only positions a page: the reader's own rows are read after it.
        const stolen = await mine(attacker, { cursor: first.next ?? '' });
        expect(stolen.rows.filter((r) => r.kind !== 'case')).toEqual([]);
      }
      expect((await mine(taishan)).unread).toBe(2);
      // The second page is the older version; then the list ends.
      const second = await mine(taishan, { limit: 1, cursor: first.next ?? '' });
      expect(second.rows.map((r) => r.kind === 'templatePublished' && r.templateVersion)).toEqual([
        2,
      ]);
      expect(second.next).toBeNull();
    });

    it('marks one read, and upgrading the flow settles the rest for the county', async () => {
      const [newest] = (await mine(taishan)).rows;
      expect(await taishan.notifications.markRead({ ids: [newest?.id ?? ''] })).toEqual({
        updated: 1,
      });
      const after = await mine(taishan);
      expect(after.unread).toBe(1);
      expect(after.rows[0]?.readAt).not.toBeNull();
      // Upgrading to version 3 settles the notices of versions 2 and 3.
      await taishan.templates.upgrade({ flowId: taishanFlow, toVersion: 3 });
      const settled = await mine(taishan);
      expect(settled.unread).toBe(0);
      expect(settled.rows.map((r) => r.readAt === null)).toEqual([false, false]);
      expect(await taishan.notifications.markRead({})).toEqual({ updated: 0 });
    });

    it("tells the province's admins of a county proposal, and only them", async () => {
      const draft = (await taishan.flows.get({ flowId: taishanFlow })).draft as Json & {
        roles: Json[];
      };
      draft.roles.push({ id: 'mediator', name: { 'zh-CN': '人民调解员', en: 'Mediator' } });
      await taishan.flows.saveDraft({ jurisdiction: '440781', key: KEY, definition: draft });
      const note = { 'zh-CN': '建议增加人民调解员角色', en: 'Add a mediator role' };
      const { id, changeCount } = await taishan.templates.propose({ flowId: taishanFlow, note });
      const page = await mine(province);
      expect(page.unread).toBe(1);
      expect(page.rows[0]).toMatchObject({
        kind: 'templateProposed',
        proposalId: id,
        templateKey: KEY,
        jurisdiction: '440781',
        message: {
          'zh-CN': `台山市对模板《信访事项办理标准流程》提出了建议（${changeCount} 处修改）`,
        },
        detail: note,
      });
      for (const who of [taishan, kaiping, handler, receptionist, cityAdmin])
        expect((await mine(who)).rows.filter((r) => r.kind === 'templateProposed')).toEqual([]);
      expect(await province.notifications.markRead({ ids: [page.rows[0]?.id ?? ''] })).toEqual({
        updated: 1,
      });
    });
  },
);
