// An affidavit as the API makes it (PDF, CSV or JSON), fetched with the person's token and
// handed to the browser as a download with the API's file name.
import type { LoaderFunctionArgs } from '@remix-run/node';
import { apiPassThrough } from '../lib/api.server.js';

const PASSED = ['advertiser', 'campaign', 'period', 'month', 'format', 'signer', 'signerTitle'];

export function loader({ request, params }: LoaderFunctionArgs) {
  const wanted = new URL(request.url).searchParams;
  const query = new URLSearchParams();
  for (const name of PASSED) {
    const value = wanted.get(name)?.trim();
    // Empty fields of the form are left out; the month goes only with a month period.
    if (value && !(name === 'month' && wanted.get('period') === 'flight')) query.set(name, value);
  }
  return apiPassThrough(request, `/stations/${encodeURIComponent(String(params.station))}/affidavits?${query.toString()}`);
}
