// A voice track's audio for the page's player: the web server fetches it with the person's token.
import type { LoaderFunctionArgs } from '@remix-run/node';
import { apiPassThrough } from '../lib/api.server.js';

export const loader = ({ request, params }: LoaderFunctionArgs) =>
  apiPassThrough(request, `/stations/${encodeURIComponent(String(params.station))}/voice-tracks/${encodeURIComponent(String(params.voiceTrackId))}/audio`);
