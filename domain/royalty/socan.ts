// SOCAN Tariff 1.A music-use list (docs/royalty-formats.md): a row per music play of the
// period in air order with the date and time at the station, recording and work titles,
// authors/composers, performers, duration, UPC and ISRC. The rows are assembled here; the
// spreadsheet is drawn by reports/royalty/socan-xlsx.ts. A play lacking a field is written with
// what it has and listed.
import { has, hms, isPerformedMusic, missingIn, playsInPeriod, usageOf } from './common.js';
import { fileStem } from './pro-csv.js';
import { isrcCode } from './soundexchange.js';
import type { AiredPlay, MissingData, MusicUsage, ReportPeriod, ReportStation } from './types.js';

/** The sheet's columns, in order: a heading and a width in characters. */
export const SOCAN_COLUMNS = [
  { header: 'Date', width: 12 },
  { header: 'Time', width: 10 },
  { header: 'Time zone', width: 10 },
  { header: 'Duration', width: 10 },
  { header: 'Recording title', width: 36 },
  { header: 'Work title', width: 36 },
  { header: 'Authors/composers', width: 36 },
  { header: 'Publishers', width: 28 },
  { header: 'Performers', width: 28 },
  { header: 'Album', width: 28 },
  { header: 'Label', width: 20 },
  { header: 'UPC', width: 15 },
  { header: 'ISRC', width: 14 },
  { header: 'Usage', width: 12 },
] as const;

const USAGE_WORDS: Record<MusicUsage, string> = { feature: 'Feature', theme_open: 'Theme', theme_close: 'Theme', theme: 'Theme', background: 'Background', jingle: 'Jingle' };

const names = (list: readonly string[]) => list.map((s) => s.trim()).filter(Boolean).join('; ');

function lacks(p: AiredPlay): string[] {
  const fields: string[] = [];
  if (!has(p.title)) fields.push('title');
  if (!names(p.writers)) fields.push('writers');
  if (!has(p.performer)) fields.push('performer');
  if (!has(p.upc)) fields.push('upc');
  if (!isrcCode(p.isrc)) fields.push('isrc');
  return fields;
}

/** The music plays (MUS, and BED as background) the list describes only in part, with what each lacks. */
export function socanMissing(station: Pick<ReportStation, 'timezone'>, plays: readonly AiredPlay[], period: ReportPeriod): MissingData[] {
  return missingIn(station, plays, period, isPerformedMusic, lacks);
}

export interface SocanSheet {
  fileName: string;
  sheetName: string;
  columns: typeof SOCAN_COLUMNS;
  /** One per play, cells in SOCAN_COLUMNS order, every cell text. */
  rows: string[][];
}

/** `cfxy-fm-socan-music-use-2026-11-01-to-2026-11-30.xlsx` */
export const socanFileName = (station: ReportStation, period: ReportPeriod) => `${fileStem(station.callLetters)}-socan-music-use-${period.from}-to-${period.to}.xlsx`;

export function socanMusicUseSheet(station: ReportStation, plays: readonly AiredPlay[], period: ReportPeriod): SocanSheet {
  const rows = playsInPeriod(plays, period, station.timezone, isPerformedMusic).map(({ play: p, local: t }) => [
    t.date,
    t.time,
    t.zoneAbbreviation,
    hms(p.lengthMs),
    p.title ?? '',
    has(p.workTitle) ? p.workTitle : (p.title ?? ''),
    names(p.writers),
    names(p.publishers),
    p.performer ?? '',
    p.album ?? '',
    p.label ?? '',
    p.upc ?? '',
    isrcCode(p.isrc),
    USAGE_WORDS[usageOf(p)],
  ]);
  return { fileName: socanFileName(station, period), sheetName: 'Music use', columns: SOCAN_COLUMNS, rows };
}
