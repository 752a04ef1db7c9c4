// A day's program log as it is printed and exported (docs/log-exports.md): the station as it
// names itself on air, the log's version and standing, hour by hour — 23, 24 or 25 of them, the
// repeated hour of a 25-hour day told apart by its zone — each entry at its local start marked
// with its zone, legal IDs marked, each hour's total against the hour, and the exceptions of the
// version. Pure: the rows come from db/log-entries.ts; reports/program-log-pdf.ts draws the PDF.
import { stringify } from 'csv-stringify/sync';
import { DateTime } from 'luxon';
import type { ExceptionSeverity, FallbackReason, LogStatus, TrackType } from '../vocabulary.js';
import { zoneName } from './clock-expansion.js';

const HOUR_MS = 3_600_000;

export interface ProgramLogStation {
  slug: string;
  name: string;
  timezone: string;
  callLetters: string | null;
  communityOfLicense: string | null;
  frequency: string | null;
}

/** A line of the log as db/log-entries.ts reads it for printing. */
export interface ProgramLogEntryInput {
  id: string;
  position: number;
  startsAt: Date;
  lengthMs: number;
  type: TrackType;
  title: string;
  artist: string | null;
  advertiser: string | null;
  campaign: string | null;
  /** "07:00"; "01:00 MDT" / "01:00 MST" on the repeated hour of a 25-hour day. */
  hourLabel: string;
  isFallback: boolean;
  fallbackReason: FallbackReason | null;
  voiceTrackId: string | null;
  note: string | null;
  fadedEarlyMs: number;
  makeGoodOf: { reason: 'missed' | 'preempted'; original: { broadcastDate: string; startsAt: Date } | null } | null;
}

export interface ProgramLogExceptionInput {
  severity: ExceptionSeverity;
  hourLabel: string | null;
  message: string;
}

export interface ProgramLogInput {
  station: ProgramLogStation;
  date: string;
  status: LogStatus;
  version: number;
  approvedVersion: number | null;
  publishedVersion: number | null;
  /** The approver's name (null when an API client approved, or not approved). */
  approvedBy: string | null;
  approvedAt: Date | null;
  entries: readonly ProgramLogEntryInput[];
  /** The current version's exceptions, errors first. */
  exceptions: readonly ProgramLogExceptionInput[];
  generatedAt: Date;
}

/** Where the version printed stands: published or approved only when that is this version. */
export type LogStanding = 'draft' | 'approved' | 'published';

/** A local time at the station: "2026-11-01", "01:30:00", "MST", "2026-11-01T01:30:00-07:00". */
export interface StationTime {
  date: string;
  time: string;
  zone: string;
  iso: string;
}

export interface ProgramLogEntry extends ProgramLogEntryInput {
  start: StationTime;
  isLegalId: boolean;
  /** What the notes column says: fallback, make-good of which spot, voice track, faded early, the entry's note. */
  notes: string[];
}

export interface ProgramLogHour {
  label: string;
  entries: ProgramLogEntry[];
  totalMs: number;
  /** The total less the hour: positive over, negative under. */
  differenceMs: number;
  legalIds: number;
}

export interface ProgramLog {
  station: ProgramLogStation;
  date: string;
  status: LogStatus;
  standing: LogStanding;
  version: number;
  approvedVersion: number | null;
  publishedVersion: number | null;
  approval: { version: number; by: string | null; at: StationTime | null } | null;
  hours: ProgramLogHour[];
  entries: ProgramLogEntry[];
  exceptions: readonly ProgramLogExceptionInput[];
  generatedAt: StationTime;
}

const two = (n: number) => String(n).padStart(2, '0');

/** The moment as the station's clock and calendar say it, with its zone's short name. */
export function stationTime(at: Date, timezone: string): StationTime {
  const local = DateTime.fromJSDate(at, { zone: timezone });
  return {
    date: local.toISODate()!,
    time: `${two(local.hour)}:${two(local.minute)}:${two(local.second)}`,
    zone: zoneName(local),
    iso: local.toISO({ suppressMilliseconds: true })!,
  };
}

/** "3:35", "59:58", "1:00:02": a length to the nearest second. */
export function clockLength(ms: number): string {
  const total = Math.round(Math.abs(ms) / 1000);
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  return h ? `${h}:${two(m)}:${two(s)}` : `${m}:${two(s)}`;
}

/** "00:03:35": a length to the nearest second, as spreadsheets read a duration. */
export function hms(ms: number): string {
  const total = Math.round(ms / 1000);
  return `${two(Math.floor(total / 3600))}:${two(Math.floor((total % 3600) / 60))}:${two(total % 60)}`;
}

/** "exactly the hour", "0:12 over", "1:05 under". */
export function describeDifference(differenceMs: number): string {
  if (Math.round(differenceMs / 1000) === 0) return 'exactly the hour';
  return `${clockLength(differenceMs)} ${differenceMs > 0 ? 'over' : 'under'}`;
}

export function standingOf(log: Pick<ProgramLogInput, 'version' | 'approvedVersion' | 'publishedVersion'>): LogStanding {
  if (log.publishedVersion === log.version) return 'published';
  if (log.approvedVersion === log.version) return 'approved';
  return 'draft';
}

const FALLBACK_WORDS: Record<FallbackReason, string> = { no_sale: 'no spot sold', campaign_expired: 'campaign expired', copy_missing: 'copy missing' };

function notesOf(e: ProgramLogEntryInput, timezone: string): string[] {
  const notes: string[] = [];
  if (e.isFallback) notes.push(`Fallback${e.fallbackReason ? `: ${FALLBACK_WORDS[e.fallbackReason]}` : ''}`);
  if (e.makeGoodOf) {
    const o = e.makeGoodOf.original;
    const at = o ? stationTime(o.startsAt, timezone) : null;
    notes.push(o && at ? `Make-good of ${o.broadcastDate} ${at.time.slice(0, 5)} ${at.zone}` : `Make-good (a ${e.makeGoodOf.reason} spot)`);
  }
  if (e.voiceTrackId) notes.push('Voice track');
  if (e.fadedEarlyMs > 0) notes.push(`Faded ${clockLength(e.fadedEarlyMs)} early`);
  if (e.note) notes.push(e.note);
  return notes;
}

/** The day's log laid out for print and export: hours in air order (consecutive entries of one label). */
export function assembleProgramLog(input: ProgramLogInput): ProgramLog {
  const tz = input.station.timezone;
  const entries: ProgramLogEntry[] = input.entries.map((e) => ({ ...e, start: stationTime(e.startsAt, tz), isLegalId: e.type === 'LIN', notes: notesOf(e, tz) }));
  const hours: ProgramLogHour[] = [];
  for (const entry of entries) {
    let hour = hours.at(-1);
    if (!hour || hour.label !== entry.hourLabel) hours.push((hour = { label: entry.hourLabel, entries: [], totalMs: 0, differenceMs: -HOUR_MS, legalIds: 0 }));
    hour.entries.push(entry);
    hour.totalMs += entry.lengthMs;
    hour.differenceMs = hour.totalMs - HOUR_MS;
    if (entry.isLegalId) hour.legalIds += 1;
  }
  return {
    station: input.station,
    date: input.date,
    status: input.status,
    standing: standingOf(input),
    version: input.version,
    approvedVersion: input.approvedVersion,
    publishedVersion: input.publishedVersion,
    approval: input.approvedVersion ? { version: input.approvedVersion, by: input.approvedBy, at: input.approvedAt ? stationTime(input.approvedAt, tz) : null } : null,
    hours,
    entries,
    exceptions: input.exceptions,
    generatedAt: stationTime(input.generatedAt, tz),
  };
}

/** "kqtr-log-2026-11-01.pdf" */
export function programLogFileName(log: Pick<ProgramLog, 'station' | 'date'>, extension: 'pdf' | 'csv'): string {
  return `${log.station.slug}-log-${log.date}.${extension}`;
}

/** The CSV's columns, in order; its first row (docs/log-exports.md describes each). */
export const PROGRAM_LOG_CSV_COLUMNS = [
  'date',
  'hour',
  'starts_at',
  'time_zone',
  'position',
  'type',
  'title',
  'artist',
  'advertiser',
  'campaign',
  'length_seconds',
  'length',
  'fallback',
  'make_good_of',
  'voice_track',
  'note',
  'entry_id',
] as const;

/** The CSV's rows after the header: one per entry, in air order, every value a string. */
export function programLogCsvRows(log: ProgramLog): string[][] {
  const tz = log.station.timezone;
  return log.entries.map((e) => [
    log.date,
    e.hourLabel,
    e.start.iso,
    e.start.zone,
    String(e.position),
    e.type,
    e.title,
    e.artist ?? '',
    e.advertiser ?? '',
    e.campaign ?? '',
    String(e.lengthMs / 1000),
    hms(e.lengthMs),
    e.isFallback ? (e.fallbackReason ?? 'yes') : '',
    e.makeGoodOf ? (e.makeGoodOf.original ? stationTime(e.makeGoodOf.original.startsAt, tz).iso : e.makeGoodOf.reason) : '',
    e.voiceTrackId ? 'yes' : '',
    e.note ?? '',
    e.id,
  ]);
}

/** RFC 4180 (fields with a comma, quote or line break quoted, quotes doubled), CRLF after every record, UTF-8 without a byte-order mark, the header row first. */
export function programLogCsv(log: ProgramLog): string {
  return stringify([[...PROGRAM_LOG_CSV_COLUMNS], ...programLogCsvRows(log)], { record_delimiter: '\r\n' });
}
