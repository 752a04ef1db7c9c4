import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { redirect } from '@remix-run/node';
import { Form, useActionData, useLoaderData, useNavigation } from '@remix-run/react';
import { signIn } from '../lib/api.server.js';
import { text } from '../lib/forms.js';
import { commitSession, destroySession, getSession, newSession, safeNext } from '../lib/session.server.js';

export const meta: MetaFunction = () => [{ title: 'Sign in · LibreLog' }];

export function loader({ request }: LoaderFunctionArgs) {
  const url = new URL(request.url);
  return { expired: url.searchParams.get('expired') === '1', next: safeNext(url.searchParams.get('next')) };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const form = await request.formData();
  const email = text(form, 'email').trim();
  const password = text(form, 'password');
  const next = safeNext(text(form, 'next') || '/');
  const fields: { email?: string; password?: string } = {};
  if (!email) fields.email = 'Enter your email address.';
  if (!password) fields.password = 'Enter your password.';
  if (fields.email || fields.password) return { fields, error: null, email };
  // The browser's address (web/server.ts puts it in the context): the API counts failures per address.
  const result = await signIn(email, password, context?.clientAddress);
  if ('error' in result) return { fields: fields, error: result.error, email };
  // A new session for a new sign-in; whatever session the browser brought along ends.
  const previous = await getSession(request);
  if (previous.id) await destroySession(previous);
  const session = newSession();
  session.set('userId', result.me.id);
  session.set('accessToken', result.accessToken);
  if (result.refreshToken) session.set('refreshToken', result.refreshToken);
  // A little before the token itself, so no request goes out with a token about to lapse.
  session.set('expiresAt', Date.now() + (result.expiresIn - 30) * 1000);
  session.set('name', result.me.name);
  session.set('email', email);
  return redirect(next, { headers: { 'Set-Cookie': await commitSession(session) } });
}

export default function SignIn() {
  const { expired, next } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const busy = useNavigation().state !== 'idle';
  return (
    <section className="sign-in" aria-labelledby="sign-in-title">
      <h1 id="sign-in-title">Sign in</h1>
      {expired ? <p className="notice">Your session has ended; sign in again to carry on.</p> : null}
      <Form method="post" noValidate>
        <input type="hidden" name="next" value={next} />
        <div className="field">
          <label htmlFor="email">Email</label>
          <input id="email" name="email" type="email" autoComplete="username" defaultValue={result?.email ?? ''} aria-invalid={Boolean(result?.fields.email)} aria-describedby={result?.fields.email ? 'email-error' : undefined} />
          {result?.fields.email ? <p id="email-error" className="field-error">{result.fields.email}</p> : null}
        </div>
        <div className="field">
          <label htmlFor="password">Password</label>
          <input id="password" name="password" type="password" autoComplete="current-password" aria-invalid={Boolean(result?.fields.password)} aria-describedby={result?.fields.password ? 'password-error' : undefined} />
          {result?.fields.password ? <p id="password-error" className="field-error">{result.fields.password}</p> : null}
        </div>
        {result?.error ? (
          <p className="problem" role="alert">
            {result.error}
          </p>
        ) : null}
        <button type="submit" disabled={busy}>
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
      </Form>
    </section>
  );
}
