// Benchmarks of the broadcast day (issue: "the broadcast day as a durable workflow").
// Prints its figures; it is not a test. Run: npm run bench
//   1. the pure engine builds one day            target ≤ 50 ms (median)
//   2. the workflow reaches awaiting_approval    target ≤ 2 s per day, end to end
//   3. a 365-day backfill                        target ≥ 5 days per second
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
import { startBroadcastDay } from '../temporal/broadcast-days.js';
import { findTemporalCli } from '../temporal/cli.js';
import { connectTemporal } from '../temporal/client.js';
import { startTemporalDevServer } from '../temporal/dev-server.js';
import { startWorker } from '../temporal/worker.js';
import { freePort } from '../test/support/ports.js';
import { stateQuery } from '../workflows/broadcast-day-messages.js';
import { benchStationBundle } from './bench-station.js';

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
  for (let i = 0; i < 20; i++) buildLog({ ...inputs, seed: i });
  const engineTimes: number[] = [];
  let entries = 0;
  for (let i = 0; i < 100; i++) {
    t = performance.now();
    entries = buildLog({ ...inputs, seed: 100 + i }).entries.length;
    engineTimes.push(performance.now() - t);
  }
  line(`engine: one day (${entries} entries), median of 100`, ms(quantile(engineTimes, 0.5)), '≤ 50 ms', quantile(engineTimes, 0.5) <= 50);
  console.log(`${''.padEnd(44)} p90 ${ms(quantile(engineTimes, 0.9))}, max ${ms(Math.max(...engineTimes))}`);

  // 2 and 3 through Temporal, the worker and PostgreSQL.
  const taskQueue = 'bench';
  const worker = await startWorker({ address: temporal.address, namespace: 'default', taskQueue, db, dataDir });
  const client = await connectTemporal(temporal.address, 'default');
  try {
    const dayTimes: number[] = [];
    for (let i = 0; i < 10; i++) {
      const date = DateTime.fromISO('2027-02-01').plus({ days: i }).toISODate()!;
      t = performance.now();
      const handle = await startBroadcastDay(client.client, taskQueue, { slug: 'bench' }, date);
      while ((await handle.query(stateQuery)).status !== 'awaiting_approval') await new Promise((r) => setTimeout(r, 10));
      dayTimes.push(performance.now() - t);
    }
    line('workflow: start → awaiting_approval, median', ms(quantile(dayTimes, 0.5)), '≤ 2000 ms', quantile(dayTimes, 0.5) <= 2000);
    console.log(`${''.padEnd(44)} all 10: ${dayTimes.map((d) => d.toFixed(0)).join(', ')} ms`);

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
    line('backfill: 365 days to awaiting_approval', `${(dates.length / seconds).toFixed(1)} days/s`, '≥ 5 days/s', dates.length / seconds >= 5);
    console.log(`${''.padEnd(44)} ${seconds.toFixed(1)} s in all`);
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
