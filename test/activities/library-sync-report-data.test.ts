// The library sync brings what LibreTime knows of a file that the reports need (issue 14,
// item 1): its composer and lyricist are the writers, its label the record label, its ISRC, and
// its language as a code. LibreTime has no publisher: a track's publishers are LibreLog's own.
import { MockActivityEnvironment } from '@temporalio/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { createLibrarySyncActivities } from '../../activities/library-sync.js';
import { importStationBundle } from '../../db/bundle-import.js';
import { languageCode, splitNames } from '../../domain/track-metadata.js';
import { createLibreTimeClient } from '../../integrations/libretime/client.js';
import { startFakeLibreTime, type FakeLibreTime } from '../fakes/libretime.js';
import { smallStationBundle } from '../fixtures/bundles.js';
import { useTestDatabase } from '../support/db.js';

const db = useTestDatabase();
let fake: FakeLibreTime | undefined;
afterEach(async () => {
  expect(fake?.violations ?? []).toEqual([]);
  await fake?.close();
  fake = undefined;
});

async function sync() {
  const activities = createLibrarySyncActivities({ db, libretimeFor: (connection) => createLibreTimeClient(connection, { retries: 0 }) });
  const opened = await activities.openLibrarySync({ station: 'kqtr', workflowId: 'library-sync:kqtr' });
  return new MockActivityEnvironment().run(() => activities.importLibreTimeLibrary({ syncId: opened.syncId, stationId: opened.stationId }));
}

describe('the library sync and the report data', () => {
  it('maps LibreTime’s composer, lyricist, label, ISRC and language, and leaves the publishers to LibreLog', async () => {
    fake = await startFakeLibreTime();
    await importStationBundle(db, smallStationBundle());
    await db('stations').where({ slug: 'kqtr' }).update({ playoutTarget: 'libretime', libretimeUrl: fake.url, libretimeApiKey: fake.apiKey });
    const music = fake.addLibrary({ code: 'MUS', name: 'Music' });
    const file = fake.addFile({
      track_title: 'Sonora',
      artist_name: 'Ana Ruiz feat. Ben Cole',
      library: music.id,
      composer: 'Ana Ruiz / Ben Cole',
      lyricist: 'Cy Dunn; Ana Ruiz',
      label: 'Saguaro Records',
      isrc: 'USABC2600001',
      language: 'Español',
    });
    const plain = fake.addFile({ track_title: 'Plain', library: music.id });

    expect(await sync()).toMatchObject({ added: 2 });
    const columns = ['writers', 'publishers', 'label', 'isrc', 'language'];
    expect(await db('tracks').where({ libretimeFileId: file.id }).first(columns)).toEqual({
      writers: ['Ana Ruiz', 'Ben Cole', 'Cy Dunn'],
      publishers: [],
      label: 'Saguaro Records',
      isrc: 'USABC2600001',
      language: 'es',
    });
    expect(await db('tracks').where({ libretimeFileId: plain.id }).first(columns)).toEqual({ writers: [], publishers: [], label: null, isrc: null, language: null });

    // Publishers entered in LibreLog stay; the same file again changes nothing; a changed composer does.
    await db('tracks').where({ libretimeFileId: file.id }).update({ publishers: ['Desert Bloom Songs (BMI)'] });
    expect(await sync()).toMatchObject({ added: 0, updated: 0, unchanged: 2 });
    fake.files.find((f) => f.id === file.id)!.composer = 'Ana Ruiz';
    fake.files.find((f) => f.id === file.id)!.language = 'fr-CA';
    expect(await sync()).toMatchObject({ updated: 1, unchanged: 1 });
    expect(await db('tracks').where({ libretimeFileId: file.id }).first('writers', 'publishers', 'language')).toEqual({
      writers: ['Ana Ruiz', 'Cy Dunn'],
      publishers: ['Desert Bloom Songs (BMI)'],
      language: 'fr',
    });
  });
});

describe('names and languages from a tag', () => {
  it('splits writers at " / ", ";", " & " and line ends, publishers not at "&"; keeps "AC/DC" and "Smith, Jane" whole', () => {
    expect(splitNames('Lennon & McCartney / Harrison;Starr\nMartin')).toEqual(['Lennon', 'McCartney', 'Harrison', 'Starr', 'Martin']);
    expect(splitNames('Bug & Co. Music / Sony Music;  ', 'publishers')).toEqual(['Bug & Co. Music', 'Sony Music']);
    expect(splitNames('AC/DC')).toEqual(['AC/DC']);
    expect(splitNames('Smith, Jane & Doe, John')).toEqual(['Smith, Jane', 'Doe, John']);
    expect(splitNames('A / A')).toEqual(['A']);
    expect(splitNames(null)).toEqual([]);
  });

  it('takes a code as it is, a common language name as its code, and anything else as unknown', () => {
    expect(['en', 'FR', 'fra', 'en-US', 'English', 'français', 'Instrumental', 'Klingon', '', null].map(languageCode)).toEqual([
      'en', 'fr', 'fra', 'en', 'en', 'fr', 'zxx', null, null, null,
    ]);
  });
});
