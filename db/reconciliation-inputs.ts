// What reconciling a day reads: the log's entries (with what playout knows their audio as) and
// every play of the station's as-run around the day, shaped for domain/reconciliation. The
// reconciliation step and the reconciliation report read the same.
import type { Knex } from 'knex';
import { broadcastDayPeriod, notDueReasonOf, type AsRunPlay, type Period, type ScheduledEntry } from '../domain/reconciliation/index.js';
import type { AsRunPlaySource, ElementType, LiveSource, TrackType } from '../domain/vocabulary.js';

export interface ReconciliationInputs {
  log: { id: string; stationId: string; version: number; timezone: string; date: string };
  day: Period;
  entries: ScheduledEntry[];
  plays: AsRunPlay[];
}

/** A play of playback_history as the rules know it: `history:<id>`. */
export const historyPlayId = (id: number) => `history:${id}`;
export const historyRowId = (playId: string) => Number(playId.slice('history:'.length));

export async function reconciliationInputs(db: Knex, logId: string): Promise<ReconciliationInputs> {
  const log = (await db('daily_logs as l')
    .join('stations as s', 's.id', 'l.station_id')
    .where('l.id', logId)
    .first('l.id', 'l.station_id as stationId', 'l.version', 's.timezone', db.raw(`to_char(l.broadcast_date, 'YYYY-MM-DD') as date`))) as ReconciliationInputs['log'] | undefined;
  if (!log) throw new Error(`No log ${logId}`);
  const day = broadcastDayPeriod(log.date, log.timezone);
  const entries = (await db('log_entries as e')
    .leftJoin('tracks as t', 't.id', 'e.track_id')
    .leftJoin('make_goods as mg', 'mg.scheduled_entry_id', 'e.id')
    .where('e.log_id', logId)
    .orderBy('e.position')
    .select(
      'e.id',
      'e.position',
      'e.type',
      'e.starts_at as startsAt',
      'e.length_ms as lengthMs',
      'e.track_id as trackId',
      'e.campaign_id as campaignId',
      'e.title',
      'e.start_kind as startKind',
      'e.live_source as liveSource',
      't.artist',
      't.libretime_file_id as libretimeFileId',
      't.azuracast_media_id as azuracastMediaId',
      'mg.missed_entry_id as makeGoodOf',
    )) as {
    id: string;
    position: number;
    type: ElementType;
    startsAt: Date;
    lengthMs: number;
    trackId: string | null;
    campaignId: string | null;
    title: string;
    startKind: string | null;
    liveSource: LiveSource | null;
    artist: string | null;
    libretimeFileId: number | null;
    azuracastMediaId: string | null;
    makeGoodOf: string | null;
  }[];
  const plays = (await db('playback_history as p')
    .leftJoin('tracks as t', 't.id', 'p.track_id')
    .where('p.station_id', log.stationId)
    // Plays that may concern the day: a little either side of it.
    .whereBetween('p.started_at', [new Date(day.startsAt - 3_600_000), new Date(day.endsAt + 3_600_000)])
    .orderBy('p.started_at')
    .orderBy('p.id')
    .select('p.id', 'p.source', 'p.log_entry_id as logEntryId', 'p.track_id as trackId', 'p.started_at as startedAt', 'p.ended_at as endedAt', 'p.title', 'p.artist', 'p.media_id as mediaId', db.raw('coalesce(t.type, p.type) as type'))) as {
    id: number;
    source: AsRunPlaySource;
    logEntryId: string | null;
    trackId: string | null;
    startedAt: Date;
    endedAt: Date | null;
    title: string | null;
    artist: string | null;
    mediaId: string | null;
    type: TrackType | null;
  }[];
  return {
    log,
    day,
    entries: entries.map((e) => ({
      id: e.id,
      position: e.position,
      type: e.type,
      startsAt: e.startsAt.getTime(),
      lengthMs: e.lengthMs,
      trackId: e.trackId,
      campaignId: e.campaignId,
      title: e.title,
      artist: e.artist,
      mediaIds: [...(e.libretimeFileId !== null ? [`libretime:${e.libretimeFileId}`] : []), ...(e.azuracastMediaId ? [`azuracast:${e.azuracastMediaId}`] : [])],
      makeGoodOf: e.makeGoodOf,
      hardStart: e.startKind === 'hard',
      // A live programme is not playout's to air (docs/reconciliation.md).
      ...(e.type === 'LIVE' && { period: notDueReasonOf(e.liveSource) }),
    })),
    plays: plays.map((p) => ({
      id: historyPlayId(p.id),
      source: p.source,
      startedAt: p.startedAt.getTime(),
      endedAt: p.endedAt?.getTime() ?? null,
      entryId: p.logEntryId,
      trackId: p.trackId,
      mediaId: p.mediaId,
      type: p.type,
      title: p.title,
      artist: p.artist,
    })),
  };
}
