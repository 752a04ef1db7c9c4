// A day's program log as the API prints it (PDF) or exports it (CSV), fetched with the person's
// token and handed to the browser as a download with the API's file name (`?format=pdf|csv`).
import type { LoaderFunctionArgs } from '@remix-run/node';
import { apiPassThrough } from '../lib/api.server.js';

export function loader({ request, params }: LoaderFunctionArgs) {
  const format = new URL(request.url).searchParams.get('format') === 'csv' ? 'csv' : 'pdf';
  const path = `/stations/${encodeURIComponent(String(params.station))}/logs/${encodeURIComponent(String(params.date))}?format=${format}`;
  return apiPassThrough(request, path);
}
