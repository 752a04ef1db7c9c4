// The web app's side of the report data (issue 14, item 1), loaders and actions called as Remix
// calls them against the real API and PostgreSQL: the station's admin fills in the Station
// details page (the API's refusals shown next to their fields, a stale page said in words); a
// viewer sees the details without a form; programming fills in a track's report data in the
// library editor.
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApi, type RunningApi } from '../../api/server.js';
import { importStationBundle } from '../../db/bundle-import.js';
import { useSessionDatabase } from '../../web/app/lib/session.server.js';
import * as library from '../../web/app/routes/stations.$station.library.js';
import * as settings from '../../web/app/routes/stations.$station.settings.js';
import { smallStationBundle } from '../fixtures/bundles.js';
import { useTestDatabase } from '../support/db.js';
import { addPerson } from '../support/people.js';
import { freePort } from '../support/ports.js';
import { sessionCookies } from '../support/web-session.js';

const db = useTestDatabase({ truncateBeforeEach: false });
let api: RunningApi;
let dataDir: string;
const WEB = 'http://web.test';
const STATION = 'kqtr';
const PASSWORD = 'report data pages password';
const EMAIL = { admin: 'admin@kqtr.example', programming: 'programming@kqtr.example', viewer: 'viewer@kqtr.example' } as const;
type Who = keyof typeof EMAIL;
const cookieOf = sessionCookies(WEB, PASSWORD);

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(os.tmpdir(), 'librelog-report-data-pages-'));
  await importStationBundle(db, smallStationBundle());
  for (const role of ['admin', 'programming', 'viewer'] as const) await addPerson(db, { email: EMAIL[role], name: `${role} person`, role, stations: [STATION], password: PASSWORD });
  api = await startApi({ port: await freePort(), db, temporal: { namespace: 'default', check: () => Promise.resolve() }, jwtSecret: 'report-data-pages-secret', dataDir });
  process.env.API_URL = api.url;
  process.env.LIBRELOG_SESSION_SECRET = 'report-data-pages-session-secret';
  useSessionDatabase(db);
});
afterAll(async () => {
  await api?.close();
  await rm(dataDir, { recursive: true, force: true });
});

const args = (request: Request) => ({ request, params: { station: STATION }, context: {} });
const get = async (route: string, who: Who) => new Request(`${WEB}/stations/${STATION}/${route}`, { headers: { Cookie: await cookieOf(EMAIL[who]) } });
const post = async (route: string, who: Who, fields: Record<string, string | string[]>) => {
  const body = new URLSearchParams();
  for (const [name, value] of Object.entries(fields)) for (const v of [value].flat()) body.append(name, v);
  return new Request(`${WEB}/stations/${STATION}/${route}`, { method: 'POST', headers: { Cookie: await cookieOf(EMAIL[who]) }, body });
};

const details = {
  callLetters: 'kqtr-fm',
  frequency: '91.5 MHz',
  band: 'FM',
  market: 'Phoenix, AZ',
  communityOfLicense: 'Phoenix, Arizona',
  country: 'us',
  serviceName: 'KQTR-FM Community Radio',
  transmissionCategory: 'B',
  bmiStationId: 'KQTRFM',
  musicFormat: 'Variety',
  contactName: 'Alex Kim',
  contactStreet: '100 W Roosevelt St',
  contactCity: 'Phoenix',
  contactRegion: 'AZ',
  contactPostalCode: '85003',
  contactPhone: '',
  contactEmail: 'traffic@kqtr.example',
  signerName: 'Alex Kim',
  signerTitle: 'Station Manager',
};

describe('the Station details page', () => {
  it('the station’s admin fills in the details; call letters and country are put in capitals and blanks cleared', async () => {
    const loaded = await settings.loader(args(await get('settings', 'admin')));
    expect(loaded.mayEdit).toBe(true);
    expect(loaded.values).toMatchObject({ callLetters: '', band: '', contactEmail: '', signerName: '' });

    const saved = await settings.action(args(await post('settings', 'admin', { ...details, version: String(loaded.station.version) })));
    expect(saved).toMatchObject({ ok: true, errors: {}, values: { ...details, callLetters: 'KQTR-FM', country: 'US' }, version: loaded.station.version + 1 });
    expect(await db('stations').where({ slug: STATION }).first('callLetters', 'country', 'transmissionCategory', 'contact', 'signerTitle')).toEqual({
      callLetters: 'KQTR-FM',
      country: 'US',
      transmissionCategory: 'B',
      contact: { name: 'Alex Kim', street: '100 W Roosevelt St', city: 'Phoenix', region: 'AZ', postalCode: '85003', email: 'traffic@kqtr.example' },
      signerTitle: 'Station Manager',
    });
    expect((await settings.loader(args(await get('settings', 'admin')))).values).toMatchObject({ callLetters: 'KQTR-FM', contactPhone: '' });
  });

  it('shows the API’s refusals next to their fields, and says so when the page was stale', async () => {
    const { version } = (await settings.loader(args(await get('settings', 'admin')))).station;
    for (const [field, value] of [['country', 'USA'], ['contactEmail', 'not an address'], ['callLetters', 'KQTR FM'], ['bmiStationId', 'X'.repeat(26)]] as const) {
      const refused = await settings.action(args(await post('settings', 'admin', { ...details, [field]: value, version: String(version) })));
      expect(refused.ok).toBe(false);
      expect(Object.keys(refused.errors)).toEqual([field]);
      // What was typed stays in the form.
      expect(refused.values[field]).toBe(value);
    }

    const stale = await settings.action(args(await post('settings', 'admin', { ...details, version: String(version - 1) })));
    expect(stale).toMatchObject({ ok: false, message: expect.stringContaining('reload') as string });
  });

  it('a viewer sees the details without a form, and a change as a viewer is refused', async () => {
    const loaded = await settings.loader(args(await get('settings', 'viewer')));
    expect(loaded.mayEdit).toBe(false);
    expect(loaded.values.callLetters).toBe('KQTR-FM');
    const refused = await settings.action(args(await post('settings', 'viewer', { ...details, callLetters: 'KXXX' })));
    expect(refused).toMatchObject({ ok: false, message: 'Only the station’s admin may change its details.' });
    expect(await db('stations').where({ slug: STATION }).first('callLetters')).toEqual({ callLetters: 'KQTR-FM' });
  });
});

describe('the library editor’s report data', () => {
  const trackId = async () => ((await db('tracks').where({ ref: 'mus-1' }).first('id')) as { id: string }).id;
  const edit = (fields: Record<string, string | string[]>) => ({ type: 'MUS', ...fields });

  it('programming fills in writers one per line or by “;”, MAPL flags, usage and codes; a bad code is named at its field', async () => {
    const id = await trackId();
    const saved = await library.action(
      args(
        await post('library', 'programming', edit({
          trackId: id,
          album: 'Monsoon Season',
          label: 'Saguaro Records',
          isrc: 'usabc2600001',
          iswc: 'T-034.524.680-1',
          upc: '',
          writers: 'Ana Ruiz\nBen Cole; Cy Dunn\n',
          publishers: 'Bug & Co. Music',
          language: 'FR',
          mapl: ['music', 'lyrics'],
          maplUnknown: 'yes',
          usage: 'theme_open',
          instrumental: 'no',
          hit: '',
          contentCategory: '21',
        })),
      ),
    );
    expect(saved).toMatchObject({ ok: true });
    expect(await db('tracks').where({ id }).first('album', 'label', 'isrc', 'iswc', 'upc', 'writers', 'publishers', 'language', 'maplMusic', 'maplArtist', 'usage', 'instrumental', 'hit', 'contentCategory')).toEqual({
      album: 'Monsoon Season',
      label: 'Saguaro Records',
      isrc: 'USABC2600001',
      iswc: 'T-034.524.680-1',
      upc: null,
      writers: ['Ana Ruiz', 'Ben Cole', 'Cy Dunn'],
      publishers: ['Bug & Co. Music'],
      language: 'fr',
      // A ticked box says what is known: the others are not Canadian.
      maplMusic: true,
      maplArtist: false,
      usage: 'theme_open',
      instrumental: false,
      hit: null,
      contentCategory: '21',
    });
    const shown = (await library.loader(args(await get('library?q=Desert%20Bloom', 'programming')))).page.items[0]!;
    expect(shown).toMatchObject({ writers: ['Ana Ruiz', 'Ben Cole', 'Cy Dunn'], mapl: { music: true, artist: false, performance: false, lyrics: true } });

    // No box ticked and "not known": the flags are not known.
    await library.action(args(await post('library', 'programming', edit({ trackId: id, maplUnknown: 'yes', writers: 'Ana Ruiz' }))));
    expect(await db('tracks').where({ id }).first('maplMusic', 'writers', 'label')).toEqual({ maplMusic: null, writers: ['Ana Ruiz'], label: null });

    const refused = await library.action(args(await post('library', 'programming', edit({ trackId: id, isrc: 'US-ABC', upc: '036000291453' }))));
    expect(refused).toMatchObject({ ok: false });
    expect(Object.keys(refused.errors).sort()).toEqual(['isrc']);
    const checkDigit = await library.action(args(await post('library', 'programming', edit({ trackId: id, upc: '036000291453' }))));
    expect(checkDigit.errors).toEqual({ upc: expect.stringContaining('check digit') as string });
  });
});
