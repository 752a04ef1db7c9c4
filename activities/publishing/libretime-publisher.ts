// The LibreTime publisher: an approved log becomes schedule items in a show instance of
// LibreLog's own show, back to back in time order, then playout is asked to reload.
//
// What LibreTime's playout does with items decides how they are written (facts in
// ../shared/guide/integrations.md, read in LibreTime's playout/ and api/ sources): it starts every
// item at its own starts_at, so items that overlap play together; it never plays an item that
// starts at or after its instance's end; it cuts what runs past the end. So the items go back to
// back (each starts when the one before it ends), with the aired length and cue-out of an entry
// faded early for a hard start, and a log that would put anything outside the day's instance is
// refused before LibreTime is changed at all.
//
// A live show, network feed or outside programme in the log (a LIVE entry) is LibreTime's: the
// day's instance stops where it starts and a new one resumes where it ends, so LibreLog's show
// never overlaps it and a show scheduled in LibreTime for that time plays alone. A show scheduled
// in LibreTime where the log has no live element is refused before anything is written.
//
// Idempotent by construction: LibreLog keeps its instances per station and broadcast day (one per
// stretch between live programmes, recorded in libretime_instances) and, on every publish, first
// deletes every item in them — wherever the item starts — then posts the log's items; an instance
// of ours that no longer fits the log (a live programme added or moved by a rebuild) is deleted. Publishing again — a retry, a worker that died
// half-way, a re-approval after a rebuild — leaves exactly one copy. A show or instance someone
// deleted in LibreTime's calendar is made again. An instance LibreLog did not create is never
// read or changed.
import { ApplicationFailure } from '@temporalio/common';
import type { Knex } from 'knex';
import { DateTime } from 'luxon';
import { msToClock, msToInterval } from '../../domain/durations.js';
import { mediaFile } from '../../media/voice-tracks.js';
import {
  LibreTimeRejected,
  type LibreTimeApi,
  type LibreTimeConnection,
  type LibreTimeFile,
  type LibreTimeScheduleItem,
  type LibreTimeShowInstance,
} from '../../integrations/libretime/types.js';
import type { PublishableEntry, PublishableLog, PublishReceipt, Publisher } from './publisher.js';

/** Fades are never null: a null fade crashes LibreTime's playout. */
const NO_FADE = msToInterval(0);
/** position_status 1: the item is inside its instance (LibreLog writes nothing else). */
const INSIDE = 1;
/** How many files' `scheduled` flags are set at once. */
const FLAG_CONCURRENCY = 4;

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

/**
 * Refuses to publish over a show someone scheduled in LibreTime's own calendar for a time the
 * log does not leave to LibreTime (no live element there): playout would play both at once.
 * Nothing is written; the answer names the show and its time, and what to do.
 */
export async function refuseClashes(api: LibreTimeApi, showId: number, windows: readonly { startsAt: number; endsAt: number }[], timezone: string): Promise<void> {
  const last = Math.max(...windows.map((w) => w.endsAt));
  const clashes = (await api.listShowInstances({ starts_before: new Date(last).toISOString() })).filter((instance) => {
    if (instance.show === showId) return false;
    const [starts, ends] = [Date.parse(instance.starts_at), Date.parse(instance.ends_at)];
    return windows.some((w) => starts < w.endsAt && w.startsAt < ends);
  });
  if (clashes.length === 0) return;
  const names = new Map((await api.listShows()).map((show) => [show.id, show.name]));
  const at = (iso: string) => DateTime.fromISO(iso, { zone: timezone }).toFormat('HH:mm');
  const list = clashes.map((i) => `"${names.get(i.show) ?? `show ${i.show}`}" ${at(i.starts_at)}–${at(i.ends_at)} (instance ${i.id})`).join(', ');
  throw ApplicationFailure.nonRetryable(
    `LibreTime has ${list} scheduled in its own calendar, where this log plays LibreLog's show: both would play at once. Put a live element for ${clashes.length === 1 ? 'it' : 'them'} in that hour's clock (LibreLog then leaves that time to LibreTime), or move ${clashes.length === 1 ? 'it' : 'them'} in LibreTime, then rebuild. Nothing was published.`,
    'ShowClash',
  );
}

/** An entry's place in playout: when its item starts and ends (ms since the epoch). */
export interface TimedEntry {
  entry: PublishableEntry;
  startsAt: number;
  endsAt: number;
}

/** Whether an entry gives LibreTime something to play (a live-segment note or an empty slot does not). */
export function hasAudio(entry: PublishableEntry): boolean {
  return entry.lengthMs > 0 && (entry.libretimeFileId !== null || entry.trackId !== null);
}

/**
 * The entries in time order, back to back: each starts when the one before it ends, so no two
 * overlap (playout would play both at once). An entry that the log starts later than that keeps
 * its own start — a gap the log itself has (one nothing could fill) stays a gap rather than
 * pulling every later entry off its time. An entry with no audio keeps its time in the chain.
 */
export function backToBack(entries: PublishableEntry[]): TimedEntry[] {
  const sorted = [...entries].sort((a, b) => Date.parse(a.startsAt) - Date.parse(b.startsAt) || a.position - b.position);
  let cursor = -Infinity;
  return sorted.map((entry) => {
    const startsAt = Math.max(cursor, Date.parse(entry.startsAt));
    cursor = startsAt + entry.lengthMs;
    return { entry, startsAt, endsAt: cursor };
  });
}

/** A stretch of the day LibreLog leaves to LibreTime: one live programme, or several back to back. */
export interface LiveSpan {
  startsAt: number;
  endsAt: number;
  titles: string[];
}

/** The log's live programmes (LIVE entries), those back to back (or overlapping) as one span. */
export function liveSpans(entries: PublishableEntry[]): LiveSpan[] {
  const live = entries
    .filter((e) => e.type === 'LIVE' && e.lengthMs > 0)
    .map((e) => ({ startsAt: Date.parse(e.startsAt), endsAt: Date.parse(e.startsAt) + e.lengthMs, title: e.title }))
    .sort((a, b) => a.startsAt - b.startsAt);
  const spans: LiveSpan[] = [];
  for (const e of live) {
    const last = spans[spans.length - 1];
    if (last && e.startsAt <= last.endsAt) {
      last.endsAt = Math.max(last.endsAt, e.endsAt);
      if (!last.titles.includes(e.title)) last.titles.push(e.title);
    } else spans.push({ startsAt: e.startsAt, endsAt: e.endsAt, titles: [e.title] });
  }
  return spans;
}

/** What LibreLog's instances cover: the broadcast day less its live spans (each piece non-empty). */
export function instanceWindows(day: { startsAt: number; endsAt: number }, live: LiveSpan[]): { startsAt: number; endsAt: number }[] {
  const windows: { startsAt: number; endsAt: number }[] = [];
  let cursor = day.startsAt;
  for (const span of live) {
    if (span.startsAt > cursor) windows.push({ startsAt: cursor, endsAt: Math.min(span.startsAt, day.endsAt) });
    cursor = Math.max(cursor, span.endsAt);
  }
  if (cursor < day.endsAt) windows.push({ startsAt: cursor, endsAt: day.endsAt });
  return windows.filter((w) => w.endsAt > w.startsAt);
}

/**
 * Refuses (for good: retrying changes nothing) a log that would put an item outside LibreLog's
 * instances: before the day, after it, or into a live programme LibreTime keeps. LibreTime takes
 * such items, then never plays one that starts after its instance's end (the as-run calls it
 * missed), cuts one that runs past it, and plays one inside a live show over the show — so
 * nothing is written, and the message names the entry.
 */
export function refuseOutside(timed: TimedEntry[], instance: { startsAt: number; endsAt: number }, timezone: string, live: LiveSpan[] = []): void {
  const at = (ms: number) => DateTime.fromMillis(ms, { zone: timezone }).toFormat('yyyy-LL-dd HH:mm:ss');
  const name = (t: TimedEntry) => {
    const moved = t.startsAt !== Date.parse(t.entry.startsAt) ? `, pushed to ${at(t.startsAt)} by the entries before it` : '';
    return `Entry ${t.entry.position} "${t.entry.title}" (${t.entry.type}, at ${at(Date.parse(t.entry.startsAt))}${moved}, ${msToClock(t.entry.lengthMs)} long)`;
  };
  const liveWords = (span: LiveSpan) => `the live programme ${span.titles.map((title) => `"${title}"`).join(' and ')} (${at(span.startsAt).slice(11, 16)}–${at(span.endsAt).slice(11, 16)}), which LibreTime keeps for itself`;
  for (const t of timed.filter((candidate) => hasAudio(candidate.entry))) {
    const during = live.find((span) => t.startsAt < span.endsAt && span.startsAt < t.endsAt);
    if (during && t.startsAt >= instance.startsAt && t.endsAt <= instance.endsAt) {
      const where = t.startsAt >= during.startsAt ? 'would start during' : `would run ${msToClock(t.endsAt - during.startsAt)} into`;
      throw ApplicationFailure.nonRetryable(`${name(t)} ${where} ${liveWords(during)}. Nothing was published; rebuild the log.`, 'OutsideShowInstance');
    }
    if (t.startsAt < instance.startsAt) {
      throw ApplicationFailure.nonRetryable(
        `${name(t)} would start ${msToClock(instance.startsAt - t.startsAt)} before the broadcast day's LibreTime show instance begins at ${at(instance.startsAt)}; LibreLog writes nothing outside it. Rebuild the log.`,
        'OutsideShowInstance',
      );
    }
    if (t.endsAt > instance.endsAt) {
      const never = t.startsAt >= instance.endsAt ? 'LibreTime would never play it (overbooked)' : 'LibreTime would cut it short';
      throw ApplicationFailure.nonRetryable(
        `${name(t)} would end ${msToClock(t.endsAt - instance.endsAt)} after the broadcast day's LibreTime show instance ends at ${at(instance.endsAt)}: ${never}. Nothing was published; rebuild the log so the day ends on time.`,
        'OutsideShowInstance',
      );
    }
  }
}

interface DayInstance {
  id: number;
  startsAt: number;
  endsAt: number;
}

/** A LibreTime object that someone deleted while LibreLog was writing: make it again, once. */
function vanished(error: unknown): boolean {
  return error instanceof LibreTimeRejected && (error.isInvalidPk('instance') || error.isInvalidPk('show'));
}

function isNotFound(error: unknown): boolean {
  return error instanceof LibreTimeRejected && error.status === 404;
}

async function orNull<T>(read: Promise<T>): Promise<T | null> {
  try {
    return await read;
  } catch (error) {
    if (isNotFound(error)) return null;
    throw error;
  }
}

async function eachLimited<T>(items: T[], limit: number, run: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await run(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

export function createLibreTimePublisher(deps: LibreTimePublisherDeps): Publisher {
  const { db } = deps;
  const sleep = deps.sleep ?? realSleep;
  const poll = deps.importPoll ?? { intervalMs: 2_000, attempts: 90 };

  /** LibreLog's show at this LibreTime: made once, found again by name if our record was lost, made again if it was deleted. */
  async function showFor(api: LibreTimeApi, station: PublishableLog['station'], baseUrl: string): Promise<number> {
    const known = (await db('libretime_shows').where({ stationId: station.id }).first('showId', 'libretimeUrl')) as { showId: number; libretimeUrl: string } | undefined;
    if (known && known.libretimeUrl === baseUrl && (await orNull(api.getShow(known.showId)))) return known.showId;
    const name = `LibreLog — ${station.name}`;
    const show =
      (await api.listShows()).find((s) => s.name === name) ??
      (await api.createShow({ name, description: 'Daily logs published by LibreLog. LibreLog replaces the items of its own instances; do not edit them by hand.' }));
    await db('libretime_shows').insert({ stationId: station.id, libretimeUrl: baseUrl, showId: show.id }).onConflict('stationId').merge();
    return show.id;
  }

  /**
   * The day's instances: the whole broadcast day in the station's timezone (23 or 25 hours on DST
   * days), less its live programmes — one instance per stretch between them. An instance on record
   * is used while it is still there, still ours, not deleted in the calendar (modified) and covers
   * exactly its stretch; otherwise an instance of ours covering the stretch is adopted (a publish
   * that died before recording it) or a new one made. Instances of ours in the day that fit no
   * stretch (a live programme added or moved by a rebuild) are deleted with their items, so
   * LibreLog's show never overlaps a live programme. The records point at what is left.
   */
  async function instancesFor(api: LibreTimeApi, log: PublishableLog, showId: number, windows: { startsAt: number; endsAt: number }[]): Promise<{ instances: DayInstance[]; removedFiles: Set<number> }> {
    const day = DateTime.fromISO(log.date, { zone: log.station.timezone }).startOf('day');
    const [dayStarts, dayEnds] = [day.toMillis(), day.plus({ days: 1 }).toMillis()];
    const usable = (instance: LibreTimeShowInstance | null): instance is LibreTimeShowInstance => instance !== null && instance.show === showId && !instance.modified;
    const of = (instance: LibreTimeShowInstance): DayInstance => ({ id: instance.id, startsAt: Date.parse(instance.starts_at), endsAt: Date.parse(instance.ends_at) });

    const records = (await db('libretime_instances').where({ stationId: log.station.id, broadcastDate: log.date }).orderBy('createdAt', 'desc').select('instanceId', 'showId')) as {
      instanceId: number;
      showId: number;
    }[];
    const ours: DayInstance[] = [];
    for (const record of records) {
      if (record.showId !== showId) continue;
      const instance = await orNull(api.getShowInstance(record.instanceId));
      if (usable(instance)) ours.push(of(instance));
    }
    // Ours in the day that are not on record (a publish that died before recording them).
    for (const instance of await api.listShowInstances({ show: showId })) {
      const found = of(instance);
      if (usable(instance) && found.startsAt < dayEnds && found.endsAt > dayStarts && !ours.some((o) => o.id === found.id)) ours.push(found);
    }
    const kept: DayInstance[] = [];
    for (const window of windows) {
      const match = ours.find((o) => !kept.includes(o) && o.startsAt === window.startsAt && o.endsAt === window.endsAt);
      kept.push(match ?? of(await api.createShowInstance({ show: showId, starts_at: new Date(window.startsAt).toISOString(), ends_at: new Date(window.endsAt).toISOString() })));
    }
    // What fits no stretch goes, items first (their files' flags are kept in the books).
    const removedFiles = new Set<number>();
    for (const stale of ours.filter((o) => !kept.includes(o))) {
      for (const item of await itemsIn(api, stale)) {
        if (item.file !== null) removedFiles.add(item.file);
        await deleteItem(api, item.id);
      }
      await api.deleteShowInstance(stale.id);
    }
    await db.transaction(async (trx) => {
      await trx('libretime_instances').where({ stationId: log.station.id, broadcastDate: log.date }).delete();
      await trx('libretime_instances').insert(kept.map((instance) => ({ stationId: log.station.id, broadcastDate: log.date, instanceId: instance.id, showId, startsAt: new Date(instance.startsAt), endsAt: new Date(instance.endsAt) })));
    });
    return { instances: kept, removedFiles };
  }

  /**
   * Every item in the instance, wherever it starts. LibreTime cannot filter the schedule by
   * instance, so two windows cover it: items that end after the instance begins and start before
   * it ends, and items that start at or after its end (overbooked: only those are listed, not every
   * later day). The filters compare the stored times; the answers' cut times are not used.
   */
  async function itemsIn(api: LibreTimeApi, instance: DayInstance): Promise<LibreTimeScheduleItem[]> {
    const [inside, overbooked] = await Promise.all([
      api.listSchedule({ ends_after: new Date(instance.startsAt).toISOString(), starts_before: new Date(instance.endsAt).toISOString() }),
      api.listSchedule({ starts_after: new Date(instance.endsAt).toISOString(), overbooked: true }),
    ]);
    const byId = new Map([...inside, ...overbooked].filter((item) => item.instance === instance.id).map((item) => [item.id, item]));
    return [...byId.values()].sort((a, b) => a.id - b.id);
  }

  async function deleteItem(api: LibreTimeApi, id: number): Promise<void> {
    // Gone already (a retried DELETE that had landed): that is what we wanted.
    await orNull(api.deleteScheduleItem(id));
  }

  /** Uploads the audio LibreTime lacks (voice tracks recorded in LibreLog, library uploads it did not take then) and waits until it is usable. */
  async function uploadMissing(api: LibreTimeApi, log: PublishableLog): Promise<Map<string, number>> {
    const missing = [...new Set(log.entries.filter((e) => e.trackId && e.libretimeFileId === null).map((e) => e.trackId!))];
    const fileIds = new Map<string, number>();
    if (!missing.length) return fileIds;
    const tracks = (await db('tracks').whereIn('id', missing).select('id', 'title', 'filePath', 'mediaType', 'libretimeFileId')) as { id: string; title: string; filePath: string | null; mediaType: string | null; libretimeFileId: number | null }[];
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
        // The type LibreLog found in the bytes: the track's (library uploads), else the voice track's.
        mediaType: track.mediaType ?? voice?.mediaType ?? 'application/octet-stream',
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

  interface Written {
    /** Files of the items that were in the instance before (a republish). */
    removedFiles: Set<number>;
    files: Set<number>;
    filledMs: number;
    items: number;
  }

  /** Replace, never add: every item in the instance goes, then the log's items that start in it are posted. */
  async function replaceItems(api: LibreTimeApi, instance: DayInstance, timed: TimedEntry[], fileOf: (entry: PublishableEntry) => number | undefined): Promise<Written> {
    const existing = await itemsIn(api, instance);
    for (const item of existing) await deleteItem(api, item.id);

    const written: Written = { removedFiles: new Set(existing.flatMap((item) => (item.file === null ? [] : [item.file]))), files: new Set(), filledMs: 0, items: 0 };
    // Each item lies in one instance (refuseOutside saw to it): this one's start in it.
    for (const { entry, startsAt, endsAt } of timed.filter((t) => t.startsAt >= instance.startsAt && t.startsAt < instance.endsAt)) {
      const file = hasAudio(entry) ? fileOf(entry) : undefined;
      if (file === undefined) continue; // nothing to play: its time stays in the chain, silent in LibreTime
      const lengthMs = endsAt - startsAt;
      await api.createScheduleItem({
        starts_at: new Date(startsAt).toISOString(),
        ends_at: new Date(endsAt).toISOString(),
        instance: instance.id,
        file,
        length: msToInterval(lengthMs),
        cue_in: msToInterval(entry.cueInMs),
        // The aired length from the cue-in: shorter than the track for an entry faded early.
        cue_out: msToInterval(entry.cueInMs + lengthMs),
        fade_in: NO_FADE,
        fade_out: msToInterval(Math.max(0, Math.min(entry.fadeOutMs ?? 0, lengthMs))),
        position: written.items++,
        position_status: INSIDE,
        broadcasted: 0,
      });
      written.files.add(file);
      written.filledMs += lengthMs;
    }

    // A POST retried after a timeout may have landed twice: keep one item per position.
    const seen = new Set<number>();
    for (const item of await itemsIn(api, instance)) {
      if (seen.has(item.position)) await deleteItem(api, item.id);
      seen.add(item.position);
    }
    return written;
  }

  /**
   * What LibreTime's own scheduler writes after changing an instance (Scheduler.php,
   * CcShowInstances::updateScheduleStatus, StoredFile::updatePastFilesIsScheduled) and API v2 does
   * not: the instance's time_filled (the sum of its items' lengths) and last_scheduled (now), the
   * scheduled flag of every file now in it, and the flag cleared on files taken out that no item
   * ahead still uses.
   */
  async function keepBooks(api: LibreTimeApi, filled: { instance: DayInstance; filledMs: number }[], written: Written): Promise<void> {
    for (const { instance, filledMs } of filled) await api.updateShowInstance(instance.id, { filled_time: msToInterval(filledMs), last_scheduled_at: new Date().toISOString() });
    await eachLimited([...written.files], FLAG_CONCURRENCY, (file) => api.setFileScheduled(file, true));
    const takenOut = [...written.removedFiles].filter((file) => !written.files.has(file));
    if (!takenOut.length) return;
    const ahead = new Set((await api.listSchedule({ ends_after: new Date().toISOString() })).map((item) => item.file));
    await eachLimited(
      takenOut.filter((file) => !ahead.has(file)),
      FLAG_CONCURRENCY,
      (file) => api.setFileScheduled(file, false),
    );
  }

  return {
    target: 'libretime',
    async publish(log: PublishableLog): Promise<PublishReceipt> {
      const connection = await libretimeConnectionOf(db, log.station.id);
      const api = deps.libretimeFor(connection);
      const timed = backToBack(log.entries);
      // Before anything reaches LibreTime: the broadcast day less its live programmes is what the instances will cover.
      const day = DateTime.fromISO(log.date, { zone: log.station.timezone }).startOf('day');
      const dayWindow = { startsAt: day.toMillis(), endsAt: day.plus({ days: 1 }).toMillis() };
      const live = liveSpans(log.entries);
      refuseOutside(timed, dayWindow, log.station.timezone, live);
      const windows = instanceWindows(dayWindow, live);
      try {
        const uploaded = await uploadMissing(api, log);
        const fileOf = (entry: PublishableEntry) => entry.libretimeFileId ?? (entry.trackId ? uploaded.get(entry.trackId) : undefined);
        for (let attempt = 0; ; attempt++) {
          try {
            const showId = await showFor(api, log.station, connection.baseUrl);
            await refuseClashes(api, showId, windows, log.station.timezone);
            const { instances, removedFiles } = await instancesFor(api, log, showId, windows);
            const total: Written = { removedFiles, files: new Set(), filledMs: 0, items: 0 };
            const filled: { instance: DayInstance; filledMs: number }[] = [];
            for (const instance of instances) {
              const written = await replaceItems(api, instance, timed, fileOf);
              for (const file of written.removedFiles) total.removedFiles.add(file);
              for (const file of written.files) total.files.add(file);
              total.filledMs += written.filledMs;
              total.items += written.items;
              filled.push({ instance, filledMs: written.filledMs });
            }
            await keepBooks(api, filled, total);
            await api.pushSchedule();
            await db('libretime_instances')
              .where({ stationId: log.station.id })
              .whereIn(
                'instanceId',
                instances.map((instance) => instance.id),
              )
              .update({ publishedVersion: log.version });
            const where = instances.length === 1 ? `instance ${instances[0]!.id}` : `instances ${instances.map((instance) => instance.id).join(', ')} (around ${live.length} live programme${live.length === 1 ? '' : 's'})`;
            return { target: 'libretime', location: `${connection.baseUrl} show ${showId}, ${where}`, items: total.items };
          } catch (error) {
            // The show or instance was deleted in LibreTime while we wrote: the next pass finds it gone and makes it again.
            if (attempt === 0 && vanished(error)) continue;
            throw error;
          }
        }
      } catch (error) {
        throw asActivityFailure(error);
      }
    },
  };
}
