// The avails page's loader, called as Remix calls it, against the real API and PostgreSQL (issue
// 15, item 8): six weeks from today by default, week by week with each day's dayparts; the start
// and the number of weeks chosen in the form; a past day or a number of weeks outside 4–8 is
// said next to its field; a station the person does not work for is the page's 404.
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApi, type RunningApi } from '../../api/server.js';
import { importStationBundle } from '../../db/bundle-import.js';
import { broadcastDatesFrom } from '../../domain/broadcast-day.js';
import { addDays } from '../../domain/calendar-date.js';
import { useSessionDatabase } from '../../web/app/lib/session.server.js';
import * as availsPage from '../../web/app/routes/stations.$station.avails.js';
import { smallStationBundle } from '../fixtures/bundles.js';
import { useTestDatabase } from '../support/db.js';
import { addPerson } from '../support/people.js';
import { freePort } from '../support/ports.js';
import { responseOf, sessionCookies } from '../support/web-session.js';

const db = useTestDatabase({ truncateBeforeEach: false });
let api: RunningApi;
let dataDir: string;
const WEB = 'http://web.test';
const STATION = 'kavp';
const PASSWORD = 'avails page password';
const EMAIL = 'sales@kavp.example';
const cookieOf = sessionCookies(WEB, PASSWORD);
const today = () => broadcastDatesFrom(new Date(), 'America/Phoenix', 1)[0]!;

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(os.tmpdir(), 'librelog-avails-page-'));
  const bundle = smallStationBundle();
  const { stationId } = await importStationBundle(db, { ...bundle, station: { ...bundle.station, slug: STATION, name: 'Avails FM' } });
  await importStationBundle(db, { ...bundle, station: { ...bundle.station, slug: 'kavx', name: 'Elsewhere FM' } });
  await db('campaigns').where({ stationId }).update({ startsOn: addDays(today(), -10), endsOn: addDays(today(), 80) });
  await addPerson(db, { email: EMAIL, name: 'Sal Sales', role: 'viewer', stations: [STATION], password: PASSWORD });
  api = await startApi({ port: await freePort(), db, temporal: { namespace: 'default', check: () => Promise.resolve() }, jwtSecret: 'avails-page-secret', dataDir });
  process.env.API_URL = api.url;
  process.env.LIBRELOG_SESSION_SECRET = 'avails-page-session-secret';
  useSessionDatabase(db);
});
afterAll(async () => {
  await api?.close();
  await rm(dataDir, { recursive: true, force: true });
});

const page = async (query = '', station = STATION) =>
  availsPage.loader({ request: new Request(`${WEB}/stations/${station}/avails${query}`, { headers: { Cookie: await cookieOf(EMAIL) } }), params: { station }, context: {} });

describe('the avails page', () => {
  it('shows six weeks from today by default, week by week, each day with its dayparts', async () => {
    const loaded = await page();
    expect(loaded.problems).toEqual({});
    expect(loaded.asked).toEqual({ from: today(), weeks: 6 });
    const report = loaded.report!;
    expect(report.from).toBe(today());
    expect(report.to).toBe(addDays(today(), 41));
    expect(report.weeks.flatMap((w) => w.days)).toHaveLength(42);
    expect(report.dayparts.map((d) => d.name)).toEqual(['overnight', 'morning drive', 'Other hours']);
    // The Fall Sale's six a day in morning drive are sold on every weekday.
    const weekdays = report.weeks.flatMap((w) => w.days).filter((d) => d.weekday <= 5);
    expect(weekdays.every((d) => d.dayparts[1]!.sold === 6)).toBe(true);
    expect(report.total.free + report.total.sold - report.total.oversold).toBe(report.total.avails);
  });

  it('takes the start and the number of weeks from the form', async () => {
    const from = addDays(today(), 3);
    const loaded = await page(`?from=${from}&weeks=4`);
    expect(loaded.asked).toEqual({ from, weeks: 4 });
    expect(loaded.report!.weeks.flatMap((w) => w.days)).toHaveLength(28);
    expect(loaded.report!.from).toBe(from);
  });

  it('says a past day or a number of weeks outside 4 to 8 next to its field', async () => {
    const past = await page(`?from=${addDays(today(), -2)}`);
    expect(past.report).toBeNull();
    expect(past.problems.from).toMatch(/today .* or later/);
    const tooMany = await page('?weeks=9');
    expect(tooMany.report).toBeNull();
    expect(tooMany.problems.weeks).toBe('Choose 4 to 8 weeks.');
    expect((await page('?from=2026-02-30')).problems.from).toBe('Choose the first day.');
  });

  it('a station the person does not work for is the page’s 404', async () => {
    const response = await responseOf(() => page('', 'kavx'));
    expect(response.status).toBe(404);
  });
});
