// Adding tracks by uploading audio: the library page's upload form sends its multipart body here
// and this passes it on to the API (POST …/tracks/upload) as it comes, without reading the files
// into memory, with the signed-in person's token. The page's script (with its progress bar) gets
// the API's answer as JSON; a browser without the script is sent back to the library with the
// counts. The API judges the body: its size, its files, who may.
import { redirect, type ActionFunctionArgs } from '@remix-run/node';
import { apiBase } from '../lib/api.server.js';
import { requireSignedIn } from '../lib/session.server.js';

export interface UploadOutcome {
  added: number;
  refused: number;
  files: {
    filename: string;
    track?: { id: string; type: string; title: string; artist: string | null; lengthMs: number; cueInMs: number; cueOutMs: number | null; introMs: number | null; outroMs: number | null; loudnessLufs: number | null; peakDbfs: number | null };
    libretimeFileId: number | null;
    problems: string[];
  }[];
}

const problem = (status: number, detail: string) => Response.json({ type: 'about:blank', title: 'Upload refused', status, detail }, { status, headers: { 'Content-Type': 'application/problem+json' } });

function parsed(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return {};
  }
}

export async function action({ request, params }: ActionFunctionArgs) {
  const me = await requireSignedIn(request);
  const slug = encodeURIComponent(String(params.station));
  const contentType = request.headers.get('Content-Type') ?? '';
  if (!/^multipart\/form-data;/i.test(contentType) || !request.body) return problem(415, 'Send the files as multipart/form-data (the library page’s upload form).');
  const response = await fetch(`${apiBase()}/stations/${slug}/tracks/upload`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${me.accessToken}`, Accept: 'application/json', 'Content-Type': contentType },
    body: request.body,
    // A streamed request body (Node's fetch needs it said).
    duplex: 'half',
  } as RequestInit);
  const body = await response.text();
  if (response.status === 401) throw redirect(`/sign-in?expired=1&next=${encodeURIComponent(`/stations/${slug}/library`)}`);
  const wantsPage = !(request.headers.get('Accept') ?? '').includes('application/json');
  if (wantsPage) {
    const said = parsed(body) as Partial<UploadOutcome> & { detail?: string };
    if (!response.ok) return redirect(`/stations/${slug}/library?uploadProblem=${encodeURIComponent((said.detail ?? response.statusText).slice(0, 300))}`);
    return redirect(`/stations/${slug}/library?added=${said.added ?? 0}&refused=${said.refused ?? 0}`);
  }
  return new Response(body, { status: response.status, headers: { 'Content-Type': response.headers.get('Content-Type') ?? 'application/json', 'Cache-Control': 'no-store' } });
}
