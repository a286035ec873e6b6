import { createBundle } from '@lianxin/spec';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Services } from '../src';
import { setupApi, signIn } from './helpers';
import {
  refusal as failure,
  type Json,
  KEY,
  type TemplateNode as Node,
  nodeOf as node,
  templateFlow,
  templateForms,
  templateManifest,
} from './standard-petition';

const baseManifest = templateManifest();
const baseFlow = templateFlow();
const forms = templateForms();

/** Template version `version`: the bundled flow with `edit` applied to its nodes. */
function templateVersion(version: number, edit: (nodes: Node[]) => void = () => {}) {
  const flow = structuredClone(baseFlow) as Json & { nodes: Node[] };
  flow.version = version;
  edit(flow.nodes);
  const changelog = Array.from({ length: version }, (_, i) => ({
    version: i + 1,
    changes: { 'zh-CN': `第 ${i + 1} 版修改`, en: `changes of version ${i + 1}` },
  }));
  return { manifest: { ...baseManifest, version, changelog }, flow, forms, readme: '# 标准流程' };
}
const rename = (id: string, zh: string) => (nodes: Node[]) => {
  const n = nodes.find((x) => x.id === id);
  if (n) n.name = { ...n.name, 'zh-CN': zh };
};

describe('template sharing through the API', () => {
  let services: Services;
  let drop: () => Promise<void>;
  let province: Awaited<ReturnType<typeof signIn>>;
  let taishan: Awaited<ReturnType<typeof signIn>>;
  let kaiping: Awaited<ReturnType<typeof signIn>>;
  let flowId: string;

  beforeAll(async () => {
    const s = await setupApi('sqlite');
    services = s.services;
    drop = () => s.test.drop();
    province = await signIn(services, 'province');
    taishan = await signIn(services, 'admin');
    kaiping = await signIn(services, 'otherAdmin');
  });
  afterAll(async () => drop());

  it('publishes only checked versions with a changelog, from a province or city admin', async () => {
    const v1 = templateVersion(1);
    const broken = { ...v1, flow: { ...v1.flow, edges: [] } };
    expect((await failure(province.templates.publish(broken))).code).toBe('template.invalid');
    const mismatch = { ...v1, manifest: { ...v1.manifest, version: 2 } };
    const refused = await failure(province.templates.publish(mismatch));
    expect(refused.code).toBe('template.invalid');
    expect(JSON.stringify(refused.details)).toContain('template.mismatch');
    const noLog = { ...v1, manifest: { ...v1.manifest, changelog: [] } };
    expect((await failure(province.templates.publish(noLog))).code).toBe('template.changelog');
    // A county admin may not publish; a receptionist has no such role at all.
    const county = { ...v1, manifest: { ...v1.manifest, publisher: '440781' } };
    expect((await failure(taishan.templates.publish(county))).code).toBe('template.publisherLevel');
    const rec = await signIn(services, 'receptionist');
    expect((await failure(rec.templates.publish(v1))).code).toBe('permission.role');

    expect(await province.templates.publish(v1)).toMatchObject({ key: KEY, version: 1 });
    const list = await province.templates.list();
    expect(list[0]).toMatchObject({ key: KEY, latestVersion: 1, adoptions: [] });
    expect(list[0]?.versions[0]?.changes).toMatchObject({ 'zh-CN': '第 1 版修改' });
  });

  it('adopts into a county draft recording extends, and records local edits as an overlay', async () => {
    const city = await signIn(services, 'city');
    expect(
      (
        await failure(
          city.templates.adopt({ templateKey: KEY, version: 1, jurisdiction: '440781' }),
        )
      ).code,
    ).toBe('permission.role');
    expect(
      (
        await failure(
          kaiping.templates.adopt({ templateKey: KEY, version: 1, jurisdiction: '440781' }),
        )
      ).code,
    ).toBe('permission.jurisdiction');

    const adopted = await taishan.templates.adopt({
      templateKey: KEY,
      version: 1,
      jurisdiction: '440781',
    });
    flowId = adopted.flowId;
    const got = await taishan.flows.get({ flowId });
    expect(got.draft).toMatchObject({
      key: KEY,
      jurisdiction: '440781',
      extends: { template: KEY, version: 1 },
    });
    expect(
      (
        await failure(
          taishan.templates.adopt({ templateKey: KEY, version: 1, jurisdiction: '440781' }),
        )
      ).code,
    ).toBe('template.alreadyAdopted');

    // The county's local edit: the return visit gets 10 days instead of 7.
    const draft = structuredClone(got.draft) as Json;
    node(draft, 'visit').deadline = { ...node(draft, 'visit').deadline, duration: 'P10D' };
    const saved = await taishan.flows.saveDraft({
      jurisdiction: '440781',
      key: KEY,
      definition: draft,
    });
    expect(saved.errors).toBe(0);
    expect((await taishan.flows.get({ flowId })).adoption?.overlay).toEqual([
      { op: 'replace', path: '/nodes/visit/deadline/duration', value: 'P10D' },
    ]);
    const overlay = await taishan.templates.overlay({ flowId });
    expect(overlay.changes[0]?.text['zh-CN']).toBe(
      '修改 步骤“回访评价” › 办理时限 › 时长：7天 → 10天',
    );
    const entry = (await province.templates.list())[0];
    expect(entry?.adoptions).toEqual([
      expect.objectContaining({ jurisdiction: '440781', version: 1, localChanges: 1, flowId }),
    ]);
    // A county sees its own adoptions only.
    expect((await kaiping.templates.list())[0]?.adoptions).toEqual([]);
    await taishan.flows.publish({ flowId });
  });

  it('upgrades without conflict: the template change arrives, the local edit stays, published versions stay', async () => {
    await province.templates.publish(templateVersion(2, rename('handle', '承办部门办理')));
    const plan = await taishan.templates.planUpgrade({ flowId, toVersion: 2 });
    expect(plan.conflicts).toEqual([]);
    expect(plan.upstream.map((c) => c.text['zh-CN'])).toEqual([
      '修改 步骤“部门办理” › 名称：部门办理 → 承办部门办理',
    ]);
    expect(plan.local.map((c) => c.path)).toEqual(['/nodes/visit/deadline/duration']);
    expect(plan.changelog.map((c) => c.version)).toEqual([2]);

    const done = await taishan.templates.upgrade({ flowId, toVersion: 2 });
    expect(done).toMatchObject({ fromVersion: 1, templateVersion: 2, localChanges: 1 });
    const got = await taishan.flows.get({ flowId });
    expect(got.draft).toMatchObject({ extends: { template: KEY, version: 2 } });
    expect(node(got.draft, 'visit').deadline?.duration).toBe('P10D');
    expect(node(got.draft, 'handle').name['zh-CN']).toBe('承办部门办理');
    // The published county version (and the cases on it) keep template version 1.
    const v1 = await taishan.flows.get({ flowId, version: 1 });
    expect(v1.published?.definition).toMatchObject({ extends: { version: 1 } });
    expect(node(v1.published?.definition, 'handle').name['zh-CN']).toBe('部门办理');
    expect((await failure(taishan.templates.upgrade({ flowId, toVersion: 2 }))).code).toBe(
      'template.notUpgrade',
    );
  });

  it('refuses an upgrade with a conflict until it is resolved, and honours each resolution', async () => {
    // Kaiping adopts v2 and makes the same kind of local edit as Taishan.
    const other = await kaiping.templates.adopt({
      templateKey: KEY,
      version: 2,
      jurisdiction: '440783',
    });
    const draft = (await kaiping.flows.get({ flowId: other.flowId })).draft as Json;
    node(draft, 'visit').deadline = { ...node(draft, 'visit').deadline, duration: 'P12D' };
    await kaiping.flows.saveDraft({ jurisdiction: '440783', key: KEY, definition: draft });

    // v3: the province also changes the return visit's deadline, and renames acceptance.
    await province.templates.publish(
      templateVersion(3, (nodes) => {
        rename('handle', '承办部门办理')(nodes);
        rename('accept', '受理审查（含初核）')(nodes);
        const visit = nodes.find((n) => n.id === 'visit');
        if (visit?.deadline) visit.deadline.duration = 'P14D';
      }),
    );
    const plan = await taishan.templates.planUpgrade({ flowId, toVersion: 3 });
    expect(plan.conflicts).toEqual([
      expect.objectContaining({
        path: '/nodes/visit/deadline/duration',
        base: 'P7D',
        theirs: 'P14D',
        ours: 'P10D',
      }),
    ]);
    expect(plan.conflicts[0]?.where['zh-CN']).toBe('步骤“回访评价” › 办理时限 › 时长');

    const before = (await taishan.flows.get({ flowId })).draftHash;
    const refused = await failure(taishan.templates.upgrade({ flowId, toVersion: 3 }));
    expect(refused.code).toBe('template.conflicts');
    expect(refused.message?.['zh-CN']).toContain('步骤“回访评价” › 办理时限 › 时长');
    expect(refused.message?.en).toContain('1 conflict(s) are not resolved');
    expect(refused.details?.conflicts).toEqual([
      expect.objectContaining({ path: '/nodes/visit/deadline/duration', ours: 'P10D' }),
    ]);
    expect((await taishan.flows.get({ flowId })).draftHash).toBe(before);

    // Taishan keeps its own 10 days; the non-conflicting rename arrives.
    await taishan.templates.upgrade({
      flowId,
      toVersion: 3,
      resolutions: { '/nodes/visit/deadline/duration': 'ours' },
    });
    const ours = (await taishan.flows.get({ flowId })).draft;
    expect(node(ours, 'visit').deadline?.duration).toBe('P10D');
    expect(node(ours, 'accept').name['zh-CN']).toBe('受理审查（含初核）');
    expect(ours).toMatchObject({ extends: { version: 3 } });

    // Kaiping takes the province's 14 days; nothing local is left.
    const taken = await kaiping.templates.upgrade({
      flowId: other.flowId,
      toVersion: 3,
      resolutions: { '/nodes/visit/deadline/duration': 'theirs' },
    });
    expect(taken.localChanges).toBe(0);
    const theirs = (await kaiping.flows.get({ flowId: other.flowId })).draft;
    expect(node(theirs, 'visit').deadline?.duration).toBe('P14D');

    const entry = (await province.templates.list())[0];
    expect(entry?.adoptions.map((a) => [a.jurisdiction, a.version, a.localChanges])).toEqual([
      ['440781', 3, 1],
      ['440783', 3, 0],
    ]);
  });

  it('refuses to save or publish a county draft that changes a locked part', async () => {
    const { draft, draftHash } = await taishan.flows.get({ flowId });
    const edited = structuredClone(draft) as Json & { clocks: { deadline: Json }[] };
    (edited.clocks[0] as { deadline: Json }).deadline = { duration: 'P20D', calendar: 'natural' };
    // The designer's live check says so first, located, as the save will refuse it.
    const checked = await taishan.flows.checkDefinition({
      jurisdiction: '440781',
      definition: edited,
    });
    const locked = checked.problems.filter((p) => p.code === 'template.lockedChanged');
    expect(locked.length).toBeGreaterThan(0);
    for (const p of locked) {
      expect(p.severity).toBe('error');
      expect(p.pointer).toMatch(/^\/clocks\/0/);
    }
    expect(checked.errors).toBeGreaterThanOrEqual(locked.length);
    const refused = await failure(
      taishan.flows.saveDraft({ jurisdiction: '440781', key: KEY, definition: edited }),
    );
    expect(refused.code).toBe('template.lockedChanged');
    expect(JSON.stringify(refused.details)).toContain('template.lockedChanged');
    expect(refused.message?.['zh-CN']).toContain('锁定');
    expect((await taishan.flows.get({ flowId })).draftHash).toBe(draftHash);

    // A draft that got a locked change some other way still cannot be published.
    const flow = await services.store.flow(flowId);
    await services.store.saveDraft({
      jurisdiction: '440781',
      key: KEY,
      name: flow?.name ?? { 'zh-CN': KEY },
      draft: edited,
      by: null,
    });
    expect((await failure(taishan.flows.publish({ flowId }))).code).toBe('template.lockedChanged');
  });

  it('exports a sealed bundle and refuses damaged, unsealed or tampered files, storing nothing', async () => {
    const bundle = (await province.templates.exportBundle({ key: KEY, version: 3 })) as Json;
    expect(bundle.contentHash).toMatch(/^sha256:/);
    const before = await province.templates.list();

    const tampered = structuredClone(bundle) as Json & { flow: Json & { nodes: Node[] } };
    node(tampered.flow, 'visit').deadline = { duration: 'P1D' };
    const t = await failure(province.templates.importBundle({ bundle: tampered }));
    expect(t.code).toBe('bundle.refused');
    expect(JSON.stringify(t.details)).toContain('bundle.tampered');
    expect(t.message?.['zh-CN']).toContain('模板包内容与其校验值不符');
    expect(t.message?.en).toContain('nothing was imported');

    const { contentHash: _drop, ...unsealed } = bundle;
    const u = await failure(province.templates.importBundle({ bundle: unsealed }));
    expect(JSON.stringify(u.details)).toContain('bundle.unsealed');
    expect((await failure(province.templates.importBundle({ bundle: 'garbage' }))).code).toBe(
      'bundle.refused',
    );
    expect(await province.templates.list()).toEqual(before);

    // A good bundle of another template is imported; a county admin may not import.
    const copy = createBundle({
      manifest: { ...(bundle.manifest as Json), key: 'petition-copy' },
      flow: { ...(bundle.flow as Json), key: 'petition-copy' },
      forms: bundle.forms as Json[],
      readme: bundle.readme as string,
    });
    expect((await failure(taishan.templates.importBundle({ bundle: copy }))).code).toBe(
      'permission.jurisdiction',
    );
    expect(await province.templates.importBundle({ bundle: copy })).toMatchObject({
      key: 'petition-copy',
      version: 3,
    });
    expect((await province.templates.list()).map((t) => t.key)).toEqual(['petition-copy', KEY]);
  });
});
