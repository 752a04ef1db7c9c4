// A worker killed (SIGKILL, as by a crash or the OOM killer) while a day is being built, while it
// is being published to LibreTime, and while it is being reconciled: a restarted worker finishes
// the day exactly once — one log, one copy of each entry, one playout item per entry — and the
// recovery times are printed. Workers run as their own processes (`npm run worker`).
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { DateTime } from 'luxon';
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import { importStationBundle } from '../../db/bundle-import.js';
import { withDatabase } from '../../db/knex.js';
import { bundleWorkflows } from '../../scripts/bundle-workflows.js';
import { startBroadcastDay } from '../../temporal/broadcast-days.js';
import { approveUpdate, publishUpdate } from '../../workflows/broadcast-day-messages.js';
import { startFakeLibreTime, type FakeLibreTime } from '../fakes/libretime.js';
import { smallStationBundle } from '../fixtures/bundles.js';
import { useTestDatabase } from '../support/db.js';
import { useTemporal } from '../support/temporal.js';
import { startWorkerProcess, type WorkerProcess } from './worker-process.js';

const db = useTestDatabase();
const temporal = useTemporal();
// A station of this file's own: workflow ids are shared by every test file on the one Temporal server.
const SLUG = 'kkil';
let dataDir: string;
let bundle: string;
let fake: FakeLibreTime;
let databaseUrl: string;
const workers: WorkerProcess[] = [];

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(os.tmpdir(), 'librelog-kills-'));
  bundle = await bundleWorkflows(path.join(dataDir, 'workflow-bundle.js'));
  const { rows } = (await db.raw('select current_database() as name')) as { rows: { name: string }[] };
  databaseUrl = withDatabase(inject('pgServerUrl'), rows[0]!.name);
}, 120_000);
afterEach(async () => {
  await Promise.all(workers.splice(0).map((worker) => worker.kill()));
  await fake?.close();
});
afterAll(() => rm(dataDir, { recursive: true, force: true }));

function worker(): Promise<WorkerProcess> {
  return startWorkerProcess({
    DATABASE_URL: databaseUrl,
    TEMPORAL_ADDRESS: inject('temporalAddress'),
    LIBRELOG_TASK_QUEUE: temporal.taskQueue,
    LIBRELOG_DATA_DIR: dataDir,
    LIBRELOG_WORKFLOW_BUNDLE: bundle,
  }).then((started) => {
    workers.push(started);
    return started;
  });
}

async function statusOf(workflowId: string): Promise<string | undefined> {
  const row = (await db('daily_logs').where({ workflowId }).first('status')) as { status: string } | undefined;
  return row?.status;
}

/** Polls the stored status (a dead worker answers no queries) until it is `status`. */
async function reaches(workflowId: string, status: string, timeoutMs = 120_000): Promise<number> {
  const started = Date.now();
  while ((await statusOf(workflowId)) !== status) {
    if (Date.now() - started > timeoutMs) throw new Error(`${workflowId} did not reach ${status} in ${timeoutMs} ms (it is ${await statusOf(workflowId)})`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return Date.now() - started;
}

async function libretimeStation() {
  fake = await startFakeLibreTime({ importAfterPolls: 1 });
  const stationBundle = smallStationBundle();
  stationBundle.station.slug = SLUG;
  await importStationBundle(db, stationBundle);
  const station = (await db('stations').where({ slug: SLUG }).first('id')) as { id: string };
  await db('stations').where({ id: station.id }).update({ playoutTarget: 'libretime', libretimeUrl: fake.url, libretimeApiKey: fake.apiKey });
  // Every track is a file in LibreTime, as after a library sync.
  const tracks = (await db('tracks').where({ stationId: station.id }).select('id', 'title', 'lengthMs')) as { id: string; title: string; lengthMs: number }[];
  for (const track of tracks) {
    const seconds = Math.round(track.lengthMs / 1000);
    const file = fake.addFile({ import_status: 0, hidden: false, track_title: track.title, length: `00:${String(Math.floor(seconds / 60)).padStart(2, '0')}:${String(seconds % 60).padStart(2, '0')}` });
    await db('tracks').where({ id: track.id }).update({ libretimeFileId: file.id });
  }
  return station;
}

describe('a worker killed at any point of a broadcast day', () => {
  it('delays the day by about a minute at most, and the day is built, published and reconciled exactly once', async () => {
    const station = await libretimeStation();
    // Days already aired: once published, each run goes straight on to reconciliation.
    const today = DateTime.now().setZone('America/Phoenix').startOf('day');
    const dates = [3, 4, 5].map((back) => today.minus({ days: back }).toISODate()!);
    const recovery: Record<string, number> = {};

    // 1. Killed while the days are being built.
    let current = await worker();
    const runs = await Promise.all(dates.map((date) => startBroadcastDay(temporal.env.client, temporal.taskQueue, { slug: SLUG }, date)));
    const [run] = runs;
    try {
      await reaches(run!.workflowId, 'building', 30_000);
      await current.kill();
      const killedAt = Date.now();
      const statusesAtKill = await Promise.all(runs.map((r) => statusOf(r.workflowId)));
      current = await worker();
      for (const r of runs) await reaches(r.workflowId, 'awaiting_approval');
      recovery.build = Date.now() - killedAt;
      console.log(`[faults] worker killed during build (statuses then: ${statusesAtKill.join(', ')}); all ${runs.length} days built ${recovery.build} ms after the kill`);

      // 2. Killed while publishing to LibreTime: LibreTime is slow, so the publish takes a while.
      const log = (await db('daily_logs').where({ workflowId: run!.workflowId }).first('id', 'version')) as { id: string; version: number };
      await run!.executeUpdate(approveUpdate, { args: [{ userId: null, role: 'traffic', version: log.version }] });
      let scheduled = 0;
      fake.beforeAnswer = async (method, pathname) => {
        if (method === 'POST' && pathname === '/api/v2/schedule') scheduled++;
        await new Promise((r) => setTimeout(r, 15));
      };
      await run!.executeUpdate(publishUpdate, { args: [{ userId: null, role: 'admin', version: log.version }] });
      while (scheduled < 10) await new Promise((r) => setTimeout(r, 20));
      await current.kill();
      const publishKilledAt = Date.now();
      const itemsAtKill = fake.schedule.length;
      current = await worker();
      // Published, then (the day has aired) reconciled; kill once more as the as-run is read.
      let historyAsked = false;
      fake.beforeAnswer = async (method, pathname) => {
        if (method === 'GET' && pathname.startsWith('/api/v2/playout-history') && !historyAsked) {
          historyAsked = true;
          // The day aired as published, but for its first two items: LibreTime's history says so.
          fake.playoutHistory.push(...fake.schedule.slice(2).map((item, i) => ({ id: i + 1, starts: item.starts_at, ends: item.ends_at, file: item.file, instance: item.instance })));
          recovery.publish = Date.now() - publishKilledAt;
          const killing = current;
          reconcileKilledAt = Date.now();
          await killing.kill();
        }
      };
      let reconcileKilledAt = 0;
      await until(() => historyAsked, 120_000, 'the as-run to be asked for after publishing');
      console.log(`[faults] worker killed during publishing (${itemsAtKill} items written); published ${recovery.publish} ms after the kill`);
      current = await worker();
      await reaches(run!.workflowId, 'reconciled');
      recovery.reconcile = Date.now() - reconcileKilledAt;
      console.log(`[faults] worker killed during reconciliation; reconciled ${recovery.reconcile} ms after the kill`);

      // Exactly once: one log per day, one copy of each entry, one playout item per entry.
      for (const date of dates) expect(await db('daily_logs').where({ stationId: station.id, broadcastDate: date }).count({ n: '*' }).first()).toEqual({ n: 1 });
      const entries = (await db('log_entries').where({ logId: log.id }).select('id')) as { id: string }[];
      expect(new Set(entries.map((e) => e.id)).size).toBe(entries.length);
      expect(fake.schedule).toHaveLength(entries.length);
      expect(fake.shows).toHaveLength(1);
      expect(fake.instances).toHaveLength(1);
      const view = fake.playoutView();
      expect(view.overlaps).toEqual([]);
      expect(view.skipped).toEqual([]);
      const makeGoods = (await db('make_goods').where({ stationId: station.id }).select('missedEntryId')) as { missedEntryId: string }[];
      expect(new Set(makeGoods.map((m) => m.missedEntryId)).size).toBe(makeGoods.length);
      const plays = (await db('playback_history').where({ stationId: station.id }).select('externalId')) as { externalId: string }[];
      expect(new Set(plays.map((p) => p.externalId)).size).toBe(plays.length);
      expect(fake.violations).toEqual([]);

      // Publishing resumes within about a minute of a kill (its heartbeat timeout is 30 s).
      expect(recovery.build).toBeLessThan(60_000);
      expect(recovery.publish).toBeLessThan(60_000);
      expect(recovery.reconcile).toBeLessThan(60_000);
    } finally {
      await Promise.all(runs.map((r) => r.terminate('test over').catch(() => undefined)));
    }
  }, 400_000);
});

async function until(ok: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!ok()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
