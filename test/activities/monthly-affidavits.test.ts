// The month's affidavits, filed after the month closes: one PDF and one CSV per advertiser with
// an order in the month, under affidavits/<station>/<YYYY-MM>/, the same as the API gives;
// filing again rewrites them.
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import request from 'supertest';
import { afterEach, describe, expect, it } from 'vitest';
import { createApp } from '../../api/app.js';
import { createAffidavitActivities } from '../../activities/affidavits.js';
import { importStationBundle } from '../../db/bundle-import.js';
import { affidavitCsv } from '../../domain/affidavit.js';
import { prepareAffidavit } from '../../reports/affidavits.js';
import { smallStationBundle } from '../fixtures/bundles.js';
import { useTestDatabase } from '../support/db.js';
import { makePerson } from '../support/people.js';

const db = useTestDatabase();
let dataDir: string | undefined;
afterEach(async () => {
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

describe('the monthly affidavits', () => {
  it('files a PDF and a CSV for each advertiser with an order in the month, and again the same way', async () => {
    const { stationId } = await importStationBundle(db, smallStationBundle());
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'librelog-affidavits-'));
    const steps = createAffidavitActivities({ db, dataDir });
    const filed = await steps.prepareMonthlyAffidavits({ station: 'kqtr', month: '2026-11' });
    expect(filed).toEqual({ station: 'kqtr', month: '2026-11', files: ['kqtr/2026-11/kqtr-affidavit-rainbow-motors-2026-11.pdf', 'kqtr/2026-11/kqtr-affidavit-rainbow-motors-2026-11.csv'] });
    const folder = path.join(dataDir, 'affidavits', 'kqtr', '2026-11');
    expect((await readdir(folder)).sort()).toEqual(['kqtr-affidavit-rainbow-motors-2026-11.csv', 'kqtr-affidavit-rainbow-motors-2026-11.pdf']);
    expect((await readFile(path.join(folder, 'kqtr-affidavit-rainbow-motors-2026-11.pdf'))).subarray(0, 5).toString()).toBe('%PDF-');
    // The CSV is the one the API gives for the advertiser and month (but for when it was made).
    const advertiserId = ((await db('advertisers').where({ stationId }).first('id')) as { id: string }).id;
    const expected = affidavitCsv(await prepareAffidavit(db, stationId, { advertiserId, kind: 'month', month: '2026-11', signer: null, now: new Date() }));
    const stamp = (csv: string) => csv.replace(/\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?[^,\r\n]*/g, 'T');
    expect(stamp(await readFile(path.join(folder, 'kqtr-affidavit-rainbow-motors-2026-11.csv'), 'utf8'))).toBe(stamp(expected));

    // A month with no order files nothing; filing November again leaves the same two files.
    expect((await steps.prepareMonthlyAffidavits({ station: 'kqtr', month: '2025-01' })).files).toEqual([]);
    await steps.prepareMonthlyAffidavits({ station: 'kqtr', month: '2026-11' });
    expect((await readdir(folder)).sort()).toHaveLength(2);

    // Traffic finds them through the API, and downloads one as it was filed.
    const app = createApp({ db, temporal: { namespace: 'default', check: () => Promise.resolve() }, jwtSecret: 'filed-secret', dataDir, log: () => undefined });
    const traffic = await makePerson(db, 'filed-secret', 'traffic', { stations: ['kqtr'] });
    const viewer = await makePerson(db, 'filed-secret', 'viewer', { stations: ['kqtr'] });
    const listed = await request(app).get('/api/v1/stations/kqtr/affidavits/filed').set('Authorization', traffic.authorization).expect(200);
    expect(listed.body).toEqual([{ month: '2026-11', files: ['kqtr-affidavit-rainbow-motors-2026-11.csv', 'kqtr-affidavit-rainbow-motors-2026-11.pdf'] }]);
    const pdf = await request(app).get('/api/v1/stations/kqtr/affidavits/filed/2026-11/kqtr-affidavit-rainbow-motors-2026-11.pdf').set('Authorization', traffic.authorization).buffer(true).expect(200);
    expect(pdf.headers['content-type']).toBe('application/pdf');
    expect(pdf.headers['content-disposition']).toBe('attachment; filename="kqtr-affidavit-rainbow-motors-2026-11.pdf"');
    await request(app).get('/api/v1/stations/kqtr/affidavits/filed/2026-10/kqtr-affidavit-rainbow-motors-2026-10.pdf').set('Authorization', traffic.authorization).expect(404);
    await request(app).get('/api/v1/stations/kqtr/affidavits/filed/2026-11/..%2F..%2Fjwt-secret').set('Authorization', traffic.authorization).expect((res) => expect([400, 404]).toContain(res.status));
    await request(app).get('/api/v1/stations/kqtr/affidavits/filed').set('Authorization', viewer.authorization).expect(403);
  });
});
