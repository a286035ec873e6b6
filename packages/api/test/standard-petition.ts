/**
 * The bundled `standard-petition` template, read from `templates/`, as `templates.publish`
 * takes it: the API tests publish it as the province and adopt it as counties. Each call reads
 * afresh, so a test may change what it gets.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { TRPCError } from '@trpc/server';

export type Json = Record<string, unknown>;
/** A step of the template's flow, as far as these tests read it. */
export type TemplateNode = {
  id: string;
  name: { 'zh-CN': string; en?: string };
  deadline?: { duration: string };
};

export const KEY = 'standard-petition';
const folder = fileURLToPath(new URL('../../../templates/standard-petition', import.meta.url));
const read = (file: string) => JSON.parse(readFileSync(join(folder, file), 'utf8')) as Json;

/** The template's manifest, flow and forms as the folder holds them. */
export const templateManifest = () => read('template.json');
export const templateFlow = () => read('flow.json');
export const templateForms = () =>
  readdirSync(join(folder, 'forms')).map((f) => read(`forms/${f}`));
/** The template's scenarios, named by their files. */
export const templateScenarios = () =>
  readdirSync(join(folder, 'scenarios')).map((f) => ({
    name: f.replace(/\.json$/, ''),
    script: read(`scenarios/${f}`),
  }));

/** Version 1, with the changelog 首个版本, as a province publishes it first. */
export const standardV1 = () => ({
  manifest: {
    ...templateManifest(),
    version: 1,
    changelog: [{ version: 1, changes: { 'zh-CN': '首个版本', en: 'First version' } }],
  },
  flow: { ...templateFlow(), version: 1 },
  forms: templateForms(),
  readme: '# 标准流程',
});

/** Step `id` of a flow (an empty object when it has none). */
export const nodeOf = (flow: unknown, id: string) =>
  ((flow as { nodes: TemplateNode[] }).nodes.find((n) => n.id === id) as TemplateNode) ??
  ({} as TemplateNode);

/** What a refused call says: its code, tRPC code, details and message; throws if it was not refused. */
export async function refusal(p: Promise<unknown>) {
  try {
    await p;
  } catch (e) {
    if (!(e instanceof TRPCError)) throw e;
    const cause = e.cause as { code?: string; details?: Json; message_?: Json } | undefined;
    return {
      code: cause?.code ?? e.code,
      trpc: e.code,
      details: cause?.details,
      message: cause?.message_,
    };
  }
  throw new Error('expected the call to be refused');
}
