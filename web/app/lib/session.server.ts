// Who is signed in. The browser's cookie holds only a random session id, signed with
// LIBRELOG_SESSION_SECRET; what the session holds (the API's access and refresh tokens, the
// person's name) stays in PostgreSQL (web_sessions), found by a hash of the id and encrypted
// with a key made from the id and the secret: neither a copy of the table nor the secret alone
// opens a session. The web server sends the token to the API on the person's behalf.
// Signing out deletes the row; so does a new password or a disabled account (the API's
// revokeUserSessions). The cookie is Secure when the configuration says the install is served
// over HTTPS (LIBRELOG_COOKIE_SECURE, or an https LIBRELOG_PUBLIC_URL), never by a header.
import { createCookie, createSession, createSessionStorage, redirect, type Session, type SessionStorage } from '@remix-run/node';
import type { Knex } from 'knex';
import { createCipheriv, createDecipheriv, createHash, createHmac, randomBytes } from 'node:crypto';
import { loadConfig } from '../../../config/env.js';
import { createDb } from '../../../db/knex.js';

export interface SignedIn {
  accessToken: string;
  /** Epoch ms. */
  expiresAt: number;
  name: string;
  email: string;
}

export interface SessionData extends SignedIn {
  /** users.id, so that ending all of a person's sign-ins ends their web sessions too. */
  userId: string;
  station: string;
  /** Exchanged for a new access token shortly before it runs out (./session-refresh.server.ts). */
  refreshToken: string;
}

type FlashData = { notice: string };
export type WebSession = Session<SessionData, FlashData>;

/** A session lasts as long as the API's refresh tokens: a working shift. */
export const SESSION_TTL_MS = 12 * 3_600_000;

// The web server (web/server.ts) and the Remix build each load this module: the database they
// share is kept where both find it.
const DB = Symbol.for('librelog.web-sessions.db');
type Holder = { [DB]?: { db: Knex; owned: boolean } };
const holder = globalThis as Holder;

/** The database the sessions are kept in (the web server's, or a test's). */
export function useSessionDatabase(db: Knex): void {
  holder[DB] = { db, owned: false };
}

/** Closes the pool this module opened itself (from DATABASE_URL), if it did; a database given stays its owner's. */
export async function closeSessionDatabase(): Promise<void> {
  const held = holder[DB];
  if (!held?.owned) return;
  delete holder[DB];
  await held.db.destroy();
}

function sessionDb(): Knex {
  const held = holder[DB];
  if (held) return held.db;
  const { databaseUrl } = loadConfig();
  if (!databaseUrl) throw new Error('The web app keeps its sessions in PostgreSQL: set DATABASE_URL (npm start does)');
  const db = createDb(databaseUrl, { pool: { min: 0, max: 4 }, bindModels: false });
  holder[DB] = { db, owned: true };
  return db;
}

const rowId = (id: string) => createHash('sha256').update(id).digest('hex');
const keyOf = (secret: string, id: string) => createHmac('sha256', secret).update(`librelog web session\0${id}`).digest();

function seal(secret: string, id: string, data: Partial<SessionData>): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', keyOf(secret, id), iv);
  const sealed = Buffer.concat([cipher.update(JSON.stringify(data), 'utf8'), cipher.final()]);
  return Buffer.concat([iv, cipher.getAuthTag(), sealed]).toString('base64url');
}

function open(secret: string, id: string, text: string): Partial<SessionData> | null {
  try {
    const raw = Buffer.from(text, 'base64url');
    const decipher = createDecipheriv('aes-256-gcm', keyOf(secret, id), raw.subarray(0, 12));
    decipher.setAuthTag(raw.subarray(12, 28));
    return JSON.parse(Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8')) as Partial<SessionData>;
  } catch {
    // Another secret, or not ours: no session.
    return null;
  }
}

let lastSweep = 0;

/** Sessions that ran out go, at most every ten minutes per process, as new ones are made. */
function sweepExpired(db: Knex) {
  if (Date.now() - lastSweep < 10 * 60_000) return;
  lastSweep = Date.now();
  db('web_sessions')
    .where('expiresAt', '<', new Date())
    .delete()
    .catch(() => undefined);
}

let storage: { secret: string; secure: boolean; sessions: SessionStorage<SessionData, FlashData> } | undefined;

function sessions(): SessionStorage<SessionData, FlashData> {
  const { sessionSecret, cookieSecure } = loadConfig();
  if (!sessionSecret) throw new Error('LIBRELOG_SESSION_SECRET is not set: the web app signs its session cookies with it (npm start sets one)');
  if (storage?.secret === sessionSecret && storage.secure === cookieSecure) return storage.sessions;
  const secret = sessionSecret;
  const cookie = createCookie('__librelog', { httpOnly: true, sameSite: 'lax', path: '/', secure: cookieSecure, secrets: [secret] });
  const store = createSessionStorage<SessionData, FlashData>({
    cookie,
    async createData(data, expires) {
      const id = randomBytes(32).toString('base64url');
      sweepExpired(sessionDb());
      await sessionDb()('web_sessions').insert({
        id: rowId(id),
        userId: data.userId ?? null,
        data: seal(secret, id, data),
        expiresAt: expires ?? new Date(Date.now() + SESSION_TTL_MS),
      });
      return id;
    },
    async readData(id) {
      const row = (await sessionDb()('web_sessions').where({ id: rowId(id) }).where('expiresAt', '>', new Date()).first('data')) as { data: string } | undefined;
      return row ? open(secret, id, row.data) : null;
    },
    async updateData(id, data, expires) {
      // Never brings back a session that was ended meanwhile: no row, nothing to update.
      await sessionDb()('web_sessions')
        .where({ id: rowId(id) })
        .update({ data: seal(secret, id, data), updatedAt: new Date(), ...(expires && { expiresAt: expires }) });
    },
    async deleteData(id) {
      if (id) await sessionDb()('web_sessions').where({ id: rowId(id) }).delete();
    },
  });
  storage = { secret, secure: cookieSecure, sessions: store };
  return store;
}

export const getSession = (request: Request) => sessions().getSession(request.headers.get('Cookie'));
/** A session of its own for a new sign-in: never the one the browser brought along (session fixation). */
export const newSession = (): WebSession => createSession<SessionData, FlashData>();
export const commitSession = (session: WebSession) => sessions().commitSession(session);
export const destroySession = (session: WebSession) => sessions().destroySession(session);

/** The signed-in person, or a redirect to sign in that comes back here. */
export async function requireSignedIn(request: Request): Promise<SignedIn & { station?: string }> {
  const session = await getSession(request);
  const token = session.get('accessToken');
  const expiresAt = session.get('expiresAt') ?? 0;
  if (!token || expiresAt <= Date.now()) {
    const url = new URL(request.url);
    const next = `${url.pathname}${url.search}`;
    throw redirect(`/sign-in?next=${encodeURIComponent(next)}${token ? '&expired=1' : ''}`);
  }
  return { accessToken: token, expiresAt, name: session.get('name') ?? '', email: session.get('email') ?? '', station: session.get('station') };
}

/**
 * Where to go after signing in: a path on this site only. Anything that a browser could read
 * as another site — `//host`, `/\host`, a scheme, control characters, or a path that becomes
 * one of those once resolved — is replaced by `/`.
 */
export function safeNext(next: string | null | undefined): string {
  if (!next || !next.startsWith('/') || next.startsWith('//')) return '/';
  // Browsers read a backslash as a slash and drop tabs and newlines before resolving.
  if ([...next].some((c) => c === '\\' || c.charCodeAt(0) < 0x20 || c.charCodeAt(0) === 0x7f)) return '/';
  const base = 'http://librelog.invalid';
  let url: URL;
  try {
    url = new URL(next, base);
  } catch {
    return '/';
  }
  const path = `${url.pathname}${url.search}${url.hash}`;
  return url.origin === base && path.startsWith('/') && !path.startsWith('//') ? path : '/';
}
