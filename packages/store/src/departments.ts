import type { LocalizedText } from '@lianxin/spec';
import { and, asc, eq, inArray } from 'drizzle-orm';
import type { Clock } from './cases';
import type { Database } from './db';

export type DepartmentRow = Database['t']['departments']['$inferSelect'];

/**
 * 承办部门 as data, per jurisdiction. Codes are ids (memberships and flows hold
 * them); names are what people read. Rows are never deleted: a department
 * closed down is deactivated so the cases that named it still read its name.
 */
export class Departments {
  constructor(
    private readonly database: Database,
    private readonly clock: Clock = { now: () => new Date() },
  ) {}

  private get t() {
    return this.database.t;
  }

  /** The departments of these jurisdictions (inactive ones too), by jurisdiction and code. */
  list(jurisdictions: readonly string[]): Promise<DepartmentRow[]> {
    if (!jurisdictions.length) return Promise.resolve([]);
    return this.database.read((db) =>
      db
        .select()
        .from(this.t.departments)
        .where(inArray(this.t.departments.jurisdiction, [...jurisdictions]))
        .orderBy(asc(this.t.departments.jurisdiction), asc(this.t.departments.code)),
    );
  }

  async get(jurisdiction: string, code: string): Promise<DepartmentRow | undefined> {
    const [row] = await this.database.read((db) =>
      db
        .select()
        .from(this.t.departments)
        .where(
          and(eq(this.t.departments.jurisdiction, jurisdiction), eq(this.t.departments.code, code)),
        ),
    );
    return row;
  }

  /** Adds a department; `false` when the jurisdiction already has that code (nothing changes). */
  async create(input: {
    jurisdiction: string;
    code: string;
    name: LocalizedText;
  }): Promise<boolean> {
    const now = this.clock.now().toISOString();
    const rows = await this.database.tx((tx) =>
      tx
        .insert(this.t.departments)
        .values({ ...input, active: true, createdAt: now, updatedAt: now })
        .onConflictDoNothing()
        .returning(),
    );
    return rows.length > 0;
  }

  /** Renames or (de)activates a department; `false` when there is no such department. */
  async update(
    jurisdiction: string,
    code: string,
    patch: { name?: LocalizedText; active?: boolean },
  ): Promise<boolean> {
    const rows = await this.database.tx((tx) =>
      tx
        .update(this.t.departments)
        .set({ ...patch, updatedAt: this.clock.now().toISOString() })
        .where(
          and(eq(this.t.departments.jurisdiction, jurisdiction), eq(this.t.departments.code, code)),
        )
        .returning(),
    );
    return rows.length > 0;
  }
}
