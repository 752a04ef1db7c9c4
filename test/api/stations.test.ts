// Stations against the real app and PostgreSQL (Temporal only for the station's build
// schedule): an owner sets up a station; nobody else may, and no response ever shows an
// integration key. People and API clients: people.test.ts.
import request from 'supertest';
import { describe, expect, it, onTestFinished } from 'vitest';
import { createApp } from '../../api/app.js';
import { findStation } from '../../db/log-inputs.js';
import type { UserRole } from '../../domain/vocabulary.js';
import { useTestDatabase } from '../support/db.js';
import { makePerson } from '../support/people.js';
import { useTemporal } from '../support/temporal.js';

const SECRET = 'stations-test-secret';
const db = useTestDatabase();
const temporal = useTemporal();

const app = (withTemporal = false) =>
  createApp({
    db,
    temporal: { namespace: 'default', check: () => Promise.resolve() },
    jwtSecret: SECRET,
    broadcastDays: withTemporal
      ? { client: temporal.env.client, taskQueue: temporal.taskQueue, namespace: 'default', temporalUiUrl: 'http://localhost:8233' }
      : undefined,
    log: () => undefined,
  });

async function tokenFor(role: UserRole): Promise<{ auth: string; id: string }> {
  const person = await makePerson(db, SECRET, role);
  return { auth: person.authorization, id: person.id };
}

const kqtr = {
  slug: 'kqtr',
  name: 'KQTR Community Radio',
  timezone: 'America/Phoenix',
  playoutTarget: 'libretime',
  libretimeUrl: 'https://libretime.kqtr.example',
  libretimeApiKey: 'lt-secret-key-1234',
  buildHour: 5,
  buildDaysAhead: 3,
  approvalLeadHours: 24,
  trafficMayPublish: false,
};

type Problem = { status: number; detail?: string; errors?: { path: string; message: string }[] };
type StationBody = Record<string, unknown> & { id: string; version: number };

describe('stations', () => {
  it('an owner adds a station; every role there reads it, and its LibreTime key is never shown', async () => {
    const admin = await tokenFor('admin');
    const api = request(app());
    const created = await api.post('/api/v1/stations').set('Authorization', admin.auth).send(kqtr).expect(201);
    const station = created.body as StationBody;
    // A viewer of the new station (and of no other).
    const viewer = await tokenFor('viewer');
    expect(created.headers.etag).toBe('"1"');
    expect(station).toMatchObject({ slug: 'kqtr', timezone: 'America/Phoenix', playoutTarget: 'libretime', libretimeApiKeySet: true, azuracastApiKeySet: false, buildHour: 5, buildDaysAhead: 3, version: 1 });
    expect(JSON.stringify(station)).not.toContain('lt-secret-key-1234');
    expect(station).not.toHaveProperty('libretimeApiKey');

    const one = await api.get('/api/v1/stations/kqtr').set('Authorization', viewer.auth).expect(200);
    expect(one.headers.etag).toBe('"1"');
    expect(one.body).toEqual(station);
    await api.get(`/api/v1/stations/${station.id}`).set('Authorization', viewer.auth).expect(200);
    const all = await api.get('/api/v1/stations').set('Authorization', viewer.auth).expect(200);
    expect((all.body as StationBody[]).map((s) => s.slug)).toEqual(['kqtr']);
    expect(JSON.stringify(all.body)).not.toContain('lt-secret-key-1234');

    // The key is kept for playout, only hidden from the API.
    expect(await db('stations').where({ slug: 'kqtr' }).first('libretimeApiKey')).toEqual({ libretimeApiKey: 'lt-secret-key-1234' });
    const audit = (await db('audit_log').where({ action: 'station.create' }).first()) as { entityId: string; stationId: string; after: Record<string, unknown> };
    expect(audit).toMatchObject({ entityId: station.id, stationId: station.id, after: { slug: 'kqtr', libretimeApiKeySet: true } });
    expect(JSON.stringify(audit)).not.toContain('lt-secret-key-1234');
  });

  it('refuses a station with a timezone that is not IANA, a bad slug, an unknown field, or a taken slug', async () => {
    const { auth } = await tokenFor('admin');
    const api = request(app());
    const zone = await api.post('/api/v1/stations').set('Authorization', auth).send({ ...kqtr, timezone: 'Mountain Time' }).expect(400);
    expect(zone.headers['content-type']).toMatch(/application\/problem\+json/);
    expect((zone.body as Problem).errors).toEqual([{ path: 'body.timezone', message: expect.stringContaining('IANA') as string }]);

    const slug = await api.post('/api/v1/stations').set('Authorization', auth).send({ ...kqtr, slug: 'KQTR FM' }).expect(400);
    expect((slug.body as Problem).errors!.map((e) => e.path)).toContain('body.slug');
    const hour = await api.post('/api/v1/stations').set('Authorization', auth).send({ ...kqtr, buildHour: 2 }).expect(400);
    expect((hour.body as Problem).errors!.map((e) => e.path)).toContain('body.buildHour');
    const unknown = await api.post('/api/v1/stations').set('Authorization', auth).send({ ...kqtr, wattage: 5000 }).expect(400);
    expect(JSON.stringify((unknown.body as Problem).errors)).toContain('wattage');

    await api.post('/api/v1/stations').set('Authorization', auth).send(kqtr).expect(201);
    const taken = await api.post('/api/v1/stations').set('Authorization', auth).send({ ...kqtr, name: 'Another KQTR' }).expect(409);
    expect((taken.body as Problem).errors).toEqual([{ path: 'body.slug', message: 'is taken' }]);
    expect(await db('stations').count({ n: '*' }).first()).toEqual({ n: 1 });
  });

  it('an admin changes a station with the version they read; a stale If-Match gets 412 and nothing changes', async () => {
    const { auth } = await tokenFor('admin');
    const api = request(app());
    await api.post('/api/v1/stations').set('Authorization', auth).send(kqtr).expect(201);

    const changed = await api
      .patch('/api/v1/stations/kqtr')
      .set('Authorization', auth)
      .set('If-Match', '"1"')
      .send({ name: 'KQTR 88.1', azuracastUrl: 'https://radio.kqtr.example', azuracastStationId: 2, azuracastApiKey: 'az-secret-key-5678', libretimeApiKey: null, trafficMayPublish: true })
      .expect(200);
    expect(changed.headers.etag).toBe('"2"');
    expect(changed.body).toMatchObject({ name: 'KQTR 88.1', version: 2, azuracastStationId: 2, azuracastApiKeySet: true, libretimeApiKeySet: false, trafficMayPublish: true });
    expect(JSON.stringify(changed.body)).not.toContain('az-secret-key-5678');

    const stale = await api.patch('/api/v1/stations/kqtr').set('Authorization', auth).set('If-Match', '"1"').send({ name: 'Lost update' }).expect(412);
    expect((stale.body as Problem).detail).toContain('now version 2');
    expect(((await api.get('/api/v1/stations/kqtr').set('Authorization', auth)).body as { name: string }).name).toBe('KQTR 88.1');

    const zone = await api.patch('/api/v1/stations/kqtr').set('Authorization', auth).send({ timezone: 'Mars/Olympus_Mons' }).expect(400);
    expect((zone.body as Problem).errors![0]!.path).toBe('body.timezone');
    await api.patch('/api/v1/stations/kqtr').set('Authorization', auth).send({ slug: 'kqtr-fm' }).expect(400);
    await api.patch('/api/v1/stations/kqtr').set('Authorization', auth).send({}).expect(400);
    await api.patch('/api/v1/stations/nowhere').set('Authorization', auth).send({ name: 'Ghost FM' }).expect(404);

    // The library sync's track type mapping: LibreTime codes to LibreLog types, and nothing else.
    const mapped = await api.patch('/api/v1/stations/kqtr').set('Authorization', auth).send({ libretimeTrackTypes: { SWEEP: 'PRO', STINGER: 'INT' } }).expect(200);
    expect(mapped.body).toMatchObject({ libretimeTrackTypes: { SWEEP: 'PRO', STINGER: 'INT' }, version: 3 });
    const unknownType = await api.patch('/api/v1/stations/kqtr').set('Authorization', auth).send({ libretimeTrackTypes: { SWEEP: 'JINGLE' } }).expect(400);
    expect((unknownType.body as Problem).errors![0]!.path).toContain('libretimeTrackTypes');

    const audit = (await db('audit_log').where({ action: 'station.update' }).orderBy('id')) as { before: Record<string, unknown>; after: Record<string, unknown> }[];
    expect(audit).toHaveLength(2);
    expect(audit[0]).toMatchObject({ before: { name: 'KQTR Community Radio', version: 1, libretimeApiKeySet: true }, after: { name: 'KQTR 88.1', version: 2, azuracastApiKeySet: true } });
    expect(JSON.stringify(audit)).not.toMatch(/lt-secret-key-1234|az-secret-key-5678/);
  });

  it("an admin chooses the station's fill material, in order of preference; the build reads it", async () => {
    const { auth } = await tokenFor('admin');
    const api = request(app());
    const created = await api.post('/api/v1/stations').set('Authorization', auth).send(kqtr).expect(201);
    // A new station fills with promos, PSAs and beds.
    expect(created.body).toMatchObject({ fillTypes: ['PRO', 'PSA', 'BED'] });

    const beds = await api.patch('/api/v1/stations/kqtr').set('Authorization', auth).set('If-Match', '"1"').send({ fillTypes: ['BED', 'PRO', 'LIN'] }).expect(200);
    expect(beds.body).toMatchObject({ fillTypes: ['BED', 'PRO', 'LIN'], version: 2 });
    expect(((await api.get('/api/v1/stations/kqtr').set('Authorization', auth)).body as { fillTypes: string[] }).fillTypes).toEqual(['BED', 'PRO', 'LIN']);
    expect((await findStation(db, 'kqtr')).fillTypes).toEqual(['BED', 'PRO', 'LIN']);
    const audit = (await db('audit_log').where({ action: 'station.update' }).first('before', 'after')) as { before: { fillTypes: string[] }; after: { fillTypes: string[] } };
    expect([audit.before.fillTypes, audit.after.fillTypes]).toEqual([['PRO', 'PSA', 'BED'], ['BED', 'PRO', 'LIN']]);

    // Never none, never the same type twice, and never ads or voice tracks (they are sold and recorded for their slots).
    for (const fillTypes of [[], ['PRO', 'PRO'], ['ADV'], ['VT', 'BED'], 'BED']) {
      const refused = await api.patch('/api/v1/stations/kqtr').set('Authorization', auth).send({ fillTypes }).expect(400);
      expect((refused.body as Problem).errors![0]!.path).toContain('body.fillTypes');
    }
    const made = await api.post('/api/v1/stations').set('Authorization', auth).send({ slug: 'kbed', name: 'KBED', timezone: 'America/Denver', fillTypes: ['MUS', 'INT'] }).expect(201);
    expect(made.body).toMatchObject({ fillTypes: ['MUS', 'INT'] });
  });

  it('a viewer or traffic manager may read stations but not add or change them; a station admin may not add one', async () => {
    const owner = await tokenFor('admin');
    const api = request(app());
    await db('stations').insert({ slug: 'kold', name: 'An older station', timezone: 'America/Phoenix' });
    const [viewer, traffic] = await Promise.all([tokenFor('viewer'), tokenFor('traffic')]);
    const stationAdmin = await makePerson(db, SECRET, 'admin', { stations: ['kold'] });
    await api.post('/api/v1/stations').set('Authorization', viewer.auth).send(kqtr).expect(403);
    await api.post('/api/v1/stations').set('Authorization', traffic.auth).send(kqtr).expect(403);
    await api.post('/api/v1/stations').set('Authorization', stationAdmin.authorization).send(kqtr).expect(403);
    await api.post('/api/v1/stations').send(kqtr).expect(401);
    await api.post('/api/v1/stations').set('Authorization', owner.auth).send(kqtr).expect(201);
    await db('station_memberships').insert(
      [viewer.id, traffic.id].map((userId, i) => ({ userId, stationId: db('stations').where({ slug: 'kqtr' }).select('id'), role: i ? 'traffic' : 'viewer' })),
    );
    await api.patch('/api/v1/stations/kqtr').set('Authorization', viewer.auth).send({ name: 'Hijacked FM' }).expect(403);
    await api.get('/api/v1/stations/kqtr').set('Authorization', traffic.auth).expect(200);
    expect(await db('audit_log').count({ n: '*' }).first()).toEqual({ n: 1 });
  });

  it("keeps the station's daily build schedule in Temporal at its build hour and timezone", async () => {
    const { auth } = await tokenFor('admin');
    const api = request(app(true));
    const slug = `kqtr-${Math.random().toString(36).slice(2, 8)}`;
    onTestFinished(async () => {
      for (const id of [`build-logs:${slug}`, `affidavits:${slug}`, `royalty-reports:${slug}`, `library-sync:${slug}`]) await temporal.env.client.schedule.getHandle(id).delete().catch(() => undefined);
    });
    await api.post('/api/v1/stations').set('Authorization', auth).send({ ...kqtr, slug }).expect(201);
    const schedule = temporal.env.client.schedule.getHandle(`build-logs:${slug}`);
    const created = await schedule.describe();
    expect(created.spec.timezone).toBe('America/Phoenix');
    expect(created.spec.calendars?.[0]?.hour).toEqual([{ start: 5, end: 5, step: 1 }]);

    await api.patch(`/api/v1/stations/${slug}`).set('Authorization', auth).send({ timezone: 'America/Chicago', buildHour: 6 }).expect(200);
    const moved = await schedule.describe();
    expect(moved.spec.timezone).toBe('America/Chicago');
    expect(moved.spec.calendars?.[0]?.hour).toEqual([{ start: 6, end: 6, step: 1 }]);
    // And its monthly affidavits: the 2nd at 06:00, in the station's timezone as it is now.
    const affidavits = await temporal.env.client.schedule.getHandle(`affidavits:${slug}`).describe();
    expect(affidavits.spec.timezone).toBe('America/Chicago');
    expect(affidavits.spec.calendars?.[0]).toMatchObject({ dayOfMonth: [{ start: 2, end: 2, step: 1 }], hour: [{ start: 6, end: 6, step: 1 }] });
    expect(affidavits.action).toMatchObject({ workflowType: 'monthlyAffidavits', args: [{ station: slug }] });
  });
});
