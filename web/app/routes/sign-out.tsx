// Signing out ends the sign-in at the API (its refresh tokens stop working) and the session here.
import type { ActionFunctionArgs } from '@remix-run/node';
import { redirect } from '@remix-run/node';
import { revokeSignIn } from '../lib/api.server.js';
import { destroySession, getSession } from '../lib/session.server.js';

export async function action({ request }: ActionFunctionArgs) {
  const session = await getSession(request);
  const accessToken = session.get('accessToken');
  const refreshToken = session.get('refreshToken');
  if (accessToken && refreshToken) await revokeSignIn(accessToken, refreshToken);
  return redirect('/sign-in', { headers: { 'Set-Cookie': await destroySession(session) } });
}

export const loader = () => redirect('/');
