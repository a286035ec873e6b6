import type { Lang } from '@lianxin/spec';
import { tr } from '../../i18n';

/** One column of a sheet: its header and each row's cell, typed as Excel should hold it. */
export interface SheetColumn<R> {
  header: string;
  /** A number stays a number, an instant (`Date`) becomes a date cell in Beijing time. */
  value: (row: R) => string | number | Date | null | undefined;
  width?: number;
  /** Excel number format, e.g. `0.0%` for a rate held as 0–1. */
  numFmt?: string;
}
export interface Sheet<R> {
  name: string;
  columns: SheetColumn<R>[];
  rows: readonly R[];
}

const BEIJING_MS = 8 * 3_600_000;

/**
 * An instant as Excel should show it: the Beijing wall-clock time, as a date
 * cell (Excel has no time zones; ExcelJS writes a Date's UTC fields).
 */
export function beijingCell(at: string | null | undefined): Date | null {
  if (!at) return null;
  const ms = Date.parse(at);
  return Number.isNaN(ms) ? null : new Date(ms + BEIJING_MS);
}

/** An Excel sheet name: at most 31 characters, none of \ / ? * [ ] :. */
const sheetName = (name: string) => name.replace(/[\\/?*[\]:]/g, ' ').slice(0, 31) || 'Sheet1';

/** The workbook's bytes: every list's export goes through here (numbers as numbers, dates as dates). */
// biome-ignore lint/suspicious/noExplicitAny: sheets of different row types in one workbook
export async function workbookBytes(sheets: readonly Sheet<any>[]): Promise<ArrayBuffer> {
  const { default: ExcelJS } = await import('exceljs');
  const wb = new ExcelJS.Workbook();
  wb.created = new Date();
  for (const sheet of sheets) {
    const ws = wb.addWorksheet(sheetName(sheet.name), { views: [{ state: 'frozen', ySplit: 1 }] });
    ws.columns = sheet.columns.map((c, i) => ({
      key: String(i),
      header: c.header,
      width: c.width ?? 16,
      ...(c.numFmt ? { style: { numFmt: c.numFmt } } : {}),
    }));
    for (const r of sheet.rows) ws.addRow(sheet.columns.map((c) => c.value(r) ?? null));
    sheet.columns.forEach((c, i) => {
      if (c.numFmt) return;
      // A date column shows date and time, whatever Excel's default.
      if (sheet.rows.some((r) => c.value(r) instanceof Date))
        ws.getColumn(i + 1).numFmt = 'yyyy-mm-dd hh:mm';
    });
    ws.getRow(1).font = { bold: true };
  }
  return (await wb.xlsx.writeBuffer()) as ArrayBuffer;
}

/** Saves bytes as a file the browser downloads. */
export function download(blob: Blob, fileName: string) {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/** Builds the workbook and downloads it as `fileName` (.xlsx). */
// biome-ignore lint/suspicious/noExplicitAny: sheets of different row types in one workbook
export async function downloadXlsx(fileName: string, sheets: readonly Sheet<any>[]) {
  const bytes = await workbookBytes(sheets);
  download(
    new Blob([bytes], {
      type: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    }),
    fileName.endsWith('.xlsx') ? fileName : `${fileName}.xlsx`,
  );
}

/** The most rows one export reads: past it the export says so and stops, never silently. */
export const EXPORT_MAX_ROWS = 20_000;

/** One page of a list read by cursor: its rows, the cursor of the next (null on the last), the count. */
export interface CursorPage<R> {
  rows: R[];
  next: string | null;
  total: number;
  more?: boolean;
}

/**
 * Every row of a paged list, a page at a time (200, the server's page
 * limit) from cursor to cursor, reporting progress; refuses beyond
 * EXPORT_MAX_ROWS with a message that says so, rather than cutting the list.
 */
export async function allPages<R extends { id: string }>(
  page: (cursor: string | undefined, limit: number) => Promise<CursorPage<R>>,
  lang: Lang,
  progress?: (done: number, total: number, more: boolean) => void,
): Promise<R[]> {
  const limit = 200;
  const seen = new Map<string, R>();
  let cursor: string | undefined;
  for (;;) {
    const r = await page(cursor, limit);
    // Each row counts once, however the list moved while it was read.
    for (const row of r.rows) seen.set(row.id, row);
    if (seen.size > EXPORT_MAX_ROWS)
      throw new Error(
        tr(
          lang,
          `超过一次导出的上限 ${EXPORT_MAX_ROWS} 条：请缩小筛选范围后分批导出`,
          `more rows than one export holds (${EXPORT_MAX_ROWS}): narrow the filters and export in parts`,
        ),
      );
    progress?.(seen.size, Math.max(r.total, seen.size), Boolean(r.more));
    if (!r.next || !r.rows.length) break;
    cursor = r.next;
  }
  return [...seen.values()];
}
