// The reconciliation report through the API, against the real app and PostgreSQL: a day built by
// the activities and reconciled by its step says what the step said; a morning written by hand
// shows every outcome in station words, and its CSV matches the golden file byte for byte; a
// period gives each day's state and the campaign's totals; an unbuilt day is 404, and so is
// another station's member.
import { readFileSync, writeFileSync } from 'node:fs';
import request from 'supertest';
import { beforeEach, describe, expect, it } from 'vitest';
import { createApp } from '../../api/app.js';
import type { BuildStep } from '../../activities/broadcast-day.js';
import { importStationBundle } from '../../db/bundle-import.js';
import type { DayReport, PeriodReport } from '../../domain/reconciliation/index.js';
import { smallStationBundle } from '../fixtures/bundles.js';
import { useTestDatabase } from '../support/db.js';
import { makePerson, type TestPerson } from '../support/people.js';
import { activitiesFor } from '../support/temporal.js';

const SECRET = 'reconciliation-report-secret';
const GOLDEN = new URL('../fixtures/reconciliation/kqtr-reconciliation-2026-12-01.csv', import.meta.url);
const db = useTestDatabase();
const app = () => createApp({ db, temporal: { namespace: 'default', check: () => Promise.resolve() }, jwtSecret: SECRET, log: () => undefined });

let people: Record<'viewer' | 'elsewhere', TestPerson>;
let stationId: string;

beforeEach(async () => {
  const bundle = smallStationBundle();
  // A second advertiser's copy, to play in a Rainbow Motors slot (a substitution).
  bundle.library!.push({ ref: 'adv-2', type: 'ADV', title: 'Desert Bakery — Winter Loaves, Fresh Daily', length: 30, categories: ['auto'] });
  ({ stationId } = await importStationBundle(db, bundle));
  await importStationBundle(db, { ...smallStationBundle(), station: { ...smallStationBundle().station, slug: 'kmgo', name: 'Elsewhere FM' } });
  people = {
    viewer: await makePerson(db, SECRET, 'viewer', { stations: ['kqtr'] }),
    elsewhere: await makePerson(db, SECRET, 'admin', { stations: ['kmgo'] }),
  };
});

const day = (who: TestPerson, date: string, station = 'kqtr') => request(app()).get(`/api/v1/stations/${station}/logs/${date}/reconciliation`).set('Authorization', who.authorization);
const period = (who: TestPerson, query: string) => request(app()).get(`/api/v1/stations/kqtr/reconciliation?${query}`).set('Authorization', who.authorization);

const trackOf = async (ref: string) => ((await db('tracks').where({ stationId, ref }).first('id')) as { id: string }).id;
const campaignId = async () => ((await db('campaigns').where({ stationId }).first('id')) as { id: string }).id;

/** Entry ids of the hand-written morning, fixed so the CSV is the same every run. */
const E = {
  legalId: '00000000-0000-4000-8000-000000000001',
  song: '00000000-0000-4000-8000-000000000002',
  late: '00000000-0000-4000-8000-000000000003',
  cutShort: '00000000-0000-4000-8000-000000000004',
  missed: '00000000-0000-4000-8000-000000000005',
  substituted: '00000000-0000-4000-8000-000000000006',
  moved: '00000000-0000-4000-8000-000000000007',
  gap: '00000000-0000-4000-8000-000000000008',
};

/** 2026-12-01 at KQTR (Phoenix, UTC−7 all year): a morning with one entry of each outcome. */
async function handWrittenMorning(): Promise<void> {
  const fallSale = await campaignId();
  const [log] = (await db('daily_logs').insert({ stationId, broadcastDate: '2026-12-01', workflowId: 'broadcast-day:kqtr:2026-12-01', status: 'reconciled', version: 1 }).returning('id')) as { id: string }[];
  const [lin, mus, adv, adv2, psa] = await Promise.all(['lin-1', 'mus-1', 'adv-1', 'adv-2', 'psa-1'].map(trackOf));
  const at = (time: string) => new Date(`2026-12-01T${time}-07:00`);
  const entry = (id: string, position: number, time: string, type: string, title: string, trackId: string, lengthMs = 30_000, extra: object = {}) => ({
    id,
    logId: log!.id,
    position,
    startsAt: at(time),
    lengthMs,
    type,
    title,
    trackId,
    hour: Number(time.slice(0, 2)),
    ...extra,
  });
  const spot = { campaignId: fallSale };
  await db('log_entries').insert([
    entry(E.legalId, 0, '07:00:00', 'LIN', 'Legal ID — KQTR Phoenix', lin!, 10_000, { startKind: 'hard' }),
    entry(E.song, 1, '07:00:10', 'MUS', 'Desert Bloom', mus!, 222_000),
    entry(E.late, 2, '07:20:00', 'ADV', 'Rainbow Motors — Fall Sale', adv!, 30_000, spot),
    entry(E.cutShort, 3, '07:40:00', 'ADV', 'Rainbow Motors — Fall Sale', adv!, 30_000, spot),
    entry(E.missed, 4, '08:20:00', 'ADV', 'Rainbow Motors — Fall Sale', adv!, 30_000, spot),
    entry(E.substituted, 5, '08:40:00', 'ADV', 'Rainbow Motors — Fall Sale', adv!, 30_000, spot),
    entry(E.moved, 6, '09:00:00', 'ADV', 'Rainbow Motors — Fall Sale', adv!, 30_000, spot),
    entry(E.gap, 7, '10:00:00', 'PSA', 'Get Tested Phoenix — "Know Your Status"', psa!),
  ]);
  const play = (externalId: string, start: string, end: string, more: object) => ({ stationId, source: 'libretime', externalId, startedAt: at(start), endedAt: at(end), ...more });
  await db('playback_history').insert([
    play('h1', '07:00:00', '07:00:10', { logEntryId: E.legalId, trackId: lin, title: 'Legal ID — KQTR Phoenix' }),
    // The song by its name only (as AzuraCast's history gives it), 2 min 50 s late.
    play('h2', '07:03:00', '07:06:42', { title: 'Desert Bloom', artist: 'Saguaros' }),
    play('h3', '07:23:00', '07:23:30', { logEntryId: E.late, trackId: adv, title: 'Rainbow Motors — Fall Sale' }),
    play('h4', '07:30:00', '07:30:10', { logEntryId: E.legalId, trackId: lin, title: 'Legal ID — KQTR Phoenix' }),
    play('h5', '07:40:00', '07:40:12', { logEntryId: E.cutShort, trackId: adv, title: 'Rainbow Motors — Fall Sale' }),
    play('h6', '08:18:00', '08:22:00', { title: 'Say "Hello", Phoenix', artist: 'Guest DJ' }),
    play('h7', '08:40:05', '08:40:35', { trackId: adv2, title: 'Desert Bakery — Winter Loaves, Fresh Daily' }),
    play('h8', '11:15:00', '11:15:30', { logEntryId: E.moved, trackId: adv, title: 'Rainbow Motors — Fall Sale' }),
  ]);
}

describe('the reconciliation report', () => {
  it('says of a day built and reconciled by its step what the step said', async () => {
    const date = '2026-11-30';
    const steps = activitiesFor(db);
    const opened = await steps.openBroadcastDay({ stationId: 'kqtr', date, workflowId: `broadcast-day:kqtr:${date}`, runId: 'r1' });
    const step: BuildStep = { stationId: opened.stationId, date, seed: 7, logId: opened.logId, version: 1, stages: 'memory' };
    await steps.expandClocks(step);
    await steps.placeTraffic({ ...step, after: 'expanded' });
    await steps.overlayVoiceTracks({ ...step, after: 'traffic' });
    await steps.scheduleMusic({ ...step, after: 'voiced' });
    await steps.saveDraft({ ...step, after: 'music' });
    const entries = (await db('log_entries').where({ logId: opened.logId }).orderBy('position').select('id', 'campaignId', 'trackId', 'startsAt', 'lengthMs')) as { id: string; campaignId: string | null; trackId: string | null; startsAt: Date; lengthMs: number }[];
    const spots = entries.filter((e) => e.campaignId);
    expect(spots.length).toBeGreaterThan(2);

    // No as-run yet: the day awaits it (overdue by now), nothing is missed, every spot placed is awaiting.
    const waiting = (await day(people.viewer, date).expect(200)).body as DayReport;
    expect(waiting).toMatchObject({ state: 'awaiting_as_run', overdue: true, deadline: '2026-12-02T00:00:00-07:00' });
    expect(waiting.counts).toMatchObject({ entries: entries.length, awaiting_as_run: entries.length, missed: 0 });
    expect(waiting.entries.every((e) => e.outcome === null && e.description === 'Awaiting the as-run')).toBe(true);
    expect(waiting.campaigns).toEqual([expect.objectContaining({ name: 'Fall Sale', advertiser: 'Rainbow Motors', ordered: 6, placed: spots.length, awaitingAsRun: spots.length, missed: 0 })]);

    // The as-run comes (by track, as AzuraCast gives it): everything aired on time but two spots.
    const [lost1, lost2] = [spots[0]!, spots[1]!];
    const played = entries.filter((e) => e.id !== lost1.id && e.id !== lost2.id && e.trackId);
    await db('playback_history').insert(
      played.map((e, i) => ({ stationId: opened.stationId, source: 'azuracast', externalId: `az-${i}`, trackId: e.trackId, startedAt: e.startsAt, endedAt: new Date(e.startsAt.getTime() + e.lengthMs) })),
    );
    const stepSaid = await steps.reconcileDay({ logId: opened.logId });
    const details = ((await db('log_exceptions').where({ logId: opened.logId, kind: 'reconciliation' }).first('details')) as { details: { counts: Record<string, number> } }).details;

    const report = (await day(people.viewer, date).expect(200)).body as DayReport;
    expect(report).toMatchObject({ state: 'reconciled', sources: ['azuracast'], stateText: 'Reconciled from azuracast' });
    expect(report.deadline).toBeUndefined();
    const { entries: _entries, awaiting_as_run: _awaiting, ...counts } = report.counts;
    expect(counts).toEqual(details.counts);
    expect(report.counts.aired + report.counts.aired_partially + report.counts.moved).toBe(stepSaid.aired);
    expect(report.entries.filter((e) => e.outcome === 'missed').map((e) => e.entryId)).toEqual([lost1.id, lost2.id]);
    expect(report.entries.find((e) => e.entryId === lost1.id)).toMatchObject({ outcome: 'missed', reason: 'playout_gap', campaign: { name: 'Fall Sale', advertiser: 'Rainbow Motors' } });
    expect(report.entries.find((e) => e.entryId === played[0]!.id)).toMatchObject({ outcome: 'aired', timing: 'on_time', offsetSeconds: 0, description: 'Aired on time', played: { source: 'azuracast', matchedBy: 'entry_id' } });
    expect(report.campaigns).toEqual([expect.objectContaining({ ordered: 6, placed: spots.length, aired: spots.length - 2, missed: 2, awaitingAsRun: 0 })]);
  });

  it('shows each entry’s outcome in words, the unscheduled plays and the campaign’s totals, and the CSV byte for byte', async () => {
    await handWrittenMorning();
    const res = await day(people.viewer, '2026-12-01').expect(200);
    const report = res.body as DayReport;
    expect(report).toMatchObject({ station: { slug: 'kqtr', timezone: 'America/Phoenix' }, date: '2026-12-01', state: 'reconciled', sources: ['libretime'] });
    const line = (id: string) => report.entries.find((e) => e.entryId === id)!;
    expect(line(E.legalId)).toMatchObject({ outcome: 'aired', timing: 'on_time', scheduledAt: '2026-12-01T07:00:00-07:00', scheduledTime: '07:00:00', description: 'Aired on time' });
    expect(line(E.song)).toMatchObject({ outcome: 'aired', timing: 'late', offsetSeconds: 170, description: 'Aired 2 min 50 s late', played: { matchedBy: 'artist_title', at: '2026-12-01T07:03:00-07:00' } });
    expect(line(E.late)).toMatchObject({ outcome: 'aired', timing: 'late', offsetSeconds: 180, description: 'Aired 3 min late', campaign: { name: 'Fall Sale', advertiser: 'Rainbow Motors' } });
    expect(line(E.cutShort)).toMatchObject({ outcome: 'aired_partially', description: 'Cut short: played 12 s of 30 s (40 %)', played: { playedSeconds: 12 } });
    expect(line(E.missed)).toMatchObject({ outcome: 'missed', reason: 'nothing_in_window', played: null, description: 'Missed: other items played in its window, not this' });
    expect(line(E.substituted)).toMatchObject({ outcome: 'substituted', offsetSeconds: null, description: 'Substituted: “Desert Bakery — Winter Loaves, Fresh Daily” played in its place at 08:40:05', played: { matchedBy: null } });
    expect(line(E.moved)).toMatchObject({ outcome: 'moved', offsetSeconds: 8100, description: 'Moved: aired at 11:15:00, 2 h 15 min late' });
    expect(line(E.gap)).toMatchObject({ outcome: 'missed', reason: 'playout_gap', description: 'Missed: playout recorded nothing at the time' });
    expect(report.unscheduled).toEqual([
      expect.objectContaining({ time: '07:30:00', reason: 'played_again', description: 'Played again (the log had it once)' }),
      expect.objectContaining({ time: '08:18:00', title: 'Say "Hello", Phoenix', reason: 'not_in_log', description: 'Played, not in the log' }),
    ]);
    expect(report.counts).toEqual({ entries: 8, awaiting_as_run: 0, aired: 3, aired_partially: 1, substituted: 1, moved: 1, missed: 2, not_due: 0, unscheduled: 2 });
    expect(report.campaigns).toEqual([
      expect.objectContaining({ name: 'Fall Sale', ordered: 6, placed: 5, aired: 1, moved: 1, partiallyAired: 1, missed: 2, substituted: 1, notDue: 0, makeGoodsPlaced: 0, madeGood: 0 }),
    ]);

    // The same as CSV, by Accept or by format: one row per entry, RFC 4180, CRLF.
    const csv = await day(people.viewer, '2026-12-01').set('Accept', 'text/csv').expect(200);
    expect(csv.headers['content-type']).toMatch(/^text\/csv/);
    expect(csv.headers['content-disposition']).toBe('attachment; filename="kqtr-reconciliation-2026-12-01.csv"');
    // UPDATE_GOLDEN=1 rewrites the file (then read its diff before committing it).
    if (process.env.UPDATE_GOLDEN) writeFileSync(GOLDEN, csv.text);
    expect(Buffer.from(csv.text, 'utf8').equals(readFileSync(GOLDEN))).toBe(true);
    expect((await day(people.viewer, '2026-12-01').query({ format: 'csv' }).expect(200)).text).toBe(csv.text);
  });

  it('gives a period’s days with their state and the campaigns’ totals over it', async () => {
    await handWrittenMorning();
    // 2026-12-02 is built but nothing has come back; 2026-12-03 is not built.
    await db('daily_logs').insert({ stationId, broadcastDate: '2026-12-02', workflowId: 'broadcast-day:kqtr:2026-12-02', status: 'published', version: 1 });
    const res = await period(people.viewer, 'from=2026-12-01&to=2026-12-03').expect(200);
    const report = res.body as PeriodReport;
    expect(report.days.map((d) => [d.date, d.state])).toEqual([
      ['2026-12-01', 'reconciled'],
      ['2026-12-02', 'awaiting_as_run'],
      ['2026-12-03', 'not_built'],
    ]);
    expect(report.days[1]).toMatchObject({ deadline: '2026-12-04T00:00:00-07:00', overdue: true });
    expect(report.counts).toMatchObject({ entries: 8, aired: 3, missed: 2, unscheduled: 2 });
    // The order asks for 6 a day: 18 over the three days.
    expect(report.campaigns).toEqual([expect.objectContaining({ name: 'Fall Sale', ordered: 18, placed: 5, aired: 1, missed: 2 })]);

    const days = await period(people.viewer, 'from=2026-12-01&to=2026-12-03&format=csv').expect(200);
    expect(days.text.split('\r\n')).toEqual([
      'station,date,state,deadline,entries,awaiting_as_run,aired,aired_partially,substituted,moved,missed,not_due,unscheduled',
      'kqtr,2026-12-01,reconciled,,8,0,3,1,1,1,2,0,2',
      'kqtr,2026-12-02,awaiting_as_run,2026-12-04T00:00:00-07:00,0,0,0,0,0,0,0,0,0',
      'kqtr,2026-12-03,not_built,,0,0,0,0,0,0,0,0,0',
      '',
    ]);
    const campaigns = await period(people.viewer, 'from=2026-12-01&to=2026-12-03&rows=campaigns').set('Accept', 'text/csv').expect(200);
    expect(campaigns.headers['content-disposition']).toBe('attachment; filename="kqtr-reconciliation-2026-12-01-to-2026-12-03-campaigns.csv"');
    expect(campaigns.text.split('\r\n')[1]).toBe(`kqtr,2026-12-01,2026-12-03,Rainbow Motors,Fall Sale,${await campaignId()},18,5,1,1,1,2,1,0,0,0,0`);

    await period(people.viewer, 'from=2026-12-03&to=2026-12-01').expect(400);
    await period(people.viewer, 'from=2026-09-01&to=2026-12-02').expect(400);
  });

  it('is 404 for a day not built, and for a member of another station', async () => {
    await handWrittenMorning();
    expect(((await day(people.viewer, '2026-12-05').expect(404)).body as { detail: string }).detail).toBe('The log of 2026-12-05 has not been built yet');
    await day(people.elsewhere, '2026-12-01').expect(404);
    await period(people.elsewhere, 'from=2026-12-01&to=2026-12-01').expect(404);
    await day(people.viewer, '2026-12-01').set('Accept', 'application/pdf').expect(406);
  });
});
