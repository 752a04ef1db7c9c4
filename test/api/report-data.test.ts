// The data the royalty and compliance reports need (issue 14, item 1), through the API against
// the real app and PostgreSQL: a programme director fills in a track's label, codes, writers,
// publishers, language, Canadian content and usage; a station admin fills in the station's
// identity for report headers. Bad values are 400 naming the field; viewers only read.
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { createApp } from '../../api/app.js';
import { importStationBundle } from '../../db/bundle-import.js';
import { smallStationBundle } from '../fixtures/bundles.js';
import { useTestDatabase } from '../support/db.js';
import { makePerson } from '../support/people.js';

const SECRET = 'report-data-secret';
const db = useTestDatabase();
const api = () =>
  request(createApp({ db, temporal: { namespace: 'default', check: () => Promise.resolve() }, jwtSecret: SECRET, validateResponses: true, log: () => undefined }));

type Problem = { status: number; errors?: { path: string; message: string }[] };
const S = '/api/v1/stations/kqtr';

async function setUp() {
  await importStationBundle(db, smallStationBundle());
  const [admin, programming, viewer] = await Promise.all(
    (['admin', 'programming', 'viewer'] as const).map(async (role) => (await makePerson(db, SECRET, role, { stations: ['kqtr'] })).authorization),
  );
  const track = (await db('tracks').where({ ref: 'mus-1' }).first('id')) as { id: string };
  return { admin: admin!, programming: programming!, viewer: viewer!, trackId: track.id, http: api() };
}

describe('a track’s report data', () => {
  it('is shown with every field, filled in by programming and read back as sent', async () => {
    const { programming, viewer, trackId, http } = await setUp();
    const before = await http.get(`${S}/tracks/${trackId}`).set('Authorization', viewer).expect(200);
    // The bundle gave it an ISRC; the rest is not known yet.
    expect(before.body).toMatchObject({
      isrc: 'QZ-GPX-26-00001', label: null, iswc: null, upc: null, writers: [], publishers: [], language: null,
      mapl: { music: null, artist: null, performance: null, lyrics: null }, usage: null, instrumental: null, hit: null, contentCategory: null,
    });

    const change = {
      album: 'Monsoon Season',
      label: 'Saguaro Records',
      isrc: 'USABC2600001',
      iswc: 'T-034.524.680-1',
      upc: '036000291452',
      writers: ['Ana Ruiz', ' Ben Cole ', 'Ana Ruiz'],
      publishers: ['Desert Bloom Songs (BMI)'],
      language: 'es',
      mapl: { music: true, artist: false, lyrics: true },
      usage: 'theme_open',
      instrumental: false,
      hit: true,
      contentCategory: '21',
    };
    const after = await http.patch(`${S}/tracks/${trackId}`).set('Authorization', programming).send(change).expect(200);
    expect(after.body).toMatchObject({
      ...change,
      // Names are trimmed and kept once; a MAPL flag left out is not known.
      writers: ['Ana Ruiz', 'Ben Cole'],
      mapl: { music: true, artist: false, performance: null, lyrics: true },
    });
    expect(await db('tracks').where({ id: trackId }).first('writers', 'maplPerformance', 'usage', 'contentCategory')).toEqual({
      writers: ['Ana Ruiz', 'Ben Cole'], maplPerformance: null, usage: 'theme_open', contentCategory: '21',
    });
    const listed = await http.get(`${S}/tracks?q=Desert%20Bloom`).set('Authorization', viewer).expect(200);
    expect((listed.body as { items: unknown[] }).items[0]).toEqual(after.body);

    // Null clears; an empty list is no writers.
    const cleared = await http.patch(`${S}/tracks/${trackId}`).set('Authorization', programming).send({ label: null, writers: [], mapl: null, usage: null }).expect(200);
    expect(cleared.body).toMatchObject({ label: null, writers: [], mapl: { music: null, artist: null, performance: null, lyrics: null }, usage: null, publishers: ['Desert Bloom Songs (BMI)'] });
  });

  it('refuses a bad ISRC, ISWC, UPC, language, usage or content category with 400 naming the field; a viewer may not change it', async () => {
    const { programming, viewer, trackId, http } = await setUp();
    const refused = async (body: Record<string, unknown>) => {
      const res = await http.patch(`${S}/tracks/${trackId}`).set('Authorization', programming).send(body).expect(400);
      expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
      return (res.body as Problem).errors!.map((e) => e.path);
    };
    expect(await refused({ isrc: 'US-ABC-26-1' })).toContain('body.isrc');
    expect(await refused({ isrc: 'usabc2600001' })).toContain('body.isrc');
    expect(await refused({ iswc: 'T-034.524.680' })).toContain('body.iswc');
    // The right shape with the wrong check digit.
    expect(await refused({ iswc: 'T-034.524.680-2' })).toEqual(['body.iswc']);
    expect(await refused({ upc: '03600029145' })).toContain('body.upc');
    expect(await refused({ upc: '036000291453' })).toEqual(['body.upc']);
    expect(await refused({ language: 'English' })).toContain('body.language');
    expect(await refused({ usage: 'bed' })).toContain('body.usage');
    expect(await refused({ contentCategory: '29' })).toContain('body.contentCategory');
    expect(await refused({ mapl: { music: true, canadian: true } })).toContain('body.mapl.canadian');
    expect(await refused({ writers: [''] })).toContain('body.writers[0]');

    await http.patch(`${S}/tracks/${trackId}`).set('Authorization', viewer).send({ label: 'Nope Records' }).expect(403);
    expect(await db('tracks').where({ id: trackId }).first('label', 'iswc', 'upc')).toEqual({ label: null, iswc: null, upc: null });
  });
});

describe('a station’s identity', () => {
  const identity = {
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
    contact: { name: 'Alex Kim', street: '100 W Roosevelt St', city: 'Phoenix', region: 'AZ', postalCode: '85003', phone: '+1 602 555 0100', email: 'traffic@kqtr.example' },
    signer: { name: 'Alex Kim', title: 'Station Manager' },
  };
  const blank = {
    callLetters: null, frequency: null, band: null, market: null, communityOfLicense: null, country: null, serviceName: null,
    transmissionCategory: null, bmiStationId: null, musicFormat: null,
    contact: { name: null, street: null, city: null, region: null, postalCode: null, phone: null, email: null },
    signer: { name: null, title: null },
  };

  it('starts blank, is set by the station admin, and a later change replaces only the keys it names', async () => {
    const { admin, viewer, http } = await setUp();
    const read = await http.get(S).set('Authorization', viewer).expect(200);
    expect((read.body as { identity: unknown }).identity).toEqual(blank);

    const set = await http.patch(S).set('Authorization', admin).set('If-Match', read.headers.etag!).send({ identity }).expect(200);
    expect((set.body as { identity: unknown }).identity).toEqual(identity);
    expect(await db('stations').where({ slug: 'kqtr' }).first('callLetters', 'transmissionCategory', 'signerTitle', 'contact')).toEqual({
      callLetters: 'KQTR-FM', transmissionCategory: 'B', signerTitle: 'Station Manager', contact: identity.contact,
    });

    // A subset: the named keys change; contact and signer are replaced whole (what is left out is cleared).
    const changed = await http
      .patch(S)
      .set('Authorization', admin)
      .send({ identity: { frequency: null, band: 'online', contact: { name: 'Sam Ortiz', email: 'sam@kqtr.example' }, signer: { name: 'Sam Ortiz' } } })
      .expect(200);
    expect((changed.body as { identity: unknown }).identity).toEqual({
      ...identity,
      frequency: null,
      band: 'online',
      contact: { ...blank.contact, name: 'Sam Ortiz', email: 'sam@kqtr.example' },
      signer: { name: 'Sam Ortiz', title: null },
    });
    // The affidavit header reads it.
    const { affidavitStation } = await import('../../db/affidavits.js');
    const stationId = ((await db('stations').where({ slug: 'kqtr' }).first('id')) as { id: string }).id;
    expect(await affidavitStation(db, stationId)).toMatchObject({ callLetters: 'KQTR-FM', market: 'Phoenix, AZ' });
  });

  it('refuses bad call letters, country, band, transmission category or contact e-mail with 400 naming the field; a viewer gets 403', async () => {
    const { admin, viewer, http } = await setUp();
    const refused = async (change: Record<string, unknown>) => {
      const res = await http.patch(S).set('Authorization', admin).send({ identity: change }).expect(400);
      expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
      return (res.body as Problem).errors!.map((e) => e.path);
    };
    expect(await refused({ callLetters: 'kqtr fm' })).toContain('body.identity.callLetters');
    expect(await refused({ country: 'USA' })).toContain('body.identity.country');
    expect(await refused({ country: 'us' })).toContain('body.identity.country');
    expect(await refused({ band: 'SW' })).toContain('body.identity.band');
    expect(await refused({ transmissionCategory: 'D' })).toContain('body.identity.transmissionCategory');
    expect(await refused({ contact: { email: 'not an address' } })).toContain('body.identity.contact.email');
    expect(await refused({ signer: { name: 'A', rank: 'B' } })).toContain('body.identity.signer.rank');
    expect(await refused({ bmiStationId: 'X'.repeat(26) })).toContain('body.identity.bmiStationId');

    await http.patch(S).set('Authorization', viewer).send({ identity: { callLetters: 'KQTR-FM' } }).expect(403);
    expect(await db('stations').where({ slug: 'kqtr' }).first('callLetters', 'country')).toEqual({ callLetters: null, country: null });
  });

  it('comes with a new station when the owner gives it', async () => {
    const owner = (await makePerson(db, SECRET, 'admin')).authorization;
    const created = await api()
      .post('/api/v1/stations')
      .set('Authorization', owner)
      .send({ slug: 'cfxy', name: 'CFXY', timezone: 'America/Toronto', identity: { callLetters: 'CFXY-FM', country: 'CA', band: 'FM', contact: { city: 'Toronto' } } })
      .expect(201);
    expect((created.body as { identity: unknown }).identity).toEqual({ ...blank, callLetters: 'CFXY-FM', country: 'CA', band: 'FM', contact: { ...blank.contact, city: 'Toronto' } });
  });
});
