// POST /auth/token, the OAuth2 token endpoint (RFC 6749 §4.3 password and §4.4 client
// credentials grants), and GET /me, the principal of the caller's token.
import { Router, type Request } from 'express';
import type { Knex } from 'knex';
import { ApiClient, User } from '../../db/models.js';
import { generateSecret, hashPassword, verifyPassword } from '../auth/passwords.js';
import { principalOf } from '../auth/principal.js';
import { tokenError, tooManyAttempts } from '../auth/problems.js';
import { FixedWindowLimiter, addressKey, type RateLimitOptions } from '../auth/rate-limit.js';
import { issueRefreshToken, rotateRefreshToken } from '../auth/refresh-tokens.js';
import { issueToken, type TokenResponse } from '../auth/tokens.js';
import type { UserRole } from '../../domain/vocabulary.js';
import { handle } from '../handle.js';

export interface AuthRouterDeps {
  db: Knex;
  jwtSecret: string;
  /** Attempts at the token endpoint per client address and per account (email or client_id). */
  tokenRateLimit?: Pick<RateLimitOptions, 'limit' | 'windowMs'>;
}

export const DEFAULT_TOKEN_RATE_LIMIT = { limit: 10, windowMs: 60_000 };

const PARAMS = ['grant_type', 'username', 'password', 'client_id', 'client_secret', 'scope', 'refresh_token'] as const;
type TokenParams = Partial<Record<(typeof PARAMS)[number], string>>;

/** The parameters LibreLog reads; empty ones count as omitted and others are ignored (RFC 6749 §3.2). */
function tokenParams(body: unknown): TokenParams {
  const params: TokenParams = {};
  if (typeof body !== 'object' || body === null) return params;
  for (const name of PARAMS) {
    const value = (body as Record<string, unknown>)[name];
    if (typeof value === 'string' && value !== '') params[name] = value;
  }
  return params;
}

type BasicCredentials = { clientId: string; clientSecret: string };

/** HTTP Basic client authentication (RFC 6749 §2.3.1: both parts form-urlencoded first). */
function basicCredentials(req: Request): BasicCredentials | 'malformed' | undefined {
  const header = req.headers.authorization;
  if (!header || !/^basic(\s|$)/i.test(header)) return undefined;
  const match = /^basic\s+([A-Za-z0-9+/]+={0,2})\s*$/i.exec(header);
  if (!match) return 'malformed';
  const decoded = Buffer.from(match[1]!, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return 'malformed';
  try {
    const part = (s: string) => decodeURIComponent(s.replace(/\+/g, ' '));
    return { clientId: part(decoded.slice(0, colon)), clientSecret: part(decoded.slice(colon + 1)) };
  } catch {
    return 'malformed';
  }
}

// Unknown emails and client ids are checked against this, so that they take as long as wrong passwords.
let dummy: Promise<string> | undefined;
const dummyHash = () => (dummy ??= hashPassword(generateSecret()));

export function createAuthRouter(deps: AuthRouterDeps): Router {
  const { db, jwtSecret } = deps;
  const limits = deps.tokenRateLimit ?? DEFAULT_TOKEN_RATE_LIMIT;
  const byAddress = new FixedWindowLimiter(limits);
  const byAccount = new FixedWindowLimiter(limits);
  void dummyHash();

  function limit(limiter: FixedWindowLimiter, key: string) {
    const decision = limiter.hit(key);
    if (!decision.allowed) throw tooManyAttempts(decision.retryAfterSeconds);
  }

  async function passwordGrant(params: TokenParams): Promise<TokenResponse> {
    const { username, password } = params;
    if (!username || !password) throw tokenError('invalid_request', 'The password grant needs username (the email address) and password.');
    limit(byAccount, `user:${username.toLowerCase()}`);
    const user = await User.query(db).whereRaw('lower(email) = lower(?)', [username]).first();
    // Always one hash check: a wrong password, an unknown email and a disabled account look alike.
    const matches = await verifyPassword(password, user?.passwordHash ?? (await dummyHash()));
    if (!user || !matches || user.disabled) throw tokenError('invalid_grant', 'The email address or password is wrong, or the account is disabled.');
    await db('users').where({ id: user.id }).update({ lastLoginAt: db.fn.now() });
    return { ...issueToken(jwtSecret, { kind: 'user', id: user.id, role: user.role }), refresh_token: await issueRefreshToken(db, user.id) };
  }

  /** RFC 6749 §6: a new access token (and a new refresh token) for a person still allowed in. */
  async function refreshTokenGrant(params: TokenParams): Promise<TokenResponse> {
    if (!params.refresh_token) throw tokenError('invalid_request', 'The refresh_token grant needs refresh_token.');
    const rotated = await rotateRefreshToken(db, params.refresh_token);
    if ('refused' in rotated) throw tokenError('invalid_grant', rotated.refused);
    const user = (await db('users').where({ id: rotated.userId }).first('id', 'role', 'disabled')) as { id: string; role: UserRole; disabled: boolean } | undefined;
    if (!user || user.disabled) throw tokenError('invalid_grant', 'The account is disabled or no longer exists.');
    return { ...issueToken(jwtSecret, { kind: 'user', id: user.id, role: user.role }), refresh_token: rotated.refreshToken };
  }

  async function clientCredentialsGrant(req: Request, params: TokenParams): Promise<TokenResponse> {
    const basic = basicCredentials(req);
    if (basic === 'malformed') throw tokenError('invalid_client', 'The Authorization header is not valid HTTP Basic client authentication.');
    if (basic && (params.client_id || params.client_secret)) {
      throw tokenError('invalid_request', 'Send the client credentials either in the Authorization header or in the body, not both.');
    }
    const credentials = basic ?? (params.client_id ? { clientId: params.client_id, clientSecret: params.client_secret ?? '' } : undefined);
    if (!credentials?.clientId || !credentials.clientSecret) {
      throw tokenError('invalid_client', 'The client_credentials grant needs client_id and client_secret (in the body or as HTTP Basic).');
    }
    limit(byAccount, `client:${credentials.clientId}`);
    const client = await ApiClient.query(db).findOne({ clientId: credentials.clientId });
    const matches = await verifyPassword(credentials.clientSecret, client?.secretHash ?? (await dummyHash()));
    if (!client || !matches || client.disabled) throw tokenError('invalid_client', 'Client authentication failed: unknown or disabled client, or wrong secret.');
    return issueToken(jwtSecret, { kind: 'api_client', clientId: client.clientId, role: client.role });
  }

  const router = Router();

  router.post(
    '/auth/token',
    handle(async (req, res) => {
      limit(byAddress, addressKey(req.ip ?? req.socket.remoteAddress));
      const params = tokenParams(req.body);
      let token: TokenResponse;
      switch (params.grant_type) {
        case undefined:
          throw tokenError('invalid_request', 'grant_type is required: password, refresh_token or client_credentials.');
        case 'password':
          token = await passwordGrant(params);
          break;
        case 'client_credentials':
          token = await clientCredentialsGrant(req, params);
          break;
        case 'refresh_token':
          limit(byAccount, `refresh:${(params.refresh_token ?? '').slice(0, 12)}`);
          token = await refreshTokenGrant(params);
          break;
        default:
          throw tokenError('unsupported_grant_type', 'LibreLog issues tokens for the password, refresh_token and client_credentials grants only.');
      }
      // RFC 6749 §5.1: responses with tokens are not to be cached.
      res.set({ 'Cache-Control': 'no-store', Pragma: 'no-cache' }).json(token);
    }),
  );

  router.get('/me', (req, res) => {
    const { id, kind, role, name, stationId } = principalOf(req);
    res.json({ id, kind, role, name, stationId });
  });

  return router;
}
