// Benchmarks of the broadcast day (issue 10: "a day's log airs exactly as written").
// Prints its figures, and next to each the quality of what it built; it is not a test.
// Run: npm run bench
//   1. the pure engine builds one day, fit included    target ≤ 10 ms (median)
//   2. the workflow reaches awaiting_approval          target ≤ 300 ms (median)
//   3. a 365-day backfill                              target ≥ 10 days per second
// Quality: overlaps, seconds of gap, hard starts missed, hours outside the fill tolerance, and
// content hours against the day's hours — all zero or exact (docs/log-rules.md §6).
// On a generated station: 20,000 songs, 300 campaigns, 24 distinct clocks; real embedded
// PostgreSQL and a real Temporal dev server (in memory).
import { DefaultLogger, Runtime } from '@temporalio/worker';
import { DateTime } from 'luxon';
import { mkdtemp, rm, chmod } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { importStationBundle } from '../db/bundle-import.js';
import { startEmbeddedPostgres } from '../db/embedded-postgres.js';
import { createDb, ensureDatabase, migrateToLatest, withDatabase } from '../db/knex.js';
import { createLogInputsLoader } from '../db/log-inputs.js';
import { buildLog } from '../domain/log/build.js';
import { measureLog } from '../domain/log/quality.js';
import { startBroadcastDay } from '../temporal/broadcast-days.js';
import { findTemporalCli } from '../temporal/cli.js';
import { connectTemporal } from '../temporal/client.js';
import { startTemporalDevServer } from '../temporal/dev-server.js';
import { startWorker } from '../temporal/worker.js';
import { freePort } from '../test/support/ports.js';
import { benchStationBundle } from './bench-station.js';
import { printQuality, storedQualities } from './quality.js';

Runtime.install({ logger: new DefaultLogger('WARN') });
const quantile = (values: number[], q: number) => [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor(q * values.length))]!;
const ms = (n: number) => `${n.toFixed(1)} ms`;
const line = (label: string, value: string, target: string, ok: boolean) => console.log(`${label.padEnd(44)} ${value.padStart(16)}   target ${target.padEnd(12)} ${ok ? 'ok' : 'MISSED'}`);

const dataDir = await mkdtemp(path.join(os.tmpdir(), 'librelog-bench-'));
await chmod(dataDir, 0o755);
const [pgPort, temporalPort] = await Promise.all([freePort(), freePort()]);
const [postgres, temporal] = await Promise.all([
  startEmbeddedPostgres({ dataDir, port: pgPort, persistent: false }),
  findTemporalCli({ log: console.log }).then((binary) => startTemporalDevServer({ binary, port: temporalPort, uiPort: false })),
]);
await ensureDatabase(postgres.serverUrl, 'bench');
const db = createDb(withDatabase(postgres.serverUrl, 'bench'), { pool: { min: 2, max: 20 } });
await migrateToLatest(db);

try {
  let t = performance.now();
  const bundle = benchStationBundle();
  const imported = await importStationBundle(db, bundle);
  console.log(`station: ${imported.counts.tracks} tracks, ${imported.counts.campaigns} campaigns, ${imported.counts.clocks} clocks (imported in ${ms(performance.now() - t)})\n`);

  // 1. The pure engine, on inputs loaded once.
  const loader = createLogInputsLoader(db);
  const inputs = await loader.load('bench', '2027-03-10', 1);
  // A worker builds day after day: measure it warm (the optimiser has seen the engine run).
  for (let i = 0; i < 50; i++) buildLog({ ...inputs, seed: i });
  const engineTimes: number[] = [];
  let entries = 0;
  const built: ReturnType<typeof buildLog>[] = [];
  for (let i = 0; i < 100; i++) {
    t = performance.now();
    const log = buildLog({ ...inputs, seed: 100 + i });
    engineTimes.push(performance.now() - t);
    entries = log.entries.length;
    built.push(log);
  }
  // Measured afterwards, so its garbage is not collected inside the timed builds.
  const engineQualities = built.map((log) => measureLog(log, inputs.clocks, inputs.station.fillToleranceMs));
  line(`engine: one day (${entries} entries), median of 100 after 50`, ms(quantile(engineTimes, 0.5)), '≤ 10 ms', quantile(engineTimes, 0.5) <= 10);
  console.log(`${''.padEnd(44)} p90 ${ms(quantile(engineTimes, 0.9))}, max ${ms(Math.max(...engineTimes))}`);
  printQuality('quality of those 100 days', engineQualities);

  // 2 and 3 through Temporal, the worker and PostgreSQL.
  const taskQueue = 'bench';
  // Its own dev server: plain gRPC.
  const connection = { address: temporal.address, tls: false } as const;
  const worker = await startWorker({ connection, namespace: 'default', taskQueue, db, dataDir });
  const client = await connectTemporal(connection, 'default');
  try {
    const dayTimes: number[] = [];
    for (let i = 0; i < 10; i++) {
      const date = DateTime.fromISO('2027-02-01').plus({ days: i }).toISODate()!;
      t = performance.now();
      await startBroadcastDay(client.client, taskQueue, { slug: 'bench' }, date);
      // Polls the stored status (what the API serves), not the run: queries every few ms would
      // compete with the build for the worker.
      while (((await db('daily_logs').where({ broadcastDate: date }).first('status')) as { status: string } | undefined)?.status !== 'awaiting_approval') await new Promise((r) => setTimeout(r, 5));
      dayTimes.push(performance.now() - t);
    }
    line('workflow: start → awaiting_approval, median', ms(quantile(dayTimes, 0.5)), '≤ 300 ms', quantile(dayTimes, 0.5) <= 300);
    console.log(`${''.padEnd(44)} all 10: ${dayTimes.map((d) => d.toFixed(0)).join(', ')} ms`);
    printQuality('quality of those 10 stored logs', await storedQualities(db, 'bench', Array.from({ length: 10 }, (_, i) => DateTime.fromISO('2027-02-01').plus({ days: i }).toISODate()!)));

    const dates = Array.from({ length: 365 }, (_, i) => DateTime.fromISO('2028-01-01').plus({ days: i }).toISODate()!);
    // The campaigns of the generated station end in 2027: extend them over the backfill year.
    await db('campaigns').update({ endsOn: '2028-12-31' });
    t = performance.now();
    await Promise.all(dates.map((date) => startBroadcastDay(client.client, taskQueue, { slug: 'bench' }, date)));
    for (;;) {
      const done = Number(((await db('daily_logs').whereIn('broadcastDate', dates).where({ status: 'awaiting_approval' }).count({ n: '*' }).first()) as { n: string }).n);
      if (done === dates.length) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    const seconds = (performance.now() - t) / 1000;
    line('backfill: 365 days to awaiting_approval', `${(dates.length / seconds).toFixed(1)} days/s`, '≥ 10 days/s', dates.length / seconds >= 10);
    console.log(`${''.padEnd(44)} ${seconds.toFixed(1)} s in all`);
    printQuality('quality of the 365 stored logs', await storedQualities(db, 'bench', dates));
  } finally {
    await client.close();
    await worker.shutdown();
  }
} finally {
  await db.destroy();
  await temporal.stop();
  await postgres.stop();
  await rm(dataDir, { recursive: true, force: true });
}
