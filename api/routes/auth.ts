// POST /auth/token, the OAuth2 token endpoint (RFC 6749 §4.3 password and §4.4 client
// credentials grants), POST /auth/revoke (signing out), and GET /me, the principal of the
// caller's token. Password and secret checks go through the sign-in guards (../auth/rate-limit.ts);
// sign-ins, failed ones, tokens, refreshes and revocations are written to the audit log.
import { Router, type Request } from 'express';
import type { Knex } from 'knex';
import { randomUUID } from 'node:crypto';
import { ApiClient, User } from '../../db/models.js';
import { generateSecret, hashPassword, verifyPassword } from '../auth/passwords.js';
import { principalOf } from '../auth/principal.js';
import { rolesAt } from '../auth/scopes.js';
import { recordAuditAs } from '../audit.js';
import { tokenError, tooManyAttempts } from '../auth/problems.js';
import { accountKey, addressKey, SignInGuard, type SignInGuardSettings } from '../auth/rate-limit.js';
import { issueRefreshToken, REFRESH_TTL_HOURS, revokeRefreshToken, revokeUserSessions, rotateRefreshToken } from '../auth/refresh-tokens.js';
import { issueToken, type TokenResponse } from '../auth/tokens.js';
import { handle } from '../handle.js';

export interface AuthRouterDeps {
  db: Knex;
  jwtSecret: string;
  /** The backoff of failed sign-ins per account and per client address (tests shorten it). */
  signInGuards?: Partial<SignInGuardSettings>;
}

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

let warnedUntrusted = false;

/**
 * The caller's address as LibreLog trusts it: Express's req.ip, which follows X-Forwarded-For
 * only through the proxies in LIBRELOG_TRUSTED_PROXIES (the web server is one). A forwarded
 * request from a proxy not listed counts as the proxy's own address; that is said once.
 */
function clientAddress(req: Request): string {
  const address = req.ip ?? req.socket.remoteAddress ?? 'unknown';
  const trusted = req.app.get('trust proxy fn') as ((address: string, hop: number) => boolean) | undefined;
  if (!warnedUntrusted && req.headers['x-forwarded-for'] && !trusted?.(req.socket.remoteAddress ?? '', 0)) {
    warnedUntrusted = true;
    console.warn(
      `[librelog] sign-ins arrive through ${address}, which passes on the browser's address but is not in LIBRELOG_TRUSTED_PROXIES: they all count as that one address. List the web server and your proxies there.`,
    );
  }
  return address;
}

// Unknown emails and client ids are checked against this, so that they take as long as wrong passwords.
let dummy: Promise<string> | undefined;
const dummyHash = () => (dummy ??= hashPassword(generateSecret()));

export function createAuthRouter(deps: AuthRouterDeps): Router {
  const { db, jwtSecret } = deps;
  const guard = new SignInGuard(db, deps.signInGuards && { settings: deps.signInGuards });
  void dummyHash();

  /** Checks a password or secret only when the guards let it be tried now; 429 otherwise. */
  async function guarded(req: Request, account: string, check: () => Promise<boolean>): Promise<boolean> {
    const decision = await guard.begin(account, addressKey(clientAddress(req)));
    if (!decision.allowed) throw tooManyAttempts(decision.retryAfterSeconds, decision.waiting);
    const ok = await check();
    if (ok) await decision.attempt.succeeded();
    return ok;
  }

  async function passwordGrant(req: Request, params: TokenParams): Promise<TokenResponse> {
    const { username, password } = params;
    if (!username || !password) throw tokenError('invalid_request', 'The password grant needs username (the email address) and password.');
    const user = await User.query(db).whereRaw('lower(email) = lower(?)', [username]).first();
    // Always one hash check: a wrong password, an unknown email and a disabled account look alike.
    let passwordMatches = false;
    const allowed = await guarded(req, accountKey('user', username), async () => {
      passwordMatches = await verifyPassword(password, user?.passwordHash ?? (await dummyHash()));
      return passwordMatches && !!user && !user.disabled;
    });
    if (!user || !allowed) {
      // Never the password: who was tried, from where, and why it failed (for the owners' eyes only).
      const reason = !user ? 'unknown_email' : !passwordMatches ? 'wrong_password' : 'disabled';
      await recordAuditAs(db, { actorType: 'anonymous', actorId: null }, { action: 'auth.sign_in_failed', entity: 'user', entityId: user?.id ?? null, after: { email: username.slice(0, 320), address: clientAddress(req), reason } });
      throw tokenError('invalid_grant', 'The email address or password is wrong, or the account is disabled.');
    }
    const family = randomUUID();
    const refreshToken = await db.transaction(async (trx) => {
      await trx('users').where({ id: user.id }).update({ lastLoginAt: trx.fn.now() });
      await recordAuditAs(trx, { actorType: 'user', actorId: user.id }, { action: 'auth.sign_in', entity: 'user', entityId: user.id, after: { email: user.email, address: clientAddress(req), family } });
      return issueRefreshToken(trx, user.id, { id: family, expiresAt: new Date(Date.now() + REFRESH_TTL_HOURS * 3_600_000) });
    });
    return { ...issueToken(jwtSecret, { kind: 'user', id: user.id, owner: user.owner }), refresh_token: refreshToken };
  }

  /** RFC 6749 §6: a new access token (and a new refresh token) for a person still allowed in. Not a guess: never guarded. */
  async function refreshTokenGrant(req: Request, params: TokenParams): Promise<TokenResponse> {
    if (!params.refresh_token) throw tokenError('invalid_request', 'The refresh_token grant needs refresh_token.');
    const rotated = await rotateRefreshToken(db, params.refresh_token);
    if ('refused' in rotated) throw tokenError('invalid_grant', rotated.refused);
    const user = (await db('users').where({ id: rotated.userId }).first('id', 'owner', 'disabled')) as { id: string; owner: boolean; disabled: boolean } | undefined;
    if (!user || user.disabled) throw tokenError('invalid_grant', 'The account is disabled or no longer exists.');
    await recordAuditAs(db, { actorType: 'user', actorId: user.id }, { action: 'auth.refresh', entity: 'user', entityId: user.id, after: { address: clientAddress(req), family: rotated.familyId } });
    return { ...issueToken(jwtSecret, { kind: 'user', id: user.id, owner: user.owner }), refresh_token: rotated.refreshToken };
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
    const client = await ApiClient.query(db).findOne({ clientId: credentials.clientId });
    let secretMatches = false;
    const allowed = await guarded(req, accountKey('client', credentials.clientId), async () => {
      secretMatches = await verifyPassword(credentials.clientSecret, client?.secretHash ?? (await dummyHash()));
      return secretMatches && !!client && !client.disabled;
    });
    if (!client || !allowed) {
      const reason = !client ? 'unknown_client' : !secretMatches ? 'wrong_secret' : 'disabled';
      await recordAuditAs(db, { actorType: 'anonymous', actorId: null }, { action: 'auth.token_failed', entity: 'api_client', entityId: client?.id ?? null, after: { clientId: credentials.clientId.slice(0, 200), address: clientAddress(req), reason } });
      throw tokenError('invalid_client', 'Client authentication failed: unknown or disabled client, or wrong secret.');
    }
    await recordAuditAs(db, { actorType: 'api_client', actorId: client.id }, { action: 'auth.token', entity: 'api_client', entityId: client.id, after: { clientId: client.clientId, address: clientAddress(req) } });
    return issueToken(jwtSecret, { kind: 'api_client', clientId: client.clientId, owner: client.owner });
  }

  const router = Router();

  router.post(
    '/auth/token',
    handle(async (req, res) => {
      const params = tokenParams(req.body);
      let token: TokenResponse;
      switch (params.grant_type) {
        case undefined:
          throw tokenError('invalid_request', 'grant_type is required: password, refresh_token or client_credentials.');
        case 'password':
          token = await passwordGrant(req, params);
          break;
        case 'client_credentials':
          token = await clientCredentialsGrant(req, params);
          break;
        case 'refresh_token':
          token = await refreshTokenGrant(req, params);
          break;
        default:
          throw tokenError('unsupported_grant_type', 'LibreLog issues tokens for the password, refresh_token and client_credentials grants only.');
      }
      // RFC 6749 §5.1: responses with tokens are not to be cached.
      res.set({ 'Cache-Control': 'no-store', Pragma: 'no-cache' }).json(token);
    }),
  );

  // Signing out (RFC 7009 in spirit, for the caller's own tokens): the sign-in the refresh token
  // came from ends; without one, every sign-in of the caller. Someone else's token or one that
  // is not a token changes nothing and gets the same answer.
  router.post(
    '/auth/revoke',
    handle(async (req, res) => {
      const principal = principalOf(req);
      const token = (req.body as { token?: unknown } | undefined)?.token;
      if (principal.kind === 'user') {
        const by = { actorType: principal.kind, actorId: principal.id } as const;
        if (typeof token === 'string' && token) await revokeRefreshToken(db, principal.id, token, by);
        else await db.transaction((trx) => revokeUserSessions(trx, principal.id, 'signed_out', principal));
      }
      res.status(204).end();
    }),
  );

  // Who am I, and what may I do where: the web app shows each station's pages and buttons by it.
  router.get(
    '/me',
    handle(async (req, res) => {
      const { id, kind, name, owner, stations } = principalOf(req);
      const rows = (await db('stations')
        .modify((q) => {
          if (!owner) void q.whereIn('id', [...stations.keys()]);
        })
        .orderBy('name')
        .select('id', 'slug', 'name')) as { id: string; slug: string; name: string }[];
      res.json({ id, kind, name, owner, stations: rows.map((s) => ({ ...s, roles: rolesAt({ owner, stations }, s.id) })) });
    }),
  );

  return router;
}
