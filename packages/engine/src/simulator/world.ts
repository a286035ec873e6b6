import { type Bilingual, type LocalizedText, withoutContactDetails } from '@lianxin/spec';
import { initialState } from '../evolve';
import { transition } from '../transition';
import type {
  Actor,
  CaseState,
  Command,
  CommandOf,
  DueState,
  Effect,
  Env,
  Event,
  Notification,
  Rejection,
  RejectionCode,
  Task,
  TimerPurpose,
} from '../types';
import type { WorkCalendar } from '../work-calendar';
import type { SimulatedClock, TimerQueue } from './clock';

/** The definition type `transition` runs (checked, defaults filled). */
export type SimulatorDefinition = Parameters<typeof transition>[0];

/** A case as the store's `cases` row keeps it (the columns the engine decides). */
export interface SimulatedCase {
  id: string;
  definition: SimulatorDefinition;
  parentCaseId: string | null;
  parentChildId: string | null;
  /** `fold(events)`, as the row's `state` column. */
  state: CaseState;
  /** The `overdue` column: an open task or a running clock past its deadline. */
  overdue: boolean;
  /** The `late` column: a deadline was missed at some point. */
  late: boolean;
  events: Event[];
}

/** A row of the store's `tasks` table. */
export interface SimulatedTask {
  id: string;
  caseId: string;
  node: string;
  name: LocalizedText;
  form: string | null;
  role: string;
  jurisdiction: string;
  department: string | null;
  groupName: string | null;
  preferredUser: string | null;
  assignee: string | null;
  status: 'open' | 'closed';
  dueState: DueState;
  openedAt: string;
  due: string | null;
  dueMs: number | null;
  closedAt: string | null;
  closeReason: string | null;
}

/** A row of the store's `timers` table (without the scheduler's claim columns). */
export interface SimulatedTimer {
  id: string;
  caseId: string;
  due: string;
  dueMs: number;
  purpose: TimerPurpose | null;
  status: 'pending' | 'cancelled' | 'fired';
  firedAt: string | null;
}

/** A row of the store's `notifications` outbox. */
export interface SimulatedNotification {
  id: string;
  caseId: string;
  recipient: Notification['to'];
  message: Bilingual;
  taskId: string | null;
  createdAt: string;
}

/**
 * The store's own refusals, beside the engine's; `flow.invalid` is for
 * callers that check a drawn definition before simulating it (the designer).
 */
export type SimulatorRejectionCode =
  | RejectionCode
  | 'case.notFound'
  | 'subflow.notFound'
  | 'case.tooDeep'
  | 'flow.invalid';

export interface SimulatorRejection extends Omit<Rejection, 'code'> {
  code: SimulatorRejectionCode;
  /** The case whose command was refused; for a child case that could not start, its parent. */
  caseId?: string;
  /** Set when the refusal came from starting the child case of a subflow node. */
  subflow?: { node: string; flow: string };
}

export type SimulatorOutcome =
  | { ok: true; caseId: string; state: CaseState; events: Event[]; effects: Effect[] }
  | { ok: false; rejection: SimulatorRejection };

export interface SimulatorOptions {
  clock: SimulatedClock;
  /**
   * The definition a subflow node calls, as the store finds it: by key
   * (and version, else the latest) from the calling case's jurisdiction up.
   */
  resolveSubflow?: (
    ref: { key: string; version?: number },
    jurisdiction: string,
  ) => SimulatorDefinition | undefined;
  /** Ids for cases, tasks, timers, tokens…; default: a counter whose ids sort in creation order. */
  newId?: () => string;
  /** Seals sensitive form values as the store does (`Env.seal`); default: values stay as entered. */
  seal?: Env['seal'];
  /**
   * The working-day calendar every case of the run counts deadlines with, as
   * the store passes a jurisdiction's effective calendar (default: the engine's,
   * `WorkCalendar.bundled()`).
   */
  calendar?: WorkCalendar;
}

/** The actor the store uses for its own follow-ups (cancelling child cases). */
export const SIMULATOR_SYSTEM_ACTOR: Actor = { id: 'system', roles: ['admin'] };

/** As the store's `MAX_DEPTH`: how deep child cases may report to parents. */
const MAX_DEPTH = 8;

/** A counter of fixed width, so ids compare in the order they were made. */
export function counterIds(prefix = 'id-'): () => string {
  let n = 0;
  return () => `${prefix}${String(++n).padStart(6, '0')}`;
}

class Refused {
  constructor(readonly rejection: SimulatorRejection) {}
}

interface Tables {
  cases: Map<string, SimulatedCase>;
  tasks: Map<string, SimulatedTask>;
  timers: Map<string, SimulatedTimer>;
  notifications: SimulatedNotification[];
  /** `parent/childId` → the child case, kept when a cancelled child is detached. */
  children: Map<string, string>;
}

function copyTables(t: Tables): Tables {
  return {
    cases: new Map([...t.cases].map(([id, c]) => [id, { ...c, events: c.events.slice() }])),
    tasks: new Map([...t.tasks].map(([id, x]) => [id, { ...x }])),
    timers: new Map([...t.timers].map(([id, x]) => [id, { ...x }])),
    notifications: t.notifications.slice(),
    children: new Map(t.children),
  };
}

function overdueOf(state: CaseState): boolean {
  return (
    state.tasks.some((t) => t.dueState === 'overdue') ||
    Object.values(state.clocks).some((c) => c.overdue && c.status !== 'stopped')
  );
}

/** The columns of a task row, as the store's `tasks` table and the simulator keep them. */
export function taskRowValues(task: Task) {
  return {
    node: task.node,
    name: task.name,
    form: task.form ?? null,
    role: task.candidates.role,
    jurisdiction: task.candidates.jurisdiction,
    department: task.candidates.department ?? null,
    groupName: task.candidates.group ?? null,
    preferredUser: task.candidates.preferredUser ?? null,
    assignee: task.assignee ?? null,
    dueState: task.dueState,
    due: task.due ?? null,
    dueMs: task.due ? Date.parse(task.due) : null,
  };
}

/**
 * The store's path without the database (packages/store/src/cases.ts):
 * cases with their events, task rows, timer rows and the notification
 * outbox, changed by engine transitions exactly as the store's transaction
 * changes them, child cases included. Pure: time comes from the clock, ids
 * from `newId`. A refused command, anywhere in the chain of parent and
 * child cases it sets off, changes nothing, as a rolled-back transaction.
 */
export class Simulator {
  readonly clock: SimulatedClock;
  private tables: Tables = {
    cases: new Map(),
    tasks: new Map(),
    timers: new Map(),
    notifications: [],
    children: new Map(),
  };
  private readonly newId: () => string;
  private readonly seal: Env['seal'];
  private readonly calendar: WorkCalendar | undefined;
  private readonly notificationId = counterIds('notification-');
  private readonly resolveSubflow: NonNullable<SimulatorOptions['resolveSubflow']>;

  constructor(options: SimulatorOptions) {
    this.clock = options.clock;
    this.newId = options.newId ?? counterIds();
    this.seal = options.seal;
    this.calendar = options.calendar;
    this.resolveSubflow = options.resolveSubflow ?? (() => undefined);
  }

  /**
   * Starts a case of `definition` as `Store.startCase` does: a petitioner's
   * phone and ID-card number are dropped from the data first.
   */
  start(definition: SimulatorDefinition, command: CommandOf<'case.start'>): SimulatorOutcome {
    const safe = command.data ? { ...command, data: withoutContactDetails(command.data) } : command;
    return this.atomically(() => this.startCase(definition, safe, null, 0));
  }

  /** One command on one case, with everything it sets off in parents and children (as `Store.act`). */
  act(caseId: string, command: Command): SimulatorOutcome {
    return this.atomically(() => this.actOn(caseId, command, 0));
  }

  /**
   * Moves the clock (an ISO 8601 instant or duration, see
   * `SimulatedClock.target`), firing every timer of every case that falls
   * due on the way, each at its own due time, as the store's scheduler does.
   */
  advance(
    by: string | number | Date,
  ): { ok: true } | { ok: false; timerId: string; rejection: SimulatorRejection } {
    let refused: { timerId: string; rejection: SimulatorRejection } | undefined;
    const queue: TimerQueue<SimulatedTimer> = {
      next: (untilMs) => this.nextDue(untilMs),
      fire: (timer) => {
        const result = this.fireTimer(timer.id);
        if (result.ok) return true;
        refused = { timerId: timer.id, rejection: result.rejection };
        return false;
      },
    };
    this.clock.advance(by, queue);
    return refused ? { ok: false, ...refused } : { ok: true };
  }

  /**
   * Fires one timer as `Store.fireTimer` does: a timer whose case has closed
   * or no longer holds it is cancelled instead.
   */
  fireTimer(timerId: string): SimulatorOutcome | { ok: true; gone: true } {
    const timer = this.tables.timers.get(timerId);
    if (timer?.status !== 'pending') return { ok: true, gone: true };
    const owner = this.tables.cases.get(timer.caseId);
    if (owner?.state.status !== 'active' || !owner.state.timers.some((x) => x.id === timerId)) {
      this.tables.timers.set(timerId, { ...timer, status: 'cancelled' });
      return { ok: true, gone: true };
    }
    return this.atomically(() => {
      const outcome = this.actOn(timer.caseId, { type: 'timer.fire', timerId }, 0);
      const row = this.tables.timers.get(timerId);
      if (row?.status === 'pending') {
        this.tables.timers.set(timerId, { ...row, status: 'fired', firedAt: this.clock.iso() });
      }
      return outcome;
    });
  }

  /** The pending timer due first by `untilMs`; ties by id (creation order with counter ids). */
  nextDue(untilMs: number): SimulatedTimer | undefined {
    let best: SimulatedTimer | undefined;
    for (const t of this.tables.timers.values()) {
      if (t.status !== 'pending' || t.dueMs > untilMs) continue;
      if (!best || t.dueMs < best.dueMs || (t.dueMs === best.dueMs && t.id < best.id)) best = t;
    }
    return best;
  }

  /** One case as stored: its row's state, `late` and `overdue`, and its events. */
  case(caseId: string): SimulatedCase | undefined {
    return this.tables.cases.get(caseId);
  }

  /** Every case, in the order they started. */
  cases(): SimulatedCase[] {
    return [...this.tables.cases.values()];
  }

  /** The child case a case's subflow node started (the latest, if it ran more than once). */
  childCase(parentId: string, node: string): SimulatedCase | undefined {
    const parent = this.tables.cases.get(parentId);
    if (!parent) return undefined;
    const started = parent.events.filter(
      (e): e is Extract<Event, { type: 'child.started' }> =>
        e.type === 'child.started' && e.child.node === node,
    );
    const childId = started.at(-1)?.child.id;
    const caseId = childId && this.tables.children.get(`${parentId}/${childId}`);
    return caseId ? this.tables.cases.get(caseId) : undefined;
  }

  /** Task rows (open and closed) in the order they opened, of one case or all. */
  tasks(caseId?: string): SimulatedTask[] {
    return [...this.tables.tasks.values()].filter((t) => !caseId || t.caseId === caseId);
  }

  /** Timer rows (pending, cancelled, fired), of one case or all. */
  timers(caseId?: string): SimulatedTimer[] {
    return [...this.tables.timers.values()].filter((t) => !caseId || t.caseId === caseId);
  }

  /** The notification outbox, of one case or all. */
  notifications(caseId?: string): SimulatedNotification[] {
    return this.tables.notifications.filter((n) => !caseId || n.caseId === caseId);
  }

  private atomically<R>(work: () => R): R | { ok: false; rejection: SimulatorRejection } {
    const before = copyTables(this.tables);
    try {
      return work();
    } catch (error) {
      this.tables = before;
      if (error instanceof Refused) return { ok: false, rejection: error.rejection };
      throw error;
    }
  }

  private env() {
    return {
      now: this.clock.iso(),
      newId: this.newId,
      ...(this.seal ? { seal: this.seal } : {}),
      ...(this.calendar ? { calendar: this.calendar } : {}),
    };
  }

  private startCase(
    definition: SimulatorDefinition,
    command: CommandOf<'case.start'>,
    parent: { caseId: string; childId: string; node: string } | null,
    depth: number,
  ): SimulatorOutcome & { ok: true } {
    if (depth > MAX_DEPTH) throw new Refused(tooDeep(parent?.caseId ?? ''));
    const result = transition(definition, initialState(), command, this.env());
    if (!result.ok) {
      const from = parent && {
        caseId: parent.caseId,
        subflow: { node: parent.node, flow: definition.key },
      };
      throw new Refused({ ...result.rejection, ...from });
    }
    const state = result.state;
    if (parent) this.tables.children.set(`${parent.caseId}/${parent.childId}`, state.caseId);
    this.tables.cases.set(state.caseId, {
      id: state.caseId,
      definition,
      parentCaseId: parent?.caseId ?? null,
      parentChildId: parent?.childId ?? null,
      state,
      overdue: overdueOf(state),
      late: state.late === true,
      events: result.events.slice(),
    });
    this.applyEffects(state, result.effects, depth);
    // As the store: a child that closes as it starts reports back now.
    if (parent && state.status !== 'active') {
      this.completeParent(parent.caseId, parent.childId, state, depth);
    }
    return { ...result, caseId: state.caseId };
  }

  private actOn(caseId: string, command: Command, depth: number): SimulatorOutcome & { ok: true } {
    const row = this.tables.cases.get(caseId);
    if (!row) {
      throw new Refused({
        code: 'case.notFound',
        caseId,
        message: { 'zh-CN': `没有案件 ${caseId}`, en: `no case ${caseId}` },
      });
    }
    if (depth > MAX_DEPTH) throw new Refused(tooDeep(caseId));
    const before = row.state;
    const result = transition(row.definition, before, command, this.env());
    if (!result.ok) throw new Refused({ ...result.rejection, caseId });
    const state = result.state;
    this.tables.cases.set(caseId, {
      ...row,
      state,
      overdue: overdueOf(state),
      late: state.late === true,
      events: [...row.events, ...result.events],
    });
    this.applyEffects(state, result.effects, depth);
    if (state.status !== 'active' && before.status === 'active') {
      // Read again: the effects may have detached it.
      const now = this.tables.cases.get(caseId);
      if (now?.parentCaseId && now.parentChildId) {
        this.completeParent(now.parentCaseId, now.parentChildId, state, depth);
      }
    }
    return { ...result, caseId };
  }

  private completeParent(parentId: string, childId: string, child: CaseState, depth: number) {
    const parent = this.tables.cases.get(parentId);
    if (parent?.state.status !== 'active' || !parent.state.children.some((c) => c.id === childId))
      return;
    this.actOn(
      parentId,
      { type: 'child.complete', childId, outcome: child.outcome ?? 'withdrawn', data: child.data },
      depth + 1,
    );
  }

  /** `CaseWriter.applyEffects`, effect by effect. */
  private applyEffects(state: CaseState, effects: Effect[], depth: number) {
    const now = state.updatedAt;
    for (const effect of effects) {
      switch (effect.type) {
        case 'task.open':
        case 'task.update': {
          const task = effect.task;
          const values = taskRowValues(task);
          if (effect.type === 'task.open') {
            if (this.tables.tasks.has(task.id)) throw new Error(`task ${task.id} opened twice`);
            this.tables.tasks.set(task.id, {
              id: task.id,
              caseId: state.caseId,
              status: 'open',
              openedAt: task.openedAt,
              closedAt: null,
              closeReason: null,
              ...values,
            });
          } else {
            const row = this.tables.tasks.get(task.id);
            if (row) this.tables.tasks.set(task.id, { ...row, ...values });
          }
          break;
        }
        case 'task.close': {
          const row = this.tables.tasks.get(effect.taskId);
          if (row) {
            this.tables.tasks.set(effect.taskId, {
              ...row,
              status: 'closed',
              closedAt: now,
              closeReason: effect.reason,
            });
          }
          break;
        }
        case 'timer.set':
          if (this.tables.timers.has(effect.timerId))
            throw new Error(`timer ${effect.timerId} set twice`);
          this.tables.timers.set(effect.timerId, {
            id: effect.timerId,
            caseId: state.caseId,
            due: effect.due,
            dueMs: Date.parse(effect.due),
            purpose: state.timers.find((x) => x.id === effect.timerId)?.purpose ?? null,
            status: 'pending',
            firedAt: null,
          });
          break;
        case 'timer.cancel': {
          const row = this.tables.timers.get(effect.timerId);
          if (row?.status === 'pending')
            this.tables.timers.set(effect.timerId, { ...row, status: 'cancelled' });
          break;
        }
        case 'child.start': {
          const childNode = state.children.find((c) => c.id === effect.childId)?.node ?? '';
          const definition = this.resolveSubflow(effect.flow, state.jurisdiction);
          if (!definition) {
            throw new Refused({
              code: 'subflow.notFound',
              caseId: state.caseId,
              message: {
                'zh-CN': `找不到子流程 ${effect.flow.key}${effect.flow.version ? ` 第 ${effect.flow.version} 版` : ''}（${state.jurisdiction} 及上级均未发布）`,
                en: `subflow ${effect.flow.key}${effect.flow.version ? ` version ${effect.flow.version}` : ''} is not published in ${state.jurisdiction} or above`,
              },
              subflow: { node: childNode, flow: effect.flow.key },
            });
          }
          this.startCase(
            definition,
            {
              type: 'case.start',
              channel: state.channel,
              data: effect.input,
              jurisdiction: state.jurisdiction,
              ...(state.urgency ? { urgency: state.urgency } : {}),
            },
            { caseId: state.caseId, childId: effect.childId, node: childNode },
            depth + 1,
          );
          break;
        }
        case 'child.cancel': {
          const child = this.cases().find(
            (c) => c.parentCaseId === state.caseId && c.parentChildId === effect.childId,
          );
          if (child && child.state.status === 'active') {
            // Detach first so the child's closing does not report back to the parent.
            this.tables.cases.set(child.id, { ...child, parentChildId: null });
            this.actOn(
              child.id,
              { type: 'case.cancel', reason: 'parent cancelled', actor: SIMULATOR_SYSTEM_ACTOR },
              depth + 1,
            );
          }
          break;
        }
        case 'notify':
          this.tables.notifications.push({
            id: this.notificationId(),
            caseId: state.caseId,
            recipient: effect.to,
            message: effect.message,
            taskId: effect.taskId ?? null,
            createdAt: now,
          });
          break;
        case 'case.flag':
        case 'case.unflag':
        case 'case.close':
          // These live in the case state (flags, status), already kept with the row.
          break;
      }
    }
  }
}

function tooDeep(caseId: string): SimulatorRejection {
  return {
    code: 'case.tooDeep',
    caseId,
    message: {
      'zh-CN': `子案件嵌套超过 ${MAX_DEPTH} 层`,
      en: `child cases nest deeper than ${MAX_DEPTH} levels`,
    },
  };
}
