// The as-run page against the real API and PostgreSQL: traffic uploads an as-run file and sees
// what was read and what was not; signs the day as aired as logged with a spot that did not run;
// a viewer is told it is traffic's.
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { DateTime } from 'luxon';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BuildStep } from '../../activities/broadcast-day.js';
import { startApi, type RunningApi } from '../../api/server.js';
import { importStationBundle } from '../../db/bundle-import.js';
import { useSessionDatabase } from '../../web/app/lib/session.server.js';
import * as asRun from '../../web/app/routes/stations.$station.as-run.js';
import { smallStationBundle } from '../fixtures/bundles.js';
import { useTestDatabase } from '../support/db.js';
import { addPerson } from '../support/people.js';
import { freePort } from '../support/ports.js';
import { sessionCookies } from '../support/web-session.js';
import { activitiesFor } from '../support/temporal.js';

const db = useTestDatabase({ truncateBeforeEach: false });
const WEB = 'http://web.test';
const STATION = 'karp';
const DATE = '2026-12-08';
const PASSWORD = 'as-run page password';
const EMAIL = { traffic: 'traffic@karp.example', viewer: 'viewer@karp.example' } as const;
type Who = keyof typeof EMAIL;
let api: RunningApi;
let dataDir: string;
let entries: { id: string; campaignId: string | null; title: string; startsAt: Date; lengthMs: number }[];

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(os.tmpdir(), 'librelog-as-run-page-'));
  const bundle = smallStationBundle();
  await importStationBundle(db, { ...bundle, station: { ...bundle.station, slug: STATION, name: 'As-Run FM' } });
  await addPerson(db, { email: EMAIL.traffic, name: 'Tara Traffic', role: 'traffic', stations: [STATION], password: PASSWORD });
  await addPerson(db, { email: EMAIL.viewer, name: 'Vera Viewer', role: 'viewer', stations: [STATION], password: PASSWORD });
  const steps = activitiesFor(db);
  const opened = await steps.openBroadcastDay({ stationId: STATION, date: DATE, workflowId: `broadcast-day:${STATION}:${DATE}`, runId: 'r1' });
  const step: BuildStep = { stationId: opened.stationId, date: DATE, seed: 7, logId: opened.logId, version: 1, stages: 'memory' };
  await steps.expandClocks(step);
  await steps.placeTraffic({ ...step, after: 'expanded' });
  await steps.overlayVoiceTracks({ ...step, after: 'traffic' });
  await steps.scheduleMusic({ ...step, after: 'voiced' });
  await steps.saveDraft({ ...step, after: 'music' });
  entries = (await db('log_entries').where({ logId: opened.logId }).orderBy('position').select('id', 'campaignId', 'title', 'startsAt', 'lengthMs')) as typeof entries;
  api = await startApi({ port: await freePort(), db, temporal: { namespace: 'default', check: () => Promise.resolve() }, jwtSecret: 'as-run-page-secret', dataDir });
  process.env.API_URL = api.url;
  process.env.LIBRELOG_SESSION_SECRET = 'as-run-page-session-secret-of-32-chars';
  useSessionDatabase(db);
});
afterAll(async () => {
  await api?.close();
  await rm(dataDir, { recursive: true, force: true });
});

const signedIn = sessionCookies(WEB, PASSWORD);
const cookieOf = (who: Who) => signedIn(EMAIL[who]);
const params = { station: STATION };
const load = async (who: Who) => asRun.loader({ request: new Request(`${WEB}/stations/${STATION}/as-run?date=${DATE}`, { headers: { Cookie: await cookieOf(who) } }), params, context: {} });
const post = async (body: FormData, who: Who = 'traffic') => asRun.action({ request: new Request(`${WEB}/stations/${STATION}/as-run`, { method: 'POST', headers: { Cookie: await cookieOf(who) }, body }), params, context: {} });

describe('the as-run page', () => {
  it('shows the day awaiting its as-run, with its spots to tick', async () => {
    const loaded = await load('traffic');
    expect(loaded).toMatchObject({ date: DATE, built: true, mayImport: true, state: 'awaiting_as_run' });
    expect(loaded.spots.length).toBe(entries.filter((e) => e.campaignId).length);
    expect(loaded.spots[0]!.at).toMatch(/^\d{2}:\d{2}/);
  });

  it('uploads an as-run file and says what it read and what it could not', async () => {
    const csv = ['started_at,duration,entry_id,title', ...entries.slice(0, 5).map((e) => `${e.startsAt.toISOString()},${e.lengthMs / 1000},${e.id},x`), 'yesterday,30,,Mystery'].join('\r\n');
    const form = new FormData();
    form.set('intent', 'upload');
    form.set('date', DATE);
    form.set('file', new File([csv], 'karp-2026-12-08.csv', { type: 'text/csv' }));
    const result = await post(form);
    expect(result).toMatchObject({ ok: true, message: 'Read 5 play(s) from the file, 5 new.', problems: [expect.objectContaining({ line: 7 })] });
    const none = new FormData();
    none.set('intent', 'upload');
    none.set('date', DATE);
    expect(await post(none)).toMatchObject({ ok: false, message: 'Choose the as-run file to upload.' });
  });

  it('signs the day as aired as logged with a spot that did not run', async () => {
    const spot = entries.find((e) => e.campaignId)!;
    const form = new FormData();
    form.set('intent', 'confirm');
    form.set('date', DATE);
    form.append('missed', spot.id);
    const result = await post(form);
    expect(result).toMatchObject({ ok: true });
    expect(result.message).toMatch(/aired as logged, 1 spot\(s\) did not run/);
    expect(Number(((await db('playback_history').where({ source: 'manual' }).count({ n: '*' }).first()) as { n: string | number }).n)).toBe(entries.length - 1);
    const bad = new FormData();
    bad.set('intent', 'confirm');
    bad.set('date', DATE);
    bad.set('hours', '02:00 PDT');
    expect(await post(bad)).toMatchObject({ ok: false, problems: [expect.objectContaining({ column: 'body.hours[0]' })] });
  });

  it('signs the day saying what became of each spot: did not run, another in its place, or ran at another time', async () => {
    const [missed, replaced, moved] = entries.filter((e) => e.campaignId);
    const form = new FormData();
    form.set('intent', 'confirm');
    form.set('date', DATE);
    form.set('timezone', (await load('traffic')).timezone);
    form.set(`outcome:${missed!.id}`, 'missed');
    form.set(`outcome:${replaced!.id}`, 'substituted');
    form.set(`outcome:${moved!.id}`, 'moved');
    // Said without what ran instead or when: nothing is signed, each problem next to its spot.
    const incomplete = await post(form);
    expect(incomplete).toMatchObject({ ok: false, problems: [expect.objectContaining({ column: `instead:${replaced!.id}` }), expect.objectContaining({ column: `at:${moved!.id}` })] });
    form.set(`instead:${replaced!.id}`, 'Desert Bakery — Winter Loaves');
    form.set(`at:${moved!.id}`, '14:05');
    const signed = await post(form);
    expect(signed).toMatchObject({ ok: true });
    expect(signed.message).toMatch(/1 spot\(s\) did not run, 1 replaced by another, 1 ran at another time/);
    // The moved spot's play is at 14:05 station time on the day.
    const play = (await db('playback_history').where({ source: 'manual' }).where('externalId', 'like', `%${moved!.id}`).first('startedAt')) as { startedAt: Date };
    expect(DateTime.fromJSDate(play.startedAt, { zone: (await load('traffic')).timezone }).toFormat('yyyy-LL-dd HH:mm')).toBe(`${DATE} 14:05`);
  });

  it('tells a viewer it is traffic’s', async () => {
    expect(await load('viewer')).toMatchObject({ mayImport: false });
  });
});
