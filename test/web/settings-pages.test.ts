// The station's Settings and Connections pages (issue 15, item 1), loaders and actions called as
// Remix calls them against the real API, PostgreSQL and the fake LibreTime and AzuraCast: the
// station's admin changes how logs are built (fill types in order, the tolerance in seconds),
// the API's refusals come back at their fields and a stale page is said; "Test connection"
// shows each check without saving anything; a key is replaced or removed, never shown; a
// viewer reads without a form.
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApi, type RunningApi } from '../../api/server.js';
import { importStationBundle } from '../../db/bundle-import.js';
import { useSessionDatabase } from '../../web/app/lib/session.server.js';
import * as connections from '../../web/app/routes/stations.$station.settings_.connections.js';
import * as settings from '../../web/app/routes/stations.$station.settings_.station.js';
import { startFakeAzuraCast, type FakeAzuraCast } from '../fakes/azuracast.js';
import { startFakeLibreTime, type FakeLibreTime } from '../fakes/libretime.js';
import { smallStationBundle } from '../fixtures/bundles.js';
import { useTestDatabase } from '../support/db.js';
import { addPerson } from '../support/people.js';
import { freePort } from '../support/ports.js';
import { sessionCookies } from '../support/web-session.js';

const db = useTestDatabase({ truncateBeforeEach: false });
let api: RunningApi;
let dataDir: string;
let libretime: FakeLibreTime;
let azuracast: FakeAzuraCast;
const WEB = 'http://web.test';
const STATION = 'kqtr';
const PASSWORD = 'settings pages password';
const LIBRETIME_KEY = 'lt-settings-page-key';
const AZURACAST_KEY = 'feedfacefeedface:settings-page-verifier';
const EMAIL = { admin: 'admin@kqtr.example', viewer: 'viewer@kqtr.example' } as const;
type Who = keyof typeof EMAIL;
const cookieOf = sessionCookies(WEB, PASSWORD);

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(os.tmpdir(), 'librelog-settings-pages-'));
  libretime = await startFakeLibreTime({ apiKey: LIBRETIME_KEY, stationName: 'KQTR on LibreTime' });
  azuracast = await startFakeAzuraCast({ apiKey: AZURACAST_KEY, stationId: 2, stationName: 'KQTR Stream' });
  await importStationBundle(db, smallStationBundle());
  for (const role of ['admin', 'viewer'] as const) await addPerson(db, { email: EMAIL[role], name: `${role} person`, role, stations: [STATION], password: PASSWORD });
  api = await startApi({ port: await freePort(), db, temporal: { namespace: 'default', check: () => Promise.resolve() }, jwtSecret: 'settings-pages-secret', dataDir });
  process.env.API_URL = api.url;
  process.env.LIBRELOG_SESSION_SECRET = 'settings-pages-session-secret';
  useSessionDatabase(db);
});
afterAll(async () => {
  await api?.close();
  await libretime?.close();
  await azuracast?.close();
  await rm(dataDir, { recursive: true, force: true });
});

const args = (request: Request) => ({ request, params: { station: STATION }, context: {} });
const get = async (route: string, who: Who) => new Request(`${WEB}/stations/${STATION}/${route}`, { headers: { Cookie: await cookieOf(EMAIL[who]) } });
const post = async (route: string, who: Who, fields: Record<string, string | string[]>) => {
  const body = new URLSearchParams();
  for (const [name, value] of Object.entries(fields)) for (const v of [value].flat()) body.append(name, v);
  return new Request(`${WEB}/stations/${STATION}/${route}`, { method: 'POST', headers: { Cookie: await cookieOf(EMAIL[who]) }, body });
};
const stationRow = () =>
  db('stations')
    .where({ slug: STATION })
    .first('timezone', 'buildHour', 'buildDaysAhead', 'fillToleranceMs', 'fillTypes', 'trafficMayPublish', 'makeGoodSharePercent', 'playoutTarget', 'version') as Promise<Record<string, unknown>>;

const form = {
  timezone: 'America/Denver',
  playoutTarget: 'file',
  buildHour: '6',
  buildDaysAhead: '3',
  approvalLeadHours: '24',
  reconcileGraceMinutes: '90',
  fillToleranceSeconds: '7.5',
  // Ticked, in the order shown.
  fillTypes: ['BED', 'PRO'],
  trafficMayPublish: 'on',
  makeGoodGraceDays: '14',
  makeGoodSharePercent: '25',
};

describe('the Settings page', () => {
  it('lists every IANA zone and the station’s settings, the tolerance in seconds', async () => {
    const loaded = await settings.loader(args(await get('settings/station', 'admin')));
    expect(loaded.mayEdit).toBe(true);
    expect(loaded.timezones).toContain('America/Phoenix');
    expect(loaded.timezones).toContain('Europe/Berlin');
    expect(loaded.values.fillToleranceSeconds).toBe(String((await db('stations').where({ slug: STATION }).first('fillToleranceMs') as { fillToleranceMs: number }).fillToleranceMs / 1000));
  });

  it('the station’s admin saves them with the version read: fill types in their order, seconds as milliseconds', async () => {
    const { version } = (await settings.loader(args(await get('settings/station', 'admin')))).station;
    const saved = await settings.action(args(await post('settings/station', 'admin', { ...form, version: String(version) })));
    expect(saved).toMatchObject({ ok: true, errors: {}, version: version + 1 });
    expect(await stationRow()).toMatchObject({
      timezone: 'America/Denver',
      buildHour: 6,
      fillToleranceMs: 7500,
      trafficMayPublish: true,
      makeGoodSharePercent: 25,
      version: version + 1,
    });
    const loaded = await settings.loader(args(await get('settings/station', 'admin')));
    expect(loaded.values).toMatchObject({ fillTypes: ['BED', 'PRO'], fillToleranceSeconds: '7.5', trafficMayPublish: true, timezone: 'America/Denver' });
  });

  it('says what is wrong next to each field, keeps what was typed, and says a stale page was changed by someone else', async () => {
    const { version } = (await settings.loader(args(await get('settings/station', 'admin')))).station;
    const local = await settings.action(args(await post('settings/station', 'admin', { ...form, buildDaysAhead: '40', fillToleranceSeconds: 'soon', fillTypes: [], version: String(version) })));
    expect(local.ok).toBe(false);
    expect(Object.keys(local.errors).sort()).toEqual(['buildDaysAhead', 'fillToleranceSeconds', 'fillTypes']);
    expect(local.values.buildDaysAhead).toBe('40');

    // The API's own refusal, at its field: a zone it does not know.
    const zone = await settings.action(args(await post('settings/station', 'admin', { ...form, timezone: 'Mars/Olympus_Mons', version: String(version) })));
    expect(zone).toMatchObject({ ok: false, errors: { timezone: expect.stringContaining('IANA') as string } });

    const stale = await settings.action(args(await post('settings/station', 'admin', { ...form, buildHour: '7', version: String(version - 1) })));
    expect(stale).toMatchObject({ ok: false, message: expect.stringContaining('Someone else changed the station') as string });
    expect(await stationRow()).toMatchObject({ buildHour: 6, version });
  });

  it('a viewer reads the settings without a form; a change as a viewer is refused', async () => {
    const loaded = await settings.loader(args(await get('settings/station', 'viewer')));
    expect(loaded.mayEdit).toBe(false);
    expect(loaded.values.timezone).toBe('America/Denver');
    const refused = await settings.action(args(await post('settings/station', 'viewer', { ...form, buildHour: '9' })));
    expect(refused).toMatchObject({ ok: false, message: 'Only the station’s admin may change its settings.' });
  });
});

describe('the Connections page', () => {
  const version = async () => (await connections.loader(args(await get('settings/connections', 'admin')))).connections.version;

  it('tests LibreTime with what the form holds, shows each check in words, and saves nothing', async () => {
    const before = await stationRow();
    const tested = await connections.action(args(await post('settings/connections', 'admin', { intent: 'test-libretime', url: libretime.url, apiKey: LIBRETIME_KEY, version: String(await version()) })));
    expect(tested).toMatchObject({ service: 'libretime', intent: 'test', ok: true, message: expect.stringContaining('Nothing was saved') as string });
    expect(tested.test!.checks.map((c) => [c.name, c.ok])).toEqual([
      ['Reachable', true],
      ['API version', true],
      ['API key', true],
    ]);
    expect(tested.test!.checks[0]!.said).toContain('KQTR on LibreTime');
    expect(JSON.stringify(tested)).not.toContain(LIBRETIME_KEY);
    expect(await stationRow()).toEqual(before);

    const wrongKey = await connections.action(args(await post('settings/connections', 'admin', { intent: 'test-libretime', url: libretime.url, apiKey: 'wrong', version: String(await version()) })));
    expect(wrongKey.ok).toBe(false);
    expect(wrongKey.test!.checks.find((c) => c.name === 'API key')).toMatchObject({ ok: false, said: expect.stringContaining('the API key was refused') as string });
  });

  it('a test without a URL, and one with a URL that is not http(s), are said at the address field', async () => {
    const none = await connections.action(args(await post('settings/connections', 'admin', { intent: 'test-libretime', url: '', version: String(await version()) })));
    expect(none.errors).toEqual({ url: expect.stringContaining('required') as string });
    const ftp = await connections.action(args(await post('settings/connections', 'admin', { intent: 'test-azuracast', url: 'ftp://radio.example', stationId: '2' })));
    expect(Object.keys(ftp.errors)).toEqual(['url']);
  });

  it('saves LibreTime’s address, key and track types; the key is then only “set”, and can be removed', async () => {
    const saved = await connections.action(
      args(
        await post('settings/connections', 'admin', {
          intent: 'save-libretime',
          url: libretime.url,
          apiKey: LIBRETIME_KEY,
          trackTypeCode: ['SWEEP', '', 'NEWS'],
          trackTypeType: ['PRO', '', 'INT'],
          version: String(await version()),
        }),
      ),
    );
    expect(saved).toMatchObject({ ok: true, message: 'Saved the LibreTime connection.' });
    const loaded = await connections.loader(args(await get('settings/connections', 'admin')));
    expect(loaded.connections.libretime).toEqual({ url: libretime.url, keySet: true, mappings: [['NEWS', 'INT'], ['SWEEP', 'PRO']] });
    expect(JSON.stringify(loaded)).not.toContain(LIBRETIME_KEY);

    // The saved key is what a test without one uses.
    const tested = await connections.action(args(await post('settings/connections', 'admin', { intent: 'test-libretime', url: '', apiKey: '' })));
    expect(tested).toMatchObject({ ok: true, test: { tested: { key: 'saved' } } });

    const twice = await connections.action(args(await post('settings/connections', 'admin', { intent: 'save-libretime', url: libretime.url, trackTypeCode: ['A', 'A'], trackTypeType: ['PRO', 'PSA'], version: String(await version()) })));
    expect(twice).toMatchObject({ ok: false, errors: { mappings: '"A" is mapped twice.' } });

    await connections.action(args(await post('settings/connections', 'admin', { intent: 'save-libretime', url: libretime.url, apiKey: '', removeKey: 'on', version: String(await version()) })));
    expect(await db('stations').where({ slug: STATION }).first('libretimeApiKey', 'settings')).toMatchObject({ libretimeApiKey: null, settings: { libretimeTrackTypes: {} } });
  });

  it('tests and saves AzuraCast: a station it does not have is said, the saved one found by name', async () => {
    const missing = await connections.action(args(await post('settings/connections', 'admin', { intent: 'test-azuracast', url: azuracast.url, stationId: '5', apiKey: AZURACAST_KEY })));
    expect(missing.ok).toBe(false);
    expect(missing.test!.checks.at(-1)).toMatchObject({ name: 'Station', ok: false, said: expect.stringMatching(/^404: AzuraCast has no station 5/) as string });

    const saved = await connections.action(args(await post('settings/connections', 'admin', { intent: 'save-azuracast', url: azuracast.url, stationId: '2', apiKey: AZURACAST_KEY, version: String(await version()) })));
    expect(saved).toMatchObject({ ok: true });
    const tested = await connections.action(args(await post('settings/connections', 'admin', { intent: 'test-azuracast', url: '', stationId: '' })));
    expect(tested.ok).toBe(true);
    expect(tested.test!.checks[1]!.said).toBe('Station 2 is "KQTR Stream" (kqtr_stream).');

    const stale = await connections.action(args(await post('settings/connections', 'admin', { intent: 'save-azuracast', url: azuracast.url, stationId: '3', version: '1' })));
    expect(stale.message).toContain('Someone else changed the station');
  });

  it('a viewer sees the connections (a key only as set) and may neither test nor change them', async () => {
    const loaded = await connections.loader(args(await get('settings/connections', 'viewer')));
    expect(loaded.mayEdit).toBe(false);
    expect(loaded.connections.azuracast).toMatchObject({ url: azuracast.url, stationId: '2', keySet: true });
    const test = await connections.action(args(await post('settings/connections', 'viewer', { intent: 'test-azuracast', url: '', stationId: '' })));
    expect(test.ok).toBe(false);
    const save = await connections.action(args(await post('settings/connections', 'viewer', { intent: 'save-azuracast', url: '', stationId: '' })));
    expect(save).toMatchObject({ ok: false, message: 'Only the station’s admin may change its connections.' });
  });
});
