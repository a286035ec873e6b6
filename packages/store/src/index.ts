export {
  ARCHIVE_FORMAT,
  type ArchiveCounts,
  type ArchiveManifest,
  ArchiveRefused,
  type ArchiveResult,
  archiveClosedCases,
  archiveYearRefusal,
  beijingYear,
  beijingYearRange,
  caseArchive,
  caseRowDigest,
  type RestoreResult,
  readArchive,
  restoreArchive,
} from './archive';
export {
  attachmentFileBytes,
  dropUnusedAttachmentFile,
  putAttachmentFile,
} from './attachment-files';
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
  type CaseComplaint,
  caseComplaint,
  complaintFields,
  LIST_SUMMARY_LENGTH,
  LIST_TITLE_LENGTH,
} from './case-title';
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
  withoutLegacyNotes,
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
export { type DepartmentRow, Departments } from './departments';
export {
  BLANK,
  chineseDate,
  DOCUMENT_PLACEHOLDERS,
  type DocumentContent,
  DocumentIssuer,
  type DocumentPlaceholder,
  type DocumentRow,
  type DocumentTemplate,
  defaultDocumentTemplate,
  documentsIssued,
  fillTemplate,
  formatSerial,
  placeholderValues,
  serialYear,
  TEMPLATE_LIMITS,
  type TemplateProblem,
  templateProblems,
} from './documents';
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
export { capped, keysetAfter, LIST_COUNT_CAP } from './keyset';
export {
  beijingDay,
  type CounterDelta,
  contribution,
  rebuildKpiCounters,
  rebuildStatements,
} from './kpi-counters';
export {
  deliverNotifications,
  markNotificationsRead,
  notificationsFor,
  petitionerNotices,
  type UserNotification,
} from './notifications';
export {
  type ProposalRow,
  type ProposalStatus,
  TemplateProposals,
} from './proposals';
export { resealPlainValues } from './reseal';
export * as pgSchema from './schema/pg';
export * as sqliteSchema from './schema/sqlite';
export {
  type CaseSearch,
  ftsMatch,
  hashPetitionerNames,
  indexUnindexedCases,
  MAX_CASE_TOKENS,
  MAX_QUERY_TOKENS,
  type QueryTokens,
  queryTokens,
  searchCases,
  searchTokens,
  tsQuery,
} from './search';
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
  type CaseKey,
  type CaseRow,
  type CommandBase,
  canonicalJson,
  contentHash,
  DUE_SOON_MS,
  type FlowRow,
  type FlowVersionRow,
  type InboxFilters,
  type InboxKey,
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
export {
  awaitingApproval,
  type SupervisionStats,
  supervisedAmong,
  supervisionAddressees,
  supervisionStats,
} from './supervision';
export { createTestDatabase, type TestDatabase } from './testing';
export {
  firstDifference,
  type VerifyPhase,
  type VerifyProblem,
  type VerifyReport,
  verifyStore,
} from './verify';
