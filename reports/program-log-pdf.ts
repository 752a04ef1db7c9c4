// A day's program log as a PDF (docs/log-exports.md), drawn with pdfkit on US Letter portrait
// pages numbered "page n of m": the station (call letters, community of license, frequency),
// the broadcast date, the log's version and whether it is a draft, approved or published, then
// hour by hour — the repeated hour of a 25-hour day told apart by its zone — each entry at its
// local start marked with its zone, legal IDs in bold and marked LEGAL ID, each hour's total
// against the hour; then the exceptions of the version. What it says is domain/log/export.ts's.
import { clockLength, describeDifference, type ProgramLog, type ProgramLogEntry } from '../domain/log/export.js';
import { BOLD, FONT, openPdf, winAnsi } from './pdf.js';

const PAGE = { layout: 'portrait' as const, margin: 40, row: 12 };
const WIDTH = 612 - 2 * PAGE.margin;
const BOTTOM = 792 - PAGE.margin - 18; // room for the page number
const ROW = PAGE.row;

interface Column {
  title: string;
  width: number;
  value: (e: ProgramLogEntry) => string;
  align?: 'left' | 'right';
}

const COLUMNS: Column[] = [
  { title: 'Start', width: 70, value: (e) => `${e.start.time} ${e.start.zone}` },
  { title: 'Type', width: 28, value: (e) => e.type },
  { title: 'Title', width: 140, value: (e) => e.title },
  { title: 'Artist / advertiser', width: 100, value: (e) => (e.type === 'ADV' ? (e.advertiser ?? e.artist ?? '') : (e.artist ?? '')) },
  { title: 'Length', width: 40, value: (e) => clockLength(e.lengthMs), align: 'right' },
  { title: 'Notes', width: 154, value: (e) => [...(e.isLegalId ? ['LEGAL ID'] : []), ...e.notes].join('; ') },
];

const STANDING_WORDS = { draft: 'draft (not approved)', approved: 'approved', published: 'published' } as const;

/** "KQTR-FM — KQTR Community Radio, Phoenix, AZ — 91.5 MHz" */
export function stationLine(s: ProgramLog['station']): string {
  const name = s.callLetters ? `${s.callLetters} — ${s.name}` : s.name;
  return [s.communityOfLicense ? `${name}, ${s.communityOfLicense}` : name, s.frequency].filter(Boolean).join(' — ');
}

function approvalLine(log: ProgramLog): string {
  const a = log.approval;
  const approved = a ? `approved${a.by ? ` by ${a.by}` : ''}${a.at ? ` on ${a.at.date} at ${a.at.time.slice(0, 5)} ${a.at.zone}` : ''}` : '';
  if (log.standing === 'draft') return `Version ${log.version}: ${STANDING_WORDS.draft}${a ? `; version ${a.version} was ${approved}` : ''}`;
  return `Version ${log.version}: ${STANDING_WORDS[log.standing]}${a ? ` — ${approved}` : ''}`;
}

function dayLine(log: ProgramLog): string {
  const [y, m, d] = log.date.split('-').map(Number) as [number, number, number];
  const day = new Date(Date.UTC(y, m - 1, d)).toLocaleDateString('en-US', { weekday: 'long', year: 'numeric', month: 'long', day: 'numeric', timeZone: 'UTC' });
  const n = log.hours.length;
  const length = n === 25 ? ' — 25 hours: the clocks go back' : n === 23 ? ' — 23 hours: the clocks go forward' : '';
  return `Broadcast day ${log.date} (${day})${length}`;
}

/** The program log as a PDF document. */
export function renderProgramLogPdf(log: ProgramLog): Promise<Buffer> {
  const station = stationLine(log.station);
  const short = log.station.callLetters ?? log.station.name;
  const { doc, text, finish } = openPdf(PAGE, { title: `Program log — ${short} — ${log.date}`, author: log.station.name, created: new Date(log.generatedAt.iso) });
  const x0 = PAGE.margin;
  let y = PAGE.margin;
  const newPage = () => {
    doc.addPage();
    y = PAGE.margin;
  };
  const room = (rows: number) => {
    if (y + rows * ROW > BOTTOM) newPage();
  };

  // ---- header: who, which day, which version and where it stands
  doc.font(BOLD).fontSize(15);
  text('Program log', x0, y, WIDTH, { height: 20 });
  y += 22;
  doc.font(BOLD).fontSize(11);
  text(station, x0, y, WIDTH, { height: 14 });
  y += 15;
  const errors = log.exceptions.filter((x) => x.severity === 'error').length;
  const warnings = log.exceptions.filter((x) => x.severity === 'warning').length;
  const withoutId = log.hours.filter((h) => h.legalIds === 0).map((h) => h.label);
  doc.font(FONT).fontSize(9);
  for (const line of [
    dayLine(log),
    approvalLine(log),
    `${log.entries.length} entries in ${log.hours.length} hours; ${errors} error${errors === 1 ? '' : 's'}, ${warnings} warning${warnings === 1 ? '' : 's'} (listed at the end). ${withoutId.length ? `No legal ID in ${withoutId.join(', ')}.` : 'Every hour has a legal ID.'}`,
    `Times are the station's local time (${log.station.timezone}), each marked with its zone. Legal IDs are in bold and marked LEGAL ID. Printed ${log.generatedAt.date} ${log.generatedAt.time.slice(0, 5)} ${log.generatedAt.zone}.`,
  ]) {
    text(line, x0, y, WIDTH);
    y += ROW;
  }
  y += 6;

  // ---- the log, hour by hour
  const headerRow = () => {
    doc.font(BOLD).fontSize(7);
    let x = x0;
    for (const c of COLUMNS) {
      text(c.title, x + 2, y, c.width - 4, { align: c.align ?? 'left' });
      x += c.width;
    }
    doc.moveTo(x0, y + ROW - 3).lineTo(x0 + WIDTH, y + ROW - 3).lineWidth(0.4).stroke();
    y += ROW;
  };
  for (const hour of log.hours) {
    // An hour's heading starts a page rather than end one: it keeps its column titles and first rows.
    room(5);
    doc.font(BOLD).fontSize(10);
    text(hour.label, x0, y + 2, 90, { height: 14 });
    doc.fontSize(8);
    const ids = hour.entries.filter((e) => e.isLegalId);
    const id = ids.length ? `Legal ID at ${ids.map((e) => `${e.start.time} ${e.start.zone}`).join(', ')}` : 'NO LEGAL ID IN THIS HOUR';
    text(`Total ${clockLength(hour.totalMs)} (${describeDifference(hour.differenceMs)}) · ${id}`, x0 + 90, y + 3, WIDTH - 90, { align: 'right' });
    y += 16;
    headerRow();
    for (const e of hour.entries) {
      if (y + ROW > BOTTOM) {
        newPage();
        doc.font(BOLD).fontSize(8);
        text(`${hour.label} (continued)`, x0, y, WIDTH);
        y += ROW;
        headerRow();
      }
      doc.font(e.isLegalId ? BOLD : FONT).fontSize(8);
      if (e.isLegalId) doc.rect(x0 - 6, y - 1, 3, ROW - 2).fill('#000').fillColor('#000');
      let x = x0;
      for (const c of COLUMNS) {
        text(c.value(e), x + 2, y, c.width - 4, { align: c.align ?? 'left' });
        x += c.width;
      }
      y += ROW;
    }
    y += 6;
  }

  // ---- the exceptions of the version
  room(4);
  doc.font(BOLD).fontSize(11);
  text(`Exceptions of version ${log.version} (${log.exceptions.length})`, x0, y + 4, WIDTH, { height: 16 });
  y += 20;
  if (!log.exceptions.length) {
    doc.font(FONT).fontSize(8);
    text('None: no rule of the log was bent.', x0, y, WIDTH);
    y += ROW;
  }
  for (const x of log.exceptions) {
    const message = winAnsi(`${x.hourLabel ? `${x.hourLabel} — ` : ''}${x.message}`);
    doc.font(FONT).fontSize(8);
    const height = Math.max(ROW, doc.heightOfString(message, { width: WIDTH - 60 }) + 2);
    if (y + height > BOTTOM) newPage();
    doc.font(BOLD);
    text(x.severity.toUpperCase(), x0, y, 56);
    doc.font(FONT).text(message, x0 + 60, y, { width: WIDTH - 60 });
    y += height;
  }

  // ---- page numbers
  return finish((page, pages) => `${short} — program log ${log.date}, version ${log.version} (${log.standing}) — page ${page} of ${pages}`);
}
