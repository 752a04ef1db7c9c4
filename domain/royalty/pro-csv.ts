// A generic music-use list for ASCAP, SESAC, GMR and any other performing-rights society that
// asks for one (none has a routine per-station census file: docs/royalty-formats.md): one row
// per music play in air order, local time. RFC 4180 (csv-stringify), CRLF, UTF-8 without a
// byte-order mark, the header row first. A play lacking title, writers or performer is
// written with what it has and listed.
import { stringify } from 'csv-stringify/sync';
import { has, hms, isPerformedMusic, missingIn, playsInPeriod, usageOf } from './common.js';
import { isrcCode } from './soundexchange.js';
import type { AiredPlay, MissingData, MusicUsage, ReportPeriod, ReportStation, RoyaltyFile } from './types.js';

export const PRO_MUSIC_USE_COLUMNS = ['play_date', 'start_time', 'duration', 'title', 'writers', 'publishers', 'performer', 'album', 'label', 'isrc', 'iswc', 'usage', 'time_zone'] as const;

/** F feature, TO/TC theme open/close, B background; T (a theme, neither open nor close) and J (jingle) are LibreLog's [check]. */
export const PRO_USAGE_CODES: Record<MusicUsage, string> = { feature: 'F', theme_open: 'TO', theme_close: 'TC', theme: 'T', background: 'B', jingle: 'J' };

const names = (list: readonly string[]) => list.map((s) => s.trim()).filter(Boolean).join(';');

function lacks(p: AiredPlay): string[] {
  const fields: string[] = [];
  if (!has(p.title)) fields.push('title');
  if (!names(p.writers)) fields.push('writers');
  if (!has(p.performer)) fields.push('performer');
  return fields;
}

/** The music plays (MUS, and BED as background) written with blanks, with what each lacks. */
export function proMusicUseMissing(station: Pick<ReportStation, 'timezone'>, plays: readonly AiredPlay[], period: ReportPeriod): MissingData[] {
  return missingIn(station, plays, period, isPerformedMusic, lacks);
}

/** A name as it goes into a file name: lower-case ASCII letters and digits between hyphens. */
export function fileStem(text: string): string {
  return (
    text
      .normalize('NFKD')
      .replace(/[\u0300-\u036f]/g, '')
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '') || 'station'
  );
}

/** `kxyz-fm-music-use-2026-11-01-to-2026-11-30.csv` */
export const proMusicUseFileName = (station: ReportStation, period: ReportPeriod) => `${fileStem(station.callLetters)}-music-use-${period.from}-to-${period.to}.csv`;

export function proMusicUseCsv(station: ReportStation, plays: readonly AiredPlay[], period: ReportPeriod): RoyaltyFile {
  const rows = playsInPeriod(plays, period, station.timezone, isPerformedMusic).map(({ play: p, local }) => [
    local.date,
    local.time,
    hms(p.lengthMs),
    p.title ?? '',
    names(p.writers),
    names(p.publishers),
    p.performer ?? '',
    p.album ?? '',
    p.label ?? '',
    isrcCode(p.isrc),
    p.iswc ?? '',
    PRO_USAGE_CODES[usageOf(p)],
    local.zoneAbbreviation,
  ]);
  return {
    fileName: proMusicUseFileName(station, period),
    contentType: 'text/csv; charset=utf-8',
    body: stringify([[...PRO_MUSIC_USE_COLUMNS], ...rows], { record_delimiter: '\r\n' }),
    rows: rows.length,
  };
}
