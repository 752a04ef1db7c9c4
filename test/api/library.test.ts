// The library and programming API against the real app and PostgreSQL (no Temporal needed):
// a programme director edits tracks, rule sets, clocks and the grid; a viewer only reads.
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { createApp } from '../../api/app.js';
import { importStationBundle } from '../../db/bundle-import.js';
import type { UserRole } from '../../domain/vocabulary.js';
import { smallStationBundle } from '../fixtures/bundles.js';
import { useTestDatabase } from '../support/db.js';
import { makePerson } from '../support/people.js';

const SECRET = 'library-test-secret';
const db = useTestDatabase();

const api = () =>
  request(
    createApp({
      db,
      temporal: { namespace: 'default', check: () => Promise.resolve() },
      jwtSecret: SECRET,
      validateResponses: true,
      log: () => undefined,
    }),
  );

async function tokenFor(role: UserRole): Promise<string> {
  return (await makePerson(db, SECRET, role)).authorization;
}

interface Track {
  id: string;
  title: string;
  type: string;
  artist: string | null;
  categories: string[];
  dayparts: string[];
  removed: boolean;
}
interface Page {
  items: Track[];
  nextCursor: string | null;
}
interface Clock {
  id: string;
  name: string;
  version: number;
  elements: { id: string; position: number; type: string; category: string | null; ruleSet: string | null; start: { at: string; kind: string } | null }[];
}
type Fields = { errors: { path: string; message: string }[] };

const T = '/api/v1/stations/kqtr';

async function station() {
  await importStationBundle(db, smallStationBundle());
  const [programming, viewer] = await Promise.all([tokenFor('programming'), tokenFor('viewer')]);
  return { programming, viewer, http: api() };
}

describe('the library API', () => {
  it('lists the library by title with filters by type, category, genre and text', async () => {
    const { viewer, http } = await station();
    const all = (await http.get(`${T}/tracks`).set('Authorization', viewer).expect(200)).body as Page;
    expect(all.items.map((t) => t.title)).toEqual(['Desert Bloom', 'Get Tested Phoenix', 'Legal ID — KQTR Phoenix', 'Monsoon Heart', 'Rainbow Motors — Fall Sale']);
    expect(all.nextCursor).toBeNull();
    const psa = all.items.find((t) => t.type === 'PSA')!;
    expect(psa.categories).toEqual(['health']);

    const music = (await http.get(`${T}/tracks?type=MUS`).set('Authorization', viewer).expect(200)).body as Page;
    expect(music.items.map((t) => t.title)).toEqual(['Desert Bloom', 'Monsoon Heart']);
    const auto = (await http.get(`${T}/tracks?category=auto`).set('Authorization', viewer).expect(200)).body as Page;
    expect(auto.items.map((t) => t.title)).toEqual(['Rainbow Motors — Fall Sale']);
    const pop = (await http.get(`${T}/tracks?genre=pop&q=saguaro`).set('Authorization', viewer).expect(200)).body as Page;
    expect(pop.items.map((t) => t.artist)).toEqual(['The Saguaros']);
    const nothing = (await http.get(`${T}/tracks?q=${encodeURIComponent('100%')}`).set('Authorization', viewer).expect(200)).body as Page;
    expect(nothing.items).toEqual([]);
  });

  it('pages through the library with a stable cursor, and refuses a cursor it did not give out', async () => {
    const { viewer, http } = await station();
    const first = (await http.get(`${T}/tracks?limit=3`).set('Authorization', viewer).expect(200)).body as Page;
    expect(first.items).toHaveLength(3);
    expect(first.nextCursor).toEqual(expect.any(String));
    const again = (await http.get(`${T}/tracks?limit=3`).set('Authorization', viewer).expect(200)).body as Page;
    expect(again.nextCursor).toBe(first.nextCursor);

    // A track added before the cursor's place does not shift the next page.
    const { id: stationId } = (await db('stations').where({ slug: 'kqtr' }).first('id')) as { id: string };
    await db('tracks').insert({ stationId, type: 'MUS', title: 'Aardvark Blues', lengthMs: 200_000 });
    const second = (await http.get(`${T}/tracks?limit=3&cursor=${first.nextCursor}`).set('Authorization', viewer).expect(200)).body as Page;
    expect(second.items.map((t) => t.title)).toEqual(['Monsoon Heart', 'Rainbow Motors — Fall Sale']);
    expect(second.nextCursor).toBeNull();

    const bad = await http.get(`${T}/tracks?cursor=not-a-cursor`).set('Authorization', viewer).expect(400);
    expect(bad.headers['content-type']).toMatch(/application\/problem\+json/);
    expect((bad.body as Fields).errors[0]!.path).toBe('query.cursor');
    const tooMany = await http.get(`${T}/tracks?limit=500`).set('Authorization', viewer).expect(400);
    expect((tooMany.body as Fields).errors[0]!.path).toContain('limit');
  });

  it('lets programming re-categorise a track and take it out of rotation, with an audit record', async () => {
    const { programming, viewer, http } = await station();
    const { items } = (await http.get(`${T}/tracks?type=MUS`).set('Authorization', viewer).expect(200)).body as Page;
    const bloom = items[0]!;
    const changed = (await http.patch(`${T}/tracks/${bloom.id}`).set('Authorization', programming).send({ mood: 'dreamy', dayparts: ['morning drive'], removed: true }).expect(200)).body as Track & { mood: string };
    expect(changed).toMatchObject({ mood: 'dreamy', dayparts: ['morning drive'], removed: true });
    const listed = (await http.get(`${T}/tracks?type=MUS`).set('Authorization', viewer).expect(200)).body as Page;
    expect(listed.items.map((t) => t.title)).toEqual(['Monsoon Heart']);
    const withRemoved = (await http.get(`${T}/tracks?type=MUS&includeRemoved=true`).set('Authorization', viewer).expect(200)).body as Page;
    expect(withRemoved.items).toHaveLength(2);
    expect(((await http.get(`${T}/tracks/${bloom.id}`).set('Authorization', viewer).expect(200)).body as Track).removed).toBe(true);
    expect(await db('audit_log').where({ action: 'track.update', entityId: bloom.id }).first()).toBeTruthy();

    const unknown = await http.patch(`${T}/tracks/${bloom.id}`).set('Authorization', programming).send({ categories: ['health', 'weather'] }).expect(400);
    expect((unknown.body as Fields).errors).toEqual([{ path: 'body.categories[1]', message: 'no category "weather" at this station' }]);
    const extra = await http.patch(`${T}/tracks/${bloom.id}`).set('Authorization', programming).send({ rating: 5 }).expect(400);
    expect(JSON.stringify(extra.body)).toContain('rating');
    const energy = await http.patch(`${T}/tracks/${bloom.id}`).set('Authorization', programming).send({ energy: 11 }).expect(400);
    expect((energy.body as Fields).errors[0]!.path).toBe('body.energy');

    await http.patch(`${T}/tracks/${bloom.id}`).set('Authorization', viewer).send({ mood: 'sad' }).expect(403);
    await http.get(`${T}/tracks/00000000-0000-4000-8000-000000000000`).set('Authorization', viewer).expect(404);
    await http.get('/api/v1/stations/nowhere/tracks').set('Authorization', viewer).expect(404);
  });

  it('adds categories and dayparts; a taken code is a conflict', async () => {
    const { programming, viewer, http } = await station();
    await http.post(`${T}/categories`).set('Authorization', programming).send({ code: 'arts', name: 'Arts' }).expect(201);
    await http.post(`${T}/categories`).set('Authorization', programming).send({ code: 'arts' }).expect(409);
    await http.post(`${T}/categories`).set('Authorization', viewer).send({ code: 'food' }).expect(403);
    const bad = await http.post(`${T}/categories`).set('Authorization', programming).send({ code: 'Not A Code' }).expect(400);
    expect((bad.body as Fields).errors[0]!.path).toBe('body.code');
    const codes = ((await http.get(`${T}/categories`).set('Authorization', viewer).expect(200)).body as { code: string }[]).map((c) => c.code);
    expect(codes).toEqual(['arts', 'auto', 'health']);

    const evening = await http.post(`${T}/dayparts`).set('Authorization', programming).send({ name: 'evening', days: ['sat', 'sun'], start: '19:00', end: '24:00' }).expect(201);
    expect(evening.body).toMatchObject({ name: 'evening', days: ['sat', 'sun'], start: '19:00', end: '24:00' });
    const never = await http.post(`${T}/dayparts`).set('Authorization', programming).send({ name: 'never', days: ['mon'], start: '10:00', end: '10:00' }).expect(400);
    expect((never.body as Fields).errors[0]!.path).toBe('body.end');
    const names = ((await http.get(`${T}/dayparts`).set('Authorization', viewer).expect(200)).body as { name: string }[]).map((d) => d.name);
    expect(names).toEqual(['overnight', 'morning drive', 'evening']);
  });

  it('creates and changes a music rule set', async () => {
    const { programming, viewer, http } = await station();
    const created = (await http
      .post(`${T}/rule-sets`)
      .set('Authorization', programming)
      .send({ name: 'overnight chill', genres: ['ambient'], energy: { max: 4 }, dayparts: ['overnight'] })
      .expect(201)).body as { id: string; version: number };
    expect(created).toMatchObject({ name: 'overnight chill', energy: { min: null, max: 4 }, dayparts: ['overnight'], version: 1 });
    const changed = await http.patch(`${T}/rule-sets/${created.id}`).set('Authorization', programming).send({ artistSeparationMinutes: 90, dayparts: [] }).expect(200);
    expect(changed.body).toMatchObject({ artistSeparationMinutes: 90, dayparts: [], version: 2 });
    await http.patch(`${T}/rule-sets/${created.id}`).set('Authorization', programming).send({ name: 'morning soft pop' }).expect(409);
    const inverted = await http.patch(`${T}/rule-sets/${created.id}`).set('Authorization', programming).send({ bpm: { min: 140, max: 100 } }).expect(400);
    expect((inverted.body as Fields).errors[0]!.path).toBe('body.bpm.min');
    await http.patch(`${T}/rule-sets/${created.id}`).set('Authorization', viewer).send({ genres: [] }).expect(403);
    const one = await http.get(`${T}/rule-sets/${created.id}`).set('Authorization', viewer).expect(200);
    expect(one.headers.etag).toBe('"2"');
    expect(one.body).toEqual(changed.body);
    await http.patch(`${T}/rule-sets/${created.id}`).set('Authorization', programming).set('If-Match', '"1"').send({ genres: [] }).expect(412);
    await http.get(`${T}/rule-sets/00000000-0000-4000-8000-000000000000`).set('Authorization', viewer).expect(404);
    expect(((await http.get(`${T}/rule-sets`).set('Authorization', viewer).expect(200)).body as unknown[]).length).toBe(2);
  });
});

describe('the clocks and grid API', () => {
  it('shows the spec clock with its elements in order and its version as ETag', async () => {
    const { viewer, http } = await station();
    const list = (await http.get(`${T}/clocks`).set('Authorization', viewer).expect(200)).body as { id: string; name: string; elementCount: number }[];
    expect(list.map((c) => [c.name, c.elementCount])).toEqual([['06:00', 5], ['Morning Drive', 4]]);
    const res = await http.get(`${T}/clocks/${list[0]!.id}`).set('Authorization', viewer).expect(200);
    expect(res.headers.etag).toBe('"1"');
    expect((res.body as Clock).elements.map((e) => e.type)).toEqual(['LIN', 'BED', 'INT', 'ADV', 'MUS']);
    await http.get(`${T}/clocks/00000000-0000-4000-8000-000000000000`).set('Authorization', viewer).expect(404);
  });

  it('creates a clock in the station words and replaces it, keeping element ids by position; a stale version gets 412', async () => {
    const { programming, viewer, http } = await station();
    const body = {
      name: 'Weekend Mornings',
      hour: '08:00',
      daypart: 'morning drive',
      elements: [
        { type: 'LIN', title: 'Legal ID', start: { at: '00:00', kind: 'hard' } },
        { type: 'MUS', count: 3, ruleSet: 'morning soft pop' },
        { type: 'ADV', count: 2, fallback: 'PSA', category: 'health' },
      ],
    };
    const created = await http.post(`${T}/clocks`).set('Authorization', programming).send(body).expect(201);
    const clock = created.body as Clock;
    expect(created.headers.etag).toBe('"1"');
    expect(clock.elements[0]!.start).toEqual({ at: '00:00', kind: 'hard' });
    expect(clock.elements[2]).toMatchObject({ category: 'health', position: 2 });
    await http.post(`${T}/clocks`).set('Authorization', programming).send(body).expect(409);

    const replaced = await http
      .put(`${T}/clocks/${clock.id}`)
      .set('Authorization', programming)
      .set('If-Match', '"1"')
      .send({ ...body, elements: [body.elements[0], { type: 'MUS', count: 5, ruleSet: 'morning soft pop' }] })
      .expect(200);
    const after = replaced.body as Clock;
    expect(replaced.headers.etag).toBe('"2"');
    expect(after.version).toBe(2);
    expect(after.elements.map((e) => e.id)).toEqual(clock.elements.slice(0, 2).map((e) => e.id));

    const stale = await http.put(`${T}/clocks/${clock.id}`).set('Authorization', programming).set('If-Match', '"1"').send(body).expect(412);
    expect(stale.headers['content-type']).toMatch(/application\/problem\+json/);

    // What GET gives can be changed and sent back as it is; its version is the precondition.
    const read = (await http.get(`${T}/clocks/${clock.id}`).set('Authorization', viewer).expect(200)).body as Clock;
    const edited = { ...read, elements: [...read.elements].reverse() };
    const roundTrip = (await http.put(`${T}/clocks/${clock.id}`).set('Authorization', programming).send(edited).expect(200)).body as Clock;
    expect(roundTrip.version).toBe(3);
    expect(roundTrip.elements.map((e) => e.type)).toEqual(['MUS', 'LIN']);
    await http.put(`${T}/clocks/${clock.id}`).set('Authorization', programming).send(edited).expect(412);
    const elsewhere = await http.put(`${T}/clocks/${clock.id}`).set('Authorization', programming).send({ ...roundTrip, id: '00000000-0000-4000-8000-000000000000' }).expect(400);
    expect((elsewhere.body as Fields).errors[0]!.path).toBe('body.id');

    await http.put(`${T}/clocks/${clock.id}`).set('Authorization', viewer).send(body).expect(403);
    await http.post(`${T}/clocks`).set('Authorization', viewer).send({ ...body, name: 'x' }).expect(403);
    expect(await db('audit_log').where({ entity: 'clock', entityId: clock.id }).count({ n: '*' }).first()).toEqual({ n: 3 });
  });

  it('names the fields of a clock that does not make sense at this station', async () => {
    const { programming, http } = await station();
    const wrong = await http
      .post(`${T}/clocks`)
      .set('Authorization', programming)
      .send({ name: 'Broken', elements: [{ type: 'MUS', ruleSet: 'jazz nights' }, { type: 'ADV', category: 'weather' }] })
      .expect(400);
    expect((wrong.body as Fields).errors).toEqual([
      { path: 'body.elements[0].ruleSet', message: 'no music rule set "jazz nights" at this station' },
      { path: 'body.elements[1].category', message: 'no category "weather" at this station' },
    ]);
    const notMusic = await http.post(`${T}/clocks`).set('Authorization', programming).send({ name: 'Broken', daypart: 'late night', elements: [{ type: 'LIN', ruleSet: 'morning soft pop' }] }).expect(400);
    expect((notMusic.body as Fields).errors.map((e) => e.path)).toEqual(['body.elements[0].ruleSet', 'body.daypart']);
    const offset = await http.post(`${T}/clocks`).set('Authorization', programming).send({ name: 'Broken', elements: [{ type: 'MUS', start: { at: '61:00' } }] }).expect(400);
    expect((offset.body as Fields).errors[0]!.path).toBe('body.elements[0].start.at');
    const unknown = await http.post(`${T}/clocks`).set('Authorization', programming).send({ name: 'Broken', elements: [{ type: 'MUS', colour: 'red' }] }).expect(400);
    expect(JSON.stringify(unknown.body)).toContain('colour');
    const empty = await http.post(`${T}/clocks`).set('Authorization', programming).send({ name: 'Broken', elements: [] }).expect(400);
    expect((empty.body as Fields).errors[0]!.path).toBe('body.elements');
  });

  it('previews an hour of the spec clock: timed from offset 0 with the legal ID first', async () => {
    const { viewer, http } = await station();
    const clocks = (await http.get(`${T}/clocks`).set('Authorization', viewer).expect(200)).body as { id: string; name: string }[];
    const spec = clocks.find((c) => c.name === '06:00')!;
    const preview = (await http.post(`${T}/clocks/${spec.id}/preview`).set('Authorization', viewer).send({ date: '2026-12-02', hour: 15 }).expect(200)).body as {
      hour: number;
      startsAt: string;
      entries: { offsetMs: number; lengthMs: number; type: string; title: string; isFallback: boolean }[];
      totalMs: number;
      targetMs: number;
      differenceMs: number;
    };
    expect(preview.hour).toBe(15);
    expect(preview.startsAt).toBe('2026-12-02T22:00:00.000Z'); // 15:00 in Phoenix
    expect(preview.entries[0]).toMatchObject({ offsetMs: 0, type: 'LIN', title: 'Legal ID — KQTR Phoenix' });
    for (let i = 1; i < preview.entries.length; i++) expect(preview.entries[i]!.offsetMs).toBeGreaterThanOrEqual(preview.entries[i - 1]!.offsetMs);
    expect(preview.entries.some((e) => e.type === 'MUS')).toBe(true);
    expect(preview.totalMs).toBe(preview.entries.reduce((sum, e) => sum + e.lengthMs, 0));
    expect(preview.differenceMs).toBe(preview.totalMs - preview.targetMs);

    // Without a body: tomorrow at 06:00.
    const byDefault = (await http.post(`${T}/clocks/${spec.id}/preview`).set('Authorization', viewer).expect(200)).body as { hour: number; entries: { offsetMs: number; type: string }[] };
    expect(byDefault.hour).toBe(6);
    expect(byDefault.entries[0]).toMatchObject({ offsetMs: 0, type: 'LIN' });
    const bad = await http.post(`${T}/clocks/${spec.id}/preview`).set('Authorization', viewer).send({ hour: 24 }).expect(400);
    expect((bad.body as Fields).errors[0]!.path).toBe('body.hour');

    // A builder's unsaved edits: the hour comes from them, and nothing is saved.
    const edited = { name: '06:00', elements: [{ type: 'PSA', category: 'health' }, { type: 'LIN', title: 'Legal ID' }, { type: 'MUS', count: 3 }] };
    const live = (await http.post(`${T}/clocks/${spec.id}/preview`).set('Authorization', viewer).send({ date: '2026-12-02', hour: 15, clock: edited }).expect(200)).body as { entries: { type: string }[] };
    expect(live.entries.slice(0, 3).map((e) => e.type)).toEqual(['PSA', 'LIN', 'MUS']);
    expect(((await http.get(`${T}/clocks/${spec.id}`).set('Authorization', viewer).expect(200)).body as Clock).elements[0]!.type).toBe('LIN');
    const wrong = await http.post(`${T}/clocks/${spec.id}/preview`).set('Authorization', viewer).send({ clock: { ...edited, elements: [{ type: 'MUS', category: 'no-such' }] } }).expect(400);
    expect((wrong.body as Fields).errors[0]!.path).toBe('body.clock.elements[0].category');
  });

  it('replaces the weekly grid and its overrides in one go', async () => {
    const { programming, viewer, http } = await station();
    const grid = (await http.get(`${T}/grid`).set('Authorization', viewer).expect(200)).body as {
      weekly: { weekday: number; hour: number; clockId: string | null; clock: string | null }[];
      overrides: { date: string; hour: number; clock: string; note: string | null }[];
    };
    expect(grid.weekly).toHaveLength(168);
    expect(grid.weekly.find((g) => g.weekday === 1 && g.hour === 6)!.clock).toBe('06:00');
    expect(grid.weekly.find((g) => g.weekday === 6 && g.hour === 6)!.clock).toBe('Morning Drive');
    expect(grid.overrides).toEqual([expect.objectContaining({ date: '2026-12-25', hour: 7, clock: '06:00', note: 'Christmas' })]);

    const drive = grid.weekly.find((g) => g.clock === 'Morning Drive')!.clockId!;
    const replaced = (await http
      .put(`${T}/grid`)
      .set('Authorization', programming)
      .send({ weekly: [{ weekday: 1, hour: 7, clockId: drive }], overrides: [{ date: '2027-01-01', hour: 0, clockId: drive, note: 'New Year' }] })
      .expect(200)).body as typeof grid;
    expect(replaced.weekly.filter((g) => g.clockId)).toEqual([{ weekday: 1, hour: 7, clockId: drive, clock: 'Morning Drive' }]);
    expect(replaced.overrides).toEqual([{ date: '2027-01-01', hour: 0, clockId: drive, clock: 'Morning Drive', note: 'New Year' }]);
    expect(await db('audit_log').where({ action: 'grid.replace' }).first()).toBeTruthy();

    const twice = await http
      .put(`${T}/grid`)
      .set('Authorization', programming)
      .send({ weekly: [{ weekday: 1, hour: 7, clockId: drive }, { weekday: 1, hour: 7, clockId: '00000000-0000-4000-8000-000000000000' }], overrides: [] })
      .expect(400);
    expect((twice.body as Fields).errors.map((e) => e.path)).toEqual(['body.weekly[1].clockId', 'body.weekly[1]']);
    const outOfRange = await http.put(`${T}/grid`).set('Authorization', programming).send({ weekly: [{ weekday: 8, hour: 7, clockId: drive }], overrides: [] }).expect(400);
    expect((outOfRange.body as Fields).errors[0]!.path).toBe('body.weekly[0].weekday');
    await http.put(`${T}/grid`).set('Authorization', viewer).send({ weekly: [], overrides: [] }).expect(403);
  });
});
