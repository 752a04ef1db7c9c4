// The LibreTalk socket against a real API server and PostgreSQL: the rundown of the published
// log (breaks and voice-track slots with their talk-over windows), notices of what is about to
// air, and a live voice track sent over the socket, stored, measured and attached to its slot.
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { DateTime } from 'luxon';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { startApi, type RunningApi } from '../../api/server.js';
import { importStationBundle } from '../../db/bundle-import.js';
import type { UserRole } from '../../domain/vocabulary.js';
import { wavFile } from '../fixtures/audio.js';
import { smallStationBundle } from '../fixtures/bundles.js';
import { useTestDatabase } from '../support/db.js';
import { makePerson } from '../support/people.js';
import { freePort } from '../support/ports.js';

const SECRET = 'libretalk-test-secret';
const db = useTestDatabase();
const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
});

async function api(): Promise<RunningApi & { dataDir: string }> {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'librelog-libretalk-'));
  const running = await startApi({ port: await freePort(), db, temporal: { namespace: 'default', check: () => Promise.resolve() }, jwtSecret: SECRET, dataDir, maxUploadBytes: 200_000 });
  cleanup.push(() => rm(dataDir, { recursive: true, force: true }), () => running.close());
  return { ...running, dataDir };
}

async function tokenFor(role: UserRole): Promise<string> {
  return (await makePerson(db, SECRET, role)).token;
}

type Message = Record<string, unknown> & { type: string };

function connect(url: string, token: string) {
  const socket = new WebSocket(`${url.replace('http', 'ws')}/api/v1/libretalk`, { headers: { Authorization: `Bearer ${token}` } });
  const received: Message[] = [];
  const waiting: { type: string; resolve: (m: Message) => void }[] = [];
  socket.on('message', (data) => {
    const message = JSON.parse((data as Buffer).toString('utf8')) as Message;
    const i = waiting.findIndex((w) => w.type === message.type);
    if (i >= 0) waiting.splice(i, 1)[0]!.resolve(message);
    else received.push(message);
  });
  cleanup.push(() => {
    socket.terminate();
    return Promise.resolve();
  });
  return {
    socket,
    send: (message: unknown) => socket.send(JSON.stringify(message)),
    next: (type: string) =>
      new Promise<Message>((resolve, reject) => {
        const i = received.findIndex((m) => m.type === type);
        if (i >= 0) return resolve(received.splice(i, 1)[0]!);
        const timer = setTimeout(() => reject(new Error(`no ${type} within 10 s; got ${JSON.stringify(received.map((m) => m.type))}`)), 10_000);
        waiting.push({ type, resolve: (m) => (clearTimeout(timer), resolve(m)) });
      }),
  };
}

/**
 * Today's published log on a clock with a voice-track slot in the current hour: a song that
 * ends in two minutes, the VT slot, the next song, then a break of two spots.
 */
async function publishedHourWithVoiceSlot() {
  await importStationBundle(db, smallStationBundle());
  const station = (await db('stations').where({ slug: 'kqtr' }).first('id', 'timezone')) as { id: string; timezone: string };
  const now = DateTime.now().setZone(station.timezone);
  const date = now.toISODate()!;
  const [clock] = (await db('clocks').insert({ stationId: station.id, name: 'Voice Tracked', targetLengthMs: 3_600_000 }).returning('id')) as { id: string }[];
  const elements = (await db('clock_elements')
    .insert([
      { clockId: clock!.id, position: 0, type: 'MUS', count: 1 },
      { clockId: clock!.id, position: 1, type: 'VT', count: 1, title: 'Back-announce', targetLengthMs: 20_000 },
      { clockId: clock!.id, position: 2, type: 'MUS', count: 1 },
      { clockId: clock!.id, position: 3, type: 'ADV', count: 2 },
    ])
    .returning('id')) as { id: string }[];
  await db('grid_overrides').insert({ stationId: station.id, date, hour: now.hour, clockId: clock!.id });
  const songs = (await db('tracks').where({ stationId: station.id, type: 'MUS' }).orderBy('title').select('id', 'title')) as { id: string; title: string }[];
  await db('tracks').where({ id: songs[0]!.id }).update({ outroMs: 8_000 });
  await db('tracks').where({ id: songs[1]!.id }).update({ introMs: 12_000 });
  const [log] = (await db('daily_logs').insert({ stationId: station.id, broadcastDate: date, workflowId: `broadcast-day:kqtr:${date}`, status: 'published', version: 1, publishedVersion: 1 }).returning('id')) as { id: string }[];
  const t0 = Date.now() - 60_000;
  await db('log_entries').insert([
    { id: randomUUID(), logId: log!.id, position: 0, hour: now.hour, startsAt: new Date(t0), lengthMs: 180_000, type: 'MUS', title: songs[0]!.title, trackId: songs[0]!.id, clockElementId: elements[0]!.id },
    { id: randomUUID(), logId: log!.id, position: 1, hour: now.hour, startsAt: new Date(t0 + 180_000), lengthMs: 200_000, type: 'MUS', title: songs[1]!.title, trackId: songs[1]!.id, clockElementId: elements[2]!.id },
    { id: randomUUID(), logId: log!.id, position: 2, hour: now.hour, startsAt: new Date(t0 + 380_000), lengthMs: 30_000, type: 'ADV', title: 'Rainbow Motors', breakIndex: 0, clockElementId: elements[3]!.id },
    { id: randomUUID(), logId: log!.id, position: 3, hour: now.hour, startsAt: new Date(t0 + 410_000), lengthMs: 30_000, type: 'PSA', title: 'Get Tested Phoenix', breakIndex: 0, isFallback: true, fallbackReason: 'no_sale', clockElementId: elements[3]!.id },
  ]);
  return { station, date, hour: now.hour, vtElement: elements[1]!.id, songs, t0 };
}

describe('the LibreTalk socket', () => {
  it('gives the rundown of the published log and notices of what is about to air', async () => {
    const { date, hour, vtElement, songs, t0 } = await publishedHourWithVoiceSlot();
    const running = await api();
    const token = await tokenFor('viewer');
    // The same slots through REST, for the web app's voice-track page.
    const rest = await fetch(`${running.url}/api/v1/stations/kqtr/voice-slots?date=${date}`, { headers: { Authorization: `Bearer ${token}` } });
    expect(rest.status).toBe(200);
    expect(((await rest.json()) as { clockElementId: string; before: { talkOverMs: number } }[]).map((s) => [s.clockElementId, s.before.talkOverMs])).toEqual([[vtElement, 8_000]]);

    const client = connect(running.url, token);
    await client.next('welcome');
    client.send({ type: 'subscribe', station: 'kqtr' });
    const rundown = await client.next('rundown');
    // The hour may cross into the next: only what is still to come is listed.
    const voiceSlots = rundown.voiceSlots as { hour: number; clockElementId: string; startsAt: string; before: { title: string; talkOverMs: number }; after: { title: string; talkOverMs: number } }[];
    expect(voiceSlots).toEqual([
      expect.objectContaining({ date, hour, clockElementId: vtElement, slotIndex: 0, title: 'Back-announce', lengthMs: 20_000, voiceTrackId: null, startsAt: new Date(t0 + 180_000).toISOString() }),
    ]);
    expect(voiceSlots[0]!.before).toMatchObject({ title: songs[0]!.title, talkOverMs: 8_000 });
    expect(voiceSlots[0]!.after).toMatchObject({ title: songs[1]!.title, talkOverMs: 12_000 });
    expect(rundown.breaks).toEqual([
      { date, hour, hourLabel: `${String(hour).padStart(2, '0')}:00`, breakIndex: 0, startsAt: new Date(t0 + 380_000).toISOString(), lengthMs: 60_000, spots: [
        { title: 'Rainbow Motors', type: 'ADV', lengthMs: 30_000, isFallback: false },
        { title: 'Get Tested Phoenix', type: 'PSA', lengthMs: 30_000, isFallback: true },
      ] },
    ]);
    // The slot airs in two minutes: its notice comes at once.
    expect(await client.next('voice_slot.upcoming')).toMatchObject({ station: 'kqtr', clockElementId: vtElement });
  });

  it('takes a live voice track for a slot over the socket, measures it and attaches it', async () => {
    const { date, hour, vtElement, station } = await publishedHourWithVoiceSlot();
    const running = await api();
    const client = connect(running.url, await tokenFor('voice'));
    await client.next('welcome');
    client.send({ type: 'subscribe', station: 'kqtr' });
    await client.next('rundown');

    const audio = wavFile(3.5, { title: 'Live link' });
    client.send({ type: 'voice_track.begin', date, hour, clockElementId: vtElement, slotIndex: 0, bytes: audio.length });
    await client.next('voice_track.ready');
    // In frames, as a recorder would send them.
    for (let i = 0; i < audio.length; i += 16_384) client.socket.send(audio.subarray(i, i + 16_384));
    client.send({ type: 'voice_track.end' });
    const stored = await client.next('voice_track.stored');
    expect(stored.voiceTrack).toMatchObject({ hour, clockElementId: vtElement, slotIndex: 0, title: 'Live link', lengthMs: 3_500, mediaType: 'audio/wav' });
    // Today is on air: the take is kept with its slot, and the answer says the aired log stays as it is.
    expect(stored.log).toMatchObject({ status: 'published', rebuild: 'too_late' });
    expect(await db('voice_tracks').where({ stationId: station.id }).count({ n: '*' }).first()).toEqual({ n: 1 });

    // A second take replaces the first in the slot.
    const again = wavFile(2);
    client.send({ type: 'voice_track.begin', date, hour, clockElementId: vtElement, bytes: again.length, title: 'Take two' });
    await client.next('voice_track.ready');
    client.socket.send(again);
    client.send({ type: 'voice_track.end' });
    expect((await client.next('voice_track.stored')).voiceTrack).toMatchObject({ title: 'Take two', lengthMs: 2_000 });
    expect(await db('voice_tracks').where({ stationId: station.id }).count({ n: '*' }).first()).toEqual({ n: 1 });
  });

  it('refuses a viewer, a wrong slot, too much audio and what is not audio, and keeps the socket open', async () => {
    const { date, hour, vtElement } = await publishedHourWithVoiceSlot();
    const running = await api();
    const viewer = connect(running.url, await tokenFor('viewer'));
    await viewer.next('welcome');
    viewer.send({ type: 'subscribe', station: 'kqtr' });
    await viewer.next('rundown');
    viewer.send({ type: 'voice_track.begin', date, hour, clockElementId: vtElement, bytes: 10 });
    expect(await viewer.next('error')).toMatchObject({ status: 403 });

    const voice = connect(running.url, await tokenFor('voice'));
    await voice.next('welcome');
    voice.send({ type: 'voice_track.begin', date, hour, clockElementId: vtElement, bytes: 10 });
    expect(await voice.next('error')).toMatchObject({ status: 409, detail: 'Subscribe to a station first' });
    voice.send({ type: 'subscribe', station: 'kqtr' });
    await voice.next('rundown');
    voice.send({ type: 'voice_track.begin', date, hour: 25, clockElementId: 'nope', bytes: -1 });
    expect(((await voice.next('error')).errors as { path: string }[]).map((e) => e.path)).toEqual(['hour', 'clockElementId', 'bytes']);
    voice.send({ type: 'voice_track.begin', date, hour, clockElementId: randomUUID(), bytes: 10 });
    expect(await voice.next('error')).toMatchObject({ status: 400, errors: [{ path: 'message.clockElementId' }] });
    voice.send({ type: 'voice_track.begin', date, hour, clockElementId: vtElement, bytes: 10_000_000 });
    expect(await voice.next('error')).toMatchObject({ status: 413 });

    const words = Buffer.from('not audio at all, just words');
    voice.send({ type: 'voice_track.begin', date, hour, clockElementId: vtElement, bytes: words.length });
    await voice.next('voice_track.ready');
    voice.socket.send(words);
    voice.send({ type: 'voice_track.end' });
    expect(await voice.next('error')).toMatchObject({ status: 415 });

    voice.send({ type: 'voice_track.begin', date, hour, clockElementId: vtElement, bytes: 4 });
    await voice.next('voice_track.ready');
    voice.socket.send(Buffer.alloc(10));
    expect(await voice.next('error')).toMatchObject({ status: 413 });
    voice.send({ type: 'slots', date });
    expect(((await voice.next('slots')).voiceSlots as unknown[]).length).toBe(1);
  });
});
