import { type CalendarYear, provisionalYear, replay, WorkCalendar } from '@lianxin/engine';
import { checkedFlow } from '@lianxin/spec';
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { caseColumns, contentHash, type Store, StoreError } from '../src';
import flowJson from './fixtures/flow.json' with { type: 'json' };
import { DIALECTS, type FakeClock, receptionist, setupStore } from './helpers';

/**
 * A flow whose deadlines count working days: the 60-working-day handling
 * clock from the case's start (办理期限), the review task's own 20 working
 * days, and a 10-working-day wait after the reply.
 */
const calendarFlow = checkedFlow({
  ...flowJson,
  key: 'calendar-petition',
  clocks: [
    {
      id: 'handling',
      name: { 'zh-CN': '办理期限', en: 'Handling time limit' },
      start: { on: 'caseStart' },
      stop: { on: 'leave', node: 'handle' },
      deadline: { duration: 'P60D', calendar: 'workingDays' },
    },
  ],
  nodes: flowJson.nodes.map((n) =>
    n.id === 'review'
      ? { ...n, deadline: { duration: 'P20D', calendar: 'workingDays' } }
      : n.id === 'handle'
        ? { ...n, deadline: { duration: 'P60D', calendar: 'workingDays' } }
        : n.id === 'cooling'
          ? { ...n, wait: { duration: 'P10D', calendar: 'workingDays' } }
          : n,
  ),
});

/** The end (23:59:59.999 +08:00) of a local day, as the engine writes a due instant. */
const endOf = (date: string) => new Date(Date.parse(`${date}T23:59:59.999+08:00`)).toISOString();

/**
 * 2027 as a State Council notice might arrange it (the real one is not out):
 * the statutory days of the 放假办法 with 元旦 over the weekend, 春节 from
 * 除夕 (5 February) to 13 February with make-up days on Sunday 31 January
 * and Saturday 20 February, and the other holidays as the provisional year.
 */
function official2027(): CalendarYear {
  const base = provisionalYear(2027);
  const holidays: Record<string, string> = { ...base.holidays };
  for (const d of ['2027-01-02', '2027-01-03']) holidays[d] = '元旦';
  for (const d of ['09', '10', '11', '12', '13']) holidays[`2027-02-${d}`] = '春节';
  return {
    year: 2027,
    holidays,
    workdays: { '2027-01-31': '春节', '2027-02-20': '春节' },
    status: 'official',
    source: { document: '国办发明电〔2026〕9号', date: '2026-11-25' },
  };
}

const ADMIN = { id: 'u-admin', roles: ['admin'], jurisdiction: '440781' };
const HANDLER = { id: 'u-hand', roles: ['handler'], jurisdiction: '440781', department: 'civil' };

describe.each(DIALECTS)('calendars in the database on %s', (dialect) => {
  let store: Store;
  let clock: FakeClock;
  let flowId: string;
  let drop: () => Promise<void>;

  // A fresh database per test: what one publishes must not decide another's dates.
  beforeEach(async () => {
    const s = await setupStore(dialect);
    store = s.store;
    clock = s.clock;
    drop = () => s.test.drop();
    // One server in the test: it drops its own cache on publish, no need to wait for others.
    store.calendars.settleMs = 0;
    const saved = await store.saveDraft({
      jurisdiction: '440781',
      key: calendarFlow.key,
      name: calendarFlow.name,
      draft: calendarFlow as unknown as Record<string, unknown>,
      by: null,
    });
    await store.publish(saved.id, null);
    flowId = saved.id;
  });
  afterEach(async () => {
    await drop();
  });

  async function start(jurisdiction = '440781', at = '2026-11-23T02:00:00Z') {
    clock.ms = Date.parse(at);
    const started = await store.startCase({
      flowId,
      version: 1,
      command: {
        type: 'case.start',
        channel: 'visit',
        data: { summary: '村道路灯损坏多日无人维修' },
        jurisdiction,
        actor: { ...receptionist, jurisdiction },
      },
    });
    return started.caseId;
  }

  /** Takes a case through review and reply to the 10-working-day wait (回访等待). */
  async function toWait(caseId: string, replyAt: string) {
    const review = (await store.caseRow(caseId))?.state.tasks[0];
    await store.act(caseId, {
      type: 'task.complete',
      taskId: review?.id ?? '',
      action: 'submit',
      data: { accepted: true, department: 'civil' },
      actor: receptionist,
    });
    clock.ms = Date.parse(replyAt);
    const handle = (await store.caseRow(caseId))?.state.tasks[0];
    await store.act(caseId, {
      type: 'task.complete',
      taskId: handle?.id ?? '',
      action: 'reply',
      data: { reply: '已协调供电所修复' },
      actor: HANDLER,
    });
  }

  async function expectRowEqualsReplay(caseId: string) {
    const row = await store.caseRow(caseId);
    const events = await store.events(caseId);
    const replayed = replay(calendarFlow, events);
    expect(row?.state).toEqual(replayed);
    const { state: _s, ...columns } = caseColumns(replayed);
    expect(row).toMatchObject(JSON.parse(JSON.stringify(columns)));
    const pending = (await store.timersOfCase(caseId)).filter((t) => t.status === 'pending');
    expect(pending.map((t) => `${t.id}@${t.due}`).sort()).toEqual(
      replayed.timers.map((t) => `${t.id}@${t.due}`).sort(),
    );
    const open = (await store.tasksOfCase(caseId)).filter((t) => t.status === 'open');
    expect(open.map((t) => `${t.id}@${t.due}`).sort()).toEqual(
      replayed.tasks.map((t) => `${t.id}@${t.due ?? null}`).sort(),
    );
    return row;
  }

  /** The due-date moves recorded in a case's events, as the preview names them. */
  async function movesOf(caseId: string) {
    const events = await store.events(caseId);
    const out: { caseId: string; kind: string; id: string; from: string; to: string }[] = [];
    let state = replay(calendarFlow, []);
    for (const e of events) {
      if (e.type === 'clock.dueChanged')
        out.push({ caseId, kind: 'clock', id: e.clockId, from: e.from, to: e.due });
      if (e.type === 'task.dueChanged' && e.reason === 'calendar') {
        const from = state.tasks.find((t) => t.id === e.taskId)?.due ?? '';
        out.push({ caseId, kind: 'task', id: e.taskId, from, to: e.due });
      }
      // A wait (a timer node's timer) moved: cancelled and set again for the same token.
      const old = e.type === 'timer.cancelled' && state.timers.find((t) => t.id === e.timerId);
      if (old && old.purpose.kind === 'node') {
        const token = old.purpose.tokenId;
        const next = events.find(
          (x) =>
            x.type === 'timer.set' &&
            x.reason === 'calendar' &&
            x.timer.purpose.kind === 'node' &&
            x.timer.purpose.tokenId === token,
        );
        if (next?.type === 'timer.set')
          out.push({ caseId, kind: 'timer', id: old.id, from: old.due, to: next.timer.due });
      }
      state = replay(calendarFlow, events.slice(0, events.indexOf(e) + 1));
    }
    return out;
  }

  /** Every table a refused change must leave as it was: row count and a hash of the rows. */
  async function fingerprint() {
    const t = store.database.t;
    return store.database.read(async (db) => {
      const tables = {
        calendarYears: await db.select().from(t.calendarYears),
        calendarLocalDays: await db.select().from(t.calendarLocalDays),
        calendarLocalGrants: await db.select().from(t.calendarLocalGrants),
        cases: await db.select().from(t.cases),
        events: await db.select().from(t.events),
        tasks: await db.select().from(t.tasks),
        timers: await db.select().from(t.timers),
        notifications: await db.select().from(t.notifications),
      };
      return Object.fromEntries(
        Object.entries(tables).map(([k, rows]) => [
          k,
          { count: rows.length, hash: contentHash(rows.map((r) => contentHash(r)).sort()) },
        ]),
      );
    });
  }

  it('a 60-working-day deadline started 2026-11-23 is provisional before 2027 is published and exact after, recomputed as events', async () => {
    const caseId = await start();
    let row = await expectRowEqualsReplay(caseId);
    // Provisional 2027: 元旦 1 January, 春节 5–8 February (除夕 to 初三), no make-up days.
    expect(row?.state.clocks.handling?.due).toBe(endOf('2027-02-18'));
    const flag = row?.state.flags.find((f) => f.subject.kind === 'clock');
    expect(flag).toMatchObject({ code: 'calendar.provisional', years: [2027] });
    expect(row?.provisional).toBe(true);
    const listed = await store.listCases({ trackingCode: row?.trackingCode });
    expect(listed.rows[0]?.flags).toEqual(['calendar.provisional']);
    expect((await store.calendars.coverage('440781', ['440781'])).provisionalCases).toBe(1);

    clock.ms = Date.parse('2026-11-26T02:00:00Z');
    const published = await store.calendars.publish('440000', official2027(), { by: 'u-prov' });
    expect(published).toMatchObject({ revision: 1, recomputed: 1, skipped: 0 });
    // The clock and the review task's own 20 working days: both counted into January? The task
    // ends 2026-12-21, before 2027, so only the clock moves.
    expect(published.moved).toBe(1);

    row = await expectRowEqualsReplay(caseId);
    // Official 2027: 1–3 January and 5–13 February off, Sunday 31 January and Saturday
    // 20 February worked: the 60th working day is Monday 22 February.
    expect(row?.state.clocks.handling?.due).toBe(endOf('2027-02-22'));
    expect(row?.state.flags).toEqual([]);
    expect(row?.provisional).toBe(false);
    expect(await movesOf(caseId)).toEqual([
      { caseId, kind: 'clock', id: 'handling', from: endOf('2027-02-18'), to: endOf('2027-02-22') },
    ]);
    const events = await store.events(caseId);
    expect(events.some((e) => e.type === 'calendar.flagCleared')).toBe(true);
    expect(events.find((e) => e.type === 'clock.dueChanged' && e.calendarVersion)?.type).toBe(
      'clock.dueChanged',
    );
    const after = await store.listCases({ trackingCode: row?.trackingCode });
    expect(after.rows[0]?.flags).toEqual([]);
    const coverage = await store.calendars.coverage('440781', ['440781']);
    expect(coverage.provisionalCases).toBe(0);
    expect(coverage.years).toEqual([
      { year: 2026, status: 'bundled' },
      {
        year: 2027,
        status: 'official',
        revision: 1,
        inheritedFrom: '440000',
        source: { document: '国办发明电〔2026〕9号', date: '2026-11-25' },
      },
    ]);
    // The revision row: its source, who entered it, and the finished recomputation.
    const [revision] = await store.calendars.revisions('440781', 2027);
    expect(revision).toMatchObject({
      jurisdiction: '440000',
      revision: 1,
      status: 'official',
      sourceDocument: '国办发明电〔2026〕9号',
      enteredBy: 'u-prov',
      recomputeTotal: 1,
      recomputeDone: 1,
      recomputeMoved: 1,
    });
    expect(revision?.recomputedAt).not.toBeNull();
    // A new case started now counts on the published year straight away, unflagged.
    const later = await start('440781', '2026-11-23T02:00:00Z');
    const laterRow = await expectRowEqualsReplay(later);
    expect(laterRow?.state.clocks.handling?.due).toBe(endOf('2027-02-22'));
    expect(laterRow?.provisional).toBe(false);
  });

  it('preview lists exactly the due dates publishing then moves, and the people responsible are told', async () => {
    const a = await start('440781', '2026-11-23T02:00:00Z');
    const b = await start('440781', '2026-12-10T02:00:00Z');
    const c = await start('440783', '2026-11-30T02:00:00Z');
    // One past review, now on the handling task's own 60 working days (from 2 December).
    const d = await start('440781', '2026-11-20T02:00:00Z');
    const review = (await store.caseRow(d))?.state.tasks[0];
    clock.ms = Date.parse('2026-12-02T02:00:00Z');
    await store.act(d, {
      type: 'task.complete',
      taskId: review?.id ?? '',
      action: 'submit',
      data: { accepted: true, department: 'civil' },
      actor: receptionist,
    });
    // One that is closed is not looked at.
    const closed = await start('440781', '2026-11-24T02:00:00Z');
    await store.act(closed, { type: 'case.cancel', reason: '重复登记', actor: ADMIN });

    clock.ms = Date.parse('2026-12-15T02:00:00Z');
    const preview = await store.calendars.preview({
      kind: 'year',
      jurisdiction: '440000',
      year: official2027(),
    });
    expect(preview.openCases).toBe(4);
    const before = await fingerprint();
    // A preview writes nothing.
    expect(await fingerprint()).toEqual(before);

    const published = await store.calendars.publish('440000', official2027(), { by: 'u-prov' });
    const moved = [
      ...(await movesOf(a)),
      ...(await movesOf(b)),
      ...(await movesOf(c)),
      ...(await movesOf(d)),
    ];
    const key = (m: { caseId: string; kind: string; id: string; from: string; to: string }) =>
      `${m.caseId}|${m.kind}|${m.id}|${m.from}|${m.to}`;
    expect(preview.changes.map(key).sort()).toEqual(moved.map(key).sort());
    expect(moved.length).toBeGreaterThanOrEqual(4);
    expect(preview.moves).toBe(published.moved);
    expect(published.recomputed).toBe(preview.openCases);
    expect(await movesOf(closed)).toEqual([]);
    // The handling task's own deadline moved, and its holder (who may claim it) was told from→to.
    const taskMove = moved.find((m) => m.caseId === d && m.kind === 'task');
    expect(taskMove).toBeDefined();
    const t = store.database.t;
    const notices = await store.database.read((db) => db.select().from(t.notifications));
    // (The task's dispatch was announced to it too; the move is told once, apart from that.)
    const told = notices.filter(
      (n) => n.caseId === d && n.taskId === taskMove?.id && n.message['zh-CN'].includes('期限由'),
    );
    expect(told.length).toBe(1);
    for (const id of [a, b, c, d]) await expectRowEqualsReplay(id);
  });

  it('a wait at a timer node moves, and its timer row with it (the scheduler fires it on the new day)', async () => {
    const caseId = await start('440781', '2026-11-23T02:00:00Z');
    // Replied on Monday 25 January 2027: ten working days.
    await toWait(caseId, '2027-01-25T02:00:00Z');
    let row = await expectRowEqualsReplay(caseId);
    // Provisional: 26–29 January, 1–4 February, then 9 and 10 February (5–8 off).
    expect(row?.state.timers[0]?.due).toBe(endOf('2027-02-10'));
    clock.ms = Date.parse('2027-01-26T02:00:00Z');
    const published = await store.calendars.publish('440000', official2027(), { by: 'u-prov' });
    expect(published.moved).toBe(1);
    row = await expectRowEqualsReplay(caseId);
    // Official: 26–29 January, Sunday 31 January, 1–4 February, then Monday 15 February.
    expect(row?.state.timers[0]?.due).toBe(endOf('2027-02-15'));
    // Nothing is claimed at the old time; at the new one the wait fires and the case closes.
    clock.ms = Date.parse(endOf('2027-02-10')) + 1000;
    expect(await store.claimDueTimers('test', 10)).toEqual([]);
    clock.ms = Date.parse(endOf('2027-02-15')) + 1000;
    const claimed = await store.claimDueTimers('test', 10);
    expect(claimed.map((x) => x.id)).toEqual([row?.state.timers[0]?.id]);
    expect(await store.fireTimer(claimed[0] as (typeof claimed)[number])).toBe('fired');
    expect((await expectRowEqualsReplay(caseId))?.status).toBe('closed');
  });

  it('local days off: a county allowed them gets a later due date, its neighbour not, over a provisional and then a published year', async () => {
    const taishan = await start('440781');
    const kaiping = await start('440783');
    // Not allowed yet: refused, nothing written.
    const before = await fingerprint();
    await expect(
      store.calendars.setLocalDays('440781', 2027, { '2027-01-15': '侨乡节' }, { by: 'u-admin' }),
    ).rejects.toMatchObject({ code: 'calendar.localNotAllowed' });
    expect(await fingerprint()).toEqual(before);

    await store.calendars.allowLocalDays('440781', true, 'u-prov', '侨乡传统节日');
    const set = await store.calendars.setLocalDays(
      '440781',
      2027,
      { '2027-01-15': '侨乡节' },
      { by: 'u-admin' },
    );
    expect(set).toMatchObject({ revision: 1, recomputed: 1, moved: 1 });
    expect((await expectRowEqualsReplay(taishan))?.state.clocks.handling?.due).toBe(
      endOf('2027-02-19'),
    );
    expect((await expectRowEqualsReplay(kaiping))?.state.clocks.handling?.due).toBe(
      endOf('2027-02-18'),
    );
    const [y2027] = await store.calendars.years('440781', 2027, 2027);
    expect(y2027?.localDays).toEqual([
      { jurisdiction: '440781', days: { '2027-01-15': '侨乡节' } },
    ]);
    expect(y2027?.holidays['2027-01-15']).toBe('侨乡节');

    // The province publishes 2027: both move, Taishan keeps its local day on top.
    await store.calendars.publish('440000', official2027(), { by: 'u-prov' });
    expect((await expectRowEqualsReplay(taishan))?.state.clocks.handling?.due).toBe(
      endOf('2027-02-23'),
    );
    expect((await expectRowEqualsReplay(kaiping))?.state.clocks.handling?.due).toBe(
      endOf('2027-02-22'),
    );
    // Withdrawing the permission takes the local day out again.
    await store.calendars.allowLocalDays('440781', false, 'u-prov');
    expect((await expectRowEqualsReplay(taishan))?.state.clocks.handling?.due).toBe(
      endOf('2027-02-22'),
    );
  });

  it('a correction of a published year is a new revision with a reason, moves deadlines again and keeps both', async () => {
    const caseId = await start();
    clock.ms = Date.parse('2026-11-26T02:00:00Z');
    await store.calendars.publish('440000', official2027(), { by: 'u-prov' });
    // The make-up day on 31 January was a typo in the first entry.
    const corrected = official2027();
    corrected.workdays = { '2027-02-20': '春节' };
    const before = await fingerprint();
    await expect(
      store.calendars.publish('440000', corrected, { by: 'u-prov' }),
    ).rejects.toMatchObject({ code: 'calendar.invalid' });
    expect(await fingerprint()).toEqual(before);

    clock.ms = Date.parse('2026-11-27T02:00:00Z');
    const second = await store.calendars.publish('440000', corrected, {
      by: 'u-prov',
      reason: '1月31日调休录入错误，按通知更正',
    });
    expect(second).toMatchObject({ revision: 2, recomputed: 1, moved: 1 });
    const row = await expectRowEqualsReplay(caseId);
    expect(row?.state.clocks.handling?.due).toBe(endOf('2027-02-23'));
    expect(await movesOf(caseId)).toEqual([
      { caseId, kind: 'clock', id: 'handling', from: endOf('2027-02-18'), to: endOf('2027-02-22') },
      { caseId, kind: 'clock', id: 'handling', from: endOf('2027-02-22'), to: endOf('2027-02-23') },
    ]);
    const revisions = await store.calendars.revisions('440781', 2027);
    expect(revisions.map((r) => [r.revision, r.reason, Object.keys(r.workdays)])).toEqual([
      [2, '1月31日调休录入错误，按通知更正', ['2027-02-20']],
      [1, null, ['2027-01-31', '2027-02-20']],
    ]);
    const [view] = await store.calendars.years('440781', 2027, 2027);
    expect(view).toMatchObject({ status: 'official', revision: 2, inheritedFrom: '440000' });
  });

  it('a refused publish changes nothing: a county, a year out of range, or a make-up day on a weekday', async () => {
    const caseId = await start();
    const before = await fingerprint();
    const refused = async (jurisdiction: string, year: CalendarYear) => {
      const error = await store.calendars
        .publish(jurisdiction, year, { by: 'u-x' })
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(StoreError);
      expect((error as StoreError).code).toBe('calendar.invalid');
      expect((error as StoreError).bilingual['zh-CN']).toMatch(/未保存/);
      return (error as StoreError).details as { code: string }[];
    };
    expect((await refused('440781', official2027())).map((p) => p.code)).toContain(
      'calendar.notPublisher',
    );
    expect((await refused('440000', { ...official2027(), year: 2040 })).map((p) => p.code)).toEqual(
      ['calendar.yearOutOfRange'],
    );
    // Any weekday in 2027 entered as a make-up working day is refused, and nothing changes.
    const weekdays = Array.from({ length: 365 }, (_, i) =>
      new Date(Date.UTC(2027, 0, 1 + i)).toISOString().slice(0, 10),
    ).filter((d) => {
      const w = new Date(`${d}T00:00:00Z`).getUTCDay();
      return w !== 0 && w !== 6 && !(d in official2027().holidays);
    });
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...weekdays), async (date) => {
        const year = official2027();
        year.workdays[date] = '春节';
        await refused('440000', year);
        expect(await fingerprint()).toEqual(before);
      }),
      { numRuns: 8 },
    );
    expect(await fingerprint()).toEqual(before);
    expect((await store.caseRow(caseId))?.state.clocks.handling?.due).toBe(endOf('2027-02-18'));
  });

  it('a recomputation a server stopped in the middle blocks another publish until the scheduler finishes it', async () => {
    const caseId = await start();
    clock.ms = Date.parse('2026-11-26T02:00:00Z');
    // A server stored revision 1 and stopped before recomputing any case.
    const year = official2027();
    await store.database.tx(async (tx) => {
      await tx.insert(store.database.t.calendarYears).values({
        jurisdiction: '440000',
        year: 2027,
        revision: 1,
        status: 'official',
        holidays: year.holidays,
        workdays: year.workdays,
        sourceDocument: year.source?.document ?? null,
        sourceDate: year.source?.date ?? null,
        enteredBy: 'u-prov',
        enteredAt: clock.now().toISOString(),
        recomputeTotal: 1,
      });
    });
    store.calendars.cache.invalidate();
    const corrected = { ...year, workdays: { '2027-02-20': '春节' } };
    const refused = await store.calendars
      .publish('440000', corrected, { by: 'u-prov', reason: '更正' })
      .catch((e: unknown) => e);
    expect(((refused as StoreError).details as { code: string }[]).map((p) => p.code)).toEqual([
      'calendar.pending',
    ]);
    // The first look only notes the progress; unchanged two minutes later, it is finished.
    expect(await store.calendars.resumeUnfinished()).toBe(0);
    clock.ms += 60_000;
    expect(await store.calendars.resumeUnfinished()).toBe(0);
    clock.ms += 90_000;
    expect(await store.calendars.resumeUnfinished()).toBe(1);
    expect((await expectRowEqualsReplay(caseId))?.state.clocks.handling?.due).toBe(
      endOf('2027-02-22'),
    );
    const [revision] = await store.calendars.revisions('440781', 2027);
    expect(revision).toMatchObject({ recomputeDone: 1, recomputeMoved: 1 });
    expect(revision?.recomputedAt).not.toBeNull();
    expect(await store.calendars.resumeUnfinished()).toBe(0);
    // Now the correction goes through.
    const second = await store.calendars.publish('440000', corrected, {
      by: 'u-prov',
      reason: '更正',
    });
    expect(second.revision).toBe(2);
  });

  it('the effective calendar of a case with nothing published is the bundled one (the simulator default)', async () => {
    expect(await store.calendars.calendarOf('440781')).toBe(WorkCalendar.bundled());
  });
});
