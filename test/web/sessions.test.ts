// The web app's sessions and its front door, against the real API and PostgreSQL (and, for the
// headers and the Origin check, the built app served by web/server.ts): the cookie holds a
// session id and nothing the API issued; Secure comes from the configuration; `next` after
// signing in stays on this site whatever it is dressed as; signing out, a new password and a
// disabled account end the session and its refresh tokens; the browser's address reaches the
// API's sign-in guards, so one guesser does not sign everyone out; every page carries security
// headers with a script nonce; a form posted from another site is refused.
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import express from 'express';
import request from 'supertest';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startApi, type RunningApi } from '../../api/server.js';
import { importStationBundle } from '../../db/bundle-import.js';
import { getSession, requireSignedIn, safeNext, useSessionDatabase } from '../../web/app/lib/session.server.js';
import * as signIn from '../../web/app/routes/sign-in.js';
import * as signOut from '../../web/app/routes/sign-out.js';
import { sameOriginActions, startWeb, type RunningWeb } from '../../web/server.js';
import { smallStationBundle } from '../fixtures/bundles.js';
import { useTestDatabase } from '../support/db.js';
import { addPerson, makePerson } from '../support/people.js';
import { freePort } from '../support/ports.js';

const db = useTestDatabase({ truncateBeforeEach: false });
const WEB = 'http://web.test';
const JWT_SECRET = 'sessions-test-jwt-secret-0123456789abcdef';
const PASSWORD = 'sessions test password';
let api: RunningApi;
let web: RunningWeb;
let dataDir: string;
let userId: string;
const ENV = ['API_URL', 'LIBRELOG_SESSION_SECRET', 'LIBRELOG_TRUSTED_PROXIES', 'LIBRELOG_COOKIE_SECURE', 'LIBRELOG_PUBLIC_URL'] as const;
const savedEnv = Object.fromEntries(ENV.map((name) => [name, process.env[name]]));

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(os.tmpdir(), 'librelog-web-sessions-'));
  await importStationBundle(db, smallStationBundle());
  userId = (await addPerson(db, { email: 'tess@kqtr.example', name: 'Tess Traffic', role: 'traffic', password: PASSWORD })).id;
  // The API believes the web server (on loopback) about the browser's address.
  process.env.LIBRELOG_TRUSTED_PROXIES = 'loopback';
  api = await startApi({ port: await freePort(), db, temporal: { namespace: 'default', check: () => Promise.resolve() }, jwtSecret: JWT_SECRET, dataDir });
  process.env.API_URL = api.url;
  process.env.LIBRELOG_SESSION_SECRET = 'sessions-test-session-secret-0123456789';
  useSessionDatabase(db);
  web = await startWeb({ port: await freePort(), db });
});
afterAll(async () => {
  await web?.close();
  await api?.close();
  await rm(dataDir, { recursive: true, force: true });
  for (const name of ENV) {
    if (savedEnv[name] === undefined) delete process.env[name];
    else process.env[name] = savedEnv[name];
  }
});
beforeEach(async () => {
  delete process.env.LIBRELOG_COOKIE_SECURE;
  delete process.env.LIBRELOG_PUBLIC_URL;
  await db('sign_in_guards').delete();
});

const form = (fields: Record<string, string>) => new URLSearchParams(fields);
const args = (req: Request, context: { clientAddress?: string } = {}) => ({ request: req, params: {}, context });

async function responseOf(run: () => Promise<unknown>): Promise<Response> {
  try {
    const value = await run();
    if (value instanceof Response) return value;
    throw new Error(`expected a Response, got ${JSON.stringify(value)}`);
  } catch (thrown) {
    if (thrown instanceof Response) return thrown;
    throw thrown;
  }
}

/** Signs in through the sign-in page's action: the response (a redirect with the cookie). */
const signInResponse = (fields: { next?: string; password?: string; headers?: Record<string, string>; clientAddress?: string } = {}) =>
  responseOf(() =>
    signIn.action(
      args(new Request(`${WEB}/sign-in`, { method: 'POST', headers: fields.headers ?? {}, body: form({ email: 'tess@kqtr.example', password: fields.password ?? PASSWORD, next: fields.next ?? '/' }) }), {
        ...(fields.clientAddress && { clientAddress: fields.clientAddress }),
      }),
    ),
  );
const cookieOf = (response: Response) => response.headers.get('Set-Cookie')!.split(';')[0]!;
const withCookie = (cookie: string, url = `${WEB}/`) => new Request(url, { headers: { Cookie: cookie } });
const refresh = (refreshToken: string) => request(api.url).post('/api/v1/auth/token').type('form').send({ grant_type: 'refresh_token', refresh_token: refreshToken });

describe('the session cookie', () => {
  it('holds a session id and nothing the API issued; what the session holds is encrypted in PostgreSQL', async () => {
    const response = await signInResponse();
    expect(response.status).toBe(302);
    const cookie = cookieOf(response);
    const session = await getSession(withCookie(cookie));
    const refreshToken = session.get('refreshToken')!;
    const accessToken = session.get('accessToken')!;
    expect(refreshToken).toMatch(/^[\w-]{40,}$/);
    // The value as the browser keeps it: Remix's signed, base64 JSON.
    const value = decodeURIComponent(cookie.slice(cookie.indexOf('=') + 1));
    const readable = Buffer.from(value.slice(0, value.lastIndexOf('.')), 'base64').toString('utf8');
    for (const secret of [refreshToken, accessToken, 'Tess Traffic']) {
      expect(readable).not.toContain(secret);
      expect(value).not.toContain(secret);
    }
    expect(readable).toMatch(/^"[\w-]{40,}"$/);
    // In the database: found by a hash of the id, encrypted, and tied to the person.
    const rows = (await db('web_sessions').where({ userId }).select('id', 'data')) as { id: string; data: string }[];
    expect(rows.length).toBeGreaterThanOrEqual(1);
    const stored = JSON.stringify(rows);
    expect(stored).not.toContain(refreshToken);
    expect(stored).not.toContain(accessToken);
    expect(stored).not.toContain(JSON.parse(readable) as string);
  });

  it('a new sign-in gets a new session id, and the one the browser brought along ends (no session fixation)', async () => {
    const first = cookieOf(await signInResponse());
    const second = cookieOf(await signInResponse({ headers: { Cookie: first } }));
    expect(second).not.toBe(first);
    expect((await getSession(withCookie(first))).get('accessToken')).toBeUndefined();
    expect((await getSession(withCookie(second))).get('accessToken')).toBeDefined();
  });

  it('is Secure when the configuration says the install is served over HTTPS, never because a header says so', async () => {
    const proto = await signInResponse({ headers: { 'X-Forwarded-Proto': 'https' } });
    expect(proto.headers.get('Set-Cookie')).not.toMatch(/;\s*Secure/i);
    expect(proto.headers.get('Set-Cookie')).toMatch(/;\s*HttpOnly/i);
    expect(proto.headers.get('Set-Cookie')).toMatch(/;\s*SameSite=Lax/i);

    process.env.LIBRELOG_COOKIE_SECURE = 'true';
    expect((await signInResponse()).headers.get('Set-Cookie')).toMatch(/;\s*Secure/i);
    delete process.env.LIBRELOG_COOKIE_SECURE;

    process.env.LIBRELOG_PUBLIC_URL = 'https://librelog.example.org';
    expect((await signInResponse()).headers.get('Set-Cookie')).toMatch(/;\s*Secure/i);
    process.env.LIBRELOG_COOKIE_SECURE = 'false';
    expect((await signInResponse()).headers.get('Set-Cookie')).not.toMatch(/;\s*Secure/i);
  });
});

describe('where signing in leads', () => {
  const hostile = [
    '/\\evil.example',
    '/\\/evil.example',
    '\\\\evil.example',
    '//evil.example',
    '///evil.example',
    '//evil.example/stations',
    'https://evil.example',
    'http:evil.example',
    '//evil.example@web.test',
    'javascript:alert(1)',
    'evil.example',
    '/\t/evil.example',
    '/\n/evil.example',
    '/\r\n/evil.example',
    '/\u0000/evil.example',
    '/..//evil.example',
    '/.//evil.example',
    '/stations/..//evil.example',
    ' /evil.example',
  ];

  it.each(hostile)('%j from the link or the form lands on this site', (next) => {
    const isOurs = (path: string) => {
      expect(path).toMatch(/^\/(?![/\\])/);
      expect([...path].filter((c) => c === '\\' || c.charCodeAt(0) < 0x20)).toEqual([]);
      expect(new URL(path, WEB).origin).toBe(WEB);
    };
    // As a browser sends it in the address: percent-encoded.
    const loaded = signIn.loader(args(new Request(`${WEB}/sign-in?next=${encodeURIComponent(next)}`)));
    isOurs(loaded.next);
    isOurs(safeNext(next));
  });

  it('the encoded variants of the report land on a path of this site after a real sign-in', async () => {
    for (const query of ['/%5Cevil.example', '/%5C%5Cevil.example', '%2F%2Fevil.example', '/%2F/evil.example', '/%09/evil.example', '/%0A/evil.example', 'https:%2F%2Fevil.example']) {
      const { next } = signIn.loader(args(new Request(`${WEB}/sign-in?next=${query}`)));
      const response = await signInResponse({ next });
      const location = response.headers.get('Location')!;
      expect(new URL(location, WEB).origin, `${query} → ${location}`).toBe(WEB);
      expect(location).not.toMatch(/^\/[/\\]/);
      // Straight into the form as well, never through the loader.
      const direct = (await signInResponse({ next: decodeURIComponent(query) })).headers.get('Location')!;
      expect(new URL(direct, WEB).origin, `${query} (form) → ${direct}`).toBe(WEB);
    }
  });

  it('a path of this site, with its query, is kept', async () => {
    expect((await signInResponse({ next: '/stations/kqtr/logs/2026-12-24?view=hours' })).headers.get('Location')).toBe('/stations/kqtr/logs/2026-12-24?view=hours');
    expect(safeNext('/stations/kqtr/days#today')).toBe('/stations/kqtr/days#today');
  });
});

describe('ending a session', () => {
  it('signing out ends the sign-in at the API: its refresh token no longer works, and the session is gone', async () => {
    const cookie = cookieOf(await signInResponse());
    const refreshToken = (await getSession(withCookie(cookie))).get('refreshToken')!;
    const out = await signOut.action(args(new Request(`${WEB}/sign-out`, { method: 'POST', headers: { Cookie: cookie } })));
    expect(out.status).toBe(302);
    expect(out.headers.get('Location')).toBe('/sign-in');
    expect(out.headers.get('Set-Cookie')).toMatch(/Expires=Thu, 01 Jan 1970/);
    await refresh(refreshToken).expect(400);
    // The cookie, kept by someone, opens nothing any more.
    expect((await getSession(withCookie(cookie))).get('accessToken')).toBeUndefined();
    await expect(requireSignedIn(withCookie(cookie, `${WEB}/stations/kqtr/days`))).rejects.toMatchObject({ status: 302 });
  });

  it('a new password or a disabled account ends the person’s web sessions at once', async () => {
    const owner = await makePerson(db, JWT_SECRET, 'admin');
    const cookie = cookieOf(await signInResponse());
    await requireSignedIn(withCookie(cookie));
    await request(api.url).patch(`/api/v1/users/${userId}`).set('Authorization', owner.authorization).send({ password: PASSWORD }).expect(200);
    const stopped = await responseOf(() => requireSignedIn(withCookie(cookie, `${WEB}/stations/kqtr/days`)));
    expect(stopped.headers.get('Location')).toMatch(/^\/sign-in\?next=/);

    const again = cookieOf(await signInResponse());
    const refreshToken = (await getSession(withCookie(again))).get('refreshToken')!;
    await request(api.url).patch(`/api/v1/users/${userId}`).set('Authorization', owner.authorization).send({ disabled: true }).expect(200);
    expect((await getSession(withCookie(again))).get('accessToken')).toBeUndefined();
    await refresh(refreshToken).expect(400);
    await db('users').where({ id: userId }).update({ disabled: false });
  });
});

describe("the browser's address", () => {
  it('reaches the API: one person guessing does not hold back anyone else signing in through the web server', async () => {
    const said: string[] = [];
    for (let i = 0; i < 25; i++) {
      const result = await signIn.action(
        args(new Request(`${WEB}/sign-in`, { method: 'POST', body: form({ email: `guess${i}@kqtr.example`, password: 'wrong' }) }), { clientAddress: '198.51.100.7' }),
      );
      said.push((result as { error: string }).error);
    }
    // The guesser is slowed down, in words.
    expect(said).toContainEqual(expect.stringMatching(/^Too many failed sign-ins; try again in \d+ seconds\.$/));
    // Someone else, through the same web server.
    expect((await signInResponse({ clientAddress: '203.0.113.20' })).status).toBe(302);
    const keys = (await db('sign_in_guards').where('key', 'like', 'address:%').pluck('key')) as string[];
    expect(keys.sort()).toEqual(['address:198.51.100.7', 'address:203.0.113.20']);
  });
});

describe('the served app', () => {
  it('sends security headers with a fresh script nonce on every page, and the page uses it', async () => {
    const first = await fetch(`${web.url}/sign-in`);
    const second = await fetch(`${web.url}/sign-in`);
    const csp = first.headers.get('Content-Security-Policy')!;
    expect(csp).toMatch(/default-src 'self'/);
    expect(csp).toMatch(/frame-ancestors 'none'/);
    expect(csp).toMatch(/object-src 'none'/);
    expect(csp).toMatch(/form-action 'self'/);
    expect(csp).not.toMatch(/unsafe-eval|'unsafe-inline'[^;]*script/);
    const nonce = /script-src 'self' 'nonce-([^']+)'/.exec(csp)?.[1];
    expect(nonce).toBeTruthy();
    expect(second.headers.get('Content-Security-Policy')).not.toContain(nonce);
    expect(first.headers.get('X-Frame-Options')).toBe('DENY');
    expect(first.headers.get('X-Content-Type-Options')).toBe('nosniff');
    expect(first.headers.get('Referrer-Policy')).toBe('same-origin');
    expect(first.headers.get('Strict-Transport-Security')).toBeNull();
    // Every inline script Remix wrote carries the nonce.
    const html = await first.text();
    const inline = [...html.matchAll(/<script(?![^>]*\bsrc=)([^>]*)>/g)];
    expect(inline.length).toBeGreaterThan(0);
    for (const [, attributes] of inline) expect(attributes).toContain(`nonce="${nonce}"`);
    // Static files too.
    expect((await fetch(`${web.url}/favicon.svg`)).headers.get('X-Frame-Options')).toBe('DENY');
  });

  it('refuses a form posted from another site with 403, and takes this site’s own', async () => {
    const post = (headers: Record<string, string>, path = '/sign-in') =>
      fetch(`${web.url}${path}`, { method: 'POST', redirect: 'manual', headers: { 'Content-Type': 'application/x-www-form-urlencoded', ...headers }, body: form({ email: 'tess@kqtr.example', password: PASSWORD }) });
    const host = new URL(web.url).host;
    const foreign: Record<string, string>[] = [{ Origin: 'https://evil.example' }, { Origin: 'null' }, { Origin: `http://${host}.evil.example` }, { Referer: 'https://evil.example/page' }];
    for (const headers of foreign) {
      const refused = await post(headers);
      expect(refused.status, JSON.stringify(headers)).toBe(403);
    }
    const cookie = cookieOf(await signInResponse());
    // A signed-in browser's post without Origin or Referer is refused too; curl without a session is no browser.
    expect((await post({ Cookie: cookie }, '/sign-out')).status).toBe(403);
    expect((await getSession(withCookie(cookie))).get('accessToken')).toBeDefined();
    expect((await post({ Origin: web.url })).status).toBe(302);
    expect((await post({ Referer: `${web.url}/sign-in` })).status).toBe(302);
    expect((await post({ Origin: web.url, Cookie: cookie }, '/sign-out')).status).toBe(302);
  });

  it('takes forms from the public address (LIBRELOG_PUBLIC_URL) and the host a trusted proxy names', async () => {
    const app = (trust: string[]) => express().set('trust proxy', trust.length ? trust : false).use(sameOriginActions({ publicUrl: 'https://librelog.example.org' })).post('/', (_req, res) => void res.sendStatus(204));
    await request(app([])).post('/').set('Origin', 'https://librelog.example.org').expect(204);
    await request(app([])).post('/').set('Origin', 'https://other.example.org').set('Cookie', '__librelog=x').expect(403);
    // X-Forwarded-Host counts only from a proxy LibreLog is told to trust.
    await request(app([])).post('/').set('Origin', 'https://station.example').set('X-Forwarded-Host', 'station.example').expect(403);
    await request(app(['loopback'])).post('/').set('Origin', 'https://station.example').set('X-Forwarded-Host', 'station.example').expect(204);
  });
});
