// Every operation of the API × every role × two stations, and the ways a token can be wrong.
// A member of station A in each role gets exactly what the OpenAPI document lists for that role
// at A, and 404 on every operation of station B (B is not there for them); only owners manage
// stations, people and API clients — a station's admin or an admin API client bound to a station
// never does. Public operations answer anyone; protected ones 401 without a valid token.
import jwt from 'jsonwebtoken';
import request from 'supertest';
import { beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../api/app.js';
import { createApiClient } from '../../api/auth/api-clients.js';
import { operationAccess } from '../../api/auth/operations.js';
import { issueToken, TOKEN_AUDIENCE, TOKEN_ISSUER } from '../../api/auth/tokens.js';
import { loadApiSpec } from '../../api/spec.js';
import { importStationBundle } from '../../db/bundle-import.js';
import { USER_ROLES, type UserRole } from '../../domain/vocabulary.js';
import { smallStationBundle } from '../fixtures/bundles.js';
import { useTestDatabase } from '../support/db.js';
import { makePerson } from '../support/people.js';

const SECRET = 'matrix-secret';
const db = useTestDatabase({ truncateBeforeEach: false });
const operations = operationAccess(loadApiSpec() as unknown as Parameters<typeof operationAccess>[0]);
/** Members of station A (kqtr), one per role. */
const tokens = {} as Record<UserRole, string>;
let ownerToken: string;
/** An API client bound to station A with its admin role. */
let boundAdminClient: string;
let app: ReturnType<typeof createApp>;

// Parameters that exist where it matters (the station) and do not elsewhere (ids): allowed
// calls then end in 2xx, 400, 404, 409 or 503 — never 401 or 403.
const PARAMS: Record<string, string> = {
  station: 'kqtr',
  date: '2031-01-06',
  trackId: '00000000-0000-4000-8000-000000000000',
  clockId: '00000000-0000-4000-8000-000000000000',
  ruleSetId: '00000000-0000-4000-8000-000000000000',
  daypartId: '00000000-0000-4000-8000-000000000000',
  categoryId: '00000000-0000-4000-8000-000000000000',
  advertiserId: '00000000-0000-4000-8000-000000000000',
  campaignId: '00000000-0000-4000-8000-000000000000',
  voiceTrackId: '00000000-0000-4000-8000-000000000000',
  userId: '00000000-0000-4000-8000-000000000000',
  clientId: '00000000-0000-4000-8000-000000000000',
};
const QUERY: Record<string, string> = { '/stations/{station}/logs': '?from=2031-01-01&to=2031-01-02' };
const urlOf = (path: string, station = 'kqtr') =>
  `/api/v1${path.replace(/\{(\w+)\}/g, (_, name: string) => (name === 'station' ? station : (PARAMS[name] ?? 'x')))}${QUERY[path] ?? ''}`;

function call(method: string, path: string, authorization?: string, station?: string) {
  const agent = request(app);
  const req = (agent as unknown as Record<string, (url: string) => request.Test>)[method]!(urlOf(path, station));
  if (authorization) req.set('Authorization', authorization);
  return ['post', 'put', 'patch'].includes(method) ? req.send({}) : req;
}

beforeAll(async () => {
  await importStationBundle(db, smallStationBundle());
  // Station B: its members are not A's.
  await importStationBundle(db, { ...smallStationBundle(), station: { ...smallStationBundle().station, slug: 'kbbb', name: 'Station B' } });
  // Publishing and campaign changes stay with admins here (the station does not grant traffic).
  for (const role of USER_ROLES) tokens[role] = (await makePerson(db, SECRET, role, { stations: ['kqtr'], email: `${role}@matrix.example` })).authorization;
  ownerToken = (await makePerson(db, SECRET, 'admin', { email: 'owner@matrix.example' })).authorization;
  const client = await createApiClient(db, { name: 'Bound admin' });
  const kqtr = (await db('stations').where({ slug: 'kqtr' }).first('id')) as { id: string };
  await db('station_memberships').insert({ apiClientId: client.id, stationId: kqtr.id, role: 'admin' });
  boundAdminClient = `Bearer ${issueToken(SECRET, { kind: 'api_client', clientId: client.clientId }).access_token}`;
  app = createApp({ db, temporal: { namespace: 'default', check: () => Promise.resolve() }, jwtSecret: SECRET, log: () => undefined });
});

const protectedOps = operations.filter((op) => !op.public);
const publicOps = operations.filter((op) => op.public);

describe('the authorization matrix', () => {
  it('covers every operation of the document', () => {
    expect(operations.length).toBeGreaterThan(30);
    expect(publicOps.map((op) => op.path).sort()).toEqual(['/auth/token', '/health']);
  });

  describe.each(protectedOps.map((op) => [`${op.method.toUpperCase()} ${op.path}`, op] as const))('%s', (_name, op) => {
    it.each(USER_ROLES.map((role) => [role, !op.ownerOnly && op.roles.includes(role)] as const))('as a %s of the station: allowed = %s', async (role, allowed) => {
      const res = await call(op.method, op.path, tokens[role]);
      if (allowed) {
        expect([401, 403], `${res.status} ${JSON.stringify(res.body)}`).not.toContain(res.status);
        // The operation has a route: the router's own 404 would mean the spec and the code disagree on its path.
        expect((res.body as { detail?: string }).detail ?? '').not.toMatch(/^Nothing at /);
      } else expect(res.status, JSON.stringify(res.body)).toBe(403);
    });

    if (op.stationScoped) {
      it.each(USER_ROLES)('as a %s of station A, on station B: 404, as if B did not exist', async (role) => {
        const res = await call(op.method, op.path, tokens[role], 'kbbb');
        expect(res.status, JSON.stringify(res.body)).toBe(404);
        expect(res.body).toMatchObject({ detail: 'No station "kbbb"' });
      });
    }

    it('as the owner: allowed', async () => {
      const res = await call(op.method, op.path, ownerToken, 'kbbb');
      expect([401, 403], `${res.status} ${JSON.stringify(res.body)}`).not.toContain(res.status);
    });

    it('as an admin API client bound to station A: what a station admin may, never the owners\' business', async () => {
      const res = await call(op.method, op.path, boundAdminClient);
      if (op.ownerOnly) expect(res.status).toBe(403);
      else expect([401, 403], `${res.status} ${JSON.stringify(res.body)}`).not.toContain(res.status);
      if (op.stationScoped) expect((await call(op.method, op.path, boundAdminClient, 'kbbb')).status).toBe(404);
    });

    it('refuses no token, an expired one, a tampered one, alg none and a foreign signature with 401', async () => {
      const now = Math.floor(Date.now() / 1000);
      const claims = { sub: 'x', role: 'admin', kind: 'user', iss: TOKEN_ISSUER, aud: TOKEN_AUDIENCE };
      const valid = tokens.admin.slice('Bearer '.length);
      const [head, body, signature] = valid.split('.');
      const tampered = `${head}.${Buffer.from(JSON.stringify({ ...(JSON.parse(Buffer.from(body!, 'base64url').toString()) as object), role: 'admin', sub: 'someone-else' })).toString('base64url')}.${signature}`;
      const unsigned = `${Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url')}.${Buffer.from(JSON.stringify({ ...claims, exp: now + 600 })).toString('base64url')}.`;
      const variants = [
        undefined,
        `Bearer ${jwt.sign({ ...claims, exp: now - 60 }, SECRET, { algorithm: 'HS256' })}`,
        `Bearer ${tampered}`,
        `Bearer ${unsigned}`,
        `Bearer ${jwt.sign({ ...claims, exp: now + 600 }, 'another-secret', { algorithm: 'HS256' })}`,
      ];
      for (const authorization of variants) {
        const res = await call(op.method, op.path, authorization);
        expect(res.status, `${authorization ?? 'no token'}`).toBe(401);
        expect(res.headers['www-authenticate']).toMatch(/^Bearer/);
      }
    });
  });

  it.each(publicOps.map((op) => [`${op.method.toUpperCase()} ${op.path}`, op] as const))('%s answers without a token', async (_name, op) => {
    const res = await call(op.method, op.path);
    expect([401, 403]).not.toContain(res.status);
  });
});
