// The affidavit as a PDF, drawn with pdfkit (https://pdfkit.org): the header, the aired spots,
// the spots that did not air, the totals and the certification, on US Letter landscape pages
// numbered "Page n of m". What the document says is domain/affidavit.ts's; this module only
// lays it out. It lives outside api/ so that a scheduled job can render the same document.
//
// pdfkit's built-in Helvetica writes WinAnsi (Windows-1252) text: a character outside it (a
// CJK name, an emoji) is printed as "?" rather than as a wrong glyph (reports/pdf.ts).
import { formatMoney } from '../domain/orders.js';
import { lineNote, spotLength, type Affidavit, type AffidavitLine } from '../domain/affidavit.js';
import { BOLD, FONT, openPdf, winAnsi } from './pdf.js';

export { winAnsi };

const PAGE = { layout: 'landscape' as const, margin: 36, row: 13 };
const WIDTH = 792 - 2 * PAGE.margin;
const BOTTOM = 612 - PAGE.margin - 18; // room for the page number
const ROW = PAGE.row;

interface Column<T> {
  title: string;
  width: number;
  value: (row: T) => string;
  align?: 'left' | 'right';
}

const money = (cents: number | undefined, currency: string | undefined) => (cents === undefined || !currency ? '—' : formatMoney(cents, currency));

const AIRED: Column<AffidavitLine>[] = [
  { title: 'Air date', width: 58, value: (l) => l.airDate ?? '' },
  { title: 'Aired', width: 66, value: (l) => `${l.airTime ?? ''} ${l.timeZone ?? ''}` },
  { title: 'Scheduled', width: 50, value: (l) => (l.scheduledDate === l.airDate ? l.scheduledTime.slice(0, 5) : `${l.scheduledDate.slice(5)} ${l.scheduledTime.slice(0, 5)}`) },
  { title: 'Window', width: 62, value: (l) => `${l.window.from}–${l.window.to}` },
  { title: 'Len', width: 28, value: (l) => spotLength(l.lengthSeconds), align: 'right' },
  { title: 'Copy', width: 120, value: (l) => l.copyTitle },
  { title: 'ISCI/Ad-ID', width: 64, value: (l) => l.isci ?? '' },
  { title: 'Rate', width: 40, value: (l) => (l.rateCents === null ? '' : formatMoney(l.bonus ? 0 : l.rateCents, l.currency)), align: 'right' },
  { title: 'Campaign (order)', width: 92, value: (l) => (l.orderNumber ? `${l.campaign} (${l.orderNumber})` : l.campaign) },
  { title: 'Notes', width: 140, value: lineNote },
];

const NOT_AIRED: Column<AffidavitLine>[] = [
  { title: 'Log date', width: 58, value: (l) => l.scheduledDate },
  { title: 'Scheduled', width: 66, value: (l) => l.scheduledTime },
  { title: 'Window', width: 62, value: (l) => `${l.window.from}–${l.window.to}` },
  { title: 'Len', width: 28, value: (l) => spotLength(l.lengthSeconds), align: 'right' },
  { title: 'Copy', width: 200, value: (l) => l.copyTitle },
  { title: 'ISCI/Ad-ID', width: 68, value: (l) => l.isci ?? '' },
  { title: 'Campaign (order)', width: 138, value: (l) => (l.orderNumber ? `${l.campaign} (${l.orderNumber})` : l.campaign) },
  { title: 'Status', width: 100, value: lineNote },
];

type Totals = Affidavit['totals']['byCampaign'][number];
const TOTALS: Column<Totals>[] = [
  { title: 'Campaign', width: 150, value: (t) => t.campaign },
  { title: 'Order', width: 70, value: (t) => t.orderNumber ?? '' },
  { title: 'Ordered', width: 48, value: (t) => String(t.ordered), align: 'right' },
  { title: 'Aired', width: 42, value: (t) => String(t.aired), align: 'right' },
  { title: 'Make-goods', width: 58, value: (t) => String(t.makeGoodsAired), align: 'right' },
  { title: 'Bonus', width: 40, value: (t) => String(t.bonus), align: 'right' },
  { title: 'Missed', width: 42, value: (t) => String(t.missed), align: 'right' },
  { title: 'Preempted', width: 56, value: (t) => String(t.preempted), align: 'right' },
  { title: 'Gross', width: 72, value: (t) => money(t.money?.grossCents, t.money?.currency), align: 'right' },
  { title: 'Commission', width: 70, value: (t) => (t.money ? `${money(t.money.commissionCents, t.money.currency)} (${t.commissionPercent}%)` : '—'), align: 'right' },
  { title: 'Net', width: 72, value: (t) => money(t.money?.netCents, t.money?.currency), align: 'right' },
];

/** The affidavit as a PDF document. */
export function renderAffidavitPdf(a: Affidavit): Promise<Buffer> {
  const station = a.station.callLetters ? `${a.station.callLetters} — ${a.station.name}` : a.station.name;
  const { doc, text, finish } = openPdf(PAGE, { title: `Affidavit of performance — ${a.advertiser} — ${a.period.label}`, author: station, created: new Date(a.generatedAt) });
  const x0 = PAGE.margin;

  // ---- header
  doc.font(BOLD).fontSize(15).text(winAnsi('Affidavit of performance'), x0, x0);
  doc.font(FONT).fontSize(10);
  const flights = a.totals.byCampaign.map((t) => `${t.campaign} ${t.flight.first} to ${t.flight.last}`).join('; ');
  const periodName = a.period.kind === 'month' ? 'Calendar month' : a.period.kind === 'broadcast-month' ? 'Broadcast month' : 'Flight';
  const header: [string, string][] = [
    ['Station', a.station.market ? `${station}, ${a.station.market}` : station],
    ['Advertiser', a.advertiser],
    ['Agency', a.agencies.join(', ') || 'none (direct)'],
    ['Order / contract', a.orderNumbers.join(', ') || '—'],
    [a.campaign ? 'Campaign (flight)' : 'Campaigns (flights)', flights || '—'],
    ['Period', `${periodName} ${a.period.kind === 'flight' ? '' : `${a.period.label.replace('-broadcast', '')}: `}${a.period.first} to ${a.period.last}`],
    ['Times', `Station time, ${a.station.timezone}; each time is marked with its zone. Aired times are from the as-run.`],
  ];
  let y = doc.y + 6;
  for (const [label, value] of header) {
    doc.font(BOLD).fontSize(9);
    text(label, x0, y, 110);
    doc.font(FONT);
    text(value, x0 + 112, y, WIDTH - 112);
    y += ROW;
  }
  y += 8;

  // ---- tables
  function table<T>(title: string, columns: Column<T>[], rows: readonly T[], empty: string): void {
    const headerRow = () => {
      doc.font(BOLD).fontSize(8);
      let x = x0;
      for (const c of columns) {
        text(c.title, x + 2, y, c.width - 4, { align: c.align ?? 'left' });
        x += c.width;
      }
      doc.moveTo(x0, y + ROW - 3).lineTo(x0 + WIDTH, y + ROW - 3).lineWidth(0.5).stroke();
      y += ROW;
      doc.font(FONT).fontSize(8);
    };
    if (y + 3 * ROW > BOTTOM) newPage();
    doc.font(BOLD).fontSize(11);
    text(title, x0, y, WIDTH);
    y += ROW + 4;
    headerRow();
    if (!rows.length) {
      text(empty, x0 + 2, y, WIDTH);
      y += ROW;
    }
    for (const row of rows) {
      if (y + ROW > BOTTOM) {
        newPage();
        headerRow();
      }
      let x = x0;
      for (const c of columns) {
        text(c.value(row), x + 2, y, c.width - 4, { align: c.align ?? 'left' });
        x += c.width;
      }
      y += ROW;
    }
    y += 10;
  }
  function newPage(): void {
    doc.addPage();
    y = PAGE.margin;
  }

  const aired = a.lines.filter((l) => l.status === 'aired');
  const notAired = a.lines.filter((l) => l.status !== 'aired');
  table(`Spots aired (${aired.length})`, AIRED, aired, 'No spot aired in the period.');
  if (notAired.length) table(`Spots that did not air (${notAired.length})`, NOT_AIRED, notAired, '');
  table('Totals', TOTALS, a.totals.byCampaign, 'No campaign.');
  const t = a.totals;
  doc.font(BOLD).fontSize(9);
  const all =
    `All: ordered ${t.ordered}, aired ${t.aired} (make-goods ${t.makeGoodsAired}, bonus ${t.bonus}), missed ${t.missed} (preempted ${t.preempted})` +
    (t.awaitingAsRun ? `, awaiting as-run ${t.awaitingAsRun}` : '') +
    (t.money ? `; gross ${money(t.money.grossCents, t.money.currency)}, commission ${money(t.money.commissionCents, t.money.currency)}, net ${money(t.money.netCents, t.money.currency)} for ${t.money.spots} charged spots` : '');
  if (y + ROW > BOTTOM) newPage();
  text(all, x0, y, WIDTH);
  y += ROW + 14;

  // ---- certification
  if (y + 7 * ROW > BOTTOM) newPage();
  doc.font(BOLD).fontSize(11);
  text('Certification', x0, y, WIDTH);
  y += ROW + 4;
  doc.font(FONT).fontSize(9).text(winAnsi(a.certification.statement), x0, y, { width: WIDTH });
  y = doc.y + 18;
  const signer = a.certification.signer;
  const blank = '______________________________';
  const sign: [string, string][] = [
    ['Signature', blank],
    ['Name', signer?.name ?? blank],
    ['Title', signer?.title ?? blank],
    ['Date', signer ? a.certification.date : blank],
  ];
  for (const [label, value] of sign) {
    doc.font(BOLD);
    text(label, x0, y, 70);
    doc.font(FONT);
    text(value, x0 + 72, y, 300);
    y += ROW + 5;
  }

  return finish((page, pages) => `${station} — affidavit for ${a.advertiser}, ${a.period.first} to ${a.period.last} — page ${page} of ${pages}`);
}
