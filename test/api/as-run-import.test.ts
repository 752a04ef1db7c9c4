// A day's as-run from a file (LibreLog CSV) or from an operator's confirmation, through the API,
// then reconciled by the day's step: the spots the as-run does not show aired are owed as
// make-goods — and only those; the same file twice adds nothing; a file that cannot be read, a
// viewer, and a day not built are refused.
import request from 'supertest';
import { beforeEach, describe, expect, it } from 'vitest';
import type { BuildStep } from '../../activities/broadcast-day.js';
import { createApp } from '../../api/app.js';
import { importStationBundle } from '../../db/bundle-import.js';
import { smallStationBundle } from '../fixtures/bundles.js';
import { useTestDatabase } from '../support/db.js';
import { makePerson, type TestPerson } from '../support/people.js';
import { activitiesFor } from '../support/temporal.js';

const SECRET = 'as-run-import-secret';
const DATE = '2026-12-08';
const db = useTestDatabase();
const app = () => createApp({ db, temporal: { namespace: 'default', check: () => Promise.resolve() }, jwtSecret: SECRET, log: () => undefined });

let traffic: TestPerson;
let viewer: TestPerson;
let logId: string;
let entries: { id: string; campaignId: string | null; title: string; startsAt: Date; lengthMs: number }[];

beforeEach(async () => {
  await importStationBundle(db, smallStationBundle());
  traffic = await makePerson(db, SECRET, 'traffic', { stations: ['kqtr'] });
  viewer = await makePerson(db, SECRET, 'viewer', { stations: ['kqtr'] });
  const steps = activitiesFor(db);
  const opened = await steps.openBroadcastDay({ stationId: 'kqtr', date: DATE, workflowId: `broadcast-day:kqtr:${DATE}`, runId: 'r1' });
  const step: BuildStep = { stationId: opened.stationId, date: DATE, seed: 7, logId: opened.logId, version: 1, stages: 'memory' };
  await steps.expandClocks(step);
  await steps.placeTraffic({ ...step, after: 'expanded' });
  await steps.overlayVoiceTracks({ ...step, after: 'traffic' });
  await steps.scheduleMusic({ ...step, after: 'voiced' });
  await steps.saveDraft({ ...step, after: 'music' });
  logId = opened.logId;
  entries = (await db('log_entries').where({ logId }).orderBy('position').select('id', 'campaignId', 'title', 'startsAt', 'lengthMs')) as typeof entries;
});

const csvOf = (rows: typeof entries) =>
  ['started_at,duration,entry_id,title', ...rows.map((e) => `${e.startsAt.toISOString()},${e.lengthMs / 1000},${e.id},"${e.title.replaceAll('"', '""')}"`)].join('\r\n') + '\r\n';
const owedFor = async () => ((await db('make_goods').select('missedEntryId')) as { missedEntryId: string }[]).map((m) => m.missedEntryId).sort();

describe('an as-run file', () => {
  it('is kept as plays; reconciling owes exactly the spots it does not show; the same file again adds nothing', async () => {
    const spots = entries.filter((e) => e.campaignId);
    const [lost1, lost2] = [spots[0]!, spots[1]!];
    const file = csvOf(entries.filter((e) => e !== lost1 && e !== lost2));
    const res = await request(app()).post(`/api/v1/stations/kqtr/logs/${DATE}/as-run?fileName=kqtr-${DATE}.csv`).set('Authorization', traffic.authorization).type('text/csv').send(file).expect(200);
    expect(res.body).toEqual({ format: 'librelog-csv', plays: entries.length - 2, added: entries.length - 2, problems: [], reconciling: false });
    expect(await activitiesFor(db).reconcileDay({ logId })).toMatchObject({ state: 'reconciled', makeGoods: 2 });
    expect(await owedFor()).toEqual([lost1.id, lost2.id].sort());

    const again = await request(app()).post(`/api/v1/stations/kqtr/logs/${DATE}/as-run`).set('Authorization', traffic.authorization).type('text/csv').send(file).expect(200);
    expect(again.body).toMatchObject({ plays: entries.length - 2, added: 0 });
    expect(await db('audit_log').where({ action: 'as_run.import' })).toHaveLength(2);
  });

  it('names the lines it cannot read, and refuses a file with none it can', async () => {
    const good = csvOf(entries.slice(0, 3));
    const withBad = `${good}not a time,30,,Mystery\r\n`;
    const res = await request(app()).post(`/api/v1/stations/kqtr/logs/${DATE}/as-run`).set('Authorization', traffic.authorization).type('text/csv').send(withBad).expect(200);
    expect(res.body).toMatchObject({ plays: 3, problems: [expect.objectContaining({ line: 5 })] });
    const none = await request(app()).post(`/api/v1/stations/kqtr/logs/${DATE}/as-run`).set('Authorization', traffic.authorization).type('text/plain').send('hello, this is not an as-run\n').expect(400);
    expect((none.body as { detail: string }).detail).toMatch(/not an as-run file/);
  });

  it('is refused for a viewer and for a day not built', async () => {
    await request(app()).post(`/api/v1/stations/kqtr/logs/${DATE}/as-run`).set('Authorization', viewer.authorization).type('text/csv').send(csvOf(entries.slice(0, 1))).expect(403);
    const unbuilt = await request(app()).post('/api/v1/stations/kqtr/logs/2026-12-20/as-run').set('Authorization', traffic.authorization).type('text/csv').send(csvOf(entries.slice(0, 1))).expect(404);
    expect((unbuilt.body as { detail: string }).detail).toContain('has not been built');
  });
});

describe('a confirmation', () => {
  it('"aired as logged" but for a missed and a substituted spot owes those two; confirming again replaces it', async () => {
    const spots = entries.filter((e) => e.campaignId);
    const [missed, swapped] = [spots[0]!, spots[1]!];
    const body = {
      exceptions: [
        { entryId: missed.id, kind: 'missed', note: 'Studio power cut' },
        { entryId: swapped.id, kind: 'substituted', playedInstead: 'Station promo' },
      ],
    };
    const res = await request(app()).post(`/api/v1/stations/kqtr/logs/${DATE}/confirmation`).set('Authorization', traffic.authorization).send(body).expect(200);
    expect(res.body).toMatchObject({ format: 'confirmation', plays: entries.length - 1, added: entries.length - 1 });
    expect(await activitiesFor(db).reconcileDay({ logId })).toMatchObject({ state: 'reconciled', makeGoods: 2 });
    expect(await owedFor()).toEqual([missed.id, swapped.id].sort());

    // Confirmed again without the substitution: the spot aired after all.
    await request(app())
      .post(`/api/v1/stations/kqtr/logs/${DATE}/confirmation`)
      .set('Authorization', traffic.authorization)
      .send({ exceptions: [body.exceptions[0]] })
      .expect(200);
    expect(await activitiesFor(db).reconcileDay({ logId })).toMatchObject({ state: 'reconciled', makeGoods: 1 });
    expect(await owedFor()).toEqual([missed.id]);
  });

  it('names an hour the day does not have and a substitution that does not say what played', async () => {
    const bad = await request(app()).post(`/api/v1/stations/kqtr/logs/${DATE}/confirmation`).set('Authorization', traffic.authorization).send({ hours: ['06:00', '02:00 PDT'] }).expect(400);
    expect((bad.body as { errors: { path: string }[] }).errors[0]!.path).toBe('body.hours[1]');
    const swap = await request(app())
      .post(`/api/v1/stations/kqtr/logs/${DATE}/confirmation`)
      .set('Authorization', traffic.authorization)
      .send({ exceptions: [{ entryId: entries[0]!.id, kind: 'substituted' }] })
      .expect(400);
    expect((swap.body as { errors: { path: string }[] }).errors[0]!.path).toBe('body.exceptions[0].playedInstead');
    // Hours of the day confirm only their entries.
    const morning = await request(app()).post(`/api/v1/stations/kqtr/logs/${DATE}/confirmation`).set('Authorization', traffic.authorization).send({ hours: ['06:00'] }).expect(200);
    expect((morning.body as { plays: number }).plays).toBeGreaterThan(5);
    expect((morning.body as { plays: number }).plays).toBeLessThan(30);
  });
});
