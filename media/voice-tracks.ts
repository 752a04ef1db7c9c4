// Voice tracks: a recorded link for one slot of one day. The audio is stored under the data
// folder (media/<station id>/voice/<voice track id>.<ext>), the library gets a VT track for it
// and voice_tracks ties it to the slot, where voice priority puts it over the clock's content.
// The API's upload and the LibreTalk socket both come through here.
import type { Knex } from 'knex';
import { randomUUID } from 'node:crypto';
import { mkdir, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import type { AudioFacts } from './audio.js';
import { clocksOfDay } from './voice-slots.js';

export interface VoiceSlot {
  date: string;
  /** Local hour of the day, 0–23. */
  hour: number;
  clockElementId: string;
  /** Which of the element's `count` slots (0 for the first). */
  slotIndex: number;
}

export interface VoiceAudio {
  /** Where the upload was written (a temporary file; it is moved, not copied). */
  tempPath: string;
  originalFilename: string | null;
  bytes: number;
  facts: AudioFacts;
}

export interface VoiceTrackRecord extends VoiceSlot {
  id: string;
  trackId: string;
  title: string;
  lengthMs: number;
  mediaType: string | null;
  fileBytes: number | null;
  originalFilename: string | null;
  recordedBy: string | null;
  createdAt: string;
  updatedAt: string;
}

/** Where a stored file is: tracks.file_path is relative to the data folder. */
export const mediaFile = (dataDir: string, relativePath: string) => path.join(dataDir, relativePath);

const voiceFilePath = (stationId: string, voiceTrackId: string, extension: string) =>
  path.posix.join('media', stationId, 'voice', `${voiceTrackId}.${extension}`);

/**
 * What is wrong with a slot at this station, as field problems: the clock that plays that hour
 * of that day (date override first, then the weekly grid) must have the element, and the
 * element must have that many slots.
 */
export async function slotProblems(db: Knex, station: { id: string; timezone: string }, slot: VoiceSlot, at = 'body'): Promise<{ path: string; message: string }[]> {
  const clockId = (await clocksOfDay(db, station, slot.date)).get(slot.hour);
  const hour = `${String(slot.hour).padStart(2, '0')}:00`;
  if (!clockId) return [{ path: `${at}.hour`, message: `no clock plays ${hour} on ${slot.date}` }];
  const element = (await db('clock_elements')
    .join('clocks', 'clocks.id', 'clock_elements.clock_id')
    .where({ 'clock_elements.id': slot.clockElementId })
    .first('clock_elements.clock_id as clockId', 'clock_elements.count', 'clocks.name')) as { clockId: string; count: number; name: string } | undefined;
  if (!element || element.clockId !== clockId) {
    const clock = (await db('clocks').where({ id: clockId }).first('name')) as { name: string };
    return [{ path: `${at}.clockElementId`, message: `not an element of "${clock.name}", the clock of ${hour} on ${slot.date}` }];
  }
  if (slot.slotIndex >= element.count) {
    return [{ path: `${at}.slotIndex`, message: `the element has ${element.count} slot${element.count === 1 ? '' : 's'} (0–${element.count - 1})` }];
  }
  return [];
}

function voiceTrackQuery(db: Knex): Knex.QueryBuilder {
  return db('voice_tracks')
    .join('tracks', 'tracks.id', 'voice_tracks.track_id')
    .select(
      'voice_tracks.id',
      'voice_tracks.broadcast_date as date',
      'voice_tracks.hour',
      'voice_tracks.clock_element_id',
      'voice_tracks.slot_index',
      'voice_tracks.track_id',
      'tracks.title',
      'voice_tracks.length_ms',
      'voice_tracks.media_type',
      'voice_tracks.file_bytes',
      'voice_tracks.original_filename',
      'voice_tracks.recorded_by',
      'voice_tracks.created_at',
      'voice_tracks.updated_at',
    );
}

type VoiceTrackRow = Omit<VoiceTrackRecord, 'createdAt' | 'updatedAt'> & { createdAt: Date; updatedAt: Date };
const record = (row: VoiceTrackRow): VoiceTrackRecord => ({ ...row, createdAt: row.createdAt.toISOString(), updatedAt: row.updatedAt.toISOString() });

export async function listVoiceTracks(db: Knex, stationId: string, date: string): Promise<VoiceTrackRecord[]> {
  const rows = (await voiceTrackQuery(db).where({ 'voice_tracks.station_id': stationId, 'voice_tracks.broadcast_date': date }).orderBy(['voice_tracks.hour', 'voice_tracks.slot_index'])) as VoiceTrackRow[];
  return rows.map(record);
}

export async function findVoiceTrack(db: Knex, stationId: string, id: string): Promise<(VoiceTrackRecord & { filePath: string | null }) | undefined> {
  const row = (await voiceTrackQuery(db).where({ 'voice_tracks.station_id': stationId, 'voice_tracks.id': id }).first('tracks.file_path')) as (VoiceTrackRow & { filePath: string | null }) | undefined;
  return row && { ...record(row), filePath: row.filePath };
}

const withoutFile = <T extends { filePath: string | null }>({ filePath: _filePath, ...rest }: T) => rest;

/** The voice track already in a slot, if any. */
export async function voiceTrackInSlot(db: Knex, stationId: string, slot: VoiceSlot): Promise<string | undefined> {
  const row = (await db('voice_tracks')
    .where({ stationId, broadcastDate: slot.date, hour: slot.hour, clockElementId: slot.clockElementId, slotIndex: slot.slotIndex })
    .first('id')) as { id: string } | undefined;
  return row?.id;
}

/** Moves the upload into the media folder; the database is written only once the file is in place. */
async function keepFile(dataDir: string, relativePath: string, audio: VoiceAudio): Promise<void> {
  const target = mediaFile(dataDir, relativePath);
  await mkdir(path.dirname(target), { recursive: true });
  await rename(audio.tempPath, target);
}

/** Stores a new voice track for a slot. The caller has checked the slot and that it is free. */
export async function storeVoiceTrack(
  db: Knex,
  dataDir: string,
  input: { stationId: string; slot: VoiceSlot; title: string | null; audio: VoiceAudio; recordedBy: string | null; recordedByName: string | null },
): Promise<VoiceTrackRecord> {
  const id = randomUUID();
  const relativePath = voiceFilePath(input.stationId, id, input.audio.facts.extension);
  await keepFile(dataDir, relativePath, input.audio);
  const hour = `${String(input.slot.hour).padStart(2, '0')}:00`;
  try {
    await db.transaction(async (trx) => {
      const [track] = (await trx('tracks')
        .insert({
          stationId: input.stationId,
          type: 'VT',
          title: input.title ?? input.audio.facts.title ?? `Voice track ${input.slot.date} ${hour}`,
          artist: input.audio.facts.artist ?? input.recordedByName,
          lengthMs: input.audio.facts.lengthMs,
          filePath: relativePath,
        })
        .returning('id')) as { id: string }[];
      await trx('voice_tracks').insert({
        id,
        stationId: input.stationId,
        broadcastDate: input.slot.date,
        hour: input.slot.hour,
        clockElementId: input.slot.clockElementId,
        slotIndex: input.slot.slotIndex,
        trackId: track!.id,
        lengthMs: input.audio.facts.lengthMs,
        recordedBy: input.recordedBy,
        mediaType: input.audio.facts.mediaType,
        fileBytes: input.audio.bytes,
        originalFilename: input.audio.originalFilename,
      });
    });
  } catch (error) {
    await rm(mediaFile(dataDir, relativePath), { force: true });
    throw error;
  }
  return withoutFile((await findVoiceTrack(db, input.stationId, id))!);
}

/** New audio for an existing voice track: same slot, new length; the old file goes once the new one is in. */
export async function replaceVoiceAudio(
  db: Knex,
  dataDir: string,
  input: { stationId: string; id: string; title: string | null; audio: VoiceAudio; recordedBy: string | null },
): Promise<VoiceTrackRecord | undefined> {
  const before = await findVoiceTrack(db, input.stationId, input.id);
  if (!before) return undefined;
  // A new file name per upload: a playout system caching the old file never gets a mix of both.
  const relativePath = voiceFilePath(input.stationId, `${input.id}-${Date.now()}`, input.audio.facts.extension);
  await keepFile(dataDir, relativePath, input.audio);
  await db.transaction(async (trx) => {
    await trx('tracks')
      .where({ id: before.trackId })
      .update({
        ...(input.title !== null || input.audio.facts.title !== null ? { title: input.title ?? input.audio.facts.title } : {}),
        lengthMs: input.audio.facts.lengthMs,
        cueInMs: 0,
        cueOutMs: null,
        filePath: relativePath,
        // LibreTime has the old audio: publishing uploads this one.
        libretimeFileId: null,
        updatedAt: trx.fn.now(),
      });
    await trx('voice_tracks').where({ id: input.id }).update({
      lengthMs: input.audio.facts.lengthMs,
      mediaType: input.audio.facts.mediaType,
      fileBytes: input.audio.bytes,
      originalFilename: input.audio.originalFilename,
      recordedBy: input.recordedBy,
      updatedAt: trx.fn.now(),
    });
  });
  if (before.filePath && before.filePath !== relativePath) await rm(mediaFile(dataDir, before.filePath), { force: true });
  return withoutFile((await findVoiceTrack(db, input.stationId, input.id))!);
}

/**
 * Takes a voice track off its slot. Its track leaves the library unless a built log names it
 * (a published log may still play it): then it is only marked removed, and its audio stays.
 */
export async function removeVoiceTrack(db: Knex, dataDir: string, stationId: string, id: string): Promise<VoiceTrackRecord | undefined> {
  const before = await findVoiceTrack(db, stationId, id);
  if (!before) return undefined;
  const kept = await db.transaction(async (trx) => {
    await trx('voice_tracks').where({ id }).delete();
    const inLogs = (await trx('log_entries').where({ trackId: before.trackId }).first('id')) as { id: string } | undefined;
    if (inLogs) {
      await trx('tracks').where({ id: before.trackId }).update({ removed: true, removedAt: trx.fn.now(), updatedAt: trx.fn.now() });
      return true;
    }
    await trx('tracks').where({ id: before.trackId }).delete();
    return false;
  });
  if (!kept && before.filePath) await rm(mediaFile(dataDir, before.filePath), { force: true });
  return withoutFile(before);
}
