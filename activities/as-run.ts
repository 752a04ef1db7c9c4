// The as-run from LibreTime, for reconciliation: what played (playout history), which of our
// schedule items aired (`broadcasted` 1 / `played`), and when a live show took over (live
// logs, state "L") — so a spot missed because a DJ went live is explained, not a mystery.
// Rows land in playback_history keyed by LibreTime's ids: importing twice changes nothing.
import type { Knex } from 'knex';
import type { LibreTimeApi, LibreTimeConnection } from '../integrations/libretime/types.js';
import { asActivityFailure, libretimeConnectionOf } from './publishing/libretime-publisher.js';

export interface LivePeriod {
  /** ISO 8601. */
  startsAt: string;
  endsAt: string;
}

export interface AsRunImport {
  source: 'libretime' | 'none';
  plays: number;
  /** Plays tied to an entry of the log through LibreLog's own schedule item. */
  linked: number;
  livePeriods: LivePeriod[];
}

/** A play counts for a schedule item when it starts this close to the item. */
const SAME_PLAY_MS = 60_000;

export function createAsRunActivities(deps: { db: Knex; libretimeFor: (connection: LibreTimeConnection) => LibreTimeApi }) {
  const { db } = deps;
  return {
    async importAsRun(input: { logId: string }): Promise<AsRunImport> {
      const log = (await db('daily_logs')
        .join('stations', 'stations.id', 'daily_logs.station_id')
        .where('daily_logs.id', input.logId)
        .first('daily_logs.station_id as stationId', 'daily_logs.broadcast_date as date', 'stations.playout_target as playoutTarget')) as {
        stationId: string;
        date: string;
        playoutTarget: string;
      };
      if (log.playoutTarget !== 'libretime') return { source: 'none', plays: 0, linked: 0, livePeriods: [] };
      const instances = (await db('libretime_instances').where({ stationId: log.stationId, broadcastDate: log.date }).select('instanceId', 'startsAt', 'endsAt')) as {
        instanceId: number;
        startsAt: Date;
        endsAt: Date;
      }[];
      if (!instances.length) return { source: 'libretime', plays: 0, linked: 0, livePeriods: [] };
      const from = Math.min(...instances.map((i) => i.startsAt.getTime()));
      const to = Math.max(...instances.map((i) => i.endsAt.getTime()));
      const api = deps.libretimeFor(await libretimeConnectionOf(db, log.stationId));
      try {
        const [history, schedule, liveLogs] = await Promise.all([
          api.listPlayoutHistory(),
          api.listSchedule({ starts_after: new Date(from - 1000).toISOString(), starts_before: new Date(to).toISOString() }),
          api.listLiveLogs(),
        ]);
        const inDay = (iso: string) => {
          const t = Date.parse(iso);
          return t >= from && t < to;
        };
        const ours = new Set(instances.map((i) => i.instanceId));
        const entries = (await db('log_entries')
          .join('tracks', 'tracks.id', 'log_entries.track_id')
          .where('log_entries.log_id', input.logId)
          .whereNotNull('tracks.libretime_file_id')
          .select('log_entries.id', 'log_entries.starts_at as startsAt', 'tracks.libretime_file_id as fileId', 'tracks.id as trackId')) as {
          id: string;
          startsAt: Date;
          fileId: number;
          trackId: string;
        }[];
        const entryAt = new Map(entries.map((e) => [`${e.fileId}@${e.startsAt.getTime()}`, e.id]));
        const trackOfFile = new Map(entries.map((e) => [e.fileId, e.trackId]));
        const fileIds = [...new Set(history.flatMap((h) => (h.file === null ? [] : [h.file])))].filter((f) => !trackOfFile.has(f));
        if (fileIds.length) {
          const more = (await db('tracks').where({ stationId: log.stationId }).whereIn('libretimeFileId', fileIds).select('id', 'libretimeFileId')) as { id: string; libretimeFileId: number }[];
          for (const t of more) trackOfFile.set(t.libretimeFileId, t.id);
        }

        // Our items that aired, by file: each play is tied to the entry its item was posted for.
        const aired = schedule.filter((item) => ours.has(item.instance) && item.file !== null && (item.broadcasted === 1 || item.played === true));
        const rows = history
          .filter((h) => inDay(h.starts))
          .map((h) => {
            const start = Date.parse(h.starts);
            const item = aired.find((i) => i.file === h.file && Math.abs(Date.parse(i.starts_at) - start) <= SAME_PLAY_MS);
            return {
              stationId: log.stationId,
              source: 'libretime',
              externalId: `history:${h.id}`,
              trackId: h.file === null ? null : (trackOfFile.get(h.file) ?? null),
              logEntryId: item ? (entryAt.get(`${item.file}@${Date.parse(item.starts_at)}`) ?? null) : null,
              startedAt: new Date(start),
              endedAt: h.ends ? new Date(h.ends) : null,
            };
          });
        // An item playout marked broadcast with no history row (history switched off) still aired.
        const covered = new Set(rows.map((r) => r.logEntryId).filter(Boolean));
        for (const item of aired) {
          const entryId = entryAt.get(`${item.file}@${Date.parse(item.starts_at)}`) ?? null;
          if (entryId && covered.has(entryId)) continue;
          rows.push({
            stationId: log.stationId,
            source: 'libretime',
            externalId: `schedule:${item.id}`,
            trackId: trackOfFile.get(item.file!) ?? null,
            logEntryId: entryId,
            startedAt: new Date(item.starts_at),
            endedAt: new Date(item.ends_at),
          });
        }
        for (let i = 0; i < rows.length; i += 1000) {
          await db('playback_history')
            .insert(rows.slice(i, i + 1000))
            .onConflict(['station_id', 'source', 'external_id'])
            .merge(['logEntryId', 'trackId', 'endedAt']);
        }
        const livePeriods = liveLogs
          .filter((l) => l.state === 'L' && Date.parse(l.start_time) < to && (l.end_time === null || Date.parse(l.end_time) > from))
          .map((l) => ({ startsAt: new Date(Math.max(Date.parse(l.start_time), from)).toISOString(), endsAt: new Date(l.end_time ? Math.min(Date.parse(l.end_time), to) : to).toISOString() }));
        return { source: 'libretime', plays: rows.length, linked: rows.filter((r) => r.logEntryId).length, livePeriods };
      } catch (error) {
        throw asActivityFailure(error);
      }
    },
  };
}
