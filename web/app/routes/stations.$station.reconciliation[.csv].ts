// The reconciliation report as CSV, for the page's download links: the API's file passed
// through as the signed-in person (`?date=` a day; `?from=&to=[&rows=campaigns]` a period).
import type { LoaderFunctionArgs } from '@remix-run/node';
import { redirect } from '@remix-run/node';
import { apiBase } from '../lib/api.server.js';
import { requireSignedIn } from '../lib/session.server.js';

export async function loader({ request, params }: LoaderFunctionArgs): Promise<Response> {
  const me = await requireSignedIn(request);
  const url = new URL(request.url);
  const slug = encodeURIComponent(String(params.station));
  const date = url.searchParams.get('date');
  const query = new URLSearchParams();
  for (const name of ['from', 'to', 'rows']) {
    const value = url.searchParams.get(name);
    if (value) query.set(name, value);
  }
  const path = date ? `/stations/${slug}/logs/${encodeURIComponent(date)}/reconciliation` : `/stations/${slug}/reconciliation?${query.toString()}`;
  const response = await fetch(`${apiBase()}${path}`, { headers: { Authorization: `Bearer ${me.accessToken}`, Accept: 'text/csv' } });
  if (response.status === 401) throw redirect(`/sign-in?expired=1&next=${encodeURIComponent(`/stations/${slug}/reconciliation`)}`);
  if (!response.ok) {
    const problem = (await response.json().catch(() => ({}))) as { detail?: string; title?: string };
    return new Response(problem.detail ?? problem.title ?? response.statusText, { status: response.status, headers: { 'Content-Type': 'text/plain; charset=utf-8' } });
  }
  const headers = new Headers({ 'Cache-Control': 'private, no-store' });
  for (const name of ['Content-Type', 'Content-Disposition']) {
    const value = response.headers.get(name);
    if (value) headers.set(name, value);
  }
  return new Response(await response.text(), { status: 200, headers });
}
