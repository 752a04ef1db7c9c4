// The library page's "Add tracks" against the real API and PostgreSQL: the resource route passes
// the browser's multipart body on to the API as it comes and hands back each file's outcome (for
// the page's script), or sends a browser without the script back to the library with the counts;
// the page then lists the new tracks with their measured cues and loudness, and offers the form
// to programming only.
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApi, type RunningApi } from '../../api/server.js';
import { importStationBundle } from '../../db/bundle-import.js';
import { useSessionDatabase } from '../../web/app/lib/session.server.js';
import * as library from '../../web/app/routes/stations.$station.library.js';
import * as upload from '../../web/app/routes/stations.$station.library.upload.js';
import { silenceToneSilence, wavOf } from '../fixtures/audio.js';
import { smallStationBundle } from '../fixtures/bundles.js';
import { useTestDatabase } from '../support/db.js';
import { addPerson } from '../support/people.js';
import { freePort } from '../support/ports.js';
import { responseOf, sessionCookies } from '../support/web-session.js';

const db = useTestDatabase({ truncateBeforeEach: false });
const WEB = 'http://web.test';
const STATION = 'kqtr';
const PASSWORD = 'library upload password';
let api: RunningApi;
let dataDir: string;

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(os.tmpdir(), 'librelog-web-upload-'));
  await importStationBundle(db, smallStationBundle());
  await db('stations').where({ slug: STATION }).update({ playoutTarget: 'file' });
  await addPerson(db, { email: 'pat@kqtr.example', name: 'Pat Programming', role: 'programming', stations: [STATION], password: PASSWORD });
  await addPerson(db, { email: 'vic@kqtr.example', name: 'Vic Viewer', role: 'viewer', stations: [STATION], password: PASSWORD });
  api = await startApi({ port: await freePort(), db, temporal: { namespace: 'default', check: () => Promise.resolve() }, jwtSecret: 'library-upload-secret', dataDir });
  process.env.API_URL = api.url;
  process.env.LIBRELOG_SESSION_SECRET = 'library-upload-session-secret-32chars';
  useSessionDatabase(db);
});
afterAll(async () => {
  await api?.close();
  await rm(dataDir, { recursive: true, force: true });
});

const signedIn = sessionCookies(WEB, PASSWORD);

async function send(email: string, files: { name: string; type: string; bytes: Buffer }[], accept: string) {
  const form = new FormData();
  form.set('type', 'BED');
  for (const f of files) form.append('files', new Blob([new Uint8Array(f.bytes)], { type: f.type }), f.name);
  const request = new Request(`${WEB}/stations/${STATION}/library/upload`, { method: 'POST', body: form, headers: { Cookie: await signedIn(email), Accept: accept, Origin: WEB } });
  return responseOf(() => upload.action({ request, params: { station: STATION }, context: {} }));
}

/** 0.5 s of silence, 3 s of tone at −20 dBFS, 0.5 s of silence. */
const bed = (frequency: number) => wavOf([silenceToneSilence(44_100, 500, 3000, 500, -20, frequency)], 44_100, { title: `Bed ${frequency} Hz` });

describe('adding tracks on the library page', () => {
  it('passes the files to the API and hands back each one’s measured track, or its problem', async () => {
    const res = await send(
      'pat@kqtr.example',
      [
        { name: 'bed-1k.wav', type: 'audio/wav', bytes: bed(1000) },
        { name: 'readme.txt', type: 'text/plain', bytes: Buffer.from('hello') },
      ],
      'application/json',
    );
    expect(res.status).toBe(200);
    const outcome = (await res.json()) as upload.UploadOutcome;
    expect(outcome).toMatchObject({ added: 1, refused: 1 });
    const [kept, refused] = outcome.files;
    expect(kept!.track).toMatchObject({ type: 'BED', title: 'Bed 1000 Hz', lengthMs: 4000 });
    expect(Math.abs(kept!.track!.cueInMs - 500)).toBeLessThanOrEqual(3);
    expect(Math.abs(kept!.track!.cueOutMs! - 3500)).toBeLessThanOrEqual(3);
    expect(kept!.track!.loudnessLufs).toBeGreaterThan(-23.6);
    expect(kept!.track!.loudnessLufs).toBeLessThan(-23);
    expect(refused!.problems).toEqual([expect.stringContaining('not audio')]);

    // The library lists it with its cues and loudness; programming gets the upload form.
    const page = await library.loader({ request: new Request(`${WEB}/stations/${STATION}/library?type=BED`, { headers: { Cookie: await signedIn('pat@kqtr.example') } }), params: { station: STATION }, context: {} });
    const listed = page.page.items.find((t) => t.id === kept!.track!.id)!;
    expect(listed).toMatchObject({ title: 'Bed 1000 Hz', cueInMs: kept!.track!.cueInMs, loudnessLufs: kept!.track!.loudnessLufs });
    expect(page.mayEdit).toBe(true);
  });

  it('a browser without the script is sent back to the library with the counts', async () => {
    const res = await send('pat@kqtr.example', [{ name: 'bed-2k.wav', type: 'audio/wav', bytes: bed(2000) }], 'text/html');
    expect(res.status).toBe(302);
    expect(res.headers.get('Location')).toBe(`/stations/${STATION}/library?added=1&refused=0`);
  });

  it('a viewer is refused by the API, said on the library page; a body that is not multipart is refused here', async () => {
    const res = await send('vic@kqtr.example', [{ name: 'bed-3k.wav', type: 'audio/wav', bytes: bed(3000) }], 'application/json');
    expect(res.status).toBe(403);
    const viewerPage = await library.loader({ request: new Request(`${WEB}/stations/${STATION}/library`, { headers: { Cookie: await signedIn('vic@kqtr.example') } }), params: { station: STATION }, context: {} });
    expect(viewerPage.mayEdit).toBe(false);
    const json = new Request(`${WEB}/stations/${STATION}/library/upload`, { method: 'POST', body: '{}', headers: { Cookie: await signedIn('pat@kqtr.example'), 'Content-Type': 'application/json' } });
    expect((await responseOf(() => upload.action({ request: json, params: { station: STATION }, context: {} }))).status).toBe(415);
  });
});
