// The day's log page's downloads against the real API and PostgreSQL: a viewer downloads the
// program log as PDF and CSV with the API's file names (the resource route passes the API's file
// through); a day not built is the API's 404; the page offers both and a Print button.
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BuildStep } from '../../activities/broadcast-day.js';
import { startApi, type RunningApi } from '../../api/server.js';
import { importStationBundle } from '../../db/bundle-import.js';
import { useSessionDatabase } from '../../web/app/lib/session.server.js';
import * as download from '../../web/app/routes/stations.$station.logs.$date_.download.js';
import * as page from '../../web/app/routes/stations.$station.logs.$date.js';
import { smallStationBundle } from '../fixtures/bundles.js';
import { useTestDatabase } from '../support/db.js';
import { addPerson } from '../support/people.js';
import { freePort } from '../support/ports.js';
import { activitiesFor } from '../support/temporal.js';
import { sessionCookies } from '../support/web-session.js';

const db = useTestDatabase({ truncateBeforeEach: false });
const WEB = 'http://web.test';
const STATION = 'kqtr';
const DATE = '2026-12-08';
const PASSWORD = 'log download password';
const EMAIL = 'viewer@kqtr.example';
let api: RunningApi;
let entries: number;

beforeAll(async () => {
  await importStationBundle(db, smallStationBundle());
  await db('stations').where({ slug: STATION }).update({ callLetters: 'KQTR-FM', communityOfLicense: 'Phoenix, AZ' });
  await addPerson(db, { email: EMAIL, name: 'Vera Viewer', role: 'viewer', stations: [STATION], password: PASSWORD });
  const steps = activitiesFor(db);
  const opened = await steps.openBroadcastDay({ stationId: STATION, date: DATE, workflowId: `broadcast-day:${STATION}:${DATE}`, runId: 'r1' });
  const step: BuildStep = { stationId: opened.stationId, date: DATE, seed: 3, logId: opened.logId, version: 1, stages: 'memory' };
  await steps.expandClocks(step);
  await steps.placeTraffic({ ...step, after: 'expanded' });
  await steps.overlayVoiceTracks({ ...step, after: 'traffic' });
  await steps.scheduleMusic({ ...step, after: 'voiced' });
  await steps.saveDraft({ ...step, after: 'music' });
  entries = Number(((await db('log_entries').where({ logId: opened.logId }).count({ n: '*' }).first()) as { n: string }).n);
  api = await startApi({ port: await freePort(), db, temporal: { namespace: 'default', check: () => Promise.resolve() }, jwtSecret: 'log-download-secret', dataDir: path.join(os.tmpdir(), 'librelog-log-download') });
  process.env.API_URL = api.url;
  process.env.LIBRELOG_SESSION_SECRET = 'log-download-session-secret-of-32-chars';
  useSessionDatabase(db);
});
afterAll(async () => {
  await api?.close();
});

const signedIn = sessionCookies(WEB, PASSWORD);
const requestAs = async (url: string) => new Request(`${WEB}${url}`, { headers: { Cookie: await signedIn(EMAIL) } });
const downloaded = async (date: string, format: string) =>
  download.loader({ request: await requestAs(`/stations/${STATION}/logs/${date}/download?format=${format}`), params: { station: STATION, date }, context: {} });

describe('downloading a day’s log from its page', () => {
  it('passes the API’s PDF through with its file name, not to be cached', async () => {
    const pdf = await downloaded(DATE, 'pdf');
    expect(pdf.status).toBe(200);
    expect(pdf.headers.get('Content-Type')).toBe('application/pdf');
    expect(pdf.headers.get('Content-Disposition')).toBe(`attachment; filename="${STATION}-log-${DATE}.pdf"`);
    expect(pdf.headers.get('Cache-Control')).toBe('private, no-store');
    expect(Buffer.from(await pdf.arrayBuffer()).subarray(0, 5).toString()).toBe('%PDF-');
  });

  it('passes the CSV through: a header row and one row per entry', async () => {
    const csv = await downloaded(DATE, 'csv');
    expect(csv.status).toBe(200);
    expect(csv.headers.get('Content-Type')).toMatch(/^text\/csv/);
    expect(csv.headers.get('Content-Disposition')).toBe(`attachment; filename="${STATION}-log-${DATE}.csv"`);
    const lines = (await csv.text()).split('\r\n').filter(Boolean);
    expect(lines[0]).toMatch(/^date,hour,starts_at,time_zone,position,type,/);
    expect(lines).toHaveLength(entries + 1);
  });

  it('answers a day not built with the API’s 404', async () => {
    expect((await downloaded('2026-12-09', 'pdf')).status).toBe(404);
  });

  it('the page has the station’s identity for its printed header', async () => {
    const loaded = await page.loader({ request: await requestAs(`/stations/${STATION}/logs/${DATE}`), params: { station: STATION, date: DATE }, context: {} });
    expect(loaded.station.identity).toMatchObject({ callLetters: 'KQTR-FM', communityOfLicense: 'Phoenix, AZ' });
    expect(loaded.log.entries).toHaveLength(entries);
  });
});
