// The printable station log (FCC-style proof, docs/royalty-formats.md §Station log): what aired
// each day from the as-run, hour by hour, every time in the station's local time marked with its
// zone (MST, or EDT then EST on the day the clocks go back), each hour headed by the time its
// legal ID aired — or "NO LEGAL ID" — with a summary of the hours missing one. Drawn with pdfkit
// on US Letter portrait pages numbered "page n of m"; what it says comes from domain/royalty.
import { hms, legalIdHours, stationClock, type AiredPlay, type ReportPeriod, type ReportStation, type RoyaltyFile } from '../domain/royalty/index.js';
import { BOLD, FONT, openPdf } from './pdf.js';

const PAGE = { layout: 'portrait' as const, margin: 40, row: 12 };
const WIDTH = 612 - 2 * PAGE.margin;
const BOTTOM = 792 - PAGE.margin - 18;
const ROW = PAGE.row;

const COLUMNS = [
  { title: 'Aired', width: 92 },
  { title: 'Type', width: 34 },
  { title: 'Title', width: 190 },
  { title: 'Artist / advertiser', width: 160 },
  { title: 'Length', width: 56 },
] as const;

export async function stationLogPdf(station: ReportStation, plays: readonly AiredPlay[], period: ReportPeriod, options: { generatedAt: Date }): Promise<RoyaltyFile> {
  const clock = stationClock(station.timezone);
  const hours = legalIdHours(station, plays, period);
  const missingHours = hours.filter((h) => !h.legalId);
  const identity = [station.callLetters, station.communityOfLicense].filter(Boolean).join(', ');
  const { doc, text, finish } = openPdf(PAGE, { title: `Station log — ${identity} — ${period.from} to ${period.to}`, author: station.name, created: options.generatedAt });
  const x0 = PAGE.margin;
  let y = x0;
  const newPage = () => {
    doc.addPage();
    y = PAGE.margin;
  };
  const room = (rows: number) => {
    if (y + rows * ROW > BOTTOM) newPage();
  };

  // ---- the front: who, when, and the hours without a legal ID
  doc.font(BOLD).fontSize(15);
  text('Station log', x0, y, WIDTH, { height: 20 });
  y += 22;
  doc.font(FONT).fontSize(9);
  for (const line of [
    `${station.name}${identity ? ` — ${identity}` : ''}${station.frequency ? `, ${station.frequency}` : ''}${station.band ? ` (${station.band})` : ''}`,
    `${period.from} to ${period.to}. Every time is the station's local time (${station.timezone}) marked with its zone; from the as-run, as aired.`,
    `Hourly station identification: ${hours.length - missingHours.length} of ${hours.length} hours have one${missingHours.length ? `; ${missingHours.length} do not (listed below and marked in the log)` : ''}.`,
  ]) {
    text(line, x0, y, WIDTH);
    y += ROW;
  }
  y += 6;
  if (missingHours.length) {
    doc.font(BOLD).fontSize(10);
    text('Hours with no legal ID', x0, y, WIDTH);
    y += ROW + 2;
    doc.font(FONT).fontSize(8);
    for (const h of missingHours) {
      room(1);
      text(`${h.date} ${h.hour} ${h.timeZone}`, x0 + 8, y, WIDTH - 8);
      y += ROW;
    }
    y += 8;
  }

  // ---- the log: day by day, hour by hour
  const byHour = new Map<number, AiredPlay[]>();
  const idHour = (at: number) => hours.findLast((h) => h.topOfHour <= at);
  const inPeriod = plays.filter((p) => {
    const d = clock(p.startedAt).date;
    return d >= period.from && d <= period.to;
  });
  for (const p of inPeriod) {
    const h = idHour(p.startedAt);
    if (!h) continue;
    const list = byHour.get(h.topOfHour) ?? [];
    list.push(p);
    byHour.set(h.topOfHour, list);
  }
  let day = '';
  for (const h of hours) {
    if (h.date !== day) {
      day = h.date;
      room(4);
      doc.font(BOLD).fontSize(12);
      text(`${h.date}${identity ? ` — ${identity}` : ''}`, x0, y + 4, WIDTH, { height: 16 });
      y += 20;
    }
    room(3);
    doc.font(BOLD).fontSize(9);
    const id = h.legalId;
    text(`${h.hour} ${h.timeZone}`, x0, y, 80);
    text(id ? `Legal ID at ${id.time} ${id.timeZone}` : 'NO LEGAL ID IN THIS HOUR', x0 + 80, y, WIDTH - 80);
    y += ROW;
    doc.font(BOLD).fontSize(7);
    let x = x0;
    for (const c of COLUMNS) {
      text(c.title, x + 2, y, c.width - 4);
      x += c.width;
    }
    doc.moveTo(x0, y + ROW - 3).lineTo(x0 + WIDTH, y + ROW - 3).lineWidth(0.4).stroke();
    y += ROW;
    const list = byHour.get(h.topOfHour) ?? [];
    if (!list.length) {
      doc.font(FONT).fontSize(8);
      text('Nothing in the as-run for this hour.', x0 + 2, y, WIDTH);
      y += ROW;
    }
    for (const p of list) {
      room(1);
      const at = clock(p.startedAt);
      const isId = id?.playId === p.id;
      doc.font(isId ? BOLD : FONT).fontSize(8);
      const values = [`${at.time} ${at.zoneAbbreviation}`, p.trackType, `${p.title ?? '(untitled)'}${isId ? ' (legal ID)' : ''}`, p.trackType === 'ADV' ? (p.advertiser ?? p.performer ?? '') : (p.performer ?? ''), hms(p.lengthMs)];
      let cx = x0;
      COLUMNS.forEach((c, i) => {
        text(values[i]!, cx + 2, y, c.width - 4);
        cx += c.width;
      });
      y += ROW;
    }
    y += 4;
  }

  const body = await finish((page, pages) => `${station.callLetters || station.name} — station log ${period.from} to ${period.to} — page ${page} of ${pages}`);
  const stem = (station.callLetters || station.name).replace(/[^A-Za-z0-9]+/g, '-').replace(/^-|-$/g, '').toLowerCase();
  return { fileName: `${stem}-station-log-${period.from}-to-${period.to}.pdf`, contentType: 'application/pdf', body, rows: inPeriod.length };
}
