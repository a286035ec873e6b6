// Set-up shared by the browser tests and the workbench benchmark (no vitest
// here, so the benchmark can import it): jurisdictions, users, and a template
// published by the province and adopted and published by a county, all
// through the real store and the real HTTP API.
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { client } from '../../server/test/server-helpers';

type Store = Awaited<ReturnType<typeof import('../../server/src/app').openStore>>;
type Json = Record<string, unknown>;
const templatesDir = resolve(fileURLToPath(new URL('.', import.meta.url)), '../../../templates');

/** [code, Chinese name, level, parent, English name?] */
export type JurisdictionSeed = readonly [string, string, string, string | null, string?];
/** [username, display name, jurisdiction, role, department?] */
export type UserSeed = readonly [string, string, string, string, (string | null)?];

/** Guangdong → Jiangmen → Taishan, the chain most browser tests need. */
export const TAISHAN_CHAIN: readonly JurisdictionSeed[] = [
  ['440000', '广东省', 'province', null],
  ['440700', '江门市', 'city', '440000'],
  ['440781', '台山市', 'county', '440700'],
];

export async function addPeople(
  store: Store,
  jurisdictions: readonly JurisdictionSeed[],
  users: readonly UserSeed[],
  password: string,
) {
  for (const [code, name, level, parent, en] of jurisdictions)
    await store.upsertJurisdiction({
      code,
      name: { 'zh-CN': name, ...(en ? { en } : {}) },
      level: level as 'county',
      parent,
    });
  for (const [username, displayName, jurisdiction, role, department] of users)
    await store.createUser({
      username,
      displayName,
      password,
      memberships: [{ jurisdiction, role, department: department ?? null }],
    });
}

/** The province publishes templates/<key> at its manifest's version; the county admin adopts it and publishes its first version. */
export async function publishAndAdopt(
  url: string,
  key: string,
  password: string,
  { province = 'guangdong-admin', county = 'taishan-admin', jurisdiction = '440781' } = {},
) {
  const folder = join(templatesDir, key);
  const read = (file: string) => JSON.parse(readFileSync(join(folder, file), 'utf8')) as Json;
  const manifest = read('template.json') as { version: number };
  const p = client(url);
  await p.auth.login.mutate({ username: province, password });
  await p.templates.publish.mutate({
    manifest,
    flow: read('flow.json'),
    forms: readdirSync(join(folder, 'forms')).map((f) => read(`forms/${f}`)),
    readme: readFileSync(join(folder, 'README.md'), 'utf8'),
  } as never);
  const c = client(url);
  await c.auth.login.mutate({ username: county, password });
  const { flowId } = await c.templates.adopt.mutate({
    templateKey: key,
    version: manifest.version,
    jurisdiction,
  });
  const { version } = await c.flows.publish.mutate({ flowId });
  const flowKey = (await c.flows.get.query({ flowId })).key;
  return { flowId, version, flowKey };
}
