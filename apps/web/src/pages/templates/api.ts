import { api } from '../workbench/api';

/** The server's template procedures (`templates.*`), on the app's one client. */
export function createTemplatesApi() {
  return api().templates;
}
export type TemplatesApi = ReturnType<typeof createTemplatesApi>;
export type TemplateEntry = Awaited<ReturnType<TemplatesApi['list']['query']>>[number];
export type UpgradePlanView = Awaited<ReturnType<TemplatesApi['planUpgrade']['query']>>;
export type DescribedChange = UpgradePlanView['upstream'][number];
export type ConflictView = UpgradePlanView['conflicts'][number];

/** Errors and bilingual texts read the app's one way. */
export { errorText, pick } from '../workbench/api';
