// Sign-in that protects people instead of locking them out: failed guesses slow the guesser
// down per account and per address, kept in PostgreSQL so every API process agrees; the owner
// of an account under attack still gets in; refreshing is not guessing. Signing out, a new
// password and a disabled account end the sign-in's refresh tokens. Every sign-in, failure,
// token, refresh and revocation is in the audit log, never a password. Security headers on
// every answer, and a health check that says what is down but not why.
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { createApp, type AppDeps } from '../../api/app.js';
import { createApiClient } from '../../api/auth/api-clients.js';
import { hashPassword } from '../../api/auth/passwords.js';
import { DEFAULT_SIGN_IN_GUARDS } from '../../api/auth/rate-limit.js';
import { useTestDatabase } from '../support/db.js';
import { makePerson } from '../support/people.js';

const db = useTestDatabase();
const SECRET = 'sign-in-guards-test-secret-0123456789';
const PASSWORD = 'the owner knows this one';

const app = (deps: Partial<AppDeps> = {}) =>
  createApp({ db, temporal: { namespace: 'default', check: () => Promise.resolve() }, jwtSecret: SECRET, log: () => undefined, trustedProxies: ['loopback'], ...deps });

type Api = ReturnType<typeof app>;

const token = (api: Api, fields: Record<string, string>, from?: string) => {
  const req = request(api).post('/api/v1/auth/token').type('form').send(fields);
  return from ? req.set('X-Forwarded-For', from) : req;
};
const password = (api: Api, username: string, guess: string, from?: string) => token(api, { grant_type: 'password', username, password: guess }, from);

async function makeUser(email: string, fields: { owner?: boolean } = {}): Promise<string> {
  const [row] = (await db('users').insert({ email, name: email.split('@')[0], owner: fields.owner ?? false, passwordHash: await hashPassword(PASSWORD) }).returning('id')) as { id: string }[];
  return row!.id;
}

/** Moves every failure back in time, as if `seconds` had passed. */
const wait = (seconds: number) => db('sign_in_guards').update({ lastFailureAt: db.raw(`last_failure_at - make_interval(secs => ?)`, [seconds]) });

describe('failed sign-ins slow the guesser down, never the owner', () => {
  it("wrong passwords from many addresses do not lock the admin out: the right password from an address that has not been failing still works", async () => {
    await makeUser('admin@kqtr.example', { owner: true });
    const api = app();
    for (let i = 1; i <= 30; i++) await password(api, 'admin@kqtr.example', `guess ${i}`, `198.51.100.${i}`).expect((res) => expect([400, 429]).toContain(res.status));
    // The guessers wait; whoever has been failing there is told for how long.
    const held = await password(api, 'admin@kqtr.example', 'guess 31', '198.51.100.1').expect(429);
    expect(held.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(held.body).toMatchObject({ status: 429, detail: expect.stringMatching(/for this account/) as string });
    expect(Number(held.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    // Even their right password is not checked while they wait.
    await password(api, 'admin@kqtr.example', PASSWORD, '198.51.100.2').expect(429);
    // The admin, from home.
    await password(api, 'ADMIN@kqtr.example', PASSWORD, '203.0.113.50').expect(200);
    // …which starts the account over: after it, the guessers' addresses may try again (and fail).
    await password(api, 'admin@kqtr.example', 'guess 32', '198.51.100.3').expect(400);
  });

  it('the wait grows with each failure past the first five, is bounded, and a success starts over', async () => {
    await makeUser('dana@kqtr.example');
    const api = app();
    const from = '192.0.2.10';
    for (let i = 0; i < 5; i++) await password(api, 'dana@kqtr.example', `guess ${i}`, from).expect(400);
    // The sixth failure is checked, and makes the next one wait 1 s.
    await password(api, 'dana@kqtr.example', 'guess 6', from).expect(400);
    const first = await password(api, 'dana@kqtr.example', 'guess 7', from).expect(429);
    expect(first.headers['retry-after']).toBe('1');
    await wait(1);
    await password(api, 'dana@kqtr.example', 'guess 7', from).expect(400);
    expect((await password(api, 'dana@kqtr.example', 'guess 8', from).expect(429)).headers['retry-after']).toBe('2');
    await wait(2);
    await password(api, 'dana@kqtr.example', 'guess 8', from).expect(400);
    expect((await password(api, 'dana@kqtr.example', 'guess 9', from).expect(429)).headers['retry-after']).toBe('4');
    // Far along, the wait stops growing at 15 minutes.
    await db('sign_in_guards').where({ key: 'account:user:dana@kqtr.example' }).update({ failures: 60 });
    expect(Number((await password(api, 'dana@kqtr.example', 'guess', from).expect(429)).headers['retry-after'])).toBeLessThanOrEqual(15 * 60);
    await wait(15 * 60);
    // The right password, once the wait is over: in, and the count starts over.
    await password(api, 'dana@kqtr.example', PASSWORD, from).expect(200);
    const row = (await db('sign_in_guards').where({ key: 'account:user:dana@kqtr.example' }).first()) as { failures: number };
    expect(row.failures).toBe(0);
    for (let i = 0; i < 5; i++) await password(api, 'dana@kqtr.example', `again ${i}`, from).expect(400);
  });

  it('one address guessing at many accounts waits too, without holding back anyone else', async () => {
    await makeUser('tess@kqtr.example');
    const api = app({ signInGuards: { address: { ...DEFAULT_SIGN_IN_GUARDS.address, baseSeconds: 60 } } });
    const { free } = DEFAULT_SIGN_IN_GUARDS.address;
    for (let i = 0; i <= free; i++) await password(api, `person${i}@kqtr.example`, 'guess', '192.0.2.66').expect(400);
    const held = await password(api, 'tess@kqtr.example', PASSWORD, '192.0.2.66').expect(429);
    expect(held.body).toMatchObject({ detail: expect.stringMatching(/from your address/) as string });
    await password(api, 'tess@kqtr.example', PASSWORD, '192.0.2.67').expect(200);
  });

  it('two API processes on the same database share the guards', async () => {
    await makeUser('pat@kqtr.example');
    // A minute's wait after the sixth failure, so that a slow machine does not see it end.
    const signInGuards = { account: { ...DEFAULT_SIGN_IN_GUARDS.account, baseSeconds: 60 } };
    const first = app({ signInGuards });
    const second = app({ signInGuards });
    for (let i = 0; i < 6; i++) await password(i % 2 ? first : second, 'pat@kqtr.example', `guess ${i}`, '192.0.2.20').expect(400);
    const held = await password(second, 'pat@kqtr.example', 'guess 7', '192.0.2.20').expect(429);
    expect(Number(held.headers['retry-after'])).toBeGreaterThan(50);
    // In parallel, the guesses cannot all slip in before the first is counted.
    await db('sign_in_guards').delete();
    const statuses = await Promise.all(Array.from({ length: 12 }, (_, i) => password(i % 2 ? first : second, 'pat@kqtr.example', `parallel ${i}`, '192.0.2.21').then((res) => res.status)));
    expect(statuses.filter((s) => s === 400).length).toBeLessThanOrEqual(6);
    expect(statuses.filter((s) => s === 429).length).toBeGreaterThanOrEqual(6);
  });

  it('a name of any length is guarded, not a server error (a client id in HTTP Basic has no schema)', async () => {
    const api = app();
    const long = `${'x'.repeat(300)}@kqtr.example`;
    await password(api, long, 'guess', '192.0.2.50').expect(400);
    await password(api, long.toUpperCase(), 'guess', '192.0.2.50').expect(400);
    await request(api).post('/api/v1/auth/token').auth(`llc_${'y'.repeat(8_000)}`, 'guess').type('form').send({ grant_type: 'client_credentials' }).expect(401);
    const keys = (await db('sign_in_guards').pluck('key')) as string[];
    expect(keys.filter((k) => k.startsWith('account:')).sort()).toEqual([expect.stringMatching(/^account:sha256:[0-9a-f]{64}$/), expect.stringMatching(/^account:sha256:[0-9a-f]{64}$/)]);
    const failed = (await db('audit_log').where({ action: 'auth.token_failed' }).first('after')) as { after: { clientId: string } };
    expect(failed.after.clientId.length).toBeLessThanOrEqual(200);
  });

  it('API clients are guarded the same way, by client id', async () => {
    const client = await createApiClient(db, { name: 'LibreTime', owner: true });
    const api = app();
    for (let i = 0; i < 6; i++) await token(api, { grant_type: 'client_credentials', client_id: client.clientId, client_secret: `guess ${i}` }, '192.0.2.30').expect(401);
    await token(api, { grant_type: 'client_credentials', client_id: client.clientId, client_secret: client.clientSecret }, '192.0.2.30').expect(429);
    await token(api, { grant_type: 'client_credentials', client_id: client.clientId, client_secret: client.clientSecret }, '192.0.2.31').expect(200);
  });

  it('refreshing is not a guess: a whole shift of refreshes through the web server counts nothing', async () => {
    await makeUser('shift@kqtr.example');
    const api = app();
    let refresh = ((await password(api, 'shift@kqtr.example', PASSWORD).expect(200)).body as { refresh_token: string }).refresh_token;
    for (let i = 0; i < 30; i++) {
      const res = await token(api, { grant_type: 'refresh_token', refresh_token: refresh }).expect(200);
      refresh = (res.body as { refresh_token: string }).refresh_token;
    }
    const guards = (await db('sign_in_guards').select('key', 'failures')) as { key: string; failures: number }[];
    expect(guards.every((g) => g.failures === 0)).toBe(true);
  });

  it("believes X-Forwarded-For only from the proxies it is told to trust", async () => {
    await makeUser('lee@kqtr.example');
    const api = app({ trustedProxies: [], signInGuards: { address: { ...DEFAULT_SIGN_IN_GUARDS.address, free: 2, baseSeconds: 60 } } });
    for (let i = 0; i < 3; i++) await password(api, `nobody${i}@kqtr.example`, 'guess', `203.0.113.${i}`).expect(400);
    // Every request came from this test's loopback address, whatever the header claimed.
    await password(api, 'lee@kqtr.example', PASSWORD, '203.0.113.99').expect(429);
    const keys = (await db('sign_in_guards').pluck('key')) as string[];
    expect(keys.filter((k) => k.startsWith('address:'))).toEqual([expect.stringMatching(/^address:(127\.0\.0\.1|0:0:0:0::\/64)$/)]);
  });
});

describe('ending a sign-in', () => {
  async function signedIn(api: Api, email: string) {
    const body = (await password(api, email, PASSWORD).expect(200)).body as { access_token: string; refresh_token: string };
    return { access: `Bearer ${body.access_token}`, refresh: body.refresh_token };
  }
  const refresh = (api: Api, refreshToken: string) => token(api, { grant_type: 'refresh_token', refresh_token: refreshToken });

  it('signing out ends that sign-in: its refresh token (and every one rotated from it) stops working, other sign-ins go on', async () => {
    await makeUser('sam@kqtr.example');
    const api = app();
    const laptop = await signedIn(api, 'sam@kqtr.example');
    const phone = await signedIn(api, 'sam@kqtr.example');
    const rotated = ((await refresh(api, laptop.refresh).expect(200)).body as { refresh_token: string }).refresh_token;
    await request(api).post('/api/v1/auth/revoke').set('Authorization', laptop.access).send({ token: rotated }).expect(204);
    expect((await refresh(api, rotated).expect(400)).body).toMatchObject({ error: 'invalid_grant', detail: expect.stringMatching(/revoked/) as string });
    await refresh(api, phone.refresh).expect(200);
    // Someone else's token, or none at all: the same answer, and nothing happens to it.
    const other = await makePerson(db, SECRET, 'viewer');
    await request(api).post('/api/v1/auth/revoke').set('Authorization', other.authorization).send({ token: phone.refresh }).expect(204);
    await request(api).post('/api/v1/auth/revoke').set('Authorization', other.authorization).send({ token: 'not-a-token' }).expect(204);
    // Without a token: every sign-in of the caller.
    const again = await signedIn(api, 'sam@kqtr.example');
    await request(api).post('/api/v1/auth/revoke').set('Authorization', again.access).expect(204);
    await refresh(api, again.refresh).expect(400);
    await request(api).post('/api/v1/auth/revoke').expect(401);
  });

  it('a new password or a disabled account ends every sign-in of the person', async () => {
    const userId = await makeUser('alex@kqtr.example');
    const owner = await makePerson(db, SECRET, 'admin');
    const api = app();
    const before = await signedIn(api, 'alex@kqtr.example');
    await request(api).patch(`/api/v1/users/${userId}`).set('Authorization', owner.authorization).send({ password: 'a brand new password' }).expect(200);
    await refresh(api, before.refresh).expect(400);

    await db('users').where({ id: userId }).update({ passwordHash: await hashPassword(PASSWORD) });
    const later = await signedIn(api, 'alex@kqtr.example');
    await request(api).patch(`/api/v1/users/${userId}`).set('Authorization', owner.authorization).send({ disabled: true }).expect(200);
    await refresh(api, later.refresh).expect(400);
    const live = (await db('refresh_tokens').where({ userId }).whereNull('revokedAt').count({ n: '*' }).first()) as { n: number };
    expect(Number(live.n)).toBe(0);
  });
});

describe('the audit log, for people', () => {
  const entries = async () => (await db('audit_log').orderBy('id').select('actorType', 'actorId', 'action', 'entity', 'entityId', 'after')) as { actorType: string; actorId: string | null; action: string; entity: string; entityId: string | null; after: Record<string, unknown> }[];

  it('records sign-ins, failed sign-ins (who was tried, never the password), tokens, refreshes and revocations', async () => {
    const userId = await makeUser('robin@kqtr.example');
    const client = await createApiClient(db, { name: 'LibreTime', owner: true });
    const api = app();
    await password(api, 'robin@kqtr.example', 'hunter2 is wrong', '192.0.2.40').expect(400);
    await password(api, 'nobody@kqtr.example', 'another wrong one', '192.0.2.40').expect(400);
    const signIn = (await password(api, 'robin@kqtr.example', PASSWORD, '192.0.2.41').expect(200)).body as { access_token: string; refresh_token: string };
    const refreshed = (await token(api, { grant_type: 'refresh_token', refresh_token: signIn.refresh_token }, '192.0.2.41').expect(200)).body as { refresh_token: string };
    await token(api, { grant_type: 'client_credentials', client_id: client.clientId, client_secret: client.clientSecret }).expect(200);
    await token(api, { grant_type: 'client_credentials', client_id: client.clientId, client_secret: 'not the secret' }).expect(401);
    await request(api).post('/api/v1/auth/revoke').set('Authorization', `Bearer ${signIn.access_token}`).send({ token: refreshed.refresh_token }).expect(204);

    const log = await entries();
    const family = log.find((e) => e.action === 'auth.sign_in')?.after.family;
    expect(log).toEqual([
      { actorType: 'anonymous', actorId: null, action: 'auth.sign_in_failed', entity: 'user', entityId: userId, after: { email: 'robin@kqtr.example', address: '192.0.2.40', reason: 'wrong_password' } },
      { actorType: 'anonymous', actorId: null, action: 'auth.sign_in_failed', entity: 'user', entityId: null, after: { email: 'nobody@kqtr.example', address: '192.0.2.40', reason: 'unknown_email' } },
      { actorType: 'user', actorId: userId, action: 'auth.sign_in', entity: 'user', entityId: userId, after: { email: 'robin@kqtr.example', address: '192.0.2.41', family: expect.any(String) as string } },
      { actorType: 'user', actorId: userId, action: 'auth.refresh', entity: 'user', entityId: userId, after: { address: '192.0.2.41', family } },
      { actorType: 'api_client', actorId: client.id, action: 'auth.token', entity: 'api_client', entityId: client.id, after: { clientId: client.clientId, address: expect.any(String) as string } },
      { actorType: 'anonymous', actorId: null, action: 'auth.token_failed', entity: 'api_client', entityId: client.id, after: { clientId: client.clientId, address: expect.any(String) as string, reason: 'wrong_secret' } },
      { actorType: 'user', actorId: userId, action: 'auth.revoke', entity: 'user', entityId: userId, after: { reason: 'signed_out', family, tokens: 2 } },
    ]);
    expect(JSON.stringify(log)).not.toMatch(/hunter2|another wrong one|not the secret/);
    expect(JSON.stringify(log)).not.toContain(signIn.refresh_token);
  });

  it('records who ended whose sign-ins: a new password set by an owner, and a reused refresh token', async () => {
    const userId = await makeUser('kim@kqtr.example');
    const owner = await makePerson(db, SECRET, 'admin');
    const api = app();
    const first = ((await password(api, 'kim@kqtr.example', PASSWORD).expect(200)).body as { refresh_token: string }).refresh_token;
    await token(api, { grant_type: 'refresh_token', refresh_token: first }).expect(200);
    await db('refresh_tokens').whereNotNull('replacedAt').update({ replacedAt: new Date(Date.now() - 60_000) });
    await token(api, { grant_type: 'refresh_token', refresh_token: first }).expect(400);
    await request(api).patch(`/api/v1/users/${userId}`).set('Authorization', owner.authorization).send({ password: 'a brand new password' }).expect(200);
    const revokes = (await entries()).filter((e) => e.action === 'auth.revoke');
    expect(revokes).toEqual([
      { actorType: 'system', actorId: null, action: 'auth.revoke', entity: 'user', entityId: userId, after: { reason: 'reused', family: expect.any(String) as string } },
      { actorType: 'user', actorId: owner.id, action: 'auth.revoke', entity: 'user', entityId: userId, after: { reason: 'password_changed', everywhere: true, tokens: 0, webSessions: 0 } },
    ]);
  });
});

describe('security headers', () => {
  it('every API answer may be framed nowhere and run nothing; the docs load only their own scripts', async () => {
    const api = app();
    for (const res of [await request(api).get('/api/v1/health'), await request(api).get('/api/v1/me'), await request(api).get('/api/openapi.json')]) {
      expect(res.headers['content-security-policy']).toMatch(/default-src 'none'/);
      expect(res.headers['content-security-policy']).toMatch(/frame-ancestors 'none'/);
      expect(res.headers['x-frame-options']).toBe('DENY');
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      expect(res.headers['strict-transport-security']).toBeUndefined();
    }
    const docs = await request(api).get('/api/docs/').expect(200);
    expect(docs.headers['content-security-policy']).toMatch(/script-src 'self'(;|$)/);
    expect(docs.headers['content-security-policy']).toMatch(/frame-ancestors 'none'/);
    // Over HTTPS by configuration: HSTS as well.
    const https = await request(app({ https: true })).get('/api/v1/health');
    expect(https.headers['strict-transport-security']).toMatch(/max-age=\d+/);
  });
});
