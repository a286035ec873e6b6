import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { computeDue, computeWarning } from '../src/index';

// The deadline rules table in docs/engine.md is the specification: every row's
// worked example is checked here, so a row that is wrong (or code that drifts
// from it) fails.
const doc = readFileSync(join(import.meta.dirname, '../../../docs/engine.md'), 'utf8');

/** The markdown table whose header row starts with these columns, as one record per row. */
function table(columns: string[]): Record<string, string>[] {
  const lines = doc.split('\n');
  const header = (line: string) =>
    line
      .split('|')
      .slice(1, -1)
      .map((c) => c.trim());
  const start = lines.findIndex(
    (l) => l.startsWith('|') && columns.every((c, i) => header(l)[i] === c),
  );
  if (start < 0) throw new Error(`no table with columns ${columns.join(', ')} in docs/engine.md`);
  const names = header(lines[start] as string);
  const rows: Record<string, string>[] = [];
  for (const line of lines.slice(start + 2)) {
    if (!line.startsWith('|')) break;
    const cells = header(line);
    rows.push(Object.fromEntries(names.map((n, i) => [n, cells[i] ?? ''])));
  }
  return rows;
}

const calendarOf = (text: string | undefined) => {
  if (text !== 'natural' && text !== 'workingDays') throw new Error(`unknown calendar ${text}`);
  return text;
};
const instant = (text: string | undefined) => {
  const ms = Date.parse(text ?? '');
  if (Number.isNaN(ms)) throw new Error(`not an instant: ${text}`);
  return ms;
};

const periods = table(['rule', 'source', 'start', 'duration', 'calendar', 'roll', 'due']);
const warnings = table(['rule', 'due', 'warning', 'calendar', 'warns']);

describe('the deadline rules documented in docs/engine.md', () => {
  it('cover the statutes, both 2026 holidays and their make-up days', () => {
    const sources = periods.map((r) => r.source).join(' ');
    for (const s of ['第二百零一条', '第二百零二条', '第二百零三条', '第二十二条', '第三十二条'])
      expect(sources).toContain(s);
    const starts = periods.map((r) => r.start);
    expect(starts.some((s) => s?.startsWith('2026-09') || s?.startsWith('2026-10'))).toBe(true);
    expect(starts.some((s) => s?.startsWith('2026-02'))).toBe(true);
    expect(warnings.length).toBeGreaterThan(0);
  });

  it.each(periods)('$rule ($source): $start + $duration → $due', (row) => {
    const result = computeDue(
      instant(row.start),
      row.duration as string,
      calendarOf(row.calendar),
      row.roll === 'yes',
    );
    expect(result?.due).toBe(new Date(instant(row.due)).toISOString());
    expect(result?.provisionalYears).toEqual([]);
  });

  it.each(warnings)('$rule: $warning before $due → $warns', (row) => {
    expect(computeWarning(instant(row.due), row.warning, calendarOf(row.calendar))).toBe(
      new Date(instant(row.warns)).toISOString(),
    );
  });
});
