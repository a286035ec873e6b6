import {
  compileSchema,
  type DataError,
  describeErrors,
  type FlowDefinition,
  type FlowNode,
} from '@lianxin/spec';
import { HOLIDAY_COVERAGE, instantMs } from './calendar';
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

  constructor(
    readonly def: FlowDefinition,
    readonly ix: FlowIndex,
    state: CaseState,
    readonly env: Env,
    readonly actor: Actor | undefined,
  ) {
    this.state = state;
    this.nowMs = instantMs(env.now);
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

  flag(subject: CaseFlag['subject'], due: string): void {
    const flag: CaseFlag = {
      code: 'calendar.beyondCoverage',
      subject,
      coveredUntil: HOLIDAY_COVERAGE.until,
      message: {
        'zh-CN': `期限 ${due} 按工作日计算，涉及节假日数据未覆盖的年份（数据至 ${HOLIDAY_COVERAGE.until} 年），按周一至周五估算，请人工核对`,
        en: `deadline ${due} counts working days in a year the holiday data does not cover (it ends with ${HOLIDAY_COVERAGE.until}); estimated as Monday–Friday, check it by hand`,
      },
    };
    this.emit({ type: 'calendar.beyondCoverage', flag });
  }
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
      return { type: 'case.flag', flag: event.flag };
    case 'case.closed':
      return { type: 'case.close', outcome: event.outcome };
    case 'case.cancelled':
      return { type: 'case.close', cancelled: true };
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
