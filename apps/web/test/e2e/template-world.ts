import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
// The real server (HTTP, tRPC, SQLite), started from its source like its own tests do.
import { type RunningServer, startServer } from '../../../server/src/app';
import { silentLogger } from '../../../server/src/log';
import { client } from '../../../server/test/server-helpers';
import { webRoot } from '../harness';
import { openServerStore } from '../server';

export type Json = Record<string, unknown>;
type Node = { id: string; name: Json; deadline?: { duration: string } };

export const KEY = 'standard-petition';
const folder = resolve(webRoot, '../../templates/standard-petition');
const read = (file: string) => JSON.parse(readFileSync(join(folder, file), 'utf8')) as Json;
const forms = readdirSync(join(folder, 'forms')).map((f) => {
  const { $schema: _s, ...form } = read(`forms/${f}`);
  return form;
});

/** The standard petition template's first version, as the seed publishes it. */
const v1 = {
  manifest: {
    ...read('template.json'),
    version: 1,
    changelog: [{ version: 1, changes: { 'zh-CN': '首个版本', en: 'First version' } }],
  },
  flow: { ...read('flow.json'), version: 1 },
  forms,
  readme: '# 信访事项办理标准流程',
};
/** v1 with its scenarios, which later versions made in the app carry on. */
const scenarios = () =>
  readdirSync(join(folder, 'scenarios')).map((f) => ({
    name: f.replace(/\.json$/, ''),
    script: read(`scenarios/${f}`),
  }));

/** The 回访评价 step of a flow. */
export const visitOf = (flow: unknown) =>
  (flow as { nodes: Node[] }).nodes.find((n) => n.id === 'visit') as Node;

/** A county of 江门市 and the username of its admin. */
export type County = readonly [code: string, name: string, admin: string];

export interface TemplateWorld {
  running: RunningServer;
  /** The flow each adopting county runs v1 in. */
  flowIds: Record<string, string>;
  close(): Promise<void>;
}

/**
 * A real server with 广东省 › 江门市 › `counties` and an admin each (`guangdong-admin` for the
 * province); v1 of the standard petition flow published; each county in `adopt` running it with
 * changes of its own (made to its draft, then published with `note`); and the province's working
 * copy for v2, where the return visit has 14 days.
 */
export async function templateWorld(options: {
  prefix: string;
  password: string;
  counties: readonly County[];
  adopt: Record<string, (draft: Json & { roles: Json[] }) => void>;
  note: string;
  withScenarios?: boolean;
}): Promise<TemplateWorld> {
  const { password, counties } = options;
  const opened = await openServerStore(options.prefix);
  const { store, config } = opened;
  for (const [code, name, level, parent] of [
    ['440000', '广东省', 'province', null],
    ['440700', '江门市', 'city', '440000'],
    ...counties.map(([code, name]) => [code, name, 'county', '440700'] as const),
  ] as const)
    await store.upsertJurisdiction({ code, name: { 'zh-CN': name }, level, parent });
  for (const [username, jurisdiction, displayName] of [
    ['guangdong-admin', '440000', '广东省管理员'],
    ...counties.map(([code, name, admin]) => [admin, code, `${name}管理员`] as const),
  ] as const)
    await store.createUser({
      username,
      displayName,
      password,
      memberships: [{ jurisdiction, role: 'admin' }],
    });
  const running = await startServer(store, config, silentLogger, { scheduler: false });

  const province = client(running.url);
  await province.auth.login.mutate({ username: 'guangdong-admin', password });
  await province.templates.publish.mutate(
    options.withScenarios ? { ...v1, scenarios: scenarios() } : v1,
  );
  const flowIds: Record<string, string> = {};
  for (const [code, , admin] of counties) {
    const change = options.adopt[code];
    if (!change) continue;
    const county = client(running.url);
    await county.auth.login.mutate({ username: admin, password });
    const { flowId } = await county.templates.adopt.mutate({
      templateKey: KEY,
      version: 1,
      jurisdiction: code,
    });
    flowIds[code] = flowId;
    const draft = (await county.flows.get.query({ flowId })).draft as Json & { roles: Json[] };
    change(draft);
    await county.flows.saveDraft.mutate({ jurisdiction: code, key: KEY, definition: draft });
    await county.flows.publish.mutate({ flowId, note: options.note });
  }
  const working = structuredClone(v1.flow) as Json;
  visitOf(working).deadline = { ...visitOf(working).deadline, duration: 'P14D' } as never;
  await province.flows.saveDraft.mutate({
    jurisdiction: '440000',
    key: KEY,
    definition: { ...working, forms },
    create: true,
  });
  return {
    running,
    flowIds,
    async close() {
      await running.close();
      rmSync(opened.dataDir, { recursive: true, force: true });
    },
  };
}

/** The mediator role a county adds of its own. */
export const MEDIATOR = { id: 'mediator', name: { 'zh-CN': '人民调解员', en: 'Mediator' } };
