import type {
  Bilingual,
  Channel,
  DataError,
  JurisdictionLevel,
  LocalizedText,
  Outcome,
  UrgencyColour,
} from '@lianxin/spec';

/** The clock and id source the caller injects; the engine has no other. */
export interface Env {
  /** The current instant, ISO 8601 (e.g. `2025-09-30T09:00:00+08:00` or `…Z`). */
  now: string;
  newId: () => string;
}

/**
 * Who issues a command. Roles `leader` and `admin` are supervisory: they may
 * reassign, approve extensions, pause clocks and set the 包案 leader.
 */
export interface Actor {
  id: string;
  roles: string[];
  /** GB/T 2260 code of the actor's office. */
  jurisdiction?: string;
  /**
   * The roles held in that office itself (not through a membership above it):
   * what a flow's `registeringOffice` rule reads. When absent, `roles`.
   */
  officeRoles?: string[];
  department?: string;
  groups?: string[];
}

export type CaseStatus = 'new' | 'active' | 'closed' | 'cancelled';

export interface CandidateRule {
  role: string;
  jurisdiction: string;
  department?: string;
  group?: string;
  /** Pre-assigned user (首办责任制 first handler or 包案 leader). */
  preferredUser?: string;
}

export type DueState = 'onTime' | 'dueSoon' | 'overdue';

export interface Task {
  id: string;
  tokenId: string;
  node: string;
  name: LocalizedText;
  form?: string;
  candidates: CandidateRule;
  assignee?: string;
  /** Who delegated it, when delegated (they stay responsible). */
  delegatedBy?: string;
  openedAt: string;
  due?: string;
  warnAt?: string;
  dueState: DueState;
  /** The statutory clock the task's deadline follows (`deadlineClock`): extensions and pauses move it. */
  clock?: string;
  /** Multi-instance tasks: which item of the list this task handles. */
  item?: { index: number; value: unknown };
}

export interface Token {
  id: string;
  node: string;
  since: string;
  /** Multi-instance progress: tasks still open and the last action taken. */
  multi?: { open: number; lastEdge?: string };
}

export type TimerPurpose =
  | { kind: 'node'; tokenId: string; node: string }
  | { kind: 'taskWarning' | 'taskOverdue'; taskId: string }
  | { kind: 'clockWarning' | 'clockOverdue'; clockId: string };

export interface Timer {
  id: string;
  due: string;
  purpose: TimerPurpose;
}

export interface ChildCase {
  id: string;
  tokenId: string;
  node: string;
  flow: { key: string; version?: number };
  input: Record<string, unknown>;
}

export interface ClockState {
  id: string;
  name: LocalizedText;
  status: 'running' | 'paused' | 'stopped' | 'overdue';
  startedAt: string;
  due: string;
  warnAt?: string;
  calendar: 'natural' | 'workingDays';
  pausedAt?: string;
  pauseReason?: string;
  /** Total paused time in milliseconds; the due date already includes it. */
  pausedMs: number;
  extensionsUsed: number;
  stoppedAt?: string;
  overdue: boolean;
}

export interface ExtensionRequest {
  id: string;
  clockId: string;
  duration: string;
  reason: string;
  requestedBy: string;
  requestedAt: string;
}

export type CaseFlag = {
  code: 'calendar.beyondCoverage';
  /** What the deadline belongs to: a task, a clock or a timer. */
  subject: { kind: 'task' | 'clock' | 'timer'; id: string };
  /** Last year the holiday data covers. */
  coveredUntil: number;
  message: Bilingual;
};

export interface CaseState {
  caseId: string;
  flow: { key: string; version: number };
  /** Increments with every event. */
  version: number;
  status: CaseStatus;
  outcome?: Outcome;
  cancelReason?: string;
  createdAt: string;
  updatedAt: string;
  closedAt?: string;
  channel: Channel;
  /** Where the case is handled now (escalation moves it up). */
  jurisdiction: string;
  receivedJurisdiction: string;
  escalatedTo?: JurisdictionLevel;
  petitioner?: string;
  urgency: UrgencyColour | null;
  repeat: boolean;
  /**
   * Set once a task deadline or a statutory clock is missed, and never cleared
   * (an extension approved afterwards does not undo it): the case cannot count
   * as closed on time (docs/stats.md).
   */
  late?: true;
  data: Record<string, unknown>;
  /** Lists in creation order (small; arrays copy faster than id-keyed objects). */
  tokens: Token[];
  /** Open tasks, in opening order. */
  tasks: Task[];
  timers: Timer[];
  /** Running child cases. */
  children: ChildCase[];
  /** Join nodes waiting for branches: the incoming edges that have arrived. */
  joins: Record<string, string[]>;
  clocks: Record<string, ClockState>;
  extensionRequests: Record<string, ExtensionRequest>;
  firstHandler?: string;
  leaderOwner?: string;
  flags: CaseFlag[];
  comments: { id: string; by: string; at: string; text: string }[];
  attachments: { id: string; by: string; at: string; ref: string; name?: string }[];
}

interface CommandBase {
  actor?: Actor;
  /** The state version the UI saw; a mismatch is rejected as `state.stale`. */
  expectedVersion?: number;
}

export type Command = CommandBase &
  (
    | {
        type: 'case.start';
        channel: Channel;
        data?: Record<string, unknown>;
        petitioner?: string;
        jurisdiction?: string;
        urgency?: UrgencyColour;
        repeat?: boolean;
      }
    | { type: 'task.complete'; taskId: string; action: string; data?: Record<string, unknown> }
    | { type: 'task.claim'; taskId: string }
    | { type: 'task.release'; taskId: string }
    | { type: 'task.reassign'; taskId: string; to: string }
    | { type: 'task.delegate'; taskId: string; to: string }
    | { type: 'task.return'; taskId: string; to: string; reason: string }
    | { type: 'task.refuse'; taskId: string; reason: string }
    | { type: 'timer.fire'; timerId: string }
    | { type: 'deadline.requestExtension'; clockId: string; duration: string; reason: string }
    | { type: 'deadline.approveExtension'; requestId: string }
    | { type: 'deadline.refuseExtension'; requestId: string; reason: string }
    | { type: 'clock.pause'; clockId: string; reason: string }
    | { type: 'clock.resume'; clockId: string; reason?: string }
    | { type: 'case.comment'; text: string }
    | { type: 'case.attach'; ref: string; name?: string }
    | { type: 'case.setLeader'; userId: string }
    | { type: 'case.setUrgency'; urgency: UrgencyColour }
    | { type: 'case.withdraw'; reason: string }
    | { type: 'case.cancel'; reason: string }
    | {
        type: 'child.complete';
        childId: string;
        outcome: Outcome;
        data?: Record<string, unknown>;
      }
    | { type: 'case.migrate'; mapping?: Record<string, string> }
  );
export type CommandType = Command['type'];
export type CommandOf<T extends CommandType> = Extract<Command, { type: T }>;

/** Every event names when it happened and carries what replay needs, so replay needs no env. */
export type Event = { at: string; by?: string } & EventBody;
export type EventBody =
  | {
      type: 'case.started';
      caseId: string;
      flow: { key: string; version: number };
      channel: Channel;
      data: Record<string, unknown>;
      petitioner?: string;
      jurisdiction: string;
      urgency: UrgencyColour | null;
      repeat: boolean;
    }
  | { type: 'token.created'; tokenId: string; node: string; via?: string }
  | { type: 'token.moved'; tokenId: string; node: string; via: string }
  | { type: 'token.consumed'; tokenId: string; reason: 'joined' | 'ended' | 'cancelled' }
  | { type: 'multiTask.started'; tokenId: string; count: number }
  | { type: 'join.arrived'; node: string; edge: string }
  | { type: 'join.reset'; node: string; edges: string[] }
  | { type: 'task.opened'; task: Task }
  | { type: 'task.claimed'; taskId: string; userId: string }
  | { type: 'task.released'; taskId: string }
  | { type: 'task.reassigned'; taskId: string; to: string }
  | { type: 'task.delegated'; taskId: string; to: string }
  | {
      type: 'task.completed';
      taskId: string;
      action: string;
      edge: string;
      data: Record<string, unknown>;
    }
  | { type: 'task.returned'; taskId: string; to: string; reason: string }
  | { type: 'task.refused'; taskId: string; backTo: string; reason: string }
  | { type: 'task.cancelled'; taskId: string; reason: 'ended' | 'branchCancelled' | 'deadline' }
  | { type: 'task.dueSoon'; taskId: string }
  | { type: 'task.overdue'; taskId: string }
  /** A task bound to a clock follows it: extension, pause and resume move its due date. */
  | { type: 'task.dueChanged'; taskId: string; due: string; warnAt?: string; dueState: DueState }
  | { type: 'data.merged'; values: Record<string, unknown> }
  | { type: 'data.set'; var: string; value: unknown }
  | { type: 'data.appended'; var: string; value: unknown }
  | { type: 'firstHandler.set'; userId: string }
  | { type: 'timer.set'; timer: Timer }
  | { type: 'timer.fired'; timerId: string }
  | { type: 'timer.cancelled'; timerId: string }
  | { type: 'child.started'; child: ChildCase }
  | { type: 'child.completed'; childId: string; outcome: Outcome }
  | { type: 'child.cancelled'; childId: string }
  | { type: 'clock.started'; clock: ClockState }
  | { type: 'clock.stopped'; clockId: string }
  | { type: 'clock.dueSoon'; clockId: string }
  | { type: 'clock.overdue'; clockId: string }
  | { type: 'clock.paused'; clockId: string; reason: string }
  | {
      type: 'clock.resumed';
      clockId: string;
      due: string;
      warnAt?: string;
      pausedMs: number;
      reason?: string;
    }
  | {
      type: 'extension.requested';
      request: ExtensionRequest;
    }
  | {
      type: 'extension.approved';
      requestId: string;
      clockId: string;
      due: string;
      warnAt?: string;
    }
  | { type: 'extension.refused'; requestId: string; reason: string }
  | { type: 'calendar.beyondCoverage'; flag: CaseFlag }
  | { type: 'comment.added'; id: string; text: string }
  | { type: 'attachment.added'; id: string; ref: string; name?: string }
  | { type: 'leaderOwner.set'; userId: string }
  | { type: 'urgency.set'; urgency: UrgencyColour }
  | { type: 'case.escalated'; level: JurisdictionLevel; jurisdiction: string }
  | { type: 'case.closed'; outcome: Outcome; node?: string }
  | { type: 'case.cancelled'; reason: string }
  | { type: 'case.migrated'; from: number; to: number; mapping: Record<string, string> };
export type EventType = Event['type'];

/** A notification the store should deliver (SMS, inbox, …). */
export interface Notification {
  type: 'notify';
  to:
    | { kind: 'petitioner' | 'leaderOwner' | 'assignees' }
    | { kind: 'user'; userId: string }
    | { kind: 'candidates'; candidates: CandidateRule };
  message: Bilingual;
  taskId?: string;
  clockId?: string;
}

/** What the store must do, in one transaction with the events. */
export type Effect =
  | { type: 'task.open'; task: Task }
  | { type: 'task.update'; task: Task }
  | { type: 'task.close'; taskId: string; reason: string }
  | { type: 'timer.set'; timerId: string; due: string }
  | { type: 'timer.cancel'; timerId: string }
  | {
      type: 'child.start';
      childId: string;
      flow: { key: string; version?: number };
      input: Record<string, unknown>;
    }
  | { type: 'child.cancel'; childId: string }
  | { type: 'case.flag'; flag: CaseFlag }
  | { type: 'case.close'; outcome?: Outcome; cancelled?: boolean }
  | Notification;

export type RejectionCode =
  | 'state.stale'
  | 'definition.mismatch'
  | 'case.notStarted'
  | 'case.alreadyStarted'
  | 'case.closed'
  | 'channel.notAllowed'
  | 'jurisdiction.invalid'
  | 'actor.missing'
  | 'actor.notAllowed'
  | 'task.notFound'
  | 'task.alreadyClaimed'
  | 'task.notClaimed'
  | 'action.unknown'
  | 'form.invalid'
  | 'return.notAllowed'
  | 'return.notEarlier'
  | 'refusal.notAllowed'
  | 'timer.notFound'
  | 'timer.notDue'
  | 'clock.notFound'
  | 'clock.notRunning'
  | 'clock.notPaused'
  | 'extension.notAllowed'
  | 'extension.tooLong'
  | 'extension.exhausted'
  | 'extension.notFound'
  | 'duration.invalid'
  | 'child.notFound'
  | 'migration.notNewer'
  | 'migration.unmappedNode'
  | 'migration.incompatibleNode'
  | 'text.empty'
  | 'flow.automaticLoop'
  | 'command.unknown'
  | 'env.invalidTime'
  | 'engine.internal';

export interface Rejection {
  code: RejectionCode;
  message: Bilingual;
  /** Form data errors with JSON Pointers, for `form.invalid`. */
  errors?: DataError[];
  details?: Record<string, unknown>;
}

export type TransitionResult =
  | { ok: true; state: CaseState; events: Event[]; effects: Effect[] }
  | { ok: false; rejection: Rejection };
