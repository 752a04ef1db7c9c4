// LibreLog's access tokens: short-lived HS256 JWTs signed with LIBRELOG_JWT_SECRET.
// Issued by POST /auth/token (and by the web app and tests through issueToken), verified by
// passport-jwt in ./authenticate.ts with the same constants.
import jwt from 'jsonwebtoken';
import { createSecretKey, randomUUID, type KeyObject } from 'node:crypto';
import type { PrincipalKind } from './principal.js';

export const TOKEN_ISSUER = 'librelog';
export const TOKEN_AUDIENCE = 'librelog-api';
export const TOKEN_ALGORITHM = 'HS256';
export const TOKEN_TTL_SECONDS = 15 * 60;
/** Clock skew accepted between the servers that issue and verify tokens. */
export const TOKEN_CLOCK_TOLERANCE_SECONDS = 5;

/** The claims LibreLog puts in every token besides iss, aud, iat and exp. */
export interface TokenClaims {
  /** The user's id, or `client:<client_id>` for an API client. */
  sub: string;
  kind: PrincipalKind;
  jti: string;
}

/**
 * Whom a token is for. What they may do is not in the token: roles are per station and read
 * from the database on every request, so a change applies at once. `owner` only shapes the
 * response's informational `scope`.
 */
export type TokenSubject = { kind: 'user'; id: string; owner?: boolean } | { kind: 'api_client'; clientId: string; owner?: boolean };

/** The body of a successful token response (RFC 6749 §5.1). */
export interface TokenResponse {
  access_token: string;
  token_type: 'Bearer';
  expires_in: number;
  /** `owner` for the install's owners, `member` for everyone else (roles are per station: see GET /me). */
  scope: 'owner' | 'member';
  /** People only (password and refresh_token grants): exchange it for a new access token. */
  refresh_token?: string;
}

export const CLIENT_SUBJECT_PREFIX = 'client:';

export function subjectOf(subject: TokenSubject): string {
  return subject.kind === 'user' ? subject.id : `${CLIENT_SUBJECT_PREFIX}${subject.clientId}`;
}

/**
 * Signs an access token for a user or an API client. `now` backdates it (tests of expiry);
 * a token never lives longer than TOKEN_TTL_SECONDS.
 */
export function issueToken(secret: string, subject: TokenSubject, options: { now?: Date } = {}): TokenResponse {
  if (!secret) throw new Error('issueToken needs the JWT secret (LIBRELOG_JWT_SECRET)');
  const iat = Math.floor((options.now?.getTime() ?? Date.now()) / 1000);
  const payload = { kind: subject.kind, iat };
  const accessToken = jwt.sign(payload, signingKey(secret), {
    algorithm: TOKEN_ALGORITHM,
    expiresIn: TOKEN_TTL_SECONDS,
    issuer: TOKEN_ISSUER,
    audience: TOKEN_AUDIENCE,
    subject: subjectOf(subject),
    jwtid: randomUUID(),
  });
  return { access_token: accessToken, token_type: 'Bearer', expires_in: TOKEN_TTL_SECONDS, scope: subject.owner ? 'owner' : 'member' };
}

/**
 * The secret as a KeyObject, made once per secret: given a string, jsonwebtoken first tries to
 * read it as a PEM public key on every call, and that failed attempt was a quarter of the CPU
 * time of a cached GET.
 */
const secretKeys = new Map<string, KeyObject>();
export function signingKey(secret: string): KeyObject {
  let key = secretKeys.get(secret);
  if (!key) secretKeys.set(secret, (key = createSecretKey(Buffer.from(secret, 'utf8'))));
  return key;
}

/** The options every verification uses: the algorithm is pinned, expiry and age are enforced. */
export const TOKEN_VERIFY_OPTIONS = {
  algorithms: [TOKEN_ALGORITHM],
  issuer: TOKEN_ISSUER,
  audience: TOKEN_AUDIENCE,
  clockTolerance: TOKEN_CLOCK_TOLERANCE_SECONDS,
  // Refuses a token whose iat is too old even if someone signed it with a longer exp.
  maxAge: TOKEN_TTL_SECONDS + TOKEN_CLOCK_TOLERANCE_SECONDS,
} satisfies jwt.VerifyOptions;

/** The LibreLog claims of a verified payload, or undefined when they are missing or malformed. */
export function tokenClaims(payload: unknown): TokenClaims | undefined {
  if (typeof payload !== 'object' || payload === null) return undefined;
  const { sub, kind, jti, exp } = payload as Record<string, unknown>;
  if (typeof sub !== 'string' || typeof jti !== 'string' || !jti || typeof exp !== 'number') return undefined;
  if (kind === 'user' && UUID.test(sub)) return { sub, kind, jti };
  if (kind === 'api_client' && sub.startsWith(CLIENT_SUBJECT_PREFIX) && sub.length > CLIENT_SUBJECT_PREFIX.length) return { sub, kind, jti };
  return undefined;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
