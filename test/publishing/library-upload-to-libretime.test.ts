// Audio uploaded to LibreLog's library that LibreTime did not take at the time (the station played
// out elsewhere, or LibreTime was down) goes to LibreTime when a log that uses it is published —
// sent as the type LibreLog found in its bytes (tracks.media_type), not as octet-stream. LibreTime
// itself ignores the declared type and names the file by its analysis, as the fake does.
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLibreTimePublisher } from '../../activities/publishing/libretime-publisher.js';
import type { PublishableLog } from '../../activities/publishing/publisher.js';
import { createApp } from '../../api/app.js';
import { importStationBundle } from '../../db/bundle-import.js';
import { createLibreTimeClient } from '../../integrations/libretime/client.js';
import { startFakeLibreTime, type FakeLibreTime } from '../fakes/libretime.js';
import { silenceToneSilence, wavOf } from '../fixtures/audio.js';
import { smallStationBundle } from '../fixtures/bundles.js';
import { useTestDatabase } from '../support/db.js';
import { makePerson } from '../support/people.js';

const SECRET = 'upload-to-libretime-secret';
const db = useTestDatabase();
let dataDir: string;
let fake: FakeLibreTime;
beforeAll(async () => {
  dataDir = await mkdtemp(path.join(os.tmpdir(), 'librelog-upload-lt-'));
  fake = await startFakeLibreTime({ importAfterPolls: 1 });
});
afterAll(async () => {
  await fake?.close();
  await rm(dataDir, { recursive: true, force: true });
});

describe('a library upload published to LibreTime later', () => {
  it('is sent with its media type, imported, and scheduled', async () => {
    await importStationBundle(db, smallStationBundle());
    await db('stations').where({ slug: 'kqtr' }).update({ playoutTarget: 'file' });
    const programming = (await makePerson(db, SECRET, 'programming')).authorization;
    const app = createApp({ db, temporal: { namespace: 'default', check: () => Promise.resolve() }, jwtSecret: SECRET, dataDir, log: (e) => console.error(e) });
    const res = await request(app)
      .post('/api/v1/stations/kqtr/tracks/upload')
      .set('Authorization', programming)
      .attach('files', wavOf([silenceToneSilence(22_050, 200, 3000, 200, -14)], 22_050, { title: 'Late Arrival' }), { filename: 'late arrival.wav', contentType: 'application/octet-stream' });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const track = (res.body as { files: { track: { id: string; lengthMs: number; cueInMs: number; cueOutMs: number } }[] }).files[0]!.track;
    expect(await db('tracks').where({ id: track.id }).first('mediaType', 'libretimeFileId')).toEqual({ mediaType: 'audio/wav', libretimeFileId: null });

    // The station moves to LibreTime; a log that plays the track is published.
    await db('stations').where({ slug: 'kqtr' }).update({ playoutTarget: 'libretime', libretimeUrl: fake.url, libretimeApiKey: fake.apiKey });
    const station = (await db('stations').where({ slug: 'kqtr' }).first('id', 'name', 'timezone')) as { id: string; name: string; timezone: string };
    const log: PublishableLog = {
      station: { id: station.id, slug: 'kqtr', name: station.name, timezone: station.timezone },
      date: '2026-12-09',
      version: 1,
      entries: [
        {
          id: '00000000-0000-4000-8000-000000000001',
          position: 0,
          startsAt: '2026-12-09T14:00:00.000Z',
          lengthMs: track.cueOutMs - track.cueInMs,
          type: 'MUS',
          title: 'Late Arrival',
          artist: null,
          trackId: track.id,
          trackRef: null,
          libretimeFileId: null,
          cueInMs: track.cueInMs,
          cueOutMs: track.cueOutMs,
          fadeOutMs: 0,
          campaignId: null,
          isFallback: false,
        },
      ],
    };
    const publisher = createLibreTimePublisher({ db, dataDir, libretimeFor: (c) => createLibreTimeClient(c, { retries: 0 }), importPoll: { intervalMs: 1, attempts: 20 } });
    await publisher.publish(log);

    expect(fake.uploads).toEqual([{ name: 'Late Arrival.wav', type: 'audio/wav' }]);
    const fileId = ((await db('tracks').where({ id: track.id }).first('libretimeFileId')) as { libretimeFileId: number }).libretimeFileId;
    expect(fake.files.find((f) => f.id === fileId)).toMatchObject({ import_status: 0, mime: 'audio/wav' });
    expect(fake.schedule.map((i) => i.file)).toEqual([fileId]);
    expect(fake.violations).toEqual([]);
  });
});
