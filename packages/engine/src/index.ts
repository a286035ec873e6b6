export { type AvailableActions, availableActions } from './actions';
export {
  addNatural,
  addWorkingDays,
  type CalendarKind,
  computeDue,
  computeWarning,
  type DueResult,
  dependsOnCalendar,
  HOLIDAY_COVERAGE,
  isWorkingDay,
  shanghaiDate,
} from './calendar';
export { type CommandBody, CommandInput } from './commands';
export { jurisdictionAt } from './definition';
export { caseNotes, evolve, fold, getPath, initialState } from './evolve';
export { canWork, isCandidate, SYSTEM_COMMANDS } from './guards';
export {
  parseHolidayNotice,
  STATUTORY_HOLIDAYS,
  statutoryDays,
  validateCalendarYear,
} from './holiday-notice';
export { semantics } from './nodes';
export { previewRecompute, type RecomputeChange } from './preview';
export { reject } from './rejections';
export {
  type AsyncTimerQueue,
  ClockInputError,
  type DueTimer,
  SimulatedClock,
  type TimerQueue,
} from './simulator/clock';
export {
  parseScript,
  runScript,
  SCRIPT_ALIASES,
  type Script,
  ScriptError,
  type ScriptRefusal,
  type ScriptRun,
  type ScriptStep,
} from './simulator/script';
export {
  counterIds,
  SIMULATOR_SYSTEM_ACTOR,
  type SimulatedCase,
  type SimulatedNotification,
  type SimulatedTask,
  type SimulatedTimer,
  Simulator,
  type SimulatorDefinition,
  type SimulatorOptions,
  type SimulatorOutcome,
  type SimulatorRejection,
  type SimulatorRejectionCode,
  taskRowValues,
} from './simulator/world';
export { replay, transition } from './transition';
export type {
  Actor,
  CandidateRule,
  CaseAttachment,
  CaseComment,
  CaseFlag,
  CaseNotes,
  CaseState,
  CaseStatus,
  ChildCase,
  ClockState,
  Command,
  CommandOf,
  CommandType,
  DueState,
  Effect,
  Env,
  Event,
  EventBody,
  EventType,
  ExtensionRequest,
  FlagSubject,
  Notification,
  Rejection,
  RejectionCode,
  SupervisionAddressee,
  SupervisionOrder,
  Task,
  Timer,
  TimerPurpose,
  Token,
  TransitionResult,
} from './types';
export {
  BUNDLED_CALENDAR_SOURCE,
  type CalendarProblem,
  type CalendarYear,
  type CalendarYearStatus,
  PROVISIONAL_RULES,
  provisionalYear,
  qingmingDate,
  solarFromLunar,
  WorkCalendar,
  type WorkdayAnswer,
} from './work-calendar';
