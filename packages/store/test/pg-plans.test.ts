import { sql } from 'drizzle-orm';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  awaitingApproval,
  type CaseKey,
  computeStats,
  computeStatsByPart,
  computeTrend,
  type InboxKey,
  notificationsFor,
  type Store,
  searchAudit,
  supervisionStats,
} from '../src';
import { DAY, receptionist, setupStore, startCommand } from './helpers';
import { capture } from './pg-capture';

/**
 * Every list and dashboard query, planned by PostgreSQL with sequential scans
 * and whole-table joins priced out: a table still read whole in the plan has
 * no index to serve that query, and at a province's size (millions of cases,
 * tens of millions of events) it would be read whole on every request.
 * The queries are the ones the store really sends, captured off the wire.
 */

/** Tables that grow with cases, people or time; the others hold a county's configuration. */
const LARGE = new Set([
  'cases',
  'events',
  'tasks',
  'petitioners',
  'evaluations',
  'supervisions',
  'documents',
  'attachments',
  'timers',
  'notifications',
  'user_notifications',
  'template_notices',
  'audit_log',
  'sessions',
  'login_attempts',
  'kpi_counters',
  'kpi_repeated_later',
]);

interface PlanNode {
  'Node Type': string;
  'Relation Name'?: string;
  'Index Name'?: string;
  'Index Cond'?: string;
  Plans?: PlanNode[];
}

/**
 * Where a plan reads a large table whole: a sequential scan, or (sequential
 * scans being priced out, the planner's next resort) an index walked end to
 * end with no condition on it. An unconditioned walk under a Limit is a
 * top-N read in index order (newest first), which stops after N rows.
 */
function wholeReads(node: PlanNode, underLimit = false, out: string[] = []): string[] {
  const table = node['Relation Name'];
  if (table && LARGE.has(table)) {
    const type = node['Node Type'];
    if (type === 'Seq Scan') out.push(`${table} (顺序扫描)`);
    else if (/Index/.test(type) && !node['Index Cond'] && !underLimit)
      out.push(`${table} (整个索引 ${node['Index Name']})`);
  }
  const limit = underLimit || node['Node Type'] === 'Limit';
  for (const child of node.Plans ?? []) wholeReads(child, limit, out);
  return out;
}

/** Columns naming a row of a grown table (suffixed in each copy); the rest are copied as they are. */
const COPY_KEYS = new Set([
  'id',
  'case_id',
  'petitioner_id',
  'parent_case_id',
  'task_id',
  'tracking_code',
]);

/** Tables copied over and over, in an order their foreign keys allow. */
const GROWN = ['petitioners', 'cases', 'tasks', 'events', 'timers'];

/**
 * Gives the planner a county's worth of rows: every row of the grown tables
 * copied `times` times, each copy's ids (and the tracking code) suffixed with
 * the copy's number so the copies reference each other as the originals do.
 * A plan for six cases reads small tables whole however well they are indexed.
 */
async function grow(client: pg.Client, times: number) {
  for (const table of GROWN) {
    const { rows } = await client.query<{ column_name: string; data_type: string }>(
      `select column_name, data_type from information_schema.columns
       where table_schema = 'public' and table_name = $1 and is_generated = 'NEVER'
       order by ordinal_position`,
      [table],
    );
    const columns = rows.map((r) => `"${r.column_name}"`).join(', ');
    const values = rows
      .map((r) =>
        r.data_type === 'text' && COPY_KEYS.has(r.column_name)
          ? `"${r.column_name}" || '-' || g`
          : `"${r.column_name}"`,
      )
      .join(', ');
    await client.query(
      `insert into ${table} (${columns}) select ${values} from ${table}, generate_series(1, ${times}) g`,
    );
  }
  // Half the copies closed a day later, most of those rated: the dashboards' closing figures.
  await client.query(
    `update cases set status = 'closed', outcome = 'resolved', closed_at_ms = created_at_ms + 86400000
     where abs(hashtext(id)) % 2 = 0`,
  );
  await client.query(
    `insert into evaluations (case_id, score, via, created_at)
     select id, 4, 'sms', created_at from cases where status = 'closed' and abs(hashtext(id)) % 3 > 0`,
  );
}

describe('on PostgreSQL, lists and dashboards read through indexes', () => {
  let store: Store;
  let url: string;
  let drop: () => Promise<void>;
  let client: pg.Client;

  beforeAll(async () => {
    const s = await setupStore('pg');
    store = s.store;
    url = s.test.url;
    drop = () => s.test.drop();
    for (let i = 0; i < 6; i++) {
      await store.startCase({
        flowId: s.flowId,
        version: 1,
        command: { ...startCommand(`第 ${i} 件：村道路灯损坏`), urgency: i % 2 ? 'red' : 'blue' },
        petitioner: { jurisdiction: '440781', name: `张${i}`, phone: `1380013800${i}` },
      });
      s.clock.advance(DAY);
    }
    client = new pg.Client({ connectionString: url });
    await client.connect();
    await grow(client, 3000);
    await client.query('ANALYZE');
    // Whole-table strategies priced out, so each table is read the way an index allows:
    // what is left reading a table whole has no index to serve it.
    for (const strategy of ['seqscan', 'mergejoin', 'hashjoin'])
      await client.query(`SET enable_${strategy} = off`);
    // Where a deep page starts (the 5,000th row or so): the keys a reader holds after paging on.
    const [c] = (
      await client.query<{ ms: string; id: string }>(
        `select created_at_ms as ms, id from cases where jurisdiction = '440781'
         order by created_at_ms desc, id desc offset 5000 limit 1`,
      )
    ).rows;
    deepCase = { createdAtMs: Number(c?.ms), id: c?.id ?? '' };
    const [t] = (
      await client.query<{ ms: string; opened: string; id: string }>(
        `select due_ms as ms, opened_at as opened, id from tasks
         where status = 'open' and due_ms is not null
         order by due_ms, opened_at, id offset 5000 limit 1`,
      )
    ).rows;
    deepTask = { dueMs: Number(t?.ms), openedAt: t?.opened ?? '', id: t?.id ?? '' };
  });
  afterAll(async () => {
    await client?.end();
    await drop?.();
  });

  let deepCase: CaseKey;
  let deepTask: InboxKey;
  const county = ['440781'];
  const city = ['440700', '440781', '440783'];
  const period = { from: '2025-01-01T00:00:00Z', to: '2026-01-01T00:00:00Z' };
  const nowMs = Date.parse('2025-03-20T00:00:00Z');
  const desk = {
    userId: 'u-desk',
    memberships: [{ jurisdiction: '440781', role: 'receptionist', department: null }],
  };
  const handlers = {
    userId: 'u-hand',
    memberships: [{ jurisdiction: '440781', role: 'handler', department: 'civil' }],
  };

  const lists: [string, () => Promise<unknown>][] = [
    ['案件列表', () => store.listCases({ jurisdictions: county, limit: 50 })],
    [
      '案件列表（深页，按键续读）',
      () => store.listCases({ jurisdictions: county, limit: 50, after: deepCase }),
    ],
    [
      '超期列表（深页）',
      () =>
        store.listCases({ jurisdictions: city, overdue: true, order: 'oldest', after: deepCase }),
    ],
    [
      '一周一核（深页）',
      () =>
        store.listCases({
          jurisdictions: county,
          changedSinceOrOverdue: '2025-03-01T00:00:00Z',
          after: deepCase,
        }),
    ],
    [
      '按状态和颜色',
      () => store.listCases({ jurisdictions: city, status: ['active'], urgency: ['red'] }),
    ],
    ['超期列表', () => store.listCases({ jurisdictions: city, overdue: true, order: 'oldest' })],
    [
      '一周一核',
      () =>
        store.listCases({ jurisdictions: county, changedSinceOrOverdue: '2025-03-01T00:00:00Z' }),
    ],
    [
      '按流程和渠道',
      () => store.listCases({ jurisdictions: county, flowKey: 'x', channel: ['visit'] }),
    ],
    [
      '按受理日期',
      () =>
        store.listCases({ jurisdictions: county, createdFrom: period.from, createdTo: period.to }),
    ],
    ['查询码', () => store.listCases({ trackingCode: 'ABCD1234' })],
    ['待办（全部）', () => store.inbox(desk, { limit: 20 })],
    ['待办（我的）', () => store.inbox(desk, { which: 'mine', limit: 20 })],
    [
      '待办（可认领，超期）',
      () => store.inbox(handlers, { which: 'claimable', dueState: ['overdue'] }),
    ],
    ['待办（最新）', () => store.inbox(desk, { sort: 'newest', urgency: ['red'] })],
    ['待办（深页）', () => store.inbox(desk, { limit: 20, after: deepTask })],
    [
      '待办（深页，无时限部分）',
      () => store.inbox(desk, { limit: 20, after: { ...deepTask, dueMs: null } }),
    ],
    ['待办（最新，深页）', () => store.inbox(desk, { sort: 'newest', limit: 20, after: deepTask })],
    [
      '待我审批（深页）',
      () =>
        awaitingApproval(store.database, {
          jurisdictions: city,
          leaderOwner: 'nobody',
          limit: 20,
          after: { updatedAt: '2025-03-01T00:00:00.000Z', id: deepCase.id },
        }),
    ],
    [
      '查找：诉求文字',
      () => store.searchCases({ jurisdictions: county, text: '路灯', limit: 20, countCap: 1000 }),
    ],
    [
      '查找：信访人电话',
      () =>
        store.searchCases({
          jurisdictions: county,
          petitioner: { phone: '13800138001' },
          limit: 20,
          countCap: 1000,
        }),
    ],
    [
      '查找：日期和部门',
      () =>
        store.searchCases({
          jurisdictions: city,
          createdFrom: period.from,
          createdTo: period.to,
          department: 'civil',
          limit: 20,
          countCap: 1000,
        }),
    ],
    ['县级看板', () => computeStats(store.database, { jurisdictions: county, ...period })],
    [
      '市级看板（按区县）',
      () =>
        computeStatsByPart(
          store.database,
          city.map((c) => ({ key: c, jurisdictions: [c] })),
          period,
        ),
    ],
    [
      '近 8 周趋势',
      () =>
        computeTrend(store.database, {
          jurisdictions: city,
          from: period.from,
          bucketMs: 7 * DAY,
          buckets: 8,
        }),
    ],
    [
      '近 30 天趋势（按日，读计数）',
      () =>
        computeTrend(store.database, {
          jurisdictions: city,
          from: '2025-02-28T16:00:00.000Z',
          bucketMs: DAY,
          buckets: 30,
        }),
    ],
    [
      '督办统计',
      () =>
        supervisionStats(store.database, {
          jurisdictions: city,
          fromMs: Date.parse(period.from),
          toMs: Date.parse(period.to),
          nowMs,
        }),
    ],
    ['通知', () => notificationsFor(store.database, receptionist.id, { limit: 20 })],
    [
      '通知（深页）',
      () =>
        notificationsFor(store.database, receptionist.id, {
          limit: 20,
          after: { createdAt: '2025-03-01T00:00:00.000Z', id: 'n' },
        }),
    ],
    ['审计日志', () => searchAudit(store.database, { jurisdictions: county, limit: 50 })],
  ];

  /** The scans each captured query's plan makes of large tables. */
  async function scansOf(run: () => Promise<unknown>) {
    const queries = await capture(run);
    expect(queries.length).toBeGreaterThan(0);
    const scans: string[] = [];
    for (const q of queries) {
      const { rows } = await client.query(`EXPLAIN (FORMAT JSON) ${q.text}`, q.values);
      const plan = (rows[0] as { 'QUERY PLAN': { Plan: PlanNode }[] })['QUERY PLAN'][0]?.Plan;
      if (plan) for (const read of wholeReads(plan)) scans.push(`${read}: ${q.text}`);
    }
    return scans;
  }

  it('sees a scan where no index serves the query (the check itself)', async () => {
    const c = store.database.t.cases;
    const scans = await scansOf(() =>
      store.database.read((db) => db.select().from(c).where(sql`${c.createdAtMs} % 7 = 3`)),
    );
    expect(scans).toHaveLength(1);
    expect(scans[0]).toMatch(/^cases /);
  });

  it.each(lists)('%s', async (_name, run) => {
    expect(await scansOf(run)).toEqual([]);
  });
});
