// Keyset paging (issue 18): every list reads the page after the last row the
// reader saw, by a sort key that ends in the row's id (so ties are broken and
// no two rows share a key), never by an offset that reads and throws away
// every row before it. Counts stop at LIST_COUNT_CAP + 1: an exact count of a
// county's whole backlog would read it all on every page.
import { and, gte, lte, type SQL, type SQLWrapper, sql } from 'drizzle-orm';

/** Lists count their rows up to this; beyond it they say "more than" (1000+ 件). */
export const LIST_COUNT_CAP = 1000;

/**
 * The rows after `values` in the order of `columns` (all ascending, or all
 * descending; the last column unique): a row-value comparison both databases
 * evaluate, with the first column's range alone beside it so an index on that
 * column serves the condition (SQLite and PostgreSQL start the index walk there).
 */
export function keysetAfter(
  columns: readonly SQLWrapper[],
  values: readonly unknown[],
  direction: 'asc' | 'desc',
): SQL {
  const [first] = columns;
  if (!first || columns.length !== values.length) throw new Error('keysetAfter: columns ≠ values');
  const op = sql.raw(direction === 'asc' ? '>' : '<');
  const row = sql`(${sql.join([...columns], sql`, `)}) ${op} (${sql.join(
    values.map((v) => sql`${v}`),
    sql`, `,
  )})`;
  const range =
    direction === 'asc' ? gte(first as never, values[0]) : lte(first as never, values[0]);
  return and(range, row) as SQL;
}

/** Code-unit order, as SQLite's BINARY and PostgreSQL's C collation sort text. */
export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** A count that stops at `cap` + 1: `{ total: ≤ cap, more }`. */
export function capped(n: number, cap = LIST_COUNT_CAP): { total: number; more: boolean } {
  return { total: Math.min(n, cap), more: n > cap };
}
