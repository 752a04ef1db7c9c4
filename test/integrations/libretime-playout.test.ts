// LibreLog and LibreTime, against the fake LibreTime server: the library sync (new, changed,
// removed files), publishing (first time, again after a crash mid-publish, after a rebuild —
// never duplicates, never touching instances LibreLog did not make), LibreTime down for a
// while, and the as-run import that reconciliation reads.
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { DateTime } from 'luxon';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { activityDeps, createActivities } from '../../activities/index.js';
import { createLibreTimePublisher } from '../../activities/publishing/libretime-publisher.js';
import type { PublishableLog } from '../../activities/publishing/publisher.js';
import request from 'supertest';
import { createApp } from '../../api/app.js';
import { importStationBundle } from '../../db/bundle-import.js';
import { msToInterval as libretimeDuration } from '../../domain/durations.js';
import { createLibreTimeClient, parseLibretimeDuration } from '../../integrations/libretime/client.js';
import type { LibreTimeApi, LibreTimeConnection } from '../../integrations/libretime/types.js';
import { startBroadcastDay } from '../../temporal/broadcast-days.js';
import { startLibrarySync } from '../../temporal/library-sync.js';
import { approveUpdate, publishUpdate, stateQuery } from '../../workflows/broadcast-day-messages.js';
import { librarySyncWorkflowId } from '../../workflows/library-sync.js';
import { startFakeLibreTime, type FakeLibreTime } from '../fakes/libretime.js';
import { smallStationBundle } from '../fixtures/bundles.js';
import { useTestDatabase } from '../support/db.js';
import { makePerson } from '../support/people.js';
import { useTemporal } from '../support/temporal.js';
import { until } from '../support/until.js';

const db = useTestDatabase();
const temporal = useTemporal();
let fake: FakeLibreTime;
let dataDir: string;
beforeAll(async () => {
  dataDir = await mkdtemp(path.join(os.tmpdir(), 'librelog-libretime-'));
});
afterAll(() => rm(dataDir, { recursive: true, force: true }));
afterEach(async () => {
  expect(fake.violations).toEqual([]);
  await fake.close();
});

/** Clients that give up fast: the workflow's retry policy does the waiting in these tests. */
const fastClient = (connection: LibreTimeConnection): LibreTimeApi => createLibreTimeClient(connection, { retries: 1, sleep: () => Promise.resolve() });

async function libretimeStation() {
  fake = await startFakeLibreTime({ importAfterPolls: 1 });
  await importStationBundle(db, smallStationBundle());
  await db('stations').where({ slug: 'kqtr' }).update({ playoutTarget: 'libretime', libretimeUrl: fake.url, libretimeApiKey: fake.apiKey });
  return ((await db('stations').where({ slug: 'kqtr' }).first('id', 'name', 'timezone')) as { id: string; name: string; timezone: string });
}

describe('the library sync from LibreTime', () => {
  it('adds new files, updates changed ones, marks gone ones removed and keeps those a log names', async () => {
    const station = await libretimeStation();
    const music = fake.addLibrary({ code: 'MUS', name: 'Music' });
    const sweeper = fake.addLibrary({ code: 'SWEEP', name: 'Sweepers' });
    const ready = { import_status: 0 as const, hidden: false };
    const a = fake.addFile({ ...ready, track_title: 'Desert Rain', artist_name: 'Saguaro Hearts', length: '00:03:30.500000', cue_in: '00:00:00.250000', cue_out: '00:03:30', library: music.id, bpm: 120 });
    const b = fake.addFile({ ...ready, track_title: 'Monsoon', artist_name: 'Lavender Static', length: '00:04:00', library: null });
    const c = fake.addFile({ ...ready, track_title: 'Gone Tomorrow', artist_name: 'Dust Devils', length: '00:02:45', library: music.id });
    fake.addFile({ ...ready, track_title: 'Whoosh', length: '00:00:05', library: sweeper.id });
    fake.addFile({ import_status: 1, hidden: true, track_title: 'Still importing', length: null, library: music.id });

    const sync = async () =>
      temporal.withWorker(createActivities(activityDeps(db, dataDir, { libretimeFor: fastClient })), async () => {
        const run = await startLibrarySync(temporal.env.client, temporal.taskQueue, 'kqtr');
        expect(run.workflowId).toBe(librarySyncWorkflowId('kqtr'));
        return run.result();
      });

    const first = await sync();
    expect(first).toMatchObject({ files: 5, added: 3, updated: 0, removed: 0 });
    expect(first.skipped).toEqual({ 'track type SWEEP not mapped': 1 });
    const track = (await db('tracks').where({ stationId: station.id, libretimeFileId: a.id }).first()) as Record<string, unknown>;
    expect(track).toMatchObject({ type: 'MUS', title: 'Desert Rain', artist: 'Saguaro Hearts', lengthMs: 210_500, cueInMs: 250, cueOutMs: 210_000, bpm: 120, removed: false });

    // A log names "Gone Tomorrow"; then LibreTime renames one file, drops that one, and the station maps SWEEP.
    const cTrack = (await db('tracks').where({ libretimeFileId: c.id }).first('id')) as { id: string };
    const [log] = (await db('daily_logs').insert({ stationId: station.id, broadcastDate: '2026-12-01', workflowId: 'broadcast-day:kqtr:2026-12-01', status: 'published', version: 1 }).returning('id')) as { id: string }[];
    await db('log_entries').insert({ id: '00000000-0000-4000-8000-0000000000aa', logId: log!.id, position: 0, hour: 0, startsAt: new Date('2026-12-01T07:00:00Z'), lengthMs: 165_000, type: 'MUS', title: 'Gone Tomorrow', trackId: cTrack.id });
    fake.files = fake.files.filter((f) => f.id !== c.id);
    fake.files.find((f) => f.id === b.id)!.track_title = 'Monsoon (Radio Edit)';
    await db('stations').where({ id: station.id }).update({ settings: JSON.stringify({ libretimeTrackTypes: { SWEEP: 'PRO' } }) });

    const second = await sync();
    expect(second).toMatchObject({ files: 4, added: 1, updated: 1, unchanged: 1, removed: 1, keptInLogs: 1, skipped: {} });
    expect(await db('tracks').where({ id: cTrack.id }).first('removed')).toEqual({ removed: true });
    expect(await db('tracks').where({ libretimeFileId: b.id }).first('title')).toEqual({ title: 'Monsoon (Radio Edit)' });
    expect((await db('tracks').where({ title: 'Whoosh' }).first('type')) as unknown).toEqual({ type: 'PRO' });
    // Synced twice: every sync is on record for the library page.
    const syncs = (await db('library_syncs').where({ stationId: station.id }).orderBy('id').select('added', 'removed', 'failure')) as unknown[];
    expect(syncs).toEqual([{ added: 3, removed: 0, failure: null }, { added: 1, removed: 1, failure: null }]);
  });

  it('runs on demand through the API, and lists the syncs for the library page', async () => {
    await libretimeStation();
    fake.addFile({ import_status: 0, hidden: false, track_title: 'On Demand', length: '00:03:00', library: null });
    const app = createApp({
      db,
      temporal: { namespace: 'default', check: () => Promise.resolve() },
      jwtSecret: 'sync-secret',
      broadcastDays: { client: temporal.env.client, taskQueue: temporal.taskQueue, namespace: 'default', temporalUiUrl: 'http://localhost:8233' },
      validateResponses: true,
      log: () => undefined,
    });
    const bearer = async (role: 'programming' | 'viewer') => {
      return (await makePerson(db, 'sync-secret', role, { email: `${role}@kqtr.example` })).authorization;
    };
    const [programming, viewer] = [await bearer('programming'), await bearer('viewer')];
    await request(app).post('/api/v1/stations/kqtr/library/syncs').set('Authorization', viewer).expect(403);
    await temporal.withWorker(createActivities(activityDeps(db, dataDir, { libretimeFor: fastClient })), async () => {
      const started = await request(app).post('/api/v1/stations/kqtr/library/syncs').set('Authorization', programming).expect(202);
      expect(started.body).toMatchObject({ workflowId: 'library-sync:kqtr', temporalUrl: 'http://localhost:8233/namespaces/default/workflows/library-sync%3Akqtr' });
      await temporal.env.client.workflow.getHandle('library-sync:kqtr').result();
    });
    const syncs = await request(app).get('/api/v1/stations/kqtr/library/syncs').set('Authorization', viewer).expect(200);
    expect(syncs.body).toEqual([expect.objectContaining({ workflowId: 'library-sync:kqtr', files: 1, added: 1, removed: 0, failure: null, skippedBecause: {} })]);
    // A station that does not play out through LibreTime has nothing to sync.
    await db('stations').where({ slug: 'kqtr' }).update({ playoutTarget: 'file' });
    await request(app).post('/api/v1/stations/kqtr/library/syncs').set('Authorization', programming).expect(409);
    await request(app).get('/api/v1/stations/nowhere/library/syncs').set('Authorization', viewer).expect(404);
  });

  it('records why a sync failed when LibreTime refuses the key', async () => {
    const station = await libretimeStation();
    await db('stations').where({ id: station.id }).update({ libretimeApiKey: 'wrong-key' });
    await temporal.withWorker(createActivities(activityDeps(db, dataDir, { libretimeFor: fastClient })), async () => {
      const run = await startLibrarySync(temporal.env.client, temporal.taskQueue, 'kqtr');
      await expect(run.result()).rejects.toThrow();
    });
    const [sync] = (await db('library_syncs').where({ stationId: station.id }).select('failure', 'finishedAt')) as { failure: string; finishedAt: Date }[];
    expect(sync!.failure).toMatch(/refused the API key/);
  });
});

describe('a broadcast day published to LibreTime', () => {
  it('is approved, published while LibreTime is down, and completes once LibreTime is back', async () => {
    const station = await libretimeStation();
    // Every track of the station is a file in LibreTime (as after a library sync).
    const tracks = (await db('tracks').where({ stationId: station.id }).select('id', 'title', 'lengthMs')) as { id: string; title: string; lengthMs: number }[];
    for (const track of tracks) {
      const file = fake.addFile({ import_status: 0, hidden: false, track_title: track.title, length: `00:00:${String(Math.min(59, Math.round(track.lengthMs / 1000))).padStart(2, '0')}` });
      await db('tracks').where({ id: track.id }).update({ libretimeFileId: file.id });
    }
    // A day no other test file builds (workflow ids are shared on the one Temporal server).
    const date = DateTime.now().setZone('America/Phoenix').plus({ days: 13 }).toISODate()!;
    await temporal.withWorker(createActivities(activityDeps(db, dataDir, { libretimeFor: fastClient })), async () => {
      const run = await startBroadcastDay(temporal.env.client, temporal.taskQueue, { slug: 'kqtr' }, date);
      try {
        const built = await until(() => run.query(stateQuery), (s) => s.status === 'awaiting_approval', 'the draft');
        await run.executeUpdate(approveUpdate, { args: [{ userId: null, role: 'traffic', version: built.version }] });
        fake.down('unavailable');
        await run.executeUpdate(publishUpdate, { args: [{ userId: null, role: 'admin', version: built.version }] });
        await until(() => Promise.resolve(fake.count('POST', '/api/v2/shows') + fake.count('GET', '/api/v2/shows')), (n) => n > 0, 'a first attempt at LibreTime');
        expect((await run.query(stateQuery)).status).toBe('publishing');
        fake.up();
        await until(() => run.query(stateQuery), (s) => s.status === 'published', 'publishing after LibreTime came back');
        const entries = (await db('log_entries').join('daily_logs', 'daily_logs.id', 'log_entries.log_id').where('daily_logs.workflow_id', run.workflowId).count({ n: '*' }).first()) as { n: number };
        expect(fake.schedule).toHaveLength(Number(entries.n));
        expect(fake.pushes).toHaveLength(1);
        // As LibreTime's playout would take it: nothing overlapping, nothing it would skip, in order.
        const view = fake.playoutView();
        expect(view.overlaps).toEqual([]);
        expect(view.skipped).toEqual([]);
        expect(view.positionsInTimeOrder).toBe(true);
      } finally {
        await run.terminate('test over').catch(() => undefined);
      }
    });
  });
});

describe('publishing to LibreTime', () => {
  /** A day's log of three songs from LibreTime files, as the broadcast day hands it over. */
  async function logOf(stationId: string, station: { name: string; timezone: string }, date: string, titles: string[]): Promise<PublishableLog> {
    const files = titles.map((title) => fake.addFile({ import_status: 0, hidden: false, track_title: title, length: '00:03:00' }));
    const start = DateTime.fromISO(date, { zone: station.timezone }).set({ hour: 6 });
    const entries = await Promise.all(
      files.map(async (file, i) => {
        const [track] = (await db('tracks').insert({ stationId, type: 'MUS', title: file.track_title, lengthMs: 180_000, libretimeFileId: file.id }).returning('id')) as { id: string }[];
        return {
          id: `00000000-0000-4000-8000-00000000000${i}`,
          position: i,
          startsAt: start.plus({ minutes: 3 * i }).toUTC().toISO()!,
          lengthMs: 180_000,
          type: 'MUS',
          title: file.track_title!,
          artist: null,
          trackId: track!.id,
          trackRef: null,
          libretimeFileId: file.id,
          cueInMs: 0,
          cueOutMs: 180_000,
          fadeOutMs: 0,
          campaignId: null,
          isFallback: false,
        };
      }),
    );
    return { station: { id: stationId, slug: 'kqtr', name: station.name, timezone: station.timezone }, date, version: 1, entries };
  }

  it('creates its show and the day’s instance once, and publishing again leaves one copy', async () => {
    const station = await libretimeStation();
    const date = '2026-12-02';
    // Someone's own show and instance the day before (one on the day itself is refused, see
    // libretime-live-programmes.test.ts): LibreLog never touches them.
    const theirs = fake.addShow('Saturday Live');
    const theirInstance = fake.addInstance({ show: theirs.id, starts_at: '2026-12-01T20:00:00Z', ends_at: '2026-12-01T22:00:00Z' });
    fake.schedule.push({ id: 9001, starts_at: '2026-12-01T20:00:00Z', ends_at: '2026-12-01T20:03:00Z', instance: theirInstance.id, file: null, stream: null, length: '00:03:00', cue_in: '00:00:00', cue_out: '00:03:00', fade_in: '00:00:00', fade_out: '00:00:00', position: 0, position_status: 1, broadcasted: 0, played: false });

    const publisher = createLibreTimePublisher({ db, dataDir, libretimeFor: fastClient });
    const log = await logOf(station.id, station, date, ['One', 'Two', 'Three']);
    const receipt = await publisher.publish(log);
    expect(receipt).toMatchObject({ target: 'libretime', items: 3 });
    const ours = () => fake.schedule.filter((i) => i.instance !== theirInstance.id);
    expect(ours().map((i) => [i.position, i.fade_in, i.fade_out, i.length, i.broadcasted, i.position_status])).toEqual([
      // As LibreTime (Django) writes durations back: no fraction when it is zero.
      [0, '00:00:00', '00:00:00', '00:03:00', 0, 1],
      [1, '00:00:00', '00:00:00', '00:03:00', 0, 1],
      [2, '00:00:00', '00:00:00', '00:03:00', 0, 1],
    ]);
    expect(fake.pushes).toHaveLength(1);
    // The instance spans the whole broadcast day in the station's timezone.
    const instance = fake.instances.find((i) => i.id !== theirInstance.id)!;
    expect([instance.starts_at, instance.ends_at].map((t) => new Date(t).toISOString())).toEqual(['2026-12-02T07:00:00.000Z', '2026-12-03T07:00:00.000Z']);

    await publisher.publish(log);
    expect(ours()).toHaveLength(3);
    expect(fake.shows.filter((s) => s.name.startsWith('LibreLog'))).toHaveLength(1);
    expect(fake.instances).toHaveLength(2);
    expect(fake.schedule.find((i) => i.id === 9001)).toBeDefined();
  });

  it('finishes a publish that crashed half-way, and a rebuilt log replaces the old items', async () => {
    const station = await libretimeStation();
    const date = '2026-12-03';
    const log = await logOf(station.id, station, date, ['A', 'B', 'C', 'D']);
    // A worker that dies after posting two items.
    let posted = 0;
    const crashing = (connection: LibreTimeConnection): LibreTimeApi => {
      const api = fastClient(connection);
      return {
        ...api,
        createScheduleItem: async (item) => {
          if (posted++ === 2) throw new Error('worker lost');
          return api.createScheduleItem(item);
        },
      };
    };
    await expect(createLibreTimePublisher({ db, dataDir, libretimeFor: crashing }).publish(log)).rejects.toThrow('worker lost');
    expect(fake.schedule).toHaveLength(2);

    const publisher = createLibreTimePublisher({ db, dataDir, libretimeFor: fastClient });
    await publisher.publish(log);
    expect(fake.schedule.map((i) => i.position)).toEqual([0, 1, 2, 3]);

    // Version 2 after a rebuild has two entries: only those remain.
    await publisher.publish({ ...log, version: 2, entries: log.entries.slice(1, 3).map((e, i) => ({ ...e, position: i })) });
    expect(fake.schedule.map((i) => i.file)).toEqual(log.entries.slice(1, 3).map((e) => e.libretimeFileId));
    expect(fake.pushes).toHaveLength(2);
  });

  it('uploads a voice track LibreTime lacks and waits for its import; refuses tracks with no audio anywhere', async () => {
    const station = await libretimeStation();
    const { writeFile, mkdir } = await import('node:fs/promises');
    const { wavFile } = await import('../fixtures/audio.js');
    await mkdir(path.join(dataDir, 'media', station.id, 'voice'), { recursive: true });
    await writeFile(path.join(dataDir, 'media', station.id, 'voice', 'vt-1.wav'), wavFile(2));
    const [vt] = (await db('tracks').insert({ stationId: station.id, type: 'VT', title: 'Morning link', lengthMs: 2_000, filePath: `media/${station.id}/voice/vt-1.wav` }).returning('id')) as { id: string }[];
    const log = await logOf(station.id, station, '2026-12-04', ['Song']);
    const withVoice: PublishableLog = {
      ...log,
      entries: [...log.entries, { ...log.entries[0]!, id: '00000000-0000-4000-8000-000000000009', position: 1, type: 'VT', title: 'Morning link', trackId: vt!.id, libretimeFileId: null, lengthMs: 2_000, cueOutMs: 2_000 }],
    };
    const publisher = createLibreTimePublisher({ db, dataDir, libretimeFor: fastClient, importPoll: { intervalMs: 1, attempts: 20 } });
    await publisher.publish(withVoice);
    const uploaded = (await db('tracks').where({ id: vt!.id }).first('libretimeFileId')) as { libretimeFileId: number };
    expect(uploaded.libretimeFileId).toBeGreaterThan(0);
    expect(fake.schedule.map((i) => i.file)).toEqual([log.entries[0]!.libretimeFileId, uploaded.libretimeFileId]);
    // Again: no second upload.
    await publisher.publish(withVoice);
    expect(fake.count('POST', '/rest/media')).toBe(1);

    const [orphan] = (await db('tracks').insert({ stationId: station.id, type: 'MUS', title: 'Nowhere Song', lengthMs: 1_000 }).returning('id')) as { id: string }[];
    await expect(
      publisher.publish({ ...log, entries: [{ ...log.entries[0]!, trackId: orphan!.id, libretimeFileId: null, title: 'Nowhere Song' }] }),
    ).rejects.toThrow(/not in LibreTime.*"Nowhere Song"/);
  });

  it('imports the as-run: plays tied to their entries, and the live show that took over', async () => {
    const station = await libretimeStation();
    const date = '2026-12-05';
    const log = await logOf(station.id, station, date, ['X', 'Y']);
    const [row] = (await db('daily_logs').insert({ stationId: station.id, broadcastDate: date, workflowId: `broadcast-day:kqtr:${date}`, status: 'published', version: 1 }).returning('id')) as { id: string }[];
    await db('log_entries').insert(log.entries.map((e) => ({ id: e.id, logId: row!.id, position: e.position, hour: 6, startsAt: new Date(e.startsAt), lengthMs: e.lengthMs, type: 'MUS', title: e.title, trackId: e.trackId })));
    await createLibreTimePublisher({ db, dataDir, libretimeFor: fastClient }).publish(log);
    // Playout aired the first item; a DJ went live for the second.
    const [first, second] = fake.schedule;
    first!.broadcasted = 1;
    first!.played = true;
    fake.playoutHistory.push({ id: 1, starts: first!.starts_at, ends: first!.ends_at, file: first!.file, instance: first!.instance });
    fake.liveLogs.push({ id: 1, state: 'L', start_time: second!.starts_at, end_time: new Date(Date.parse(second!.starts_at) + 600_000).toISOString() });

    const steps = createActivities(activityDeps(db, dataDir, { libretimeFor: fastClient }));
    const asRun = await steps.importAsRun({ logId: row!.id });
    expect(asRun).toMatchObject({ source: 'libretime', plays: 1, linked: 1 });
    expect(asRun.livePeriods).toHaveLength(1);
    // Importing again changes nothing.
    await steps.importAsRun({ logId: row!.id });
    expect(await db('playback_history').where({ stationId: station.id }).select('externalId', 'logEntryId')).toEqual([{ externalId: 'history:1', logEntryId: log.entries[0]!.id }]);
    const result = await steps.reconcileDay({ logId: row!.id, livePeriods: asRun.livePeriods });
    expect(result).toMatchObject({ aired: 1, missed: 1 });
    const note = (await db('log_exceptions').where({ logId: row!.id, kind: 'reconciliation' }).first('message')) as { message: string };
    expect(note.message).toContain('live shows took over 1 time(s)');
  });
});

describe('what LibreTime’s playout gets from a published day', () => {
  interface Spec {
    title: string;
    /** Seconds it airs. */
    seconds: number;
    /** The track's own length, when it is faded early (longer than it airs). */
    trackSeconds?: number;
    cueInMs?: number;
    fadeOutMs?: number;
    /** Station time "HH:mm:ss"; by default the entry starts when the one before it ends. */
    at?: string;
  }

  /** A broadcast day ahead of today (so its items lie in the future, as a real publish does). */
  const dayAhead = (station: { timezone: string }, days = 20) => DateTime.now().setZone(station.timezone).plus({ days }).toISODate()!;

  /** A day's log of LibreTime files as the broadcast day hands it over; entries back to back from the first `at`. */
  async function dayLog(station: { id: string; name: string; timezone: string }, date: string, specs: Spec[], version = 1): Promise<PublishableLog> {
    let cursor = DateTime.fromISO(date, { zone: station.timezone });
    const entries = [];
    for (const [i, spec] of specs.entries()) {
      if (spec.at) cursor = DateTime.fromISO(`${date}T${spec.at}`, { zone: station.timezone });
      const trackMs = (spec.trackSeconds ?? spec.seconds) * 1000;
      const file = fake.addFile({ import_status: 0, hidden: false, track_title: spec.title, length: libretimeDuration(trackMs), cue_out: libretimeDuration(trackMs) });
      const [track] = (await db('tracks').insert({ stationId: station.id, type: 'MUS', title: spec.title, lengthMs: trackMs, libretimeFileId: file.id }).returning('id')) as { id: string }[];
      const cueInMs = spec.cueInMs ?? 0;
      entries.push({
        id: `00000000-0000-4000-8000-${String(version).padStart(4, '0')}${String(i).padStart(8, '0')}`,
        position: i,
        startsAt: cursor.toUTC().toISO()!,
        lengthMs: spec.seconds * 1000,
        type: 'MUS',
        title: spec.title,
        artist: null,
        trackId: track!.id,
        trackRef: null,
        libretimeFileId: file.id,
        cueInMs,
        cueOutMs: cueInMs + spec.seconds * 1000,
        fadeOutMs: spec.fadeOutMs ?? 0,
        campaignId: null,
        isFallback: false,
      });
      cursor = cursor.plus({ seconds: spec.seconds });
    }
    return { station: { id: station.id, slug: 'kqtr', name: station.name, timezone: station.timezone }, date, version, entries };
  }

  const songs = (prefix: string, lengths: number[], at?: string): Spec[] => lengths.map((seconds, i) => ({ title: `${prefix} ${i + 1}`, seconds, at: i === 0 ? at : undefined }));

  /** LibreLog's instance for the day, as recorded. */
  async function recordedInstance(stationId: string, date: string): Promise<number> {
    const rows = (await db('libretime_instances').where({ stationId, broadcastDate: date }).select('instanceId')) as { instanceId: number }[];
    expect(rows).toHaveLength(1);
    return rows[0]!.instanceId;
  }

  /** Exactly the log, as playout would play it: one item per entry, back to back, in order, inside the instance, nothing skipped. */
  function expectPlaysAsLogged(instanceId: number, log: PublishableLog) {
    const view = fake.playoutView(instanceId);
    expect(view.skipped).toEqual([]);
    expect(view.overlaps).toEqual([]);
    expect(view.gaps).toEqual([]);
    expect(view.positionsInTimeOrder).toBe(true);
    const entries = [...log.entries].sort((a, b) => Date.parse(a.startsAt) - Date.parse(b.startsAt));
    expect(view.items.map((item) => [item.position, item.file, Date.parse(item.startsAt)])).toEqual(entries.map((e, i) => [i, e.libretimeFileId, Date.parse(e.startsAt)]));
    for (const [i, item] of view.items.entries()) {
      expect(Date.parse(item.endsAt)).toBe(Date.parse(entries[i]!.startsAt) + entries[i]!.lengthMs);
      if (i > 0) expect(item.startsAt).toBe(view.items[i - 1]!.endsAt);
    }
    const instance = fake.instances.find((candidate) => candidate.id === instanceId)!;
    expect(Date.parse(view.items[0]!.startsAt)).toBeGreaterThanOrEqual(Date.parse(instance.starts_at));
    expect(Date.parse(view.items.at(-1)!.endsAt)).toBeLessThanOrEqual(Date.parse(instance.ends_at));
    return view;
  }

  it('a day back to back up to its last second plays exactly as logged, and LibreTime’s bookkeeping is kept', async () => {
    const station = await libretimeStation();
    const date = dayAhead(station);
    // The last entry ends exactly when the broadcast day (and the instance) ends.
    const log = await dayLog(station, date, [...songs('Morning', [200, 185.5, 240], '06:00:00'), ...songs('Night', [300, 300, 300], '23:45:00')]);
    const receipt = await createLibreTimePublisher({ db, dataDir, libretimeFor: fastClient }).publish(log);
    expect(receipt.items).toBe(6);

    const instanceId = await recordedInstance(station.id, date);
    const view = fake.playoutView(instanceId);
    // Two runs the log itself has apart; each is back to back, and nothing else differs.
    expect(view.gaps).toHaveLength(1);
    expect(view.skipped).toEqual([]);
    expect(view.overlaps).toEqual([]);
    expect(view.positionsInTimeOrder).toBe(true);
    const instance = fake.instances.find((i) => i.id === instanceId)!;
    expect(view.items.at(-1)!.endsAt).toBe(instance.ends_at);
    expect(view.items.map((i) => [Date.parse(i.startsAt), parseLibretimeDuration(i.cueOut), i.fadeOut])).toEqual(log.entries.map((e) => [Date.parse(e.startsAt), e.cueOutMs, '00:00:00']));

    // As LibreTime's own scheduler leaves an instance and its files (API v2 does neither by itself).
    expect(instance.filled_time).toBe('00:25:25.500000');
    expect(Date.now() - Date.parse(instance.last_scheduled_at!)).toBeLessThan(60_000);
    expect(fake.files.filter((f) => log.entries.some((e) => e.libretimeFileId === f.id)).map((f) => f.scheduled)).toEqual([true, true, true, true, true, true]);
  });

  it('publishing again, after a rebuild, and after the instance and the show were deleted in LibreTime leaves exactly one item per entry', async () => {
    const station = await libretimeStation();
    const date = dayAhead(station);
    const publisher = createLibreTimePublisher({ db, dataDir, libretimeFor: fastClient });
    const v1 = await dayLog(station, date, songs('First', [180, 210, 195, 240], '07:00:00'));

    await publisher.publish(v1);
    const first = await recordedInstance(station.id, date);
    expectPlaysAsLogged(first, v1);

    await publisher.publish(v1);
    expect(await recordedInstance(station.id, date)).toBe(first);
    expectPlaysAsLogged(first, v1);
    expect(fake.schedule).toHaveLength(4);

    // A rebuild: other songs, other lengths, one entry fewer.
    const v2 = await dayLog(station, date, songs('Rebuilt', [175, 222.25, 201], '07:00:00'), 2);
    await publisher.publish(v2);
    expectPlaysAsLogged(first, v2);
    expect(fake.schedule).toHaveLength(3);
    // The songs taken out are no longer scheduled anywhere, so LibreTime may delete them again.
    expect(fake.files.filter((f) => v1.entries.some((e) => e.libretimeFileId === f.id)).map((f) => f.scheduled)).toEqual([false, false, false, false]);
    expect(fake.instances[0]!.filled_time).toBe('00:09:58.250000');

    // Someone deletes the day in LibreTime's calendar: the only instance of the show, so the show goes too.
    fake.deleteInstance(first);
    expect(fake.shows).toEqual([]);
    await publisher.publish(v2);
    const second = await recordedInstance(station.id, date);
    expect(second).not.toBe(first);
    expectPlaysAsLogged(second, v2);
    expect(fake.shows.map((s) => s.name)).toEqual(['LibreLog — KQTR Community Radio']);
    expect((await db('libretime_shows').where({ stationId: station.id }).first('showId')) as unknown).toEqual({ showId: fake.shows[0]!.id });
    expect(fake.schedule).toHaveLength(3);
  });

  it('makes the day’s instance again when it was deleted in the calendar, alone or while LibreLog was writing', async () => {
    const station = await libretimeStation();
    const [date, nextDay] = [dayAhead(station), dayAhead(station, 21)];
    const publisher = createLibreTimePublisher({ db, dataDir, libretimeFor: fastClient });
    const log = await dayLog(station, date, songs('Song', [180, 180, 180], '09:00:00'));
    await publisher.publish(log);
    await publisher.publish(await dayLog(station, nextDay, songs('Tomorrow', [180], '09:00:00')));
    const first = await recordedInstance(station.id, date);

    // With another day of the show left, LibreTime only hides the deleted instance (modified) and empties it.
    fake.deleteInstance(first);
    expect(fake.instances.find((i) => i.id === first)).toMatchObject({ modified: true });
    await publisher.publish(log);
    const second = await recordedInstance(station.id, date);
    expect(second).not.toBe(first);
    expectPlaysAsLogged(second, log);
    expect(fake.playoutView(first).items).toEqual([]);

    // Deleted (with its show) between LibreLog's look at it and its first POST: LibreTime answers 400 Invalid pk.
    let deleted = false;
    const racing = (connection: LibreTimeConnection): LibreTimeApi => {
      const api = fastClient(connection);
      return {
        ...api,
        createScheduleItem: (item) => {
          if (!deleted) {
            deleted = true;
            fake.deleteShow(fake.instances.find((i) => i.id === item.instance)!.show);
          }
          return api.createScheduleItem(item);
        },
      };
    };
    await createLibreTimePublisher({ db, dataDir, libretimeFor: racing }).publish(log);
    const third = await recordedInstance(station.id, date);
    expect([first, second]).not.toContain(third);
    expectPlaysAsLogged(third, log);
    expect(fake.schedule).toHaveLength(3);
  });

  it('removes what an earlier publish left past the end of its instance, wherever it starts', async () => {
    const station = await libretimeStation();
    const date = dayAhead(station);
    const publisher = createLibreTimePublisher({ db, dataDir, libretimeFor: fastClient });
    const log = await dayLog(station, date, songs('Late', [240, 240], '23:50:00'));
    await publisher.publish(log);
    const instanceId = await recordedInstance(station.id, date);
    const instance = fake.instances.find((i) => i.id === instanceId)!;
    const ends = Date.parse(instance.ends_at);
    // What the old publisher wrote: one item running past the end (answers cut it), two starting after it (never played).
    const leftover = (id: number, startsAt: number, seconds: number) => ({
      id, starts_at: new Date(startsAt).toISOString(), ends_at: new Date(startsAt + seconds * 1000).toISOString(), instance: instanceId, file: log.entries[0]!.libretimeFileId,
      stream: null, length: libretimeDuration(seconds * 1000), cue_in: '00:00:00', cue_out: libretimeDuration(seconds * 1000), fade_in: '00:00:00', fade_out: '00:00:00', position: id, position_status: 1, broadcasted: 0, played: null,
    });
    fake.schedule.push(leftover(501, ends - 60_000, 240), leftover(502, ends + 180_000, 200), leftover(503, ends + 380_000, 200));
    expect(fake.playoutView(instanceId).skipped.map((i) => i.id)).toEqual([502, 503]);

    await publisher.publish(log);
    expectPlaysAsLogged(instanceId, log);
    expect(fake.schedule.filter((i) => [501, 502, 503].includes(i.id))).toEqual([]);
    expect(fake.schedule).toHaveLength(2);
  });

  it('an entry faded early for a hard start arrives with its shorter length and cue-out and a real fade', async () => {
    const station = await libretimeStation();
    const date = dayAhead(station);
    const log = await dayLog(station, date, [
      { title: 'Runs long', seconds: 188, trackSeconds: 200, cueInMs: 250, fadeOutMs: 2_000, at: '05:56:52' },
      { title: 'Legal ID', seconds: 10 },
    ]);
    expect(log.entries[1]!.startsAt).toBe(DateTime.fromISO(`${date}T06:00:00`, { zone: station.timezone }).toUTC().toISO());
    await createLibreTimePublisher({ db, dataDir, libretimeFor: fastClient }).publish(log);
    const view = expectPlaysAsLogged(await recordedInstance(station.id, date), log);
    expect(view.items[0]).toMatchObject({ cueIn: '00:00:00.250000', cueOut: '00:03:08.250000', fadeOut: '00:00:02' });
    expect(fake.schedule[0]).toMatchObject({ length: '00:03:08' });
    // The legal ID starts on the hour, when the faded song stops.
    expect(view.items[1]).toMatchObject({ startsAt: view.items[0]!.endsAt, fadeOut: '00:00:00' });
  });

  it('writes overlapping entries back to back in time order, and refuses a log that would run past the day, naming the entry', async () => {
    const station = await libretimeStation();
    const date = dayAhead(station);
    const publisher = createLibreTimePublisher({ db, dataDir, libretimeFor: fastClient });
    // Positions out of time order, and the third song logged 30 s before the second ends.
    const log = await dayLog(station, date, songs('Hour', [180, 180, 180], '10:00:00'));
    const [a, b, c] = log.entries;
    const muddled: PublishableLog = {
      ...log,
      entries: [
        { ...c!, position: 0, startsAt: new Date(Date.parse(c!.startsAt) - 30_000).toISOString() },
        { ...a!, position: 1 },
        { ...b!, position: 2 },
      ],
    };
    await publisher.publish(muddled);
    const instanceId = await recordedInstance(station.id, date);
    const view = fake.playoutView(instanceId);
    expect(view.overlaps).toEqual([]);
    expect(view.positionsInTimeOrder).toBe(true);
    expect(view.gaps).toEqual([]);
    expect(view.items.map((i) => [i.file, i.position])).toEqual([
      [a!.libretimeFileId, 0],
      [b!.libretimeFileId, 1],
      [c!.libretimeFileId, 2],
    ]);
    // The third starts when the second ends, not 30 s into it.
    expect(view.items[2]!.startsAt).toBe(view.items[1]!.endsAt);
    const before = fake.schedule.map((i) => i.id);
    const posts = fake.count('POST', '/api/v2/schedule');

    // The last song would start when the day is over: LibreTime would never play it.
    const tooLong = await dayLog(station, date, songs('Overrun', [180, 180], '23:57:00'), 2);
    await expect(publisher.publish(tooLong)).rejects.toThrow(
      /^Entry 1 "Overrun 2" \(MUS, at \d{4}-\d\d-\d\d 00:00:00, 3:00 long\) would end 3:00 after the broadcast day's LibreTime show instance ends at \d{4}-\d\d-\d\d 00:00:00: LibreTime would never play it \(overbooked\)\. Nothing was published; rebuild the log so the day ends on time\.$/,
    );
    // One that only runs past the end would be cut.
    const cut = await dayLog(station, date, songs('Cut', [240], '23:58:00'), 3);
    await expect(publisher.publish(cut)).rejects.toThrow(/^Entry 0 "Cut 1" .* would end 2:00 after .*: LibreTime would cut it short\./);
    // Nothing of either reached LibreTime: the published day is as it was.
    expect(fake.schedule.map((i) => i.id)).toEqual(before);
    expect(fake.count('POST', '/api/v2/schedule')).toBe(posts);
  });
});
