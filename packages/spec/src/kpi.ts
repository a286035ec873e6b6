// What the KPIs read of a flow's case data (docs/stats.md). One place, so
// the store's counters and the checker's warning agree on what counts.

/** The case data field every flow records the return visit's (回访) answer in. */
export const SATISFACTION_FIELD = 'satisfaction';

/**
 * A return visit that records the national three answers instead of a score:
 * 满意 and 基本满意 both count as satisfied (the 信访 offices' 满意率 counts
 * both), 不满意 does not. Codes and their Chinese words are both accepted,
 * since a county may use either as the enum's values.
 */
const RETURN_VISIT_ANSWERS = new Map<unknown, number>([
  ['satisfied', 5],
  ['满意', 5],
  ['basicallySatisfied', 4],
  ['基本满意', 4],
  ['dissatisfied', 2],
  ['不满意', 2],
]);

/**
 * The return visit's answer on the KPIs' 1–5 scale (1 非常不满意 … 5 非常满意),
 * or null when it holds nothing the KPIs can count: an integer 1–5 as it is,
 * 满意 / 基本满意 / 不满意 (or their codes) as 5 / 4 / 2.
 */
export function returnVisitScore(value: unknown): number | null {
  if (typeof value === 'number') {
    return Number.isInteger(value) && value >= 1 && value <= 5 ? value : null;
  }
  return RETURN_VISIT_ANSWERS.get(value) ?? null;
}

/**
 * The values a JSON Schema for the return visit's answer allows that the KPIs
 * would not count (an empty list when every allowed value counts); `undefined`
 * when the schema does not limit its values to a list or a 1–5 integer range.
 */
export function uncountedSatisfactionValues(schema: unknown): unknown[] | undefined {
  if (schema === null || typeof schema !== 'object' || Array.isArray(schema)) return [];
  const s = schema as Record<string, unknown>;
  if (Array.isArray(s.enum)) return s.enum.filter((v) => returnVisitScore(v) === null);
  if (
    s.type === 'integer' &&
    typeof s.minimum === 'number' &&
    typeof s.maximum === 'number' &&
    s.minimum >= 1 &&
    s.maximum <= 5
  ) {
    return [];
  }
  return undefined;
}
