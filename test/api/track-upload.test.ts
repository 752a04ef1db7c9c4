// Adding tracks by uploading audio: several files at once become tracks with their tags and the
// length, cues, loudness and peak measured in the audio; a file that is not audio is refused on
// its own; when the station plays out through LibreTime each new file goes there too and the
// track keeps LibreTime's file id.
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../api/app.js';
import { importStationBundle } from '../../db/bundle-import.js';
import { startFakeLibreTime, type FakeLibreTime } from '../fakes/libretime.js';
import { silenceToneSilence, wavOf } from '../fixtures/audio.js';
import { smallStationBundle } from '../fixtures/bundles.js';
import { useTestDatabase } from '../support/db.js';
import { makePerson } from '../support/people.js';

const SECRET = 'track-upload-secret';
const LIBRETIME_KEY = 'lt-upload-key';
const db = useTestDatabase();
let dataDir: string;
let libretime: FakeLibreTime;
beforeAll(async () => {
  dataDir = await mkdtemp(path.join(os.tmpdir(), 'librelog-library-'));
  libretime = await startFakeLibreTime({ apiKey: LIBRETIME_KEY });
});
afterAll(async () => {
  await libretime?.close();
  await rm(dataDir, { recursive: true, force: true });
});

const app = () => createApp({ db, temporal: { namespace: 'default', check: () => Promise.resolve() }, jwtSecret: SECRET, dataDir, validateResponses: true, log: (e) => console.error(e) });
const U = '/api/v1/stations/kqtr/tracks/upload';

interface Track {
  id: string;
  type: string;
  title: string;
  artist: string | null;
  album: string | null;
  lengthMs: number;
  cueInMs: number;
  cueOutMs: number | null;
  introMs: number | null;
  outroMs: number | null;
  loudnessLufs: number | null;
  peakDbfs: number | null;
}
interface UploadResult {
  added: number;
  refused: number;
  files: { filename: string; track?: Track; libretimeFileId: number | null; problems: string[] }[];
}

/** 1 s of silence, 4 s of a 1 kHz tone peaking at −20 dBFS (−23 LUFS in mono), 0.5 s of silence. */
const song = (tags: { title?: string; artist?: string; album?: string } = {}) => wavOf([silenceToneSilence(44_100, 1000, 4000, 500, -20)], 44_100, tags);
/** Stereo, a 440 Hz tone at −10 dBFS from 0.25 s to 2.25 s (2.5 s long). */
const liner = () => {
  const channel = silenceToneSilence(48_000, 250, 2000, 250, -10, 440);
  return wavOf([channel, channel], 48_000);
};

const near = (value: number | null, expected: number, within: number) => value !== null && Math.abs(value - expected) <= within;

describe('uploading tracks to the library', () => {
  it('two WAV files and a text file: two tracks with their tags, measured cues and loudness; the text file refused on its own', async () => {
    await importStationBundle(db, smallStationBundle());
    await db('stations').where({ slug: 'kqtr' }).update({ playoutTarget: 'file' });
    const programming = (await makePerson(db, SECRET, 'programming')).authorization;
    const res = await request(app())
      .post(U)
      .set('Authorization', programming)
      .field('type', 'PSA')
      .attach('files', song({ title: 'Water Safety', artist: 'County Health', album: 'PSAs 2026' }), { filename: 'water-safety.wav', contentType: 'audio/wav' })
      .attach('files', liner(), { filename: 'Summer Liner 2.wav', contentType: 'audio/wav' })
      .attach('files', Buffer.from('not audio at all\n'), { filename: 'notes.txt', contentType: 'text/plain' })
      .expect(200);
    const result = res.body as UploadResult;
    expect(result).toMatchObject({ added: 2, refused: 1 });
    const [first, second, text] = result.files;

    expect(first!.track).toMatchObject({ type: 'PSA', title: 'Water Safety', artist: 'County Health', album: 'PSAs 2026', lengthMs: 5500, introMs: null, outroMs: null });
    expect(near(first!.track!.cueInMs, 1000, 3) && near(first!.track!.cueOutMs, 5000, 3)).toBe(true);
    // −23 LUFS for the tone alone; the 400 ms blocks at its edges are partly silent: −23.3.
    expect(near(first!.track!.loudnessLufs, -23.3, 0.2)).toBe(true);
    expect(first!.track!.peakDbfs).toBe(-20);
    expect(first!).toMatchObject({ filename: 'water-safety.wav', libretimeFileId: null, problems: [] });

    // No title tag: the file's name without its extension.
    expect(second!.track).toMatchObject({ type: 'PSA', title: 'Summer Liner 2', artist: null, lengthMs: 2500 });
    expect(near(second!.track!.cueInMs, 250, 3) && near(second!.track!.cueOutMs, 2250, 3)).toBe(true);
    // −10 LUFS for a stereo 1 kHz tone this loud; K-weighting gives 440 Hz a little less, and the edges again: −11.2.
    expect(near(second!.track!.loudnessLufs, -11.2, 0.2)).toBe(true);
    expect(second!.track!.peakDbfs).toBe(-10);

    expect(text).toMatchObject({ filename: 'notes.txt', libretimeFileId: null });
    expect(text!.track).toBeUndefined();
    expect(text!.problems).toEqual([expect.stringContaining('not audio')]);

    // The files are kept under library/<station>/, the track reads show the measures.
    const station = (await db('stations').where({ slug: 'kqtr' }).first('id')) as { id: string };
    expect((await readdir(path.join(dataDir, 'library', station.id))).sort()).toEqual([`${first!.track!.id}.wav`, `${second!.track!.id}.wav`].sort());
    const read = (await request(app()).get(`/api/v1/stations/kqtr/tracks/${first!.track!.id}`).set('Authorization', programming).expect(200)).body as Track;
    expect(read).toEqual(first!.track);
    const audit = (await db('audit_log').where({ action: 'track.upload' }).count({ n: '*' }).first()) as { n: number | string };
    expect(Number(audit.n)).toBe(2);

    // The same audio again is refused, naming the track it already is.
    const again = (await request(app()).post(U).set('Authorization', programming).attach('files', liner(), { filename: 'liner copy.wav', contentType: 'audio/wav' }).expect(200)).body as UploadResult;
    expect(again).toMatchObject({ added: 0, refused: 1 });
    expect(again.files[0]!.problems).toEqual([expect.stringContaining('"Summer Liner 2"')]);
  });

  it('at a LibreTime station the file goes to LibreTime too and the track keeps its file id', async () => {
    await importStationBundle(db, smallStationBundle());
    await db('stations').where({ slug: 'kqtr' }).update({ playoutTarget: 'libretime', libretimeUrl: libretime.url, libretimeApiKey: LIBRETIME_KEY });
    const programming = (await makePerson(db, SECRET, 'programming')).authorization;
    const before = libretime.files.length;
    const res = await request(app()).post(U).set('Authorization', programming).attach('files', song({ title: 'Night Drive' }), { filename: 'night drive.wav', contentType: 'audio/wav' });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const result = res.body as UploadResult;
    expect(result).toMatchObject({ added: 1, refused: 0 });
    const uploaded = libretime.files.slice(before);
    expect(uploaded).toHaveLength(1);
    expect(uploaded[0]).toMatchObject({ name: 'night drive.wav', mime: 'audio/wav', import_status: 1 });
    expect(result.files[0]).toMatchObject({ libretimeFileId: uploaded[0]!.id, problems: [] });
    const row = (await db('tracks').where({ id: result.files[0]!.track!.id }).first('libretimeFileId', 'editedInLibrelog')) as { libretimeFileId: number; editedInLibrelog: string[] };
    expect(row).toEqual({ libretimeFileId: uploaded[0]!.id, editedInLibrelog: ['type'] });
    expect(libretime.violations).toEqual([]);
  });

  it('a LibreTime that refuses the file: the track is kept in LibreLog and the file says why', async () => {
    await importStationBundle(db, smallStationBundle());
    await db('stations').where({ slug: 'kqtr' }).update({ playoutTarget: 'libretime', libretimeUrl: libretime.url, libretimeApiKey: 'a-wrong-key' });
    const programming = (await makePerson(db, SECRET, 'programming')).authorization;
    const result = (await request(app()).post(U).set('Authorization', programming).attach('files', song({ title: 'Refused Upstream' }), { filename: 'refused.wav', contentType: 'audio/wav' }).expect(200)).body as UploadResult;
    expect(result).toMatchObject({ added: 1, files: [{ libretimeFileId: null, track: { title: 'Refused Upstream' } }] });
    expect(result.files[0]!.problems).toEqual([expect.stringMatching(/not sent to LibreTime .*401/)]);
  });

  it('only programming and admin upload; a body without files is a 400', async () => {
    await importStationBundle(db, smallStationBundle());
    const viewer = (await makePerson(db, SECRET, 'viewer')).authorization;
    await request(app()).post(U).set('Authorization', viewer).attach('files', song(), { filename: 'x.wav', contentType: 'audio/wav' }).expect(403);
    const programming = (await makePerson(db, SECRET, 'programming')).authorization;
    await request(app()).post(U).set('Authorization', programming).field('type', 'MUS').expect(400);
  });
});
