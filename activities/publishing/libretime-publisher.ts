// The LibreTime publisher: an approved log becomes schedule items in a show instance of
// LibreLog's own show, back to back, then playout is asked to reload.
//
// Idempotent by construction: LibreLog creates one instance per station and broadcast day
// (recorded in libretime_instances) and, on every publish, first deletes whatever items are in
// its own instances for that day, then posts the log's items. Publishing again — a retry, a
// worker that died half-way, a re-approval after a rebuild — leaves exactly one copy. An
// instance LibreLog did not create is never read or changed.
import { ApplicationFailure } from '@temporalio/common';
import type { Knex } from 'knex';
import { DateTime } from 'luxon';
import { msToInterval } from '../../domain/durations.js';
import { mediaFile } from '../../media/voice-tracks.js';
import { LibreTimeRejected, type LibreTimeApi, type LibreTimeConnection, type LibreTimeFile } from '../../integrations/libretime/types.js';
import type { PublishableLog, PublishReceipt, Publisher } from './publisher.js';

/** Fades are never null: a null fade crashes LibreTime's playout. */
const NO_FADE = '00:00:00.000000';
/** position_status 1: the item is inside its instance. */
const INSIDE = 1;

export interface LibreTimePublisherDeps {
  db: Knex;
  dataDir: string;
  libretimeFor: (connection: LibreTimeConnection) => LibreTimeApi;
  /** How long to wait between polls of an upload's import_status, and how often. */
  importPoll?: { intervalMs: number; attempts: number };
  sleep?: (ms: number) => Promise<void>;
}

const realSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** The station's LibreTime, or a failure that says what to set (no retry helps). */
export async function libretimeConnectionOf(db: Knex, stationId: string): Promise<LibreTimeConnection> {
  const station = (await db('stations').where({ id: stationId }).first('slug', 'libretimeUrl', 'libretimeApiKey')) as
    | { slug: string; libretimeUrl: string | null; libretimeApiKey: string | null }
    | undefined;
  if (!station?.libretimeUrl || !station.libretimeApiKey) {
    throw ApplicationFailure.nonRetryable(`Station ${station?.slug ?? stationId} has no LibreTime URL and API key; set them in the station's settings`, 'PlayoutNotConfigured');
  }
  return { baseUrl: station.libretimeUrl, apiKey: station.libretimeApiKey };
}

/** LibreTime refusing a request is not going to change on retry: fail the step with its words. */
export function asActivityFailure(error: unknown): unknown {
  if (error instanceof LibreTimeRejected) return ApplicationFailure.nonRetryable(error.message, 'LibreTimeRejected');
  return error;
}

export function createLibreTimePublisher(deps: LibreTimePublisherDeps): Publisher {
  const { db } = deps;
  const sleep = deps.sleep ?? realSleep;
  const poll = deps.importPoll ?? { intervalMs: 2_000, attempts: 90 };

  /** LibreLog's show at this LibreTime: made once, found again by name if our record was lost. */
  async function showFor(api: LibreTimeApi, station: PublishableLog['station'], baseUrl: string): Promise<number> {
    const known = (await db('libretime_shows').where({ stationId: station.id }).first('showId', 'libretimeUrl')) as { showId: number; libretimeUrl: string } | undefined;
    if (known && known.libretimeUrl === baseUrl) return known.showId;
    const name = `LibreLog — ${station.name}`;
    const show = (await api.listShows()).find((s) => s.name === name) ?? (await api.createShow({ name, description: 'Daily logs published by LibreLog. LibreLog replaces the items of its own instances; do not edit them by hand.' }));
    await db('libretime_shows').insert({ stationId: station.id, libretimeUrl: baseUrl, showId: show.id }).onConflict('stationId').merge();
    return show.id;
  }

  /** The day's instance: the whole broadcast day in the station's timezone (23 or 25 hours on DST days). */
  async function instanceFor(api: LibreTimeApi, log: PublishableLog, showId: number): Promise<{ id: number; startsAt: Date; endsAt: Date }> {
    const day = DateTime.fromISO(log.date, { zone: log.station.timezone }).startOf('day');
    const startsAt = day.toJSDate();
    const endsAt = day.plus({ days: 1 }).toJSDate();
    const known = (await db('libretime_instances').where({ stationId: log.station.id, broadcastDate: log.date, showId }).first('instanceId')) as { instanceId: number } | undefined;
    if (known) return { id: known.instanceId, startsAt, endsAt };
    const instance = await api.createShowInstance({ show: showId, starts_at: startsAt.toISOString(), ends_at: endsAt.toISOString() });
    await db('libretime_instances').insert({ stationId: log.station.id, broadcastDate: log.date, instanceId: instance.id, showId, startsAt, endsAt });
    return { id: instance.id, startsAt, endsAt };
  }

  /** Uploads the audio LibreTime lacks (voice tracks recorded in LibreLog) and waits until it is usable. */
  async function uploadMissing(api: LibreTimeApi, log: PublishableLog): Promise<Map<string, number>> {
    const missing = [...new Set(log.entries.filter((e) => e.trackId && e.libretimeFileId === null).map((e) => e.trackId!))];
    const fileIds = new Map<string, number>();
    if (!missing.length) return fileIds;
    const tracks = (await db('tracks').whereIn('id', missing).select('id', 'title', 'filePath', 'libretimeFileId')) as { id: string; title: string; filePath: string | null; libretimeFileId: number | null }[];
    const withoutAudio = tracks.filter((t) => t.libretimeFileId === null && !t.filePath);
    if (withoutAudio.length) {
      const names = withoutAudio.slice(0, 5).map((t) => `"${t.title}"`).join(', ');
      throw ApplicationFailure.nonRetryable(
        `${withoutAudio.length} track(s) of this log are not in LibreTime and LibreLog has no audio for them (${names}${withoutAudio.length > 5 ? ', …' : ''}); sync the library from LibreTime or upload them`,
        'TracksNotInPlayout',
      );
    }
    for (const track of tracks) {
      if (track.libretimeFileId !== null) {
        fileIds.set(track.id, track.libretimeFileId);
        continue;
      }
      const voice = (await db('voice_tracks').where({ trackId: track.id }).first('mediaType', 'originalFilename')) as { mediaType: string | null; originalFilename: string | null } | undefined;
      const extension = track.filePath!.split('.').pop();
      let file: LibreTimeFile = await api.uploadMedia({
        path: mediaFile(deps.dataDir, track.filePath!),
        filename: `${track.title.replace(/[^\w .-]+/g, '_')}.${extension}`,
        mediaType: voice?.mediaType ?? 'application/octet-stream',
      });
      // Remember the file at once: a retry after a crash does not upload it twice.
      await db('tracks').where({ id: track.id }).update({ libretimeFileId: file.id, updatedAt: db.fn.now() });
      for (let attempt = 0; file.import_status !== 0; attempt++) {
        if (file.import_status === 2) {
          await db('tracks').where({ id: track.id }).update({ libretimeFileId: null });
          throw ApplicationFailure.nonRetryable(`LibreTime could not import the audio of "${track.title}" (import_status 2)`, 'LibreTimeImportFailed');
        }
        // Still analysing: a retry of the whole step finds the file id and polls again.
        if (attempt >= poll.attempts) throw new Error(`LibreTime is still importing "${track.title}" (file ${file.id})`);
        await sleep(poll.intervalMs);
        file = await api.getFile(file.id);
      }
      fileIds.set(track.id, file.id);
    }
    return fileIds;
  }

  return {
    target: 'libretime',
    async publish(log: PublishableLog): Promise<PublishReceipt> {
      const connection = await libretimeConnectionOf(db, log.station.id);
      const api = deps.libretimeFor(connection);
      try {
        const uploaded = await uploadMissing(api, log);
        const showId = await showFor(api, log.station, connection.baseUrl);
        const instance = await instanceFor(api, log, showId);

        // Replace, never add: first remove what is in our instance (a half-finished earlier
        // publish included), then post the log.
        const existing = await api.listSchedule({ starts_after: new Date(instance.startsAt.getTime() - 1000).toISOString(), starts_before: instance.endsAt.toISOString() });
        for (const item of existing.filter((i) => i.instance === instance.id)) await api.deleteScheduleItem(item.id);

        const entries = [...log.entries].sort((a, b) => a.position - b.position);
        let position = 0;
        for (const entry of entries) {
          const file = entry.libretimeFileId ?? (entry.trackId ? uploaded.get(entry.trackId) : undefined);
          if (file === undefined) continue; // an entry with no track (a live segment note) has nothing to play
          const starts = Date.parse(entry.startsAt);
          await api.createScheduleItem({
            starts_at: new Date(starts).toISOString(),
            ends_at: new Date(starts + entry.lengthMs).toISOString(),
            instance: instance.id,
            file,
            length: msToInterval(entry.lengthMs),
            cue_in: msToInterval(entry.cueInMs),
            cue_out: msToInterval(entry.cueOutMs),
            fade_in: NO_FADE,
            fade_out: NO_FADE,
            position: position++,
            position_status: INSIDE,
            broadcasted: 0,
          });
        }
        // A POST retried after a timeout may have landed twice: keep one item per position.
        const posted = await api.listSchedule({ starts_after: new Date(instance.startsAt.getTime() - 1000).toISOString(), starts_before: instance.endsAt.toISOString() });
        const seen = new Set<number>();
        for (const item of posted.filter((i) => i.instance === instance.id).sort((a, b) => a.id - b.id)) {
          if (seen.has(item.position)) await api.deleteScheduleItem(item.id);
          seen.add(item.position);
        }
        await api.pushSchedule();
        await db('libretime_instances').where({ stationId: log.station.id, instanceId: instance.id }).update({ publishedVersion: log.version });
        return { target: 'libretime', location: `${connection.baseUrl} show ${showId}, instance ${instance.id}`, items: position };
      } catch (error) {
        throw asActivityFailure(error);
      }
    },
  };
}
