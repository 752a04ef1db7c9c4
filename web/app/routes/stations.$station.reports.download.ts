// A royalty or compliance file as the API makes it, fetched with the person's token and handed
// to the browser as a download with the file's own name.
import type { LoaderFunctionArgs } from '@remix-run/node';
import { apiPassThrough } from '../lib/api.server.js';

export function loader({ request, params }: LoaderFunctionArgs) {
  const wanted = new URL(request.url).searchParams;
  const report = wanted.get('report')?.trim() ?? '';
  const query = new URLSearchParams();
  for (const name of ['from', 'to', 'headers']) {
    const value = wanted.get(name)?.trim();
    if (value) query.set(name, value);
  }
  return apiPassThrough(request, `/stations/${encodeURIComponent(String(params.station))}/reports/royalty/${encodeURIComponent(report)}?${query.toString()}`);
}
