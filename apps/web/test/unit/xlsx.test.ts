import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import {
  allPages,
  beijingCell,
  EXPORT_MAX_ROWS,
  workbookBytes,
} from '../../src/pages/workbench/xlsx';

type Row = { id: string; n: number };
const rows = (count: number): Row[] =>
  Array.from({ length: count }, (_, i) => ({ id: `c${i}`, n: i }));

describe('every list exports whole', () => {
  it('reads every page from cursor to cursor, past a count the server capped', async () => {
    const all = rows(1450);
    const cursors: (string | undefined)[] = [];
    const got = await allPages<Row>(async (cursor, limit) => {
      cursors.push(cursor);
      const from = cursor ? Number(cursor) + 1 : 0;
      const page = all.slice(from, from + limit);
      const last = page[page.length - 1];
      const more = from + limit < all.length;
      // The server counts up to 1,000 and says there are more.
      return { rows: page, next: more && last ? String(last.n) : null, total: 1000, more: true };
    }, 'zh-CN');
    expect(got.map((r) => r.id)).toEqual(all.map((r) => r.id));
    expect(cursors).toEqual([undefined, '199', '399', '599', '799', '999', '1199', '1399']);
  });

  it('refuses past the limit rather than cutting the list', async () => {
    let n = 0;
    await expect(
      allPages<Row>(
        async () => ({
          rows: rows(200).map((r) => ({ ...r, id: `p${n}-${r.id}` })),
          next: String(++n),
          total: 1000,
          more: true,
        }),
        'zh-CN',
      ),
    ).rejects.toThrow(`超过一次导出的上限 ${EXPORT_MAX_ROWS} 条`);
  });

  it('keeps numbers as numbers and instants as Beijing-time date cells', async () => {
    const bytes = await workbookBytes([
      {
        name: '超期清单',
        rows: [{ code: 'AB12', count: 3, rate: 0.875, at: '2026-11-30T16:30:00Z' }],
        columns: [
          { header: '查询码', value: (r: { code: string }) => r.code },
          { header: '件数', value: (r: { count: number }) => r.count },
          { header: '满意率', value: (r: { rate: number }) => r.rate, numFmt: '0.0%' },
          { header: '登记时间', value: (r: { at: string }) => beijingCell(r.at) },
        ],
      },
    ]);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(bytes);
    const sheet = wb.getWorksheet('超期清单');
    const row = sheet?.getRow(2);
    expect(row?.getCell(2).value).toBe(3);
    expect(row?.getCell(3).value).toBe(0.875);
    expect(row?.getCell(3).numFmt).toBe('0.0%');
    // 16:30 UTC is 00:30 the next day in Beijing, as the office reads it.
    const at = row?.getCell(4).value as Date;
    expect(at.toISOString()).toBe('2026-12-01T00:30:00.000Z');
    expect(row?.getCell(4).numFmt).toBe('yyyy-mm-dd hh:mm');
  });
});
