import type { Clock, Dialect } from '@lianxin/store';
import { contentHash, searchAudit } from '@lianxin/store';
import { TRPCError } from '@trpc/server';
import { afterEach, describe, expect, it } from 'vitest';
import { flow, PASSWORD, setupApi, signIn } from './helpers';

/** A 2027 notice in the State Council's form (the real one is not out yet). */
const NOTICE_2027 = `国务院办公厅关于2027年部分节假日安排的通知
国办发明电〔2026〕9号

各省、自治区、直辖市人民政府，国务院各部委、各直属机构：
经国务院批准，现将2027年元旦、春节、清明节、劳动节、端午节、中秋节和国庆节放假调休日期的具体安排通知如下。
一、元旦：1月1日（周五）至3日（周日）放假，共3天。
二、春节：2月5日（农历腊月三十、周五）至13日（农历正月初八、周六）放假调休，共9天。1月31日（周日）、2月20日（周六）上班。
三、清明节：4月3日（周六）至5日（周一）放假，共3天。
四、劳动节：5月1日（周六）至5日（周三）放假调休，共5天。4月25日（周日）、5月8日（周六）上班。
五、端午节：6月9日（周三）放假，共1天。
六、中秋节：9月15日（周三）放假，共1天。
七、国庆节：10月1日（周五）至7日（周四）放假调休，共7天。9月26日（周日）、10月9日（周六）上班。

国务院办公厅
2026年11月25日`;

/** The fixture flow with a 60-working-day handling clock and a 20-working-day review task. */
const workingDayFlow = {
  ...flow,
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
  nodes: (flow.nodes as { id: string }[]).map((n) =>
    n.id === 'review' ? { ...n, deadline: { duration: 'P20D', calendar: 'workingDays' } } : n,
  ),
};

const endOf = (date: string) => new Date(Date.parse(`${date}T23:59:59.999+08:00`)).toISOString();

class TestClock implements Clock {
  constructor(public ms = Date.parse('2026-11-23T02:00:00Z')) {}
  now() {
    return new Date(this.ms);
  }
}

describe.each(['sqlite', 'pg'] as Dialect[])('calendars through the API on %s', (dialect) => {
  let drop: (() => Promise<void>) | undefined;
  afterEach(async () => {
    await drop?.();
  });

  async function setup() {
    const clock = new TestClock();
    const api = await setupApi(dialect, clock);
    drop = () => api.test.drop();
    api.store.calendars.settleMs = 0;
    // Another province and its admin, who must not touch Guangdong's calendar.
    await api.store.upsertJurisdiction({
      code: '450000',
      name: { 'zh-CN': '广西壮族自治区' },
      level: 'province',
      parent: null,
    });
    api.services.tree.invalidate();
    await api.store.createUser({
      username: 'guangxi',
      displayName: 'guangxi',
      password: PASSWORD,
      memberships: [{ jurisdiction: '450000', role: 'admin' }],
    });
    const admin = await signIn(api.services, 'admin');
    const saved = await admin.flows.saveDraft({
      jurisdiction: '440781',
      key: workingDayFlow.key,
      definition: workingDayFlow,
    });
    await admin.flows.publish({ flowId: saved.flowId });
    const receptionist = await signIn(api.services, 'receptionist');
    const otherReceptionist = await signIn(api.services, 'otherReceptionist');
    const register = async (jurisdiction = '440781') =>
      (
        await (jurisdiction === '440781' ? receptionist : otherReceptionist).cases.register({
          flowId: saved.flowId,
          jurisdiction,
          channel: 'visit',
          data: { summary: '村道路灯损坏多日无人维修' },
        })
      ).caseId;
    return { ...api, clock, admin, receptionist, register };
  }

  async function fingerprint(store: Awaited<ReturnType<typeof setup>>['store']) {
    const t = store.database.t;
    return store.database.read(async (db) => {
      const tables = [
        await db.select().from(t.calendarYears),
        await db.select().from(t.calendarLocalDays),
        await db.select().from(t.calendarLocalGrants),
        await db.select().from(t.cases),
        await db.select().from(t.events),
        await db.select().from(t.tasks),
        await db.select().from(t.timers),
        await db.select().from(t.notifications),
      ];
      return tables.map((rows) => ({
        count: rows.length,
        hash: contentHash(rows.map((r) => contentHash(r)).sort()),
      }));
    });
  }

  const codeOf = (e: unknown) =>
    e instanceof TRPCError ? (e.cause as { code?: string } | undefined)?.code : String(e);

  it('a pasted 2027 notice, previewed and published by the province, makes a provisional deadline exact, in lists and on the dashboard', async () => {
    const { services, store, clock, receptionist, register } = await setup();
    const caseId = await register();
    const province = await signIn(services, 'province');

    // Before: 2027 is provisional, the deadline says so in the list and on the dashboard.
    let years = await receptionist.calendars.years({ jurisdiction: '440781' });
    expect(years.years.map((y) => [y.year, y.status])).toEqual([
      [2024, 'bundled'],
      [2025, 'bundled'],
      [2026, 'bundled'],
      [2027, 'provisional'],
    ]);
    expect(years.coverage).toEqual({ officialUntil: 2026, provisionalFrom: 2027 });
    let listed = await receptionist.cases.list({});
    expect(listed.rows.find((r) => r.id === caseId)?.flags).toEqual(['calendar.provisional']);
    const detail = await receptionist.cases.get({ caseId });
    expect(detail.state.clocks.handling?.due).toBe(endOf('2027-02-18'));
    expect(detail.state.flags.map((f) => f.code)).toContain('calendar.provisional');
    expect(await receptionist.calendars.coverage({ jurisdiction: '440781' })).toMatchObject({
      years: [
        { year: 2026, status: 'bundled' },
        { year: 2027, status: 'provisional' },
      ],
      provisionalCases: 1,
    });

    // The province pastes the notice, reads the draft, previews, confirms.
    const read = await province.calendars.parseNotice({ text: NOTICE_2027 });
    expect(read.problems).toEqual([]);
    expect(read.year.source).toEqual({ document: '国办发明电〔2026〕9号', date: '2026-11-25' });
    clock.ms = Date.parse('2026-11-26T02:00:00Z');
    const preview = await province.calendars.preview({ jurisdiction: '440000', year: read.year });
    expect(preview.problems).toEqual([]);
    expect(preview.openCases).toBe(1);
    expect(preview.changes).toEqual([
      {
        caseId,
        trackingCode: detail.case.trackingCode,
        kind: 'clock',
        id: 'handling',
        name: { 'zh-CN': '办理期限', en: 'Handling time limit' },
        from: endOf('2027-02-18'),
        to: endOf('2027-02-22'),
      },
    ]);
    const published = await province.calendars.publish({ jurisdiction: '440000', year: read.year });
    expect(published).toMatchObject({ revision: 1, recomputed: 1, moved: 1 });

    // After: exact, no flag, 2027 official and inherited from the province.
    const after = await receptionist.cases.get({ caseId });
    expect(after.state.clocks.handling?.due).toBe(endOf('2027-02-22'));
    expect(after.state.flags).toEqual([]);
    listed = await receptionist.cases.list({});
    expect(listed.rows.find((r) => r.id === caseId)?.flags).toEqual([]);
    years = await receptionist.calendars.years({ jurisdiction: '440781' });
    expect(years.years.at(-1)).toMatchObject({
      year: 2027,
      status: 'official',
      revision: 1,
      inheritedFrom: '440000',
      source: { document: '国办发明电〔2026〕9号', date: '2026-11-25' },
    });
    expect(years.coverage).toEqual({ officialUntil: 2027, provisionalFrom: 2028 });
    expect(
      (await receptionist.calendars.coverage({ jurisdiction: '440781' })).provisionalCases,
    ).toBe(0);
    // The publish is in the audit log, filed under the province.
    const { records } = await searchAudit(store.database, { limit: 50 });
    expect(records.find((r) => r.action === 'calendar.published')).toMatchObject({
      jurisdiction: '440000',
      actorName: 'province',
      detail: { year: 2027, revision: 1, recomputed: 1, moved: 1 },
    });
  });

  it('refuses a publish by a county admin, a receptionist, another province or with an invalid year, and nothing changes', async () => {
    const { services, store, register } = await setup();
    await register();
    const before = await fingerprint(store);
    const year = {
      year: 2027,
      holidays: { '2027-01-01': '元旦' },
      workdays: {},
    };
    const attempts: [string, () => Promise<unknown>, string][] = [
      [
        'receptionist',
        async () =>
          (await signIn(services, 'receptionist')).calendars.publish({
            jurisdiction: '440000',
            year,
          }),
        'permission.role',
      ],
      [
        'county admin at the province',
        async () =>
          (await signIn(services, 'admin')).calendars.publish({ jurisdiction: '440000', year }),
        'permission.jurisdiction',
      ],
      [
        'another province',
        async () =>
          (await signIn(services, 'guangxi' as never)).calendars.publish({
            jurisdiction: '440000',
            year,
          }),
        'permission.jurisdiction',
      ],
      [
        'county admin at the county',
        async () =>
          (await signIn(services, 'admin')).calendars.publish({ jurisdiction: '440781', year }),
        'store.calendar.invalid',
      ],
      [
        'an incomplete year',
        async () =>
          (await signIn(services, 'province')).calendars.publish({ jurisdiction: '440000', year }),
        'store.calendar.invalid',
      ],
    ];
    for (const [who, attempt, code] of attempts) {
      const error = await attempt().catch((e: unknown) => e);
      expect(codeOf(error), who).toBe(code);
    }
    // The invalid year's refusal names each problem, located by date, in both languages.
    const error = (await (
      await signIn(services, 'province')
    ).calendars
      .publish({ jurisdiction: '440000', year })
      .catch((e: unknown) => e)) as TRPCError;
    const problems = (error.cause as { details?: { problems?: { date?: string }[] } }).details
      ?.problems;
    expect(problems?.length).toBeGreaterThan(0);
    expect(error.message).toMatch(/not saved/);
    expect(await fingerprint(store)).toEqual(before);
  });

  it('nobody sends calendar.recompute through cases.act: it runs only when a calendar is published', async () => {
    const { services, store, register } = await setup();
    const caseId = await register();
    const before = await fingerprint(store);
    const admin = await signIn(services, 'admin');
    const error = await admin.cases
      .act({ caseId, command: { type: 'calendar.recompute' } })
      .catch((e: unknown) => e);
    expect(codeOf(error)).toBe('command.notAllowed');
    expect(await fingerprint(store)).toEqual(before);
  });

  it('local days off: allowed only from above, then a county gets a later due date and its neighbour not', async () => {
    const { services, register } = await setup();
    const taishan = await register('440781');
    const kaiping = await register('440783');
    const countyAdmin = await signIn(services, 'admin');
    const cityAdmin = await signIn(services, 'cityAdmin');
    // A county cannot allow itself.
    expect(
      codeOf(
        await countyAdmin.calendars
          .allowLocalDays({ jurisdiction: '440781', allowed: true })
          .catch((e: unknown) => e),
      ),
    ).toBe('permission.jurisdiction');
    // Not yet allowed: refused.
    expect(
      codeOf(
        await countyAdmin.calendars
          .setLocalDays({ jurisdiction: '440781', year: 2027, days: { '2027-01-15': '侨乡节' } })
          .catch((e: unknown) => e),
      ),
    ).toBe('store.calendar.localNotAllowed');
    await cityAdmin.calendars.allowLocalDays({
      jurisdiction: '440781',
      allowed: true,
      note: '侨乡传统节日',
    });
    const set = await countyAdmin.calendars.setLocalDays({
      jurisdiction: '440781',
      year: 2027,
      days: { '2027-01-15': '侨乡节' },
    });
    expect(set).toMatchObject({ revision: 1, recomputed: 1, moved: 1 });
    const reader = await signIn(services, 'city');
    expect((await reader.cases.get({ caseId: taishan })).state.clocks.handling?.due).toBe(
      endOf('2027-02-19'),
    );
    expect((await reader.cases.get({ caseId: kaiping })).state.clocks.handling?.due).toBe(
      endOf('2027-02-18'),
    );
    const years = await reader.calendars.years({ jurisdiction: '440781', from: 2027, to: 2027 });
    expect(years.localDaysAllowed).toBe(true);
    expect(years.years[0]?.localDays).toEqual([
      { jurisdiction: '440781', days: { '2027-01-15': '侨乡节' } },
    ]);
    // The neighbour's admin cannot set days there, nor in its own county without a grant.
    const otherAdmin = await signIn(services, 'otherAdmin');
    expect(
      codeOf(
        await otherAdmin.calendars
          .setLocalDays({ jurisdiction: '440783', year: 2027, days: { '2027-01-15': '节' } })
          .catch((e: unknown) => e),
      ),
    ).toBe('store.calendar.localNotAllowed');
  });

  it('the people responsible for a moved task deadline are told from→to', async () => {
    const { services, store, clock, register } = await setup();
    // Registered on 20 January 2027, before the notice came: the review task's 20 working days
    // end on 19 February on the provisional year, on 23 February once 9–13 February are off and
    // Sunday 31 January and Saturday 20 February are worked.
    clock.ms = Date.parse('2027-01-20T02:00:00Z');
    await register();
    const province = await signIn(services, 'province');
    const read = await province.calendars.parseNotice({ text: NOTICE_2027 });
    clock.ms = Date.parse('2027-01-21T02:00:00Z');
    const published = await province.calendars.publish({ jurisdiction: '440000', year: read.year });
    expect(published.moved).toBe(2);
    await store.deliverNotifications();
    const receptionist = await signIn(services, 'receptionist');
    const mine = await receptionist.notifications.mine({});
    const texts = mine.rows.map((n) => n.message['zh-CN']);
    expect(texts).toContain(
      '任务“受理审查”因工作日历调整，期限由 2027-02-19 23:59 改为 2027-02-23 23:59',
    );
    expect(texts.some((t) => t.startsWith('法定时限“办理期限”因工作日历调整'))).toBe(true);
  });
});
