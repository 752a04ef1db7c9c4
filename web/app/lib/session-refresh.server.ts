// Keeps a signed-in person signed in through a shift: shortly before the API token runs out,
// the web server exchanges the session's refresh token for a new one (once per request burst)
// and keeps both in the session (server side: the cookie does not change). A refused refresh
// leaves the session as it is, and the page sends the person to sign in.
import { apiBase } from './api.server.js';
import { commitSession, getSession } from './session.server.js';

const RENEW_BEFORE_MS = 60_000;
const inFlight = new Map<string, Promise<{ accessToken: string; refreshToken: string; expiresIn: number } | undefined>>();

async function exchange(refreshToken: string, clientAddress: string | undefined) {
  const response = await fetch(`${apiBase()}/auth/token`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', ...(clientAddress && { 'X-Forwarded-For': clientAddress }) },
    body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: refreshToken }),
  });
  if (!response.ok) return undefined;
  const body = (await response.json()) as { access_token: string; refresh_token: string; expires_in: number };
  return { accessToken: body.access_token, refreshToken: body.refresh_token, expiresIn: body.expires_in };
}

/**
 * The session's new Set-Cookie (and Cookie for this request), when its token was due and was
 * renewed. `clientAddress` is the browser's, passed on to the API for its audit log.
 */
export async function renewSessionIfDue(cookieHeader: string | undefined, options: { clientAddress?: string | undefined } = {}): Promise<{ setCookie: string; cookie: string } | undefined> {
  if (!cookieHeader?.includes('__librelog=')) return undefined;
  const session = await getSession(new Request('http://web.local', { headers: { Cookie: cookieHeader } }));
  const refreshToken = session.get('refreshToken');
  if (!refreshToken || (session.get('expiresAt') ?? 0) - Date.now() > RENEW_BEFORE_MS) return undefined;
  let pending = inFlight.get(refreshToken);
  if (!pending) {
    pending = exchange(refreshToken, options.clientAddress).finally(() => setTimeout(() => inFlight.delete(refreshToken), 10_000));
    inFlight.set(refreshToken, pending);
  }
  const renewed = await pending;
  if (!renewed) return undefined;
  session.set('accessToken', renewed.accessToken);
  session.set('refreshToken', renewed.refreshToken);
  session.set('expiresAt', Date.now() + (renewed.expiresIn - 30) * 1000);
  const setCookie = await commitSession(session);
  return { setCookie, cookie: setCookie.split(';')[0]! };
}
