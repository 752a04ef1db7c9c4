// Canada, CRTC (Radio Regulations, 1986; docs/royalty-formats.md): the program log (s.8), the
// music list (s.9(3)(b)) and the campus/community "industry log" SOCAN takes from such
// stations. All CSV (RFC 4180, CRLF, UTF-8), local times with the zone's abbreviation. Every
// play is written — a log of what aired leaves nothing out — and what a play lacks is listed.
//
// Programmes: LibreLog has no programme schedule yet, so the log's programmes are segments of
// the as-run: a segment begins with an INT play (and takes its title) or with the first play
// after a legal ID (LIN), and a LIN ends it. See programmeSegments.
import { stringify } from 'csv-stringify/sync';
import { has, hms, isPerformedMusic, missingIn, playsInPeriod, stationClock, usageOf, type LocalPlay } from './common.js';
import { fileStem } from './pro-csv.js';
import type { AiredPlay, Mapl, MissingData, ReportPeriod, ReportStation, RoyaltyFile } from './types.js';

const csv = (rows: string[][]) => stringify(rows, { record_delimiter: '\r\n' });
const CSV_TYPE = 'text/csv; charset=utf-8';

/** A commercial's content category when the play says none: 51, commercial announcement. */
export const COMMERCIAL_CATEGORY = '51';

/** Canadian by MAPL (2 of music, artist, performance, lyrics): yes, no, or null when the unknown criteria could tip it. */
export function isCanadian(mapl: Mapl | null): boolean | null {
  if (!mapl) return null;
  const values = [mapl.music, mapl.artist, mapl.performance, mapl.lyrics];
  const yes = values.filter((v) => v === true).length;
  const unknown = values.filter((v) => v === null).length;
  if (yes >= 2) return true;
  return yes + unknown < 2 ? false : null;
}

const flag = (v: boolean | null | undefined) => (v === true ? 'yes' : v === false ? 'no' : '');
const names = (list: readonly string[]) => list.map((s) => s.trim()).filter(Boolean).join(';');

// ---- programme segments -------------------------------------------------------------------

export interface ProgrammeSegment {
  startedAt: number;
  endedAt: number;
  /** The INT play's title, or "Music" for a run of music between legal IDs. */
  title: string;
  description: string;
  /** The category with the most airtime among the segment's plays other than ADV, PRO and VT; null when none says one. */
  contentCategory: string | null;
  /** The first origin code a play of the segment has, else the station's default; null when neither. */
  originCode: string | null;
  playIds: string[];
}

/** The programmes of a run of plays in air order (see the file's head). */
export function programmeSegments(plays: readonly LocalPlay[], station: Pick<ReportStation, 'defaultOriginCode'>): ProgrammeSegment[] {
  const segments: ProgrammeSegment[] = [];
  let run: AiredPlay[] = [];
  const close = () => {
    if (!run.length) return;
    const first = run[0]!;
    const airtime = new Map<string, number>();
    for (const p of run) if (has(p.contentCategory) && !['ADV', 'PRO', 'VT'].includes(p.trackType)) airtime.set(p.contentCategory, (airtime.get(p.contentCategory) ?? 0) + p.lengthMs);
    const category = [...airtime].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0]?.[0] ?? null;
    const music = run.filter((p) => p.trackType === 'MUS').length;
    const spots = run.filter((p) => p.trackType === 'ADV').length;
    const counted = [music ? `${music} music selection${music === 1 ? '' : 's'}` : '', spots ? `${spots} commercial${spots === 1 ? '' : 's'}` : ''].filter(Boolean).join(', ');
    segments.push({
      startedAt: first.startedAt,
      endedAt: Math.max(...run.map((p) => p.startedAt + p.lengthMs)),
      title: first.trackType === 'INT' ? (first.title ?? '') : 'Music',
      description: first.trackType === 'INT' ? [first.performer, counted].filter(has).join('; ') : counted,
      contentCategory: category,
      originCode: run.find((p) => has(p.originCode))?.originCode ?? station.defaultOriginCode ?? null,
      playIds: run.map((p) => p.id),
    });
    run = [];
  };
  for (const { play } of plays) {
    if (play.trackType === 'LIN') close();
    else {
      if (play.trackType === 'INT') close();
      run.push(play);
    }
  }
  close();
  return segments;
}

// ---- program log (s.8) --------------------------------------------------------------------

export const CRTC_PROGRAM_LOG_COLUMNS = [
  'date',
  'time',
  'time_zone',
  'record',
  'call_letters',
  'location',
  'frequency',
  'end_time',
  'title',
  'description',
  'content_category',
  'origin',
  'quarter_hour',
  'length',
  'subcategory',
  'advertiser',
] as const;

/** Plays the program log cannot describe in full: a programme play without its content category, any play without an origin code when the station has no default. */
function programLogLacks(station: Pick<ReportStation, 'defaultOriginCode'>, p: AiredPlay): string[] {
  const fields: string[] = [];
  if (!['ADV', 'LIN', 'PRO', 'VT'].includes(p.trackType) && !has(p.contentCategory)) fields.push('contentCategory');
  if (p.trackType !== 'LIN' && !has(p.originCode) && !has(station.defaultOriginCode)) fields.push('originCode');
  return fields;
}

export function crtcProgramLogMissing(station: Pick<ReportStation, 'timezone' | 'defaultOriginCode'>, plays: readonly AiredPlay[], period: ReportPeriod): MissingData[] {
  return missingIn(station, plays, period, () => true, (p) => programLogLacks(station, p));
}

/**
 * The program log of the period: for each day, in time order, every station identification
 * (a LIN play), every programme (segment) with its title, description, category, start, end and
 * origin, and every commercial (ADV play) with its quarter hour, length and subcategory.
 * `segments` replaces the derived programmes when the caller has real ones.
 */
export function crtcProgramLog(station: ReportStation, plays: readonly AiredPlay[], period: ReportPeriod, segments?: readonly ProgrammeSegment[]): RoyaltyFile {
  const local = playsInPeriod(plays, period, station.timezone);
  const programmes = segments ?? programmeSegments(local, station);
  const at = stationClock(station.timezone);
  const where = [station.callLetters, station.communityOfLicense, station.frequency ?? ''];
  const rows: { at: number; order: number; cells: string[] }[] = [];
  for (const s of programmes) {
    const start = at(s.startedAt);
    const end = at(s.endedAt);
    rows.push({ at: s.startedAt, order: 1, cells: [start.date, start.time, start.zoneAbbreviation, 'programme', ...where, end.time, s.title, s.description, s.contentCategory ?? '', s.originCode ?? '', '', '', '', ''] });
  }
  for (const { play: p, local: t } of local) {
    if (p.trackType === 'LIN') rows.push({ at: p.startedAt, order: 0, cells: [t.date, t.time, t.zoneAbbreviation, 'station identification', ...where, '', p.title ?? '', '', '', '', '', '', '', ''] });
    if (p.trackType === 'ADV') {
      const quarter = `${String(t.hour).padStart(2, '0')}:${String(Math.floor(t.minute / 15) * 15).padStart(2, '0')}`;
      const advertiser = [p.advertiser, p.product].filter(has).join(' — ');
      rows.push({ at: p.startedAt, order: 2, cells: [t.date, t.time, t.zoneAbbreviation, 'commercial', ...where, '', p.title ?? '', p.campaign ?? '', '', '', quarter, hms(p.lengthMs), p.contentCategory ?? COMMERCIAL_CATEGORY, advertiser] });
    }
  }
  rows.sort((a, b) => a.at - b.at || a.order - b.order);
  return {
    fileName: `${fileStem(station.callLetters)}-crtc-program-log-${period.from}-to-${period.to}.csv`,
    contentType: CSV_TYPE,
    body: csv([[...CRTC_PROGRAM_LOG_COLUMNS], ...rows.map((r) => r.cells)]),
    rows: rows.length,
  };
}

// ---- music list (s.9(3)(b)) ---------------------------------------------------------------

export const CRTC_MUSIC_LIST_COLUMNS = [
  'date',
  'time',
  'time_zone',
  'title',
  'performer',
  'composers',
  'content_category',
  'canadian',
  'mapl_music',
  'mapl_artist',
  'mapl_performance',
  'mapl_lyrics',
  'hit',
  'instrumental',
  'language',
] as const;

function musicListLacks(p: AiredPlay): string[] {
  const fields: string[] = [];
  if (!has(p.title)) fields.push('title');
  if (!has(p.performer)) fields.push('performer');
  if (!has(p.contentCategory)) fields.push('contentCategory');
  if (isCanadian(p.mapl) === null) fields.push('mapl');
  if (p.instrumental !== true && !has(p.language)) fields.push('language');
  return fields;
}

/** MUS plays the music list cannot describe in full: title, performer, category, whether Canadian (MAPL), language of a vocal. */
export function crtcMusicListMissing(station: Pick<ReportStation, 'timezone'>, plays: readonly AiredPlay[], period: ReportPeriod): MissingData[] {
  return missingIn(station, plays, period, (p) => p.trackType === 'MUS', musicListLacks);
}

/** Every MUS selection in broadcast order with its Canadian-content flags. */
export function crtcMusicList(station: ReportStation, plays: readonly AiredPlay[], period: ReportPeriod): RoyaltyFile {
  const rows = playsInPeriod(plays, period, station.timezone, (p) => p.trackType === 'MUS').map(({ play: p, local: t }) => [
    t.date,
    t.time,
    t.zoneAbbreviation,
    p.title ?? '',
    p.performer ?? '',
    names(p.writers),
    p.contentCategory ?? '',
    flag(isCanadian(p.mapl)),
    flag(p.mapl?.music),
    flag(p.mapl?.artist),
    flag(p.mapl?.performance),
    flag(p.mapl?.lyrics),
    flag(p.hit),
    flag(p.instrumental),
    p.language ?? '',
  ]);
  return {
    fileName: `${fileStem(station.callLetters)}-crtc-music-list-${period.from}-to-${period.to}.csv`,
    contentType: CSV_TYPE,
    body: csv([[...CRTC_MUSIC_LIST_COLUMNS], ...rows]),
    rows: rows.length,
  };
}

// ---- industry log (campus and community stations, for SOCAN) -------------------------------

export const INDUSTRY_LOG_COLUMNS = [
  'date',
  'time',
  'time_zone',
  'end_time',
  'call_letters',
  'type',
  'content_category',
  'origin',
  'title',
  'performer',
  'composers',
  'duration',
  'canadian',
  'language',
  'usage',
  'cue_length',
] as const;

/** The usage flag: F feature, T theme (open, close or other), B background, J jingle. */
const INDUSTRY_USAGE = { feature: 'F', theme_open: 'T', theme_close: 'T', theme: 'T', background: 'B', jingle: 'J' } as const;

/** What the industry log lacks: the program log's and the music list's, and a music play's composers. */
export function industryLogMissing(station: Pick<ReportStation, 'timezone' | 'defaultOriginCode'>, plays: readonly AiredPlay[], period: ReportPeriod): MissingData[] {
  return missingIn(station, plays, period, () => true, (p) => {
    const fields = programLogLacks(station, p);
    if (p.trackType === 'MUS') fields.push(...musicListLacks(p).filter((f) => !fields.includes(f)));
    if (isPerformedMusic(p) && !names(p.writers)) fields.push('writers');
    return fields;
  });
}

/**
 * The industry log: every play of the period in air order (the CRTC log's content), with the
 * usage flag of each music play and, for a theme or background cue, its length.
 */
export function industryLog(station: ReportStation, plays: readonly AiredPlay[], period: ReportPeriod): RoyaltyFile {
  const local = playsInPeriod(plays, period, station.timezone);
  const clock = stationClock(station.timezone);
  const origin = new Map<string, string>();
  for (const s of programmeSegments(local, station)) for (const id of s.playIds) origin.set(id, s.originCode ?? '');
  const rows = local.map(({ play: p, local: t }) => {
    const music = isPerformedMusic(p);
    const usage = music ? usageOf(p) : null;
    const end = clock(p.startedAt + p.lengthMs);
    return [
      t.date,
      t.time,
      t.zoneAbbreviation,
      end.time,
      station.callLetters,
      p.trackType,
      p.contentCategory ?? (p.trackType === 'ADV' ? COMMERCIAL_CATEGORY : ''),
      origin.get(p.id) ?? '',
      p.title ?? '',
      p.performer ?? '',
      music ? names(p.writers) : '',
      hms(p.lengthMs),
      p.trackType === 'MUS' ? flag(isCanadian(p.mapl)) : '',
      p.language ?? '',
      usage ? INDUSTRY_USAGE[usage] : '',
      usage && usage !== 'feature' ? hms(p.lengthMs) : '',
    ];
  });
  return {
    fileName: `${fileStem(station.callLetters)}-industry-log-${period.from}-to-${period.to}.csv`,
    contentType: CSV_TYPE,
    body: csv([[...INDUSTRY_LOG_COLUMNS], ...rows]),
    rows: rows.length,
  };
}
