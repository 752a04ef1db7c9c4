// A station bundle carries the data the reports need (issue 14, item 1): each track's label,
// codes, writers, publishers, language, Canadian content and usage, and the station's identity —
// the same after an export and an import. An older bundle's `composer` and `publisher`
// strings become the lists.
import { describe, expect, it } from 'vitest';
import { exportStationBundle } from '../../db/bundle-export.js';
import { importStationBundle } from '../../db/bundle-import.js';
import type { BundleStationIdentity, BundleTrack, StationBundle } from '../../domain/bundle/types.js';
import { BundleValidationError, validateStationBundle } from '../../domain/bundle/validate.js';
import { smallStationBundle } from '../fixtures/bundles.js';
import { useTestDatabase } from '../support/db.js';

const db = useTestDatabase();

const identity: BundleStationIdentity = {
  callLetters: 'KQTR-FM',
  frequency: '91.5 MHz',
  band: 'FM',
  market: 'Phoenix, AZ',
  communityOfLicense: 'Phoenix, Arizona',
  country: 'US',
  serviceName: 'KQTR-FM Community Radio',
  transmissionCategory: 'B',
  bmiStationId: 'KQTRFM',
  musicFormat: 'Variety',
  contact: { name: 'Alex Kim', city: 'Phoenix', region: 'AZ', email: 'traffic@kqtr.example' },
  signer: { name: 'Alex Kim', title: 'Station Manager' },
};

const reportData: Partial<BundleTrack> = {
  label: 'Saguaro Records',
  isrc: 'USABC2600001',
  iswc: 'T-034.524.680-1',
  upc: '036000291452',
  writers: ['Ana Ruiz', 'Ben Cole'],
  publishers: ['Bug & Co. Music', 'Desert Bloom Songs (BMI)'],
  language: 'fr',
  mapl: { music: true, artist: true, lyrics: false },
  usage: 'feature',
  instrumental: false,
  hit: true,
  contentCategory: '21',
};

function withReportData(): StationBundle {
  const bundle = smallStationBundle();
  bundle.station.identity = identity;
  Object.assign(bundle.library!.find((t) => t.ref === 'mus-1')!, reportData);
  return bundle;
}

const problemsOf = (bundle: unknown) => {
  try {
    validateStationBundle(bundle);
    return [];
  } catch (error) {
    if (error instanceof BundleValidationError) return error.problems.map((p) => p.path);
    throw error;
  }
};

describe('the report data in a station bundle', () => {
  it('comes back the same after an export and an import', async () => {
    const { stationId } = await importStationBundle(db, withReportData());
    expect(await db('stations').where({ id: stationId }).first('callLetters', 'band', 'contact', 'signerName')).toEqual({
      callLetters: 'KQTR-FM', band: 'FM', contact: identity.contact, signerName: 'Alex Kim',
    });
    expect(await db('tracks').where({ stationId, ref: 'mus-1' }).first('writers', 'publishers', 'maplMusic', 'maplPerformance', 'usage')).toEqual({
      writers: ['Ana Ruiz', 'Ben Cole'], publishers: ['Bug & Co. Music', 'Desert Bloom Songs (BMI)'], maplMusic: true, maplPerformance: null, usage: 'feature',
    });

    const exported = await exportStationBundle(db, stationId);
    expect(exported.station.identity).toEqual(identity);
    const track = exported.library!.find((t) => t.ref === 'mus-1')!;
    expect(track).toMatchObject(reportData);
    expect(track).not.toHaveProperty('composer');
    // What is not known is left out, not written as empty.
    const other = exported.library!.find((t) => t.ref !== 'mus-1' && t.type === 'MUS')!;
    for (const key of ['label', 'writers', 'publishers', 'mapl', 'usage', 'hit']) expect(other).not.toHaveProperty(key);
    expect(validateStationBundle(exported)).toBeTruthy();

    // Imported again, onto the same station: nothing changes.
    await importStationBundle(db, exported);
    expect(await exportStationBundle(db, stationId)).toEqual(exported);
    // A bundle without an identity leaves none behind once imported... and one with a smaller one replaces it.
    const smaller = { ...exported, station: { ...exported.station, identity: { callLetters: 'KQTR-FM' } } };
    await importStationBundle(db, smaller);
    expect((await exportStationBundle(db, stationId)).station.identity).toEqual({ callLetters: 'KQTR-FM' });
  });

  it('reads an older bundle’s composer and publisher strings into the lists', async () => {
    const bundle = smallStationBundle();
    Object.assign(bundle.library!.find((t) => t.ref === 'mus-1')!, { composer: 'Ana Ruiz / Ben Cole & Cy Dunn', publisher: 'Bug & Co. Music; Saguaro Sky Music (ASCAP)' });
    const { stationId } = await importStationBundle(db, bundle);
    expect(await db('tracks').where({ stationId, ref: 'mus-1' }).first('writers', 'publishers')).toEqual({
      writers: ['Ana Ruiz', 'Ben Cole', 'Cy Dunn'],
      publishers: ['Bug & Co. Music', 'Saguaro Sky Music (ASCAP)'],
    });
    // Exported as lists.
    const track = (await exportStationBundle(db, stationId)).library!.find((t) => t.ref === 'mus-1')!;
    expect(track).toMatchObject({ writers: ['Ana Ruiz', 'Ben Cole', 'Cy Dunn'], publishers: ['Bug & Co. Music', 'Saguaro Sky Music (ASCAP)'] });
    expect(track).not.toHaveProperty('composer');
    expect(track).not.toHaveProperty('publisher');
  });

  it('names the bad codes and the identity fields that do not fit', () => {
    const bad = withReportData();
    Object.assign(bad.library!.find((t) => t.ref === 'mus-1')!, { iswc: 'T-034.524.680-2', upc: '036000291453', composer: 'Ana Ruiz' });
    expect(problemsOf(bad)).toEqual(['$.library[0].composer', '$.library[0].iswc', '$.library[0].upc']);

    const shapes = withReportData();
    Object.assign(shapes.library!.find((t) => t.ref === 'mus-1')!, { isrc: 'US-ABC-26', usage: 'bed', language: 'French', contentCategory: '99' });
    Object.assign(shapes.station.identity!, { country: 'usa', band: 'SW', transmissionCategory: 'D' });
    expect(problemsOf(shapes).sort()).toEqual(
      [
        '$.library[0].contentCategory', '$.library[0].isrc', '$.library[0].language', '$.library[0].usage',
        '$.station.identity.band', '$.station.identity.country', '$.station.identity.transmissionCategory',
      ].sort(),
    );
  });
});
