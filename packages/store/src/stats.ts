import { returnVisitScore } from '@lianxin/spec';
import {
  and,
  type Column,
  eq,
  gte,
  inArray,
  lt,
  type SQL,
  type SQLWrapper,
  sql,
} from 'drizzle-orm';
import type { Database, Db } from './db';
import { beijingDay, beijingDayStart, DAY_MS } from './kpi-counters';

/**
 * The KPI's satisfaction scale is the petitioner's own rating: 1 非常不满意,
 * 2 不满意, 3 一般, 4 满意, 5 非常满意. 4 and 5 count as satisfied.
 */
export const SATISFIED_FROM = 4;

/**
 * The return visit's answer (case data `satisfaction`) on that scale; spec
 * owns the mapping so the checker warns about answers it would not count.
 * The store writes it to `cases.visit_satisfaction` in the transition's own
 * transaction, and migration 0003 derives it the same way in SQL.
 */
export { returnVisitScore };

/**
 * The rating a closed case counts with: the petitioner's own rating wins over
 * the return visit staff recorded (docs/stats.md says why).
 */
export function kpiRating(own: number | null | undefined, visit: number | null): number | null {
  return own ?? visit;
}

export interface StatsQuery {
  jurisdictions: string[];
  /** ISO instants; the period is [from, to). */
  from: string;
  to: string;
}

export interface Stats {
  period: { from: string; to: string };
  received: number;
  closed: number;
  resolved: number;
  evaluated: number;
  satisfied: number;
  /** Rates are fractions 0–1, or null when their denominator is zero. */
  firstTimeResolutionRate: number | null;
  satisfactionRate: number | null;
  participationRate: number | null;
  onTimeClosureRate: number | null;
  byChannel: Record<string, number>;
  byCategory: Record<string, number>;
  byUrgency: Record<string, number>;
  byStatus: Record<string, number>;
  overdueOpen: number;
}

/** One bucket of a trend: the period's flow figures (no breakdowns, no snapshot counts). */
export type TrendPoint = Pick<
  Stats,
  | 'period'
  | 'received'
  | 'closed'
  | 'resolved'
  | 'evaluated'
  | 'satisfied'
  | 'firstTimeResolutionRate'
  | 'satisfactionRate'
  | 'participationRate'
  | 'onTimeClosureRate'
>;

/** What one group (a jurisdiction, or a trend bucket) adds up to; sums of these are exact. */
interface Tally {
  received: number;
  closed: number;
  resolved: number;
  firstTime: number;
  onTime: number;
  evaluated: number;
  satisfied: number;
  overdueOpen: number;
  byChannel: Record<string, number>;
  byCategory: Record<string, number>;
  byUrgency: Record<string, number>;
  byStatus: Record<string, number>;
}

const emptyTally = (): Tally => ({
  received: 0,
  closed: 0,
  resolved: 0,
  firstTime: 0,
  onTime: 0,
  evaluated: 0,
  satisfied: 0,
  overdueOpen: 0,
  byChannel: {},
  byCategory: {},
  byUrgency: {},
  byStatus: {},
});

const rate = (n: number, d: number) => (d === 0 ? null : n / d);
/** A breakdown's count; no value (null or '') counts as `none`. */
const add = (into: Record<string, number>, key: string | null, n: number) => {
  if (n === 0) return;
  const k = key || 'none';
  into[k] = (into[k] ?? 0) + n;
};

function merge(into: Tally, t: Tally): Tally {
  for (const k of [
    'received',
    'closed',
    'resolved',
    'firstTime',
    'onTime',
    'evaluated',
    'satisfied',
    'overdueOpen',
  ] as const)
    into[k] += t[k];
  for (const k of ['byChannel', 'byCategory', 'byUrgency', 'byStatus'] as const)
    for (const [key, n] of Object.entries(t[k])) add(into[k], key, n);
  return into;
}

function flowFigures(t: Tally, period: { from: string; to: string }): TrendPoint {
  return {
    period,
    received: t.received,
    closed: t.closed,
    resolved: t.resolved,
    evaluated: t.evaluated,
    satisfied: t.satisfied,
    firstTimeResolutionRate: rate(t.firstTime, t.closed),
    satisfactionRate: rate(t.satisfied, t.evaluated),
    participationRate: rate(t.evaluated, t.closed),
    onTimeClosureRate: rate(t.onTime, t.closed),
  };
}

function toStats(t: Tally, period: { from: string; to: string }): Stats {
  return {
    ...flowFigures(t, period),
    byChannel: t.byChannel,
    byCategory: t.byCategory,
    byUrgency: t.byUrgency,
    byStatus: t.byStatus,
    overdueOpen: t.overdueOpen,
  };
}

/** How results are grouped: by jurisdiction, or by equal buckets from `originMs` (a trend). */
type Group = { by: 'jurisdiction' } | { by: 'bucket'; originMs: number; bucketMs: number };

/** The groups of one tally by key, each created on first use. */
class Groups extends Map<string, Tally> {
  of(k: string | number): Tally {
    const id = String(k);
    const found = this.get(id) ?? emptyTally();
    this.set(id, found);
    return found;
  }
}

const inScope = (column: Column, jurisdictions: string[]) =>
  inArray(column, jurisdictions.length ? jurisdictions : ['']);

/** A trend's buckets are whole Beijing days from a Beijing midnight: counters can fill them. */
const daysAligned = (group: Group) =>
  group.by === 'jurisdiction' ||
  (group.bucketMs % DAY_MS === 0 && beijingDayStart(beijingDay(group.originMs)) === group.originMs);

/**
 * Counts every figure of docs/stats.md over [fromMs, toMs), grouped by
 * jurisdiction or by trend bucket: the whole Beijing days inside the period
 * from the KPI counters (`kpi_counters`, a bounded number of rows per day
 * whatever the number of cases), the partial days at either end from the case
 * rows, so that any two instants give exact figures. `overdueOpen` is a
 * snapshot of now, counted by `countOverdue`.
 */
async function tally(
  database: Database,
  jurisdictions: string[],
  fromMs: number,
  toMs: number,
  group: Group,
): Promise<Groups> {
  const out = new Groups();
  const firstDay = beijingDay(fromMs - 1) + 1;
  const endDay = beijingDay(toMs);
  await database.read(async (db) => {
    if (firstDay < endDay && daysAligned(group)) {
      const [dayFrom, dayTo] = [beijingDayStart(firstDay), beijingDayStart(endDay)];
      if (fromMs < dayFrom)
        await scanCases(db, database, jurisdictions, fromMs, dayFrom, group, out);
      await readCounters(db, database, jurisdictions, firstDay, endDay, group, out);
      if (dayTo < toMs) await scanCases(db, database, jurisdictions, dayTo, toMs, group, out);
    } else if (fromMs < toMs) {
      await scanCases(db, database, jurisdictions, fromMs, toMs, group, out);
    }
  });
  return out;
}

/** The days [fromDay, toDay) from the counters. */
async function readCounters(
  db: Db,
  database: Database,
  jurisdictions: string[],
  fromDay: number,
  toDay: number,
  group: Group,
  out: Groups,
): Promise<void> {
  const k = database.t.kpiCounters;
  const key: SQL<string | number> =
    group.by === 'jurisdiction'
      ? sql`${k.jurisdiction}`
      : sql`cast((${k.day} - ${beijingDay(group.originMs)}) / ${group.bucketMs / DAY_MS} as integer)`;
  const sum = (column: SQLWrapper) => sql<number>`sum(${column})`;
  const rows = await db
    .select({
      k: key,
      channel: k.channel,
      category: k.category,
      urgency: k.urgency,
      status: k.status,
      received: sum(k.received),
      closed: sum(k.closed),
      resolved: sum(k.resolved),
      firstTime: sum(k.firstTime),
      onTime: sum(k.onTime),
      evaluated: sum(k.evaluated),
      satisfied: sum(k.satisfied),
    })
    .from(k)
    .where(and(inScope(k.jurisdiction, jurisdictions), gte(k.day, fromDay), lt(k.day, toDay)))
    .groupBy(sql`1`, k.channel, k.category, k.urgency, k.status);
  for (const r of rows) {
    const g = out.of(r.k);
    const n = Number(r.received);
    g.received += n;
    add(g.byChannel, r.channel, n);
    add(g.byCategory, r.category, n);
    add(g.byUrgency, r.urgency, n);
    add(g.byStatus, r.status, n);
    g.closed += Number(r.closed);
    g.resolved += Number(r.resolved);
    g.firstTime += Number(r.firstTime);
    g.onTime += Number(r.onTime);
    g.evaluated += Number(r.evaluated);
    g.satisfied += Number(r.satisfied);
  }
}

/**
 * [fromMs, toMs) from the case rows in two indexed passes (received, closed)
 * that read only the covering indexes `cases_received` / `cases_closed` (plus
 * the petitioner's own rating by primary key), never the case data.
 */
async function scanCases(
  db: Db,
  database: Database,
  jurisdictions: string[],
  fromMs: number,
  toMs: number,
  group: Group,
  out: Groups,
): Promise<void> {
  const { t } = database;
  const c = t.cases;
  const yes = database.dialect === 'pg' ? sql`true` : sql`1`;
  const key = (column: typeof c.createdAtMs | typeof c.closedAtMs): SQL<string | number> =>
    group.by === 'jurisdiction'
      ? sql`${c.jurisdiction}`
      : sql`cast((${column} - ${group.originMs}) / ${group.bucketMs} as integer)`;
  const received = await db
    .select({
      k: key(c.createdAtMs),
      channel: c.channel,
      category: c.category,
      urgency: c.urgency,
      status: c.status,
      n: sql<number>`count(*)`,
    })
    .from(c)
    .where(
      and(
        inScope(c.jurisdiction, jurisdictions),
        gte(c.createdAtMs, fromMs),
        lt(c.createdAtMs, toMs),
      ),
    )
    .groupBy(sql`1`, c.channel, c.category, c.urgency, c.status);
  for (const r of received) {
    const g = out.of(r.k);
    const n = Number(r.n);
    g.received += n;
    add(g.byChannel, r.channel, n);
    add(g.byCategory, r.category, n);
    add(g.byUrgency, r.urgency, n);
    add(g.byStatus, r.status, n);
  }
  // As kpiRating: the petitioner's own rating, else the return visit's.
  const rating = sql`coalesce(${t.evaluations.score}, ${c.visitSatisfaction})`;
  // A later repeat petition from the same person undoes a first-time resolution.
  const repeatedLater = sql`exists (select 1 from cases c2 where c2.petitioner_id = ${c.petitionerId} and c2.repeat = ${yes} and c2.created_at_ms > ${c.createdAtMs})`;
  const closed = await db
    .select({
      k: key(c.closedAtMs),
      closed: sql<number>`count(*)`,
      resolved: sql<number>`sum(case when ${c.outcome} = 'resolved' then 1 else 0 end)`,
      firstTime: sql<number>`sum(case when ${c.outcome} = 'resolved' and ${c.repeat} <> ${yes} and not (${c.petitionerId} is not null and ${repeatedLater}) then 1 else 0 end)`,
      onTime: sql<number>`sum(case when ${c.late} = ${yes} then 0 else 1 end)`,
      evaluated: sql<number>`count(${rating})`,
      satisfied: sql<number>`sum(case when ${rating} >= ${SATISFIED_FROM} then 1 else 0 end)`,
    })
    .from(c)
    .leftJoin(t.evaluations, eq(t.evaluations.caseId, c.id))
    .where(
      and(
        inScope(c.jurisdiction, jurisdictions),
        eq(c.status, 'closed'),
        gte(c.closedAtMs, fromMs),
        lt(c.closedAtMs, toMs),
      ),
    )
    .groupBy(sql`1`);
  for (const r of closed) {
    const g = out.of(r.k);
    g.closed += Number(r.closed);
    g.resolved += Number(r.resolved ?? 0);
    g.firstTime += Number(r.firstTime ?? 0);
    g.onTime += Number(r.onTime ?? 0);
    g.evaluated += Number(r.evaluated ?? 0);
    g.satisfied += Number(r.satisfied ?? 0);
  }
}

/** A snapshot of now, whatever the period: cases open and overdue, by jurisdiction. */
async function countOverdue(database: Database, jurisdictions: string[], out: Groups) {
  const c = database.t.cases;
  await database.read(async (db) => {
    const overdue = await db
      .select({ k: c.jurisdiction, n: sql<number>`count(*)` })
      .from(c)
      .where(
        and(inScope(c.jurisdiction, jurisdictions), eq(c.status, 'active'), eq(c.overdue, true)),
      )
      .groupBy(c.jurisdiction);
    for (const r of overdue) out.of(r.k).overdueOpen += Number(r.n);
  });
}

/** The KPIs of docs/stats.md for a set of jurisdictions and a period. */
export async function computeStats(database: Database, q: StatsQuery): Promise<Stats> {
  const groups = await tally(database, q.jurisdictions, Date.parse(q.from), Date.parse(q.to), {
    by: 'jurisdiction',
  });
  await countOverdue(database, q.jurisdictions, groups);
  return toStats([...groups.values()].reduce(merge, emptyTally()), {
    from: q.from,
    to: q.to,
  });
}

/**
 * The same KPIs for several parts at once (a city's counties, say): each part
 * is a set of jurisdictions, counted in one pass over all of them.
 */
export async function computeStatsByPart(
  database: Database,
  parts: { key: string; jurisdictions: string[] }[],
  period: { from: string; to: string },
): Promise<Map<string, Stats>> {
  const all = [...new Set(parts.flatMap((p) => p.jurisdictions))];
  const groups = await tally(database, all, Date.parse(period.from), Date.parse(period.to), {
    by: 'jurisdiction',
  });
  await countOverdue(database, all, groups);
  return new Map(
    parts.map((p) => [
      p.key,
      toStats(
        p.jurisdictions.reduce((sum, j) => {
          const g = groups.get(j);
          return g ? merge(sum, g) : sum;
        }, emptyTally()),
        period,
      ),
    ]),
  );
}

/**
 * Flow figures in consecutive equal buckets from `from` (weeks for the
 * dashboard's trend), in one pass: received by creation time, closed by
 * closing time, as in `computeStats`. Buckets of whole Beijing days from a
 * Beijing midnight (the dashboard's) read the counters; others the case rows.
 */
export async function computeTrend(
  database: Database,
  q: { jurisdictions: string[]; from: string; bucketMs: number; buckets: number },
): Promise<TrendPoint[]> {
  const fromMs = Date.parse(q.from);
  const groups = await tally(database, q.jurisdictions, fromMs, fromMs + q.bucketMs * q.buckets, {
    by: 'bucket',
    originMs: fromMs,
    bucketMs: q.bucketMs,
  });
  return Array.from({ length: q.buckets }, (_, i) =>
    flowFigures(groups.get(String(i)) ?? emptyTally(), {
      from: new Date(fromMs + i * q.bucketMs).toISOString(),
      to: new Date(fromMs + (i + 1) * q.bucketMs).toISOString(),
    }),
  );
}

/** What the recount needs of one case: its row's columns and the petitioner's own rating. */
export interface KpiRow {
  jurisdiction: string;
  createdAt: string;
  closedAt: string | null;
  status: string;
  outcome: string | null;
  channel: string;
  category: string | null;
  urgency: string | null;
  repeat: boolean;
  overdue: boolean;
  late: boolean;
  visitSatisfaction: number | null;
  petitionerId: string | null;
  /** The petitioner's own rating (the case's `evaluations` row), if any. */
  rating: number | null;
}

/**
 * The KPIs of docs/stats.md recounted case by case in plain TypeScript: the
 * reference the SQL counters of `computeStats` are tested against. A row is
 * a case row with its rating, or `{ ...caseColumns(state), createdAt,
 * petitionerId, rating }` of a simulated or replayed state. Pass every case
 * known, not only those in scope: a repeat petition made elsewhere later
 * still undoes a first-time resolution, as in the SQL.
 */
export function recountKpis(rows: readonly KpiRow[], q: StatsQuery): Stats {
  const fromMs = Date.parse(q.from);
  const toMs = Date.parse(q.to);
  const inPeriod = (iso: string | null) => {
    const ms = iso === null ? Number.NaN : Date.parse(iso);
    return ms >= fromMs && ms < toMs;
  };
  const lastRepeat = new Map<string, number>();
  for (const r of rows) {
    if (!r.repeat || r.petitionerId === null) continue;
    const ms = Date.parse(r.createdAt);
    lastRepeat.set(r.petitionerId, Math.max(ms, lastRepeat.get(r.petitionerId) ?? ms));
  }
  const scope = new Set(q.jurisdictions);
  const t = emptyTally();
  for (const r of rows) {
    if (!scope.has(r.jurisdiction)) continue;
    if (inPeriod(r.createdAt)) {
      t.received++;
      add(t.byChannel, r.channel, 1);
      add(t.byCategory, r.category, 1);
      add(t.byUrgency, r.urgency, 1);
      add(t.byStatus, r.status, 1);
    }
    if (r.status === 'closed' && inPeriod(r.closedAt)) {
      t.closed++;
      if (r.outcome === 'resolved') {
        t.resolved++;
        const repeatedLater =
          r.petitionerId !== null &&
          (lastRepeat.get(r.petitionerId) ?? Number.NEGATIVE_INFINITY) > Date.parse(r.createdAt);
        if (!r.repeat && !repeatedLater) t.firstTime++;
      }
      if (!r.late) t.onTime++;
      const rating = kpiRating(r.rating, r.visitSatisfaction);
      if (rating !== null) {
        t.evaluated++;
        if (rating >= SATISFIED_FROM) t.satisfied++;
      }
    }
    if (r.status === 'active' && r.overdue) t.overdueOpen++;
  }
  return toStats(t, { from: q.from, to: q.to });
}
