import { type PgTable, getTableConfig as pgConfig } from 'drizzle-orm/pg-core';
import { type SQLiteTable, getTableConfig as sqliteConfig } from 'drizzle-orm/sqlite-core';
import { describe, expect, it } from 'vitest';
import { pgSchema, sqliteSchema } from '../src';

function shape(
  tables: Record<string, unknown>,
  config: (t: never) => {
    name: string;
    columns: { name: string; notNull: boolean; primary: boolean }[];
    indexes: unknown[];
  },
) {
  return Object.fromEntries(
    Object.entries(tables).map(([exportName, table]) => {
      const c = config(table as never);
      return [
        exportName,
        {
          table: c.name,
          columns: c.columns
            .map((col) => `${col.name}${col.notNull ? ' not null' : ''}${col.primary ? ' pk' : ''}`)
            .sort(),
          indexes: c.indexes.length,
        },
      ];
    }),
  );
}

describe('schema parity', () => {
  it('has the same tables, columns, nullability and indexes in SQLite and PostgreSQL', () => {
    const pg = shape(pgSchema, (t: PgTable) => pgConfig(t) as never);
    const sqlite = shape(sqliteSchema, (t: SQLiteTable) => sqliteConfig(t) as never);
    expect(Object.keys(pg).length).toBeGreaterThanOrEqual(16);
    expect(sqlite).toEqual(pg);
  });
});
