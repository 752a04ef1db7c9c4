// Where a campaign stands and how it delivers over its flight, through the API against real
// PostgreSQL: a finished flight says "ended" (never "active"), and the delivery adds up day by
// day to what the order asked for, what the logs placed and what the as-run shows aired.
import { randomUUID } from 'node:crypto';
import { DateTime } from 'luxon';
import request from 'supertest';
import { beforeEach, describe, expect, it } from 'vitest';
import { createApp } from '../../api/app.js';
import { importStationBundle } from '../../db/bundle-import.js';
import { smallStationBundle } from '../fixtures/bundles.js';
import { useTestDatabase } from '../support/db.js';
import { makePerson, type TestPerson } from '../support/people.js';

const SECRET = 'campaign-delivery-secret';
const db = useTestDatabase();
const app = () => createApp({ db, temporal: { namespace: 'default', check: () => Promise.resolve() }, jwtSecret: SECRET, log: () => undefined });
let viewer: TestPerson;
let campaignId: string;

beforeEach(async () => {
  const { stationId } = await importStationBundle(db, smallStationBundle());
  viewer = await makePerson(db, SECRET, 'viewer', { stations: ['kqtr'] });
  campaignId = ((await db('campaigns').where({ stationId }).first('id')) as { id: string }).id;
  // A three-day flight in November 2026, 6 a day; its first day's log placed 3 spots, 2 of which aired.
  await db('campaigns').where({ id: campaignId }).update({ startsOn: '2026-11-02', endsOn: '2026-11-04' });
  const [log] = (await db('daily_logs').insert({ stationId, broadcastDate: '2026-11-02', workflowId: 'broadcast-day:kqtr:2026-11-02', status: 'reconciled', version: 1 }).returning('id')) as { id: string }[];
  const ids = [randomUUID(), randomUUID(), randomUUID()];
  const track = ((await db('tracks').where({ stationId, ref: 'adv-1' }).first('id')) as { id: string }).id;
  await db('log_entries').insert(ids.map((id, i) => ({ id, logId: log!.id, position: i, startsAt: new Date(`2026-11-02T14:${10 + i}:00Z`), lengthMs: 30_000, type: 'ADV', campaignId, trackId: track, hour: 7, title: 'Rainbow Motors — Fall Sale' })));
  await db('playback_history').insert(ids.slice(0, 2).map((id, i) => ({ stationId, source: 'azuracast', externalId: `az-${i}`, trackId: track, logEntryId: id, startedAt: new Date(`2026-11-02T14:${10 + i}:00Z`) })));
});

const get = (url: string) => request(app()).get(`/api/v1/stations/kqtr/${url}`).set('Authorization', viewer.authorization);

describe('a campaign', () => {
  it('whose flight has ended says ended, paused says paused, and one ahead says upcoming', async () => {
    expect(((await get('campaigns').expect(200)).body as { state: string }[])[0]!.state).toBe('ended');
    await db('campaigns').where({ id: campaignId }).update({ status: 'paused' });
    expect(((await get(`campaigns/${campaignId}`).expect(200)).body as { state: string }).state).toBe('paused');
    const nextYear = DateTime.now().plus({ years: 1 }).toISODate()!;
    await db('campaigns').where({ id: campaignId }).update({ status: 'active', startsOn: nextYear, endsOn: nextYear });
    expect(((await get(`campaigns/${campaignId}`).expect(200)).body as { state: string }).state).toBe('upcoming');
  });

  it('delivers day by day: ordered to date, placed and aired as the logs and the as-run say', async () => {
    const res = (await get(`campaigns/${campaignId}/delivery`).expect(200)).body as { state: string; days: unknown[] };
    expect(res.state).toBe('ended');
    expect(res.days).toEqual([
      { date: '2026-11-02', orderedToDate: 6, placed: 3, aired: 2, placedToDate: 3, airedToDate: 2 },
      { date: '2026-11-03', orderedToDate: 12, placed: 0, aired: 0, placedToDate: 3, airedToDate: 2 },
      { date: '2026-11-04', orderedToDate: 18, placed: 0, aired: 0, placedToDate: 3, airedToDate: 2 },
    ]);
    // The campaign's own totals agree.
    expect(((await get(`campaigns/${campaignId}`).expect(200)).body as { delivery: unknown }).delivery).toEqual({ ordered: 18, placed: 3, aired: 2 });
    await get(`campaigns/${randomUUID()}/delivery`).expect(404);
  });
});
