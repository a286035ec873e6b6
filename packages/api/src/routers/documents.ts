import { createHmac, timingSafeEqual } from 'node:crypto';
import { DOCUMENT_KIND_NAMES, DocumentKind } from '@lianxin/spec';
import {
  chineseDate,
  DOCUMENT_PLACEHOLDERS,
  type DocumentRow,
  defaultDocumentTemplate,
  fillTemplate,
  formatSerial,
  serialYear,
  TEMPLATE_LIMITS,
  templateProblems,
} from '@lianxin/store';
import * as z from 'zod';
import { audit } from '../audit';
import type { Context, SessionInfo } from '../context';
import { renderDocumentPdf } from '../documents-pdf';
import { apiError, guarded } from '../errors';
import { requireScope } from '../permissions';
import { authedProcedure, publicProcedure, router } from '../trpc';
import { caseForCitizen, Phone, TrackingCode } from './intake';

type Authed = Context & { session: SessionInfo };

const Jurisdiction = z.string().regex(/^\d{6}$/);
/** Bounded a little above the template limits, so an overlong field gets the located message. */
const TemplateFields = z.object({
  serialPrefix: z.string().max(TEMPLATE_LIMITS.serialPrefix * 4),
  issuer: z.string().max(TEMPLATE_LIMITS.issuer * 4),
  title: z.string().max(TEMPLATE_LIMITS.title * 4),
  body: z.string().max(TEMPLATE_LIMITS.body * 2),
});

/** How long a petitioner's download link works after the tracking page was opened. */
export const DOWNLOAD_LINK_MS = 30 * 60_000;

/**
 * A download link for one document that needs no sign-in: the document id
 * and an expiry, signed with a key derived from the store's key ring, so it
 * opens that document only, and only until it expires.
 */
export function downloadToken(
  ctx: Pick<Context, 'store'>,
  documentId: string,
  expiresMs: number,
): string {
  return `${expiresMs}.${ctx.store.vault.hash(`document-download:${documentId}:${expiresMs}`)}`;
}

/** Whether `token` is a live link to `documentId` (see `downloadToken`). */
export function verifyDownloadToken(
  ctx: Pick<Context, 'store'>,
  documentId: string,
  token: string,
  nowMs: number,
): boolean {
  const [expires, mac] = token.split('.');
  const expiresMs = Number(expires);
  if (!mac || !Number.isSafeInteger(expiresMs) || expiresMs < nowMs) return false;
  if (expiresMs > nowMs + DOWNLOAD_LINK_MS + 60_000) return false;
  // Compared in constant time, digests of equal length.
  const digest = (s: string) => createHmac('sha256', 'cmp').update(s).digest();
  return timingSafeEqual(
    digest(ctx.store.vault.hash(`document-download:${documentId}:${expiresMs}`)),
    digest(mac),
  );
}

/** A document as staff see it in the case's list: no text (it names the petitioner). */
function listed(row: DocumentRow) {
  const kind = row.kind as DocumentKind;
  return {
    id: row.id,
    kind,
    kindName: DOCUMENT_KIND_NAMES[kind] ?? { 'zh-CN': row.kind, en: row.kind },
    serial: row.serial,
    issuedAt: row.issuedAt,
    hasPdf: row.attachmentId !== null,
    /** GET it with the session cookie; the PDF is rendered on first use and kept as an attachment. */
    pdfUrl: `/api/documents/${row.id}/pdf`,
  };
}

async function requireTemplateAdmin(ctx: Authed, jurisdiction: string) {
  const row = await ctx.services.tree.get(jurisdiction);
  if (!row) throw apiError('notFound.jurisdiction', { jurisdiction });
  await requireScope(ctx.services.tree, ctx.session, 'editFlows', jurisdiction);
  return row;
}

function refuseProblems(fields: z.infer<typeof TemplateFields>) {
  const problems = templateProblems(fields);
  const first = problems[0];
  if (!first) return;
  throw apiError(
    'documents.templateInvalid',
    { count: problems.length, first: first.message['zh-CN'], firstEn: first.message.en },
    { problems },
  );
}

/** Sample values for the template editor's preview: clearly examples, never a real case. */
function sampleValues(
  kind: DocumentKind,
  issuer: string,
  serialPrefix: string,
  nowIso: string,
): Record<keyof typeof DOCUMENT_PLACEHOLDERS, string> {
  const replies: Record<DocumentKind, string> = {
    receipt: '',
    acceptance: '属于本机关职权范围，予以受理。',
    nonAcceptance: '该事项已经人民法院立案受理，属于应当通过诉讼途径解决的事项。',
    transfer: '该事项属于市场监督管理部门职责范围。',
    opinion: '经人社局调查核实，用人单位已于本月向你足额支付拖欠的工资。',
    review: '原处理意见认定事实清楚，适用依据正确，予以维持。',
    reReview: '复查意见认定事实清楚，程序合法，予以维持。',
  };
  return {
    'petitioner.name': '张某某（示例）',
    'case.title': '工地拖欠工资三个月（示例）',
    'case.requests': '请求督促用人单位支付工资（示例）',
    'case.receivedDate': chineseDate(nowIso),
    'case.trackingCode': 'ABCD2345EF',
    reply: replies[kind],
    transferTo: '台山市市场监督管理局（示例）',
    date: chineseDate(nowIso),
    serial: formatSerial(serialPrefix, serialYear(nowIso), 1),
    issuer,
  };
}

export const documentsRouter = router({
  /** The statutory documents issued on a case (文书), newest last. */
  list: authedProcedure
    .input(z.object({ caseId: z.string().min(1).max(100) }))
    .query(async ({ ctx, input }) => {
      const row = await ctx.store.caseRow(input.caseId);
      if (!row) throw apiError('notFound.case');
      await requireScope(ctx.services.tree, ctx.session, 'read', row.jurisdiction);
      return (await ctx.store.documents.listForCase(row.id)).map(listed);
    }),

  /** A jurisdiction's document templates (its own, or the shipped wording), and the placeholders. */
  templates: authedProcedure
    .input(z.object({ jurisdiction: Jurisdiction }))
    .query(async ({ ctx, input }) => {
      const place = await requireTemplateAdmin(ctx, input.jurisdiction);
      const templates = await ctx.store.documents.templates(input.jurisdiction);
      return {
        templates: templates.map((t) => {
          const shipped = defaultDocumentTemplate(t.kind, place.name['zh-CN'] ?? '');
          return {
            ...t,
            kindName: DOCUMENT_KIND_NAMES[t.kind],
            /** The shipped wording, for 恢复默认文字. */
            shipped: {
              serialPrefix: shipped.serialPrefix,
              issuer: shipped.issuer,
              title: shipped.title,
              body: shipped.body,
            },
          };
        }),
        placeholders: Object.entries(DOCUMENT_PLACEHOLDERS).map(([name, label]) => ({
          name,
          label,
        })),
        limits: TEMPLATE_LIMITS,
      };
    }),

  /** The template filled with example values, and its problems, without saving anything. */
  preview: authedProcedure
    .input(TemplateFields.extend({ jurisdiction: Jurisdiction, kind: DocumentKind }))
    .query(async ({ ctx, input }) => {
      await requireTemplateAdmin(ctx, input.jurisdiction);
      const values = sampleValues(
        input.kind,
        input.issuer,
        input.serialPrefix,
        ctx.store.clock.now().toISOString(),
      );
      return {
        problems: templateProblems(input),
        serial: values.serial,
        title: fillTemplate(input.title, values),
        issuer: input.issuer,
        body: fillTemplate(input.body, values),
        date: values.date,
      };
    }),

  /**
   * The template filled with example values as a PDF, marked 预览 样稿 across
   * the page, base64-encoded; a mutation only because the text is too long
   * for a URL: it writes nothing.
   */
  previewPdf: authedProcedure
    .input(TemplateFields.extend({ jurisdiction: Jurisdiction, kind: DocumentKind }))
    .mutation(async ({ ctx, input }) => {
      await requireTemplateAdmin(ctx, input.jurisdiction);
      refuseProblems(input);
      const now = ctx.store.clock.now().toISOString();
      const values = sampleValues(input.kind, input.issuer, input.serialPrefix, now);
      const pdf = await renderDocumentPdf({
        issuer: input.issuer,
        title: fillTemplate(input.title, values),
        serial: values.serial,
        body: fillTemplate(input.body, values),
        issuedAt: now,
        dateText: values.date,
        trackingCode: values['case.trackingCode'],
        preview: true,
      });
      return { pdfBase64: pdf.toString('base64'), bytes: pdf.length };
    }),

  /** Saves a county's wording; documents issued before keep the text they were issued with. */
  saveTemplate: authedProcedure
    .input(
      TemplateFields.extend({
        jurisdiction: Jurisdiction,
        kind: DocumentKind,
        expectedRevision: z.number().int().min(0),
      }),
    )
    .mutation(async ({ ctx, input }) => {
      await requireTemplateAdmin(ctx, input.jurisdiction);
      refuseProblems(input);
      const saved = await guarded(() =>
        ctx.store.documents.saveTemplate({
          ...input,
          by: ctx.session.user.id,
          at: ctx.store.clock.now().toISOString(),
        }),
      );
      if (!saved) {
        const current = (await ctx.store.documents.templates(input.jurisdiction)).find(
          (t) => t.kind === input.kind,
        );
        throw apiError('documents.templateStale', { revision: current?.revision ?? 0 });
      }
      await audit(ctx, {
        action: 'document.templateSaved',
        jurisdiction: input.jurisdiction,
        detail: { kind: input.kind, revision: saved.revision },
      });
      return { ...saved, kindName: DOCUMENT_KIND_NAMES[saved.kind] };
    }),

  /**
   * The documents addressed to the petitioner, for the tracking page: each
   * one's text as issued and a download link that works without sign-in for
   * `DOWNLOAD_LINK_MS`. The same code-and-phone check (and limits) as `intake.track`.
   */
  forPetitioner: publicProcedure
    .input(z.object({ trackingCode: TrackingCode, phone: Phone }))
    .query(async ({ ctx, input }) => {
      const row = await caseForCitizen(ctx, input.trackingCode, input.phone);
      const rows = await ctx.store.documents.listForCase(row.id);
      await audit(ctx, {
        action: 'case.read',
        caseId: row.id,
        petitionerId: row.petitionerId,
        jurisdiction: row.jurisdiction,
        detail: { procedure: 'documents.forPetitioner', by: 'petitioner' },
      });
      const expires = ctx.store.clock.now().getTime() + DOWNLOAD_LINK_MS;
      return rows.map((d) => {
        const content = ctx.store.documents.content(d);
        return {
          ...listed(d),
          title: content.title,
          issuer: content.issuer,
          body: content.body,
          pdfUrl: `/api/track/documents/${d.id}?t=${encodeURIComponent(downloadToken(ctx, d.id, expires))}`,
        };
      });
    }),
});
