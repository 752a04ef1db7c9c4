// Royalty and compliance files through the API, against the real app and PostgreSQL: made from
// the as-run (each play once, even when two sources report it; the audience from the stream,
// else from the listener sessions), previewed with every play that lacks data before download,
// refused with what to fill in while the station's details are missing, and prepared each
// month with their due dates. The formats themselves are checked byte for byte in
// test/domain/royalty-*.test.ts; here, that the station's own data reaches them.
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { PDFParse } from 'pdf-parse';
import request from 'supertest';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { createApp } from '../../api/app.js';
import { createRoyaltyReportActivities } from '../../activities/royalty-reports.js';
import { importStationBundle } from '../../db/bundle-import.js';
import { smallStationBundle } from '../fixtures/bundles.js';
import { useTestDatabase } from '../support/db.js';
import { makePerson, type TestPerson } from '../support/people.js';

const SECRET = 'royalty-reports-secret';
const db = useTestDatabase();
const dataDir = await mkdtemp(path.join(os.tmpdir(), 'librelog-royalty-'));
afterAll(() => rm(dataDir, { recursive: true, force: true }));
const app = () => createApp({ db, temporal: { namespace: 'default', check: () => Promise.resolve() }, jwtSecret: SECRET, log: () => undefined, dataDir });

let people: Record<'programming' | 'viewer' | 'voice' | 'elsewhere', TestPerson>;
let stationId: string;
const track: Record<string, string> = {};

/** Phoenix is UTC−7 all year (no DST): 07:00 MST is 14:00Z. */
const at = (date: string, time: string) => new Date(`${date}T${time}-07:00`);

beforeEach(async () => {
  ({ stationId } = await importStationBundle(db, smallStationBundle()));
  await importStationBundle(db, { ...smallStationBundle(), station: { ...smallStationBundle().station, slug: 'kmgo', name: 'Elsewhere FM' } });
  people = {
    programming: await makePerson(db, SECRET, 'programming', { stations: ['kqtr'] }),
    viewer: await makePerson(db, SECRET, 'viewer', { stations: ['kqtr'] }),
    voice: await makePerson(db, SECRET, 'voice', { stations: ['kqtr'] }),
    elsewhere: await makePerson(db, SECRET, 'programming', { stations: ['kmgo'] }),
  };
  await db('stations')
    .where({ id: stationId })
    .update({
      callLetters: 'KQTR-FM',
      serviceName: 'KQTR-FM',
      transmissionCategory: 'B',
      band: 'FM',
      frequency: '91.5 MHz',
      country: 'US',
      communityOfLicense: 'Phoenix, Arizona',
      musicFormat: 'Variety',
      contact: JSON.stringify({ name: 'Robin Reyes', street: '1 Saguaro Way', city: 'Phoenix', region: 'AZ', postalCode: '85004', phone: '+1 602 555 0100', email: 'music@kqtr.example' }),
    });
  for (const t of (await db('tracks').where({ stationId }).select('id', 'ref')) as { id: string; ref: string }[]) track[t.ref] = t.id;
  await db('tracks').where({ id: track['mus-1'] }).update({ label: 'Sonoran Sounds', writers: ['Ana Ruiz', 'Lee Park'], publishers: ['Desert Songs'], usage: 'feature' });
  // Monsoon Heart has no ISRC, no album and no label: SoundExchange cannot take it.

  const play = (externalId: string, source: string, ref: string, startedAt: Date, lengthMs: number, listeners: number | null) => ({
    stationId,
    source,
    externalId,
    trackId: track[ref],
    startedAt,
    endedAt: new Date(startedAt.getTime() + lengthMs),
    listeners,
  });
  await db('playback_history').insert([
    play('az-1', 'azuracast', 'lin-1', at('2026-11-02', '07:00:05'), 10_000, 5),
    play('az-2', 'azuracast', 'mus-1', at('2026-11-02', '07:01:00'), 222_000, 10),
    // LibreTime reports the same play two seconds apart: one play.
    play('lt-2', 'libretime', 'mus-1', at('2026-11-02', '07:01:02'), 222_000, null),
    play('az-3', 'azuracast', 'mus-2', at('2026-11-02', '07:05:00'), 245_000, null),
    play('az-4', 'azuracast', 'mus-1', at('2026-11-02', '08:01:00'), 222_000, 12),
  ]);
  // Two listeners connected when Monsoon Heart began (one from before, one from during), one who left before.
  const session = (key: string, from: Date, to: Date) => ({ stationId, sessionKey: key, connectedOn: from, connectedUntil: to, connectedSeconds: (to.getTime() - from.getTime()) / 1000 });
  await db('listener_sessions').insert([
    session('s1', at('2026-11-02', '06:30:00'), at('2026-11-02', '08:30:00')),
    session('s2', at('2026-11-02', '07:04:00'), at('2026-11-02', '07:10:00')),
    session('s3', at('2026-11-02', '06:00:00'), at('2026-11-02', '07:00:00')),
  ]);
});

const get = (who: TestPerson, url: string) => request(app()).get(`/api/v1/stations/${url}`).set('Authorization', who.authorization);
const NOVEMBER = 'from=2026-11-01&to=2026-11-30';

describe('royalty files', () => {
  it('are listed for the station’s country, each with the details it still lacks; programming may, a voice talent may not', async () => {
    const listed = (await get(people.programming, 'kqtr/reports/royalty').expect(200)).body as { id: string; stationDetailsLacking: string[] }[];
    expect(listed.map((r) => r.id)).toEqual(['soundexchange-census', 'soundexchange-ath', 'bmi', 'pro-music-use', 'legal-ids', 'station-log']);
    expect(listed.every((r) => r.stationDetailsLacking.length === 0)).toBe(true);
    await get(people.voice, 'kqtr/reports/royalty').expect(403);
    await get(people.elsewhere, 'kqtr/reports/royalty').expect(404);
    // A station with no country set sees every file, Canada's too, with what it lacks.
    const elsewhere = (await get(people.elsewhere, 'kmgo/reports/royalty').expect(200)).body as { id: string; stationDetailsLacking: string[] }[];
    expect(elsewhere.map((r) => r.id)).toContain('socan');
    expect(elsewhere.find((r) => r.id === 'soundexchange-census')?.stationDetailsLacking).toEqual(expect.arrayContaining(['soundExchangeServiceName', 'transmissionCategory', 'contact.email']));
  });

  it('SoundExchange census: one line per recording, plays × listeners, the play two sources reported counted once, CR line ends and its exact name', async () => {
    const res = await get(people.programming, `kqtr/reports/royalty/soundexchange-census?${NOVEMBER}&headers=false`).expect(200);
    expect(res.headers['content-disposition']).toBe('attachment; filename="KQTR-FM20261101-20261130.txt"');
    expect(res.headers['x-librelog-missing']).toBe('1');
    const body = res.text;
    expect(body).not.toContain('\n');
    const lines = body.split('\r').filter(Boolean);
    // Desert Bloom aired twice, to 10 and 12 listeners; Monsoon Heart lacks what SoundExchange needs and is left out.
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^\^KQTR-FM\^\|\^B\^\|\^The Saguaros\^\|\^Desert Bloom\^\|\^QZGPX2600001\^\|.*\|\^Sonoran Sounds\^\|22$/);
  });

  it('previews the file, its first plays, and every play lacking data with its track to fix', async () => {
    const preview = (await get(people.programming, `kqtr/reports/royalty/soundexchange-census/preview?${NOVEMBER}`).expect(200)).body as {
      fileName: string;
      rows: number;
      firstLines: string[];
      firstPlays: { title: string; listeners: number | null }[];
      missing: { trackId: string; title: string; fields: string[] }[];
      missingCount: number;
      plays: number;
      stationDetailsLacking: string[];
    };
    expect(preview).toMatchObject({ fileName: 'KQTR-FM20261101-20261130.txt', rows: 1, plays: 4, missingCount: 1, stationDetailsLacking: [] });
    // With headers: 14 rows before the data, the service name first.
    expect(preview.firstLines[0]).toBe('KQTR-FM');
    expect(preview.firstLines[13]).toContain('NAME_OF_SERVICE');
    expect(preview.missing).toEqual([expect.objectContaining({ trackId: track['mus-2'], title: 'Monsoon Heart', fields: expect.arrayContaining(['isrc', 'label']) as string[] })]);
    // The audience: from the stream where it said, else the sessions connected when the play began.
    expect(preview.firstPlays.map((p) => [p.title, p.listeners])).toEqual([
      ['Legal ID — KQTR Phoenix', 5],
      ['Desert Bloom', 10],
      ['Monsoon Heart', 2],
      ['Desert Bloom', 12],
    ]);
  });

  it('is refused (409) naming each station detail to fill in, never made with a stand-in', async () => {
    await db('stations').where({ id: stationId }).update({ callLetters: null, band: null });
    const refused = await get(people.programming, `kqtr/reports/royalty/bmi?${NOVEMBER}`).expect(409);
    expect(refused.headers['content-type']).toMatch(/application\/problem\+json/);
    expect((refused.body as { errors: { path: string }[] }).errors.map((e) => e.path)).toEqual(['station.callLetters', 'station.band']);
    const preview = (await get(people.programming, `kqtr/reports/royalty/bmi/preview?${NOVEMBER}`).expect(200)).body as { fileName: string | null; stationDetailsLacking: string[] };
    expect(preview).toMatchObject({ fileName: null, stationDetailsLacking: ['callLetters', 'band'] });
  });

  it('refuses a period backwards or longer than a year, naming the field', async () => {
    const backwards = await get(people.programming, 'kqtr/reports/royalty/bmi?from=2026-11-30&to=2026-11-01').expect(400);
    expect((backwards.body as { errors: { path: string }[] }).errors[0]!.path).toBe('query.to');
    await get(people.programming, 'kqtr/reports/royalty/bmi?from=2025-01-01&to=2026-11-30').expect(400);
    await get(people.programming, 'kqtr/reports/royalty/nope?from=2026-11-01&to=2026-11-30').expect(400);
  });

  it('BMI: an FMDT record per music play with the writers, between HEDR and TRLR', async () => {
    const res = await get(people.programming, `kqtr/reports/royalty/bmi?${NOVEMBER}`).expect(200);
    expect(res.headers['content-disposition']).toBe('attachment; filename="KQTR-FM2611.emr"');
    const records = res.text.split('\r\n').filter(Boolean);
    expect(records.map((r) => r.slice(0, 4))).toEqual(['HEDR', 'FMDT', 'FMDT', 'FMDT', 'TRLR']);
    expect(records[1]).toContain('Ana Ruiz; Lee Park');
  });

  it('hourly legal IDs: the hour the ID aired, and every other hour of the period flagged', async () => {
    const res = await get(people.programming, 'kqtr/reports/royalty/legal-ids?from=2026-11-02&to=2026-11-02').expect(200);
    const rows = res.text.trim().split('\r\n');
    expect(rows).toHaveLength(25);
    expect(rows.filter((r) => r.includes('no legal ID'))).toHaveLength(23);
    expect(rows.find((r) => r.startsWith('2026-11-02,07:00'))).toContain('07:00:05');
  });

  it('the station log PDF: each hour with its legal ID or "NO LEGAL ID", local times with their zone', async () => {
    const res = await get(people.programming, 'kqtr/reports/royalty/station-log?from=2026-11-02&to=2026-11-02')
      .buffer(true)
      .parse((response, done) => {
        const chunks: Buffer[] = [];
        response.on('data', (c: Buffer) => chunks.push(c));
        response.on('end', () => done(null, Buffer.concat(chunks)));
      })
      .expect(200);
    expect(res.headers['content-type']).toBe('application/pdf');
    const parser = new PDFParse({ data: new Uint8Array(res.body as Buffer) });
    const { text } = await parser.getText();
    await parser.destroy();
    for (const words of ['Station log', 'KQTR-FM, Phoenix, Arizona', 'Legal ID at 07:00:05 MST', 'NO LEGAL ID IN THIS HOUR', '07:01:00 MST', 'Desert Bloom', 'Monsoon Heart', '1 of 24 hours have one']) {
      expect(text, words).toContain(words);
    }
  });

  it('charts: spins by song and artist, listener hours by day', async () => {
    const spins = (await get(people.viewer, `kqtr/reports/spins?${NOVEMBER}`).expect(200)).body as { plays: number; songs: { title: string; spins: number }[]; artists: { artist: string; spins: number }[] };
    expect(spins.plays).toBe(3);
    expect(spins.songs.map((s) => [s.title, s.spins])).toEqual([
      ['Desert Bloom', 2],
      ['Monsoon Heart', 1],
    ]);
    expect(spins.artists.map((a) => [a.artist, a.spins])).toEqual([
      ['The Saguaros', 2],
      ['Lavender Static', 1],
    ]);
    const hours = (await get(people.viewer, 'kqtr/reports/listener-hours?from=2026-11-01&to=2026-11-03').expect(200)).body as { days: { date: string; listenerHours: number; sessions: number }[] };
    expect(hours.days).toEqual([
      { date: '2026-11-01', listenerHours: 0, sessions: 0 },
      { date: '2026-11-02', listenerHours: 3.1, sessions: 3 },
      { date: '2026-11-03', listenerHours: 0, sessions: 0 },
    ]);
  });
});

describe('the monthly Schedule’s files', () => {
  it('are prepared after the month, listed with what they lack and when each is due, and downloaded as prepared', async () => {
    await db('stations').where({ id: stationId }).update({ communityOfLicense: null });
    const prepared = await createRoyaltyReportActivities({ db, dataDir }).prepareMonthlyRoyaltyReports({ station: 'kqtr', month: '2026-11' });
    expect(prepared.files.map((f) => [f.report, f.fileName])).toEqual([
      ['soundexchange-census', 'KQTR-FM20261101-20261130.txt'],
      ['bmi', 'KQTR-FM2611.emr'],
      ['pro-music-use', 'kqtr-fm-music-use-2026-11-01-to-2026-11-30.csv'],
      ['legal-ids', 'kqtr-fm-legal-ids-2026-11-01-to-2026-11-30.csv'],
      // Without the community of license the station log is not made: it says so.
      ['station-log', null],
    ]);
    expect((await readdir(path.join(dataDir, 'reports', 'kqtr', '2026-11'))).sort()).toEqual(['KQTR-FM20261101-20261130.txt', 'KQTR-FM2611.emr', 'kqtr-fm-legal-ids-2026-11-01-to-2026-11-30.csv', 'kqtr-fm-music-use-2026-11-01-to-2026-11-30.csv', 'prepared.json']);

    const listed = (await get(people.programming, 'kqtr/reports/prepared').expect(200)).body as { month: string; files: { report: string; dueOn: string | null; missingCount: number; stationDetailsLacking: string[] }[] }[];
    expect(listed[0]!.month).toBe('2026-11');
    // SoundExchange: 45 days after the month.
    expect(listed[0]!.files.find((f) => f.report === 'soundexchange-census')).toMatchObject({ dueOn: '2027-01-14', missingCount: 1 });
    expect(listed[0]!.files.find((f) => f.report === 'station-log')).toMatchObject({ stationDetailsLacking: ['communityOfLicense'] });
    const file = await get(people.programming, 'kqtr/reports/prepared/2026-11/KQTR-FM2611.emr').expect(200);
    expect(file.text).toBe(await readFile(path.join(dataDir, 'reports', 'kqtr', '2026-11', 'KQTR-FM2611.emr'), 'utf8'));
    await get(people.programming, 'kqtr/reports/prepared/2026-11/..%2F..%2Fsecrets.txt').expect(400);
    await get(people.voice, 'kqtr/reports/prepared').expect(403);
  });
});
