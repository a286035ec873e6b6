import { randomUUID } from 'node:crypto';
import type { CaseState, Event } from '@lianxin/engine';
import {
  type CheckedFlow,
  DOCUMENT_KIND_NAMES,
  DOCUMENT_KINDS,
  type DocumentKind,
  isSealed,
  parseSealed,
  sealValue,
} from '@lianxin/spec';
import type BetterSqlite3 from 'better-sqlite3';
import { and, asc, eq, sql } from 'drizzle-orm';
import type { Vault } from './crypto';
import type { Database, Db } from './db';

/** A county's wording of one statutory document (or the shipped default). */
export interface DocumentTemplate {
  kind: DocumentKind;
  /** 文号 prefix: 台信受 makes 台信受〔2026〕12号. */
  serialPrefix: string;
  /** The issuing office, printed under the text and as the document's author. */
  issuer: string;
  title: string;
  /** Text with `{{placeholders}}`; a blank line separates paragraphs. */
  body: string;
  /** 0 for the shipped default; each save adds one. */
  revision: number;
  updatedBy: string | null;
  updatedAt: string | null;
}

/** What a template may say; each resolved from the case when the document is issued. */
export const DOCUMENT_PLACEHOLDERS = {
  'petitioner.name': { 'zh-CN': '信访人姓名', en: 'petitioner’s name' },
  'case.title': { 'zh-CN': '信访事项（诉求摘要）', en: 'the case’s title (summary)' },
  'case.requests': { 'zh-CN': '具体诉求', en: 'the requests' },
  'case.receivedDate': { 'zh-CN': '收到日期', en: 'date received' },
  'case.trackingCode': { 'zh-CN': '查询码', en: 'tracking code' },
  reply: {
    'zh-CN': '答复或意见（按文书种类取办理意见、复查意见、不予受理理由等）',
    en: 'the reply or opinion (by kind: reply, review opinion, reason for declining…)',
  },
  transferTo: { 'zh-CN': '转送机关', en: 'the office transferred to' },
  date: { 'zh-CN': '出具日期', en: 'date issued' },
  serial: { 'zh-CN': '文号', en: 'serial number' },
  issuer: { 'zh-CN': '出具机关', en: 'issuing office' },
} as const;
export type DocumentPlaceholder = keyof typeof DOCUMENT_PLACEHOLDERS;

/** `{{reply}}` for each kind: the first of these case data fields that holds text. */
const REPLY_FIELDS: Record<DocumentKind, string[]> = {
  receipt: ['registerNote'],
  acceptance: ['acceptanceNote'],
  nonAcceptance: ['declineReason', 'reason'],
  transfer: ['transferReason', 'reason'],
  opinion: ['replyText', 'feedbackText', 'handlingOpinion', 'reply', 'opinion'],
  review: ['reviewOpinion', 'opinion', 'replyText'],
  reReview: ['reReviewOpinion', 'reviewOpinion', 'opinion', 'replyText'],
};

/** The abbreviation in a default 文号: 受 in 台信受〔2026〕12号. */
const SERIAL_ABBREVIATIONS: Record<DocumentKind, string> = {
  receipt: '回',
  acceptance: '受',
  nonAcceptance: '不受',
  transfer: '转',
  opinion: '处',
  review: '复查',
  reReview: '复核',
};

const OPENING = '{{petitioner.name}}：';
const TRACKING =
  '你可凭查询码 {{case.trackingCode}} 和登记的手机号码在网上查询办理进度和本告知书。';
const DEFAULT_BODIES: Record<DocumentKind, string> = {
  receipt: [
    OPENING,
    '你于{{case.receivedDate}}来访反映的“{{case.title}}”已登记。本机关将自收到之日起十五日内决定是否受理，并书面告知你。',
    TRACKING,
  ].join('\n\n'),
  acceptance: [
    OPENING,
    '你于{{case.receivedDate}}提出的“{{case.title}}”信访事项，经审查，本机关决定予以受理。',
    '本机关将自受理之日起六十日内办结并出具书面答复意见；情况复杂的，经批准可以适当延长办理期限，但延长期限不超过三十日，并告知你延期理由。',
    TRACKING,
    '特此告知。',
  ].join('\n\n'),
  nonAcceptance: [
    OPENING,
    '你于{{case.receivedDate}}提出的“{{case.title}}”信访事项，经审查：{{reply}}',
    '根据《信访工作条例》的规定，本机关决定不予受理。',
    '特此告知。',
  ].join('\n\n'),
  transfer: [
    OPENING,
    '你于{{case.receivedDate}}提出的“{{case.title}}”信访事项，依法应由{{transferTo}}处理。本机关已将该信访事项转送{{transferTo}}，请你与其联系。{{reply}}',
    '特此告知。',
  ].join('\n\n'),
  opinion: [
    OPENING,
    '你于{{case.receivedDate}}提出的“{{case.title}}”信访事项，本机关已依法办理。现答复如下：',
    '{{reply}}',
    '如对本处理意见不服，可以自收到本意见书之日起三十日内，请求原办理机关的上一级机关复查。',
  ].join('\n\n'),
  review: [
    OPENING,
    '你对“{{case.title}}”信访事项的处理意见不服，请求复查。经复查，意见如下：',
    '{{reply}}',
    '如对本复查意见不服，可以自收到本意见书之日起三十日内，向复查机关的上一级机关请求复核。',
  ].join('\n\n'),
  reReview: [
    OPENING,
    '你对“{{case.title}}”信访事项的复查意见不服，请求复核。经复核，意见如下：',
    '{{reply}}',
    '本复核意见为终结意见。你对复核意见不服，仍以同一事实和理由提出信访的，信访工作机构不再受理。',
  ].join('\n\n'),
};

/** The shipped wording of `kind` for a jurisdiction called `jurisdictionName` (e.g. 台山市). */
export function defaultDocumentTemplate(
  kind: DocumentKind,
  jurisdictionName: string,
): DocumentTemplate {
  const place = jurisdictionName.trim();
  return {
    kind,
    serialPrefix: `${[...place][0] ?? ''}信${SERIAL_ABBREVIATIONS[kind]}`,
    issuer: `${place}信访局`,
    title: DOCUMENT_KIND_NAMES[kind]['zh-CN'],
    body: DEFAULT_BODIES[kind],
    revision: 0,
    updatedBy: null,
    updatedAt: null,
  };
}

/** A problem with a template, located by field and (in the body) line. */
export interface TemplateProblem {
  field: 'serialPrefix' | 'issuer' | 'title' | 'body';
  line?: number;
  message: { 'zh-CN': string; en: string };
}

const FIELD_NAMES = {
  serialPrefix: { 'zh-CN': '文号前缀', en: 'serial prefix' },
  issuer: { 'zh-CN': '出具机关', en: 'issuing office' },
  title: { 'zh-CN': '标题', en: 'title' },
  body: { 'zh-CN': '正文', en: 'text' },
} as const;
export const TEMPLATE_LIMITS = { serialPrefix: 12, issuer: 40, title: 30, body: 5000 } as const;

/** Every problem of a template a county wants to save; none means it may be saved. */
export function templateProblems(
  t: Pick<DocumentTemplate, 'serialPrefix' | 'issuer' | 'title' | 'body'>,
): TemplateProblem[] {
  const problems: TemplateProblem[] = [];
  for (const field of ['serialPrefix', 'issuer', 'title', 'body'] as const) {
    const value = t[field];
    const name = FIELD_NAMES[field];
    if (!value.trim()) {
      problems.push({
        field,
        message: { 'zh-CN': `${name['zh-CN']}不能为空`, en: `the ${name.en} is empty` },
      });
    } else if ([...value].length > TEMPLATE_LIMITS[field]) {
      problems.push({
        field,
        message: {
          'zh-CN': `${name['zh-CN']}不能超过 ${TEMPLATE_LIMITS[field]} 个字`,
          en: `the ${name.en} may be at most ${TEMPLATE_LIMITS[field]} characters`,
        },
      });
    }
    // A control character would not print; NUL cannot be stored.
    if ([...value].some((ch) => ch < ' ' && ch !== '\n' && ch !== '\r' && ch !== '\t')) {
      problems.push({
        field,
        message: {
          'zh-CN': `${name['zh-CN']}含有无法打印的控制字符`,
          en: `the ${name.en} holds a control character that cannot be printed`,
        },
      });
    }
  }
  for (const field of ['issuer', 'title'] as const) {
    if (/[\r\n]/.test(t[field]))
      problems.push({
        field,
        message: {
          'zh-CN': `${FIELD_NAMES[field]['zh-CN']}只能写一行`,
          en: `the ${FIELD_NAMES[field].en} is one line`,
        },
      });
  }
  if (/[\r\n{}〔〕]/.test(t.serialPrefix)) {
    problems.push({
      field: 'serialPrefix',
      message: {
        'zh-CN': '文号前缀只写机关代字（如“台信受”），年份和序号由系统生成',
        en: 'the serial prefix is the office’s abbreviation only (e.g. 台信受); year and number are added',
      },
    });
  }
  for (const field of ['title', 'body'] as const) {
    t[field].split('\n').forEach((text, i) => {
      const line = i + 1;
      const where =
        field === 'body'
          ? { zh: `正文第 ${line} 行`, en: `text line ${line}` }
          : { zh: '标题', en: 'title' };
      for (const m of text.matchAll(/\{\{\s*([^{}]*?)\s*\}\}/g)) {
        const name = m[1] ?? '';
        if (!Object.hasOwn(DOCUMENT_PLACEHOLDERS, name)) {
          problems.push({
            field,
            ...(field === 'body' ? { line } : {}),
            message: {
              'zh-CN': `${where.zh}：没有占位符 {{${name}}}，可用的有 ${Object.keys(DOCUMENT_PLACEHOLDERS).join('、')}`,
              en: `${where.en}: there is no placeholder {{${name}}}; use one of ${Object.keys(DOCUMENT_PLACEHOLDERS).join(', ')}`,
            },
          });
        }
      }
      const stray = text.replace(/\{\{\s*[^{}]*?\s*\}\}/g, '');
      if (stray.includes('{{') || stray.includes('}}')) {
        problems.push({
          field,
          ...(field === 'body' ? { line } : {}),
          message: {
            'zh-CN': `${where.zh}：占位符没有写完整，应写成 {{信息名}}，例如 {{petitioner.name}}`,
            en: `${where.en}: an unfinished placeholder; write {{name}}, e.g. {{petitioner.name}}`,
          },
        });
      }
    });
  }
  return problems;
}

/** A value left empty in the case prints as a line to fill in by hand. */
export const BLANK = '＿＿＿＿';

/** The template's text with each placeholder replaced by its value. */
export function fillTemplate(
  text: string,
  values: Partial<Record<DocumentPlaceholder, string>>,
): string {
  return text.replace(/\{\{\s*([^{}]*?)\s*\}\}/g, (_, name: string) => {
    // Own keys only: {{constructor}} or {{__proto__}} is no placeholder.
    const value = Object.hasOwn(values, name) ? values[name as DocumentPlaceholder] : undefined;
    return typeof value === 'string' && value.trim() ? value.trim() : BLANK;
  });
}

/** 2026年3月1日: the Beijing date of an instant, as documents print it. */
export function chineseDate(iso: string): string {
  const d = new Date(Date.parse(iso) + 8 * 3_600_000);
  return `${d.getUTCFullYear()}年${d.getUTCMonth() + 1}月${d.getUTCDate()}日`;
}
/** The year (Beijing time) a document issued at `iso` is numbered in. */
export function serialYear(iso: string): number {
  return new Date(Date.parse(iso) + 8 * 3_600_000).getUTCFullYear();
}
/** 台信受〔2026〕12号 */
export function formatSerial(prefix: string, year: number, number: number): string {
  return `${prefix}〔${year}〕${number}号`;
}

/**
 * The documents a transition issues: one for each kind declared on each edge
 * the case took (`token.moved` / `token.created` through it), in event order.
 */
export function documentsIssued(
  definition: Pick<CheckedFlow, 'edges'>,
  events: readonly Event[],
): { edge: string; kind: DocumentKind }[] {
  const declared = declaredDocuments(definition.edges);
  if (!declared.size) return [];
  const out: { edge: string; kind: DocumentKind }[] = [];
  for (const e of events) {
    const via = e.type === 'token.moved' || e.type === 'token.created' ? e.via : undefined;
    if (via === undefined) continue;
    for (const kind of declared.get(via) ?? []) out.push({ edge: via, kind });
  }
  return out;
}

/** Each checked definition's edges with documents, found once: this runs on every transition. */
const DECLARED = new WeakMap<object, Map<string, readonly DocumentKind[]>>();
function declaredDocuments(edges: CheckedFlow['edges']): Map<string, readonly DocumentKind[]> {
  let declared = DECLARED.get(edges);
  if (!declared) {
    declared = new Map();
    for (const e of edges) if (e.documents?.length) declared.set(e.id, e.documents);
    DECLARED.set(edges, declared);
  }
  return declared;
}

/** A value of the case data at a dotted path, opened if sealed; text only. */
function textAt(data: Record<string, unknown>, path: string, open: (s: string) => string) {
  let v: unknown = data;
  for (const key of path.split('.')) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<string, unknown>)[key];
  }
  if (typeof v === 'number') return String(v);
  if (typeof v !== 'string') return undefined;
  if (!isSealed(v)) return v;
  // A value that does not open (a damaged row, another key) prints blank; it never stops the transition.
  try {
    return open(v);
  } catch {
    return undefined;
  }
}

/** What a document's placeholders say for this case, sealed values opened. */
export function placeholderValues(input: {
  kind: DocumentKind;
  /** The flow's title and summary fields (`complaintFields`), when it names them. */
  fields?: { title?: string; summary?: string } | undefined;
  state: Pick<CaseState, 'data' | 'createdAt'>;
  trackingCode: string;
  petitionerName?: string | undefined;
  serial: string;
  issuer: string;
  issuedAt: string;
  open: (sealed: string) => string;
}): Record<DocumentPlaceholder, string> {
  const data = input.state.data;
  const at = (path: string) => textAt(data, path, input.open) ?? '';
  const reply = REPLY_FIELDS[input.kind].map(at).find((v) => v.trim()) ?? '';
  return {
    'petitioner.name': at('petitioner.name') || input.petitionerName || '',
    'case.title':
      (input.fields?.title ? at(input.fields.title) : '') || at('title') || at('summary'),
    'case.requests': (input.fields?.summary ? at(input.fields.summary) : '') || at('requests'),
    'case.receivedDate': chineseDate(input.state.createdAt),
    'case.trackingCode': input.trackingCode,
    reply,
    transferTo: at('transferTo'),
    date: chineseDate(input.issuedAt),
    serial: input.serial,
    issuer: input.issuer,
  };
}

/** A document's text as issued. */
export interface DocumentContent {
  title: string;
  issuer: string;
  body: string;
}

export type DocumentRow = Database['t']['documents']['$inferSelect'];

/**
 * Issues statutory documents inside the transaction of the transition that
 * decides them: the serial counter row is incremented (on PostgreSQL the
 * upsert takes its row lock, so a concurrent transition waits and gets the
 * next number), and the document's text is resolved from the county's
 * template and the case and kept sealed.
 */
export class DocumentIssuer {
  constructor(
    private readonly database: Database,
    private readonly vault: Vault,
  ) {}

  private get t() {
    return this.database.t;
  }

  /** The county's template for `kind`, or the shipped default. */
  async template(tx: Db, jurisdiction: string, kind: DocumentKind): Promise<DocumentTemplate> {
    const [own] = await tx
      .select()
      .from(this.t.documentTemplates)
      .where(
        and(
          eq(this.t.documentTemplates.jurisdiction, jurisdiction),
          eq(this.t.documentTemplates.kind, kind),
        ),
      );
    if (own) return { ...own, kind };
    const [j] = await tx
      .select({ name: this.t.jurisdictions.name })
      .from(this.t.jurisdictions)
      .where(eq(this.t.jurisdictions.code, jurisdiction));
    return defaultDocumentTemplate(kind, j?.name['zh-CN'] ?? '');
  }

  /** The next number of this jurisdiction, kind and year, counted in `tx`. */
  async nextNumber(tx: Db, jurisdiction: string, kind: DocumentKind, year: number) {
    const s = this.t.documentSerials;
    const [row] = await tx
      .insert(s)
      .values({ jurisdiction, kind, year, last: 1 })
      .onConflictDoUpdate({
        target: [s.jurisdiction, s.kind, s.year],
        set: { last: sql`${s.last} + 1` },
      })
      .returning({ last: s.last });
    if (!row) throw new Error('document serial counter returned no row');
    return row.last;
  }

  open = (sealed: string): string => this.vault.decrypt(parseSealed(sealed).ciphertext);

  private openName(nameEnc: string | null | undefined): string | undefined {
    try {
      return nameEnc ? this.vault.decrypt(nameEnc) : undefined;
    } catch {
      return undefined;
    }
  }

  /** One document's row: its 文号 and its text resolved from `template` and the case, sealed. */
  private compose(
    input: {
      caseId: string;
      state: CaseState;
      by: string | undefined;
      fields?: { title?: string; summary?: string };
    },
    issued: { edge: string; kind: DocumentKind },
    template: DocumentTemplate,
    number: number,
    of: { trackingCode: string; petitionerName: string | undefined },
  ): DocumentRow {
    const { state } = input;
    const issuedAt = state.updatedAt;
    const year = serialYear(issuedAt);
    const serial = formatSerial(template.serialPrefix, year, number);
    const values = placeholderValues({
      kind: issued.kind,
      fields: input.fields,
      state,
      trackingCode: of.trackingCode,
      petitionerName: of.petitionerName,
      serial,
      issuer: template.issuer,
      issuedAt,
      open: this.open,
    });
    const content: DocumentContent = {
      title: fillTemplate(template.title, values),
      issuer: template.issuer,
      body: fillTemplate(template.body, values),
    };
    return {
      id: randomUUID(),
      caseId: input.caseId,
      jurisdiction: state.jurisdiction,
      kind: issued.kind,
      year,
      number,
      serial,
      edge: issued.edge,
      caseVersion: state.version,
      content: sealValue('text', this.vault.encrypt(JSON.stringify(content))),
      templateRevision: template.revision,
      issuedAt,
      issuedBy: input.by ?? null,
      attachmentId: null,
    };
  }

  /**
   * SQLite only: `issue` synchronously on the raw connection, inside the
   * caller's better-sqlite3 transaction (the transition's fast path).
   */
  issueSync(
    sqlite: BetterSqlite3.Database,
    input: {
      caseId: string;
      state: CaseState;
      issued: { edge: string; kind: DocumentKind }[];
      by: string | undefined;
      fields?: { title?: string; summary?: string };
    },
  ): DocumentRow[] {
    const { state } = input;
    if (!input.issued.length) return [];
    const c = sqlite
      .prepare(
        'SELECT tracking_code AS trackingCode, petitioner_id AS petitionerId FROM cases WHERE id = ?',
      )
      .get(input.caseId) as { trackingCode: string; petitionerId: string | null } | undefined;
    const p = c?.petitionerId
      ? (sqlite
          .prepare('SELECT name_enc AS nameEnc FROM petitioners WHERE id = ?')
          .get(c.petitionerId) as { nameEnc: string | null } | undefined)
      : undefined;
    const petitionerName = this.openName(p?.nameEnc);
    const year = serialYear(state.updatedAt);
    const rows: DocumentRow[] = [];
    for (const { edge, kind } of inLockOrder(input.issued)) {
      const own = sqlite
        .prepare(
          'SELECT serial_prefix AS serialPrefix, issuer, title, body, revision, updated_by AS updatedBy, updated_at AS updatedAt FROM document_templates WHERE jurisdiction = ? AND kind = ?',
        )
        .get(state.jurisdiction, kind) as Omit<DocumentTemplate, 'kind'> | undefined;
      let template: DocumentTemplate;
      if (own) template = { ...own, kind };
      else {
        const j = sqlite
          .prepare('SELECT name FROM jurisdictions WHERE code = ?')
          .get(state.jurisdiction) as { name: string } | undefined;
        const name = j ? (JSON.parse(j.name) as { 'zh-CN'?: string })['zh-CN'] : undefined;
        template = defaultDocumentTemplate(kind, name ?? '');
      }
      const counted = sqlite
        .prepare(
          'INSERT INTO document_serials (jurisdiction, kind, year, last) VALUES (?, ?, ?, 1) ON CONFLICT (jurisdiction, kind, year) DO UPDATE SET last = last + 1 RETURNING last',
        )
        .get(state.jurisdiction, kind, year) as { last: number };
      const row = this.compose(input, { edge, kind }, template, counted.last, {
        trackingCode: c?.trackingCode ?? '',
        petitionerName,
      });
      sqlite
        .prepare(
          'INSERT INTO documents (id, case_id, jurisdiction, kind, year, number, serial, edge, case_version, content, template_revision, issued_at, issued_by, attachment_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
        )
        .run(
          row.id,
          row.caseId,
          row.jurisdiction,
          row.kind,
          row.year,
          row.number,
          row.serial,
          row.edge,
          row.caseVersion,
          row.content,
          row.templateRevision,
          row.issuedAt,
          row.issuedBy,
          row.attachmentId,
        );
      rows.push(row);
    }
    return rows;
  }

  /** Writes the documents `issued` of one transition (see `documentsIssued`). */
  async issue(
    tx: Db,
    input: {
      caseId: string;
      state: CaseState;
      issued: { edge: string; kind: DocumentKind }[];
      by: string | undefined;
      fields?: { title?: string; summary?: string };
    },
  ): Promise<DocumentRow[]> {
    const { state } = input;
    if (!input.issued.length) return [];
    const [c] = await tx
      .select({ trackingCode: this.t.cases.trackingCode, petitionerId: this.t.cases.petitionerId })
      .from(this.t.cases)
      .where(eq(this.t.cases.id, input.caseId));
    let petitionerName: string | undefined;
    if (c?.petitionerId) {
      const [p] = await tx
        .select({ nameEnc: this.t.petitioners.nameEnc })
        .from(this.t.petitioners)
        .where(eq(this.t.petitioners.id, c.petitionerId));
      petitionerName = this.openName(p?.nameEnc);
    }
    const year = serialYear(state.updatedAt);
    const rows: DocumentRow[] = [];
    for (const { edge, kind } of inLockOrder(input.issued)) {
      const template = await this.template(tx, state.jurisdiction, kind);
      const number = await this.nextNumber(tx, state.jurisdiction, kind, year);
      const row = this.compose(input, { edge, kind }, template, number, {
        trackingCode: c?.trackingCode ?? '',
        petitionerName,
      });
      await tx.insert(this.t.documents).values(row);
      rows.push(row);
    }
    return rows;
  }

  /** A document's text as issued, opened. */
  content(row: Pick<DocumentRow, 'content'>): DocumentContent {
    return JSON.parse(this.open(row.content)) as DocumentContent;
  }

  listForCase(caseId: string): Promise<DocumentRow[]> {
    return this.database.read((db) =>
      db
        .select()
        .from(this.t.documents)
        .where(eq(this.t.documents.caseId, caseId))
        .orderBy(asc(this.t.documents.issuedAt), asc(this.t.documents.kind)),
    );
  }

  async get(id: string): Promise<DocumentRow | undefined> {
    const [row] = await this.database.read((db) =>
      db.select().from(this.t.documents).where(eq(this.t.documents.id, id)),
    );
    return row;
  }

  /** The templates of a jurisdiction, its own where saved, else the defaults. */
  async templates(jurisdiction: string): Promise<DocumentTemplate[]> {
    return this.database.read(async (db) => {
      const out: DocumentTemplate[] = [];
      for (const kind of DOCUMENT_KINDS) out.push(await this.template(db, jurisdiction, kind));
      return out;
    });
  }

  /**
   * Saves a county's template. `expectedRevision` is the revision the editor
   * started from: a save over someone else's newer one is refused (returns
   * undefined) rather than silently overwriting it.
   */
  async saveTemplate(input: {
    jurisdiction: string;
    kind: DocumentKind;
    serialPrefix: string;
    issuer: string;
    title: string;
    body: string;
    expectedRevision: number;
    by: string;
    at: string;
  }): Promise<DocumentTemplate | undefined> {
    const t = this.t.documentTemplates;
    return this.database.tx(async (tx) => {
      const current = await this.template(tx, input.jurisdiction, input.kind);
      if (current.revision !== input.expectedRevision) return undefined;
      const row = {
        jurisdiction: input.jurisdiction,
        kind: input.kind,
        serialPrefix: input.serialPrefix,
        issuer: input.issuer,
        title: input.title,
        body: input.body,
        revision: current.revision + 1,
        updatedBy: input.by,
        updatedAt: input.at,
      };
      if (current.revision === 0) {
        const inserted = await tx
          .insert(t)
          .values(row)
          .onConflictDoNothing()
          .returning({ revision: t.revision });
        if (!inserted.length) return undefined;
      } else {
        const updated = await tx
          .update(t)
          .set(row)
          .where(
            and(
              eq(t.jurisdiction, input.jurisdiction),
              eq(t.kind, input.kind),
              eq(t.revision, current.revision),
            ),
          )
          .returning({ revision: t.revision });
        if (!updated.length) return undefined;
      }
      return { ...row, kind: input.kind };
    });
  }

  /**
   * Records the PDF rendered for a document as an attachment of its case, in
   * one transaction: the attachment row and the document's link, or, when
   * another request recorded one first, nothing (its attachment is returned).
   */
  async attachPdf(
    id: string,
    file: { name: string; size: number; sha256: string; storagePath: string; at: string },
  ): Promise<{ attachmentId: string; storagePath: string }> {
    const t = this.t;
    return this.database
      .tx(async (tx) => {
        const [doc] = await tx.select().from(t.documents).where(eq(t.documents.id, id));
        if (!doc) throw new Error(`document ${id} not found`);
        if (doc.attachmentId) {
          const [a] = await tx
            .select({ storagePath: t.attachments.storagePath })
            .from(t.attachments)
            .where(eq(t.attachments.id, doc.attachmentId));
          if (a) return { attachmentId: doc.attachmentId, storagePath: a.storagePath };
        }
        const attachmentId = randomUUID();
        await tx.insert(t.attachments).values({
          id: attachmentId,
          caseId: doc.caseId,
          name: file.name,
          mime: 'application/pdf',
          size: file.size,
          sha256: file.sha256,
          storagePath: file.storagePath,
          scan: { checkedType: 'application/pdf' },
          uploadedBy: null,
          createdAt: file.at,
        });
        const updated = await tx
          .update(t.documents)
          .set({ attachmentId })
          .where(and(eq(t.documents.id, id), sql`${t.documents.attachmentId} is null`))
          .returning({ id: t.documents.id });
        // Lost a race: roll back our row and take theirs.
        if (!updated.length) throw new PdfRecordedMeanwhile();
        return { attachmentId, storagePath: file.storagePath };
      })
      .catch(async (error: unknown) => {
        if (!(error instanceof PdfRecordedMeanwhile)) throw error;
        const doc = await this.get(id);
        const [a] = await this.database.read((db) =>
          db
            .select({ storagePath: t.attachments.storagePath })
            .from(t.attachments)
            .where(eq(t.attachments.id, doc?.attachmentId ?? '')),
        );
        if (!doc?.attachmentId || !a) throw error;
        return { attachmentId: doc.attachmentId, storagePath: a.storagePath };
      });
  }
}

class PdfRecordedMeanwhile extends Error {}

/**
 * Counter rows are taken in one order (by kind) whichever order an edge lists
 * its documents in, so two PostgreSQL transactions issuing the same kinds
 * cannot wait on each other's counters.
 */
function inLockOrder<T extends { kind: string }>(issued: readonly T[]): T[] {
  return [...issued].sort((a, b) => (a.kind < b.kind ? -1 : a.kind > b.kind ? 1 : 0));
}
