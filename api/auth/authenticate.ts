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
import type { ApiClient, User } from '../../db/models.js';
import type { Principal } from './principal.js';
import { AuthProblem, bearerError, rememberRefusal } from './problems.js';
import { roleSatisfies } from './scopes.js';
import { CLIENT_SUBJECT_PREFIX, signingKey, TOKEN_VERIFY_OPTIONS, tokenClaims, type TokenClaims } from './tokens.js';

/** The principal of a request's bearer token; rejects with an AuthProblem (401) otherwise. */
export type Authenticate = (req: Request) => Promise<Principal>;

const bearerToken = ExtractJwt.fromAuthHeaderAsBearerToken();

export function createAuthenticator(db: Knex, secret: string): Authenticate {
  if (!secret) throw new Error('createApp needs deps.jwtSecret (LIBRELOG_JWT_SECRET)');

  async function principalFor(claims: TokenClaims): Promise<Principal | undefined> {
    if (claims.kind === 'user') {
      // Plain knex, not Objection: this runs on every request and the model adds nothing here.
      const user = (await db('users').where({ id: claims.sub }).first('id', 'name', 'role', 'disabled')) as Pick<User, 'id' | 'name' | 'role' | 'disabled'> | undefined;
      if (!user || user.disabled) return undefined;
      return { id: user.id, kind: 'user', role: user.role, name: user.name, stationId: null };
    }
    const clientId = claims.sub.slice(CLIENT_SUBJECT_PREFIX.length);
    const client = (await db('api_clients').where({ clientId }).first('id', 'name', 'role', 'stationId', 'disabled')) as
      | Pick<ApiClient, 'id' | 'name' | 'role' | 'stationId' | 'disabled'>
      | undefined;
    if (!client || client.disabled) return undefined;
    return { id: client.id, kind: 'api_client', role: client.role, name: client.name, stationId: client.stationId };
  }

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
      },
      (payload: unknown, done: (error: unknown, user?: Principal | false, info?: unknown) => void) => {
        const claims = tokenClaims(payload);
        if (!claims) return done(null, false, 'The access token does not carry LibreLog claims.');
        principalFor(claims).then(
          (principal) => done(null, principal ?? false, 'The account of this access token is disabled or no longer exists.'),
          (error: unknown) => done(error),
        );
      },
    ),
  );

  return (req) =>
    new Promise<Principal>((resolve, reject) => {
      if (!bearerToken(req)) {
        // No credentials at all, or another scheme: a plain challenge (RFC 6750 §3.1).
        reject(bearerError(undefined, 'This operation needs an access token: Authorization: Bearer <token> from POST /api/v1/auth/token.'));
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

function refusalDetail(info: unknown): string {
  if (typeof info === 'string') return info;
  if (info instanceof jwt.TokenExpiredError) return 'The access token has expired.';
  if (info instanceof jwt.NotBeforeError) return 'The access token is not valid yet.';
  // Bad signature, wrong algorithm (alg: none included), issuer or audience, or not a JWT at all.
  return 'The access token is not valid.';
}

/**
 * express-openapi-validator's handlers: both schemes carry the same JWT; `librelog` lists roles
 * as scopes (any one of them will do; admin always may). A request is verified once even when
 * an operation names both schemes.
 */
export function securityHandlers(authenticate: Authenticate): SecurityHandlers {
  const verified = new WeakMap<Request, Promise<Principal>>();
  const handler = async (req: Request, scopes: string[]): Promise<boolean> => {
    try {
      let principal = verified.get(req);
      if (!principal) verified.set(req, (principal = authenticate(req)));
      const { role } = await principal;
      if (!roleSatisfies(role, scopes)) {
        const allowed = ['admin', ...scopes.filter((scope) => scope !== 'admin')];
        throw bearerError('insufficient_scope', `The ${role} role may not do this; it needs one of: ${allowed.join(', ')}.`, scopes);
      }
      req.user = await principal;
      return true;
    } catch (error) {
      rememberRefusal(req, error);
      // The validator keeps only status and message: an unexpected error stays a 500.
      throw error instanceof AuthProblem ? error : Object.assign(new Error('Cannot check the access token right now.'), { status: 500 });
    }
  };
  return { bearerAuth: handler, librelog: handler };
}
