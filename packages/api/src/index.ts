export {
  type Context,
  type CookieJar,
  createContextInner,
  createServices,
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
export { RateLimiter } from './rate-limit';
export { type AppRouter, appRouter, createCaller } from './root';
export { diffFlows, type FlowDiff } from './routers/flow-diff';
export { withForms } from './routers/templates';
