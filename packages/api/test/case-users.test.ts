import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Services } from '../src';
import { publishFixture, setupApi, signIn } from './helpers';

// Both dialects: the users are read through Drizzle's relational queries on either.
describe.each(['sqlite', 'pg'] as const)(
  'cases.get names the users of the timeline (%s)',
  (dialect) => {
    let services: Services;
    let drop: () => Promise<void>;
    let flowId: string;

    beforeAll(async () => {
      const s = await setupApi(dialect);
      services = s.services;
      drop = () => s.test.drop();
      flowId = await publishFixture(services);
    });
    afterAll(async () => drop());

    it('gives display names of every actor, and roles only in jurisdictions the reader may read', async () => {
      const rec = await signIn(services, 'receptionist');
      const recId = (await rec.auth.me()).id;
      const { caseId } = await rec.cases.register({
        flowId,
        channel: 'visit',
        data: { summary: '小区路灯长期不亮' },
      });
      // The receptionist claims the task; the city supervisor (江门市, above 台山市) comments.
      const first = await rec.cases.get({ caseId });
      await rec.cases.act({
        caseId,
        command: { type: 'task.claim', taskId: first.state.tasks[0]?.id ?? '' },
      });
      const city = await signIn(services, 'city');
      const cityId = (await city.auth.me()).id;
      await city.cases.act({ caseId, command: { type: 'case.comment', text: '请加快办理' } });

      // Read by the county receptionist: the city supervisor's name, but nothing of 江门市.
      const byCounty = await rec.cases.get({ caseId });
      expect(byCounty.timeline.some((e) => e.by === cityId)).toBe(true);
      // Comments are read from the events (not the stored state) and answered where they were.
      expect(byCounty.state.comments).toEqual([
        expect.objectContaining({ by: cityId, text: '请加快办理' }),
      ]);
      expect(byCounty.state.attachments).toEqual([]);
      expect(byCounty.users[recId]).toEqual({
        displayName: 'receptionist',
        roles: [{ role: 'receptionist', jurisdiction: '440781', department: null }],
      });
      expect(byCounty.users[cityId]).toEqual({ displayName: 'city', roles: [] });
      // Only users the case names: no one else of the county.
      expect(Object.keys(byCounty.users).sort()).toEqual([recId, cityId].sort());

      // Read by the city supervisor, whose scope covers both.
      const byCity = await city.cases.get({ caseId });
      expect(byCity.users[cityId]?.roles).toEqual([
        { role: 'supervisor', jurisdiction: '440700', department: null },
      ]);
      expect(byCity.users[recId]?.roles[0]?.role).toBe('receptionist');
    });
  },
);
