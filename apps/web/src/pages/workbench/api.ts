import type { AppRouter, RouterInputs, RouterOutputs } from '@lianxin/api';
import { type Bilingual, FlowDefinition, type Lang } from '@lianxin/spec';
import { createTRPCClient, httpBatchLink, TRPCClientError } from '@trpc/client';

/** The app's calls (workbench, intake, dashboard, designer, templates), over its tRPC endpoint. */
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
/** The one client of the whole app (batches calls made in the same tick). */
export const api = (): Api => {
  shared ??= createApi();
  return shared;
};

export type { RouterInputs, RouterOutputs };
export type InboxRow = RouterOutputs['tasks']['inbox']['rows'][number];
export type CaseView = RouterOutputs['cases']['get'];
/** A command as `cases.act` takes it: the engine's CommandInput, across the wire. */
export type CaseCommand = RouterInputs['cases']['act']['command'];
export type CaseListRow = RouterOutputs['cases']['list']['rows'][number];
export type Stats = RouterOutputs['stats']['summary'];

/**
 * A published flow version as the server stores it, with the format's
 * defaults filled. It was checked when it was published; a version the
 * format has since outgrown is still shown as stored rather than not at all.
 */
export function flowOf(raw: unknown): FlowDefinition | undefined {
  if (!raw) return undefined;
  const parsed = FlowDefinition.safeParse(raw);
  return parsed.success ? parsed.data : (raw as FlowDefinition);
}

interface ErrorData {
  code?: string;
  appCode?: string;
  messages?: Bilingual | null;
  details?: { errors?: { path?: string; message?: string | Bilingual }[] };
}

/** The server's data on a refusal (`appCode`, both languages, located details), if it sent any. */
export function errorData(error: unknown): ErrorData | undefined {
  return error instanceof TRPCClientError ? (error.data as ErrorData | undefined) : undefined;
}

/**
 * Any failure in the UI's language: a server refusal (it sends both
 * languages, and the located problems), an error carrying `bilingual`
 * (the designer's backend contract), or a plain error's message.
 */
export function errorText(error: unknown, lang: Lang): string {
  if (error instanceof TRPCClientError) {
    const data = errorData(error);
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
  const bilingual = (error as { bilingual?: Partial<Bilingual> } | null)?.bilingual;
  if (bilingual?.['zh-CN']) return pick(bilingual, lang);
  return error instanceof Error ? error.message : String(error);
}

/** Picks the UI language's side of a bilingual text. */
export const pick = (text: unknown, lang: Lang): string => {
  if (text == null) return '';
  if (typeof text === 'string') return text;
  const t = text as Partial<Bilingual>;
  return (lang === 'en' ? (t.en ?? t['zh-CN']) : t['zh-CN']) ?? '';
};
