import { checkFlow, type FlowDefinition } from '@lianxin/spec';
import type { AppBackend, FlowListItem, Me } from '../backend';

interface Stored {
  id: string;
  draft: FlowDefinition;
  versions: {
    version: number;
    definition: FlowDefinition;
    publishedAt: string;
    note: string | null;
  }[];
  draftUpdatedAt: string;
}

declare global {
  interface Window {
    /** Flows a browser test preloads (set with Playwright's addInitScript). */
    __LIANXIN_E2E_SEED__?: FlowDefinition[];
  }
}

const ADMIN: Me = {
  id: 'u-taishan-admin',
  username: 'taishan-admin',
  displayName: '台山市管理员',
  memberships: [
    {
      jurisdiction: '440781',
      jurisdictionName: '台山市',
      level: 'county',
      role: 'admin',
      department: null,
    },
  ],
};

/**
 * In-memory backend for browser tests only: it is compiled into the
 * `--mode e2e` build and never into the shipped app, and the header says so.
 */
export function createMemoryBackend(): AppBackend {
  const flows = new Map<string, Stored>();
  let signedIn = false;
  let password = 'test-password';
  let now = Date.parse('2026-03-02T01:00:00Z');
  const stamp = () => {
    now += 60_000;
    return new Date(now).toISOString();
  };
  for (const f of window.__LIANXIN_E2E_SEED__ ?? []) {
    flows.set(f.key, { id: f.key, draft: f, versions: [], draftUpdatedAt: stamp() });
  }
  const find = (id: string) => {
    const f = flows.get(id);
    if (!f) throw new Error(`流程 ${id} 不存在`);
    return f;
  };
  const delay = <T>(v: T) => new Promise<T>((r) => setTimeout(() => r(v), 30));
  return {
    testOnly: '测试用内存后端 · test backend',
    login: async (username, given) => {
      if (username !== ADMIN.username || given !== password) throw new Error('用户名或密码错误');
      signedIn = true;
      return delay(ADMIN);
    },
    logout: async () => {
      signedIn = false;
    },
    me: async () => delay(signedIn ? ADMIN : null),
    passwordRules: async () => delay([{ 'zh-CN': '至少 10 个字符', en: 'at least 10 characters' }]),
    changePassword: async (currentPassword, newPassword) => {
      if (currentPassword !== password)
        throw Object.assign(new Error('the current password is wrong'), {
          bilingual: { 'zh-CN': '当前密码不正确', en: 'the current password is wrong' },
        });
      password = newPassword;
      await delay(undefined);
    },
    listFlows: async () =>
      delay(
        [...flows.values()].map(
          (f): FlowListItem => ({
            id: f.id,
            jurisdiction: f.draft.jurisdiction,
            key: f.draft.key,
            name: f.draft.name,
            latestVersion: f.versions.length,
            draftUpdatedAt: f.draftUpdatedAt,
          }),
        ),
      ),
    openFlow: async (id) => {
      const f = find(id);
      return delay({ id, definition: structuredClone(f.draft), latestVersion: f.versions.length });
    },
    saveDraft: async (flow) => {
      const existing = flows.get(flow.key);
      const stored: Stored = existing ?? {
        id: flow.key,
        draft: flow,
        versions: [],
        draftUpdatedAt: '',
      };
      stored.draft = structuredClone(flow);
      stored.draftUpdatedAt = stamp();
      flows.set(flow.key, stored);
      const problems = checkFlow(flow);
      const errors = problems.filter((p) => p.severity === 'error').length;
      return delay({ flowId: stored.id, errors, warnings: problems.length - errors });
    },
    publish: async (flowId, note) => {
      const f = find(flowId);
      const version = f.versions.length + 1;
      const definition = { ...structuredClone(f.draft), version };
      const errors = checkFlow(definition).filter((p) => p.severity === 'error');
      if (errors.length) throw new Error(`流程有 ${errors.length} 个错误，不能发布`);
      f.versions.push({ version, definition, publishedAt: stamp(), note: note ?? null });
      return delay({ version });
    },
    versions: async (flowId) =>
      delay(
        find(flowId).versions.map((v) => ({
          version: v.version,
          publishedAt: v.publishedAt,
          note: v.note,
        })),
      ),
    getVersion: async (flowId, version) => {
      const v = find(flowId).versions.find((x) => x.version === version);
      if (!v) throw new Error(`第 ${version} 版不存在`);
      return delay(structuredClone(v.definition));
    },
    publishedByKey: async (jurisdiction, ref) => {
      // GB/T 2260: a county's city and province share its leading digits.
      const above = [
        jurisdiction,
        `${jurisdiction.slice(0, 4)}00`,
        `${jurisdiction.slice(0, 2)}0000`,
      ];
      const f = flows.get(ref.key);
      if (!f || !above.includes(f.draft.jurisdiction)) return delay(undefined);
      const v = ref.version ? f.versions[ref.version - 1] : f.versions.at(-1);
      return delay(v ? structuredClone(v.definition) : undefined);
    },
  };
}
