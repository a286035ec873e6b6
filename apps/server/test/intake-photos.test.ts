import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { client, flow, PASSWORD, startTestServer } from './server-helpers';

const jpeg = (n: number) => Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), randomBytes(n)]);
const png = (n: number) =>
  Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), randomBytes(n)]);

// A citizen's photos with an online petition, and what an attacker cannot do with the upload.
describe.each(['sqlite', 'pg'] as const)('petitioner photos on %s', (dialect) => {
  let server: Awaited<ReturnType<typeof startTestServer>>;
  let token = '';
  let caseId = '';
  const rec = { cookie: '' };
  const other = { cookie: '' };

  const upload = (body: Buffer, query: string, headers: Record<string, string> = {}) =>
    fetch(`${server.url}/api/intake/photos?${query}`, {
      method: 'POST',
      headers: { 'x-lianxin-csrf': '1', ...headers },
      body,
    });
  const attachments = async () =>
    (await client(server.url, 'zh-CN', rec).cases.get.query({ caseId })).state.attachments;

  beforeAll(async () => {
    server = await startTestServer(dialect, { scheduler: false });
    const admin = client(server.url);
    await admin.auth.login.mutate({ username: 'admin', password: PASSWORD });
    const saved = await admin.flows.saveDraft.mutate({
      jurisdiction: '440781',
      key: flow.key,
      definition: flow,
    });
    await admin.flows.publish.mutate({ flowId: saved.flowId });
    await client(server.url, 'zh-CN', rec).auth.login.mutate({
      username: 'receptionist',
      password: PASSWORD,
    });
    await client(server.url, 'zh-CN', other).auth.login.mutate({
      username: 'other',
      password: PASSWORD,
    });
  });
  afterAll(async () => {
    await server.stop();
  });

  it('names the county the public form belongs to', async () => {
    const forms = await client(server.url).intake.forms.query({ jurisdiction: '440781' });
    expect(forms[0]?.office).toEqual({
      name: { 'zh-CN': '台山市' },
      fullName: { 'zh-CN': '广东省江门市台山市', en: '台山市, 江门市, 广东省' },
    });
  });

  it('attaches photos to the case the submission created; staff of that county see and open them', async () => {
    const anon = client(server.url);
    const submitted = await anon.intake.submit.mutate({
      jurisdiction: '440781',
      flowKey: flow.key,
      data: { summary: '村道塌陷无人修' },
      petitioner: { name: '甄某', phone: '13612345678' },
    });
    expect(submitted.photos).toMatchObject({ maxCount: 6, maxBytes: 10 * 1024 * 1024 });
    token = submitted.photos.token;
    caseId = token.split('.')[0] ?? '';
    const photo = jpeg(2000);
    const first = await upload(photo, `token=${encodeURIComponent(token)}&name=路面.jpg`);
    expect(first.status).toBe(201);
    const { id } = (await first.json()) as { id: string };
    expect(
      (
        await upload(
          png(500),
          `token=${encodeURIComponent(token)}&name=${encodeURIComponent('全景.png')}`,
        )
      ).status,
    ).toBe(201);
    const list = await attachments();
    expect(list.map((a) => [a.name, a.by])).toEqual([
      ['路面.jpg', 'petitioner'],
      ['全景.png', 'petitioner'],
    ]);
    const down = await fetch(`${server.url}/api/attachments/${id}`, {
      headers: { cookie: rec.cookie },
    });
    expect(down.status).toBe(200);
    expect(Buffer.from(await down.arrayBuffer()).equals(photo)).toBe(true);
    // Nobody else reads it: not the citizen's browser, not another county's staff.
    expect((await fetch(`${server.url}/api/attachments/${id}`)).status).toBe(401);
    const stranger = await fetch(`${server.url}/api/attachments/${id}`, {
      headers: { cookie: other.cookie },
    });
    expect(stranger.status).toBe(403);
  });

  it('refuses forged, foreign and malformed uploads, and they leave nothing behind', async () => {
    const before = (await attachments()).length;
    const t = encodeURIComponent(token);
    const refusals: [Promise<Response>, number, string][] = [
      [upload(jpeg(100), 'name=x.jpg'), 403, 'intake.photoToken'],
      [upload(jpeg(100), `token=${t}x`), 403, 'intake.photoToken'],
      // Another case's id under this token's signature.
      [
        upload(
          jpeg(100),
          `token=${encodeURIComponent(token.replace(/^[^.]+/, crypto.randomUUID()))}`,
        ),
        403,
        'intake.photoToken',
      ],
      // A far expiry the server never signed.
      [
        upload(
          jpeg(100),
          `token=${encodeURIComponent(token.replace(/\.\d+\./, '.9999999999999.'))}`,
        ),
        403,
        'intake.photoToken',
      ],
      [upload(Buffer.from('%PDF-1.4 not a photo'), `token=${t}`), 415, 'attachment.type'],
      [upload(Buffer.from([0x4d, 0x5a, 0x90, 0]), `token=${t}`), 415, 'attachment.type'],
      [upload(Buffer.alloc(0), `token=${t}`), 400, 'attachment.empty'],
      [upload(jpeg(2 * 1024 * 1024), `token=${t}`), 413, 'attachment.tooLarge'],
      [upload(jpeg(100), `token=${t}`, { 'x-lianxin-csrf': '0' }), 403, 'request.csrf'],
    ];
    for (const [answer, status, code] of refusals) {
      const res = await answer;
      expect(res.status).toBe(status);
      const body = (await res.json()) as {
        code: string;
        messages: { 'zh-CN': string; en: string };
      };
      expect(body.code).toBe(code);
      expect(body.messages['zh-CN']).toMatch(/[\u4e00-\u9fff]/);
    }
    expect((await attachments()).length).toBe(before);
  });

  it('takes at most six photos per petition', async () => {
    const t = encodeURIComponent(token);
    const have = (await attachments()).length;
    for (let i = have; i < 6; i++) expect((await upload(jpeg(50), `token=${t}`)).status).toBe(201);
    const seventh = await upload(jpeg(50), `token=${t}`);
    expect(seventh.status).toBe(409);
    expect(((await seventh.json()) as { code: string }).code).toBe('intake.tooManyPhotos');
    expect((await attachments()).length).toBe(6);
  });

  it('takes six of eight photos sent side by side, not more', async () => {
    const submitted = await client(server.url).intake.submit.mutate({
      jurisdiction: '440781',
      flowKey: flow.key,
      data: { summary: '河堤渗水多日无人处理' },
      petitioner: { name: '甄某', phone: '13612345678' },
    });
    const t = encodeURIComponent(submitted.photos.token);
    const answers = await Promise.all(
      Array.from({ length: 8 }, () => upload(jpeg(20_000), `token=${t}`)),
    );
    expect(answers.map((a) => a.status).sort()).toEqual([201, 201, 201, 201, 201, 201, 409, 409]);
    const id = submitted.photos.token.split('.')[0] ?? '';
    const state = (await client(server.url, 'zh-CN', rec).cases.get.query({ caseId: id })).state;
    expect(state.attachments).toHaveLength(6);
  });
});
