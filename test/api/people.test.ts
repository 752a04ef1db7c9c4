// People, API clients, their roles per station, and the audit log, against the real app and
// PostgreSQL: only owners manage people and clients; a person sees only the stations they
// work for; a new password or a disabled account ends every sign-in; no response shows a
// password hash or a client secret twice; station admins read their stations' audit log.
import request from 'supertest';
import { beforeEach, describe, expect, it } from 'vitest';
import { createApp } from '../../api/app.js';
import { verifyPassword } from '../../api/auth/passwords.js';
import { importStationBundle } from '../../db/bundle-import.js';
import { smallStationBundle } from '../fixtures/bundles.js';
import { useTestDatabase } from '../support/db.js';
import { makePerson, type TestPerson } from '../support/people.js';

const SECRET = 'people-test-secret';
const db = useTestDatabase();
const app = () => createApp({ db, temporal: { namespace: 'default', check: () => Promise.resolve() }, jwtSecret: SECRET, log: () => undefined });

type Problem = { status: number; detail?: string; errors?: { path: string; message: string }[] };
type Account = { id: string; stations: { station: string; stationId: string; roles: string[] }[] } & Record<string, unknown>;

let owner: TestPerson;
beforeEach(async () => {
  await importStationBundle(db, smallStationBundle());
  await importStationBundle(db, { ...smallStationBundle(), station: { ...smallStationBundle().station, slug: 'kbbb', name: 'Station B' } });
  owner = await makePerson(db, SECRET, 'admin', { name: 'Owner' });
});

describe('users', () => {
  it('an owner adds a person with roles at one station and a hashed password, never shown', async () => {
    const api = request(app());
    const created = await api
      .post('/api/v1/users')
      .set('Authorization', owner.authorization)
      .send({ email: 'Dana@KQTR.example', name: 'Dana Traffic', stations: [{ station: 'kqtr', roles: ['traffic', 'voice'] }], password: 'correct horse battery' })
      .expect(201);
    const user = created.body as Account;
    expect(user).toMatchObject({ email: 'Dana@KQTR.example', name: 'Dana Traffic', owner: false, disabled: false, lastLoginAt: null });
    expect(user.stations).toEqual([{ station: 'kqtr', stationId: expect.any(String) as string, roles: ['traffic', 'voice'] }]);
    expect(user).not.toHaveProperty('passwordHash');
    const stored = (await db('users').where({ id: user.id }).first('passwordHash')) as { passwordHash: string };
    expect(await verifyPassword('correct horse battery', stored.passwordHash)).toBe(true);

    const listed = await api.get('/api/v1/users').set('Authorization', owner.authorization).expect(200);
    expect((listed.body as Account[]).find((u) => u.id === user.id)?.stations).toEqual(user.stations);
    expect(JSON.stringify(listed.body)).not.toMatch(/scrypt|passwordHash/);
    const audit = (await db('audit_log').where({ action: 'user.create' }).first()) as { actorId: string; after: Record<string, unknown> };
    expect(audit).toMatchObject({ actorId: owner.id, after: { email: 'Dana@KQTR.example', stations: user.stations } });
    expect(JSON.stringify(audit)).not.toMatch(/scrypt|correct horse/);

    // Dana signs in and sees kqtr only: kbbb is not there for her.
    const token = await api.post('/api/v1/auth/token').type('form').send({ grant_type: 'password', username: 'dana@kqtr.example', password: 'correct horse battery' }).expect(200);
    const dana = `Bearer ${(token.body as { access_token: string }).access_token}`;
    const stations = await api.get('/api/v1/stations').set('Authorization', dana).expect(200);
    expect((stations.body as { slug: string }[]).map((s) => s.slug)).toEqual(['kqtr']);
    await api.get('/api/v1/stations/kbbb').set('Authorization', dana).expect(404);
    await api.get('/api/v1/stations/kbbb/advertisers').set('Authorization', dana).expect(404);
    await api.get('/api/v1/stations/kqtr/advertisers').set('Authorization', dana).expect(200);
    const me = await api.get('/api/v1/me').set('Authorization', dana).expect(200);
    expect(me.body).toMatchObject({ owner: false, stations: [{ slug: 'kqtr', roles: ['traffic', 'voice'] }] });
  });

  it('refuses a taken email in any case, a short password, a made-up role, an unknown station and a station listed twice', async () => {
    const api = request(app());
    const dana = { email: 'dana@kqtr.example', name: 'Dana', stations: [{ station: 'kqtr', roles: ['traffic'] }], password: 'correct horse battery' };
    await api.post('/api/v1/users').set('Authorization', owner.authorization).send(dana).expect(201);
    const twice = await api.post('/api/v1/users').set('Authorization', owner.authorization).send({ ...dana, email: 'DANA@kqtr.example' }).expect(409);
    expect((twice.body as Problem).errors).toEqual([{ path: 'body.email', message: 'is taken' }]);
    const short = await api.post('/api/v1/users').set('Authorization', owner.authorization).send({ ...dana, email: 'sam@kqtr.example', password: 'hunter2' }).expect(400);
    expect((short.body as Problem).errors!.map((e) => e.path)).toContain('body.password');
    const role = await api.post('/api/v1/users').set('Authorization', owner.authorization).send({ ...dana, email: 'sam@kqtr.example', stations: [{ station: 'kqtr', roles: ['dj'] }] }).expect(400);
    expect((role.body as Problem).errors!.map((e) => e.path)).toContain('body.stations[0].roles[0]');
    const nowhere = await api.post('/api/v1/users').set('Authorization', owner.authorization).send({ ...dana, email: 'sam@kqtr.example', stations: [{ station: 'knope', roles: ['viewer'] }] }).expect(400);
    expect((nowhere.body as Problem).errors).toEqual([{ path: 'body.stations[0].station', message: 'names no station' }]);
    const kqtrId = ((await db('stations').where({ slug: 'kqtr' }).first('id')) as { id: string }).id;
    const doubled = await api
      .post('/api/v1/users')
      .set('Authorization', owner.authorization)
      .send({ ...dana, email: 'sam@kqtr.example', stations: [{ station: 'kqtr', roles: ['viewer'] }, { station: kqtrId, roles: ['voice'] }] })
      .expect(400);
    expect((doubled.body as Problem).errors![0]!.path).toBe('body.stations[1].station');
    await api.post('/api/v1/users').set('Authorization', owner.authorization).send({ ...dana, email: 'sam@kqtr.example', passwordHash: 'x' }).expect(400);
    expect(await db('users').where({ email: 'sam@kqtr.example' }).first()).toBeUndefined();
  });

  it('an owner renames, re-roles, disables and resets the password of a person; a new password or disabling ends every sign-in', async () => {
    const api = request(app());
    const sam = (await api
      .post('/api/v1/users')
      .set('Authorization', owner.authorization)
      .send({ email: 'sam@kqtr.example', name: 'Sam', stations: [{ station: 'kqtr', roles: ['viewer'] }], password: 'correct horse battery' })
      .expect(201)).body as Account;
    const signIn = async () =>
      (await api.post('/api/v1/auth/token').type('form').send({ grant_type: 'password', username: 'sam@kqtr.example', password: 'correct horse battery' }).expect(200)).body as { refresh_token: string };
    const refresh = (token: string) => api.post('/api/v1/auth/token').type('form').send({ grant_type: 'refresh_token', refresh_token: token });

    const first = await signIn();
    const moved = await api.patch(`/api/v1/users/${sam.id}`).set('Authorization', owner.authorization).send({ name: 'Sam Voice', stations: [{ station: 'kbbb', roles: ['voice'] }] }).expect(200);
    expect(moved.body).toMatchObject({ name: 'Sam Voice', stations: [{ station: 'kbbb', roles: ['voice'] }] });
    // Changing roles does not sign anyone out.
    const { refresh_token: stillGood } = (await refresh(first.refresh_token).expect(200)).body as { refresh_token: string };

    await api.patch(`/api/v1/users/${sam.id}`).set('Authorization', owner.authorization).send({ password: 'a brand new passphrase' }).expect(200);
    await refresh(stillGood).expect(400);
    const stored = (await db('users').where({ id: sam.id }).first('passwordHash')) as { passwordHash: string };
    expect(await verifyPassword('a brand new passphrase', stored.passwordHash)).toBe(true);

    const again = (await api.post('/api/v1/auth/token').type('form').send({ grant_type: 'password', username: 'sam@kqtr.example', password: 'a brand new passphrase' }).expect(200)).body as { refresh_token: string };
    await api.patch(`/api/v1/users/${sam.id}`).set('Authorization', owner.authorization).send({ disabled: true }).expect(200);
    await refresh(again.refresh_token).expect(400);

    const audits = (await db('audit_log').where({ action: 'user.update' }).orderBy('id').select('before', 'after')) as { before: Record<string, unknown>; after: Record<string, unknown> }[];
    expect(audits[0]).toMatchObject({ before: { stations: [{ station: 'kqtr', roles: ['viewer'] }] }, after: { stations: [{ station: 'kbbb', roles: ['voice'] }] } });
    expect(audits[1]!.after).toMatchObject({ passwordChanged: true, signedOut: true });
    expect(audits[2]!.after).toMatchObject({ disabled: true, signedOut: true });
    expect(JSON.stringify(audits)).not.toMatch(/scrypt|passphrase/);

    await api.patch(`/api/v1/users/${sam.id}`).set('Authorization', owner.authorization).send({ password: 'short' }).expect(400);
    await api.patch('/api/v1/users/00000000-0000-4000-8000-000000000000').set('Authorization', owner.authorization).send({ name: 'Nobody' }).expect(404);
    await api.patch(`/api/v1/users/${owner.id}`).set('Authorization', owner.authorization).send({ owner: false }).expect(409);
    await api.patch(`/api/v1/users/${owner.id}`).set('Authorization', owner.authorization).send({ disabled: true }).expect(409);
  });

  it("a station's admin, traffic manager or viewer cannot add, list or promote people", async () => {
    const api = request(app());
    const [stationAdmin, traffic, viewer] = [await makePerson(db, SECRET, 'admin', { stations: ['kqtr'] }), await makePerson(db, SECRET, 'traffic'), await makePerson(db, SECRET, 'viewer')];
    for (const who of [stationAdmin, traffic]) {
      await api.post('/api/v1/users').set('Authorization', who.authorization).send({ email: 'x@kqtr.example', name: 'X', owner: true, password: 'correct horse battery' }).expect(403);
    }
    await api.get('/api/v1/users').set('Authorization', viewer.authorization).expect(403);
    await api.patch(`/api/v1/users/${stationAdmin.id}`).set('Authorization', stationAdmin.authorization).send({ owner: true }).expect(403);
    expect(await db('users').where({ email: 'x@kqtr.example' }).first()).toBeUndefined();
    expect(((await db('users').where({ id: stationAdmin.id }).first('owner')) as { owner: boolean }).owner).toBe(false);
  });
});

describe('API clients', () => {
  it('an owner adds LibreTime bound to one station; its secret is shown once and works there only', async () => {
    const api = request(app());
    const station = (await db('stations').where({ slug: 'kqtr' }).first('id')) as { id: string };
    const created = await api.post('/api/v1/api-clients').set('Authorization', owner.authorization).send({ name: 'LibreTime', role: 'viewer', stationId: station.id }).expect(201);
    const client = created.body as Account & { clientId: string; clientSecret: string };
    expect(client).toMatchObject({ name: 'LibreTime', owner: false, stations: [{ station: 'kqtr', stationId: station.id, roles: ['viewer'] }], disabled: false });
    expect(client.clientId).toMatch(/^llc_/);
    const listed = await api.get('/api/v1/api-clients').set('Authorization', owner.authorization).expect(200);
    expect((listed.body as { clientId: string }[]).map((c) => c.clientId)).toEqual([client.clientId]);
    expect(JSON.stringify(listed.body)).not.toMatch(/secret/i);
    expect(JSON.stringify(await db('audit_log').where({ action: 'api_client.create' }).first())).not.toContain(client.clientSecret);

    const token = await api.post('/api/v1/auth/token').type('form').send({ grant_type: 'client_credentials', client_id: client.clientId, client_secret: client.clientSecret }).expect(200);
    const bearer = `Bearer ${(token.body as { access_token: string }).access_token}`;
    const seen = await api.get('/api/v1/stations').set('Authorization', bearer).expect(200);
    expect((seen.body as { slug: string }[]).map((s) => s.slug)).toEqual(['kqtr']);
    await api.get('/api/v1/stations/kbbb/logs?from=2031-01-01&to=2031-01-02').set('Authorization', bearer).expect(404);
  });

  it('an admin client bound to a station cannot make an admin user, an unbound client or a station', async () => {
    const api = request(app());
    const made = (await api.post('/api/v1/api-clients').set('Authorization', owner.authorization).send({ name: 'Station scripts', stations: [{ station: 'kqtr', roles: ['admin'] }] }).expect(201)).body as {
      clientId: string;
      clientSecret: string;
    };
    const token = await api.post('/api/v1/auth/token').type('form').send({ grant_type: 'client_credentials', client_id: made.clientId, client_secret: made.clientSecret }).expect(200);
    const bearer = `Bearer ${(token.body as { access_token: string }).access_token}`;
    await api.post('/api/v1/users').set('Authorization', bearer).send({ email: 'evil@x.example', name: 'Evil', owner: true, password: 'correct horse battery' }).expect(403);
    await api.post('/api/v1/api-clients').set('Authorization', bearer).send({ name: 'Evil', owner: true }).expect(403);
    await api.post('/api/v1/stations').set('Authorization', bearer).send({ slug: 'kevil', name: 'Evil', timezone: 'UTC' }).expect(403);
    // A bundle for a station it does not work for neither creates nor changes one.
    await api.put('/api/v1/stations/kevil/bundle').set('Authorization', bearer).send({ ...smallStationBundle(), station: { ...smallStationBundle().station, slug: 'kevil' } }).expect(404);
    // It still runs its own station.
    await api.patch('/api/v1/stations/kqtr').set('Authorization', bearer).send({ name: 'KQTR' }).expect(200);
    expect(await db('users').where({ email: 'evil@x.example' }).first()).toBeUndefined();
    expect(await db('stations').where({ slug: 'kevil' }).first()).toBeUndefined();
  });

  it('an owner re-roles or disables a client by either id; a client with no role anywhere, unknown stations and clients are refused', async () => {
    const api = request(app());
    const client = (await api.post('/api/v1/api-clients').set('Authorization', owner.authorization).send({ name: 'Scripts', stations: [{ station: 'kqtr', roles: ['viewer'] }] }).expect(201)).body as {
      id: string;
      clientId: string;
    };
    const byClientId = await api
      .patch(`/api/v1/api-clients/${client.clientId}`)
      .set('Authorization', owner.authorization)
      .send({ stations: [{ station: 'kbbb', roles: ['traffic'] }], name: 'Traffic scripts' })
      .expect(200);
    expect(byClientId.body).toMatchObject({ id: client.id, name: 'Traffic scripts', stations: [{ station: 'kbbb', roles: ['traffic'] }] });
    const byId = await api.patch(`/api/v1/api-clients/${client.id}`).set('Authorization', owner.authorization).send({ disabled: true }).expect(200);
    expect(byId.body).toMatchObject({ disabled: true });
    await api.patch('/api/v1/api-clients/llc_nosuchclient').set('Authorization', owner.authorization).send({ disabled: true }).expect(404);
    await api.patch(`/api/v1/api-clients/${client.id}`).set('Authorization', owner.authorization).send({ clientSecret: 'mine' }).expect(400);
    const nothing = await api.post('/api/v1/api-clients').set('Authorization', owner.authorization).send({ name: 'Idle' }).expect(400);
    expect((nothing.body as Problem).errors).toEqual([{ path: 'body.stations', message: 'needs at least one station with a role' }]);
    const noStation = await api
      .post('/api/v1/api-clients')
      .set('Authorization', owner.authorization)
      .send({ name: 'Ghost', role: 'viewer', stationId: '00000000-0000-4000-8000-000000000000' })
      .expect(400);
    expect((noStation.body as Problem).errors).toEqual([{ path: 'body.stationId', message: 'names no station' }]);
  });
});

describe('the audit log', () => {
  it('owners read everything; a station admin reads only their stations; filters and pages work', async () => {
    const api = request(app());
    const admin = await makePerson(db, SECRET, 'admin', { stations: ['kqtr'] });
    const traffic = await makePerson(db, SECRET, 'traffic', { stations: ['kqtr'] });
    for (const [slug, name] of [['kqtr', 'Alpha'], ['kbbb', 'Beta'], ['kqtr', 'Gamma']] as const) {
      await api.post(`/api/v1/stations/${slug}/advertisers`).set('Authorization', owner.authorization).send({ name }).expect(201);
    }
    await api.post('/api/v1/users').set('Authorization', owner.authorization).send({ email: 'new@x.example', name: 'New', password: 'correct horse battery' }).expect(201);

    const all = (await api.get(`/api/v1/audit?actor=${owner.id}`).set('Authorization', owner.authorization).expect(200)).body as { entries: { action: string; station: string | null; actorName: string }[] };
    expect(all.entries.map((e) => e.action)).toEqual(['user.create', 'advertiser.create', 'advertiser.create', 'advertiser.create']);
    expect(all.entries[1]).toMatchObject({ station: 'kqtr', actorName: 'Owner' });

    const theirs = (await api.get('/api/v1/audit?action=advertiser.create').set('Authorization', admin.authorization).expect(200)).body as { entries: { after: { name: string }; station: string }[] };
    expect(theirs.entries.map((e) => e.after.name)).toEqual(['Gamma', 'Alpha']);
    // Who was given roles at their station, they see too (the person's own record is the owners').
    await api.post('/api/v1/users').set('Authorization', owner.authorization).send({ email: 'vol@x.example', name: 'Volunteer', stations: [{ station: 'kqtr', roles: ['voice'] }, { station: 'kbbb', roles: ['viewer'] }], password: 'correct horse battery' }).expect(201);
    const roles = (await api.get('/api/v1/audit?action=station_roles.update').set('Authorization', admin.authorization).expect(200)).body as { entries: { station: string; after: unknown }[] };
    expect(roles.entries).toEqual([expect.objectContaining({ station: 'kqtr', after: { name: 'Volunteer', roles: ['voice'] } })]);
    await api.get('/api/v1/audit?station=kbbb').set('Authorization', admin.authorization).expect(404);
    await api.get('/api/v1/audit').set('Authorization', traffic.authorization).expect(403);

    const page1 = (await api.get('/api/v1/audit?action=advertiser.&limit=2').set('Authorization', owner.authorization).expect(200)).body as { entries: { id: number }[]; nextBefore: number };
    expect(page1.entries).toHaveLength(2);
    const page2 = (await api.get(`/api/v1/audit?action=advertiser.&limit=2&before=${page1.nextBefore}`).set('Authorization', owner.authorization).expect(200)).body as { entries: unknown[]; nextBefore: null };
    expect(page2).toMatchObject({ entries: [expect.anything()], nextBefore: null });
    const byStation = (await api.get('/api/v1/audit?station=kbbb&action=advertiser.').set('Authorization', owner.authorization).expect(200)).body as { entries: unknown[] };
    expect(byStation.entries).toHaveLength(1);
    const futureRes = await api.get(`/api/v1/audit?from=${encodeURIComponent('2999-01-01T00:00:00Z')}`).set('Authorization', owner.authorization);
    expect(futureRes.status, JSON.stringify(futureRes.body)).toBe(200);
    const future = futureRes.body as { entries: unknown[] };
    expect(future.entries).toEqual([]);
    await api.get('/api/v1/audit?action=DROP TABLE').set('Authorization', owner.authorization).expect(400);
  });
});
