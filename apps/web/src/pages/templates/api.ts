import type { AppRouter } from '@lianxin/api';
import type { Bilingual, Lang } from '@lianxin/spec';
import { createTRPCClient, httpBatchLink, TRPCClientError } from '@trpc/client';

/** The server's template procedures (`templates.*`), over the app's tRPC endpoint. */
export function createTemplatesApi(url = '/trpc') {
  const api = createTRPCClient<AppRouter>({
    links: [
      httpBatchLink({
        url,
        // The server refuses a batch of more than 20 calls (LIANXIN_MAX_BATCH).
        maxItems: 20,
        fetch: (input, init) => fetch(input, { ...init, credentials: 'same-origin' }),
      }),
    ],
  });
  return api.templates;
}
export type TemplatesApi = ReturnType<typeof createTemplatesApi>;
export type TemplateEntry = Awaited<ReturnType<TemplatesApi['list']['query']>>[number];
export type UpgradePlanView = Awaited<ReturnType<TemplatesApi['planUpgrade']['query']>>;
export type DescribedChange = UpgradePlanView['upstream'][number];
export type ConflictView = UpgradePlanView['conflicts'][number];

/** An API error in the UI's language (the server sends both), with its stable code. */
export function errorText(error: unknown, lang: Lang): { code: string; text: string } {
  if (error instanceof TRPCClientError) {
    const data = error.data as { appCode?: string; messages?: Bilingual | null } | undefined;
    const text = data?.messages ? data.messages[lang] || data.messages['zh-CN'] : error.message;
    return { code: data?.appCode ?? 'error', text };
  }
  return { code: 'error', text: error instanceof Error ? error.message : String(error) };
}

/** Picks the UI language's side of a bilingual text. */
export const pick = (text: Partial<Bilingual> | string | null | undefined, lang: Lang): string =>
  typeof text === 'string'
    ? text
    : ((lang === 'en' ? (text?.en ?? text?.['zh-CN']) : text?.['zh-CN']) ?? '');
