// LibreLog and AzuraCast, against the fake AzuraCast server: now-playing pushes at each
// entry's start on Temporal's time-skipping server, a station that cannot take pushes reported
// once, and the daily pull of song history and listener sessions that keeps Aggregate Tuning
// Hours after AzuraCast's 60-day retention.
import { Worker } from '@temporalio/worker';
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { DateTime } from 'luxon';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import request from 'supertest';
import { storedTuningHours } from '../../db/royalty-plays.js';
import { createApp } from '../../api/app.js';
import { activityDeps, createActivities } from '../../activities/index.js';
import { importStationBundle } from '../../db/bundle-import.js';
import { createAzuraCastClient } from '../../integrations/azuracast/client.js';
import type { AzuraCastConnection } from '../../integrations/azuracast/types.js';
import { WORKFLOWS_PATH } from '../../temporal/worker.js';
import { nowPlayingDay, nowPlayingWorkflowId } from '../../workflows/azuracast.js';
import { startFakeAzuraCast, type FakeAzuraCast } from '../fakes/azuracast.js';
import { smallStationBundle } from '../fixtures/bundles.js';
import { useTestDatabase } from '../support/db.js';
import { makePerson } from '../support/people.js';
import { useTimeSkipping } from '../support/temporal.js';

const db = useTestDatabase();
const skipping = useTimeSkipping();
let fake: FakeAzuraCast;
const dataDir = await mkdtemp(path.join(os.tmpdir(), 'librelog-azuracast-'));
afterAll(async () => {
  await rm(dataDir, { recursive: true, force: true });
});
afterEach(async () => {
  expect(fake.violations).toEqual([]);
  await fake.close();
});

const fastClient = (connection: AzuraCastConnection) => createAzuraCastClient(connection, { retries: 1, sleep: () => Promise.resolve() });
const activities = () => createActivities(activityDeps(db, dataDir, { azuracastFor: fastClient }));

async function azuracastStation(options: { liquidsoap?: boolean } = {}) {
  fake = await startFakeAzuraCast(options);
  await importStationBundle(db, smallStationBundle());
  await db('stations').where({ slug: 'kqtr' }).update({ azuracastUrl: fake.url, azuracastStationId: fake.stationId, azuracastApiKey: fake.apiKey });
  return ((await db('stations').where({ slug: 'kqtr' }).first('id')) as { id: string }).id;
}

/** A published day whose three entries start 1, 4 and 8 minutes after `from`. */
async function publishedDay(stationId: string, date: string, from: number) {
  const [log] = (await db('daily_logs').insert({ stationId, broadcastDate: date, workflowId: `broadcast-day:kqtr:${date}`, status: 'published', version: 1, publishedVersion: 1 }).returning('id')) as { id: string }[];
  const track = (await db('tracks').where({ stationId, type: 'MUS' }).first('id', 'title', 'artist')) as { id: string; title: string; artist: string };
  await db('tracks').where({ id: track.id }).update({ azuracastMediaId: '42' });
  const starts = [1, 4, 8].map((m) => from + m * 60_000);
  await db('log_entries').insert(
    starts.map((at, i) => ({ id: randomUUID(), logId: log!.id, position: i, hour: 6, startsAt: new Date(at), lengthMs: 180_000, type: 'MUS', title: `Song ${i + 1}`, trackId: track.id })),
  );
  return { logId: log!.id, starts, artist: track.artist };
}

async function runNowPlaying(taskQueue: string, date: string) {
  const worker = await Worker.create({ connection: skipping.env.nativeConnection, taskQueue, workflowsPath: WORKFLOWS_PATH, activities: activities() });
  return worker.runUntil(() => skipping.env.client.workflow.execute(nowPlayingDay, { taskQueue, workflowId: nowPlayingWorkflowId('kqtr', date), args: [{ station: 'kqtr', date }] }));
}

describe('now playing on AzuraCast', () => {
  it('pushes each entry at its start, on durable timers', async () => {
    const stationId = await azuracastStation();
    const now = await skipping.env.currentTimeMs();
    const { starts, artist } = await publishedDay(stationId, '2026-12-10', now);
    const result = await runNowPlaying('now-playing-times', '2026-12-10');
    expect(result).toMatchObject({ azuracast: 'told', announced: 3 });
    // Pushed at the entries' starts in workflow time (the test server skipped the waits).
    expect(result.pushed.map((p) => Math.round((p.at - starts[0]!) / 1000))).toEqual([0, 180, 420]);
    expect(fake.pushes.map((p) => [p.title, p.artist, p.duration, p.media_id])).toEqual([
      ['Song 1', artist, 180, '42'],
      ['Song 2', artist, 180, '42'],
      ['Song 3', artist, 180, '42'],
    ]);
  });

  it('reports a station AzuraCast cannot push to once, stops telling AzuraCast, and keeps announcing on the live socket', async () => {
    const stationId = await azuracastStation({ liquidsoap: false });
    const { logId } = await publishedDay(stationId, '2026-12-11', await skipping.env.currentTimeMs());
    const result = await runNowPlaying('now-playing-unsupported', '2026-12-11');
    expect(result).toEqual({ pushed: [], announced: 3, azuracast: 'unsupported' });
    const notes = (await db('log_exceptions').where({ logId }).pluck('message')) as string[];
    expect(notes).toHaveLength(1);
    expect(notes[0]).toMatch(/does not take now-playing updates/);
    expect(fake.requests.filter((r) => r.path.endsWith('/nowplaying/update'))).toHaveLength(1);
  });
});

describe('the daily pull from AzuraCast', () => {
  it('keeps a day of song history and listener sessions, and its tuning hours outlive AzuraCast’s retention', async () => {
    const stationId = await azuracastStation();
    const date = DateTime.now().setZone('America/Phoenix').minus({ days: 1 }).toISODate()!;
    const at = (hhmm: string) => DateTime.fromISO(`${date}T${hhmm}`, { zone: 'America/Phoenix' }).toSeconds();
    fake.history.push(
      { timestamp_start: at('08:00'), duration: 200, title: 'Desert Bloom', artist: 'The Saguaros', listeners_start: 12 },
      { timestamp_start: at('08:03:20'), duration: 245, title: 'Monsoon Heart', artist: 'Lavender Static', listeners_start: 15 },
    );
    fake.listeners.push(
      { timestamp_start: at('07:30'), timestamp_end: at('09:30'), listener_ip: '203.0.113.5', listener_user_agent: 'VLC', mount_name: '/radio.mp3' },
      { timestamp_start: at('12:00'), timestamp_end: at('12:45'), listener_ip: '198.51.100.7', listener_user_agent: 'Firefox', mount_name: '/radio.mp3' },
    );
    const steps = activities();
    const pulled = await steps.pullAzuraCastDay({ station: 'kqtr' });
    expect(pulled).toMatchObject({ date, plays: 2, sessions: 2, tuningHours: 2.75 });
    // Twice is the same as once.
    await steps.pullAzuraCastDay({ station: 'kqtr', date });
    const plays = (await db('playback_history').where({ stationId, source: 'azuracast' }).orderBy('startedAt').select('title', 'startedAt', 'listeners')) as { title: string; startedAt: Date; listeners: number }[];
    expect(plays.map((p) => [p.title, p.startedAt.getTime() / 1000, p.listeners])).toEqual([
      ['Desert Bloom', at('08:00'), 12],
      ['Monsoon Heart', at('08:03:20'), 15],
    ]);
    const day = DateTime.fromISO(date, { zone: 'America/Phoenix' });
    const period = [day.toJSDate(), day.plus({ days: 1 }).toJSDate()] as const;
    expect(await storedTuningHours(db, stationId, ...period)).toEqual({ hours: 2.75, sessions: 2 });

    // 61 days later AzuraCast has deleted them; LibreLog still has them.
    fake.now = () => new Date(Date.now() + 61 * 86_400_000);
    await steps.pullAzuraCastDay({ station: 'kqtr', date });
    expect(await storedTuningHours(db, stationId, ...period)).toEqual({ hours: 2.75, sessions: 2 });

    // The licensing report through the API.
    const app = createApp({ db, temporal: { namespace: 'default', check: () => Promise.resolve() }, jwtSecret: 'ath-secret', validateResponses: true, log: () => undefined });
    const { token } = await makePerson(db, 'ath-secret', 'viewer', { email: 'viewer@kqtr.example' });
    const report = await request(app).get(`/api/v1/stations/kqtr/reports/tuning-hours?from=${date}&to=${date}`).set('Authorization', `Bearer ${token}`).expect(200);
    expect(report.body).toEqual({ from: date, to: date, aggregateTuningHours: 2.75, sessions: 2 });
    await request(app).get(`/api/v1/stations/kqtr/reports/tuning-hours?from=${date}&to=2020-01-01`).set('Authorization', `Bearer ${token}`).expect(400);
  });
});
