// Affidavits through the API, against the real app and PostgreSQL: a campaign with copy (an
// ISCI), a reconciled day with three spots of which one did not air, its make-good aired the
// next day; the JSON lines, the CSV byte for byte against its golden file, and the PDF's text.
import { randomUUID } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { PDFParse } from 'pdf-parse';
import request from 'supertest';
import { beforeEach, describe, expect, it } from 'vitest';
import { createApp } from '../../api/app.js';
import { importStationBundle } from '../../db/bundle-import.js';
import { smallStationBundle } from '../fixtures/bundles.js';
import { useTestDatabase } from '../support/db.js';
import { makePerson, type TestPerson } from '../support/people.js';

const SECRET = 'affidavits-secret';
const GOLDEN = new URL('../fixtures/affidavits/kqtr-affidavit-rainbow-motors-2026-11.csv', import.meta.url);
const db = useTestDatabase();
const app = () => createApp({ db, temporal: { namespace: 'default', check: () => Promise.resolve() }, jwtSecret: SECRET, log: () => undefined });

let people: Record<'traffic' | 'admin' | 'viewer' | 'programming', TestPerson>;
let advertiserId: string;
let campaignId: string;
const entries = { first: randomUUID(), second: randomUUID(), missed: randomUUID(), makeGood: randomUUID() };

beforeEach(async () => {
  const { stationId } = await importStationBundle(db, smallStationBundle());
  await db('stations').where({ id: stationId }).update({ callLetters: 'KQTR-FM', market: 'Phoenix, AZ' });
  people = {
    traffic: await makePerson(db, SECRET, 'traffic', { stations: ['kqtr'] }),
    admin: await makePerson(db, SECRET, 'admin', { stations: ['kqtr'] }),
    viewer: await makePerson(db, SECRET, 'viewer', { stations: ['kqtr'] }),
    programming: await makePerson(db, SECRET, 'programming', { stations: ['kqtr'] }),
  };
  const campaign = (await db('campaigns').where({ stationId }).first('id', 'advertiserId')) as { id: string; advertiserId: string };
  campaignId = campaign.id;
  advertiserId = campaign.advertiserId;
  // The order: through an agency at 15 %, $80.00 a spot; its copy carries an ISCI code.
  await db('campaigns').where({ id: campaignId }).update({ orderNumber: 'RM-2026-114', agency: 'Saguaro Media', agencyCommissionPercent: 15, rateCents: 8_000 });
  await db('campaign_copy').where({ campaignId }).update({ isci: 'RBMO1234' });
  const trackId = ((await db('tracks').where({ stationId, ref: 'adv-1' }).first('id')) as { id: string }).id;

  const day = async (date: string) =>
    ((await db('daily_logs').insert({ stationId, broadcastDate: date, workflowId: `broadcast-day:kqtr:${date}`, status: 'reconciled', version: 1, reconciledAt: new Date() }).returning('id')) as { id: string }[])[0]!.id;
  const nov3 = await day('2026-11-03');
  const nov4 = await day('2026-11-04');
  const entry = (id: string, logId: string, position: number, startsAt: string, hour: number) =>
    ({ id, logId, position, startsAt: new Date(startsAt), lengthMs: 30_000, type: 'ADV', trackId, campaignId, hour, title: 'Rainbow Motors — Fall Sale' }) as const;
  // Phoenix is UTC−7 all year: 07:20, 07:40 and 08:40 on the 3rd; the make-good at 07:50 on the 4th.
  await db('log_entries').insert([
    entry(entries.first, nov3, 0, '2026-11-03T14:20:00Z', 7),
    entry(entries.second, nov3, 1, '2026-11-03T14:40:00Z', 7),
    entry(entries.missed, nov3, 2, '2026-11-03T15:40:00Z', 8),
    entry(entries.makeGood, nov4, 0, '2026-11-04T14:50:00Z', 7),
  ]);
  const play = (externalId: string, logEntryId: string, startedAt: string) => ({
    stationId,
    source: 'libretime',
    externalId,
    logEntryId,
    trackId,
    startedAt: new Date(startedAt),
    endedAt: new Date(Date.parse(startedAt) + 30_000),
    title: 'Rainbow Motors — Fall Sale',
  });
  await db('playback_history').insert([
    play('lt-1', entries.first, '2026-11-03T14:20:05Z'),
    play('lt-2', entries.second, '2026-11-03T14:41:30Z'),
    play('lt-3', entries.makeGood, '2026-11-04T14:50:12Z'),
  ]);
  await db('make_goods').insert({ stationId, campaignId, missedEntryId: entries.missed, scheduledEntryId: entries.makeGood, reason: 'missed', status: 'aired' });
});

const get = (who: TestPerson, query: string, accept = 'application/json') =>
  request(app()).get(`/api/v1/stations/kqtr/affidavits?${query}`).set('Authorization', who.authorization).set('Accept', accept);

const binary = (res: request.Response, callback: (error: Error | null, body: Buffer) => void) => {
  const chunks: Buffer[] = [];
  res.on('data', (chunk: Buffer) => chunks.push(chunk));
  res.on('end', () => callback(null, Buffer.concat(chunks)));
};

describe('an advertiser’s affidavit', () => {
  it('as JSON: one line per spot from the as-run in station time, the make-good naming its original, the totals and the money', async () => {
    const res = await get(people.traffic, `advertiser=${advertiserId}&period=month&month=2026-11&signer=Alex%20Kim&signerTitle=Traffic%20Manager`).expect(200);
    const body = res.body as { lines: Record<string, unknown>[]; totals: Record<string, unknown>; [k: string]: unknown };
    expect(body).toMatchObject({
      station: { slug: 'kqtr', name: 'KQTR Community Radio', callLetters: 'KQTR-FM', market: 'Phoenix, AZ', timezone: 'America/Phoenix' },
      advertiser: 'Rainbow Motors',
      agencies: ['Saguaro Media'],
      orderNumbers: ['RM-2026-114'],
      period: { kind: 'month', first: '2026-11-01', last: '2026-11-30', label: '2026-11' },
      certification: { signer: { name: 'Alex Kim', title: 'Traffic Manager' } },
    });
    expect(body.lines.map((l) => [l.entryId, l.status, l.airDate, l.airTime, l.timeZone, l.isci])).toEqual([
      [entries.first, 'aired', '2026-11-03', '07:20:05', 'MST', 'RBMO1234'],
      [entries.second, 'aired', '2026-11-03', '07:41:30', 'MST', 'RBMO1234'],
      [entries.makeGood, 'aired', '2026-11-04', '07:50:12', 'MST', 'RBMO1234'],
      [entries.missed, 'missed', null, null, null, 'RBMO1234'],
    ]);
    expect(body.lines[2]).toMatchObject({ makeGood: { reason: 'missed', original: { entryId: entries.missed, date: '2026-11-03', time: '08:40:00', timeZone: 'MST' } }, window: { from: '07:45', to: '07:55' } });
    // 6 a day over November's 30 days of the flight; 3 aired at $80.00 through an agency at 15 %.
    expect(body.totals).toMatchObject({ ordered: 180, aired: 3, makeGoodsAired: 1, bonus: 0, missed: 1, preempted: 0, money: { spots: 3, grossCents: 24_000, commissionCents: 3_600, netCents: 20_400, currency: 'USD' } });
  });

  it('signed by the station’s signer (Station details) when the request names nobody, and by the one it names otherwise', async () => {
    await db('stations').where({ slug: 'kqtr' }).update({ signerName: 'Robin Reyes', signerTitle: 'General Manager' });
    const unnamed = (await get(people.traffic, `advertiser=${advertiserId}&period=month&month=2026-11`).expect(200)).body as { certification: { signer: unknown } };
    expect(unnamed.certification.signer).toEqual({ name: 'Robin Reyes', title: 'General Manager' });
    const named = (await get(people.traffic, `advertiser=${advertiserId}&period=month&month=2026-11&signer=Alex%20Kim`).expect(200)).body as { certification: { signer: unknown } };
    expect(named.certification.signer).toEqual({ name: 'Alex Kim', title: null });
  });

  it('as CSV: the golden file, byte for byte, as an attachment named for the station, advertiser and month', async () => {
    const res = await get(people.admin, `advertiser=${advertiserId}&month=2026-11`, 'text/csv').expect(200);
    expect(res.headers['content-type']).toMatch(/^text\/csv; charset=utf-8/);
    expect(res.headers['content-disposition']).toBe('attachment; filename="kqtr-affidavit-rainbow-motors-2026-11.csv"');
    // UPDATE_GOLDEN=1 rewrites the file (then read its diff before committing it).
    const csv = res.text;
    if (process.env.UPDATE_GOLDEN) writeFileSync(GOLDEN, csv);
    expect(Buffer.from(csv, 'utf8').equals(readFileSync(GOLDEN))).toBe(true);
  });

  it('as PDF: its text has the station, the advertiser, every aired spot’s time and the make-good’s original', async () => {
    const res = await get(people.traffic, `campaign=${campaignId}&period=broadcast-month&month=2026-11&format=pdf`, '*/*').buffer(true).parse(binary).expect(200);
    expect(res.headers['content-type']).toBe('application/pdf');
    expect(res.headers['content-disposition']).toBe('attachment; filename="kqtr-affidavit-rainbow-motors-fall-sale-2026-11-broadcast.pdf"');
    const pdf = res.body as Buffer;
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    const parser = new PDFParse({ data: new Uint8Array(pdf) });
    const { text } = await parser.getText();
    await parser.destroy();
    for (const words of ['KQTR-FM — KQTR Community Radio', 'Rainbow Motors', 'Saguaro Media', 'RM-2026-114', 'Broadcast month', '2026-10-26 to 2026-11-29', '07:20:05 MST', '07:41:30 MST', '07:50:12 MST', 'Make-good of 2026-11-03 08:40 MST', 'RBMO1234', 'Missed', '$240.00', '$36.00', '$204.00', 'as recorded in the station’s program log']) {
      expect(text, words).toContain(words);
    }
  });

  it('the campaign’s flight is a period; the signer’s title without a signer, a missing month or both advertiser and campaign are 400 naming the parameter', async () => {
    const flight = await get(people.traffic, `campaign=${campaignId}&period=flight`).expect(200);
    expect((flight.body as { period: unknown }).period).toEqual({ kind: 'flight', first: '2026-11-01', last: '2026-12-31', label: '2026-11-01-to-2026-12-31' });
    const pathOf = async (query: string) => ((await get(people.traffic, query).expect(400)).body as { errors: { path: string }[] }).errors[0]!.path;
    expect(await pathOf('month=2026-11')).toBe('query.advertiser');
    expect(await pathOf(`advertiser=${advertiserId}&campaign=${campaignId}&month=2026-11`)).toBe('query.campaign');
    expect(await pathOf(`advertiser=${advertiserId}&period=broadcast-month`)).toBe('query.month');
    expect(await pathOf(`advertiser=${advertiserId}&month=2026-13`)).toBe('query.month');
    expect(await pathOf(`advertiser=${advertiserId}&period=flight&month=2026-11`)).toBe('query.month');
    expect(await pathOf(`advertiser=${advertiserId}&month=2026-11&signerTitle=Boss`)).toBe('query.signerTitle');
    expect(await pathOf(`advertiser=${advertiserId}&month=2026-11&period=week`)).toBe('query.period');
    await get(people.traffic, `advertiser=${randomUUID()}&month=2026-11`).expect(404);
    await get(people.traffic, `advertiser=${advertiserId}&month=2026-11`, 'image/png').expect(406);
  });

  it('is traffic’s (and admin’s): a viewer or the programme director may not have one', async () => {
    await get(people.viewer, `advertiser=${advertiserId}&month=2026-11`).expect(403);
    await get(people.programming, `advertiser=${advertiserId}&month=2026-11`).expect(403);
  });
});
