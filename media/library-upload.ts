// Tracks added to the library by uploading their audio: each file is judged by its bytes
// (media/audio.ts), measured (media/analysis.ts), kept under the data folder
// (library/<station id>/<track id>.<ext>, as voice tracks keep theirs under media/) and made a
// track with its tags, measured length, cues, loudness and peak (and, for music, intro and outro). One file's refusal never stops
// the others.
import type { Knex } from 'knex';
import { createHash, randomUUID } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { checkIsrc } from '../domain/track-metadata.js';
import type { TrackType } from '../domain/vocabulary.js';
import { analyseAudio, type AudioAnalysis } from './analysis.js';
import { ACCEPTED_UPLOAD_TYPES, inspectAudio, NotAudio, type AudioFacts } from './audio.js';
import { mediaFile } from './voice-tracks.js';

export interface UploadedAudio {
  /** Where the upload was written (a temporary file; moved when kept). */
  tempPath: string;
  filename: string;
  /** The type the sender declared; the bytes decide. */
  declaredType: string;
}

export type LibraryUploadOutcome =
  | { kept: true; trackId: string; filePath: string; facts: AudioFacts; analysis: AudioAnalysis; problems: string[] }
  | { kept: false; problems: string[] };

export const libraryFilePath = (stationId: string, trackId: string, extension: string) => path.posix.join('library', stationId, `${trackId}.${extension}`);

async function sha256Of(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/** The title a file without a title tag gets: its name without the extension. */
export function titleFromFilename(filename: string): string {
  const base = path.basename(filename.replace(/\\/g, '/'));
  const title = base.replace(/\.[A-Za-z0-9]{1,5}$/, '').trim();
  return title || base || 'Untitled';
}

/** Keeps one uploaded file as a new track of the station, or says why not. */
export async function addUploadedTrack(db: Knex, dataDir: string, input: { stationId: string; type: TrackType; file: UploadedAudio }): Promise<LibraryUploadOutcome> {
  const { file } = input;
  if (!ACCEPTED_UPLOAD_TYPES.test(file.declaredType)) return { kept: false, problems: [`not audio: the file was sent as ${file.declaredType}`] };
  let facts: AudioFacts;
  try {
    facts = await inspectAudio(file.tempPath);
  } catch (error) {
    if (error instanceof NotAudio) return { kept: false, problems: [`not audio: ${error.message}`] };
    throw error;
  }
  const sha256 = await sha256Of(file.tempPath);
  const same = (await db('tracks').where({ stationId: input.stationId, fileSha256: sha256 }).first('id', 'title')) as { id: string; title: string } | undefined;
  if (same) return { kept: false, problems: [`the same audio is already in the library as "${same.title}" (track ${same.id})`] };

  // Intro and outro are measured for music only: a spot, a liner or a voice track is talk-over
  // throughout or none of it, and its level says nothing of where a vocal begins.
  const analysis = await analyseAudio(file.tempPath, facts, { introOutro: input.type === 'MUS' });
  const problems = [...analysis.problems];
  let isrc = facts.isrc;
  if (isrc && !checkIsrc(isrc).ok) {
    problems.push(`the ISRC tag "${isrc}" is not an ISRC: left out`);
    isrc = null;
  }
  const trackId = randomUUID();
  const filePath = libraryFilePath(input.stationId, trackId, facts.extension);
  const target = mediaFile(dataDir, filePath);
  await mkdir(path.dirname(target), { recursive: true });
  await rename(file.tempPath, target);
  try {
    await db('tracks').insert({
      id: trackId,
      stationId: input.stationId,
      type: input.type,
      title: facts.title ?? titleFromFilename(file.filename),
      artist: facts.artist,
      album: facts.album,
      isrc,
      label: facts.label,
      genre: facts.genre,
      bpm: facts.bpm !== null && facts.bpm >= 20 && facts.bpm <= 300 ? facts.bpm : null,
      lengthMs: analysis.lengthMs,
      cueInMs: analysis.cueInMs,
      cueOutMs: analysis.cueOutMs,
      introMs: analysis.introMs,
      outroMs: analysis.outroMs,
      loudnessLufs: analysis.loudnessLufs,
      peakDbfs: analysis.peakDbfs,
      fileSha256: sha256,
      mediaType: facts.mediaType,
      filePath,
    });
  } catch (error) {
    await rm(target, { force: true });
    // The same audio arrived twice at once: the second is told like any duplicate.
    if ((error as { code?: string }).code === '23505') return { kept: false, problems: ['the same audio was added to the library while this file was uploading'] };
    throw error;
  }
  return { kept: true, trackId, filePath, facts, analysis, problems };
}
