import type { AppBackend, FlowListItem, Me } from './backend';
import { api as client, errorData } from './pages/workbench/api';

/** The flow schema and checker load with the pages that read flows (see ./flowReader). */
const flowReader = () => import('./flowReader').then((m) => m.checkedFlow);

/**
 * A server refusal with both languages attached (`bilingual`, the designer's
 * backend contract), so pages show the user's.
 */
function bilingualError(e: unknown): unknown {
  const messages = errorData(e)?.messages;
  return messages ? Object.assign(new Error(messages.en), { bilingual: messages }) : e;
}

/**
 * A refusal as the designer reads it (BackendError): both languages, the
 * stable code (flow.exists, flow.draftConflict, flow.invalid, …) and its
 * details (located problems). Anything else (the network) passes through.
 */
function refusal(e: unknown): unknown {
  const data = (
    e as {
      data?: {
        appCode?: string;
        messages?: { 'zh-CN': string; en: string } | null;
        details?: Record<string, unknown> | null;
      };
    }
  ).data;
  if (!data?.messages) return e;
  return Object.assign(new Error(data.messages.en), {
    bilingual: data.messages,
    ...(data.appCode ? { code: data.appCode } : {}),
    ...(data.details ? { details: data.details } : {}),
  });
}

/** The real backend: the server's tRPC API at /trpc (the app's one client), signed in by its session cookie. */
export function createTrpcBackend(): AppBackend {
  const api = client();
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
        if (errorData(e)?.code === 'UNAUTHORIZED') return null;
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
        draftHash: f.draftHash ?? null,
        ...(f.adoption?.locks?.parts.length ? { locks: f.adoption.locks } : {}),
      };
    },
    openDraft: async (flowId) => {
      const f = await api.flows.get.query({ flowId });
      return {
        flowId: f.id,
        definition: f.draft ?? f.published?.definition,
        draftHash: f.draftHash ?? null,
        savedBy: f.draftUpdatedBy ?? null,
        savedAt: f.draftUpdatedAt ?? null,
      };
    },
    saveDraft: async (flow, options) => {
      try {
        const r = await api.flows.saveDraft.mutate({
          jurisdiction: flow.jurisdiction,
          key: flow.key,
          definition: flow as unknown as Record<string, unknown>,
          ...(options?.create ? { create: true as const } : {}),
          ...(options?.baseDraftHash !== undefined ? { baseDraftHash: options.baseDraftHash } : {}),
        });
        return {
          flowId: r.flowId,
          errors: r.errors,
          warnings: r.warnings,
          draftHash: r.draftHash ?? null,
        };
      } catch (e) {
        throw refusal(e);
      }
    },
    check: async (flow) => {
      try {
        const r = await api.flows.checkDefinition.mutate({
          jurisdiction: flow.jurisdiction,
          definition: flow as unknown as Record<string, unknown>,
        });
        return r.problems;
      } catch (e) {
        throw refusal(e);
      }
    },
    publish: async (flowId, note) => {
      try {
        const r = await api.flows.publish.mutate(note ? { flowId, note } : { flowId });
        return { version: r.version };
      } catch (e) {
        throw refusal(e);
      }
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
      return (await flowReader())(f.published?.definition);
    },
    publishedByKey: async (jurisdiction, ref) => {
      try {
        const found = await api.flows.publishedByKey.query({ jurisdiction, ...ref });
        return found ? (await flowReader())(found.definition) : undefined;
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
