import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';
import { describe, expect, it } from 'vitest';
import { renderDocumentPdf } from '../src';

/** The PDF read back by pdf.js (Mozilla's reader): pages, text per page, fonts, info. */
async function read(bytes: Buffer) {
  const doc = await getDocument({
    data: new Uint8Array(bytes),
    useSystemFonts: false,
    disableFontFace: true,
  }).promise;
  const pages: string[] = [];
  const fonts = new Set<string>();
  for (let i = 1; i <= doc.numPages; i++) {
    const page = await doc.getPage(i);
    const text = await page.getTextContent();
    pages.push(text.items.map((item) => ('str' in item ? item.str : '')).join(''));
    for (const style of Object.values(text.styles)) fonts.add(style.fontFamily);
  }
  const { info } = (await doc.getMetadata()) as unknown as { info: Record<string, unknown> };
  return { pages, info, raw: bytes.toString('latin1') };
}

/** Text as a reader extracts it, without the spaces it puts between runs. */
const flat = (s: string) => s.replace(/\s+/g, '');

const BODY = [
  '欧阳明远：',
  '你于2026年3月2日提出的“镕珺村道路灯损坏多日无人维修”信访事项，经审查，本机关决定予以受理。',
  '特此告知。',
].join('\n\n');

describe('document PDF', () => {
  it('renders the text in embedded, subset Chinese fonts that read back as the same words', async () => {
    const bytes = await renderDocumentPdf({
      issuer: '台山市信访局',
      title: '受理告知书',
      serial: '台信受〔2026〕12号',
      body: BODY,
      issuedAt: '2026-03-02T02:00:00.000Z',
      dateText: '2026年3月2日',
      trackingCode: 'ABCD2345EF',
    });
    expect(bytes.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    const { pages, info, raw } = await read(bytes);
    expect(pages).toHaveLength(1);
    const text = pages[0] ?? '';
    for (const words of [
      '台山市信访局',
      '受理告知书',
      '台信受〔2026〕12号',
      '欧阳明远：',
      '镕珺村道路灯损坏多日无人维修',
      '2026年3月2日',
      '查询码 ABCD2345EF',
      '第 1 页 共 1 页',
    ])
      expect(flat(text)).toContain(flat(words));
    expect(info.Title).toBe('受理告知书 台信受〔2026〕12号');
    // Fonts embedded as subsets (a six-letter tag before the name), never referenced from the reader's system.
    expect(raw).toMatch(/\/FontFile3|\/FontFile2/);
    expect(raw).toMatch(/\/BaseFont \/[A-Z]{6}\+NotoSansHans/);
    // A one-page notice stays small although each font file is 8 MB.
    expect(bytes.length).toBeLessThan(200_000);
  });

  it('renders the same document to the same bytes, and flows long text onto numbered pages', async () => {
    const input = {
      issuer: '台山市信访局',
      title: '处理意见书',
      serial: '台信处〔2026〕3号',
      body: `陈某：\n\n${'经调查核实，用人单位已足额支付拖欠的工资。'.repeat(120)}`,
      issuedAt: '2026-05-06T02:00:00.000Z',
      dateText: '2026年5月6日',
    };
    const a = await renderDocumentPdf(input);
    expect((await renderDocumentPdf(input)).equals(a)).toBe(true);
    const { pages } = await read(a);
    expect(pages.length).toBeGreaterThan(1);
    expect(flat(pages.at(-1) ?? '')).toContain(`第${pages.length}页共${pages.length}页`);
  });
});
