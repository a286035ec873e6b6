import { randomUUID } from 'node:crypto';
import { and, desc, eq, inArray, isNull, ne, type SQL } from 'drizzle-orm';
import type { Clock } from './cases';
import type { Database } from './db';
import { noticeTemplateProposed } from './notifications';

export type ProposalRow = Database['t']['templateProposals']['$inferSelect'];
export type ProposalStatus = 'pending' | 'accepted' | 'returned';
type Text = { 'zh-CN': string; en?: string };

/**
 * 县区建议: a county offers local changes of an adopted flow back to the
 * template's publisher, who accepts (merges them into its source flow) or
 * returns them with a reason. An answer is given once: the status moves from
 * pending only, in the same statement that checks it.
 */
export class TemplateProposals {
  constructor(
    private readonly database: Database,
    private readonly clock: Clock,
  ) {}

  private get t() {
    return this.database.t.templateProposals;
  }

  async create(input: {
    jurisdiction: string;
    flowId: string;
    templateKey: string;
    templateVersion: number;
    changes: Record<string, unknown>[];
    note: Text;
    by: string | null;
  }): Promise<ProposalRow> {
    const { by, ...rest } = input;
    return this.database.tx(async (tx) => {
      const [row] = await tx
        .insert(this.t)
        .values({
          id: randomUUID(),
          ...rest,
          status: 'pending',
          proposedBy: by,
          proposedAt: this.clock.now().toISOString(),
        })
        .returning();
      const created = row as ProposalRow;
      await noticeTemplateProposed(tx, this.database.t, {
        proposalId: created.id,
        templateKey: created.templateKey,
        templateVersion: created.templateVersion,
        county: created.jurisdiction,
        changeCount: input.changes.length,
        note: input.note,
        nowIso: created.proposedAt,
      });
      return created;
    });
  }

  get(id: string): Promise<ProposalRow | undefined> {
    return this.database.read(async (db) => {
      const [row] = await db.select().from(this.t).where(eq(this.t.id, id));
      return row;
    });
  }

  /** Newest first; by the templates reviewed, or by the proposing jurisdictions. */
  list(q: {
    templateKeys?: string[];
    jurisdictions?: string[];
    status?: ProposalStatus;
    limit?: number;
  }): Promise<ProposalRow[]> {
    const where: SQL[] = [];
    if (q.templateKeys) where.push(inArray(this.t.templateKey, q.templateKeys));
    if (q.jurisdictions) where.push(inArray(this.t.jurisdiction, q.jurisdictions));
    if (q.status) where.push(eq(this.t.status, q.status));
    return this.database.read((db) =>
      db
        .select()
        .from(this.t)
        .where(and(...where))
        .orderBy(desc(this.t.proposedAt), desc(this.t.id))
        .limit(q.limit ?? 200),
    );
  }

  /**
   * Answers a pending proposal; undefined when it was answered already (by
   * someone else in the meantime, or before), so it is never answered twice.
   */
  async answer(input: {
    id: string;
    status: Exclude<ProposalStatus, 'pending'>;
    answer: Text | null;
    merged: string[] | null;
    by: string | null;
  }): Promise<ProposalRow | undefined> {
    return this.database.tx(async (tx) => {
      const [row] = await tx
        .update(this.t)
        .set({
          status: input.status,
          answer: input.answer,
          merged: input.merged,
          answeredBy: input.by,
          answeredAt: this.clock.now().toISOString(),
        })
        .where(and(eq(this.t.id, input.id), eq(this.t.status, 'pending')))
        .returning();
      return row as ProposalRow | undefined;
    });
  }

  /** Answers the county has not opened yet (its bell). */
  unseenAnswers(jurisdictions: string[]): Promise<ProposalRow[]> {
    if (jurisdictions.length === 0) return Promise.resolve([]);
    return this.database.read((db) =>
      db
        .select()
        .from(this.t)
        .where(
          and(
            inArray(this.t.jurisdiction, jurisdictions),
            ne(this.t.status, 'pending'),
            isNull(this.t.seenAt),
          ),
        )
        .orderBy(desc(this.t.answeredAt))
        .limit(100),
    );
  }

  async markSeen(id: string): Promise<void> {
    await this.database.tx(async (tx) => {
      await tx
        .update(this.t)
        .set({ seenAt: this.clock.now().toISOString() })
        .where(and(eq(this.t.id, id), ne(this.t.status, 'pending'), isNull(this.t.seenAt)));
    });
  }
}
