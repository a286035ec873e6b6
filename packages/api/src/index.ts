export {
  type Context,
  type CookieJar,
  createContextInner,
  createServices,
  DEFAULT_SESSION_IDLE_MS,
  forgetSessionsOf,
  hashToken,
  type InnerContextInput,
  langFrom,
  SESSION_COOKIE,
  type Services,
  type SessionInfo,
  sessionFromToken,
} from './context';
export { API_ERRORS, type ApiErrorCode, AppError, apiError, errorIdOf } from './errors';
export {
  MIN_PASSWORD_LENGTH,
  PASSPHRASE_LENGTH,
  PASSWORD_RULES,
  passwordProblems,
  requireStrongPassword,
} from './password-policy';
export {
  actorFor,
  JurisdictionTree,
  PERMISSIONS,
  type Permission,
  ROLE_IDS,
  ROLES,
  type Role,
  requireScope,
  scopeOf,
} from './permissions';
export { clientAddress, RateLimiter } from './rate-limit';
export { type AppRouter, appRouter, createCaller } from './root';
export { diffFlows, type FlowDiff } from './routers/flow-diff';
export { withForms } from './routers/templates';
