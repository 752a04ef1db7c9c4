// Library sync from LibreTime (the spec's nightly "auto-clean and re-sync"): LibreTime's files
// and track types become LibreLog tracks. New files are added, changed metadata is updated,
// files gone from LibreTime (or hidden there) are marked removed — never deleted, so every log
// that names a track keeps it — and a file that comes back is restored.
import { heartbeat } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import type { Knex } from 'knex';
import { findStation, StationNotFoundError } from '../db/log-inputs.js';
import { EDITABLE_SYNCED_FIELDS, languageCode, LIBRETIME_SYNCED_FIELDS, sameNames, splitNames } from '../domain/track-metadata.js';
import type { TrackType } from '../domain/vocabulary.js';
import { parseLibretimeDuration } from '../integrations/libretime/client.js';
import { stationTrackTypeMapping, trackTypeFor } from '../integrations/libretime/track-types.js';
import type { LibreTimeApi, LibreTimeConnection, LibreTimeFile } from '../integrations/libretime/types.js';
import { asActivityFailure, libretimeConnectionOf } from './publishing/libretime-publisher.js';

export interface LibrarySyncResult {
  files: number;
  added: number;
  updated: number;
  unchanged: number;
  removed: number;
  /** Of the removed: how many a built log still names (kept for those logs). */
  keptInLogs: number;
  restored: number;
  /** Files not imported, by reason ("pending import", "track type SWEEP not mapped", …). */
  skipped: Record<string, number>;
  /** Tracks where LibreTime says otherwise than a person's edit in LibreLog, which was kept. */
  keptEdits: number;
  /** What the sync changed, track by track (the first CHANGES_SHOWN): field names as COMPARED has them. */
  changes: { trackId: string | null; libretimeFileId: number; title: string; change: 'added' | 'updated' | 'restored'; fields: string[] }[];
}

/** How many changed tracks a sync lists (the counts cover them all). */
const CHANGES_SHOWN = 200;

const BATCH = 1_000;
const BPM = (bpm: number | null) => (bpm !== null && bpm >= 20 && bpm <= 300 ? bpm : null);
const text = (value: string | null) => (value?.trim() ? value.trim() : null);

function lengthOf(value: string | null): number | null {
  try {
    const ms = parseLibretimeDuration(value);
    return ms === null ? null : Math.round(ms);
  } catch {
    return null;
  }
}

/** The columns of a track from a LibreTime file, or why it cannot be one. */
function trackColumns(file: LibreTimeFile, type: TrackType | undefined): { columns: TrackColumns } | { skip: string } {
  if (file.import_status !== 0) return { skip: file.import_status === 1 ? 'pending import in LibreTime' : 'failed import in LibreTime' };
  if (!type) return { skip: 'track type not mapped' };
  const lengthMs = lengthOf(file.length);
  if (!lengthMs) return { skip: 'no length' };
  const cueIn = Math.min(lengthOf(file.cue_in) ?? 0, lengthMs - 1);
  const cueOutRaw = lengthOf(file.cue_out);
  const cueOut = cueOutRaw === null || cueOutRaw > lengthMs ? lengthMs : cueOutRaw;
  return {
    columns: {
      type,
      title: text(file.track_title) ?? file.name,
      artist: text(file.artist_name),
      album: text(file.album_title),
      genre: text(file.genre),
      mood: text(file.mood),
      bpm: BPM(file.bpm),
      isrc: text(file.isrc),
      // LibreTime's composer and lyricist are the writers; its label is the record label. It
      // has no publisher field: a track's publishers are LibreLog's own and the sync leaves them.
      writers: [...new Set([...splitNames(file.composer, 'writers'), ...splitNames(file.lyricist ?? null, 'writers')])],
      label: text(file.label),
      language: languageCode(file.language ?? null),
      lengthMs,
      cueInMs: cueIn,
      cueOutMs: cueOut > cueIn ? cueOut : lengthMs,
      removed: false,
    },
  };
}

type TrackColumns = {
  type: TrackType;
  title: string;
  artist: string | null;
  album: string | null;
  genre: string | null;
  mood: string | null;
  bpm: number | null;
  isrc: string | null;
  writers: string[];
  label: string | null;
  language: string | null;
  lengthMs: number;
  cueInMs: number;
  cueOutMs: number;
  removed: boolean;
};
const COMPARED = LIBRETIME_SYNCED_FIELDS;

/** Whether the track already says what the file says: lists by their names in order, the rest as they are. */
function same(before: TrackColumns, after: TrackColumns, key: (typeof COMPARED)[number]): boolean {
  const [a, b] = [before[key], after[key]];
  return Array.isArray(a) && Array.isArray(b) ? sameNames(a, b) : a === b;
}

export function createLibrarySyncActivities(deps: { db: Knex; libretimeFor: (connection: LibreTimeConnection) => LibreTimeApi }) {
  const { db } = deps;
  return {
    async openLibrarySync(input: { station: string; workflowId: string }): Promise<{ syncId: number; stationId: string; slug: string }> {
      const station = await findStation(db, input.station).catch((error: unknown) => {
        if (error instanceof StationNotFoundError) throw ApplicationFailure.nonRetryable(`No station "${input.station}"`, 'StationNotFound');
        throw error;
      });
      await libretimeConnectionOf(db, station.id);
      const [row] = (await db('library_syncs').insert({ stationId: station.id, workflowId: input.workflowId }).returning('id')) as { id: number }[];
      return { syncId: row!.id, stationId: station.id, slug: station.slug };
    },

    async importLibreTimeLibrary(input: { syncId: number; stationId: string }): Promise<LibrarySyncResult> {
      const api = deps.libretimeFor(await libretimeConnectionOf(db, input.stationId));
      try {
        const settings = ((await db('stations').where({ id: input.stationId }).first('settings')) as { settings: unknown }).settings;
        const mapping = stationTrackTypeMapping(settings);
        const [libraries, files] = await Promise.all([api.listLibraries(), api.listFiles()]);
        heartbeat('fetched');
        const codes = new Map(libraries.map((l) => [l.id, l.code]));

        const existing = (await db('tracks')
          .where({ stationId: input.stationId })
          .whereNotNull('libretimeFileId')
          .select('id', 'libretimeFileId', 'editedInLibrelog', ...COMPARED)) as (TrackColumns & { id: string; libretimeFileId: number; editedInLibrelog: string[] })[];
        const byFile = new Map(existing.map((t) => [t.libretimeFileId, t]));

        const result: LibrarySyncResult = { files: files.length, added: 0, updated: 0, unchanged: 0, removed: 0, keptInLogs: 0, restored: 0, skipped: {}, keptEdits: 0, changes: [] };
        const upserts: (TrackColumns & { stationId: string; libretimeFileId: number })[] = [];
        const present = new Set<number>();
        for (const file of files) {
          if (file.hidden) continue; // hidden in LibreTime: treated as gone
          const code = file.library === null ? null : (codes.get(file.library) ?? null);
          const made = trackColumns(file, trackTypeFor(code, mapping));
          if ('skip' in made) {
            const reason = made.skip === 'track type not mapped' ? `track type ${code} not mapped` : made.skip;
            result.skipped[reason] = (result.skipped[reason] ?? 0) + 1;
            // A file we had that is now unusable stays as it was rather than disappearing.
            if (byFile.has(file.id)) present.add(file.id);
            continue;
          }
          present.add(file.id);
          const before = byFile.get(file.id);
          const columns = made.columns;
          if (before) {
            // What a person changed in LibreLog stays as LibreLog has it.
            let kept = false;
            for (const field of before.editedInLibrelog) {
              if (!EDITABLE_SYNCED_FIELDS.has(field)) continue;
              const key = field as (typeof COMPARED)[number];
              if (!same(before, columns, key)) kept = true;
              (columns as Record<string, unknown>)[key] = before[key];
            }
            if (kept) result.keptEdits++;
          }
          const changed = before ? COMPARED.filter((key) => !same(before, columns, key)) : [];
          let change: 'added' | 'updated' | 'restored';
          if (!before) change = 'added';
          else if (changed.length === 0) {
            result.unchanged++;
            continue;
          } else change = before.removed && !columns.removed ? 'restored' : 'updated';
          result[change]++;
          if (result.changes.length < CHANGES_SHOWN) result.changes.push({ trackId: before?.id ?? null, libretimeFileId: file.id, title: columns.title, change, fields: changed });
          upserts.push({ ...columns, stationId: input.stationId, libretimeFileId: file.id });
        }

        for (let i = 0; i < upserts.length; i += BATCH) {
          await db('tracks')
            .insert(upserts.slice(i, i + BATCH))
            .onConflict(['station_id', 'libretime_file_id'])
            .merge([...COMPARED, 'updatedAt']);
          heartbeat(`saved ${Math.min(i + BATCH, upserts.length)} of ${upserts.length}`);
        }

        const gone = existing.filter((t) => !t.removed && !present.has(t.libretimeFileId)).map((t) => t.id);
        for (let i = 0; i < gone.length; i += BATCH) {
          const ids = gone.slice(i, i + BATCH);
          await db('tracks').whereIn('id', ids).update({ removed: true, removedAt: db.fn.now(), updatedAt: db.fn.now() });
          const inLogs = (await db('log_entries').whereIn('trackId', ids).countDistinct({ n: 'trackId' }).first()) as { n: number | string };
          result.keptInLogs += Number(inLogs.n);
        }
        result.removed = gone.length;
        return result;
      } catch (error) {
        throw asActivityFailure(error);
      }
    },

    async finishLibrarySync(input: { syncId: number; result?: LibrarySyncResult; failure?: string }): Promise<void> {
      const r = input.result;
      await db('library_syncs')
        .where({ id: input.syncId })
        .update({
          finishedAt: db.fn.now(),
          ...(r && { files: r.files, added: r.added, updated: r.updated + r.restored, removed: r.removed, keptInLogs: r.keptInLogs, skipped: Object.values(r.skipped).reduce((a, b) => a + b, 0), details: JSON.stringify(r) }),
          failure: input.failure ?? null,
        });
    },
  };
}
