import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { asc, eq } from 'drizzle-orm';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ArchiveRefused,
  archiveClosedCases,
  archiveYearRefusal,
  canonicalJson,
  caseRowDigest,
  checkKeyRing,
  computeStats,
  putAttachmentFile,
  restoreArchive,
  rotateKeys,
  Store,
  Vault,
  verifyStore,
} from '../src';
import flowJson from './fixtures/flow.json' with { type: 'json' };
import { DIALECTS, type FakeClock, receptionist, setupStore, startCommand } from './helpers';

const NOW = new Date('2026-06-01T02:00:00Z');
const STATS = {
  jurisdictions: ['440781'],
  from: '2020-01-01T00:00:00Z',
  to: '2027-01-01T00:00:00Z',
};

/** Every row archiving may touch, in a stable order: equal snapshots mean equal databases. */
async function snapshot(store: Store) {
  const t = store.database.t;
  return store.database.read(async (db) =>
    canonicalJson({
      cases: await db.select().from(t.cases).orderBy(asc(t.cases.id)),
      events: await db.select().from(t.events).orderBy(asc(t.events.caseId), asc(t.events.seq)),
      attachments: await db.select().from(t.attachments).orderBy(asc(t.attachments.id)),
      files: (
        await db.select().from(t.attachmentFiles).orderBy(asc(t.attachmentFiles.storagePath))
      ).map((f) => ({ ...f, bytes: Buffer.from(f.bytes).toString('base64') })),
      documents: await db.select().from(t.documents).orderBy(asc(t.documents.id)),
      archives: await db.select().from(t.caseArchives).orderBy(asc(t.caseArchives.caseId)),
    }),
  );
}

let sensitiveFlowId = '';

/** The test flow with the summary marked sensitive: events and rows carry ciphertexts. */
function sensitiveSummary(flow: typeof flowJson) {
  const mark = (schema: { properties?: Record<string, unknown> }) => ({
    ...schema,
    properties: {
      ...schema.properties,
      summary: { ...(schema.properties?.summary as object), 'x-sensitive': 'text' },
    },
  });
  return {
    ...flow,
    dataSchema: mark(flow.dataSchema),
    forms: flow.forms.map((f) => (f.id === 'register' ? { ...f, schema: mark(f.schema) } : f)),
  };
}

/** A case registered at `at` and declined (closed) `days` later, with an attachment if asked. */
async function closedCase(
  store: Store,
  clock: FakeClock,
  at: string,
  options: { days?: number; attachment?: string; open?: boolean } = {},
) {
  clock.ms = Date.parse(at);
  const started = await store.startCase({
    flowId: sensitiveFlowId,
    version: 1,
    command: startCommand(`陈伯反映路灯损坏 ${at}`),
  });
  const id = started.caseId;
  if (options.attachment !== undefined) {
    const bytes = Buffer.from(options.attachment);
    const storagePath = `${randomUUID()}.txt`;
    await putAttachmentFile(store.database, storagePath, bytes, clock.now().toISOString());
    const attachmentId = randomUUID();
    await store.attachToCase(
      {
        id: attachmentId,
        caseId: id,
        name: '照片说明.txt',
        mime: 'text/plain',
        size: bytes.length,
        sha256: 'x',
        storagePath,
        scan: null,
        uploadedBy: null,
      },
      { type: 'case.attach', ref: `attachment:${attachmentId}`, actor: receptionist },
    );
  }
  if (options.open) return id;
  clock.ms += (options.days ?? 3) * 86_400_000;
  const row = await store.caseRow(id);
  await store.act(id, {
    type: 'task.complete',
    taskId: row?.state.tasks[0]?.id ?? '',
    action: 'submit',
    data: { accepted: false },
    actor: receptionist,
  });
  return id;
}

describe('the retention a year must be past', () => {
  it('refuses the current year, asks for --force for last year, allows the one before', () => {
    expect(archiveYearRefusal(2026, NOW.getTime())?.en).toMatch(/current year/);
    expect(archiveYearRefusal(2027, NOW.getTime())).toBeDefined();
    expect(archiveYearRefusal(2025, NOW.getTime())?.['zh-CN']).toMatch(/--force/);
    expect(archiveYearRefusal(2025, NOW.getTime(), true)).toBeUndefined();
    expect(archiveYearRefusal(2024, NOW.getTime())).toBeUndefined();
    // Beijing time decides: 2025-12-31T15:30Z is still 2025 there, 16:30Z is 2026.
    expect(archiveYearRefusal(2024, Date.parse('2025-12-31T15:30:00Z'))).toBeDefined();
    expect(archiveYearRefusal(2024, Date.parse('2025-12-31T16:30:00Z'))).toBeUndefined();
  });
});

describe.each(DIALECTS)('archive and restore on %s', (dialect) => {
  let store: Store;
  let clock: FakeClock;
  let drop: () => Promise<void>;
  let dir: string;
  const ids: Record<string, string> = {};
  let key: Buffer;

  beforeAll(async () => {
    const s = await setupStore(dialect);
    clock = s.clock;
    drop = () => s.test.drop();
    key = randomBytes(32);
    const vault = new Vault(key);
    await checkKeyRing(s.test.database, vault, clock);
    store = new Store(s.test.database, vault, clock);
    const flow = sensitiveSummary(flowJson);
    const saved = await store.saveDraft({
      jurisdiction: '440781',
      key: 'sensitive-summary',
      name: flow.name,
      draft: flow as unknown as Record<string, unknown>,
      by: null,
    });
    await store.publish(saved.id, null);
    sensitiveFlowId = saved.id;
    dir = mkdtempSync(join(tmpdir(), 'lianxin-archive-'));
    // Closed 2024-12-31 23:30 Beijing time (15:30 UTC): in 2024.
    ids.lateDecember = await closedCase(store, clock, '2024-12-28T15:30:00Z', {
      attachment: '路灯照片一',
    });
    ids.spring = await closedCase(store, clock, '2024-03-04T02:00:00Z', {
      attachment: '共用的文件',
    });
    // Closed 2025-01-01 00:30 Beijing time (2024-12-31 16:30 UTC): 2025, stays.
    ids.newYear = await closedCase(store, clock, '2024-12-28T16:30:00Z');
    ids.open = await closedCase(store, clock, '2024-05-06T02:00:00Z', { open: true });
  }, 120_000);
  afterAll(async () => {
    await drop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('moves the year out, keeps rows, KPIs and verify, and restores exactly, twice', async () => {
    const before = await snapshot(store);
    const stats = await computeStats(store.database, STATS);
    const path = join(dir, 'lianxin-archive-2024.jsonl.gz');

    const result = await archiveClosedCases(store.database, store.vault, {
      year: 2024,
      path,
      now: NOW,
    });
    expect(result.manifest?.counts).toMatchObject({ cases: 2, attachments: 2, attachmentFiles: 2 });
    expect(result.manifest?.sealedWith).toEqual([store.vault.primaryKid]);
    expect(await store.events(ids.lateDecember ?? '')).toEqual([]);
    expect(await store.events(ids.spring ?? '')).toEqual([]);
    expect((await store.events(ids.newYear ?? '')).length).toBeGreaterThan(0);
    expect((await store.events(ids.open ?? '')).length).toBeGreaterThan(0);
    expect(await computeStats(store.database, STATS)).toEqual(stats);
    const report = await verifyStore(store.database, store.vault);
    expect(report.problems).toEqual([]);
    // The file holds ciphertexts as stored: the sealed summary is not in it in plain text.
    const text = gunzipSync(readFileSync(path)).toString();
    expect(text).toContain('"t":"manifest"');
    expect(text).not.toContain('陈伯');

    // Nothing left to archive: no second file.
    expect(
      await archiveClosedCases(store.database, store.vault, {
        year: 2024,
        path: join(dir, 'again.gz'),
        now: NOW,
      }),
    ).toEqual({});

    const restored = await restoreArchive(store.database, store.vault, path);
    expect(restored.restored).toBe(2);
    expect(await snapshot(store)).toBe(before);
    expect((await verifyStore(store.database, store.vault)).problems).toEqual([]);
    const again = await restoreArchive(store.database, store.vault, path);
    expect(again).toMatchObject({ restored: 0, alreadyThere: 2 });
    expect(await snapshot(store)).toBe(before);
  });

  it('refuses a changed, cut or foreign file, or a wrong key, and changes nothing', async () => {
    const path = join(dir, 'refusals.jsonl.gz');
    await archiveClosedCases(store.database, store.vault, { year: 2024, path, now: NOW });
    const archived = await snapshot(store);
    const lines = gunzipSync(readFileSync(path)).toString().split('\n');
    const variant = (name: string, text: string) => {
      const p = join(dir, name);
      writeFileSync(p, gzipSync(text));
      return p;
    };
    // A registration said to have come by letter, not in person.
    const eventLine = lines.findIndex(
      (l) => l.includes('"t":"event"') && l.includes('"channel":"visit"'),
    );
    expect(eventLine).toBeGreaterThan(0);
    const tampered = lines.map((l, i) =>
      i === eventLine ? l.replace('"channel":"visit"', '"channel":"letter"') : l,
    );
    // The same change with the manifest's digest recomputed: the database's record still knows.
    const { createHash } = await import('node:crypto');
    const body = tampered.filter((l) => l && !l.includes('"t":"manifest"'));
    const manifest = JSON.parse(lines.find((l) => l.includes('"t":"manifest"')) ?? '{}');
    manifest.sha256 = createHash('sha256')
      .update(body.map((l) => `${l}\n`).join(''))
      .digest('hex');
    const forged = [...body, JSON.stringify(manifest), ''].join('\n');
    const cases: [string, string, RegExp][] = [
      ['tampered', variant('tampered.gz', tampered.join('\n')), /SHA-256/],
      ['forged', variant('forged.gz', forged), /archive record/],
      ['cut', variant('cut.gz', lines.slice(0, -2).join('\n')), /no archive manifest/],
      ['not an archive', variant('plain.gz', 'x'), /not JSON/],
    ];
    writeFileSync(join(dir, 'text.gz'), 'not gzip at all');
    cases.push(['not gzip', join(dir, 'text.gz'), /gzip/]);
    for (const [name, file, message] of cases) {
      const refused = await restoreArchive(store.database, store.vault, file).catch((e) => e);
      expect(refused, `${name}: ${refused}`).toBeInstanceOf(ArchiveRefused);
      expect((refused as ArchiveRefused).bilingual.en).toMatch(message);
      expect(await snapshot(store)).toBe(archived);
    }
    // Another key: the archived ciphertexts do not open with it.
    const wrongKey = await restoreArchive(store.database, new Vault(randomBytes(32)), path).catch(
      (e) => e,
    );
    expect(wrongKey).toBeInstanceOf(ArchiveRefused);
    expect((wrongKey as ArchiveRefused).bilingual['zh-CN']).toContain(store.vault.primaryKid);
    expect(await snapshot(store)).toBe(archived);
    await restoreArchive(store.database, store.vault, path);
  });

  it('restores a case archived while its state still held its comments and attachments', async () => {
    // given a 2024 archive as the code before issue 18 wrote it: the row's state holds the lists
    const id = ids.spring ?? '';
    const notes = await store.notes(id);
    expect(notes.attachments).toHaveLength(1);
    const path = join(dir, 'legacy.jsonl.gz');
    await archiveClosedCases(store.database, store.vault, { year: 2024, path, now: NOW });
    const t = store.database.t;
    const row = (await store.caseRow(id)) as NonNullable<Awaited<ReturnType<Store['caseRow']>>>;
    const legacy = { ...row, state: { ...row.state, ...notes } };
    const digest = caseRowDigest(store.vault, legacy);
    await store.database.tx(async (tx) => {
      await tx.update(t.cases).set({ state: legacy.state }).where(eq(t.cases.id, id));
      await tx
        .update(t.caseArchives)
        .set({ rowSha256: digest })
        .where(eq(t.caseArchives.caseId, id));
    });
    const { createHash } = await import('node:crypto');
    const body = gunzipSync(readFileSync(path))
      .toString()
      .split('\n')
      .filter((l) => l && !l.includes('"t":"manifest"'))
      .map((l) => {
        const line = JSON.parse(l);
        return line.t === 'case' && line.id === id
          ? JSON.stringify({ ...line, rowSha256: digest })
          : l;
      });
    const manifest = JSON.parse(
      gunzipSync(readFileSync(path))
        .toString()
        .split('\n')
        .find((l) => l.includes('"t":"manifest"')) ?? '{}',
    );
    manifest.sha256 = createHash('sha256')
      .update(body.map((l) => `${l}\n`).join(''))
      .digest('hex');
    writeFileSync(path, gzipSync([...body, JSON.stringify(manifest), ''].join('\n')));
    expect((await verifyStore(store.database, store.vault)).problems).toEqual([]);

    // when it is restored
    const restored = await restoreArchive(store.database, store.vault, path);

    // then the row holds the state without the lists, equal to the replay of its events
    expect(restored.restored).toBe(2);
    expect((await store.caseRow(id))?.state).not.toHaveProperty('attachments');
    expect(await store.notes(id)).toEqual(notes);
    expect((await verifyStore(store.database, store.vault)).problems).toEqual([]);
  });

  it('a random history: archive then restore gives the same rows, and replay holds throughout', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.record({
            day: fc.integer({ min: 0, max: 700 }),
            days: fc.integer({ min: 0, max: 40 }),
            attachment: fc.option(fc.constantFrom('甲', '乙', '丙'), { nil: undefined }),
            open: fc.boolean(),
          }),
          { minLength: 1, maxLength: 4 },
        ),
        fc.constantFrom(2023, 2024),
        async (history, year) => {
          for (const h of history)
            await closedCase(
              store,
              clock,
              new Date(Date.parse('2023-01-01T00:00:00Z') + h.day * 86_400_000).toISOString(),
              h,
            );
          const before = await snapshot(store);
          const stats = await computeStats(store.database, STATS);
          const path = join(dir, `p-${randomUUID()}.gz`);
          const result = await archiveClosedCases(store.database, store.vault, {
            year,
            path,
            now: NOW,
          });
          expect(await computeStats(store.database, STATS)).toEqual(stats);
          expect((await verifyStore(store.database, store.vault)).ok).toBe(true);
          if (result.file) await restoreArchive(store.database, store.vault, result.file);
          expect(await snapshot(store)).toBe(before);
          expect((await verifyStore(store.database, store.vault)).ok).toBe(true);
        },
      ),
      { numRuns: 6 },
    );
  }, 240_000);
  it('restores after a key rotation: the rows come back under the new key and verify holds', async () => {
    const before = await snapshot(store);
    const path = join(dir, 'rotation.jsonl.gz');
    const result = await archiveClosedCases(store.database, store.vault, {
      year: 2024,
      path,
      now: NOW,
    });
    expect(result.file).toBe(path);
    const newKey = randomBytes(32);
    const ring = new Vault([newKey, key]);
    await checkKeyRing(store.database, ring, clock);
    expect((await rotateKeys(store.database, ring, clock, { settleMs: 0 })).complete).toBe(true);
    expect((await verifyStore(store.database, ring)).problems).toEqual([]);
    // The new key alone cannot open the archive: refused, naming the key it needs.
    const onlyNew = await restoreArchive(store.database, new Vault(newKey), path).catch((e) => e);
    expect((onlyNew as ArchiveRefused).bilingual.en).toContain(store.vault.primaryKid);
    const restored = await restoreArchive(store.database, ring, path);
    expect(restored.restored).toBeGreaterThan(0);
    expect((await verifyStore(store.database, ring)).problems).toEqual([]);
    expect(await snapshot(store)).not.toBe(before);
  }, 120_000);
});
