import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { TRPCClientError } from '@trpc/client';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { client, PASSWORD, startTestServer } from './server-helpers';

const folder = fileURLToPath(new URL('../../../templates/standard-petition', import.meta.url));
const readJson = (file: string) => JSON.parse(readFileSync(join(folder, file), 'utf8'));
const standard = {
  ...readJson('flow.json'),
  forms: readdirSync(join(folder, 'forms')).map((f) => readJson(`forms/${f}`)),
};

function appCode(error: unknown): string | undefined {
  return error instanceof TRPCClientError
    ? (error.data as { appCode?: string } | undefined)?.appCode
    : undefined;
}

const NAME = '司马镕珺';
const PHONE = '13912345678';
const SUMMARY = '小区电梯停运三个月，物业不予维修';

// Statutory documents through the real server: issued by the transition, printed by staff,
// read and downloaded by the petitioner with the tracking code, refused to everyone else.
describe.each(['sqlite', 'pg'] as const)('statutory documents over HTTP on %s', (dialect) => {
  let server: Awaited<ReturnType<typeof startTestServer>>;
  let flowId: string;
  const year = new Date(Date.now() + 8 * 3_600_000).getUTCFullYear();

  beforeAll(async () => {
    server = await startTestServer(dialect, { scheduler: false });
    const admin = client(server.url);
    await admin.auth.login.mutate({ username: 'admin', password: PASSWORD });
    const saved = await admin.flows.saveDraft.mutate({
      jurisdiction: '440781',
      key: standard.key,
      definition: standard,
    });
    flowId = saved.flowId;
    await admin.flows.publish.mutate({ flowId });
  });
  afterAll(async () => server.stop());

  async function registerAndAccept() {
    const rec = client(server.url);
    await rec.auth.login.mutate({ username: 'receptionist', password: PASSWORD });
    const registered = await rec.cases.register.mutate({
      flowId,
      channel: 'visit',
      data: { category: 'housing', summary: SUMMARY, petitioner: { name: NAME } },
      petitioner: { name: NAME, phone: PHONE },
    });
    const detail = await rec.cases.get.query({ caseId: registered.caseId });
    await rec.tasks.complete.mutate({
      taskId: detail.state.tasks[0]?.id ?? '',
      action: 'accept',
      data: { category: 'housing', acceptanceNote: '属于本机关职权范围' },
    });
    return { rec, ...registered };
  }

  it('issues the 受理告知书 on acceptance; staff open its PDF, other counties and strangers cannot', async () => {
    const { rec, caseId } = await registerAndAccept();
    const [doc, ...more] = await rec.documents.list.query({ caseId });
    expect(more).toEqual([]);
    expect(doc).toMatchObject({
      kind: 'acceptance',
      kindName: { 'zh-CN': '受理告知书' },
      serial: `台信受〔${year}〕1号`,
      hasPdf: false,
    });
    const cookie = await loginCookie('receptionist');
    const first = await fetch(`${server.url}${doc?.pdfUrl}`, { headers: { cookie } });
    expect(first.status).toBe(200);
    expect(first.headers.get('content-type')).toBe('application/pdf');
    expect(first.headers.get('content-disposition')).toMatch(/^inline; filename\*=UTF-8''/);
    const bytes = Buffer.from(await first.arrayBuffer());
    expect(bytes.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    // Rendered once, kept as the case's attachment: the second request serves the same file.
    expect((await rec.documents.list.query({ caseId }))[0]?.hasPdf).toBe(true);
    const again = await fetch(`${server.url}${doc?.pdfUrl}?download=1`, { headers: { cookie } });
    expect(Buffer.from(await again.arrayBuffer()).equals(bytes)).toBe(true);
    expect(again.headers.get('content-disposition')).toMatch(/^attachment;/);

    const other = await fetch(`${server.url}${doc?.pdfUrl}`, {
      headers: { cookie: await loginCookie('other') },
    });
    expect(other.status).toBe(403);
    expect(JSON.stringify(await other.json())).not.toContain(NAME);
    expect((await fetch(`${server.url}${doc?.pdfUrl}`)).status).toBe(401);
    const otherClient = client(server.url);
    await otherClient.auth.login.mutate({ username: 'other', password: PASSWORD });
    expect(
      appCode(await otherClient.documents.list.query({ caseId }).catch((e: unknown) => e)),
    ).toBe('permission.jurisdiction');
  });

  it('shows the petitioner the text and a download link that opens that document only', async () => {
    const { trackingCode } = await registerAndAccept();
    const second = await registerAndAccept();
    const citizen = client(server.url);
    const docs = await citizen.documents.forPetitioner.query({ trackingCode, phone: PHONE });
    expect(docs).toHaveLength(1);
    const doc = docs[0] as NonNullable<(typeof docs)[0]>;
    expect(doc.title).toBe('受理告知书');
    expect(doc.body).toContain(`${NAME}：`);
    expect(doc.body).toContain(`“${SUMMARY}”`);
    const pdf = await fetch(`${server.url}${doc.pdfUrl}`);
    expect(pdf.status).toBe(200);
    expect(
      Buffer.from(await pdf.arrayBuffer())
        .subarray(0, 5)
        .toString('latin1'),
    ).toBe('%PDF-');

    // The link names one document: another document's id with it, or a changed token, is refused.
    const [theirs] = await citizen.documents.forPetitioner.query({
      trackingCode: second.trackingCode,
      phone: PHONE,
    });
    const token = new URL(doc.pdfUrl, server.url).searchParams.get('t') ?? '';
    for (const url of [
      `/api/track/documents/${theirs?.id}?t=${encodeURIComponent(token)}`,
      `/api/track/documents/${doc.id}?t=${encodeURIComponent(token.replace(/.$/, (c) => (c === '0' ? '1' : '0')))}`,
      `/api/track/documents/${doc.id}?t=${Date.now() + 60_000}.`,
      `/api/track/documents/${doc.id}`,
    ]) {
      const refused = await fetch(`${server.url}${url}`);
      expect(refused.status).toBe(403);
      const body = (await refused.json()) as { messages: { 'zh-CN': string } };
      expect(body.messages['zh-CN']).toBe('下载链接无效或已过期，请回到进度查询页面重新查询');
    }
    // A wrong phone learns nothing.
    expect(
      appCode(
        await citizen.documents.forPetitioner
          .query({ trackingCode, phone: '13900000000' })
          .catch((e: unknown) => e),
      ),
    ).toBe('intake.phoneMismatch');
  });

  it('issues from the template a county admin saved; a broken placeholder is refused where it is', async () => {
    const admin = client(server.url);
    await admin.auth.login.mutate({ username: 'admin', password: PASSWORD });
    const { templates } = await admin.documents.templates.query({ jurisdiction: '440781' });
    const acceptance = templates.find((t) => t.kind === 'acceptance');
    expect(acceptance).toMatchObject({ revision: 0, serialPrefix: '台信受' });
    const edit = {
      jurisdiction: '440781',
      kind: 'acceptance' as const,
      serialPrefix: '台信访受',
      issuer: '台山市人民政府信访局',
      title: '信访事项受理告知书',
      body: '{{petitioner.name}}：\n\n你反映的“{{case.title}}”已受理。\n\n{{case.titel}}',
      expectedRevision: 0,
    };
    const refused = await admin.documents.saveTemplate.mutate(edit).catch((e: unknown) => e);
    expect(appCode(refused)).toBe('documents.templateInvalid');
    expect((refused as Error).message).toContain('正文第 5 行');
    const preview = await admin.documents.preview.query(edit);
    expect(preview.problems).toHaveLength(1);
    const saved = await admin.documents.saveTemplate.mutate({
      ...edit,
      body: edit.body.replace('\n\n{{case.titel}}', ''),
    });
    expect(saved.revision).toBe(1);
    const { caseId } = await registerAndAccept();
    const [doc] = await admin.documents.list.query({ caseId });
    // The count goes on per county, kind and year whatever the prefix: the fourth of the year.
    expect(doc?.serial).toBe(`台信访受〔${year}〕4号`);
  });

  it('numbers acceptances sent at the same moment by separate requests 1…n, none twice', async () => {
    const rec = client(server.url);
    await rec.auth.login.mutate({ username: 'receptionist', password: PASSWORD });
    const before = await rec.documents.templates
      .query({ jurisdiction: '440781' })
      .catch(() => null);
    expect(before).toBeNull(); // a receptionist may not read templates
    const cases: { caseId: string; taskId: string }[] = [];
    for (let i = 0; i < 10; i++) {
      const r = await rec.cases.register.mutate({
        flowId,
        channel: 'visit',
        data: {
          category: 'housing',
          summary: `并发受理第${i}件：${SUMMARY}`,
          petitioner: { name: NAME },
        },
        petitioner: { name: NAME, phone: PHONE },
      });
      const detail = await rec.cases.get.query({ caseId: r.caseId });
      cases.push({ caseId: r.caseId, taskId: detail.state.tasks[0]?.id ?? '' });
    }
    // Ten requests at once, each on its own connection: a transform per case, one counter row.
    await Promise.all(
      cases.map(async ({ taskId }) => {
        const c = client(server.url);
        await c.auth.login.mutate({ username: 'receptionist', password: PASSWORD });
        await c.tasks.complete.mutate({
          taskId,
          action: 'accept',
          data: { category: 'housing', acceptanceNote: '属于本机关职权范围' },
        });
      }),
    );
    const serials = (
      await Promise.all(cases.map(async ({ caseId }) => rec.documents.list.query({ caseId })))
    ).map((docs) => {
      expect(docs).toHaveLength(1);
      return docs[0]?.serial ?? '';
    });
    expect(new Set(serials).size).toBe(10);
    const numbers = serials.map((s) => Number(/〕(\d+)号$/.exec(s)?.[1])).sort((a, b) => a - b);
    // Whatever came before in this run, ten consecutive numbers.
    const first = numbers[0] ?? 0;
    expect(numbers).toEqual(Array.from({ length: 10 }, (_, i) => first + i));
  });

  async function loginCookie(username: string): Promise<string> {
    const res = await fetch(`${server.url}/trpc/auth.login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username, password: PASSWORD }),
    });
    return (res.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
  }
});

describe('document links under attack', () => {
  let server: Awaited<ReturnType<typeof startTestServer>>;
  beforeAll(async () => {
    server = await startTestServer('sqlite', { scheduler: false });
  });
  afterAll(async () => server.stop());

  it('answers made-up ids and tokens with a refusal, never a document or a 500, and then limits the address', async () => {
    const statuses = new Set<number>();
    await fc.assert(
      fc.asyncProperty(
        fc.uuid(),
        fc.oneof(
          fc.string({ maxLength: 80 }),
          fc
            .tuple(
              fc.integer(),
              fc.string({ unit: fc.constantFrom(...'0123456789abcdef'), maxLength: 64 }),
            )
            .map(([a, b]) => `${a}.${b}`),
          fc.constant(`${Date.now() + 60_000}.`),
        ),
        async (id, token) => {
          const res = await fetch(
            `${server.url}/api/track/documents/${id}?t=${encodeURIComponent(token)}`,
          );
          expect(res.status).toBeLessThan(500);
          expect(res.headers.get('content-type')).not.toBe('application/pdf');
          statuses.add(res.status);
        },
      ),
      { numRuns: 60 },
    );
    // Wrong links count against the address like wrong phone numbers: it is limited.
    expect(statuses.has(429)).toBe(true);
  });
});
