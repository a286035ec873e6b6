import type { AppRouter } from '@lianxin/api';
import type { Bilingual, Lang } from '@lianxin/spec';
import { createTRPCClient, httpBatchLink, TRPCClientError } from '@trpc/client';

/** The workbench, intake and dashboard calls, over the app's tRPC endpoint. */
export function createApi(url = '/trpc') {
  return createTRPCClient<AppRouter>({
    links: [
      httpBatchLink({
        url,
        // The server refuses a batch of more than 20 calls (LIANXIN_MAX_BATCH).
        maxItems: 20,
        fetch: (input, init) => fetch(input, { ...init, credentials: 'same-origin' }),
        headers: () => {
          try {
            return { 'x-lianxin-lang': localStorage.getItem('lianxin.lang') ?? 'zh-CN' };
          } catch {
            return {};
          }
        },
      }),
    ],
  });
}
export type Api = ReturnType<typeof createApi>;
let shared: Api | undefined;
/** One client for the whole app (batches calls made in the same tick). */
export const api = (): Api => {
  shared ??= createApi();
  return shared;
};

export type InboxRow = Awaited<ReturnType<Api['tasks']['inbox']['query']>>['rows'][number];
export type CaseView = Awaited<ReturnType<Api['cases']['get']['query']>>;
/** A command as `cases.act` takes it: the engine's CommandInput, across the wire. */
export type CaseCommand = Parameters<Api['cases']['act']['mutate']>[0]['command'];
export type CaseListRow = Awaited<ReturnType<Api['cases']['list']['query']>>['rows'][number];
export type Stats = Awaited<ReturnType<Api['stats']['summary']['query']>>;

/** An API error in the UI's language (the server sends both). */
export function errorText(error: unknown, lang: Lang): string {
  if (error instanceof TRPCClientError) {
    const data = error.data as
      | {
          appCode?: string;
          messages?: Bilingual | null;
          details?: { errors?: { path?: string; message?: string | Bilingual }[] };
        }
      | undefined;
    const text = data?.messages ? data.messages[lang] || data.messages['zh-CN'] : error.message;
    const errs = data?.details?.errors ?? [];
    const extra = errs
      .map(
        (e) =>
          `${e.path ?? ''} ${typeof e.message === 'string' ? e.message : (e.message?.[lang] ?? '')}`,
      )
      .join('; ');
    return extra ? `${text}（${extra}）` : text;
  }
  return error instanceof Error ? error.message : String(error);
}

/** Picks the UI language's side of a bilingual text. */
export const pick = (text: unknown, lang: Lang): string => {
  if (text == null) return '';
  if (typeof text === 'string') return text;
  const t = text as Partial<Bilingual>;
  return (lang === 'en' ? (t.en ?? t['zh-CN']) : t['zh-CN']) ?? '';
};
