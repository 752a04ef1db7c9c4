// Benchmark of the REST API's busiest read: GET a full day's log, as a viewer of the station
// (the access gate's membership check is part of every request). Prints its figures; it is
// not a test. Run: npm run bench:api
//   target (issue 12): ≥ 2,000 requests/s with p99 ≤ 20 ms for a day of ≥ 400 entries, on this
//   machine, where the load generator shares the API's 2 cores. Also printed: the API process's
//   own CPU per request, what it could serve on a core of its own.
// The demo station's day is built by the real activities (no Temporal needed to read it).
import autocannon from 'autocannon';
import { spawn } from 'node:child_process';
import { chmod, mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { DateTime } from 'luxon';
import { activityDeps, createActivities } from '../activities/index.js';
import { hashPassword } from '../api/auth/passwords.js';
import { issueToken } from '../api/auth/tokens.js';
import { startEmbeddedPostgres } from '../db/embedded-postgres.js';
import { createDb, ensureDatabase, migrateToLatest, withDatabase } from '../db/knex.js';
import { seedDemoStation } from '../db/seed.js';
import { freePort } from '../test/support/ports.js';

const dataDir = await mkdtemp(path.join(os.tmpdir(), 'librelog-bench-api-'));
await chmod(dataDir, 0o755);
const [pgPort, apiPort] = await Promise.all([freePort(), freePort()]);
const postgres = await startEmbeddedPostgres({ dataDir, port: pgPort, persistent: false });
await ensureDatabase(postgres.serverUrl, 'bench');
const db = createDb(withDatabase(postgres.serverUrl, 'bench'), { pool: { min: 2, max: 20 } });
try {
  await migrateToLatest(db);
  await seedDemoStation(db);
  const date = DateTime.now().setZone('America/Phoenix').plus({ days: 3 }).toISODate()!;
  const steps = createActivities(activityDeps(db, dataDir));
  const day = await steps.openBroadcastDay({ stationId: 'demo', date, workflowId: `broadcast-day:demo:${date}`, runId: 'bench' });
  const step = { stationId: day.stationId, date, seed: 1, logId: day.logId, version: 1 };
  await steps.expandClocks(step);
  await steps.scheduleMusic(step);
  await steps.placeTraffic(step);
  await steps.overlayVoiceTracks(step);
  const draft = await steps.saveDraft(step);

  // A viewer of the demo station: the membership check is part of every request measured.
  const [user] = (await db('users').insert({ email: 'bench@librelog.local', name: 'Bench', passwordHash: await hashPassword('bench-password') }).returning('id')) as { id: string }[];
  await db('station_memberships').insert({ userId: user!.id, stationId: day.stationId, role: 'viewer' });
  const secret = 'bench-secret';
  const token = issueToken(secret, { kind: 'user', id: user!.id }).access_token;
  // The API in a process of its own, as deployed (response validation off, NODE_ENV=production).
  const server = spawn(process.execPath, [...(process.env.BENCH_NODE_ARGS?.split(' ').filter(Boolean) ?? []), '--import', 'tsx', 'bench/api-server.ts'], {
    env: { ...process.env, NODE_ENV: 'production', DATABASE_URL: withDatabase(postgres.serverUrl, 'bench'), API_PORT: String(apiPort), LIBRELOG_JWT_SECRET: secret, LIBRELOG_DATA_DIR: dataDir },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  await new Promise<void>((resolve, reject) => {
    server.stdout.on('data', (chunk: Buffer) => String(chunk).includes('listening') && resolve());
    server.once('exit', (code) => reject(new Error(`the API server exited (${code})`)));
  });
  try {
    const url = `http://localhost:${apiPort}/api/v1/stations/demo/logs/${date}`;
    const authorization = `Bearer ${token}`;
    const identity = await fetch(url, { headers: { Authorization: authorization, 'Accept-Encoding': 'identity' } });
    const bytes = (await identity.arrayBuffer()).byteLength;
    const gzipped = await fetch(url, { headers: { Authorization: authorization, 'Accept-Encoding': 'gzip' } });
    const wireBytes = Number(gzipped.headers.get('content-length') ?? bytes);
    console.log(`GET a day's log (${draft.entries} entries, ${(bytes / 1024).toFixed(0)} KiB of JSON, ${(wireBytes / 1024).toFixed(0)} KiB gzipped), API in its own process, 10 connections, 10 s each:`);
    for (const [label, encoding] of [
      ['clients that accept gzip (browsers, fetch, curl --compressed)', 'gzip'],
      ['clients that ask for no compression', 'identity'],
    ] as const) {
      const headers = { Authorization: authorization, 'Accept-Encoding': encoding };
      await autocannon({ url, connections: 10, duration: 3, headers });
      const cpuBefore = await cpuSeconds(server.pid);
      const result = await autocannon({ url, connections: 10, duration: 10, headers });
      const cpu = (await cpuSeconds(server.pid)) - cpuBefore;
      const rps = result.requests.average;
      const p99 = result.latency.p99;
      const perRequestUs = (cpu / result.requests.total) * 1e6;
      console.log(`  ${label}:`);
      console.log(`    ${rps.toFixed(0)} requests/s (target ≥ 2000) ${rps >= 2000 ? 'ok' : 'MISSED'}; p99 ${p99} ms, p50 ${result.latency.p50} ms (target p99 ≤ 20 ms) ${p99 <= 20 ? 'ok' : 'MISSED'}; non-2xx ${result.non2xx}, errors ${result.errors}`);
      if (Number.isFinite(perRequestUs)) {
        console.log(`    the API used ${(cpu / 10).toFixed(2)} of a core: ${perRequestUs.toFixed(0)} µs of CPU a request, ≈ ${(1e6 / perRequestUs).toFixed(0)} requests/s on a core of its own`);
      }
    }
  } finally {
    server.kill('SIGTERM');
    await new Promise((resolve) => server.once('exit', resolve));
  }
} finally {
  await db.destroy();
  await postgres.stop();
  await rm(dataDir, { recursive: true, force: true });
}

/** A process's user + system CPU time so far, in seconds (Linux /proc; NaN elsewhere). */
async function cpuSeconds(pid: number | undefined): Promise<number> {
  try {
    // Fields 14 and 15 of /proc/<pid>/stat, after the command name in parentheses.
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return Number.NaN;
  }
}
