import type { AppRouter } from '@lianxin/api';
import { checkedFlow } from '@lianxin/spec';
import { createTRPCClient, httpBatchLink, TRPCClientError } from '@trpc/client';
import type { AppBackend, FlowListItem, Me } from './backend';

/** A server refusal with both languages attached, so pages show the user's. */
function bilingualError(e: unknown): unknown {
  const messages = e instanceof TRPCClientError ? e.data?.messages : undefined;
  return messages ? Object.assign(new Error(messages.en), { bilingual: messages }) : e;
}

/** The real backend: the server's tRPC API at /trpc, signed in by its session cookie. */
export function createTrpcBackend(url = '/trpc'): AppBackend {
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
  return {
    login: async (username, password) =>
      (await api.auth.login.mutate({ username, password })) as Me,
    logout: async () => {
      await api.auth.logout.mutate();
    },
    me: async () => {
      try {
        return (await api.auth.me.query()) as Me;
      } catch (e) {
        if (e instanceof TRPCClientError && e.data?.code === 'UNAUTHORIZED') return null;
        throw e;
      }
    },
    passwordRules: async () => (await api.auth.passwordPolicy.query()).rules,
    changePassword: async (currentPassword, newPassword) => {
      try {
        await api.auth.changePassword.mutate({ currentPassword, newPassword });
      } catch (e) {
        throw bilingualError(e);
      }
    },
    listFlows: async () => (await api.flows.list.query()) as FlowListItem[],
    openFlow: async (flowId) => {
      const f = await api.flows.get.query({ flowId });
      return {
        id: f.id,
        definition: f.draft ?? f.published?.definition,
        latestVersion: f.latestVersion,
      };
    },
    saveDraft: async (flow) => {
      const r = await api.flows.saveDraft.mutate({
        jurisdiction: flow.jurisdiction,
        key: flow.key,
        definition: flow as unknown as Record<string, unknown>,
      });
      return { flowId: r.flowId, errors: r.errors, warnings: r.warnings };
    },
    publish: async (flowId, note) => {
      const r = await api.flows.publish.mutate(note ? { flowId, note } : { flowId });
      return { version: r.version };
    },
    versions: async (flowId) =>
      (await api.flows.versions.query({ flowId })).map((v) => ({
        version: v.version,
        publishedAt: String(v.publishedAt),
        publishedBy: v.publishedBy ?? null,
        note: v.note ?? null,
      })),
    getVersion: async (flowId, version) => {
      const f = await api.flows.get.query({ flowId, version });
      // A published version passed the checker when it was published: read it the one way.
      return checkedFlow(f.published?.definition);
    },
    publishedByKey: async (jurisdiction, ref) => {
      try {
        const found = await api.flows.publishedByKey.query({ jurisdiction, ...ref });
        return found ? checkedFlow(found.definition) : undefined;
      } catch (e) {
        // The designer shows why in both languages (e.g. a version that no longer runs).
        throw bilingualError(e);
      }
    },
    calendarYears: async (jurisdiction) => {
      try {
        const { years } = await api.calendars.years.query({ jurisdiction });
        // What differs from the bundled and provisional years: published ones, and local days off.
        return years
          .filter((y) => y.status === 'official' || y.localDays?.length)
          .map((y) => {
            const holidays = { ...y.holidays };
            const workdays = { ...y.workdays };
            for (const local of y.localDays ?? [])
              for (const [date, name] of Object.entries(local.days)) {
                holidays[date] = name;
                delete workdays[date];
              }
            return {
              year: y.year,
              status: y.status,
              holidays,
              workdays,
              ...(y.source ? { source: y.source } : {}),
            };
          });
      } catch (e) {
        throw bilingualError(e);
      }
    },
  };
}
