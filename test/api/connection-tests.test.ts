// "Test connection" against the fake LibreTime and AzuraCast (and a web server that is neither,
// and a port nobody listens on): each check says what it asked and what came back, the far
// server's failures are results (200, ok: false), values in the body are tested without being
// saved, the saved key never leaves for another address, and nobody but the station's admin tests.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../api/app.js';
import { importStationBundle } from '../../db/bundle-import.js';
import { startFakeAzuraCast, type FakeAzuraCast } from '../fakes/azuracast.js';
import { startFakeLibreTime, type FakeLibreTime } from '../fakes/libretime.js';
import { smallStationBundle } from '../fixtures/bundles.js';
import { useTestDatabase } from '../support/db.js';
import { makePerson } from '../support/people.js';
import { freePort } from '../support/ports.js';

const SECRET = 'connection-tests-secret';
const db = useTestDatabase({ truncateBeforeEach: false });
const STATION = 'kqtr';
const LIBRETIME_KEY = 'lt-key-never-echoed-4711';
const AZURACAST_KEY = 'abcdef0123456789:never-echoed-azuracast-verifier';

let libretime: FakeLibreTime;
let azuracast: FakeAzuraCast;
let htmlSite: http.Server;
let htmlUrl: string;
let app: ReturnType<typeof createApp>;
const auth = {} as Record<'admin' | 'traffic' | 'viewer', string>;

interface Check {
  name: string;
  asked: string;
  ok: boolean;
  said: string;
}
interface TestResult {
  ok: boolean;
  tested: { url: string; stationId?: number; key: string };
  checks: Check[];
}

const testOf = (service: 'libretime' | 'azuracast', body?: Record<string, unknown>, who: keyof typeof auth = 'admin') => {
  const req = request(app).post(`/api/v1/stations/${STATION}/connections/${service}/test`).set('Authorization', auth[who]);
  return body === undefined ? req : req.send(body);
};
const saidBy = (result: TestResult) => Object.fromEntries(result.checks.map((check) => [check.name, check]));

beforeAll(async () => {
  libretime = await startFakeLibreTime({ apiKey: LIBRETIME_KEY, stationName: 'KQTR Community Radio' });
  libretime.addLibrary({ code: 'MUS', name: 'Music' });
  libretime.addLibrary({ code: 'AD', name: 'Advertisement' });
  azuracast = await startFakeAzuraCast({ apiKey: AZURACAST_KEY, stationId: 3, stationName: 'KQTR Stream', limitedApiKeys: ['0000000000000000:a-dj-without-reports'] });
  // A web server that is neither: every path answers a page.
  htmlSite = http.createServer((_req, res) => res.writeHead(200, { 'Content-Type': 'text/html' }).end('<!doctype html><title>Welcome to nginx!</title><h1>Welcome to nginx!</h1>'));
  await new Promise<void>((resolve) => htmlSite.listen(0, '127.0.0.1', resolve));
  htmlUrl = `http://127.0.0.1:${(htmlSite.address() as AddressInfo).port}`;

  await importStationBundle(db, smallStationBundle());
  await db('stations')
    .where({ slug: STATION })
    .update({ libretimeUrl: libretime.url, libretimeApiKey: LIBRETIME_KEY, azuracastUrl: azuracast.url, azuracastStationId: 3, azuracastApiKey: AZURACAST_KEY });
  for (const role of ['admin', 'traffic', 'viewer'] as const) auth[role] = (await makePerson(db, SECRET, role, { stations: [STATION], email: `${role}@connections.example` })).authorization;
  app = createApp({ db, temporal: { namespace: 'default', check: () => Promise.resolve() }, jwtSecret: SECRET, connectionTestTimeoutMs: 1_000, log: () => undefined });
});
afterAll(async () => {
  await libretime?.close();
  await azuracast?.close();
  await new Promise((resolve) => htmlSite?.close(resolve));
});

describe('testing the LibreTime connection', () => {
  it('a good LibreTime: reachable with its station name, API v2, the saved key accepted with its track types', async () => {
    const res = await testOf('libretime').expect(200);
    const result = res.body as TestResult;
    expect(result).toMatchObject({ ok: true, tested: { url: libretime.url, key: 'saved' } });
    expect(result.checks.map((check) => [check.name, check.asked, check.ok])).toEqual([
      ['Reachable', 'GET /api/v2/info', true],
      ['API version', 'GET /api/v2/version', true],
      ['API key', 'GET /api/v2/libraries (with the API key)', true],
    ]);
    expect(saidBy(result).Reachable!.said).toContain('"KQTR Community Radio"');
    expect(saidBy(result)['API version']!.said).toBe('API version 2.0.0.');
    expect(saidBy(result)['API key']!.said).toBe('The API key was accepted: 2 track types (MUS, AD).');
    expect(JSON.stringify(result)).not.toContain(LIBRETIME_KEY);
    expect(libretime.violations).toEqual([]);
  });

  it('a wrong key: ok false, the refusal said with LibreTime\'s own words; the key given is not saved', async () => {
    const before = (await db('stations').where({ slug: STATION }).first('version', 'libretimeApiKey')) as { version: number; libretimeApiKey: string };
    const result = (await testOf('libretime', { apiKey: 'not-the-key' }).expect(200)).body as TestResult;
    expect(result.ok).toBe(false);
    expect(result.tested.key).toBe('given');
    const key = saidBy(result)['API key']!;
    expect(key.ok).toBe(false);
    // LibreTime (DRF) answers 403, not 401, for a wrong Api-Key.
    expect(key.said).toMatch(/^403: the API key was refused — LibreTime said "Authentication credentials were not provided\."/);
    expect(saidBy(result).Reachable!.ok).toBe(true);
    expect(await db('stations').where({ slug: STATION }).first('version', 'libretimeApiKey')).toEqual(before);
    expect(JSON.stringify(result)).not.toContain('not-the-key');
  });

  it('a URL that answers a web page instead of JSON is said plainly, and the test stops there', async () => {
    const result = (await testOf('libretime', { url: htmlUrl }).expect(200)).body as TestResult;
    expect(result.ok).toBe(false);
    expect(result.checks).toHaveLength(1);
    expect(result.checks[0]).toMatchObject({ name: 'Reachable', ok: false });
    expect(result.checks[0]!.said).toMatch(/not JSON \(a web page\?\)/);
  });

  it('a port nobody listens on: connection refused, in words — a result, not a 5xx', async () => {
    const url = `http://127.0.0.1:${await freePort()}`;
    const result = (await testOf('libretime', { url }).expect(200)).body as TestResult;
    expect(result).toMatchObject({ ok: false, tested: { url, key: 'none' } });
    expect(result.checks[0]!.said).toMatch(/^Nothing is listening at 127\.0\.0\.1:\d+ \(connection refused\)/);
  });

  it('a LibreTime that does not answer in time is said to have timed out', async () => {
    libretime.hangNext(1);
    const result = (await testOf('libretime').expect(200)).body as TestResult;
    expect(result.checks[0]).toMatchObject({ name: 'Reachable', ok: false });
    expect(result.checks[0]!.said).toMatch(/^No answer within 1 s \(timed out\)/);
  });

  it('a name that does not resolve is a DNS failure', async () => {
    const result = (await testOf('libretime', { url: 'http://librelog-no-such-host.invalid' }).expect(200)).body as TestResult;
    expect(result.checks[0]!.said).toBe('The name librelog-no-such-host.invalid was not found (DNS): check the address.');
  });

  it('the saved key is not sent to another address: the key check is not asked there', async () => {
    const other = await startFakeLibreTime({ apiKey: LIBRETIME_KEY });
    try {
      const result = (await testOf('libretime', { url: other.url }).expect(200)).body as TestResult;
      expect(result.tested.key).toBe('none');
      expect(saidBy(result)['API key']).toMatchObject({ ok: false, said: expect.stringMatching(/saved key is sent only to the saved address/) as unknown });
      expect(other.count('GET', '/api/v2/libraries')).toBe(0);
    } finally {
      await other.close();
    }
  });

  it('refuses a URL that is not http(s), naming the field', async () => {
    const res = await testOf('libretime', { url: 'ftp://libretime.example' }).expect(400);
    expect((res.body as { errors: { path: string }[] }).errors.map((e) => e.path)).toContain('body.url');
  });

  it('audits who tested what, without the key', async () => {
    await testOf('libretime', { apiKey: 'audited-key-not-kept' }).expect(200);
    const rows = (await db('audit_log').where({ action: 'station.connection.test' }).orderBy('id', 'desc').select('*')) as { actorType: string; actorId: string; after: Record<string, unknown> }[];
    expect(rows[0]).toMatchObject({ actorType: 'user', actorId: expect.any(String) as unknown });
    expect(rows[0]!.after).toMatchObject({ service: 'libretime', url: libretime.url, key: 'given', ok: false });
    expect(JSON.stringify(rows)).not.toContain('audited-key-not-kept');
    expect(JSON.stringify(rows)).not.toContain(LIBRETIME_KEY);
  });
});

describe('testing the AzuraCast connection', () => {
  it('a good AzuraCast: online, the station by name and shortcode, the key reads its history', async () => {
    azuracast.history.push({ timestamp_start: Math.floor(Date.now() / 1000) - 600, duration: 180, title: 'Song', artist: 'Band' });
    const result = (await testOf('azuracast').expect(200)).body as TestResult;
    expect(result).toMatchObject({ ok: true, tested: { url: azuracast.url, stationId: 3, key: 'saved' } });
    expect(result.checks.map((check) => [check.name, check.ok])).toEqual([
      ['Reachable', true],
      ['Station', true],
      ['API key', true],
    ]);
    expect(saidBy(result).Station!.said).toBe('Station 3 is "KQTR Stream" (kqtr_stream).');
    expect(saidBy(result)['API key']!.said).toMatch(/accepted .* 1 play in the last hour/);
    expect(saidBy(result)['API key']!.asked).toMatch(/^GET \/api\/station\/3\/history\?start=\S+Z&end=\S+Z/);
    expect(azuracast.violations).toEqual([]);
    expect(JSON.stringify(result)).not.toContain(AZURACAST_KEY);
  });

  it('a station AzuraCast does not have: 404 "no station N", and the key is not asked', async () => {
    const result = (await testOf('azuracast', { stationId: 9 }).expect(200)).body as TestResult;
    expect(result.ok).toBe(false);
    expect(result.checks.map((check) => check.name)).toEqual(['Reachable', 'Station']);
    expect(saidBy(result).Station!.said).toMatch(/^404: AzuraCast has no station 9/);
    expect((await db('stations').where({ slug: STATION }).first('azuracastStationId')) as unknown).toEqual({ azuracastStationId: 3 });
  });

  it('a refused key and a key whose user lacks the permission are told apart', async () => {
    const refused = (await testOf('azuracast', { apiKey: 'nobody:knows-this' }).expect(200)).body as TestResult;
    expect(saidBy(refused)['API key']!.said).toMatch(/^403: the API key was refused — AzuraCast said "You must be logged in/);
    const limited = (await testOf('azuracast', { apiKey: '0000000000000000:a-dj-without-reports' }).expect(200)).body as TestResult;
    expect(saidBy(limited)['API key']!.said).toMatch(/^403: the key's user lacks the permission/);
  });

  it('a URL that answers a web page, and a missing station id, are said', async () => {
    const page = (await testOf('azuracast', { url: htmlUrl }).expect(200)).body as TestResult;
    expect(page.checks[0]!.said).toMatch(/not JSON/);
    await db('stations').where({ slug: STATION }).update({ azuracastStationId: null });
    try {
      const res = await testOf('azuracast').expect(400);
      expect((res.body as { errors: { path: string }[] }).errors.map((e) => e.path)).toEqual(['body.stationId']);
    } finally {
      await db('stations').where({ slug: STATION }).update({ azuracastStationId: 3 });
    }
  });
});

describe('who may test', () => {
  it.each(['traffic', 'viewer'] as const)('a %s of the station may not (403)', async (who) => {
    await testOf('libretime', undefined, who).expect(403);
    await testOf('azuracast', undefined, who).expect(403);
  });
});
