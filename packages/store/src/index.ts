export {
  type AttemptLimit,
  type AttemptVerdict,
  isKnown,
  KNOWN_FOR_MS,
  markKnown,
  releaseAttempt,
  takeAttempt,
} from './attempts';
export {
  AUDIT_ACTIONS,
  AUDIT_GENESIS,
  type AuditAction,
  type AuditBreak,
  type AuditEntry,
  type AuditQuery,
  type AuditRecord,
  type AuditVerification,
  appendAudit,
  auditHash,
  MIN_AUDIT_RETENTION_DAYS,
  pruneAudit,
  searchAudit,
  verifyAudit,
} from './audit';
export {
  type CalendarAuthor,
  Calendars,
  localDayProblems,
  type PreviewChange,
  type RecomputeOutcome,
  type RecomputeProgress,
  type YearView,
} from './calendar-repo';
export {
  CALENDAR_YEARS,
  CalendarCache,
  type CalendarDraft,
  type DueChange,
  effectiveCalendar,
  localDeadline,
  PUBLISHING_LEVELS,
} from './calendars';
export {
  type ActOutcome,
  CaseWriter,
  type Clock,
  CommandRejected,
  caseColumns,
  newTrackingCode,
  StaleVersion,
  type StartInput,
  SYSTEM_ACTOR,
  systemClock,
} from './cases';
export {
  hashPassword,
  type KeySource,
  keyFingerprint,
  loadKeyRing,
  newMasterKey,
  readKeyFile,
  Vault,
  verifyPassword,
  writeKeyFile,
} from './crypto';
export {
  type Database,
  type Db,
  type Dialect,
  MIGRATIONS,
  openDatabase,
  openPostgres,
  openSqlite,
  type Tables,
} from './db';
export { STORE_ERRORS, StoreError, type StoreErrorCode } from './errors';
export {
  checkKeyRing,
  ciphertextsByKey,
  type KeyRingRow,
  keyRingRows,
  keysNeeded,
  type RotationProgress,
  type RotationResult,
  rotateKeys,
} from './keys';
export {
  deliverNotifications,
  markNotificationsRead,
  notificationsFor,
  petitionerNotices,
  type UserNotification,
} from './notifications';
export { resealPlainValues } from './reseal';
export * as pgSchema from './schema/pg';
export * as sqliteSchema from './schema/sqlite';
export {
  computeStats,
  computeStatsByPart,
  computeTrend,
  type KpiRow,
  kpiRating,
  recountKpis,
  returnVisitScore,
  SATISFIED_FROM,
  type Stats,
  type StatsQuery,
  type TrendPoint,
} from './stats';
export {
  type AdoptionRow,
  type AttachmentRow,
  type CaseFilters,
  type CaseRow,
  type CommandBase,
  canonicalJson,
  contentHash,
  DUE_SOON_MS,
  type FlowRow,
  type FlowVersionRow,
  type InboxFilters,
  type InboxScope,
  isUniqueViolation,
  type JurisdictionRow,
  type MembershipRow,
  type PetitionerInput,
  Store,
  type TaskRow,
  type TemplateVersionRow,
  type TimerRow,
  type UserRow,
} from './store';
export { createTestDatabase, type TestDatabase } from './testing';
export {
  firstDifference,
  type VerifyPhase,
  type VerifyProblem,
  type VerifyReport,
  verifyStore,
} from './verify';
