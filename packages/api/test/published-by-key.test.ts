import { TRPCError } from '@trpc/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Services } from '../src';
import { flow, setupApi, signIn, type UserName } from './helpers';

async function codeOf(p: Promise<unknown>): Promise<string | undefined> {
  try {
    await p;
    return undefined;
  } catch (e) {
    if (!(e instanceof TRPCError)) throw e;
    return (e.cause as { code?: string } | undefined)?.code ?? e.code;
  }
}

describe.each(['sqlite', 'pg'] as const)(
  'flows.publishedByKey on %s: the flow a subflow node would run, for the designer',
  (dialect) => {
    let services: Services;
    let drop: () => Promise<void>;

    beforeAll(async () => {
      const s = await setupApi(dialect);
      services = s.services;
      drop = () => s.test.drop();
    });
    afterAll(async () => drop());

    async function publish(
      who: UserName,
      jurisdiction: string,
      key: string,
      name: string,
    ): Promise<void> {
      const admin = await signIn(services, who);
      const saved = await admin.flows.saveDraft({
        jurisdiction,
        key,
        definition: { ...flow, key, jurisdiction, name: { 'zh-CN': name, en: name } },
      });
      await admin.flows.publish({ flowId: saved.flowId });
    }

    it("does not return another county's flow, and refuses to look from that county", async () => {
      // given a flow published only in Kaiping (440783)
      await publish('otherAdmin', '440783', 'kaiping-only', '开平调解');
      const taishan = await signIn(services, 'admin');
      // when Taishan's admin asks for it from Taishan, then nothing is found
      expect(
        await taishan.flows.publishedByKey({ jurisdiction: '440781', key: 'kaiping-only' }),
      ).toBe(null);
      // and asking from Kaiping itself is refused
      expect(
        await codeOf(taishan.flows.publishedByKey({ jurisdiction: '440783', key: 'kaiping-only' })),
      ).toBe('permission.jurisdiction');
      // while Kaiping's admin gets it
      const kaiping = await signIn(services, 'otherAdmin');
      const own = await kaiping.flows.publishedByKey({
        jurisdiction: '440783',
        key: 'kaiping-only',
      });
      expect(own?.definition.name['zh-CN']).toBe('开平调解');
    });

    it("finds the city's flow from a county below it, and prefers the county's own", async () => {
      // given the city (440700) publishes a flow, and Taishan its own of another key
      await publish('cityAdmin', '440700', 'city-confirm', '江门司法确认');
      await publish('cityAdmin', '440700', 'shared', '江门版');
      await publish('admin', '440781', 'shared', '台山版');
      const taishan = await signIn(services, 'admin');
      // when Taishan looks them up, then the city's is found from below
      const city = await taishan.flows.publishedByKey({
        jurisdiction: '440781',
        key: 'city-confirm',
      });
      expect(city?.version).toBe(1);
      expect(city?.definition.name['zh-CN']).toBe('江门司法确认');
      // and where both publish the key, Taishan's own is the one a Taishan case would run
      const shared = await taishan.flows.publishedByKey({ jurisdiction: '440781', key: 'shared' });
      expect(shared?.definition.name['zh-CN']).toBe('台山版');
    });

    it('returns a pinned version, the latest without one, and nothing for a version never published', async () => {
      // given two published versions in Taishan
      await publish('admin', '440781', 'versioned', '第一版');
      await publish('admin', '440781', 'versioned', '第二版');
      const taishan = await signIn(services, 'admin');
      // when it is looked up without and with a version
      const latest = await taishan.flows.publishedByKey({
        jurisdiction: '440781',
        key: 'versioned',
      });
      const first = await taishan.flows.publishedByKey({
        jurisdiction: '440781',
        key: 'versioned',
        version: 1,
      });
      const missing = await taishan.flows.publishedByKey({
        jurisdiction: '440781',
        key: 'versioned',
        version: 7,
      });
      // then each is the one a case would run, with its defaults filled
      expect([latest?.version, latest?.definition.name['zh-CN']]).toEqual([2, '第二版']);
      expect([first?.version, first?.definition.name['zh-CN']]).toEqual([1, '第一版']);
      expect(first?.definition.clocks).toBeDefined();
      expect(missing).toBe(null);
    });
  },
);
