// The affidavits page against the real API and PostgreSQL: traffic chooses an advertiser and a
// month and downloads the affidavit as a PDF with the API's file name; what the monthly Schedule
// filed is listed and downloads as filed; a viewer is told affidavits are traffic's.
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAffidavitActivities } from '../../activities/affidavits.js';
import { startApi, type RunningApi } from '../../api/server.js';
import { importStationBundle } from '../../db/bundle-import.js';
import { useSessionDatabase } from '../../web/app/lib/session.server.js';
import * as page from '../../web/app/routes/stations.$station.affidavits._index.js';
import * as download from '../../web/app/routes/stations.$station.affidavits.download.js';
import * as filedFile from '../../web/app/routes/stations.$station.affidavits.filed.$month.$file.js';
import { smallStationBundle } from '../fixtures/bundles.js';
import { useTestDatabase } from '../support/db.js';
import { addPerson } from '../support/people.js';
import { freePort } from '../support/ports.js';
import { sessionCookies } from '../support/web-session.js';

const db = useTestDatabase({ truncateBeforeEach: false });
const WEB = 'http://web.test';
const STATION = 'kafp';
const PASSWORD = 'affidavits page password';
const EMAIL = { traffic: 'traffic@kafp.example', viewer: 'viewer@kafp.example' } as const;
type Who = keyof typeof EMAIL;
let api: RunningApi;
let dataDir: string;
let advertiserId: string;

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(os.tmpdir(), 'librelog-affidavits-page-'));
  const bundle = smallStationBundle();
  const { stationId } = await importStationBundle(db, { ...bundle, station: { ...bundle.station, slug: STATION, name: 'Affidavit FM' } });
  advertiserId = ((await db('advertisers').where({ stationId }).first('id')) as { id: string }).id;
  await addPerson(db, { email: EMAIL.traffic, name: 'Tara Traffic', role: 'traffic', stations: [STATION], password: PASSWORD });
  await addPerson(db, { email: EMAIL.viewer, name: 'Vera Viewer', role: 'viewer', stations: [STATION], password: PASSWORD });
  await createAffidavitActivities({ db, dataDir }).prepareMonthlyAffidavits({ station: STATION, month: '2026-11' });
  api = await startApi({ port: await freePort(), db, temporal: { namespace: 'default', check: () => Promise.resolve() }, jwtSecret: 'affidavits-page-secret', dataDir });
  process.env.API_URL = api.url;
  process.env.LIBRELOG_SESSION_SECRET = 'affidavits-page-session-secret-of-32-chars';
  useSessionDatabase(db);
});
afterAll(async () => {
  await api?.close();
  await rm(dataDir, { recursive: true, force: true });
});

const signedIn = sessionCookies(WEB, PASSWORD);
const cookieOf = (who: Who) => signedIn(EMAIL[who]);
const requestAs = async (who: Who, url: string) => new Request(`${WEB}${url}`, { headers: { Cookie: await cookieOf(who) } });

describe('the affidavits page', () => {
  it('offers traffic the advertisers, last month and what was filed', async () => {
    const loaded = await page.loader({ request: await requestAs('traffic', `/stations/${STATION}/affidavits`), params: { station: STATION }, context: {} });
    expect(loaded).toMatchObject({ mayHave: true, advertisers: [expect.objectContaining({ id: advertiserId, name: 'Rainbow Motors' })], filed: [{ month: '2026-11', files: [`${STATION}-affidavit-rainbow-motors-2026-11.csv`, `${STATION}-affidavit-rainbow-motors-2026-11.pdf`] }] });
    expect(loaded.lastMonth).toMatch(/^\d{4}-\d{2}$/);
  });

  it('downloads the affidavit as a PDF named by the API, and a filed one as filed', async () => {
    const pdf = await download.loader({ request: await requestAs('traffic', `/stations/${STATION}/affidavits/download?advertiser=${advertiserId}&period=month&month=2026-11&format=pdf&signer=&signerTitle=`), params: { station: STATION }, context: {} });
    expect(pdf.status).toBe(200);
    expect(pdf.headers.get('Content-Type')).toBe('application/pdf');
    expect(pdf.headers.get('Content-Disposition')).toBe(`attachment; filename="${STATION}-affidavit-rainbow-motors-2026-11.pdf"`);
    expect(Buffer.from(await pdf.arrayBuffer()).subarray(0, 5).toString()).toBe('%PDF-');
    // The whole flight takes no month, even if the form sent one.
    const flight = await download.loader({ request: await requestAs('traffic', `/stations/${STATION}/affidavits/download?advertiser=${advertiserId}&period=flight&month=2026-11&format=csv`), params: { station: STATION }, context: {} });
    expect(flight.status).toBe(200);
    expect(flight.headers.get('Content-Type')).toMatch(/^text\/csv/);
    const filed = await filedFile.loader({
      request: await requestAs('traffic', `/stations/${STATION}/affidavits/filed/2026-11/${STATION}-affidavit-rainbow-motors-2026-11.csv`),
      params: { station: STATION, month: '2026-11', file: `${STATION}-affidavit-rainbow-motors-2026-11.csv` },
      context: {},
    });
    expect(filed.status).toBe(200);
    expect(await filed.text()).toMatch(/^station,advertiser,agency,/);
  });

  it('tells a viewer affidavits are traffic’s, and the API refuses them the download', async () => {
    const loaded = await page.loader({ request: await requestAs('viewer', `/stations/${STATION}/affidavits`), params: { station: STATION }, context: {} });
    expect(loaded).toMatchObject({ mayHave: false, filed: [] });
    const refused = await download.loader({ request: await requestAs('viewer', `/stations/${STATION}/affidavits/download?advertiser=${advertiserId}&month=2026-11&format=pdf`), params: { station: STATION }, context: {} });
    expect(refused.status).toBe(403);
  });
});
