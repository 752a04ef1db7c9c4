// Who is signed in: the API's access token and the person's name and role, kept in an
// httpOnly cookie signed with LIBRELOG_SESSION_SECRET. The browser never sees the token; the
// web server sends it to the API on the person's behalf.
import { createCookieSessionStorage, redirect, type Session } from '@remix-run/node';
import { loadConfig } from '../../../config/env.js';
import type { UserRole } from '../../../domain/vocabulary.js';

export interface SignedIn {
  accessToken: string;
  /** Epoch ms. */
  expiresAt: number;
  name: string;
  email: string;
  role: UserRole;
}

interface SessionData extends SignedIn {
  station: string;
  /** Exchanged for a new access token shortly before it runs out (./session-refresh.server.ts). */
  refreshToken: string;
}

let storage: ReturnType<typeof createCookieSessionStorage<SessionData, { notice: string }>> | undefined;

function sessions() {
  if (storage) return storage;
  const { sessionSecret } = loadConfig();
  if (!sessionSecret) throw new Error('LIBRELOG_SESSION_SECRET is not set: the web app signs its session cookies with it (npm start sets one)');
  storage = createCookieSessionStorage<SessionData, { notice: string }>({
    cookie: {
      name: '__librelog',
      httpOnly: true,
      sameSite: 'lax',
      path: '/',
      secrets: [sessionSecret],
    },
  });
  return storage;
}

export const getSession = (request: Request) => sessions().getSession(request.headers.get('Cookie'));
/**
 * Whether the browser reached us over HTTPS (directly, or through a proxy that says so): then the
 * cookie is marked Secure. `npm start` on localhost and a plain-http LAN install still work.
 */
export const overHttps = (url: string, forwardedProto: string | null | undefined) => (forwardedProto ?? '').split(',')[0]!.trim() === 'https' || url.startsWith('https:');

export const commitSession = (session: Session<SessionData, { notice: string }>, options: { secure?: boolean } = {}) => sessions().commitSession(session, { secure: options.secure ?? false });
export const destroySession = (session: Session<SessionData, { notice: string }>) => sessions().destroySession(session);

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
  return { accessToken: token, expiresAt, name: session.get('name') ?? '', email: session.get('email') ?? '', role: session.get('role') ?? 'viewer', station: session.get('station') };
}
