import type { Knex } from 'knex';
import type { LogEntryDraft } from '../domain/log/types.js';
import type { ExceptionKind, ExceptionSeverity, FallbackReason, LogStatus, TrackType } from '../domain/vocabulary.js';

/** A log's entries in air order, joined with their tracks; callers choose the columns. */
export function logEntriesWithTracks(db: Knex, logId: string): Knex.QueryBuilder {
  return db('log_entries').leftJoin('tracks', 'tracks.id', 'log_entries.track_id').where('log_entries.log_id', logId).orderBy('log_entries.position');
}

/** A timed entry as a row of log_entries (column names), for insertAsJson. */
export function logEntryRow(logId: string, e: LogEntryDraft, utcOffsetMinutes: number | null): Record<string, unknown> {
  return {
    id: e.id,
    log_id: logId,
    position: e.position,
    starts_at: new Date(e.startsAt).toISOString(),
    length_ms: e.lengthMs,
    faded_early_ms: e.fadedEarlyMs,
    fade_out_ms: e.fadeOutMs,
    hour_label: e.hourLabel,
    utc_offset_minutes: utcOffsetMinutes,
    type: e.type,
    track_id: e.trackId,
    campaign_id: e.campaignId,
    clock_id: e.clockId,
    clock_element_id: e.clockElementId,
    voice_track_id: e.voiceTrackId,
    hour: e.hour,
    break_index: e.breakIndex,
    start_kind: e.startKind,
    is_fallback: e.isFallback,
    fallback_reason: e.fallbackReason,
    title: e.title,
    note: e.note,
    live_source: e.liveSource ?? null,
    slot_key: e.slotKey,
  };
}

/** "07:00" for entries and exceptions saved before hours had labels. */
const HOUR_LABEL_OF = (table: string) => `coalesce(${table}.hour_label, lpad(${table}.hour::text, 2, '0') || ':00')`;

/** A line of the log as the logs API shows it (GET …/logs/{date}). */
export interface LogEntryRow {
  id: string;
  position: number;
  startsAt: Date;
  lengthMs: number;
  type: TrackType;
  title: string;
  artist: string | null;
  trackId: string | null;
  campaignId: string | null;
  hour: number;
  /** "07:00"; "01:00 EDT" / "01:00 EST" on the repeated hour of a 25-hour day. */
  hourLabel: string;
  utcOffsetMinutes: number | null;
  breakIndex: number | null;
  isFallback: boolean;
  fallbackReason: FallbackReason | null;
  voiceTrackId: string | null;
  note: string | null;
  fadedEarlyMs: number;
  fadeOutMs: number;
  /** Fill material timing added to close a gap: chosen again around every edit and build, so not edited by hand. */
  fill: boolean;
}

/** The columns of a LogEntryRow, for a query from logEntriesWithTracks. */
export function logEntryColumns(db: Knex): (string | Knex.Raw)[] {
  return [
    'log_entries.id',
    'log_entries.position',
    'log_entries.starts_at as startsAt',
    'log_entries.length_ms as lengthMs',
    'log_entries.type',
    'log_entries.title',
    'tracks.artist',
    'log_entries.track_id as trackId',
    'log_entries.campaign_id as campaignId',
    'log_entries.hour',
    db.raw(`${HOUR_LABEL_OF('log_entries')} as "hourLabel"`),
    'log_entries.utc_offset_minutes as utcOffsetMinutes',
    'log_entries.break_index as breakIndex',
    'log_entries.is_fallback as isFallback',
    'log_entries.fallback_reason as fallbackReason',
    'log_entries.voice_track_id as voiceTrackId',
    'log_entries.note',
    'log_entries.faded_early_ms as fadedEarlyMs',
    'log_entries.fade_out_ms as fadeOutMs',
    db.raw(`coalesce(log_entries.slot_key LIKE '%:fill:%', false) as "fill"`),
  ];
}

/** A log's entries as the logs API shows them, in air order. */
export async function logEntries(db: Knex, logId: string): Promise<LogEntryRow[]> {
  return (await logEntriesWithTracks(db, logId).select(logEntryColumns(db))) as LogEntryRow[];
}

/** A line of the printed or exported log: the API's entry, with whose spot it is and what it makes good. */
export interface ProgramLogEntryRow extends LogEntryRow {
  advertiser: string | null;
  campaign: string | null;
  /** When the entry is a make-good: why it was owed, and the spot it makes good (null for a spot an order never got). */
  makeGoodOf: { reason: 'missed' | 'preempted'; original: { broadcastDate: string; startsAt: Date } | null } | null;
}

/** A log's entries for the printed program log and its CSV, in air order. */
export async function programLogEntries(db: Knex, logId: string): Promise<ProgramLogEntryRow[]> {
  const rows = (await logEntriesWithTracks(db, logId)
    .leftJoin('campaigns', 'campaigns.id', 'log_entries.campaign_id')
    .leftJoin('advertisers', 'advertisers.id', 'campaigns.advertiser_id')
    // A make-good is scheduled once; the first record wins should there ever be two.
    .joinRaw(
      `LEFT JOIN LATERAL (
         SELECT m.reason, o.starts_at, to_char(ol.broadcast_date, 'YYYY-MM-DD') AS broadcast_date
           FROM make_goods m
           LEFT JOIN log_entries o ON o.id = m.missed_entry_id
           LEFT JOIN daily_logs ol ON ol.id = o.log_id
          WHERE m.scheduled_entry_id = log_entries.id
          ORDER BY m.created_at LIMIT 1) mg ON true`,
    )
    .select([
      ...logEntryColumns(db),
      'advertisers.name as advertiser',
      'campaigns.name as campaign',
      'mg.reason as makeGoodReason',
      'mg.starts_at as makeGoodOriginalAt',
      'mg.broadcast_date as makeGoodOriginalDate',
    ])) as (LogEntryRow & {
    advertiser: string | null;
    campaign: string | null;
    makeGoodReason: 'missed' | 'preempted' | null;
    makeGoodOriginalAt: Date | null;
    makeGoodOriginalDate: string | null;
  })[];
  return rows.map(({ makeGoodReason, makeGoodOriginalAt, makeGoodOriginalDate, ...row }) => ({
    ...row,
    makeGoodOf: makeGoodReason
      ? { reason: makeGoodReason, original: makeGoodOriginalAt && makeGoodOriginalDate ? { broadcastDate: makeGoodOriginalDate, startsAt: makeGoodOriginalAt } : null }
      : null,
  }));
}

/** An exception of a log with who acknowledged it, as the logs API shows it. */
export interface LogExceptionRow {
  id: string;
  logVersion: number;
  kind: ExceptionKind;
  severity: ExceptionSeverity;
  hour: number | null;
  hourLabel: string | null;
  entryId: string | null;
  message: string;
  details: Record<string, unknown>;
  acknowledgedAt: Date | null;
  acknowledgedBy: string | null;
  acknowledgedByName: string | null;
  acknowledgement: string | null;
}

/** A log's exceptions, errors first, then by hour (the day's own first); only one version's when given. */
export async function logExceptions(db: Knex, logId: string, version?: number): Promise<LogExceptionRow[]> {
  const query = db('log_exceptions')
    .leftJoin('users', 'users.id', 'log_exceptions.acknowledged_by')
    .where('log_exceptions.log_id', logId)
    .orderByRaw(
      "array_position(array['error','warning','info']::exception_severity[], log_exceptions.severity), log_exceptions.hour nulls first, log_exceptions.created_at, log_exceptions.id",
    )
    .select(
      'log_exceptions.id',
      'log_exceptions.log_version as logVersion',
      'log_exceptions.kind',
      'log_exceptions.severity',
      'log_exceptions.hour',
      db.raw(`case when log_exceptions.hour is null then log_exceptions.hour_label else ${HOUR_LABEL_OF('log_exceptions')} end as "hourLabel"`),
      'log_exceptions.entry_id as entryId',
      'log_exceptions.message',
      'log_exceptions.details',
      'log_exceptions.acknowledged_at as acknowledgedAt',
      'log_exceptions.acknowledged_by as acknowledgedBy',
      'users.name as acknowledgedByName',
      'log_exceptions.acknowledgement',
    );
  if (version !== undefined) void query.where('log_exceptions.log_version', version);
  return (await query) as LogExceptionRow[];
}

/** The head of a printed program log: the station as it names itself on air, and the log's standing. */
export interface ProgramLogHeadRow {
  logId: string;
  date: string;
  status: LogStatus;
  version: number;
  approvedVersion: number | null;
  publishedVersion: number | null;
  approvedAt: Date | null;
  approvedBy: string | null;
  builtAt: Date | null;
  station: { slug: string; name: string; timezone: string; callLetters: string | null; communityOfLicense: string | null; frequency: string | null };
}

/** The station's day's log head, or undefined until the day has been built once. */
export async function programLogHead(db: Knex, stationId: string, date: string): Promise<ProgramLogHeadRow | undefined> {
  const row = (await db('daily_logs as l')
    .join('stations as s', 's.id', 'l.station_id')
    .leftJoin('users as u', 'u.id', 'l.approved_by')
    .where({ 'l.station_id': stationId, 'l.broadcast_date': date })
    .first(
      'l.id as logId',
      db.raw(`to_char(l.broadcast_date, 'YYYY-MM-DD') as date`),
      'l.status',
      'l.version',
      'l.approved_version as approvedVersion',
      'l.published_version as publishedVersion',
      'l.approved_at as approvedAt',
      'u.name as approvedBy',
      'l.built_at as builtAt',
      's.slug',
      's.name',
      's.timezone',
      's.call_letters as callLetters',
      's.community_of_license as communityOfLicense',
      's.frequency',
    )) as (Omit<ProgramLogHeadRow, 'station'> & ProgramLogHeadRow['station']) | undefined;
  if (!row) return undefined;
  const { slug, name, timezone, callLetters, communityOfLicense, frequency, ...log } = row;
  return { ...log, station: { slug, name, timezone, callLetters, communityOfLicense, frequency } };
}
