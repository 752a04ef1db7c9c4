// United States, FCC station identification (47 CFR 73.1201; docs/royalty-formats.md): for
// every clock hour of the period at the station, the legal ID (LIN play) that aired closest
// to the top of the hour, or "no legal ID". The proof the station log keeps; the PDF station
// log draws these rows. DST days come out as the clock shows them: 23 hours in spring, 25 in
// autumn with the repeated hour twice (01:00 MDT, then 01:00 MST).
import { stringify } from 'csv-stringify/sync';
import { periodBounds, stationClock } from './common.js';
import { fileStem } from './pro-csv.js';
import type { AiredPlay, ReportPeriod, ReportStation, RoyaltyFile } from './types.js';

const HOUR_MS = 3_600_000;

export interface LegalIdHour {
  /** The top of the hour at the station: its date, "14:00" and the zone's abbreviation then. */
  date: string;
  hour: string;
  timeZone: string;
  topOfHour: number;
  /** The legal ID closest to the top of the hour, or null: no legal ID for this hour. */
  legalId: {
    playId: string;
    title: string | null;
    startedAt: number;
    date: string;
    time: string;
    timeZone: string;
    /** Signed: −40 aired 40 s before the top of the hour. */
    secondsFromTop: number;
  } | null;
}

/** The tops of the hours from the period's first midnight to the midnight after its last day, at the station. */
function topsOfHours(period: ReportPeriod, timezone: string): number[] {
  const { start, end } = periodBounds(period, timezone);
  // Zones move their clocks by whole hours at the top of an hour, so the tops are an hour apart in real time.
  const tops: number[] = [];
  for (let t = start; t < end; t += HOUR_MS) tops.push(t);
  return tops;
}

/**
 * Each hour of the period with its legal ID. A LIN play belongs to the top of the hour it is
 * nearest (an ID at 13:59:40 is the 14:00 ID; one at 14:30 or later is 15:00's); where several
 * belong to one hour the closest is shown. `plays` may reach half an hour either side of the period.
 */
export function legalIdHours(station: Pick<ReportStation, 'timezone'>, plays: readonly AiredPlay[], period: ReportPeriod): LegalIdHour[] {
  const clock = stationClock(station.timezone);
  const tops = topsOfHours(period, station.timezone);
  const best: (AiredPlay | undefined)[] = new Array<AiredPlay | undefined>(tops.length);
  const first = tops[0]!;
  for (const p of plays) {
    if (p.trackType !== 'LIN') continue;
    const i = Math.round((p.startedAt - first) / HOUR_MS);
    if (i < 0 || i >= tops.length) continue;
    const seen = best[i];
    const distance = Math.abs(p.startedAt - tops[i]!);
    if (!seen || distance < Math.abs(seen.startedAt - tops[i]!) || (distance === Math.abs(seen.startedAt - tops[i]!) && p.startedAt < seen.startedAt)) best[i] = p;
  }
  return tops.map((top, i) => {
    const t = clock(top);
    const p = best[i];
    const aired = p ? clock(p.startedAt) : null;
    return {
      date: t.date,
      hour: t.time.slice(0, 5),
      timeZone: t.zoneAbbreviation,
      topOfHour: top,
      legalId:
        p && aired
          ? { playId: p.id, title: p.title, startedAt: p.startedAt, date: aired.date, time: aired.time, timeZone: aired.zoneAbbreviation, secondsFromTop: Math.round((p.startedAt - top) / 1000) }
          : null,
    };
  });
}

export const LEGAL_ID_CSV_COLUMNS = ['date', 'hour', 'time_zone', 'status', 'legal_id_date', 'legal_id_time', 'legal_id_time_zone', 'seconds_from_top_of_hour', 'title'] as const;

/** The hours as CSV (RFC 4180, CRLF, UTF-8): one row an hour, "no legal ID" where none aired. */
export function legalIdCsv(station: Pick<ReportStation, 'callLetters'>, hours: readonly LegalIdHour[], period: ReportPeriod): RoyaltyFile {
  const rows = hours.map((h) => {
    const id = h.legalId;
    return [h.date, h.hour, h.timeZone, id ? 'aired' : 'no legal ID', id?.date ?? '', id?.time ?? '', id?.timeZone ?? '', id ? String(id.secondsFromTop) : '', id?.title ?? ''];
  });
  return {
    fileName: `${fileStem(station.callLetters)}-legal-ids-${period.from}-to-${period.to}.csv`,
    contentType: 'text/csv; charset=utf-8',
    body: stringify([[...LEGAL_ID_CSV_COLUMNS], ...rows], { record_delimiter: '\r\n' }),
    rows: rows.length,
  };
}
