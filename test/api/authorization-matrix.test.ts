// Every operation of the API × every role, and the ways a token can be wrong: each gets
// exactly what the OpenAPI document says — public operations answer anyone, protected ones
// 401 without a valid token, 403 for a role they do not list, and neither for a role they do.
import jwt from 'jsonwebtoken';
import request from 'supertest';
import { beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../api/app.js';
import { hashPassword } from '../../api/auth/passwords.js';
import { operationAccess } from '../../api/auth/operations.js';
import { issueToken, TOKEN_AUDIENCE, TOKEN_ISSUER } from '../../api/auth/tokens.js';
import { loadApiSpec } from '../../api/spec.js';
import { importStationBundle } from '../../db/bundle-import.js';
import { User } from '../../db/models.js';
import { USER_ROLES, type UserRole } from '../../domain/vocabulary.js';
import { smallStationBundle } from '../fixtures/bundles.js';
import { useTestDatabase } from '../support/db.js';

const SECRET = 'matrix-secret';
const db = useTestDatabase({ truncateBeforeEach: false });
const operations = operationAccess(loadApiSpec() as unknown as Parameters<typeof operationAccess>[0]);
const tokens = {} as Record<UserRole, string>;
let app: ReturnType<typeof createApp>;

// Parameters that exist where it matters (the station) and do not elsewhere (ids): allowed
// calls then end in 2xx, 400, 404, 409 or 503 — never 401 or 403.
const PARAMS: Record<string, string> = {
  station: 'kqtr',
  date: '2031-01-06',
  trackId: '00000000-0000-4000-8000-000000000000',
  clockId: '00000000-0000-4000-8000-000000000000',
  ruleSetId: '00000000-0000-4000-8000-000000000000',
  advertiserId: '00000000-0000-4000-8000-000000000000',
  campaignId: '00000000-0000-4000-8000-000000000000',
  userId: '00000000-0000-4000-8000-000000000000',
  clientId: '00000000-0000-4000-8000-000000000000',
};
const QUERY: Record<string, string> = { '/stations/{station}/logs': '?from=2031-01-01&to=2031-01-02' };
const urlOf = (path: string) => `/api/v1${path.replace(/\{(\w+)\}/g, (_, name: string) => PARAMS[name] ?? 'x')}${QUERY[path] ?? ''}`;

function call(method: string, path: string, authorization?: string) {
  const agent = request(app);
  const req = (agent as unknown as Record<string, (url: string) => request.Test>)[method]!(urlOf(path));
  if (authorization) req.set('Authorization', authorization);
  return ['post', 'put', 'patch'].includes(method) ? req.send({}) : req;
}

beforeAll(async () => {
  await importStationBundle(db, smallStationBundle());
  // Publishing and campaign changes stay with admins here (the station does not grant traffic).
  for (const role of USER_ROLES) {
    const user = await User.query(db).insert({ email: `${role}@matrix.example`, name: role, role, passwordHash: await hashPassword('matrix-password') }).returning('*');
    tokens[role] = `Bearer ${issueToken(SECRET, { kind: 'user', id: user.id, role }).access_token}`;
  }
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
    it.each(USER_ROLES.map((role) => [role, op.roles.includes(role)] as const))('as %s: allowed = %s', async (role, allowed) => {
      const res = await call(op.method, op.path, tokens[role]);
      if (allowed) {
        expect([401, 403], `${res.status} ${JSON.stringify(res.body)}`).not.toContain(res.status);
        // The operation has a route: the router's own 404 would mean the spec and the code disagree on its path.
        expect((res.body as { detail?: string }).detail ?? '').not.toMatch(/^Nothing at /);
      } else expect(res.status).toBe(403);
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
