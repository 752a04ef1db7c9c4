// Signing in to the web app in route tests: the sign-in action as the browser would post it,
// and the session cookie it sets, once per person.
import * as signIn from '../../web/app/routes/sign-in.js';

/** What a loader or action answered with, thrown or returned. */
export async function responseOf(run: () => Promise<unknown>): Promise<Response> {
  try {
    const value = await run();
    if (value instanceof Response) return value;
  } catch (thrown) {
    if (thrown instanceof Response) return thrown;
    throw thrown;
  }
  throw new Error('expected a Response');
}

/** The session cookie of each person (signed in at most once: sign-ins are rate-limited). */
export function sessionCookies(web: string, password: string): (email: string) => Promise<string> {
  const cookies = new Map<string, Promise<string>>();
  return (email) => {
    if (!cookies.has(email)) {
      const request = new Request(`${web}/sign-in`, { method: 'POST', body: new URLSearchParams({ email, password, next: '/' }) });
      cookies.set(
        email,
        responseOf(() => signIn.action({ request, params: {}, context: {} })).then((r) => r.headers.get('Set-Cookie')!.split(';')[0]!),
      );
    }
    return cookies.get(email)!;
  };
}
