import { type CheckedFlow, isSealed, sensitiveVariables } from '@lianxin/spec';
import type { Tables } from './db';

/** How much of the title and of the summary a list row carries (the case page shows them whole). */
export const LIST_TITLE_LENGTH = 120;
export const LIST_SUMMARY_LENGTH = 200;

/**
 * The columns every case list reads (cases.list and cases.search alike): the
 * row's facts, and its data for the title and summary, which the list then drops.
 */
export function caseListColumns(c: Tables['cases']) {
  return {
    id: c.id,
    trackingCode: c.trackingCode,
    jurisdiction: c.jurisdiction,
    flowId: c.flowId,
    flowKey: c.flowKey,
    flowVersion: c.flowVersion,
    status: c.status,
    outcome: c.outcome,
    urgency: c.urgency,
    channel: c.channel,
    category: c.category,
    repeat: c.repeat,
    overdue: c.overdue,
    leaderOwner: c.leaderOwner,
    version: c.version,
    createdAt: c.createdAt,
    updatedAt: c.updatedAt,
    closedAt: c.closedAt,
    provisional: c.provisional,
    data: c.data,
  };
}

/** What a list row says the case is about: its flow's title and summary fields, shortened. */
export interface CaseComplaint {
  title: string | null;
  summary: string | null;
  /** The flow's name (a list shows it, never the flow's key). */
  flowName: CheckedFlow['name'] | null;
}

/**
 * The case data fields that are its title and summary: the flow's `caseTitle`
 * and `caseSummary`; a flow published before it could name them falls back
 * to `summary` (诉求摘要) and `requests` (具体诉求) when its case schema has
 * them. Never a field marked sensitive.
 */
export function complaintFields(definition: CheckedFlow): { title?: string; summary?: string } {
  const props =
    (definition.dataSchema as { properties?: Record<string, unknown> }).properties ?? {};
  const sensitive = new Set<string>();
  for (const [v] of sensitiveVariables(definition.dataSchema)) sensitive.add(v);
  for (const f of definition.forms)
    for (const [v] of sensitiveVariables(f.schema)) sensitive.add(v);
  const open = (v: string | undefined) =>
    v && ![...sensitive].some((s) => v === s || v.startsWith(`${s}.`)) ? v : undefined;
  const title = open(definition.caseTitle ?? ('summary' in props ? 'summary' : undefined));
  const summary = open(definition.caseSummary ?? ('requests' in props ? 'requests' : undefined));
  return { ...(title ? { title } : {}), ...(summary ? { summary } : {}) };
}

function at(data: Record<string, unknown>, path: string): unknown {
  let v: unknown = data;
  for (const part of path.split('.')) {
    if (!v || typeof v !== 'object') return undefined;
    v = (v as Record<string, unknown>)[part];
  }
  return v;
}

function shortText(v: unknown, max: number): string | null {
  // A sealed value is never shown, whatever the flow says (the checker refuses such a field).
  if (isSealed(v)) return null;
  const text =
    typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'boolean' ? String(v) : '';
  const one = text.replace(/\s+/g, ' ').trim();
  if (!one) return null;
  const chars = [...one];
  return chars.length > max ? `${chars.slice(0, max).join('')}…` : one;
}

type Choice = { const?: unknown; title?: unknown };
type Prop = { enum?: unknown[]; enumNames?: unknown[]; oneOf?: Choice[]; anyOf?: Choice[] };

/** The property at a dotted path of a JSON Schema (`petitioner.name`), if it declares one. */
function propAt(schema: unknown, path: string): Prop | undefined {
  let p: unknown = schema;
  for (const part of path.split('.')) {
    const props = (p as { properties?: Record<string, unknown> } | undefined)?.properties;
    p = props?.[part];
    if (!p || typeof p !== 'object') return undefined;
  }
  return p as Prop;
}

function uiAt(uiSchema: unknown, path: string): Record<string, unknown> | undefined {
  let u: unknown = uiSchema;
  for (const part of path.split('.')) {
    u = (u as Record<string, unknown> | undefined)?.[part];
    if (!u || typeof u !== 'object') return undefined;
  }
  return u as Record<string, unknown>;
}

const chineseOf = (t: unknown): string | undefined =>
  typeof t === 'string'
    ? t
    : t && typeof t === 'object' && typeof (t as Record<string, unknown>)['zh-CN'] === 'string'
      ? ((t as Record<string, unknown>)['zh-CN'] as string)
      : undefined;

/**
 * The words a form shows for a choice (申请类型: review → 复查): the forms'
 * `ui:enumNames` or `enumNames`, or a `oneOf` option's title; the code itself
 * only where no form of the flow names it.
 */
function choiceLabel(definition: CheckedFlow, path: string, value: unknown): unknown {
  if (typeof value !== 'string' && typeof value !== 'number') return value;
  const sources = [
    ...definition.forms.map((f) => ({ schema: f.schema, ui: f.uiSchema })),
    { schema: definition.dataSchema, ui: undefined },
  ];
  for (const { schema, ui } of sources) {
    const prop = propAt(schema, path);
    if (!prop) continue;
    const names = uiAt(ui, path)?.['ui:enumNames'] ?? prop.enumNames;
    const i = Array.isArray(prop.enum) ? prop.enum.indexOf(value) : -1;
    if (i >= 0 && Array.isArray(names) && chineseOf(names[i])) return chineseOf(names[i]);
    const option = (prop.oneOf ?? prop.anyOf)?.find((o) => o?.const === value);
    if (chineseOf(option?.title)) return chineseOf(option?.title);
  }
  return value;
}

/** The title and summary of a case for its list row, from its data and flow version. */
export function caseComplaint(
  definition: CheckedFlow | undefined,
  data: Record<string, unknown> | null | undefined,
): CaseComplaint {
  if (!definition) return { title: null, summary: null, flowName: null };
  const { title, summary } = complaintFields(definition);
  return {
    title:
      title && data
        ? shortText(choiceLabel(definition, title, at(data, title)), LIST_TITLE_LENGTH)
        : null,
    summary:
      summary && data
        ? shortText(choiceLabel(definition, summary, at(data, summary)), LIST_SUMMARY_LENGTH)
        : null,
    flowName: definition.name,
  };
}
