// Authentication errors are problem+json like every error of this API, plus what OAuth2 asks
// for: the `error` code in the body (RFC 6749 §5.2, RFC 6750 §3.1) and the WWW-Authenticate /
// Retry-After headers. problemHandler (../problem.ts) still writes the body; authProblems only
// adds the headers and the `error` member on the way.
import type { ErrorRequestHandler, Request, Response } from 'express';
import { Problem } from '../problem.js';

export const TOKEN_PATH = '/api/v1/auth/token';
export const REALM = 'librelog';

/** Error codes of RFC 6749 §5.2 (token endpoint) and RFC 6750 §3.1 (protected resources). */
export type OAuthErrorCode =
  | 'invalid_request'
  | 'invalid_client'
  | 'invalid_grant'
  | 'unauthorized_client'
  | 'unsupported_grant_type'
  | 'invalid_scope'
  | 'invalid_token'
  | 'insufficient_scope';

const TITLES: Record<number, string> = { 400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden', 429: 'Too Many Requests' };

export class AuthProblem extends Problem {
  constructor(
    status: number,
    detail: string,
    readonly error: OAuthErrorCode | undefined,
    readonly headers: Record<string, string> = {},
  ) {
    super(status, TITLES[status] ?? 'Bad Request', detail);
  }
}

/** A token endpoint error (RFC 6749 §5.2). invalid_client is 401 with a Basic challenge. */
export function tokenError(error: OAuthErrorCode, detail: string): AuthProblem {
  if (error === 'invalid_client') return new AuthProblem(401, detail, error, { 'WWW-Authenticate': `Basic realm="${REALM}", charset="UTF-8"` });
  return new AuthProblem(400, detail, error);
}

/**
 * A protected resource's refusal (RFC 6750 §3): 401 with a Bearer challenge — with
 * error="invalid_token" when a token was sent, without an error code when none was — or 403
 * insufficient_scope when the role is not among the operation's scopes.
 */
export function bearerError(error: 'invalid_token' | 'insufficient_scope' | undefined, detail: string, scopes: readonly string[] = []): AuthProblem {
  const params = [`realm="${REALM}"`];
  if (error) params.push(`error="${error}"`, `error_description="${detail.replace(/[^\x20\x21\x23-\x5b\x5d-\x7e]/g, '')}"`);
  if (error === 'insufficient_scope' && scopes.length) params.push(`scope="${scopes.join(' ')}"`);
  return new AuthProblem(error === 'insufficient_scope' ? 403 : 401, detail, error, { 'WWW-Authenticate': `Bearer ${params.join(', ')}` });
}

/** 429 from the sign-in guards: too many recent failures for this account, or from this address. */
export function tooManyAttempts(retryAfterSeconds: number, waiting?: 'account' | 'address'): AuthProblem {
  const what = waiting === 'account' ? ' for this account' : waiting === 'address' ? ' from your address' : '';
  return new AuthProblem(429, `Too many failed sign-ins${what}; try again in ${retryAfterSeconds} s.`, undefined, { 'Retry-After': String(retryAfterSeconds) });
}

// express-openapi-validator turns whatever a security handler throws into its own HttpError,
// keeping only status and message; the handler leaves the original here for authProblems.
const refusals = new WeakMap<Request, unknown>();

export function rememberRefusal(req: Request, error: unknown): void {
  if (!refusals.has(req)) refusals.set(req, error);
}

function statusOf(error: unknown): number | undefined {
  const status = typeof error === 'object' && error !== null ? (error as { status?: unknown }).status : undefined;
  return typeof status === 'number' ? status : undefined;
}

/** Goes right before problemHandler. */
export function authProblems(): ErrorRequestHandler {
  return (error: unknown, req, res, next) => {
    const status = statusOf(error);
    let problem: AuthProblem | undefined;
    if (error instanceof AuthProblem) {
      problem = error;
    } else if (!(error instanceof Problem) && refusals.has(req) && (statusOf(refusals.get(req)) ?? 500) === status) {
      // The security middleware's wrapper of a handler's refusal: the original it stands for
      // (a failure to check the token at all goes on as it is, to be logged as a 500).
      const original = refusals.get(req);
      if (!(original instanceof AuthProblem)) return next(original);
      problem = original;
    } else if (status === 401) {
      // The security middleware's own refusal (e.g. a Basic header sent to a Bearer-protected
      // operation) or a route's: a challenge without an error code.
      problem = bearerError(undefined, error instanceof Error ? error.message : 'This operation needs an access token.');
    } else if (status !== undefined && status >= 400 && status < 500 && status !== 429 && req.originalUrl.split('?')[0] === TOKEN_PATH) {
      // A body that does not parse or validate at the token endpoint: OAuth2 calls it invalid_request.
      addErrorMember(res, 'invalid_request');
      return next(error);
    }
    if (!problem) return next(error);
    for (const [name, value] of Object.entries(problem.headers)) res.setHeader(name, value);
    if (problem.error) addErrorMember(res, problem.error);
    next(problem);
  };
}

/** Has problemHandler's body carry the OAuth2 `error` code as well. */
function addErrorMember(res: Response, error: OAuthErrorCode) {
  const json = res.json.bind(res);
  res.json = (body: unknown) => json(typeof body === 'object' && body !== null && !Array.isArray(body) ? { ...body, error } : body);
}
