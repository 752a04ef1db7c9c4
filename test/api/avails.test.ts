// Avails and sell-out through the API, against the real app and PostgreSQL: the weeks ahead by
// day and daypart, a built day counted from its log, make-goods owed taking avails, any role at
// the station may look, and a past start or more than eight weeks is refused naming the field.
import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../api/app.js';
import { importStationBundle } from '../../db/bundle-import.js';
import { broadcastDatesFrom } from '../../domain/broadcast-day.js';
import { addDays } from '../../domain/calendar-date.js';
import { isoWeekdayOf } from '../../domain/avails.js';
import { smallStationBundle } from '../fixtures/bundles.js';
import { useTestDatabase } from '../support/db.js';
import { makePerson, type TestPerson } from '../support/people.js';

const SECRET = 'avails-secret';
const db = useTestDatabase({ truncateBeforeEach: false });
const app = () => createApp({ db, temporal: { namespace: 'default', check: () => Promise.resolve() }, jwtSecret: SECRET, log: () => undefined });
/** Today at the station (Phoenix, no DST). */
const today = () => broadcastDatesFrom(new Date(), 'America/Phoenix', 1)[0]!;
/** The next Monday after today (never today): a whole week of projection. */
const nextMonday = () => addDays(today(), 8 - isoWeekdayOf(today()));

let people: Record<'viewer' | 'traffic' | 'elsewhere', TestPerson>;
let daypart: Record<'morning' | 'overnight', string>;
let builtDay: string;

interface Counts {
  avails: number;
  sold: number;
  free: number;
  oversold: number;
  makeGoods: number;
  sellOutPercent: number | null;
  level: string;
}
interface Report {
  station: { slug: string };
  today: string;
  from: string;
  to: string;
  dayparts: { id: string | null; name: string }[];
  daypartsOverlap: boolean;
  makeGoods: { owed: number; placed: number };
  weeks: { startsOn: string; endsOn: string; days: { date: string; state: string; hours: number; dayparts: (Counts & { daypartId: string | null })[]; total: Counts }[]; total: Counts }[];
  total: Counts;
}

beforeAll(async () => {
  const { stationId } = await importStationBundle(db, smallStationBundle());
  await importStationBundle(db, { ...smallStationBundle(), station: { ...smallStationBundle().station, slug: 'kavo', name: 'Elsewhere FM' } });
  people = {
    viewer: await makePerson(db, SECRET, 'viewer', { stations: ['kqtr'] }),
    traffic: await makePerson(db, SECRET, 'traffic', { stations: ['kqtr'] }),
    elsewhere: await makePerson(db, SECRET, 'admin', { stations: ['kavo'] }),
  };
  const rows = (await db('dayparts').where({ stationId }).select('id', 'name')) as { id: string; name: string }[];
  daypart = { morning: rows.find((r) => r.name === 'morning drive')!.id, overnight: rows.find((r) => r.name === 'overnight')!.id };
  // The Fall Sale (6 a day in morning drive) runs through the next ten weeks.
  const campaignId = ((await db('campaigns').where({ stationId }).first('id')) as { id: string }).id;
  await db('campaigns').where({ id: campaignId }).update({ startsOn: addDays(today(), -30), endsOn: addDays(today(), 70) });
  // The next Tuesday's log is built: two spots of the Fall Sale at 07:00 (one a make-good) and a PSA in the third avail.
  builtDay = addDays(nextMonday(), 1);
  const [log] = (await db('daily_logs').insert({ stationId, broadcastDate: builtDay, workflowId: `broadcast-day:kqtr:${builtDay}`, status: 'awaiting_approval', version: 1, builtAt: new Date() }).returning('id')) as { id: string }[];
  const at = new Date(`${builtDay}T14:20:00Z`);
  const ids = [randomUUID(), randomUUID(), randomUUID()];
  await db('log_entries').insert([
    { id: ids[0], logId: log!.id, position: 0, startsAt: at, lengthMs: 30_000, type: 'ADV', campaignId, hour: 7, utcOffsetMinutes: -420, title: 'Rainbow Motors — Fall Sale' },
    { id: ids[1], logId: log!.id, position: 1, startsAt: at, lengthMs: 30_000, type: 'ADV', campaignId, hour: 7, utcOffsetMinutes: -420, title: 'Rainbow Motors — Fall Sale' },
    { id: ids[2], logId: log!.id, position: 2, startsAt: at, lengthMs: 30_000, type: 'PSA', isFallback: true, fallbackReason: 'no_sale', hour: 7, utcOffsetMinutes: -420, title: 'Get Tested Phoenix' },
  ]);
  await db('make_goods').insert({ stationId, campaignId, reason: 'missed', status: 'scheduled', scheduledEntryId: ids[1] });
  // Two make-goods still owed: the next day projected takes them.
  await db('make_goods').insert([
    { stationId, campaignId, reason: 'missed' },
    { stationId, campaignId, reason: 'missed' },
  ]);
});

const avails = (who: TestPerson, query = '', station = 'kqtr') => request(app()).get(`/api/v1/stations/${station}/avails${query}`).set('Authorization', who.authorization);

describe('avails', () => {
  it('are six weeks from today by default, by day and daypart, with week and range totals', async () => {
    const res = await avails(people.viewer).expect(200);
    const r = res.body as Report;
    expect(r).toMatchObject({ station: { slug: 'kqtr' }, today: today(), from: today(), to: addDays(today(), 41), daypartsOverlap: false });
    expect(r.dayparts.map((d) => d.name)).toEqual(['overnight', 'morning drive', 'Other hours']);
    const days = r.weeks.flatMap((w) => w.days);
    expect(days).toHaveLength(42);
    expect(days.every((d) => d.hours === 24)).toBe(true);
    // Every hour plays a clock with three ADV (the 06:00 clock on weekdays has its own break).
    const monday = days.find((d) => d.date === addDays(nextMonday(), 7))!;
    const morning = monday.dayparts.find((c) => c.daypartId === daypart.morning)!;
    expect(morning).toMatchObject({ avails: expect.any(Number) as number, sold: 6 });
    expect(morning.free + morning.sold - morning.oversold).toBe(morning.avails);
    for (const key of ['avails', 'sold', 'free', 'oversold'] as const) {
      expect(monday.dayparts.reduce((s, c) => s + c[key], 0)).toBe(monday.total[key]);
      expect(r.weeks.reduce((s, w) => s + w.total[key], 0)).toBe(r.total[key]);
    }
  });

  it('a built day counts what its log placed; the days not built are projected and take the make-goods owed', async () => {
    const r = (await avails(people.viewer, `?from=${nextMonday()}&weeks=4`).expect(200)).body as Report;
    const days = r.weeks.flatMap((w) => w.days);
    expect(r.weeks[0]!.startsOn).toBe(nextMonday());
    expect(r.weeks).toHaveLength(4);
    const built = days.find((d) => d.date === builtDay)!;
    expect(built).toMatchObject({ state: 'built', total: { avails: 3, sold: 2, free: 1, makeGoods: 1 } });
    expect(built.dayparts.find((c) => c.daypartId === daypart.morning)).toMatchObject({ avails: 3, sold: 2, free: 1, sellOutPercent: 67, level: 'selling' });
    expect(days[0]).toMatchObject({ state: 'projected', total: { sold: 8, makeGoods: 2 } });
    expect(r.makeGoods).toEqual({ owed: 2, placed: 2 });
  });

  it('refuses a past start or a number of weeks outside 4 to 8, naming the field', async () => {
    const past = await avails(people.viewer, `?from=${addDays(today(), -1)}`).expect(400);
    expect(past.headers['content-type']).toContain('application/problem+json');
    expect((past.body as { errors: { path: string }[] }).errors[0]!.path).toBe('query.from');
    for (const weeks of [9, 3]) {
      const res = await avails(people.viewer, `?weeks=${weeks}`).expect(400);
      expect((res.body as { errors: { path: string }[] }).errors[0]!.path).toBe('query.weeks');
    }
    await avails(people.viewer, '?from=2026-02-30').expect(400);
  });

  it('is for people of the station: traffic too, another station’s admin gets 404', async () => {
    await avails(people.traffic, '?weeks=8').expect(200);
    await avails(people.elsewhere).expect(404);
    await request(app()).get('/api/v1/stations/kqtr/avails').expect(401);
  });
});
