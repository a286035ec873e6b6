import { randomUUID } from 'node:crypto';
import { pruneAudit, type Store } from '@lianxin/store';
import { describeError, type Logger } from './log';

export interface SchedulerOptions {
  /** How often to look for due timers. */
  intervalMs?: number;
  batch?: number;
  owner?: string;
  /** Audit records older than this many days (≥ 180) are removed, checked hourly. */
  auditRetentionDays?: number;
}

const AUDIT_PRUNE_EVERY_MS = 3_600_000;
const CALENDAR_RESUME_EVERY_MS = 60_000;

/**
 * Fires due timers (task warnings and deadlines, node waits, statutory
 * clocks, 督办 orders unanswered at their deadline) through the engine's
 * `timer.fire`, and delivers the notification
 * outbox to the staff it reaches (in-app). Safe with several servers on one
 * PostgreSQL: claims use SKIP LOCKED, and a timer the engine has already
 * fired is refused, so each fires exactly once.
 */
export class Scheduler {
  readonly owner: string;
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;
  private stopped = false;
  fired = 0;
  /** In-app deliveries made (one per notification and user). */
  delivered = 0;
  private lastAuditPruneMs = -Infinity;
  private lastCalendarLookMs = -Infinity;
  /** Calendar recomputations this scheduler finished after a server stopped in the middle. */
  resumedRecomputations = 0;

  constructor(
    private readonly store: Store,
    private readonly log: Logger,
    private readonly options: SchedulerOptions = {},
  ) {
    this.owner = options.owner ?? `scheduler-${process.pid}-${randomUUID().slice(0, 8)}`;
  }

  start(): void {
    this.stopped = false;
    const loop = () => {
      if (this.stopped) return;
      this.running = this.tick()
        .then(() => undefined)
        .catch((error) => this.log.error('scheduler tick failed', describeError(error)))
        .finally(() => {
          if (!this.stopped) this.timer = setTimeout(loop, this.options.intervalMs ?? 1000);
        });
    };
    loop();
  }

  /**
   * One pass: claims and fires every timer due now, then delivers the
   * notifications waiting in the outbox (those the timers just made too);
   * returns how many timers fired.
   */
  async tick(): Promise<number> {
    const fired = await this.fireDue();
    while (!this.stopped) {
      const { notifications, deliveries } = await this.store.deliverNotifications(
        this.options.batch ?? 200,
      );
      this.delivered += deliveries;
      if (notifications === 0) break;
    }
    await this.pruneAuditHourly();
    await this.resumeCalendarRecomputations();
    return fired;
  }

  /**
   * A calendar publish recomputes open cases in the request that made it; if
   * that server stopped in the middle, the revision stays open (and blocks the
   * next publish) until a scheduler sees its progress stand still and
   * finishes it (`Calendars.resumeUnfinished`). Looked at once a minute.
   */
  private async resumeCalendarRecomputations(): Promise<void> {
    const now = this.store.clock.now().getTime();
    if (this.stopped || now - this.lastCalendarLookMs < CALENDAR_RESUME_EVERY_MS) return;
    this.lastCalendarLookMs = now;
    const resumed = await this.store.calendars.resumeUnfinished();
    if (resumed) {
      this.resumedRecomputations += resumed;
      this.log.info('calendar recomputations resumed', { resumed });
    }
  }

  /** Retention of the audit log; on several servers the head lock lets one remove, the others find nothing. */
  private async pruneAuditHourly(): Promise<void> {
    const now = this.store.clock.now().getTime();
    if (this.stopped || now - this.lastAuditPruneMs < AUDIT_PRUNE_EVERY_MS) return;
    this.lastAuditPruneMs = now;
    const retentionDays = this.options.auditRetentionDays ?? 180;
    const { deleted, through } = await pruneAudit(this.store.database, this.store.clock, {
      retentionDays,
    });
    if (deleted)
      this.log.info('audit records past retention removed', { deleted, through, retentionDays });
  }

  private async fireDue(): Promise<number> {
    let total = 0;
    for (;;) {
      const claimed = await this.store.claimDueTimers(this.owner, this.options.batch ?? 50);
      if (!claimed.length) return total;
      for (const timer of claimed) {
        if (this.stopped) return total;
        try {
          const result = await this.store.fireTimer(timer);
          if (result === 'fired') {
            total++;
            this.fired++;
            this.log.debug('timer fired', { timerId: timer.id, caseId: timer.caseId });
          }
        } catch (error) {
          // The claim lease runs out and another pass retries it.
          this.log.warn('timer failed', {
            timerId: timer.id,
            caseId: timer.caseId,
            ...describeError(error),
          });
          await this.store
            .recordTimerError(timer.id, describeError(error).message as string)
            .catch(() => {});
        }
      }
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.running;
  }
}
