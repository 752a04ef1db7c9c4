// The traffic API against the real app and PostgreSQL: advertisers, campaigns with their
// delivery figures, and the station bundle exported and imported back.
import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { createApp } from '../../api/app.js';
import { importStationBundle } from '../../db/bundle-import.js';
import type { StationBundle } from '../../domain/bundle/types.js';
import { validateStationBundle } from '../../domain/bundle/validate.js';
import type { UserRole } from '../../domain/vocabulary.js';
import { smallStationBundle } from '../fixtures/bundles.js';
import { useTestDatabase } from '../support/db.js';
import { makePerson } from '../support/people.js';

const SECRET = 'traffic-test-secret';
const db = useTestDatabase();

const api = () =>
  request(
    createApp({
      db,
      temporal: { namespace: 'default', check: () => Promise.resolve() },
      jwtSecret: SECRET,
      validateResponses: true,
      log: (error) => console.error(error),
    }),
  );

async function tokenFor(role: UserRole): Promise<string> {
  return (await makePerson(db, SECRET, role)).authorization;
}

interface Problem {
  status: number;
  detail?: string;
  errors?: { path: string; message: string }[];
}
interface CampaignBody {
  id: string;
  version: number;
  name: string;
  priority: number;
  dayparts: string[];
  copy: { ref: string | null; weight: number }[];
  delivery: { ordered: number; placed: number; aired: number };
}

const KQTR = '/api/v1/stations/kqtr';
const TABLES = ['categories', 'dayparts', 'music_rule_sets', 'clocks', 'clock_elements', 'grid_slots', 'grid_overrides', 'tracks', 'track_categories', 'advertisers', 'campaigns', 'campaign_copy', 'campaign_dayparts'];

async function counts(): Promise<Record<string, number>> {
  const entries = await Promise.all(TABLES.map(async (table) => [table, Number(((await db(table).count('* as n').first()) as { n: string | number }).n)] as const));
  return Object.fromEntries(entries);
}

/** KQTR with its Rainbow Motors advertiser; returns the advertiser's id. */
async function kqtr(): Promise<{ advertiserId: string }> {
  await importStationBundle(db, smallStationBundle());
  const { id } = (await db('advertisers').where({ name: 'Rainbow Motors' }).first('id')) as { id: string };
  return { advertiserId: id };
}

const winterDrive = (advertiserId: string) => ({
  advertiserId,
  name: 'Winter Drive',
  start: '2027-01-04',
  end: '2027-01-31',
  priority: 6,
  spotsPerWeek: 10,
  spotLength: 30,
  dayparts: ['morning drive'],
  copy: [{ track: 'adv-1', weight: 3 }],
});

describe('advertisers', () => {
  it('a traffic manager signs up an advertiser, everyone sees it, and the same name cannot be signed up twice', async () => {
    await kqtr();
    const [traffic, viewer] = await Promise.all([tokenFor('traffic'), tokenFor('viewer')]);

    const created = await api()
      .post(`${KQTR}/advertisers`)
      .set('Authorization', traffic)
      .send({ name: 'Saguaro Health Clinic', category: 'health', contactName: 'Dr. Lee', email: 'lee@saguaro.example' })
      .expect(201);
    const clinic = created.body as { id: string; category: string };
    expect(clinic.category).toBe('health');

    const list = await api().get(`${KQTR}/advertisers`).set('Authorization', viewer).expect(200);
    expect((list.body as { name: string }[]).map((a) => a.name)).toEqual(['Rainbow Motors', 'Saguaro Health Clinic']);

    const renamed = await api().patch(`${KQTR}/advertisers/${clinic.id}`).set('Authorization', traffic).send({ name: 'Saguaro Clinic', email: null }).expect(200);
    expect(renamed.body).toMatchObject({ name: 'Saguaro Clinic', email: null, category: 'health', contactName: 'Dr. Lee' });

    const twice = await api().post(`${KQTR}/advertisers`).set('Authorization', traffic).send({ name: 'Rainbow Motors' }).expect(409);
    expect(twice.headers['content-type']).toMatch(/application\/problem\+json/);
    await api().patch(`${KQTR}/advertisers/${clinic.id}`).set('Authorization', traffic).send({ name: 'Rainbow Motors' }).expect(409);

    const unknownCategory = await api().post(`${KQTR}/advertisers`).set('Authorization', traffic).send({ name: 'Mesa Tacos', category: 'food' }).expect(400);
    expect((unknownCategory.body as Problem).errors?.[0]?.path).toBe('body.category');
    await api().post(`${KQTR}/advertisers`).set('Authorization', traffic).send({ name: 'Mesa Tacos', budget: 100 }).expect(400);
    await api().post(`${KQTR}/advertisers`).set('Authorization', viewer).send({ name: 'Mesa Tacos' }).expect(403);
    await api().patch(`${KQTR}/advertisers/${randomUUID()}`).set('Authorization', traffic).send({ name: 'Nobody' }).expect(404);

    const audit = (await db('audit_log').where('entity', 'advertiser').orderBy('id').pluck('action')) as string[];
    expect(audit).toEqual(['advertiser.create', 'advertiser.update']);
  });
});

describe('campaigns', () => {
  it('an admin enters a campaign with copy and dayparts, and it reads back with its ETag and ordered spots', async () => {
    const { advertiserId } = await kqtr();
    const [admin, viewer] = await Promise.all([tokenFor('admin'), tokenFor('viewer')]);

    const created = await api().post(`${KQTR}/campaigns`).set('Authorization', admin).send(winterDrive(advertiserId)).expect(201);
    const campaign = created.body as CampaignBody;
    expect(created.headers.etag).toBe('"1"');
    expect(campaign).toMatchObject({
      name: 'Winter Drive',
      version: 1,
      dayparts: ['morning drive'],
      copy: [{ ref: 'adv-1', weight: 3 }],
      // 28 days at 10 a week.
      delivery: { ordered: 40, placed: 0, aired: 0 },
    });

    const read = await api().get(`${KQTR}/campaigns/${campaign.id}`).set('Authorization', viewer).expect(200);
    expect(read.headers.etag).toBe('"1"');
    expect(read.body).toEqual(campaign);

    const all = await api().get(`${KQTR}/campaigns`).set('Authorization', viewer).expect(200);
    expect((all.body as CampaignBody[]).map((c) => c.name)).toEqual(['Fall Sale', 'Winter Drive']);
    const onChristmas = await api().get(`${KQTR}/campaigns?activeOn=2026-12-25`).set('Authorization', viewer).expect(200);
    expect((onChristmas.body as CampaignBody[]).map((c) => c.name)).toEqual(['Fall Sale']);
    const paused = await api().get(`${KQTR}/campaigns?status=paused`).set('Authorization', viewer).expect(200);
    expect(paused.body).toEqual([]);

    await api().post(`${KQTR}/campaigns`).set('Authorization', admin).send(winterDrive(advertiserId)).expect(409);
    await api().get(`${KQTR}/campaigns/${randomUUID()}`).set('Authorization', viewer).expect(404);
    await api().get('/api/v1/stations/nowhere/campaigns').set('Authorization', viewer).expect(404);
  });

  it('a campaign whose flight ends before it starts is refused, naming end', async () => {
    const { advertiserId } = await kqtr();
    const admin = await tokenFor('admin');
    const refused = await api()
      .post(`${KQTR}/campaigns`)
      .set('Authorization', admin)
      .send({ ...winterDrive(advertiserId), start: '2027-02-01', end: '2027-01-31' })
      .expect(400);
    expect((refused.body as Problem).errors).toEqual([expect.objectContaining({ path: 'body.end' })]);

    const noOrder = await api()
      .post(`${KQTR}/campaigns`)
      .set('Authorization', admin)
      .send({ ...winterDrive(advertiserId), spotsPerWeek: undefined })
      .expect(400);
    expect((noOrder.body as Problem).errors?.map((e) => e.path)).toEqual(['body.spotsPerDay']);

    const tooImportant = await api()
      .post(`${KQTR}/campaigns`)
      .set('Authorization', admin)
      .send({ ...winterDrive(advertiserId), priority: 11 })
      .expect(400);
    expect((tooImportant.body as Problem).errors?.[0]?.path).toBe('body.priority');

    const unknownDaypart = await api()
      .post(`${KQTR}/campaigns`)
      .set('Authorization', admin)
      .send({ ...winterDrive(advertiserId), dayparts: ['afternoon drive'] })
      .expect(400);
    expect((unknownDaypart.body as Problem).errors?.map((e) => e.path)).toEqual(['body.dayparts[0]']);
    expect(await db('campaigns').count('* as n').first()).toEqual({ n: 1 });
  });

  it('copy that is not an ADV track is refused, naming the copy', async () => {
    const { advertiserId } = await kqtr();
    const admin = await tokenFor('admin');
    const refused = await api()
      .post(`${KQTR}/campaigns`)
      .set('Authorization', admin)
      .send({ ...winterDrive(advertiserId), copy: [{ track: 'adv-1' }, { track: 'psa-1' }, { track: 'no-such-spot' }] })
      .expect(400);
    const errors = (refused.body as Problem).errors!;
    expect(errors.map((e) => e.path)).toEqual(['body.copy[1].track', 'body.copy[2].track']);
    expect(errors[0]!.message).toContain('ADV');
  });

  it('a change made against a version someone else already changed gets 412', async () => {
    const { advertiserId } = await kqtr();
    const admin = await tokenFor('admin');
    const body: unknown = (await api().post(`${KQTR}/campaigns`).set('Authorization', admin).send(winterDrive(advertiserId)).expect(201)).body;
    const id = (body as CampaignBody).id;

    const first = await api().patch(`${KQTR}/campaigns/${id}`).set('Authorization', admin).set('If-Match', '"1"').send({ priority: 8, copy: [{ track: 'adv-1', weight: 1 }] }).expect(200);
    expect(first.headers.etag).toBe('"2"');
    expect(first.body).toMatchObject({ version: 2, priority: 8, copy: [{ ref: 'adv-1', weight: 1 }] });

    const stale = await api().patch(`${KQTR}/campaigns/${id}`).set('Authorization', admin).set('If-Match', '"1"').send({ priority: 2 }).expect(412);
    expect(stale.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(((await db('campaigns').where({ id }).first('priority', 'version')) as { priority: number; version: number })).toEqual({ priority: 8, version: 2 });

    const badEnd = await api().patch(`${KQTR}/campaigns/${id}`).set('Authorization', admin).send({ end: '2027-01-01' }).expect(400);
    expect((badEnd.body as Problem).errors?.[0]?.path).toBe('body.end');

    const audit = (await db('audit_log').where('entity', 'campaign').orderBy('id').pluck('action')) as string[];
    expect(audit).toEqual(['campaign.create', 'campaign.update']);
  });

  it('traffic may not change campaigns unless the station lets traffic publish', async () => {
    const { advertiserId } = await kqtr();
    const [traffic, programming] = await Promise.all([tokenFor('traffic'), tokenFor('programming')]);
    const refused = await api().post(`${KQTR}/campaigns`).set('Authorization', traffic).send(winterDrive(advertiserId)).expect(403);
    expect((refused.body as Problem).detail).toContain('may not change campaigns');
    const fallSale = (await db('campaigns').where({ name: 'Fall Sale' }).first('id')) as { id: string };
    await api().patch(`${KQTR}/campaigns/${fallSale.id}`).set('Authorization', traffic).send({ priority: 9 }).expect(403);
    await api().post(`${KQTR}/campaigns`).set('Authorization', programming).send(winterDrive(advertiserId)).expect(403);

    await db('stations').where({ slug: 'kqtr' }).update({ trafficMayPublish: true });
    await api().post(`${KQTR}/campaigns`).set('Authorization', traffic).send(winterDrive(advertiserId)).expect(201);
    const changed = await api().patch(`${KQTR}/campaigns/${fallSale.id}`).set('Authorization', traffic).send({ priority: 9 }).expect(200);
    expect(changed.body).toMatchObject({ priority: 9, version: 2 });
    await api().post(`${KQTR}/campaigns`).set('Authorization', programming).send({ ...winterDrive(advertiserId), name: 'Spring' }).expect(403);
  });

  it("a campaign's delivery counts two spots placed in the log and one aired in the as-run", async () => {
    await kqtr();
    const viewer = await tokenFor('viewer');
    const { id: stationId } = (await db('stations').where({ slug: 'kqtr' }).first('id')) as { id: string };
    const fallSale = (await db('campaigns').where({ name: 'Fall Sale' }).first('id')) as { id: string };
    const spot = (await db('tracks').where({ ref: 'adv-1' }).first('id')) as { id: string };
    const [log] = (await db('daily_logs').insert({ stationId, broadcastDate: '2026-12-01', status: 'published', version: 1, workflowId: 'broadcast-day:kqtr:2026-12-01' }).returning('id')) as { id: string }[];
    const entries = [randomUUID(), randomUUID()];
    await db('log_entries').insert(
      entries.map((id, position) => ({
        id,
        logId: log!.id,
        position,
        startsAt: new Date(Date.UTC(2026, 11, 1, 14, position * 20)),
        lengthMs: 30_000,
        type: 'ADV',
        trackId: spot.id,
        campaignId: fallSale.id,
        hour: 7,
        breakIndex: 0,
        title: 'Rainbow Motors — Fall Sale',
      })),
    );
    await db('playback_history').insert({ stationId, source: 'libretime', externalId: 'lt-1', logEntryId: entries[0], trackId: spot.id, startedAt: new Date(Date.UTC(2026, 11, 1, 14, 0, 5)) });

    const list = await api().get(`${KQTR}/campaigns`).set('Authorization', viewer).expect(200);
    // Nov 1 – Dec 31 is 61 days at 6 a day.
    expect((list.body as CampaignBody[])[0]!.delivery).toEqual({ ordered: 366, placed: 2, aired: 1 });
    const one = await api().get(`${KQTR}/campaigns/${fallSale.id}`).set('Authorization', viewer).expect(200);
    expect((one.body as CampaignBody).delivery).toEqual({ ordered: 366, placed: 2, aired: 1 });
  });
});

describe('the station bundle', () => {
  it('the station exported as a bundle imports back onto the same station with the same counts', async () => {
    await kqtr();
    const [admin, viewer] = await Promise.all([tokenFor('admin'), tokenFor('viewer')]);
    const { id: stationId } = (await db('stations').where({ slug: 'kqtr' }).first('id')) as { id: string };
    const before = await counts();

    const exported = await api().get(`${KQTR}/bundle`).set('Authorization', viewer).expect(200);
    const bundle = exported.body as StationBundle;
    expect(() => validateStationBundle(bundle)).not.toThrow();
    expect(bundle.station).toMatchObject({ slug: 'kqtr', timezone: 'America/Phoenix' });
    expect(bundle.dayparts).toContainEqual({ name: 'morning drive', days: ['mon', 'tue', 'wed', 'thu', 'fri'], start: '06:00', end: '10:00' });
    expect(bundle.clocks?.find((c) => c.name === 'Morning Drive')?.elements[0]).toEqual({ type: 'LIN', title: 'Legal ID', count: 1, start: { at: '00:00', kind: 'hard' } });
    expect(bundle.campaigns?.[0]).toMatchObject({ advertiser: 'Rainbow Motors', name: 'Fall Sale', copy: [{ track: 'adv-1', weight: 2 }], dayparts: ['morning drive'] });

    const imported = await api().put(`${KQTR}/bundle`).set('Authorization', admin).send(bundle).expect(200);
    expect(imported.body).toMatchObject({ stationId, slug: 'kqtr', created: false, counts: { tracks: 5, clocks: 2, campaigns: 1, gridHours: 168, overrides: 1 } });
    expect(await counts()).toEqual(before);
    // And the station reads the same afterwards.
    const again = await api().get(`${KQTR}/bundle`).set('Authorization', viewer).expect(200);
    expect(again.body).toEqual(bundle);
    expect(await db('audit_log').where({ action: 'station.bundle.import', stationId }).count('* as n').first()).toEqual({ n: 2 });
  });

  it('a malformed bundle is refused with the JSON path of each problem and changes nothing', async () => {
    await kqtr();
    const [admin, traffic] = await Promise.all([tokenFor('admin'), tokenFor('traffic')]);
    const body: unknown = (await api().get(`${KQTR}/bundle`).set('Authorization', admin).expect(200)).body;
    const bundle = body as StationBundle;
    const before = await counts();

    const broken = structuredClone(bundle);
    broken.campaigns![0]!.copy = [{ track: 'psa-1' }];
    broken.clocks![1]!.elements[1]!.ruleSet = 'evening jazz';
    (broken.library![0] as unknown as Record<string, unknown>).colour = 'blue';
    broken.station.name = 'KQTR renamed';
    const refused = await api().put(`${KQTR}/bundle`).set('Authorization', admin).send(broken).expect(400);
    expect(refused.headers['content-type']).toMatch(/application\/problem\+json/);
    const paths = (refused.body as Problem).errors!.map((e) => e.path);
    expect(paths).toContain(`$.library[0].colour`);

    // Once the shape is right, the references are checked too.
    delete (broken.library![0] as unknown as Record<string, unknown>).colour;
    const unresolved = await api().put(`${KQTR}/bundle`).set('Authorization', admin).send(broken).expect(400);
    expect((unresolved.body as Problem).errors!.map((e) => e.path)).toEqual(expect.arrayContaining(['$.campaigns[0].copy[0].track', '$.clocks[1].elements[1].ruleSet']));

    const elsewhere = await api().put(`${KQTR}/bundle`).set('Authorization', admin).send({ ...bundle, station: { ...bundle.station, slug: 'kzzz' } }).expect(400);
    expect((elsewhere.body as Problem).errors).toEqual([expect.objectContaining({ path: '$.station.slug' })]);
    await api().put(`${KQTR}/bundle`).set('Authorization', traffic).send(bundle).expect(403);

    expect(await counts()).toEqual(before);
    expect(((await db('stations').where({ slug: 'kqtr' }).first('name')) as { name: string }).name).toBe('KQTR Community Radio');
  });
});
