// BMI music use in the EMR fixed-width layout, as Rivendell writes it (ElvishArtisan/rivendell
// lib/export_bmiemr.cpp, RDReport::ExportBmiEmr; docs/royalty-formats.md): a HEDR record, one
// FMDT record per music play in air order, a TRLR record with the count of all records.
// ASCII, CR LF after every record, every field space-padded or cut to its width, so each
// record type has one width (HEDR 113, FMDT 279, TRLR 39). A play lacking its title,
// performer or writers is still written (the blanks as spaces) and listed.
import { hms, isPerformedMusic, leftJustify, missingIn, periodPlays, remembered, stationClock, toAscii, usageOf } from './common.js';
import { isrcCode } from './soundexchange.js';
import type { AiredPlay, Band, MissingData, MusicUsage, ReportPeriod, ReportStation, RoyaltyFile } from './types.js';

export const EMR_USAGE_CODES: Record<MusicUsage, string> = {
  feature: 'F1',
  theme_open: 'TO',
  theme_close: 'TC',
  theme: 'TT',
  background: 'B ',
  jingle: 'JP',
};

const BAND_CODES: Record<Band, string> = { AM: 'AM', FM: 'FM', online: 'OT' };

/** The FMDT record's fields and widths, in order (279 characters). */
export const EMR_FMDT_LAYOUT = [
  ['record type FMDT', 4],
  ['station id', 40],
  ['band AM/FM/OT', 2],
  ['format', 25],
  ['period start yyyyMM01', 8],
  ['play time yyyyMMddHH:mm:ss', 16],
  ['000000001', 9],
  ['title', 40],
  ['performer', 40],
  ['writers', 40],
  ['duration HH:MM:SS', 8],
  ['spaces', 11],
  ['ISRC, right-justified', 12],
  ['usage', 2],
  ['spaces', 22],
] as const;
export const EMR_WIDTHS = { HEDR: 113, FMDT: 279, TRLR: 39 } as const;

const CRLF = '\r\n';

/** The id BMI knows the station by, else its call letters. */
const stationId = (station: ReportStation) => toAscii(station.bmiStationId ?? station.callLetters);

/** Writers as one field: "Jane Doe; John Roe". */
const writersText = (p: AiredPlay) => p.writers.map(toAscii).filter(Boolean).join('; ');

function lacks(p: AiredPlay): string[] {
  const fields: string[] = [];
  if (!toAscii(p.title)) fields.push('title');
  if (!toAscii(p.performer)) fields.push('performer');
  if (!writersText(p)) fields.push('writers');
  return fields;
}

/** The music plays (MUS, and BED as background) whose FMDT record has blanks, with what each lacks. */
export function bmiMissing(station: Pick<ReportStation, 'timezone'>, plays: readonly AiredPlay[], period: ReportPeriod): MissingData[] {
  return missingIn(station, plays, period, isPerformedMusic, lacks);
}

/** `<station id><yy><mm>.emr` for the month the period starts in (letters, digits, `-` and `_` of the id). */
export function bmiFileName(station: ReportStation, period: ReportPeriod): string {
  const id = stationId(station).replace(/[^A-Za-z0-9_-]/g, '');
  if (!id) throw new RangeError('the BMI station id (or the call letters) has no ASCII letters or digits to name the file with');
  return `${id}${period.from.slice(2, 4)}${period.from.slice(5, 7)}.emr`;
}

export interface BmiEmrOptions {
  /** When the file is made (HEDR creation time, station time). */
  createdAt: number;
}

/** The EMR file for the period's music plays (usually a calendar month). */
export function bmiEmr(station: ReportStation, plays: readonly AiredPlay[], period: ReportPeriod, options: BmiEmrOptions): RoyaltyFile {
  const id = stationId(station);
  const created = stationClock(station.timezone)(options.createdAt);
  const createdDate = `${created.year}${created.date.slice(5, 7)}${created.date.slice(8, 10)}`;
  const hedr = `HEDRSTA${leftJustify(id, 25)}${leftJustify(`${createdDate}${created.time.replaceAll(':', '')}${createdDate}`, 22)}FMDT${' '.repeat(55)}`;

  // What every FMDT record of the file begins with: type, station, band, format, period start.
  const lead = `FMDT${leftJustify(id, 40)}${BAND_CODES[station.band]}${leftJustify(toAscii(station.format), 25)}${period.from.slice(0, 4)}${period.from.slice(5, 7)}01`;
  // A library repeats its titles and names all month: each is made ASCII once.
  const ascii = remembered(toAscii);
  const writers = remembered((joined: string) => joined.split('\u0000').map(toAscii).filter(Boolean).join('; '));
  const isrc = remembered(isrcCode);
  const clock = stationClock(station.timezone);
  // The play time yyyyMMddHH:mm:ss: the station clock read once a minute, the seconds added.
  const minutes = new Map<number, string>();
  const playTime = (at: number) => {
    const minute = Math.floor(at / 60_000);
    let head = minutes.get(minute);
    if (head === undefined) {
      const t = clock(minute * 60_000);
      minutes.set(minute, (head = `${t.date.replaceAll('-', '')}${t.time.slice(0, 6)}`));
    }
    const second = Math.floor(at / 1000) % 60;
    return head + (second < 10 ? `0${second}` : String(second));
  };

  // A month is some 100,000 records: they are written into one buffer laid out in advance —
  // each FMDT record a copy of the template (constant fields, spaces, CR LF) with its fields
  // written over the spaces, cut to their width — instead of joining 100,000 strings.
  const music = periodPlays(plays, period, station.timezone, isPerformedMusic);
  const FMDT = EMR_WIDTHS.FMDT + 2;
  const template = Buffer.from(`${lead}${' '.repeat(16)}000000001${' '.repeat(EMR_WIDTHS.FMDT - lead.length - 25)}${CRLF}`, 'latin1');
  const head = Buffer.from(hedr + CRLF, 'latin1');
  const out = Buffer.allocUnsafe(head.length + music.length * FMDT + EMR_WIDTHS.TRLR + 2);
  head.copy(out, 0);
  let at = head.length;
  for (const play of music) {
    template.copy(out, at);
    out.write(playTime(play.startedAt), at + 79, 16, 'latin1');
    if (play.title) out.write(ascii(play.title), at + 104, 40, 'latin1');
    if (play.performer) out.write(ascii(play.performer), at + 144, 40, 'latin1');
    if (play.writers.length) out.write(writers(play.writers.join('\u0000')), at + 184, 40, 'latin1');
    out.write(leftJustify(hms(play.lengthMs), 8), at + 224, 8, 'latin1');
    const code = play.isrc ? isrc(play.isrc).slice(0, 12) : '';
    if (code) out.write(code, at + 255 - code.length, 12, 'latin1');
    out.write(EMR_USAGE_CODES[usageOf(play)], at + 255, 2, 'latin1');
    at += FMDT;
  }
  const rows = music.length;
  out.write(`TRLR${String(rows + 2).padStart(12, '0')}${' '.repeat(23)}${CRLF}`, at, 'latin1');
  return { fileName: bmiFileName(station, period), contentType: 'text/plain; charset=us-ascii', body: out.toString('latin1'), rows };
}
