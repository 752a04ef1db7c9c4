// Stations, users and API clients against the real app and PostgreSQL (Temporal only for the
// station's build schedule): an admin sets up a station and its people; nobody else may, and
// no response ever shows an integration key, a password hash or a client secret twice.
import request from 'supertest';
import { describe, expect, it, onTestFinished } from 'vitest';
import { createApp } from '../../api/app.js';
import { hashPassword, verifyPassword } from '../../api/auth/passwords.js';
import { issueToken } from '../../api/auth/tokens.js';
import { findStation } from '../../db/log-inputs.js';
import { User } from '../../db/models.js';
import type { UserRole } from '../../domain/vocabulary.js';
import { useTestDatabase } from '../support/db.js';
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

// One hash for every test user: scrypt is deliberately slow.
let storedHash: Promise<string> | undefined;
async function tokenFor(role: UserRole): Promise<{ auth: string; id: string }> {
  storedHash ??= hashPassword('not-used-here');
  const user = await User.query(db).insert({ email: `${role}-${Math.random()}@kqtr.example`, name: role, role, passwordHash: await storedHash }).returning('*');
  return { auth: `Bearer ${issueToken(SECRET, { kind: 'user', id: user.id, role }).access_token}`, id: user.id };
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
  it('an admin adds a station; every role reads it, and its LibreTime key is never shown', async () => {
    const [admin, viewer] = await Promise.all([tokenFor('admin'), tokenFor('viewer')]);
    const api = request(app());
    const created = await api.post('/api/v1/stations').set('Authorization', admin.auth).send(kqtr).expect(201);
    const station = created.body as StationBody;
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

  it('a viewer or traffic manager may read stations but not add or change them', async () => {
    const [admin, viewer, traffic] = await Promise.all([tokenFor('admin'), tokenFor('viewer'), tokenFor('traffic')]);
    const api = request(app());
    await api.post('/api/v1/stations').set('Authorization', viewer.auth).send(kqtr).expect(403);
    await api.post('/api/v1/stations').set('Authorization', traffic.auth).send(kqtr).expect(403);
    await api.post('/api/v1/stations').send(kqtr).expect(401);
    await api.post('/api/v1/stations').set('Authorization', admin.auth).send(kqtr).expect(201);
    await api.patch('/api/v1/stations/kqtr').set('Authorization', viewer.auth).send({ name: 'Hijacked FM' }).expect(403);
    await api.get('/api/v1/stations/kqtr').set('Authorization', traffic.auth).expect(200);
    expect(await db('audit_log').count({ n: '*' }).first()).toEqual({ n: 1 });
  });

  it("keeps the station's daily build schedule in Temporal at its build hour and timezone", async () => {
    const { auth } = await tokenFor('admin');
    const api = request(app(true));
    const slug = `kqtr-${Math.random().toString(36).slice(2, 8)}`;
    onTestFinished(async () => {
      await temporal.env.client.schedule.getHandle(`build-logs:${slug}`).delete().catch(() => undefined);
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
  });
});

describe('users', () => {
  it('an admin adds a person with a hashed password and never sees the hash', async () => {
    const admin = await tokenFor('admin');
    const api = request(app());
    const created = await api
      .post('/api/v1/users')
      .set('Authorization', admin.auth)
      .send({ email: 'Dana@KQTR.example', name: 'Dana Traffic', role: 'traffic', password: 'correct horse battery' })
      .expect(201);
    const user = created.body as { id: string } & Record<string, unknown>;
    expect(user).toMatchObject({ email: 'Dana@KQTR.example', name: 'Dana Traffic', role: 'traffic', disabled: false, lastLoginAt: null });
    expect(user).not.toHaveProperty('passwordHash');
    const stored = (await db('users').where({ id: user.id }).first('passwordHash')) as { passwordHash: string };
    expect(stored.passwordHash).toMatch(/^scrypt\$/);
    expect(await verifyPassword('correct horse battery', stored.passwordHash)).toBe(true);

    const listed = await api.get('/api/v1/users').set('Authorization', admin.auth).expect(200);
    expect((listed.body as { email: string }[]).map((u) => u.email)).toContain('Dana@KQTR.example');
    expect(JSON.stringify(listed.body)).not.toMatch(/scrypt|passwordHash/);

    const audit = (await db('audit_log').where({ action: 'user.create' }).first()) as { entityId: string; after: Record<string, unknown>; actorId: string };
    expect(audit).toMatchObject({ entityId: user.id, actorId: admin.id, after: { email: 'Dana@KQTR.example', role: 'traffic' } });
    expect(JSON.stringify(audit)).not.toMatch(/scrypt|correct horse/);
  });

  it('refuses a second account for the same email in any case, a short password, and a made-up role', async () => {
    const { auth } = await tokenFor('admin');
    const api = request(app());
    const dana = { email: 'dana@kqtr.example', name: 'Dana', role: 'traffic', password: 'correct horse battery' };
    await api.post('/api/v1/users').set('Authorization', auth).send(dana).expect(201);
    const twice = await api.post('/api/v1/users').set('Authorization', auth).send({ ...dana, email: 'DANA@kqtr.example' }).expect(409);
    expect((twice.body as Problem).errors).toEqual([{ path: 'body.email', message: 'is taken' }]);
    const short = await api.post('/api/v1/users').set('Authorization', auth).send({ ...dana, email: 'sam@kqtr.example', password: 'hunter2' }).expect(400);
    expect((short.body as Problem).errors!.map((e) => e.path)).toContain('body.password');
    const role = await api.post('/api/v1/users').set('Authorization', auth).send({ ...dana, email: 'sam@kqtr.example', role: 'dj' }).expect(400);
    expect((role.body as Problem).errors!.map((e) => e.path)).toContain('body.role');
    await api.post('/api/v1/users').set('Authorization', auth).send({ ...dana, email: 'sam@kqtr.example', passwordHash: 'x' }).expect(400);
  });

  it('an admin renames, re-roles, disables and resets the password of a person, but not their own admin role', async () => {
    const admin = await tokenFor('admin');
    const api = request(app());
    const sam = await api.post('/api/v1/users').set('Authorization', admin.auth).send({ email: 'sam@kqtr.example', name: 'Sam', role: 'viewer', password: 'correct horse battery' }).expect(201);
    const id = (sam.body as { id: string }).id;
    const changed = await api.patch(`/api/v1/users/${id}`).set('Authorization', admin.auth).send({ name: 'Sam Voice', role: 'voice', disabled: true, password: 'a brand new passphrase' }).expect(200);
    expect(changed.body).toMatchObject({ name: 'Sam Voice', role: 'voice', disabled: true });
    expect(changed.body).not.toHaveProperty('passwordHash');
    const stored = (await db('users').where({ id }).first('passwordHash')) as { passwordHash: string };
    expect(await verifyPassword('a brand new passphrase', stored.passwordHash)).toBe(true);
    const audit = (await db('audit_log').where({ action: 'user.update' }).first()) as { before: Record<string, unknown>; after: Record<string, unknown> };
    expect(audit).toMatchObject({ before: { role: 'viewer', disabled: false }, after: { role: 'voice', disabled: true, passwordChanged: true } });
    expect(JSON.stringify(audit)).not.toMatch(/scrypt|passphrase/);

    await api.patch(`/api/v1/users/${id}`).set('Authorization', admin.auth).send({ password: 'short' }).expect(400);
    await api.patch('/api/v1/users/00000000-0000-4000-8000-000000000000').set('Authorization', admin.auth).send({ name: 'Nobody' }).expect(404);
    await api.patch(`/api/v1/users/${admin.id}`).set('Authorization', admin.auth).send({ role: 'viewer' }).expect(409);
    await api.patch(`/api/v1/users/${admin.id}`).set('Authorization', admin.auth).send({ disabled: true }).expect(409);
  });

  it('a traffic manager cannot add people, and a viewer cannot even list them', async () => {
    const [traffic, viewer] = await Promise.all([tokenFor('traffic'), tokenFor('viewer')]);
    const api = request(app());
    await api.post('/api/v1/users').set('Authorization', traffic.auth).send({ email: 'x@kqtr.example', name: 'X', role: 'admin', password: 'correct horse battery' }).expect(403);
    await api.get('/api/v1/users').set('Authorization', viewer.auth).expect(403);
    await api.patch(`/api/v1/users/${viewer.id}`).set('Authorization', traffic.auth).send({ role: 'admin' }).expect(403);
    expect(await db('users').where({ email: 'x@kqtr.example' }).first()).toBeUndefined();
  });
});

describe('API clients', () => {
  it('an admin adds LibreTime as a trusted app bound to the station; its secret is shown once and works', async () => {
    const { auth } = await tokenFor('admin');
    const api = request(app());
    const station = (await api.post('/api/v1/stations').set('Authorization', auth).send(kqtr).expect(201)).body as { id: string };
    const created = await api.post('/api/v1/api-clients').set('Authorization', auth).send({ name: 'LibreTime', role: 'viewer', stationId: station.id }).expect(201);
    const client = created.body as { id: string; clientId: string; clientSecret: string; stationId: string };
    expect(client).toMatchObject({ name: 'LibreTime', role: 'viewer', stationId: station.id, disabled: false });
    expect(client.clientId).toMatch(/^llc_/);
    expect(client.clientSecret.length).toBeGreaterThan(20);

    const listed = await api.get('/api/v1/api-clients').set('Authorization', auth).expect(200);
    expect((listed.body as { clientId: string }[]).map((c) => c.clientId)).toEqual([client.clientId]);
    expect(JSON.stringify(listed.body)).not.toContain(client.clientSecret);
    expect(JSON.stringify(listed.body)).not.toMatch(/secret/i);
    const audit: unknown = await db('audit_log').where({ action: 'api_client.create' }).first();
    expect(JSON.stringify(audit)).not.toContain(client.clientSecret);

    // The secret gets a token, and the bound client sees only its station.
    const token = await api.post('/api/v1/auth/token').type('form').send({ grant_type: 'client_credentials', client_id: client.clientId, client_secret: client.clientSecret }).expect(200);
    const bearer = `Bearer ${(token.body as { access_token: string }).access_token}`;
    const seen = await api.get('/api/v1/stations').set('Authorization', bearer).expect(200);
    expect((seen.body as { slug: string }[]).map((s) => s.slug)).toEqual(['kqtr']);
  });

  it('an admin disables or re-roles a trusted app by either id; unknown stations and clients are refused', async () => {
    const { auth } = await tokenFor('admin');
    const api = request(app());
    const client = (await api.post('/api/v1/api-clients').set('Authorization', auth).send({ name: 'Scripts', role: 'viewer' }).expect(201)).body as { id: string; clientId: string };
    const byClientId = await api.patch(`/api/v1/api-clients/${client.clientId}`).set('Authorization', auth).send({ role: 'traffic', name: 'Traffic scripts' }).expect(200);
    expect(byClientId.body).toMatchObject({ id: client.id, role: 'traffic', name: 'Traffic scripts', disabled: false });
    expect(byClientId.body).not.toHaveProperty('clientSecret');
    const byId = await api.patch(`/api/v1/api-clients/${client.id}`).set('Authorization', auth).send({ disabled: true }).expect(200);
    expect(byId.body).toMatchObject({ disabled: true });
    expect(await db('audit_log').where({ action: 'api_client.update' }).count({ n: '*' }).first()).toEqual({ n: 2 });

    await api.patch('/api/v1/api-clients/llc_nosuchclient').set('Authorization', auth).send({ disabled: true }).expect(404);
    await api.patch(`/api/v1/api-clients/${client.id}`).set('Authorization', auth).send({ clientSecret: 'mine' }).expect(400);
    const noStation = await api.post('/api/v1/api-clients').set('Authorization', auth).send({ name: 'Ghost', role: 'viewer', stationId: '00000000-0000-4000-8000-000000000000' }).expect(400);
    expect((noStation.body as Problem).errors).toEqual([{ path: 'body.stationId', message: 'names no station' }]);
  });

  it('only an admin may see or add trusted apps', async () => {
    const [traffic, programming] = await Promise.all([tokenFor('traffic'), tokenFor('programming')]);
    const api = request(app());
    await api.get('/api/v1/api-clients').set('Authorization', traffic.auth).expect(403);
    await api.post('/api/v1/api-clients').set('Authorization', programming.auth).send({ name: 'Sneaky', role: 'admin' }).expect(403);
    expect(await db('api_clients').first()).toBeUndefined();
  });
});
