import type { inferRouterInputs, inferRouterOutputs } from '@trpc/server';
import type { AppRouter } from './root';

export { audit } from './audit';
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
export { type PrintableDocument, renderDocumentPdf } from './documents-pdf';
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
export {
  DOWNLOAD_LINK_MS,
  downloadToken,
  verifyDownloadToken,
} from './routers/documents';

/** What each procedure takes, across the wire: `RouterInputs['cases']['act']`. */
export type RouterInputs = inferRouterInputs<AppRouter>;
/** What each procedure returns, across the wire: `RouterOutputs['cases']['get']`. */
export type RouterOutputs = inferRouterOutputs<AppRouter>;
export { diffFlows, type FlowDiff } from '@lianxin/spec';
export { INTAKE_PHOTOS, photoToken, verifyPhotoToken } from './routers/intake';
export { withForms } from './routers/templates';
