import { type Bilingual, parseDuration } from '@lianxin/spec';
import { addNatural } from '../calendar';

/** A pending timer as a queue hands it to the clock: when it falls due. */
export interface DueTimer {
  dueMs: number;
}

/**
 * Where the clock finds timers: `next` is the pending timer due first at or
 * before `untilMs`; `fire` fires it (at `now`, its due time) and returns false
 * to stop advancing (the command was refused).
 */
export interface TimerQueue<T extends DueTimer = DueTimer> {
  next(untilMs: number): T | undefined;
  fire(timer: T, now: Date): boolean;
}

/** The same queue over a database: either method may answer later. */
export interface AsyncTimerQueue<T extends DueTimer = DueTimer> {
  next(untilMs: number): Promise<T | undefined> | T | undefined;
  fire(timer: T, now: Date): Promise<boolean> | boolean;
}

/** Thrown for an instant or duration the clock cannot read; the message is bilingual. */
export class ClockInputError extends Error {
  constructor(readonly problem: Bilingual) {
    super(problem.en);
    this.name = 'ClockInputError';
  }
}

/** More firings than this in one advance means a timer that never goes away. */
const MAX_FIRINGS = 100_000;

/**
 * Simulated time (after XState's SimulatedClock): the one clock the
 * simulator, the `lianxin simulate` CLI, the designer's 模拟运行, the seed
 * and the engine's tests move. `now()` has the store's `Clock` shape, so the
 * same clock drives the real store in tests. Time only moves forward.
 */
export class SimulatedClock {
  private current: number;

  constructor(start: string | number | Date) {
    this.current = SimulatedClock.instant(start);
  }

  /** The current instant. */
  now(): Date {
    return new Date(this.current);
  }

  /** The current instant in milliseconds. */
  get ms(): number {
    return this.current;
  }

  /** The current instant as ISO 8601 (UTC), as the store passes it to the engine. */
  iso(): string {
    return new Date(this.current).toISOString();
  }

  /**
   * Where `advance(by)` ends: an ISO 8601 duration (`P3D`, `PT4H`, natural
   * time, months by the local calendar) or a number of milliseconds from now,
   * or an instant (ISO 8601 text, Date); never before now.
   */
  target(by: string | number | Date): number {
    if (typeof by === 'number') return this.current + Math.max(0, by);
    if (typeof by === 'string' && by.startsWith('P')) {
      const parts = parseDuration(by);
      if (!parts) {
        throw new ClockInputError({
          'zh-CN': `“${by}” 不是 ISO 8601 时长`,
          en: `"${by}" is not an ISO 8601 duration`,
        });
      }
      return addNatural(this.current, parts);
    }
    return Math.max(this.current, SimulatedClock.instant(by));
  }

  /**
   * Moves time to `by` (see `target`), firing on the way every timer the
   * queue has due, in due order, each at its own due time (a timer already
   * past due fires now). Returns false, with the clock at the refused
   * timer's due time, when `fire` refused one.
   */
  advance<T extends DueTimer>(by: string | number | Date, timers?: TimerQueue<T>): boolean {
    const until = this.target(by);
    if (timers) {
      for (let firings = 0; ; firings++) {
        const timer = timers.next(until);
        if (!timer) break;
        this.guard(firings);
        this.current = Math.max(this.current, timer.dueMs);
        if (!timers.fire(timer, this.now())) return false;
      }
    }
    this.current = Math.max(this.current, until);
    return true;
  }

  /** `advance` over a queue that answers asynchronously (the store). */
  async advanceAsync<T extends DueTimer>(
    by: string | number | Date,
    timers: AsyncTimerQueue<T>,
  ): Promise<boolean> {
    const until = this.target(by);
    for (let firings = 0; ; firings++) {
      const timer = await timers.next(until);
      if (!timer) break;
      this.guard(firings);
      this.current = Math.max(this.current, timer.dueMs);
      if (!(await timers.fire(timer, this.now()))) return false;
    }
    this.current = Math.max(this.current, until);
    return true;
  }

  private guard(firings: number) {
    if (firings >= MAX_FIRINGS) {
      throw new Error(
        `more than ${MAX_FIRINGS} timers fired in one advance: a timer never leaves its queue`,
      );
    }
  }

  private static instant(value: string | number | Date): number {
    const ms =
      typeof value === 'number'
        ? value
        : value instanceof Date
          ? value.getTime()
          : Date.parse(value);
    if (Number.isNaN(ms)) {
      throw new ClockInputError({
        'zh-CN': `“${String(value)}” 不是 ISO 8601 时间`,
        en: `"${String(value)}" is not an ISO 8601 instant`,
      });
    }
    return ms;
  }
}
