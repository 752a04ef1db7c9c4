// AzuraCast: the stream's side of the station.
// - Now playing: while a published day airs, each entry's title, artist and media id are pushed
//   to AzuraCast at the entry's start (the nowPlayingDay workflow keeps the timers).
// - Daily pull: the previous day's song history and listener sessions are copied into
//   playback_history and listener_sessions before AzuraCast's 60-day retention deletes them;
//   SoundExchange Aggregate Tuning Hours are summed from the sessions.
import { ApplicationFailure } from '@temporalio/common';
import type { Knex } from 'knex';
import { createHash } from 'node:crypto';
import { DateTime } from 'luxon';
import { aggregateTuningHours } from '../integrations/azuracast/client.js';
import { NOW_PLAYING_CHANNEL } from '../db/log-status-feed.js';
import { AzuraCastRejected, StationUnsupported, type AzuraCastApi, type AzuraCastConnection } from '../integrations/azuracast/types.js';

/** AzuraCast's played_at is the real start plus this many seconds. */
const PLAYBACK_DELAY_S = 5;

export interface NowPlayingEntry {
  entryId: string;
  /** Epoch milliseconds. */
  startsAt: number;
  title: string;
  artist: string;
  durationS: number;
  mediaId: string | null;
}

export interface AzuraCastDeps {
  db: Knex;
  azuracastFor: (connection: AzuraCastConnection) => AzuraCastApi;
}

async function connectionOf(db: Knex, stationId: string): Promise<AzuraCastConnection | undefined> {
  const s = (await db('stations').where({ id: stationId }).first('azuracastUrl', 'azuracastStationId', 'azuracastApiKey')) as
    | { azuracastUrl: string | null; azuracastStationId: number | null; azuracastApiKey: string | null }
    | undefined;
  if (!s?.azuracastUrl || !s.azuracastStationId || !s.azuracastApiKey) return undefined;
  return { baseUrl: s.azuracastUrl, stationId: s.azuracastStationId, apiKey: s.azuracastApiKey };
}

const rejected = (error: unknown) => (error instanceof AzuraCastRejected ? ApplicationFailure.nonRetryable(error.message, 'AzuraCastRejected') : error);

export function createAzuraCastActivities(deps: AzuraCastDeps) {
  const { db } = deps;
  return {
    /** The published day's entries to announce, and whether AzuraCast is there to be told too. */
    async nowPlayingEntries(input: { station: string; date: string }): Promise<{ stationId: string; azuracast: boolean; entries: NowPlayingEntry[] }> {
      const log = (await db('daily_logs')
        .join('stations', 'stations.id', 'daily_logs.station_id')
        .where('stations.slug', input.station)
        .where('daily_logs.broadcast_date', input.date)
        .first('daily_logs.id', 'daily_logs.station_id as stationId', 'daily_logs.published_version as publishedVersion')) as
        | { id: string; stationId: string; publishedVersion: number | null }
        | undefined;
      if (!log?.publishedVersion) return { stationId: log?.stationId ?? '', azuracast: false, entries: [] };
      const azuracast = (await connectionOf(db, log.stationId)) !== undefined;
      const rows = (await db('log_entries')
        .leftJoin('tracks', 'tracks.id', 'log_entries.track_id')
        .where('log_entries.log_id', log.id)
        .orderBy('log_entries.position')
        .select('log_entries.id', 'log_entries.starts_at as startsAt', 'log_entries.title', 'tracks.artist', 'log_entries.length_ms as lengthMs', 'tracks.azuracast_media_id as mediaId')) as {
        id: string;
        startsAt: Date;
        title: string;
        artist: string | null;
        lengthMs: number;
        mediaId: string | null;
      }[];
      return {
        stationId: log.stationId,
        azuracast,
        entries: rows.map((r) => ({ entryId: r.id, startsAt: r.startsAt.getTime(), title: r.title, artist: r.artist ?? '', durationS: Math.round(r.lengthMs / 1000), mediaId: r.mediaId })),
      };
    },

    /**
     * Announces what is on air on the live socket (NOTIFY now_playing) and, when `toAzuraCast`,
     * tells AzuraCast. A station AzuraCast cannot push to (not on Liquidsoap) is reported once in
     * the day's exceptions: answers 'unsupported', and the caller stops telling AzuraCast.
     */
    async pushNowPlaying(input: { stationId: string; date: string; entry: NowPlayingEntry; toAzuraCast: boolean }): Promise<'pushed' | 'unsupported' | 'announced'> {
      await db.raw('select pg_notify(?, ?)', [NOW_PLAYING_CHANNEL, JSON.stringify({ stationId: input.stationId, date: input.date, ...input.entry })]);
      const connection = input.toAzuraCast ? await connectionOf(db, input.stationId) : undefined;
      if (!connection) return 'announced';
      try {
        await deps.azuracastFor(connection).updateNowPlaying({
          title: input.entry.title,
          artist: input.entry.artist,
          duration: input.entry.durationS,
          ...(input.entry.mediaId !== null && { media_id: input.entry.mediaId }),
        });
        return 'pushed';
      } catch (error) {
        if (!(error instanceof StationUnsupported)) throw rejected(error);
        const log = (await db('daily_logs').where({ stationId: input.stationId, broadcastDate: input.date }).first('id', 'version')) as { id: string; version: number } | undefined;
        if (log) {
          await db('log_exceptions').insert({
            logId: log.id,
            logVersion: log.version,
            kind: 'reconciliation',
            severity: 'warning',
            message: `AzuraCast does not take now-playing updates for this station (${error.message}); switch it to the Liquidsoap backend or clear its AzuraCast settings. Pushes stopped for ${input.date}.`,
            details: JSON.stringify({ azuracast: 'station unsupported' }),
          });
        }
        return 'unsupported';
      }
    },

    /** Copies one broadcast day of song history and listener sessions from AzuraCast (default: yesterday). */
    async pullAzuraCastDay(input: { station: string; date?: string }): Promise<{ date: string; plays: number; sessions: number; tuningHours: number } | { skipped: string }> {
      const station = (await db('stations').where({ slug: input.station }).first('id', 'timezone')) as { id: string; timezone: string } | undefined;
      if (!station) throw ApplicationFailure.nonRetryable(`No station "${input.station}"`, 'StationNotFound');
      const connection = await connectionOf(db, station.id);
      if (!connection) return { skipped: `${input.station} has no AzuraCast settings` };
      const day = input.date ? DateTime.fromISO(input.date, { zone: station.timezone }) : DateTime.now().setZone(station.timezone).minus({ days: 1 }).startOf('day');
      const date = day.toISODate()!;
      const api = deps.azuracastFor(connection);
      try {
        // Both reports read start/end in the station's timezone; end's seconds count as :59.
        const start = `${date}T00:00:00`;
        const end = `${date}T23:59:59`;
        const [history, sessions] = await Promise.all([api.history(start, end), api.listenerSessions(start, end)]);
        const mediaTracks = new Map(
          ((await db('tracks').where({ stationId: station.id }).whereNotNull('azuracastMediaId').select('id', 'azuracastMediaId')) as { id: string; azuracastMediaId: string }[]).map((t) => [t.azuracastMediaId, t.id]),
        );
        const plays = history.map((h) => ({
          stationId: station.id,
          source: 'azuracast',
          externalId: `sh:${h.sh_id}`,
          trackId: mediaTracks.get(h.song.id) ?? null,
          startedAt: new Date((h.played_at - PLAYBACK_DELAY_S) * 1000),
          endedAt: new Date((h.played_at - PLAYBACK_DELAY_S + h.duration) * 1000),
          title: h.song.title ?? h.song.text,
          artist: h.song.artist,
          listeners: h.listeners_start,
        }));
        for (let i = 0; i < plays.length; i += 1000) {
          await db('playback_history').insert(plays.slice(i, i + 1000)).onConflict(['station_id', 'source', 'external_id']).merge(['endedAt', 'listeners', 'title', 'artist']);
        }
        const rows = sessions.map((s) => ({
          stationId: station.id,
          source: 'azuracast',
          // No id in AzuraCast: the listener, the mount and when they connected name a session.
          sessionKey: createHash('sha256').update(`${s.hash}|${s.mount_name}|${s.connected_on}`).digest('hex').slice(0, 32),
          connectedOn: new Date(s.connected_on * 1000),
          connectedUntil: new Date(s.connected_until * 1000),
          connectedSeconds: Math.round(s.connected_time),
          mountName: s.mount_name || null,
          userAgent: s.user_agent || null,
          location: JSON.stringify(s.location),
        }));
        for (let i = 0; i < rows.length; i += 1000) {
          await db('listener_sessions').insert(rows.slice(i, i + 1000)).onConflict(['station_id', 'session_key']).merge(['connectedUntil', 'connectedSeconds']);
        }
        return { date, plays: plays.length, sessions: rows.length, tuningHours: aggregateTuningHours(sessions) };
      } catch (error) {
        throw rejected(error);
      }
    },
  };
}

