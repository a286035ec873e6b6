import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Bilingual, CheckedFlow, FlowDefinition } from '@lianxin/spec';
import * as z from 'zod';
import { audit } from '../audit';
import type { Context } from '../context';
import { apiError, guarded } from '../errors';
import { publicProcedure, router } from '../trpc';

export const Phone = z.string().regex(/^[\d\s+-]{5,20}$/);
export const TrackingCode = z
  .string()
  .trim()
  .toUpperCase()
  .regex(/^[0-9A-Z]{10}$/);

/** Photos a petitioner may attach to one online submission, and how long after it. */
export const INTAKE_PHOTOS = {
  maxCount: 6,
  maxBytes: 10 * 1024 * 1024,
  windowMs: 30 * 60_000,
} as const;

/**
 * The right to attach photos to the case an online submission just created:
 * the case id and an expiry, signed with a key derived from the store's key
 * ring. Only the browser that submitted holds it; it opens nothing to read.
 */
export function photoToken(ctx: Pick<Context, 'store'>, caseId: string, expiresMs: number): string {
  return `${caseId}.${expiresMs}.${ctx.store.vault.hash(`intake-photos:${caseId}:${expiresMs}`)}`;
}

/** The case a live photo token was issued for (see `photoToken`), or undefined. */
export function verifyPhotoToken(
  ctx: Pick<Context, 'store'>,
  token: string,
  nowMs: number,
): string | undefined {
  const [caseId, expires, mac, ...rest] = token.split('.');
  const expiresMs = Number(expires);
  if (!caseId || !mac || rest.length || !Number.isSafeInteger(expiresMs)) return undefined;
  if (expiresMs < nowMs || expiresMs > nowMs + INTAKE_PHOTOS.windowMs + 60_000) return undefined;
  // Compared in constant time, digests of equal length.
  const digest = (s: string) => createHmac('sha256', 'cmp').update(s).digest();
  const ok = timingSafeEqual(
    digest(ctx.store.vault.hash(`intake-photos:${caseId}:${expiresMs}`)),
    digest(mac),
  );
  return ok ? caseId : undefined;
}

/**
 * The office a public page belongs to: its name and where it is
 * (广东省江门市台山市), for the intake page and the QR poster.
 */
async function officeOf(ctx: Context, code: string) {
  const tree = ctx.services.tree;
  const row = await tree.get(code);
  if (!row) return null;
  const chain: Bilingual[] = [];
  for (
    let at: typeof row | undefined = row;
    at;
    at = at.parent ? await tree.get(at.parent) : undefined
  ) {
    if (at.level !== 'national') chain.unshift(at.name as Bilingual);
    if (chain.length > 5) break;
  }
  return {
    name: row.name as Bilingual,
    fullName: {
      'zh-CN': chain.map((n) => n['zh-CN']).join(''),
      en: [...chain]
        .reverse()
        .map((n) => n.en ?? n['zh-CN'])
        .join(', '),
    },
  };
}

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
export async function caseForCitizen(ctx: Context, trackingCode: string, phone: string) {
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
      const office = await officeOf(ctx, input.jurisdiction);
      return flows.map(({ flowId, key, definition }) => {
        const formId = onlineFormId(definition);
        return {
          flowId,
          key,
          name: definition.name,
          form: definition.forms.find((f) => f.id === formId) ?? null,
          // Which county (or town) the petition goes to, for the page and the QR poster.
          office,
        };
      });
    }),

  /**
   * Submits a petition online; returns the tracking code (查询码) and the
   * token with which this browser may attach photos to the new case.
   */
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
      const { perAddress, windowMs } = ctx.services.intake;
      const verdict = await ctx.store.takeAttempt([
        { key: `intake:ip:${ctx.ip}`, max: perAddress, windowMs },
      ]);
      if (!verdict.ok) {
        const seconds = Math.max(1, Math.ceil(verdict.retryAfterMs / 1000));
        throw apiError('auth.rateLimited', { seconds });
      }
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
      return {
        trackingCode: started.trackingCode,
        // Photos go to POST /api/intake/photos with this token, bound to this case only.
        photos: {
          token: photoToken(ctx, started.caseId, Date.now() + INTAKE_PHOTOS.windowMs),
          maxCount: INTAKE_PHOTOS.maxCount,
          maxBytes: INTAKE_PHOTOS.maxBytes,
        },
      };
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
