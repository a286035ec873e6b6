import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import PDFDocument from 'pdfkit';

/**
 * Noto Sans Hans (SIL Open Font License 1.1, which allows embedding), from
 * @embedpdf/fonts-sc: read once per process; pdfkit embeds only the glyphs a
 * document uses, so a one-page notice stays near 100 KB.
 */
let fonts: { regular: Buffer; bold: Buffer } | undefined;
function loadFonts() {
  if (!fonts) {
    const require = createRequire(import.meta.url);
    const dir = join(dirname(require.resolve('@embedpdf/fonts-sc')), '..', 'fonts');
    fonts = {
      regular: readFileSync(join(dir, 'NotoSansHans-Regular.otf')),
      bold: readFileSync(join(dir, 'NotoSansHans-Bold.otf')),
    };
  }
  return fonts;
}

export interface PrintableDocument {
  issuer: string;
  title: string;
  serial: string;
  body: string;
  /** When it was issued: the PDF's creation date, so the same document renders the same bytes. */
  issuedAt: string;
  /** The date line under the text, e.g. 2026年3月1日. */
  dateText: string;
  /** Printed in the footer (查询码), so a paper copy leads back to the case. */
  trackingCode?: string;
  /** A preview says so across the page; it is never a document. */
  preview?: boolean;
}

const RED = '#c00000';
const MM = 72 / 25.4;

/**
 * A statutory document as an A4 PDF in the shape of a Chinese official
 * document (GB/T 9704 in outline): the issuing office in red, the 文号, a red
 * rule, the title, the text with two-character indents, the office and date.
 */
export function renderDocumentPdf(d: PrintableDocument): Promise<Buffer> {
  const { regular, bold } = loadFonts();
  const doc = new PDFDocument({
    size: 'A4',
    margins: { top: 37 * MM, bottom: 35 * MM, left: 28 * MM, right: 26 * MM },
    info: {
      Title: `${d.title} ${d.serial}`,
      Author: d.issuer,
      Creator: 'Lianxin 连心',
      CreationDate: new Date(d.issuedAt),
    },
    lang: 'zh-CN',
    displayTitle: true,
    bufferPages: true,
  });
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  doc.registerFont('regular', regular);
  doc.registerFont('bold', bold);
  const width = doc.page.width - doc.page.margins.left - doc.page.margins.right;
  const left = doc.page.margins.left;

  doc.font('bold').fontSize(24).fillColor(RED).text(d.issuer, { align: 'center' });
  doc.moveDown(0.6);
  doc.font('regular').fontSize(14).fillColor('black').text(d.serial, { align: 'center' });
  const ruleY = doc.y + 6;
  doc
    .moveTo(left, ruleY)
    .lineTo(left + width, ruleY)
    .lineWidth(1.5)
    .strokeColor(RED)
    .stroke();
  doc.y = ruleY + 22;
  doc.font('bold').fontSize(20).fillColor('black').text(d.title, left, doc.y, {
    align: 'center',
    width,
  });
  doc.moveDown(0.8);
  const size = 15;
  doc.font('regular').fontSize(size);
  const paragraphs = d.body
    .split(/\n\s*\n/)
    .map((p) => p.replace(/\s*\n\s*/g, '').trim())
    .filter(Boolean);
  paragraphs.forEach((p, i) => {
    // The salutation (the first line, ending in ：) stands at the margin; paragraphs indent two characters.
    const salutation = i === 0 && /[：:]$/.test(p);
    doc.text(p, left, doc.y, {
      width,
      align: 'justify',
      indent: salutation ? 0 : size * 2,
      lineGap: 7,
      paragraphGap: 6,
    });
  });
  doc.moveDown(2);
  doc.text(d.issuer, left, doc.y, { width: width - size * 2, align: 'right' });
  doc.text(d.dateText, left, doc.y + 4, { width: width - size * 2, align: 'right' });

  const range = doc.bufferedPageRange();
  for (let i = range.start; i < range.start + range.count; i++) {
    doc.switchToPage(i);
    const footer = [
      d.trackingCode ? `查询码 ${d.trackingCode}` : '',
      `第 ${i + 1} 页 共 ${range.count} 页`,
    ]
      .filter(Boolean)
      .join('　');
    const bottom = doc.page.margins.bottom;
    doc.page.margins.bottom = 0;
    doc
      .font('regular')
      .fontSize(10)
      .fillColor('#555555')
      .text(footer, left, doc.page.height - 20 * MM, { width, align: 'center', lineBreak: false });
    doc.page.margins.bottom = bottom;
    if (d.preview) {
      doc
        .save()
        .rotate(-30, { origin: [doc.page.width / 2, doc.page.height / 2] })
        .font('bold')
        .fontSize(60)
        .fillColor('#cccccc')
        .fillOpacity(0.5)
        .text('预览 样稿', 0, doc.page.height / 2 - 30, {
          width: doc.page.width,
          align: 'center',
          lineBreak: false,
        })
        .restore();
    }
  }
  doc.end();
  return done;
}
