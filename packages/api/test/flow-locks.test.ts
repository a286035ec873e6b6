import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Services } from '../src';
import { setupApi, signIn } from './helpers';
import { type Json, templateFlow, templateForms, templateManifest } from './standard-petition';

describe.each(['sqlite', 'pg'] as const)('flows.get on an adopted flow (%s)', (dialect) => {
  let services: Services;
  let drop: () => Promise<void>;

  beforeAll(async () => {
    const s = await setupApi(dialect);
    services = s.services;
    drop = () => s.test.drop();
  });
  afterAll(async () => drop());

  it('names the parts the province locked, by the clock they belong to, with the reason given', async () => {
    // given the standard petition template, its handling clock locked with a reason, adopted by 台山
    const province = await signIn(services, 'province');
    const taishan = await signIn(services, 'admin');
    const manifest: Json & { name?: unknown; locked?: string[] } = {
      ...templateManifest(),
      version: 1,
      changelog: [{ version: 1, changes: { 'zh-CN': '首版', en: 'first' } }],
      lockReasons: {
        '/clocks/1/deadline': { 'zh-CN': '《信访工作条例》第三十四条：60 日内办结', en: 'art. 34' },
      },
    };
    const forms = templateForms();
    await province.templates.publish({
      manifest,
      flow: { ...templateFlow(), version: 1 },
      forms,
      readme: '# 标准流程',
    });
    const { flowId } = await taishan.templates.adopt({
      templateKey: 'standard-petition',
      version: 1,
      jurisdiction: '440781',
    });
    // when the county opens it
    const got = await taishan.flows.get({ flowId });
    // then each locked pointer comes as a keyed path, the reason where one was given
    const locks = got.adoption?.locks;
    expect(locks?.template).toEqual({ name: manifest.name, version: 1 });
    expect(locks?.parts).toContainEqual({
      path: '/clocks/handling/deadline',
      reason: { 'zh-CN': '《信访工作条例》第三十四条：60 日内办结', en: 'art. 34' },
    });
    expect(locks?.parts).toContainEqual({ path: '/clocks/acceptance/deadline', reason: null });
    expect(locks?.parts.map((p) => p.path)).toEqual(
      (manifest.locked ?? []).map((p) => {
        const [, list, index, ...rest] = p.split('/');
        const items = (templateFlow() as Record<string, Array<{ id: string }>>)[list as string];
        return ['', list, items?.[Number(index)]?.id, ...rest].join('/');
      }),
    );
  });
});
