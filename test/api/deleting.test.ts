// Deleting a station's dayparts, categories, rule sets, clocks, advertisers and campaigns: what
// nobody uses goes (204, audited); what something still uses is refused with 409 naming each
// user and what to change first; a campaign in a log — the record of what aired — never goes.
// And the rule-set editor's count of the songs a rule set allows, by the engine's own filter.
import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { createApp } from '../../api/app.js';
import { importStationBundle } from '../../db/bundle-import.js';
import type { StationBundle } from '../../domain/bundle/types.js';
import { smallStationBundle } from '../fixtures/bundles.js';
import { useTestDatabase } from '../support/db.js';
import { makePerson } from '../support/people.js';

const SECRET = 'deleting-test-secret';
const db = useTestDatabase();
const T = '/api/v1/stations/kqtr';

interface Refusal {
  type: string;
  status: number;
  detail: string;
  errors: { path: string; message: string }[];
}

/** The small station, with three more songs: five in all, two of them the morning soft pop. */
function bundle(): StationBundle {
  const b = smallStationBundle();
  b.library!.push(
    { ref: 'mus-3', type: 'MUS', title: 'Sunny Side', artist: 'Copper State', genre: 'pop', mood: 'upbeat', bpm: 100, energy: 5, length: '3:30' },
    { ref: 'mus-4', type: 'MUS', title: 'Gravel Road', artist: 'Dry Wash', genre: 'rock', mood: 'upbeat', bpm: 120, energy: 7, length: '4:01' },
    { ref: 'mus-5', type: 'MUS', title: 'Night Owl', artist: 'Copper State', genre: 'pop', mood: 'upbeat', bpm: 110, energy: 5, length: '3:15', dayparts: ['overnight'] },
  );
  return b;
}

async function station() {
  await importStationBundle(db, bundle());
  await importStationBundle(db, { ...smallStationBundle(), station: { ...smallStationBundle().station, slug: 'kbbb', name: 'Station B' } });
  const person = async (role: 'admin' | 'programming' | 'traffic' | 'viewer', stations = ['kqtr']) => (await makePerson(db, SECRET, role, { stations })).authorization;
  const http = request(createApp({ db, temporal: { namespace: 'default', check: () => Promise.resolve() }, jwtSecret: SECRET, validateResponses: true, log: () => undefined }));
  const ids = async (table: string, column: string, value: string) => ((await db(table).join('stations', 'stations.id', `${table}.station_id`).where('stations.slug', 'kqtr').where(`${table}.${column}`, value).first(`${table}.id`)) as { id: string }).id;
  return {
    http,
    ids,
    admin: await person('admin'),
    programming: await person('programming'),
    traffic: await person('traffic'),
    viewer: await person('viewer'),
    otherProgramming: await person('programming', ['kbbb']),
    otherTraffic: await person('traffic', ['kbbb']),
  };
}

/** A built log for a day of kqtr with one entry of the given clock and campaign. */
async function logWith(date: string, entry: { clockId?: string; campaignId?: string; trackRef: string; type: 'ADV' | 'MUS' }) {
  const stationId = ((await db('stations').where({ slug: 'kqtr' }).first('id')) as { id: string }).id;
  const track = (await db('tracks').where({ stationId, ref: entry.trackRef }).first('id', 'title')) as { id: string; title: string };
  const [log] = (await db('daily_logs').insert({ stationId, broadcastDate: date, status: 'published', version: 1, workflowId: `broadcast-day:kqtr:${date}` }).returning('id')) as { id: string }[];
  const id = randomUUID();
  await db('log_entries').insert({ id, logId: log!.id, position: 0, startsAt: `${date}T14:00:00Z`, lengthMs: 30_000, type: entry.type, trackId: track.id, campaignId: entry.campaignId ?? null, clockId: entry.clockId ?? null, hour: 7, title: track.title });
  return id;
}

const audited = async (action: string, entityId: string) => (await db('audit_log').where({ action, entityId }).first('id')) !== undefined;

describe('deleting a daypart', () => {
  it('refuses one a rule set, a clock, a campaign and tracks use, naming each; deletes one nobody uses', async () => {
    const { http, ids, programming } = await station();
    const drive = await ids('dayparts', 'name', 'morning drive');
    for (const ref of ['mus-1', 'mus-2', 'mus-3']) {
      const track = await ids('tracks', 'ref', ref);
      await http.patch(`${T}/tracks/${track}`).set('Authorization', programming).send({ dayparts: ['morning drive'] }).expect(200);
    }
    const refused = (await http.delete(`${T}/dayparts/${drive}`).set('Authorization', programming).expect(409).expect('Content-Type', /problem\+json/)).body as Refusal;
    expect(refused.type).toBe('https://librelog.org/problems/in-use');
    expect(refused.detail).toBe('Daypart "morning drive" is still in use (4 uses, listed in errors): change those first.');
    expect(refused.errors).toEqual([
      { path: 'ruleSets', message: `music rule set "morning soft pop" is limited to it: take it out of the rule set's dayparts` },
      { path: 'clocks', message: 'clock "Morning Drive" is written for it: give the clock another daypart, or none' },
      { path: 'campaigns', message: `campaign "Fall Sale" may air in it: take it out of the campaign's dayparts` },
      { path: 'tracks', message: '3 tracks may play in it: take it out of their dayparts in the library' },
    ]);
    expect(await db('dayparts').where({ id: drive }).first('id')).toBeDefined();

    const created = (await http.post(`${T}/dayparts`).set('Authorization', programming).send({ name: 'weekend', days: ['sat', 'sun'], start: '08:00', end: '12:00' }).expect(201)).body as { id: string };
    const changed = await http.patch(`${T}/dayparts/${created.id}`).set('Authorization', programming).send({ name: 'weekend mornings', end: '00:00' }).expect(200);
    expect(changed.body).toEqual({ id: created.id, name: 'weekend mornings', days: ['sat', 'sun'], start: '08:00', end: '24:00' });
    await http.patch(`${T}/dayparts/${created.id}`).set('Authorization', programming).send({ name: 'overnight' }).expect(409);
    await http.patch(`${T}/dayparts/${created.id}`).set('Authorization', programming).send({ start: '24:00' }).expect(400);
    await http.delete(`${T}/dayparts/${created.id}`).set('Authorization', programming).expect(204);
    expect(await db('dayparts').where({ id: created.id }).first('id')).toBeUndefined();
    expect(await audited('daypart.delete', created.id)).toBe(true);
    await http.delete(`${T}/dayparts/${created.id}`).set('Authorization', programming).expect(404);
  });

  it('is for programming and admin: traffic and viewers get 403, another station’s member 404', async () => {
    const { http, ids, traffic, viewer, otherProgramming } = await station();
    const overnight = await ids('dayparts', 'name', 'overnight');
    await http.delete(`${T}/dayparts/${overnight}`).set('Authorization', traffic).expect(403);
    await http.delete(`${T}/dayparts/${overnight}`).set('Authorization', viewer).expect(403);
    await http.delete(`${T}/dayparts/${overnight}`).set('Authorization', otherProgramming).expect(404);
    // Station B's own path does not reach station A's daypart either.
    await http.delete(`/api/v1/stations/kbbb/dayparts/${overnight}`).set('Authorization', otherProgramming).expect(404);
  });
});

describe('deleting a category', () => {
  it('refuses one tracks carry and clock elements, advertisers and campaigns ask for; renames and deletes one nobody uses', async () => {
    const { http, ids, programming, viewer } = await station();
    const auto = await ids('categories', 'code', 'auto');
    const refused = (await http.delete(`${T}/categories/${auto}`).set('Authorization', programming).expect(409)).body as Refusal;
    expect(refused.errors).toEqual([
      { path: 'tracks', message: '1 track carries it: take it off them in the library' },
      { path: 'clockElements', message: `clock "Morning Drive", element 3 asks for it: change the element's category` },
      { path: 'advertisers', message: 'advertiser "Rainbow Motors" is in it: give the advertiser another category, or none' },
      { path: 'campaigns', message: 'campaign "Fall Sale" is in it: give the campaign another category, or none' },
    ]);
    const arts = (await http.post(`${T}/categories`).set('Authorization', programming).send({ code: 'arts' }).expect(201)).body as { id: string };
    expect((await http.patch(`${T}/categories/${arts.id}`).set('Authorization', programming).send({ name: 'Arts and culture' }).expect(200)).body).toEqual({ id: arts.id, code: 'arts', name: 'Arts and culture' });
    await http.patch(`${T}/categories/${arts.id}`).set('Authorization', viewer).send({ name: 'x' }).expect(403);
    await http.delete(`${T}/categories/${arts.id}`).set('Authorization', viewer).expect(403);
    await http.delete(`${T}/categories/${arts.id}`).set('Authorization', programming).expect(204);
    expect(await audited('category.delete', arts.id)).toBe(true);
  });
});

describe('deleting a music rule set', () => {
  it('refuses one clock elements play from, naming each element; deletes one nobody uses', async () => {
    const { http, ids, programming, traffic, otherProgramming } = await station();
    const pop = await ids('music_rule_sets', 'name', 'morning soft pop');
    const refused = (await http.delete(`${T}/rule-sets/${pop}`).set('Authorization', programming).expect(409)).body as Refusal;
    expect(refused.errors.map((e) => e.message)).toEqual([
      'clock "Morning Drive", element 2 plays from it: give the element another rule set, or none',
      'clock "Morning Drive", element 4 plays from it: give the element another rule set, or none',
    ]);
    const chill = (await http.post(`${T}/rule-sets`).set('Authorization', programming).send({ name: 'overnight chill' }).expect(201)).body as { id: string };
    await http.delete(`${T}/rule-sets/${chill.id}`).set('Authorization', traffic).expect(403);
    await http.delete(`${T}/rule-sets/${chill.id}`).set('Authorization', otherProgramming).expect(404);
    await http.delete(`${T}/rule-sets/${chill.id}`).set('Authorization', programming).expect(204);
    expect(await audited('rule_set.delete', chill.id)).toBe(true);
  });
});

describe('deleting a clock', () => {
  it('refuses one the weekly grid and an override play, in words: Mon–Fri 06:00 and 2026-12-25 at 07:00', async () => {
    const { http, ids, programming } = await station();
    const six = await ids('clocks', 'name', '06:00');
    const refused = (await http.delete(`${T}/clocks/${six}`).set('Authorization', programming).expect(409)).body as Refusal;
    expect(refused.errors).toEqual([
      { path: 'grid.weekly', message: 'the weekly grid plays it Mon–Fri 06:00: put another clock in those hours' },
      { path: 'grid.overrides', message: 'an override plays it on 2026-12-25 at 07:00: change or remove the override' },
    ]);
    const drive = await ids('clocks', 'name', 'Morning Drive');
    const weekly = ((await http.delete(`${T}/clocks/${drive}`).set('Authorization', programming).expect(409)).body as Refusal).errors.map((e) => e.message);
    expect(weekly).toEqual([
      'the weekly grid plays it Mon–Fri 00:00–06:00 and 07:00–24:00: put another clock in those hours',
      'the weekly grid plays it Sat, Sun 00:00–24:00: put another clock in those hours',
    ]);
  });

  it('deletes one only past logs name (their entries stay, without the link), refuses one a log to come has', async () => {
    const { http, programming, viewer } = await station();
    const clock = (await http.post(`${T}/clocks`).set('Authorization', programming).send({ name: 'Special', elements: [{ type: 'MUS', count: 12 }] }).expect(201)).body as { id: string };
    const pastEntry = await logWith('2026-01-05', { clockId: clock.id, trackRef: 'mus-1', type: 'MUS' });
    await logWith('2099-01-05', { clockId: clock.id, trackRef: 'mus-1', type: 'MUS' });
    const refused = (await http.delete(`${T}/clocks/${clock.id}`).set('Authorization', programming).expect(409)).body as Refusal;
    expect(refused.errors).toEqual([{ path: 'logs', message: 'the log of 2099-01-05 has hours from it: change the grid, then rebuild that day' }]);
    await db('daily_logs').where({ broadcastDate: '2099-01-05' }).delete();
    await http.delete(`${T}/clocks/${clock.id}`).set('Authorization', viewer).expect(403);
    await http.delete(`${T}/clocks/${clock.id}`).set('Authorization', programming).expect(204);
    expect(await db('log_entries').where({ id: pastEntry }).first('title', 'clockId')).toEqual({ title: 'Desert Bloom', clockId: null });
    expect(await audited('clock.delete', clock.id)).toBe(true);
  });
});

describe('deleting an advertiser', () => {
  it('refuses one with campaigns, naming them; deletes one without; traffic and admin only', async () => {
    const { http, ids, traffic, programming, otherTraffic } = await station();
    const rainbow = await ids('advertisers', 'name', 'Rainbow Motors');
    const refused = (await http.delete(`${T}/advertisers/${rainbow}`).set('Authorization', traffic).expect(409)).body as Refusal;
    expect(refused.detail).toBe('Advertiser "Rainbow Motors" is still in use (1 use, listed in errors): change those first.');
    expect(refused.errors).toEqual([{ path: 'campaigns', message: 'campaign "Fall Sale" is theirs: delete the campaign first (one that has aired stays, and so does its advertiser)' }]);
    const bakery = (await http.post(`${T}/advertisers`).set('Authorization', traffic).send({ name: 'Saguaro Bakery' }).expect(201)).body as { id: string };
    await http.delete(`${T}/advertisers/${bakery.id}`).set('Authorization', programming).expect(403);
    await http.delete(`${T}/advertisers/${bakery.id}`).set('Authorization', otherTraffic).expect(404);
    await http.delete(`${T}/advertisers/${bakery.id}`).set('Authorization', traffic).expect(204);
    expect(await audited('advertiser.delete', bakery.id)).toBe(true);
  });
});

describe('deleting a campaign', () => {
  it('never deletes one whose spots are in past logs — the proof of what aired — and says to cancel it instead', async () => {
    const { http, ids, admin } = await station();
    const fallSale = await ids('campaigns', 'name', 'Fall Sale');
    await logWith('2026-11-02', { campaignId: fallSale, trackRef: 'adv-1', type: 'ADV' });
    await logWith('2026-11-03', { campaignId: fallSale, trackRef: 'adv-1', type: 'ADV' });
    const refused = (await http.delete(`${T}/campaigns/${fallSale}`).set('Authorization', admin).expect(409)).body as Refusal;
    expect(refused.detail).toBe('Campaign "Fall Sale" is still in use (1 use, listed in errors): change those first, or cancel the campaign (status cancelled).');
    expect(refused.errors).toEqual([{ path: 'logs', message: 'the logs of 2 days, 2026-11-02 to 2026-11-03 carry 2 spots of it, the record of what aired: cancel the campaign instead' }]);
    expect(await db('campaigns').where({ id: fallSale }).first('id')).toBeDefined();
  });

  it('refuses one with make-goods owed; deletes one that never reached a log, with its copy and dayparts', async () => {
    const { http, ids, admin, traffic, otherTraffic } = await station();
    const rainbow = await ids('advertisers', 'name', 'Rainbow Motors');
    const order = { advertiserId: rainbow, name: 'Winter Sale', start: '2099-01-01', end: '2099-01-31', spotsPerDay: 2, dayparts: ['morning drive'], copy: [{ track: 'adv-1' }] };
    const winter = (await http.post(`${T}/campaigns`).set('Authorization', admin).send(order).expect(201)).body as { id: string };
    const stationId = ((await db('stations').where({ slug: 'kqtr' }).first('id')) as { id: string }).id;
    const [makeGood] = (await db('make_goods').insert({ stationId, campaignId: winter.id, reason: 'preempted', shortWeekStartsOn: '2099-01-01', status: 'owed' }).returning('id')) as { id: string }[];
    const refused = (await http.delete(`${T}/campaigns/${winter.id}`).set('Authorization', admin).expect(409)).body as Refusal;
    expect(refused.errors).toEqual([{ path: 'makeGoods', message: '1 make-good is still owed: waive it, or cancel the campaign' }]);
    await db('make_goods').where({ id: makeGood!.id }).delete();
    // Traffic changes campaigns only where the station lets it publish.
    await http.delete(`${T}/campaigns/${winter.id}`).set('Authorization', traffic).expect(403);
    await http.delete(`${T}/campaigns/${winter.id}`).set('Authorization', otherTraffic).expect(404);
    await http.delete(`${T}/campaigns/${winter.id}`).set('Authorization', admin).expect(204);
    expect(await db('campaign_copy').where({ campaignId: winter.id }).first('id')).toBeUndefined();
    expect(await audited('campaign.delete', winter.id)).toBe(true);
    await http.get(`${T}/campaigns/${winter.id}`).set('Authorization', admin).expect(404);
  });
});

describe('how many songs a rule set allows', () => {
  it('counts what the engine would pick: the morning soft pop allows 2 of the 5 songs', async () => {
    const { http, ids, viewer } = await station();
    const saved = (await http.get(`${T}/rule-sets/${await ids('music_rule_sets', 'name', 'morning soft pop')}`).set('Authorization', viewer).expect(200)).body as Record<string, unknown>;
    const preview = await http.post(`${T}/rule-sets/preview`).set('Authorization', viewer).send(saved).expect(200);
    expect(preview.body).toEqual({
      songs: 2,
      library: 5,
      sample: [
        { id: await ids('tracks', 'ref', 'mus-1'), title: 'Desert Bloom', artist: 'The Saguaros' },
        { id: await ids('tracks', 'ref', 'mus-3'), title: 'Sunny Side', artist: 'Copper State' },
      ],
      genres: ['pop', 'rock'],
      moods: ['romantic', 'upbeat'],
    });
    // The engine's own first song of a morning-drive hour is one of them.
    const hour = await http.post(`${T}/clocks/${await ids('clocks', 'name', 'Morning Drive')}/preview`).set('Authorization', viewer).send({ date: '2099-01-06', hour: 7 }).expect(200);
    const firstSong = (hour.body as { entries: { type: string; title: string }[] }).entries.find((e) => e.type === 'MUS');
    expect(['Desert Bloom', 'Sunny Side']).toContain(firstSong?.title);
  });

  it('counts unsaved rules as the editor types them, and names an unknown daypart', async () => {
    const { http, programming } = await station();
    const count = async (rules: object) => ((await http.post(`${T}/rule-sets/preview`).set('Authorization', programming).send(rules).expect(200)).body as { songs: number }).songs;
    expect(await count({})).toBe(5);
    expect(await count({ genres: ['Rock'] })).toBe(1);
    expect(await count({ genres: ['pop'], moods: ['upbeat'] })).toBe(3);
    // A song kept to the overnight plays in a rule set for the overnight, not in one for the morning.
    expect(await count({ genres: ['pop'], moods: ['upbeat'], dayparts: ['overnight'] })).toBe(3);
    expect(await count({ genres: ['pop'], moods: ['upbeat'], dayparts: ['morning drive'] })).toBe(2);
    expect(await count({ energy: { min: 6 }, bpm: { max: 119 } })).toBe(1);
    const bad = (await http.post(`${T}/rule-sets/preview`).set('Authorization', programming).send({ dayparts: ['brunch'] }).expect(400)).body as Refusal;
    expect(bad.errors).toEqual([{ path: 'body.dayparts[0]', message: 'no daypart "brunch" at this station' }]);
    await http.post(`${T}/rule-sets/preview`).set('Authorization', programming).send({ bpm: { min: 140, max: 100 } }).expect(400);
  });
});
