import { sql } from 'drizzle-orm';
import type { Database, Db, Dialect, Tables } from './db';

/**
 * The KPI counters (`kpi_counters`, docs/stats.md): each case adds to two rows
 * at most, the row of its creation day (`received`) and, once closed, the row
 * of its closing day (`closed` … `satisfied`), both keyed by its jurisdiction,
 * flow, channel, category, urgency and current status. What a case adds is a
 * pure function of its row, its petitioner's own rating and whether a later
 * repeat petition came from the same petitioner (`contribution`); every writer
 * of those adds the difference between after and before in its own
 * transaction, so the counters always equal a recount of the rows.
 */

/** Asia/Shanghai is UTC+8 all year (no daylight saving since 1991). */
export const BEIJING_OFFSET_MS = 8 * 3_600_000;
export const DAY_MS = 86_400_000;
/** The Beijing day (days since 1970-01-01 in Asia/Shanghai) an instant falls in. */
export const beijingDay = (ms: number) => Math.floor((ms + BEIJING_OFFSET_MS) / DAY_MS);
/** The instant a Beijing day starts (its 00:00 in Asia/Shanghai). */
export const beijingDayStart = (day: number) => day * DAY_MS - BEIJING_OFFSET_MS;

/** What a case's contribution depends on: case row columns (as `caseColumns` gives them). */
export interface KpiColumns {
  jurisdiction: string;
  flowKey: string;
  channel: string;
  category: string | null;
  urgency: string | null;
  status: string;
  outcome: string | null;
  repeat: boolean;
  late: boolean;
  visitSatisfaction: number | null;
  closedAtMs: number | null;
}

/** What it depends on besides the columns a transition writes. */
export interface KpiFacts {
  createdAtMs: number;
  petitionerId: string | null;
  /** The petitioner's own rating (`evaluations`), if any. */
  rating: number | null;
  /** A later case of the same petitioner is a repeat petition (`kpi_repeated_later`). */
  repeatedLater: boolean;
}

export interface CounterKey {
  jurisdiction: string;
  day: number;
  flowKey: string;
  channel: string;
  /** '' when the case has none. */
  category: string;
  urgency: string;
  status: string;
}

export const COUNTER_FIGURES = [
  'received',
  'closed',
  'resolved',
  'firstTime',
  'onTime',
  'evaluated',
  'satisfied',
] as const;
export type CounterFigures = Record<(typeof COUNTER_FIGURES)[number], number>;
export type CounterDelta = CounterKey & CounterFigures;

const SATISFIED_FROM = 4;

const KPI_KEYS = [
  'jurisdiction',
  'flowKey',
  'channel',
  'category',
  'urgency',
  'status',
  'outcome',
  'repeat',
  'late',
  'visitSatisfaction',
  'closedAtMs',
] as const satisfies readonly (keyof KpiColumns)[];

/** Whether a write from `before` to `after` can change what the case adds (most transitions cannot). */
export function kpiColumnsChanged(before: KpiColumns, after: KpiColumns): boolean {
  return KPI_KEYS.some((k) => before[k] !== after[k]);
}

/** Whether the case adds to a closing day: then its rating and repeats matter. */
export const countsClosed = (c: KpiColumns) => c.status === 'closed' && c.closedAtMs !== null;

const zero = (): CounterFigures => ({
  received: 0,
  closed: 0,
  resolved: 0,
  firstTime: 0,
  onTime: 0,
  evaluated: 0,
  satisfied: 0,
});

/** The rows one case adds to, with what it adds (the definitions of docs/stats.md). */
export function contribution(c: KpiColumns, f: KpiFacts): CounterDelta[] {
  const dims = {
    jurisdiction: c.jurisdiction,
    flowKey: c.flowKey,
    channel: c.channel,
    category: c.category ?? '',
    urgency: c.urgency ?? '',
    status: c.status,
  };
  const out: CounterDelta[] = [{ ...dims, day: beijingDay(f.createdAtMs), ...zero(), received: 1 }];
  if (countsClosed(c)) {
    const resolved = c.outcome === 'resolved';
    // As kpiRating: the petitioner's own rating wins over the return visit.
    const rating = f.rating ?? c.visitSatisfaction;
    out.push({
      ...dims,
      day: beijingDay(c.closedAtMs as number),
      ...zero(),
      closed: 1,
      resolved: resolved ? 1 : 0,
      firstTime: resolved && !c.repeat && !(f.petitionerId !== null && f.repeatedLater) ? 1 : 0,
      onTime: c.late ? 0 : 1,
      evaluated: rating === null ? 0 : 1,
      satisfied: rating !== null && rating >= SATISFIED_FROM ? 1 : 0,
    });
  }
  return out;
}

const keyOf = (k: CounterKey) =>
  JSON.stringify([k.jurisdiction, k.day, k.flowKey, k.channel, k.category, k.urgency, k.status]);

/**
 * `after` minus `before`, one entry per row, rows whose figures do not move
 * left out, in key order (so that writers of several rows lock them in the
 * same order and cannot deadlock each other on PostgreSQL).
 */
export function counterDelta(before: CounterDelta[], after: CounterDelta[]): CounterDelta[] {
  const rows = new Map<string, CounterDelta>();
  const put = (d: CounterDelta, sign: 1 | -1) => {
    const id = keyOf(d);
    const row = rows.get(id) ?? { ...d, ...zero() };
    for (const k of COUNTER_FIGURES) row[k] += sign * d[k];
    rows.set(id, row);
  };
  for (const d of before) put(d, -1);
  for (const d of after) put(d, 1);
  return [...rows.entries()]
    .filter(([, d]) => COUNTER_FIGURES.some((k) => d[k] !== 0))
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([, d]) => d);
}

/** Adds `deltas` to the counters inside the caller's transaction. */
export async function addCounters(tx: Db, t: Tables, deltas: CounterDelta[]): Promise<void> {
  if (!deltas.length) return;
  const k = t.kpiCounters;
  await tx
    .insert(k)
    .values(deltas)
    .onConflictDoUpdate({
      target: [k.jurisdiction, k.day, k.flowKey, k.channel, k.category, k.urgency, k.status],
      set: {
        received: sql`${k.received} + excluded.received`,
        closed: sql`${k.closed} + excluded.closed`,
        resolved: sql`${k.resolved} + excluded.resolved`,
        firstTime: sql`${k.firstTime} + excluded.first_time`,
        onTime: sql`${k.onTime} + excluded.on_time`,
        evaluated: sql`${k.evaluated} + excluded.evaluated`,
        satisfied: sql`${k.satisfied} + excluded.satisfied`,
      },
    });
}

/** The counter upsert in plain SQL (the SQLite fast path prepares it once). */
export const UPSERT_COUNTER_SQL = `insert into kpi_counters (jurisdiction, day, flow_key, channel, category, urgency, status,
    received, closed, resolved, first_time, on_time, evaluated, satisfied)
  values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
  on conflict (jurisdiction, day, flow_key, channel, category, urgency, status) do update set
    received = received + excluded.received, closed = closed + excluded.closed,
    resolved = resolved + excluded.resolved, first_time = first_time + excluded.first_time,
    on_time = on_time + excluded.on_time, evaluated = evaluated + excluded.evaluated,
    satisfied = satisfied + excluded.satisfied`;

/** A delta as the parameters of `UPSERT_COUNTER_SQL`. */
export const upsertParams = (d: CounterDelta) => [
  d.jurisdiction,
  d.day,
  d.flowKey,
  d.channel,
  d.category,
  d.urgency,
  d.status,
  ...COUNTER_FIGURES.map((k) => d[k]),
];

/**
 * What a case adds besides its transition's columns, read inside the
 * transaction (on PostgreSQL after the writer holds the case's row lock, which
 * ratings and repeat registrations take too, so the answer cannot move).
 */
export async function kpiFacts(tx: Db, t: Tables, caseId: string): Promise<KpiFacts> {
  const c = t.cases;
  const [row] = await tx
    .select({
      createdAtMs: c.createdAtMs,
      petitionerId: c.petitionerId,
      rating: sql<
        number | null
      >`(select ${t.evaluations.score} from ${t.evaluations} where ${t.evaluations.caseId} = ${c.id})`,
      later: sql<number>`(select count(*) from ${t.kpiRepeatedLater} where ${t.kpiRepeatedLater.caseId} = ${c.id})`,
    })
    .from(c)
    .where(sql`${c.id} = ${caseId}`);
  if (!row) throw new Error(`case ${caseId} not found`);
  return {
    createdAtMs: Number(row.createdAtMs),
    petitionerId: row.petitionerId,
    rating: row.rating === null ? null : Number(row.rating),
    repeatedLater: Number(row.later) > 0,
  };
}

/**
 * A write of a case row from `before` to `after` columns: adds the difference
 * to the counters. Reads the facts only when the columns that matter moved.
 */
export async function countTransition(
  tx: Db,
  t: Tables,
  caseId: string,
  before: KpiColumns,
  after: KpiColumns,
): Promise<void> {
  if (!kpiColumnsChanged(before, after)) return;
  const facts = await kpiFacts(tx, t, caseId);
  await addCounters(tx, t, counterDelta(contribution(before, facts), contribution(after, facts)));
}

/** The columns of a case row that the contribution reads, selected by name. */
function kpiRowColumns(t: Tables) {
  const c = t.cases;
  return {
    id: c.id,
    jurisdiction: c.jurisdiction,
    flowKey: c.flowKey,
    channel: c.channel,
    category: c.category,
    urgency: c.urgency,
    status: c.status,
    outcome: c.outcome,
    repeat: c.repeat,
    late: c.late,
    visitSatisfaction: c.visitSatisfaction,
    closedAtMs: c.closedAtMs,
    createdAtMs: c.createdAtMs,
    petitionerId: c.petitionerId,
  };
}

function asColumns<
  R extends { closedAtMs: number | null; createdAtMs: number; repeat: boolean; late: boolean },
>(r: R): R {
  return {
    ...r,
    closedAtMs: r.closedAtMs === null ? null : Number(r.closedAtMs),
    createdAtMs: Number(r.createdAtMs),
    repeat: Boolean(r.repeat),
    late: Boolean(r.late),
  };
}

/**
 * A new case row was inserted: counts it, and when it is a repeat petition,
 * marks the petitioner's earlier cases as repeated later (locking their rows
 * on PostgreSQL, so a transition closing one of them meanwhile counts after).
 */
export async function countStart(
  database: Database,
  tx: Db,
  caseId: string,
  c: KpiColumns & { createdAtMs: number; petitionerId: string | null },
): Promise<void> {
  const { t } = database;
  let repeatedLater = false;
  if (c.petitionerId !== null) {
    const cases = t.cases;
    const columns = kpiRowColumns(t);
    if (c.repeat) {
      let query = tx
        .select(columns)
        .from(cases)
        .where(
          sql`${cases.petitionerId} = ${c.petitionerId} and ${cases.createdAtMs} < ${c.createdAtMs} and not exists (select 1 from ${t.kpiRepeatedLater} where ${t.kpiRepeatedLater.caseId} = ${cases.id})`,
        )
        .orderBy(cases.id);
      if (database.dialect === 'pg') query = query.for('update') as typeof query;
      const earlier = (await query).map(asColumns);
      if (earlier.length) {
        await tx
          .insert(t.kpiRepeatedLater)
          .values(earlier.map((r) => ({ caseId: r.id })))
          .onConflictDoNothing();
        const deltas: CounterDelta[] = [];
        for (const r of earlier) {
          // Only first-time resolution moves; the rating is the same on both sides.
          const facts = { ...r, rating: null };
          deltas.push(
            ...counterDelta(
              contribution(r, { ...facts, repeatedLater: false }),
              contribution(r, { ...facts, repeatedLater: true }),
            ),
          );
        }
        await addCounters(tx, t, counterDelta([], deltas));
      }
    }
    // A repeat registered with an earlier time than this one (clocks of two servers).
    const [later] = await tx
      .select({ id: cases.id })
      .from(cases)
      .where(
        sql`${cases.petitionerId} = ${c.petitionerId} and ${cases.repeat} = ${database.dialect === 'pg' ? sql`true` : sql`1`} and ${cases.createdAtMs} > ${c.createdAtMs}`,
      )
      .limit(1);
    if (later) {
      repeatedLater = true;
      await tx.insert(t.kpiRepeatedLater).values({ caseId }).onConflictDoNothing();
    }
  }
  await addCounters(
    tx,
    t,
    counterDelta([], contribution(c, { ...c, rating: null, repeatedLater })),
  );
}

/**
 * The petitioner's own rating of a case changes from `before` to `after`
 * (`intake.evaluate`): locks the case row first on PostgreSQL, so a
 * transition closing the case meanwhile counts the rating either way.
 */
export async function lockForRating(database: Database, tx: Db, caseId: string) {
  const { t } = database;
  let query = tx.select(kpiRowColumns(t)).from(t.cases).where(sql`${t.cases.id} = ${caseId}`);
  if (database.dialect === 'pg') query = query.for('update') as typeof query;
  const [row] = await query;
  return row && asColumns(row);
}

export async function countRating(
  database: Database,
  tx: Db,
  row: NonNullable<Awaited<ReturnType<typeof lockForRating>>>,
  before: number | null,
  after: number | null,
): Promise<void> {
  if (before === after || !countsClosed(row)) return;
  const { t } = database;
  const [later] = await tx
    .select({ n: sql<number>`count(*)` })
    .from(t.kpiRepeatedLater)
    .where(sql`${t.kpiRepeatedLater.caseId} = ${row.id}`);
  const facts = { ...row, repeatedLater: Number(later?.n ?? 0) > 0 };
  await addCounters(
    tx,
    t,
    counterDelta(
      contribution(row, { ...facts, rating: before }),
      contribution(row, { ...facts, rating: after }),
    ),
  );
}

/**
 * The counters recomputed from the case rows, in SQL (migration 0015 runs the
 * same statements for the cases stored before it): `lianxin kpi rebuild`.
 */
export function rebuildStatements(dialect: Dialect): string[] {
  const yes = dialect === 'pg' ? 'true' : '1';
  const day = (column: string) => `cast((${column} + ${BEIJING_OFFSET_MS}) / ${DAY_MS} as integer)`;
  const dims = `c.jurisdiction, %DAY%, c.flow_key, c.channel, coalesce(c.category, ''), coalesce(c.urgency, ''), c.status`;
  const rating = 'coalesce(e.score, c.visit_satisfaction)';
  return [
    `insert into kpi_repeated_later (case_id) select c.id from cases c where c.petitioner_id is not null and exists (select 1 from cases c2 where c2.petitioner_id = c.petitioner_id and c2.repeat = ${yes} and c2.created_at_ms > c.created_at_ms)`,
    `insert into kpi_counters (jurisdiction, day, flow_key, channel, category, urgency, status, received, closed, resolved, first_time, on_time, evaluated, satisfied) select ${dims.replace('%DAY%', day('c.created_at_ms'))}, count(*), 0, 0, 0, 0, 0, 0 from cases c where true group by 1, 2, 3, 4, 5, 6, 7`,
    `insert into kpi_counters (jurisdiction, day, flow_key, channel, category, urgency, status, received, closed, resolved, first_time, on_time, evaluated, satisfied) select ${dims.replace('%DAY%', day('c.closed_at_ms'))}, 0, count(*), sum(case when c.outcome = 'resolved' then 1 else 0 end), sum(case when c.outcome = 'resolved' and c.repeat <> ${yes} and not exists (select 1 from kpi_repeated_later r where r.case_id = c.id) then 1 else 0 end), sum(case when c.late = ${yes} then 0 else 1 end), count(${rating}), sum(case when ${rating} >= ${SATISFIED_FROM} then 1 else 0 end) from cases c left join evaluations e on e.case_id = c.id where c.status = 'closed' and c.closed_at_ms is not null group by 1, 2, 3, 4, 5, 6, 7 on conflict (jurisdiction, day, flow_key, channel, category, urgency, status) do update set closed = excluded.closed, resolved = excluded.resolved, first_time = excluded.first_time, on_time = excluded.on_time, evaluated = excluded.evaluated, satisfied = excluded.satisfied`,
  ];
}

/**
 * Recomputes every counter from the case rows in one transaction (PostgreSQL:
 * holding the tables exclusively, so no transition counts into a half-built
 * table). Returns the number of counter rows written and of cases counted.
 */
export async function rebuildKpiCounters(
  database: Database,
): Promise<{ rows: number; cases: number }> {
  return database.tx(async (tx) => {
    const run = async (text: string) => {
      if (database.sqlite) database.sqlite.exec(text);
      else await tx.execute(sql.raw(text));
    };
    if (database.dialect === 'pg')
      await run('lock table kpi_counters, kpi_repeated_later in exclusive mode');
    await run('delete from kpi_counters');
    await run('delete from kpi_repeated_later');
    for (const text of rebuildStatements(database.dialect)) await run(text);
    const [r] = await tx.select({ n: sql<number>`count(*)` }).from(database.t.kpiCounters);
    const [c] = await tx.select({ n: sql<number>`count(*)` }).from(database.t.cases);
    return { rows: Number(r?.n ?? 0), cases: Number(c?.n ?? 0) };
  });
}
