// The web app talks to LibreLog through its API, server side, with the signed-in person's
// token: the API decides what each role may do, and the web app shows its answers.
import { redirect } from '@remix-run/node';
import { loadConfig } from '../../../config/env.js';
import { requireSignedIn } from './session.server.js';

export interface ApiProblem {
  status: number;
  title: string;
  detail?: string;
  /** `exceptionId`: the log exception an approval did not acknowledge (or acknowledged wrongly). */
  errors?: { path: string; message: string; exceptionId?: string }[];
}

/** The API refused: its problem, to show next to the form or as the page's error. */
export class ApiError extends Error {
  constructor(readonly problem: ApiProblem) {
    super(problem.detail ?? problem.title);
    this.name = 'ApiError';
  }
}

export const apiBase = () => `${loadConfig().apiUrl}/api/v1`;

/** Calls the API as the signed-in person; a token the API no longer takes sends them to sign in. */
export async function api<T>(request: Request, path: string, init: { method?: string; body?: unknown; headers?: Record<string, string> } = {}): Promise<T> {
  const me = await requireSignedIn(request);
  const response = await fetch(`${apiBase()}${path}`, {
    method: init.method ?? 'GET',
    headers: {
      Authorization: `Bearer ${me.accessToken}`,
      Accept: 'application/json',
      ...(init.body !== undefined && { 'Content-Type': 'application/json' }),
      ...init.headers,
    },
    ...(init.body !== undefined && { body: JSON.stringify(init.body) }),
  });
  if (response.status === 401) {
    const url = new URL(request.url);
    throw redirect(`/sign-in?expired=1&next=${encodeURIComponent(url.pathname + url.search)}`);
  }
  const body = (await response.json().catch(() => ({}))) as unknown;
  if (!response.ok) {
    const problem: ApiProblem = { status: response.status, title: response.statusText, ...(body as Partial<ApiProblem>) };
    // A page that cannot be shown (no such day, not for this role) is the page's error, in the API's words.
    if ((init.method ?? 'GET') === 'GET' && (response.status === 403 || response.status === 404)) {
      throw new Response(problem.detail ?? problem.title, { status: response.status, statusText: problem.title });
    }
    throw new ApiError(problem);
  }
  return body as T;
}

/** Sends a file as it is (an as-run export) to the API as the signed-in person. */
export async function apiSendFile<T>(request: Request, path: string, text: string, contentType: string): Promise<T> {
  const me = await requireSignedIn(request);
  const response = await fetch(`${apiBase()}${path}`, { method: 'POST', headers: { Authorization: `Bearer ${me.accessToken}`, Accept: 'application/json', 'Content-Type': contentType }, body: text });
  const parsed = (await response.json().catch(() => ({}))) as unknown;
  if (!response.ok) throw new ApiError({ status: response.status, title: response.statusText, ...(parsed as Partial<ApiProblem>) });
  return parsed as T;
}

/** Sends a multipart form (an audio upload) to the API as the signed-in person. */
export async function apiUpload<T>(request: Request, path: string, method: 'POST' | 'PUT', body: FormData): Promise<T> {
  const me = await requireSignedIn(request);
  const response = await fetch(`${apiBase()}${path}`, { method, headers: { Authorization: `Bearer ${me.accessToken}`, Accept: 'application/json' }, body });
  const parsed = (await response.json().catch(() => ({}))) as unknown;
  if (!response.ok) throw new ApiError({ status: response.status, title: response.statusText, ...(parsed as Partial<ApiProblem>) });
  return parsed as T;
}

/** Passes a file from the API through (audio to listen to), as the signed-in person. */
export async function apiPassThrough(request: Request, path: string): Promise<Response> {
  const me = await requireSignedIn(request);
  const range = request.headers.get('Range');
  const response = await fetch(`${apiBase()}${path}`, { headers: { Authorization: `Bearer ${me.accessToken}`, ...(range && { Range: range }) } });
  const headers = new Headers();
  for (const name of ['Content-Type', 'Content-Length', 'Content-Range', 'Accept-Ranges', 'Content-Disposition']) {
    const value = response.headers.get(name);
    if (value) headers.set(name, value);
  }
  headers.set('Cache-Control', 'private, no-store');
  return new Response(response.body, { status: response.status, headers });
}

/**
 * Signs in with the API's password grant: the tokens and who they are for, or the API's refusal
 * in words. `clientAddress` is the browser's: the API counts failed sign-ins per address, and
 * believes it from the web server when LIBRELOG_TRUSTED_PROXIES lists it.
 */
export async function signIn(
  email: string,
  password: string,
  clientAddress?: string,
): Promise<{ accessToken: string; refreshToken: string | null; expiresIn: number; me: { id: string; name: string } } | { error: string }> {
  const response = await fetch(`${apiBase()}/auth/token`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', ...(clientAddress && { 'X-Forwarded-For': clientAddress }) },
    body: new URLSearchParams({ grant_type: 'password', username: email, password }),
  });
  const body = (await response.json().catch(() => ({}))) as { access_token?: string; refresh_token?: string; expires_in?: number; detail?: string; error_description?: string };
  if (!response.ok || !body.access_token) {
    if (response.status === 429) {
      const wait = Number(response.headers.get('Retry-After') ?? 60);
      return { error: `Too many failed sign-ins; try again in ${wait < 120 ? `${wait} seconds` : `${Math.ceil(wait / 60)} minutes`}.` };
    }
    return { error: 'That email and password do not match an active account.' };
  }
  const meResponse = await fetch(`${apiBase()}/me`, { headers: { Authorization: `Bearer ${body.access_token}` } });
  const me = (await meResponse.json()) as { id: string; name: string };
  return { accessToken: body.access_token, refreshToken: body.refresh_token ?? null, expiresIn: body.expires_in ?? 900, me };
}

/** Signing out: the API ends the sign-in the refresh token came from. Best effort: the session goes either way. */
export async function revokeSignIn(accessToken: string, refreshToken: string): Promise<void> {
  await fetch(`${apiBase()}/auth/revoke`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${accessToken}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ token: refreshToken }),
  }).then(
    (response) => response.body?.cancel(),
    () => undefined,
  );
}
