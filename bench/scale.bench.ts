// A network of stations (issue 11): 50 stations × 14 days built by one worker, then 50 × 14 other
// days by two, each worker its own process (`npm run worker`, as production runs them).
// Prints days per second for each, the ratio, and the quality of every day built.
// Run: npm run bench:scale   (STATIONS and DAYS override 50 and 14; ROUNDS=2,1 runs two workers first)
import { DefaultLogger, Runtime } from '@temporalio/worker';
import { DateTime } from 'luxon';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { WORKER_DEFAULTS } from '../config/env.js';
import { importStationBundle } from '../db/bundle-import.js';
import { startEmbeddedPostgres } from '../db/embedded-postgres.js';
import { createDb, ensureDatabase, migrateToLatest, withDatabase } from '../db/knex.js';
import { bundleWorkflows } from '../scripts/bundle-workflows.js';
import { startBroadcastDay } from '../temporal/broadcast-days.js';
import { findTemporalCli } from '../temporal/cli.js';
import { connectTemporal } from '../temporal/client.js';
import { startTemporalDevServer } from '../temporal/dev-server.js';
import { startWorkerProcess, type WorkerProcess } from '../test/faults/worker-process.js';
import { freePort } from '../test/support/ports.js';
import { benchStationBundle } from './bench-station.js';
import { printQuality, storedQualities } from './quality.js';

Runtime.install({ logger: new DefaultLogger('WARN') });
const STATIONS = Number(process.env.STATIONS ?? 50);
const DAYS = Number(process.env.DAYS ?? 14);
const ROUNDS = (process.env.ROUNDS ?? '1,2').split(',').map(Number);
// A community station's size: 2,000 songs and 40 campaigns each.
const SONGS = 2_000;
const CAMPAIGNS = 40;
// The pool each worker process opens: its activities and local activities at once, plus a few.
const POOL = WORKER_DEFAULTS.maxActivities + WORKER_DEFAULTS.maxLocalActivities + 4;

const dataDir = await mkdtemp(path.join(os.tmpdir(), 'librelog-scale-'));
await chmod(dataDir, 0o755);
const [pgPort, temporalPort] = await Promise.all([freePort(), freePort()]);
const [postgres, temporal] = await Promise.all([
  startEmbeddedPostgres({ dataDir, port: pgPort, persistent: false }),
  findTemporalCli({ log: console.log }).then((binary) => startTemporalDevServer({ binary, port: temporalPort, uiPort: false })),
]);
await ensureDatabase(postgres.serverUrl, 'scale');
const databaseUrl = withDatabase(postgres.serverUrl, 'scale');
const db = createDb(databaseUrl, { pool: { min: 1, max: 5 } });
await migrateToLatest(db);
const client = await connectTemporal({ address: temporal.address, tls: false }, 'default');
const workers: WorkerProcess[] = [];

try {
  const t = performance.now();
  const slugs = Array.from({ length: STATIONS }, (_, i) => `net${String(i + 1).padStart(2, '0')}`);
  for (const slug of slugs) await importStationBundle(db, benchStationBundle({ songs: SONGS, campaigns: CAMPAIGNS, slug }));
  console.log(`${STATIONS} stations of ${SONGS} songs and ${CAMPAIGNS} campaigns imported in ${((performance.now() - t) / 1000).toFixed(1)} s`);
  const bundle = await bundleWorkflows(path.join(dataDir, 'workflow-bundle.js'));
  console.log(
    `each worker: ${WORKER_DEFAULTS.maxWorkflowTasks} workflow tasks, ${WORKER_DEFAULTS.maxActivities} activities, ${WORKER_DEFAULTS.maxLocalActivities} local activities at once; database pool ${POOL}; ${os.cpus().length} CPU cores\n`,
  );

  /** Builds every station's `dates` on `count` worker processes; days per second. */
  async function round(count: number, dates: string[], taskQueue: string): Promise<number> {
    for (let i = 0; i < count; i++) {
      workers.push(
        await startWorkerProcess({
          DATABASE_URL: databaseUrl,
          TEMPORAL_ADDRESS: temporal.address,
          LIBRELOG_TASK_QUEUE: taskQueue,
          LIBRELOG_DATA_DIR: dataDir,
          LIBRELOG_WORKFLOW_BUNDLE: bundle,
          DATABASE_POOL_MAX: String(POOL),
        }),
      );
    }
    const total = slugs.length * dates.length;
    const started = performance.now();
    // Started the way the daily schedules start them: every station's days at once.
    await Promise.all(slugs.flatMap((slug) => dates.map((date) => startBroadcastDay(client.client, taskQueue, { slug }, date))));
    for (;;) {
      const rows = (await db('daily_logs').whereIn('broadcastDate', dates).groupBy('status').select('status').count({ n: '*' })) as { status: string; n: number }[];
      const built = rows.find((r) => r.status === 'awaiting_approval')?.n ?? 0;
      const failed = rows.find((r) => r.status === 'failed')?.n ?? 0;
      if (failed > 0) throw new Error(`${failed} days failed to build`);
      if (built === total) break;
      await new Promise((r) => setTimeout(r, 250));
    }
    const seconds = (performance.now() - started) / 1000;
    const perSecond = total / seconds;
    console.log(`${`${count} worker${count > 1 ? 's' : ''}: ${slugs.length} stations × ${dates.length} days`.padEnd(44)} ${`${perSecond.toFixed(1)} days/s`.padStart(16)}   (${total} days in ${seconds.toFixed(1)} s)`);
    const qualities = (await Promise.all(slugs.map((slug) => storedQualities(db, slug, dates)))).flat();
    printQuality(`quality of those ${total} stored logs`, qualities);
    await Promise.all(workers.splice(0).map((worker) => worker.stop()));
    return perSecond;
  }

  const first = DateTime.now().setZone('America/Phoenix').plus({ days: 1 }).startOf('day');
  const datesFrom = (offset: number) => Array.from({ length: DAYS }, (_, i) => first.plus({ days: offset + i }).toISODate()!);
  // Each round builds other days (no run is attached to twice); ROUNDS=2,1 swaps the order.
  const rates = new Map<number, number>();
  for (const [i, count] of ROUNDS.entries()) rates.set(count, await round(count, datesFrom(i * DAYS), `scale-${i}`));
  if (rates.has(1) && rates.has(2)) console.log(`${'two workers against one'.padEnd(44)} ${`× ${(rates.get(2)! / rates.get(1)!).toFixed(2)}`.padStart(16)}`);
} finally {
  await Promise.all(workers.map((worker) => worker.kill()));
  await client.close();
  await db.destroy();
  await temporal.stop();
  await postgres.stop();
  await rm(dataDir, { recursive: true, force: true });
}
