// A track's cues, intro and outro (issue 15, item 3): music uploaded to LibreLog comes with its
// intro and outro measured; programming can change all four through PATCH …/tracks/{id}, which
// refuses, naming the field, what would make the track impossible to play as said; the log
// builder plays the track for cue-out − cue-in; and a track from LibreTime gets LibreTime's cues
// back from the nightly sync while its intro and outro stay as set here.
import { MockActivityEnvironment } from '@temporalio/testing';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLibrarySyncActivities, type LibrarySyncResult } from '../../activities/library-sync.js';
import { createApp } from '../../api/app.js';
import { importStationBundle } from '../../db/bundle-import.js';
import { createLogInputsLoader } from '../../db/log-inputs.js';
import { createLibreTimeClient } from '../../integrations/libretime/client.js';
import { startFakeLibreTime, type FakeLibreTime } from '../fakes/libretime.js';
import { wavOf } from '../fixtures/audio.js';
import { smallStationBundle } from '../fixtures/bundles.js';
import { useTestDatabase } from '../support/db.js';
import { makePerson } from '../support/people.js';

const SECRET = 'track-cues-secret';
const db = useTestDatabase();
let dataDir: string;
let libretime: FakeLibreTime;
beforeAll(async () => {
  dataDir = await mkdtemp(path.join(os.tmpdir(), 'librelog-cues-'));
  libretime = await startFakeLibreTime();
});
afterAll(async () => {
  await libretime?.close();
  await rm(dataDir, { recursive: true, force: true });
});

const app = () => createApp({ db, temporal: { namespace: 'default', check: () => Promise.resolve() }, jwtSecret: SECRET, dataDir, validateResponses: true, log: (e) => console.error(e) });
const T = '/api/v1/stations/kqtr/tracks';

interface Track {
  id: string;
  title: string;
  type: string;
  lengthMs: number;
  cueInMs: number;
  cueOutMs: number | null;
  introMs: number | null;
  outroMs: number | null;
  libretimeFileId: number | null;
}
interface Problem {
  status: number;
  detail: string;
  errors: { path: string; message: string }[];
}

/** A song drawn as levels (dBFS, linear in dB between a segment's ends): a 440 Hz + 1.1 kHz tone. */
function song(segments: { ms: number; fromDb: number; toDb?: number }[], rate = 22_050): Buffer {
  const total = segments.reduce((sum, s) => sum + Math.round((s.ms * rate) / 1000), 0);
  const samples = new Float32Array(total);
  let i = 0;
  for (const s of segments) {
    const n = Math.round((s.ms * rate) / 1000);
    for (let k = 0; k < n; k++, i++) {
      const db = s.fromDb + ((s.toDb ?? s.fromDb) - s.fromDb) * (k / n);
      samples[i] = (Number.isFinite(db) ? 10 ** (db / 20) : 0) * 0.5 * (Math.sin((2 * Math.PI * 440 * i) / rate) + Math.sin((2 * Math.PI * 1100 * i) / rate));
    }
  }
  return wavOf([samples], rate);
}
/** 1 s silence, a 6 s fade-in from −40 dBFS, 20 s of song, a 5 s fade-out, 1 s silence: 33 s. */
const fadedSong = () => song([{ ms: 1000, fromDb: -Infinity }, { ms: 6000, fromDb: -40, toDb: -12 }, { ms: 20_000, fromDb: -12 }, { ms: 5000, fromDb: -12, toDb: -40 }, { ms: 1000, fromDb: -Infinity }]);

async function setUp() {
  await importStationBundle(db, smallStationBundle());
  await db('stations').where({ slug: 'kqtr' }).update({ playoutTarget: 'file' });
  return { programming: (await makePerson(db, SECRET, 'programming')).authorization, viewer: (await makePerson(db, SECRET, 'viewer')).authorization };
}

async function upload(auth: string, type: string, file: Buffer, filename: string): Promise<Track> {
  const res = await request(app()).post(`${T}/upload`).set('Authorization', auth).field('type', type).attach('files', file, { filename, contentType: 'audio/wav' });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return (res.body as { files: { track: Track }[] }).files[0]!.track;
}

describe('intro and outro measured at upload', () => {
  it('music gets its intro (to full level) and outro (from leaving it) measured; a promo of the same audio does not', async () => {
    const { programming } = await setUp();
    const music = await upload(programming, 'MUS', fadedSong(), 'faded.wav');
    expect(music.lengthMs).toBe(33_000);
    // Full level is reached at 7 s (from the file's start; called a little before, in the fade's last 6 LU) and left at 27 s (called a little after, in the fade-out's first 6 LU).
    expect(music.cueInMs + music.introMs!).toBeGreaterThan(5000);
    expect(music.cueInMs + music.introMs!).toBeLessThanOrEqual(7000);
    expect(music.cueOutMs! - music.outroMs!).toBeGreaterThanOrEqual(27_000);
    expect(music.cueOutMs! - music.outroMs!).toBeLessThan(29_000);
    // Stored: the track read says the same.
    expect((await request(app()).get(`${T}/${music.id}`).set('Authorization', programming).expect(200)).body).toEqual(music);

    const promo = await upload(programming, 'PRO', song([{ ms: 3000, fromDb: -30, toDb: -12 }, { ms: 6000, fromDb: -12 }]), 'promo.wav');
    expect(promo).toMatchObject({ type: 'PRO', introMs: null, outroMs: null });
  });
});

describe('changing the cues, intro and outro', () => {
  it('programming sets all four; the length stays the file’s, and the log builder plays cue-out − cue-in', async () => {
    const { programming, viewer } = await setUp();
    const track = await upload(programming, 'MUS', fadedSong(), 'faded.wav');
    const changed = (await request(app()).patch(`${T}/${track.id}`).set('Authorization', programming).send({ cueInMs: 1500, cueOutMs: 30_000, introMs: 5000, outroMs: 3000 }).expect(200)).body as Track;
    expect(changed).toMatchObject({ lengthMs: 33_000, cueInMs: 1500, cueOutMs: 30_000, introMs: 5000, outroMs: 3000 });
    const station = (await db('stations').where({ slug: 'kqtr' }).first('id')) as { id: string };
    const inputs = await createLogInputsLoader(db).load(station.id, '2026-12-07', 1, { campaigns: false, history: false, voiceTracks: false });
    expect(inputs.library.find((t) => t.id === track.id)).toMatchObject({ lengthMs: 28_500, introMs: 5000, outroMs: 3000 });

    // The cue-out back to the file's end, the intro and outro to not known.
    expect((await request(app()).patch(`${T}/${track.id}`).set('Authorization', programming).send({ cueOutMs: null, introMs: null, outroMs: null }).expect(200)).body).toMatchObject({ cueInMs: 1500, cueOutMs: null, introMs: null, outroMs: null });
    // Audited; a viewer may not.
    const audits = (await db('audit_log').where({ action: 'track.update', entityId: track.id }).count({ n: '*' }).first()) as { n: number | string };
    expect(Number(audits.n)).toBe(2);
    await request(app()).patch(`${T}/${track.id}`).set('Authorization', viewer).send({ cueInMs: 0 }).expect(403);
  });

  it('refuses, naming the field: a negative value, a cue-out at or before the cue-in or past the file’s end, an intro or outro longer than what plays', async () => {
    const { programming } = await setUp();
    const track = await upload(programming, 'MUS', fadedSong(), 'faded.wav');
    await request(app()).patch(`${T}/${track.id}`).set('Authorization', programming).send({ cueInMs: 1000, cueOutMs: 31_000, introMs: 6000, outroMs: 4000 }).expect(200);
    const refused = async (body: Record<string, unknown>, field: string, words: RegExp) => {
      const res = await request(app()).patch(`${T}/${track.id}`).set('Authorization', programming).send(body);
      expect(res.status, JSON.stringify(res.body)).toBe(400);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      const problem = res.body as Problem;
      expect(problem.errors.map((e) => e.path)).toEqual([`body.${field}`]);
      expect(problem.errors[0]!.message).toMatch(words);
    };
    await refused({ cueInMs: -1 }, 'cueInMs', />= 0|0 or more/);
    await refused({ introMs: -500 }, 'introMs', />= 0|0 or more/);
    await refused({ cueInMs: 5000, cueOutMs: 5000 }, 'cueOutMs', /must come after the cue-in \(0:05\.0\)/);
    await refused({ cueOutMs: 800 }, 'cueOutMs', /must come after the cue-in \(0:01\.0\)/);
    // Only the cue-in sent, past the cue-out the track has: said at the cue-in.
    await refused({ cueInMs: 31_000 }, 'cueInMs', /the cue-out \(0:31\.0\) must come after the cue-in \(0:31\.0\)/);
    await refused({ cueOutMs: 33_001 }, 'cueOutMs', /past the end of the file \(0:33\.0\)/);
    await refused({ introMs: 30_001 }, 'introMs', /intro \(0:30\.0\) is longer than what plays between the cues \(0:30\.0\)/);
    await refused({ outroMs: 40_000 }, 'outroMs', /outro \(0:40\.0\) is longer than what plays/);
    // Cues that would leave the intro the track has longer than what plays: said at the cue sent.
    await refused({ cueOutMs: 5000 }, 'cueOutMs', /intro \(0:06\.0\) is longer than what plays between the cues \(0:04\.0\)/);
    // Nothing of the refused changes was kept.
    expect(await db('tracks').where({ id: track.id }).first('cueInMs', 'cueOutMs', 'introMs', 'outroMs')).toEqual({ cueInMs: 1000, cueOutMs: 31_000, introMs: 6000, outroMs: 4000 });
  });
});

describe('cues and the LibreTime sync', () => {
  it('a track from LibreTime gets LibreTime’s cues back from the sync, keeping the intro and outro set here; a track only in LibreLog keeps its cues', async () => {
    const { programming } = await setUp();
    const own = await upload(programming, 'MUS', fadedSong(), 'faded.wav');
    await db('stations').where({ slug: 'kqtr' }).update({ playoutTarget: 'libretime', libretimeUrl: libretime.url, libretimeApiKey: libretime.apiKey });
    const music = libretime.addLibrary({ code: 'MUS', name: 'Music' });
    const file = libretime.addFile({ track_title: 'From LibreTime', artist_name: 'Ana Ruiz', library: music.id, length: '00:03:00', cue_in: '00:00:00.5', cue_out: '00:02:58' });
    const activities = createLibrarySyncActivities({ db, libretimeFor: (connection) => createLibreTimeClient(connection, { retries: 0 }) });
    const sync = async () => {
      const opened = await activities.openLibrarySync({ station: 'kqtr', workflowId: 'library-sync:kqtr' });
      const result = (await new MockActivityEnvironment().run(() => activities.importLibreTimeLibrary({ syncId: opened.syncId, stationId: opened.stationId }))) as LibrarySyncResult;
      await activities.finishLibrarySync({ syncId: opened.syncId, result });
      return result;
    };
    await sync();
    const synced = (await db('tracks').where({ libretimeFileId: file.id }).first('id')) as { id: string };
    const before = (await request(app()).get(`${T}/${synced.id}`).set('Authorization', programming).expect(200)).body as Track;
    expect(before).toMatchObject({ libretimeFileId: file.id, cueInMs: 500, cueOutMs: 178_000 });

    await request(app()).patch(`${T}/${synced.id}`).set('Authorization', programming).send({ cueInMs: 2000, cueOutMs: 170_000, introMs: 9000, outroMs: 6000 }).expect(200);
    await request(app()).patch(`${T}/${own.id}`).set('Authorization', programming).send({ cueInMs: 1200, introMs: 5500 }).expect(200);
    // Cue edits are not the station's own: the sync may set them again.
    expect(((await db('tracks').where({ id: synced.id }).first('editedInLibrelog')) as { editedInLibrelog: string[] }).editedInLibrelog).toEqual([]);

    const result = await sync();
    expect(result.changes).toEqual([expect.objectContaining({ trackId: synced.id, fields: ['cueInMs', 'cueOutMs'] })]);
    expect(await db('tracks').where({ id: synced.id }).first('cueInMs', 'cueOutMs', 'introMs', 'outroMs')).toEqual({ cueInMs: 500, cueOutMs: 178_000, introMs: 9000, outroMs: 6000 });
    expect(await db('tracks').where({ id: own.id }).first('cueInMs', 'introMs')).toEqual({ cueInMs: 1200, introMs: 5500 });
    expect(libretime.violations).toEqual([]);
  });
});
