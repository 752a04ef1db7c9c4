import type { Request } from 'express';
import jwt from 'jsonwebtoken';
import knexFactory from 'knex';
import request from 'supertest';
import { knexSnakeCaseMappers } from 'objection';
import { describe, expect, it } from 'vitest';
import { createApp, type AppDeps } from '../../api/app.js';
import { loadApiSpec } from '../../api/spec.js';
import { createApiClient } from '../../api/auth/api-clients.js';
import { securityHandlers } from '../../api/auth/authenticate.js';
import { operationAccess, securityDeclarationErrors } from '../../api/auth/operations.js';
import { hashPassword } from '../../api/auth/passwords.js';
import { addressKey, backoffMs, DEFAULT_SIGN_IN_GUARDS } from '../../api/auth/rate-limit.js';
import { decidingRole, mayCall, rolesAt, roleSatisfies } from '../../api/auth/scopes.js';
import { issueToken, TOKEN_TTL_SECONDS } from '../../api/auth/tokens.js';
import { Station, User } from '../../db/models.js';
import { USER_ROLES, type UserRole } from '../../domain/vocabulary.js';
import { useTestDatabase } from '../support/db.js';

const db = useTestDatabase();
const SECRET = 'test-secret-for-librelog-auth-tests';
const PASSWORD = 'correct horse battery staple';

const app = (deps: Partial<AppDeps> = {}) =>
  createApp({ db, temporal: { namespace: 'default', check: () => Promise.resolve() }, jwtSecret: SECRET, log: () => undefined, ...deps });

/** A person; `admin` is the install's owner, other roles are held at every station there is. */
async function createUser(fields: { email: string; role: UserRole; name?: string; disabled?: boolean }): Promise<User> {
  const user = await User.query(db).insertAndFetch({
    email: fields.email,
    name: fields.name ?? fields.email.split('@')[0]!,
    owner: fields.role === 'admin',
    disabled: fields.disabled ?? false,
    passwordHash: await hashPassword(PASSWORD),
  });
  if (fields.role !== 'admin') {
    const stations = (await db('stations').select('id')) as { id: string }[];
    if (stations.length) await db('station_memberships').insert(stations.map((s) => ({ userId: user.id, stationId: s.id, role: fields.role })));
  }
  return user;
}

interface ProblemBody {
  type: string;
  title: string;
  status: number;
  detail?: string;
  instance: string;
  error?: string;
}

const problem = (res: request.Response) => {
  expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  return res.body as ProblemBody;
};

const signIn = (agent: ReturnType<typeof app>, fields: Record<string, string>) =>
  request(agent).post('/api/v1/auth/token').type('form').send(fields);

describe('signing in: POST /api/v1/auth/token', () => {
  it('a traffic manager signs in with email and password', async () => {
    const user = await createUser({ email: 'Dana.Traffic@gayphx.org', role: 'traffic' });
    const res = await signIn(app(), { grant_type: 'password', username: 'dana.traffic@GAYPHX.org', password: PASSWORD }).expect(200);

    expect(res.body).toEqual({ access_token: expect.any(String) as string, token_type: 'Bearer', expires_in: TOKEN_TTL_SECONDS, scope: 'member', refresh_token: expect.any(String) as string });
    expect(res.headers['cache-control']).toBe('no-store');
    const token = jwt.decode((res.body as { access_token: string }).access_token, { complete: true })!;
    expect(token.header.alg).toBe('HS256');
    const claims = token.payload as jwt.JwtPayload;
    expect(claims).toMatchObject({ iss: 'librelog', aud: 'librelog-api', sub: user.id, kind: 'user', jti: expect.any(String) as string });
    // What a person may do is read per request and per station, never from the token.
    expect(claims).not.toHaveProperty('role');
    expect(claims.exp! - claims.iat!).toBe(15 * 60);
    const after = await User.query(db).findById(user.id);
    expect(after!.lastLoginAt).toBeInstanceOf(Date);
  });

  it('a presenter signs in with a JSON body too', async () => {
    await createUser({ email: 'presenter@gayphx.org', role: 'voice' });
    const res = await request(app())
      .post('/api/v1/auth/token')
      .send({ grant_type: 'password', username: 'presenter@gayphx.org', password: PASSWORD, scope: 'admin', client_id: 'swagger-ui' })
      .expect(200);
    // Unrecognized parameters are ignored (RFC 6749 §3.2) and no one gets a role by asking for it.
    expect(res.body).toMatchObject({ token_type: 'Bearer', scope: 'member' });
  });

  it('a wrong password and an unknown email get the same answer, in about the same time', async () => {
    await createUser({ email: 'dana@gayphx.org', role: 'traffic' });
    const api = app();
    const attempt = async (username: string) => {
      const started = performance.now();
      const res = await signIn(api, { grant_type: 'password', username, password: 'not the password' }).expect(400);
      return { body: problem(res), ms: performance.now() - started };
    };
    await attempt('warm-up@gayphx.org');
    const wrong = [await attempt('dana@gayphx.org'), await attempt('dana@gayphx.org'), await attempt('dana@gayphx.org')];
    const unknown = [await attempt('nobody@gayphx.org'), await attempt('nobody@gayphx.org'), await attempt('nobody@gayphx.org')];

    expect(wrong[0]!.body).toMatchObject({ status: 400, error: 'invalid_grant' });
    expect(unknown[0]!.body).toEqual(wrong[0]!.body);
    // Both check a password hash (scrypt, tens of ms); skipping it for unknown emails would take ~1 ms.
    const median = (runs: { ms: number }[]) => runs.map((r) => r.ms).sort((a, b) => a - b)[1]!;
    expect(median(unknown)).toBeGreaterThan(median(wrong) / 3);
  });

  it('a disabled user cannot sign in, even with the right password', async () => {
    await createUser({ email: 'former@gayphx.org', role: 'programming', disabled: true });
    const res = await signIn(app(), { grant_type: 'password', username: 'former@gayphx.org', password: PASSWORD }).expect(400);
    expect(problem(res)).toMatchObject({ status: 400, error: 'invalid_grant', instance: '/api/v1/auth/token' });
    expect(JSON.stringify(res.body)).not.toMatch(/access_token/);
  });

  it('LibreTime gets a token with its client credentials in the body', async () => {
    const client = await createApiClient(db, { name: 'LibreTime', owner: true });
    const res = await signIn(app(), { grant_type: 'client_credentials', client_id: client.clientId, client_secret: client.clientSecret }).expect(200);

    expect(res.body).toMatchObject({ token_type: 'Bearer', expires_in: TOKEN_TTL_SECONDS, scope: 'owner' });
    const claims = jwt.verify((res.body as { access_token: string }).access_token, SECRET) as jwt.JwtPayload;
    expect(claims).toMatchObject({ sub: `client:${client.clientId}`, kind: 'api_client' });
    const stored = (await db('api_clients').where({ clientId: client.clientId }).first()) as { secretHash: string };
    expect(stored.secretHash).not.toContain(client.clientSecret);
  });

  it('LibreTime gets a token with its client credentials as HTTP Basic', async () => {
    const client = await createApiClient(db, { name: 'LibreTime', owner: true });
    const res = await request(app())
      .post('/api/v1/auth/token')
      .auth(client.clientId, client.clientSecret)
      .type('form')
      .send({ grant_type: 'client_credentials' })
      .expect(200);
    expect(res.body).toMatchObject({ scope: 'owner' });
  });

  it('a wrong client secret or an unknown client is refused with a Basic challenge', async () => {
    const client = await createApiClient(db, { name: 'LibreTime', owner: true });
    const api = app();
    const wrong = await signIn(api, { grant_type: 'client_credentials', client_id: client.clientId, client_secret: 'guess' }).expect(401);
    expect(problem(wrong)).toMatchObject({ status: 401, error: 'invalid_client' });
    expect(wrong.headers['www-authenticate']).toMatch(/^Basic realm="librelog"/);

    const basic = await request(api).post('/api/v1/auth/token').auth('llc_nobody', 'guess').type('form').send({ grant_type: 'client_credentials' }).expect(401);
    expect(problem(basic)).toEqual(problem(wrong));
    expect(basic.headers['www-authenticate']).toMatch(/^Basic /);
  });

  it('a disabled client cannot get a token', async () => {
    const client = await createApiClient(db, { name: 'Old LibreTime', owner: true });
    await db('api_clients').where({ clientId: client.clientId }).update({ disabled: true });
    const res = await signIn(app(), { grant_type: 'client_credentials', client_id: client.clientId, client_secret: client.clientSecret }).expect(401);
    expect(problem(res)).toMatchObject({ error: 'invalid_client' });
  });

  it('an unsupported grant type is named as such', async () => {
    const res = await signIn(app(), { grant_type: 'authorization_code', code: 'abc' }).expect(400);
    expect(problem(res)).toMatchObject({ status: 400, title: 'Bad Request', error: 'unsupported_grant_type' });
  });

  it('a malformed request is invalid_request, as problem+json', async () => {
    const api = app();
    const noGrant = await signIn(api, { username: 'dana@gayphx.org', password: PASSWORD }).expect(400);
    expect(problem(noGrant)).toMatchObject({ status: 400, error: 'invalid_request' });

    const noPassword = await signIn(api, { grant_type: 'password', username: 'dana@gayphx.org', password: '' }).expect(400);
    expect(problem(noPassword)).toMatchObject({ error: 'invalid_request' });

    const badJson = await request(api).post('/api/v1/auth/token').set('Content-Type', 'application/json').send('{"grant_type": "password",').expect(400);
    expect(problem(badJson)).toMatchObject({ status: 400, error: 'invalid_request' });

    const twice = await request(api).post('/api/v1/auth/token').type('form').send('grant_type=password&grant_type=client_credentials').expect(400);
    expect(problem(twice)).toMatchObject({ error: 'invalid_request' });

    const wrongType = await request(api).post('/api/v1/auth/token').send({ grant_type: 'password', username: 'dana@gayphx.org', password: 12345 }).expect(400);
    expect(problem(wrongType)).toMatchObject({ error: 'invalid_request' });

    const client = await createApiClient(db, { name: 'LibreTime', owner: true });
    const both = await request(api)
      .post('/api/v1/auth/token')
      .auth(client.clientId, client.clientSecret)
      .type('form')
      .send({ grant_type: 'client_credentials', client_id: client.clientId, client_secret: client.clientSecret })
      .expect(400);
    expect(problem(both)).toMatchObject({ error: 'invalid_request' });
  });

  it('too many failed sign-ins from one address get 429 with Retry-After, as problem+json', async () => {
    const api = app({ trustedProxies: ['loopback'], signInGuards: { address: { ...DEFAULT_SIGN_IN_GUARDS.address, free: 3, baseSeconds: 60 } } });
    // Requests that check no password are not guesses.
    for (let i = 0; i < 5; i++) await signIn(api, { grant_type: 'implicit' }).expect(400);
    for (let i = 0; i < 4; i++) await signIn(api, { grant_type: 'password', username: `nobody${i}@gayphx.org`, password: 'guess' }).expect(400);
    const res = await signIn(api, { grant_type: 'password', username: 'someone@gayphx.org', password: 'guess' }).expect(429);
    expect(problem(res)).toMatchObject({ status: 429, title: 'Too Many Requests', detail: expect.stringMatching(/from your address/) as string });
    expect(Number(res.headers['retry-after'])).toBeGreaterThanOrEqual(59);
    expect(Number(res.headers['retry-after'])).toBeLessThanOrEqual(60);
    // Another address is not affected (the API trusts X-Forwarded-For from a proxy it is told to).
    await signIn(api, { grant_type: 'password', username: 'someone@gayphx.org', password: 'guess' }).set('X-Forwarded-For', '203.0.113.7').expect(400);
  });
});

describe('the access token: GET /api/v1/me', () => {
  const me = (api: ReturnType<typeof app>, token?: string) => {
    const req = request(api).get('/api/v1/me');
    return token === undefined ? req : req.set('Authorization', `Bearer ${token}`);
  };
  const userToken = (user: User, options: { now?: Date } = {}) => issueToken(SECRET, { kind: 'user', id: user.id, owner: user.owner }, options).access_token;

  function expectInvalidToken(res: request.Response) {
    expect(problem(res)).toMatchObject({ status: 401, title: 'Unauthorized', error: 'invalid_token', instance: '/api/v1/me' });
    expect(res.headers['www-authenticate']).toMatch(/^Bearer realm="librelog", error="invalid_token"/);
  }

  it('a signed-in traffic manager sees who they are', async () => {
    const station = await Station.query(db).insert({ slug: 'demo', name: 'GayPHX Radio', timezone: 'America/Phoenix' });
    await Station.query(db).insert({ slug: 'other', name: 'Another station', timezone: 'America/Phoenix' });
    const user = await createUser({ email: 'dana@gayphx.org', role: 'viewer', name: 'Dana' });
    await db('station_memberships').where({ userId: user.id, stationId: station.id }).update({ role: 'traffic' });
    await db('station_memberships').insert({ userId: user.id, stationId: station.id, role: 'voice' });
    await db('station_memberships').where({ userId: user.id }).whereNot({ stationId: station.id }).delete();
    const api = app();
    const signedIn = await signIn(api, { grant_type: 'password', username: 'dana@gayphx.org', password: PASSWORD }).expect(200);
    const res = await me(api, (signedIn.body as { access_token: string }).access_token).expect(200);
    expect(res.body).toEqual({ id: user.id, kind: 'user', name: 'Dana', owner: false, stations: [{ id: station.id, slug: 'demo', name: 'GayPHX Radio', roles: ['traffic', 'voice'] }] });
  });

  it('a station-bound API client sees its station', async () => {
    const station = await Station.query(db).insert({ slug: 'demo', name: 'GayPHX Radio', timezone: 'America/Phoenix' });
    await Station.query(db).insert({ slug: 'other', name: 'Another station', timezone: 'America/Phoenix' });
    const client = await createApiClient(db, { name: 'LibreTime' });
    await db('station_memberships').insert({ apiClientId: client.id, stationId: station.id, role: 'programming' });
    const token = issueToken(SECRET, { kind: 'api_client', clientId: client.clientId }).access_token;
    const res = await me(app(), token).expect(200);
    expect(res.body).toEqual({ id: client.id, kind: 'api_client', name: 'LibreTime', owner: false, stations: [{ id: station.id, slug: 'demo', name: 'GayPHX Radio', roles: ['programming'] }] });
  });

  it('without a token the answer is 401 with a Bearer challenge', async () => {
    const res = await me(app()).expect(401);
    expect(problem(res)).toMatchObject({ status: 401, title: 'Unauthorized', instance: '/api/v1/me' });
    // No error code when no credentials were sent (RFC 6750 §3.1).
    expect(res.headers['www-authenticate']).toBe('Bearer realm="librelog"');

    const basic = await request(app()).get('/api/v1/me').auth('dana@gayphx.org', PASSWORD).expect(401);
    expect(basic.headers['www-authenticate']).toMatch(/^Bearer realm="librelog"/);
  });

  it('an expired token is refused', async () => {
    const user = await createUser({ email: 'dana@gayphx.org', role: 'traffic' });
    const res = await me(app(), userToken(user, { now: new Date(Date.now() - (TOKEN_TTL_SECONDS + 60) * 1000) })).expect(401);
    expectInvalidToken(res);
    expect(problem(res).detail).toMatch(/expired/);
  });

  it('a token with a tampered signature or payload is refused', async () => {
    const user = await createUser({ email: 'dana@gayphx.org', role: 'viewer' });
    const [header, payload, signature] = userToken(user).split('.') as [string, string, string];
    const flipped = `${signature.slice(0, -2)}${signature.at(-2) === 'A' ? 'B' : 'A'}${signature.at(-1)}`;
    expectInvalidToken(await me(app(), `${header}.${payload}.${flipped}`).expect(401));

    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString()) as Record<string, unknown>;
    const promoted = Buffer.from(JSON.stringify({ ...claims, role: 'admin' })).toString('base64url');
    expectInvalidToken(await me(app(), `${header}.${promoted}.${signature}`).expect(401));
  });

  it('an unsigned token (alg: none) is refused', async () => {
    const user = await createUser({ email: 'dana@gayphx.org', role: 'admin' });
    const now = Math.floor(Date.now() / 1000);
    const part = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
    const claims = { sub: user.id, role: 'admin', kind: 'user', jti: 'x', iss: 'librelog', aud: 'librelog-api', iat: now, exp: now + 600 };
    expectInvalidToken(await me(app(), `${part({ alg: 'none', typ: 'JWT' })}.${part(claims)}.`).expect(401));
    expectInvalidToken(await me(app(), `${part({ alg: 'none', typ: 'JWT' })}.${part(claims)}`).expect(401));
  });

  it('a token signed with another secret, another algorithm or for another audience is refused', async () => {
    const user = await createUser({ email: 'dana@gayphx.org', role: 'traffic' });
    const claims = { role: 'traffic', kind: 'user' };
    const options = { subject: user.id, issuer: 'librelog', audience: 'librelog-api', jwtid: 'j', expiresIn: 600 } as const;
    const api = app();
    expectInvalidToken(await me(api, issueToken('another-secret', { kind: 'user', id: user.id }).access_token).expect(401));
    expectInvalidToken(await me(api, jwt.sign(claims, SECRET, { ...options, algorithm: 'HS512' })).expect(401));
    expectInvalidToken(await me(api, jwt.sign(claims, SECRET, { ...options, algorithm: 'HS256', audience: 'someone-else' })).expect(401));
    expectInvalidToken(await me(api, jwt.sign(claims, SECRET, { ...options, algorithm: 'HS256', issuer: 'someone-else' })).expect(401));
    expectInvalidToken(await me(api, 'not-a-jwt').expect(401));
    // Signed right, but without LibreLog's claims.
    expectInvalidToken(await me(api, jwt.sign({ role: 'admin' }, SECRET, { ...options, algorithm: 'HS256' })).expect(401));
  });

  it('a user disabled after signing in is refused at once', async () => {
    const user = await createUser({ email: 'dana@gayphx.org', role: 'traffic' });
    const token = userToken(user);
    const api = app();
    await me(api, token).expect(200);
    await User.query(db).findById(user.id).patch({ disabled: true });
    expectInvalidToken(await me(api, token).expect(401));
    await User.query(db).deleteById(user.id);
    expectInvalidToken(await me(api, token).expect(401));
  });

  it('a client disabled after getting a token is refused at once', async () => {
    const client = await createApiClient(db, { name: 'LibreTime', owner: true });
    const token = issueToken(SECRET, { kind: 'api_client', clientId: client.clientId }).access_token;
    await me(app(), token).expect(200);
    await db('api_clients').where({ clientId: client.clientId }).update({ disabled: true });
    expectInvalidToken(await me(app(), token).expect(401));
  });

  it('a demoted owner has their new roles at once', async () => {
    const user = await createUser({ email: 'dana@gayphx.org', role: 'admin' });
    const token = userToken(user);
    await User.query(db).findById(user.id).patch({ owner: false });
    const res = await me(app(), token).expect(200);
    expect(res.body).toMatchObject({ owner: false, stations: [] });
  });

  it('a database outage while checking a token is a logged 500, not a 401', async () => {
    const unreachable = knexFactory({
      client: 'pg',
      connection: 'postgres://librelog:x@127.0.0.1:1/none',
      acquireConnectionTimeout: 2_000,
      log: { warn: () => undefined, error: () => undefined, debug: () => undefined, deprecate: () => undefined },
      ...knexSnakeCaseMappers(),
    });
    const logged: unknown[] = [];
    try {
      const token = issueToken(SECRET, { kind: 'user', id: '00000000-0000-4000-8000-000000000000' }).access_token;
      const res = await me(app({ db: unreachable, log: (error) => logged.push(error) }), token).expect(500);
      expect(problem(res)).toMatchObject({ status: 500, title: 'Internal Server Error' });
      expect(logged).toEqual([expect.objectContaining({ message: expect.stringMatching(/ECONNREFUSED/) as string })]);
    } finally {
      await unreachable.destroy();
    }
  });

  it('health and the API documentation stay public', async () => {
    await request(app()).get('/api/v1/health').expect(200);
    await request(app()).get('/api/openapi.json').expect(200);
  });
});

describe('roles are scopes', () => {
  it('admin may do everything; others only what lists their role; no list means any role', () => {
    for (const role of USER_ROLES) {
      expect(roleSatisfies(role, [])).toBe(true);
      expect(roleSatisfies(role, [role])).toBe(true);
      expect(roleSatisfies(role, ['admin'])).toBe(role === 'admin');
      expect(roleSatisfies(role, ['traffic', 'programming'])).toBe(['admin', 'traffic', 'programming'].includes(role));
    }
  });

  const at = (roles: Record<string, UserRole[]>, owner = false) => ({ owner, stations: new Map(Object.entries(roles).map(([id, r]) => [id, new Set(r)])) });

  it('a role counts only at its station; owners may do everything; only owners do the owner\'s business', () => {
    const dana = at({ A: ['traffic'], B: ['viewer'] });
    expect(mayCall(dana, ['traffic'], 'A')).toBe(true);
    expect(mayCall(dana, ['traffic'], 'B')).toBe(false);
    expect(mayCall(dana, [], 'C')).toBe(false);
    expect(mayCall(dana, [], null)).toBe(true);
    expect(mayCall(dana, ['owner'], null)).toBe(false);
    const stationAdmin = at({ A: ['admin'] });
    expect(mayCall(stationAdmin, ['programming'], 'A')).toBe(true);
    expect(mayCall(stationAdmin, ['owner'], null)).toBe(false);
    expect(mayCall(stationAdmin, ['admin'], null)).toBe(true);
    expect(mayCall(at({}, true), ['owner'], null)).toBe(true);
    expect(mayCall(at({}, true), ['voice'], 'Z')).toBe(true);
    expect(rolesAt(dana, 'A')).toEqual(['traffic']);
    expect(decidingRole(at({ A: ['voice', 'traffic'] }), 'A')).toBe('traffic');
    expect(decidingRole(at({}, true), 'A')).toBe('admin');
  });

  it('the validator\'s security handlers refuse anything the access gate did not pass', async () => {
    const { librelog, bearerAuth } = securityHandlers();
    await expect(librelog!({} as Request, ['traffic'], { type: 'oauth2', flows: {} }) as Promise<boolean>).rejects.toMatchObject({ status: 500 });
    const passed = { user: { id: 'x', kind: 'user', name: 'x', owner: false, stations: new Map() } } as unknown as Request;
    await expect(bearerAuth!(passed, [], { type: 'http', scheme: 'bearer' })).resolves.toBe(true);
  });

  it('the spec declares health and token public, GET /me open to every role, and nothing that bypasses a role list', () => {
    const spec = loadApiSpec() as unknown as Parameters<typeof operationAccess>[0];
    expect(securityDeclarationErrors(spec)).toEqual([]);
    const access = Object.fromEntries(operationAccess(spec).map((op) => [`${op.method} ${op.path}`, op]));
    expect(access['get /health']).toMatchObject({ public: true });
    expect(access['post /auth/token']).toMatchObject({ public: true });
    expect(access['get /me']).toMatchObject({ public: false, roles: [...USER_ROLES] });
    for (const op of operationAccess(spec)) if (!op.public && !op.ownerOnly) expect(op.roles).toContain('admin');
    // People, API clients and new stations are the owners' alone.
    for (const key of ['get /users', 'post /users', 'patch /users/{userId}', 'get /api-clients', 'post /api-clients', 'patch /api-clients/{clientId}', 'post /stations']) {
      expect(access[key], key).toMatchObject({ ownerOnly: true, roles: [] });
    }
  });

  it('a spec that lists a role that does not exist, or an alternative without roles, is refused', () => {
    const spec = {
      paths: {
        '/campaigns': { post: { security: [{ librelog: ['trafic'] }] } },
        '/logs': { post: { security: [{ librelog: ['admin'] }, { bearerAuth: [] }] } },
      },
    };
    expect(securityDeclarationErrors(spec)).toEqual([
      'POST /campaigns: trafic is not a role',
      'POST /logs: a role-restricted operation must list only librelog requirements with roles',
    ]);
    expect(operationAccess({ paths: { '/campaigns': { post: { security: [{ librelog: ['traffic'] }] } } } })[0]!.roles).toEqual(['admin', 'traffic']);
  });
});

describe('the sign-in backoff', () => {
  it('is free for the first failures, then doubles with each one, up to a bound', () => {
    const rule = { free: 5, baseSeconds: 1, maxSeconds: 900, forgetAfterSeconds: 3600 };
    expect([0, 5, 6, 7, 8, 15, 16, 100].map((n) => backoffMs(rule, n))).toEqual([0, 0, 1_000, 2_000, 4_000, 512_000, 900_000, 900_000]);
  });

  it('keys IPv4 addresses as they are and IPv6 addresses by their /64', () => {
    expect(addressKey('::ffff:203.0.113.7')).toBe('203.0.113.7');
    expect(addressKey('203.0.113.7')).toBe('203.0.113.7');
    expect(addressKey('2001:db8:0:1:aaaa::1')).toBe('2001:db8:0:1::/64');
    expect(addressKey('2001:0db8:0000:0001:ffff:ffff:ffff:ffff')).toBe('2001:db8:0:1::/64');
    expect(addressKey('2001:db8::1')).toBe('2001:db8:0:0::/64');
    expect(addressKey(undefined)).toBe('unknown');
  });
});

describe('refresh tokens', () => {
  it('give a person a new access token, rotate on every use, and end the sign-in when one is reused', async () => {
    const { createApp } = await import('../../api/app.js');
    const { hashPassword } = await import('../../api/auth/passwords.js');
    const { default: request } = await import('supertest');
    const app = createApp({ db: db, temporal: { namespace: 'default', check: () => Promise.resolve() }, jwtSecret: 'refresh-secret', log: () => undefined });
    const [user] = (await db('users').insert({ email: 'shift@kqtr.example', name: 'Shift', passwordHash: await hashPassword('a long enough password') }).returning('id')) as { id: string }[];
    const token = (body: Record<string, string>) => request(app).post('/api/v1/auth/token').type('form').send(body);

    const signedIn = await token({ grant_type: 'password', username: 'shift@kqtr.example', password: 'a long enough password' }).expect(200);
    const first = (signedIn.body as { refresh_token: string }).refresh_token;
    expect(first).toMatch(/^[\w-]{40,}$/);
    const refreshed = await token({ grant_type: 'refresh_token', refresh_token: first }).expect(200);
    const body = refreshed.body as { access_token: string; refresh_token: string; scope: string };
    expect(body.scope).toBe('member');
    expect(body.refresh_token).not.toBe(first);
    await request(app).get('/api/v1/me').set('Authorization', `Bearer ${body.access_token}`).expect(200);

    // The first one again, at once: a browser's parallel requests, still fine. Later: leaked —
    // it is refused and so is every token rotated from it.
    await token({ grant_type: 'refresh_token', refresh_token: first }).expect(200);
    await db('refresh_tokens').whereNotNull('replacedAt').update({ replacedAt: new Date(Date.now() - 60_000) });
    const reused = await token({ grant_type: 'refresh_token', refresh_token: first }).expect(400);
    expect(reused.body).toMatchObject({ error: 'invalid_grant', detail: expect.stringContaining('already used') as string });
    await token({ grant_type: 'refresh_token', refresh_token: body.refresh_token }).expect(400);

    // A disabled account cannot refresh either.
    const again = ((await token({ grant_type: 'password', username: 'shift@kqtr.example', password: 'a long enough password' }).expect(200)).body as { refresh_token: string }).refresh_token;
    await db('users').where({ id: user!.id }).update({ disabled: true });
    await token({ grant_type: 'refresh_token', refresh_token: again }).expect(400);
    await token({ grant_type: 'refresh_token' }).expect(400);
    await token({ grant_type: 'refresh_token', refresh_token: 'made-up' }).expect(400);
  });
});
