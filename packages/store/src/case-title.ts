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

/** The title and summary of a case for its list row, from its data and flow version. */
export function caseComplaint(
  definition: CheckedFlow | undefined,
  data: Record<string, unknown> | null | undefined,
): CaseComplaint {
  if (!definition) return { title: null, summary: null, flowName: null };
  const { title, summary } = complaintFields(definition);
  return {
    title: title && data ? shortText(at(data, title), LIST_TITLE_LENGTH) : null,
    summary: summary && data ? shortText(at(data, summary), LIST_SUMMARY_LENGTH) : null,
    flowName: definition.name,
  };
}
