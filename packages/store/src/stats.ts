import { and, eq, gte, inArray, lt, sql } from 'drizzle-orm';
import type { Database } from './db';

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

const rate = (n: number, d: number) => (d === 0 ? null : n / d);

/** The KPIs of docs/stats.md for a set of jurisdictions and a period. */
export async function computeStats(database: Database, q: StatsQuery): Promise<Stats> {
  const { t } = database;
  const c = t.cases;
  const fromMs = Date.parse(q.from);
  const toMs = Date.parse(q.to);
  const yes = database.dialect === 'pg' ? sql`true` : sql`1`;
  const inScope = inArray(c.jurisdiction, q.jurisdictions.length ? q.jurisdictions : ['']);
  return database.read(async (db) => {
    const receivedWhere = and(inScope, gte(c.createdAtMs, fromMs), lt(c.createdAtMs, toMs));
    const group = async (
      column: typeof c.channel | typeof c.category | typeof c.urgency | typeof c.status,
    ) => {
      const rows = await db
        .select({ k: column, n: sql<number>`count(*)` })
        .from(c)
        .where(receivedWhere)
        .groupBy(column);
      return Object.fromEntries(rows.map((r) => [r.k ?? 'none', Number(r.n)]));
    };
    const byChannel = await group(c.channel);
    const byCategory = await group(c.category);
    const byUrgency = await group(c.urgency);
    const byStatus = await group(c.status);
    const received = Object.values(byChannel).reduce((a, b) => a + b, 0);
    const closedRows = await db
      .select({
        outcome: c.outcome,
        late: sql<number>`case when exists (select 1 from events e where e.case_id = ${c.id} and e.type in ('task.overdue', 'clock.overdue')) then 1 else 0 end`,
        repeatedLater: sql<number>`case when ${c.petitionerId} is not null and exists (select 1 from cases c2 where c2.petitioner_id = ${c.petitionerId} and c2.repeat = ${yes} and c2.created_at_ms > ${c.createdAtMs}) then 1 else 0 end`,
        score: t.evaluations.score,
        repeat: c.repeat,
      })
      .from(c)
      .leftJoin(t.evaluations, eq(t.evaluations.caseId, c.id))
      .where(
        and(inScope, eq(c.status, 'closed'), gte(c.closedAtMs, fromMs), lt(c.closedAtMs, toMs)),
      );
    const closed = closedRows.length;
    const resolved = closedRows.filter((r) => r.outcome === 'resolved').length;
    const firstTime = closedRows.filter(
      (r) => r.outcome === 'resolved' && !r.repeat && Number(r.repeatedLater) === 0,
    ).length;
    const onTime = closedRows.filter((r) => Number(r.late) === 0).length;
    const evaluatedRows = closedRows.filter((r) => r.score !== null);
    const satisfied = evaluatedRows.filter((r) => (r.score ?? 0) >= 4).length;
    const [overdue] = await db
      .select({ n: sql<number>`count(*)` })
      .from(c)
      .where(and(inScope, eq(c.status, 'active'), eq(c.overdue, true)));
    return {
      period: { from: q.from, to: q.to },
      received,
      closed,
      resolved,
      evaluated: evaluatedRows.length,
      satisfied,
      firstTimeResolutionRate: rate(firstTime, closed),
      satisfactionRate: rate(satisfied, evaluatedRows.length),
      participationRate: rate(evaluatedRows.length, closed),
      onTimeClosureRate: rate(onTime, closed),
      byChannel,
      byCategory,
      byUrgency,
      byStatus,
      overdueOpen: Number(overdue?.n ?? 0),
    };
  });
}
