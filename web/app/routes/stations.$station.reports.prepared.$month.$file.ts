// A file the monthly Schedule prepared, as it was prepared.
import type { LoaderFunctionArgs } from '@remix-run/node';
import { apiPassThrough } from '../lib/api.server.js';

export function loader({ request, params }: LoaderFunctionArgs) {
  const [station, month, file] = [params.station, params.month, params.file].map((p) => encodeURIComponent(String(p)));
  return apiPassThrough(request, `/stations/${station}/reports/prepared/${month}/${file}`);
}
