// Verifying access tokens: passport-jwt (no sessions) with the algorithm pinned, then one
// lookup of the user or API client so that a disabled account's tokens stop working at once.
// express-openapi-validator calls the security handlers below for every operation whose
// `security` in api/openapi.yaml names `bearerAuth` or `librelog`.
import type { Request } from 'express';
import type { SecurityHandlers } from 'express-openapi-validator/dist/framework/types.js';
import type { Knex } from 'knex';
import passport from 'passport';
import { ExtractJwt, Strategy as JwtStrategy } from 'passport-jwt';
import jwt from 'jsonwebtoken';
import { AccessCache, type AccessChanges } from '../../db/access-changes.js';
import type { UserRole } from '../../domain/vocabulary.js';
import type { Principal } from './principal.js';
import { bearerError, rememberRefusal } from './problems.js';
import { CLIENT_SUBJECT_PREFIX, signingKey, TOKEN_VERIFY_OPTIONS, tokenClaims, type TokenClaims } from './tokens.js';

/** The principal of a request's bearer token; rejects with an AuthProblem (401) otherwise. */
export type Authenticate = (req: Request) => Promise<Principal>;

const bearerToken = ExtractJwt.fromAuthHeaderAsBearerToken();

export function createAuthenticator(db: Knex, secret: string, changes?: AccessChanges): Authenticate {
  if (!secret) throw new Error('createApp needs deps.jwtSecret (LIBRELOG_JWT_SECRET)');
  // Forgotten on any change to accounts, clients or roles, by any process (db/access-changes.ts).
  const principals = new AccessCache<Principal | null>(changes);

  // One query per request: the account and every role it holds, so that a disabled account or
  // a role taken away stops working at once. Plain knex: the models add nothing here.
  async function principalFor(claims: TokenClaims): Promise<Principal | undefined> {
    const user = claims.kind === 'user';
    const table = user ? 'users' : 'api_clients';
    const row = (await db(`${table} as p`)
      .leftJoin('station_memberships as m', `m.${user ? 'user_id' : 'api_client_id'}`, 'p.id')
      .where(user ? { 'p.id': claims.sub } : { 'p.client_id': claims.sub.slice(CLIENT_SUBJECT_PREFIX.length) })
      .groupBy('p.id')
      .first(
        'p.id',
        'p.name',
        'p.owner',
        'p.disabled',
        db.raw(`coalesce(json_agg(json_build_array(m.station_id, m.role)) FILTER (WHERE m.id IS NOT NULL), '[]') AS memberships`),
      )) as { id: string; name: string; owner: boolean; disabled: boolean; memberships: [string, UserRole][] } | undefined;
    if (!row || row.disabled) return undefined;
    const stations = new Map<string, Set<UserRole>>();
    for (const [stationId, role] of row.memberships) {
      let roles = stations.get(stationId);
      if (!roles) stations.set(stationId, (roles = new Set()));
      roles.add(role);
    }
    return { id: row.id, kind: claims.kind, name: row.name, owner: row.owner, stations };
  }

  const principalOf = (claims: TokenClaims) => principals.get(`${claims.kind}:${claims.sub}`, async () => (await principalFor(claims)) ?? null);

  // Tokens passport has verified, until they expire: a client sends the same token for its
  // 15 minutes, and its signature does not change meanwhile. Who it is for is still looked up
  // on every request (principalOf), so a disabled account or a removed role counts at once.
  const verified = new Map<string, { claims: TokenClaims; expiresAt: number }>();
  const rememberVerified = (token: string, claims: TokenClaims, exp: number) => {
    if (verified.size >= 10_000) verified.clear();
    verified.set(token, { claims, expiresAt: exp * 1000 });
  };

  // An instance of its own: each app has its own secret and database.
  const authenticator = new passport.Passport();
  authenticator.use(
    'jwt',
    new JwtStrategy(
      {
        jwtFromRequest: bearerToken,
        // A KeyObject (jsonwebtoken takes one; passport-jwt's types only say string or Buffer).
        secretOrKey: signingKey(secret) as unknown as string,
        algorithms: [...TOKEN_VERIFY_OPTIONS.algorithms],
        issuer: TOKEN_VERIFY_OPTIONS.issuer,
        audience: TOKEN_VERIFY_OPTIONS.audience,
        jsonWebTokenOptions: { clockTolerance: TOKEN_VERIFY_OPTIONS.clockTolerance, maxAge: TOKEN_VERIFY_OPTIONS.maxAge },
        passReqToCallback: true,
      },
      (req: Request, payload: unknown, done: (error: unknown, user?: Principal | false, info?: unknown) => void) => {
        const claims = tokenClaims(payload);
        if (!claims) return done(null, false, 'The access token does not carry LibreLog claims.');
        rememberVerified(bearerToken(req)!, claims, (payload as { exp: number }).exp);
        principalOf(claims).then(
          (principal) => done(null, principal ?? false, ACCOUNT_GONE),
          (error: unknown) => done(error),
        );
      },
    ),
  );

  return (req) =>
    new Promise<Principal>((resolve, reject) => {
      const token = bearerToken(req);
      if (!token) {
        // No credentials at all, or another scheme: a plain challenge (RFC 6750 §3.1).
        reject(bearerError(undefined, 'This operation needs an access token: Authorization: Bearer <token> from POST /api/v1/auth/token.'));
        return;
      }
      const known = verified.get(token);
      if (known && known.expiresAt > Date.now()) {
        principalOf(known.claims).then((principal) => (principal ? resolve(principal) : reject(bearerError('invalid_token', ACCOUNT_GONE))), reject);
        return;
      }
      const middleware = authenticator.authenticate('jwt', { session: false }, (error: unknown, user: Principal | false, info: unknown) => {
        if (error) reject(error instanceof Error ? error : new Error('passport failed to check the token', { cause: error }));
        else if (!user) reject(bearerError('invalid_token', refusalDetail(info)));
        else resolve(user);
      }) as (req: Request, res: unknown, next: (error?: unknown) => void) => void;
      middleware(req, req.res, (error?: unknown) => reject(error instanceof Error ? error : new Error('passport stopped without an answer')));
    });
}

const ACCOUNT_GONE = 'The account of this access token is disabled or no longer exists.';

function refusalDetail(info: unknown): string {
  if (typeof info === 'string') return info;
  if (info instanceof jwt.TokenExpiredError) return 'The access token has expired.';
  if (info instanceof jwt.NotBeforeError) return 'The access token is not valid yet.';
  // Bad signature, wrong algorithm (alg: none included), issuer or audience, or not a JWT at all.
  return 'The access token is not valid.';
}

/**
 * express-openapi-validator's handlers for both schemes. The access gate (./gate.ts) has
 * already authenticated and authorized every protected operation before its body was read;
 * these only refuse what reached the validator without passing the gate (a route the gate
 * does not know would be a bug, not an open door).
 */
export function securityHandlers(): SecurityHandlers {
  const handler = (req: Request): Promise<boolean> => {
    if (req.user) return Promise.resolve(true);
    const error = Object.assign(new Error('This operation was not checked by the access gate.'), { status: 500 });
    rememberRefusal(req, error);
    return Promise.reject(error);
  };
  return { bearerAuth: handler, librelog: handler };
}
