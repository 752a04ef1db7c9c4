// PostgreSQL and the Temporal server restarted while days are being built: the worker (its own
// process, as in production) carries on by itself once each is back, every day is built exactly
// once, and a day published afterwards is one set of files with nothing half-written left over.
// This file runs its own PostgreSQL and Temporal server, since it stops them.
import { chmod, mkdtemp, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { DateTime } from 'luxon';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Knex } from 'knex';
import { importStationBundle } from '../../db/bundle-import.js';
import { startEmbeddedPostgres, type EmbeddedPostgresServer } from '../../db/embedded-postgres.js';
import { createDb, ensureDatabase, migrateToLatest, withDatabase } from '../../db/knex.js';
import { bundleWorkflows } from '../../scripts/bundle-workflows.js';
import { startBroadcastDay } from '../../temporal/broadcast-days.js';
import { connectTemporal, type TemporalClient } from '../../temporal/client.js';
import { startTemporalDevServer, type TemporalDevServer } from '../../temporal/dev-server.js';
import { approveUpdate, publishUpdate } from '../../workflows/broadcast-day-messages.js';
import { smallStationBundle } from '../fixtures/bundles.js';
import { freePort } from '../support/ports.js';
import { startWorkerProcess, type WorkerProcess } from './worker-process.js';

const TASK_QUEUE = 'faults-restarts';
let dataDir: string;
let pgPort: number;
let temporalPort: number;
let postgres: EmbeddedPostgresServer;
let temporalServer: TemporalDevServer;
let temporal: TemporalClient;
let db: Knex;
let worker: WorkerProcess;

const startPostgres = () => startEmbeddedPostgres({ dataDir, port: pgPort });
const startTemporal = () => startTemporalDevServer({ binary: inject('temporalCli'), port: temporalPort, uiPort: false, dataDir });

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(os.tmpdir(), 'librelog-restarts-'));
  await chmod(dataDir, 0o755);
  [pgPort, temporalPort] = await Promise.all([freePort(), freePort()]);
  [postgres, temporalServer] = await Promise.all([startPostgres(), startTemporal()]);
  await ensureDatabase(postgres.serverUrl, 'librelog');
  const databaseUrl = withDatabase(postgres.serverUrl, 'librelog');
  db = createDb(databaseUrl, { bindModels: false });
  await migrateToLatest(db);
  await importStationBundle(db, smallStationBundle());
  temporal = await connectTemporal({ address: temporalServer.address, tls: false }, 'default');
  const bundle = await bundleWorkflows(path.join(dataDir, 'workflow-bundle.js'));
  worker = await startWorkerProcess({
    DATABASE_URL: databaseUrl,
    TEMPORAL_ADDRESS: temporalServer.address,
    LIBRELOG_TASK_QUEUE: TASK_QUEUE,
    LIBRELOG_DATA_DIR: dataDir,
    LIBRELOG_WORKFLOW_BUNDLE: bundle,
  });
}, 180_000);

afterAll(async () => {
  await worker?.kill();
  await temporal?.close();
  await db?.destroy();
  await temporalServer?.stop();
  await postgres?.stop();
  await rm(dataDir, { recursive: true, force: true });
});

/** The stored status; undefined while the database is away. */
async function statusOf(workflowId: string): Promise<string | undefined> {
  try {
    const row = (await db('daily_logs').where({ workflowId }).first('status')) as { status: string } | undefined;
    return row?.status;
  } catch {
    return undefined;
  }
}

async function allReach(workflowIds: string[], status: string, timeoutMs = 150_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (const id of workflowIds) {
    while ((await statusOf(id)) !== status) {
      if (Date.now() > deadline) throw new Error(`${id} did not reach ${status} (it is ${await statusOf(id)}); worker said:\n${worker.output().slice(-3000)}`);
      await new Promise((r) => setTimeout(r, 200));
    }
  }
}

async function builtAmong(workflowIds: string[]): Promise<number> {
  const statuses = await Promise.all(workflowIds.map(statusOf));
  return statuses.filter((status) => status === 'awaiting_approval').length;
}

const datesFrom = (offset: number, count: number) =>
  Array.from({ length: count }, (_, i) => DateTime.now().setZone('America/Phoenix').plus({ days: offset + i }).toISODate()!);

async function exactlyOnce(dates: string[]): Promise<void> {
  for (const date of dates) {
    const logs = (await db('daily_logs').where({ broadcastDate: date }).select('id')) as { id: string }[];
    expect(logs).toHaveLength(1);
    const ids = (await db('log_entries').where({ logId: logs[0]!.id }).pluck('id')) as string[];
    expect(ids.length).toBeGreaterThan(0);
    expect(new Set(ids).size).toBe(ids.length);
  }
}

describe('restarts under a running worker', () => {
  it('PostgreSQL restarted mid-build: every day is built once when it is back', async () => {
    const dates = datesFrom(2, 6);
    const runs = await Promise.all(dates.map((date) => startBroadcastDay(temporal.client, TASK_QUEUE, { slug: 'kqtr' }, date)));
    await allReach([runs[0]!.workflowId], 'building', 30_000);
    const builtBefore = await builtAmong(runs.map((r) => r.workflowId));
    await postgres.stop();
    await new Promise((r) => setTimeout(r, 3_000));
    postgres = await startPostgres();
    const backAt = Date.now();
    await allReach(runs.map((r) => r.workflowId), 'awaiting_approval');
    console.log(`[faults] PostgreSQL stopped for 3 s with ${builtBefore} of ${dates.length} days built: all built ${Date.now() - backAt} ms after it was back`);
    expect(builtBefore).toBeLessThan(dates.length);
    await exactlyOnce(dates);
  }, 200_000);

  it('the Temporal server killed mid-build and started again: the worker reconnects by itself and every day is built once', async () => {
    const dates = datesFrom(10, 12);
    const runs = await Promise.all(dates.map((date) => startBroadcastDay(temporal.client, TASK_QUEUE, { slug: 'kqtr' }, date)));
    await allReach([runs[0]!.workflowId], 'building', 30_000);
    await temporalServer.kill();
    // Counted once the server is gone: what was built before it went cannot change meanwhile.
    const builtBefore = await builtAmong(runs.map((r) => r.workflowId));
    await new Promise((r) => setTimeout(r, 2_000));
    temporalServer = await startTemporal();
    const backAt = Date.now();
    await allReach(runs.map((r) => r.workflowId), 'awaiting_approval');
    console.log(`[faults] Temporal server killed with ${builtBefore} of ${dates.length} days built: all built ${Date.now() - backAt} ms after it was back`);
    expect(builtBefore).toBeLessThan(dates.length);
    await exactlyOnce(dates);

    // And a day published after both restarts is one set of files, nothing half-written.
    const run = temporal.client.workflow.getHandle(runs[0]!.workflowId);
    const { version } = (await db('daily_logs').where({ workflowId: runs[0]!.workflowId }).first('version')) as { version: number };
    await run.executeUpdate(approveUpdate, { args: [{ userId: null, role: 'traffic', version }] });
    await run.executeUpdate(publishUpdate, { args: [{ userId: null, role: 'admin', version }] });
    await allReach([runs[0]!.workflowId], 'published', 60_000);
    const files = await readdir(path.join(dataDir, 'published', 'kqtr'));
    expect(files.sort()).toEqual([`${dates[0]}.libretime.json`, `${dates[0]}.rivendell.txt`]);
    expect(worker.child.exitCode).toBe(null);
  }, 200_000);
});
