// What LibreLog's printed documents (affidavit, program log, station log) share, drawn with
// pdfkit: a US Letter document buffered so every page can carry "page n of m", text in the
// WinAnsi characters pdfkit's built-in Helvetica can print, one-line cells cut with an ellipsis,
// and the finished bytes. Each document lays out its own pages.
import PDFDocument from 'pdfkit';

export const FONT = 'Helvetica';
export const BOLD = 'Helvetica-Bold';

/** Windows-1252's characters above Latin-1's control range. */
const CP1252_EXTRAS = new Set('€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ');

/** Text as Helvetica can print it: WinAnsi characters kept, a minus sign made a hyphen, anything else "?". */
export function winAnsi(text: string): string {
  let out = '';
  for (const ch of text.replace(/\u2212/g, '-').normalize('NFC')) {
    const code = ch.codePointAt(0)!;
    out += (code >= 0x20 && code <= 0x7e) || (code >= 0xa0 && code <= 0xff) || CP1252_EXTRAS.has(ch) ? ch : '?';
  }
  return out;
}

export interface PdfLayout {
  layout: 'portrait' | 'landscape';
  margin: number;
  /** A line's height, points. */
  row: number;
}

export interface OpenPdf {
  doc: PDFKit.PDFDocument;
  /** The width between the margins, and the page's height. */
  width: number;
  height: number;
  /** One line of text in a cell `width` wide, cut with an ellipsis. */
  text: (s: string, x: number, y: number, width: number, options?: PDFKit.Mixins.TextOptions) => PDFKit.PDFDocument;
  /** Puts `footer(page, pages)` at the foot of every page and returns the document's bytes. */
  finish: (footer: (page: number, pages: number) => string) => Promise<Buffer>;
}

export function openPdf(layout: PdfLayout, info: { title: string; author: string; created: Date }): OpenPdf {
  const doc = new PDFDocument({
    size: 'LETTER',
    layout: layout.layout,
    margin: layout.margin,
    bufferPages: true,
    info: { Title: winAnsi(info.title), Author: winAnsi(info.author), Creator: 'LibreLog', CreationDate: info.created },
  });
  const chunks: Buffer[] = [];
  doc.on('data', (chunk: Buffer) => chunks.push(chunk));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  const [pageWidth, height] = layout.layout === 'landscape' ? [792, 612] : [612, 792];
  const width = pageWidth - 2 * layout.margin;
  const text = (s: string, x: number, y: number, cell: number, options: PDFKit.Mixins.TextOptions = {}) =>
    doc.text(winAnsi(s), x, y, { width: cell, lineBreak: false, ellipsis: true, height: layout.row, ...options });
  const finish = (footer: (page: number, pages: number) => string) => {
    const range = doc.bufferedPageRange();
    for (let i = range.start; i < range.start + range.count; i++) {
      doc.switchToPage(i);
      doc.page.margins.bottom = 0; // the footer sits in the margin: no new page for it
      doc.font(FONT).fontSize(7);
      text(footer(i + 1, range.count), layout.margin, height - layout.margin - 8, width, { align: 'center' });
    }
    doc.end();
    return done;
  };
  return { doc, width, height, text, finish };
}
