// Make-goods as a lifecycle through the API, against the real app and PostgreSQL: listed by
// advertiser and campaign with the spot each makes good; waived by traffic with a reason;
// wanted on a day (never past, never after it expires); expired past the flight plus grace;
// and only an owed one changes.
import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { DateTime } from 'luxon';
import { beforeEach, describe, expect, it } from 'vitest';
import { createApp } from '../../api/app.js';
import { importStationBundle } from '../../db/bundle-import.js';
import { expireMakeGoods } from '../../db/make-goods.js';
import { smallStationBundle } from '../fixtures/bundles.js';
import { useTestDatabase } from '../support/db.js';
import { makePerson, type TestPerson } from '../support/people.js';

const SECRET = 'make-goods-secret';
const db = useTestDatabase();
const app = () => createApp({ db, temporal: { namespace: 'default', check: () => Promise.resolve() }, jwtSecret: SECRET, log: () => undefined });

let people: Record<'traffic' | 'viewer' | 'programming' | 'elsewhere', TestPerson>;
let makeGoodId: string;
let campaignId: string;

beforeEach(async () => {
  const { stationId } = await importStationBundle(db, smallStationBundle());
  await importStationBundle(db, { ...smallStationBundle(), station: { ...smallStationBundle().station, slug: 'kmgo', name: 'Elsewhere FM' } });
  people = {
    traffic: await makePerson(db, SECRET, 'traffic', { stations: ['kqtr'] }),
    viewer: await makePerson(db, SECRET, 'viewer', { stations: ['kqtr'] }),
    programming: await makePerson(db, SECRET, 'programming', { stations: ['kqtr'] }),
    elsewhere: await makePerson(db, SECRET, 'admin', { stations: ['kmgo'] }),
  };
  // A spot of the Fall Sale that did not air on 2026-12-01 at 07:20 Phoenix time.
  campaignId = ((await db('campaigns').where({ stationId }).first('id')) as { id: string }).id;
  await db('campaigns').where({ id: campaignId }).update({ endsOn: DateTime.now().plus({ days: 30 }).toISODate()! });
  const [log] = (await db('daily_logs').insert({ stationId, broadcastDate: '2026-12-01', workflowId: 'broadcast-day:kqtr:2026-12-01', status: 'reconciled', version: 1 }).returning('id')) as { id: string }[];
  const entryId = randomUUID();
  await db('log_entries').insert({ id: entryId, logId: log!.id, position: 0, startsAt: new Date('2026-12-01T14:20:00Z'), lengthMs: 30_000, type: 'ADV', campaignId, hour: 7, title: 'Rainbow Motors — Fall Sale' });
  makeGoodId = ((await db('make_goods').insert({ stationId, campaignId, missedEntryId: entryId, reason: 'missed' }).returning('id')) as { id: string }[])[0]!.id;
});

const list = (who: TestPerson, query = '') => request(app()).get(`/api/v1/stations/kqtr/make-goods${query}`).set('Authorization', who.authorization);
const change = (who: TestPerson, body: unknown, station = 'kqtr') => request(app()).patch(`/api/v1/stations/${station}/make-goods/${makeGoodId}`).set('Authorization', who.authorization).send(body as object);

describe('make-goods', () => {
  it('are listed with the spot they make good, their campaign and advertiser, and when they expire', async () => {
    const res = await list(people.viewer).expect(200);
    const ends = ((await db('campaigns').where({ id: campaignId }).first(db.raw(`to_char(ends_on + 14, 'YYYY-MM-DD') as d`))) as { d: string }).d;
    expect(res.body).toEqual([
      expect.objectContaining({
        id: makeGoodId,
        status: 'owed',
        reason: 'missed',
        campaign: { id: campaignId, name: 'Fall Sale' },
        advertiser: expect.objectContaining({ name: 'Rainbow Motors' }) as unknown,
        original: expect.objectContaining({ date: '2026-12-01', startsAt: '2026-12-01T14:20:00.000Z', title: 'Rainbow Motors — Fall Sale' }) as unknown,
        scheduled: null,
        wantedOn: null,
        expiresOn: ends,
      }),
    ]);
    expect((await list(people.viewer, '?status=waived').expect(200)).body).toEqual([]);
    expect((await list(people.viewer, `?campaign=${campaignId}`).expect(200)).body).toHaveLength(1);
  });

  it('traffic waives one with a reason, audited; then it no longer changes', async () => {
    const res = await change(people.traffic, { status: 'waived', reason: 'Credited on the December invoice' }).expect(200);
    expect(res.body).toMatchObject({ status: 'waived', waivedReason: 'Credited on the December invoice' });
    const audit = (await db('audit_log').where({ action: 'make_good.waive' }).first()) as { actorId: string; before: { status: string }; after: { status: string } };
    expect(audit).toMatchObject({ actorId: people.traffic.id, before: { status: 'owed' }, after: { status: 'waived' } });
    const again = await change(people.traffic, { wantedOn: null }).expect(409);
    expect((again.body as { detail: string }).detail).toContain('this one is waived');
  });

  it('traffic asks for one on a day; a day past or after it expires is refused naming the field', async () => {
    const tomorrow = DateTime.now().setZone('America/Phoenix').plus({ days: 1 }).toISODate()!;
    expect((await change(people.traffic, { wantedOn: tomorrow }).expect(200)).body).toMatchObject({ status: 'owed', wantedOn: tomorrow });
    const past = await change(people.traffic, { wantedOn: '2026-01-01' }).expect(400);
    expect((past.body as { errors: { path: string }[] }).errors[0]!.path).toBe('body.wantedOn');
    const late = await change(people.traffic, { wantedOn: DateTime.now().plus({ days: 90 }).toISODate()! }).expect(400);
    expect((late.body as { detail: string }).detail).toContain('expires on');
    expect((await change(people.traffic, { wantedOn: null }).expect(200)).body).toMatchObject({ wantedOn: null });
  });

  it('traffic asks for one in a daypart (with or without a day); another station’s daypart or an empty change is refused', async () => {
    const daypart = (await db('dayparts').join('stations', 'stations.id', 'dayparts.station_id').where({ slug: 'kqtr', 'dayparts.name': 'morning drive' }).first('dayparts.id')) as { id: string };
    const theirs = (await db('dayparts').join('stations', 'stations.id', 'dayparts.station_id').where({ slug: 'kmgo', 'dayparts.name': 'morning drive' }).first('dayparts.id')) as { id: string };
    const res = await change(people.traffic, { wantedDaypartId: daypart.id }).expect(200);
    expect(res.body).toMatchObject({ wantedOn: null, wantedDaypart: { id: daypart.id, name: 'morning drive' } });
    const tomorrow = DateTime.now().setZone('America/Phoenix').plus({ days: 1 }).toISODate()!;
    // A day alone keeps the daypart asked for.
    expect((await change(people.traffic, { wantedOn: tomorrow }).expect(200)).body).toMatchObject({ wantedOn: tomorrow, wantedDaypart: { name: 'morning drive' } });
    const elsewhere = await change(people.traffic, { wantedDaypartId: theirs.id }).expect(400);
    expect((elsewhere.body as { errors: { path: string }[] }).errors[0]!.path).toBe('body.wantedDaypartId');
    await change(people.traffic, {}).expect(400);
    expect((await change(people.traffic, { wantedDaypartId: null }).expect(200)).body).toMatchObject({ wantedDaypart: null, wantedOn: tomorrow });
  });

  it('a viewer or programme director may not change one; a member of another station does not see it', async () => {
    await change(people.viewer, { status: 'waived', reason: 'nope' }).expect(403);
    await change(people.programming, { wantedOn: null }).expect(403);
    await change(people.elsewhere, { wantedOn: null }).expect(404);
    await change(people.elsewhere, { wantedOn: null }, 'kmgo').expect(404);
    await change(people.traffic, { status: 'aired', reason: 'it did' }).expect(400);
  });

  it('expire past the campaign’s flight plus the station’s grace, and only then', async () => {
    const stationId = ((await db('stations').where({ slug: 'kqtr' }).first('id')) as { id: string }).id;
    await db('campaigns').where({ id: campaignId }).update({ startsOn: '2026-11-01', endsOn: '2026-12-10' });
    expect(await expireMakeGoods(db, stationId, '2026-12-24')).toBe(0);
    expect(await expireMakeGoods(db, stationId, '2026-12-25')).toBe(1);
    expect((await list(people.viewer).expect(200)).body).toEqual([expect.objectContaining({ status: 'expired' })]);
  });
});
