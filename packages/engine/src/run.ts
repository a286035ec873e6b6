import {
  compileSchema,
  type DataError,
  describeErrors,
  type FlowDefinition,
  type FlowNode,
} from '@lianxin/spec';
import { type DueResult, instantMs } from './calendar';
import type { FlowIndex } from './definition';
import { evolve } from './evolve';
import { RejectionSignal, reject } from './rejections';
import type {
  Actor,
  CaseFlag,
  CaseState,
  CommandOf,
  CommandType,
  Effect,
  Env,
  Event,
  EventBody,
  Notification,
  Rejection,
  RejectionCode,
} from './types';
import { WorkCalendar } from './work-calendar';

/** Automatic steps one command may take before the flow is judged to loop. */
const STEP_LIMIT = 10_000;

/** The item with this id in one of the state's lists. */
export function byId<T extends { id: string }>(list: readonly T[], id: string): T | undefined {
  for (const item of list) if (item.id === id) return item;
  return undefined;
}

export function fail(
  code: RejectionCode,
  params?: Record<string, string | number>,
  extra?: { errors?: DataError[] },
): never {
  throw new RejectionSignal(reject(code, params, extra));
}

const validators = new WeakMap<object, ReturnType<typeof compileSchema>>();
/** Validates with the shared ajv setup; compiled once per schema object. */
export function validate(schema: object, data: unknown): DataError[] {
  let fn = validators.get(schema);
  if (!fn) {
    fn = compileSchema(schema);
    validators.set(schema, fn);
  }
  return fn(data) ? [] : describeErrors(fn.errors);
}

/** One transition in progress: the state so far, the events and effects it produced. */
export class Run {
  state: CaseState;
  readonly events: Event[] = [];
  readonly effects: Effect[] = [];
  private steps = 0;
  readonly nowMs: number;
  /** The working-day calendar of this transition (env's, or the bundled one). */
  readonly calendar: WorkCalendar;

  constructor(
    readonly def: FlowDefinition,
    readonly ix: FlowIndex,
    state: CaseState,
    readonly env: Env,
    readonly actor: Actor | undefined,
  ) {
    this.state = state;
    this.nowMs = instantMs(env.now);
    this.calendar = env.calendar ?? WorkCalendar.bundled();
  }

  emit(body: EventBody): void {
    // Callers pass a fresh literal, so stamping it in place saves a copy per event.
    const event = body as Event;
    event.at = this.env.now;
    if (this.actor) event.by = this.actor.id;
    this.state = evolve(this.state, event);
    this.events.push(event);
    const effect = effectOf(event, this.state);
    if (effect) this.effects.push(effect);
  }

  notify(n: Omit<Notification, 'type'>): void {
    this.effects.push({ type: 'notify', ...n });
  }

  newId(): string {
    return this.env.newId();
  }

  step(): void {
    if (++this.steps > STEP_LIMIT) fail('flow.automaticLoop', { limit: STEP_LIMIT });
  }

  get active(): boolean {
    return this.state.status === 'active';
  }

  node(id: string): FlowNode {
    const node = this.ix.nodes.get(id);
    // Definitions are checked before they run; a missing node is a broken definition.
    if (!node) throw new Error(`node "${id}" is not in flow ${this.def.key}@${this.def.version}`);
    return node;
  }

  conditionData(extra?: Record<string, unknown>): Record<string, unknown> {
    const s = this.state;
    return {
      ...s.data,
      ...extra,
      $case: {
        channel: s.channel,
        urgency: s.urgency,
        repeat: s.repeat,
        jurisdiction: s.jurisdiction,
      },
    };
  }

  /**
   * Flags a deadline counted over a provisional year (`calendar.provisional`),
   * once per subject: the flag says which years and that the date may move
   * when the State Council's arrangement is published.
   */
  flagProvisional(subject: CaseFlag['subject'], due: DueResult): void {
    if (due.provisionalYears.length === 0) return;
    const same = this.state.flags.find(
      (f) => f.subject.kind === subject.kind && f.subject.id === subject.id,
    );
    if (
      same?.code === 'calendar.provisional' &&
      same.due === due.due &&
      same.years.join() === due.provisionalYears.join()
    )
      return;
    if (same) this.emit({ type: 'calendar.flagCleared', subject });
    this.emit({ type: 'calendar.provisional', flag: provisionalFlag(subject, due) });
  }
}

/** Local date and time (+08:00) of an ISO instant, for messages: `2027-03-01 23:59`. */
export function localTime(iso: string): string {
  return new Date(instantMs(iso) + 8 * 3_600_000).toISOString().slice(0, 16).replace('T', ' ');
}

function provisionalFlag(subject: CaseFlag['subject'], due: DueResult): CaseFlag {
  const years = due.provisionalYears.join('、');
  const yearsEn = due.provisionalYears.join(', ');
  return {
    code: 'calendar.provisional',
    subject,
    due: due.due,
    years: due.provisionalYears.slice(),
    calendarVersion: due.calendarVersion,
    message: {
      'zh-CN': `期限 ${localTime(due.due)} 按 ${years} 年的暂定日历计算（依《全国年节及纪念日放假办法》推算，不含调休），国务院放假安排公布后将重新计算`,
      en: `deadline ${localTime(due.due)} is counted on a provisional calendar for ${yearsEn} (the statutory holidays of the national holiday regulations, without make-up working days); it is counted again when the State Council's arrangement is published`,
    },
  };
}

export function effectOf(event: Event, state: CaseState): Effect | undefined {
  switch (event.type) {
    case 'task.opened':
      return { type: 'task.open', task: event.task };
    case 'task.claimed':
    case 'task.released':
    case 'task.reassigned':
    case 'task.delegated':
    case 'task.dueSoon':
    case 'task.dueChanged':
    case 'task.overdue': {
      const task = byId(state.tasks, event.taskId);
      return task ? { type: 'task.update', task } : undefined;
    }
    case 'task.completed':
      return { type: 'task.close', taskId: event.taskId, reason: 'completed' };
    case 'task.returned':
      return { type: 'task.close', taskId: event.taskId, reason: 'returned' };
    case 'task.refused':
      return { type: 'task.close', taskId: event.taskId, reason: 'refused' };
    case 'task.redispatched':
      return { type: 'task.close', taskId: event.taskId, reason: 'redispatched' };
    case 'extension.approved': {
      const task = event.taskId ? byId(state.tasks, event.taskId) : undefined;
      return task ? { type: 'task.update', task } : undefined;
    }
    case 'task.cancelled':
      return { type: 'task.close', taskId: event.taskId, reason: event.reason };
    case 'timer.set':
      return { type: 'timer.set', timerId: event.timer.id, due: event.timer.due };
    case 'timer.cancelled':
      return { type: 'timer.cancel', timerId: event.timerId };
    case 'child.started':
      return {
        type: 'child.start',
        childId: event.child.id,
        flow: event.child.flow,
        input: event.child.input,
      };
    case 'child.cancelled':
      return { type: 'child.cancel', childId: event.childId };
    case 'calendar.beyondCoverage':
    case 'calendar.provisional':
      return { type: 'case.flag', flag: event.flag };
    case 'calendar.flagCleared':
      return { type: 'case.unflag', subject: event.subject };
    case 'case.closed':
      return { type: 'case.close', outcome: event.outcome };
    case 'case.cancelled':
      return { type: 'case.close', cancelled: true };
    case 'supervision.issued':
    case 'supervision.answered':
    case 'supervision.closed': {
      const id = event.type === 'supervision.issued' ? event.order.id : event.supervisionId;
      const order = byId(state.supervisions ?? [], id);
      return order ? { type: 'supervision.save', order } : undefined;
    }
    default:
      return undefined;
  }
}

/** Aborts the transition with a guard's objection, if it has one. */
export function enforce(rejection: Rejection | undefined): void {
  if (rejection) throw new RejectionSignal(rejection);
}

export function needActor(run: Run): Actor {
  if (!run.actor) fail('actor.missing');
  return run.actor;
}

/** What a command does to the run: emits events, or throws a rejection. */
export type Handler<T extends CommandType> = (run: Run, command: CommandOf<T>) => void;
/** Handlers for a group of commands, so each group file is checked on its own. */
export type Handlers<T extends CommandType> = { [K in T]: Handler<K> };

export function message(zh: string, en: string) {
  return { 'zh-CN': zh, en };
}
