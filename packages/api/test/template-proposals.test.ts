import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Services } from '../src';
import { setupApi, signIn } from './helpers';
import {
  refusal as failure,
  type Json,
  KEY,
  nodeOf as node,
  standardV1,
} from './standard-petition';

const v1 = standardV1();
const VISIT = '/nodes/visit/deadline/duration';
const RENAME = '/nodes/visit/name/zh-CN';
const ROLE = '/roles/mediator';

describe.each(['sqlite', 'pg'] as const)(
  'a county offers its improved flow back to the province on %s',
  (dialect) => {
    let services: Services;
    let drop: () => Promise<void>;
    let province: Awaited<ReturnType<typeof signIn>>;
    let taishan: Awaited<ReturnType<typeof signIn>>;
    let kaiping: Awaited<ReturnType<typeof signIn>>;
    let receptionist: Awaited<ReturnType<typeof signIn>>;
    let cityAdmin: Awaited<ReturnType<typeof signIn>>;
    let taishanFlow: string;
    let sourceFlow: string;
    let proposalId: string;

    const sourceDraft = async () =>
      (await province.flows.get({ flowId: sourceFlow })) as { draft: Json; draftHash: string };

    beforeAll(async () => {
      const s = await setupApi(dialect);
      services = s.services;
      drop = () => s.test.drop();
      province = await signIn(services, 'province');
      taishan = await signIn(services, 'admin');
      kaiping = await signIn(services, 'otherAdmin');
      receptionist = await signIn(services, 'receptionist');
      cityAdmin = await signIn(services, 'cityAdmin');
      await province.templates.publish(v1);
      // Taishan: the return visit renamed and given 10 days, and a mediator role.
      taishanFlow = (
        await taishan.templates.adopt({ templateKey: KEY, version: 1, jurisdiction: '440781' })
      ).flowId;
      const draft = (await taishan.flows.get({ flowId: taishanFlow })).draft as Json & {
        roles: Json[];
      };
      node(draft, 'visit').deadline = { ...node(draft, 'visit').deadline, duration: 'P10D' };
      node(draft, 'visit').name = { ...node(draft, 'visit').name, 'zh-CN': '电话回访评价' };
      draft.roles.push({ id: 'mediator', name: { 'zh-CN': '人民调解员', en: 'Mediator' } });
      await taishan.flows.saveDraft({ jurisdiction: '440781', key: KEY, definition: draft });
      await kaiping.templates.adopt({ templateKey: KEY, version: 1, jurisdiction: '440783' });
      // The province's working copy for v2 already gives the return visit 14 days.
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

    it('refuses a proposal from anyone but the adopting county’s own admins, and stores nothing', async () => {
      const note = { 'zh-CN': '回访改为电话回访，时限 10 天更合实际' };
      const refusals = [
        [() => kaiping.templates.propose({ flowId: taishanFlow, note }), 'permission.jurisdiction'],
        [() => receptionist.templates.propose({ flowId: taishanFlow, note }), 'permission.role'],
        [() => province.templates.propose({ flowId: taishanFlow, note }), 'proposal.ownCounty'],
        [() => cityAdmin.templates.propose({ flowId: taishanFlow, note }), 'proposal.ownCounty'],
        [
          () =>
            taishan.templates.propose({ flowId: taishanFlow, note, paths: ['/nodes/none/name'] }),
          'proposal.unknownChange',
        ],
        [
          () => taishan.templates.propose({ flowId: taishanFlow, note: { 'zh-CN': '' } }),
          'BAD_REQUEST',
        ],
      ] as const;
      for (const [call, code] of refusals) expect((await failure(call())).code).toBe(code);
      expect((await province.templates.proposals()).rows).toEqual([]);
      expect((await taishan.templates.proposals()).rows).toEqual([]);
    });

    it('stores the chosen local changes with the note and the version they are based on', async () => {
      const r = await taishan.templates.propose({
        flowId: taishanFlow,
        paths: [VISIT, RENAME],
        note: {
          'zh-CN': '回访改为电话回访，时限 10 天更合实际',
          en: 'Phone return visit, 10 days',
        },
      });
      proposalId = r.id;
      expect(r.changeCount).toBe(2);
      const mine = await taishan.templates.proposals();
      expect(mine.rows).toHaveLength(1);
      expect(mine.rows[0]).toMatchObject({
        status: 'pending',
        templateVersion: 1,
        changeCount: 2,
        reviewable: false,
        jurisdictionName: { 'zh-CN': '台山市' },
        note: {
          'zh-CN': '回访改为电话回访，时限 10 天更合实际',
          en: 'Phone return visit, 10 days',
        },
      });
      expect(mine.pending).toBe(0);
      // Another county sees none of it, and a guessed id is not found.
      expect((await kaiping.templates.proposals()).rows).toEqual([]);
      for (const call of [
        () => kaiping.templates.proposal({ id: proposalId }),
        () => kaiping.templates.acceptProposal({ id: proposalId }),
        () => kaiping.templates.returnProposal({ id: proposalId, reason: { 'zh-CN': '不需要' } }),
        () => kaiping.templates.proposalSeen({ id: proposalId }),
        () => province.templates.proposal({ id: 'no-such-proposal' }),
      ])
        expect(await failure(call())).toMatchObject({
          code: 'notFound.proposal',
          trpc: 'NOT_FOUND',
        });
    });

    it('shows the province the changes in words, each with whether it clashes with its source', async () => {
      const list = await province.templates.proposals();
      expect(list.pending).toBe(1);
      expect(list.rows[0]?.reviewable).toBe(true);
      const p = await province.templates.proposal({ id: proposalId });
      const texts = p.changes.map((c) => c.text['zh-CN']);
      expect(texts).toEqual([
        '修改 步骤“回访评价” › 办理时限 › 时长：7天 → 10天',
        '修改 步骤“回访评价” › 名称：回访评价 → 电话回访评价',
      ]);
      const visit = p.changes.find((c) => c.path === VISIT);
      expect(visit?.conflict).toBe(true);
      expect(visit?.conflictText?.['zh-CN']).toContain('省里当前为 14天，本县提议 10天');
      expect(p.changes.find((c) => c.path === RENAME)?.conflict).toBe(false);
      for (const c of p.changes) expect(c.text['zh-CN']).not.toMatch(/visit|nodes/);
      // The county reads its own proposal the same way but answers nothing.
      expect((await taishan.templates.proposal({ id: proposalId })).changes).toHaveLength(2);
      expect((await failure(taishan.templates.acceptProposal({ id: proposalId }))).trpc).toBe(
        'FORBIDDEN',
      );
      // A city admin reads the county but does not publish this template.
      expect((await failure(cityAdmin.templates.acceptProposal({ id: proposalId }))).code).toBe(
        'permission.jurisdiction',
      );
    });

    it('refuses a bad answer and changes nothing', async () => {
      const before = await sourceDraft();
      for (const [call, code] of [
        [
          () => province.templates.acceptProposal({ id: proposalId, paths: ['/roles/mediator'] }),
          'proposal.unknownChange',
        ],
        [
          () => province.templates.returnProposal({ id: proposalId, reason: { 'zh-CN': ' ' } }),
          'BAD_REQUEST',
        ],
      ] as const)
        expect((await failure(call())).code).toBe(code);
      expect((await sourceDraft()).draftHash).toBe(before.draftHash);
      expect((await province.templates.proposal({ id: proposalId })).status).toBe('pending');
    });

    it('merges the accepted changes into the province’s source draft, once', async () => {
      const done = await province.templates.acceptProposal({ id: proposalId });
      expect(done).toMatchObject({ status: 'accepted', merged: 2, sourceFlowId: sourceFlow });
      const { draft, draftHash } = await sourceDraft();
      expect(node(draft, 'visit').name).toEqual({ 'zh-CN': '电话回访评价', en: 'Return visit' });
      expect(node(draft, 'visit').deadline?.duration).toBe('P10D');
      // Not offered, so not merged: the mediator role stays Taishan's own.
      expect(JSON.stringify(draft.roles)).not.toContain('mediator');
      for (const call of [
        () => province.templates.acceptProposal({ id: proposalId }),
        () => province.templates.returnProposal({ id: proposalId, reason: { 'zh-CN': '再退回' } }),
      ])
        expect((await failure(call())).code).toBe('proposal.answered');
      expect((await sourceDraft()).draftHash).toBe(draftHash);
      expect((await province.templates.proposals()).pending).toBe(0);
      // The next version is made from the draft that now carries them.
      const next = await province.templates.publishDraft({ flowId: sourceFlow, templateKey: KEY });
      expect(node(next.flow, 'visit').name['zh-CN']).toBe('电话回访评价');
      expect(node(next.flow, 'visit').deadline?.duration).toBe('P10D');
      // Published, v2 gives Taishan nothing to decide on what it proposed itself.
      await province.templates.publish({
        manifest: {
          ...next.manifest,
          changelog: [
            ...next.manifest.changelog,
            { version: 2, changes: { 'zh-CN': '采纳台山市建议', en: 'From Taishan' } },
          ],
        },
        flow: next.flow,
      });
      const plan = await taishan.templates.planUpgrade({ flowId: taishanFlow, toVersion: 2 });
      expect(plan.conflicts).toEqual([]);
      const upgraded = await taishan.templates.upgrade({ flowId: taishanFlow, toVersion: 2 });
      expect(upgraded.localChanges).toBe(1);
    });

    it('tells the county in its bell until its admin opens the answer', async () => {
      const notices = await taishan.templates.proposalNotices();
      expect(notices.map((n) => [n.id, n.status, n.merged])).toEqual([
        [proposalId, 'accepted', [VISIT, RENAME]],
      ]);
      expect(await kaiping.templates.proposalNotices()).toEqual([]);
      expect(await province.templates.proposalNotices()).toEqual([]);
      await taishan.templates.proposalSeen({ id: proposalId });
      expect(await taishan.templates.proposalNotices()).toEqual([]);
    });

    it('returns a proposal with a reason, leaving the source as it was', async () => {
      const { id } = await taishan.templates.propose({
        flowId: taishanFlow,
        paths: [ROLE],
        note: { 'zh-CN': '增加人民调解员角色' },
      });
      const before = await sourceDraft();
      expect(
        (await province.templates.proposal({ id })).changes.map((c) => c.text['zh-CN']),
      ).toEqual(['新增 角色“人民调解员”：人民调解员']);
      await province.templates.returnProposal({
        id,
        reason: { 'zh-CN': '调解员角色由各县自行设置，不纳入省模板', en: 'Counties set this role' },
      });
      expect((await sourceDraft()).draftHash).toBe(before.draftHash);
      const [notice] = await taishan.templates.proposalNotices();
      expect(notice).toMatchObject({
        id,
        status: 'returned',
        answer: {
          'zh-CN': '调解员角色由各县自行设置，不纳入省模板',
          en: 'Counties set this role',
        },
      });
      expect((await failure(province.templates.acceptProposal({ id }))).code).toBe(
        'proposal.answered',
      );
    });

    it('keeps a variant’s English name when a template is adopted a second time', async () => {
      const variant = await kaiping.templates.adopt({
        templateKey: KEY,
        version: 1,
        jurisdiction: '440783',
        key: 'petition-chenpi',
        name: { 'zh-CN': '新会陈皮纠纷办理', en: 'Xinhui chenpi disputes' },
      });
      const got = await kaiping.flows.get({ flowId: variant.flowId });
      expect(got.name).toEqual({ 'zh-CN': '新会陈皮纠纷办理', en: 'Xinhui chenpi disputes' });
      expect((got.draft as Json).name).toEqual(got.name);
      const rows = await kaiping.templates.adoptions({ key: KEY });
      expect(rows.find((r) => r.flowKey === 'petition-chenpi')?.flowName.en).toBe(
        'Xinhui chenpi disputes',
      );
      const changes = (await kaiping.templates.overlay({ flowId: variant.flowId })).changes;
      expect(changes.map((c) => c.text.en)).toEqual([
        'changed name › English: Standard petition handling → Xinhui chenpi disputes',
        'changed name: 信访事项办理标准流程 → 新会陈皮纠纷办理',
      ]);
      // Keeping the template's Chinese name keeps its English one too.
      const same = await kaiping.templates.adopt({
        templateKey: KEY,
        version: 1,
        jurisdiction: '440783',
        key: 'petition-copy',
        name: { 'zh-CN': '信访事项办理标准流程' },
      });
      expect((await kaiping.flows.get({ flowId: same.flowId })).name).toEqual({
        'zh-CN': '信访事项办理标准流程',
        en: 'Standard petition handling',
      });
    });
  },
);
