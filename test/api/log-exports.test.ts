// The printed program log and the CSV of a day through the API, against the real app and
// PostgreSQL, with days built by the build steps themselves: the PDF's text has the station's
// header, the version approved and by whom, every hour's total, the legal IDs marked and the
// exceptions; the CSV parses to one row per entry. A 25-hour day in Denver (2026-11-01) keeps
// its two 01:00 hours apart. Any role at the station may have them.
import { parse } from 'csv-parse/sync';
import { PDFParse } from 'pdf-parse';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import type { BuildStep } from '../../activities/broadcast-day.js';
import { createApp } from '../../api/app.js';
import { importStationBundle } from '../../db/bundle-import.js';
import { smallStationBundle } from '../fixtures/bundles.js';
import { useTestDatabase } from '../support/db.js';
import { makePerson, type TestPerson } from '../support/people.js';
import { activitiesFor } from '../support/temporal.js';

const SECRET = 'log-exports-secret';
const db = useTestDatabase();
const app = () => createApp({ db, temporal: { namespace: 'default', check: () => Promise.resolve() }, jwtSecret: SECRET, log: () => undefined });

let stationId: string;
let viewer: TestPerson;

/** A day built as its run builds it (expand, traffic, voice, music, save): its log id. */
async function buildDay(date: string): Promise<string> {
  const steps = activitiesFor(db);
  const opened = await steps.openBroadcastDay({ stationId: 'kqtr', date, workflowId: `broadcast-day:kqtr:${date}`, runId: `r-${date}` });
  const step: BuildStep = { stationId: opened.stationId, date, seed: 5, logId: opened.logId, version: 1, stages: 'memory' };
  await steps.expandClocks(step);
  await steps.placeTraffic({ ...step, after: 'expanded' });
  await steps.overlayVoiceTracks({ ...step, after: 'traffic' });
  await steps.scheduleMusic({ ...step, after: 'voiced' });
  await steps.saveDraft({ ...step, after: 'music' });
  return opened.logId;
}

const binary = (res: request.Response, callback: (error: Error | null, body: Buffer) => void) => {
  const chunks: Buffer[] = [];
  res.on('data', (chunk: Buffer) => chunks.push(chunk));
  res.on('end', () => callback(null, Buffer.concat(chunks)));
};

async function pdfText(pdf: Buffer): Promise<string> {
  expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
  const parser = new PDFParse({ data: new Uint8Array(pdf) });
  const { text } = await parser.getText();
  await parser.destroy();
  return text;
}

/** The small station with its identity on air, and a viewer of it. */
async function setUp(bundle = smallStationBundle()): Promise<void> {
  ({ stationId } = await importStationBundle(db, bundle));
  await db('stations').where({ id: stationId }).update({ callLetters: 'KQTR-FM', communityOfLicense: 'Phoenix, AZ', frequency: '91.5 MHz' });
  viewer = await makePerson(db, SECRET, 'viewer', { stations: ['kqtr'] });
}

describe('a day’s program log as PDF and CSV', () => {
  it('the PDF: station header, the version approved and by whom, each hour’s total, legal IDs marked and the exceptions', async () => {
    await setUp();
    const date = '2026-12-08';
    const logId = await buildDay(date);
    const approver = await makePerson(db, SECRET, 'traffic', { stations: ['kqtr'], name: 'Tara Traffic' });
    await db('daily_logs').where({ id: logId }).update({ status: 'approved', approvedVersion: 1, approvedBy: approver.id, approvedAt: new Date('2026-12-06T21:15:00Z') });
    await db('log_exceptions').insert({ logId, logVersion: 1, kind: 'approval_at_risk', severity: 'warning', message: 'Approved 27 hours before air, later than the station asks' });
    const entries = (await db('log_entries').where({ logId }).select('type', 'hourLabel')) as { type: string; hourLabel: string }[];
    const hours = new Set(entries.map((e) => e.hourLabel));
    expect(hours.size).toBe(24);

    const res = await request(app()).get(`/api/v1/stations/kqtr/logs/${date}`).set('Authorization', viewer.authorization).set('Accept', 'application/pdf').buffer(true).parse(binary).expect(200);
    expect(res.headers['content-type']).toBe('application/pdf');
    expect(res.headers['content-disposition']).toBe(`attachment; filename="kqtr-log-${date}.pdf"`);
    const text = await pdfText(res.body as Buffer);
    for (const words of [
      'Program log',
      'KQTR-FM — KQTR Community Radio, Phoenix, AZ — 91.5 MHz',
      `Broadcast day ${date} (Tuesday, December 8, 2026)`,
      'Version 1: approved — approved by Tara Traffic on 2026-12-06 at 14:15 MST',
      'Legal ID at 07:00:00 MST',
      'LEGAL ID',
      'WARNING',
      'Approved 27 hours before air, later than the station asks',
      'program log 2026-12-08, version 1 (approved) — page 1 of',
    ]) {
      expect(text, words).toContain(words);
    }
    // Every hour is headed with its total against the hour.
    expect(text.match(/Total \d+:\d{2}(:\d{2})? \((exactly the hour|\d+:\d{2} (over|under))\)/g)).toHaveLength(24);
    const lin = entries.filter((e) => e.type === 'LIN').length;
    expect(lin).toBeGreaterThan(0);
    expect(text.match(/LEGAL ID(?! IN)/g)?.length).toBeGreaterThanOrEqual(lin);
  });

  it('the CSV of a 25-hour day in Denver: one row per entry in air order, the two 01:00 hours by their zone, a make-good naming its original', async () => {
    // The order runs overnight (every day, 00:00 to 05:00: the repeated hour too) from October.
    const bundle = smallStationBundle();
    Object.assign(bundle.campaigns![0]!, { start: '2026-10-01', dayparts: ['overnight'] });
    await setUp(bundle);
    await db('stations').where({ id: stationId }).update({ timezone: 'America/Denver' });
    const date = '2026-11-01';
    const logId = await buildDay(date);
    const entries = (await db('log_entries').where({ logId }).orderBy('position').select('id', 'type', 'campaignId', 'hourLabel')) as { id: string; type: string; campaignId: string | null; hourLabel: string }[];
    // One spot makes good one of an earlier day (its log built too).
    const earlier = await buildDay('2026-10-30');
    const missed = (await db('log_entries').where({ logId: earlier }).whereNotNull('campaignId').orderBy('position').first('id', 'campaignId')) as { id: string; campaignId: string };
    const spot = entries.find((e) => e.campaignId)!;
    await db('make_goods').insert({ stationId, campaignId: missed.campaignId, missedEntryId: missed.id, scheduledEntryId: spot.id, reason: 'missed', status: 'scheduled' });

    const res = await request(app()).get(`/api/v1/stations/kqtr/logs/${date}?format=csv`).set('Authorization', viewer.authorization).expect(200);
    expect(res.headers['content-type']).toMatch(/^text\/csv; charset=utf-8/);
    expect(res.headers['content-disposition']).toBe(`attachment; filename="kqtr-log-${date}.csv"`);
    expect(res.text.endsWith('\r\n')).toBe(true);
    const rows = parse(res.text, { columns: true }) as Record<string, string>[];
    expect(rows.map((r) => r.entry_id)).toEqual(entries.map((e) => e.id));
    const hours = [...new Set(rows.map((r) => r.hour))];
    expect(hours).toHaveLength(25);
    expect(hours.slice(0, 4)).toEqual(['00:00', '01:00 MDT', '01:00 MST', '02:00']);
    expect(rows.find((r) => r.hour === '01:00 MDT')).toMatchObject({ time_zone: 'MDT', starts_at: expect.stringMatching(/^2026-11-01T01:00:00(\.\d+)?-06:00$/) as string });
    expect(rows.find((r) => r.hour === '01:00 MST')).toMatchObject({ time_zone: 'MST', starts_at: expect.stringMatching(/^2026-11-01T01:00:00(\.\d+)?-07:00$/) as string });
    const made = rows.find((r) => r.entry_id === spot.id)!;
    expect(made.make_good_of).toMatch(/^2026-10-30T\d{2}:\d{2}:\d{2}(\.\d+)?-06:00$/);
    expect(made.advertiser).toBe('Rainbow Motors');
    for (const r of rows) expect(r.length).toMatch(/^\d{2}:\d{2}:\d{2}$/);

    // The PDF of the same day: 25 hours, the clocks going back said in words.
    const pdf = await request(app()).get(`/api/v1/stations/kqtr/logs/${date}?format=pdf`).set('Authorization', viewer.authorization).buffer(true).parse(binary).expect(200);
    const text = await pdfText(pdf.body as Buffer);
    expect(text).toContain('25 hours: the clocks go back');
    expect(text).toContain('01:00 MDT');
    expect(text).toContain('01:00 MST');
    expect(text).toMatch(/Make-good of 2026-10-30 \d{2}:\d{2} MDT/);
  });

  it('JSON is still the default (with its ETag), a day not built is 404 in every format, and another station’s viewer may not have it', async () => {
    await setUp();
    const date = '2026-12-08';
    await buildDay(date);
    const json = await request(app()).get(`/api/v1/stations/kqtr/logs/${date}`).set('Authorization', viewer.authorization).set('Accept', 'text/html,*/*;q=0.8').expect(200);
    expect(json.headers['content-type']).toMatch(/^application\/json/);
    expect(json.headers.etag).toBeDefined();
    expect(json.headers.vary).toMatch(/Accept/);
    await request(app()).get('/api/v1/stations/kqtr/logs/2026-12-09?format=pdf').set('Authorization', viewer.authorization).expect(404);
    await request(app()).get(`/api/v1/stations/kqtr/logs/${date}?format=xlsx`).set('Authorization', viewer.authorization).expect(400);
    const bundle = smallStationBundle();
    await importStationBundle(db, { ...bundle, station: { ...bundle.station, slug: 'other', name: 'Other FM' } });
    const elsewhere = await makePerson(db, SECRET, 'viewer', { stations: ['other'] });
    const refused = await request(app()).get(`/api/v1/stations/kqtr/logs/${date}?format=csv`).set('Authorization', elsewhere.authorization);
    expect([403, 404]).toContain(refused.status);
  });
});
