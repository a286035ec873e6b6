import type {
  Bilingual,
  Channel,
  DataError,
  JurisdictionLevel,
  LocalizedText,
  Outcome,
  SensitiveKind,
  UrgencyColour,
} from '@lianxin/spec';
import type { WorkCalendar } from './work-calendar';

/** The clock and id source the caller injects; the engine has no other. */
export interface Env {
  /** The current instant, ISO 8601 (e.g. `2025-09-30T09:00:00+08:00` or `…Z`). */
  now: string;
  newId: () => string;
  /**
   * Seals a sensitive form value (`x-sensitive`) before any event holds it:
   * the store passes its key's encryption, so case data, state and events
   * carry only sealed strings (`lx:s1:…`). Without it (the designer's
   * simulation) values stay as entered. The engine never opens them.
   */
  seal?: (kind: SensitiveKind, plain: string) => string;
  /**
   * The working-day calendar deadlines are counted with (default
   * `WorkCalendar.bundled()`). Every event with a due date it computed records
   * the calendar's `version`.
   */
  calendar?: WorkCalendar;
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
  /**
   * A department's share of joint handling (`joint` or `refusal.redispatch`):
   * the lead (主办) writes the merged reply, assisting departments (协办)
   * contribute, members of a joint handling without a lead reply alike.
   */
  share?: 'lead' | 'assist' | 'member';
  /** Opened again after a return or a refusal (退回, 拒签): its form opens with what was entered. */
  again?: true;
  /** A re-dispatch task: a department refused the share `item`; who re-dispatches it decides. */
  redispatch?: { refusedTask: string; reason: string; refusedBy?: string };
  /**
   * The task's own deadline terms as they were when it opened (the urgency
   * colour can pick them), so `calendar.recompute` counts them again from
   * `openedAt`. Absent on tasks without an own deadline, and on tasks opened
   * before calendars were versioned (recompute then reads the definition).
   */
  deadline?: {
    duration: string;
    calendar: 'natural' | 'workingDays';
    rollOverHolidays: boolean;
    warningBefore?: string;
    /** Approved extensions of this deadline (`task.requestExtension`), counted after it in order. */
    extensions?: string[];
    /** The clock (`joint.within`) this deadline may not pass. */
    within?: string;
  };
}

export interface Token {
  id: string;
  node: string;
  since: string;
  /** Multi-instance progress: tasks still open and the last action taken. */
  multi?: {
    open: number;
    lastEdge?: string;
    /** Shares only: the items whose department has replied (not asked again on a re-dispatch). */
    done?: unknown[];
  };
}

export type TimerPurpose =
  | { kind: 'node'; tokenId: string; node: string }
  | { kind: 'taskWarning' | 'taskOverdue'; taskId: string }
  | { kind: 'clockWarning' | 'clockOverdue'; clockId: string }
  /** A 督办 order's deadline: reminds both sides if it is still unanswered then. */
  | { kind: 'supervisionOverdue'; supervisionId: string };

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
  /**
   * The pause step (`clocks[].pause`) the case entered when the clock stood
   * still on its own; absent while a leader paused it by hand. The clock
   * resumes on its own once no branch of the case is at a pause step.
   */
  pauseStep?: string;
  /** Total paused time in milliseconds; the due date already includes it. */
  pausedMs: number;
  /**
   * On a clock counting working days: the part of the paused time that fell on working days
   * (`workingMsBetween`), whose whole days move the due date. Absent on clocks never resumed
   * since it was kept, whose pauses moved their due dates by natural days.
   */
  pausedWorkMs?: number;
  extensionsUsed: number;
  stoppedAt?: string;
  overdue: boolean;
  /**
   * What the due date was computed from, so `calendar.recompute` can count it
   * again with another calendar: the duration the clock started with (the
   * urgency colour can pick it) and each approved extension with the paused
   * time accrued before it (pauses shift the due date exactly, extensions
   * count from the due date as it then was). Absent on clocks started before
   * calendars were versioned; recompute then reads the definition.
   */
  basis?: {
    duration: string;
    rollOverHolidays: boolean;
    warningBefore?: string;
    extensions: { duration: string; pausedMsBefore: number; pausedWorkMsBefore?: number }[];
  };
}

/** Whom a supervision order (督办) is addressed to. */
export type SupervisionAddressee =
  /** Whoever works the case's open tasks when it is issued (and after). */
  | { kind: 'assignees' }
  /** A department of a jurisdiction (every active member of it). */
  | { kind: 'department'; jurisdiction: string; department: string }
  | { kind: 'user'; userId: string };

/**
 * A supervision order (督办/催办): a leader or supervisor asks for the case to
 * be handled by a deadline; the addressee answers (反馈), the issuing side
 * closes it (结束督办). Kept in the state: few per case, and the guards read it.
 */
export interface SupervisionOrder {
  id: string;
  reason: string;
  /** ISO instant the answer is due. */
  deadline: string;
  to: SupervisionAddressee;
  issuedBy: string;
  issuedAt: string;
  status: 'open' | 'answered' | 'closed';
  answer?: { by: string; at: string; text: string };
  closed?: { by: string; at: string; note?: string };
}

export interface ExtensionRequest {
  id: string;
  /** The statutory clock to extend, or (with `taskId`) empty. */
  clockId: string;
  /** A task's own deadline to extend (`task.requestExtension`). */
  taskId?: string;
  duration: string;
  reason: string;
  requestedBy: string;
  requestedAt: string;
}

/** What a deadline belongs to: a task, a clock or a timer. */
export interface FlagSubject {
  kind: 'task' | 'clock' | 'timer';
  id: string;
}

export type CaseFlag =
  | {
      /**
       * A deadline counted over a provisional year (computed from the 放假办法,
       * before the State Council's arrangement is known): one flag per deadline,
       * cleared (`calendar.flagCleared`) when it is counted again on official data.
       */
      code: 'calendar.provisional';
      subject: FlagSubject;
      /** The deadline's due instant as computed. */
      due: string;
      /** The provisional years the count passed. */
      years: number[];
      calendarVersion: string;
      message: Bilingual;
    }
  | {
      /** Before calendars were versioned: a count beyond the bundled years, estimated Monday–Friday. */
      code: 'calendar.beyondCoverage';
      subject: FlagSubject;
      /** Last year the holiday data covers. */
      coveredUntil: number;
      message: Bilingual;
    };

/** A comment (批注) on a case, as `comment.added` records it. */
export interface CaseComment {
  id: string;
  by: string;
  at: string;
  text: string;
}

/** An attachment's entry on a case, as `attachment.added` records it (the file is the store's). */
export interface CaseAttachment {
  id: string;
  by: string;
  at: string;
  ref: string;
  name?: string;
}

/**
 * The lists that grow with a case's history, kept out of `CaseState` so a
 * transition's cost does not grow with them: read from the events
 * (`caseNotes`) where a case is shown.
 */
export interface CaseNotes {
  comments: CaseComment[];
  attachments: CaseAttachment[];
}

/**
 * What a case is now: small and bounded by the flow, not by the history
 * (comments and attachments are `CaseNotes`, read from the events).
 */
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
  /** Supervision orders (督办), oldest first; absent until the first is issued. */
  supervisions?: SupervisionOrder[];
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
    | { type: 'task.requestExtension'; taskId: string; duration: string; reason: string }
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
    | { type: 'case.supervise'; reason: string; deadline: string; to: SupervisionAddressee }
    | { type: 'case.answerSupervision'; supervisionId: string; text: string }
    | { type: 'case.closeSupervision'; supervisionId: string; note?: string }
    | {
        type: 'child.complete';
        childId: string;
        outcome: Outcome;
        data?: Record<string, unknown>;
      }
    | { type: 'case.migrate'; mapping?: Record<string, string> }
    /**
     * System: count every open deadline again with `env.calendar` (after a year
     * is published or corrected). Emits nothing when nothing moves.
     */
    | { type: 'calendar.recompute' }
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
  | { type: 'task.opened'; task: Task; calendarVersion?: string }
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
  /** `redispatch`: only this share went back (re-dispatch task on the same node). */
  | { type: 'task.refused'; taskId: string; backTo: string; reason: string; redispatch?: true }
  /** A re-dispatch task was done: `data` (the new list) is merged next. */
  | { type: 'task.redispatched'; taskId: string; data: Record<string, unknown> }
  /** After a re-dispatch: the tasks the multi-instance token waits on, and the shares replied. */
  | { type: 'multiTask.resized'; tokenId: string; open: number }
  | { type: 'task.cancelled'; taskId: string; reason: 'ended' | 'branchCancelled' | 'deadline' }
  | { type: 'task.dueSoon'; taskId: string }
  | { type: 'task.overdue'; taskId: string }
  /** A task bound to a clock follows it: extension, pause and resume move its due date. */
  | {
      type: 'task.dueChanged';
      taskId: string;
      due: string;
      warnAt?: string;
      dueState: DueState;
      /** `calendar` when `calendar.recompute` moved it (else it followed its clock). */
      reason?: 'calendar';
      calendarVersion?: string;
    }
  | { type: 'data.merged'; values: Record<string, unknown> }
  | { type: 'data.set'; var: string; value: unknown }
  | { type: 'data.appended'; var: string; value: unknown }
  | { type: 'firstHandler.set'; userId: string }
  | { type: 'timer.set'; timer: Timer; reason?: 'calendar'; calendarVersion?: string }
  | { type: 'timer.fired'; timerId: string }
  | { type: 'timer.cancelled'; timerId: string }
  | { type: 'child.started'; child: ChildCase }
  | { type: 'child.completed'; childId: string; outcome: Outcome }
  | { type: 'child.cancelled'; childId: string }
  | { type: 'clock.started'; clock: ClockState; calendarVersion?: string }
  /** `calendar.recompute` counted the clock again with another calendar and its due date moved. */
  | {
      type: 'clock.dueChanged';
      clockId: string;
      from: string;
      due: string;
      warnAt?: string;
      reason: 'calendar';
      calendarVersion: string;
    }
  | { type: 'clock.stopped'; clockId: string }
  | { type: 'clock.dueSoon'; clockId: string }
  | { type: 'clock.overdue'; clockId: string }
  /** `step`: the pause step the case entered (an automatic pause); absent for a leader's. */
  | { type: 'clock.paused'; clockId: string; reason: string; step?: string }
  | {
      type: 'clock.resumed';
      clockId: string;
      due: string;
      warnAt?: string;
      pausedMs: number;
      reason?: string;
      /** The pause step the case left (an automatic resume). */
      step?: string;
      /** Resumed only to stop at once: the clock was standing still when it stopped. */
      stopping?: true;
      /** A working-day clock's paused time on working days, in all (`ClockState.pausedWorkMs`). */
      pausedWorkMs?: number;
      calendarVersion?: string;
    }
  | {
      type: 'extension.requested';
      request: ExtensionRequest;
    }
  | {
      type: 'extension.approved';
      requestId: string;
      /** The clock extended, or (with `taskId`) empty. */
      clockId: string;
      /** The task whose own deadline was extended. */
      taskId?: string;
      due: string;
      warnAt?: string;
      /** The approved duration (absent in events written before calendars were versioned). */
      duration?: string;
      calendarVersion?: string;
    }
  | { type: 'extension.refused'; requestId: string; reason: string }
  | { type: 'calendar.beyondCoverage'; flag: CaseFlag }
  | { type: 'calendar.provisional'; flag: CaseFlag }
  /** The deadline is now counted on bundled or official days only (or was replaced). */
  | { type: 'calendar.flagCleared'; subject: FlagSubject }
  | { type: 'comment.added'; id: string; text: string }
  | { type: 'attachment.added'; id: string; ref: string; name?: string }
  | { type: 'leaderOwner.set'; userId: string }
  | { type: 'urgency.set'; urgency: UrgencyColour }
  | { type: 'case.escalated'; level: JurisdictionLevel; jurisdiction: string }
  | { type: 'case.closed'; outcome: Outcome; node?: string }
  | { type: 'case.cancelled'; reason: string }
  | { type: 'supervision.issued'; order: SupervisionOrder }
  | { type: 'supervision.answered'; supervisionId: string; text: string }
  | { type: 'supervision.closed'; supervisionId: string; note?: string }
  | { type: 'case.migrated'; from: number; to: number; mapping: Record<string, string> };
export type EventType = Event['type'];

/** A notification the store should deliver (SMS, inbox, …). */
export interface Notification {
  type: 'notify';
  to:
    | { kind: 'petitioner' | 'leaderOwner' | 'assignees' }
    | { kind: 'user'; userId: string }
    | { kind: 'candidates'; candidates: CandidateRule }
    /** Every active member of a department of a jurisdiction, whatever their role. */
    | { kind: 'department'; jurisdiction: string; department: string };
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
  | { type: 'case.unflag'; subject: FlagSubject }
  | { type: 'case.close'; outcome?: Outcome; cancelled?: boolean }
  /** Write the supervision order as it now stands (its own table, for lists and dashboards). */
  | { type: 'supervision.save'; order: SupervisionOrder }
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
  | 'clock.pausedAtStep'
  | 'extension.notAllowed'
  | 'extension.tooLong'
  | 'extension.exhausted'
  | 'extension.notFound'
  | 'extension.beyondClock'
  | 'taskExtension.notAllowed'
  | 'taskExtension.exhausted'
  | 'taskExtension.pending'
  | 'joint.contributionsPending'
  | 'duration.invalid'
  | 'child.notFound'
  | 'migration.notNewer'
  | 'migration.unmappedNode'
  | 'migration.incompatibleNode'
  | 'text.empty'
  | 'supervision.notFound'
  | 'supervision.notOpen'
  | 'supervision.deadlineInvalid'
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
