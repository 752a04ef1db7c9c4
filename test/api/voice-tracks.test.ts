// Voice tracks through the API, against the real app, PostgreSQL, Temporal and worker: a voice
// talent uploads a take for a slot, the day's log (not yet published) is rebuilt with it by
// voice priority, a new take replaces it, and removing it gives the slot back to the clock.
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import request from 'supertest';
import { DateTime } from 'luxon';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { createApp } from '../../api/app.js';
import { importStationBundle } from '../../db/bundle-import.js';
import type { UserRole } from '../../domain/vocabulary.js';
import { wavFile } from '../fixtures/audio.js';
import { smallStationBundle } from '../fixtures/bundles.js';
import { useTestDatabase } from '../support/db.js';
import { makePerson } from '../support/people.js';
import { activitiesFor, useTemporal } from '../support/temporal.js';
import { until } from '../support/until.js';

const SECRET = 'voice-test-secret';
const db = useTestDatabase();
const temporal = useTemporal();
let dataDir: string;
beforeAll(async () => {
  dataDir = await mkdtemp(path.join(os.tmpdir(), 'librelog-voice-'));
});
afterAll(async () => {
  await rm(dataDir, { recursive: true, force: true });
});

const app = (maxUploadBytes?: number) =>
  createApp({
    db,
    temporal: { namespace: 'default', check: () => Promise.resolve() },
    jwtSecret: SECRET,
    broadcastDays: { client: temporal.env.client, taskQueue: temporal.taskQueue, namespace: 'default', temporalUiUrl: 'http://localhost:8233' },
    dataDir,
    ...(maxUploadBytes !== undefined && { maxUploadBytes }),
    validateResponses: true,
    log: (e) => console.error(e),
  });

async function tokenFor(role: UserRole): Promise<string> {
  return (await makePerson(db, SECRET, role, { name: `${role} person` })).authorization;
}


interface VoiceTrackChange {
  voiceTrack?: { id: string; trackId: string; title: string; lengthMs: number; mediaType: string; originalFilename: string; hour: number; slotIndex: number } | null;
  log: { status: string; rebuild: string; detail: string };
}
interface Problem {
  status: number;
  detail: string;
  errors?: { path: string; message: string }[];
}

const V = '/api/v1/stations/kqtr/voice-tracks';

/** The Morning Drive clock (every hour but weekday 06:00) and its second element (4 music slots). */
async function morningDrive() {
  const clock = (await db('clocks').where({ name: 'Morning Drive' }).first('id')) as { id: string };
  const elements = (await db('clock_elements').where({ clockId: clock.id }).orderBy('position').pluck('id')) as string[];
  return { musicElement: elements[1]!, legalId: elements[0]! };
}

describe('voice tracks', () => {
  it('uploads a take for a slot, reads its length and tags from the file, and rebuilds the unpublished day with it', async () => {
    await importStationBundle(db, smallStationBundle());
    const { musicElement } = await morningDrive();
    // Workflow ids are the business ids and every test file shares one Temporal server: this
    // file's day of kqtr is one no other file builds (logs API +4, broadcast day +5/+6, restarts +9).
    const date = DateTime.now().setZone('America/Phoenix').plus({ days: 11 }).toISODate()!;
    const [voice, viewer] = await Promise.all([tokenFor('voice'), tokenFor('viewer')]);
    const api = request(app());

    await temporal.withWorker(activitiesFor(db, dataDir), async () => {
      await api.post(`/api/v1/stations/kqtr/logs/${date}/build`).set('Authorization', await tokenFor('traffic')).expect(202);
      onTestFinished(async () => {
        await temporal.env.client.workflow.getHandle(`broadcast-day:kqtr:${date}`).terminate('test over').catch(() => undefined);
      });
      await until(async () => ((await api.get(`/api/v1/stations/kqtr/logs/${date}`).set('Authorization', viewer)).body as { status?: string }).status, (s) => s === 'awaiting_approval');

      const uploaded = await api
        .post(V)
        .set('Authorization', voice)
        .field('date', date)
        .field('hour', '9')
        .field('clockElementId', musicElement)
        .field('slotIndex', '1')
        .attach('file', wavFile(14.2, { title: 'Nine oclock link', artist: 'DJ Rae' }), { filename: 'take-1.wav', contentType: 'audio/wav' })
        .expect(201);
      const change = uploaded.body as VoiceTrackChange;
      expect(change.voiceTrack).toMatchObject({ title: 'Nine oclock link', lengthMs: 14_200, mediaType: 'audio/wav', originalFilename: 'take-1.wav', hour: 9, slotIndex: 1 });
      expect(change.log).toMatchObject({ status: 'awaiting_approval', rebuild: 'requested' });
      const id = change.voiceTrack!.id;

      // The rebuilt log (version 2) has the take in the slot, by voice priority.
      const rebuilt = await until(
        async () => (await api.get(`/api/v1/stations/kqtr/logs/${date}`).set('Authorization', viewer)).body as { status: string; version: number; entries: { voiceTrackId: string | null; type: string; lengthMs: number }[] },
        (log) => log.status === 'awaiting_approval' && log.version === 2,
      );
      expect(rebuilt.entries.filter((e) => e.voiceTrackId === id)).toEqual([expect.objectContaining({ type: 'VT', lengthMs: 14_200 })]);

      // Everyone reads it and can listen to it.
      expect(((await api.get(`${V}?date=${date}`).set('Authorization', viewer).expect(200)).body as { id: string }[]).map((v) => v.id)).toEqual([id]);
      await api.get(`${V}/${id}`).set('Authorization', viewer).expect(200);
      const audio = await api.get(`${V}/${id}/audio`).set('Authorization', viewer).buffer(true).parse((res, done) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => done(null, Buffer.concat(chunks)));
      }).expect(200);
      expect(audio.headers['content-type']).toBe('audio/wav');
      expect((audio.body as Buffer).subarray(0, 4).toString('ascii')).toBe('RIFF');

      // The same slot twice is a conflict; a new take replaces the audio and its length.
      const twice = await api.post(V).set('Authorization', voice).field('date', date).field('hour', '9').field('clockElementId', musicElement).field('slotIndex', '1')
        .attach('file', wavFile(3), { filename: 'again.wav', contentType: 'audio/wav' }).expect(409);
      expect((twice.body as Problem).detail).toContain(id);
      const retake = await api.put(`${V}/${id}/audio`).set('Authorization', voice).field('title', 'Take two').attach('file', wavFile(9.5), { filename: 'take-2.wav', contentType: 'audio/x-wav' }).expect(200);
      expect((retake.body as VoiceTrackChange).voiceTrack).toMatchObject({ id, title: 'Take two', lengthMs: 9_500, originalFilename: 'take-2.wav' });
      await until(
        async () => (await api.get(`/api/v1/stations/kqtr/logs/${date}`).set('Authorization', viewer)).body as { status: string; version: number; entries: { voiceTrackId: string | null; lengthMs: number }[] },
        (log) => log.status === 'awaiting_approval' && log.version === 3 && log.entries.some((e) => e.voiceTrackId === id && e.lengthMs === 9_500),
      );

      // Removing gives the slot back to the clock; a built log named the take, so its track stays, marked removed.
      const removed = await api.delete(`${V}/${id}`).set('Authorization', voice).expect(200);
      expect((removed.body as VoiceTrackChange).log.rebuild).toBe('requested');
      const after = await until(
        async () => (await api.get(`/api/v1/stations/kqtr/logs/${date}`).set('Authorization', viewer)).body as { status: string; version: number; entries: { voiceTrackId: string | null }[] },
        (log) => log.status === 'awaiting_approval' && log.version === 4,
      );
      expect(after.entries.some((e) => e.voiceTrackId !== null)).toBe(false);
      expect(await db('tracks').where({ id: change.voiceTrack!.trackId }).first('removed')).toEqual({ removed: true });
      await api.get(`${V}/${id}`).set('Authorization', viewer).expect(404);

      const audit = (await db('audit_log').where('entity', 'voice_track').orderBy('id').pluck('action')) as string[];
      expect(audit).toEqual(['voice_track.create', 'voice_track.replace', 'voice_track.remove']);
    });
  });

  it('refuses what is not audio, what is too large, a slot the hour does not have, and a viewer', async () => {
    await importStationBundle(db, smallStationBundle());
    const { musicElement, legalId } = await morningDrive();
    const date = DateTime.now().setZone('America/Phoenix').plus({ days: 20 }).toISODate()!;
    const [voice, viewer] = await Promise.all([tokenFor('voice'), tokenFor('viewer')]);
    const api = request(app(64 * 1024));
    const upload = (token: string, fields: Record<string, string>, file: Buffer, name = 'take.wav', type = 'audio/wav') => {
      let req = api.post(V).set('Authorization', token);
      for (const [k, v] of Object.entries(fields)) req = req.field(k, v);
      return req.attach('file', file, { filename: name, contentType: type });
    };
    const slot = { date, hour: '10', clockElementId: musicElement };

    // A text file that says it is an MP3 is still not audio.
    const fake = await upload(voice, slot, Buffer.from('ID3? no, just words'), 'take.mp3', 'audio/mpeg').expect(415);
    expect(fake.headers['content-type']).toMatch(/application\/problem\+json/);
    expect((fake.body as Problem).errors?.[0]?.path).toBe('body.file');
    await upload(voice, slot, wavFile(1), 'take.png', 'image/png').expect(415);
    // 64 KiB limit here: 10 s of 8 kHz audio is 160 KB.
    const large = await upload(voice, slot, wavFile(10)).expect(413);
    expect(large.headers['content-type']).toMatch(/application\/problem\+json/);
    // The slot: the element must be of the clock of that hour, and have that many slots.
    const otherClock = (await db('clock_elements').join('clocks', 'clocks.id', 'clock_elements.clock_id').where('clocks.name', '06:00').first('clock_elements.id')) as { id: string };
    const wrong = await upload(voice, { ...slot, clockElementId: otherClock.id }, wavFile(1)).expect(400);
    expect((wrong.body as Problem).errors).toEqual([{ path: 'body.clockElementId', message: expect.stringContaining('Morning Drive') as string }]);
    const beyond = await upload(voice, { ...slot, clockElementId: legalId, slotIndex: '1' }, wavFile(1)).expect(400);
    expect((beyond.body as Problem).errors?.[0]).toEqual({ path: 'body.slotIndex', message: 'the element has 1 slot (0–0)' });
    const badHour = await upload(voice, { ...slot, hour: '25' }, wavFile(1)).expect(400);
    expect((badHour.body as Problem).errors?.[0]?.path).toContain('hour');
    await api.post(V).set('Authorization', voice).field('date', date).field('hour', '10').field('clockElementId', musicElement).expect(400);
    await upload(viewer, slot, wavFile(1)).expect(403);

    // No day built yet: the build will use it. Nothing refused was kept on disk.
    const ok = await upload(voice, slot, wavFile(2)).expect(201);
    expect((ok.body as VoiceTrackChange).log).toMatchObject({ status: 'not_built', rebuild: 'when_built' });
    expect(await readdir(path.join(dataDir, 'uploads'))).toEqual([]);
    const stationId = ((await db('stations').where({ slug: 'kqtr' }).first('id')) as { id: string }).id;
    const voiceFiles = async () => (await readdir(path.join(dataDir, 'media', stationId), { recursive: true })).filter((f) => f.endsWith('.wav'));
    expect(await voiceFiles()).toHaveLength(1);

    // Removing a take no log names deletes its track and file.
    const id = (ok.body as VoiceTrackChange).voiceTrack!.id;
    const trackId = (ok.body as VoiceTrackChange).voiceTrack!.trackId;
    await api.delete(`${V}/${id}`).set('Authorization', viewer).expect(403);
    await api.delete(`${V}/${id}`).set('Authorization', voice).expect(200);
    expect(await db('tracks').where({ id: trackId }).first()).toBeUndefined();
    expect(await voiceFiles()).toHaveLength(0);
    await api.delete(`${V}/${id}`).set('Authorization', voice).expect(404);
  });
});
