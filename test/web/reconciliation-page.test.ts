// The reconciliation page's loader, its CSV download and the log page's results after air,
// called as Remix calls them, against the real API and PostgreSQL (issue 13, item 3): yesterday
// at the station by default (not built here, said so); a day with each entry's outcome in
// words; a period with its days and campaign totals; a bad period refused next to its field; the
// CSV passed through as an attachment; and the log page's badge per entry.
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { DateTime } from 'luxon';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApi, type RunningApi } from '../../api/server.js';
import { importStationBundle } from '../../db/bundle-import.js';
import { useSessionDatabase } from '../../web/app/lib/session.server.js';
import * as logPage from '../../web/app/routes/stations.$station.logs.$date.js';
import * as reconciliationCsv from '../../web/app/routes/stations.$station.reconciliation[.csv].js';
import * as reconciliation from '../../web/app/routes/stations.$station.reconciliation.js';
import * as signIn from '../../web/app/routes/sign-in.js';
import { smallStationBundle } from '../fixtures/bundles.js';
import { useTestDatabase } from '../support/db.js';
import { addPerson } from '../support/people.js';
import { freePort } from '../support/ports.js';

const db = useTestDatabase({ truncateBeforeEach: false });
let api: RunningApi;
let dataDir: string;
const WEB = 'http://web.test';
const STATION = 'krec';
const PASSWORD = 'reconciliation page password';
const EMAIL = 'viewer@krec.example';
const ENTRY = { aired: '00000000-0000-4000-8000-0000000000a1', missed: '00000000-0000-4000-8000-0000000000a2' };

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(os.tmpdir(), 'librelog-reconciliation-page-'));
  const bundle = smallStationBundle();
  const { stationId } = await importStationBundle(db, { ...bundle, station: { ...bundle.station, slug: STATION, name: 'Reconciled FM' } });
  await addPerson(db, { email: EMAIL, name: 'Vera Viewer', role: 'viewer', stations: [STATION], password: PASSWORD });
  const campaignId = ((await db('campaigns').where({ stationId }).first('id')) as { id: string }).id;
  const trackId = ((await db('tracks').where({ stationId, ref: 'adv-1' }).first('id')) as { id: string }).id;
  // Tue 1 Dec at 07:20 and 07:40 Phoenix time (UTC−7): the first spot aired, the second did not.
  const [log] = (await db('daily_logs').insert({ stationId, broadcastDate: '2026-12-01', workflowId: `broadcast-day:${STATION}:2026-12-01`, status: 'reconciled', version: 1 }).returning('id')) as { id: string }[];
  const spot = (id: string, position: number, startsAt: string) => ({ id, logId: log!.id, position, startsAt: new Date(startsAt), lengthMs: 30_000, type: 'ADV', trackId, campaignId, hour: 7, title: 'Rainbow Motors — Fall Sale' });
  await db('log_entries').insert([spot(ENTRY.aired, 0, '2026-12-01T14:20:00Z'), spot(ENTRY.missed, 1, '2026-12-01T14:40:00Z')]);
  await db('playback_history').insert({ stationId, source: 'libretime', externalId: 'h1', logEntryId: ENTRY.aired, trackId, startedAt: new Date('2026-12-01T14:20:30Z'), endedAt: new Date('2026-12-01T14:21:00Z'), title: 'Rainbow Motors — Fall Sale' });

  api = await startApi({ port: await freePort(), db, temporal: { namespace: 'default', check: () => Promise.resolve() }, jwtSecret: 'reconciliation-page-secret', dataDir });
  process.env.API_URL = api.url;
  process.env.LIBRELOG_SESSION_SECRET = 'reconciliation-page-session-secret';
  useSessionDatabase(db);
});
afterAll(async () => {
  await api?.close();
  await rm(dataDir, { recursive: true, force: true });
});

async function responseOf(run: () => Promise<unknown>): Promise<Response> {
  try {
    const value = await run();
    if (value instanceof Response) return value;
  } catch (thrown) {
    if (thrown instanceof Response) return thrown;
    throw thrown;
  }
  throw new Error('expected a Response');
}

let cookie: Promise<string> | undefined;
const cookieOf = () =>
  (cookie ??= (async () => {
    const request = new Request(`${WEB}/sign-in`, { method: 'POST', body: new URLSearchParams({ email: EMAIL, password: PASSWORD, next: '/' }) });
    const response = await responseOf(() => signIn.action({ request, params: {}, context: {} }));
    expect(response.status).toBe(302);
    return response.headers.get('Set-Cookie')!.split(';')[0]!;
  })());

const get = async (route: string, query = '') => new Request(`${WEB}/stations/${STATION}/${route}${query}`, { headers: { Cookie: await cookieOf() } });
const page = async (query = '') => reconciliation.loader({ request: await get('reconciliation', query), params: { station: STATION }, context: {} });

describe('the reconciliation page', () => {
  it('shows yesterday at the station by default, and says when its log was not built', async () => {
    const loaded = await page();
    expect(loaded).toMatchObject({ kind: 'day', date: DateTime.now().setZone('America/Phoenix').minus({ days: 1 }).toISODate()!, report: null, problems: {} });
  });

  it('shows a day’s entries with their outcome in words, and its campaign totals', async () => {
    const loaded = await page('?date=2026-12-01');
    if (loaded.kind !== 'day' || !loaded.report) throw new Error('expected a day with a report');
    expect(loaded.report).toMatchObject({ state: 'reconciled', stateText: 'Reconciled from libretime' });
    expect(loaded.report.entries.map((e) => [e.scheduledTime, e.outcome, e.description])).toEqual([
      ['07:20:00', 'aired', 'Aired on time'],
      ['07:40:00', 'missed', 'Missed: playout recorded nothing at the time'],
    ]);
    expect(loaded.report.campaigns).toEqual([expect.objectContaining({ name: 'Fall Sale', ordered: 6, placed: 2, aired: 1, missed: 1 })]);
  });

  it('shows a period’s days and campaign totals; a period backwards is refused next to its field', async () => {
    const loaded = await page('?from=2026-12-01&to=2026-12-02');
    if (loaded.kind !== 'period') throw new Error('expected a period');
    expect(loaded.report.days.map((d) => [d.date, d.state])).toEqual([
      ['2026-12-01', 'reconciled'],
      ['2026-12-02', 'not_built'],
    ]);
    expect(loaded.report.campaigns).toEqual([expect.objectContaining({ ordered: 12, placed: 2, aired: 1, missed: 1 })]);
    expect((await page('?from=2026-12-02&to=2026-12-01')).problems).toEqual({ to: 'The last day cannot be before the first.' });
    expect((await page('?from=2026-12-01&to=nope')).problems).toEqual({ to: 'Choose the last day of the period.' });
  });

  it('downloads the day and the period as CSV attachments', async () => {
    const day = await reconciliationCsv.loader({ request: await get('reconciliation.csv', '?date=2026-12-01'), params: { station: STATION }, context: {} });
    expect(day.status).toBe(200);
    expect(day.headers.get('Content-Type')).toMatch(/^text\/csv/);
    expect(day.headers.get('Content-Disposition')).toBe(`attachment; filename="${STATION}-reconciliation-2026-12-01.csv"`);
    const lines = (await day.text()).split('\r\n');
    expect(lines[0]).toMatch(/^station,date,position,scheduled_at,/);
    expect(lines[1]).toContain(',aired,on_time,30,2026-12-01T07:20:30-07:00,');
    const campaigns = await reconciliationCsv.loader({ request: await get('reconciliation.csv', '?from=2026-12-01&to=2026-12-02&rows=campaigns'), params: { station: STATION }, context: {} });
    expect((await campaigns.text()).split('\r\n')[0]).toMatch(/^station,from,to,advertiser,campaign,/);
    const missing = await reconciliationCsv.loader({ request: await get('reconciliation.csv', '?date=2026-12-09'), params: { station: STATION }, context: {} });
    expect(missing.status).toBe(404);
  });

  it('the log page shows each entry’s result after air', async () => {
    const loaded = await logPage.loader({ request: await get('logs/2026-12-01'), params: { station: STATION, date: '2026-12-01' }, context: {} });
    expect(loaded.results).toEqual({
      [ENTRY.aired]: { outcome: 'aired', description: 'Aired on time' },
      [ENTRY.missed]: { outcome: 'missed', description: 'Missed: playout recorded nothing at the time' },
    });
  });
});
