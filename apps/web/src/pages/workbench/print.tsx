import { PrinterOutlined } from '@ant-design/icons';
import type { Lang } from '@lianxin/spec';
import { App, Button } from 'antd';
import { useState } from 'react';
import { tr } from '../../i18n';
import { errorText } from './api';
import { allPages, type CursorPage, type SheetColumn } from './xlsx';

/** A sheet cell as printed text; a date cell (already Beijing wall-clock time) as 2026-11-30 09:05. */
function cellText(value: string | number | Date | null | undefined): string {
  if (value == null) return '';
  if (value instanceof Date) return value.toISOString().slice(0, 16).replace('T', ' ');
  return String(value);
}

const escapeHtml = (text: string) =>
  text.replace(
    /[&<>"]/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c] as string,
  );

/**
 * The printed page of a list: a title, when it was printed and how many rows,
 * then every row under the same columns as its Excel export.
 */
export function printHtml<R>(
  title: string,
  columns: readonly SheetColumn<R>[],
  rows: readonly R[],
  lang: Lang,
  printedAt: string,
): string {
  const head = columns.map((c) => `<th>${escapeHtml(c.header)}</th>`).join('');
  const body = rows
    .map(
      (r) =>
        `<tr>${columns.map((c) => `<td>${escapeHtml(cellText(c.value(r)))}</td>`).join('')}</tr>`,
    )
    .join('');
  const meta = tr(
    lang,
    `打印时间 ${printedAt}　共 ${rows.length} 件`,
    `Printed ${printedAt}, ${rows.length} cases`,
  );
  return `<!doctype html><html lang="${lang}"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title>
<style>
  @page { size: A4 landscape; margin: 12mm; }
  body { font-family: "Noto Sans SC", "WenQuanYi Micro Hei", "Microsoft YaHei", sans-serif; font-size: 10pt; }
  h1 { font-size: 16pt; margin: 0 0 4pt; }
  p { margin: 0 0 8pt; color: #555; }
  table { border-collapse: collapse; width: 100%; }
  th, td { border: 0.5pt solid #999; padding: 2pt 4pt; text-align: left; vertical-align: top; }
  thead { display: table-header-group; }
  tr { page-break-inside: avoid; }
</style></head><body><h1>${escapeHtml(title)}</h1><p>${escapeHtml(meta)}</p>
<table><thead><tr>${head}</tr></thead><tbody>${body}</tbody></table></body></html>`;
}

/**
 * 打印: reads every row of the list (not just the page shown), lays them out
 * as a table in a hidden frame and opens the browser's print dialog for it.
 */
export function PrintButton<R extends { id: string }>({
  lang,
  title,
  columns,
  page,
  testId,
}: {
  lang: Lang;
  title: string;
  columns: () => SheetColumn<R>[];
  page: (cursor: string | undefined, limit: number) => Promise<CursorPage<R>>;
  testId: string;
}) {
  const { message } = App.useApp();
  const [busy, setBusy] = useState(false);
  return (
    <Button
      icon={<PrinterOutlined />}
      loading={busy}
      data-testid={testId}
      onClick={async () => {
        setBusy(true);
        try {
          const rows = await allPages(page, lang);
          const printedAt = new Date(Date.now() + 8 * 3_600_000)
            .toISOString()
            .slice(0, 16)
            .replace('T', ' ');
          document.querySelector(`iframe[data-testid="${testId}-frame"]`)?.remove();
          const frame = document.createElement('iframe');
          frame.dataset.testid = `${testId}-frame`;
          frame.style.cssText = 'position:fixed;right:0;bottom:0;width:0;height:0;border:0';
          frame.srcdoc = printHtml(title, columns(), rows, lang, printedAt);
          frame.onload = () => frame.contentWindow?.print();
          document.body.append(frame);
        } catch (e) {
          message.error(errorText(e, lang));
        } finally {
          setBusy(false);
        }
      }}
    >
      {tr(lang, '打印', 'Print')}
    </Button>
  );
}
