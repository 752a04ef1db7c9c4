// An affidavit the monthly Schedule filed, as it was filed.
import type { LoaderFunctionArgs } from '@remix-run/node';
import { apiPassThrough } from '../lib/api.server.js';

export const loader = ({ request, params }: LoaderFunctionArgs) =>
  apiPassThrough(request, `/stations/${encodeURIComponent(String(params.station))}/affidavits/filed/${encodeURIComponent(String(params.month))}/${encodeURIComponent(String(params.file))}`);
