// The nightly LibreTime sync keeps LibreLog's own edits (issue 15, item 3): a track retyped,
// given a genre or mood, or taken out of rotation in LibreLog stays so, while what LibreTime owns
// — the file's length and cues, and fields nobody edited here — still follows LibreTime; and
// the sync says what it changed.
import { MockActivityEnvironment } from '@temporalio/testing';
import request from 'supertest';
import { afterEach, describe, expect, it } from 'vitest';
import { createLibrarySyncActivities, type LibrarySyncResult } from '../../activities/library-sync.js';
import { createApp } from '../../api/app.js';
import { importStationBundle } from '../../db/bundle-import.js';
import { createLibreTimeClient } from '../../integrations/libretime/client.js';
import { startFakeLibreTime, type FakeLibreTime } from '../fakes/libretime.js';
import { smallStationBundle } from '../fixtures/bundles.js';
import { useTestDatabase } from '../support/db.js';
import { makePerson } from '../support/people.js';

const SECRET = 'library-sync-edits-secret';
const db = useTestDatabase();
let fake: FakeLibreTime | undefined;
afterEach(async () => {
  expect(fake?.violations ?? []).toEqual([]);
  await fake?.close();
  fake = undefined;
});

const activities = () => createLibrarySyncActivities({ db, libretimeFor: (connection) => createLibreTimeClient(connection, { retries: 0 }) });
async function sync() {
  const opened = await activities().openLibrarySync({ station: 'kqtr', workflowId: 'library-sync:kqtr' });
  const result = (await new MockActivityEnvironment().run(() => activities().importLibreTimeLibrary({ syncId: opened.syncId, stationId: opened.stationId }))) as LibrarySyncResult;
  await activities().finishLibrarySync({ syncId: opened.syncId, result });
  return result;
}

describe('the nightly sync and LibreLog’s edits', () => {
  it('keeps a type, genre, mood and rotation changed in LibreLog, and still takes LibreTime’s new cues and untouched fields', async () => {
    fake = await startFakeLibreTime();
    await importStationBundle(db, smallStationBundle());
    await db('stations').where({ slug: 'kqtr' }).update({ playoutTarget: 'libretime', libretimeUrl: fake.url, libretimeApiKey: fake.apiKey });
    const music = fake.addLibrary({ code: 'MUS', name: 'Music' });
    const file = fake.addFile({ track_title: 'Sonora', artist_name: 'Ana Ruiz', genre: 'Latin', mood: 'warm', library: music.id });
    const other = fake.addFile({ track_title: 'Plain', artist_name: 'Ben Cole', genre: 'Folk', library: music.id });
    expect(await sync()).toMatchObject({ added: 2, keptEdits: 0 });
    const track = (await db('tracks').where({ libretimeFileId: file.id }).first('id')) as { id: string };

    // The programme director changes it in LibreLog: a bed now, pop, upbeat, out of rotation.
    const pd = await makePerson(db, SECRET, 'programming', { stations: ['kqtr'] });
    const app = createApp({ db, temporal: { namespace: 'default', check: () => Promise.resolve() }, jwtSecret: SECRET, log: () => undefined });
    await request(app).patch(`/api/v1/stations/kqtr/tracks/${track.id}`).set('Authorization', pd.authorization).send({ type: 'BED', genre: 'pop', mood: 'upbeat', removed: true, title: 'Sonora' }).expect(200);
    // Only what really changed is LibreLog's (the title was sent as it was).
    expect(((await db('tracks').where({ id: track.id }).first('editedInLibrelog')) as { editedInLibrelog: string[] }).editedInLibrelog).toEqual(['genre', 'mood', 'removed', 'type']);

    // Meanwhile LibreTime trims the file's cues, renames the artist, and changes the other file's genre.
    const lt = fake.files.find((f) => f.id === file.id)!;
    lt.cue_in = '00:00:01.5';
    lt.artist_name = 'Ana Ruiz & Trio';
    fake.files.find((f) => f.id === other.id)!.genre = 'Americana';

    const result = await sync();
    expect(result).toMatchObject({ updated: 2, keptEdits: 1 });
    expect(await db('tracks').where({ id: track.id }).first('type', 'genre', 'mood', 'removed', 'artist', 'cueInMs')).toEqual({ type: 'BED', genre: 'pop', mood: 'upbeat', removed: true, artist: 'Ana Ruiz & Trio', cueInMs: 1_500 });
    expect(((await db('tracks').where({ libretimeFileId: other.id }).first('genre')) as { genre: string }).genre).toBe('Americana');
    // It says what it changed, track by track.
    expect(result.changes).toEqual(
      expect.arrayContaining([
        { trackId: track.id, libretimeFileId: file.id, title: 'Sonora', change: 'updated', fields: ['artist', 'cueInMs'] },
        expect.objectContaining({ libretimeFileId: other.id, change: 'updated', fields: ['genre'] }),
      ]),
    );
    // Again: nothing to change, the edits still kept.
    expect(await sync()).toMatchObject({ updated: 0, unchanged: 2, keptEdits: 1 });
    // And the API's sync list shows it.
    const syncs = (await request(app).get('/api/v1/stations/kqtr/library/syncs').set('Authorization', pd.authorization).expect(200)).body as { keptEdits: number; changes: unknown[] }[];
    expect(syncs[0]).toMatchObject({ keptEdits: 1, changes: [] });
    expect(syncs[1]!.changes).toHaveLength(2);
  });
});
