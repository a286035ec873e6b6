import type { CheckedFlow, FlowDefinition } from '@lianxin/spec';
import * as z from 'zod';
import { audit } from '../audit';
import type { Context } from '../context';
import { apiError, guarded } from '../errors';
import { publicProcedure, router } from '../trpc';

const Phone = z.string().regex(/^[\d\s+-]{5,20}$/);
const TrackingCode = z
  .string()
  .trim()
  .toUpperCase()
  .regex(/^[0-9A-Z]{10}$/);

/** Published flows of a jurisdiction whose start node takes online petitions. */
async function onlineFlows(ctx: Context, jurisdiction: string) {
  const flows = (await ctx.store.listFlows([jurisdiction])).filter((f) => f.latestVersion > 0);
  const out: { flowId: string; key: string; version: number; definition: CheckedFlow }[] = [];
  for (const f of flows) {
    const definition = await ctx.store.publishedDefinition(f.id, f.latestVersion);
    const start = definition?.nodes.find((n) => n.kind === 'start');
    if (definition && start && 'channels' in start && start.channels.includes('online')) {
      out.push({ flowId: f.id, key: f.key, version: f.latestVersion, definition });
    }
  }
  return out;
}

/** The form an online submission fills: the same choice as the engine's `case.start`. */
function onlineFormId(definition: FlowDefinition): string | undefined {
  const start = definition.nodes.find((n) => n.kind === 'start');
  if (start?.kind !== 'start') return undefined;
  return start.intakeForm ?? start.form;
}

/**
 * The case behind a tracking code, for whoever knows its phone number. Each
 * look-up is counted before the phone is compared, per code and per address,
 * in the database (so on every server); a right phone takes its count back,
 * so only wrong guesses use the limit up.
 */
async function caseForCitizen(ctx: Context, trackingCode: string, phone: string) {
  const { perCode, perAddress, windowMs } = ctx.services.track;
  const limits = [
    { key: `track:code:${trackingCode}`, max: perCode, windowMs },
    { key: `track:ip:${ctx.ip}`, max: perAddress, windowMs },
  ];
  const verdict = await ctx.store.takeAttempt(limits);
  if (!verdict.ok) {
    throw apiError('auth.rateLimited', {
      seconds: Math.max(1, Math.ceil(verdict.retryAfterMs / 1000)),
    });
  }
  const row = await ctx.store.caseByTrackingCode(trackingCode);
  const petitioner = row?.petitionerId ? await ctx.store.petitioner(row.petitionerId) : undefined;
  // The same answer for an unknown code and a wrong phone: codes cannot be probed.
  if (!row || !petitioner?.phoneHash || petitioner.phoneHash !== ctx.store.vault.hash(phone)) {
    throw apiError('intake.phoneMismatch');
  }
  await ctx.store.releaseAttempt(
    limits.map((l) => l.key),
    verdict.atMs,
  );
  return row;
}

export const intakeRouter = router({
  /**
   * What a citizen can submit online in a jurisdiction: each flow's public intake
   * form (the start node's `intakeForm`), or its registration form when it has none —
   * the form the engine validates an online submission against.
   */
  forms: publicProcedure
    .input(z.object({ jurisdiction: z.string().regex(/^\d{6}$/) }))
    .query(async ({ ctx, input }) => {
      const flows = await onlineFlows(ctx, input.jurisdiction);
      return flows.map(({ flowId, key, definition }) => {
        const formId = onlineFormId(definition);
        return {
          flowId,
          key,
          name: definition.name,
          form: definition.forms.find((f) => f.id === formId) ?? null,
        };
      });
    }),

  /** Submits a petition online; returns the tracking code (查询码). */
  submit: publicProcedure
    .input(
      z.object({
        jurisdiction: z.string().regex(/^\d{6}$/),
        flowKey: z.string().max(64).optional(),
        data: z.record(z.string(), z.unknown()),
        petitioner: z.object({
          name: z.string().min(1).max(50),
          phone: Phone,
          idCard: z
            .string()
            .regex(/^\d{17}[\dXx]$/)
            .optional(),
        }),
      }),
    )
    .mutation(async ({ ctx, input }) => {
      const wait = ctx.services.intakeLimiter.hit(`ip:${ctx.ip}`);
      if (wait > 0) throw apiError('auth.rateLimited', { seconds: wait });
      const flows = await onlineFlows(ctx, input.jurisdiction);
      const flow = input.flowKey ? flows.find((f) => f.key === input.flowKey) : flows[0];
      if (!flow) throw apiError('intake.noOnlineFlow');
      const hints = await ctx.store.repeatHints(input.petitioner);
      const started = await guarded(() =>
        ctx.store.startCase({
          flowId: flow.flowId,
          version: flow.version,
          petitioner: { jurisdiction: input.jurisdiction, ...input.petitioner },
          command: {
            type: 'case.start',
            channel: 'online',
            data: input.data,
            jurisdiction: input.jurisdiction,
            repeat: hints.length > 0,
          },
        }),
      );
      return { trackingCode: started.trackingCode };
    }),

  /** Progress for the citizen: steps and status only, no personal data or internal notes. */
  track: publicProcedure
    .input(z.object({ trackingCode: TrackingCode, phone: Phone }))
    .query(async ({ ctx, input }) => {
      const row = await caseForCitizen(ctx, input.trackingCode, input.phone);
      // The petitioner (not a staff member) read the case's progress.
      await audit(ctx, {
        action: 'case.read',
        caseId: row.id,
        petitionerId: row.petitionerId,
        jurisdiction: row.jurisdiction,
        detail: { procedure: 'intake.track', by: 'petitioner' },
      });
      const events = await ctx.store.events(row.id);
      const steps = events
        .filter(
          (e) => e.type === 'task.opened' || e.type === 'case.closed' || e.type === 'case.started',
        )
        .map((e) =>
          e.type === 'task.opened'
            ? { at: e.at, step: e.task.name }
            : e.type === 'case.started'
              ? { at: e.at, step: { 'zh-CN': '已登记', en: 'Registered' } }
              : { at: e.at, step: { 'zh-CN': '已办结', en: 'Closed' } },
        );
      const evaluation = await ctx.store.evaluation(row.id);
      return {
        // What the flow tells the petitioner (告知): written for citizens by the county.
        notices: await ctx.store.petitionerNotices(row.id),
        trackingCode: row.trackingCode,
        status: row.status,
        outcome: row.outcome,
        receivedAt: row.createdAt,
        closedAt: row.closedAt,
        current: row.state.tasks.map((t) => t.name),
        steps,
        canEvaluate: row.status === 'closed',
        evaluation: evaluation ? { score: evaluation.score } : null,
      };
    }),

  /**
   * Satisfaction evaluation (满意度评价), 1 = very dissatisfied … 5 = very
   * satisfied. A rating is final: a second one is refused, so whoever learns
   * the code and phone later cannot rewrite the citizen's verdict.
   */
  evaluate: publicProcedure
    .input(
      z.object({
        trackingCode: TrackingCode,
        phone: Phone,
        score: z.number().int().min(1).max(5),
        comment: z.string().max(500).optional(),
      }),
    )
    .mutation(async ({ ctx, input }) => {
      const row = await caseForCitizen(ctx, input.trackingCode, input.phone);
      if (row.status !== 'closed') throw apiError('intake.notClosed');
      const recorded = await ctx.store.evaluateOnce(
        row.id,
        input.score,
        input.comment ?? null,
        'online',
      );
      if (!recorded) throw apiError('intake.alreadyEvaluated', {}, { pointer: '/score' });
      return { ok: true };
    }),
});
